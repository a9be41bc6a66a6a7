"""The import rules: each reads one written form of plan prose and adds concepts to a `Builder`.

Two tables, in the order the rules run; adding or removing a rule is one entry:

- `RULES`, the passes over the plan (each ``rule(builder)``): slogan parts, named parts, chains, nodes, links
  (see `geo.importer.draft` for what each draws);
- `PART_RULES`, how one slogan part finds its members (each ``rule(builder, part)`` returns the part's concepts,
  or none to let the next rule try): a definition, a count before the head word, a count summing up the areas
  just named, role words, the core word. A part none of them resolves is kept as named only.

The rules read the written forms of `geo.importer.patterns`; lists of items are read by `geo.importer.items`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geo.importer.concepts import LINE_KINDS, Concept, DraftClause, Item
from geo.importer.items import (
    counted_items,
    head_phrases,
    item_concepts,
    led_phrases,
    named_groups,
    named_heads,
    places_before,
    segment_heads,
)
from geo.importer.patterns import (
    AFTER_SLOGAN,
    AREA_WORD,
    CHAIN_SEP,
    CLAUSE_END,
    COOPERATION,
    CORE_VERB,
    CORE_WORDS,
    CORRIDOR_WORDS,
    DEFINE,
    DIRECTION_PART,
    FRONT,
    LEAD,
    LEAD_END,
    LINK_WORDS,
    NEXT_PART,
    NUMERALS,
    PAREN,
    PART_OF_UNIT,
    QUOTE,
    QUOTES,
    REGION_ANCHORS,
    REGION_RE,
    ROLE_AFTER_WEI,
    ROLE_WORDS,
    ROUTE_WORDS,
    SITE,
    TAIL_STOP,
    clause_start,
    count_anchors,
    cue,
    first_word,
    list_end,
    list_start,
    part_kind,
    place_lists,
    sentence_at,
    sentence_of,
    trim_item,
    trim_opener,
)
from geo.places.mentions import PlaceMention, Slogan, segment_words
from geo.places.nearness import is_near
from geo.places.slogans import WATER_TERMS

if TYPE_CHECKING:
    from geo.importer.builder import Builder

__all__ = ["PART_RULES", "RULES", "Part"]


def slogan_parts(builder: Builder) -> None:
    """Slogan parts -> cores, wings, zones, nodes … with the members the text gives them.

    Reads the structure slogans (构建“一核两翼三区”格局): a slogan followed by its items is shared out in order
    (`shared_out`); a road network (1环3纵5横7联) is named only; every other part is resolved by `PART_RULES`.
    """
    seen: set[str] = set()
    drawn: set[tuple[str, tuple[str, ...]]] = set()  # kind and members of the parts drawn so far
    named: set[tuple[str, tuple[str, ...]]] = set()  # their names and members (陇东 of 两翼, again of 两大能源基地)
    # A slogan of several parts first: a part quoted alone elsewhere (“两极跃升”) joins its group.
    ordered = sorted(((c, s) for c in builder.clauses for s in c.slogans), key=lambda cs: len(cs[1].parts) == 1)
    occurrences: dict[str, list[tuple[DraftClause, Slogan]]] = {}
    for clause, slogan in ordered:
        occurrences.setdefault(slogan.text, []).append((clause, slogan))
    for clause, slogan in ordered:
        if slogan.text in seen:
            continue
        excerpt = clause.text[slogan.start : slogan.end]
        # the items may follow any mention of the slogan (提出“一圈五区”… ；“一圈五区”新格局包括A、B…)
        distributed = next((d for c2, s2 in occurrences[slogan.text]
                            if (d := shared_out(builder, c2, s2, c2.text[s2.start : s2.end]))), [])
        if distributed:
            seen.add(slogan.text)
            for c in distributed:
                c.how = "shared_out"
                drawn.add((c.kind, tuple(c.members)))
                builder.add(c)
            continue
        if not any(p.term for p in slogan.parts):
            for c in area_counted(builder, clause, slogan, excerpt):  # “1+8”: the plan's area, lead city first
                seen.add(slogan.text)
                builder.add(c)
            continue
        if all(anothers_slogan(builder, c2, s2) for c2, s2 in occurrences[slogan.text]):
            continue  # 落实张掖市“一核两带三区”总体格局 in a 临泽县 plan: the prefecture's structure, not this plan's
        seen.add(slogan.text)
        kinds = [part_kind(p.term) for p in slogan.parts]
        if all(k == "route" for k in kinds) and not (
                len(slogan.parts) == 1 and by_count(builder, Part(slogan.parts[0].written, slogan.parts[0].term,
                                                                  slogan.parts[0].count, "route", slogan.text,
                                                                  clause, excerpt))):
            # A road network (1环3纵5横7联, 两环十射四联): named, never located by the text.
            builder.add(Concept("route", slogan.text, slogan.text, [(clause.id, excerpt)],
                                named_undefined=True))
            continue
        defined: dict[int, list[Concept]] = {}
        for i, part in enumerate(slogan.parts):
            kind = part_kind(part.term)
            direction = DIRECTION_PART.match(part.written) if part.count is None else None
            if kind is None and direction:  # 南北田园, 中部都市: a part of the plan's own area by its direction
                kind = part_kind(direction.group("head")) or "zone"
            if kind is None:
                continue
            defined[i] = part_concepts(builder, Part(part.written, part.term, part.count, kind, slogan.text,
                                                     clause, excerpt))
            if direction:
                for c in defined[i]:  # 中部都市 is the middle of the unit its definition names, never all of it
                    if c.members and not c.partial:
                        c.partial, c.partial_words = list(c.members), [direction.group("dirs")]
        many_points(builder, slogan, defined, clause)
        found = [c for concepts in defined.values() for c in concepts]
        if len(slogan.parts) == 1 and re.search(r"[个大]", slogan.parts[0].written) and len(found) == 1 \
                and found[0].named_undefined and not found[0].members and found[0].name == slogan.parts[0].written:
            continue  # a counted phrase no list defines (两个水平带 of another plan's map): no structure of this plan
        if len(slogan.parts) == 1 and found and all((c.members and (c.kind, tuple(c.members)) in drawn)
                                                    or (c.name, tuple(c.members)) in named for c in found):
            continue  # 两个省域副中心城市 restates the part 两副 of the slogan: drawn once (四大都市区 are no 四核)
        for c in found:
            drawn.add((c.kind, tuple(c.members)))
            named.add((c.name, tuple(c.members)))
            builder.add(c)


# A phrase carrying out another plan's structure (落实张掖市“一核两带三区”总体格局, 衔接省级“一群两轴”), up to the slogan.
_CARRIES_OUT = re.compile(r"(?:全面|认真|积极|主动|深入)?(?:落实|衔接|承接|服从|贯彻|遵循|依据|根据|按照|对接|融入)"
                          r"(?P<who>[^，,。；;：:“”\"]{0,16})[“\"]?$")
_HIGHER_WORDS = re.compile(r"国家|全国|省|自治区|上级|上位|市委|州委|市级|州级|区域")


def anothers_slogan(builder: Builder, clause: DraftClause, slogan: Slogan) -> bool:
    """Is a slogan written as another plan's, carried out by this one (落实张掖市“一核两带三区”总体格局 in a county
    plan; 衔接省级“一群两轴”)? Its parts are that plan's structure, not this plan's own."""
    text = clause.text
    m = _CARRIES_OUT.search(text, clause_start(text, slogan.start), slogan.start)
    if not m or m.end() != slogan.start:
        return False
    who = clause.places_within(m.start("who"), m.end("who"))
    if who:
        return any(p.adcode != builder.juris for p in who)
    return bool(_HIGHER_WORDS.search(m.group("who")))


@dataclass
class Part:
    """One part of a slogan being resolved (两翼 of “一核两翼”): as written, its term and count, its kind, the
    slogan and the clause quoting it."""

    written: str
    term: str
    count: int | None
    kind: str
    slogan: str
    clause: DraftClause
    excerpt: str
    definition: tuple[str, str] | None = None  # the first definition found, kept as evidence if it names no unit

    @property
    def cite(self) -> tuple[str, str]:
        return (self.clause.id, self.excerpt)


def part_concepts(builder: Builder, part: Part) -> list[Concept]:
    """The features one slogan part stands for: those of the first of `PART_RULES` that finds any, else the part
    named only (“一群”即打造具有全球影响力的山东半岛城市群: defined in words, no unit to draw; the definition is
    cited)."""
    for rule in PART_RULES:
        found = rule(builder, part)
        if found:
            for c in found:
                c.how = c.how or rule.__name__  # said in the feature's reasons
            return found
    return [Concept(part.kind, part.written, part.slogan, [part.cite] + ([part.definition] if part.definition else []),
                    named_undefined=True)]


def by_definition(builder: Builder, part: Part) -> list[Concept]:
    """A part the text defines: “一核”包括A、B / 一核即A / “两翼”以A、B为主体 / “两翼”指A城市群和B城市群 /
    “三极”：打造A、B、C三个新增长极 / “两圈”,即构建…的通勤圈和…的协作圈.

    The first definition is kept in ``part.definition`` as evidence even where it names no unit.
    """
    written, term, count, kind, slogan, cite = part.written, part.term, part.count, part.kind, part.slogan, part.cite
    # a part of a phrase slogan is defined under its phrase (双核辐射、两带引领…: “1．双核辐射：…”)
    phrase = next((seg for seg in re.split(r"[、，,]", slogan) if seg.startswith(written) and len(seg) > len(written)),
                  "") if re.search(r"[、，,]", slogan) else ""
    ref = f"(?:{re.escape(phrase)}|{re.escape(written)})" if phrase else re.escape(written)
    for other in builder.clauses:
        for pattern in ((rf"[“\"]?{ref}[”\"]?(?:区域|地区|范围)?(?:[，,]?\s*{DEFINE}|[”\"]?\s*[：:]\s*(?:{DEFINE})?)"
                         rf"(?!{ROLE_AFTER_WEI})(?P<body>[^{CLAUSE_END}]{{1,150}})"),
                        rf"[“\"]?{ref}[”\"]?{LEAD}(?P<body>[^{CLAUSE_END}为]{{1,80}}){LEAD_END}",
                        # 两极(大理-隆阳增长极、临翔-思茅-景洪增长极): the parenthesis after the part lists its items
                        # (a part quoted alone, “两极”(…); not the last part of a slogan quoted whole, “一主三副三圈”(…))
                        rf"(?:[“\"]{ref}[”\"]|{ref})[（(](?P<body>[^（）(){CLAUSE_END}]{{2,150}})(?=[)）])",
                        # 第三节 打造“三带”: a heading ending in the quoted part, defined by the lines under it
                        rf"[“\"]{ref}[”\"][\u4e00-\u9fff]{{0,6}}\n(?P<body>[^{CLAUSE_END}]{{1,150}})",
                        # （三）三带。沿A带、沿B带…: a numbered clause headed by the part, its first sentence
                        (rf"(?m)(?:^|[)）、．.])[ \t\u3000]*[“\"]?{ref}[”\"]?[。．.][ \t\u3000]*"
                        rf"(?P<body>[^{CLAUSE_END}]{{1,150}})")):
            for m in re.finditer(pattern, other.text):
                # The definition ends where the next quoted part is defined: “一核”指A，“一带”为B.
                nxt = NEXT_PART.search(other.text, m.start("body"), m.end("body"))
                body_end = nxt.start() if nxt else m.end("body")
                sentence = sentence_of(other.text, m)
                part.definition = part.definition or (other.id,
                                                      other.text[m.start() : body_end].strip(QUOTES + "，,"))
                groups = named_groups(builder, other, m.start("body"), body_end, count)
                if groups:  # “两翼”指A城市群和B城市群: one feature each
                    return [Concept(kind, name, slogan, [cite, (other.id, sentence)], members, group=written)
                            for name, members in groups]
                # One item per counted part (三极: A、B、C); a part of one takes every place of its definition.
                # A definition going on past a semicolon names one item per segment (三区：A区，…；B区，…；C区).
                items = (segment_heads(builder, other, m.start("body"), count, term, kind == "corridor")
                         if count and count > 1 and other.text[body_end : body_end + 1] in "；;" and not nxt else [])
                if not items and count and count > 1:
                    items = counted_items(builder, other, m.start("body"), body_end, count, term)
                if not items and count and count > 1:  # “两心”指以A、B为主的核心，以C为主的副中心
                    items = led_phrases(builder, other, m.start("body"), body_end, count)
                comma = re.search(r"[，,]", other.text[m.start("body") : body_end])
                if not items and comma and count and count > 1:  # “两极”，即A、B，发挥…: the list ends at the comma
                    items = counted_items(builder, other, m.start("body"), m.start("body") + comma.start(), count,
                                          term)
                for anchor in ([] if items or not count or count < 2 else count_anchors(other.text, term, count)):
                    if m.start("body") < anchor.start() <= body_end:  # “三极”：打造A、B、C三个新增长极
                        items = counted_items(  # the definition and the count vouch for short names (三个中心镇)
                            builder, other, m.start("body"), list_end(other.text, m.start("body"), anchor.start()),
                            count, term, strong=bool(anchor.groupdict().get("num")))
                        items = named_with_head(anchor, items)
                        break
                if not items and count and count > 1:  # “两圈”,即构建…的通勤圈和…的协作圈
                    items = head_phrases(builder, other, m.start("body"), body_end, count, term)
                if not items and count and count > 1:
                    # 1．双核辐射：聚焦“古都文化核”…；聚焦“滨江活力核”…: a numbered line headed by the part is its
                    # definition to the line's end, and the names there ending in its head word are its items
                    line_end = other.text.find("\n", m.start())
                    line_end = len(other.text) if line_end < 0 else line_end
                    items = named_heads(builder, other, m.start("body"),
                                        line_end if _heads_line(other.text, m.start()) else body_end, count, term)
                if items:  # “三极”：打造A、B、C三个新增长极 / “四带”：打造A经济带、B经济带…
                    return item_concepts(builder, items, kind, written, slogan, cite, other,
                                         "定义：条文写明“" + written + "”的各项")
                members, partial, words = builder.members_in(other, m.start("body"), body_end)
                members += joined_neighbours(builder, other, m.start("body"), body_end, members)
                if not members:  # “两极”，即邢台市、衡水市: the text defines the part, wherever they lie
                    members, partial, words = builder.members_in(other, m.start("body"), body_end, anywhere=True)
                if not members and (town := own_town(builder, other.text[m.start("body") : body_end])):
                    members, partial, words = [builder.juris], [builder.juris], [town]  # 一核：县城 (a county plan)
                if members:
                    if count == 1 and kind in LINE_KINDS:
                        # the places defining a line of one are its own: no chain of them (一轴：呼包鄂榆发展轴); a zone's
                        # may still be a link (“一区”即粤桂合作特别试验区: the zone in the plan, the link to 广东)
                        builder.taken.update((other.id, p.start, p.end)
                                             for p in other.places_within(m.start("body"), body_end))
                    return [Concept(kind, written, slogan, [cite, (other.id, sentence)], members, partial, words)]
    return []


_LINE_HEAD = re.compile(r"(?:^|\n)[ \t\u3000]*(?:\d{1,2}|[一二三四五六七八九十]{1,3}|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）])?"
                        r"[．.、]?[ \t\u3000]*[“\"]?$")


def _heads_line(text: str, pos: int) -> bool:
    """Does ``pos`` open a line, after at most the line's item number (1．, （二）)?"""
    return bool(_LINE_HEAD.search(text, max(0, pos - 12), pos))


