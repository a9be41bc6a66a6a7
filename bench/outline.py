"""Benchmark `python -m geo outline` on the largest bundled plan (a measurement, not a test).

Run:  .venv/bin/python bench/outline.py [--runs 5]

Prints, as medians over the runs:
- end to end: a fresh `python -m geo outline data/plans/<largest>/original.txt` process, start to JSON;
- gazetteer cold load: a fresh process that only loads the gazetteer (names and seats, from the cache);
- parse + match: in one warm process, parsing the clause tree and finding places and slogans.
Targets (issue 2): end to end <= 2 s, parse + match <= 0.3 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from geo.places.build import ensure_cache, print_progress

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _largest_plan() -> Path:
    plans = sorted((ROOT / "data" / "plans").glob("*/original.txt"), key=lambda p: len(p.read_text("utf-8")))
    return plans[-1]


def _time_process(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = _largest_plan()
    py = sys.executable
    # Warm the OS file cache and the gazetteer cache once, so runs measure steady cold-process starts.
    _time_process([py, "-m", "geo", "outline", str(path)])
    end_to_end = [_time_process([py, "-m", "geo", "outline", str(path)]) for _ in range(args.runs)]
    ensure_cache(print_progress)
    gaz_load = [_time_process([py, "-c", "from geo.places.gazetteer import load_gazetteer; load_gazetteer()"])
                for _ in range(args.runs)]
    bare = [_time_process([py, "-c", "pass"]) for _ in range(args.runs)]

    from geo.importer.outline import outline_document
    from geo.places.gazetteer import load_gazetteer
    from geo.text.clauses import parse_outline

    gaz = load_gazetteer()
    text = path.read_text("utf-8")
    outline_document(text + " ", gaz)  # warm the matcher (built once per process)
    parse_match = []
    for _ in range(args.runs):
        start = time.perf_counter()
        parse_outline(text)
        outline_document(text + " ", gaz)  # a trailing space: not the bundled file, so the full pipeline runs
        parse_match.append(time.perf_counter() - start)

    rows = [
        ("python -m geo outline, end to end", statistics.median(end_to_end), "<= 2.0 s"),
        ("  of which: python start (bare)", statistics.median(bare), ""),
        ("gazetteer cold load (fresh process)", statistics.median(gaz_load), ""),
        ("parse + match (warm process)", statistics.median(parse_match), "<= 0.3 s"),
    ]
    print(f"plan: {path.parent.name} ({len(text)} characters), {args.runs} runs, medians")
    for name, value, target in rows:
        print(f"{name:40} {value:7.3f} s  {target}")


if __name__ == "__main__":
    main()
