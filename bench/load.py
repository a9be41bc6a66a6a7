"""K concurrent planner sessions against the cluster (deploy/cluster.py): 1 replica, then 2, behind nginx.

    .venv/bin/python bench/load.py [--ks 1,10,20,50,100] [--replicas 1,2] [--clicks 6] [--think 5]
                                   [--think-jitter 0.5] [--seed 21] [--ramp 0] [--port 8680] [--browser]

Each session is one planner: it opens the 贵州 Map page (``/?plan=guizhou``), clicks features one after
another (each click timed to the clause list below the map showing that feature: a round trip through
nginx and a replica), switches to the Text page and back to the Map page, and then stays open, idle. A
planner reads what each action showed before the next one: the session waits about --think seconds after the
Map page has loaded, after each click and after each page switch. The default, 5 s, is a glance: a click shows
the feature's clause list, 190–330 characters for the middle half of 贵州's features (median 290), some
25–60 s of reading at 5–8 characters a second; so K sessions ask more of the server than K planners
reading would. Each wait is drawn anew, uniform in [1 − j, 1 + j] × --think with j = --think-jitter (default
0.5: 2.5–7.5 s), as planners read and as load tools pace their users (Locust's `between`), from a random
generator seeded by --seed, the level's K and the session's number, so that a run repeats. --think-jitter 0
keeps every wait at --think: sessions that arrive together then act in step, each action a burst of K at
once (the lockstep stress test). --think 0 makes every session act back to back, as fast as the server
answers: a stress test, not K planners. The K sessions start together (0.1 s apart), or evenly spread over
--ramp seconds.

By default a session speaks Streamlit's own websocket protocol (bench/stclient.py: the protobuf messages
a browser tab sends and receives, without drawing anything), so that one process holds 100 sessions for a
small fraction of the servers' CPU, and the figures are the servers'. A click is the map frame's report of
the choice (the component's value) and the rerun it causes, timed from sending it until the run is done
and has drawn that feature's clause list with its first clause (else the session fails); the Map page load
is the first run, the frame's report of its view once drawn, and the full run that follows. Each session
connects from a loopback address of its own (127.0.1.x …): nginx limits new websockets per client address
(deploy/nginx.conf.template), and K planners are K machines.

With --browser, each session is a fresh headless Chromium context (one browser for all) on loopback only,
driving the real page (the check, at K = 5, that the page behaves as the protocol sessions say): a click
is timed from the pointer going down on a feature's shape in the map's frame to the clause list below the
map showing that feature, inside the page; a click aims at a point that the shape covers also 2 px
around, and should it still land on another feature, it is timed to that one's list and counted. The
bench waits in the pages on promises (MutationObservers) or checks every 100 ms, never on every animation
frame: that would make all K pages draw frames while they wait, load the bench itself puts on the browser.

Before the first level each replica serves one whole session, untimed (its first-run caches). Per K it
reports: sessions that did everything without an error or a timeout; median and p95
click-to-clause-list latency over all clicks; the page switch time; the replicas' resident memory
(psutil RSS, all replicas together) before the sessions, with the K sessions open and idle, and after
they closed and the replicas dropped their sessions (`deploy.cluster.DISCONNECTED_SESSION_TTL_S` + 5 s);
memory per idle session = (open − before) / K, and what the replicas kept after closing (after − before);
the replicas' CPU-seconds (psutil) per planner action (a Map page load, a click, a page switch), the
generator's own (this process: the protocol sessions) and the rest's (Chromium with --browser, nginx,
PostgreSQL). Over the levels of one cluster size, memory per idle session is the least-squares slope of
(open − before) over K: one session's figure is within the RSS noise.

Targets (issue #21): no error at the largest K (100); p95 at K = 50 on 2 replicas ≤ 3 × the K = 1
figure (with --browser, the largest K); memory per idle session ≤ 5 MB (the slope when more than one level
ran, else the one level's figure). Bounded: at most max(ks) sessions at a time (40 with --browser), each
cut off after --session-timeout seconds, the whole run after --deadline seconds. Prints a table; exits 1 if
a target is missed. Needs `make setup system` (nginx, PostgreSQL; Chromium for --browser).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import runpy
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import stclient  # bench/stclient.py: this script's folder is on sys.path

from deploy.cluster import DISCONNECTED_SESSION_TTL_S, ROUTE_COOKIE, Cluster, free_port_block

# bench/dashboard.py's page helpers, loaded by path: `dashboard` is also the app's own module name
_BD = SimpleNamespace(**runpy.run_path(str(Path(__file__).with_name("dashboard.py"))))
CHROMIUM_ARGS, CLICKABLE_JS = _BD.CHROMIUM_ARGS, _BD.CLICKABLE_JS
MAP_FRAME, READY = _BD.MAP_FRAME, _BD.READY

# In the map's frame: the time (ms since the epoch) the next pointer goes down.
# Also the feature whose shape the pointer went down on: that feature's clause list is what the click
# waits for.
ARM_DOWN_JS = """() => {
  window.__loadDown = null;
  document.addEventListener("pointerdown", (e) => {
    const at = performance.timeOrigin + performance.now();
    let id = null;
    for (const k in window.map._layers) {
      const l = window.map._layers[k];
      if (l._path === e.target && l.feature && l.feature.properties) { id = l.feature.properties.id; break; }
    }
    window.__loadDown = {at: at, id: id};
  }, {capture: true, once: true});
}"""
# In the map's frame: the first of these targets (from CLICKABLE_JS) that a click at its point still reaches,
# also 2 px beside it (the page's fractional offsets round the mouse's position: a point on the edge of a
# shape, or on a line drawn over it, may be clicked as the neighbour's).
STILL_CLICKABLE_JS = """(targets) => {
  const paths = {}, panel = document.querySelector(".ghyzt-panel");
  for (const k in window.map._layers) {
    const l = window.map._layers[k], p = l.feature && l.feature.properties;
    if (p && l._path) { (paths[p.id] = paths[p.id] || []).push(l._path); }
  }
  const hits = (t, x, y) => {
    const e = document.elementFromPoint(x, y);
    return e && (paths[t.id] || []).includes(e) && !(panel && panel.contains(e));
  };
  for (const t of targets) {
    if ([[0, 0], [2, 0], [-2, 0], [0, 2], [0, -2]].every(([dx, dy]) => hits(t, t.x + dx, t.y + dy))) { return t; }
  }
  return null;
}"""
# In the page: when the clause list of each feature appears below the map (those shown already excepted),
# and `when(id)`, a promise of that time that the bench awaits once it knows which feature the pointer went
# down on (a MutationObserver: the page does nothing until the DOM changes; polling on every animation
# frame, Playwright's default, would make all K pages draw frames while they wait).
ARM_LIST_JS = """() => {
  if (window.__loadList) { window.__loadList.obs.disconnect(); }  // the last click's
  const lists = () => Array.from(document.querySelectorAll(".ghyzt-list[data-feature]"), (e) => e.dataset.feature);
  const b = window.__loadList = {before: lists(), shown: {}, waiting: {}};
  const obs = b.obs = new MutationObserver(() => {
    const at = performance.timeOrigin + performance.now();
    for (const id of lists()) {
      if (!(id in b.shown) && !b.before.includes(id)) {
        b.shown[id] = at;
        if (b.waiting[id]) { b.waiting[id](at); }
      }
    }
  });
  obs.observe(document.body, {subtree: true, childList: true, attributes: true});
  b.when = (id) => id in b.shown ? Promise.resolve(b.shown[id]) : new Promise((resolve) => { b.waiting[id] = resolve; });
}"""
# In the page: a promise of the time (ms since the epoch) the map frame's first shape appears. The frame's
# document is replaced when the frame loads its page, which no observer of this page sees, so the frame is
# looked for every 100 ms; once it holds its own page, an observer of that document times the shape exactly.
SHAPE_SHOWN_JS = f"""() => new Promise((resolve) => {{
  let watched = null, inner = null;
  const check = () => {{
    const f = document.querySelector('{MAP_FRAME}'), d = f && f.contentDocument;
    if (d && d.querySelector(".leaflet-interactive")) {{
      const at = performance.timeOrigin + performance.now();
      clearInterval(timer); outer.disconnect(); if (inner) inner.disconnect();
      resolve(at);
    }} else if (d && d !== watched && d.documentElement) {{
      watched = d;
      if (inner) inner.disconnect();
      inner = new MutationObserver(check);
      inner.observe(d.documentElement, {{subtree: true, childList: true}});
    }}
  }};
  const outer = new MutationObserver(check);
  outer.observe(document.documentElement, {{subtree: true, childList: true}});
  const timer = setInterval(check, 100);
  check();
}})"""
# Not timed, only waited for: a check every 100 ms is enough and costs next to nothing.
POLL_MS = 100


async def shape_shown(page, timeout: float = 60) -> float:
    """Wait for the map frame's first shape; return when it appeared (seconds since the epoch, page clock)."""
    return await asyncio.wait_for(page.evaluate(SHAPE_SHOWN_JS), timeout) / 1000


