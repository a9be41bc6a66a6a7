"""Places and structure slogans inside clause text: admin-unit names, abbreviation clusters, 一核两翼三区.

Place names are found with one Aho-Corasick automaton over every written form the gazetteer knows
(full names and short forms), leftmost-longest, then filtered: a short form that is also an ordinary
word (合作, 振兴, 新兴 …) counts only when written with its suffix or in a list of places, and a
county outside the plan's region needs the same evidence. Each place is resolved by the gazetteer
against the plan's jurisdiction and the clause's other places, and carries the reason.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import ahocorasick

from geo.gazetteer import COMMON_WORD_FORMS as GAZETTEER_COMMON_WORDS
from geo.gazetteer import Gazetteer, Unit

# Short forms that are also everyday words in policy prose: the gazetteer's list, plus those that real
# plans have shown to clash. Written with their suffix (合作市, 振兴区) they are places; bare, they are words.
COMMON_WORD_FORMS: frozenset[str] = GAZETTEER_COMMON_WORDS | frozenset(
    ["振兴", "解放", "复兴", "开放", "富裕", "富民", "安全", "安定", "安居", "长治", "共和", "中方", "建设", "工农", "团结", "和顺", "保康", "临港", "宁安", "大安", "永安", "长宁", "和龙", "西湖", "东湖", "南湖", "北湖", "金山", "宝山", "龙华", "金川", "石林", "江口", "普安", "平和", "民和", "兴业", "文化", "安宁", "海港", "港口", "示范", "高坪", "城步", "永昌", "江城", "东山", "西山", "南山", "北山", "海东", "海西", "海南", "海北", "丰都", "明光", "长丰", "文山", "红河", "平山", "湘东", "松山", "先锋", "通道", "沿河", "滨海", "清河", "城区", "郊区", "矿区", "中区", "永和", "太和", "新区", "新建", "资源", "会同", "和政", "合水", "新平", "亚东"]
)
# A short form that is also a common word still counts when one of these follows it.
_PLACE_SUFFIX_AFTER = re.compile(r"^(?:县|市|区|州|旗|盟|等地|一带|境内|片区|地区|方向)")

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
    "水": ("520200",), "锡": ("320200",), "莞": ("441900",), "深": ("440300",),
}
# A cluster of one-character abbreviations is a place only in these settings: quoted, or followed by
# a word that names a grouping of places (毕水兴煤层气, 成渝地区, 川滇黔十四市).
_CLUSTER_AFTER = re.compile(
    r"^(?:[”\"]|一体化|地区|经济|城市|都市|双城|合作|协同|同城|高速|铁路|城际|客专|高铁|环线|通道|两省|三省|四省|"
    r"两市|三市|四市|十四市|煤层气|结合|毗邻|交界|边界|片区|走廊|大通道|物流)"
)

FORMER_NAMES: dict[str, str] = {
    # Renamed prefectures people still write; the map shows today's unit and says so.
    "襄樊": "420600", "思茅": "530800", "巢湖": "340100", "达县": "511700", "自贡市": "510300",
    "北海道": "", "简阳": "510185",
}


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
    for former, adcode in FORMER_NAMES.items():
        if adcode and former not in forms:
            forms[former] = (adcode,)
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
    >>> from geo.gazetteer import load_gazetteer
    >>> [p.name for p in find_places("做强“麒沾马”中心城市，提升宣威副中心", load_gazetteer(), jurisdiction="530300")]
    ['麒麟区', '沾益区', '马龙区', '宣威市']
    """
    matches = _longest_matches(text, _automaton(gazetteer))
    accepted: list[tuple[int, int, str, tuple[str, ...]]] = []
    for i, (start, end, form, adcodes) in enumerate(matches):
        if _is_word_not_place(text, start, end, form, adcodes, gazetteer, jurisdiction, matches, i):
            continue
        accepted.append((start, end, form, adcodes))
    clause_context = list(context)
    mentions: list[PlaceMention] = []
    # Resolve unambiguous names first so that they can settle the ambiguous ones in the same text.
    for start, end, form, adcodes in accepted:
        if len(adcodes) == 1:
            clause_context.append(adcodes[0])
    for start, end, form, adcodes in accepted:
        res = gazetteer.resolve(form, jurisdiction=jurisdiction, context=clause_context)
        if res is None and form in FORMER_NAMES:
            unit = gazetteer.unit(FORMER_NAMES[form])
            mentions.append(PlaceMention(unit.name, form, unit.adcode, unit.level, start, end,
                                         f"“{form}”是{unit.name}的旧称", "former name"))
            continue
        if res is None:
            continue
        mentions.append(PlaceMention(res.unit.name, form, res.unit.adcode, res.unit.level, start, end, res.reason))
    covered = [(m.start, m.end) for m in mentions]
    for cluster in _find_clusters(text, gazetteer, jurisdiction, clause_context, covered):
        mentions.extend(cluster)
    mentions.sort(key=lambda m: (m.start, m.end))
    return mentions


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
    full_name = any(gazetteer.unit(a).name == form for a in adcodes)
    if full_name and form not in COMMON_WORD_FORMS:
        return False  # 城区, 郊区, 矿区 are full names of units in Shanxi, and words everywhere
    after = text[end:]
    in_list = _in_place_list(text, start, end, matches, index)
    if form in COMMON_WORD_FORMS and not (_PLACE_SUFFIX_AFTER.match(after) or in_list):
        return True
    units = [gazetteer.unit(a) for a in adcodes]
    if all(u.level == "county" for u in units) and jurisdiction:
        near = any(_is_near(gazetteer, u.adcode, jurisdiction) for u in units)
        if not near and not (in_list or _PLACE_SUFFIX_AFTER.match(after)):
            return True  # a bare county short name far from the plan's region is more likely a word
    return False


