"""Benchmark the Import pipeline: a 20,000-character plan, upload to draft map (a measurement, not a test).

Run:  .venv/bin/python bench/import.py [--runs 5]

The plan: the five bundled texts joined (贵州's first, so its title governs), cut at 20,000 characters, as
GB18030 bytes, the way a planner's upload arrives. What is timed is the server's work for one upload, in a
warm server process (the gazetteer and the name matcher are loaded once per process, at the first page view):

- decode: `geo.text.decode.decode_upload` of the bytes;
- draft: `geo.importer.draft.draft_plan`: clauses, jurisdiction, places, slogans, features with geometry;
- map: the Map page's map of the draft (`pages/_mapframe.py` `render_frame`: base map, click panel data,
  layer groups), rendered as the browser receives it;
- total, for the first upload for a jurisdiction (its unit shapes are simplified then, and cached) and for
  a later one (shapes cached).

It is run for the province the text names (贵州省, 88 counties: the slowest case) and for a city (曲靖市, as a
planner would correct it). Target (issue): upload to draft map <= 2 s of server time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHARS = 20_000


def bench_text() -> str:
    """20,000 characters of plan text: the bundled plans joined, 贵州's first."""
    order = ["guizhou", "qujing", "mianyang", "panjin", "wangcang"]
    text = "\n".join((ROOT / "data" / "plans" / pid / "original.txt").read_text("utf-8") for pid in order)
    while len(text) < CHARS:
        text += "\n" + text
    return text[:CHARS]


def one_upload(data: bytes, jurisdiction: str | None) -> dict[str, float]:
    """Time the steps of one upload, up to the Map page's map of the draft as the browser receives it."""
    from geo import view as vm
    from geo.importer.draft import draft_plan
    from geo.importer.editing import PlanDraft
    from geo.text.decode import decode_upload
    from pages import _mapframe as ui

    t0 = time.perf_counter()
    decoded = decode_upload("plan.txt", data)
    t1 = time.perf_counter()
    draft = draft_plan(decoded.text, jurisdiction=jurisdiction)
    t2 = time.perf_counter()
    # What the Map page renders for a draft (pages/_mapframe.py `_frame`): the base map with the click panel's
    # data, and the layers as feature groups.
    plan = PlanDraft.from_draft(draft, "bench").plan_data
    frame = ui.render_frame("map", list(plan.layers.values()), "zh", "none", None, None,
                             vm.panel_data(plan, "zh"), vm.jurisdiction_bounds(plan))
    t3 = time.perf_counter()
    sent = sum(len(frame[k].encode()) for k in ("script", "header", "html", "feature_group"))
    return {"decode": t1 - t0, "draft": t2 - t1, "map": t3 - t2, "total": t3 - t0, "features":
            len(draft.collection["features"]), "html_kb": sent / 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from geo.importer.draft import draft_plan
    from geo.layers import plan_shapes
    from geo.places.gazetteer import load_gazetteer

    text = bench_text()
    data = text.encode("gb18030")
    load_gazetteer()
    draft_plan("一、总则\n曲靖。")  # a first page view: the name matcher is built once per process
    print(f"plan: {len(text)} characters ({len(data) / 1000:.0f} KB GB18030), {args.runs} runs, medians")
    for label, juris in (("贵州省 (detected from the title)", None), ("曲靖市 (corrected by the planner)", "530300")):
        plan_shapes.cache_clear()
        cold = one_upload(data, juris)
        warm = [one_upload(data, juris) for _ in range(args.runs)]
        med = {k: statistics.median(r[k] for r in warm) for k in warm[0]}
        print(f"\n{label}: {med['features']:.0f} features, map sent {med['html_kb']:.0f} KB")
        print(f"  first upload for this jurisdiction  total {cold['total']:6.2f} s  (decode {cold['decode']:.3f}, "
              f"draft {cold['draft']:.2f}, map {cold['map']:.2f})   target <= 2 s")
        print(f"  later uploads                       total {med['total']:6.2f} s  (decode {med['decode']:.3f}, "
              f"draft {med['draft']:.2f}, map {med['map']:.2f})   target <= 2 s")


if __name__ == "__main__":
    main()
