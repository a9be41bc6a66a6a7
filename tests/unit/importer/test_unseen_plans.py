"""Whole plans the corpus has never seen (issue #19): their jurisdiction (classes 12 and 5), a prefecture before its
county (class 6) and the zones named after regions outside them (class 2).

Each row is a made-up but realistic plan text of a county, a city, a municipality or an area spanning several units,
from several provinces; none is a text of the corpus. The jurisdiction is detected as a new user's draft would
(no unit given).
"""

from __future__ import annotations

import pytest

from geo.importer.draft import draft_plan
from geo.places.gazetteer import load_gazetteer

GAZ = load_gazetteer()

# --- class 12: a county plan keeps its own county, written in full, before any vote of the places it names
OWN_UNIT_ROWS = [
    # no title: the county-level city written in full five times outvotes partners, towns and landforms
    (("一、发展目标\n到2025年，康定市综合实力显著增强。支持康定市建设川西区域中心城市，推进康定市与泸定县、丹巴县协同发展。\n"
     "二、空间布局\n构建“一城两翼”格局。加强与成都、雅安的合作，推动康定市融入成渝地区双城经济圈。对接华北、东北市场。\n"
     "三、保障措施\n康定市各部门要加强协作，确保康定市规划落地。"), "513301"),
    # a title without a place; the county written once, and the plan speaks as 全县
    (("关于加快县域经济高质量发展的实施意见\n为推动全县经济发展，结合镇原县实际，提出如下意见。加快建设屯字、孟坝、三岔等重点镇，"
     "深化与西安、银川的合作，积极融入关中平原城市群。"), "621027"),
    # an autonomous county written in full twice, its neighbours and partners bare
    (("一、总体要求\n紧扣建设长寿之乡，推动巴马瑶族自治县高质量发展。加快巴马瑶族自治县县城扩容提质。深化与南宁、百色、河池的合作，"
     "对接粤港澳大湾区。推动东兰、凤山协同发展。"), "451227"),
    # a banner: 全旗 and 旗委旗政府 say a banner speaks; the city holding it is named more often
    (("二、空间格局\n旗委旗政府坚持生态优先。全旗构建“一核两带”格局，鄂托克旗加强与鄂尔多斯市、乌海市、鄂尔多斯市东胜区的合作，"
     "深化与鄂尔多斯市的产业协作，对接宁夏、陕西市场。"), "150624"),
    # a county whose partners lie in other provinces: the unsuffixed names of its towns stay out of the vote
    (("一、发展布局\n黎平县构建“一城三区”格局，推进德凤、高屯、中潮、水口协同发展。黎平县加强与桂林、柳州、怀化的合作，"
     "推动黎平县融入粤港澳大湾区。"), "522631"),
    # a closing signature without a date line names the county, its neighbours written in full more often
    ("一、发展布局\n推动与巴中市、达州市协同发展，加强与巴中市、达州市、重庆市的合作。建设白衣、得胜等重点镇。\n平昌县人民政府",
     "511923"),
    # a province's own report without a title: 全省 speaks, though its capital is written in full more often
    ("一、区域格局\n全省构建“一圈引领、两轴驱动、三区协同”格局。做强南昌市，推动南昌市、九江市一体化，江西省支持赣州市建设省域副中心。",
     "360000"),
]


@pytest.mark.parametrize(("text", "adcode"), OWN_UNIT_ROWS, ids=[r[1] for r in OWN_UNIT_ROWS])
def test_a_plan_names_its_own_unit_in_full(text, adcode):
    guess = draft_plan(text, GAZ).jurisdiction
    assert guess.adcode == adcode, (guess.name, guess.reason)
    assert guess.reason  # the planner sees why


def test_a_unit_written_in_full_once_among_others_is_no_jurisdiction_without_more():
    """One full name among others, no 全县 / 本市: nothing says which speaks; the vote of the places decides."""
    text = "一、合作\n加强与成都市、重庆市的合作，对接西安市、昆明市。"
    guess = draft_plan(text, GAZ).jurisdiction
    assert guess.reason.startswith("正文所提地名") or guess.adcode is None, guess


