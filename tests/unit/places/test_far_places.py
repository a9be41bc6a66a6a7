"""Everyday words that are also far units' names (issue #18): a name that cuts a word is no place; a far unit's
bare two-character name needs evidence; the plan's own street or town of that name is not the far county.

Each row: a sentence, the plan's jurisdiction (南京 320100, 深圳 440300, or None), the units that must be found and
those that must not (adcodes; a cluster's members count by their adcodes too).
"""

from __future__ import annotations

import pytest

from geo.places.gazetteer import load_gazetteer
from geo.places.mentions import find_places

GAZ = load_gazetteer()
NANJING, SHENZHEN = "320100", "440300"

XINHE, HETIAN, XINJIANG = "652925", "653200", "650000"  # 新和县, 和田地区, 新疆 (the cluster reading 新和 = 新+和)
YOUHAO, HUIMIN, HONGWEI, YANCHANG = "230719", "371621", "211004", "610621"
DATONG_HN, DATONG_QH = "340402", "630121"  # 淮南's 大通区, 西宁's 大通县
LONGTAN, BINJIANG, QILIN, NANCHANG = "220203", "330108", "530302", "360100"

ROWS = [
    # --- a match that cuts through a word is no place, wherever the plan is
    ("推动科技创新和产业创新深度融合", NANJING, [], [XINHE, HETIAN, XINJIANG]),
    ("推动科技创新和产业创新深度融合", None, [], [XINHE, HETIAN, XINJIANG]),
    ("打造全球具身智能科技创新和产业发展高地", SHENZHEN, [], [XINHE, HETIAN, XINJIANG]),
    ("办好惠民生实事", None, [], [HUIMIN]),
    ("办好惠民生实事", NANJING, [], [HUIMIN]),
    ("深化国际友好城市交流", None, [], [YOUHAO]),
    # a rare pair of characters across the name's end is no word that cuts it: 办好旺苍 (好旺) keeps 旺苍
    ("办好旺苍红色旅游文化节及红叶节等节会", "510821", ["510821"], []),
    ("绘就宏伟蓝图", None, [], [HONGWEI]),
    ("推动大通关建设", None, [], [DATONG_HN, DATONG_QH]),
    ("有序推进紧密型城市医疗集团和县域医共体建设", NANJING, [], ["340523"]),
    # --- a far unit's bare two-character name without evidence is a word, or the plan's own place
    ("延长产业链，延长服务时间", NANJING, [], [YANCHANG]),
    ("深化与友好城市的交流，友好往来", NANJING, [], [YOUHAO]),
    ("加快建设高淳定埠、栖霞龙潭、浦口老山等通用机场", NANJING, ["320113", "320111"], [LONGTAN]),
    ("持续加强溧水—溧阳、龙潭—下蜀、汤山—黄梅等毗邻地区交流合作", NANJING, [], [LONGTAN, "421127"]),
    ("推进栖霞龙潭街道建设", NANJING, [], [LONGTAN]),
    ("打造滨江创新带", NANJING, [], [BINJIANG]),
    ("建设麒麟科技城", NANJING, [], [QILIN]),
    ("加快湖南路、夫子庙、龙江、红山等特色商圈建设", NANJING, [], ["430000", "230221"]),
    ("加快实施城南、城北、城东、铁北等片区更新", NANJING, [], ["630105", "630102"]),
    ("推动江浦、大厂、桥北等老城片区城市更新", NANJING, [], ["410302"]),
    ("推动深珠通道、深南中城际等项目规划建设", SHENZHEN, [], [NANCHANG]),
    ("打造更多精彩活力新城区", SHENZHEN, [], ["150102", "610102"]),
    ("积极加强与京杭运河沿线地区港口及安徽、河南等内河港口合作", NANJING, [], ["450602"]),
    # --- evidence: the suffix, link words, a list, the province or parent before it, a route
    ("加强与惠民县合作", NANJING, [HUIMIN], []),
    ("与延长县、延川县共建产业园", NANJING, [YANCHANG, "610622"], []),
    ("与寻乌和巫山等地支援协作", SHENZHEN, ["360734", "500237"], []),
    ("加强与大通、湟中合作", NANJING, [DATONG_QH, "630106"], []),
    ("做好对口支援新疆喀什地区疏附县、伽师县、塔什库尔干塔吉克自治县工作", NANJING,
     ["653121", "653129", "653131"], []),
    ("加强与陕西商洛市等地区对口协作，助推商洛电子科技发展", NANJING, ["611000"], []),
    ("联动宣城、黄山及沿线区县，共同打造区域文旅品牌", NANJING, ["341800", "341000"], []),
    ("建设成南京辐射马鞍山、芜湖等地区的门户地区", NANJING, ["340500", "340200"], []),
    ("深化与上海、重庆、武汉等长江沿线重要中心城市合作", NANJING, ["310000", "500000", "420100"], []),
    ("加密至重庆、武汉等沿江城市的中转航线", NANJING, ["500000", "420100"], []),
    ("这是继南京、福州、成都都市圈规划之后，国家批复的第5个都市圈规划", "610100",
     ["320100", "350100", "510100"], []),
    ("加快推进吉林龙潭区老工业基地改造", NANJING, [LONGTAN], []),
    ("重点建设环湾滨海地区和南北钦防、湛茂阳城镇发展轴", "450100", ["450500", "450700", "450600"], []),
    # --- far cities stay cities; a far name among a town list or before 航道 does not
    ("推动石化产业园区与惠州大亚湾石化工业区合作", "211100", ["441300"], []),
    ("连接关中一天水地区、呼包鄂榆地区", "510700", ["620500"], []),
    ("推进东坝、晶桥、阳江、砖墙等特色镇建设", NANJING, [], ["441700"]),
    ("推进驷马山干渠、水阳江航道和秦淮河航道整治工程", NANJING, [], ["441700"]),
]


@pytest.mark.parametrize(("sentence", "jurisdiction", "found", "not_found"), ROWS,
                         ids=[f"{r[0][:12]}-{r[1]}" for r in ROWS])
def test_far_places(sentence, jurisdiction, found, not_found):
    got = {p.adcode for p in find_places(sentence, GAZ, jurisdiction=jurisdiction)}
    assert set(found) <= got, (sentence, got)
    assert not got & set(not_found), (sentence, got)


def test_adcodes_in_table_exist():
    """The table names real units (a typo in an adcode would make a not-found row pass for nothing)."""
    for _, _, found, not_found in ROWS:
        for a in (*found, *not_found):
            assert GAZ.unit(a).adcode == a
