"""A named region that holds the plan's own area is no link (issue #19): a 浙江 plan writing 长三角, a 深圳 plan writing
粤港澳大湾区, is one of the region's members, so no arc is drawn from it to the region's anchor city. The link is kept,
low and not drawn, with the reason. Sentences of several regions; none is a text of the development corpus."""

from __future__ import annotations

import pytest

from geo.i18n import reason_text
from geo.importer.draft import draft_plan
from geo.importer.patterns import REGION_ANCHORS, REGION_HOLDS
from geo.places.gazetteer import load_gazetteer

GAZ = load_gazetteer()
HEAD = "某地发展规划\n一、开放合作\n"


def region_links(sentence: str, jurisdiction: str) -> list[dict]:
    d = draft_plan(HEAD + sentence, GAZ, jurisdiction=jurisdiction)
    return [f for f in d.collection["features"] if f["properties"]["kind"] == "link" and f["properties"].get("anchor")]


@pytest.mark.parametrize(
    "sentence, jurisdiction, region",
    [
        ("加快融入长三角一体化发展，打造长三角区域中心城市。", "330100", "长三角"),  # 杭州
        ("深度融入粤港澳大湾区建设，强化与香港合作。", "440300", "粤港澳大湾区"),  # 深圳
        ("全面融入长三角一体化发展。", "340000", "长三角"),  # 安徽省
    ],
)
def test_a_region_holding_the_plan_draws_no_link(sentence, jurisdiction, region):
    found = region_links(sentence, jurisdiction)
    assert [f["properties"]["anchor"] for f in found] == [region], found
    p = found[0]["properties"]
    assert found[0]["geometry"] is None and p["named_only"] and p["confidence"] == "low", p
    held = next(r for r in p["reasons"] if r["code"] == "check.region_holds_area")
    assert held["data"]["region"] == region
    assert region in reason_text(held, "zh") and region in reason_text(held, "en")


@pytest.mark.parametrize(
    "sentence, jurisdiction, ends",
    [
        # the region's name writes partners outside the plan (京津冀: 京, 津 beside a 河北 plan's 冀): linked to those
        ("主动融入京津冀协同发展。", "130600", ["北京市", "天津市"]),  # 保定
        ("推动京津冀协同发展向纵深拓展。", "131000", ["北京市", "天津市"]),  # 廊坊
        ("服务京津冀协同发展。", "120000", ["北京市", "河北省"]),  # 天津市: its own name written is no end
        ("积极融入成渝地区双城经济圈建设。", "510700", ["成都市", "重庆市"]),  # 绵阳: the two cities the name writes
    ],
)
def test_a_region_holding_the_plan_links_it_to_the_partners_its_name_writes(sentence, jurisdiction, ends):
    found = region_links(sentence, jurisdiction)
    assert len(found) == 1 and found[0]["geometry"] is not None, found
    p = found[0]["properties"]
    assert sorted(GAZ.unit(a).name for a in p["members"][1:]) == sorted(ends)
    assert "check.region_holds_area_written" in [r["code"] for r in p["reasons"]] and p["confidence"] == "medium"


@pytest.mark.parametrize(
    "sentence, jurisdiction, region",
    [
        ("主动融入粤港澳大湾区，承接产业转移。", "430100", "粤港澳大湾区"),  # 长沙 is not in it
        ("积极对接粤港澳大湾区。", "360700", "粤港澳大湾区"),  # 赣州
        ("主动融入成渝地区双城经济圈建设。", "520300", "成渝地区双城经济圈"),  # 遵义
        ("加强与京津冀合作。", "150100", "京津冀"),  # 呼和浩特
    ],
)
def test_a_region_outside_the_plan_is_still_a_link(sentence, jurisdiction, region):
    found = region_links(sentence, jurisdiction)
    assert [f["properties"]["anchor"] for f in found] == [region], found
    assert found[0]["geometry"] is not None
    assert "check.region_holds_area" not in [r["code"] for r in found[0]["properties"]["reasons"]]


def test_every_region_holds_real_units_and_its_anchor():
    for region, held in REGION_HOLDS.items():
        assert region in REGION_ANCHORS, region
        assert all(a in GAZ.units for a in held), (region, [a for a in held if a not in GAZ.units])
        anchor = REGION_ANCHORS[region]
        assert any(a == anchor or GAZ.contains(a, anchor) for a in held), region
