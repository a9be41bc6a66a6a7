"""Every plan of a province on one server: the plan store filled with N = 10, 100, 1,000 published plans (issue #21).

    .venv/bin/python bench/scale.py                       # SQLite and PostgreSQL, N = 10, 100, 1000
    .venv/bin/python bench/scale.py --backends sqlite --sizes 10 100 1000 10000
    GEO_TEST_PG_URL=postgresql://… .venv/bin/python bench/scale.py --backends postgresql   # a server of your own

The plans are made from the real texts of the corpus: the 27 texts of ``tests/data/plans/`` (drafted by
`geo.importer.draft.draft_plan` under the jurisdiction their labels give) and the five bundled plans (their
curated layers). To reach N, **copies** of these 32 plans are published with another title and year: the
text's first line becomes ``<title>（<year>年版 副本<k>）`` and the layers are the original's (a copy is not
drafted again), so a copy is a distinct plan (another id, other text) naming the same units under the same
jurisdiction. What the copies do not vary: the places each names, so the unit clicked is named by about N/32 ×
(how many originals name it) plans.

Measured on each backend at each N (the store filled cumulatively): publish time per plan (draft excluded:
`PlanStore.save` with its index, what ``python -m geo publish`` adds to drafting); click → where plans meet
(`geo.view.meets.where_plans_meet` for the unit named by the most plans: the store's query and the grouping
the Map page shows; and for a unit one plan names, published first, whose list stays one plan long at every N); catalogue filter (level + province) and full-text search (two and four characters, and a
word found nowhere); the cascade for that unit; the Overview's map of aggregated footprints (the index's grouped query and the map
rendered for the frame, as the page does, warm: the gazetteer loaded, outlines simplified once); store size per plan;
the benchmark process's resident memory (it holds the store as a dashboard server does). Store size per plan is
what the plans add to an empty store (SQLite: the file and its WAL; PostgreSQL: ``pg_database_size``). PostgreSQL is a
throwaway server of ``tests/pgserver.py`` unless ``GEO_TEST_PG_URL`` names one.

``--browser N …`` also times, at those N, the click in Chromium (``/usr/bin/chromium``, Playwright) on a
dashboard serving the bench's store (``GEO_STORE_PATH`` or ``GEO_STORE_URL``, started on ``--port``): the Map page
of a published plan whose admin layer draws the busiest county, a real mouse click on that county's shape in
the map frame, then the time from the pointer going down (in the frame) to the clause list below the map, to
the where-plans-meet list's heading (提到…的其他规划（N 份）) and to the end of the server's run (the page idle).
Each click on a freshly loaded page (``--clicks`` of them; medians). The county clicked is the busiest at the
first of these N, and the same at the others (the plans naming it grow with N).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml

CORPUS = ROOT / "tests" / "data" / "plans"
DRAFTS_CACHE = Path(tempfile.gettempdir()) / "ghyzt-bench-scale-drafts.json"


def base_plans() -> list[dict]:
    """The 32 originals: (title, text, jurisdiction, layers) of the corpus texts drafted, and the bundled plans."""
    from geo.importer.draft import draft_plan
    from geo.layers import LAYERS_DIR, load_layers
    from geo.text.plans import load_plan, plan_ids

    stamp = sorted((p.name, p.stat().st_mtime_ns) for p in CORPUS.glob("*/text.txt"))
    if DRAFTS_CACHE.is_file():
        cached = json.loads(DRAFTS_CACHE.read_text(encoding="utf-8"))
        if cached.get("stamp") == [list(s) for s in stamp]:
            return cached["plans"]
    out = []
    for folder in sorted(CORPUS.iterdir()):
        if not (folder / "text.txt").is_file():
            continue
        labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))
        text = (folder / "text.txt").read_text(encoding="utf-8")
        adcode = str(labels["jurisdiction"]["adcode"])
        d = draft_plan(text, jurisdiction=adcode)
        j = d.jurisdiction
        out.append({"title": str(labels.get("title") or d.title), "text": d.text, "collection": d.collection,
                    "jurisdiction": {"adcode": j.adcode, "name": j.name, "level": j.level, "stated": j.stated,
                                     "reason": j.reason}})
    for pid in plan_ids():
        plan = load_plan(pid)
        layers = load_layers(pid, LAYERS_DIR)
        feats = [f for fc in layers.values() for f in fc.get("features") or ()]
        j = plan.meta.jurisdiction
        out.append({"title": plan.meta.title, "text": plan.original, "collection": {"type": "FeatureCollection",
                                                                                     "features": feats},
                    "jurisdiction": {"adcode": j.adcode, "name": j.name, "level": None, "stated": j.stated,
                                     "reason": ""}})
    DRAFTS_CACHE.write_text(json.dumps({"stamp": [list(s) for s in stamp], "plans": out}, ensure_ascii=False),
                            encoding="utf-8")
    return out


def nth_plan(bases: list[dict], n: int) -> tuple[str, str, dict, dict]:
    """The n-th plan to publish: an original for n < len(bases), else a copy with another title and year."""
    base = bases[n % len(bases)]
    copy = n // len(bases)
    if copy == 0:
        return base["title"], base["text"], base["jurisdiction"], base["collection"]
    year = 2000 + (n * 7) % 26
    title = f"{base['title']}（{year}年版 副本{copy}）"
    return title, f"{title}\n{base['text']}", base["jurisdiction"], base["collection"]


SENTINEL_UNIT = "659001"  # 石河子市: named by no plan of the corpus


def sentinel_plan() -> tuple[str, str, dict, dict]:
    """One small plan naming a unit no other plan names: the click on it returns one plan at every N, so its time
    shows what the store's size alone costs a click (the busiest unit's list grows with N)."""
    feature = {"type": "Feature", "id": "core-1", "geometry": None, "properties": {
        "id": "core-1", "plan": "", "name": "石河子核心区", "name_en": "Shihezi core", "kind": "core", "role": "",
        "clauses": ["一"], "excerpts": [{"clause": "一", "text": "石河子为核心"}], "precision": "exact",
        "precision_note": "", "members": [SENTINEL_UNIT], "inferred": None, "named_only": False}}
    text = "石河子市区域发展方案\n一、格局\n石河子为核心。"
    return ("石河子市区域发展方案", text, {"adcode": SENTINEL_UNIT, "name": "石河子市", "level": "county"},
            {"type": "FeatureCollection", "features": [feature]})


def timed(fn: Callable[[], object], repeat: int = 15) -> tuple[float, object]:
    """Median seconds of ``repeat`` runs (after one warm-up) and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def store_bytes(store) -> int:
    from geo.store import SQLitePlanStore

    if isinstance(store, SQLitePlanStore):
        return sum(os.path.getsize(p) for p in (store.path, store.path + "-wal") if os.path.exists(p))
    with store._transaction(write=False) as run:
        return int(run("SELECT pg_database_size(current_database())")[0][0])


