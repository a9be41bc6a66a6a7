"""Two replicas behind nginx with PostgreSQL (deploy/cluster.py), driven in Chromium through nginx only.

- A planner publishes a plan on replica A; a colleague opens its link and gets it from replica B.
- A planner editing a draft on replica A keeps it when A is killed: the browser reconnects to B.

Which replica served a browser is read from nginx's access log (the upstream of each websocket, under
the browser's sticky cookie) and from the X-Ghyzt-Replica header nginx adds to every response (the
replica's name, never its address).

And what nginx does for a bureau's intranet (deploy/nginx.conf.template): security headers on every
response, no server version, no replica address in any header, no query string (a draft's token) in the
access log, 429 for a burst of uploads or new websockets from one address, and the dashboard still works
under its Content-Security-Policy (every browser test here fails on a "Refused to …" console message).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import os
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from deploy.cluster import (
    ROUTE_COOKIE,
    SESSION_COOKIE,
    TEMPLATE,
    Cluster,
    free_port_block,
    nginx_bin,
    pg_bin_dir,
)
from tests.browser.helpers import CLICKABLE_JS, IN_VIEW_JS, READY
from tests.conftest import CHROMIUM, MAP_COMPONENT, MAP_FRAME

pytestmark = [pytest.mark.cluster, pytest.mark.browser]

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
        raise RuntimeError(f"tests/cluster/test_cluster.py cannot run in CI: {why}")
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
    watch_csp(page)
    page.set_default_timeout(60000)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return ctx, page, route


def session_replica(ctx) -> str | None:
    """The replica nginx's session cookie names in a browser context (deploy/nginx.conf.template)."""
    return {c["name"]: c["value"] for c in ctx.cookies()}.get(SESSION_COOKIE)


