"""What only a browser shows: clicks on the map, layer toggles, shared links, page switches, offline, XSS."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from geo.text.plans import plan_ids
from tests.browser.helpers import (
    CLICKABLE_JS,
    IN_VIEW_JS,
    READY,
    click_feature,
    map_frame,
    open_map,
    params,
    ready,
    settle,
    shapes,
    shot,
    sidebar_link,
)
from tests.conftest import CHROMIUM, MAP_FRAME, ROOT, streamlit_server

pytestmark = pytest.mark.browser

LOCAL = {"localhost", "127.0.0.1", "::1", "[::1]"}

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
if not (ROOT / "layers" / "guizhou" / "admin.geojson").is_file():
    pytest.skip("layers/ not built", allow_module_level=True)


def _dashboard(env: dict[str, str] | None = None):
    """`streamlit run dashboard.py` on a free port; yields its base URL."""
    return streamlit_server("dashboard.py", env=env)


# --------------------------------------------------------------------------- cases


@pytest.mark.parametrize("plan", plan_ids())
def test_each_plan_loads(page, server, plan):
    open_map(page, f"{server}/?plan={plan}")
    assert shapes(page) > 5
    settle(page)
    shot(page, f"map-{plan}")
    assert not page.errors


def test_click_a_county_shows_every_clause_naming_it(page, server):
    open_map(page, f"{server}/?plan=guizhou")
    settle(page)
    tgt = click_feature(page, "admin")
    frame = page.frame_locator(MAP_FRAME)
    panel = frame.locator(f'.ghyzt-panel[data-feature="{tgt["id"]}"]')
    panel.locator("mark.ghyzt-hl").first.wait_for()  # the excerpt, marked inside its clause
    assert panel.locator('[data-testid="ghyzt-mention"]').count() == 1
    # the page follows: URL and the list of every clause below the map
    page.wait_for_selector(f'.ghyzt-list[data-feature="{tgt["id"]}"]')
    ready(page)
    assert params(page.url)["f"] == [tgt["id"]]
    assert page.locator(".ghyzt-clause mark.ghyzt-hl").count() >= 1
    shot(page, "map-county-click")
    assert not page.errors


def test_next_mention_and_the_text_link(page, server):
    open_map(page, f"{server}/?plan=guizhou&f=gz-bri")
    settle(page)
    frame = page.frame_locator(MAP_FRAME)
    panel = frame.locator('.ghyzt-panel[data-feature="gz-bri"]')
    panel.wait_for()
    panel.locator(".ghyzt-textlink").click()
    page.wait_for_url("**/text?**")
    ready(page)
    got = params(page.url)
    assert got["f"] == ["gz-bri"] and got["c"] == ["一.(二)"] and got["plan"] == ["guizhou"]
    page.locator('.ghyzt-selected[data-clause="一.(二)"]').wait_for()
    shot(page, "text-from-map")




def test_a_link_to_a_clause_opens_its_way_and_scrolls_to_it(page, server):
    page.goto(f"{server}/text?plan=guizhou&c=%E5%85%AD.(%E4%BA%8C)")  # 六.(二), far down the page
    ready(page)
    page.locator('.ghyzt-selected[data-clause="六.(二)"]').wait_for()
    page.wait_for_function(IN_VIEW_JS, arg='.ghyzt-selected[data-clause="六.(二)"]')
    assert page.locator('.ghyzt-clause[data-clause="六.(一)"]').is_visible()  # its section is open
    assert page.locator('.ghyzt-clause[data-clause="一.(一)"]').count() == 0  # the others are closed
    shot(page, "text-deep-link")
    assert not page.errors


def test_each_level_of_the_outline_opens_and_closes_on_its_own(browser, deep_dirs):
    env = {"GHYZT_PLANS_DIR": str(deep_dirs[0]), "GHYZT_LAYERS_DIR": str(deep_dirs[1])}
    with _dashboard(env) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 950})
        page = ctx.new_page()
        page.set_default_timeout(60000)
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        leaf = page.locator('.ghyzt-clause[data-clause="第一章.一.(一).1"]')

        def line(label: str):
            return page.locator('[data-testid="stExpander"] summary', has_text=label).first

        try:
            page.goto(f"{url}/text?plan=deep")
            ready(page)
            line("第一章 总体布局").wait_for()
            assert leaf.count() == 0 and line("一 空间结构").count() == 0
            line("第一章 总体布局").click()
            line("一 空间结构").click()
            line("(一) 核心引领").click()
            leaf.wait_for()
            ready(page)
            assert page.locator('.ghyzt-clause[data-clause="第一章.一.(二).1"]').count() == 0  # a sibling, closed
            shot(page, "text-tree-open")
            line("第一章 总体布局").click()  # closing a section hides all below it
            leaf.wait_for(state="hidden")
            ready(page)
            line("第一章 总体布局").click()  # and opening it again shows them as they were
            leaf.wait_for()
            ready(page)
            # a chip under the clause opens the Map page with its feature selected
            page.locator('[data-testid="stPageLink"] a', has_text="甲核心").first.click()
            page.frame_locator(MAP_FRAME).locator('.ghyzt-panel[data-feature="dp-core"]').wait_for()
            assert params(page.url)["f"] == ["dp-core"] and params(page.url)["c"] == ["第一章.一.(一).1"]
            page.locator('[data-testid="stSidebar"] a', has_text="条文").click()
            page.wait_for_url("**/text?**")
            page.locator('.ghyzt-selected[data-clause="第一章.一.(一).1"]').wait_for()
            page.wait_for_function(IN_VIEW_JS, arg=".ghyzt-selected")
            assert not errors, errors
        finally:
            ctx.close()


def test_toggle_a_corridor_layer_keeps_the_map(page, server):
    open_map(page, f"{server}/?plan=guizhou")
    settle(page)
    frame = map_frame(page)
    frame.evaluate("() => { window.__mounted = 'yes'; }")
    before = shapes(page)
    page.locator('[data-testid="stSidebar"] button', has_text="廊道").first.click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('layers')")
    ready(page)
    page.wait_for_function(
        f"n => document.querySelector('{MAP_FRAME}').contentDocument"
        ".querySelectorAll('.leaflet-interactive').length !== n", arg=before)
    after = shapes(page)
    assert after < before
    assert "corridor" not in params(page.url)["layers"][0].split(",")
    assert map_frame(page).evaluate("() => window.__mounted") == "yes", "the map was remounted"
    shot(page, "map-corridors-off")


def test_a_click_sends_the_map_frame_nothing(page, server):
    # What a click costs the browser (bench/actions.py, README: Deployment) rests on this: the frame shows the
    # selection itself, and the rerun that follows leaves the map's arguments as they were, so Streamlit
    # posts the frame no new render (which would re-evaluate all its layers) and never remounts it.
    open_map(page, f"{server}/?plan=guizhou")
    settle(page)
    frame = map_frame(page)
    frame.evaluate("""() => {
        window.__mounted = 'yes';
        window.__renders = 0;
        window.addEventListener('message', (e) => {
            if (e.data && e.data.type === 'streamlit:render') { window.__renders += 1; }
        });
    }""")
    tgt = click_feature(page, "admin")
    page.wait_for_selector(f'.ghyzt-list[data-feature="{tgt["id"]}"]')
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('f') === {tgt['id']!r}")
    ready(page)
    page.wait_for_timeout(500)  # a late rerun (the map's debounced report) would post here
    assert frame.evaluate("() => [window.__mounted, window.__renders]") == ["yes", 0]
    assert frame.locator(".leaflet-container").get_attribute("data-selected") == tgt["id"]  # the halo's feature
    assert not page.errors


def test_copied_link_restores_the_view_in_a_fresh_browser(page, server, browser):
    open_map(page, f"{server}/?plan=qujing&layers=admin,core,corridor,node")
    settle(page)
    tgt = click_feature(page)
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('f') === {tgt['id']!r}")
    ready(page)
    link = sidebar_link(page)
    assert link.startswith(server) and params(link) == params(page.url)
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    other = ctx.new_page()
    try:
        open_map(other, link)
        ready(other)
        frame = other.frame_locator(MAP_FRAME)
        frame.locator(f'.ghyzt-panel[data-feature="{tgt["id"]}"]').wait_for()
        assert frame.locator(".leaflet-container").get_attribute("data-selected") == tgt["id"]
        got = params(other.url)
        assert got["plan"] == ["qujing"] and got["layers"] == ["admin,core,corridor,node"]
        assert got["f"] == [tgt["id"]] and got["z"] == params(link)["z"]
        shot(other, "link-restored")
    finally:
        ctx.close()


def test_a_pan_reported_before_the_clicks_address_arrived_keeps_the_click(page, server):
    """The map panned right after a click: its view report (250 ms after the map stops) can leave the browser
    before the click's address has reached it, and its run then starts from the address without the click (on a
    loaded machine, as in the full suite; pages/_view.py `view_params`). Made to happen every time here: the
    server's messages to the browser are held back from the click until the pan's report has left, then
    delivered in order. Both runs done, the address holds the click's feature and the panned view."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    hold, held, up, routes = [False], [], [], []

    def route(ws) -> None:
        routes.append(ws)
        server_ws = ws.connect_to_server()
        server_ws.on_message(lambda m: held.append(m) if hold[0] else ws.send(m))
        ws.on_message(lambda m: (up.append(m), server_ws.send(m)))

    def finished(messages) -> int:
        return sum(1 for m in messages if isinstance(m, bytes)
                   and ForwardMsg.FromString(m).WhichOneof("type") == "script_finished")

    def until(condition, what: str) -> None:
        for _ in range(600):
            if condition():
                return
            page.wait_for_timeout(100)  # (Playwright delivers the socket's messages meanwhile)
        raise AssertionError(what)

    page.route_web_socket("**/_stcore/stream", route)
    open_map(page, f"{server}/?plan=qujing&layers=admin,core,corridor,node")
    settle(page)
    center = params(page.url)["center"][0]
    hold[0] = True
    tgt = click_feature(page)
    until(lambda: finished(held) >= 1, "the click's run did not finish")  # its address is written, not delivered
    sent = len(up)
    map_frame(page).evaluate("() => window.map.panBy([80, 40], {animate: false})")
    until(lambda: len(up) > sent, "the pan was not reported")  # with the address from before the click
    while held:  # delivered in order; what comes meanwhile waits behind them (handlers run during these calls)
        routes[-1].send(held.pop(0))
    hold[0] = False
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('center') !== {center!r}")
    ready(page)
    assert params(page.url).get("f") == [tgt["id"]], page.url
    page.locator(f'.ghyzt-list[data-feature="{tgt["id"]}"]').wait_for()
    assert params(sidebar_link(page)) == params(page.url)


