"""The geography check and the confidence of drafted features (issue #19), on invented snippets of plan prose.

Each test is a class of failure a planner would laugh at, written in words of no corpus text: a part of a unit drawn
whole as ``exact``, the members of a metropolitan area drawn as links to it, a member or link end far from the plan.
"""

from __future__ import annotations

import json

import jsonschema

from geo.feature import CONFIDENCES, feature_schema
from geo.i18n import STRINGS, confidence_label, reason_text
from geo.importer.builder import Builder
from geo.importer.concepts import Concept
from geo.importer.confidence import (
    FAR_KM,
    RULE_REASONS,
    SEVERITY,
    Geography,
    assess,
    count_to_check,
    lowest,
)
from geo.importer.draft import draft_geojson, draft_plan, rename
from geo.places.gazetteer import load_gazetteer

GAZ = load_gazetteer()


def drafted(text: str, jurisdiction: str | None = None) -> list[dict]:
    d = draft_plan(text, GAZ, jurisdiction=jurisdiction)
    return [f for f in d.collection["features"] if f["properties"]["kind"] != "admin"]


def codes(feature: dict) -> list[str]:
    return [r["code"] for r in feature["properties"]["reasons"]]


def test_every_drafted_feature_says_how_sure_and_why_and_the_schema_accepts_it():
    feats = drafted("长沙市区域协调发展实施方案\n一、格局\n构建“一核两翼”格局。“一核”包括岳麓区、天心区。"
                    "北翼以望城区为重点，南翼以长沙县为重点。加强与武汉市合作。", "430100")
    assert feats
    for f in feats:
        p = f["properties"]
        assert p["confidence"] in CONFIDENCES
        assert p["reasons"] and p["reasons"][0]["code"].startswith("rule.")
        jsonschema.validate(f, feature_schema())
    core = next(f for f in feats if f["properties"]["name"] == "一核")
    assert core["properties"]["confidence"] == "high" and codes(core) == ["rule.definition"]


def test_a_part_of_a_unit_is_approximate_never_exact():
    # class 4: 一核 = 南昌市中心城区 and a new area: not the whole of 南昌市 marked exact
    for text, place in (("“一核”即南昌市中心城区和赣江新区。", "南昌市"),
                        ("“一核”包括九江市北部、抚州市。", "九江市"),
                        ("“一核”包括九江主城、抚州市。", "九江市")):
        feats = drafted("南昌市发展规划\n一、格局\n构建“一核两翼”格局。" + text, "360100")
        core = next(f for f in feats if f["properties"]["name"] == "一核")
        p = core["properties"]
        assert p["precision"] == "approximate", (text, p)
        assert "check.part_of_unit" in codes(core) or p.get("partial"), (text, p)
        if "check.part_of_unit" in codes(core):
            reason = next(r for r in p["reasons"] if r["code"] == "check.part_of_unit")
            assert reason["data"]["place"] == place


def test_a_unit_followed_by_a_unit_of_its_own_is_no_part():
    feats = drafted("天津市发展规划\n一、格局\n构建“一核两翼”格局。“一核”包括天津滨海新区、武清区。", "120000")
    core = next(f for f in feats if f["properties"]["name"] == "一核")
    assert "check.part_of_unit" not in codes(core)


def test_the_members_of_an_area_are_no_links_to_it():
    # class 8: …与联系紧密的A市、B市、C市共同组成 names the members of the area, not links. A plan about that area
    # takes them as its area; any other plan keeps the links it read, not drawn, to check.
    sentence = "\n一、范围\n南昌都市圈以南昌为中心，与联系紧密的九江市、抚州市、宜春市共同组成。加强与九江市合作。"
    feats = drafted("南昌都市圈发展规划" + sentence, "360100")
    assert not [f for f in feats if f["properties"]["kind"] == "link"], feats
    preamble = "\n一、总体要求\n" + "坚持创新、协调、绿色、开放、共享的发展理念。" * 6  # the title's clause ends here
    feats = drafted("南昌市区域发展方案" + preamble + sentence.replace("一、", "二、"), "360100")
    links = [f for f in feats if f["properties"]["kind"] == "link"]
    assert links, feats
    for f in links:
        assert f["geometry"] is None and f["properties"]["confidence"] == "low"
        assert "check.members_not_links" in codes(f)


