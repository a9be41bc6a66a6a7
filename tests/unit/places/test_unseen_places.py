"""Places read from plans the corpus has never seen (issue #19): one sentence table per failure class.

Each row: a made-up but realistic sentence of a county, city or province plan, the plan's jurisdiction (an adcode,
or None: the text as read before its jurisdiction is known, as the jurisdiction's vote reads it), the units that
must be found and those that must not (adcodes). The rules are general (a suffix, the plan's area, a list's head
word, a landform word); no row is a sentence of the corpus.
"""

from __future__ import annotations

import pytest

from geo.places.gazetteer import load_gazetteer
from geo.places.mentions import find_places

GAZ = load_gazetteer()

CHANGAN_XA, BAIYUN_GZ, CHENGGUAN_LZ, CHENGGUAN_LS = "610116", "440111", "620102", "540102"
DONGCHENG, TAIPING, XINHUA_SJZ, CHAOYANG_LN, JIANGBEI_CQ, HEXI_TJ = "110101", "210904", "130105", "211300", "500105", "120103"
ANNING, YONGNING, XINAN, CHENGBEI = "530181", "640121", "410323", "630105"

# --- class 9: towns, 组团, 新城, 片区 and 街道 of a county or city plan are not far-away counties
TOWN_ROWS = [
    ("推进长安镇、虎门镇、塘厦镇产业集群升级", "441900", [], [CHANGAN_XA, "130102"]),  # 东莞's towns
    ("支持白云镇、城关镇建设特色小镇", "522600", [], [BAIYUN_GZ, "520113", CHENGGUAN_LZ, CHENGGUAN_LS]),  # 黔东南
    ("推进城关街道、东城街道老旧小区改造", None, [], [CHENGGUAN_LZ, CHENGGUAN_LS, DONGCHENG]),
    ("推进城关街道、东城街道老旧小区改造", "620700", [], [CHENGGUAN_LZ, DONGCHENG]),  # 张掖
    ("加快建设太平片区、新华片区，完善配套设施", None, [], [TAIPING, XINHUA_SJZ, "130902", "410402"]),
    ("加快建设太平片区、新华片区，完善配套设施", "430400", [], [TAIPING, XINHUA_SJZ]),  # 衡阳
    ("构建朝阳、江北、河西三个组团协同发展格局", "320500", [], [CHAOYANG_LN, JIANGBEI_CQ, "330205", HEXI_TJ]),  # 苏州
    ("构建朝阳、江北、河西三个组团协同发展格局", None, [], [CHAOYANG_LN, JIANGBEI_CQ, HEXI_TJ]),
    ("支持安宁、永宁两个乡镇创建省级示范镇", "511900", [], [ANNING, "620105", YONGNING]),  # 巴中
    ("推动城北组团、江南新城、茅坪组团错位发展", None, [], [CHENGBEI, "450105"]),
    ("推进屏山县新安、书楼两个集镇建设", "511500", ["511529"], [XINAN]),  # owned by the county before it
    ("推进屏山县的新安集镇建设", None, ["511529"], [XINAN]),
    ("白衣镇、得胜镇和元山镇是平昌县的重点镇", "511923", ["511923"], []),
    ("建设大竹堡现代竹林产业基地", "510000", [], ["511724"]),  # a fort (堡) in a 四川 plan is no 大竹县
    ("打造石门村乡村旅游示范点", "430000", [], ["430726"]),  # a village (村) in a 湖南 plan is no 石门县
    # the plan's own districts before a 片区 or in a list of its 副城 are still its units
    ("推进江宁片区、浦口片区协同发展", "320100", ["320115", "320111"], []),
    ("推动仙林、江宁、浦口三个副城建设", "320100", ["320115", "320111"], []),
    # written in full, a far county is a place whatever follows
    ("学习借鉴东城区、白云区基层治理经验", "511900", [DONGCHENG, BAIYUN_GZ], []),
]


def _check(sentence, jurisdiction, found, not_found):
    got = {p.adcode for p in find_places(sentence, GAZ, jurisdiction=jurisdiction)}
    assert set(found) <= got, (sentence, got)
    assert not got & set(not_found), (sentence, sorted(GAZ.unit(a).name for a in got & set(not_found)))