#: A part defined as the plan's own town, unnamed (一核：县城 / “一核”即县城 / 一核为城区): the county plan's seat.
OWN_TOWN = re.compile(r"以?(?P<word>县城|中心城区|主城区|老城区|城区|老城)(?![乡镇村])")


def own_town(builder: Builder, body: str) -> str:
    """The town word a definition's body opens with (县城, 城区 …) when the plan is a county's, else ""."""
    m = OWN_TOWN.match(body)
    if not m or not builder.juris or builder.juris not in builder.gaz.units:
        return ""
    return m.group("word") if builder.gaz.unit(builder.juris).level == "county" else ""


def joined_neighbours(builder: Builder, clause: DraftClause, start: int, end: int, members: Sequence[str]) -> list[str]:
    """Units next to the jurisdiction that a definition joins to one of its members (一城：凯里—麻江中心城区): the part
    reaches across the border, and the neighbour is a member too (the check marks it as lying outside)."""
    if not builder.juris or not members:
        return []
    out: list[str] = []
    places = clause.places_within(start, end)
    for before, p in itertools.pairwise(places):
        if before.adcode in [*members, *out] and p.adcode not in members and builder.outside(p.adcode) \
                and p.level != "province" and p.via != "cluster" \
                and re.fullmatch(r"[—\-–、和与]", clause.text[before.end : p.start]) \
                and is_near(builder.gaz, p.adcode, builder.juris):
            out.append(p.adcode)
    return list(dict.fromkeys(out))