def test_a_zone_member_far_outside_the_area_is_left_out_and_the_feature_marked():
    feats = drafted("长沙市发展规划\n一、格局\n构建“一核一极”格局。“一核”包括岳麓区、天心区。“一极”即漠河市。", "430100")
    pole = next(f for f in feats if f["properties"]["name"] == "一极")
    p = pole["properties"]
    assert p["members"] == [] and pole["geometry"] is None
    assert p["confidence"] == "low"
    dropped = next(r for r in p["reasons"] if r["code"] == "check.far_member_dropped")
    assert dropped["data"]["place"] == "漠河市" and dropped["data"]["km"] > FAR_KM


def test_a_far_link_end_written_in_full_is_kept_with_its_distance():
    feats = drafted("长沙市发展规划\n一、开放\n加强与上海市合作。", "430100")
    link = next(f for f in feats if f["properties"]["kind"] == "link")
    assert link["geometry"] is not None and link["properties"]["confidence"] == "medium"
    far = next(r for r in link["properties"]["reasons"] if r["code"] == "check.far_link_end")
    assert far["data"]["km"] > FAR_KM and far["data"]["written"] == "上海市"


def _builder(text: str, juris: str) -> Builder:
    d = draft_plan(text, GAZ, jurisdiction=juris)
    return Builder(GAZ, juris, "draft", d.clauses, d.outline.title or "")


def test_a_link_between_two_units_inside_the_area_is_not_drawn():
    b = _builder("长沙市发展规划\n一、合作\n推动岳麓区与浏阳市合作。", "430100")
    clause = b.clauses[-1]
    c = Concept("link", "浏阳市", "合作", [(clause.id, "推动岳麓区与浏阳市合作")], ["430104", "430181"],
                how="links")
    checked = assess(b, c, Geography.of(b))
    assert not checked.drawn and checked.confidence == "low"
    assert "check.link_inside_area" in [r["code"] for r in checked.reasons]


def test_an_unsuffixed_far_link_end_is_a_possible_namesake():
    # class 10: 华北平原 is no 平原县; a far county-level end not written in full needs evidence
    b = _builder("长沙市发展规划\n一、合作\n加强与平原合作。", "430100")
    clause = b.clauses[-1]
    pingyuan = next(u.adcode for u in GAZ.units.values() if u.name == "平原县")
    assert Geography.of(b).km(pingyuan) > FAR_KM
    c = Concept("link", "平原", "合作", [(clause.id, "加强与平原合作")], ["430100", pingyuan], how="links")
    checked = assess(b, c, Geography.of(b))
    got = {r["code"]: r.get("data") for r in checked.reasons}
    assert "check.far_homonym" in got and checked.confidence == "low"
    assert got["check.far_homonym"]["place"] == "平原县"


def test_distances_are_to_the_nearest_point_of_the_area():
    geo = Geography(GAZ, ["430100"])
    assert geo.km("430104") == 0  # inside
    assert geo.km("430200") == 0  # 株洲 borders 长沙
    far = next(u.adcode for u in GAZ.units.values() if u.name == "漠河市")
    assert 2000 < geo.km(far) < 4000
    assert Geography(GAZ, []).km(far) == 0  # no area: nothing to measure against


def test_confidence_is_the_lowest_its_reasons_allow():
    assert lowest([]) == "high"
    assert lowest(["high", "medium"]) == "medium"
    assert lowest(["medium", "low", "high"]) == "low"
    assert count_to_check([{"properties": {"confidence": "low"}}, {"properties": {"confidence": "high"}},
                           {"properties": {}}]) == 1


def test_every_reason_code_is_worded_in_both_languages_with_its_data():
    all_codes = {code for code, _ in RULE_REASONS.values()} | set(SEVERITY) | {"rule.chain_link", "named_only"}
    for code in all_codes:
        zh, en = STRINGS[f"reason.{code}"]
        assert zh and en
    text = reason_text({"code": "check.far_member_dropped", "data": {"place": "漠河市", "km": 2600}}, "zh")
    assert "漠河市" in text and "2600" in text
    assert reason_text({"code": "unknown.code"}) == "unknown.code"
    assert confidence_label("low") == "待核对" and confidence_label("low", "en") == "to check"


