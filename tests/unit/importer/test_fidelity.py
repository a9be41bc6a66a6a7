"""The development corpus of real plans (tests/data/plans) and the importer's rules for plan prose in general.

The corpus checks make sure every label is honest (evidence verbatim, adcodes real); the rule tables are
sentences of the patterns the importer reads (each a pattern of the language, none a text of the corpus).
"""

from __future__ import annotations

import pytest

from geo.importer.draft import draft_plan
from geo.importer.fidelity import CORPUS_DIR, load_corpus, score_corpus
from geo.places.gazetteer import load_gazetteer
from geo.places.mentions import find_places, find_slogans

pytestmark = pytest.mark.slow  # drafts the whole development corpus

GAZ = load_gazetteer()
CORPUS = load_corpus()


def test_the_corpus_spans_twenty_texts_of_twelve_provinces():
    assert len(CORPUS) >= 20, [c.id for c in CORPUS]
    assert len({c.province for c in CORPUS}) >= 12
    assert (CORPUS_DIR / "README.md").is_file()


@pytest.mark.parametrize("item", CORPUS, ids=lambda c: c.id)
def test_labels_quote_the_text_and_name_real_units(item):
    labels = item.labels
    assert labels["source"]["url"].startswith("http"), "every text says where it was found"
    assert str(labels["jurisdiction"]["adcode"]) in GAZ.units
    for place in labels.get("places") or []:
        assert str(place["adcode"]) in GAZ.units, place
    for group in ("parts", "chains", "links", "units_in_part"):
        for entry in labels.get(group) or []:
            assert entry["evidence"] in item.text, (group, entry["evidence"])
            for a in [*(entry.get("members") or []), *([entry["adcode"]] if "adcode" in entry else [])]:
                assert str(a) in GAZ.units, (group, a)
    kinds = labels.get("not_place_kinds") or {}
    assert set(kinds) <= {"direction", "person"}, kinds
    for words in kinds.values():  # each one a labelled not-place, written in the text
        assert set(words) <= set(labels.get("not_places") or []) and all(w in item.text for w in words), words


# Chapters kept whole from a whole plan (issue #18: 南京's and 深圳's 纲要, 5,000–6,000 characters) are scored
# apart from the short excerpts (400–700 characters) the floors below were set on.
WHOLE_CHAPTERS = 4000
SHORT = [c for c in CORPUS if len(c.text) < WHOLE_CHAPTERS]
LONG = [c for c in CORPUS if len(c.text) >= WHOLE_CHAPTERS]


def test_the_corpus_is_scored():
    """The figures bench/import_fidelity.py prints (README) hold: none may get worse."""
    scores, total = score_corpus(SHORT, GAZ)
    assert total.places_labelled > 150 and total.parts_labelled > 30
    # The figures of this session (docs/benchmarks.md): a floor against regressions. Issue #19 added seven county,
    # prefecture and area texts the importer had never seen; on them the targets are not met yet (their
    # jurisdictions and place readings are issue #19's other classes), so the floor is the corpus as it scores now.
    # Raised on branch h19place (2026-12-07: P 0.998 / R 0.991, no false place, 36/36) and h19slog (slogans 1.000,
    # parts 0.974 on these texts; the two parts left need abbreviation clusters the place reader does not read:
    # 郑洛西, 太中银)
    assert total.precision >= 0.99 and total.recall >= 0.98
    assert total.slogan_recall >= 0.98 and total.part_recall >= 0.95
    assert len(total.false_places) <= 1
    assert total.false_direction_or_person == []  # the target: none from direction words or names
    assert all(s.jurisdiction_ok for s in scores), [s.id for s in scores if not s.jurisdiction_ok]
    # What the map shows (issue #19): no exact claim on part of a unit, nothing drawn far away without a reason,
    # no area member outside the plan's area; links a floor below the target (0.9).
    assert total.exact_on_part == [] and total.far_features == [] and total.outside_members == []
    # 0.82 on the 27 texts of issue #10; 0.90 (9 of 10 ends) once 澜沧江's link to 西藏 and 浙江's to 上海 went
    assert total.links_labelled > 10 and total.link_precision >= 0.85


def test_whole_plan_chapters_are_scored():
    """The chapters of whole plans: places and jurisdiction held to today's figures (docs/import.md), no false
    place from a direction word; their slogans (双核辐射、两带引领…; 南北田园、中部都市…; 一河两岸) and 南京's parts read
    whole (branch h19slog, 2026-12-07: slogans 6/6, parts 6/6)."""
    assert len(LONG) >= 2, [c.id for c in LONG]
    _, total = score_corpus(LONG, GAZ)
    assert total.places_labelled > 80
    assert total.precision >= 0.97 and total.recall >= 0.90  # 1.00 / 0.92 on branch h19place
    assert total.false_direction_or_person == []
    assert total.jurisdiction_ok
    assert total.slogan_recall >= 0.95 and total.part_recall >= 0.95