# --- class 12 again: a news text opening with a unit's plan names its owner, though its prefecture is written more
def test_a_text_opening_with_a_units_plan_is_that_units():
    text = ("义乌市“国际陆港”建设行动明确指出,“加快建设国际陆港城市,将陆港新区作为对外开放的重要抓手,一体推进,"
            "打造开放发展新的增长极。”以陆港新区建设为着力点,推动与金华市区、东阳、浦江协同发展。\n"
            "支持金华市建设浙中城市群核心,推动金华市区与东阳市、永康市、兰溪市联动,建设金华市中心城区。")
    guess = draft_plan(text, GAZ).jurisdiction
    assert guess.adcode == "330782", (guess.name, guess.reason)


def test_a_comparison_with_the_province_is_no_self_reference():
    """位居全省前列, 占全省三成: a county compares itself with its province; the province is then only a guess."""
    text = "一、农业\n建设生态茶园,茶叶产量位居全省前列,占全省三成。借鉴成都市经验,把园区建成四川省重要的茶叶基地。"
    guess = draft_plan(text, GAZ).jurisdiction
    assert not guess.stated, guess


def test_stray_far_homonyms_have_no_vote():
    """碧江新城, 碧江老城: bare 新城 and 老城 match districts of other provinces; they do not outvote the district the
    text is about."""
    text = ("一、城区\n加快碧江新城建设,推进碧江老城更新,支持碧江产业园发展。做强碧江,带动铜仁全域。\n"
            "二、产业\n推进碧江与松桃协同。")
    guess = draft_plan(text, GAZ).jurisdiction
    assert guess.adcode == "520602", (guess.name, guess.reason)


# --- class 5: the plan's own area: a scope sentence defines it (also across two provinces) and draws its outline
AREA_ROWS = [
    # a city cluster across two provinces, its title naming them by abbreviation: the scope lists the cities under
    # their provinces; the lead is the listed city the text names most (the first listed among equals)
    (("晋豫交界城市群发展规划\n一、规划范围\n规划范围包括山西省晋城市、长治市、运城市，河南省焦作市、济源市、洛阳市。\n"
     "二、空间格局\n构建“一核两轴”格局。“一核”即晋城、焦作。加强与郑州、太原的合作。"),
     "140500", {"140500", "140400", "140800", "410800", "419001", "410300"}),
    # a metropolitan area across two provinces whose text makes one city its core
    (("一、规划范围\n城市群范围包括内蒙古自治区呼和浩特市、包头市、鄂尔多斯市和陕西省榆林市。\n二、发展定位\n"
     "呼和浩特被定位为核心城市，包头、鄂尔多斯、榆林协同发展，加强与北京、西安的合作。"),
     "150100", {"150100", "150200", "150600", "610800"}),
    # a metropolitan area of whole cities and single counties of two more: those counties alone, not their cities
    (("关于推动都市圈高质量发展的实施意见\n一、范围\n都市圈范围包括长沙市、株洲市、湘潭市全域，以及岳阳市汨罗市、益阳市赫山区。\n"
     "二、格局\n构建“一核两翼”格局，加强与武汉、南昌的合作。"),
     "430100", {"430100", "430200", "430300", "430681", "430903"}),
    # a municipality's document that writes its own name once: 全市 says a 市 speaks
    (("一、总体要求\n本规划是指导全市发展的纲领性文件。天津市要加快建设北方国际航运核心区。\n二、空间格局\n"
     "推动滨海新区、武清、宝坻、静海协同发展，深化与北京、雄安新区的合作，对接唐山、沧州港口。"),
     "120000", set()),
]


@pytest.mark.parametrize(("text", "adcode", "area"), AREA_ROWS, ids=[r[1] for r in AREA_ROWS])
def test_a_scope_sentence_defines_the_plans_area_and_draws_its_outline(text, adcode, area):
    d = draft_plan(text, GAZ)
    assert d.jurisdiction.adcode == adcode, (d.jurisdiction.name, d.jurisdiction.reason)
    admin = [f for f in d.collection["features"] if f["properties"]["kind"] == "admin"]
    drawn = {a for f in admin if f["properties"]["group"] != "neighbour" for a in f["properties"]["members"]}
    assert admin and all(f["geometry"] for f in admin)  # a base layer, every unit with its shape
    # every listed unit is drawn as part of the plan's area (a prefecture by its counties when it leads)
    for a in area:
        assert a in drawn or any(GAZ.contains(a, b) for b in drawn), (GAZ.unit(a).name, sorted(drawn)[:20])
    listed_counties = {a for a in area if GAZ.unit(a).level == "county"}
    for a in listed_counties:  # a county listed alone: its prefecture is not drawn whole
        assert GAZ.unit(a).parent not in drawn
    neighbours = {a for f in admin if f["properties"]["group"] == "neighbour" for a in f["properties"]["members"]}
    assert not neighbours & area  # a listed unit is no background neighbour