def test_reasons_embedding_plan_text_stay_data():
    # the name read is plan text: it is carried as data and worded as text (escaping is the caller's)
    payload = "{{7*7}}<script>alert(1)</script>"
    text = reason_text({"code": "rule.definition", "data": {"name": payload}}, "en")
    assert payload in text and "49" not in text


def test_confidence_and_reasons_survive_edits_and_exports():
    d = draft_plan("长沙市区域协调发展实施方案\n一、格局\n构建“一核两翼”格局。“一核”包括岳麓区、天心区。", GAZ,
                   jurisdiction="430100")
    core = next(f for f in d.collection["features"] if f["properties"]["name"] == "一核")
    renamed = rename(d.collection, core["id"], "长沙核心")
    again = next(f for f in renamed["features"] if f["id"] == core["id"])
    assert again["properties"]["confidence"] == core["properties"]["confidence"]
    assert again["properties"]["reasons"] == core["properties"]["reasons"]
    exported = json.loads(draft_geojson(renamed))
    out = next(f for f in exported["features"] if f["id"] == core["id"])
    assert out["properties"]["reasons"] == core["properties"]["reasons"]


def test_a_far_line_member_is_kept_only_when_the_text_writes_the_line():
    b = _builder("长沙市发展规划\n一、交通\n建设长沙—漠河铁路。推进长沙—漠河合作。", "430100")
    clause = b.clauses[-1]
    mohe = next(u.adcode for u in GAZ.units.values() if u.name == "漠河市")
    route = assess(b, Concept("route", "长沙—漠河铁路", "", [(clause.id, "长沙—漠河铁路")], ["430100", mohe],
                              how="chains"), Geography.of(b))
    assert route.drawn and route.members == ["430100", mohe]
    assert [r["code"] for r in route.reasons] == ["rule.chain", "check.runs_beyond_area"]
    bare = assess(b, Concept("corridor", "长沙—漠河", "", [(clause.id, "长沙—漠河")], ["430100", mohe], how="chains"),
                  Geography.of(b))
    assert not bare.drawn and bare.members == ["430100"] and bare.confidence == "low"
    assert "check.far_line_member_dropped" in [r["code"] for r in bare.reasons]


def test_a_published_plan_keeps_confidence_and_reasons(tmp_path):
    from geo.importer.editing import PlanDraft
    from geo.store import SQLitePlanStore

    draft = PlanDraft.from_draft(draft_plan("长沙市发展规划\n一、格局\n构建“一核一极”格局。“一核”包括岳麓区、天心区。"
                                            "“一极”即漠河市。", GAZ, jurisdiction="430100"))
    store = SQLitePlanStore(tmp_path / "plans.sqlite3")
    stored = store.get(draft.save(store))
    props = {f["id"]: f["properties"] for f in stored.layers["features"]}
    for f in draft.collection["features"]:
        if f["properties"]["kind"] != "admin":
            assert props[f["id"]]["confidence"] == f["properties"]["confidence"]
            assert props[f["id"]]["reasons"] == f["properties"]["reasons"]
    assert PlanDraft.from_stored(stored).collection["features"] == stored.layers["features"]


def test_a_place_in_a_clause_describing_geography_is_no_link():
    """The cooperation word must stand in the place's own clause (or the clause opens with 与…): a river's course
    through a neighbouring province is geography, though the sentence ends on 开放合作."""
    feats = drafted("云南省金沙江经济带发展规划\n一、区位\n金沙江流经青海、西藏、四川和云南4省区,要发挥区位优势,"
                    "把经济带建设成开放合作的经济带。", "530000")
    assert not [f for f in feats if f["properties"]["kind"] == "link"]
    feats = drafted("云南省金沙江经济带发展规划\n一、合作\n加强与西藏、四川的合作,共建生态屏障。", "530000")
    ends = {a for f in feats if f["properties"]["kind"] == "link" for a in f["properties"]["members"][1:]}
    assert {"540000", "510000"} <= ends


