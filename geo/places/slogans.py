"""Structure slogans in a text (一核两翼三区, 1+5+N, 中心引领、协同支撑), each parsed into its counted parts.

Three recognisers: counted parts (一核, 两翼, 三区) joined into one slogan when only punctuation, quotes or a
short verb stand between them; counted phrases (两大城市圈, 四个周边组团); phrase slogans of four-character
phrases joined by 、 with a spatial cue; and plus-slogans (1+5+N).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.places.clusters import CHAR_ABBREVIATIONS


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

# Spatial terms a structure slogan counts, longest first. Non-spatial counted words (三张牌, 两新一重,
# 五大振兴, 一盘棋, 一张图) are not here, so they never parse as structure.
SLOGAN_TERMS: tuple[str, ...] = (
    "枢纽", "园区", "中心", "组团", "示范区", "基地", "引擎", "通道", "片区", "板块", "廊道", "走廊", "轴带", "城市", "节点", "支点", "支撑", "湾区",
    "半岛",
    "体系", "区块", "核", "翼", "区", "主", "副", "极", "地", "带", "轴", "廊", "环", "射", "纵", "横", "联", "心", "圈", "群", "点",
    "片", "支", "屏", "团", "草原", "流域", "湾", "网", "双", "县", "市", "州", "盆", "山", "城", "江", "岸", "川", "体",
    "园", "河", "湖", "溪", "瀫",
)
# Words for a river or a lake, as slogans count them (一江两岸, 一河两岸, 一湖两岸, 一溪两岸; 瀫 is a river's reach in
# 浙江's 衢江 basin, as in “一瀫四城”): landform terms.
WATER_TERMS = frozenset({"江", "河", "湖", "溪", "瀫", "川"})
# Terms that make a slogan only beside other parts (“两盆+两山”); alone (“两山”) they are another idea.
_NEVER_ALONE_TERMS = frozenset({"盆", "山", "岸", "体"}) | WATER_TERMS  # 一体 alone is 一体推进, 融为一体
# Landform terms (两山夹一川, 一江两岸): a slogan of them is quoted or named a 格局 / 结构, never a passing phrase
# (两岸三地, 三江并流).
_LANDFORM_TERMS = frozenset({"盆", "山", "岸"}) | WATER_TERMS
# Units counted as parts (两州两市, 一地六县): only in a slogan of two parts or more, never alone.
_UNIT_TERMS = frozenset({"县", "市", "州"})
# 双 is a count (双核) and, last in a part, a term of its own (一主、六双: six twin-city pairs).
_COUNT = r"(?:[一二三四五六七八九两双]?十[一二三四五六七八九]?|[一二三四五六七八九两双多]|\d{1,2}|N)"
_PART = re.compile(rf"(?P<count>{_COUNT})个?(?P<term>{'|'.join(SLOGAN_TERMS)})")  # 10个园区26个片区
# N向 counts the directions of a network of lines (九向放射线, 八向通道): only before a line's term.
_DIRECTED_TERMS = frozenset({"射", "通道", "廊道", "走廊", "轴", "廊", "轴带", "带"})
_BIG_COUNTED = re.compile(rf"(?<![第每各\d])(?P<count>[二三四五六七八九两]|十[一二三四五六七八九]?|(?<=等)\d{{1,2}})(?P<kind>大|个|向)"
                          rf"(?P<mod>[\u4e00-\u9fff]{{0,4}})[“\"]?(?P<term>{'|'.join(SLOGAN_TERMS)})(?![\u4e00-\u9fff]{{0,1}}(?:建设|发展))")
_PART_GAP = re.compile(r"^(?:[(（][\u4e00-\u9fff]{1,2}[)）])?[“”\"'、，,\s+＋]*(?:(?![的是在了个市县区州镇乡])[\u4e00-\u9fff]{1,2}[“”\"'、，,\s]*)?$")
# A parenthesis right after a part holds its items (一轴(沿江发展主轴)、两极(A-B增长极、C-D增长极)): it stands between
# two parts of one slogan, and the counts inside it are no parts.
_ITEMS_PAREN = re.compile(r"[(（][^（）()]{1,120}[)）]")
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
    item_spans = [(p.end(), p.end() + len(q.group(0))) for p in parts if (q := _ITEMS_PAREN.match(text, p.end()))]
    parts = [m for m in parts if not any(a < m.start() < b for a, b in item_spans)]  # 三屏(…“三江并流”…)
    groups: list[list[re.Match]] = []
    for m in parts:
        gap = text[groups[-1][-1].end() : m.start()] if groups else ""
        items = _ITEMS_PAREN.match(gap)
        if items:  # 一轴(沿江发展主轴)、两极: the part's items stand between it and the next part
            gap = gap[items.end() :]
        # a slogan of several parts in quotes ends at its closing quote (“两心三圈四带”,包括“两心”:…)
        closed = bool(groups) and len(groups[-1]) > 1 and gap.startswith(("”", '"')) and \
            text[groups[-1][0].start() - 1 : groups[-1][0].start()] in ("“", '"') and \
            not re.search(r"[“”\"]", text[groups[-1][0].start() : groups[-1][-1].end()])
        if groups and not closed and _PART_GAP.match(gap) and len(gap) <= 6:
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
        if _LANDFORM_TERMS & set(terms) and not (text[group[0].start() - 1 : group[0].start()] in ("“", '"')
                                                  or _PHRASE_AFTER.match(text, group[-1].end())):
            continue  # 两岸三地, 三江并流 in passing: a landform slogan (两山夹一川) is quoted or names a 格局
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
        written = raw if not re.search(r"[“”\"()（）]", raw) else "".join(p.written for p in slogan_parts)
        slogans.append(Slogan(written, slogan_parts, start, end))
    big = list(_BIG_COUNTED.finditer(text))
    for m in big:
        # 两大城市圈, 四大都市区, 三大区域增长极, 四个周边组团: a counted structure written as one phrase
        if m.group("kind") == "个" and text[m.start() - 1 : m.start()] not in ("“", '"') and any(
                o.group("kind") == "大" and o.group("count") == m.group("count") and o.group("term") == m.group("term")
                and not re.search(r"[。；;\n]", text[min(m.start(), o.start()) : max(m.end(), o.end())]) for o in big):
            continue  # A、B、C等三个组团…形成…三大城市组团: one structure, named by its N大 phrase
        if m.group("term") in _UNIT_TERMS or not _part_is_standalone(text, m) or \
                any(s.start <= m.start() < s.end or m.start() <= s.start < m.end() for s in slogans):
            continue
        if m.group("kind") == "向" and m.group("term") not in _DIRECTED_TERMS:
            continue  # 四向拓展, 多向开放: directions of growth, no structure
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
# Pairs of phrases, the pairs joined by commas (一主三副、核心带动，两带两轴、统筹城乡，山河为脉、保护生态): one slogan
# when every comma holds as many phrases (the parallel form plans write a long slogan in).
_PHRASE_GROUPS = re.compile(r"[\u4e00-\u9fff]{4}(?:、[\u4e00-\u9fff]{4}){1,3}(?:[，,][\u4e00-\u9fff]{4}(?:、[\u4e00-\u9fff]{4}){1,3}){1,4}")
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
    r"组团|廊道|通道|走廊|都市|城市|城区|县城|枢纽|门户|腹地|流域|^拥江|^跨江|^滨江|^临江|"
    r"^(?:南北|东西|[东西南北中]部)(?!地区)"  # 南北田园、中部都市: the directions of the plan's own area
)


def _phrase_slogans(text: str) -> list[Slogan]:
    """Phrase slogans: quoted, or followed by 格局 / 布局 / 结构 …, with a spatial cue in at least half the phrases."""
    out = []
    grouped = [m for m in _PHRASE_GROUPS.finditer(text) if _parallel(m.group(0))
               and m.start() > 0 and text[m.start() - 1] in "“\""]
    plain = [m for m in _PHRASE.finditer(text) if not any(g.start() <= m.start() < g.end() for g in grouped)]
    for m in sorted(grouped + plain, key=lambda m: m.start()):
        opened = m.start() > 0 and text[m.start() - 1] in "“\""
        quoted = opened and text[m.end() : m.end() + 1] in ("”", "\"")
        if not (quoted or _PHRASE_AFTER.match(text, m.end()) or (opened and m in grouped)):
            continue  # (a quote the text never closes still opens the slogan of parallel pairs)
        segments = re.split(r"[、，,]", m.group(0))
        counted_in = {seg: [g for g in _PART.finditer(seg) if _part_is_standalone(seg, g)] for seg in segments}
        # a counted structure (一江两岸、联动发展: 一江, 两岸) is as spatial a cue as a structure word
        cues = [seg for seg in segments if _PHRASE_CUES.search(seg) or any(ch in CHAR_ABBREVIATIONS for ch in seg[:2])
                or any(ch in CHAR_ABBREVIATIONS for ch in seg[2:]) or len(counted_in[seg]) >= 2]
        if 2 * len(cues) < len(segments):
            continue
        parts: list[SloganPart] = []
        for seg in segments:
            counted = counted_in[seg]
            term = _phrase_term(seg)
            if len(counted) == 1 and counted[0].group("term") in _LANDFORM_TERMS and seg[counted[0].end():] in SLOGAN_TERMS:
                # 两江走廊: the rivers count the corridors; the part is the corridor word
                g = counted[0]
                parts.append(SloganPart(_count_value(g.group("count")), seg[g.end():], seg[g.start():]))
            elif counted:
                parts += [SloganPart(_count_value(g.group("count")), g.group("term"), g.group(0)) for g in counted]
            elif term in _UNCOUNTED_PAIRS:
                # 主副引领: two parts with no number, the main centre and the sub-centres.
                parts += [SloganPart(None, ch, ch) for ch in term]
            else:
                parts.append(SloganPart(None, term, seg))
        out.append(Slogan(m.group(0), tuple(parts), m.start(), m.end()))
    return out


def _parallel(run: str) -> bool:
    """Does every comma of a run hold as many phrases (两个一组: A、B，C、D，E、F)?"""
    sizes = {len(group.split("、")) for group in re.split(r"[，,]", run)}
    return len(sizes) == 1


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
    if m.group("count") == "多" and m.group("term") in WATER_TERMS and "\u4e00" <= before <= "\u9fff" \
            and not any(p.end() == m.start() for p in _PART.finditer(text, max(0, m.start() - 5), m.start())):
        return False  # 折多河两岸: the 多 of a river's own name, no count of rivers (“一城多河” is)
    if m.group("count") == "一" and after == "一" and not _PART.match(text, m.end()):
        return False  # 一园一策, 一村一品, 一县一策: one policy per unit, no part (一核一带 is two parts)
    if m.group("term") == "带" and text.startswith("一路", m.end()):
        return False  # 一带一路 is a named strategy, not a structure of belts (一核一带一区 is)
    if m.group("term") == "体" and (after in ("化", "系", "制", "验", "育") or before in "位整主具集"):
        return False  # 一体化, 三位一体, 整体: no 一体两翼
    if m.group("term") == "体" and "\u4e00" <= before <= "\u9fff" and after in ("", "、", "，", ",", "。", "；", ";", "”", '"'):
        return False  # 高快一体、城乡一体: the phrase ends in “integrated”, no part 一体 (一体两翼 opens its slogan)
    if m.group("term") == "城" and after and after in "区乡镇际市中内外":
        return False  # 三城区, 一城镇: a city part (一城两翼) is 城 alone
    if m.group("term") == "双" and after and "\u4e00" <= after <= "\u9fff":
        return False  # 一双手; a count of what follows (双核) is read from 双 itself
    # 一地方, 多点位, 一区域 … are words
    return not (m.group("term") in ("地", "心", "点", "区", "主", "片", "支", "团") and after and after in "方位下区域势")