@pytest.mark.parametrize(("sentence", "jurisdiction", "found", "not_found"), TOWN_ROWS,
                         ids=[f"{r[0][:10]}-{r[1]}" for r in TOWN_ROWS])
def test_towns_and_parts_are_not_far_counties(sentence, jurisdiction, found, not_found):
    _check(sentence, jurisdiction, found, not_found)


ALL_ROWS = [TOWN_ROWS]


def test_adcodes_in_tables_exist():
    """The tables name real units (a typo in an adcode would make a not-found row pass for nothing)."""
    for rows in ALL_ROWS:
        for row in rows:
            for a in (*row[2], *row[3]):
                assert GAZ.unit(a).adcode == a


PINGYUAN, DONGHAI, JIANGKOU, HEKOU_DY, HEKOU_YN, DONGZHI = "371426", "320722", "520621", "370503", "532532", "341721"

# --- class 10: landform and direction words are not counties
LANDFORM_ROWS = [
    # a name ending in 山 or 湖 chained with mountains and lakes that are no units is that mountain (issue #18)
    ("保护固城湖—花山—游子山—东庐山生态廊道", "320100", [], ["340503"]),  # not 马鞍山's 花山区, however near
    ("黄山—九华山—天柱山旅游带", "340000", [], []),
    ("推动花山、雨山、博望三区协同发展", "340500", ["340503", "340504", "340506"], []),  # 马鞍山's districts
    ("推动马鞍山、黄山、池州合作", "340000", ["340500", "341000", "341700"], []),  # units beside it: cities
    ("地处华北平原腹地，交通区位优越", "130500", [], [PINGYUAN]),  # 邢台
    ("地处华北平原腹地，交通区位优越", None, [], [PINGYUAN]),
    ("建设成都平原经济区核心城市", "510100", [], [PINGYUAN]),
    ("位于东海之滨，港口资源丰富", "330200", [], [DONGHAI]),  # 宁波
    ("位于东海之滨，港口资源丰富", None, [], [DONGHAI]),
    ("推进长江口生态保护和滨海湿地修复", "320600", [], [JIANGKOU]),  # 南通
    ("推进长江口生态保护和滨海湿地修复", None, [], [JIANGKOU]),
    ("加强黄河河口湿地保护，建设黄河口国家公园", "370500", [], [HEKOU_DY, HEKOU_YN]),  # 东营: the river's mouth
    ("加强黄河河口湿地保护", None, [], [HEKOU_DY, HEKOU_YN]),
    ("打造珠江三角洲产业转移承接地", "441200", [], []),
    # a boundary described by directions
    ("规划区东至海安市，南至长江，西至泰兴市，北至盐城市", "320682", ["320685", "321283", "320900"], [DONGZHI]),
    ("规划区东至海安市，南至长江，西至泰兴市，北至盐城市", None, ["320685", "321283", "320900"], [DONGZHI]),
    ("规划范围东至东海，西至大别山，南至长江", "340000", [], [DONGZHI, DONGHAI]),
    ("东至平和县界，西至永定区，北至连城县", "350800", ["350628", "350803", "350825"], [DONGZHI]),  # 龙岩
    # the county itself, written so: a list of counties, its suffix, its river town
    ("推动东至、石台、青阳三县协同发展", "341700", [DONGZHI], []),  # 池州
    ("支持东至县建设生态经济示范区", "340000", [DONGZHI], []),
    ("推动平原县、禹城市一体化发展", "371400", [PINGYUAN], []),  # 德州
    ("加快河口瑶族自治县边境口岸建设", "532500", [HEKOU_YN], []),
]


@pytest.mark.parametrize(("sentence", "jurisdiction", "found", "not_found"), LANDFORM_ROWS,
                         ids=[f"{r[0][:10]}-{r[1]}" for r in LANDFORM_ROWS])
def test_landform_and_direction_words_are_not_counties(sentence, jurisdiction, found, not_found):
    _check(sentence, jurisdiction, found, not_found)


ALL_ROWS.append(LANDFORM_ROWS)