def test_switching_pages_keeps_the_state(page, server):
    open_map(page, f"{server}/?plan=wangcang&lang=en&layers=admin,core,node")
    settle(page)
    click_feature(page)
    # 旺苍's points crowd its seat at this zoom, over the core that covers the county, and on a loaded machine
    # the click has landed on the core: whichever feature it selected, that selection must survive (that the
    # shape under the mouse is the one selected is test_click_a_county_shows_every_clause_naming_it's matter)
    page.wait_for_function("() => new URLSearchParams(location.search).has('f')")
    ready(page)
    before = params(page.url)
    selected = before["f"][0]
    page.locator('[data-testid="stSidebar"] a', has_text="Text").click()
    page.wait_for_url("**/text?**")
    ready(page)
    assert params(page.url) == before
    page.get_by_text("Full-text search").wait_for()
    shot(page, "text-en")
    page.locator('[data-testid="stSidebar"] a', has_text="Overview").click()
    page.wait_for_url("**/overview?**")
    ready(page)
    assert params(page.url) == before
    shot(page, "overview-en")
    page.locator('[data-testid="stSidebar"] a', has_text="Map").click()
    ready(page)
    page.frame_locator(MAP_FRAME).locator(f'.ghyzt-panel[data-feature="{selected}"]').wait_for()
    assert params(page.url)["f"] == before["f"]


