"""The docs keep up with the code: every layer file, CLI command, link parameter, benchmark, environment variable and
package is described, on the page of docs/ where it lives; README.md stays short and links every page; no link is
broken and no path named in the docs is missing."""

import re
from pathlib import Path

import pytest

from geo.layers import KINDS
from geo.view.state import FIELDS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
LAYERS_README = (ROOT / "layers" / "README.md").read_text(encoding="utf-8")
DOC_PAGES = sorted(DOCS.glob("*.md"))


def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


ALL_DOCS = README + "".join(p.read_text(encoding="utf-8") for p in DOC_PAGES)
# Pages whose links and paths are checked: the README and every page of docs/.
CHECKED = [ROOT / "README.md", *DOC_PAGES]


@pytest.mark.parametrize("kind", KINDS)
def test_every_layer_file_is_described(kind):
    assert f"`<plan>/{kind}.geojson`" in LAYERS_README


def test_every_cli_command_is_in_the_cli_page():
    main = (ROOT / "geo" / "__main__.py").read_text(encoding="utf-8")
    commands = re.findall(r'add_parser\(\s*"([a-z]+)"', main)
    assert commands
    for command in commands:
        assert f"python -m geo {command}" in page("cli.md"), command


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.key)
def test_every_link_parameter_is_in_the_url_page(field):
    assert f"`{field.key}`" in page("url.md"), f"docs/url.md does not describe the link parameter {field.key!r}"


def test_every_benchmark_script_is_in_the_benchmarks_page():
    scripts = sorted((ROOT / "bench").glob("*.py"))
    assert scripts
    for script in scripts:
        assert f"bench/{script.name}" in page("benchmarks.md"), script.name


def test_readme_opens_with_the_two_commands():
    first_block = re.search(r"```bash\n(.*?)```", README, re.DOTALL).group(1)
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()] == ["make run", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_is_at_most_200_lines():
    assert len(README.splitlines()) <= 200


def test_the_subject_pages_exist():
    for name in ("using.md", "import.md", "export.md", "deployment.md", "url.md", "architecture.md",
                 "benchmarks.md", "security.md", "cli.md"):
        assert (DOCS / name).is_file(), name
    assert (ROOT / "CHANGELOG.md").is_file()


@pytest.mark.parametrize("doc", DOC_PAGES, ids=lambda p: p.name)
def test_every_docs_page_is_linked_from_the_readme(doc):
    assert f"](docs/{doc.name})" in README or f"](docs/{doc.name}#" in README, doc.name


LINK = re.compile(r"\]\(([^)\s]+)\)")


def _relative_links(path: Path):
    for target in LINK.findall(path.read_text(encoding="utf-8")):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # an absolute URL (http:, mailto:) or an anchor on the same page
        yield target


@pytest.mark.parametrize("doc", CHECKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_to_an_existing_file(doc):
    links = list(_relative_links(doc))
    missing = [t for t in links if not (doc.parent / t.split("#")[0]).exists()]
    assert not missing, f"{doc.relative_to(ROOT)} links to missing files: {missing}"


def _anchors(path: Path) -> set[str]:
    """GitHub's anchors of a Markdown page: headings lower-cased, punctuation dropped, spaces as hyphens."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


@pytest.mark.parametrize("doc", CHECKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_to_a_section_names_a_heading(doc):
    for target in _relative_links(doc):
        file, _, anchor = target.partition("#")
        if anchor and file.endswith(".md"):
            assert anchor in _anchors(doc.parent / file), f"{doc.name}: no heading for {target}"


# A path in backquotes under one of the repository's own folders, e.g. `geo/text/clauses.py` or
# `tests/browser/test_browser.py::test_…`; placeholders (<plan>, *, …) are not paths.
GENERATED = ("data/store/", "data/cache/")  # made at run time, not committed
PATH = re.compile(r"`((?:geo|pages|tests|bench|deploy|layers|data)/[^`\s:]*)")


@pytest.mark.parametrize("doc", CHECKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_path_named_in_the_docs_exists(doc):
    missing = []
    for path in PATH.findall(doc.read_text(encoding="utf-8")):
        if re.search(r"[<>*…{}]", path) or path.startswith(GENERATED):
            continue
        if not (ROOT / path).exists():
            missing.append(path)
    assert not missing, f"{doc.relative_to(ROOT)} names paths that do not exist: {missing}"


def _geo_packages_and_modules() -> list[str]:
    """What docs/architecture.md must name, from the filesystem as it is now: `geo/<package>/` for every folder
    under geo/ holding an __init__.py, `geo/<module>.py` for every top-level module."""
    geo = ROOT / "geo"
    names = [f"geo/{init.parent.relative_to(geo).as_posix()}/" for init in sorted(geo.rglob("__init__.py"))
             if init.parent != geo]
    names += [f"geo/{module.name}" for module in sorted(geo.glob("*.py")) if module.name != "__init__.py"]
    return names


def test_architecture_names_every_package_under_geo():
    text = page("architecture.md")
    names = _geo_packages_and_modules()
    assert "geo/text/" in names and "geo/safe.py" in names
    missing = [name for name in names if f"`{name}" not in text]
    assert not missing, f"docs/architecture.md does not name {missing}"


ENV = re.compile(r"""["']((?:GEO|GHYZT)_[A-Z0-9_]+|TIANDITU_KEY)["']""")


def test_every_environment_variable_is_documented():
    sources = [ROOT / "dashboard.py", *sorted((ROOT / "geo").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py")),
               *sorted((ROOT / "deploy").glob("*.py"))]
    variables = {v for path in sources for v in ENV.findall(path.read_text(encoding="utf-8"))}
    assert "GEO_STORE_URL" in variables
    missing = sorted(v for v in variables if not re.search(rf"`\$?{v}\b", ALL_DOCS))
    assert not missing, f"environment variables not described in README.md or docs/: {missing}"