# --- class 6: a prefecture written before its county names both (the prefecture and the county)
PREFECTURE_ROWS = [
    ("推进甘孜藏族自治州康定市建设川西区域中心城市", "510000", ["513300", "513301"], []),
    ("推进甘孜州康定市建设", None, ["513300", "513301"], []),
    ("支持酒泉市肃州区建设新能源基地", "620000", ["620900", "620902"], []),
    ("支持酒泉肃州区发展", "620900", ["620900", "620902"], []),
    ("推动黔南布依族苗族自治州都匀市和独山县协同发展", "520000", ["522700", "522701", "522726"], []),
    ("加快湖北省恩施土家族苗族自治州利川市发展", None, ["420000", "422800", "422802"], []),  # the province too
    ("推动临夏州临夏市、和政县协同发展", "620000", ["622900", "622901", "622925"], []),
    ("加强与延边州延吉市、珲春市合作", "210000", ["222400", "222401", "222404"], []),
    ("陕西省安康市", "610000", ["610900", "610000"], []),  # a province before its city is a place too (a qualifier)
]


@pytest.mark.parametrize(("sentence", "jurisdiction", "found", "not_found"), PREFECTURE_ROWS,
                         ids=[f"{r[0][:10]}-{r[1]}" for r in PREFECTURE_ROWS])
def test_a_prefecture_before_its_county_is_read_too(sentence, jurisdiction, found, not_found):
    _check(sentence, jurisdiction, found, not_found)


ALL_ROWS.append(PREFECTURE_ROWS)


KUNYU, JIANGBEI_NB = "659009", "330205"

# --- class 1: a place name inside a longer word is no far unit; a cluster of nearby units beats a distant homonym
LONGER_WORD_ROWS = [
    ("推动江北新区与浦口、六合联动发展", "320100", ["320111", "320116"], [JIANGBEI_CQ, JIANGBEI_NB]),  # 南京
    ("打造江北新区产业创新高地", None, [], [JIANGBEI_CQ, JIANGBEI_NB]),
    ("建设城关镇污水处理厂和中山路商业街", "620100", [], [CHENGGUAN_LZ, "442000", "210202"]),  # a town, even in 兰州
    ("建设中山路商圈", "320100", [], ["442000", "210202"]),
    ("共建中关村海淀园保定分园", "130600", ["130600"], ["110108"]),  # a park named after a far district
    ("推进中关村丰台园、海淀园秦皇岛分园建设", "130300", ["130300"], ["110106", "110108"]),
    ("推动东城、西城、南城、莞城四个街道协同发展", None, [], [DONGCHENG, "110102"]),  # 东莞's parts
    ("推动东城、西城协同发展", "441900", [], [DONGCHENG, "110102"]),
    ("打造更多精彩活力新城区", "510100", [], ["150102", "610102"]),
    # two characters of two neighbouring cities before 同城化 / 一体化: the cities, not a county 2,500 km away
    ("加快推进昆玉同城化发展", "530000", ["530100", "530400"], [KUNYU]),
    ("加快推进昆玉同城化发展", None, ["530100", "530400"], [KUNYU]),
    ("加快昆玉同城化，联动滇中城市群发展", "530400", ["530100", "530400"], [KUNYU]),
    # the plan's own districts listed together keep a name that is elsewhere a direction word
    ("推动南岸、江北、渝中协同发展", "500000", ["500108", JIANGBEI_CQ, "500103"], []),
    ("推动江北、镇海、北仑协同发展", "330200", [JIANGBEI_NB, "330211", "330206"], []),
    ("高质量建设江北、江南新兴产业集中区", "340000", [], [JIANGBEI_CQ, JIANGBEI_NB, "450105"]),
    # far units with strong evidence stay: a link verb with a long name, the full name, the province before it
    ("推动苏州工业园区与霍尔果斯合作共建产业园", "320500", ["320500", "654004"], []),
    ("加强与昆玉市、库尔勒市合作", "530000", [KUNYU, "652801"], []),
    ("深化与西藏拉萨市墨竹工卡县对口支援", "320100", ["540100", "540127"], []),
]


