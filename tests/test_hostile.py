"""Hostile input stays data: template syntax, markup and direction controls, on every path that shows them.

folium/branca compile a rendered map script as a Jinja2 template a second time, so text that reaches a map
script unescaped would run on the server. Each test here drives a path (a plan's map, the pages, search,
links, import, edit, publish, reopening, every export) with payloads whose evaluation would be visible:
``{{7*7}}`` shows literally (never ``49``) and a payload that would create a file creates none.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from geo import safe
from geo import view as vm
from geo.export import FORMATS, embed_snippet
from geo.view.state import ViewState
from tests.conftest import CHROMIUM, MAP_FRAME, ROOT, demo_layers, streamlit_server, write_plan

APP = str(ROOT / "dashboard.py")
SENTINEL = Path("/tmp/ghyzt-hostile-ran")  # what the side-effect payload would create

#: Template syntax of Jinja2 (and of JavaScript templating), markup and controls.
TEMPLATE = [
    "{{7*7}}",
    "{% if true %}SSTIBLOCK{% endif %}",
    "{# open comment",
    "}}{{",
    "{{constructor.constructor('alert(1)')()}}",
    f"{{{{ cycler.__init__.__globals__.os.popen('touch {SENTINEL}').read() }}}}",
    "{{ lipsum.__globals__.os.getpid() }}",
    "${7*7} #{7*7} %>",
]
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))"]
CONTROLS = ["\u202e反转\u202c", "\u2066隔离\u2069", "零\u200b宽\ufeff", "\u200f"]
PAYLOADS = TEMPLATE + MARKUP + CONTROLS

HOSTILE_TEXT = f"""测试市{{{{7*7}}}}空间规划{{% if true %}}SSTIBLOCK{{% endif %}}
一、总体要求
（1）推进区域协调发展{TEMPLATE[5]}，甲县率先。
（2）甲县和乙县共同建设{{{{constructor.constructor('alert(1)')()}}}}。
二、空间布局
（一）做强核心。建设{{{{7*7}}}}核心区{{# c，\u202e反转。
（二）联通走廊。打造甲乙走廊}}}}{{{{，连接甲县与乙县。
"""

#: A plan to paste on the Import page, template syntax in its title, clauses and names.
HOSTILE_IMPORT = f"""长沙市推进区域协调发展实施方案{{{{7*7}}}}{{% if true %}}SSTIBLOCK{{% endif %}}
一、空间格局{TEMPLATE[5]}
（一）构建“一核两翼”格局。“一核”包括岳麓区{{{{7*7}}}}、天心区、开福区。北翼以望城区为重点{{# c，南翼以长沙县为重点。
（二）推进长株潭一体化，打造长沙—株洲—湘潭发展轴}}}}{{{{。{{{{constructor.constructor('alert(1)')()}}}}
二、开放合作
（三）主动融入粤港澳大湾区，深化与武汉的合作\u202e，加快浏阳经济技术开发区建设。
"""

HOSTILE_YAML = """id: hostile
seed: 901_hostile.txt
title: "测试市{{7*7}}空间规划{% if true %}SSTIBLOCK{% endif %}"
title_en: "Test {{7*7}} plan"
issuer: "{{ lipsum.__globals__.os.getpid() }}"
date: 2020-01-01
doc_number: null
source: null
anonymised: null
jurisdiction:
  adcode: "510700"
  name: "测试市{{7*7}}"
  stated: true
  clues: []
"""


def hostile_layers() -> dict[str, dict]:
    """The demo layers with template payloads in every text field a panel, tooltip or legend shows."""
    layers = demo_layers()
    for collection in layers.values():
        for feat in collection["features"]:
            feat["properties"]["plan"] = "hostile"
    core = layers["core"]["features"][0]["properties"]
    core.update(name="核{{7*7}}心\u202e反", name_en="core {{7*7}}", role="{% if true %}SSTIBLOCK{% endif %}",
                precision_note=TEMPLATE[5], inferred={"place": "{{7*7}}", "clue": "{# c"},
                clauses=["二.(一)"], excerpts=[{"clause": "二.(一)", "text": "建设{{7*7}}核心区"}])
    layers["corridor"]["features"][0]["properties"].update(
        name="走廊}}{{", excerpts=[{"clause": "二.(二)", "text": "打造甲乙走廊}}{{"}])
    layers["node"]["features"][0]["properties"].update(name="{{ lipsum.__globals__.os.getpid() }}")
    return layers


@pytest.fixture(scope="module")
def hostile_dirs(tmp_path_factory) -> tuple[Path, Path]:
    return write_plan(tmp_path_factory.mktemp("hostile"), "hostile", HOSTILE_TEXT, HOSTILE_YAML, hostile_layers())


@pytest.fixture
def hostile_env(hostile_dirs, monkeypatch, tmp_path):
    monkeypatch.setenv("GHYZT_PLANS_DIR", str(hostile_dirs[0]))
    monkeypatch.setenv("GHYZT_LAYERS_DIR", str(hostile_dirs[1]))
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    return hostile_dirs


@pytest.fixture(autouse=True)
def no_side_effect():
    """Every test: the side-effect payload must never have run."""
    SENTINEL.unlink(missing_ok=True)
    yield
    assert not SENTINEL.exists(), "a plan text ran a shell command on the server"


def assert_not_evaluated(text: str) -> None:
    """No trace of an evaluated payload: no block output, no ``49`` where ``{{7*7}}`` stood."""
    for m in re.finditer("SSTIBLOCK", text):  # shown literally it follows the block's "%}", in some escape
        assert text[:m.start()].endswith(("}", "&#125;", "u007d", "\\}")), "a template block was evaluated"
    assert not re.search(r"(核|测试市|Test |改)49", text), "a template expression was evaluated"


# --------------------------------------------------------------------------- the one helper


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_json_is_inert_in_a_template_and_reads_back(payload):
    value = {"name": payload, "list": [payload, 1, None], "nested": {"k": payload}}
    embedded = safe.script_json(value)
    assert jinja2.Template(embedded).render() == embedded  # a second compile changes nothing
    assert "</" not in embedded and "<" not in embedded
    back = json.loads(embedded)
    assert back["name"] == safe.BIDI_CONTROLS.sub("\ufffd", payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_html_is_inert_in_a_template(payload):
    out = safe.escape_html(payload)
    assert jinja2.Template(out).render() == out
    assert "<" not in out and "{" not in out and "%" not in out
    assert not safe.BIDI_CONTROLS.search(out)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_template_inert_data_survives_folium_tojson_and_a_second_compile(payload):
    data = safe.template_inert({"tooltip": f"<b>{safe.escape_html(payload)}</b>", "raw": payload})
    dumped = jinja2.Template("{{ d|tojson }}").render(d=data)
    assert jinja2.Template(dumped).render() == dumped


@settings(max_examples=300, deadline=None)
@given(hs.recursive(hs.none() | hs.booleans() | hs.integers() | hs.text(alphabet=hs.sampled_from(
    list("{}%#<>&'\"\\/ab 核\n") + ["\u2028", "\u202e", "\u200b"])),
    lambda children: hs.lists(children, max_size=4) | hs.dictionaries(hs.text(max_size=4), children, max_size=4),
    max_leaves=12))
def test_script_json_fuzz(value):
    embedded = safe.script_json(value)
    assert jinja2.Template(embedded).render() == embedded
    assert "<" not in embedded and "\u2028" not in embedded
    json.loads(embedded)


@settings(max_examples=300, deadline=None)
@given(hs.text(alphabet=hs.sampled_from(list("{}%#<>&'\"核\n ab") + ["\u202e", "\u2066"])),
       hs.lists(hs.tuples(hs.integers(-3, 40), hs.integers(-3, 40)), max_size=4))
def test_text_to_html_fuzz(text, spans):
    for out in (vm.highlight_html(text, spans), vm.clause_html("一.(1)", text, spans), vm.pre_html(text)):
        assert jinja2.Template(out).render() == out
        assert not re.search(r"<(?!/?(mark|br|div|span|p)\b)", out), out
        assert not safe.BIDI_CONTROLS.search(out)
    assert "<" not in vm.md_escape(text).replace("\\<", "")


@settings(max_examples=300, deadline=None)
@given(hs.dictionaries(hs.sampled_from(["plan", "f", "c", "q", "layers", "z", "center", "lang", "vs", "base", "x"]),
                       hs.lists(hs.text(alphabet=hs.sampled_from(list("{}%#<>'\"&=,.-_ az09核") + ["\u202e"]),
                                        max_size=30), min_size=1, max_size=2)))
def test_url_parser_fuzz(params):
    state, _ = ViewState.from_query_params(params)
    back, notices = ViewState.from_query_params(state.to_query_params())
    assert back == state and not [n for n in notices if n.code != "unknown_key"]


# --------------------------------------------------------------------------- maps


def test_every_map_script_of_a_hostile_plan_evaluates_nothing(hostile_env):
    from pages import _mapframe as mf

    data = vm.load_plan_data("hostile", *hostile_env)
    frame = mf.render_frame("map", list(data.layers.values()), "zh", "none", None, None,
                            vm.panel_data(data, "zh"), vm.jurisdiction_bounds(data))
    command = mf._command_string(vm.MapCommand(selected="de-core", clause="{{7*7}}", matches=("de-core",),
                                               link={"q": TEMPLATE[5], "plan": "hostile"}, serial=1), 0)
    for text in (frame["script"], frame["feature_group"], frame["html"], frame["header"], command):
        assert_not_evaluated(text)
    controller = frame["script"]
    assert "\\u007b\\u007b7*7\\u007d\\u007d" in controller  # the panel data holds the literal text
    assert "&#123;&#123;7*7&#125;&#125;" in frame["feature_group"].replace("\\u0026", "&")  # the tooltip
    assert "\u202e" not in controller + frame["feature_group"]


def test_overview_and_compare_maps_of_a_hostile_plan_evaluate_nothing(hostile_env):
    from pages import _mapframe as mf

    frames, _ = mf.compare_frames("hostile", "hostile", "overlay", "en", "none", None, *hostile_env)
    frame = mf.overview_frame("overview", ("hostile",), "zh", "none", None, *hostile_env)
    for f in [*frames, frame]:
        assert_not_evaluated(f["script"] + f["feature_group"])


# --------------------------------------------------------------------------- pages, search and links


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _shown(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("markdown", "caption", "info", "warning", "error", "success", "title")
             for e in getattr(at, kind)]
    parts += [e.label for e in at.expander] + [b.label for b in at.button]
    comps = at.get("component_instance")
    parts += [c.proto.json_args for c in comps]
    return "\n".join(parts)


@pytest.mark.parametrize("q", TEMPLATE + ["{{", "{%", "{#", "}}{{", "\u202e"])
def test_every_page_of_a_hostile_plan_with_a_hostile_search(hostile_env, q):
    at = _app(plan="hostile", f="de-core", q=q)
    assert not at.exception, at.exception
    assert_not_evaluated(_shown(at))
    for page in ("pages/text.py", "pages/overview.py", "pages/import.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert_not_evaluated(_shown(at))


def test_the_title_shows_the_template_literally(hostile_env):
    at = _app(plan="hostile", f="de-core")
    shown = _shown(at)
    assert "\\{\\{7\\*7\\}\\}" in shown or "&#123;&#123;7*7&#125;&#125;" in shown or "{{7*7}}" in shown
    assert_not_evaluated(shown)


@pytest.mark.parametrize("params", [
    {"plan": "guizhou", "q": "{{"}, {"plan": "guizhou", "q": "{%"}, {"plan": "guizhou", "q": "{#"},
    {"plan": "guizhou", "q": "}}{{"}, {"plan": "{{7*7}}"}, {"plan": "guizhou", "f": "{{7*7}}"},
    {"plan": "guizhou", "c": "{%"}, {"plan": "guizhou", "layers": "{{7*7}},core"}, {"vs": "{{7*7}}"},
], ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_hostile_link_parameters_are_a_notice_not_a_traceback(params):
    at = _app(**params)
    assert not at.exception, at.exception
    assert_not_evaluated(_shown(at))


# --------------------------------------------------------------------------- import, edit, publish, reopen


def test_import_edit_publish_and_reopen_a_hostile_plan(tmp_path, monkeypatch):
    import geo.store

    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at = at.switch_page("pages/import.py").run()
    at.text_area(key="imp_paste").input(HOSTILE_IMPORT)
    at = at.button[0].click().run()
    assert not at.exception, at.exception
    assert_not_evaluated(_shown(at))
    at.button(key="imp_open").click().run()
    at = at.switch_page("pages/map.py").run()
    assert not at.exception, at.exception
    plan = at.query_params["plan"]
    draft = at.session_state["ghyzt_drafts"][plan]
    fid = next(f["id"] for f in draft.collection["features"] if f["properties"]["name"] == "北翼")
    at.selectbox(key=f"edit_feature_{plan}").set_value(fid).run()
    at.text_input(key=f"edit_name_{plan}_{fid}").input("改{{7*7}}名\u202e" + TEMPLATE[5])
    next(b for b in at.button if "改名" in b.label).click().run()
    assert not at.exception, at.exception
    assert_not_evaluated(_shown(at))
    at.button(key="edit_save").click().run()
    assert not at.exception, at.exception
    pid = at.query_params["plan"]
    assert re.fullmatch(r"[a-z]{16}", pid)
    for opened in list(geo.store._STORES.values()):  # a fresh server: no store object, no cache
        opened.close()
    geo.store._STORES.clear()
    reopened = _app(plan=pid, f=fid)
    assert not reopened.exception, reopened.exception
    shown = _shown(reopened)
    assert_not_evaluated(shown)
    assert "7*7" in shown.replace("\\*", "*")


# --------------------------------------------------------------------------- exports


def _publish_hostile(store_path: Path) -> str:
    """Publish the hostile plan into a SQLite store at ``store_path``; its id."""
    from geo.store import SQLitePlanStore

    features = [f for c in hostile_layers().values() for f in c["features"]]
    store = SQLitePlanStore(store_path)
    try:
        return store.save("测试市{{7*7}}空间规划", HOSTILE_TEXT,
                          {"adcode": "510700", "name": "测试市{{7*7}}", "stated": True, "clues": []},
                          {"type": "FeatureCollection", "features": features})
    finally:
        store.close()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_export_of_a_published_hostile_plan(tmp_path, monkeypatch, fmt, lang):
    import geo.store

    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    geo.store._STORES.clear()
    pid = _publish_hostile(tmp_path / "plans.sqlite3")
    data = vm.stored_plan_export(pid, fmt, (), lang, selected="de-core", clause="二.(一)", dpi=60)
    assert data
    if fmt in ("geojson", "csv"):
        text = data.decode("utf-8-sig")
        assert "{{7*7}}" in text  # data files keep the text as it is: data, never evaluated
        assert not re.search(r"(核|测试市)49", text)


def test_the_embed_snippet_escapes_a_hostile_title():
    snippet = embed_snippet("http://10.1.2.3:8501/?plan=x&q=%7B%7B7*7%7D%7D", title="{{7*7}}<script>\u202e")
    assert jinja2.Template(snippet).render() == snippet
    assert "<script>" not in snippet and "\u202e" not in snippet and "{" not in snippet


# --------------------------------------------------------------------------- a fresh server, in a browser


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_a_fresh_server_opening_a_published_hostile_plan_runs_nothing(browser, tmp_path):
    store_path = tmp_path / "plans.sqlite3"
    pid = _publish_hostile(store_path)
    with streamlit_server("dashboard.py", env={"GEO_STORE_PATH": str(store_path)}) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 950})
        page = ctx.new_page()
        page.set_default_timeout(90000)
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(f"{url}/?plan={pid}&f=de-core&q=%7B%7B7*7%7D%7D")
            frame = page.frame_locator(MAP_FRAME)
            heading = frame.locator('.ghyzt-panel[data-feature="de-core"] h3')
            heading.wait_for()
            assert heading.inner_text() == "核{{7*7}}心\ufffd反"  # literal, the direction control shown as �
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
            page.screenshot(path=str(tmp_path / "hostile-map.png"))
            body = page.inner_text("body")
            assert "{{7*7}}" in body and not re.search(r"(核|测试市)49", body)
            page.goto(f"{url}/text?plan={pid}&q=%7B%25")
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
            assert "Traceback" not in page.inner_text("body")
        finally:
            ctx.close()
    assert not dialogs, dialogs
    assert not [e for e in errors if "alert" in e], errors


# --------------------------------------------------------------------------- the safe way is the only way

#: Every value our own map templates write, and why it is inert (see geo/safe.py).
TEMPLATE_FIELDS = {
    "this.css": "our stylesheet (GhyztChrome), no plan text",
    "this._parent": "the map's variable name",
    "this.position_json": "a Leaflet corner of ours, through script_json (Legend.__init__)",
    "this.html_json": "the legend: escape_html, then script_json (Legend.__init__)",
    "this.js": "the controller: plan data through script_json (MapController.render)",
    "this.command_json": "the command: script_json (_Command.__init__)",
}


def test_every_value_our_map_templates_write_is_known_to_be_inert():
    """A new ``{{ this.x }}`` in a map template must say here how its data is made inert."""
    written = set()
    for path in (ROOT / "geo").rglob("*.py"):
        written |= set(re.findall(r"\{\{\s*(this\.[A-Za-z_]+)", path.read_text(encoding="utf-8")))
    assert written <= set(TEMPLATE_FIELDS), sorted(written - set(TEMPLATE_FIELDS))
    assert not [p for p in (ROOT / "geo").rglob("*.py") if "|tojson" in p.read_text(encoding="utf-8")
                and "Template(" in p.read_text(encoding="utf-8")], "use geo.safe.script_json, not |tojson"