def by_role_words(builder: Builder, part: Part) -> list[Concept]:
    """Places written right before the part's role word: 宣威副中心 (副), “麒沾马”中心城市 (主), A增长极 (极),
    北翼以A为重点 (翼); as many as the part counts, or one part holding them all."""
    written, term, count, kind, slogan, cite = part.written, part.term, part.count, part.kind, part.slogan, part.cite
    roles = ROLE_WORDS.get(term, ())
    if roles:
        found = role_members(builder, roles, term)
        if found:
            if term == "翼" or (count is not None and count > 1 and len(found) == count):
                return [Concept(kind, name, slogan, [cite, c2], members, group=written)
                        for name, members, c2 in found]
            members = list(dict.fromkeys(a for _, ms, _ in found for a in ms))
            if count is None or len(found) == count or (len(found) == 1 and len(members) == count):
                # (A、B、C为副中心: one list before the role word holding the part's count of places)
                return [Concept(kind, written, slogan, [cite] + [c2 for _, _, c2 in found], members)]
    return []


def by_core_word(builder: Builder, part: Part) -> list[Concept]:
    """The one core (一核, 一心) where the text says where the core is: 南宁居于核心位置; 核心区主要包括A、B;
    广州和佛山两市作为核心区 (`core_members`)."""
    core_word = CORE_WORDS.get(part.term)
    if core_word and (part.count or 1) == 1:
        found_core = core_members(builder, core_word, part.clause, part.slogan)
        if found_core:
            members, partial, words, cites = found_core
            return [Concept(part.kind, part.written, part.slogan, [part.cite, *cites], members, partial, words,
                            rule="核心：条文写明“" + core_word.split("|")[0] + "”的所在")]
    return []


def shared_out(builder: Builder, clause: DraftClause, slogan: Slogan, excerpt: str) -> list[Concept]:
    """A slogan followed by its items, as many as its counts add up to, shared out in order.

    “两州两市”(甘南藏族自治州、临夏回族自治州、定西市、陇南市): 两州 = the first two, 两市 = the next two;
    “1+4”(郑州+开封、新乡、焦作、许昌); 三县(市)七区,包括榆树市、农安县、德惠市、朝阳区….
    """
    counts = [p.count for p in slogan.parts]
    if len(counts) < 2 or any(c is None or c < 1 for c in counts) or sum(counts) > 30:
        return []
    text = clause.text
    m = AFTER_SLOGAN.match(text, slogan.end)
    if not m:
        return []
    group = "paren" if m.group("paren") else "words"
    start, end = m.start(group), m.end(group) - (1 if group == "paren" else 0)
    items = counted_items(builder, clause, start, end, sum(counts), strong=True)
    tail = max(text.rfind("以及", start, end), text.rfind("，以及", start, end))
    if not items and tail > start:  # …九台区,以及长春新区: what 以及 adds is beyond the counted items
        while tail > start and text[tail - 1] in "，,、 ":
            tail -= 1
        items = counted_items(builder, clause, start, tail, sum(counts), strong=True)
    if not items:
        return []
    how = f"计数对齐：{slogan.text}之后列出{sum(counts)}项，按序分配"
    cite = (clause.id, excerpt)
    out, k = [], 0
    for part, n in zip(slogan.parts, counts):
        share = items[k : k + n]
        k += n
        kind = part_kind(part.term) or ("core" if n == 1 else "zone")
        out += item_concepts(builder, share, kind, part.written, slogan.text, cite, clause, how,
                                   excerpt=text[slogan.start : end], group_single=not part.term)
    return out


def many_points(builder: Builder, slogan: Slogan, defined: dict[int, list[Concept]], clause: DraftClause) -> None:
    """多点 (uncounted points) = the other places listed beside the defined centres, where the text lists them."""
    for i, part in enumerate(slogan.parts):
        if part.count is not None or part.term not in ("点", "极", "节点") or i not in defined:
            continue
        if not defined[i] or not defined[i][0].named_undefined:
            continue
        used = {a for j, cs in defined.items() if j != i for c in cs for a in c.members}
        if not used:
            continue
        for other in builder.clauses:
            lists = place_lists(other)
            for run in lists:
                members = [p.adcode for p in run if builder.inside(p.adcode) and p.adcode not in used]
                if len(members) >= 2 and any(c.cites[-1][0] == other.id for j, cs in defined.items() for c in cs):
                    start, end = run[0].start, run[-1].end
                    defined[i] = [Concept(defined[i][0].kind, part.written, slogan.text,
                                           [defined[i][0].cites[0], (other.id, other.text[start:end])],
                                           list(dict.fromkeys(members)), how="many_points")]
                    break
            else:
                continue
            break