@pytest.mark.parametrize(("sentence", "jurisdiction", "found", "not_found"), LONGER_WORD_ROWS,
                         ids=[f"{r[0][:10]}-{r[1]}" for r in LONGER_WORD_ROWS])
def test_names_inside_longer_words_and_nearby_clusters(sentence, jurisdiction, found, not_found):
    _check(sentence, jurisdiction, found, not_found)


ALL_ROWS.append(LONGER_WORD_ROWS)


NINGXIA, NINGLING, NINGGUO, GUANGDE = "640000", "411423", "341881", "341882"

# --- class 13: roads and regions named by initials: their ends only where the plan's area or the text says so
ROUTE_ROWS = [
    ("加快宁洛高速公路扩容改造", "410000", [], [NINGXIA, NINGLING]),  # 南京—洛阳: not 宁夏 + 洛阳, not 宁陵
    ("加快宁洛高速公路扩容改造", "411600", [], [NINGXIA, NINGLING]),
    ("宁洛高速（南京—洛阳）穿境而过", "411600", ["320100", "410300"], [NINGXIA, NINGLING]),  # the text names its ends
    ("包茂高速（包头至茂名）纵贯全市", "610600", ["150200", "440900"], []),
    ("加快包茂高速扩容", "610600", [], ["150200", "440900"]),  # a trunk line named by two far ends is a name
    ("推进京港澳高速公路扩容", "430100", [], ["110000", "810000", "820000"]),
    ("推进京港澳高速公路扩容", "440300", [], ["110000"]),
    ("推进宁扬城际、宁马城际建设", "321000", ["320100", "321000", "340500"], [NINGGUO, NINGXIA]),
    ("推进宁扬城际、宁马城际建设", None, [], [NINGGUO, NINGXIA]),
    ("加快宁广高速建设", "341800", [NINGGUO, GUANGDE], ["440100", "320100"]),  # 宣城's own road
    ("加快宁广高速建设", None, [], ["440100", "320100", "350900"]),
    ("推动兰海高速复线建设", "620100", ["620100", "460100"], ["630200"]),  # 兰州—海口: capitals name trunk lines
    ("推动兰海高速复线建设", None, [], ["630200", "460100"]),
    ("延长产业链，提升服务水平", None, [], ["610621"]),  # an everyday word, no county
    ("延长产业链，提升服务水平", "320100", [], ["610621"]),
    ("加快延长县、延川县产业协作", None, ["610621", "610622"], []),
    ("加强与延长、延川合作", "610000", ["610621", "610622"], []),
    ("共同开发贵广高铁经济带", "520000", ["520100", "440100"], []),  # a home end keeps the line's ends
    # a city's own road ends near it unless the text or a national line's name vouches for a far end (issue #18)
    ("新开工宁广高速、宁九高速公路", "320100", ["320100", GUANGDE], ["440100", "321002"]),  # 南京—广德, not 广州
    ("宁广高速（南京—广州）", "320100", ["320100", "440100"], []),  # the text names the far end
    ("推动兰海高速复线建设", "620300", ["620100", "460100"], ["630200"]),  # 金昌's plan: G75 is 兰州—海口
    ("加快京广高铁沿线城市协作", "110000", ["110000", "440100"], []),  # a province-level city's trunk line
]


@pytest.mark.parametrize(("sentence", "jurisdiction", "found", "not_found"), ROUTE_ROWS,
                         ids=[f"{r[0][:10]}-{r[1]}" for r in ROUTE_ROWS])
def test_roads_named_by_initials(sentence, jurisdiction, found, not_found):
    _check(sentence, jurisdiction, found, not_found)


ALL_ROWS.append(ROUTE_ROWS)


