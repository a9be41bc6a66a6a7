"""The scores of what a draft's map shows (`geo.importer.fidelity`, issue #19), on hand-made features and labels."""

from __future__ import annotations

from geo.importer.fidelity import CorpusText, TextScore, _score_map, load_corpus, score_corpus
from geo.places.gazetteer import load_gazetteer

GAZ = load_gazetteer()
LABELS = {
    "jurisdiction": {"adcode": "360100", "name": "南昌市"},
    "jurisdiction_area": [{"adcode": "360400", "name": "九江市"}],
    "parts": [{"part": "一核", "members": ["360100"], "evidence": "南昌市中心城区"}],
    "links": [{"members": ["420100"], "evidence": "加强与武汉合作"}],
    "units_in_part": [{"adcode": "360100", "evidence": "南昌市中心城区"}],
}
GEOM = {"type": "Point", "coordinates": [115.9, 28.7]}


def feature(kind, members, *, precision="exact", excerpt="", reasons=(), drawn=True):
    return {"type": "Feature", "id": f"{kind}-x", "geometry": GEOM if drawn else None,
            "properties": {"kind": kind, "name": f"{kind} {'/'.join(members)}", "members": list(members),
                           "precision": precision, "excerpts": [{"clause": "1", "text": excerpt}] if excerpt else [],
                           "reasons": [{"code": c} for c in reasons], "confidence": "low" if reasons else "high"}}


def scored(features) -> TextScore:
    score = TextScore("t")
    _score_map(score, LABELS, features, GAZ)
    return score


def test_links_are_scored_by_their_drawn_ends():
    s = scored([feature("link", ["360100", "420100"]), feature("link", ["360100", "430100"]),
                feature("link", ["360100", "440100"], drawn=False)])  # not drawn: not on the map
    assert (s.links_hit, s.links_found, s.links_labelled) == (1, 2, 1)
    assert s.extra_links == ["长沙市"] and s.link_precision == 0.5 and s.link_recall == 1.0


def test_an_exact_drawing_of_a_unit_named_in_part_is_wrong():
    assert scored([feature("core", ["360100"], excerpt="“一核”即南昌市中心城区")]).exact_on_part
    assert not scored([feature("core", ["360100"], precision="approximate",
                               excerpt="“一核”即南昌市中心城区")]).exact_on_part
    assert not scored([feature("core", ["360100"], excerpt="“一核”即南昌市")]).exact_on_part


def test_members_outside_the_area_and_far_features_are_counted():
    mohe = next(u.adcode for u in GAZ.units.values() if u.name == "漠河市")
    s = scored([feature("zone", ["360100", "360400"]), feature("zone", ["360900"]), feature("zone", [mohe])])
    assert len(s.outside_members) == 2  # 宜春市 (beside the area) and 漠河市
    assert [f.split(":")[0] for f in s.far_features] == [f"zone {mohe}"]
    # a line the text writes that far is no error; a link is scored as a link
    s = scored([feature("route", ["360100", mohe], reasons=["check.runs_beyond_area"]),
                feature("link", ["360100", mohe])])
    assert s.far_features == [] and s.to_check == 1


def test_any_folder_in_the_corpus_format_is_scored(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "text.txt").write_text("长沙市发展方案\n一、格局\n构建“一核”格局。“一核”包括岳麓区、天心区。加强与武汉市合作。",
                                               encoding="utf-8")
    (tmp_path / "one" / "labels.yaml").write_text(
        'jurisdiction: {adcode: "430100", name: 长沙市}\nplaces:\n  - {adcode: "430104"}\n  - {adcode: "430103"}\n'
        '  - {adcode: "430100"}\n  - {adcode: "420100"}\nlinks:\n  - members: ["420100"]\n    evidence: 加强与武汉市合作\n',
        encoding="utf-8")
    (tmp_path / "unlabelled").mkdir()  # still being labelled: skipped
    corpus = load_corpus(tmp_path)
    assert [c.id for c in corpus] == ["one"] and isinstance(corpus[0], CorpusText)
    _, total = score_corpus(corpus, GAZ)
    assert total.jurisdiction_ok and (total.links_hit, total.links_found) == (1, 1)
    assert total.features >= 2 and total.exact_on_part == []