@dataclass
class SessionResult:
    ok: bool = False
    error: str = ""
    load_s: float = float("nan")
    clicks_s: list[float] = field(default_factory=list)
    switches_s: list[float] = field(default_factory=list)
    missed: int = 0  # clicks whose pointer went down on another feature than aimed at (timed all the same)
    wasted: int = 0  # clicks on no feature or on the one already shown (nothing to time; clicked again)
    lists_s: list[float] = field(default_factory=list)  # protocol: click → the list's element arrived
    bytes_in: int = 0  # protocol: what the session received over its websocket


def pacer(think: float, jitter: float, seed: int | str, k: int, i: int) -> Callable[[], float]:
    """Session ``i`` of a level of ``k`` sessions: its waits, each drawn anew, uniform in [1 − jitter, 1 + jitter] ×
    ``think`` (Locust's `between`), from a generator of its own seeded by (seed, k, i): the same run repeats, and
    the sessions of a level do not share draws. ``jitter`` 0: every wait is ``think`` (sessions in lockstep)."""
    if not 0 <= jitter <= 1:
        raise ValueError(f"think jitter {jitter} not within [0, 1]")
    if jitter == 0 or think == 0:
        return lambda: think
    rng = random.Random(f"{seed}/{k}/{i}")
    return lambda: think * rng.uniform(1 - jitter, 1 + jitter)


