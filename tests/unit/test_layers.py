"""Layers: the check passes, every PLANS.md row is on a layer, excerpts are verbatim, 绵阳's zones tile."""

import json
import re

import pytest
from shapely.geometry import shape
from shapely.ops import unary_union

from geo.layers import LAYERS_DIR, build_plan_layers, check_layers, dumps, load_layers, zone_overlaps
from geo.text.plans import load_plan, plan_ids

# One or more name fragments per PLANS.md row: a feature whose name contains the fragment must exist.
INVENTORY = {
    "mianyang": ["一核", "北翼", "南翼", "中部平原河谷片区", "东南丘陵片区", "西北山地片区", "王朗", "雪宝顶",
                 "小寨子沟", "大熊猫国家公园", "涪江", "南郊机场", "成兰铁路", "皂角铺", "飞地", "G347",
                 "科技城集中发展区", "九XX", "武引"],
    "wangcang": ["增长极", "广元副中心", "经济开发区", "通用机场", "广巴铁路", "旺苍—苍溪", "绵广高速",
                 "丝绸之路经济带", "中巴经济走廊", "红军城", "木门", "秦岭"],
    "panjin": ["锦州", "营口", "沿海经济带", "大连化物所", "沈大", "阜新", "阜盘铁路", "京津冀", "红海滩", "无锡",
               "舟山", "华为", "大亚湾", "三亚", "和布克赛尔", "盘满欧", "盘蒙欧", "生态保护红线", "辽河"],
    "qujing": ["麒沾马", "宣威", "多点支撑", "沪昆廊道", "南昆—汕昆廊道", "贵昆—杭瑞廊道", "银昆—曲泸廊道",
               "经开区", "综合保税区", "渝昆高铁", "曲靖至宣威至六盘水", "宣威民用机场", "曲靖—安顺循环经济产业园",
               "宝山", "南盘江", "牛栏江", "北盘江", "鲁布革"],
    "guizhou": ["粤港澳", "长江三角洲", "京津冀", "毕节·广州产业园", "独山", "贵广高铁", "铜仁·苏州产业园",
                "凯里·杭州", "成渝", "渝贵铁路", "赤水河", "湘黔", "贵南高铁", "曲靖—安顺循环经济产业园",
                "涪陵—凯里—柳州", "盘州—威宁—昭通", "西部陆海新通道", "贵安新区", "黔中城市群", "遵义都市圈"],
}


@pytest.fixture(scope="module")
def all_layers():
    return {pid: load_layers(pid) for pid in plan_ids()}


@pytest.mark.slow  # checks every built layer against the gazetteer
def test_check_passes():
    report = check_layers()
    assert report.ok, report.render()


@pytest.mark.parametrize("plan_id", plan_ids())
def test_every_plans_md_row_is_on_a_layer(all_layers, plan_id):
    names = [f["properties"]["name"] for fc in all_layers[plan_id].values() for f in fc["features"]]
    missing = [frag for frag in INVENTORY[plan_id] if not any(frag in n for n in names)]
    assert not missing, f"{plan_id}: no feature named like {missing}"


@pytest.mark.parametrize("plan_id", plan_ids())
def test_excerpts_are_verbatim_in_their_clause(all_layers, plan_id):
    outline = load_plan(plan_id).outline
    spans = {c.id: outline.text[c.span[0] : c.span[1]] for c in outline.clauses}
    for fc in all_layers[plan_id].values():
        for f in fc["features"]:
            for ex in f["properties"]["excerpts"]:
                assert ex["text"] in spans[ex["clause"]], (f["id"], ex)


@pytest.mark.parametrize("plan_id", plan_ids())
def test_features_carry_precision_and_honest_inference(all_layers, plan_id):
    for fc in all_layers[plan_id].values():
        for f in fc["features"]:
            p = f["properties"]
            assert p["precision"] in {"exact", "approximate", "schematic", "point"}
            if p["precision"] in ("approximate", "schematic", "point"):
                assert p["precision_note"], f["id"]
            assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", f["id"])
            if p["inferred"]:
                assert p["inferred"]["clue"] and p["inferred"]["place"]


def test_anonymised_plans_say_what_is_inferred(all_layers):
    for pid in ("mianyang", "panjin"):
        inferred = [f for fc in all_layers[pid].values() for f in fc["features"] if f["properties"]["inferred"]]
        assert inferred, pid
        for f in inferred:  # the place behind XX is never presented as a quotation
            assert all(f["properties"]["inferred"]["place"] not in ex["text"] or "XX" in ex["text"] or "*" in ex["text"]
                       for ex in f["properties"]["excerpts"]), f["id"]


def test_mianyang_zones_tile_the_city_without_gaps_or_overlaps(all_layers):
    zones = [f for f in all_layers["mianyang"]["zone"]["features"] if f["properties"]["group"]]
    assert len(zones) == 3
    geoms = [(f["id"], shape(f["geometry"])) for f in zones]
    assert zone_overlaps(geoms) == []
    # The city as the base layer draws it: its nine counties, simplified together with the zones' pieces.
    city = unary_union([shape(f["geometry"]) for f in all_layers["mianyang"]["admin"]["features"]
                        if f["properties"]["group"] == "own"])
    assert len([f for f in all_layers["mianyang"]["admin"]["features"] if f["properties"]["group"] == "own"]) == 9
    union = unary_union([g for _, g in geoms])
    assert union.symmetric_difference(city).area < 0.002 * city.area


def test_build_is_deterministic():
    first = {k: dumps(v) for k, v in build_plan_layers("qujing").items()}
    second = {k: dumps(v) for k, v in build_plan_layers("qujing").items()}
    assert first == second
    for kind, text in first.items():
        assert (LAYERS_DIR / "qujing" / f"{kind}.geojson").read_text(encoding="utf-8") == text


def test_where_plans_meet():
    meets = json.loads((LAYERS_DIR / "meets.json").read_text(encoding="utf-8"))
    shared = {m["name"]: m["plans"] for m in meets}
    assert any("曲靖—安顺循环经济产业园" in n or "曲靖-安顺" in n for n in shared)
    assert all(len(p) >= 2 for p in shared.values())


def test_a_broken_layer_file_is_reported_not_raised(tmp_path):
    (tmp_path / "qujing").mkdir()
    (tmp_path / "qujing" / "core.geojson").write_text("{not json", encoding="utf-8")
    report = check_layers(tmp_path, plans=["qujing"])
    assert not report.ok
    assert any("broken layer file core.geojson" in p for p in report.problems)