def _in_place_list(text: str, start: int, end: int, matches: list, index: int) -> bool:
    """Is this match one item of a list of places (X、Y、Z / X和Y / X—Y)?"""
    sep = re.compile(r"^[、，,和及与—\-–~～]$")
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
    for start, end in _iter_cluster_heads(text):
        candidates.append((start, end, False))
    for known in KNOWN_CLUSTERS:
        candidates += [(m.start(), m.end(), False) for m in re.finditer(known, text)]
    seen: set[tuple[int, int]] = set()
    for start, end, quoted in sorted(candidates, key=lambda c: (c[0], -(c[1] - c[0]))):
        if (start, end) in seen or any(s < end and start < e for s, e in covered):
            continue
        seen.add((start, end))
        members = _resolve_cluster(text[start:end], gazetteer, jurisdiction, context, quoted)
        if members is None:
            continue
        written = text[start:end]
        reason = f"“{written}”是简称组合：" + "、".join(f"{ch}→{u.name}" for ch, u in zip(written, members))
        out.append([PlaceMention(u.name, written, u.adcode, u.level, start, end, reason, "cluster") for u in members])
        covered.append((start, end))
    return out


def _iter_cluster_heads(text: str) -> Iterable[tuple[int, int]]:
    """Spans of 2-4 characters directly before a grouping word (成渝地区, 毕水兴煤层气, 川滇黔物流)."""
    for m in re.finditer(r"[\u4e00-\u9fff]{2,6}", text):
        run = m.group(0)
        for size in (4, 3, 2):
            for i in range(len(run) - size + 1):
                if _CLUSTER_AFTER.match(text[m.start() + i + size:]):
                    yield (m.start() + i, m.start() + i + size)


# Two-character runs that look like abbreviation clusters but are words (长江 is a river, not 长沙+江门).
CLUSTER_LOOKALIKES: frozenset[str] = frozenset(
    ["长江", "黄河", "珠江", "重大", "东北", "西北", "华北", "西南", "华南", "华东", "华中", "中原", "江南", "江北", "南北", "东西", "东南", "大湾", "西部", "东部", "中部", "北部", "南部", "全国", "中国", "国际", "实施", "长期", "重点", "大力", "广大", "沿海", "沿边", "内陆", "城乡", "山区", "平原", "丘陵", "全省", "全市", "各市", "两市", "六市"]
)
# Clusters whose reading is settled by usage rather than by their characters (兴 could be 兴仁 or 兴义).
KNOWN_CLUSTERS: dict[str, tuple[str, ...]] = {"毕水兴": ("520500", "520200", "522301")}