def test_offline_no_request_leaves_the_machine(page, server):
    outside, failed = [], []

    def route(r):
        host = urlsplit(r.request.url).hostname or ""
        if host not in LOCAL and not r.request.url.startswith(("data:", "blob:", "about:")):
            outside.append(r.request.url)
            return r.abort()
        return r.continue_()

    page.context.route("**/*", route)
    # an asset that did not come: a network error (not a request cancelled by the page itself) or an HTTP error
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and failed.append(f"{r.url} {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.url} {r.status}"))
    open_map(page, f"{server}/?plan=mianyang")
    settle(page)
    click_feature(page)
    page.frame_locator(MAP_FRAME).locator(".ghyzt-panel[data-feature] mark").first.wait_for()
    page.locator(".ghyzt-list").wait_for()
    ready(page)
    page.wait_for_load_state("networkidle")  # leaving earlier would abort chunks still loading
    page.goto(f"{server}/overview")
    ready(page)
    page.frame_locator(MAP_FRAME).locator(".leaflet-interactive").first.wait_for()
    assert not outside, outside
    assert not [u for u in failed if "/_stcore/" not in u], failed


def test_hostile_plan_runs_nothing(browser, demo_dirs):
    env = {"GHYZT_PLANS_DIR": str(demo_dirs[0]), "GHYZT_LAYERS_DIR": str(demo_dirs[1])}
    with _dashboard(env) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 950})
        page = ctx.new_page()
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        ctx.on("page", lambda p: dialogs.append("popup " + p.url))
        try:
            # first request of a fresh server, to a page other than the map: still runs dashboard.py
            page.goto(f"{url}/text?plan=demo&q=script")
            page.get_by_text("<script>alert('x')</script>", exact=False).first.wait_for()
            page.wait_for_function(
                "() => [...document.querySelectorAll('[data-testid=stSidebar] a')].map(a => a.innerText.trim())"
                ".join('|') === '地图|条文|总览|目录|导入'")  # dashboard.py's navigation, not the pages-folder one
            ready(page)
            page.get_by_text("<script>alert('x')</script>", exact=False).first.wait_for()
            assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
            assert page.evaluate("() => [...document.querySelectorAll('a[href^=\"javascript\"]')].length") == 0
            shot(page, "xss-text")
            open_map(page, f"{url}/?plan=demo&f=de-core&q=%E7%94%B2")
            frame = page.frame_locator(MAP_FRAME)
            panel = frame.locator('.ghyzt-panel[data-feature="de-core"]')
            panel.wait_for()
            assert "<img src=x onerror=alert(1)>" in panel.locator("h3").inner_text()
            ready(page)
            for target in (page, map_frame(page)):
                assert target.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
                assert target.evaluate(
                    "() => [...document.querySelectorAll('a[href^=\"javascript\"]')].length") == 0
            tgt = click_feature(page, "admin")
            frame.locator(f'.ghyzt-panel[data-feature="{tgt["id"]}"] mark').first.wait_for()
            ready(page)
            shot(page, "xss-map")
            page.wait_for_timeout(300)
            assert not dialogs, dialogs
            assert not errors, errors
        finally:
            ctx.close()


