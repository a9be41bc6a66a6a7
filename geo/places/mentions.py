"""Places and structure slogans inside clause text: admin-unit names, abbreviation clusters, 一核两翼三区.

Place names are found with one Aho-Corasick automaton over every written form the gazetteer knows
(full names and short forms), leftmost-longest, then filtered: a short form that is also an ordinary
word (合作, 振兴, 新兴 …) counts only when written with its suffix or in a list of places, and a
county outside the plan's region needs the same evidence. Each place is resolved by the gazetteer
against the plan's jurisdiction and the clause's other places, and carries the reason.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick
import jieba

from geo.places.gazetteer import COMMON_WORD_FORMS as GAZETTEER_COMMON_WORDS
from geo.places.gazetteer import Gazetteer, Unit

# Short forms that are also everyday words in policy prose: the gazetteer's list, plus those that real
# plans have shown to clash. Written with their suffix (合作市, 振兴区) they are places; bare, they are words.
COMMON_WORD_FORMS: frozenset[str] = GAZETTEER_COMMON_WORDS | frozenset(
    ["振兴", "解放", "复兴", "开放", "富裕", "富民", "安全", "安定", "安居", "长治", "共和", "中方", "建设", "工农", "团结", "和顺", "保康", "临港", "宁安", "大安", "永安", "长宁", "和龙", "西湖", "东湖", "南湖", "北湖", "金山", "宝山", "龙华", "金川", "石林", "江口", "普安", "平和", "民和", "兴业", "文化", "安宁", "海港", "港口", "示范", "高坪", "城步", "永昌", "江城", "东山", "西山", "南山", "北山", "海东", "海西", "海南", "海北", "丰都", "明光", "长丰", "文山", "红河", "平山", "湘东", "松山", "先锋", "通道", "沿河", "滨海", "清河", "城区", "郊区", "矿区", "中区", "永和", "太和", "新区", "新建", "资源", "会同", "和政", "合水", "新平", "亚东"]
)
# A short form that is also a common word still counts when one of these follows it.
_PLACE_SUFFIX_AFTER = re.compile(r"^(?:县|市|区|州|旗|盟|等地|一带|境内|片区|地区|方向)")
# Words that start with a generic suffix: after a name, the suffix is theirs (平坝区域, 大城市场, 北京市民).
_WORDS_AFTER_STEM = frozenset({"区域", "市场", "市民"})
# Words that start with the last character of a short name (北海 + 岸, 黔南 + 亚): the name is not meant.
_OVERLAP_WORDS = frozenset({"南亚", "东亚", "西亚", "中亚", "北亚", "海岸", "海域", "海湾", "海峡", "江段", "河段"})

# One-character abbreviations of provinces and cities, for clusters such as 川滇黔, 宁镇扬, 毕水兴.
# Each maps to adcodes in order of preference; context decides between them.
CHAR_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "京": ("110000",), "津": ("120000",), "冀": ("130000",), "晋": ("140000",), "蒙": ("150000",),
    "辽": ("210000",), "吉": ("220000",), "黑": ("230000",), "沪": ("310000",), "苏": ("320000",),
    "浙": ("330000",), "皖": ("340000",), "闽": ("350000",), "赣": ("360000",), "鲁": ("370000",),
    "豫": ("410000",), "鄂": ("420000", "150600"), "湘": ("430000",), "粤": ("440000",), "桂": ("450000",),
    "琼": ("460000",), "渝": ("500000",), "川": ("510000",), "蜀": ("510000",), "黔": ("520000",),
    "滇": ("530000",), "云": ("530000",), "贵": ("520000",), "藏": ("540000",), "陕": ("610000",),
    "秦": ("610000",), "甘": ("620000",), "陇": ("620000",), "青": ("630000",), "宁": ("320100", "330200", "640000"),
    "新": ("650000",), "港": ("810000",), "澳": ("820000",), "穗": ("440100",), "榕": ("350100",),
    "筑": ("520100",), "蓉": ("510100",), "甬": ("330200",), "邕": ("450100",), "汉": ("420100",),
    "水": ("520200",), "锡": ("320200",), "莞": ("441900",), "深": ("440300",), "汴": ("410200",),
}
# A cluster of one-character abbreviations is a place only in these settings: quoted, or followed by
# a word that names a grouping of places (毕水兴煤层气, 成渝地区, 川滇黔十四市).
# (A quoted run is a candidate as a whole, never a part of it: “引通济安” is not 济南 + 安庆.)
_CLUSTER_AFTER = re.compile(
    r"^(?:一体化|地区|经济|城市|都市|双城|合作|协同|同城|高速|铁路|城际|客专|高铁|环线|通道|两省|三省|四省|"
    r"两市|三市|四市|十四市|煤层气|结合|毗邻|交界|边界|片区|走廊|廊道|大通道|物流|"
    r"创新|科创|生态|绿色|产业|旅游|文化|发展带|发展轴|组团|城镇|组群|核心区|"
    r"国家(?:级)?[\u4e00-\u9fff]{0,6}?(?:示范区|试验区|新区)|"  # 合芜蚌国家自主创新示范区, 郑洛新国家自主创新示范区
    r"[二三四五六七八九十两][个大](?=[\u4e00-\u9fff]{0,4}?(?:城镇|组群|组团|城市|都市|板块|片区|经济|走廊|廊道|通道)))"
    # 忻定原、介孝汾、离柳中方、阳盂平四个城镇组群; 甬台温、杭金衢、金丽温四大城市连绵带  # 沪宁合创新带, 宁杭生态经济带, 宁淮宣发展带
)

FORMER_NAMES: dict[str, str] = {
    # Renamed prefectures people still write; the map shows today's unit and says so.
    "襄樊": "420600", "思茅": "530800", "巢湖": "340100", "达县": "511700",
    "北海道": "",
    # Renamed or merged units of the last decades (民政部 行政区划变更), each to the unit that took its place.
    "中甸": "533401", "潞西": "533103", "大庸": "430800", "通什": "469001", "万县": "500101",
    "伊克昭盟": "150600", "哲里木盟": "150500", "昭乌达盟": "150400", "荆沙": "421000", "巴县": "500113",
    "下关市": "532901", "锦县": "210781", "淮阴市": "320800", "郧县": "420304", "崇文区": "110101",
    "宣武区": "110102", "闸北区": "310106", "卢湾区": "310101", "南汇区": "310115", "塘沽": "120116",
    "汉沽": "120116", "开县": "500154", "万盛": "500110", "胶南": "370211", "杨凌": "610403",
}
"""Former name -> adcode of the unit that carries on today ("" = a word that is not a place: 北海道).