def _resolve_cluster(written: str, gazetteer: Gazetteer, jurisdiction: str | None,
                     context: Sequence[str], quoted: bool = False) -> list[Unit] | None:
    """Members of an abbreviation cluster, each character resolved, or None if any does not resolve.

    A character stands for a unit in CHAR_ABBREVIATIONS (黔 = 贵州, 渝 = 重庆), or a prefecture whose name
    starts with it (昆 = 昆明), or, in a quoted or three-character cluster, a county of the jurisdiction
    (麒沾马 = 麒麟, 沾益, 马龙). Explicit abbreviations win, then units inside the jurisdiction, then units in
    the same province as the jurisdiction or the other members, then higher levels.
    """
    if written in KNOWN_CLUSTERS:
        return [gazetteer.unit(a) for a in KNOWN_CLUSTERS[written]]
    if written in CLUSTER_LOOKALIKES:
        return None
    counties_allowed = quoted  # unquoted runs (实施长江 …) are too often words: prefectures and provinces only
    per_char: list[list[tuple[bool, Unit]]] = []
    for ch in written:
        cands = [(True, gazetteer.unit(a)) for a in CHAR_ABBREVIATIONS.get(ch, ()) if a in gazetteer.units]
        if jurisdiction and counties_allowed:
            cands += [(False, u) for u in _descendants(gazetteer, jurisdiction) if u.name.startswith(ch)]
        cands += [(False, u) for u in _prefectures_starting_with(gazetteer, ch)]
        if not cands:
            return None
        per_char.append(list(dict.fromkeys(cands)))
    chosen = _best_combination(per_char, gazetteer, jurisdiction)
    if len({u.adcode for u in chosen}) < len(chosen):
        return None
    # A real cluster keeps its members close: one province, or provinces that touch.
    provinces = sorted({u.province for u in chosen})
    if len(provinces) > 1 and not all(any(p2 in gazetteer.neighbours(p1) for p2 in provinces if p2 != p1)
                                      for p1 in provinces):
        return None
    return chosen


@functools.cache
def _descendants(gazetteer: Gazetteer, adcode: str) -> tuple[Unit, ...]:
    """Every unit inside an adcode (children, grandchildren)."""
    return tuple(u for u in gazetteer.units.values() if u.adcode != adcode and gazetteer.contains(adcode, u.adcode))


@functools.cache
def _prefecture_index(gazetteer: Gazetteer) -> dict[str, tuple[Unit, ...]]:
    """First character -> prefecture-level units (and municipalities) whose name starts with it."""
    index: dict[str, list[Unit]] = {}
    for u in gazetteer.units.values():
        if u.level == "prefecture" or (u.level == "province" and u.name.endswith("市")):
            index.setdefault(u.name[0], []).append(u)
    return {k: tuple(v) for k, v in index.items()}


def _prefectures_starting_with(gazetteer: Gazetteer, ch: str) -> tuple[Unit, ...]:
    """Prefecture-level units whose name starts with a character."""
    return _prefecture_index(gazetteer).get(ch, ())


def _best_combination(per_char: list[list[tuple[bool, Unit]]], gazetteer: Gazetteer,
                      jurisdiction: str | None) -> list[Unit]:
    """Greedy choice per character by the ranking `_resolve_cluster` documents."""
    chosen: list[Unit] = []
    juris_province = gazetteer.unit(jurisdiction).province if jurisdiction else None
    for cands in per_char:
        def score(item: tuple[bool, Unit]) -> tuple:
            explicit, u = item
            inside = bool(jurisdiction) and u.adcode != jurisdiction and gazetteer.contains(jurisdiction, u.adcode)
            same_prov = u.province == juris_province or any(u.province == c.province for c in chosen)
            return (not explicit, not inside, not same_prov, {"province": 0, "prefecture": 1, "county": 2}[u.level])
        chosen.append(min(cands, key=score)[1])
    return chosen