def busiest_unit(store) -> tuple[str, int]:
    """The county (or any unit) named by the most listed plans, and by how many."""
    with store._transaction(write=False) as run:
        rows = run("SELECT u.adcode, COUNT(DISTINCT u.plan_id) AS n FROM plan_units u JOIN plan_catalogue p "
                   "ON p.plan_id = u.plan_id WHERE p.listed = 1 AND substr(u.adcode, 5, 2) <> '00' "
                   "GROUP BY u.adcode ORDER BY n DESC, u.adcode LIMIT 1")
    return (str(rows[0][0]), int(rows[0][1])) if rows else ("", 0)


def measure(store, n: int, publish_times: list[float], repeat: int) -> dict:
    from geo.view import cascade, footprints, meets

    adcode, named = busiest_unit(store)
    row: dict = {"N": n, "publish_ms": 1000 * statistics.median(publish_times),
                 "publish_total_s": sum(publish_times), "unit": adcode, "named_by": named}
    t, meeting = timed(lambda: meets.where_plans_meet(store, [adcode]), repeat)
    row["click_ms"] = 1000 * t
    row["click_plans"] = meeting.total
    t, one = timed(lambda: meets.where_plans_meet(store, [SENTINEL_UNIT]), repeat)
    row["click1_ms"] = 1000 * t
    assert one.total == 1
    entry = store.catalogue()[1][0]
    filters = {"level": entry.level, "province": entry.province}
    t, found = timed(lambda: store.catalogue(filters, limit=20), repeat)
    row["filter_ms"], row["filter_hits"] = 1000 * t, found[0]
    for key, words in (("search2", "武汉"), ("search4", "城市群"), ("search_none", "喀什地区")):
        t, found = timed(lambda words=words: store.search(words, limit=20), repeat)
        row[f"{key}_ms"], row[f"{key}_hits"] = 1000 * t, found[0]
    t, casc = timed(lambda: cascade.plan_cascade(store, adcode), repeat)
    row["cascade_ms"], row["cascade_plans"] = 1000 * t, len(casc.rows)
    from geo.places.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    t, overview = timed(lambda: footprints.footprint_map("overview", footprints.overview_footprints(store), gaz),
                        max(3, repeat // 3))
    row["overview_ms"], row["overview_bytes"] = 1000 * t, len(overview["feature_group"]) + len(overview["script"])
    size = store_bytes(store)
    row["bytes_per_plan"] = (size - store.bench_empty_bytes) / n  # what the plans add to an empty store
    row["rss_mb"] = rss_mb()
    return row


# Arms the main document: the time (epoch ms) the where-plans-meet heading and the clause list become visible.
ARM_PAGE_JS = r"""
() => {
  const b = window.__scale = {meets: null, list: null};
  const now = () => performance.timeOrigin + performance.now();
  const meets = () => [...document.querySelectorAll('[data-testid="stMarkdownContainer"] strong')]
    .some(e => /的其他规划（\d+ 份）/.test(e.textContent));
  const obs = new MutationObserver(() => {
    if (b.list === null && document.querySelector(".ghyzt-list")) b.list = now();
    if (b.meets === null && meets()) { b.meets = now(); obs.disconnect(); }
  });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
}
"""
# Arms the map frame: the time (epoch ms) of the pointer going down; returns where the feature's shape is.
ARM_FRAME_JS = """
(fid) => {
  const b = window.__scale = {down: null};
  document.addEventListener("pointerdown", () => { b.down = performance.timeOrigin + performance.now(); },
                            {capture: true, once: true});
  for (const k in window.map._layers) {
    const l = window.map._layers[k];
    const p = l.feature && l.feature.properties;
    if (!p || p.id !== fid || !l._path) continue;
    l._map.fitBounds(l.getBounds(), {animate: false, maxZoom: 9});
    const r = l._path.getBoundingClientRect();
    for (const [fx, fy] of [[.5, .5], [.4, .5], [.6, .5], [.5, .4], [.5, .6], [.3, .5], [.7, .5]]) {
      const x = r.left + r.width * fx, y = r.top + r.height * fy;
      if (document.elementFromPoint(x, y) === l._path) return {x: x, y: y};
    }
  }
  return null;
}
"""


def browser_clicks(store, adcode: str, port: int, clicks: int) -> dict:
    """Click the county ``adcode`` on the Map page of a dashboard serving ``store``, in Chromium: medians (ms)
    from the pointer going down to the clause list, to the where-plans-meet heading and to the run's end."""
    from playwright.sync_api import sync_playwright

    from bench.dashboard import CHROMIUM_ARGS, FIRST_SHAPE_JS, MAP_FRAME, READY, streamlit_server
    from geo.store import SQLitePlanStore

    with store._transaction(write=False) as run:
        plan, feature = run("SELECT u.plan_id, u.feature FROM plan_units u JOIN plan_catalogue p ON p.plan_id = "
                            "u.plan_id WHERE u.adcode = ? AND u.kind = 'admin' AND p.listed = 1 "
                            "ORDER BY p.created LIMIT 1", (adcode,))[0]
    env = {"GEO_STORE_PATH": store.path} if isinstance(store, SQLitePlanStore) else {"GEO_STORE_URL": store.url}
    out: dict[str, list[float]] = {"list": [], "meets": [], "done": []}
    with streamlit_server(ROOT / "dashboard.py", ROOT, env, port) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for n in range(clicks + 1):  # the first one warms the server up (its caches, the gazetteer)
            ctx = browser.new_context(viewport={"width": 1400, "height": 950})
            page = ctx.new_page()
            page.goto(f"{url}/?plan={plan}&layers=admin")  # the admin base alone: the county on top
            page.wait_for_function(FIRST_SHAPE_JS, polling="raf", timeout=120000)
            page.wait_for_selector(READY, timeout=120000)
            page.wait_for_timeout(1500)  # the map reports its view once; let that rerun finish
            page.wait_for_selector(READY)
            box = page.locator(MAP_FRAME).bounding_box()
            frame = page.locator(MAP_FRAME).element_handle().content_frame()
            at = None
            for _try in range(20):  # the map moved to the shape reports its view: that rerun ends first
                frame.evaluate(ARM_FRAME_JS, feature)
                page.wait_for_timeout(500)
                page.wait_for_selector(READY)
                at = frame.evaluate(ARM_FRAME_JS, feature)  # where it is once the map has moved to it
                if at is not None:
                    break
            if at is None:
                page.screenshot(path=str(Path(tempfile.gettempdir()) / "ghyzt-bench-scale-failed.png"))
                raise RuntimeError(f"the shape of {feature} ({adcode}) in plan {plan} cannot be clicked (the page: "
                                   f"{Path(tempfile.gettempdir()) / 'ghyzt-bench-scale-failed.png'})")
            page.evaluate(ARM_PAGE_JS)
            page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
            page.wait_for_function("() => window.__scale.meets !== null", timeout=60000)
            page.wait_for_timeout(100)
            page.wait_for_selector(READY, timeout=60000)
            done = time.time() * 1000  # the run's end, seen from here (polling: within a few ms)
            down = frame.evaluate("() => window.__scale.down")
            got = page.evaluate("() => window.__scale")
            if n:
                out["list"].append(got["list"] - down)
                out["meets"].append(got["meets"] - down)
                out["done"].append(done - down)
            ctx.close()
        browser.close()
    return {f"browser_{k}_ms": statistics.median(v) for k, v in out.items()} | {"browser_plan": plan}


def run_backend(name: str, store_factory, sizes: list[int], bases: list[dict], repeat: int,
                browser: tuple[int, ...] = (), port: int = 0, clicks: int = 5) -> list[dict]:
    rows = []
    publish_times: list[float] = []
    clicked = ""
    with store_factory() as store:
        store.bench_empty_bytes = store_bytes(store)
        store.save(*sentinel_plan(), owner="bench", listed=True)
        done = 1
        for n in sizes:
            while done < n:
                title, text, juris, layers = nth_plan(bases, done - 1)  # the sentinel was the first
                started = time.perf_counter()
                store.save(title, text, juris, layers, owner="bench", listed=True)
                publish_times.append(time.perf_counter() - started)
                done += 1
            row = measure(store, n, publish_times[-max(1, n - (rows[-1]["N"] if rows else 0)):], repeat)
            row["backend"] = name
            if n in browser:
                clicked = clicked or row["unit"]  # the same county at every N: its list grows with the store
                row |= browser_clicks(store, clicked, port, clicks) | {"browser_unit": clicked}
                print(f"{name} N={n} in Chromium, click on {clicked} (plan {row['browser_plan']}), medians of "
                      f"{clicks}: clause list {row['browser_list_ms']:.0f} ms, where plans meet "
                      f"{row['browser_meets_ms']:.0f} ms, run done {row['browser_done_ms']:.0f} ms", flush=True)
            rows.append(row)
            print(format_row(row), flush=True)
    return rows


@contextlib.contextmanager
def sqlite_store():
    from geo.store import SQLitePlanStore

    with tempfile.TemporaryDirectory(prefix="ghyzt-scale-") as folder:
        store = SQLitePlanStore(Path(folder) / "plans.sqlite3")
        try:
            yield store
        finally:
            store.close()


@contextlib.contextmanager
def postgres_store():
    import psycopg

    from geo.store import PostgresPlanStore
    from tests.pgserver import throwaway_server

    with contextlib.ExitStack() as stack:
        url = os.environ.get("GEO_TEST_PG_URL") or stack.enter_context(throwaway_server())
        name = f"ghyzt_scale_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')
            con.execute(f'CREATE DATABASE "{name}"')
        # a URL, not a key=value string: the dashboard of --browser takes it as GEO_STORE_URL
        store = PostgresPlanStore(urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/" + name)))
        try:
            yield store
        finally:
            store.close()
            with psycopg.connect(url, autocommit=True) as con:
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


COLUMNS = ("backend", "N", "publish_ms", "click_ms", "click_plans", "click1_ms", "filter_ms", "search2_ms", "search2_hits",
           "search4_ms", "search4_hits", "search_none_ms", "cascade_ms", "overview_ms", "bytes_per_plan", "rss_mb")


def format_row(row: dict) -> str:
    return " | ".join(f"{row[c]:.1f}" if isinstance(row[c], float) else str(row[c]) for c in COLUMNS)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"], choices=("sqlite", "postgresql"))
    ap.add_argument("--sizes", nargs="+", type=int, default=[10, 100, 1000])
    ap.add_argument("--repeat", type=int, default=15, help="runs per query (the median is reported)")
    ap.add_argument("--json", help="also write the rows to this file")
    ap.add_argument("--browser", nargs="*", type=int, default=[],
                    help="at these N, also time the click in Chromium on a dashboard serving the store")
    ap.add_argument("--clicks", type=int, default=5, help="clicks in Chromium at each --browser N (median)")
    ap.add_argument("--port", type=int, default=0, help="the dashboard's port for --browser (default: a free one)")
    args = ap.parse_args()
    from geo.places.build import ensure_cache, print_progress

    ensure_cache(print_progress)
    started = time.perf_counter()
    bases = base_plans()
    print(f"{len(bases)} original plans ({sum(len(b['text']) for b in bases):,} characters), drafted or loaded in "
          f"{time.perf_counter() - started:.1f} s; copies vary title and year (see the docstring)", flush=True)
    try:
        load = os.getloadavg()
        print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}", flush=True)
    except OSError:
        pass
    print(" | ".join(COLUMNS))
    rows = []
    for backend in args.backends:
        factory = sqlite_store if backend == "sqlite" else postgres_store
        rows += run_backend(backend, factory, sorted(args.sizes), bases, args.repeat, tuple(args.browser), args.port,
                            args.clicks)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