def source_address(i: int) -> str:
    """The loopback address protocol session ``i`` connects from: 127.0.1.1, 127.0.1.2, … (Linux routes all of
    127.0.0.0/8 to the loopback interface), so that nginx sees K planners, not one address opening K sockets."""
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


async def protocol_session(url: str, cache: stclient.MessageCache, addr: str, clicks: int,
                           think: Callable[[], float], opened: asyncio.Event, close: asyncio.Event, result: SessionResult, timeout: float,
                           cookies: dict[str, str] | None = None) -> None:
    """One planner over Streamlit's protocol (bench/stclient.py): the Map page, ``clicks`` features, the Text
    page and back; idle until ``close``. A click counts only if its run drew that feature's clause list.
    ``think()``: the seconds of each wait (`pacer`)."""
    import websockets

    session = stclient.Session(url, cache=cache, local_addr=addr, cookies=cookies, timeout=120)
    try:
        async def work() -> None:
            t0 = time.perf_counter()
            await session.connect()
            run = await session.open_map()
            result.load_s = run.finished_at - t0
            # the same features for every session, in the same order, as the browser mode's targets
            targets = session.clickable()
            if not targets:
                raise stclient.ProtocolError("the map offers no feature to click")
            await asyncio.sleep(think())  # the planner looks at the map before the first click
            for i in range(clicks):
                f = targets[i * 7 % len(targets)]
                run, why = await session.click(f.id)
                if why:
                    raise stclient.ProtocolError(f"click on {f.id}: {why}")
                result.clicks_s.append(run.seconds)
                result.lists_s.append(run.first_text_at[f.id] - run.sent_at)
                await asyncio.sleep(think())  # the planner reads the clause before the next click
            for page in ("text", ""):
                run = await session.switch(page)
                result.switches_s.append(run.seconds)
                await asyncio.sleep(think())

        await asyncio.wait_for(work(), timeout)
        result.ok = True
    except (stclient.ProtocolError, TimeoutError, OSError, websockets.WebSocketException) as exc:
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    finally:
        result.bytes_in = session.bytes_in
        opened.set()
        await close.wait()
        await session.close()