def test_a_link_to_an_imported_plan_opens_it_for_a_colleague(browser, tmp_path):
    """Save a draft in the plan store, then open `/?plan=<id>` in a fresh browser: the same map."""
    from geo.importer.draft import draft_plan
    from geo.places.gazetteer import load_gazetteer
    from geo.store import SQLitePlanStore

    text = (ROOT / "data" / "plans" / "qujing" / "original.txt").read_text(encoding="utf-8")[:3000]
    draft = draft_plan(text, load_gazetteer())
    store_path = tmp_path / "plans.sqlite3"
    j = draft.jurisdiction
    plan_id = SQLitePlanStore(store_path).save(
        "曲靖导入测试", text, {"adcode": j.adcode, "name": j.name, "level": j.level, "stated": j.stated,
                        "reason": j.reason}, draft.collection)
    with _dashboard({"GEO_STORE_PATH": str(store_path)}) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 950})
        page = ctx.new_page()
        page.set_default_timeout(60000)
        try:
            # every layer the draft has (nodes are off by default): its 多点, a node at several seats, is drawn
            kinds = ",".join(sorted({f["properties"]["kind"] for f in draft.collection["features"]}))
            frame = open_map(page, f"{url}/?plan={plan_id}&layers={kinds}")
            assert frame.locator(".leaflet-interactive").count() > 10
            assert f"plan={plan_id}" in page.url  # not the default plan: the link was honoured
            # the page names the imported plan by the title it was saved with
            page.wait_for_function("() => document.body.innerText.includes('曲靖导入测试')")
            # a click opens its clause (the draft's 多点 is a node at several seats, a MultiPoint: it once broke
            # every click of the map, `getElement is not a function`)
            assert any(f["geometry"] and f["geometry"]["type"] == "MultiPoint" for f in draft.collection["features"])
            ready(page)
            tgt = click_feature(page)
            frame.locator(f'.ghyzt-panel[data-feature="{tgt["id"]}"] mark.ghyzt-hl').first.wait_for()
            shot(page, "imported-plan")
        finally:
            ctx.close()