A bare former prefecture name (襄樊, 思茅) is also matched with 市 / 地区 after it. Where a district of the
successor kept the old name (思茅区 in 普洱市), the bare name means the old prefecture, that is the successor;
written with 区 it is the district. Elsewhere a unit that carries the name today wins.
"""


@dataclass(frozen=True)
class PlaceMention:
    """An admin unit named in a clause: as written, resolved, and why."""

    name: str  # the unit's full official name
    mention: str  # as written in the text
    adcode: str
    level: str
    start: int  # offset in the text searched
    end: int
    reason: str  # why this unit (ambiguity, abbreviation cluster, former name)
    via: str = ""  # "cluster" | "former name" | "" (a name as such)


@dataclass(frozen=True)
class SloganPart:
    """One part of a structure slogan: 两翼 -> count 2, term 翼 (count None for 多 / N)."""

    count: int | None
    term: str
    written: str


@dataclass(frozen=True)
class Slogan:
    """A structure slogan such as 一核两翼三区, parsed into its parts."""

    text: str
    parts: tuple[SloganPart, ...]
    start: int
    end: int


# --- places -----------------------------------------------------------------------------------


@functools.cache
def _automaton(gazetteer: Gazetteer) -> ahocorasick.Automaton:
    """Aho-Corasick automaton over every written form (built once per gazetteer)."""
    auto = ahocorasick.Automaton()
    forms = dict(gazetteer.written_forms())
    for written, (_, adcode) in _former_forms().items():
        if written not in forms:
            forms[written] = (adcode,) if adcode else ()
    for form, adcodes in forms.items():
        if len(form) >= 2:
            auto.add_word(form, (form, tuple(adcodes)))
    auto.make_automaton()
    return auto


def find_places(
    text: str, gazetteer: Gazetteer, *, jurisdiction: str | None = None, context: Iterable[str] = ()
) -> list[PlaceMention]:
    """Admin units named in a text, resolved against the plan's jurisdiction.

    Parameters
    ----------
    text : str
        A clause's text (or any text).
    gazetteer : Gazetteer
        The admin units.
    jurisdiction : str, optional
        Adcode of the unit the plan governs: names inside it and its neighbours win ambiguities.
    context : iterable of str
        Adcodes already named nearby (e.g. earlier in the plan), used as weaker evidence.

    Returns
    -------
    list of PlaceMention
        In text order; abbreviation clusters (麒沾马) give one mention per member.

    Examples
    --------
    >>> from geo.places.gazetteer import load_gazetteer
    >>> [p.name for p in find_places("做强“麒沾马”中心城市，提升宣威副中心", load_gazetteer(), jurisdiction="530300")]
    ['麒麟区', '沾益区', '马龙区', '宣威市']
    """
    matches = _longest_matches(text, _automaton(gazetteer))
    accepted: list[tuple[int, int, str, tuple[str, ...]]] = []
    former: dict[int, Unit] = {}  # match start -> the unit a former name stands for
    # A short name the text uses for a natural feature (大兴安岭原始林区) means it everywhere in the text
    # (林地集中分布于大兴安岭), unless written in full.
    natural = {form for _, end, form, adcodes in matches
               if _NATURAL_AFTER.match(text[end:]) and not any(gazetteer.unit(a).name == form for a in adcodes)}
    for i, (start, end, form, adcodes) in enumerate(matches):
        if form in natural and not text.startswith(("县", "市", "区", "旗", "州", "盟"), end):
            continue  # (长白山 and 长白县 in one text: the county keeps its suffix)
        successor = _former_successor(form, adcodes, gazetteer)
        if successor == "":
            continue  # a word that merely contains a place name (北海道)
        if successor:
            adcodes = (successor,)
            former[start] = gazetteer.unit(successor)
        if _is_word_not_place(text, start, end, form, adcodes, gazetteer, jurisdiction, matches, i):
            continue
        accepted.append((start, end, form, adcodes))
    clause_context = list(context)
    mentions: list[PlaceMention] = []
    # Resolve unambiguous names first so that they can settle the ambiguous ones in the same text.
    for start, end, form, adcodes in accepted:
        if len(adcodes) == 1:
            clause_context.append(adcodes[0])
    clause_context = list(dict.fromkeys(clause_context))  # once, not in every resolve: long texts stay linear
    for start, end, form, adcodes in accepted:
        if start in former:
            unit = former[start]
            mentions.append(PlaceMention(unit.name, form, unit.adcode, unit.level, start, end,
                                         f"“{form}”是{unit.name}的旧称", "former name"))
            continue
        res = gazetteer.resolve(form, jurisdiction=jurisdiction, context=clause_context)
        if res is None:
            continue
        unit, reason = res.unit, res.reason
        suffix = text[end : end + 1]
        if suffix in ("县", "区", "市", "旗") and not unit.name.endswith(suffix) and unit.name != form:
            # 昌江县: the written suffix picks the candidate that bears it (昌江黎族自治县, not 景德镇's 昌江区)
            bearing = [gazetteer.unit(a) for a in res.candidates if gazetteer.unit(a).name.endswith(suffix)]
            if len(bearing) == 1:
                unit, reason = bearing[0], f"“{form}{suffix}”写明“{suffix}”：取{bearing[0].name}"
        mentions.append(PlaceMention(unit.name, form, unit.adcode, unit.level, start, end, reason))
    # 儋(州)洋(浦): a character completed in parentheses is the place the completed name is (儋州)
    for m in re.finditer(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff])[（(]([\u4e00-\u9fff]{1,2})[)）]", text):
        if any(x.start < m.end() and m.start() < x.end for x in mentions):
            continue
        res = gazetteer.resolve(m.group(1) + m.group(2), jurisdiction=jurisdiction, context=clause_context)
        if res is not None and not (jurisdiction and not _is_near(gazetteer, res.unit.adcode, jurisdiction)):
            mentions.append(PlaceMention(res.unit.name, m.group(0), res.unit.adcode, res.unit.level, m.start(),
                                         m.end(), f"“{m.group(0)}”补全为“{m.group(1) + m.group(2)}”：{res.reason}"))
    covered = [(m.start, m.end) for m in mentions]
    for cluster in _find_clusters(text, gazetteer, jurisdiction, clause_context, covered):
        mentions.extend(cluster)
    mentions.sort(key=lambda m: (m.start, m.end))
    mentions = _without_natural_lists(text, mentions)
    return _without_qualifiers(_peer_levels(text, mentions, gazetteer), gazetteer)


def _without_natural_lists(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Drop the places of a list that names natural features (呼伦贝尔、科尔沁、…、阿拉善六大草原; 大兴安岭、阴山、
    贺兰山等山脉)."""
    spans = [(m.start(), m.end()) for m in _NATURAL_LIST.finditer(text)]
    if not spans:
        return mentions
    return [m for m in mentions if not any(a <= m.start and m.end <= b for a, b in spans)]


def _peer_levels(text: str, mentions: list[PlaceMention], gazetteer: Gazetteer) -> list[PlaceMention]:
    """In a list of places (曲靖、昭通、文山、红河) the items are peers: an ambiguous item takes its peers' level.

    文山 alone may be 文山市 (a county) or 文山州 (a prefecture); listed among prefectures it is the prefecture.
    """
    out = list(mentions)
    lists: list[list[int]] = []
    for i, m in enumerate(out):
        if i and not m.via and not out[i - 1].via and text[out[i - 1].end : m.start] in ("、", "，", ","):
            lists[-1].append(i)
        else:
            lists.append([i])
    for items in lists:
        if len(items) < 3:
            continue
        settled = {out[i].level for i in items if len(gazetteer.candidates(out[i].mention)) == 1}
        if len(settled) != 1:
            continue
        (level,) = settled
        for i in items:
            m = out[i]
            peers = [u for u in gazetteer.candidates(m.mention) if u.level == level]
            if m.level != level and len(peers) == 1:
                u = peers[0]
                out[i] = PlaceMention(u.name, m.mention, u.adcode, u.level, m.start, m.end,
                                      f"“{m.mention}”列于同级地名之间（{level}），取{u.name}")
    return out


def _without_qualifiers(mentions: list[PlaceMention], gazetteer: Gazetteer) -> list[PlaceMention]:
    """Drop a unit written only to qualify the one right after it: 陕西省安康市 and 上海市宝山区 name one place each."""
    kept = []
    for m, after in itertools.zip_longest(mentions, mentions[1:]):
        qualifies = (after is not None and after.start == m.end and not m.via and after.adcode != m.adcode
                     and gazetteer.contains(m.adcode, after.adcode))
        if not qualifies:
            kept.append(m)
    return kept