def test_a_paired_park_names_its_partner():
    """苏州（宿迁）工业园区: the partner in brackets after the plan's own city is a link, whatever the clause says."""
    feats = drafted("苏州市发展规划\n一、协作\n扎实推进南北协作,高水平建设苏州（宿迁）工业园区。", "320500")
    ends = {a for f in feats if f["properties"]["kind"] == "link" for a in f["properties"]["members"][1:]}
    assert "321300" in ends


def test_a_neighbour_joined_to_the_plans_own_part_is_a_member_not_a_link():
    """一城：都匀—福泉中心城区 in 都匀's plan: 福泉 (next to it) is a member of 一城, marked as lying outside, and the
    chain 都匀—福泉 is no outside link (kept, low, not drawn)."""
    feats = drafted("都匀市发展规划\n一、格局\n构建“一城两轴”格局。一城：都匀—福泉中心城区,推进同城化发展。", "522701")
    city = next(f for f in feats if f["properties"]["name"] == "一城")
    assert city["properties"]["members"] == ["522701", "522702"]
    assert {"check.member_beside_area", "check.member_outside_area"} & set(codes(city))
    for f in feats:
        if f["properties"]["kind"] == "link" and "522702" in f["properties"]["members"][1:]:
            assert f["geometry"] is None and "check.link_to_own_part" in codes(f)



def test_regions_named_as_national_strategies_are_no_partners():
    """…与京津冀协同发展、成渝地区双城经济圈建设等国家重大战略协作: policies the plan serves; 与京津冀地区合作 is a partner."""
    feats = drafted("杭州市发展规划\n一、开放\n加强与京津冀协同发展、成渝地区双城经济圈建设等国家重大战略协作。", "330100")
    assert not [f for f in feats if f["properties"]["kind"] == "link"]
    feats = drafted("杭州市发展规划\n一、开放\n加强与京津冀地区的合作。", "330100")
    ends = {a for f in feats if f["properties"]["kind"] == "link" for a in f["properties"]["members"][1:]}
    assert "110000" in ends


def test_what_a_zone_relies_on_outside_the_area_is_no_member():
    """三区：…临港产业区，依托营口港、鲅鱼圈港: a county plan's zone leans on a neighbour city's ports; it was drawn as
    that city's district, outside the plan, ``exact``."""
    text = "某市空间规划\n一、格局\n构建“一城三区”格局。三区：西部临港产业区，依托营口港、鲅鱼圈港，发展装备制造；东部生态区。"
    zone = next(f for f in drafted(text, "210381") if f["properties"]["kind"] == "zone")
    assert "210804" not in zone["properties"]["members"]  # 鲅鱼圈区
    assert "check.relied_on_dropped" in codes(zone)
    assert zone["properties"]["precision"] != "exact"
    # a member written on its own in the part stays one (and is marked as lying outside)
    text = "某市空间规划\n一、格局\n构建“一城三区”格局。三区：西部临港产业区，包括鲅鱼圈区。"
    zone = next(f for f in drafted(text, "210381") if f["properties"]["kind"] == "zone")
    assert "210804" in zone["properties"]["members"]
    assert "check.member_outside_area" in codes(zone)


def test_a_part_read_as_the_whole_plan_area_is_approximate():
    """两翼 of a 青浦区 plan whose items name only 青浦: a part of the plan's area is never the whole of it, exact."""
    text = ("青浦区发展规划\n一、格局\n形成“一城两翼”的空间格局。“两翼”即东翼青浦虹桥商务区，西翼示范区先行启动区，"
            "包括金泽镇、朱家角镇。")
    wing = next(f for f in drafted(text, "310118") if f["properties"]["kind"] == "wing")
    assert wing["properties"]["members"] == ["310118"]
    assert wing["properties"]["precision"] == "approximate"
    assert "check.part_of_own_area" in codes(wing)


def test_a_corridor_read_as_one_place_outside_the_area_is_not_drawn():
    """A plan's corridor that reads as one place outside the area is no line, and never a dot at that place."""
    gaz, juris = GAZ, "540402"  # 巴宜区
    b = Builder(gaz, juris, "t", [])
    c = Concept("corridor", "某走廊", "一带", [], ["540500"])  # 山南市 alone, next to the plan
    a = assess(b, c, Geography(gaz, (juris,)))
    assert not a.drawn
    assert "check.line_one_outside_place" in [r["code"] for r in a.reasons]
