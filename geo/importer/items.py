"""Reading the items of a list in plan prose (A、B和C; 九江—南昌—抚州; 省会、胶东、鲁南三大经济圈) for the rules
that resolve a counted slogan part (`geo.importer.rules`): which items there are, their members, and the concepts
they make.

Each function takes the `geo.importer.builder.Builder` whose plan it reads (its jurisdiction, area and clauses).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from geo.importer.concepts import Concept, DraftClause, Item
from geo.importer.patterns import (
    AREA_WORD,
    CLAUSE_END,
    CORRIDOR_WORDS,
    GROUP_ITEM,
    ITEM_SEP,
    LIST_SEP,
    PAREN,
    QUOTES,
    last_word,
    residue,
    sentence_at,
    sentence_of,
    trim_item,
)
from geo.places.mentions import PlaceMention, segment_words

if TYPE_CHECKING:
    from geo.importer.builder import Builder


def _span_item(builder: Builder, clause: DraftClause, name: str, start: int, end: int) -> Item:
    """An item written at clause.text[start:end], its members the places there inside the plan's area (any place
    where no area is known)."""
    members = [p.adcode for p in clause.places_within(start, end) if not builder.juris or builder.inside(p.adcode)]
    return Item(name, start, end, list(dict.fromkeys(members)))


def head_phrases(builder: Builder, clause: DraftClause, start: int, end: int, count: int, term: str) -> list[Item]:
    """The phrases of a definition that end with the part's head word, if there are ``count`` of them.

    “两圈”,即构建功能完善、高效协作的通勤圈和联系紧密、优势互补的协作圈: 通勤圈, 协作圈 (what stands before 的
    describes them).
    """
    items = []
    for m in re.finditer(r"[^、，,和及与；;。]+", clause.text[start:end]):
        a, phrase = start + m.start(), m.group(0)
        if "的" in phrase:
            cut = phrase.rindex("的") + 1
            a, phrase = a + cut, phrase[cut:]
        phrase = phrase.strip(QUOTES)
        if 2 <= len(phrase) <= 12 and phrase.endswith((term, term[-1])) and len(phrase) > len(term):
            items.append(_span_item(builder, clause, phrase, a, a + len(phrase)))
    return items if len(items) == count else []


# The words a one-character head word stands for (廊: 走廊, 廊道), and the verbs that set an item to work (聚焦A带).
_HEAD_WORDS = {"廊": "走廊|廊道|廊", "带": "发展带|经济带|带", "轴": "发展轴|轴", "核": "核心|核", "心": "中心|心"}
_ITEM_VERBS = r"(?:聚焦|打造|构筑|构建|建设|培育|形成|推进|依托|强化|提升|做强|做优|壮大|发展)"


def named_heads(builder: Builder, clause: DraftClause, start: int, end: int, count: int, term: str) -> list[Item]:
    """The names ending in the part's head word that a definition sets to work, if there are ``count`` of them:
    quoted (聚焦“古都文化核”…；聚焦“滨江活力核”) or right after a verb (聚焦紫金山创新带…，聚焦滨江创新带; 构筑南京北部
    一体发展走廊…构筑南京南部联动发展走廊). A one-character head word stands for its words too (廊: 走廊, 廊道)."""
    heads = _HEAD_WORDS.get(term, re.escape(term))
    body = clause.text[start:end]
    quoted = [(m.start(1), m.group(1)) for m in re.finditer(rf"[“\"]([\u4e00-\u9fff]{{1,12}}?(?:{heads}))[”\"]", body)]
    after_verb = [(m.start(1), m.group(1))
                  for m in re.finditer(rf"{_ITEM_VERBS}([\u4e00-\u9fff]{{1,12}}?(?:{heads}))(?![\u4e00-\u9fff]{{0,1}}(?:区|地区|城市))", body)]
    found = quoted if len(quoted) == count else after_verb
    names = [(a, n) for a, n in found if len(n) > len(term)]
    if len(names) != count or len({n for _, n in names}) != count:
        return []
    return [_span_item(builder, clause, name, start + a, start + a + len(name)) for a, name in names]


_STRUNG = re.compile(r"串联|串接|串起|连接|联结|贯通|贯穿|途经|经过")


def segment_heads(builder: Builder, clause: DraftClause, start: int, count: int, term: str, line: bool) -> list[Item]:
    """A definition of ``count`` segments parted by semicolons, each naming one item that ends in the part's head
    word, at its head (三区：北部荒漠生态保护区，包括…；中部绿洲农业发展区，包括…；南部祁连山生态屏障区) or at its end
    (两轴：沿A高速形成的东西向城镇发展轴；沿B国道形成的南北向产业发展轴 / 沿绣江打造绣江生态经济带；…), read to the
    sentence's end. An item's members are the places of its segment: inside the plan's area for an area, all of
    them for a corridor (``line``; the check keeps far ones only where a route or corridor word writes the line)."""
    stop = re.compile(r"[。\n]").search(clause.text, start)
    end = stop.start() if stop else len(clause.text)
    heads = _HEAD_WORDS.get(term, re.escape(term)) if len(term) == 1 else f"{re.escape(term)}|{re.escape(term[-1])}"
    at_head = re.compile(rf"[“\"]?(?![沿以])(?P<name>[^\s，,：:（(“”\"、；;的]{{2,16}}?(?:{heads}))[”\"]?(?=[，,：:（(]|$)")
    at_end = re.compile(rf"(?:{_ITEM_VERBS}的?|的)(?P<name>[\u4e00-\u9fff]{{1,14}}?(?:{heads}))(?:[（(][^）)]*[）)])?"
                        r"(?=[，,]|$)")
    items, pos = [], start
    for segment in re.split(r"[；;]", clause.text[start:end]):
        a, b = pos, pos + len(segment)
        pos = b + 1
        body = segment.strip()
        if not body:
            continue
        head = at_head.match(body)
        m = head if head and head.end() < len(body) else at_end.search(body) or head
        if not m or len(m.group("name")) <= len(term):
            return []
        places = clause.places_within(a, b)
        if line and (strung := _STRUNG.search(clause.text, a, b)):
            # 沿京哈高铁的东西向发展轴，串联北镇市、凌海市: the axis runs through the places it strings, not the road's ends
            places = [p for p in places if p.start >= strung.end()] or places
        members = [p.adcode for p in places if line or not builder.juris or builder.inside(p.adcode)]
        items.append(Item(m.group("name"), a, b, list(dict.fromkeys(members)), True))
    return items if len(items) == count else []


def led_phrases(builder: Builder, clause: DraftClause, start: int, end: int, count: int) -> list[Item]:
    """A definition made of ``count`` phrases 以X为主的Y: “两心”指以中心城镇A、B为主的核心，以C新区为主的副中心 (items
    A、B and C新区; a category word before the names, 中心城镇, is not part of them)."""
    items = []
    for m in re.finditer(r"(?:以|由)(?P<x>[^，,；;。以由为]{1,20})为(?:主|主体)的?[\u4e00-\u9fff]{1,6}", clause.text[start:end]):
        b = start + m.end("x")
        name = re.sub(r"^(?:中心城镇|中心镇|重点镇|城镇|乡镇|县城)", "", m.group("x"))
        items.append(_span_item(builder, clause, name, b - len(name), b))
    return items if len(items) == count else []


def counted_items(builder: Builder, clause: DraftClause, start: int, end: int, count: int | None, term: str = "", *,
                   strong: bool = False, quoted: bool = False) -> list[Item]:
    """The items listed in text[start:end] (A、B和C), if there are exactly ``count`` of them.

    An item is a place, an abbreviation cluster (丰樟高), a chain (九江—南昌—抚州) or a named area or belt
    (京广高铁经济带, 汕潮揭城市群). Separators inside a place's name (和平县) do not split.
    """
    if not count or count < 1 or end <= start:
        return []
    longest = 8 if quoted else 4  # 干线铁路、城际铁路、市域(郊)铁路、城市轨道交通“四网”
    items = _split_items(builder, clause, start, end, count, term, ITEM_SEP, strong, longest)
    if not items:
        items = _split_items(builder, clause, start, end, count, term, LIST_SEP, strong, longest)
    return items


def _opens_definition(text: str, pos: int) -> bool:
    """Does ``pos`` follow a definition's colon or verb directly (“两心”:太湖丘陵生态绿心和…), so that the first item
    is whole, not the tail of the sentence's words?"""
    return bool(re.search(r"(?:[：:]|[”\"’']|即|为|是|指|包括)\s*$", text[max(0, pos - 4) : pos]))