def parts_of(text, jurisdiction=None):
    d = draft_plan(text, GAZ, jurisdiction=jurisdiction)
    out = {}
    for f in d.collection["features"]:
        p = f["properties"]
        if p["kind"] != "admin":
            out.setdefault(p.get("group") or p["name"], []).append(
                (p["name"], sorted(GAZ.unit(a).name for a in p["members"]), p.get("rule", "")))
    return out


@pytest.mark.parametrize(
    "sentence, jurisdiction, part, expected",
    [
        # A、B、C三个新增长极: the count and the head word after the list
        ("构建“一核三极”格局。打造岳阳、郴州、怀化三个新增长极。", "430000", "三极",
         [["岳阳市"], ["郴州市"], ["怀化市"]]),
        # A和B两大发展轴, items that are chains
        ("形成“一核两轴”格局。构建九江—南昌—抚州和南昌—宜春两大发展轴。", "360000", "两轴",
         [["九江市", "南昌市", "抚州市"], ["南昌市", "宜春市"]]),
        # A、B两市中心城区…增长极: parts of units stay approximate
        ("形成“一核两极”格局。强化九江、抚州两市中心城区战略增长极功能。", "360000", "两极",
         [["九江市"], ["抚州市"]]),
        # A、B、C组团: the head word alone, the count from the items (clusters of counties)
        ("形成“一核三组团”格局。培育丰樟高、奉靖、鄱余万都组团发展能力。", "360100", "三组团",
         [["丰城市", "樟树市", "高安市"], ["奉新县", "靖安县"], ["万年县", "余干县", "都昌县", "鄱阳县"]]),
        # A和B“两极跃升”
        ("构建“一心两极”格局。推动汕潮揭城市群和湛茂都市区“两极跃升”。", "440000", "两极",
         [["揭阳市", "汕头市", "潮州市"], ["湛江市", "茂名市"]]),
        # A和B作为…的“双点支撑”, with the slogan's 双支点
        ("构建“一心两极双支点”格局。支持汕尾和阳江作为沿海经济带战略支点的“双点支撑”。", "440000", "双支点",
         [["汕尾市"], ["阳江市"]]),
        # “X”：… and “X”，即… (half-width punctuation as many web copies give it)
        ("构建“一核两极”格局。“一核”：加快推进长株潭一体化。", "430000", "一核", [["株洲市", "湘潭市", "长沙市"]]),
        ("构建“一核两极”格局。“两极”,即邢台市、衡水市,发挥区域支撑作用。", "130100", "两极",
         [["衡水市"], ["邢台市"]]),
        # “四带”：A经济带、B经济带…: items that are belts, one feature each
        ("构建“一核四带”格局。“四带”：打造京广高铁经济带、沪昆高铁经济带、环洞庭湖经济带和张吉怀精品生态文化旅游经济带。",
         "430000", "四带", None),
    ],
)
def test_a_counted_part_takes_the_items_listed_before_its_head_word(sentence, jurisdiction, part, expected):
    found = parts_of("某地区域发展方案\n一、格局\n" + sentence, jurisdiction)
    assert part in found, found
    if expected is None:
        assert len(found[part]) == 4 and all(name.endswith("经济带") for name, _, _ in found[part])
        return
    assert sorted(sorted(m) for _, m, _ in found[part]) == sorted(sorted(e) for e in expected)