# An everyday word is no abbreviation cluster, even before a grouping word (issue #18: 新建铁路 in 南京's plan read
# as 新北区 + 建邺区); a run that is no word keeps its reading.
EVERYDAY_CLUSTER_ROWS = [
    ("加快新建铁路建设，推进北沿江高铁", "320100", [], ["320411", "320105"]),
    ("推进宁扬城际、新建铁路和过江通道建设", "320100", ["320100", "321000"], ["320411", "320105"]),
    ("谋划新建高速公路和城际铁路", "440300", [], ["320411", "320105"]),
    ("加快昆曲城际铁路建设", "530300", ["530100", "530300"], []),
    # two lines from one city written as one run: 宁扬 and 宁马, not 宁国 + 扬州 + 南京 + 马鞍山
    ("推动宁扬宁马铁路建设", "320100", ["320100", "321000", "340500"], ["341881"]),
]
ALL_ROWS.append(EVERYDAY_CLUSTER_ROWS)


@pytest.mark.parametrize(("sentence", "jurisdiction", "found", "not_found"), EVERYDAY_CLUSTER_ROWS,
                         ids=[f"{r[0][:10]}-{r[1]}" for r in EVERYDAY_CLUSTER_ROWS])
def test_an_everyday_word_is_no_cluster(sentence, jurisdiction, found, not_found):
    _check(sentence, jurisdiction, found, not_found)


# Items of a list are peers, and each vouches for the others (issue #19: 德钦, 焉耆, 思茅, 库尉轮 unread): a name listed
# beside another place is a place though an everyday word crosses it (以德江 is no 以德), though the text also names
# a landform after it (塔河流域), and a former prefecture's name among counties is the district that kept it.
# Runs of county initials before a county grouping word (两个城镇圈, 同城化) read counties in or next to the plan.
LIST_ROWS = [
    ("以德江、思南、印江为重要节点", "520600", ["520626", "520624", "520625"], []),  # 铜仁
    ("以德钦、维西为节点", "533400", ["533422", "533423"], []),
    ("漠河、塔河为副中心，加强塔河流域生态保护", "232700", ["232701", "232722"], []),
    ("推进宁洱、思茅、墨江一体化发展", "530800", ["530821", "530802", "530822"], []),  # 思茅区, not all of 普洱市
    ("思茅地区的茶产业历史悠久", None, ["530800"], ["530802"]),  # alone, the old prefecture still
    ("构建莎泽、叶塔两个城镇圈", "653100", ["653125", "653124", "653126", "653131"], []),  # 喀什
    ("推进福瓮同城化发展", "522700", ["522702", "522725"], []),  # 黔南: 福泉 and 瓮安
    ("推进广佛同城化", "440100", ["440100", "440600"], []),  # cities stay cities
    ("推动科技创新和产业升级", "650000", [], ["652925"]),  # no list: 新和 still cuts a word
]
ALL_ROWS.append(LIST_ROWS)


@pytest.mark.parametrize(("sentence", "jurisdiction", "found", "not_found"), LIST_ROWS,
                         ids=[f"{r[0][:10]}-{r[1]}" for r in LIST_ROWS])
def test_listed_names_and_county_initials(sentence, jurisdiction, found, not_found):
    _check(sentence, jurisdiction, found, not_found)


HAICHENG, HANCHENG, ZHUCHENG = "210381", "610581", "370782"

# --- class 4/12: a plan's own unit before a part word (中心城区, 主城区, 县城) is that unit, even when the name's
# last character starts a commoner word (海城|中心: 城中) or a river bears the same name elsewhere (海城河)
PART_WORD_ROWS = [
    ("一城：以海城中心城区为核心，建设现代化中等城市", HAICHENG, [HAICHENG], []),
    ("以海城主城区为核心。两带：沿海城河打造生态景观带", HAICHENG, [HAICHENG], []),
    ("做强韩城中心城区，沿韩城河布局滨水空间", HANCHENG, [HANCHENG], []),
    ("提升诸城主城区综合承载能力", ZHUCHENG, [ZHUCHENG], []),
    ("沿海城河打造生态景观带", HAICHENG, [], [HAICHENG]),  # the river alone is no place
]
ALL_ROWS.append(PART_WORD_ROWS)


@pytest.mark.parametrize(("sentence", "jurisdiction", "found", "not_found"), PART_WORD_ROWS,
                         ids=[r[0][:12] for r in PART_WORD_ROWS])
def test_a_unit_before_its_part_word_is_read(sentence, jurisdiction, found, not_found):
    _check(sentence, jurisdiction, found, not_found)
