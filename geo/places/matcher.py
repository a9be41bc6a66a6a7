"""Place names found in a text: admin-unit names and former names, with the filters that tell a word from a place.

Place names are found with one Aho-Corasick automaton over every written form the gazetteer knows
(full names and short forms), leftmost-longest, then filtered: a short form that is also an ordinary
word (合作, 振兴, 新兴 …) counts only when written with its suffix or in a list of places, and a
county outside the plan's region needs the same evidence; a short name inside a longer dictionary word
(jieba's segmentation: 千佛山, 中山大学) is no place. Each place is resolved by the gazetteer against the
plan's jurisdiction and the clause's other places, and carries the reason. Abbreviation clusters (麒沾马)
are read by `geo.places.clusters`.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick
import jieba

from geo.places.clusters import CHAR_ABBREVIATIONS, cluster_reading, find_clusters, is_abbreviation
from geo.places.gazetteer import COMMON_WORD_FORMS as GAZETTEER_COMMON_WORDS
from geo.places.gazetteer import Gazetteer, Unit
from geo.places.nearness import (
    component_count,
    directly_governed,
    is_near,
    km,
    provincial_capitals,
    units_touch,
)
from geo.places.surroundings import (
    boundary_direction,
    in_list_of_parts,
    landform_after,
    part_after,
    town_after,
)

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


CUSTOMARY_NAMES: dict[str, str] = {
    # Autonomous counties whose long names official texts shorten by custom, always with 县 (杜尔伯特蒙古族自治县 →
    # 杜蒙县): the gazetteer's short name is the long base name (杜尔伯特), which such texts do not write.
    "杜蒙县": "230624", "阜蒙县": "210921", "前郭县": "220721", "喀左县": "211324",
}
"""Customary short name (with its 县) -> adcode. Written with the suffix, each is as sure as a full name."""


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
    via: str = ""  # "cluster" | "former name" | "qualifier" (a prefecture before its county) | "" (a name as such)


@functools.cache
def _automaton(gazetteer: Gazetteer) -> ahocorasick.Automaton:
    """Aho-Corasick automaton over every written form (built once per gazetteer)."""
    auto = ahocorasick.Automaton()
    forms = dict(gazetteer.written_forms())
    for written, (_, adcode) in _former_forms().items():
        if written not in forms:
            forms[written] = (adcode,) if adcode else ()
    for written, adcode in CUSTOMARY_NAMES.items():
        forms.setdefault(written, (adcode,))
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
    matches, hits = _longest_matches(text, _automaton(gazetteer), with_hits=True)
    accepted: list[tuple[int, int, str, tuple[str, ...]]] = []
    former: dict[int, Unit] = {}  # match start -> the unit a former name stands for
    # A short name the text uses for a natural feature (大兴安岭原始林区) means it everywhere in the text
    # (林地集中分布于大兴安岭), unless written in full.
    natural = {form for _, end, form, adcodes in matches
               if _NATURAL_AFTER.match(text[end:]) and not any(gazetteer.unit(a).name == form for a in adcodes)}
    for i, (start, end, form, adcodes) in enumerate(matches):
        if form in natural and not text.startswith(("县", "市", "区", "旗", "州", "盟"), end) \
                and not _UNIT_PART_AFTER.match(text, end) and not _in_place_list(text, start, end, matches, i) \
                and jurisdiction not in adcodes:
            continue  # (长白山 and 长白县 in one text: the county keeps its suffix; 焉耆、轮台 lists the county)
        if jurisdiction is None and _cluster_beats_county(text, end, form, adcodes, gazetteer):
            continue  # 昆玉同城化: 昆明 and 玉溪 (the cluster reader takes it), not 新疆's 昆玉市
        successor = _former_successor(form, adcodes, gazetteer)
        if successor and any(a != successor for a in adcodes) \
                and _listed_among_counties(text, start, end, matches, i, gazetteer):
            successor = None  # 大理、隆阳、思茅、临翔: among counties, the district that kept the name (思茅区)
        if successor == "":
            continue  # a word that merely contains a place name (北海道)
        if successor and form not in (u.name for u in gazetteer.candidates(form)) and _ZONE_AFTER.match(text, end):
            continue  # 杨凌示范区: a zone that keeps a name its district does not bear (杨陵区)
        if successor:
            adcodes = (successor,)
            former[start] = gazetteer.unit(successor)
        if form in CUSTOMARY_NAMES:
            former[start] = gazetteer.unit(CUSTOMARY_NAMES[form])
            accepted.append((start, end, form, adcodes))
            continue
        if _is_word_not_place(text, start, end, form, adcodes, gazetteer, jurisdiction, matches, i):
            shifted = _shifted_match(text, hits, matches, i, gazetteer)
            if shifted is None:
                continue
            # 龙华区和龙岗区: 和龙 (a county's short name, here a conjunction and a character) hid 龙岗区, which
            # starts inside it and runs past it: that name, if it passes the same filters, is the place
            matches[i] = shifted
            start, end, form, adcodes = shifted
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
        if start in former and form in CUSTOMARY_NAMES:
            unit = former[start]
            mentions.append(PlaceMention(unit.name, form, unit.adcode, unit.level, start, end,
                                         f"“{form}”是{unit.name}的通用简称"))
            continue
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
        if res is not None and not (jurisdiction and not is_near(gazetteer, res.unit.adcode, jurisdiction)):
            mentions.append(PlaceMention(res.unit.name, m.group(0), res.unit.adcode, res.unit.level, m.start(),
                                         m.end(), f"“{m.group(0)}”补全为“{m.group(1) + m.group(2)}”：{res.reason}"))
    covered = [(m.start, m.end) for m in mentions]
    for c in find_clusters(text, gazetteer, jurisdiction, clause_context, covered, everyday=_everyday_word,
                           cut=lambda s, e: _cluster_cut(text, s, e, gazetteer)):
        before = text[c.start - 1 : c.start]
        if before != "“" and not is_abbreviation(before, gazetteer) and _word_crosses(text, c.start, c.end, "start"):
            continue  # 科技创新和产业: 新和 is no 新疆 + 和田, its 新 ends the word 创新 (南北钦防 may begin early)
        mentions.extend(PlaceMention(u.name, c.written, u.adcode, u.level, c.start, c.end, c.reason, "cluster")
                        for u in c.members)
    mentions.sort(key=lambda m: (m.start, m.end))
    mentions = _without_natural_lists(text, mentions)
    return _mark_qualifiers(_peer_levels(text, mentions, gazetteer), gazetteer)


def _cluster_cut(text: str, start: int, end: int, gazetteer: Gazetteer) -> bool:
    """Does a word of the text cross a candidate run of abbreviations: begun before it (共建|杭绍甬, unless the
    character before is an abbreviation itself: 南北钦防) or running past it (郑汴新|能源)?"""
    before = text[start - 1 : start]
    if before and before != "“" and not is_abbreviation(before, gazetteer) and _word_crosses(text, start, end, "start"):
        return True
    return _word_crosses(text, start, end, "end")


# Grouping words after which two characters name two cities grown together (昆玉同城化, 长吉一体化).
_GROWN_TOGETHER = re.compile(r"(?:一体化|同城化|同城|都市圈|双城)")


def _cluster_beats_county(text: str, end: int, form: str, adcodes: Sequence[str], gazetteer: Gazetteer) -> bool:
    """A county's bare two-character name before 同城化 / 一体化 that also reads as two neighbouring cities (昆玉 =
    昆明 + 玉溪, not 昆玉市 2,500 km away): with no plan's area to weigh them, the nearby pair wins."""
    if len(form) != 2 or not _GROWN_TOGETHER.match(text, end) or not adcodes:
        return False
    units = [gazetteer.unit(a) for a in adcodes]
    if any(u.name == form or u.level != "county" for u in units):
        return False
    members = cluster_reading(form, gazetteer)
    return bool(members) and not {u.adcode for u in members} & set(adcodes) \
        and component_count(gazetteer, members) == 1