def by_count(builder: Builder, part: Part) -> list[Concept]:
    """A counted part resolved by a list of exactly that many items before its head word.

    A slogan states counts, and the text nearly always enumerates that many items with the part's head
    word right after them: 打造A、B、C三个新增长极 (三极), 构建A和B两大发展轴 (两轴), 强化A、B两市中心城区
    战略增长极功能 (两极), 培育A、B、C组团 (三组团), A和B“两极跃升” (两极), A和B作为…的“双点支撑”
    (双支点). Where the count and the head word agree, the items are the part's members.
    """
    written, term, count, kind, slogan, cite = part.written, part.term, part.count, part.kind, part.slogan, part.cite
    if not count:
        return []
    heads = "|".join(dict.fromkeys(map(re.escape, (term, term[-1]))))
    for clause in builder.clauses:
        # 以A、B中心城区为发展极 (两极): the list between 以 and 为, the head word after 为
        for m in re.finditer(rf"以(?P<body>[^，,。；;以为]{{2,40}})为[“\"‘']?(?P<mod>[\u4e00-\u9fff]{{0,4}}?)(?:{heads})",
                             clause.text):
            if m.group(0).endswith("纽带"):
                continue  # 以A、B为纽带: a tie between them, not the part's head word (两带)
            body_end = m.end("body")
            words = re.search(rf"(?:{'|'.join(PART_OF_UNIT)})$", m.group("body"))
            items = counted_items(builder, clause, m.start("body"), body_end - (len(words.group(0)) if words else 0),
                                        count, term)
            if items:
                how = f"计数对齐：以{count}项为“{m.group(0)[m.end('body') - m.start() + 1:]}”"
                return item_concepts(builder, items, kind, written, slogan, cite, clause, how,
                                           words.group(0) if words else "", excerpt=m.group(0))
    for clause in builder.clauses:
        # the slogan itself is no list of items (a one-part phrase such as 两个省域副中心城市 is an anchor)
        spans = [(s.start, s.end) for s in clause.slogans if len(s.parts) > 1]
        for anchor in count_anchors(clause.text, term, count):
            if any(a <= anchor.start() < b for a, b in spans):
                continue  # the slogan itself
            if not anchor.groupdict().get("num") and _inside_quotes(clause.text, anchor.start()):
                continue  # 产业带 of ‘清水河城镇产业带’: the end of a quoted name, no head word of a list
            start = list_start(clause.text, anchor.start())
            end = list_end(clause.text, start, anchor.start())
            quoted = anchor.group(0).startswith(("“", '"')) and clause.text.startswith(written, anchor.start() + 1)
            items = counted_items(builder, clause, start, end, count, term, strong=bool(anchor.groupdict().get("num")),
                                        quoted=quoted)
            if not items:
                continue
            tail = clause.text[anchor.start() : anchor.end()]
            items = named_with_head(anchor, items)
            partial_word = next((w for w in PART_OF_UNIT if w in anchor.group("mod") or w in tail[-6:]), "")
            how = f"计数对齐：{count}项后接“{tail.strip(QUOTES)}”"
            return item_concepts(builder, items, kind, written, slogan, cite, clause, how, partial_word,
                                       excerpt=clause.text[start : anchor.end()].strip(QUOTES))
    return []


def _inside_quotes(text: str, pos: int) -> bool:
    """Does ``pos`` lie inside a quoted name (an opening quote before it on its line, not yet closed)?"""
    before = text[max(0, pos - 16) : pos]
    opened = max(before.rfind("“"), before.rfind("‘"))
    return opened >= 0 and max(before.rfind("”"), before.rfind("’")) < opened


# Head words of counted towns, new towns and 组团: a part whose items are settlements below the county level.
SETTLEMENT_HEADS = ("中心镇", "重点镇", "特色镇", "小城镇", "中心城镇", "新城", "组团", "镇区", "镇", "乡")
# Head words a corridor part's items are counted under (“两江走廊”…两条发展轴).
CORRIDOR_HEADS = ("发展轴", "发展带", "经济带", "走廊", "廊道", "轴", "带")


def by_settlements(builder: Builder, part: Part) -> list[Concept]:
    """A counted part whose items are counted under another head word of its kind where the text quotes the part:
    承接“一核两极”…强化湖镇、溪口2个中心镇支撑 (两极 = 湖镇, 溪口); 强化“两江走廊”…打造A发展轴、B发展轴两条发展轴.
    Towns are no admin units: the part keeps them as named items (drawn at a seat only where one is known), never
    as an empty core."""
    count = part.count
    if not count or count < 2 or part.kind not in ("core", "node", "zone", "corridor"):
        return []
    nums = NUMERALS.get(count, "") + str(count)
    heads = "|".join(CORRIDOR_HEADS if part.kind == "corridor" else SETTLEMENT_HEADS)
    for clause in builder.clauses:
        at = clause.text.find(part.written)
        if at < 0:
            continue
        for anchor in re.finditer(rf"(?P<num>[{nums}])(?:个|座|大|条)?(?:{heads})", clause.text[at:]):
            pos = at + anchor.start()
            start = list_start(clause.text, pos)
            items = counted_items(builder, clause, start, list_end(clause.text, start, pos), count, strong=True)
            if items:
                how = f"计数对齐：{count}项后接“{anchor.group(0)}”" + ("" if part.kind == "corridor" else "（乡镇，非县级单元）")
                return item_concepts(builder, items, part.kind, part.written, part.slogan, part.cite, clause, how,
                                     excerpt=clause.text[start : pos + len(anchor.group(0))])
    return []


def named_with_head(anchor: re.Match, items: list[Item]) -> list[Item]:
    """省会、胶东、鲁南三大经济圈: items named without the counted head word take it (省会经济圈), when it names an
    area; 大塘镇、清溪镇三个中心镇 keep their names."""
    head = re.sub(r"^[“\"]?[一二两三四五六七八九十\d]+[个大]?", "", anchor.group(0))
    if items and anchor.groupdict().get("num") and AREA_WORD.fullmatch(head) \
            and not any(AREA_WORD.search(i.name) for i in items):
        return [Item(i.name + head, i.start, i.end, i.members, True) for i in items]
    return items


