"""Two replicas behind nginx with PostgreSQL (deploy/cluster.py), driven in Chromium through nginx only.

- A planner publishes a plan on replica A; a colleague opens its link and gets it from replica B.
- A planner editing a draft on replica A keeps it when A is killed: the browser reconnects to B.

Which replica served a browser is read from nginx's access log (the upstream of each websocket, under
the browser's sticky cookie) and from the X-Ghyzt-Replica header nginx adds to every response.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from deploy.cluster import ROUTE_COOKIE, Cluster, free_port_block, nginx_bin, pg_bin_dir
from tests.conftest import CHROMIUM

pytestmark = [pytest.mark.cluster, pytest.mark.browser]

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SHOTS = Path(os.environ.get("GHYZT_SHOTS", "/tmp/ghyzt-shots"))


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return "Debian's chromium is not installed"
    try:
        nginx_bin(), pg_bin_dir()
    except RuntimeError as exc:
        return str(exc)
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "runuser (util-linux) is needed to run PostgreSQL as the postgres user"
    return None


if (why := _missing()) is not None:
    if os.environ.get("CI") == "true":  # CI must run this test: `make system` installs what it needs
        raise RuntimeError(f"tests/test_cluster.py cannot run in CI: {why}")
    pytest.skip(why, allow_module_level=True)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with Cluster(run_dir=tmp_path_factory.mktemp("cluster"), replicas=2, port=free_port_block()) as c:
        yield c


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def browser_on(browser, cluster: Cluster, index: int, name: str):
    """A fresh browser whose sticky cookie nginx hashes to replica ``index``; (context, page, route)."""
    route = cluster.route_to(index, name)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
    ctx.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": cluster.url}])
    page = ctx.new_page()
    page.set_default_timeout(60000)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return ctx, page, route


def import_draft(page, url: str) -> None:
    """Paste the Changsha test plan on the Import page and open its draft on the Map page."""
    from tests.test_import_page import PLAN

    page.goto(f"{url}/import")
    page.wait_for_selector(READY)
    page.locator("textarea").first.fill(PLAN)
    page.get_by_role("button", name="生成草图").click()
    try:
        page.get_by_role("button", name="在地图上查看和编辑").click()
    except Exception:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "cluster-import-failed.png"), full_page=True)
        raise
    page.wait_for_function("() => (new URLSearchParams(location.search).get('plan') || '').startsWith('draft')")
    wait_for_map(page)
    page.wait_for_function("() => new URLSearchParams(location.search).has('z')")  # the map reported its view
    page.wait_for_selector(READY)


def wait_for_map(page) -> None:
    """Until the script's run is done and the map frame holds its features."""
    page.wait_for_selector(READY)
    page.wait_for_function(f"""() => {{
        const f = document.querySelector('{MAP_FRAME}');
        const m = f && f.contentWindow && f.contentWindow.ghyztMap;
        return !!(m && Object.keys(m.data.features).length && f.contentDocument.querySelector(".leaflet-interactive"));
    }}""")
    page.wait_for_selector(READY)


def map_feature_names(page) -> list[str]:
    """Names of the features the map frame was given (its data, not what happens to be in view)."""
    frame = next(f for f in page.frames if "st_folium" in (f.url or ""))
    return frame.evaluate("() => Object.values(window.ghyztMap.data.features).map(f => f.name)")


def test_a_plan_saved_on_replica_a_opens_for_a_colleague_on_replica_b(browser, cluster):
    a, b = cluster.members[0].address, cluster.members[1].address
    ctx, page, planner = browser_on(browser, cluster, 1, "planner")
    try:
        import_draft(page, cluster.url)
        page.get_by_role("button", name="发布", exact=True).click()
        page.wait_for_function("() => /^[a-z]{16}$/.test(new URLSearchParams(location.search).get('plan'))")
        page.get_by_text("已发布").wait_for()
        page.wait_for_selector(READY)
        # the link box holds a caption line, then the link
        link = page.locator('[data-testid="stSidebar"] [data-testid="stCode"] code').inner_text().strip().split("\n")[-1]
        saved = params(page.url)["plan"][0]
        assert link.startswith(cluster.url) and params(link)["plan"] == [saved]
        names = map_feature_names(page)
        assert not page.errors, page.errors
    finally:
        ctx.close()
    assert set(cluster.routes_served(planner)) == {a}, "the planner's session was not on replica A"

    ctx, other, colleague = browser_on(browser, cluster, 2, "colleague")
    try:
        response = other.goto(link)
        assert response.headers.get("x-ghyzt-replica") == b
        wait_for_map(other)
        assert params(other.url).get("plan") == [saved], "the link did not open the saved plan"
        assert sorted(map_feature_names(other)) == sorted(names)
        assert "北翼" in names
        assert other.get_by_text("已显示默认规划").count() == 0
        assert not other.errors, other.errors
    finally:
        ctx.close()
    assert set(cluster.routes_served(colleague)) == {b}, "the colleague's session was not on replica B"


