"""The importer on the forms county and prefecture plans write (issue #19): areas defined by lists of counties
(class 3), counted phrases of other shapes (class 7), slogans whose parts are towns or defined in parentheses or by
role words (class 11). Realistic sentences of several regions; none is a text of the development corpus."""

from __future__ import annotations

import pytest

from geo.importer.builder import Builder
from geo.importer.draft import draft_plan
from geo.places.gazetteer import load_gazetteer

GAZ = load_gazetteer()
HEAD = "某地空间发展规划\n一、空间格局\n"


def features(text, jurisdiction):
    d = draft_plan(HEAD + text, GAZ, jurisdiction=jurisdiction)
    return [f["properties"] for f in d.collection["features"] if f["properties"]["kind"] != "admin"]


def part(text, jurisdiction, name):
    """The features of one part: (name, sorted member names) of each, named as the part or grouped under it."""
    return sorted((p["name"], sorted(GAZ.unit(a).name for a in p["members"])) for p in features(text, jurisdiction)
                  if p["name"] == name or p.get("group") == name)


# ---- class 3: a list of counties defines the area, not the prefectures that own them

@pytest.mark.parametrize(
    "sentence, jurisdiction, zone, expected",
    [
        (("大南昌都市圈包括南昌市、九江市和抚州市临川区、东乡区，宜春市的丰城市、樟树市、高安市和靖安县、奉新县，上饶市的鄱阳县、"
         "余干县、万年县。"), "360100", "大南昌都市圈",
         ["万年县", "东乡区", "丰城市", "临川区", "九江市", "南昌市", "余干县", "奉新县", "樟树市", "靖安县", "高安市", "鄱阳县"]),
        ("湘江新区范围包括长沙市的岳麓区、望城区和湘潭市的湘潭县。", "430000", "湘江新区", ["岳麓区", "望城区", "湘潭县"]),
        ("滇中城市群范围包括昆明市、曲靖市、玉溪市和红河州所辖个旧市、开远市、蒙自市。", "530100", "滇中城市群",
         ["个旧市", "开远市", "昆明市", "曲靖市", "玉溪市", "蒙自市"]),
        # a unit written on its own and then with its own counties stays whole (哈尔滨市 … 市辖区，宾县)
        ("东环城市圈包括哈尔滨市、牡丹江市市辖区，宾县、尚志市。", "230000", "东环城市圈",
         ["哈尔滨市", "宾县", "尚志市", "牡丹江市"]),
    ],
)
def test_an_area_listing_counties_takes_those_counties(sentence, jurisdiction, zone, expected):
    found = part(sentence, jurisdiction, zone)
    assert [members for _, members in found] == [sorted(expected)], found


def test_the_plan_area_of_listed_counties_leaves_the_rest_of_their_prefecture_outside():
    d = draft_plan("大南昌都市圈发展规划\n一、范围\n大南昌都市圈包括南昌市、九江市，宜春市的丰城市、樟树市，上饶市的鄱阳县。",
                   GAZ)
    clauses = d.clauses
    b = Builder(GAZ, d.jurisdiction.adcode, "draft", clauses, d.outline.title or "")
    assert set(b.area) == {"360100", "360400", "360981", "360982", "361128"}, b.area
    assert b.inside("360981") and not b.inside("360902")  # 丰城市 inside, 宜春's 袁州区 not
    assert not b.inside("361102")  # nor 上饶's 信州区


# ---- class 7: counted phrases of other shapes, and counted phrases that are no structure

@pytest.mark.parametrize(
    "sentence, jurisdiction, name, expected",
    [
        # A、B、C、D、E等5个新城: one feature per new town, each its district
        ("规划建设嘉定、青浦、松江、奉贤等4个新城。", "310000", "4个新城",
         [("嘉定", ["嘉定区"]), ("奉贤", ["奉贤区"]), ("松江", ["松江区"]), ("青浦", ["青浦区"])]),
        # the same with names that are no units: named items, no members
        ("重点建设临空、临港、滨湖、科创、生态等5个新城。", "360100", "5个新城",
         [("临港", []), ("临空", []), ("滨湖", []), ("生态", []), ("科创", [])]),
        # a 双 part whose items are quoted names side by side
        ("形成“一核双城”格局，推动“赣州”“吉安”双城联动发展。", "360000", "双城", [("吉安", ["吉安市"]), ("赣州", ["赣州市"])]),
        ("构建“一主双副”格局，以“宜昌”“襄阳”为双副中心。", "420000", "双副", [("宜昌", ["宜昌市"]), ("襄阳", ["襄阳市"])]),
    ],
)
def test_counted_phrases_of_other_shapes_find_their_items(sentence, jurisdiction, name, expected):
    assert part(sentence, jurisdiction, name) == sorted(expected)