async def one_session(browser, url: str, clicks: int, think: Callable[[], float], opened: asyncio.Event,
                      close: asyncio.Event, result: SessionResult, timeout: float, cookies: list[dict] | None = None) -> None:
    """One planner: load the Map page, click ``clicks`` features, Text page and back; idle until ``close``."""
    from playwright.async_api import Error as PlaywrightError
    ctx = await browser.new_context(viewport={"width": 1400, "height": 950})
    await ctx.add_cookies(cookies or [])
    errors: list[str] = []
    try:
        page = await ctx.new_page()
        page.set_default_timeout(60000)
        page.on("pageerror", lambda e: errors.append(str(e)))

        async def work() -> None:
            t0 = time.time()  # the page's clock is this machine's: shape_shown's time compares with it
            await page.goto(f"{url}/?plan=guizhou")
            result.load_s = await shape_shown(page) - t0
            await page.wait_for_function("() => new URLSearchParams(location.search).has('z')", polling=POLL_MS)
            await page.wait_for_selector(READY)
            frame = next(f for f in page.frames if f"/component/{_BD.MAP_COMPONENT}/" in (f.url or ""))
            # Once: finding every clickable shape hit-tests and measures all of them (some 50 ms of the
            # renderer's time), and a click moves no shape; before each click only the chosen one is checked.
            targets = await frame.evaluate(CLICKABLE_JS)
            await asyncio.sleep(think())  # the planner looks at the map before the first click
            done: set[str] = set()
            while len(result.clicks_s) < clicks and result.wasted <= clicks:
                await page.wait_for_selector(READY)
                box = await page.locator(MAP_FRAME).bounding_box()
                fresh = [t for t in targets if t["id"] not in done]
                start = len(done) * 7 % len(fresh) if fresh else 0
                # the panel opened by the last click covers part of the map: the first target still clear
                tgt = await frame.evaluate(STILL_CLICKABLE_JS, fresh[start:] + fresh[:start])
                if tgt is None:
                    break
                done.add(tgt["id"])
                await frame.evaluate(ARM_DOWN_JS)
                await page.evaluate(ARM_LIST_JS)
                await page.mouse.click(box["x"] + tgt["x"], box["y"] + tgt["y"])
                down = await frame.evaluate("() => window.__loadDown")
                hit = down and down["id"]
                if not hit or hit in (await page.evaluate("() => window.__loadList.before")):
                    result.wasted += 1  # no shape, or the feature shown already: no new list to wait for
                    continue
                result.missed += hit != tgt["id"]
                done.add(hit)
                try:
                    shown = await asyncio.wait_for(page.evaluate("(id) => window.__loadList.when(id)", hit), 60)
                except (PlaywrightError, TimeoutError) as exc:
                    # say what the page shows instead: another feature's list or none
                    shows = await page.evaluate("""() => [new URLSearchParams(location.search).get('f'),
                        (document.querySelector('.ghyzt-list[data-feature]') || {dataset: {}}).dataset.feature]""")
                    raise PlaywrightError(f"no clause list of {hit} (aimed at {tgt['id']}) in 60 s; "
                                          f"URL f={shows[0]}, list of {shows[1]}") from exc
                result.clicks_s.append((shown - down["at"]) / 1000)
                await asyncio.sleep(think())  # the planner reads the clause before the next click
            await page.wait_for_selector(READY)
            for link, arrived in (("条文", "**/text?**"), ("地图", None)):
                t1 = time.perf_counter()
                await page.locator('[data-testid="stSidebar"] a', has_text=link).click()
                if arrived:
                    await page.wait_for_url(arrived)
                else:
                    await shape_shown(page)
                await page.wait_for_selector(READY)
                result.switches_s.append(time.perf_counter() - t1)
                await asyncio.sleep(think())

        await asyncio.wait_for(work(), timeout)
        result.ok = not errors
        result.error = "; ".join(errors[:2])
    except (PlaywrightError, TimeoutError, StopIteration) as exc:  # this session failed; the others go on
        result.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
    finally:
        opened.set()
        await close.wait()
        await ctx.close()