#: [south, west, north, east] of a feature's shape on the map (the map's features carry no members).
BOUNDS_JS = """
(id) => {
  for (const k in window.map._layers) {
    const l = window.map._layers[k];
    if (l.feature && l.feature.properties.id === id && l.getBounds) {
      const b = l.getBounds();
      return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()];
    }
  }
  return null;
}
"""


def _inside(inner: list[float], outer: list[float], slack: float = 1e-6) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack and inner[2] <= outer[2] + slack
            and inner[3] <= outer[3] + slack)


def test_import_edit_on_the_map_save_and_share(browser, tmp_path):
    """Paste a plan, open its draft on the Map page, click a feature, add a county by clicking it, rename it,
    save: the link opens the edited feature in a fresh browser."""
    from tests.pages.test_import_page import PLAN

    with _dashboard({"GEO_STORE_PATH": str(tmp_path / "plans.sqlite3")}) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
        page = ctx.new_page()
        page.set_default_timeout(60000)
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        try:
            page.goto(f"{url}/import")
            ready(page)
            page.locator("textarea").first.fill(PLAN)
            page.get_by_role("button", name="生成草图").click()
            page.get_by_role("button", name="在地图上查看和编辑").click()
            page.wait_for_function("() => /^draft[a-z]{38}$/.test(new URLSearchParams(location.search).get('plan'))")
            page.frame_locator(MAP_FRAME).locator(".leaflet-interactive").first.wait_for()
            settle(page)
            # click the north wing (望城区): its excerpt, marked in its clause, in the map's panel and below
            wing = next(t for t in map_frame(page).evaluate(CLICKABLE_JS, ["wing", True]) if t["id"] == "wing-1")
            box = page.locator(MAP_FRAME).bounding_box()
            page.mouse.click(box["x"] + wing["x"], box["y"] + wing["y"])
            panel = page.frame_locator(MAP_FRAME).locator(f'.ghyzt-panel[data-feature="{wing["id"]}"]')
            panel.locator("mark.ghyzt-hl").first.wait_for()
            assert panel.locator("h3").inner_text() == "北翼"
            assert "北翼以望城区为重点" in panel.locator("mark.ghyzt-hl").all_inner_texts()
            page.wait_for_function(f"() => new URLSearchParams(location.search).get('f') === {wing['id']!r}")
            ready(page)
            shot(page, "draft-selected")
            # add a county by clicking it on the map
            page.get_by_role("button", name="点击地图加入地点").click()
            page.get_by_role("button", name="完成").wait_for()
            ready(page)
            page.locator(MAP_FRAME).scroll_into_view_if_needed()
            wing_box = map_frame(page).evaluate(BOUNDS_JS, wing["id"])
            county = next(c for c in map_frame(page).evaluate(CLICKABLE_JS, ["admin", False])
                          if not _inside(map_frame(page).evaluate(BOUNDS_JS, c["id"]), wing_box))
            before = params(page.url)["plan"][0]
            box = page.locator(MAP_FRAME).bounding_box()
            page.mouse.click(box["x"] + county["x"], box["y"] + county["y"])
            page.wait_for_function(f"() => new URLSearchParams(location.search).get('plan') !== {before!r}")
            page.get_by_text("已把").wait_for()
            ready(page)
            assert params(page.url)["f"] == [wing["id"]]
            page.frame_locator(MAP_FRAME).locator(f'.ghyzt-panel[data-feature="{wing["id"]}"]').wait_for()
            shot(page, "draft-county-added")
            # rename it, then save: the URL carries the stored id
            page.get_by_role("button", name="完成").click()
            ready(page)
            before = params(page.url)["plan"][0]
            page.get_by_label("名称").fill("北翼扩展区")
            page.get_by_role("button", name="改名 / 改类型").click()
            page.wait_for_function(f"() => new URLSearchParams(location.search).get('plan') !== {before!r}")
            ready(page)
            page.frame_locator(MAP_FRAME).locator(f'.ghyzt-panel[data-feature="{wing["id"]}"] h3').wait_for()
            shot(page, "draft-renamed")
            assert page.frame_locator(MAP_FRAME).locator(".ghyzt-panel h3").inner_text() == "北翼扩展区"
            page.get_by_role("button", name="发布", exact=True).click()
            page.wait_for_function("() => /^[a-z]{16}$/.test(new URLSearchParams(location.search).get('plan'))")
            page.get_by_text("已发布").wait_for()
            ready(page)
            link = sidebar_link(page)
            assert link.startswith(url) and params(link)["plan"] == params(page.url)["plan"]
            shot(page, "draft-saved")
            assert not page.errors, page.errors
        finally:
            ctx.close()
        fresh = browser.new_context(viewport={"width": 1400, "height": 1100})
        other = fresh.new_page()
        other.set_default_timeout(60000)
        try:
            frame = open_map(other, link)
            panel = frame.locator(f'.ghyzt-panel[data-feature="{wing["id"]}"]')
            panel.wait_for()
            assert panel.locator("h3").inner_text() == "北翼扩展区"
            # the wing now covers the county clicked
            assert _inside(map_frame(other).evaluate(BOUNDS_JS, county["id"]), map_frame(other).evaluate(BOUNDS_JS, wing["id"]))
            ready(other)
            shot(other, "draft-link-in-a-fresh-browser")
        finally:
            fresh.close()