def _without_natural_lists(text: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Drop the places of a list that names natural features (呼伦贝尔、科尔沁、…、阿拉善六大草原; 大兴安岭、阴山、
    贺兰山等山脉)."""
    spans = [(m.start(), m.end()) for m in _NATURAL_LIST.finditer(text)]
    if not spans:
        return mentions
    return [m for m in mentions if not any(a <= m.start and m.end <= b for a, b in spans)]


def _peer_levels(text: str, mentions: list[PlaceMention], gazetteer: Gazetteer) -> list[PlaceMention]:
    """In a list of places (曲靖、昭通、文山、红河) the items are peers: an ambiguous item takes its peers' level, and
    between two or more units of one parent (薛城区、市中区、峄城区) that parent's unit of its name.

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
        if len(items) < 2:
            continue
        # 薛城区、市中区、峄城区: four prefectures have a 市中区; listed between 枣庄's districts it is 枣庄's
        parents = {gazetteer.unit(out[i].adcode).parent for i in items if len(gazetteer.candidates(out[i].mention)) == 1}
        if len(parents) == 1 and len(items) - sum(len(gazetteer.candidates(out[i].mention)) > 1 for i in items) >= 2:
            (parent,) = parents
            for i in items:
                m = out[i]
                siblings = [u for u in gazetteer.candidates(m.mention) if u.parent == parent]
                if len(gazetteer.candidates(m.mention)) > 1 and len(siblings) == 1 and siblings[0].adcode != m.adcode:
                    u = siblings[0]
                    out[i] = PlaceMention(u.name, m.mention, u.adcode, u.level, m.start, m.end,
                                          f"“{m.mention}”列于{gazetteer.unit(parent).name}所辖地名之间，取{u.name}")
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


def _mark_qualifiers(mentions: list[PlaceMention], gazetteer: Gazetteer) -> list[PlaceMention]:
    """A unit written right before a unit it holds (甘孜藏族自治州康定市, 酒泉市肃州区, 陕西商洛市, 上海市宝山区) names
    both: it stays a place, marked ``via="qualifier"`` so that the rules take the unit after it alone as a member or
    a link's end (issue #19: the corpus labels the province of 陕西商洛市 a place, as it does the prefecture).
    """
    kept = []
    for m, after in itertools.zip_longest(mentions, mentions[1:]):
        qualifies = (after is not None and after.start == m.end and not m.via and after.adcode != m.adcode
                     and gazetteer.contains(m.adcode, after.adcode))
        kept.append(m if not qualifies else PlaceMention(
            m.name, m.mention, m.adcode, m.level, m.start, m.end,
            f"“{m.mention}”写在其所辖的“{after.mention}”之前：两者都是地名", "qualifier"))
    return kept


def _longest_matches(text: str, auto: ahocorasick.Automaton, *, with_hits: bool = False):
    """Leftmost-longest, non-overlapping matches of the automaton in text (and, ``with_hits``, every hit, sorted
    by start, longest first, as a second value)."""
    hits = sorted(((end - len(form) + 1, end + 1, form, adcodes) for end, (form, adcodes) in auto.iter(text)),
                  key=lambda h: (h[0], -(h[1] - h[0])))
    chosen, pos = [], 0
    for start, end, form, adcodes in hits:
        if start >= pos:
            chosen.append((start, end, form, adcodes))
            pos = end
    return (chosen, hits) if with_hits else chosen


def short_name_matches(text: str, gazetteer: Gazetteer) -> list[tuple[int, int, str, tuple[str, ...]]]:
    """Every written form of a unit in ``text`` (leftmost-longest) that is no everyday word (建设, 民主 …), before
    any filter of what follows it: the raw names a reader of the whole text weighs (马边 of 马边河)."""
    return [(s, e, form, adcodes) for s, e, form, adcodes in _longest_matches(text, _automaton(gazetteer))
            if len(form) >= 2 and adcodes and form not in COMMON_WORD_FORMS and not _everyday_word(form)]


def segment_cuts(text: str, start: int, end: int) -> bool:
    """Does a word of the text (the segmenter's reading) cross either end of text[start:end] (三河|口: 河口)?"""
    return _word_crosses(text, start, end, "start") or _word_crosses(text, start, end, "end")


def _shifted_match(text: str, hits: list, matches: list, index: int, gazetteer: Gazetteer):
    """The name a rejected match hid: the longest hit that starts inside it, runs past its end and stops before
    the next match, written in full with its suffix (和龙|龙岗区: 龙岗区), else None.

    Only a full name, and one that no word of the text cuts at its start: a short form that overlaps a rejected
    word is no stronger than the word, and 滨海城市带 holds no 海城市."""
    start, end = matches[index][0], matches[index][1]
    limit = matches[index + 1][0] if index + 1 < len(matches) else len(text)
    for s, e, form, adcodes in hits:
        if start < s < end < e <= limit and adcodes and any(gazetteer.unit(a).name == form for a in adcodes) \
                and len(form) > 2 and not _word_crosses(text, s, e, "start"):
            return s, e, form, adcodes  # (滨海城市带: 滨海 is a word that 海城市 would cut)
    return None


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
    if _INSTITUTION_AFTER.match(text[end : end + 14]) or _MEDIA_AFTER.match(text, end):
        return True  # 天津市城市规划设计研究院, 中山大学, 浙江在线: an institution or outlet named after the place
    if not full_name and jurisdiction in adcodes and _NATURAL_AFTER.match(text[end:]) \
            and not _word_crosses(text, start, end, "start"):
        # 马边河 in 马边彝族自治县's plan: the county's own river names the county (the corpus labels it so), unless a
        # word cuts the name (沿海城河 in 海城's plan: 沿海 is the word, 海城河 a river read no further)
        return False
    if full_name and form in _GENERIC_FULL_NAMES and start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff" \
            and not any(e == start and any(gazetteer.contains(p, a) for p in prev for a in adcodes)
                        for _, e, _, prev in matches):
        return True  # 南太武滨海新区, 阳江滨海新区: another area's zone (天津滨海新区 is Tianjin's own)
    # 城区, 郊区, 矿区 are full names of units in Shanxi, and words everywhere. Two-character full names
    # (范县, 和县, 丰县) hide inside words too (示范县, 县和县之间, 和丰县): they need the evidence short forms need.
    if full_name and _split_by_words(text, start, end):
        return True  # 形成都市圈: 成都市 read across 形成 and 都市, two words that are no place
    if full_name and form not in COMMON_WORD_FORMS and form not in _GENERIC_DISTRICTS and len(form) > 2:
        return False
    if not full_name and _inside_longer_word(text, start, end):
        return True  # 千佛山, 中山大学: the short name is a piece of another proper name
    after = text[end:]
    if not full_name and _named_by_surroundings(text, start, end, form, after, units, gazetteer, jurisdiction,
                                                matches, index):
        return True  # 长安镇, 城北组团 (no plan's area to tell), 华北平原, 东至海安市, 桐梓县的新华
    if not full_name and _among_landforms(text, start, end, form, matches):
        return True  # 固城湖—花山—游子山: a mountain in a chain of mountains and lakes, not 花山区
    if not full_name and form[-1] + after[:1] in _OVERLAP_WORDS:
        return True  # 最北海岸线, 滇黔南亚: the name's last character starts another word
    in_list = _in_place_list(text, start, end, matches, index)
    suffixed = _suffix_fits(after, form, units)
    own = bool(jurisdiction) and any(a == jurisdiction or gazetteer.contains(a, jurisdiction) for a in adcodes)
    zone = _PROVINCE_ZONE_AFTER.match(after) is not None and any(u.level == "province" for u in units)
    if form in COMMON_WORD_FORMS and not (in_list or own or zone
                                          or (suffixed and not after.startswith(_REGION_SUFFIXES))):
        # 滨海地区, 通道沿线: a word with a region word after it is still the word; but the plan's own unit (海南 in
        # 海南's plan) and a province's free-trade port (海南自由贸易港) are that unit
        return True
    if not full_name and not suffixed and _straddles_word(text, start, end):
        return True  # 中南华南 (南华), 湛茂阳城镇 (阳城): the name's last character begins a word
    if not full_name and _NATURAL_AFTER.match(after):
        return True  # 贺兰山, 科尔沁草原, 太湖流域, 金沙江: a mountain, grassland, lake or river of that name
    if not full_name and _DIRECTION_FORM.fullmatch(form) and not text.startswith(("县", "市", "区"), end) and not (
            jurisdiction and in_list and any(gazetteer.contains(jurisdiction, u.adcode) for u in units)
            and _in_place_list_of(text, start, end, matches, index, lambda a: gazetteer.contains(jurisdiction, a))):
        # 南部地区, 东部、南部和西部: directions, even in a list (南部县 is written with 县); but 南岸、江北、渝中 in
        # 重庆's plan lists its own districts: 江北 is one of them
        return True
    if not full_name and _is_region_among_regions(text, start, end, form, gazetteer):
        return True  # 长株潭、洞庭湖、湘南、湘西四大区域板块: 湘西 is a region of Hunan like 湘南, not 湘西州
    if not full_name and (_TITLE_BEFORE.search(text, max(0, start - 4), start) or _SPEECH_AFTER.match(after)):
        return True  # 省长何宁卡, 尹弘指出: a person's name, not a place
    # bare: no suffix of its own (老城片区, 寻乌等地: a region word after it vouches for no far unit)
    bare = not full_name and not (suffixed and not after.startswith(_REGION_SUFFIXES))
    if bare and len(form) == 2 and all(u.level == "county" for u in units) and not in_list \
            and (_segmenter().FREQ.get(form) or 0) >= _EVERYDAY_WORD and not _on_route(text, start, end) \
            and not (jurisdiction and any(gazetteer.contains(jurisdiction, u.adcode) for u in units)):
        return True  # 延长产业链, 太平 (a word of everyday prose, not the county outside the plan's own area)
    if (bare or len(form) == 2) and not in_list and _cuts_word(text, start, end, form, units, matches, index):
        return True  # 科技创新和产业 (新和), 惠民生 (惠民), 医疗集团和县域 (和县): the name cuts through a word
        # (listed beside another place, a name is one: 以德钦、维西 is no 以德, 凯里—麻江中心城区 no 江中)
    if bare and all(u.level == "county" for u in units) and _opens_longer_word(text, start, end, form, gazetteer):
        return True  # 友好城市, 宏伟蓝图, 大通关: the name is the head of an everyday word
    if jurisdiction and (bare or form in _GENERIC_DISTRICTS) and all(_far(gazetteer, u, jurisdiction) for u in units):
        if _LOCAL_AFTER.match(after) or in_list_of_parts(after):
            return True  # 栖霞龙潭街道, 麒麟科技城, 湖南路; 朝阳、江北、河西三个组团: the plan's own parts of that name
        if len(form) == 2 and _among_unknown_names(text, start, end, matches, index):
            return True  # 晶桥、阳江、砖墙 (towns of 南京's 高淳): listed between names that are no units
        if (len(form) == 2 or form in _GENERIC_DISTRICTS) and all(u.level == "county" for u in units) \
                and not _far_evidence(text, start, end, units, gazetteer, jurisdiction, matches, index,
                                      weak=form not in COMMON_WORD_FORMS):
            return True  # a far unit's two-character name, written bare with nothing to vouch for it
    if all(u.level == "county" for u in units) and jurisdiction:
        # a county-level city under the province itself (济源) is a peer of its prefectures there
        near = any(is_near(gazetteer, u.adcode, jurisdiction) or (
            directly_governed(u) and u.province == gazetteer.unit(jurisdiction).province) for u in units)
        if not near and not (in_list or suffixed or _on_route(text, start, end) or (len(form) >= 3 and _far_evidence(
                text, start, end, units, gazetteer, jurisdiction, matches, index))
                or _owner_before(matches, index, units, gazetteer)):
            # a bare county short name far from the plan's region is more likely a word, unless something vouches
            # for it: its route, or for a name of three characters or more (no everyday word) its province
            # before it or a link verb (推动苏州工业园区与霍尔果斯合作)
            return True
    return False


