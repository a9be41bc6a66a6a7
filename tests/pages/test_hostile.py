"""Hostile input through the pages (under AppTest) and the maps and exports they make: nothing is evaluated.

Payloads and the hostile plan: tests/hostile.py; the helpers themselves: tests/unit/test_safe.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jinja2
import pytest
from streamlit.testing.v1 import AppTest

from geo import view as vm
from geo.export import FORMATS, embed_snippet
from geo.view.frameargs import sent_args
from tests.conftest import ROOT, write_plan
from tests.hostile import (
    HOSTILE_IMPORT,
    HOSTILE_TEXT,
    HOSTILE_YAML,
    TEMPLATE,
    assert_not_evaluated,
    hostile_layers,
    no_side_effect,  # noqa: F401 - an autouse fixture
    publish_hostile,
)

APP = str(ROOT / "dashboard.py")


@pytest.fixture(scope="module")
def hostile_dirs(tmp_path_factory) -> tuple[Path, Path]:
    return write_plan(tmp_path_factory.mktemp("hostile"), "hostile", HOSTILE_TEXT, HOSTILE_YAML, hostile_layers())


@pytest.fixture
def hostile_env(hostile_dirs, monkeypatch, tmp_path):
    monkeypatch.setenv("GHYZT_PLANS_DIR", str(hostile_dirs[0]))
    monkeypatch.setenv("GHYZT_LAYERS_DIR", str(hostile_dirs[1]))
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    return hostile_dirs


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
    parts += [json.dumps(sent_args(c.proto.json_args, c.proto.special_args)) for c in comps]  # as JSON, as before
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


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_export_of_a_published_hostile_plan(tmp_path, monkeypatch, fmt, lang):
    import geo.store

    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    geo.store._STORES.clear()
    pid = publish_hostile(tmp_path / "plans.sqlite3")
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


