"""Which ties the importer draws as links (issue #19), one class each, on invented sentences of several regions.

A link (联系) is drawn when the text states a tie between the plan's area and a place outside it (与…合作, 对接, 联动,
同城化, 服务…); a pair of neighbouring units across the border, a far region named only in a list of national
strategies, a region with no lead city, a place that only opens a project's name and a place the preposition does not
govern (面向 is no 向) are kept to check or not read as links at all. None of the sentences is a corpus text.
"""

from __future__ import annotations

import pytest

from geo.i18n import reason_text
from geo.importer.draft import draft_plan
from geo.importer.jurisdiction import scope_span
from geo.importer.patterns import REGION_ANCHORS, REGION_HOLDS, REGIONS_WITHOUT_LEAD, in_strategy_list
from geo.places.gazetteer import load_gazetteer

GAZ = load_gazetteer()
HEAD = "某市发展规划\n一、区域协同\n"


def links(text: str, jurisdiction: str) -> list[dict]:
    d = draft_plan(HEAD + text, GAZ, jurisdiction=jurisdiction)
    return [f for f in d.collection["features"] if f["properties"]["kind"] == "link"]


def drawn_ends(found: list[dict]) -> set[str]:
    return {GAZ.unit(a).name for f in found if f["geometry"] is not None for a in f["properties"]["members"][1:]}


def codes(feature: dict) -> list[str]:
    return [r["code"] for r in feature["properties"]["reasons"]]


# ---- a pair of neighbouring units across the border names a border area, not a tie from the plan
@pytest.mark.parametrize(
    "text, jurisdiction, pair",
    [
        ("推动毗邻地区深度合作，重点建设吴江—嘉善、青浦—昆山等跨界一体化示范区。", "320500", "嘉善县"),  # 苏州
        ("持续加强花都—清城等毗邻地区交流合作。", "440100", "清城区"),  # 广州
        ("深化江津—合江等毗邻地区协作，共建川渝合作示范区。", "500000", "合江县"),  # 重庆
        ("持续加强萧山—柯桥毗邻地区交流合作。", "330100", "柯桥区"),  # 杭州
    ],
)
def test_a_border_pair_of_neighbouring_units_is_kept_to_check_not_drawn(text, jurisdiction, pair):
    found = [f for f in links(text, jurisdiction) if pair in [GAZ.unit(a).name for a in f["properties"]["members"]]]
    assert found, links(text, jurisdiction)
    for f in found:
        assert f["geometry"] is None and f["properties"]["confidence"] == "low", f["properties"]
        assert "check.border_pair" in codes(f)
        reason = next(r for r in f["properties"]["reasons"] if r["code"] == "check.border_pair")
        assert pair in reason_text(reason, "zh") and pair in reason_text(reason, "en")


def test_a_county_plans_own_pair_with_its_neighbour_is_still_a_link():
    # the inner end is the plan's own unit: the plan itself ties to its neighbour
    assert "吴江区" in drawn_ends(links("深化嘉善—吴江合作。", "330421"))


def test_a_pair_whose_far_end_is_no_neighbour_is_still_a_link():
    assert "湖州市" in drawn_ends(links("加强吴江—湖州合作。", "320500"))


# ---- a far region named only in a list of national strategies is context
def test_a_far_region_in_a_list_of_strategies_is_not_drawn():
    found = links("积极对接雄安新区建设、成渝地区双城经济圈发展，加强与台湾地区交流。", "350200")  # 厦门
    regions = {f["properties"].get("anchor"): f for f in found}
    assert {"雄安新区", "成渝地区双城经济圈"} <= set(regions), found
    for region in ("雄安新区", "成渝地区双城经济圈"):
        f = regions[region]
        assert f["geometry"] is None and "check.far_strategy_region" in codes(f), f["properties"]
        reason = next(r for r in f["properties"]["reasons"] if r["code"] == "check.far_strategy_region")
        assert reason["data"]["km"] > 300 and region in reason_text(reason, "zh")


def test_a_near_region_in_the_same_list_is_still_a_link():
    # 遵义 borders 重庆: 成渝 is its own strategic tie; 粤港澳大湾区 in the same list lies far away
    found = {f["properties"]["anchor"]: f for f in links("积极融入成渝地区双城经济圈建设、粤港澳大湾区建设。", "520300")
             if f["properties"].get("anchor")}
    assert found["成渝地区双城经济圈"]["geometry"] is not None
    assert found["粤港澳大湾区"]["geometry"] is None


def test_a_far_region_named_as_a_partner_is_still_a_link():
    found = [f for f in links("加强与雄安新区合作，共建创新平台。", "350200") if f["properties"].get("anchor")]
    assert found and found[0]["geometry"] is not None and "check.far_strategy_region" not in codes(found[0])