@pytest.mark.parametrize(
    "sentence, jurisdiction, part, expected",
    [
        # one core where the text says where it is: places before the core word in its clause
        ("构建“一湾双轴、一核两极”框架，南宁居于核心位置。", "450100", "一核", [["南宁市"]]),
        ("形成“一核两极四轴”格局。其中，广州和佛山两市作为核心区。", "440000", "一核", [["佛山市", "广州市"]]),
        ("要优化提升南昌市中心城区和赣江新区核心主导地位，形成“一核两极”格局。", "360100", "一核", [["南昌市"]]),
        # … a clause opening with a verb speaks of the places of the clause before it
        ("构建“一核两副”格局，大力推进长株潭一体化，打造中部地区崛起核心增长极。", "430000", "一核",
         [["株洲市", "湘潭市", "长沙市"]]),
        # … or the core's area defined, with its parts defined too
        ("形成“一核两轴”格局。核心区囊括厦漳泉。核心区西部包括漳浦县。", "350000", "一核",
         [["厦门市", "泉州市", "漳州市", "漳浦县"]]),
        # a count summing up the areas just named; each takes the places of its clause and of its definition
        (("黑龙江以哈尔滨为核心建两大城市圈\n打造以哈尔滨为核心的东环城市圈，建设西环城市圈。以两大城市圈为支撑，辐射带动周边。\n"
         "【西环城市圈】高速公路围合区域，包括大庆市、绥化市。"), "230000", "两大城市圈",
         [["哈尔滨市"], ["大庆市", "绥化市"]]),
        # short items named with the counted head word, each defined elsewhere
        (("构建“一群三圈”格局：“三圈”即推进省会、胶东、鲁南三大经济圈一体化发展。省会经济圈包括济南、淄博七市；"
         "胶东经济圈包括青岛、烟台五市；鲁南经济圈包括临沂、枣庄四市。"), "370000", "三圈",
         [["济南市", "淄博市"], ["烟台市", "青岛市"], ["临沂市", "枣庄市"]]),
        # a slogan's items after another mention of it, past a head noun (新格局包括…)
        (("提出“一圈五区”。安徽的“一圈五区”新格局包括合肥都市圈、合芜蚌国家自主创新示范区、皖江城市带承接产业转移示范区、"
         "皖北承接产业转移集聚区、皖西大别山革命老区、皖南国际文化旅游示范区。"), "340000", "五区",
         [["合肥市", "芜湖市", "蚌埠市"], [], [], [], []]),
        # quoted clusters, a 大 before a city, a character completed in parentheses
        ("打造“海澄文定”、“大三亚”、儋(州)洋(浦)三大区域增长极。", "460000", "三大区域增长极",
         [["定安县", "文昌市", "海口市", "澄迈县"], ["三亚市"], ["儋州市"]]),
        # an axis named by its places runs out of the area; a cluster opens the chain
        ("形成“一核两轴”格局。两轴指厦漳-龙岩-赣州发展轴和厦泉-三明-抚州发展轴。核心区囊括厦漳泉。", "350200", "两轴",
         [["厦门市", "漳州市", "赣州市", "龙岩市"], ["三明市", "厦门市", "抚州市", "泉州市"]]),
        # items that are no places, counted by a one-part network or a count of natural areas
        ("推动干线铁路、城际铁路、市域(郊)铁路、城市轨道交通“四网”融合贯通。", "420100", "四网", [[], [], [], []]),
        ("依序形成了呼伦贝尔、科尔沁、锡林郭勒、乌兰察布、鄂尔多斯、阿拉善六大草原。", "150000", "六大草原",
         [[], [], [], [], [], []]),
    ],
)
def test_parts_resolved_by_the_language_around_them(sentence, jurisdiction, part, expected):
    found = parts_of("某地区域发展方案\n一、格局\n" + sentence, jurisdiction)
    assert part in found, found
    assert sorted(sorted(m) for _, m, _ in found[part]) == sorted(sorted(e) for e in expected), found[part]
    assert all(rule for _, _, rule in found[part]), found[part]  # the note says which rule matched


@pytest.mark.parametrize(
    "text, jurisdiction",
    [
        # a headline's metropolitan area that the text counts as 1+N led by its city: that city's plan
        (("河南对全省城镇发展空间格局进行了重塑性调整,特别是郑州都市圈由原来的“1+4”拓展为“1+8”\n"
         "郑州都市圈再次变大,即由原来的“1+4”(郑州+开封、新乡、焦作、许昌)新增加了洛阳、济源、漯河、平顶山。"), "410100"),
        # a headline's metropolitan area the text does not count so: the province's report
        ("台州舟山划入宁波都市区 解读四大都市区\n浙江省将构建杭州、宁波、温州、金华—义乌四大都市区。", "330000"),
    ],
)
def test_a_headline_names_the_plan_by_its_metropolitan_area_only_when_the_text_counts_it(text, jurisdiction):
    assert draft_plan(text, GAZ).jurisdiction.adcode == jurisdiction


def test_a_one_plus_n_area_keeps_its_cities_inside():
    d = draft_plan("郑州都市圈由“1+4”拓展为“1+8”\n即由原来的“1+4”(郑州+开封、新乡、焦作、许昌)新增加了洛阳、济源、漯河、"
                   "平顶山。“一副”是推动洛阳副中心城市和济源深度融合发展。构建“一核一副”格局。", GAZ)
    assert d.jurisdiction.name == "郑州市"
    links = [f["properties"] for f in d.collection["features"] if f["properties"]["kind"] == "link"]
    assert not any(set(p["members"]) & {"410300", "419001"} for p in links), links  # 洛阳, 济源: inside, no links
    found = {p.name for c in d.clauses for p in c.places}
    assert "济源市" in found  # a city under the province itself is a peer of its prefectures