@pytest.mark.parametrize(
    "sentence, jurisdiction",
    [
        ("坚持“两个率先”，推动全市经济社会发展达到两个水平。", "320100"),
        ("天山北坡城市群是全国“两个水平带”中最西端的一个。", "650100"),
        ("要抓好“三个一批”，打好三大攻坚战。", "430000"),
    ],
)
def test_a_counted_phrase_no_list_defines_draws_no_structure(sentence, jurisdiction):
    assert [p["name"] for p in features(sentence, jurisdiction) if p["kind"] != "link"] == []


# ---- class 11: slogans of county plans, parts whose items are towns

PHRASE_PLAN = ("全市构建形成“双核辐射、两带引领、两廊联动、全域美丽”的功能布局。\n1．双核辐射：聚焦“老城文化核”建设核心地区；"
               "聚焦“临江活力核”，强化商务功能。\n2．两带引领：聚焦东山创新带推动原始创新，聚焦沿河创新带推进产业链协同。")


@pytest.mark.parametrize(
    "sentence, jurisdiction, name, expected",
    [
        # 两极 = two 中心镇 counted under another head word where the text quotes the part
        ("构建“一核两极”空间发展体系。一是承接“一核两极”战略目标，强化湖镇、溪口2个中心镇支撑。", "330825", "两极",
         [("湖镇", []), ("溪口", [])]),
        ("形成“一心三极”格局，培育大塘、清溪、石湾3个重点镇。", "441302", "三极", [("大塘", []), ("清溪", []), ("石湾", [])]),
        # 三心 defined as three named towns
        ("构建“一主三心”格局。“三心”即大塘镇、清溪镇、石湾镇三个中心镇。", "441302", "三心",
         [("大塘镇", []), ("清溪镇", []), ("石湾镇", [])]),
        # a colon-defined part of named areas, the first one not cut to its last word
        ("形成“一城、两轴、三区”的城乡空间发展结构。三区:南部特色旅游区、西部民族文化旅游区和北部农业生态区。", "522601", "三区",
         [("北部农业生态区", []), ("南部特色旅游区", []), ("西部民族文化旅游区", [])]),
        # a definition of phrases 以X为主的Y: the items are the X (towns, a new district), the category word dropped
        ("形成“两心、一带”城镇功能布局：“两心”指以中心城镇大塘、清溪为主的核心，以石湾新区为主的副中心。", "441302", "两心",
         [("大塘、清溪", []), ("石湾新区", [])]),
        # a corridor part counted under another head word where the text quotes it, the items quoted
        ("构建“一核两极、两江走廊”体系。强化“两江走廊”示范引领，打造“瀫溪产城融合发展轴”、“灵山江农文旅发展轴”两条发展轴。",
         "330825", "两江走廊", [("灵山江农文旅发展轴", []), ("瀫溪产城融合发展轴", [])]),
        # a shared descriptor after the last of short names is every item's (三江源国家重点生态功能区, not 三江源功能区)
        ("构建“两屏三区”格局，以三江源、祁连山国家重点生态功能区为屏障。", "630000", "两屏",
         [("三江源国家重点生态功能区", []), ("祁连山国家重点生态功能区", [])]),
        # a phrase slogan's part defined by a numbered line headed by its phrase, the items named after a verb or
        # quoted, across the line's sentences (issue #18: whole plans)
        (PHRASE_PLAN, "411600", "两带", [("东山创新带", []), ("沿河创新带", [])]),
        (PHRASE_PLAN, "411600", "双核", [("临江活力核", []), ("老城文化核", [])]),
        # items in a parenthesis after each part
        ("构建一轴(沿江发展主轴)、两极(大理-隆阳增长极、临翔-景洪增长极)的空间格局。", "530000", "两极",
         [("临翔-景洪增长极", ["临翔区", "景洪市"]), ("大理-隆阳增长极", ["大理市", "隆阳区"])]),
        # role words after 为: A为中心, B、C为副中心
        ("构筑“一主两副”城镇发展格局(以库尔勒为中心,轮台、若羌为副中心)。", "652800", "一主", [("一主", ["库尔勒市"])]),
        ("构筑“一主两副”城镇发展格局(以库尔勒为中心,轮台、若羌为副中心)。", "652800", "两副", [("两副", ["若羌县", "轮台县"])]),
        # one item per semicolon segment, named at its head: not the towns a segment lists
        ("构建“一心三区”格局。三区：北部荒漠保护区，包括甲镇、乙镇北部；中部绿洲农业区，包括丙镇；南部山地生态区。",
         "620723", "三区", [("中部绿洲农业区", []), ("北部荒漠保护区", []), ("南部山地生态区", [])]),
        (("构建“一城三区”格局。三区：西部临港产业区，依托营口港、鲅鱼圈港，发展装备制造；东部生态旅游区，以甲镇为重点；"
         "中部纺织产业区，以乙镇为中心。"), "210381", "三区",
         [("东部生态旅游区", []), ("中部纺织产业区", []), ("西部临港产业区", [])]),
        # … or at its end, after a verb or 的: not the roads a segment runs along
        ("构建“一心两轴”格局。两轴：沿连霍高速、兰新铁路形成的东西向城镇发展轴；沿国道形成的南北向产业发展轴。", "620723",
         "两轴", [("东西向城镇发展轴", ["乌鲁木齐市", "兰州市"]), ("南北向产业发展轴", [])]),
        # a numbered clause headed by the part and a full stop defines it in its first sentence
        (("第四章 优化布局\n构建“一核两翼三带”格局。\n（一）一核。以甲镇为核心。\n（三）三带。沿黄河生态保护带、沿呼准鄂铁路产业带、"
         "沿S24高速城镇发展带。"), "150622", "三带",
         [("沿S24高速城镇发展带", []), ("沿呼准鄂铁路产业带", []), ("沿黄河生态保护带", [])]),
        # a section headed by the quoted part defines it in the lines under the heading
        (("第八章 构建“一城三带”发展格局\n第三节 打造“三带”\n沿绣江打造绣江生态经济带；沿国道打造城镇发展带；"
         "沿容县—岑溪—梧州方向打造东融发展带。"), "450921", "三带",
         [("东融发展带", ["容县", "岑溪市", "梧州市"]), ("城镇发展带", []), ("绣江生态经济带", [])]),
    ],
)
def test_parts_of_county_plans_take_their_items(sentence, jurisdiction, name, expected):
    assert part(sentence, jurisdiction, name) == sorted(expected)