def _longest_matches(text: str, auto: ahocorasick.Automaton) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Leftmost-longest, non-overlapping matches of the automaton in text."""
    hits = sorted(((end - len(form) + 1, end + 1, form, adcodes) for end, (form, adcodes) in auto.iter(text)),
                  key=lambda h: (h[0], -(h[1] - h[0])))
    chosen, pos = [], 0
    for start, end, form, adcodes in hits:
        if start >= pos:
            chosen.append((start, end, form, adcodes))
            pos = end
    return chosen


def _is_word_not_place(text: str, start: int, end: int, form: str, adcodes: Sequence[str], gazetteer: Gazetteer,
                       jurisdiction: str | None, matches: list, index: int) -> bool:
    """True where a matched form is an ordinary word or part of a longer word, not a place."""
    if not adcodes:
        return True
    units = [gazetteer.unit(a) for a in adcodes]
    full_name = any(u.name == form for u in units)
    if full_name and form[-1] + text[end : end + 1] in _WORDS_AFTER_STEM and gazetteer.candidates(form[:-1]):
        # 平坝区域, 大城市场: the suffix belongs to the word that follows, the name stands bare.
        full_name, form, end = False, form[:-1], end - 1
    if _INSTITUTION_AFTER.match(text[end : end + 14]):
        return True  # 天津市城市规划设计研究院, 中山大学: an institution named after the place
    if full_name and form in _GENERIC_FULL_NAMES and start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff" \
            and not any(e == start and any(gazetteer.contains(p, a) for p in prev for a in adcodes)
                        for _, e, _, prev in matches):
        return True  # 南太武滨海新区, 阳江滨海新区: another area's zone (天津滨海新区 is Tianjin's own)
    # 城区, 郊区, 矿区 are full names of units in Shanxi, and words everywhere. Two-character full names
    # (范县, 和县, 丰县) hide inside words too (示范县, 县和县之间, 和丰县): they need the evidence short forms need.
    if full_name and form not in COMMON_WORD_FORMS and len(form) > 2:
        return False
    if not full_name and _inside_longer_word(text, start, end):
        return True  # 千佛山, 中山大学: the short name is a piece of another proper name
    after = text[end:]
    if not full_name and form[-1] + after[:1] in _OVERLAP_WORDS:
        return True  # 最北海岸线, 滇黔南亚: the name's last character starts another word
    in_list = _in_place_list(text, start, end, matches, index)
    suffixed = _suffix_fits(after, form, units)
    if form in COMMON_WORD_FORMS and not (in_list or (suffixed and not after.startswith(_REGION_SUFFIXES))):
        return True  # 滨海地区, 通道沿线: a word with a region word after it is still the word
    if not full_name and not suffixed and _straddles_word(text, start, end):
        return True  # 中南华南 (南华), 湛茂阳城镇 (阳城): the name's last character begins a word
    if not full_name and _NATURAL_AFTER.match(after):
        return True  # 贺兰山, 科尔沁草原, 太湖流域, 金沙江: a mountain, grassland, lake or river of that name
    if not full_name and _DIRECTION_FORM.fullmatch(form) and not text.startswith(("县", "市", "区"), end):
        return True  # 南部地区, 东部、南部和西部: directions, even in a list (南部县 is written with 县)
    if not full_name and _is_region_among_regions(text, start, end, form, gazetteer):
        return True  # 长株潭、洞庭湖、湘南、湘西四大区域板块: 湘西 is a region of Hunan like 湘南, not 湘西州
    if not full_name and (_TITLE_BEFORE.search(text, max(0, start - 4), start) or _SPEECH_AFTER.match(after)):
        return True  # 省长何宁卡, 尹弘指出: a person's name, not a place
    if all(u.level == "county" for u in units) and jurisdiction:
        # a county-level city under the province itself (济源) is a peer of its prefectures there
        near = any(_is_near(gazetteer, u.adcode, jurisdiction) or (
            _directly_governed(u) and u.province == gazetteer.unit(jurisdiction).province) for u in units)
        if not near and not (in_list or suffixed or _on_route(text, start, end)):
            return True  # a bare county short name far from the plan's region is more likely a word
    return False


# A province's abbreviation and a direction: 湘西, 皖北, 苏中, 黔东南 (a unit's short name too, or only a region).
_ABBREVIATION_DIRECTION = re.compile(r"(?P<abbr>[" + "".join(CHAR_ABBREVIATIONS) + r"])[东西南北中]{1,2}")


def _is_region_among_regions(text: str, start: int, end: int, form: str, gazetteer: Gazetteer) -> bool:
    """A province abbreviation and a direction listed with one of the same shape that is no unit (湘南, 湘西).

    湘西 is also the short name of 湘西土家族苗族自治州, and 黔南 of 黔南州; which one a text means shows in its
    neighbours: beside 湘南 (no unit) it is a region of the province, beside 黔东南 and 黔西南 (units) a
    prefecture. Written with 州 it is the prefecture whatever its neighbours.
    """
    m = _ABBREVIATION_DIRECTION.fullmatch(form)
    if not m or text.startswith(("州", "自治州"), end):
        return False
    window = text[max(0, start - 12) : end + 12]
    for other in re.finditer(r"(?<=[、和及与])" + m.group("abbr") + r"[东西南北中]{1,2}|" + m.group("abbr")
                             + r"[东西南北中]{1,2}(?=[、和及与])", window):
        if other.group() != form and not gazetteer.candidates(other.group()):
            return True
    return False


# Full names that are also generic terms: at the end of a longer name they are that name's (南太武滨海新区).
_GENERIC_FULL_NAMES = frozenset({"滨海新区", "高新区", "新区", "城区", "郊区", "矿区", "开发区"})
# Region words after a common-word form do not make it a place (滨海地区 is the coast).
_REGION_SUFFIXES = ("地区", "一带", "片区", "方向", "等地", "境内")
# Short forms that are direction or region words (南部 of 南部县; 江北, 江南, 中原): a place only with the suffix.
_DIRECTION_FORM = re.compile(r"[东西南北中]{1,2}部?|江[南北东]|河[东西]|中原|[东南]海")  # 南海, 东海: the seas
# A short form followed by one of these is a natural feature bearing the name (贺兰山 is no 贺兰县).
_NATURAL_AFTER = re.compile(r"^(?:[\u4e00-\u9fff]{1,2}(?=林区|林海|草原|山脉|沙漠|沙地|湿地|森林|峡谷|高原|盆地|平原))?"
                            r"(?:山(?![区市县])|山脉|山系|草原|平原|盆地|高原|沙漠|沙地|湿地|森林|林区|林海|峡谷|流域|水系|"
                            r"水库|湖(?![区市县])|河(?![区市县口])|江(?![区市县]))")
# An institution named after a place (a 研究院 of 天津市): the run of characters up to the institution word.
_INSTITUTION_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,10}?(?:研究院|设计院|研究所|大学|学院|集团|公司|银行|医院|报社|电视台)")
# Places listed before a count of natural features (大兴安岭、阴山、贺兰山等山脉; …、阿拉善六大草原) are their names.
_NATURAL_LIST = re.compile(r"(?:[\u4e00-\u9fff]{2,6}、)+[\u4e00-\u9fff]{2,6}?(?:等|[一二三四五六七八九十两]+大?)(?:山脉|草原|平原|"
                           r"盆地|沙漠|湖泊|湿地|林区|森林|水系|河流|流域|林海)")
# A name right after a title, or before a verb of speech, is a person's (省长何宁卡, 尹弘强调).
_TITLE_BEFORE = re.compile(r"(?:书记|省长|市长|县长|区长|州长|旗长|主任|部长|局长|主席|委员|代表|同志)$")
_SPEECH_AFTER = re.compile(r"^(?:同志|强调|指出|表示|要求|主持|出席|讲话|说|调研|会见|批示)")


_WORD_WINDOW = 6  # characters either side of a name that the segmenter sees: enough for a proper name


@functools.cache
def _segmenter() -> jieba.Tokenizer:
    """jieba's tokenizer with its general dictionary, loaded once (its log kept off stderr: the CLI's one line)."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def segment_words(phrase: str) -> list[str]:
    """A phrase cut into words by jieba (the same tokenizer the place filters use)."""
    return list(_segmenter().cut(phrase))


def _inside_longer_word(text: str, start: int, end: int) -> bool:
    """True where the segmenter reads the name as part of a dictionary word that begins before it.

    Only words beginning before the name count: a word that merely continues it (佛山市, 佛山人) is the name
    itself, and one that ends inside it is an artefact of the window. Unknown runs stay single characters
    (no HMM guessing), so only words in jieba's general dictionary (千佛山, 中山大学) can hide a name.
    """
    if start == 0 or not "\u4e00" <= text[start - 1] <= "\u9fff":
        return False  # after a separator or at the start no word can begin before the name: skip the segmenter
    left = max(0, start - _WORD_WINDOW)
    window = text[left : end + _WORD_WINDOW]
    for word, w_start, w_end in _segmenter().tokenize(window, HMM=False):
        if w_start < start - left < w_end and w_end >= end - left and len(word) >= 3:
            return True
    return False


