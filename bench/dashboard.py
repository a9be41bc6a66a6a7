"""Measure the dashboard's Map and Text pages against two references served on this machine.

    .venv/bin/python bench/dashboard.py [--plan guizhou] [--clicks 12] [--runs 5]
    .venv/bin/python bench/dashboard.py --import ../shared/long-plans/nanjing-15th.txt   # a whole plan, imported

References: a blank Streamlit page (served with the dashboard's `.streamlit/config.toml`), and a bare
Leaflet page (the local Leaflet copy) that draws the same layers with a plain click handler writing the
excerpt into a side panel. Figures:

- load: navigation start to the first interactive shape on the map (blank Streamlit: to its text);
- click: mouse click on a feature to its excerpt visible in the panel (median over the clicks), timed
  inside the page (pointer down to the animation frame after the excerpt appeared);
- websocket bytes per click, sent + received (a click must not re-send the map's layers);
- Text page load: navigation to a link with one clause selected (``/text?plan=…&c=…``, a clause from the middle
  of the plan unless ``--clause`` names one) to that clause shown and the script done.

``--import FILE`` drafts a plan text as the Import page does (`geo.importer.draft.draft_plan`), saves it in a
temporary plan store (SQLite, ``GEO_STORE_PATH`` of the dashboard started here) and measures that plan: a whole
plan of hundreds of clauses, as a planner imports it (issue #18). The bare Leaflet page then draws the draft's
layers.

Prints a table and exits 1 if a target is missed. Needs /usr/bin/chromium and `python -m geo prepare`.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MAP_COMPONENT = "pages._mapframe.map"  # the map frame's component (pages/_mapframe.py): its iframe's title, its URL
MAP_FRAME = f'iframe[title="{MAP_COMPONENT}"]'
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'

# Shapes that a real mouse click at (x, y) reaches (not covered by another shape), one per feature.
CLICKABLE_JS = """
() => {
  const out = [], seen = new Set();
  for (const k in window.map._layers) {
    const l = window.map._layers[k];
    const p = l.feature && l.feature.properties;
    if (!p || typeof p.id !== "string" || !l._path || seen.has(p.id)) continue;
    const known = window.ghyztMap && window.ghyztMap.data.features[p.id];
    if (window.ghyztMap && !(known && known.mentions.length)) continue;  // only features with an excerpt
    const r = l._path.getBoundingClientRect();
    const panel = document.querySelector(".ghyzt-panel");
    for (const [fx, fy] of [[.5, .5], [.35, .5], [.65, .5], [.5, .35], [.5, .65], [.2, .5], [.8, .5]]) {
      const x = r.left + r.width * fx, y = r.top + r.height * fy;
      if (x < 60 || y < 10 || x > window.innerWidth - 10 || y > window.innerHeight - 10) continue;
      if (document.elementFromPoint(x, y) === l._path && !(panel && panel.contains(document.elementFromPoint(x, y)))) {
        out.push({id: p.id, kind: p.kind || "", x: x, y: y}); seen.add(p.id); break;
      }
    }
  }
  return out;
}
"""

# Times a click inside the document itself: pointer down to the frame after `selector` became visible.
ARM_JS = """
(selector) => {
  const b = window.__bench = {down: null, shown: null};
  document.addEventListener("pointerdown", () => { b.down = performance.now(); }, {capture: true, once: true});
  const visible = () => { const e = document.querySelector(selector); return e && e.getClientRects().length > 0; };
  const obs = new MutationObserver(() => {
    if (b.down !== null && b.shown === null && visible()) {
      obs.disconnect();
      requestAnimationFrame(() => { b.shown = performance.now(); });
    }
  });
  obs.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}
