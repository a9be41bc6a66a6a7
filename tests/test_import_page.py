"""The 导入 Import page alone: AppTest of pages/import.py, and a real browser importing a hostile text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.decode import MAX_TEXT_BYTES
from geo.store import SQLitePlanStore
from tests.conftest import CHROMIUM, ROOT, streamlit_server

PAGE = str(ROOT / "pages" / "import.py")

PLAN = """长沙市推进区域协调发展实施方案
一、空间格局
（一）构建“一核两翼”格局。“一核”包括岳麓区、天心区、开福区。北翼以望城区为重点，南翼以长沙县为重点。
（二）推进长株潭一体化，打造长沙—株洲—湘潭发展轴。
二、开放合作
（三）主动融入粤港澳大湾区，深化与武汉的合作，加快浏阳经济技术开发区建设。
"""

#: Markup a pasted plan may carry: it must show as text everywhere and never run.
HOSTILE = """<script>alert('title')</script>长沙市推进区域协调发展实施方案<img src=x onerror=alert('img')>
一、空间格局<script>alert(1)</script>
（一）构建“一核两翼”格局。“一核”包括岳麓区<img src=x onerror=alert('core')>、天心区、开福区。详见[链接](javascript:alert('md'))。
（二）推进长株潭一体化，打造长沙—株洲—湘潭<svg onload=alert('svg')>发展轴。<a href="javascript:alert('a')">点此</a>
二、开放合作
（三）深化与武汉<iframe src="javascript:alert('frame')"></iframe>的合作，加快浏阳经济技术开发区建设。
（四）北翼以望城区为重点<b onmouseover=alert('b')>加粗</b>。
"""


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    at = AppTest.from_file(PAGE, default_timeout=120)
    return at.run()


def draft_from(at: AppTest, text: str) -> AppTest:
    at.text_area(key="imp_paste").input(text)
    return at.button[0].click().run()


def map_args(at: AppTest) -> dict:
    comps = at.get("component_instance")
    assert comps, "no map on the page"
    return json.loads(comps[0].proto.json_args)


def test_starts_with_the_input_only(page):
    assert not page.exception
    assert page.text_area(key="imp_paste") is not None
    assert not page.get("component_instance")
    assert any("5 MB" in c.value for c in page.caption)  # the size limit is stated


def test_empty_input_is_a_message_not_a_traceback(page):
    page.button[0].click().run()
    assert not page.exception
    assert [e.value for e in page.error] and "paste a plan" in page.error[0].value


def test_too_large_a_paste_is_refused(page):
    at = draft_from(page, PLAN + "区" * (MAX_TEXT_BYTES // 3))
    assert not at.exception
    assert "too large" in at.error[0].value and not at.get("component_instance")


def test_a_pasted_plan_becomes_a_draft_map(page):
    at = draft_from(page, PLAN)
    assert not at.exception, at.exception
    args = map_args(at)
    assert "L.geoJson" in args["script"] or "geo_json" in args["script"]
    assert not [u for u in args["js_links"] + args["css_links"] if u.startswith(("http:", "https:", "//"))]
    texts = [t.value for t in at.text]
    assert any("长沙市推进区域协调发展实施方案" in t for t in texts)
    assert any("标题写明" in t for t in texts)  # the jurisdiction and why
    table = at.dataframe[0].value
    assert {"一核", "北翼", "南翼"} <= set(table["name"])


def test_edits_through_the_page(page):
    at = draft_from(page, PLAN)
    wing = next(f["id"] for f in at.session_state["imp_fc"]["features"] if f["properties"]["name"] == "北翼")
    at.selectbox(key="imp_target").set_value(wing)
    at.selectbox(key="imp_place_None").set_value("430181")  # 浏阳市, as if clicked on the map
    at.button(key="imp_add").click().run()
    assert not at.exception
    after = {f["id"]: f for f in at.session_state["imp_fc"]["features"]}
    assert after[wing]["properties"]["members"] == ["430112", "430181"]
    rows = at.dataframe[0].value
    assert "浏阳市" in rows[rows["id"] == wing]["members"].iloc[0]


def test_the_planner_picks_another_jurisdiction(page):
    at = draft_from(page, PLAN)
    at.text_input(key="imp_q").input("湖南").run()
    assert at.selectbox(key="imp_hit").value == "430000"
    at.button(key="imp_hit_go").click().run()
    assert not at.exception
    assert at.session_state["imp_juris_used"] == "430000"


def test_save_gives_a_link_that_opens_the_same_plan(page, tmp_path):
    at = draft_from(page, PLAN)
    at.button(key="imp_save").click().run()
    assert not at.exception
    pid = at.session_state["imp_saved"]
    assert re.fullmatch(r"[a-z]{16}", pid)
    assert any(f"/?plan={pid}" == c.value for c in at.code)
    stored = SQLitePlanStore(tmp_path / "plans.sqlite3").get(pid)
    assert stored.text == PLAN and stored.layers["features"] == [
        {**f, "properties": {**f["properties"], "plan": pid}} for f in at.session_state["imp_fc"]["features"]]


def test_hostile_text_is_shown_as_text(page):
    at = draft_from(page, HOSTILE)
    assert not at.exception, at.exception
    for md in at.markdown:
        assert not md.proto.allow_html or "<script" not in md.value
    for el in list(at.markdown) + list(at.caption) + list(at.error) + list(at.info):
        assert not re.search(r"(?<!\\)\]\(javascript", str(el.value or ""))
    args = map_args(at)
    # tooltips carry names escaped; no tag of the text survives in the map's script
    for tag in ("<script>alert", "<img src=x", "<svg onload", "<iframe"):
        assert tag not in args["script"] and tag not in (args.get("feature_group") or "")


# --------------------------------------------------------------------------- in a real browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _import_page(tmp: Path):
    """The Import page on its own, served like the dashboard (same config, same offline static/)."""
    app = tmp / "app"
    (app / ".streamlit").mkdir(parents=True)
    (app / ".streamlit" / "config.toml").write_text((ROOT / ".streamlit" / "config.toml").read_text())
    (app / "static").symlink_to(ROOT / "static")
    (app / "import_app.py").write_text(
        f"import runpy, sys\nsys.path.insert(0, {str(ROOT)!r})\nrunpy.run_path({PAGE!r}, run_name='__main__')\n")
    env = {"GEO_STORE_PATH": str(tmp / "plans.sqlite3"), "PYTHONPATH": str(ROOT)}
    return streamlit_server("import_app.py", cwd=app, env=env)


#: Anything the hostile text could have planted in a document, as a DOM query.
PLANTED_JS = """
() => {
  const bad = [];
  for (const s of document.querySelectorAll("script")) if (/alert\\(/.test(s.textContent)) bad.push("script");
  for (const sel of ["img[onerror]", "svg[onload]", "[onmouseover]", "iframe[src^='javascript']",
                     "a[href^='javascript']"]) if (document.querySelector(sel)) bad.push(sel);
  return bad;
}
"""


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_hostile_text_runs_nothing_in_a_browser(tmp_path, browser):
    with _import_page(tmp_path) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.set_default_timeout(90000)
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_selector(READY)
        page.locator("textarea").first.fill(HOSTILE)
        page.get_by_role("button", name=re.compile("生成草图")).click()
        page.wait_for_selector(MAP_FRAME)
        page.wait_for_selector(READY)
        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".leaflet-interactive").first.wait_for()
        # hover every shape so that each tooltip (the feature's name, from the text) is rendered
        box = page.locator(MAP_FRAME).bounding_box()
        for x in range(60, int(box["width"]) - 60, 90):
            for y in range(40, int(box["height"]) - 40, 90):
                page.mouse.move(box["x"] + x, box["y"] + y)
        page.locator(MAP_FRAME).scroll_into_view_if_needed()
        page.get_by_role("button", name=re.compile("保存")).click()
        page.wait_for_selector(READY)
        page.get_by_text(re.compile(r"/\?plan=[a-z]{16}")).first.wait_for()
        body = page.inner_text("body")
        # shown as text: the pasted plan, and the first feature's excerpt (“一核”包括岳麓区<img …>)
        assert "<script>alert(1)</script>" in page.locator("textarea").first.input_value()
        assert "<img src=x onerror=alert('core')>" in body, body[:2000]
        planted = page.evaluate(PLANTED_JS)
        in_frames = [f.evaluate(PLANTED_JS) for f in page.frames if f != page.main_frame]
        ctx.close()
    assert not dialogs, dialogs
    assert not planted and not any(in_frames), (planted, in_frames)
    assert not [e for e in errors if "alert" in e], errors