def replicas_rss(cluster: Cluster) -> int:
    """Resident memory of the replica processes (and any children), in bytes."""
    import psutil

    total = 0
    for pid in cluster.replica_pids():
        try:
            proc = psutil.Process(pid)
            total += proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
        except psutil.NoSuchProcess:
            pass
    return total


def cpu_seconds(cluster: Cluster) -> tuple[float, float, float]:
    """CPU time (user + system) used so far by the replicas, by everything else this script started
    (Playwright's driver and Chromium, nginx, PostgreSQL), and by this process itself (the protocol
    sessions): where a level's time went on this machine."""
    import psutil

    def used(proc) -> float:
        t = proc.cpu_times()
        return t.user + t.system

    replicas, others = 0.0, 0.0
    own = used(psutil.Process(os.getpid()))
    pids = set(cluster.replica_pids())
    for proc in psutil.Process(os.getpid()).children(recursive=True):
        try:
            if proc.pid in pids:
                replicas += used(proc)
            else:
                others += used(proc)
        except psutil.NoSuchProcess:
            pass
    return replicas, others, own


async def run_level(start, cluster: Cluster, k: int, ramp: float = 0.0) -> dict:
    """K sessions, started 0.1 s apart (or evenly over ``ramp`` seconds); their figures and the replicas'
    memory before, open and idle, and after. ``start(i, result, opened, close)``: session ``i``'s coroutine."""
    await asyncio.sleep(2)
    before = replicas_rss(cluster)
    results = [SessionResult() for _ in range(k)]
    close = asyncio.Event()
    events = [asyncio.Event() for _ in range(k)]
    tasks = []
    started = time.perf_counter()
    cpu_before = cpu_seconds(cluster)
    for i in range(k):
        tasks.append(asyncio.create_task(start(i, results[i], events[i], close)))
        await asyncio.sleep(ramp / k if ramp > 0 else 0.1)
    for e in events:
        await e.wait()
    busy_s = time.perf_counter() - started
    cpu_after = cpu_seconds(cluster)
    await asyncio.sleep(3)  # idle: the last reruns done, nothing in flight
    open_rss = replicas_rss(cluster)
    close.set()
    await asyncio.gather(*tasks)
    await asyncio.sleep(DISCONNECTED_SESSION_TTL_S + 5)  # the replicas drop the closed sessions
    after = replicas_rss(cluster)
    clicks_s = sorted(c for r in results for c in r.clicks_s)
    lists_s = sorted(c for r in results for c in r.lists_s)
    per_session = (open_rss - before) / k
    # planner actions done: each session's Map page load, its clicks and its page switches
    actions = sum((not math.isnan(r.load_s)) + len(r.clicks_s) + len(r.switches_s) for r in results)
    cpu_replicas = cpu_after[0] - cpu_before[0]
    return {
        "k": k, "ok": sum(r.ok for r in results), "errors": [r.error for r in results if not r.ok][:3],
        "clicks": len(clicks_s), "click_median_s": statistics.median(clicks_s) if clicks_s else float("nan"),
        "click_p95_s": _p95(clicks_s), "load_median_s": statistics.median([r.load_s for r in results]),
        "switch_median_s": statistics.median([s for r in results for s in r.switches_s] or [float("nan")]),
        "list_median_s": statistics.median(lists_s) if lists_s else float("nan"),
        "busy_s": busy_s, "cpu_replicas_s": cpu_replicas, "cpu_others_s": cpu_after[1] - cpu_before[1],
        "cpu_generator_s": cpu_after[2] - cpu_before[2],
        "actions": actions, "replica_ms_per_action": 1000 * cpu_replicas / actions if actions else float("nan"),
        "ramp_s": ramp, "received_mb": sum(r.bytes_in for r in results) / 2**20,
        "missed_aims": sum(r.missed for r in results), "wasted_clicks": sum(r.wasted for r in results),
        "rss_before": before, "rss_open": open_rss, "rss_after": after,
        "per_session_mb": per_session / 2**20,
        "kept_mb": (after - before) / 2**20,
    }