"""


def timed_click(page, frame, x: float, y: float, selector: str) -> float:
    """Click at page coordinates (x, y); seconds until ``selector`` shows in ``frame`` (measured there)."""
    frame.evaluate(ARM_JS, selector)
    page.mouse.click(x, y)
    frame.wait_for_function("() => window.__bench.shown !== null", timeout=20000)
    return frame.evaluate("() => (window.__bench.shown - window.__bench.down) / 1000")


BARE_HTML = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="leaflet/leaflet.css"><script src="leaflet/leaflet.js"></script>
<style>body{margin:0;display:flex;font-family:sans-serif}#map{width:62vw;height:100vh}
#panel{padding:12px;width:36vw}mark{background:#ffe066}</style></head>
<body><div id="map"></div><div id="panel"></div><script>
var map = L.map("map"), layers = [];
fetch("layers.json").then(r => r.json()).then(data => {
  data.collections.forEach(fc => layers.push(L.geoJSON(fc, {
    style: f => ({color: "#555", weight: 2, fillOpacity: 0.3}),
    pointToLayer: (f, ll) => L.circleMarker(ll, {radius: 6}),
    onEachFeature: (f, layer) => layer.on("click", () => {
      var p = f.properties, ex = (p.excerpts || [])[0];
      var panel = document.getElementById("panel");
      panel.innerHTML = "";
      var h = document.createElement("h3"); h.textContent = p.name; panel.appendChild(h);
      var div = document.createElement("div"); div.className = "excerpt";
      div.setAttribute("data-feature", p.id);
      div.textContent = ex ? ex.text : "";
      panel.appendChild(div);
    })
  }).addTo(map)));
  map.fitBounds(data.bounds);
});
</script></body></html>
"""


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0) -> None:
    """Wait until ``url`` answers."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=2).read()
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


@contextlib.contextmanager
def streamlit_server(script: Path, cwd: Path, env: dict[str, str] | None = None, port: int = 0):
    """Run ``streamlit run script`` on ``port`` (0: a free one; ``env`` added to this process's); yield its URL."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})})
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


@contextlib.contextmanager
def static_server(folder: Path, port: int = 0):
    """Serve ``folder`` over HTTP on ``port`` (0: a free one); yield its base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = lambda *a, **k: Quiet(*a, directory=str(folder), **k)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def bare_site(folder: Path, plan: str, data: Any = None) -> None:
    """Write the bare Leaflet page, the local Leaflet and the plan's layers into ``folder`` (``data``: an
    imported plan's `geo.view.model.PlanData`, else the bundled plan ``plan``)."""
    from geo.view.model import jurisdiction_bounds, load_plan_data

    shutil.copytree(ROOT / "static" / "vendor" / "leaflet", folder / "leaflet")
    data = data or load_plan_data(plan)
    (folder / "layers.json").write_text(json.dumps({
        "collections": list(data.layers.values()), "bounds": jurisdiction_bounds(data)}))
    (folder / "index.html").write_text(BARE_HTML, encoding="utf-8")


def import_plan(path: Path, store_path: Path) -> tuple[str, Any, str]:
    """Draft a plan text as the Import page does and save it in the plan store at ``store_path``.

    Returns the stored plan's id, its `PlanData` and a summary line (clauses by level, features, drafting time).
    """
    from geo.importer.draft import draft_plan
    from geo.importer.editing import PlanDraft
    from geo.store import SQLitePlanStore

    text = path.read_text(encoding="utf-8")
    t0 = time.perf_counter()
    draft = PlanDraft.from_draft(draft_plan(text), path.name)
    took = time.perf_counter() - t0
    store = SQLitePlanStore(store_path)
    plan_id = draft.save(store)
    store.close()
    levels: dict[str, int] = {}
    for c in draft.outline.clauses:
        levels[c.style] = levels.get(c.style, 0) + 1
    summary = (f"{path.name}: {len(text):,} characters, {len(draft.outline.clauses)} clauses "
               f"({', '.join(f'{k} {v}' for k, v in levels.items())}), {len(draft.collection['features'])} "
               f"features, drafted in {took:.1f} s; jurisdiction {draft.jurisdiction.get('name')}")
    return plan_id, draft.plan_data, summary


def middle_clause(data: Any) -> str:
    """A clause from the middle of the plan, below the top level where it can (a link's usual target)."""
    clauses = data.plan.outline.clauses
    deep = [c for c in clauses if c.level > 1] or list(clauses)
    return deep[len(deep) // 2].id


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def new_page(browser):
    """A fresh browser context (nothing cached) and a page in it."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 950})
    return ctx, ctx.new_page()


def load_blank(browser, url: str) -> float:
    """One load of the blank Streamlit page: navigation to its text shown and the script done."""
    ctx, page = new_page(browser)
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(READY)
    page.get_by_text("blank page").wait_for()
    took = time.perf_counter() - t0
    ctx.close()
    return took


def clickable(frame) -> list[dict]:
    return frame.evaluate(CLICKABLE_JS)


def pick(targets: list[dict], n: int) -> list[dict]:
    """Up to n targets, alternating kinds, so clicks go to different features."""
    by_kind: dict[str, list[dict]] = {}
    for tgt in targets:
        by_kind.setdefault(tgt["kind"], []).append(tgt)
    out = []
    while len(out) < n and any(by_kind.values()):
        for kind in list(by_kind):
            if by_kind[kind] and len(out) < n:
                out.append(by_kind[kind].pop(0))
    return out


def load_bare(browser, url: str, clicks: int = 0) -> tuple[float, list[float]]:
    """One load of the bare Leaflet page to its first shape; then, if asked, clicks to the excerpt shown."""
    ctx, page = new_page(browser)
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".leaflet-interactive")
    took, clicks_s = time.perf_counter() - t0, []
    if clicks:
        page.wait_for_timeout(500)
        for tgt in pick(clickable(page.main_frame), clicks):
            clicks_s.append(timed_click(page, page.main_frame, tgt["x"], tgt["y"],
                                        f'.excerpt[data-feature="{tgt["id"]}"]'))
    ctx.close()
    return took, clicks_s


# The map frame's first shape, looked for from the page on every animation frame, as wait_for_selector
# does for the references. (A frame locator waits for a frame that does not exist yet by retrying on a
# back-off of up to 0.5 s, which added a quarter of a second on average to this page's figure only.)
FIRST_SHAPE_JS = f"""() => {{
  const f = document.querySelector('{MAP_FRAME}');
  const d = f && f.contentDocument;
  return !!(d && d.querySelector(".leaflet-interactive"));
}}"""


def load_dashboard(browser, url: str, clicks: int = 0) -> tuple[float, dict[str, Any]]:
    """One load of the Map page to the first interactive shape; then, if asked, clicks: to the excerpt in
    the map's panel, to the clause list below the map, and the websocket bytes of each click and of the
    first load."""
    ctx, page = new_page(browser)
    frames: list[int] = []

    def on_ws(ws):
        ws.on("framesent", lambda payload: frames.append(len(payload)))
        ws.on("framereceived", lambda payload: frames.append(len(payload)))

    page.on("websocket", on_ws)
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_function(FIRST_SHAPE_JS, polling="raf", timeout=60000)
    took = time.perf_counter() - t0
    out: dict[str, Any] = {"clicks": [], "lists": [], "bytes": [], "load_bytes": 0}
    if clicks:
        page.wait_for_selector(READY)
        page.wait_for_timeout(1500)  # the map reports its view once; let that rerun finish
        page.wait_for_selector(READY)
        out["load_bytes"] = sum(frames)
        frame = next(f for f in page.frames if f"/component/{MAP_COMPONENT}/" in (f.url or ""))
        done: set[str] = set()
        for _ in range(clicks):
            # the frame's place on the page again each time: what the last click drew above it may move it
            box = page.locator(MAP_FRAME).bounding_box()
            # targets again each time: the panel opened by the last click covers part of the map
            fresh = [tg for tg in clickable(frame) if tg["id"] not in done]
            if not fresh:
                break
            ordered = pick(fresh, len(fresh))  # kinds interleaved
            tgt = ordered[len(done) * 7 % len(ordered)]
            done.add(tgt["id"])
            page.wait_for_selector(READY)
            before = len(frames)
            t1 = time.perf_counter()
            out["clicks"].append(timed_click(page, frame, box["x"] + tgt["x"], box["y"] + tgt["y"],
                                             f'.ghyzt-panel[data-feature="{tgt["id"]}"] mark.ghyzt-hl'))
            page.wait_for_selector(f'.ghyzt-list[data-feature="{tgt["id"]}"]', state="attached", timeout=20000)
            out["lists"].append(time.perf_counter() - t1)
            page.wait_for_selector(READY)
            page.wait_for_timeout(400)  # a late debounced update would be counted here
            out["bytes"].append(sum(frames[before:]))
    ctx.close()
    return took, out


def load_text(browser, url: str, clause: str) -> float:
    """One load of the Text page opened on ``clause`` (a link ``?c=…``): to that clause shown, the script done."""
    ctx, page = new_page(browser)
    t0 = time.perf_counter()
    page.goto(f"{url}&c={urllib.parse.quote(clause)}")
    page.locator(f'.ghyzt-selected[data-clause="{clause}"]').wait_for(timeout=60000)
    page.wait_for_selector(READY, timeout=60000)
    took = time.perf_counter() - t0
    ctx.close()
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plan", default="guizhou")
    ap.add_argument("--clicks", type=int, default=12)
    ap.add_argument("--runs", type=int, default=5, help="loads of each page (medians)")
    ap.add_argument("--url", default=None, help="a dashboard already running (default: start one)")
    ap.add_argument("--import", dest="imported", type=Path, default=None,
                    help="a plan text to import (draft and save in a temporary store) and measure instead of --plan")
    ap.add_argument("--clause", default=None, help="the clause the Text page opens on (default: one mid-plan)")
    ap.add_argument("--ports", type=int, default=0,
                    help="first of three ports for the blank page, the bare page and the dashboard (default: free ones)")
    args = ap.parse_args()
    if args.imported and args.url:
        ap.error("--import starts its own dashboard (with the temporary store): no --url")

    from playwright.sync_api import sync_playwright

    subprocess.run([sys.executable, "-m", "geo", "prepare"], cwd=ROOT, check=True, capture_output=True)
    with tempfile.TemporaryDirectory() as tmp_s:
        tmp = Path(tmp_s)
        (tmp / "blank.py").write_text('import streamlit as st\n\nst.write("blank page")\n', encoding="utf-8")
        # The blank page runs under the dashboard's own server settings, so that a setting which
        # makes every Streamlit page faster lowers the target as much as the dashboard's figure.
        (tmp / ".streamlit").mkdir()
        shutil.copy(ROOT / ".streamlit" / "config.toml", tmp / ".streamlit" / "config.toml")
        (tmp / "bare").mkdir()
        env, data, summary = {}, None, ""
        if args.imported:
            store_path = tmp / "plans.sqlite3"
            args.plan, data, summary = import_plan(args.imported, store_path)
            env["GEO_STORE_PATH"] = str(store_path)
            print(summary, flush=True)
        else:
            from geo.view.model import load_plan_data

            data = load_plan_data(args.plan)
        clause = args.clause or middle_clause(data)
        bare_site(tmp / "bare", args.plan, data)
        with contextlib.ExitStack() as stack:
            port = (lambda k: args.ports + k if args.ports else 0)
            blank_url = stack.enter_context(streamlit_server(tmp / "blank.py", tmp, port=port(0)))
            bare_url = stack.enter_context(static_server(tmp / "bare", port(1)))
            dash_url = args.url or stack.enter_context(streamlit_server(ROOT / "dashboard.py", ROOT, env, port(2)))
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                # warm up each server once (first-run caches are not what a user waits for twice)
                for u in (blank_url, f"{dash_url}/?plan={args.plan}",
                          f"{dash_url}/text?plan={args.plan}&c={urllib.parse.quote(clause)}"):
                    page = browser.new_page()
                    page.goto(u)
                    page.wait_for_selector(READY, timeout=120000)
                    page.close()
                # The three pages take turns, so that other work on the machine weighs on each alike.
                # The first round also times the clicks.
                blank_loads, bare_loads, dash_loads, text_loads = [], [], [], []
                bare_clicks: list[float] = []
                dash: dict[str, Any] = {}
                for r in range(args.runs):
                    clicks = args.clicks if r == 0 else 0
                    blank_loads.append(load_blank(browser, blank_url))
                    took, got = load_bare(browser, f"{bare_url}/index.html", clicks)
                    bare_loads.append(took)
                    bare_clicks += got
                    # the Text page before the Map page, whose clicks leave the server busy for a while
                    text_loads.append(load_text(browser, f"{dash_url}/text?plan={args.plan}", clause))
                    took, out = load_dashboard(browser, f"{dash_url}/?plan={args.plan}", clicks)
                    dash_loads.append(took)
                    dash = dash or out
                browser.close()

    blank, bare_load, dash_load = median(blank_loads), median(bare_loads), median(dash_loads)
    dash_clicks, dash_lists, dash_bytes, load_bytes = dash["clicks"], dash["lists"], dash["bytes"], dash["load_bytes"]
    load_target = blank + 1.5 * bare_load
    click_med, bare_click = median(dash_clicks), median(bare_clicks)
    bytes_med = median([float(b) for b in dash_bytes])
    rows = [
        ("blank Streamlit page load", f"{blank * 1000:.0f} ms", ""),
        ("bare Leaflet page load (to first shape)", f"{bare_load * 1000:.0f} ms", ""),
        ("bare Leaflet click to excerpt (median)", f"{bare_click * 1000:.1f} ms", ""),
        ("dashboard Map page load (to first shape)", f"{dash_load * 1000:.0f} ms",
         f"≤ {load_target * 1000:.0f} ms (blank + 1.5 × bare)"),
        (f"dashboard click to excerpt (median of {len(dash_clicks)})", f"{click_med * 1000:.0f} ms",
         f"≤ 350 ms and ≤ {3 * bare_click * 1000:.0f} ms (3 × bare)"),
        ("dashboard click to excerpt (max)", f"{max(dash_clicks, default=0) * 1000:.0f} ms", ""),
        ("dashboard click to the clause list below the map (median)", f"{median(dash_lists) * 1000:.0f} ms",
         "(a server round trip)"),
        ("websocket bytes per click (median / max)",
         f"{bytes_med / 1000:.1f} / {max(dash_bytes, default=0) / 1000:.1f} KB", "≤ 50 KB"),
        ("websocket bytes of the first load", f"{load_bytes / 1000:.0f} KB", ""),
        (f"dashboard Text page load, one clause open ({clause})", f"{median(text_loads) * 1000:.0f} ms",
         f"(runs: {', '.join(f'{x * 1000:.0f}' for x in text_loads)} ms)"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"plan {args.plan}, {len(data.plan.outline.clauses)} clauses, {os.cpu_count()} cores, "
          f"load average at the start {os.getloadavg()[0]:.1f}")
    if summary:
        print(summary)
    print(f"Map page loads: {', '.join(f'{x * 1000:.0f}' for x in dash_loads)} ms")
    for what, fig, target in rows:
        print(f"{what:<{width}}  {fig:>16}  {target}")
    ok = (dash_load <= load_target and click_med <= 0.350 and click_med <= 3 * bare_click
          and bytes_med <= 50_000 and max(dash_bytes, default=0) <= 50_000)
    print("all targets met" if ok else "some targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