def test_a_definition_naming_no_unit_is_cited():
    d = draft_plan("某省区域发展意见\n构建“一群两心”格局：“一群”即打造具有全球影响力的山东半岛城市群；“两心”即支持济南、青岛建设。",
                   GAZ, jurisdiction="370000")
    group = next(f["properties"] for f in d.collection["features"] if f["properties"]["name"] == "一群")
    assert any("山东半岛城市群" in e["text"] for e in group["excerpts"]), group["excerpts"]


def test_members_that_are_parts_of_units_stay_approximate():
    d = draft_plan("某地方案\n一、格局\n形成“一核两极”格局。强化九江、抚州两市中心城区战略增长极功能。", GAZ,
                   jurisdiction="360000")
    poles = [f["properties"] for f in d.collection["features"] if f["properties"].get("group") == "两极"]
    assert poles and all(p["precision"] == "approximate" for p in poles)
    assert all("计数对齐" in p["precision_note"] for p in poles), "the note says which rule matched"


def test_a_metropolitan_area_plan_keeps_its_listed_units_inside():
    text = ("大南昌都市圈发展规划\n一、范围\n大南昌都市圈包括南昌市、九江市和抚州市临川区、东乡区，宜春市丰城市、樟树市。\n"
            "二、合作\n加强与九江、丰城的合作，深化与武汉的合作。")
    d = draft_plan(text, GAZ)
    links = {GAZ.unit(a).name for f in d.collection["features"] if f["properties"]["kind"] == "link"
             for a in f["properties"]["members"][1:]}
    assert "武汉市" in links and not links & {"九江市", "丰城市"}


@pytest.mark.parametrize(
    "text, slogan, parts",
    [
        ("构建“一心两极双支点”格局", "一心两极双支点", ["一心", "两极", "双支点"]),
        ("构建“五带三区一体系”", "五带三区一体系", ["五带", "三区", "一体系"]),
        ("打造“六湾区一半岛”", "六湾区一半岛", ["六湾区", "一半岛"]),
        ("形成“一主、六双”格局", "一主、六双", ["一主", "六双"]),
        ("构建“主副引领、两圈带动、三区协同、多点支撑”的空间格局", "主副引领、两圈带动、三区协同、多点支撑",
         ["主", "副", "两圈", "三区", "多点"]),
        ("形成“一核两极两轴、三组团多支撑”的空间格局", "一核两极两轴、三组团多支撑",
         ["一核", "两极", "两轴", "三组团", "多支撑"]),
        ("带动‘3+5’城市群发展", "3+5", ["3", "5"]),
        # a quoted slogan ends at its closing quote, whatever parts are quoted after it
        ("总体格局就是“两心三圈四带”,包括“两心”:太湖丘陵生态绿心", "两心三圈四带", ["两心", "三圈", "四带"]),
        ("做优“一核”，壮大“两翼”，统筹“三区”", "一核两翼三区", ["一核", "两翼", "三区"]),  # parts quoted one by one
        ("“两盆+两山”地理格局", "两盆+两山", ["两盆", "两山"]),  # parts joined by +
        ("战略定位\n一个支点二个基地一个示范区\n", "一个支点二个基地一个示范区", ["一个支点", "二个基地", "一个示范区"]),
        ("打造三大区域“引擎”构建新格局", "三大区域“引擎”", ["三大区域“引擎"]),  # the head word quoted
        ("全面推进“五个区块链接”", "五个区块链接", ["五个区块"]),  # a counted phrase in quotes, whole
    ],
)
def test_slogans_of_every_written_form_are_read_whole(text, slogan, parts):
    found = {s.text: [p.written for p in s.parts] for s in find_slogans(text)}
    assert found.get(slogan) == parts, found


@pytest.mark.parametrize(
    "text, jurisdiction",
    [
        ("加快南部地区发展", "440000"),
        ("推动东部、南部和西部协调发展", "510000"),
        ("省长何宁卡出席会议", "440000"),
        ("尹弘指出，要加快发展", "620000"),
    ],
)
def test_direction_words_and_peoples_names_are_not_places(text, jurisdiction):
    assert find_places(text, GAZ, jurisdiction=jurisdiction) == []