# ---- class 11: slogans of other shapes (the river a slogan counts, directions, quoted names, a sentence spelling
# the slogan out, 1+N over the plan's area)

@pytest.mark.parametrize(
    "sentence, jurisdiction, name, expected",
    [
        # a first item after a definition's colon is whole, though it is long and ends in a one-character head word
        ("构建“两心三圈”格局。“两心”:东山森林生态绿心和西湖湿地生态绿心。", "330100", "两心",
         [("东山森林生态绿心", []), ("西湖湿地生态绿心", [])]),
        # quoted names listed together, told apart by the parts' head words (以…为纽带 is no head word 带)
        ("构建“一带两轴”格局。以‘沿江城镇带’和‘东西发展轴’‘南北发展轴’为纽带，形成城镇群。", "360100", "两轴",
         [("东西发展轴", []), ("南北发展轴", [])]),
        # a phrase slogan the next sentence spells out clause by clause: 两翼 = the two the second clause counts
        (("实施“中心带动、两翼齐飞、组团发展、整体推进”的区域发展战略。充分发挥州府辐射带动作用，积极打造临港、临空两大产业基地，"
          "构建组团式发展格局，全面推进区域协调发展。"), "530000", "两翼", [("临港", []), ("临空", [])]),
        # a direction pair: the two parts its numbered line defines
        (("全县形成“南北林带、中部城区、沿河发展、产城融合”的总体格局。\n1．南北林带：南林带是南山以南的区域，"
          "北林带是北湖以北的区域。"), "411600", "南北林带", [("北林带", []), ("南林带", [])]),
        # a 1+N slogan of a metropolitan area whose text lists the area: 1 = the lead city, N = the others
        ("长沙都市圈由原来的“1+2”(长沙+株洲、湘潭)拓展为“1+3”,新增加了岳阳。", "430100", "3",
         [("3", ["岳阳市", "株洲市", "湘潭市"])]),
        # in a plan spanning several units its lead unit is one of the core's (长沙、株洲核心区)
        ("长株都市圈范围包括长沙市、株洲市、湘潭市。构建“一核两翼”格局，做强长沙、株洲核心区。", "430100", "一核",
         [("一核", ["株洲市", "长沙市"])]),
    ],
)
def test_slogans_of_other_shapes_find_their_items(sentence, jurisdiction, name, expected):
    assert part(sentence, jurisdiction, name) == sorted(expected)