@pytest.mark.parametrize(
    "text, region, expected",
    [
        ("积极对接雄安新区建设、成渝地区双城经济圈发展", "雄安新区", True),
        ("积极对接雄安新区建设、成渝地区双城经济圈发展", "成渝地区双城经济圈", True),
        ("服务东北全面振兴、长江中游城市群崛起", "长江中游城市群", True),
        ("加强与京津冀地区、粤港澳大湾区、海南自由贸易港等合作对接", "粤港澳大湾区", False),
        ("主动融入长三角一体化发展", "长三角", False),  # one strategy alone: the plan's own tie
        ("加强与珠三角、北部湾的产业合作", "北部湾", False),
    ],
)
def test_in_strategy_list(text, region, expected):
    at = text.index(region)
    assert in_strategy_list(text, at, at + len(region)) is expected


# ---- a region with no lead city: where to draw would be a guess
def test_a_region_without_a_lead_city_is_kept_to_check():
    found = [f for f in links("深化与东北地区对口合作，共建产业园区。", "440100") if f["properties"].get("anchor")]
    assert [f["properties"]["anchor"] for f in found] == ["东北地区"], found
    f = found[0]
    assert f["geometry"] is None and f["properties"]["confidence"] == "low"
    assert "check.region_without_lead" in codes(f)


def test_regions_without_a_lead_city_are_named_regions():
    assert REGIONS_WITHOUT_LEAD <= set(REGION_ANCHORS)


# ---- a place opening a project's name is the project's site, not a partner
def test_a_place_opening_a_project_name_is_no_partner():
    found = links("协同推进盐城未来城、射阳科技城等建设，加强对口地区民生协作。", "310000")  # 上海
    assert not {"盐城市", "射阳县"} & drawn_ends(found), [f["properties"]["name"] for f in found]


def test_a_project_of_a_partner_named_after_a_preposition_is_a_link():
    assert "盐城市" in drawn_ends(links("加强与盐城未来城合作，共建产业园区。", "310000"))


def test_a_cooperation_park_named_after_a_partner_is_still_a_link():
    assert "鄂州市" in drawn_ends(links("深化区域合作，高水平建设武汉（鄂州）产业园区。", "420100"))


# ---- the partner's preposition is a word of its own
def test_facing_a_place_is_no_tie_to_it():
    found = links("提高交通基础设施一体化水平，强化萧山区面向绍兴等地区的交通门户地位。", "330100")
    assert "绍兴市" not in drawn_ends(found)


def test_a_clause_opening_with_a_preposition_still_makes_a_partner():
    assert "绍兴市" in drawn_ends(links("提高交通一体化水平，与绍兴共同打造门户枢纽。", "330100"))


# ---- 同城化, 服务: ties the text states
def test_tongchenghua_is_a_tie():
    assert {"株洲市", "湘潭市"} <= drawn_ends(links("推进长株潭同城化发展。", "430100"))


@pytest.mark.parametrize(
    "text, jurisdiction",
    [
        ("主动服务京津冀，建设首都生态屏障。", "140200"),  # 大同
        ("打造京津冀和雄安新区服务保障区、国家能源基地。", "150100"),  # 呼和浩特
    ],
)
def test_serving_a_region_is_a_tie(text, jurisdiction):
    assert {"北京市", "天津市", "河北省"} <= drawn_ends(links(text, jurisdiction))


@pytest.mark.parametrize("text", ["京津冀地区人口众多，产业基础雄厚。", "借鉴京津冀服务业发展经验。"])
def test_a_region_named_without_a_tie_is_no_link(text):
    assert not links(text, "140200")


def test_a_partner_before_a_verb_and_a_project_is_still_a_partner():
    # 联动惠州共建新城: the project follows the cooperation verb; 惠州 is the partner, not the project's site
    assert "惠州市" in drawn_ends(links("联动惠州共建新城，推进产业协作。", "440300"))


# ---- 海南自由贸易港 is a named region: the whole province
def test_the_hainan_free_trade_port_is_a_link_to_hainan():
    assert "海南省" in drawn_ends(links("加强与海南自由贸易港联动，拓展开放合作。", "440100"))
    assert REGION_HOLDS["海南自由贸易港"] == ("460000",)


def test_a_hainan_plan_draws_no_link_to_its_own_free_trade_port():
    assert not [f for f in links("加强与海南自由贸易港联动。", "460000") if f["geometry"] is not None]


# ---- the plan's own area: a scope sentence with a colon, a prefecture listed apart from its counties
def test_a_scope_sentence_with_a_colon_is_read():
    text = "规划范围：主要包括兰州市全域，以及白银市、定西市两市部分区县。"
    span = scope_span(text)
    assert span is not None and text[span[0] : span[1]].startswith("兰州市全域")


def test_a_member_of_the_plans_own_area_is_no_link():
    text = ("兰州都市圈发展规划\n一、规划范围\n规划范围：主要包括兰州市全域，以及白银市、定西市两市部分区县，临夏州永靖县。\n"
            "二、协同发展\n推进兰州—白银一体化发展，深化兰州与定西产业协作，加强与西宁合作。")
    d = draft_plan(text, GAZ, jurisdiction="620100")
    found = [f for f in d.collection["features"] if f["properties"]["kind"] == "link"]
    ends = drawn_ends(found)
    assert not {"白银市", "定西市"} & ends and "西宁市" in ends, [f["properties"]["name"] for f in found]