def watch_csp(page) -> None:
    """Collect in ``page.csp`` what the Content-Security-Policy refused, in the page and in its frames: the
    console's "Refused to …" messages and every securitypolicyviolation event (report-only ones too)."""
    page.csp = []
    page.on("console", lambda m: page.csp.append(f"{m.location.get('url', '')}: {m.text}")
            if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    page.expose_function("ghyztCspViolation", lambda v: page.csp.append(v))
    page.add_init_script("""document.addEventListener("securitypolicyviolation", e => window.ghyztCspViolation(
        `${e.documentURI}: ${e.effectiveDirective} refused ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`))""")


def import_draft(page, url: str) -> None:
    """Paste the Changsha test plan on the Import page and open its draft on the Map page."""
    from tests.pages.test_import_page import PLAN

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
    frame = next(f for f in page.frames if f"/component/{MAP_COMPONENT}/" in (f.url or ""))
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
        assert not page.csp, page.csp
    finally:
        ctx.close()
    assert set(cluster.routes_served(planner)) == {a}, "the planner's session was not on replica A"

    ctx, other, colleague = browser_on(browser, cluster, 2, "colleague")
    try:
        response = other.goto(link)
        assert cluster.replica_by_name(response.headers.get("x-ghyzt-replica", "")).address == b
        wait_for_map(other)
        assert params(other.url).get("plan") == [saved], "the link did not open the saved plan"
        assert sorted(map_feature_names(other)) == sorted(names)
        assert session_replica(ctx) == cluster.members[1].name
        assert "北翼" in names
        assert other.get_by_text("已显示默认规划").count() == 0
        assert not other.errors, other.errors
        assert not other.csp, other.csp
    finally:
        ctx.close()
    assert set(cluster.routes_served(colleague)) == {b}, "the colleague's session was not on replica B"


def click_feature(page, feature_id: str | None = None, avoid: str = "", attempts: int = 1) -> str:
    """Click feature ``feature_id`` (or any feature but ``avoid``) on the map with the mouse, where no other
    shape covers it; wait until that run is done; return the id clicked. With ``attempts`` > 1 a click that
    selected nothing within 20 s is made again, as a planner would."""
    page.locator(MAP_FRAME).scroll_into_view_if_needed()  # the edit form below may have scrolled it away
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    frame = next(f for f in page.frames if f"/component/{MAP_COMPONENT}/" in (f.url or ""))
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
        # the websocket's handshake on B moved the browser's session cookie there: its plain requests follow
        assert session_replica(ctx) == cluster.members[1].name
        assert params(page.url)["plan"] == params(draft_url)["plan"], "B did not restore the draft"
        page.wait_for_function(f"""() => {{
            const f = document.querySelector('{MAP_FRAME}');
            const m = f && f.contentWindow && f.contentWindow.ghyztMap;
            return !!(m && Object.values(m.data.features).some(x => x.name === "北翼扩展区"));
        }}""")
        assert page.get_by_text("已显示默认规划").count() == 0
        assert not page.csp, page.csp
    finally:
        ctx.close()
        cluster.start_replica(1)
    served = cluster.routes_served(planner)
    assert served[0] == a and served[-1] == b, served


def test_a_restarted_replica_gets_no_request_of_a_session_on_another(browser, cluster):
    """A browser whose cookie hashes to replica A opens the dashboard while A is down: its page and its session
    are on B. A comes back, cold (no session has run the script there, so it has not registered the map's
    component). The planner then goes to the Map page: the map's frame (/component/…) must come from B, the
    session's replica, and draw; from A it was a 404 and the map never drew (the hash sends the browser's plain
    requests to A again once A is back, while its websocket stays on B)."""
    a, b = cluster.members[0], cluster.members[1]
    route = cluster.route_to(1, "returning")
    cluster.kill_replica(1)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
    ctx.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": cluster.url}])
    page = ctx.new_page()
    watch_csp(page)
    page.set_default_timeout(60000)
    frames: list[tuple[int, str]] = []  # (status, replica) of each response for the map's frame
    page.on("response", lambda r: frames.append((r.status, r.headers.get("x-ghyzt-replica", "")))
            if "/component/" in r.url else None)
    try:
        try:
            page.goto(f"{cluster.url}/text?plan=guizhou")
            page.wait_for_selector(READY)
            page.get_by_text("全文搜索").wait_for()
        finally:
            cluster.start_replica(1)
        # A is back in the hash's rotation: the browser's cookie alone would send a request to A now
        for _ in range(100):
            if cluster.served_by(route) == a.address:
                break
            page.wait_for_timeout(200)
        assert cluster.served_by(route) == a.address, "replica A did not come back"
        assert session_replica(ctx) == b.name
        page.locator('[data-testid="stSidebar"] a', has_text="地图").click()  # the same session, on B
        wait_for_map(page)
        assert frames and all(f == (200, b.name) for f in frames), frames
        assert not page.csp, page.csp
    finally:
        ctx.close()
    assert set(cluster.routes_served(route)) == {b.address}, "the session was not on B"
    assert set(cluster.routes_served(route, "/component/")) == {b.address}


# --------------------------------------------------------------------------- nginx on a bureau's intranet

TOKEN = "qwertyuiopasdfghjklzxcvbnmqw"  # a draft token's shape (28 letters)


def raw(cluster: Cluster, path: str, method: str = "GET", body: bytes | None = None, source: str = "127.0.0.1",
        headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    """One request to nginx, redirects not followed, from loopback address ``source``; the response, read."""
    conn = http.client.HTTPConnection("127.0.0.1", cluster.port, timeout=30, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        resp.read()
        return resp
    finally:
        conn.close()


def csp_sources(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (x.strip() for x in policy.split(";")) if d}


def test_security_headers_on_every_response_and_no_replica_address(cluster):
    addresses = [r.address for r in cluster.members]
    ports = [str(r.port) for r in cluster.members]
    paths = ["/", f"/?draft={TOKEN}&plan=draft-x", "/import", "/text?plan=guizhou", "/_stcore/health",
             "/_stcore/host-config", "/favicon.png", "/app/static/vendor/leaflet/leaflet.js",
             "/app/static/vendor/leaflet/no-such-file.js", f"/component/{MAP_COMPONENT}/index.html",
             "/component/no-such-component/index.html", "/map/?plan=guizhou", "/media/no-such-file.png"]
    index = raw(cluster, "/")
    assert index.status == 200
    for path in paths:
        resp = raw(cluster, path)
        headers = resp.getheaders()
        where = f"{path} ({resp.status})"
        assert resp.getheader("Server") == "nginx", where  # server_tokens off: no version
        for name, value in headers:
            for leak in (*addresses, *(f":{p}" for p in ports)):
                assert leak not in value, f"{where}: {name}: {value}"
        if resp.getheader("Location"):
            assert resp.getheader("Location").startswith("/"), where
        assert resp.getheader("X-Content-Type-Options") == "nosniff", where
        assert resp.getheader("Referrer-Policy") in ("no-referrer", "same-origin"), where
        policy = csp_sources(resp.getheader("Content-Security-Policy") or "")
        assert policy.get("frame-ancestors") == ["'self'"] and policy.get("default-src") == ["'self'"], where
        assert policy.get("object-src") == ["'none'"] and policy.get("base-uri") == ["'self'"], where
        for directive, sources in policy.items():
            # no other host, no scheme that reaches one (http:, https:, ws:, *): this origin, keywords,
            # hashes, and data:/blob: (which only this page's own code can create or use)
            for source in sources:
                assert (source.startswith("'") and source.endswith("'")) or source in ("data:", "blob:"), \
                    f"{where}: {directive} {source}"
        inline = "'unsafe-inline'" in policy.get("script-src", []) or "'unsafe-eval'" in policy.get("script-src", [])
        assert inline == path.startswith("/component/"), f"{where}: inline scripts only in the map's frame"
    assert raw(cluster, "/nowhere/../app/static/vendor/leaflet/leaflet.js").getheader("Content-Security-Policy")
    # the replica is named, not addressed
    routed = raw(cluster, "/_stcore/health", headers={"Cookie": f"{ROUTE_COOKIE}=x"}).getheader("X-Ghyzt-Replica")
    assert routed in {r.name for r in cluster.members}
    # Streamlit's agent API (off in .streamlit/config.toml) is not reachable through nginx either
    for path in ("/_stcore/agent/openapi.json", "/_stcore/agent/interact", "/_stcore/agent/mcp"):
        assert raw(cluster, path).status == 404, path


def test_the_csp_allows_exactly_the_inline_scripts_of_this_version():
    """The page policy allows inline scripts by hash: Streamlit's own (its index.html) and the Text page's
    scroll (geo.view.texttree.scroll_script). A Streamlit upgrade or a change to that script changes a hash:
    this says which to put in deploy/nginx.conf.template."""
    import streamlit

    from geo.view.texttree import scroll_script

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    scripts = [*re.findall(r"<script>(.*?)</script>", index, re.DOTALL),
               re.search(r"<script[^>]*>(.*)</script>", scroll_script(".ghyzt-selected", 1), re.DOTALL).group(1)]
    page_policy = re.search(r'map \$uri \$ghyzt_csp \{\s*default "([^"]*)"', TEMPLATE.read_text(encoding="utf-8"))
    allowed = sorted(x for x in csp_sources(page_policy.group(1))["script-src"] if x.startswith("'sha256-"))
    assert allowed == sorted(sha(s) for s in scripts)


@pytest.mark.parametrize("name", ["text", "catalogue"])
def test_a_page_opened_by_its_link_asks_the_servers_root_only(browser, cluster, name):
    """A page other than the Map page, opened by its own link: Streamlit's frontend asks the server's root for
    its health and host config (static/server-base.js, in the replica's page: pages/_serving.py), not the page's own path first, so no
    request fails. The session is the same as ever: its websocket at /_stcore/stream (the session cookie is
    set), the navigation to the Map page, the map frame's page and its Leaflet (`../../app/static/…`)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = ctx.new_page()
    watch_csp(page)
    page.set_default_timeout(60000)
    responses: list[tuple[int, str]] = []
    page.on("response", lambda r: responses.append((r.status, urlsplit(r.url).path)))
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(urlsplit(ws.url).path))
    nav = page.locator('[data-testid="stSidebar"] a', has_text="地图")
    try:
        page.goto(f"{cluster.url}/{name}?plan=guizhou")
        page.wait_for_selector(READY)
        nav.wait_for()
        assert not [r for r in responses if r[0] >= 400], responses
        assert (200, "/_stcore/health") in responses and (200, "/_stcore/host-config") in responses
        assert not [p for _, p in responses if p.startswith(f"/{name}/")], responses
        assert sockets == ["/_stcore/stream"]
        assert session_replica(ctx) in {r.name for r in cluster.members}
        nav.click()
        wait_for_map(page)
        assert (200, "/app/static/vendor/leaflet/leaflet.js") in responses
        assert (200, f"/component/{MAP_COMPONENT}/index.html") in responses
        assert not [r for r in responses if r[0] >= 400], responses
        assert sockets == ["/_stcore/stream"]  # the same session: no reload, no second websocket
        assert not page.csp, page.csp
    finally:
        ctx.close()


def test_render_lets_only_the_named_origins_frame_the_dashboard(tmp_path):
    from deploy.cluster import render_nginx_conf

    def conf(*origins: str) -> str:
        return render_nginx_conf(["10.0.0.11:8501"], listen="80", static_dir=tmp_path, prefix=tmp_path,
                                 frame_ancestors=origins)

    assert conf().count("frame-ancestors 'self'\"") == 2 and "X-Frame-Options SAMEORIGIN" in conf()
    portal = conf("https://portal.bureau.example", "http://10.0.0.5:8080")
    # both policies (the map's frame has the portal among its ancestors too); no X-Frame-Options, which
    # would refuse the portal
    assert portal.count("frame-ancestors 'self' https://portal.bureau.example http://10.0.0.5:8080\"") == 2
    assert "add_header X-Frame-Options" not in portal
    for bad in ("https://x; script-src *", "*", "'unsafe-inline'", "https://x/path", "portal.example"):
        with pytest.raises(ValueError):
            conf(bad)


def test_the_access_log_holds_no_query_string(cluster):
    raw(cluster, f"/?draft={TOKEN}&plan=draft-{TOKEN}")
    raw(cluster, f"/text?plan=guizhou&draft={TOKEN}", headers={"Referer": f"{cluster.url}/?draft={TOKEN}"})
    raw(cluster, f"/_stcore/health?draft={TOKEN}")
    log = cluster.access_log.read_text(encoding="utf-8", errors="replace")
    assert '"GET / HTTP/1.1"' in log and '"GET /text HTTP/1.1"' in log  # the requests are there, path only
    assert TOKEN not in log
    for line in log.splitlines():
        request = line.split('"')[1]
        assert "?" not in request and "draft" not in line, line


def test_the_dashboard_works_under_the_csp(browser, cluster):
    """The Map page (its frame drawing the plan's features), the Text page landing on a clause (st.html's
    script) and the Import page: no refusal by the policy, and the policy is in force (an injected script
    does not run)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = ctx.new_page()
    watch_csp(page)
    page.set_default_timeout(60000)
    try:
        response = page.goto(f"{cluster.url}/?plan=guizhou")
        assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
        wait_for_map(page)
        assert len(map_feature_names(page)) > 50
        # The policy is in force: an inline script injected into the page does not run (and is reported)
        assert page.evaluate("""() => { const s = document.createElement("script");
            s.textContent = "window.ghyztInjected = true"; document.body.appendChild(s);
            return window.ghyztInjected === undefined; }""")
        page.wait_for_function("() => true")  # (Playwright delivers the console message meanwhile)
        assert page.csp and "script-src" in " ".join(page.csp), page.csp
        page.csp.clear()  # (that refusal was ours)
        page.goto(f"{cluster.url}/text?plan=guizhou&c=%E5%85%AD.(%E4%BA%8C)")  # 六.(二), far down the page
        page.wait_for_selector(READY)
        page.wait_for_function(IN_VIEW_JS, arg='.ghyzt-selected[data-clause="六.(二)"]')  # st.html's script ran
        page.goto(f"{cluster.url}/import")
        page.wait_for_selector(READY)
        page.wait_for_timeout(500)
        assert not page.csp, page.csp
        assert not any(not r.startswith(cluster.url) and not r.startswith("blob:" + cluster.url)
                       for r in page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)"))
    finally:
        ctx.close()


def test_a_burst_of_uploads_gets_429_while_a_planners_upload_passes(browser, cluster, tmp_path):
    # The burst, from another loopback address than the browser's (the limit is per client address)
    statuses = [raw(cluster, "/_stcore/upload_file/s/f", "PUT", b"x", source="127.0.0.2").status for _ in range(30)]
    assert 429 not in statuses[:5] and statuses.count(429) >= 15, statuses
    # A planner uploads a plan on the Import page: it reaches the replica
    plan = tmp_path / "plan.txt"
    from tests.pages.test_import_page import PLAN
    plan.write_text(PLAN, encoding="utf-8")
    ctx = browser.new_context()
    page = ctx.new_page()
    watch_csp(page)
    page.set_default_timeout(60000)
    try:
        page.goto(f"{cluster.url}/import")
        page.wait_for_selector(READY)
        with page.expect_response(lambda r: "/_stcore/upload_file/" in r.url and r.request.method == "PUT") as put:
            page.locator('input[type="file"]').set_input_files(str(plan))
        assert put.value.status in (200, 204), put.value.status
        page.get_by_text("plan.txt").wait_for()
        assert not page.csp, page.csp
    finally:
        ctx.close()
    # The body limit: the app's 20 MB (+1 MB of multipart framing) passes nginx, more does not
    assert raw(cluster, "/_stcore/upload_file/s/f", "PUT", b"x" * (22 * 1024 * 1024), source="127.0.0.4").status == 413
    assert raw(cluster, "/", "POST", b"x" * (2 * 1024 * 1024), source="127.0.0.4").status == 413


def test_a_burst_of_new_websockets_gets_429(cluster):
    statuses = [raw(cluster, "/_stcore/stream", source="127.0.0.3").status for _ in range(60)]
    assert 429 not in statuses[:20] and statuses.count(429) >= 10, statuses
    assert raw(cluster, "/_stcore/stream").status != 429  # another address (the browsers') is not limited