def memory_per_session(rows: list[dict]) -> dict[int, tuple[float, str]]:
    """Per cluster size: the memory an idle session costs, in MB, and how it was found.

    One session's (open − before) is lost in the replicas' RSS noise of a few MB, so with more than one
    level the figure is the least-squares slope of (open − before) over K through the levels; the
    intercept takes the noise and whatever a level's first session warms up. One level: (open − before) / K.
    """
    out = {}
    for n in sorted({r["replicas"] for r in rows}):
        levels = [r for r in rows if r["replicas"] == n]
        ks = [r["k"] for r in levels]
        if len(set(ks)) > 1:
            fit = statistics.linear_regression(ks, [(r["rss_open"] - r["rss_before"]) / 2**20 for r in levels])
            out[n] = (fit.slope, f"slope over K = {', '.join(map(str, ks))}")
        else:
            out[n] = (levels[0]["per_session_mb"], f"K = {ks[0]} alone")
    return out


def _p95(xs: list[float]) -> float:
    if not xs:
        return float("nan")
    if len(xs) < 2:
        return xs[0]
    return statistics.quantiles(xs, n=20, method="inclusive")[-1]


async def bench(args) -> list[dict]:
    async with contextlib.AsyncExitStack() as stack:
        if args.browser:
            from playwright.async_api import async_playwright

            p = await stack.enter_async_context(async_playwright())
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            stack.push_async_callback(browser.close)

            def starter(url: str, k: int):
                return lambda i, result, opened, close: one_session(
                    browser, url, args.clicks, pacer(args.think, args.think_jitter, args.seed, k, i), opened, close,
                    result, args.session_timeout)

            async def warm(url: str, route: str, result: SessionResult) -> None:
                done = asyncio.Event()
                done.set()
                await one_session(browser, url, args.clicks, lambda: 0, asyncio.Event(), done, result, 300,
                                  [{"name": ROUTE_COOKIE, "value": route, "url": url}])
        else:
            cache = stclient.MessageCache()  # one for the process: each session holds only its own hashes

            def starter(url: str, k: int):
                return lambda i, result, opened, close: protocol_session(
                    url, cache, source_address(i), args.clicks, pacer(args.think, args.think_jitter, args.seed, k, i),
                    opened, close, result, args.session_timeout)

            async def warm(url: str, route: str, result: SessionResult) -> None:
                done = asyncio.Event()
                done.set()
                await protocol_session(url, cache, "127.0.0.1", args.clicks, lambda: 0, asyncio.Event(), done, result, 300,
                                       {ROUTE_COOKIE: route})
        return await _levels(args, starter, warm)