def by_reference(builder: Builder, part: Part) -> list[Concept]:
    """A count that sums up the areas just named: 打造…东环城市圈，建设…西环城市圈。以两大城市圈为支撑.

    The last ``count`` different names ending in the head word, in the anchor's sentence and the one before
    it, are the items; each takes the places written in its own clause (“哈牡鸡七双佳”东环城市圈).
    """
    written, term, count, kind, slogan, cite = part.written, part.term, part.count, part.kind, part.slogan, part.cite
    if not count or count < 2:
        return []
    for clause in builder.clauses:
        text = clause.text
        for anchor in count_anchors(text, term, count):
            if not anchor.groupdict().get("num"):
                continue
            _, here = sentence_at(text, anchor.start(), anchor.end())
            _, before = sentence_at(text, max(here - 1, 0), max(here - 1, 0)) if here > 0 else ("", here)
            names: dict[str, tuple[int, int]] = {}
            for m in re.finditer(rf"[\u4e00-\u9fff]{{1,8}}?{re.escape(term)}", text[before : anchor.start()]):
                end = before + m.end()
                run = re.search(r"[\u4e00-\u9fff]+$", text[max(before, end - 12) : end]).group(0)
                name = trim_item(run.split("的")[-1])
                if re.match(r"[一二两三四五六七八九十\d]+[个大]?", name) or len(name) <= len(term):
                    continue  # another count (两大城市圈), or the bare head word
                lo = max(text.rfind(ch, before, end - len(name)) for ch in "，,。；;、") + 1
                names.pop(name, None)
                names[name] = (max(lo, before), end)
            if len(names) < count:
                continue
            items = [Item(name, a, b, builder.members_in(clause, a, b)[0], True)
                     for name, (a, b) in list(names.items())[-count:]]
            how = f"计数对齐：“{anchor.group(0).strip(QUOTES)}”总括前文所列{count}项"
            return item_concepts(builder, items, kind, written, slogan, cite, clause, how,
                                       excerpt=text[items[0].start : anchor.end()][:120])
    return []


def role_members(builder: Builder, roles: Sequence[str], term: str) -> list[tuple[str, list[str], tuple[str, str]]]:
    """Places written right before a role word (宣威副中心; “麒沾马”中心城市; 北翼以A为重点)."""
    out = []
    for clause in builder.clauses:
        if term == "翼":
            for m in re.finditer(r"(?P<name>[东西南北左右][部]?翼)(?:以|为|包括|即)(?P<body>[^。；;，,]{1,40})",
                                 clause.text):
                members, _, _ = builder.members_in(clause, m.start("body"), m.end("body"))
                out.append((m.group("name"), members, (clause.id, m.group(0))))
            continue
        for role in roles:
            for m in re.finditer(re.escape(role), clause.text):
                if role == "中心" and clause.text.startswith(("中心城市", "中心城区"), m.start()):
                    continue
                chosen = places_before(clause, m.start())
                if not chosen and clause.text[m.start() - 1 : m.start()] == "为":
                    chosen = places_before(clause, m.start() - 1)  # 库尔勒为中心, A、B为副中心
                # (in a plan spanning several units the lead unit is one of them: 广佛核心区)
                members = list(dict.fromkeys(p.adcode for p in chosen if builder.inside(p.adcode)
                                             and (p.adcode != builder.juris or builder.area)))
                if members:
                    name = clause.text[chosen[0].start : m.end()]
                    out.append((name, members, (clause.id, name)))
    # A named wing without a place (北翼以XX为重点) stays: it is still a wing the text names. The same
    # places named again (宣威副中心城市, 宣威副中心) are one part.
    seen, unique = set(), []
    for name, members, cite in out:
        key = name if term == "翼" else tuple(members)
        if key not in seen and (members or term == "翼"):
            seen.add(key)
            unique.append((name, members, cite))
    return unique


def core_members(builder: Builder, core_word: str, clause: DraftClause, slogan: str
                  ) -> tuple[list[str], list[str], list[str], list[tuple[str, str]]] | None:
    """The one core of a slogan where no count or list gives it: the places the text calls the core.

    Looked for in the slogan's own sentence first, then in the text in order, at each core word:
    the core's area defined (都市圈核心区主要包括A、B; 核心区囊括厦漳泉, with 核心区西部包括C … added), or
    places written before the word in its clause (南宁居于核心位置; 广州和佛山两市作为核心区; 南昌市中心城区和
    赣江新区核心主导地位); a clause that opens with a verb (打造中部地区崛起核心增长极) speaks of the
    places of the clause before it (大力推进长株潭一体化，).
    """
    where = next((i for i, c in enumerate(builder.clauses) if c.id == clause.id), 0)
    home = clause.text.find(slogan)
    sentence, left = sentence_at(clause.text, max(home, 0), max(home, 0) + len(slogan))
    order = [(clause, left, left + len(sentence))] + [(c, 0, len(c.text)) for c in builder.clauses[where:]] \
        + [(c, 0, len(c.text)) for c in builder.clauses[:where]]
    defined = re.compile(rf"(?:{core_word})区(?:[东西南北中]部)?(?:范围)?(?:主要)?(?:包括|囊括|涵盖|即|为|是)"
                         rf"(?P<body>[^{CLAUSE_END}]{{1,150}})")
    for c, lo, hi in order:
        for m in re.finditer(core_word, c.text[lo:hi]):
            at = lo + m.start()
            if defined.match(c.text, at):
                # every definition of the core's area and its parts, wherever the text gives them
                found = [(c2, d) for c2 in builder.clauses for d in defined.finditer(c2.text)]
                members, partial, words, cites = [], [], [], []
                for c2, d in found:
                    ms, ps, ws = builder.members_in(c2, d.start("body"), d.end("body"))
                    if ms:
                        members += ms
                        partial += ps
                        words += ws
                        cites.append((c2.id, sentence_of(c2.text, d)))
                if members:
                    return list(dict.fromkeys(members)), list(dict.fromkeys(partial)), \
                        list(dict.fromkeys(words)), cites
                continue
            start = clause_start(c.text, at)
            members, partial, words = builder.members_in(c, start, at)
            if not members and CORE_VERB.match(c.text, start) and start > 1:
                before = clause_start(c.text, start - 1)
                members, partial, words = builder.members_in(c, before, start - 1)
                start = before
            if members:
                return members, partial, words, [(c.id, c.text[start : at + len(m.group())])]
    return None


def named_parts(builder: Builder) -> None:
    """Named zones defined by their members: 东南丘陵片区包括A、B全域，以及C除北部三镇以外区域."""
    suffix = r"(?:片区|板块|功能区|经济区|生态区|发展区|示范区|城市群|都市圈|经济圈|城市圈|新区|组团)"
    for clause in builder.clauses:
        for m in re.finditer(rf"(?P<name>[\u4e00-\u9fff“”]{{2,14}}?{suffix})(?:规划)?(?:主要)?"
                             rf"(?:范围(?:主要)?(?:为|包括|涵盖)|包括|包含|涵盖|覆盖|由)"
                             rf"(?P<body>[^{CLAUSE_END}]{{1,150}})", clause.text):
            name = m.group("name").strip("“”")
            suffix_found = re.search(rf"{suffix}$", name).group(0)
            # Only the last name before 包括 (三大片区错位发展…东部片区包括: 东部片区), without openers.
            name = trim_opener(re.split(suffix, name[: -len(suffix_found)])[-1] + suffix_found)
            if len(name) < 3 or re.search(r"[一二三四五六七八九十两多]大", name) or name in builder.defined_names:
                continue  # 三大片区 refers to the slogan's parts, it names none of them; 省会经济圈 is one
            members, partial, words = builder.members_in(clause, m.start("body"), m.end("body"))
            kind = "zone"
            cite = (clause.id, sentence_of(clause.text, m))
            builder.add(Concept(kind, name, name, [cite], members, partial, words,
                              named_undefined=not members))


