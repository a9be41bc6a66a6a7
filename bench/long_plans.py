"""Whole plans, as planners receive them: the clause tree, title, jurisdiction and drafting time (issue 18).

Run:  .venv/bin/python bench/long_plans.py [FOLDER ...] [--runs 3]

FOLDER holds plan texts (``*.txt``, UTF-8); by default ``../shared/long-plans`` beside the repository (where CI and
others keep it), else ``/work/shared/long-plans``. For each plan it reports:

- clauses by level (style), clauses with neither text, table nor children, and the share of the text in the
  largest clause (own text);
- the 目录 entries set aside, the 专栏 tables, the repairs by kind;
- the title and the jurisdiction (`geo.importer.jurisdiction.guess_jurisdiction`, via the full draft);
- drafting time per 10,000 characters of the cleaned text (`geo.importer.draft.draft_plan`, the whole draft, median of the runs);
- the places found outside the plan's province, with their contexts (for the place-matching work; reported only).

Targets: no clause made from a 目录; no clause above 10 % of a plan with numbered chapters; 第X篇 a level where the plan
has it; title and jurisdiction right; drafting ≤ 5 s per 100,000 characters.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_FOLDERS = (ROOT.parent / "shared" / "long-plans", Path("/work/shared/long-plans"))


def default_folder() -> Path | None:
    """The first of the default folders that exists."""
    return next((f for f in DEFAULT_FOLDERS if f.is_dir()), None)


def measure(text: str, gaz, runs: int = 1) -> dict:
    """The figures of one plan text (see the module docstring)."""
    from geo.importer.draft import draft_plan

    times, draft = [], None
    for _ in range(runs):
        start = time.perf_counter()
        draft = draft_plan(text, gaz)
        times.append(time.perf_counter() - start)
    outline = draft.outline
    n = len(outline.text)
    biggest = max(outline.clauses, key=lambda c: len(c.text))
    empty = [c.id for c in outline.clauses if not c.text.strip() and not c.heading and not c.children and not c.tables]
    juris = draft.jurisdiction
    province = juris.adcode[:2] if juris.adcode else None
    outside = []
    if province:
        for dc in draft.clauses:
            for p in dc.places:
                if not p.adcode.startswith(province):
                    ctx = dc.text[max(0, p.start - 12): p.end + 12].replace("\n", " ")
                    outside.append({"clause": dc.id, "mention": p.mention, "name": p.name, "adcode": p.adcode,
                                    "context": ctx})
    return {
        "raw_chars": len(text),
        "chars": n,
        "levels": dict(Counter(c.style for c in outline.clauses)),
        "clauses": len(outline.clauses),
        "empty": empty,
        "largest": biggest.id,
        "largest_share": len(biggest.text) / max(n, 1),
        "contents": len(outline.contents),
        "tables": sum(len(c.tables) for c in outline.clauses),
        "repairs": dict(Counter(r.kind for r in outline.repairs)),
        "title": outline.title,
        "jurisdiction": (juris.adcode, juris.name),
        "seconds": statistics.median(times),
        "per_10k": statistics.median(times) / n * 10_000,
        "outside": outside,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folders = args.folders or [f for f in [default_folder()] if f]
    if not folders:
        sys.exit("no folder of long plans (give one: bench/long_plans.py FOLDER)")
    from geo.importer.draft import draft_plan
    from geo.places.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    draft_plan("关于X的意见\n一、总则\n南京市。", gaz)  # warm the matcher (built once per process)
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            m = measure(path.read_text("utf-8"), gaz, args.runs)
            print(f"== {path.name}: {m['raw_chars']:,} characters ({m['chars']:,} after cleaning)")
            print(f"   clauses {m['clauses']} by level {m['levels']}; empty {len(m['empty'])} {m['empty'][:5]}")
            print(f"   largest {m['largest']} {m['largest_share']:.1%} of the text; 目录 entries set aside "
                  f"{m['contents']}; 专栏 tables {m['tables']}; repairs {m['repairs']}")
            print(f"   title {m['title'] or '—'}; jurisdiction {m['jurisdiction'][1]} {m['jurisdiction'][0]}")
            print(f"   draft {m['seconds']:.2f} s = {m['per_10k']:.2f} s per 10,000 characters")
            print(f"   places outside the province: {len(m['outside'])}")
            for o in m["outside"]:
                print(f"     {o['clause']}  {o['mention']} → {o['name']} {o['adcode']}  …{o['context']}…")


if __name__ == "__main__":
    main()
