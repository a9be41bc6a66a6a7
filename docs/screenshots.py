"""Make the screenshots of docs/guide.md and docs/using.md from the running app, so they stay current.

    .venv/bin/python docs/screenshots.py                  # every shot, into docs/img/
    .venv/bin/python docs/screenshots.py --only plan-     # the shots whose name starts so
    .venv/bin/python docs/screenshots.py --url http://localhost:8501   # a dashboard already running

Without ``--url`` it starts the dashboard (``streamlit run dashboard.py``) on a free port of this machine and
stops it at the end. It drives Debian's Chromium (``/usr/bin/chromium``, as the browser tests do) with
Playwright, waits for each page to finish its run (and the map to draw and place its names), and writes
palette PNGs (256 colours: a map shot is some 100 KB, not 1 MB) named after the shot.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDE, PHONE = (1440, 900), (390, 844)
BUNDLED = ("mianyang", "wangcang", "panjin", "qujing", "guizhou")
GUIDE_PLAN = "qujing"
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
MAP_FRAME = 'iframe[title="pages._mapframe.map"]'
#: A few lines of a plan, typed into the Import page for its shot.
IMPORT_SAMPLE = ("关于推进XX市区域协调发展的实施意见\n一、总体要求\n（一）构建“一核两翼”发展格局。做强中心城区核心，"
                 "壮大东翼、西翼。\n二、重点任务\n（二）打造沿江发展走廊，连接甲县与乙县。")


@dataclass(frozen=True)
class Shot:
    name: str
    size: tuple[int, int]
    take: Callable  # (page, base_url) -> None: bring the page to what the shot shows


# --------------------------------------------------------------------------- waiting


def _ready(page) -> None:
    """Streamlit's run is done and nothing on the page is faded as stale."""
    page.wait_for_selector(READY)
    page.wait_for_timeout(400)
    page.wait_for_selector(READY)
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")


def _map(page):
    """The map frame once its shapes are drawn, the view reported (the URL has z) and names placed."""
    _ready(page)
    frame_el = page.locator(MAP_FRAME)
    page.frame_locator(MAP_FRAME).locator(".leaflet-interactive").first.wait_for()
    page.wait_for_function("() => new URLSearchParams(location.search).has('z')")
    _ready(page)
    frame = frame_el.element_handle().content_frame()
    frame.wait_for_selector('.ghyzt-label[data-shown="1"]', state="attached")
    page.wait_for_timeout(500)  # the labels' placement after the last move
    return frame


def _open_map(page, base: str, plan: str):
    page.goto(f"{base}/?plan={plan}")
    return _map(page)


def _select_core(page, frame) -> None:
    """Select the plan's first core, as a click would (the panel opens, the map pans it clear of the panel)."""
    fid = frame.evaluate("""() => { let id = null; window.map.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (!id && p && p.kind === 'core' && window.ghyztMap.data.features[p.id]) id = p.id; }); return id; }""")
    if fid is None:
        raise RuntimeError("the plan draws no core")
    frame.evaluate("id => window.ghyztMap.choose(id)", fid)
    frame.wait_for_selector(".ghyzt-panel[data-feature]")
    _ready(page)
    page.wait_for_timeout(700)  # the pan


# --------------------------------------------------------------------------- the shots


def _plan(plan: str) -> Callable:
    def take(page, base):
        _open_map(page, base, plan)
    return take


def _guide_open(page, base):
    _open_map(page, base, GUIDE_PLAN)


def _guide_core(page, base):
    _select_core(page, _open_map(page, base, GUIDE_PLAN))


def _guide_clause(page, base):
    frame = _open_map(page, base, GUIDE_PLAN)
    _select_core(page, frame)
    page.goto(frame.evaluate("() => document.querySelector('.ghyzt-textlink').href"))
    _ready(page)
    page.locator(".ghyzt-selected").first.wait_for()
    page.locator(".ghyzt-selected").first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)


def _guide_corridors(page, base):
    _open_map(page, base, GUIDE_PLAN)
    page.locator('[data-testid="stSidebar"] button', has_text="廊道").first.click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('layers')")
    _map(page)


def _guide_share(page, base):
    frame = _open_map(page, base, GUIDE_PLAN)
    _select_core(page, frame)
    box = page.locator('[data-testid="stSidebar"] [data-testid="stCode"]').first
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(300)


def _guide_import(page, base):
    page.goto(f"{base}/import")
    _ready(page)
    area = page.locator("textarea").first
    area.fill(IMPORT_SAMPLE)
    page.locator("h1").first.click()  # out of the text box: its "press Ctrl+Enter" hint goes away
    _ready(page)


def _guide_export(page, base):
    _open_map(page, base, GUIDE_PLAN)
    summary = page.locator('[data-testid="stExpander"] summary', has_text="出图与导出").first
    summary.click()
    page.get_by_text("结构图 PDF").first.wait_for()
    page.get_by_text("结构图 PDF").first.scroll_into_view_if_needed()
    _ready(page)


SHOTS: tuple[Shot, ...] = (
    Shot("guide-1-open", WIDE, _guide_open),
    Shot("guide-2-core", WIDE, _guide_core),
    Shot("guide-3-clause", WIDE, _guide_clause),
    Shot("guide-4-corridors", WIDE, _guide_corridors),
    Shot("guide-5-share", WIDE, _guide_share),
    Shot("guide-6-import", WIDE, _guide_import),
    Shot("guide-7-export", WIDE, _guide_export),
    Shot("guide-8-phone", PHONE, _guide_core),
    *(Shot(f"plan-{plan}-{size[0]}", size, _plan(plan)) for plan in BUNDLED for size in (WIDE, PHONE)),
)


# --------------------------------------------------------------------------- the server and the browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dashboard() -> Iterator[str]:
    """``streamlit run dashboard.py`` on a free port (after ``python -m geo prepare``); yields its address."""
    subprocess.run([sys.executable, "-m", "geo", "prepare"], cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.headless", "true"],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("the dashboard did not start") from None
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def save_png(raw: bytes, path: Path) -> None:
    """Write a screenshot as a palette PNG (256 colours, no dithering: flat map colours stay flat)."""
    from PIL import Image

    img = Image.open(io.BytesIO(raw)).convert("RGB")
    img.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)


def take(shots: list[Shot], base: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for shot in shots:
                ctx = browser.new_context(viewport={"width": shot.size[0], "height": shot.size[1]})
                page = ctx.new_page()
                page.set_default_timeout(90000)
                try:
                    shot.take(page, base)
                    path = out / f"{shot.name}.png"
                    save_png(page.screenshot(), path)
                    written.append(path)
                    print(f"{path}  {path.stat().st_size // 1024} KB", file=sys.stderr)
                finally:
                    ctx.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder (default docs/img)")
    parser.add_argument("--only", nargs="*", default=[], help="shots whose name starts with one of these")
    parser.add_argument("--url", help="a running dashboard (default: start one on a free port)")
    args = parser.parse_args(argv)
    shots = [s for s in SHOTS if not args.only or any(s.name.startswith(o) for o in args.only)]
    if not shots:
        parser.error("no shot named so: " + ", ".join(s.name for s in SHOTS))
    if args.url:
        take(shots, args.url.rstrip("/"), args.out)
    else:
        with dashboard() as url:
            take(shots, url, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
