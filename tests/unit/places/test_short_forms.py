"""Short forms plans write for units (issue #19, classes 1, 6 and 12): abbreviation pairs and lists, 港澳, the plan's
own unit by a common word, a province before its unit, and the names that only look like units (a newspaper, a
zone keeping a renamed unit's name, a full name inside a word).

Each row: a made-up sentence of the kind unseen plans write (none is a corpus sentence), the plan's jurisdiction (or
None), the units that must be found and those that must not (adcodes).
"""

from __future__ import annotations

import pytest

from geo.places.gazetteer import load_gazetteer
from geo.places.mentions import find_places

GAZ = load_gazetteer()

SUZHOU, WUXI, CHANGZHOU = "320500", "320200", "320400"
HK, MACAO = "810000", "820000"
SHIZHONG_JN, SHIZHONG_ZZ, SHIZHONG_NJ = "370103", "370402", "511002"

ROWS = [
    # one-character abbreviations listed with 、: one cluster, every item resolved, or none
    ("支持苏、锡、常共建先进制造业基地", "320000", [SUZHOU, WUXI, CHANGZHOU], []),
    ("推动长、株、潭协同发展", "430000", ["430100", "430200", "430300"], []),
    ("统筹大、中、小城市协调发展", "430000", [], ["210200", "140200", "442000"]),
    ("推进东、中、西部协调发展", None, [], ["441900", "442000", "610100"]),
    # the plan's own unit paired with a close peer of its province, their borders touching or not
    ("推进深汕合作，共建产业转移园", "440300", ["441500"], ["440500"]),  # 汕尾, not 汕头 (280 km)
    ("推进甬舟合作，建设港口联盟", "330200", ["330900"], []),
    ("推进都凯两地产业协作", "522701", ["522601"], []),  # 都匀 and 凯里, county-level cities 80 km apart
    ("推进凯兴两地产业协作", "522601", [], ["522301", "522302"]),  # 兴义 and 兴仁 lie too far for a pair
    # grouping words: 两地, 世界级, an industry cluster named after its cities; a word crossing the run stops it
    ("共建杭绍甬世界级智能制造集群", "330000", ["330100", "330600", "330200"], ["330182"]),  # not 建德 of 共建
    ("共建郑汴新能源汽车产业集群", "410000", [], ["410700"]),  # 新 begins 新能源: no 新乡
    ("培育壮大新能源汽车产业集群", "410000", [], ["410700", "650000"]),
    # 港澳: Hong Kong and Macao, but not inside the bay area's or a road's name
    ("深化与港澳在金融领域的合作", "350200", [HK, MACAO], []),
    ("积极融入粤港澳大湾区建设", "350200", [], [HK, MACAO]),
    # the plan's own unit by a short name that is also a word; a province's free-trade port
    ("海南要加快建设现代化产业体系", "460000", ["460000"], []),
    ("学习借鉴海南自由贸易港经验做法", "350000", ["460000"], ["632500", "150303"]),
    ("学习借鉴海南经验", "350000", [], ["460000", "632500"]),  # bare, far: still a word
    # a province before its unit is a place too (the rules take the unit alone as a link's end)
    ("完善与湖南张家界市、辽宁鞍山市等地区对口合作", "320100", ["430000", "430800", "210000", "210300"], []),
    # a name that only looks like a unit: a newspaper, a zone keeping a name its district no longer bears
    ("湖北日报讯 记者从省发改委获悉", None, [], ["420000"]),
    ("浙江在线讯 近日，某县召开会议", None, [], ["330000"]),
    ("浙江在线5月20日讯（通讯员 某某）", None, [], ["330000"]),
    ("加快发展上海在线新经济", None, ["310000"], []),  # 在线新经济 is an economy, not an outlet
    ("支持杨凌示范区建设现代农业", "610000", [], ["610403"]),
    ("支持杨凌建设现代农业", "610000", ["610403"], []),  # the former name alone still names the district
    # a full name hidden by a rejected match before it (和龙|龙岗区); none cut out of a word (滨海|城市)
    ("推动龙华区和龙岗区协同发展", "440300", ["440309", "440307"], ["222406"]),
    ("打造滨海城市带", "460000", [], ["210381"]),
    # a name several prefectures share, listed among one prefecture's units, is that prefecture's
    ("推进历下区、市中区、槐荫区城市更新", "370000", [SHIZHONG_JN], [SHIZHONG_ZZ]),
    ("推进东兴区、市中区、威远县协同发展", "510000", [SHIZHONG_NJ], [SHIZHONG_JN, "511102"]),
]


def test_adcodes_in_table_exist():
    """The table names real units (a typo in an adcode would make a not-found row pass for nothing)."""
    for row in ROWS:
        for a in (*row[2], *row[3]):
            assert GAZ.unit(a).adcode == a


@pytest.mark.parametrize(("sentence", "jurisdiction", "found", "not_found"), ROWS,
                         ids=[f"{r[0][:10]}-{r[1]}" for r in ROWS])
def test_short_forms(sentence, jurisdiction, found, not_found):
    got = {p.adcode for p in find_places(sentence, GAZ, jurisdiction=jurisdiction)}
    assert set(found) <= got, (sentence, sorted(GAZ.unit(a).name for a in got))
    assert not got & set(not_found), (sentence, sorted(GAZ.unit(a).name for a in got & set(not_found)))


def test_a_listed_cluster_says_what_each_character_reads():
    places = find_places("支持苏、锡、常共建先进制造业基地", GAZ, jurisdiction="320000")
    assert {p.via for p in places} == {"cluster"}
    assert places[0].reason == "“苏、锡、常”是简称组合：苏→苏州市、锡→无锡市、常→常州市"


def test_a_province_before_its_unit_is_marked_as_qualifying_it():
    places = find_places("完善与湖南张家界市对口合作", GAZ, jurisdiction="320100")
    assert [(p.name, p.via) for p in places] == [("湖南省", "qualifier"), ("张家界市", "")]