def test_the_river_a_slogan_counts_is_the_one_its_sentence_names():
    found = [p for p in features("以赣江为轴，沿江布局城镇组团，形成“一江两岸、联动发展”的格局。", "360100") if p["name"] == "一江"]
    assert len(found) == 1 and found[0]["members"] == [], found
    assert any("赣江" in e["text"] for e in found[0]["excerpts"]), found  # the river, cited; no unit drawn
    # two rivers named where the slogan counts one: no guess
    found = [p for p in features("以赣江、袁江为轴，形成“一江两岸”的格局。", "360100") if p["name"] == "一江"]
    assert all(not any("赣江" in e["text"] for e in p["excerpts"][1:]) for p in found), found


def test_a_direction_part_is_never_the_whole_unit_exact():
    text = "全市形成“南北田园、中部都市、拥江发展、城乡融合”的总体格局。\n2．中部都市：赣州都市区是以老城为中心的城市化地区。"
    found = [p for p in features(text, "360700") if p["name"] == "中部都市"]
    assert found and found[0]["members"] == ["360700"] and found[0]["precision"] != "exact", found


def test_a_counted_phrase_of_another_kind_is_no_restatement():
    # 两大都市区 are the areas, 两核 their cores: both drawn (a restatement of the same kind is drawn once)
    text = ("以杭州、宁波两大都市区核心区为中心，形成“两核、两带”格局。共同构建杭州、宁波等两大都市区。")
    areas = part(text, "330000", "两大都市区")
    assert sorted(m for _, ms in areas for m in ms) == ["宁波市", "杭州市"], areas


def test_town_items_are_named_only_never_drawn_as_a_unit():
    found = [p for p in features("构建“一核两极”空间发展体系，强化湖镇、溪口2个中心镇支撑。", "330825")
             if p.get("group") == "两极"]
    assert [p["name"] for p in found] == ["湖镇", "溪口"]
    assert all(p["named_only"] and not p["members"] for p in found), found  # no seat known: listed, not drawn
    assert all("乡镇" in p.get("rule", "") for p in found), "the note says the items are towns"


# ---- a part defined as a county's town (县城, 城区, 主城区): a point at its seat, never the county drawn exact