def test_units_of_one_prefecture_in_a_scope_sentence_leave_the_jurisdiction_to_that_prefecture():
    text = ("一、规划范围\n规划范围为遵义市全域，包括红花岗区、汇川区、播州区、桐梓县、绥阳县。\n二、格局\n"
            "构建“一核三带”格局，遵义市加强与重庆、贵阳的合作。")
    assert draft_plan(text, GAZ).jurisdiction.adcode == "520300"


def test_a_prefecture_before_its_county_is_a_place_but_no_member_or_link_end():
    """酒泉市肃州区 names both units (issue #19, class 6); the part and the link take the county alone."""
    d = draft_plan("酒泉市国土空间总体规划\n一、格局\n构建“一核两翼”格局。“一核”即酒泉市肃州区。"
                   "加强与甘孜藏族自治州康定市合作。", GAZ)
    named = {p.adcode for c in d.clauses for p in c.places}
    assert {"620900", "620902", "513300", "513301"} <= named
    feats = {f["properties"]["name"]: f["properties"] for f in d.collection["features"]
             if f["properties"]["kind"] != "admin"}
    assert feats["一核"]["members"] == ["620902"]
    links = [p["members"] for p in feats.values() if p["kind"] == "link"]
    assert links == [["620900", "513301"]], links


# --- class 2: a strategy name holding a region outside the plan is no member of the plan's zone
ZONE_ROWS = [
    # (text, jurisdiction or None, the part, units it may hold, units it must not)
    ("广西壮族自治区区域协调发展方案\n一、格局\n构建“一区两带”格局。“一区”即粤桂合作特别试验区。", None, "一区",
     set(), {"440000"}),
    ("广西壮族自治区区域协调发展方案\n一、格局\n构建“一区两带”格局。“一区”即融入粤港澳大湾区先行区，包括梧州、贺州、玉林。",
     None, "一区", {"450400", "451100", "450900"}, {"440000", "440100"}),
    ("广西壮族自治区区域协调发展方案\n一、格局\n构建“两区”格局。两区指东融先行示范区和湖南对接区。", "450000", "两区",
     set(), {"430000"}),
    ("某县发展规划\n一、格局\n构建“一区两带”格局。“一区”即融入成渝地区双城经济圈先行区。", "520300", "一区",
     set(), {"500000", "510100"}),
    ("萍乡市发展规划\n一、格局\n构建“一核三区”格局。三区即承接长三角产业转移示范区、融入长株潭先行区和湘南开放区。", None,
     "三区", set(), {"430100", "430200", "430300", "310000"}),
    ("江西省区域发展方案\n一、格局\n形成“一区一圈”格局。“一区”即湘赣边区域合作示范区，“一圈”即大南昌都市圈。", None, "一区",
     set(), {"430000"}),
]


@pytest.mark.parametrize(("text", "jurisdiction", "part", "may", "never"), ZONE_ROWS,
                         ids=[r[2] + "-" + r[0][:6] for r in ZONE_ROWS])
def test_a_zone_named_after_a_region_outside_lies_in_the_plans_area(text, jurisdiction, part, may, never):
    d = draft_plan(text, GAZ, jurisdiction=jurisdiction)
    zones = [f for f in d.collection["features"] if f["properties"]["kind"] in ("core", "wing", "zone")
             and part in (f["properties"]["name"], f["properties"].get("group"))]
    assert zones, [f["properties"]["name"] for f in d.collection["features"]]
    members = {a for f in zones for a in f["properties"]["members"]}
    assert not members & never, sorted(GAZ.unit(a).name for a in members)
    assert members <= may | {a for a in members if GAZ.contains(d.jurisdiction.adcode, a)}
    assert may <= members
    for f in zones:  # every zone drawn lies in the plan's area, or is listed as named only
        assert f["properties"]["named_only"] or f["geometry"] is not None