def test_a_draft_survives_a_reload_a_closed_tab_and_a_server_restart(browser, tmp_path):
    """Edit a draft, reload the page: the edit is there. Close the tab, open the Import page in a new one: My
    drafts (this browser's localStorage) lists it and opens it. Restart the server: its link still opens it."""
    from tests.pages.test_import_page import PLAN

    env = {"GEO_STORE_PATH": str(tmp_path / "plans.sqlite3")}
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
    try:
        with _dashboard(env) as url:
            page = ctx.new_page()
            page.set_default_timeout(60000)
            page.errors = []
            page.on("pageerror", lambda e: page.errors.append(str(e)))
            page.goto(f"{url}/import")
            ready(page)
            page.locator("textarea").first.fill(PLAN)
            page.get_by_role("button", name="生成草图").click()
            page.get_by_role("button", name="在地图上查看和编辑").click()
            page.wait_for_function("() => /^draft[a-z]{38}$/.test(new URLSearchParams(location.search).get('plan'))")
            page.frame_locator(MAP_FRAME).locator(".leaflet-interactive").first.wait_for()
            settle(page)
            wing = next(t for t in map_frame(page).evaluate(CLICKABLE_JS, ["wing", True]) if t["id"] == "wing-1")
            box = page.locator(MAP_FRAME).bounding_box()
            page.mouse.click(box["x"] + wing["x"], box["y"] + wing["y"])
            page.wait_for_function(f"() => new URLSearchParams(location.search).get('f') === {wing['id']!r}")
            ready(page)
            before = params(page.url)["plan"][0]
            page.get_by_label("名称").fill("北翼（望城）")
            page.get_by_role("button", name="改名 / 改类型").click()
            page.wait_for_function(f"() => new URLSearchParams(location.search).get('plan') !== {before!r}")
            ready(page)
            edited = params(page.url)["plan"][0]
            # a reload ends the browser session: the draft comes back from the store
            page.reload()
            ready(page)
            page.frame_locator(MAP_FRAME).locator(f'.ghyzt-panel[data-feature="{wing["id"]}"] h3').wait_for()
            assert page.frame_locator(MAP_FRAME).locator(".ghyzt-panel h3").inner_text() == "北翼（望城）"
            assert params(page.url)["plan"] == [edited]
            # the sidebar is drawn after the map on a reload: wait for it rather than read it at once
            page.locator('[data-testid="stSidebar"]').get_by_text("私人草图链接").first.wait_for()
            assert page.get_by_role("button", name="撤销").is_enabled()  # the undo history came back too
            shot(page, "draft-after-reload")
            assert not page.errors, page.errors
            page.close()
            # the tab closed; a new one on the Import page lists the draft under My drafts
            tab = ctx.new_page()
            tab.set_default_timeout(60000)
            tab.goto(f"{url}/import")
            ready(tab)
            tab.get_by_text("我的草图 · 1").wait_for()  # open: this session has no draft of its own yet
            tab.get_by_text("长沙市推进区域协调发展实施方案 · 最近修改或打开").wait_for()
            shot(tab, "my-drafts")
            tab.get_by_role("link", name="打开").click()
            tab.wait_for_function(f"() => new URLSearchParams(location.search).get('plan') === {edited!r}")
            tab.frame_locator(MAP_FRAME).locator(".leaflet-interactive").first.wait_for()
            ready(tab)
            name = map_frame(tab).evaluate("(id) => window.ghyztMap.data.features[id].name", wing["id"])
            assert name == "北翼（望城）"  # the edited draft is the one drawn
            tab.close()
        with _dashboard(env) as url:  # the server restarted
            other = ctx.new_page()
            other.set_default_timeout(60000)
            open_map(other, f"{url}/?plan={edited}&f={wing['id']}")
            other.frame_locator(MAP_FRAME).locator(f'.ghyzt-panel[data-feature="{wing["id"]}"] h3').wait_for()
            assert other.frame_locator(MAP_FRAME).locator(".ghyzt-panel h3").inner_text() == "北翼（望城）"
    finally:
        ctx.close()


