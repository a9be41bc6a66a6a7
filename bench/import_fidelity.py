"""How faithfully the importer reads real plans: `geo draft` scored against the hand-labelled corpus.

    .venv/bin/python bench/import_fidelity.py            # the table, per text and overall
    .venv/bin/python bench/import_fidelity.py -v         # also what was missed and what is extra
    .venv/bin/python bench/import_fidelity.py --only ID  # one text
    .venv/bin/python bench/import_fidelity.py --corpus DIR   # any folder in the corpus format (FORMAT.md)

Targets (issues #10, #19): places P ≥ 0.97 / R ≥ 0.95, slogans ≥ 0.95, parts ≥ 0.85, no false places from
direction or region words or people's names (all false places are printed too), every jurisdiction right; on the
map: links P ≥ 0.9, no area member outside the plan's area, no feature drawn more than 300 km outside it without
a link reason, no ``exact`` claim on part of a unit. See `geo.importer.fidelity` for how each figure is computed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.importer.confidence import FAR_KM
from geo.importer.fidelity import CORPUS_DIR, load_corpus, score_corpus
from geo.places.build import ensure_cache, print_progress
from geo.places.gazetteer import load_gazetteer


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and extras per text")
    ap.add_argument("--only", help="score one text id")
    ap.add_argument("--corpus", type=Path, default=CORPUS_DIR, metavar="DIR",
                    help="a folder of texts in the corpus format (default: the development corpus)")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        print(f"no such folder: {args.corpus}", file=sys.stderr)
        return 2
    ensure_cache(print_progress)
    gaz = load_gazetteer()
    corpus = [c for c in load_corpus(args.corpus) if not args.only or c.id == args.only]
    if not corpus:
        print(f"no labelled text found in {args.corpus}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    scores, total = score_corpus(corpus, gaz)
    elapsed = time.perf_counter() - started
    provinces = {c.province for c in corpus}
    print(f"{len(corpus)} texts from {len(provinces)} provinces, {sum(len(c.text) for c in corpus):,} characters, "
          f"drafted and scored in {elapsed:.1f} s\n")
    head = (f"{'text':34} {'chars':>6} {'P':>5} {'R':>5} {'slog':>9} {'parts':>9} {'false':>5} "
            f"{'links':>9} {'out':>3} {'far':>3} {'xpt':>3} {'chk':>5} juris")
    print(head)
    print("-" * len(head))
    for c, s in zip(corpus, scores):
        print(f"{s.id[:34]:34} {len(c.text):6} {s.precision:5.2f} {s.recall:5.2f} "
              f"{s.slogans_hit:4}/{s.slogans_labelled:<4} {s.parts_hit:4}/{s.parts_labelled:<4} "
              f"{len(s.false_places):5} {s.links_hit:2}/{s.links_found:<2}/{s.links_labelled:<2} "
              f"{len(s.outside_members):3} {len(s.far_features):3} {len(s.exact_on_part):3} "
              f"{s.to_check:2}/{s.features:<2} {'ok' if s.jurisdiction_ok else 'WRONG ' + s.jurisdiction_found}")
        if args.verbose:
            for label, values in (("missed places", s.missed_places), ("extra places", s.extra_places),
                                  ("missed slogans", s.missed_slogans), ("missed parts", s.missed_parts),
                                  ("false places", s.false_places), ("missed link ends", s.missed_links),
                                  ("extra link ends", s.extra_links), ("members outside", s.outside_members),
                                  ("far features", s.far_features), ("exact on part", s.exact_on_part)):
                if values:
                    print(f"    {label}: {', '.join(values)}")
    print("-" * len(head))
    right = sum(s.jurisdiction_ok for s in scores)
    print(f"{'overall':34} {'':6} {total.precision:5.2f} {total.recall:5.2f} "
          f"{total.slogan_recall:9.2f} {total.part_recall:9.2f} {len(total.false_places):5} "
          f"{total.links_hit:2}/{total.links_found:<2}/{total.links_labelled:<2} {len(total.outside_members):3} "
          f"{len(total.far_features):3} {len(total.exact_on_part):3} {total.to_check:2}/{total.features:<2} "
          f"{right}/{len(scores)}")
    print("\n(links: ends right / drawn / labelled; out: area members outside the plan's area; far: features "
          f"drawn > {FAR_KM} km outside it without a link reason; xpt: exact claims on part of a unit; chk: features "
          "to check / all drafted)")
    print(f"\nplaces precision {total.precision:.3f} (target ≥ 0.97), recall {total.recall:.3f} (≥ 0.95); "
          f"slogans {total.slogan_recall:.3f} (≥ 0.95); parts {total.part_recall:.3f} (≥ 0.85); "
          f"false places from direction or region words and people's names {len(total.false_direction_or_person)} "
          f"(0), from any not-place {len(total.false_places)}; jurisdiction {right}/{len(scores)} (all); "
          f"links precision {total.link_precision:.3f} (≥ 0.9), recall {total.link_recall:.3f}; area members "
          f"outside the area {len(total.outside_members)} (0); features > {FAR_KM} km outside "
          f"{len(total.far_features)} (0); exact claims on part of a unit {len(total.exact_on_part)} (0); "
          f"to check {total.to_check} of {total.features}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
