"""The docs keep up with the code: every layer file, CLI command, link parameter and benchmark is described."""

import re
from pathlib import Path

import pytest

from geo.layers import KINDS
from geo.view.state import FIELDS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
LAYERS_README = (ROOT / "layers" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
def test_every_layer_file_is_described(kind):
    assert f"`<plan>/{kind}.geojson`" in LAYERS_README


def test_every_cli_command_is_in_the_readme():
    main = (ROOT / "geo" / "__main__.py").read_text(encoding="utf-8")
    commands = re.findall(r'add_parser\(\s*"([a-z]+)"', main)
    assert commands
    for command in commands:
        assert f"python -m geo {command}" in README, command


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.key)
def test_every_link_parameter_is_in_the_readme(field):
    assert f"`{field.key}`" in README, f"README does not describe the link parameter {field.key!r}"


def test_every_benchmark_script_is_in_the_readme():
    for script in sorted((ROOT / "bench").glob("*.py")):
        assert f"bench/{script.name}" in README + LAYERS_README, script.name


def test_readme_opens_with_the_two_commands():
    first_block = re.search(r"```bash\n(.*?)```", README, re.DOTALL).group(1)
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()] == ["make run", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