def click_feature(page, feature_id: str | None = None, avoid: str = "", attempts: int = 1) -> str:
    """Click feature ``feature_id`` (or any feature but ``avoid``) on the map with the mouse, where no other
    shape covers it; wait until that run is done; return the id clicked. With ``attempts`` > 1 a click that
    selected nothing within 20 s is made again, as a planner would."""
    from tests.test_browser import CLICKABLE_JS

    page.locator(MAP_FRAME).scroll_into_view_if_needed()  # the edit form below may have scrolled it away
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    frame = next(f for f in page.frames if "st_folium" in (f.url or ""))
    target = next(t for t in frame.evaluate(CLICKABLE_JS, [None, True])
                  if t["id"] == feature_id or (feature_id is None and t["id"] != avoid))
    box = page.locator(MAP_FRAME).bounding_box()
    selected = f"() => new URLSearchParams(location.search).get('f') === {target['id']!r}"
    for attempt in range(attempts):
        page.mouse.click(box["x"] + target["x"], box["y"] + target["y"])
        try:
            page.wait_for_function(selected, timeout=20000 if attempt < attempts - 1 else 60000)
            break
        except Exception:
            if attempt < attempts - 1:
                continue
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"cluster-click-{target['id']}-failed.png"), full_page=True)
            print("URL after the click:", page.url)
            raise
    page.wait_for_selector(READY)
    return target["id"]


def test_a_draft_survives_its_replica_being_killed(browser, cluster):
    a, b = cluster.members[0].address, cluster.members[1].address
    ctx, page, planner = browser_on(browser, cluster, 1, "editor")
    received: list[list[int]] = []  # bytes of each message, per websocket in the order opened

    def on_socket(ws) -> None:
        sizes: list[int] = []
        received.append(sizes)
        ws.on("framereceived", lambda payload: sizes.append(len(payload)))

    page.on("websocket", on_socket)
    try:
        import_draft(page, cluster.url)
        # an edit, so that the draft is more than the text alone gives: rename the north wing
        click_feature(page, "wing-1")
        before = params(page.url)["plan"][0]
        page.get_by_label("名称").fill("北翼扩展区")
        page.get_by_role("button", name="改名 / 改类型").click()
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('plan') !== {before!r}")
        page.wait_for_selector(READY)
        assert "北翼扩展区" in map_feature_names(page)
        draft_url = page.url
        assert set(cluster.routes_served(planner, timeout=0)) <= {a} and cluster.served_by(planner) == a

        opened = len(received)
        cluster.kill_replica(1)
        # Streamlit's frontend reconnects its websocket by itself; nginx finds A refusing and sends it to B.
        # B holds a new, empty session: the page's next interaction runs there, from the URL.
        page.wait_for_function("() => true")  # (Playwright delivers events while it is called)
        for _ in range(300):
            if len(received) > opened:
                break
            page.wait_for_timeout(100)
        assert len(received) > opened, "the browser did not reconnect"
        # (a click in the first moments of the new connection, before its handshake is through, can be lost
        # like any message sent into a closing socket; a planner would click again, and so does the test)
        page.wait_for_timeout(1000)
        click_feature(page, avoid="wing-1", attempts=3)
        assert sum(received[-1]) > 1000, "the interaction did not run on the new connection"
        assert cluster.served_by(planner) == b
        assert params(page.url)["plan"] == params(draft_url)["plan"], "B did not restore the draft"
        page.wait_for_function("""() => {
            const f = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
            const m = f && f.contentWindow && f.contentWindow.ghyztMap;
            return !!(m && Object.values(m.data.features).some(x => x.name === "北翼扩展区"));
        }""")
        assert page.get_by_text("已显示默认规划").count() == 0
    finally:
        ctx.close()
        cluster.start_replica(1)
    served = cluster.routes_served(planner)
    assert served[0] == a and served[-1] == b, served