# --------------------------------------------------------------------------- links that last (issue #12)


def test_a_first_load_names_its_plan_and_the_copy_button_copies_caption_and_link(browser, server):
    ctx = browser.new_context(viewport={"width": 1400, "height": 950},
                              permissions=["clipboard-read", "clipboard-write"])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    try:
        open_map(page, f"{server}/")
        # the address bar names the plan from the first load on: a link sent today opens the same plan later
        page.wait_for_function("() => new URLSearchParams(location.search).get('plan') === 'mianyang'")
        open_map(page, f"{server}/?plan=guizhou&f=gz-bri")
        settle(page)
        box = page.locator('[data-testid="stSidebar"] [data-testid="stCode"]')
        box.hover()
        box.locator("button").first.click()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        caption, link = copied.split("\n")
        assert caption == "贵州省 · 关于建立更加有效的区域协调发展新机制的实施意见 · 选中：“一带一路”（联系）"
        assert link.startswith(server) and params(link) == params(page.url)
        assert params(link)["plan"] == ["guizhou"] and params(link)["f"] == ["gz-bri"]
        shot(page, "link-box-copied")
    finally:
        ctx.close()


def test_a_place_other_plans_name_links_to_them_with_the_place_selected(page, server):
    page.goto(f"{server}/?plan=guizhou&f=gu-nb-500000")  # 重庆市, a neighbour of 贵州 three plans name
    ready(page)
    page.frame_locator(MAP_FRAME).locator('.leaflet-container[data-selected="gu-nb-500000"]').wait_for()
    settle(page)
    link = page.get_by_role("link", name=re.compile("渝昆高铁"))
    link.wait_for()
    shot(page, "meets-from-the-map")
    assert link.get_attribute("href").startswith(server)  # a full link, to copy or to open
    with page.context.expect_page() as opened:
        link.click()  # opens the other plan beside this one
    other = opened.value
    other.wait_for_selector(READY)
    other.frame_locator(MAP_FRAME).locator('.ghyzt-panel[data-feature="qj-rail-yukun-hsr"]').wait_for()
    assert params(other.url)["plan"] == ["qujing"] and params(other.url)["f"] == ["qj-rail-yukun-hsr"]
    shot(other, "meets-opened")
    assert not page.errors, page.errors