async def _levels(args, starter, warm) -> list[dict]:
    rows = []
    deadline = time.time() + args.deadline
    for n in args.replicas:
        # kept after the run: the replicas' and nginx's logs, to look into any failed session
        run_dir = Path(tempfile.mkdtemp(prefix=f"ghyzt-load-{n}-"))
        print(f"{n} replica(s): logs in {run_dir}", file=sys.stderr, flush=True)
        with Cluster(run_dir=run_dir, replicas=n, port=args.port or free_port_block(8680)) as cluster:
            # Warm each replica with one whole planner session, untimed: the first-run caches (the plan's
            # layers, the rendered map, the panels clicked, the Text page's outline, jieba) are filled
            # once per replica, not counted as the first level's memory per session.
            for i in range(1, n + 1):
                result = SessionResult()
                await warm(cluster.url, cluster.route_to(i, "warm"), result)
                if not result.ok:
                    print(f"warming replica {i}: {result.error}", file=sys.stderr, flush=True)
            await asyncio.sleep(DISCONNECTED_SESSION_TTL_S + 5)  # the warming sessions dropped, as after a level
            for k in args.ks:
                if time.time() > deadline:
                    print(f"deadline reached: K = {k} on {n} replica(s) not run", file=sys.stderr)
                    break
                row = {"replicas": n, "load_avg": os.getloadavg()[0], "think_s": args.think,
                       "think_jitter": args.think_jitter, "seed": args.seed,
                       "mode": "browser" if args.browser else "protocol",
                       **await run_level(starter(cluster.url, k), cluster, k, args.ramp),
                       "load_avg_end": os.getloadavg()[0]}
                rows.append(row)
                print(_line(row), flush=True)
    return rows


HEADER = ("replicas", "K", "sessions ok", "clicks", "click→list median", "p95", "page switch", "Map load",
          "RSS before→open→after (MB)", "per idle session", "kept after closing",
          "CPU-s replicas / generator / rest", "replica CPU per action", "busy", "load avg start→end")


def _line(r: dict) -> str:
    mb = lambda b: f"{b / 2**20:.0f}"
    return " | ".join([
        str(r["replicas"]), str(r["k"]), f"{r['ok']}/{r['k']}", str(r["clicks"]),
        f"{r['click_median_s'] * 1000:.0f} ms", f"{r['click_p95_s'] * 1000:.0f} ms",
        f"{r['switch_median_s']:.2f} s", f"{r['load_median_s']:.2f} s",
        f"{mb(r['rss_before'])}→{mb(r['rss_open'])}→{mb(r['rss_after'])}", f"{r['per_session_mb']:.2f} MB",
        f"{r['kept_mb']:+.0f} MB",
        f"{r['cpu_replicas_s']:.1f} / {r['cpu_generator_s']:.1f} / {r['cpu_others_s']:.1f}",
        f"{r['replica_ms_per_action']:.0f} ms",
        f"{r['busy_s']:.0f} s", f"{r['load_avg']:.1f}→{r['load_avg_end']:.1f}"]) + ("" if not r["errors"] else f"  errors: {r['errors']}")


def pacing(args) -> str:
    """The sessions' pace as the header says it: the think time, how its waits are drawn, how the K arrive."""
    if args.think == 0:
        waits = "no think time (back to back)"
    elif args.think_jitter == 0:
        waits = f"{args.think:g} s think time, fixed (sessions in lockstep)"
    else:
        lo, hi = args.think * (1 - args.think_jitter), args.think * (1 + args.think_jitter)
        waits = f"{args.think:g} s think time, each wait uniform in {lo:g}–{hi:g} s (seed {args.seed})"
    return waits + (f", arrivals over {args.ramp:g} s" if args.ramp else ", arrivals together (0.1 s apart)")