def _owner_before(matches: list, index: int, units: Sequence[Unit], gazetteer: Gazetteer) -> bool:
    """Is the name written right after a unit holding it (香港葵青港, 河源龙川): its owner vouches for it, near or far
    (issue #19, class 6: a prefecture before its county names both)?"""
    if index == 0 or matches[index - 1][1] != matches[index][0]:
        return False
    owners = matches[index - 1][3]
    return any(gazetteer.contains(o, u.adcode) and o != u.adcode for o in owners for u in units)


def _named_by_surroundings(text: str, start: int, end: int, form: str, after: str, units: Sequence[Unit],
                           gazetteer: Gazetteer, jurisdiction: str | None, matches: list, index: int) -> bool:
    """A short name the words around it make a town, a part of the plan's area, a landform or a boundary's
    direction (`geo.places.surroundings`), or one a unit written right before it owns (桐梓县的新华: no county
    新华 lies in 桐梓县, so 新华 is a town of it)."""
    if town_after(after) or landform_after(form, text, start, end, _segmenter().FREQ) or boundary_direction(text, start, end):
        return True
    if jurisdiction is None and (part_after(after) or in_list_of_parts(after)):
        return True  # with no plan's area to tell near from far, a 组团 or 片区 of that name is the plan's own
    if index > 0:
        _s, e, f, prev = matches[index - 1]
        gap = text[e:start]
        owners = [gazetteer.unit(a) for a in prev if gazetteer.unit(a).name == f and gazetteer.unit(a).level != "province"]
        if gap in ("", "的") and owners and not any(gazetteer.contains(o.adcode, u.adcode) for o in owners for u in units):
            return True
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