def chains(builder: Builder) -> None:
    """A—B—C followed by a route or corridor word; a cross-border pair followed by 合作 / 园区: a link."""
    for clause in builder.clauses:
        places = sorted(clause.places, key=lambda p: p.start)
        clusters: dict[int, list[PlaceMention]] = {}
        for p in places:
            if p.via == "cluster":
                clusters.setdefault(p.start, []).append(p)
        i = 0
        while i < len(places):
            run = [places[i]]
            j = i + 1
            while j < len(places):
                gap = PAREN.sub("", clause.text[run[-1].end : places[j].start])
                if places[j].start == run[-1].start:  # members of one cluster
                    j += 1
                    continue
                if not CHAIN_SEP.match(gap):
                    break
                run.append(places[j])
                j += 1
            cluster_run = clusters.get(places[i].start, [])
            if all((clause.id, p.start, p.end) in builder.taken for p in run + cluster_run):
                pass  # already an item of a counted part
            elif len(run) >= 2 or (len(cluster_run) >= 2 and len(run) == 1):
                _chain(builder, clause, run if len(run) >= 2 else cluster_run)
            i = max(i + 1, j)


def _chain(builder: Builder, clause: DraftClause, run: list[PlaceMention]) -> None:
    """One chain: what follows it decides its kind."""
    members = list(dict.fromkeys(p.adcode for p in run))
    if len(members) < 2:
        return
    end = max(p.end for p in run)
    lone_cluster = run[0].start == run[-1].start
    # The thing a chain names follows it closely (高铁, 等7条铁路, 段改扩容工程); a lone cluster's directly.
    tail = TAIL_STOP.split(clause.text[end : end + 10])[0]
    kind, word_end = None, 0
    for words, k in ((ROUTE_WORDS, "route"), (CORRIDOR_WORDS, "corridor"), (LINK_WORDS, "link")):
        hit = first_word(tail, words, at_start=lone_cluster)
        if hit:
            pos, word = hit
            if kind is None or pos < word_end:
                kind, word_end = k, pos + len(word)
                while more := next((w for w in words if tail.startswith(w, word_end)), None):
                    word_end += len(more)  # 城际 + 铁路
    crossing = any(builder.outside(a) for a in members) and any(builder.inside(a) for a in members)
    shared = ""
    if kind is None and not lone_cluster and clause.text.startswith("、", end):
        # 武汉至宜昌、武汉至十堰高铁: chains listed before one route word all share it.
        listed = re.split(r"[。；;，,]", clause.text[end : end + 60])[0]
        for words, k in ((ROUTE_WORDS, "route"), (CORRIDOR_WORDS, "corridor")):
            hit = first_word(listed, words)
            if hit:
                pos, shared = hit
                kind, word_end = k, pos + len(shared)  # the excerpt runs to the shared word: verbatim
                break
    if kind is None:
        if lone_cluster:
            return  # a lone cluster (成渝) is a place, not a chain
        kind = "link" if crossing and len(members) == 2 else "corridor"
    if kind == "link" and not crossing:
        kind = "node" if all(builder.inside(a) for a in members) else "link"
    if kind == "node":
        return  # 市内两地的合作园区: left to the site rule
    start = min(p.start for p in run)
    excerpt = clause.text[start : end + word_end]
    name = clause.text[start:end] + f"（{shared}）" if shared else excerpt
    for p in run:
        builder.taken.add((clause.id, p.start, p.end))
    origin = ""
    if kind == "link":
        inner = [a for a in members if builder.inside(a)]
        origin = inner[0] if inner else (builder.juris or "")
        members = [origin] + [a for a in members if builder.outside(a)] if origin else members
    builder.add(Concept(kind, name, excerpt, [(clause.id, excerpt)], members, origin=origin))


def nodes(builder: Builder) -> None:
    """A place inside the jurisdiction followed by a site word (曲靖经济技术开发区, 陆良机场): a node at its seat."""
    for clause in builder.clauses:
        for p in clause.places:
            if not builder.inside(p.adcode) or p.via == "cluster":
                continue
            m = SITE.match(clause.text, p.end)
            if not m or re.search(r"[，,。；;、]", m.group(0)):
                continue
            name = clause.text[p.start : m.end()]
            builder.taken.add((clause.id, p.start, p.end))
            builder.add(Concept("node", name, m.group(0).lstrip("“”"), [(clause.id, name)], [p.adcode]))


def links(builder: Builder) -> None:
    """Places outside the jurisdiction in sentences about cooperation (加强与昆明合作; 以A为前沿对接B); named
    regions (融入长三角) at their anchors."""
    if not builder.juris:
        return
    for clause in builder.clauses:
        text = clause.text
        region_spans: list[tuple[int, int]] = []
        for m in REGION_RE.finditer(text):
            region_spans.append((m.start(), m.end()))
            region = m.group(0).translate({ord(q): None for q in QUOTE})
            anchor = REGION_ANCHORS[region]
            if anchor not in builder.gaz.units or not builder.outside(anchor):
                continue
            sentence = sentence_at(text, m.start(), m.end())
            served = _served(text, m.start(), m.end())  # 服务京津冀; 京津冀和雄安新区服务保障区
            if not COOPERATION.search(sentence[0]) and "融入" not in sentence[0] and not served:
                continue
            if not served and not _partner_clause(clause, m.start(), m.end()):
                continue  # 作为长三角区域中心城市发挥中心职能: the region the plan lies in, no partner
            if _STRATEGY_LIST.match(text, m.end()):
                continue  # 加强与京津冀协同发展、长三角一体化发展…等区域重大战略协作: national strategies, not partners
            # The places the region's name writes (京津冀: 北京, 天津, 河北) are members too, so that a click
            # on 天津 finds the link; the arc still ends at the anchor, which comes last.
            written = [p.adcode for p in clause.places_within(m.start(), m.end())
                       if builder.outside(p.adcode) and p.adcode != anchor]
            for origin in origins(builder, text, m.start(), clause):
                builder.add(Concept("link", region, cue(sentence[0]), [(clause.id, sentence[0])],
                                  list(dict.fromkeys([origin, *written, anchor])), anchor=region,
                                  origin=origin))
        for p in clause.places:
            if not builder.outside(p.adcode) or (clause.id, p.start, p.end) in builder.taken or p.via == "qualifier":
                continue  # (酒泉市肃州区: the link ends at the county)
            if any(s <= p.start and p.end <= e for s, e in region_spans):
                continue
            sentence, _ = sentence_at(text, p.start, p.end)
            if not COOPERATION.search(sentence) or not _partner_clause(clause, p.start, p.end):
                continue
            if _project_site(clause, p.start, p.end):
                continue  # 协同推进博罗罗浮未来城等建设: the place names the site of a project, it is no partner
            for origin in origins(builder, text, p.start, clause):
                builder.add(Concept("link", p.mention if p.via != "cluster" else p.name, cue(sentence),
                                  [(clause.id, sentence)], [origin, p.adcode], origin=origin))


