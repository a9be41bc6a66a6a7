"""What one planner action costs the browser and the server, in CPU-seconds.

    .venv/bin/python bench/actions.py [--plan guizhou] [--clicks 8] [--url http://127.0.0.1:8501]

One headless Chromium page against one dashboard (started here unless --url is given). For a Map page
load, each map click (pointer down in the map's frame until the clause list below the map shows that
feature, then until the page is idle again) and an idle stretch of the same length, it reports the CPU
time (user + system, psutil) of the browser's process tree and of the server, and Chromium's own
per-page counters (CDP ``Performance.getMetrics``: script, layout, style recalculation and task time of
the page's renderer, which also runs the map's frame: same origin). This is what bench/load.py's
K sessions multiply on one machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import runpy
import statistics
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# bench/dashboard.py's page helpers, loaded by path: `dashboard` is also the app's own module name
_BD = SimpleNamespace(**runpy.run_path(str(Path(__file__).with_name("dashboard.py"))))
METRICS = ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration")
PARTS = ("renderer", "gpu-process", "main")  # of Chromium, reported apart


def _kind(proc) -> str:
    """Which part of Chromium a process is (its ``--type``: renderer, gpu-process, utility), or "main"
    for Chromium's main (browser) process and "other" for the rest (Playwright's driver, the server's helpers)."""
    cmd = proc.cmdline()
    if not cmd or "chrom" not in Path(cmd[0]).name:
        return "other"
    return next((a.split("=", 1)[1] for a in cmd if a.startswith("--type=")), "main")


def cpu_by_kind(pids_fn) -> dict[str, float]:
    """CPU seconds (user + system) so far of the processes ``pids_fn()`` names and their children, by `_kind`."""
    import psutil

    out: dict[str, float] = {}
    for pid in pids_fn():
        with contextlib.suppress(psutil.NoSuchProcess):
            proc = psutil.Process(pid)
            for p in [proc, *proc.children(recursive=True)]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    t = p.cpu_times()
                    out[_kind(p)] = out.get(_kind(p), 0.0) + t.user + t.system
    return out


class Meter:
    """CPU of the browser tree and of the server, and the page's CDP counters, between two marks."""

    def __init__(self, server_pids, browser_pids):
        self.server_pids, self.browser_pids = server_pids, browser_pids
        self.cdp = None
        self.rows: dict[str, list[dict[str, float]]] = {}

    def watch(self, page) -> None:
        """Read the CDP counters of ``page`` from now on."""
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Performance.enable")

    def _now(self) -> dict[str, float]:
        got = {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}
        parts = cpu_by_kind(self.browser_pids)
        return {"browser": sum(parts.values()), "server": sum(cpu_by_kind(self.server_pids).values()),
                **{k: parts.get(k, 0.0) for k in PARTS}, **{k: got.get(k, 0.0) for k in METRICS}}

    @contextlib.contextmanager
    def action(self, name: str):
        before = self._now()
        yield
        after = self._now()
        self.rows.setdefault(name, []).append({k: after[k] - before[k] for k in after})

    def report(self) -> None:
        cols = ("browser", "server", *PARTS, *METRICS)
        print("medians, CPU-s (browser: Chromium's process tree and Playwright's driver; renderer, gpu-process,\n"
              "main: those of Chromium's processes) and s (the page's CDP counters)")
        print(f"{'action':<8} {'n':>3} " + " ".join(f"{c[:19]:>19}" for c in cols))
        for name, rows in self.rows.items():
            med = {c: statistics.median(r[c] for r in rows) for c in cols}
            print(f"{name:<8} {len(rows):>3} " + " ".join(f"{med[c]:>19.3f}" for c in cols))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plan", default="guizhou")
    ap.add_argument("--clicks", type=int, default=8)
    ap.add_argument("--loads", type=int, default=3)
    ap.add_argument("--url", default=None, help="a dashboard already running (default: start one)")
    args = ap.parse_args()

    import psutil
    from playwright.sync_api import sync_playwright

    with contextlib.ExitStack() as stack:
        if args.url:
            url = args.url
            port = int(url.rsplit(":", 1)[1].split("/")[0])
            server_pids = lambda: [c.pid for c in psutil.net_connections("tcp")
                                   if c.laddr and c.laddr.port == port and c.status == "LISTEN" and c.pid]
        else:
            url = stack.enter_context(_BD.streamlit_server(ROOT / "dashboard.py", ROOT))
            me = psutil.Process(os.getpid())
            server_pids = lambda: [p.pid for p in me.children() if "streamlit" in " ".join(p.cmdline())]
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=_BD.CHROMIUM_ARGS)
        # Playwright's driver is a child of this process and Chromium a child of the driver
        browser_pids = lambda: [c.pid for c in psutil.Process(os.getpid()).children()
                                if c.pid not in server_pids() and "streamlit" not in " ".join(c.cmdline())]
        warm = browser.new_page()
        warm.goto(f"{url}/?plan={args.plan}")
        warm.wait_for_selector(_BD.READY, timeout=120000)
        warm.close()
        meter = Meter(server_pids, browser_pids)
        for run in range(args.loads):
            ctx = browser.new_context(viewport={"width": 1400, "height": 950})
            page = ctx.new_page()
            meter.watch(page)
            with meter.action("load"):
                page.goto(f"{url}/?plan={args.plan}")
                page.wait_for_function(_BD.FIRST_SHAPE_JS, polling=100, timeout=60000)
                page.wait_for_function("() => new URLSearchParams(location.search).has('z')", polling=100)
                page.wait_for_selector(_BD.READY)
                page.wait_for_timeout(1500)
            if run == 0:
                frame = next(f for f in page.frames if f"/component/{_BD.MAP_COMPONENT}/" in (f.url or ""))
                box = page.locator(_BD.MAP_FRAME).bounding_box()
                done: set[str] = set()
                for _ in range(args.clicks):
                    fresh = [tg for tg in frame.evaluate(_BD.CLICKABLE_JS) if tg["id"] not in done]
                    if not fresh:
                        break
                    tgt = fresh[len(done) * 7 % len(fresh)]
                    done.add(tgt["id"])
                    with meter.action("click"):
                        page.mouse.click(box["x"] + tgt["x"], box["y"] + tgt["y"])
                        page.wait_for_selector(f'.ghyzt-list[data-feature="{tgt["id"]}"]', state="attached",
                                               timeout=20000)
                        page.wait_for_selector(_BD.READY)
                        page.wait_for_timeout(1500)
                    with meter.action("idle"):
                        page.wait_for_timeout(1500 + 300)
            ctx.close()
        meter.report()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