@pytest.mark.parametrize(
    "sentence, jurisdiction, name, expected",
    [
        ("形成“一核两翼”格局。“一核”即安吉县城，", "330523", "一核", ["安吉县"]),
        ("构建“一城两带”格局，一城为湄潭县城区。", "520328", "一城", ["湄潭县"]),
        ("构建“一核两副”格局，“一核”指宣威市主城区，", "530381", "一核", ["宣威市"]),  # a county-level city's
        # the plan's own town, unnamed: the county of a county plan
        ("构建“一核两翼”的空间格局。一核：以县城为核心，辐射带动周边乡镇。", "621124", "一核", ["临洮县"]),
        ("浏阳市构建“一核两翼”格局，一核即城区。", "430181", "一核", ["浏阳市"]),  # not the whole city before 构建
        # two towns of a prefecture's counties: a point at each seat
        ("构建“一核两极”格局，“两极”即长兴县城、德清县城。", "330500", "两极", ["长兴县", "德清县"]),
        # a part word after a dash-joined pair is each one's (a point at each seat read)
        ("构建“一城两翼”格局。一城：福泉—瓮安中心城区。", "522700", "一城", ["福泉市", "瓮安县"]),
    ],
)
def test_a_part_defined_as_a_county_town_is_a_point_at_its_seat(sentence, jurisdiction, name, expected):
    from shapely.geometry import Point, shape

    d = draft_plan(HEAD + sentence, GAZ, jurisdiction=jurisdiction)
    found = [f for f in d.collection["features"] if f["properties"]["name"] == name
             or f["properties"].get("group") == name]
    assert sorted(GAZ.unit(a).name for f in found for a in f["properties"]["members"]) == sorted(expected), found
    for f in found:
        p = f["properties"]
        assert p["precision"] == "point" and f["geometry"]["type"] in ("Point", "MultiPoint"), p
        assert "驻地" in p["precision_note"] and "check.seat_of_unit" in [r["code"] for r in p["reasons"]]
        for a in p["members"]:  # at each seat (spread by at most a ring's radius)
            assert shape(f["geometry"]).distance(Point(GAZ.unit(a).seat)) < 0.02, (a, f["geometry"])


@pytest.mark.parametrize(
    "sentence, jurisdiction, precision",
    [
        # a prefecture's 中心城区 is an area, much smaller than the prefecture: approximate, as before
        ("打造“一核”，即以曲靖中心城区为核心。", "530300", "approximate"),
        # a prefecture plan's own 中心城区, unnamed: no seat to stand for it, named only
        ("构建“一核两翼”格局，一核：中心城区。", "530300", None),
    ],
)
def test_a_prefectures_urban_area_is_no_point(sentence, jurisdiction, precision):
    core = next(p for p in features(sentence, jurisdiction) if p["name"] == "一核")
    if precision is None:
        assert core["named_only"] and not core["members"], core
    else:
        assert core["precision"] == precision and "check.part_of_unit" in [r["code"] for r in core["reasons"]]


@pytest.mark.parametrize(
    "sentence, jurisdiction, theirs, ours",
    [
        # a county plan carries out its prefecture's structure, then states its own
        ("落实张掖市“一核两带三区”总体格局，构建“一心两轴三区多点”的县域国土空间开发保护格局。", "620723",
         ["一核", "两带"], ["一心", "两轴"]),
        ("衔接省级“一群两轴”城镇化格局，形成“一城两翼”的空间结构。", "450921", ["一群"], ["一城", "两翼"]),
        # carrying out the plan's own structure keeps it
        ("全面落实“一城两带三区”空间格局，做强一城。", "210381", [], ["一城", "两带"]),
    ],
)
def test_another_plans_structure_carried_out_is_not_this_plans(sentence, jurisdiction, theirs, ours):
    drafted = features(sentence, jurisdiction)
    names = {p["name"] for p in drafted} | {p.get("group") for p in drafted}
    assert not set(theirs) & names
    assert set(ours) <= names


def test_an_axis_runs_through_the_places_it_strings_not_the_roads_ends():
    text = ("构建“一核两轴”格局。两轴：沿京哈高铁、京哈高速的东西向发展轴，串联北镇市、凌海市；沿锦朝高速的南北向发展轴，"
            "串联义县、黑山县。")
    assert part(text, "210700", "两轴") == [("东西向发展轴", ["凌海市", "北镇市"]), ("南北向发展轴", ["义县", "黑山县"])]


def test_a_part_of_one_defined_by_a_chain_is_drawn_once():
    """一轴：呼包鄂榆发展轴 was drawn twice, as the part and again as a chain of its own."""
    text = "构建“一轴一带”格局。一轴：呼包鄂榆发展轴，串联呼和浩特、包头、鄂尔多斯、榆林；一带：沿黄生态文化经济带。"
    lines = [p for p in features(text, "150100") if p["kind"] in ("corridor", "route")]
    assert [p["name"] for p in lines if p["members"]] == ["一轴"]