def test_the_link_to_the_region_outside_stays_a_link():
    d = draft_plan("广西壮族自治区区域协调发展方案\n一、格局\n构建“一区两带”格局。“一区”即粤桂合作特别试验区。", GAZ)
    zone = next(f["properties"] for f in d.collection["features"] if f["properties"]["name"] == "一区")
    assert "广东省" in zone["precision_note"]  # the note says what was left out
    links = [f["properties"]["members"] for f in d.collection["features"] if f["properties"]["kind"] == "link"]
    assert ["450000", "440000"] in links


def test_a_zone_named_after_the_unit_holding_the_plan_is_no_mention_of_it():
    """黔南高新区 in 都匀市's plan is a park in 都匀 named after its prefecture: no mention of the prefecture. In the
    prefecture's own plan the name is its own."""
    text = "都匀市发展规划\n一、园区\n推动黔南高新区、都匀经济开发区提质升级,加强与贵阳市的合作。"
    places = {p.adcode for c in draft_plan(text, GAZ, jurisdiction="522701").clauses for p in c.places}
    assert "522700" not in places and {"522701", "520100"} <= places
    places = {p.adcode for c in draft_plan(text, GAZ, jurisdiction="522700").clauses for p in c.places}
    assert "522700" in places


# --- class 12: a county plan that writes its county only by its short name, in its own features
SHORT_NAME_ROWS = [
    # 强县 says a county speaks; 屏边 is the one county of the province the text names
    (("一、发展布局\n打造“一城两带”格局：“一城”即屏边城区，“两带”指南溪河流域生态经济带和绿色产业带。"
      "全面推进“工业强县”，把园区建成云南省重要的生物医药基地。"), "532523"),
    (("一、发展布局\n推进漾濞河流域生态经济带建设，建设大竹堡特色村。全县构建“一城两带”格局，"
      "把园区建成云南省重要的核桃基地。"), "532922"),  # 大竹堡 is a village, not 四川's 大竹县
]


@pytest.mark.parametrize(("text", "adcode"), SHORT_NAME_ROWS, ids=[r[1] for r in SHORT_NAME_ROWS])
def test_a_county_plan_naming_itself_by_its_short_name(text, adcode):
    guess = draft_plan(text, GAZ).jurisdiction
    assert guess.adcode == adcode, (guess.name, guess.reason)
    assert "简称" in guess.reason
    # the county's own river names the county: a place of the draft, not a far homonym
    assert adcode in {p.adcode for c in draft_plan(text, GAZ).clauses for p in c.places}


def test_a_short_name_outside_the_province_the_text_names_is_no_jurisdiction():
    """屏边 lies in 云南; a text naming 四川省 only gets no county from it (a far homonym needs evidence)."""
    text = "一、发展布局\n全面推进“工业强县”。建设屏边河谷生态经济带，把园区建成四川省重要的生物医药基地。"
    assert draft_plan(text, GAZ).jurisdiction.adcode != "532523"


def test_without_a_county_voice_a_short_name_is_no_jurisdiction():
    text = "一、发展布局\n建设漾濞河流域生态经济带，把园区建成云南省重要的核桃基地。"
    assert draft_plan(text, GAZ).jurisdiction.adcode != "532922"


def test_a_provinces_plan_writing_of_county_towns_is_no_county_plan():
    """县城 and 县域 are what a province's plan writes of all its counties: no county voice, so the one county it
    names by its short name (义乌) is no jurisdiction."""
    text = ("一、新型城镇化\n推进以县城为重要载体的城镇化建设，壮大县域经济。支持义乌建设世界小商品之都，"
            "把浙江省建成共同富裕示范区。")
    assert draft_plan(text, GAZ).jurisdiction.adcode != "330782"


def _link_ends(text):
    return {m for f in draft_plan(text, GAZ).collection["features"] if f["properties"]["kind"] == "link"
            for m in f["properties"]["members"][1:]}


def test_an_opening_up_highland_is_no_cooperation():
    """开放 before 高地 names a place's role (广东开放高地), no act of cooperation; 开放合作 still is one."""
    assert "440000" not in _link_ends("南京市发展规划\n一、开放\n深度链接广东开放高地和港澳金融中心功能，建设内陆开放高地。")
    assert "440000" in _link_ends("南京市发展规划\n一、开放\n深化与广东的开放合作。")