# A place in a clause of its own that describes geography (澜沧江-湄公河流经我国西藏、云南和老挝…，…开放合作的经济带)
# is no partner, though the sentence speaks of cooperation further on: the cooperation word must stand in the
# place's own clause (between commas), or that clause opens with the partner's preposition (与A、B，共同…), or the
# partner is written in brackets after a place, naming a paired park (深圳（哈尔滨）产业园区).
_CLAUSE_SEP = re.compile(r"[，,：:。；;\n]")
# A region named as one of a list of national strategies (京津冀协同发展、长三角一体化发展…等区域重大战略).
_STRATEGY_LIST = re.compile(r"[^，,：:。；;\n]{0,80}?等(?:国家|区域)?(?:重大|重点)?(?:发展)?战略")
_PREPOSITIONS = frozenset("与同和跟向对")
_OPENING = 7  # the preposition stands among the clause's first characters (深化与A、B…; 加强同A…)


def _own_clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause (between commas, colons and stops) holding text[start:end]: where it starts and ends."""
    left = max((m.end() for m in _CLAUSE_SEP.finditer(text, 0, start)), default=0)
    nxt = _CLAUSE_SEP.search(text, end)
    return left, nxt.start() if nxt else len(text)


def _preposition_at(phrase: str, limit: int) -> bool:
    """Does a partner's preposition (与, 同, 和, 跟, 向, 对) stand as a word of its own among the first ``limit``
    characters of ``phrase``? One inside a longer word is none (面向安徽的门户: 面向; 协同, 共同, 相对, 针对)."""
    pos = 0
    for word in segment_words(phrase[: limit + 4]):
        if pos >= limit:
            return False
        if word in _PREPOSITIONS:
            return True
        pos += len(word)
    return False


def _partner_clause(clause: DraftClause, start: int, end: int) -> bool:
    """Does the clause (between commas) holding text[start:end] make it a partner (see above)?"""
    text = clause.text
    left, right = _own_clause(text, start, end)
    own = text[left:right]
    paired = text[start - 1 : start] in "（(" and text[end : end + 1] in "）)" \
        and any(p.end == start - 1 for p in clause.places)
    return bool(COOPERATION.search(own) or _preposition_at(own, _OPENING) or paired)


# A place written as the first word of a town or district to be built (博罗罗浮未来城, 龙川新城, 南沙新区): the site of
# a project. In 协同推进龙川新城、博罗罗浮未来城等建设 the cooperation word governs the projects; the place is a partner
# only where a preposition before it in its clause says so (加强与广州南沙新区合作). Cooperation projects named after
# a partner (深圳（哈尔滨）产业园区, 共建X产业园) are links still: their names end in a cooperation word, not in these.
_PROJECT_NAME = re.compile(r"[\u4e00-\u9fff]{0,4}?(?:未来城|新城|科学城|科技城|生态城|智慧城|新区|小镇)")


def _project_site(clause: DraftClause, start: int, end: int) -> bool:
    """Is the place at text[start:end] the opening word of a project's name, no preposition making it a partner?"""
    text = clause.text
    m = _PROJECT_NAME.match(text, end)
    if not m or COOPERATION.search(m.group(0)):
        return False  # 联动惠州共建新城: the place is the partner, the project follows the verb
    if any(p.start < m.end() and p.start >= end for p in clause.places):
        return False  # 广州南沙新区 names 南沙 after 广州: a unit, read as such
    left, _ = _own_clause(text, start, end)
    return not _preposition_at(text[left:start], start - left)


# The plan serves a region (a tie the text states with 服务, no cooperation word needed): 服务京津冀, 服务和融入
# 长三角; a zone named for serving it, after any other regions joined to it (京津冀和雄安新区服务保障区).
_SERVES_BEFORE = re.compile(r"服务(?:和融入|与融入|于)?[“\"]?$")
_REGION_JOIN = re.compile(r"[和与及、]")
_SERVES_AFTER = re.compile(r"服务(?!业)")  # 京津冀服务业 is the region's own trade, no tie


def _served(text: str, start: int, end: int) -> bool:
    """Does the text write text[start:end] (a region's name) as the region the plan serves (see above)?"""
    if _SERVES_BEFORE.search(text, max(0, start - 6), start):
        return True
    pos = end
    while _REGION_JOIN.match(text, pos) and (r := REGION_RE.match(text, pos + 1)):
        pos = r.end()
    return bool(_SERVES_AFTER.match(text, pos))


def origins(builder: Builder, text: str, pos: int, clause: DraftClause) -> list[str]:
    """Where a link starts: the places the sentence makes the front (以A、B为前沿), else the jurisdiction."""
    sentence, start = sentence_at(text, pos, pos)
    best: list[str] = []
    for m in FRONT.finditer(sentence):
        a, b = start + m.start("places"), start + m.end("places")
        if b <= pos:
            best = [p.adcode for p in clause.places_within(a, b) if builder.inside(p.adcode)]
    return list(dict.fromkeys(best)) or [builder.juris]


def area_counted(builder: Builder, clause: DraftClause, slogan: Slogan, excerpt: str) -> list[Concept]:
    """A plus-slogan counting the plan's own area, its lead unit and the others (郑州都市圈由“1+4”拓展为“1+8”): where
    the text lists that area (``builder.area``, as many units as the slogan adds up to, the lead unit one of them),
    the first part is the lead unit and the next the other units in the order the text lists them."""
    counts = [p.count for p in slogan.parts]
    area = list(builder.area)
    if len(counts) != 2 or counts[0] != 1 or not counts[1] or sum(counts) != len(area) \
            or builder.juris not in area or not builder.area_cite:
        return []
    sentence, _ = sentence_at(clause.text, slogan.start, slogan.end)
    if not re.search(r"都市圈|城市群|经济圈|城市圈|都市区|同城化", sentence):
        return []  # a plus-slogan of something else (1+5+N 产业)
    rest = [a for a in area if a != builder.juris]
    cites = [(clause.id, excerpt), builder.area_cite]
    how = f"计数对齐：“{slogan.text}”与规划范围所列{len(area)}个单元相符"
    lead, others = slogan.parts
    out = [Concept("zone", others.written, slogan.text, list(cites), rest, rule=how, how="shared_out")]
    if not any(c.kind == "core" and c.members == [builder.juris] for c in builder.concepts):
        # (the lead unit drawn once: 郑州 of the earlier “1+4”)
        out.insert(0, Concept("core", lead.written, slogan.text, list(cites), [builder.juris], rule=how,
                              how="shared_out"))
    return out