def _split_items(builder: Builder, clause: DraftClause, start: int, end: int, count: int, term: str, separators: re.Pattern,
                 strong: bool, longest: int = 4) -> list[Item]:
    """`counted_items` with one set of separators."""
    text = clause.text
    places = clause.places_within(start, end)
    cuts = [start]
    for m in separators.finditer(text, start, end):
        if any(p.start < m.end() and m.start() < p.end for p in places):
            continue
        cuts += [m.start(), m.end()]
    cuts.append(end)
    items = []
    for k, (a, b) in enumerate(zip(cuts[::2], cuts[1::2])):
        raw = text[a:b]
        lead = len(raw) - len(raw.lstrip(QUOTES))
        a, b = a + lead, a + len(raw.rstrip(QUOTES))
        name = trim_item(text[a:b])
        a = b - len(name)
        if not name:
            return []
        if k == 0 and len(name) > longest and not AREA_WORD.search(name) \
                and not clause.places_within(a, b) and not (term and len(term) == 1 and name.endswith(term)
                                                            and _opens_definition(text, a)):
            # the list's first item follows words of the sentence (依序形成了呼伦贝尔): its last word
            name = last_word(name)
            a = b - len(name)
        inner = [p for p in clause.places_within(a, b)]
        if k == 0 and inner and not AREA_WORD.search(name) and min(p.start for p in inner) > a:
            # the list's first item begins at its first place (全省将形成以杭州、宁波…: 杭州)
            a = min(p.start for p in inner)
            name = text[a:b]
        members = list(dict.fromkeys(p.adcode for p in inner if not builder.juris or builder.inside(p.adcode)
                                     or builder.overlaps_area(p.adcode)))
        if members and name.endswith(CORRIDOR_WORDS):
            # an axis or belt named by its places runs through all of them, out of the area too
            # (厦漳-龙岩-赣州发展轴: 厦门, 漳州 and on to 龙岩, 赣州)
            members = list(dict.fromkeys(p.adcode for p in inner if p.adcode in members or (
                not builder.gaz.contains(p.adcode, builder.juris) and builder.near(p.adcode))))
        if not members:
            # a counted item that is a place (邢台、衡水两极) or names them (厦漳-龙岩-赣州发展轴) is the
            # plan's own, wherever it lies
            members = list(dict.fromkeys(p.adcode for p in inner if not builder.gaz.contains(p.adcode, builder.juris)
                                         and builder.near(p.adcode)))
        named_area = bool(AREA_WORD.search(name)) or bool(term and name.endswith((term, term[-1])) and len(name) > 2)
        if inner and not named_area and residue(name, inner, a) and len(PAREN.sub("", name)) > 4 \
                and (len(name) > 6 or residue(name, inner, a) > 2):  # (儋(州)洋(浦) is a short name)
            return []  # words around the places (加快A发展): a phrase, not an item (环杭州湾 is a name)
        if len(name) > 15:
            return []
        items.append(Item(name, a, b, members, bool(inner) or named_area))
    # A head word shared by the list (沿京广、沪昆、渝长厦通道): the items are 京广通道, 沪昆通道, 渝长厦通道.
    shared = AREA_WORD.search(items[-1].name) if items else None
    if shared and len(items) > 1 and not any(AREA_WORD.search(i.name) or len(i.name.lstrip("沿")) > 3
                                              for i in items[:-1]):
        head = shared.group(0)
        words = segment_words(items[-1].name)
        rest = items[-1].name[len(words[0]):] if words else ""
        if rest.endswith(head) and len(rest) > len(head) + 1 and len(words[0]) >= 2:
            head = rest  # 三江源、祁连山国家重点生态功能区: the whole shared phrase (三江源国家重点生态功能区)
        items = [Item(re.sub(r"^沿(?!海|江|边|线)", "", i.name) + (head if k < len(items) - 1 else ""),
                       i.start, i.end, i.members, True) for k, i in enumerate(items)]
        items[-1] = Item(re.sub(r"^沿(?!海|江|边|线)", "", items[-1].name), items[-1].start, items[-1].end,
                          items[-1].members, True)
    # Each item is a place or a named area, or the list holds one and its other items are short names
    # (长株潭、洞庭湖、湘南、湘西四大区域板块): the count and the head word vouch for the rest.
    if len(items) != count:
        return []
    if not any(i.spatial for i in items) and not (strong and count >= 2
                                                   and all(len(PAREN.sub("", i.name)) <= longest for i in items)):
        return []  # 合心、兰家、英俊、西新等四个周边组团: short names the count vouches for
    if not all(i.spatial for i in items) and (count < 2 or any(len(PAREN.sub("", i.name)) > max(6, longest)
                                                               for i in items if not i.spatial)):
        return []
    return items