def test_overview_compares_two_plans_side_by_side_and_overlaid(page, server):
    page.goto(f"{server}/overview?plan=qujing&vs=guizhou")
    ready(page)
    frames = page.locator(MAP_FRAME)
    frames.nth(2).wait_for()  # the overview map, then 曲靖 and 贵州 side by side
    for i in (1, 2):
        page.frame_locator(MAP_FRAME).nth(i).locator(".leaflet-interactive").first.wait_for(state="attached")
        # the places both plans name, outlined in orange on both maps
        assert page.frame_locator(MAP_FRAME).nth(i).locator('path[stroke="#e66101"]').count() > 0
    page.get_by_text("两个规划都提到的地点：").scroll_into_view_if_needed()
    shot(page, "compare-side")
    page.get_by_text("叠加", exact=True).click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('vsmode') === 'overlay'")
    ready(page)
    page.wait_for_function(f"() => document.querySelectorAll('{MAP_FRAME}').length === 2")
    overlay = page.frame_locator(MAP_FRAME).nth(1)
    overlay.locator('path[stroke="#542788"]').first.wait_for(state="attached")  # 贵州's structure over 曲靖's
    assert overlay.locator('path[stroke="#e66101"]').count() > 0
    overlay.locator('path[stroke="#542788"]').first.scroll_into_view_if_needed()
    shot(page, "compare-overlay")
    assert not page.errors, page.errors


def test_rendering_a_pdf_shows_a_spinner_on_its_button_until_the_file_comes(page, server):
    """A PDF takes seconds: its button (a deferred download) spins and is disabled meanwhile, never a dead click."""
    open_map(page, f"{server}/?plan=wangcang&layers=admin,core,eco")
    settle(page)
    page.get_by_text("出图与导出").click()
    button = page.locator('[data-testid="stDownloadButton"] button', has_text="结构图 PDF")
    button.wait_for()
    with page.expect_download(timeout=60000) as download:
        button.click()
        # seen while the server renders the PDF (1-3 s): Streamlit's spinner in place of the button's icon
        page.locator('[data-testid="stDownloadButton"] [data-testid="stSpinnerIcon"]').wait_for(timeout=5000)
        shot(page, "export-pdf-rendering")
    assert download.value.suggested_filename.endswith(".pdf")
    page.locator('[data-testid="stDownloadButton"] [data-testid="stSpinnerIcon"]').wait_for(state="detached")
    assert not page.errors, page.errors