def _straddles_word(text: str, start: int, end: int) -> bool:
    """True where a dictionary word of the segmenter begins inside the name and runs past it (华南 in 中南华南)."""
    if end >= len(text) or not "\u4e00" <= text[end] <= "\u9fff":
        return False
    left = max(0, start - _WORD_WINDOW)
    window = text[left : end + _WORD_WINDOW]
    for word, w_start, w_end in _segmenter().tokenize(window, HMM=False):
        if start - left < w_start < end - left < w_end and len(word) >= 2:
            return True
    return False


def _suffix_fits(after: str, form: str, units: Sequence[Unit]) -> bool:
    """Does the text after a short form continue it as that unit's name (北川县, 黔东南州, 道真等地)?

    A generic suffix only counts where the unit could bear it: 大城 + 市 is 大城市 (a big city), not 大城县;
    安新 + 区 in 雄安新区 is not 安新县; 区域 and 市场 are words, not suffixes.
    """
    m = _PLACE_SUFFIX_AFTER.match(after)
    if not m:
        return False
    suffix = m.group(0)
    if len(suffix) > 1:
        return True
    if after[:2] in _WORDS_AFTER_STEM:
        return False
    for u in units:
        if u.name == form + suffix:
            return True
        if suffix == "县" and u.level == "county":
            return True  # 北川县 (羌族自治县), and names before 撤县设区/设市 (马龙县, 江油县)
        if suffix == "州" and u.name.endswith("州"):
            return True
        if suffix in "市区旗盟" and u.name.endswith(suffix) and u.level != "province":
            return True
    return False


@functools.cache
def _former_forms() -> dict[str, tuple[str, str]]:
    """Every written variant of a former name -> (the former name, successor adcode)."""
    out: dict[str, tuple[str, str]] = {}
    for former, adcode in FORMER_NAMES.items():
        out[former] = (former, adcode)
        if adcode and not former.endswith(("市", "县", "区", "盟")):
            out.setdefault(former + "市", (former, adcode))
            out.setdefault(former + "地区", (former, adcode))
    return out


def _former_successor(form: str, adcodes: Sequence[str], gazetteer: Gazetteer) -> str | None:
    """The successor adcode when a matched form is a former name ("" when it is not a place), else None."""
    entry = _former_forms().get(form)
    if entry is None:
        return None
    successor = entry[1]
    if not successor:
        return ""
    current = [a for a in adcodes if a != successor]
    # A unit bearing the name today wins, unless it is a district of the successor that kept the old
    # prefecture's name (思茅区 in 普洱市): the bare name then means the old prefecture.
    if current and not all(gazetteer.unit(a).name.endswith("区") and gazetteer.contains(successor, a)
                           for a in current):
        return None
    return successor


def _on_route(text: str, start: int, end: int) -> bool:
    """Is the name a stop of a route written A经B至C or B至C (…经金堂至成都城际铁路)?"""
    before, after = text[max(0, start - 1) : start], text[end : end + 1]
    return after == "至" or before == "至" or (before == "经" and "至" in text[end : end + 12])


def _in_place_list(text: str, start: int, end: int, matches: list, index: int) -> bool:
    """Is this match one item of a list of places (X、Y、Z / X和Y / X—Y / X至Y)?"""
    sep = re.compile(r"^[、，,和及与至—\-–~～]$")
    prev_ok = index > 0 and matches[index - 1][1] == start - 1 and sep.match(text[start - 1])
    next_ok = index + 1 < len(matches) and matches[index + 1][0] == end + 1 and sep.match(text[end])
    return bool(prev_ok or next_ok)


def _is_near(gazetteer: Gazetteer, adcode: str, jurisdiction: str) -> bool:
    """Inside the jurisdiction, touching it, or in its prefecture or a prefecture next to it.

    Provinces are too coarse a measure of nearness: 和政 (Gansu) is not near 旺苍 (Sichuan) because the two
    provinces touch, and 北川 is not near 贵州 (黔北川南 is not about 北川县).
    """
    if gazetteer.contains(jurisdiction, adcode):
        return True
    if any(gazetteer.contains(jurisdiction, n) for n in gazetteer.neighbours(adcode)):
        return True
    unit, juris = gazetteer.unit(adcode), gazetteer.unit(jurisdiction)
    if juris.level == "province" or unit.parent is None:
        return False
    juris_prefecture = jurisdiction if juris.level == "prefecture" else juris.parent
    return unit.parent == juris_prefecture or unit.parent in gazetteer.neighbours(juris_prefecture)


def _province_near(gazetteer: Gazetteer, adcode: str, jurisdiction: str) -> bool:
    """In the jurisdiction's province or a province bordering it."""
    home, there = gazetteer.unit(jurisdiction).province, gazetteer.unit(adcode).province
    return home == there or there in gazetteer.neighbours(home)


# --- abbreviation clusters ----------------------------------------------------------------------

_CLUSTER = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _find_clusters(text: str, gazetteer: Gazetteer, jurisdiction: str | None, context: list[str],
                   covered: list[tuple[int, int]]) -> list[list[PlaceMention]]:
    """Runs of one-character abbreviations (麒沾马, 昆曲, 川滇黔, 宁镇扬) resolved to their members."""
    out: list[list[PlaceMention]] = []
    # Candidate clusters: quoted runs, and runs right before a grouping word.
    candidates: list[tuple[int, int, bool]] = []
    for m in re.finditer(r"“([\u4e00-\u9fff]{2,4})”", text):
        candidates.append((m.start(1), m.end(1), True))
    word_at: dict[tuple[int, int], int] = {}  # where the grouping word after a run (or its list) begins
    for start, end, word in _iter_cluster_heads(text):
        candidates.append((start, end, False))
        word_at.setdefault((start, end), word)
    # A run that opens a chain of places (厦漳-龙岩-赣州发展轴: 厦漳 is 厦门 and 漳州); one joined to another run
    # (贵昆—杭瑞廊道) names two lines, not places.
    place_starts = {s for s, _ in covered}
    for m in re.finditer(r"[—–－\-~～]+", text):
        if m.end() not in place_starts:
            continue
        for size in (4, 3, 2):
            if m.start() >= size and all("\u4e00" <= ch <= "\u9fff" for ch in text[m.start() - size : m.start()]):
                candidates.append((m.start() - size, m.start(), False))
    # A run that a definition lists on its own (核心区囊括厦漳泉。): the units it abbreviates, if they fit.
    for m in re.finditer(r"(?:包括|囊括|涵盖)([\u4e00-\u9fff]{2,4})(?=[，,。；;\n]|$)", text):
        candidates.append((m.start(1), m.end(1), False))
    # Three or more provinces by their abbreviations (沪苏浙, 川陕甘渝) need no grouping word: such a run is no word.
    for m in _PROVINCE_RUN.finditer(text):
        candidates.append((m.start(), m.end(), False))
    for known in KNOWN_CLUSTERS:
        candidates += [(m.start(), m.end(), False) for m in re.finditer(known, text)]
    seen: set[tuple[int, int]] = set()
    # Covered spans never overlap one another: kept sorted, one bisection tells whether a candidate overlaps.
    spans = sorted(set(covered))
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    for start, end, quoted in sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]))):
        k = bisect.bisect_left(starts, end) - 1
        if (start, end) in seen or (k >= 0 and ends[k] > start):
            continue
        seen.add((start, end))
        word = word_at.get((start, end), end)
        route = bool(_ROUTE_AFTER.match(text, word))
        # 组团 groups counties: a cluster before it may abbreviate counties near the plan (丰樟高组团).
        counties = bool(_COUNTY_GROUPING.match(text, word))
        members = _resolve_cluster(text[start:end], gazetteer, jurisdiction, context, quoted, route=route,
                                   nearby=counties)
        if members is None:
            continue
        home = gazetteer.unit(jurisdiction).province if jurisdiction else ""
        if route and home and not quoted and len(members) == 2 and all(u.province != home for u in members) \
                and not all(_province_near(gazetteer, u.adcode, jurisdiction) for u in members):
            # 沿沪昆高铁 in 江西's plan, 陇海铁路 in 陕西's, 京昆 in 四川's: a trunk line named by two far ends is
            # a name, not places; a line from the plan's own province (贵广高铁 in 贵州's) or named by its stops
            # (深南昆高速铁路 in 曲靖's plan) keeps them
            continue
        written = text[start:end]
        reason = f"“{written}”是简称组合：" + "、".join(f"{ch}→{u.name}" for ch, u in zip(written, members))
        out.append([PlaceMention(u.name, written, u.adcode, u.level, start, end, reason, "cluster") for u in members])
        k = bisect.bisect_left(starts, start)
        starts.insert(k, start)
        ends.insert(k, end)
    return out