# --- slogans ----------------------------------------------------------------------------------

# Spatial terms a structure slogan counts, longest first. Non-spatial counted words (三张牌, 两新一重,
# 五大振兴, 一盘棋, 一张图) are not here, so they never parse as structure.
SLOGAN_TERMS: tuple[str, ...] = (
    "枢纽", "园区", "中心", "组团", "通道", "片区", "板块", "廊道", "轴带", "城市", "核", "翼", "区", "主", "副",
    "极", "地", "带", "轴", "廊", "环", "射", "纵", "横", "联", "心", "圈", "群", "点", "片", "支", "屏", "团",
)
_COUNT = r"(?:[一二三四五六七八九两双]?十[一二三四五六七八九]?|[一二三四五六七八九两双多]|\d{1,2}|N)"
_PART = re.compile(rf"(?P<count>{_COUNT})(?P<term>{'|'.join(SLOGAN_TERMS)})")
# Between two parts of one slogan: nothing, punctuation and quotes, or one short verb (做优“一核”，壮大“两翼”).
_PART_GAP = re.compile(r"^[“”\"'、，,\s]*(?:[\u4e00-\u9fff]{2}[“”\"'、，,\s]*)?$")
_SLOGAN_VERB = re.compile(r"引领|支撑|带动|联动|协同|辐射|驱动|并进|发展")
_PLUS_SLOGAN = re.compile(r"(?<![\d+])(?:\d{1,2}|N)(?:\+(?:\d{1,2}|N)){1,4}(?![\d+])")


def _count_value(written: str) -> int | None:
    """Numeric value of a slogan count; None for 多 and N."""
    if written in ("多", "N"):
        return None
    if written.isdigit():
        return int(written)
    written = written.replace("两", "二").replace("双", "二")
    from geo.clauses import cn_to_int

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
        if groups and _PART_GAP.match(text[groups[-1][-1].end() : m.start()]) and m.start() - groups[-1][-1].end() <= 6:
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
        slogan_parts = tuple(
            SloganPart(_count_value(g.group("count")), g.group("term"), g.group(0)) for g in group
        )
        start, end = group[0].start(), group[-1].end()
        verb = _SLOGAN_VERB.match(text, end)
        if verb and len(group) > 1:
            end = verb.end()
        raw = text[start:end]
        # Parts spread over a sentence (做优“一核”，壮大“两翼”) read as the slogan they make: 一核两翼三区.
        written = raw if not re.search(r"[“”\"]", raw) else "".join(p.written for p in slogan_parts)
        slogans.append(Slogan(written, slogan_parts, start, end))
    for m in _PLUS_SLOGAN.finditer(text):
        if text[max(0, m.start() - 1)] in "“\"" or re.match(r"^[”\"]?\s*[\u4e00-\u9fff]", text[m.end():]):
            parts_ = tuple(SloganPart(_count_value(x), "", x) for x in m.group(0).split("+"))
            slogans.append(Slogan(m.group(0), parts_, m.start(), m.end()))
    slogans.sort(key=lambda s: s.start)
    return slogans


def _part_is_standalone(text: str, m: re.Match) -> bool:
    """Reject counts glued into longer words: 第一区, 一体化, 十四五, 一带一路's 带 etc."""
    before = text[m.start() - 1] if m.start() > 0 else ""
    after = text[m.end()] if m.end() < len(text) else ""
    if before and (before in "第每各" or (before.isdigit() and m.group("count").isdigit())):
        return False
    if m.group("term") == "带" and after == "一":
        return False  # 一带一路 is a named strategy, not a structure of belts
    # 一地方, 多点位, 一区域 … are words
    return not (m.group("term") in ("地", "心", "点", "区", "主", "片", "支", "团") and after and after in "方位下区域势")