@pytest.mark.parametrize(
    "text, jurisdiction, absent",
    [
        ("形成大兴安岭、阴山、贺兰山等山脉", "150000", {"大兴安岭地区", "贺兰县"}),  # natural features by name
        ("依序形成了呼伦贝尔、科尔沁、锡林郭勒六大草原", "150000", {"呼伦贝尔市", "科尔沁区", "锡林郭勒盟"}),
        ("完善赤水河流域跨省横向生态补偿机制", "520000", {"赤水市"}),
        ("保护太湖流域水环境", "320000", {"太湖县"}),
        ("委托天津市城市规划设计研究院编制", "640000", {"天津市"}),  # an institution named after a place
        ("建设南太武滨海新区", "350000", {"滨海新区"}),  # a generic full name ending another area's name
        ("建设阳江滨海新区", "440000", {"滨海新区"}),
        ("服务“三南”(西南中南华南)", "450000", {"三明市", "南平市", "南华县"}),  # a count, not a cluster
        ("重点建设环湾滨海地区", "450000", {"滨海县"}),  # a common word with a region word after it
        ("建设湛茂阳城镇发展轴", "450000", {"阳城县"}),  # the name's last character begins a word
        ("推进南海油气开采", "440000", {"南海区"}),  # the sea
        ("林地集中分布于大兴安岭。林地主要分布在大兴安岭原始林区", "150000", {"大兴安岭地区"}),  # the range, twice
        ("依托沿沪昆高铁通道构建发展轴", "360100", {"上海市", "昆明市"}),  # a trunk line named by far ends
        ("推进陇海铁路沿线发展", "610000", {"甘肃省", "海东市"}),
        ("推动长株潭、洞庭湖、湘南、湘西四大区域板块协调联动发展", "430000", {"湘西土家族苗族自治州"}),  # beside 湘南
        ("高质量建设江北、江南新兴产业集中区", "340000", {"江北区", "江南区"}),  # regions along the river
    ],
)
def test_names_of_other_things_are_not_places(text, jurisdiction, absent):
    found = {p.name for p in find_places(text, GAZ, jurisdiction=jurisdiction)}
    assert not found & absent, found


@pytest.mark.parametrize(
    "text, jurisdiction, expected",
    [
        ("推动16个省辖市与沪苏浙相关市结对共建", "340000", {"上海市", "江苏省", "浙江省"}),  # provinces by abbreviation
        ("建设京津冀和雄安新区服务保障区", "140000", {"北京市", "天津市", "河北省"}),
        ("海南省海口市、儋州市、临高县、昌江县", "460000", {"海口市", "儋州市", "临高县", "昌江黎族自治县"}),  # 县 decides
        ("忻定原、介孝汾、离柳中方、 阳盂平四个城镇组群初具雏形", "140000",
         {"忻府区", "定襄县", "原平市", "介休市", "孝义市", "汾阳市", "离石区", "柳林县", "中阳县", "方山县", "盂县", "平定县"}),
        ("天津滨海新区", "120000", {"滨海新区"}),
        ("加强与北海市合作", "450000", {"北海市"}),
        ("支持黔东南、黔南、黔西南发展", "520000",  # beside units, the same shape is a prefecture
         {"黔东南苗族侗族自治州", "黔南布依族苗族自治州", "黔西南布依族苗族自治州"}),
        ("共同构建杭州、宁波、温州、金义四大都市区", "330000", {"金华市", "义乌市"}),  # a city and one of its cities
        ("建设合芜蚌国家自主创新示范区", "340000", {"合肥市", "芜湖市", "蚌埠市"}),
        ("打造“大三亚”、儋(州)洋(浦)增长极", "460000", {"儋州市", "三亚市"}),
        ("保护长白山生态，支持长白县发展", "220000", {"长白朝鲜族自治县"}),  # the county keeps its suffix
        ("加快深南昆高速铁路建设", "530300", {"深圳市", "南宁市", "昆明市"}),  # a line named by its stops
    ],
)
def test_places_written_in_other_ways_are_found(text, jurisdiction, expected):
    found = {p.name for p in find_places(text, GAZ, jurisdiction=jurisdiction)}
    assert expected <= found, found


def test_a_county_written_with_its_suffix_is_still_found():
    assert [p.name for p in find_places("支持南部县发展", GAZ, jurisdiction="511300")] == ["南部县"]


def test_a_term_that_needs_other_parts_is_no_slogan_alone():
    # “两山” alone is 绿水青山就是金山银山, an idea, not two mountains of a structure
    assert [s.text for s in find_slogans("践行“两山”理念")] == []