def item_concepts(builder: Builder, items: Sequence[Item], kind: str, written: str, slogan: str, cite: tuple[str, str],
                   clause: DraftClause, how: str, partial_word: str = "", excerpt: str = "",
                   group_single: bool = False) -> list[Concept]:
    """One feature per item when the part counts several (三极: 岳阳, 郴州, 怀化), one with them all for one.

    An item the text defines elsewhere (省会经济圈包括济南、淄博…七市) takes the members given there too,
    and cites that definition.
    """
    evidence = (clause.id, excerpt or sentence_at(clause.text, items[0].start, items[-1].end)[0][:120])

    def concept(item: Item, name: str, group: str) -> Concept:
        members, cites = list(item.members), [cite, evidence]
        found = named_definition(builder, item.name)
        if found:
            members = list(dict.fromkeys([*members, *found[0]]))
            cites.append(found[1])
            builder.defined_names.add(item.name)
        partial = list(members) if partial_word else []
        return Concept(kind, name, slogan, cites, members, partial, [partial_word] if partial_word else [],
                        group=group, named_undefined=not members,
                        rule=how + ("；各项的范围见其定义" if found else ""))

    for item in items:  # a chain inside an item (九江—南昌—抚州) is this part, not a route of its own
        builder.taken.update((clause.id, p.start, p.end) for p in clause.places_within(item.start, item.end))
    if len(items) == 1 and not group_single:  # (a part of a 1+4 slogan is named by its item: 郑州)
        return [concept(items[0], written, "")]
    return [concept(item, item.name, written) for item in items]