def _iter_cluster_heads(text: str) -> Iterable[tuple[int, int, int]]:
    """Spans of 2-4 characters directly before a grouping word (成渝地区, 毕水兴煤层气, 川滇黔物流), or in a
    list of such runs before it, each with the position of the grouping word."""
    # Every place a grouping word starts, then the 2-4 Chinese characters right before it (a run of
    # characters is not cut into pieces first: 福建省推进厦漳泉同城化 holds 厦漳泉).
    for m in _CLUSTER_WORD_AT.finditer(text):
        pos = m.start()
        for size in (4, 3, 2):
            if pos >= size and all("\u4e00" <= ch <= "\u9fff" for ch in text[pos - size : pos]):
                yield (pos - size, pos, pos)
        # A list of runs sharing the grouping word (丰樟高、奉靖、鄱余万都组团): the runs before each 、 too;
        # the first run of the list may follow a verb (培育丰樟高), so its last 2-4 characters are candidates.
        end = pos - len(re.search(r"[\u4e00-\u9fff]*$", text[max(0, pos - 4) : pos]).group(0))
        while end > 0 and text[end - 1] in " 、":
            end -= 1
            if text[end] == " ":
                continue
            run = re.search(r"[\u4e00-\u9fff]*$", text[max(0, end - 8) : end]).group(0)
            if len(run) < 2:
                break
            for size in (4, 3, 2):
                if len(run) >= size:
                    yield (end - size, end, pos)
            if len(run) > 4:
                break
            end -= len(run)


# Grouping words of counties: a cluster before them may abbreviate counties near the plan.
_COUNTY_GROUPING = re.compile(r"组团|组群|城镇|[二三四五六七八九十两]个(?:城镇)?(?:组群|组团)")

_CLUSTER_WORD_AT = re.compile("(?=" + _CLUSTER_AFTER.pattern.removeprefix("^") + ")")

# A cluster right before one of these names a road or railway by its ends (三大高速 = 三台—大英).
_ROUTE_AFTER = re.compile(r"(?:高速|铁路|高铁|城际|客专|公路|快速|轨道|动车|廊道)")

# Two-character runs that look like abbreviation clusters but are words (长江 is a river, not 长沙+江门).
CLUSTER_LOOKALIKES: frozenset[str] = frozenset(
    ["长江", "黄河", "珠江", "海西", "重大", "东北", "西北", "华北", "西南", "华南", "华东", "华中", "中原", "江南", "江北", "南北", "东西", "东南", "大湾", "西部", "东部", "中部", "北部", "南部", "全国", "中国", "国际", "实施", "长期", "重点", "大力", "广大", "沿海", "沿边", "内陆", "城乡", "山区", "平原", "丘陵", "全省", "全市", "各市", "两市", "六市",
     # corridors and international pairs written like clusters (西部陆海新通道, 中巴经济走廊), counted words
     "陆海", "海新", "中巴", "中欧", "中俄", "中蒙", "中亚", "中东", "中非", "中日", "中韩", "中老", "中缅", "中越",
     "中泰", "中新", "中印", "东盟",
     # mountain ranges written like clusters: 秦巴山区 is 秦岭 and 大巴山, not 陕西 and 巴中
     "秦巴", "乌蒙", "武陵", "大别", "罗霄", "六盘"]
)
def _is_province_abbreviation(ch: str) -> bool:
    """黔, 川, 滇 …: a character whose first reading is a province (or a municipality)."""
    codes = CHAR_ABBREVIATIONS.get(ch, ())
    return bool(codes) and codes[0].endswith("0000")


# Clusters whose reading is settled by usage rather than by their characters (兴 could be 兴仁 or 兴义).
_PROVINCE_RUN = re.compile("[" + "".join(ch for ch, codes in CHAR_ABBREVIATIONS.items() if codes[0].endswith("0000")
                                          and ch not in "云贵新青宁甘秦港澳") + "]{3,6}")
KNOWN_CLUSTERS: dict[str, tuple[str, ...]] = {"毕水兴": ("520500", "520200", "522301"),
                                              "京津冀": ("110000", "120000", "130000")}