def _loads() -> str:
    """The machine's load average over 1, 5 and 15 minutes, as `uptime` says it (other work shares the cores)."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ks", default=None, help="concurrent sessions, comma-separated (default 1,10,20,50,100; "
                    "with --browser 1,5,10,20)")
    ap.add_argument("--replicas", default="1,2", help="cluster sizes, comma-separated")
    ap.add_argument("--clicks", type=int, default=6, help="feature clicks per session")
    ap.add_argument("--think", type=float, default=5.0,
                    help="seconds a planner reads after each action, on average (default 5; 0: back to back, "
                    "a stress test)")
    ap.add_argument("--think-jitter", type=float, default=0.5,
                    help="each wait is uniform in [1 - j, 1 + j] x --think (default 0.5; 0: every wait --think, "
                    "sessions arriving together act in step, the lockstep stress test)")
    ap.add_argument("--seed", default="21", help="seeds the waits' random draws, with K and the session's number "
                    "(default 21: a run repeats)")
    ap.add_argument("--ramp", type=float, default=0.0,
                    help="start the K sessions evenly over this many seconds (default: together, 0.1 s apart)")
    ap.add_argument("--browser", action="store_true",
                    help="drive headless Chromium sessions (the real page) instead of the protocol")
    ap.add_argument("--port", type=int, default=0, help="nginx's port (default: a free block from 8680)")
    ap.add_argument("--session-timeout", type=float, default=300, help="seconds before a session counts as failed")
    ap.add_argument("--deadline", type=float, default=2400, help="seconds for the whole run")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    args.ks = [int(x) for x in (args.ks or ("1,5,10,20" if args.browser else "1,10,20,50,100")).split(",")]
    args.replicas = [int(x) for x in args.replicas.split(",")]
    if args.browser and max(args.ks) > 40:
        ap.error("at most 40 browser sessions at a time on this machine")
    if max(args.ks) > 1000:
        ap.error("at most 1,000 protocol sessions at a time")
    if not 0 <= args.think_jitter <= 1:
        ap.error("--think-jitter is within [0, 1]")

    print(f"{os.cpu_count()} cores, load average {_loads()} at the start; "
          f"{'Chromium' if args.browser else 'protocol'} sessions, {pacing(args)}", flush=True)
    print(" | ".join(HEADER), flush=True)
    rows = asyncio.run(bench(args))
    print(f"load average {_loads()} at the end")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "memory_per_session_mb": memory_per_session(rows)},
                                        indent=1), encoding="utf-8")

    ok = True
    by = {(r["replicas"], r["k"]): r for r in rows}
    top = max(args.ks)
    for (n, k), r in by.items():
        if k == top and r["ok"] < k:
            print(f"target missed: {k - r['ok']} of {k} sessions failed on {n} replica(s)")
            ok = False
    memory = memory_per_session(rows)
    for n, (mb, how) in memory.items():
        print(f"memory per idle session on {n} replica(s): {mb:.2f} MB ({how}; target ≤ 5 MB)")
        if mb > 5:
            print(f"target missed: {mb:.1f} MB per idle session on {n} replica(s)")
            ok = False
    who = "Chromium and the rest" if args.browser else "nginx and PostgreSQL"
    for r in rows:
        line = (f"{r['replicas']} replica(s), K = {r['k']}: {r['actions']} planner actions, replicas "
                f"{r['replica_ms_per_action']:.0f} CPU-ms per action (one core: "
                f"{1000 / r['replica_ms_per_action']:.0f} actions/s); ")
        if args.browser:
            line += (f"browser and the rest {r['cpu_others_s'] / r['k']:.1f} CPU-s per session; clicks on another "
                     f"feature than aimed at {r['missed_aims']} (timed to that feature's list), on none or the "
                     f"one shown {r['wasted_clicks']}")
        else:
            share = r["cpu_generator_s"] / r["cpu_replicas_s"] if r["cpu_replicas_s"] else float("nan")
            line += (f"the generator {1000 * r['cpu_generator_s'] / max(r['actions'], 1):.1f} CPU-ms per action "
                     f"({share:.0%} of the replicas'), {who} {r['cpu_others_s']:.1f} CPU-s; click → the list's "
                     f"element median {r['list_median_s'] * 1000:.0f} ms; {r['received_mb']:.1f} MB received")
        print(line)
    big = top if args.browser else 50
    if (2, big) in by and (2, 1) in by and big > 1:
        ratio = by[(2, big)]["click_p95_s"] / by[(2, 1)]["click_p95_s"]
        median_ratio = by[(2, big)]["click_median_s"] / by[(2, 1)]["click_median_s"]
        print(f"p95 at K = {big} on 2 replicas / p95 at K = 1: {ratio:.1f} (target ≤ 3); medians: {median_ratio:.1f}")
        ok = ok and ratio <= 3
    else:  # not "met": a run without both levels says nothing about it
        print(f"p95 target not judged: it needs K = 1 and K = {big} on 2 replicas in one run")
        if ok:
            print("the targets judged here are met")
            return 0
    print("all targets met" if ok else "some targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