def named_definition(builder: Builder, name: str) -> tuple[list[str], tuple[str, str]] | None:
    """Members the text gives a named area where it defines it: “NAME包括A、B…” or a heading 【NAME】…包括A、B."""
    if len(name) < 3 or not AREA_WORD.search(name):
        return None
    ref = re.escape(name)
    for clause in builder.clauses:
        for pattern in (rf"{ref}[”\"]?(?:主要)?(?:包括|包含|涵盖|由)(?P<body>[^{CLAUSE_END}]{{1,300}})",
                        rf"【{ref}】[^{CLAUSE_END}]{{0,100}}?包括(?P<body>[^{CLAUSE_END}]{{1,300}})"):
            m = re.search(pattern, clause.text)
            if m:
                members, _, _ = builder.members_in(clause, m.start("body"), m.end("body"))
                if members:
                    return members, (clause.id, sentence_of(clause.text, m))
    return None


def named_groups(builder: Builder, clause: DraftClause, start: int, end: int, count: int | None
                  ) -> list[tuple[str, list[str]]]:
    """A definition naming ``count`` areas, each a group word with its places: 襄十随神城市群和宜荆荆恩城市群."""
    if not count or count < 2:
        return []
    groups = []
    for m in GROUP_ITEM.finditer(clause.text, start, end):
        members, _, _ = builder.members_in(clause, m.start(), m.end())
        if members:
            groups.append((m.group(0).strip(QUOTES), members))
    return groups if len(groups) == count else []


# Words between a unit and the counties it owns (宜春市的丰城市; 甘孜州所辖康定市).
OWNER_GAP = re.compile(r"(?:的|之|所辖|下辖|辖)?")


def owners(builder: Builder, clause: DraftClause, places: Sequence[PlaceMention]) -> set[str]:
    """Units written only to say whose counties follow them: 宜春市的丰城市、樟树市 (宜春市), 抚州市临川区 (抚州市).

    When a list names a unit's counties that way, its members are those counties, not the whole unit (the rest of
    宜春市 is not in 大南昌都市圈). A unit written on its own and again with its counties (哈尔滨市、…市辖区，宾县)
    is no owner.
    """
    out = set()
    for p in places:
        gap = OWNER_GAP.match(clause.text, p.end)
        after = [q for q in clause.places_within(gap.end(), gap.end() + 12) if q.start == gap.end()]
        if any(q.adcode != p.adcode and builder.gaz.contains(p.adcode, q.adcode) for q in after):
            out.add(p.adcode)
    return out


def places_before(clause: DraftClause, pos: int) -> list[PlaceMention]:
    """The places written right before ``pos`` (quotes allowed), with the list they close (A、B和C)."""
    text, chosen, end, first = clause.text, [], pos, True
    while True:
        k = end
        while k > 0 and text[k - 1] in QUOTES:
            k -= 1
        if not first:
            if k == 0 or text[k - 1] not in "、和及与":
                break
            k -= 1
            while k > 0 and text[k - 1] in QUOTES:
                k -= 1
        group = clause.places_ending_at(k)
        if not group:
            break
        chosen = list(group) + chosen
        end, first = min(p.start for p in group), False
    return chosen