def _resolve_cluster(written: str, gazetteer: Gazetteer, jurisdiction: str | None,
                     context: Sequence[str], quoted: bool = False, *, route: bool = False,
                     nearby: bool = False) -> list[Unit] | None:
    """Members of an abbreviation cluster, each character resolved, or None if any does not resolve.

    A character stands for a unit in CHAR_ABBREVIATIONS (黔 = 贵州, 渝 = 重庆), or a prefecture whose name
    starts with it (昆 = 昆明), or, in a quoted cluster, a county of the jurisdiction (麒沾马 = 麒麟, 沾益,
    马龙); in a cluster of three or more characters also a prefecture whose two-character name ends with it
    (长株潭 = 长沙, 株洲, 湘潭); in the name of a road or railway (三大高速, 茂盐高速, 广平高速) also a county in or
    next to the jurisdiction, all members then lying near it. The readings are chosen together (`_cluster_score`): members are peers
    (no province beside its own city: 苏锡常 = 苏州, 无锡, 常州), they lie together (宁镇扬 = 南京, 镇江,
    扬州, not 宁夏), explicit abbreviations and units inside the jurisdiction win, then capitals (西成 =
    西安, 成都). Members in provinces that do not touch make no cluster; nor do second-character readings
    that do not touch each other.
    """
    if written in KNOWN_CLUSTERS:
        return [gazetteer.unit(a) for a in KNOWN_CLUSTERS[written]]
    if any(written[i : i + 2] in CLUSTER_LOOKALIKES for i in range(len(written) - 1)):
        return None  # 川东北 is northeast Sichuan, 实施长江 a verb and a river
    if not quoted and written[0] in "和与及或并同":
        return None  # 城镇带和陇海铁路: a conjunction, not 和田
    if not route and written[0] in "一二三四五六七八九十两双":
        return None  # 服务“三南”(西南中南华南), 两广: a count of regions, not abbreviations
    if route and written[-1] in "新老":
        return None  # 渝贵新高铁: the last character belongs to the road's own name
    if not route and any(_is_province_abbreviation(a) and b in "东西南北中" for a, b in itertools.pairwise(written)):
        return None  # 黔北川南, 滇中, 苏北: parts of provinces (a road keeps its ends: 贵南高铁 = 贵阳—南宁)
    counties_allowed = quoted  # unquoted runs (实施长江 …) are too often words: prefectures and provinces only
    per_char: list[list[tuple[bool, bool, Unit]]] = []  # (explicit, second-character reading, unit)
    for ch in written:
        cands = [(True, False, gazetteer.unit(a)) for a in CHAR_ABBREVIATIONS.get(ch, ()) if a in gazetteer.units]
        if jurisdiction and counties_allowed:
            cands += [(False, False, u) for u in _descendants(gazetteer, jurisdiction) if u.name.startswith(ch)]
        cands += [(False, False, u) for u in _prefectures_starting_with(gazetteer, ch)]
        if jurisdiction and (route or nearby) and not quoted:
            cands += [(False, False, u) for u in _near_counties(gazetteer, jurisdiction).get(ch, ())]
        if len(written) >= 3:
            cands += [(False, True, u) for u in _prefecture_second_chars(gazetteer).get(ch, ())]
        if jurisdiction and not quoted:
            # a county-level city beside the prefecture holding it (金义 = 金华, 义乌): checked below
            cands += [(False, False, u) for u in _home_county_cities(gazetteer, jurisdiction).get(ch, ())]
        unique: dict[str, tuple[bool, bool, Unit]] = {}
        for cand in cands:
            unique.setdefault(cand[2].adcode, cand)
        if not unique:
            return None
        per_char.append(list(unique.values()))
    # once per cluster, not per reading: the county-level cities a reading may pair with their prefecture
    home_cities = {c.adcode for cs in _home_county_cities(gazetteer, jurisdiction).values() for c in cs} \
        if jurisdiction and not quoted and not (route or nearby) else set()
    home_province = gazetteer.unit(jurisdiction).province if jurisdiction else ""
    best: tuple[tuple, list[Unit]] | None = None
    for combo in itertools.islice(itertools.product(*per_char), _MAX_CLUSTER_READINGS):
        units = [c[2] for c in combo]
        capitals = all(u.adcode in _capitals(gazetteer) or u.level == "province" for u in units)
        if len({u.adcode for u in units}) < len(units):
            continue
        # A road between capitals may cross provinces (贵广高铁 = 贵阳—广州); other clusters stay in touch.
        if not _provinces_touch(gazetteer, units) and not (route and capitals):
            continue
        parts = _components(gazetteer, units)
        explicit = any(e for e, _, _ in combo)
        # Readings by first or second character alone must lie together, or be capitals (西成 = 西安, 成都):
        # 三大 is not 三门峡 + 大同.
        cities_of = [u for u in units if u.level == "county" and u.adcode in home_cities]
        if cities_of and not all(any(v is not u and v.level == "prefecture" and gazetteer.contains(v.adcode, u.adcode)
                                     for v in units) for u in cities_of):
            continue  # a county-level city only beside its own prefecture
        near = bool((route or nearby) and jurisdiction) and all(_is_near(gazetteer, u.adcode, jurisdiction) for u in units)
        near = near or bool(cities_of)
        # Three or more prefectures of the plan's own province by their first characters need not touch
        # (合芜蚌 = 合肥, 芜湖, 蚌埠): a run that long of one province's initials is no accident.
        home = bool(jurisdiction) and len(units) >= 3 and not any(second for _, second, _ in combo) and all(
            u.level == "prefecture" and u.province == home_province for u in units)
        near = near or home
        # A road or railway named by its end cities, one of them a capital or the plan's own city, may join
        # cities that do not touch: 宝成铁路 = 宝鸡—成都, 阜盘铁路 in 盘锦's plan = 阜新—盘锦.
        # Such a reading ranks below every reading of nearby places or capitals (曲泸 = 曲靖—泸西, not 泸州).
        anchored = (route and not near and not capitals and all(u.level != "county" for u in units)
                    and _provinces_touch(gazetteer, units)
                    and any(u.adcode in _capitals(gazetteer) or u.adcode == jurisdiction for u in units))
        if parts > 1 and (any(second for _, second, _ in combo) or not (explicit or capitals or near or anchored)):
            continue
        # An explicit abbreviation does not vouch for the others: each member must touch another one, be a
        # capital or an explicit abbreviation itself (秦巴山片区 is no 陕西 + 巴中 + 山南).
        if parts > 1 and not (near or anchored) and any(
                not e and u.adcode not in _capitals(gazetteer)
                and not any(_touch(gazetteer, u.adcode, v.adcode) for v in units if v is not u)
                for e, _, u in combo):
            continue
        if (route or nearby) and not quoted and any(u.level == "county" for u in units) and not near:
            continue
        if any(second for _, second, _ in combo) and len({_tier(u) for u in units}) > 1:
            continue
        score = (anchored, *_cluster_score(gazetteer, combo, parts, jurisdiction, route))
        if best is None or score < best[0]:
            best = (score, units)
    return None if best is None else best[1]


_MAX_CLUSTER_READINGS = 4096  # four characters with eight readings each


def _cluster_score(gazetteer: Gazetteer, combo: Sequence[tuple[bool, bool, Unit]], parts: int,
                   jurisdiction: str | None, route: bool = False) -> tuple:
    """Lower is better: peers of one tier, in the home province, together, explicit, inside, first characters,
    capitals."""
    units = [u for _, _, u in combo]
    nested = any(a.adcode != b.adcode and gazetteer.contains(a.adcode, b.adcode) for a in units for b in units)
    juris = gazetteer.unit(jurisdiction) if jurisdiction else None
    inside = sum(1 for u in units if juris and u.adcode != juris.adcode and gazetteer.contains(juris.adcode, u.adcode))
    provinces = [u.province for u in units]
    home = juris.province if juris else max(set(provinces), key=provinces.count)
    capitals = _capitals(gazetteer)
    return (
        nested,
        sum(1 for u in units if u.level == "county") if route else 0,  # 广平高速 = 广元—平武, not 广汉—平武
        len({_tier(u) for u in units}) > 1,  # 贵广 = 贵阳 + 广州 (two cities), not 贵州 + 广元
        sum(1 for p in provinces if p != home),  # 贵南高铁 in 贵州's plan = 贵阳—南宁, not 贵港—南宁
        not _provinces_touch(gazetteer, units),  # … and not 贵阳—南京
        parts,
        sum(1 for explicit, _, _ in combo if not explicit),
        len(units) - inside,
        sum(1 for _, second, _ in combo if second),
        sum(1 for u in units if u.level == "prefecture" and u.adcode not in capitals),
        tuple(u.adcode for u in units),
    )


def _tier(unit: Unit) -> str:
    """Province, city (prefectures, the four municipalities, counties a province governs) or county."""
    if unit.level == "province":
        return "city" if unit.name.endswith("市") else "province"
    return "city" if unit.level == "prefecture" or _directly_governed(unit) else "county"


_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})  # their districts stay counties


def _directly_governed(unit: Unit) -> bool:
    """A county-level unit directly under its province (省直辖县级行政单位), not under a prefecture."""
    parent = unit.parent or ""
    return unit.level == "county" and parent.endswith("0000") and parent not in _MUNICIPALITIES


def _provinces_touch(gazetteer: Gazetteer, units: Sequence[Unit]) -> bool:
    """A real cluster keeps its members close: one province, or provinces each touching another."""
    provinces = sorted({u.province for u in units})
    return len(provinces) == 1 or all(
        any(p2 in gazetteer.neighbours(p1) for p2 in provinces if p2 != p1) for p1 in provinces)


