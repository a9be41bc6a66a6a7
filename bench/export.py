"""Benchmark the exports of the 贵州 plan, the largest (a measurement, not a test).

Run:  .venv/bin/python bench/export.py [--runs 5] [--plan guizhou]

Prints, as medians: the A4 PNG at 300 dpi with every layer (target ≤ 5 s), in a warm process (what the
dashboard pays per click: plan loaded, fonts and libraries imported) and as a fresh
``python -m geo export`` process (what a batch script pays per file); the first render in a process; the
PDF; and the data exports (GeoJSON, GeoPackage, CSV).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_S = 5.0


def _median(fn, runs: int) -> tuple[float, object]:
    """Median wall time of ``fn()`` over ``runs`` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--plan", default="guizhou")
    args = parser.parse_args()
    plan = args.plan

    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "geo", "export", plan, "--format", "png", "--out", tmp]
        cold, _ = _median(lambda: subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL), args.runs)

    start = time.perf_counter()
    from geo.export import clauses_csv, layers_geojson, layers_gpkg, render_map

    first = render_map(plan, dpi=300)
    first_s = time.perf_counter() - start
    warm, png = _median(lambda: render_map(plan, dpi=300), args.runs)
    pdf_s, pdf = _median(lambda: render_map(plan, fmt="pdf"), max(args.runs // 2, 1))
    gj_s, gj = _median(lambda: layers_geojson(plan), args.runs)
    gpkg_s, gpkg = _median(lambda: layers_gpkg(plan), args.runs)
    csv_s, csv = _median(lambda: clauses_csv(plan), args.runs)
    assert png == first, "rendering is not deterministic"

    verdict = "within" if max(warm, cold) <= TARGET_S else "OVER"
    print(f"{plan}: PNG A4 300 dpi, all layers ({len(png) / 1e6:.1f} MB)")
    print(f"  warm process      {warm:5.2f} s  (median of {args.runs})")
    print(f"  fresh process     {cold:5.2f} s  (python -m geo export, median of {args.runs})")
    print(f"  first in process  {first_s:5.2f} s  (imports and font lookup included)")
    print(f"  target            {TARGET_S:5.2f} s  -> {verdict} target")
    print(f"PDF (vector, Type 42 fonts)  {pdf_s:5.2f} s  {len(pdf) / 1e3:7.0f} KB")
    print(f"GeoJSON                      {gj_s:5.2f} s  {len(gj) / 1e3:7.0f} KB")
    print(f"GeoPackage                   {gpkg_s:5.2f} s  {len(gpkg) / 1e3:7.0f} KB")
    print(f"CSV                          {csv_s:5.2f} s  {len(csv) / 1e3:7.0f} KB")


if __name__ == "__main__":
    main()
