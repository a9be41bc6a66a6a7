"""Benchmark `python -m geo build` and the layer payload of each plan (a measurement, not a test).

Run:  .venv/bin/python bench/layers.py [--runs 3]

Prints the median wall time of a fresh `python -m geo build` process (gazetteer cache already built), then per
plan: features, bytes of GeoJSON on disk (budget 400 KB), the same gzip-compressed (what a browser would
download from a compressing server), and the base layer's largest boundary distance to the source (budget 250 m).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "geo", "build"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    print(f"python -m geo build: {statistics.median(times):.1f} s (median of {args.runs})")

    from geo.layers import LAYERS_DIR, PLAN_BUDGET_BYTES, load_layers, plan_shapes
    from geo.places.build import ensure_cache, print_progress
    from geo.places.gazetteer import load_gazetteer
    from geo.text.plans import load_plan, plan_ids

    ensure_cache(print_progress)
    gaz = load_gazetteer()
    print(f"{'plan':10} {'features':>8} {'GeoJSON':>10} {'gzip':>9} {'max error':>10}")
    for pid in plan_ids():
        layers = load_layers(pid)
        files = [LAYERS_DIR / pid / f"{kind}.geojson" for kind in layers]
        raw = b"".join(f.read_bytes() for f in files)
        error = plan_shapes(gaz, load_plan(pid).meta.jurisdiction.adcode).max_error_m()
        n = sum(len(fc["features"]) for fc in layers.values())
        print(f"{pid:10} {n:8d} {len(raw) / 1000:8.1f}KB {len(gzip.compress(raw)) / 1000:7.1f}KB {error:8.0f} m"
              f"{'  OVER BUDGET' if len(raw) > PLAN_BUDGET_BYTES else ''}")


if __name__ == "__main__":
    main()