def _components(gazetteer: Gazetteer, units: Sequence[Unit]) -> int:
    """How many groups the units form when touching units (or one inside another) are joined."""
    group = list(range(len(units)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, a in enumerate(units):
        for j in range(i + 1, len(units)):
            if _touch(gazetteer, a.adcode, units[j].adcode):
                group[root(i)] = root(j)
    return len({root(i) for i in range(len(units))})


@functools.cache
def _touch(gazetteer: Gazetteer, a: str, b: str) -> bool:
    """Do two units share a border, compared at the coarser of their levels (or does one hold the other)?"""
    if gazetteer.contains(a, b) or gazetteer.contains(b, a):
        return True
    ua, ub = gazetteer.unit(a), gazetteer.unit(b)
    level = min(("province", "prefecture", "county").index(ua.level), ("province", "prefecture", "county").index(ub.level))
    pa, pb = _peer(gazetteer, ua, level), _peer(gazetteer, ub, level)
    return pa == pb or pb in gazetteer.neighbours(pa)


def _peer(gazetteer: Gazetteer, unit: Unit, level: int) -> str:
    """The unit or its ancestor at a level (0 province, 1 prefecture, 2 county); a 省直辖 unit stands for itself."""
    levels = ("province", "prefecture", "county")
    while levels.index(unit.level) > level and unit.parent is not None:
        parent = gazetteer.unit(unit.parent)
        if levels.index(parent.level) < level:
            break
        unit = parent
    return unit.adcode


@functools.cache
def _capitals(gazetteer: Gazetteer) -> frozenset[str]:
    """Provincial capitals: in each province, the prefecture whose seat lies nearest the province's seat."""
    out = set()
    for province in (u for u in gazetteer.units.values() if u.level == "province"):
        prefectures = [u for u in gazetteer.children(province.adcode) if u.level == "prefecture"]
        if prefectures:
            sx, sy = province.seat
            out.add(min(prefectures, key=lambda u: (u.seat[0] - sx) ** 2 + (u.seat[1] - sy) ** 2).adcode)
    return frozenset(out)


@functools.cache
def _descendants(gazetteer: Gazetteer, adcode: str) -> tuple[Unit, ...]:
    """Every unit inside an adcode (children, grandchildren)."""
    return tuple(u for u in gazetteer.units.values() if u.adcode != adcode and gazetteer.contains(adcode, u.adcode))


@functools.cache
def _prefecture_index(gazetteer: Gazetteer) -> dict[str, tuple[Unit, ...]]:
    """First character -> prefecture-level units (and municipalities) whose name starts with it.

    Counties a province governs directly (神农架林区, 仙桃市, 济源市) rank as prefectures: 襄十随神 = 襄阳, 十堰,
    随州, 神农架.
    """
    index: dict[str, list[Unit]] = {}
    for u in gazetteer.units.values():
        if u.level == "prefecture" or (u.level == "province" and u.name.endswith("市")) or _directly_governed(u):
            index.setdefault(u.name[0], []).append(u)
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _prefecture_second_chars(gazetteer: Gazetteer) -> dict[str, tuple[Unit, ...]]:
    """Second character -> prefectures with a two-character short name ending in it (潭 -> 湘潭, 昌 -> 南昌)."""
    index: dict[str, list[Unit]] = {}
    for u in gazetteer.units.values():
        if u.level == "prefecture":
            for form in u.short_names:
                if len(form) == 2:
                    index.setdefault(form[1], []).append(u)
                    break
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _near_counties(gazetteer: Gazetteer, jurisdiction: str) -> dict[str, tuple[Unit, ...]]:
    """First character -> counties in the jurisdiction or in the units next to it (roads name their ends)."""
    areas = [jurisdiction, *gazetteer.neighbours(jurisdiction)]
    index: dict[str, list[Unit]] = {}
    for area in areas:
        units = [gazetteer.unit(area)] if gazetteer.unit(area).level == "county" else _descendants(gazetteer, area)
        for u in units:
            if u.level == "county":
                index.setdefault(u.name[0], []).append(u)
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _home_county_cities(gazetteer: Gazetteer, jurisdiction: str) -> dict[str, tuple[Unit, ...]]:
    """County-level cities (义乌市, 昆山市) of the jurisdiction's province, by their first character."""
    province = gazetteer.unit(jurisdiction).province
    out: dict[str, list[Unit]] = {}
    for u in gazetteer.units.values():
        if u.level == "county" and u.province == province and u.name.endswith("市"):
            out.setdefault(u.name[0], []).append(u)
    return {ch: tuple(us) for ch, us in out.items()}


def _prefectures_starting_with(gazetteer: Gazetteer, ch: str) -> tuple[Unit, ...]:
    """Prefecture-level units whose name starts with a character."""
    return _prefecture_index(gazetteer).get(ch, ())


# --- slogans ----------------------------------------------------------------------------------

# Spatial terms a structure slogan counts, longest first. Non-spatial counted words (三张牌, 两新一重,
# 五大振兴, 一盘棋, 一张图) are not here, so they never parse as structure.
SLOGAN_TERMS: tuple[str, ...] = (
    "枢纽", "园区", "中心", "组团", "示范区", "基地", "引擎", "通道", "片区", "板块", "廊道", "走廊", "轴带", "城市", "节点", "支点", "支撑", "湾区",
    "半岛",
    "体系", "区块", "核", "翼", "区", "主", "副", "极", "地", "带", "轴", "廊", "环", "射", "纵", "横", "联", "心", "圈", "群", "点",
    "片", "支", "屏", "团", "草原", "流域", "湾", "网", "双", "县", "市", "州", "盆", "山",
)
# Terms that make a slogan only beside other parts (“两盆+两山”); alone (“两山”) they are another idea.
_NEVER_ALONE_TERMS = frozenset({"盆", "山"})
# Units counted as parts (两州两市, 一地六县): only in a slogan of two parts or more, never alone.
_UNIT_TERMS = frozenset({"县", "市", "州"})
# 双 is a count (双核) and, last in a part, a term of its own (一主、六双: six twin-city pairs).
_COUNT = r"(?:[一二三四五六七八九两双]?十[一二三四五六七八九]?|[一二三四五六七八九两双多]|\d{1,2}|N)"
_PART = re.compile(rf"(?P<count>{_COUNT})个?(?P<term>{'|'.join(SLOGAN_TERMS)})")  # 10个园区26个片区
# Between two parts of one slogan: nothing, punctuation and quotes, or one short verb (做优“一核”，壮大“两翼”).
_BIG_COUNTED = re.compile(rf"(?<![第每各\d])(?P<count>[二三四五六七八九两]|十[一二三四五六七八九]?)(?P<kind>大|个)"
                          rf"(?P<mod>[\u4e00-\u9fff]{{0,4}})[“\"]?(?P<term>{'|'.join(SLOGAN_TERMS)})(?![\u4e00-\u9fff]{{0,1}}(?:建设|发展))")
_PART_GAP = re.compile(r"^(?:[(（][\u4e00-\u9fff]{1,2}[)）])?[“”\"'、，,\s+＋]*(?:[\u4e00-\u9fff]{2}[“”\"'、，,\s]*)?$")
_SLOGAN_VERB = re.compile(r"引领|支撑|带动|联动|协同|辐射|驱动|并进|发展")
_PLUS_SLOGAN = re.compile(r"(?<![\d+])(?:\d{1,2}|N)(?:\+(?:\d{1,2}|N)){1,4}(?![\d+])")


def _count_value(written: str) -> int | None:
    """Numeric value of a slogan count; None for 多 and N."""
    if written in ("多", "N"):
        return None
    if written.isdigit():
        return int(written)
    written = written.replace("两", "二").replace("双", "二")
    from geo.text.clauses import cn_to_int

    return cn_to_int(written)


def find_slogans(text: str) -> list[Slogan]:
    """Structure slogans in a text, each parsed into counted parts.

    Consecutive parts form one slogan when only punctuation, quotes or one short verb stand between
    them, so 做优“一核”，壮大“两翼”，统筹“三区” gives 一核两翼三区. A lone part counts only when quoted.

    Examples
    --------
    >>> [(s.text, [(p.count, p.term) for p in s.parts]) for s in find_slogans("构建“一主一副、多点支撑”格局")]
    [('一主一副、多点支撑', [(1, '主'), (1, '副'), (None, '点')])]
    >>> [s.text for s in find_slogans("形成“1环3纵5横7联”和“1+5+N”布局")]
    ['1环3纵5横7联', '1+5+N']
    """
    parts = [m for m in _PART.finditer(text) if _part_is_standalone(text, m)]
    groups: list[list[re.Match]] = []
    for m in parts:
        gap = text[groups[-1][-1].end() : m.start()] if groups else ""
        # a slogan of several parts in quotes ends at its closing quote (“两心三圈四带”,包括“两心”:…)
        closed = bool(groups) and len(groups[-1]) > 1 and gap.startswith(("”", '"')) and \
            text[groups[-1][0].start() - 1 : groups[-1][0].start()] in ("“", '"') and \
            not re.search(r"[“”\"]", text[groups[-1][0].start() : groups[-1][-1].end()])
        if groups and not closed and _PART_GAP.match(gap) and m.start() - groups[-1][-1].end() <= 6:
            groups[-1].append(m)
        else:
            groups.append([m])
    slogans: list[Slogan] = []
    for group in groups:
        terms = [g.group("term") for g in group]
        if len(group) == 1 and not (group[0].start() > 0 and text[group[0].start() - 1] in "“\""):
            continue
        if len(group) > 1 and len(set(terms)) == 1 and terms[0] in ("区", "地", "点", "心"):
            continue  # 两区两地 is rare; 三区三区 is noise
        if len(group) == 1 and terms[0] in _UNIT_TERMS | _NEVER_ALONE_TERMS:
            continue  # “两市” alone is a count of cities, not a structure
        if all(t in _UNIT_TERMS for t in terms) and not re.search(r"[州县]", "".join(terms)):
            continue  # 两市三市: counts of cities
        slogan_parts = tuple(
            SloganPart(_count_value(g.group("count")), g.group("term"), g.group(0)) for g in group
        )
        start, end = group[0].start(), group[-1].end()
        phrase_end = _quoted_phrase_end(text, start, end)
        if len(group) == 1 and phrase_end > end and re.search(r"[个大]", group[0].group(0)):
            # “五个区块链接”: a counted phrase in quotes is the slogan whole
            slogans.append(Slogan(text[start:phrase_end], (SloganPart(_count_value(group[0].group("count")),
                                                                     group[0].group("term"), group[0].group(0)),),
                                  start, phrase_end))
            continue
        verb = _SLOGAN_VERB.match(text, end)
        if verb and len(group) > 1:
            end = verb.end()
        raw = text[start:end]
        # Parts spread over a sentence (做优“一核”，壮大“两翼”) read as the slogan they make: 一核两翼三区.
        written = raw if not re.search(r"[“”\"]", raw) else "".join(p.written for p in slogan_parts)
        slogans.append(Slogan(written, slogan_parts, start, end))
    for m in _BIG_COUNTED.finditer(text):
        # 两大城市圈, 四大都市区, 三大区域增长极, 四个周边组团: a counted structure written as one phrase
        if m.group("term") in _UNIT_TERMS or not _part_is_standalone(text, m) or \
                any(s.start <= m.start() < s.end or m.start() <= s.start < m.end() for s in slogans):
            continue
        if text.startswith("一", m.start()) and m.group("kind") == "个":
            continue  # 一个…中心: an article, not a count
        if m.group("term") in _NEVER_ALONE_TERMS:
            continue
        end = _quoted_phrase_end(text, m.start(), m.end())  # “五个区块链接”: the quoted phrase is the slogan
        if end == m.end() and text.startswith(("”", '"'), end) and re.search(r"[“\"]", m.group(0)):
            end += 1  # 三大区域“引擎”: the quoted head word closes
        part = SloganPart(_count_value(m.group("count")), m.group("term"), text[m.start() : end].rstrip("”\""))
        slogans.append(Slogan(text[m.start() : end], (part,), m.start(), end))
    for phrase in _phrase_slogans(text):
        # A phrase slogan holds the counted slogans inside it (一主四副 in 一主四副、通道对接、点轴联动).
        slogans = [s for s in slogans if not (phrase.start <= s.start and s.end <= phrase.end)]
        slogans.append(phrase)
    for m in _PLUS_SLOGAN.finditer(text):
        if text[max(0, m.start() - 1)] in "“\"‘'" or re.match(r"^[”\"]?\s*[\u4e00-\u9fff]", text[m.end():]):
            parts_ = tuple(SloganPart(_count_value(x), "", x) for x in m.group(0).split("+"))
            slogans.append(Slogan(m.group(0), parts_, m.start(), m.end()))
    slogans.sort(key=lambda s: s.start)
    return slogans


def _quoted_phrase_end(text: str, start: int, end: int) -> int:
    """Where a counted phrase opened by a quote at ``start`` ends, when one to three characters more close the
    quote (“五个区块链接”: 五个区块 then 链接); ``end`` otherwise."""
    rest = re.match(r"[\u4e00-\u9fff]{1,3}[”\"]", text[end:])
    if rest and start > 0 and text[start - 1] in "“\"":
        return end + len(rest.group(0)) - 1
    return end


# Phrase slogans: four-character phrases joined by 、, each a place or a structure term and a verb
# (中心引领、协同支撑; 做强滇中、搞活沿边、多点支撑、联动廊道; 东连黔桂、南向出境、西融滇中、北接川渝).
_PHRASE = re.compile(r"[\u4e00-\u9fff]{4}(?:、[\u4e00-\u9fff]{4}){1,7}")
_PHRASE_AFTER = re.compile(r"[”\"]|的?(?:空间|发展|城镇化?|产业|区域|总体|开放|功能|网络)?(?:格局|布局|结构|体系|战略|态势|目标|思路)")
PHRASE_VERBS: tuple[str, ...] = (
    "引领", "支撑", "带动", "联动", "协同", "辐射", "驱动", "并进", "发展", "对接", "崛起", "做强", "做优", "做大",
    "做精", "壮大", "搞活", "统筹", "提升", "融入", "突破", "集聚", "聚集", "示范", "开放", "振兴", "优化", "培育",
    "打造", "拓展", "联通", "互动", "共建", "融合", "保护", "涵养", "转型", "延伸", "承接", "服务", "建设", "完善",
)
# What makes a phrase spatial: a structure term, a direction with a one-character verb (东连, 西融), a place
# abbreviation (滇, 黔), or one of these words.
_PHRASE_CUES = re.compile(
    r"[核翼极轴廊环圈群带点心副主屏]|^[东西南北][连接融向进拓通出入联]|沿边|沿海|沿江|沿线|口岸|边境|片区|板块|新区|"
    r"组团|廊道|通道|走廊|都市|城市|城区|县城|枢纽|门户|腹地|流域"
)


def _phrase_slogans(text: str) -> list[Slogan]:
    """Phrase slogans: quoted, or followed by 格局 / 布局 / 结构 …, with a spatial cue in at least half the phrases."""
    out = []
    for m in _PHRASE.finditer(text):
        quoted = m.start() > 0 and text[m.start() - 1] in "“\"" and text[m.end() : m.end() + 1] in ("”", "\"")
        if not (quoted or _PHRASE_AFTER.match(text, m.end())):
            continue
        segments = m.group(0).split("、")
        cues = [seg for seg in segments if _PHRASE_CUES.search(seg) or any(ch in CHAR_ABBREVIATIONS for ch in seg[:2])
                or any(ch in CHAR_ABBREVIATIONS for ch in seg[2:])]
        if 2 * len(cues) < len(segments):
            continue
        parts: list[SloganPart] = []
        for seg in segments:
            counted = [g for g in _PART.finditer(seg) if _part_is_standalone(seg, g)]
            term = _phrase_term(seg)
            if counted:
                parts += [SloganPart(_count_value(g.group("count")), g.group("term"), g.group(0)) for g in counted]
            elif term in _UNCOUNTED_PAIRS:
                # 主副引领: two parts with no number, the main centre and the sub-centres.
                parts += [SloganPart(None, ch, ch) for ch in term]
            else:
                parts.append(SloganPart(None, term, seg))
        out.append(Slogan(m.group(0), tuple(parts), m.start(), m.end()))
    return out


# Two parts without a count written as one word of a phrase slogan (主副引领: the main and the sub-centres);
# 极核, 轴带 are one thing each (a growth core, an axis belt).
_UNCOUNTED_PAIRS = frozenset({"主副"})


def _phrase_term(segment: str) -> str:
    """The spatial word of a phrase: 中心引领 -> 中心, 做强滇中 -> 滇中, 东连黔桂 -> 黔桂."""
    for verb in PHRASE_VERBS:
        if segment.endswith(verb) and len(segment) > len(verb):
            return segment[: -len(verb)]
        if segment.startswith(verb) and len(segment) > len(verb):
            return segment[len(verb) :]
    if re.match(r"[东西南北][连接融向进拓通出入联]", segment):
        return segment[2:]
    return segment


def _part_is_standalone(text: str, m: re.Match) -> bool:
    """Reject counts glued into longer words: 第一区, 一体化, 十四五, 一带一路's 带 etc."""
    before = text[m.start() - 1] if m.start() > 0 else ""
    after = text[m.end()] if m.end() < len(text) else ""
    if before and (before in "第每各" or (before.isdigit() and m.group("count").isdigit())):
        return False
    if m.group("term") == "带" and text.startswith("一路", m.end()):
        return False  # 一带一路 is a named strategy, not a structure of belts (一核一带一区 is)
    if m.group("term") == "双" and after and "\u4e00" <= after <= "\u9fff":
        return False  # 一双手; a count of what follows (双核) is read from 双 itself
    # 一地方, 多点位, 一区域 … are words
    return not (m.group("term") in ("地", "心", "点", "区", "主", "片", "支", "团") and after and after in "方位下区域势")