def by_direction_pair(builder: Builder, part: Part) -> list[Concept]:
    """A phrase part naming two directions of one thing (南北田园): its items are the two the text writes and
    defines (南田园是…，北田园是…), each with the units its own definition names (none it excludes: 除A以外)."""
    direction = DIRECTION_PART.match(part.written) if part.count is None else None
    if not direction or direction.group("dirs") not in ("南北", "东西"):
        return []
    head = direction.group("head")
    for clause in builder.clauses:
        items = []
        for d in direction.group("dirs"):
            m = re.search(rf"{d}{re.escape(head)}(?:[”\"]?\s*(?:{DEFINE}|[：:]))", clause.text)
            if not m:
                break
            body_end = min([i for i in (clause.text.find(ch, m.end()) for ch in "，,。；;\n") if i >= 0]
                           or [len(clause.text)])
            members = [p.adcode for p in clause.places_within(m.end(), body_end) if builder.inside(p.adcode)
                       and not re.search(r"除[^，,。；;]{0,12}$", clause.text[m.end() : p.start])]
            items.append(Item(d + head, m.start(), m.start() + 1 + len(head), list(dict.fromkeys(members))))
        if len(items) == 2:
            return item_concepts(builder, items, part.kind, part.written, part.slogan, part.cite, clause,
                                 "定义：条文分别写明“" + part.written + "”的两部分")
    return []


# Words ending in a water term that name no river: where a plan lies to it (沿江, 拥江, 跨江) or a count (两江).
_NOT_A_RIVER = re.compile(r"^[沿拥跨滨临环傍近面通过入出两一二三四五六七八九十多大]")


def by_water_name(builder: Builder, part: Part) -> list[Concept]:
    """A river or lake a slogan counts (一江两岸, 一河两岸, 一瀫四城) is the one its sentence names: 以长江为轴，…形成
    “一江两岸、联动发展”的格局 (一江: 长江); as many names as the part counts, never a unit."""
    if part.term not in WATER_TERMS or not part.count:
        return []
    clause = part.clause
    at = clause.text.find(part.excerpt)
    at = max(at, 0)
    sentence, left = sentence_at(clause.text, at, at + len(part.excerpt))
    names: dict[str, int] = {}
    for m in re.finditer(rf"[“\"‘']?([\u4e00-\u9fff]{{1,4}}{part.term})(?![\u4e00-\u9fff]{{0,1}}[县市区州])", sentence):
        word = m.group(1) if m.group(0)[:1] in "“\"‘'" else segment_words(m.group(1))[-1]
        if len(word) < 2 or not word.endswith(part.term):
            word = m.group(1)[-2:]
        if _NOT_A_RIVER.match(word) or word == part.written:
            continue
        names.setdefault(word, left + m.start(1) + len(m.group(1)) - len(word))
    if len(names) != part.count:
        return []
    items = [Item(name, a, a + len(name), [], True) for name, a in names.items()]
    return item_concepts(builder, items, part.kind, part.written, part.slogan, part.cite, clause,
                         "水系：条文在同句写明所指的江河")


def by_elaboration(builder: Builder, part: Part) -> list[Concept]:
    """A phrase slogan the next sentence spells out phrase by phrase, one clause each: 实施“中心带动、两翼齐飞、组团发展、
    整体推进”的战略。充分发挥兰州等中心城市辐射带动作用，积极打造陇东、河西两大能源基地，构建…，全面推进… (两翼: the
    two items the second clause counts, 陇东, 河西)."""
    count = part.count
    segments = re.split(r"[、，,]", part.slogan)
    if not count or count < 2 or len(segments) < 3:
        return []
    k = next((i for i, seg in enumerate(segments) if seg.startswith(part.written)), -1)
    text = part.clause.text
    at = text.find(part.excerpt)
    if k < 0 or at < 0:
        return []
    sentence, left = sentence_at(text, at, at + len(part.excerpt))
    nxt = left + len(sentence) + 1
    if nxt >= len(text) or text[nxt - 1] not in CLAUSE_END:
        return []
    following, start = sentence_at(text, nxt, nxt)
    pieces = [m for m in re.finditer(r"[^，,]+", following)]
    if len(pieces) != len(segments):
        return []
    a, b = start + pieces[k].start(), start + pieces[k].end()
    nums = NUMERALS.get(count, "") + str(count)
    anchor = re.search(rf"(?P<num>[{nums}])(?:个|大|条|座|处)[\u4e00-\u9fff]{{1,6}}$", text[a:b])
    if not anchor:
        return []
    items = counted_items(builder, part.clause, a, list_end(text, a, a + anchor.start()), count, strong=True)
    if not items:
        return []
    return item_concepts(builder, items, part.kind, part.written, part.slogan, part.cite, part.clause,
                         f"逐句展开：口号之后一句逐项说明，第{k + 1}项列出{count}项",
                         excerpt=text[items[0].start : a + anchor.end()])


def by_quoted_names(builder: Builder, part: Part) -> list[Concept]:
    """A counted part whose items are quoted names ending in its head word, listed with the slogan's other items:
    以‘沿黄城镇带’‘清水河城镇产业带’和‘太中银发展轴’‘银宁盐发展轴’为纽带 (两带: the two names ending in 带)."""
    count = part.count
    if not count or count < 2 or len(part.term) > 2:
        return []
    for clause in builder.clauses:
        for run in re.finditer(r"(?:[“\"‘'][\u4e00-\u9fff]{2,14}[”\"’'](?:[、，,和及与]?)){2,12}", clause.text):
            names = [(run.start() + m.start(1), m.group(1))
                     for m in re.finditer(r"[“\"‘']([\u4e00-\u9fff]{2,14})[”\"’']", run.group(0))]
            mine = [(a, n) for a, n in names if n.endswith(part.term) and len(n) > len(part.term) + 1]
            if len(mine) == count and len({n for _, n in mine}) == count:
                items = [Item(n, a, a + len(n), builder.members_in(clause, a, a + len(n))[0], True) for a, n in mine]
                return item_concepts(builder, items, part.kind, part.written, part.slogan, part.cite, clause,
                                     f"计数对齐：引号中以“{part.term}”结尾的{count}项")
    return []


PART_RULES: tuple[Callable[[Builder, Part], list[Concept]], ...] = (
    by_direction_pair,  # 南北田园：南田园是…，北田园是…
    by_definition,  # “一核”包括A、B; 一核即A; “两翼”以A、B为主体
    by_quoted_names,  # 以‘沿黄城镇带’‘清水河城镇产业带’和…为纽带 (两带)
    by_count,  # 打造A、B、C三个新增长极; 以A、B中心城区为发展极
    by_settlements,  # “一核两极”…强化湖镇、溪口2个中心镇支撑
    by_reference,  # …东环城市圈，…西环城市圈。以两大城市圈为支撑
    by_elaboration,  # 实施“中心带动、两翼齐飞…”战略。充分发挥…，积极打造陇东、河西两大能源基地，…
    by_role_words,  # 宣威副中心; “麒沾马”中心城市; 北翼以A为重点
    by_core_word,  # 南宁居于核心位置; 核心区主要包括A、B
    by_water_name,  # 以长江为轴…形成“一江两岸”的格局
)
"""How a slogan part finds its members, in order: the first rule returning concepts wins."""

RULES: tuple[Callable[[Builder], None], ...] = (
    slogan_parts,  # 构建“一核两翼三区”格局 … (by PART_RULES)
    named_parts,  # 东南丘陵片区包括A、B全域
    chains,  # A—B—C高铁; A至B发展轴
    nodes,  # 曲靖经济技术开发区
    links,  # 加强与昆明合作; 融入长三角
)
"""The passes over a plan, in the order they run (`geo.importer.builder.Builder.build`)."""