# A province's free-trade port or zone (海南自由贸易港, 上海自贸区): the province, whatever else its short name means.
_PROVINCE_ZONE_AFTER = re.compile(r"(?:自由贸易港|自贸港|自由贸易试验区|自贸试验区|自贸区)")
# A news outlet or a newspaper named after a place (浙江在线5月20日讯, 海南日报): the outlet, not the place.
_MEDIA_AFTER = re.compile(r"(?:在线(?![\u4e00-\u9fff])|在线[讯网]|日报|晚报|新闻网|卫视|广播电视台|融媒体中心)")
# (上海在线新经济 is 上海's economy: 在线 names the outlet only before a date line, 讯 or 网)
# A zone keeping the name its unit no longer bears (杨凌示范区: the district is 杨陵区): the zone, not the unit.
_ZONE_AFTER = re.compile(r"(?:农业高新技术产业)?(?:示范区|高新区|开发区|试验区|新区)")


# Full names that are also generic terms: at the end of a longer name they are that name's (南太武滨海新区).
_GENERIC_FULL_NAMES = frozenset({"滨海新区", "高新区", "新区", "城区", "郊区", "矿区", "开发区"})
# Region words after a common-word form do not make it a place (滨海地区 is the coast).
_REGION_SUFFIXES = ("地区", "一带", "片区", "方向", "等地", "境内")
# Short forms that are direction or region words (南部 of 南部县; 江北, 江南, 中原): a place only with the suffix.
_DIRECTION_FORM = re.compile(r"[东西南北中]{1,2}部?|江[南北东]|河[东西]|中原|[东南]海")  # 南海, 东海: the seas
# A short form followed by one of these is a natural feature bearing the name (贺兰山 is no 贺兰县).
_NATURAL_AFTER = re.compile(r"^(?:[\u4e00-\u9fff]{1,2}(?=林区|林海|草原|山脉|沙漠|沙地|湿地|森林|峡谷|高原|盆地|平原))?"
                            r"(?:山(?![区市县])|山脉|山系|草原|平原|盆地|高原|沙漠|沙地|湿地|森林|林区|林海|峡谷|流域|水系|航道|"
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


def _everyday_word(word: str) -> bool:
    """Is ``word`` an everyday word of policy prose (jieba frequency ≥ `_EVERYDAY_WORD`: 新建, 延长)?"""
    return (_segmenter().FREQ.get(word) or 0) >= _EVERYDAY_WORD


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


def _listed_among_counties(text: str, start: int, end: int, matches: list, index: int, gazetteer: Gazetteer) -> bool:
    """Is the match listed (、和及与—) right beside a name that can only be a county-level unit? Items of a list are
    peers: a former prefecture's name among counties is the county-level unit that kept it."""
    sep = re.compile(r"^[、，,和及与—\-–]$")
    beside = []
    if index > 0 and matches[index - 1][1] == start - 1 and sep.match(text[start - 1]):
        beside.append(matches[index - 1][3])
    if index + 1 < len(matches) and matches[index + 1][0] == end + 1 and sep.match(text[end]):
        beside.append(matches[index + 1][3])
    return bool(beside) and all(codes and all(gazetteer.unit(a).level == "county" for a in codes) for codes in beside)


def _on_route(text: str, start: int, end: int) -> bool:
    """Is the name a stop of a route written A经B至C or B至C (…经金堂至成都城际铁路)?"""
    before, after = text[max(0, start - 1) : start], text[end : end + 1]
    return after == "至" or before == "至" or (before == "经" and "至" in text[end : end + 12])


def _in_place_list_of(text: str, start: int, end: int, matches: list, index: int, keep) -> bool:
    """Is the match listed (、，和及与) beside a place none of whose readings is a direction, one that ``keep``
    accepts (a unit inside the plan's area)?"""
    for j in (index - 1, index + 1):
        if not 0 <= j < len(matches):
            continue
        s, e, f, adcodes = matches[j]
        gap = text[e:start] if j < index else text[end:s]
        if len(gap) == 1 and gap in "、，,和及与" and not _DIRECTION_FORM.fullmatch(f) and any(keep(a) for a in adcodes):
            return True
    return False


def _in_place_list(text: str, start: int, end: int, matches: list, index: int) -> bool:
    """Is this match one item of a list of places (X、Y、Z / X和Y / X—Y / X至Y)?"""
    sep = re.compile(r"^[、，,和及与至—\-–~～]$")
    prev_ok = index > 0 and matches[index - 1][1] == start - 1 and sep.match(text[start - 1])
    next_ok = index + 1 < len(matches) and matches[index + 1][0] == end + 1 and sep.match(text[end])
    return bool(prev_ok or next_ok)



# --------------------------------------------------------------------------- far places and cut words (issue #18)

# Full names that are also generic words of a city's parts (精彩活力新城区, 老城区): far from the plan they are
# its own new or old town, unless qualified (西安市新城区) or listed with places that vouch for them.
_GENERIC_DISTRICTS = frozenset({"新城区", "老城区", "城区", "郊区", "矿区", "城中区", "城东区", "城西区", "城南区",
                                "城北区", "市中区"})
# Words after a name that make a part of that unit (海城中心城区, 马边县城区): they belong to the name, so the name's last
# character starting a commoner word (城|中心: 城中) cuts nothing, and a river of the name elsewhere (海城河) leaves it.
_UNIT_PART_AFTER = re.compile(r"(?:中心城区|中心城市|中心城|主城区|主城|城区|老城区|老城|新城|新区|县城|市区)")
# After a far unit's bare name, a word for a part of the plan's own area: the name is that street, road or town's.
_LOCAL_AFTER = re.compile(r"^(?:街道|科技城|新城|片区|组团|镇|乡|社区|街区|商圈|路(?![线径网段])|大街|大道|街(?!区))")
# Link words: a far place named as a partner (与惠民县合作, 对接宁波, 与寻乌和巫山等地支援协作).
_PARTNER_BEFORE = re.compile(r"对接|联动|辐射|支援|帮扶|携手|结对|援建|对口|协作|链接|面向")
_PARTNER_AFTER = re.compile(r"合作|对接|联动|协作|共建|支援|帮扶|交流|协同|结对|互动|援助|共享")
_SENTENCE_END = re.compile(r"[。；;！？!?\n]")
_FAR_KM = 300  # a unit of the plan's own province within this distance of the plan's seat is near



def _far(gazetteer: Gazetteer, unit: Unit, jurisdiction: str) -> bool:
    """Far from the plan: not near it (`is_near`), and outside its province or more than 300 km from its seat.

    Provincial capitals are never far: a bare 南京 or 成都 is the city wherever the plan is."""
    if unit.adcode in provincial_capitals(gazetteer) or is_near(gazetteer, unit.adcode, jurisdiction):
        return False
    juris = gazetteer.unit(jurisdiction)
    return not (unit.province == juris.province and (directly_governed(unit) or km(unit.seat, juris.seat) <= _FAR_KM))


def _far_evidence(text: str, start: int, end: int, units: Sequence[Unit], gazetteer: Gazetteer, jurisdiction: str,
                  matches: list, index: int, *, weak: bool = True) -> bool:
    """What makes a far unit's bare two-character name a place: a route, its province or parent written before
    it, its full name elsewhere in the text, a listed place that vouches for it, or (weak evidence, not for a
    name that is also an everyday word: 港口) a partner's link words."""
    if _on_route(text, start, end):
        return True  # 经金堂至成都
    before, after = text[max(0, start - 30) : start], text[end : end + 30]
    for u in units:
        for anc in gazetteer.ancestors(u.adcode):
            if any(len(f) >= 2 and f in before[-12:] for f in (anc.name, *anc.short_names)):
                return True  # 陕西商洛, 吉林龙潭: the province or prefecture it lies in, just before it
        if u.name not in _GENERIC_DISTRICTS and (u.name in text[:start] or u.name in text[end:]):
            return True  # 陕西商洛市 … 助推商洛电子科技: written in full in the same text
    if weak and _far_list_length(text, matches, index, gazetteer, jurisdiction) >= 3:
        return True  # 继南京、福州、成都都市圈之后 (a plan of 西安): one of three or more far places listed together
    for j in (index - 1, index + 1):
        if not 0 <= j < len(matches):
            continue
        s, e, f, adcodes = matches[j]
        gap = text[e:start] if j < index else text[end:s]
        if len(gap) != 1 or gap not in "、，,和及与—-–":
            continue
        others = [gazetteer.unit(a) for a in adcodes]
        strong = any(v.name == f or v.level == "province" for v in others) or len(f) >= 3 \
            or _suffix_fits(text[e:], f, others)
        for v in others:
            vouches = strong or not _far(gazetteer, v, jurisdiction)
            if vouches and any(
                    v.adcode != u.adcode and (v.province == u.province or units_touch(gazetteer, v.adcode, u.adcode))
                    for u in units):
                return True  # 辐射马鞍山、芜湖; 联动宣城、黄山 (not 栖霞龙潭、浦口: 浦口 vouches for no 吉林 district)
    if not weak:
        return False
    head = _SENTENCE_END.split(before)[-1]
    tail = _SENTENCE_END.split(after)[0]
    return bool((re.search(r"[与同]", head) and _PARTNER_AFTER.search(tail)) or _PARTNER_BEFORE.search(head))


_EVERYDAY_WORD = 1000  # jieba frequency above which a county's bare two-character name is an everyday word (延长 1229)
_RARE_WORD = 20  # jieba frequency below which a pair of characters is no everyday word to cut a name with


def _cuts_word(text: str, start: int, end: int, form: str, units: Sequence[Unit], matches: list,
               index: int) -> bool:
    """Does a dictionary word more common than the name cross one of its ends (创新|和, 惠|民生, 集团和|县域)?

    jieba's word frequencies decide: the name counts as a word with its own frequency (惠民 105 < 民生 452). A
    place written right before or after (江西南昌: 西南) leaves that end alone; a word made of the last
    character and a suffix (惠州市: 州市) is the suffix's.
    """
    freq = _segmenter().FREQ
    # a crossing word must be a real word, not a rare pair of characters: 办好旺苍 (好旺 3 > 旺苍 2) keeps 旺苍
    own = max(freq.get(form) or 0, _RARE_WORD)
    # a county's name is weighed against the words it may cut (惠民 105 < 民生 452); a city's or a province's
    # only by the segmenter's reading (以上海为中心: 以/上海/为, though 以上 is the commoner word)
    weigh = all(u.level == "county" for u in units)
    prev_place = index > 0 and matches[index - 1][1] == start
    next_place = (index + 1 < len(matches) and matches[index + 1][0] == end) or bool(_UNIT_PART_AFTER.match(text, end))
    if (not prev_place and _word_crosses(text, start, end, "start")) or (
            not next_place and text[end : end + 1] not in "市县区州旗盟省" and _word_crosses(text, start, end, "end")):
        return True  # the segmenter's own reading: 科技/创新/和/产业, 集团/和/县域
    if weigh and not prev_place and start > 0:
        for k in (1, 2):
            for j in range(1, len(form)):
                w = text[max(0, start - k) : start + j]
                if len(w) == k + j and _is_han(w) and (freq.get(w) or 0) > own:
                    return True
    if weigh and not next_place and end < len(text) and text[end] not in "市县区州旗盟省":
        for i in range(1, len(form)):
            for k in (1, 2):
                w = text[start + i : end + k]
                if len(w) == len(form) - i + k and _is_han(w) and w[-1] not in "市县区州旗盟省" \
                        and (freq.get(w) or 0) > own:
                    return True
    return False


def _is_han(s: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in s)


def _opens_longer_word(text: str, start: int, end: int, form: str, gazetteer: Gazetteer) -> bool:
    """Does the segmenter read the name as the head of a longer everyday word (友好城市, 宏伟蓝图, 大通关)?"""
    if end >= len(text) or not _is_han(text[end]) or text[end] in "市县区州旗盟省人":
        return False
    left = max(0, start - _WORD_WINDOW)
    for word, w_start, w_end in _segmenter().tokenize(text[left : end + _WORD_WINDOW], HMM=False):
        if w_start == start - left and w_end > end - left:
            return len(word) >= 3 and not gazetteer.candidates(word) and not _INSTITUTION_AFTER.match(word)
    return False


def _split_by_words(text: str, start: int, end: int) -> bool:
    """Does the segmenter read a span as the tail of a word begun before it and a word that covers the rest of it
    (形成|都市圈: 成都市 is 成 of 形成 and 都市)?"""
    if start == 0 or not _is_han(text[start - 1]):
        return False
    left = max(0, start - _WORD_WINDOW)
    tokens = list(_segmenter().tokenize(text[left : end + _WORD_WINDOW], HMM=False))
    s, e = start - left, end - left
    for word, w_start, w_end in tokens:
        if len(word) >= 2 and w_start < s < w_end < e:
            return any(w2_start == w_end and w2_end >= e and len(w2) >= 2 for w2, w2_start, w2_end in tokens)
    return False


def _word_crosses(text: str, start: int, end: int, side: str) -> bool:
    """Does the segmenter read a word across one end of a span: begun before it and ending inside it (创新|和),
    or begun inside it and running past it (集团和|县域)? A word that holds the whole span (上海港, 台湾同胞)
    does not cut it."""
    pos = start if side == "start" else end
    if pos == 0 or not _is_han(text[pos - 1]) or not _is_han(text[pos : pos + 1]):
        return False
    left = max(0, start - _WORD_WINDOW)
    s, e = start - left, end - left
    for word, w_start, w_end in _segmenter().tokenize(text[left : end + _WORD_WINDOW], HMM=False):
        if len(word) >= 2 and (w_start < s < w_end < e if side == "start" else s < w_start < e < w_end) \
                and not (side == "start" and word[0] == "一"):  # 关中一天水: 一 for a dash, not 一天
            return True
    return False


def _far_list_length(text: str, matches: list, index: int, gazetteer: Gazetteer, jurisdiction: str) -> int:
    """How many far places form the list (names joined by 、，和及与—) that holds match index: 溧水—溧阳、龙潭
    lists one (溧水 and 溧阳 are the plan's neighbours), 南京、福州、成都 in a plan of 西安 three."""
    def joined(a: int, b: int) -> bool:
        gap = text[matches[a][1] : matches[b][0]]
        return len(gap) == 1 and gap in "、，,和及与—-–"
    lo = hi = index
    while lo > 0 and joined(lo - 1, lo):
        lo -= 1
    while hi + 1 < len(matches) and joined(hi, hi + 1):
        hi += 1
    return sum(1 for _, _, _, adcodes in matches[lo : hi + 1] if adcodes and all(
        not is_near(gazetteer, a, jurisdiction) and not (gazetteer.unit(a).province == gazetteer.unit(jurisdiction).province
                                                          and km(gazetteer.unit(a).seat, gazetteer.unit(jurisdiction).seat) <= _FAR_KM)
        for a in adcodes))


def _among_unknown_names(text: str, start: int, end: int, matches: list, index: int) -> bool:
    """Is the name listed (、) between two short names that match no unit (晶桥、阳江、砖墙)?"""
    before = re.search(r"(?:^|[^\u4e00-\u9fff])([\u4e00-\u9fff]{2,3})、$", text[max(0, start - 5) : start])
    after = re.match(r"、([\u4e00-\u9fff]{2,3})(?:[、，,。；;等]|$)", text[end : end + 6])
    if not before or not after:
        return False
    b0, a0 = start - 1 - len(before.group(1)), end + 1
    return not any(s < start and e > b0 for s, e, _, _ in matches[:index]) and not any(
        s < a0 + len(after.group(1)) and e > a0 for s, e, _, _ in matches[index + 1 :])


# The last character of a mountain's, lake's or river's name, and the marks that chain or list such names.
_LANDFORM_END = "山岭峰湖江河溪泉岛"
_NEIGHBOUR_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,5})[—–－、]$")
_NEIGHBOUR_AFTER = re.compile(r"[—–－、]([\u4e00-\u9fff]{2,5}?)(?=[—–－、，,。；;等和及]|$)")


def _among_landforms(text: str, start: int, end: int, form: str, matches: list) -> bool:
    """Is a short name ending in 山 or 湖 chained or listed beside a mountain or lake that is no unit (固城湖—花山—
    游子山: 花山 is that mountain, not 马鞍山's 花山区, however near)? A neighbour that is a unit (马鞍山、黄山)
    is no evidence."""
    if form[-1] not in "山岭峰湖":
        return False
    before = _NEIGHBOUR_BEFORE.search(text, max(0, start - 6), start)
    after = _NEIGHBOUR_AFTER.match(text, end, min(len(text), end + 7))
    spans = []
    if before:
        spans.append((before.start(1), before.end(1)))
    if after:
        spans.append((after.start(1), after.end(1)))
    return any(text[e - 1] in _LANDFORM_END and not any(ms < e and me > s for ms, me, _, _ in matches)
               for s, e in spans)
