"""How sure the importer is of each drafted feature, and the geography check that runs before anything is drawn.

Every concept the rules find gets a **confidence** (``high`` / ``medium`` / ``low``) and **reasons**: which rule
read it, what the check found and what was assumed. A reason is a code (``check.far_member_dropped``) and its
evidence as data (``{"place": "江口县", "km": 1480}``); `geo.i18n.reason_text` words it in Chinese or English.
The data holds plan text and unit names: whoever shows a reason escapes it.

The check (`assess`) holds the draft to what a planner would state about any plan:

- a zone, core, wing or ecological area lies in the plan's area: a member outside it is marked (low), one more
  than `FAR_KM` away is taken out of the members (a far-away namesake, or a region the plan means to join), and
  so is a province, a unit not next to the jurisdiction or one the part's name joins (融入…先行区) of a core, wing
  or zone (`_strategy_region`: the check alone decides which members are drawn); a
  prefecture of which a multi-unit plan's area lists only some counties is drawn whole, so ``approximate``;
- a link's end far outside the area needs evidence: its full name, a province, a city whose short name means no
  other unit, or a named region, else it is probably a namesake (low);
- a link to a named region that holds the plan's area (长三角 in a 浙江 plan: `REGION_HOLDS`) is no link: kept, low and not drawn;
- a link between units that both lie inside the area, between the places a sentence says together form the
  area (与联系紧密的A、B、C共同组成…都市圈), or to a unit the plan's own core, wing or zone takes as a member
  (一城：凯里—麻江中心城区, then 凯里—麻江), is no link: it is kept, low and not drawn;
- so are a pair of neighbouring units across the border, one a unit of the plan (浦口—南谯: a border area), a far
  region named only in lists of national strategies (积极对接雄安新区建设、成渝地区双城经济圈发展: context) and a
  region with no lead city (东北地区: its end would be a guess);
- a unit the text names only in part (南昌市中心城区, 北部, 新区) is drawn as the whole unit, so ``approximate``,
  never ``exact``; a county's town (龙游县城, 凯里市主城区: `SEAT_WORDS`) is drawn as a point at its seat;
- a corridor or route whose far members the text writes as a chain with a route or corridor word runs beyond the
  area (medium); without such a word the far member is a namesake and is dropped.

A feature's confidence is the lowest its reasons allow (`SEVERITY`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from geo.feature import CONFIDENCES
from geo.importer.concepts import LINE_KINDS, Concept, DraftClause
from geo.importer.patterns import (
    CORRIDOR_WORDS,
    LINK_WORDS,
    QUOTE,
    REGION_HOLDS,
    REGION_RE,
    REGIONS_WITHOUT_LEAD,
    ROUTE_WORDS,
    in_strategy_list,
    sentence_at,
)
from geo.places.nearness import is_near

if TYPE_CHECKING:
    from geo.importer.builder import Builder
    from geo.places.gazetteer import Gazetteer

__all__ = ["CONFIDENCES", "FAR_KM", "PART_WORDS", "RULE_REASONS", "SEAT_WORDS", "SEVERITY", "Assessment", "Geography",
           "assess", "count_to_check", "lowest", "reason", "seat_meant"]


FAR_KM = 300
"""How far outside the plan's area (km, to the nearest point of its outline) a unit counts as far away."""

AREA_KINDS = ("core", "wing", "zone", "eco")

#: The rule that read a concept -> the reason code it gives and the confidence it allows.
RULE_REASONS: dict[str, tuple[str, str]] = {
    "by_definition": ("rule.definition", "high"),
    "shared_out": ("rule.shared_out", "high"),
    "by_count": ("rule.count", "high"),
    "by_reference": ("rule.reference", "medium"),
    "by_role_words": ("rule.role_words", "medium"),
    "by_core_word": ("rule.core_word", "medium"),
    "many_points": ("rule.many_points", "medium"),
    "by_direction_pair": ("rule.definition", "high"),
    "by_quoted_names": ("rule.count", "high"),
    "by_elaboration": ("rule.elaboration", "medium"),
    "by_water_name": ("rule.water", "medium"),
    "slogan_parts": ("rule.slogan", "medium"),
    "named_parts": ("rule.named_part", "high"),
    "chains": ("rule.chain", "high"),
    "nodes": ("rule.site", "high"),
    "links": ("rule.cooperation", "medium"),
}

#: The confidence each check's reason allows at most.
SEVERITY: dict[str, str] = {
    "rule.chain_no_word": "low",
    "rule.region_anchor": "medium",
    "named_only": "medium",
    "no_area": "medium",
    "check.far_member_dropped": "low",
    "check.outside_member_dropped": "medium",
    "check.member_outside_area": "low",
    "check.member_beside_area": "low",
    "check.member_holds_area": "low",
    "check.member_exceeds_area": "medium",
    "check.far_link_end": "medium",
    "check.far_homonym": "low",
    "check.link_inside_area": "low",
    "check.region_holds_area": "low",
    "check.region_holds_area_written": "medium",
    "check.members_not_links": "low",
    "check.link_to_own_part": "low",
    "check.region_without_lead": "low",
    "check.far_strategy_region": "low",
    "check.border_pair": "low",
    "check.part_of_unit": "medium",
    "check.seat_of_unit": "medium",
    "check.runs_beyond_area": "medium",
    "check.far_line_member_dropped": "low",
    "check.relied_on_dropped": "medium",
    "check.part_of_own_area": "medium",
    "check.line_one_outside_place": "low",
}

#: Words after a unit's name that make it a part of the unit (南昌市中心城区, 长沙北部, 赣州城区).
PART_WORDS = re.compile(r"(?:中心城区|主城区|主城|老城区|老城|城区|市区|核心区|新区|新城|片区|组团|[东西南北中]部|"
                        r"沿[江河湖海线]|平坝区域|山区|县城|城(?![乡镇市际墙]))")
#: Part words that mean a unit's town (龙游县城, 凯里市主城区, 城关镇): of a county-level unit, its seat; the feature is
#: drawn as a point there (`geo.importer.edits.redraw`), not as the county's polygon.
SEAT_WORDS = frozenset({"县城", "城", "城区", "主城区", "中心城区", "老城区", "老城", "主城", "市区"})
#: A unit joined by a dash to a short name, then a part word (凯里—麻江中心城区): the word is each one's.
_DASH_PAIR = re.compile(r"[—–－-]{1,2}[\u4e00-\u9fff]{1,4}?(?=" + PART_WORDS.pattern + ")")
#: What may stand between a listed unit and the part word that applies to the whole list (九江、抚州两市中心城区).
_LIST_COUNT = re.compile(r"(?:[两二三四五六七八九十]|\d{1,2})个?(?:市|县|区|县市|市县|地)")
#: A sentence saying the places it lists together form an area (与联系紧密的A市、B市共同组成…都市圈).
FORM_AREA = re.compile(r"共同(?:组成|构成|组建)|(?:组成|构成|组建)[^。；;，,]{0,20}?(?:都市圈|城市群|经济圈|城市圈|经济区)")
#: Verbs that open a phrase naming what a part relies on or reaches out to, not what it holds (三区：西部临港产业区，
#: 依托营口港、鲅鱼圈港: the ports of a neighbouring city serve the zone, they are not in it).
_RELIED_ON = re.compile(r"(?:主动|积极|加强|深化|全面)?(?:依托|依靠|借助|背靠|对接|服务于?|辐射|承接|联动|面向|接轨|融入|"
                        r"毗邻|临近|紧邻|衔接|链接)")
#: A name written with its unit suffix (江口县, 平原县 written in full is evidence a namesake is meant).
_SUFFIX = re.compile(r"(?:省|市|县|区|州|盟|旗|自治区|特别行政区)$")


def reason(code: str, **data: Any) -> dict:
    """A reason: its code and, when there is any, its evidence (strings and numbers)."""
    return {"code": code, "data": {k: v for k, v in data.items()}} if data else {"code": code}


def lowest(levels: Iterable[str]) -> str:
    """The least sure of some confidences (``high`` for none)."""
    return max(levels, key=CONFIDENCES.index, default="high")


@dataclass
class Assessment:
    """What the check decided for one concept: its confidence, its reasons, and the members to draw."""

    confidence: str
    reasons: list[dict]
    members: list[str]
    partial: list[str]
    partial_words: list[str]
    drawn: bool = True  # False: kept (listed, to check) but not drawn
    left_out: list[str] = field(default_factory=list)  # members a zone's strategy name led to, taken out


_TOLERANCE = 0.02
"""Degrees (about 2 km) the outlines are simplified to before distances are taken (fast; exact enough)."""
_TOUCHING_KM = 5
"""Closer than this, two simplified outlines are taken to touch."""


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance of two (lon, lat) points in km."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


class Geography:
    """Distances from a plan's area: the units it is given (its jurisdiction and those a multi-unit plan lists)."""

    def __init__(self, gaz: Gazetteer, area: Iterable[str | None]) -> None:
        self.gaz = gaz
        self.codes = tuple(dict.fromkeys(a for a in area if a and a in gaz.units))
        self._cache: dict[str, int] = {}

    @classmethod
    def of(cls, builder: Builder) -> Geography:
        """The area of a draft being built."""
        return cls(builder.gaz, (builder.juris, *builder.area))

    @cached_property
    def area(self):
        """The area's outline, simplified to `_TOLERANCE` (km against a 300 km threshold need no finer)."""
        from shapely.ops import unary_union

        if not self.codes:
            return None
        return unary_union([self.gaz.geometry(a) for a in self.codes]).simplify(_TOLERANCE, preserve_topology=False)

    def km(self, adcode: str) -> int:
        """How far a unit lies outside the plan's area, km (0 when it touches or overlaps it)."""
        if adcode in self._cache:
            return self._cache[adcode]
        from shapely.ops import nearest_points

        area, gaz = self.area, self.gaz
        if area is None or adcode not in gaz.units:
            return 0
        geom = gaz.geometry(adcode).simplify(_TOLERANCE, preserve_topology=False)
        if geom.is_empty or area.intersects(geom):
            d = 0
        else:
            p, q = nearest_points(area, geom)
            d = round(_km((p.x, p.y), (q.x, q.y)))
            d = 0 if d <= _TOUCHING_KM else d  # neighbours parted by the simplification
        self._cache[adcode] = d
        return d


def _clause(builder: Builder, cid: str) -> DraftClause | None:
    """A clause of the draft by id."""
    index = builder.__dict__.get("_clause_index")
    if index is None:
        index = builder.__dict__["_clause_index"] = {c.id: c for c in builder.clauses}
    return index.get(cid)


def _mentions(builder: Builder, concept: Concept, adcode: str) -> list[tuple[DraftClause, int, int]]:
    """Where the concept's excerpts write a member: (clause, start, end) of each mention."""
    out = []
    for cid, excerpt in concept.cites:
        clause = _clause(builder, cid)
        if clause is None or not excerpt:
            continue
        at = clause.text.find(excerpt)
        if at < 0:
            continue
        out += [(clause, p.start, p.end) for p in clause.places_within(at, at + len(excerpt)) if p.adcode == adcode]
    return out


def _written(builder: Builder, concept: Concept, adcode: str) -> str:
    """One way the concept's excerpts write a member ("" when they do not)."""
    for clause, start, end in _mentions(builder, concept, adcode):
        return clause.text[start:end]
    return ""


def _part_word(builder: Builder, concept: Concept, adcode: str) -> str:
    """The part-of-unit word the excerpts write right after a member (中心城区 of 南昌市中心城区), if any."""
    for clause, start, end in _mentions(builder, concept, adcode):
        if any(p.start == end for p in clause.places):
            continue  # 天津滨海新区: the next word is a unit of its own
        pos = end
        while pos < len(clause.text) and clause.text[pos] in "、和及与—":  # the rest of a list (九江、抚州两市中心城区)
            nxt = max((p.end for p in clause.places if p.start == pos + 1), default=None)
            if nxt is None:
                break
            pos = nxt
        if pos == end and (pair := _DASH_PAIR.match(clause.text, pos)):  # 凯里—麻江中心城区: the pair's word
            pos = pair.end()
        counted = _LIST_COUNT.match(clause.text, pos) if pos > end else None
        m = PART_WORDS.match(clause.text, counted.end() if counted else pos)
        if m:
            if m.group(0) == "城":  # 龙游县城, 城关镇: the county's town
                return "县城" if clause.text[m.start() - 1] == "县" else "城区"
            return m.group(0)
    return ""


_PART_OF_AREA = "规划范围内的一部分"
"""The partial word of a core, wing or zone read as the plan's whole single-unit area."""


def _relied_on(builder: Builder, concept: Concept, adcode: str) -> bool:
    """Does every mention of a unit in the part's excerpts follow a verb of reliance or reach in its own phrase
    (依托营口港、鲅鱼圈港; 对接沈阳)? Then the unit is what the part leans on, not one of its members."""
    found = _mentions(builder, concept, adcode)
    if not found:
        return False
    for clause, start, _ in found:
        phrase_start = max((clause.text.rfind(p, 0, start) for p in "，,。；;：:（("), default=-1) + 1
        if not _RELIED_ON.match(clause.text, phrase_start):
            return False
    return True


def seat_meant(gaz: Gazetteer, adcode: str, word: str) -> bool:
    """Does ``word`` after a unit mean that unit's town, a place best drawn at its seat (a county's 县城, 城区)?"""
    return word in SEAT_WORDS and adcode in gaz.units and gaz.unit(adcode).level == "county"


def _within_words(within: Sequence[str], name) -> str:
    """The partial word of a member the plan's area holds only part of: the units it holds there."""
    return "规划范围内的" + "、".join(name(u) for u in within)


def _rule_reason(concept: Concept) -> tuple[dict, str]:
    code, level = RULE_REASONS.get(concept.how, ("rule.slogan", "medium"))
    data: dict[str, Any] = {"name": concept.name}
    if concept.how == "chains":
        written = concept.cites[0][1] if concept.cites else concept.name
        if concept.kind == "link" and any(w in written for w in LINK_WORDS):
            code, level = "rule.chain_link", "medium"
        elif not any(w in written for w in (*ROUTE_WORDS, *CORRIDOR_WORDS, *LINK_WORDS)):
            code, level = "rule.chain_no_word", "low"
    if concept.anchor:
        code, level = "rule.region_anchor", "medium"
        data["region"] = concept.anchor
    return reason(code, **data), level


# Verbs by which a zone's name joins a region outside the plan (融入粤港澳大湾区先行区, 对接长三角示范区).
_JOINS = re.compile(r"融入|对接|承接|接轨|链接|面向|服务|联动|协同|合作")


def _strategy_region(builder: Builder, concept: Concept, adcode: str) -> bool:
    """Is a unit outside the plan's area that a core, wing or zone names the region of a strategy, not a member?

    A zone of the plan lies in the plan's area (issue #19): a province outside it, a unit not next to the
    plan's jurisdiction, or any unit the part's own name joins (融入粤港澳大湾区先行区, 粤桂合作特别试验区,
    湖南对接区) is the region the strategy looks to. Neighbouring units a part lists are kept, marked (丰樟高、
    奉靖组团; “两极”即邢台市、衡水市: the plan is wider than its lead unit). Ecological areas, corridors and routes
    may run out of the area; a link's end lies outside by definition.
    """
    if concept.kind not in ("core", "wing", "zone"):
        return False
    return bool(_JOINS.search(concept.name)) or builder.gaz.unit(adcode).level == "province" \
        or not is_near(builder.gaz, adcode, builder.juris)


def _own_part_members(builder: Builder, geo: Geography) -> dict[str, str]:
    """Units outside the jurisdiction that the plan's own cores, wings and zones take as members (those the check
    keeps), each with the part's name: a link to one of them is no outside link."""
    out: dict[str, str] = {}
    for c in builder.concepts:
        if c.kind in ("core", "wing", "zone"):
            for a in c.members:
                if builder.outside(a) and not _strategy_region(builder, c, a) and geo.km(a) <= FAR_KM:
                    out.setdefault(a, c.group or c.name)
    return out


def _border_pair(builder: Builder, members: Sequence[str]) -> bool:
    """Is a chain link a pair of neighbouring units across the border, its inner end a unit of the plan and not the
    plan's own unit (浦口—南谯, 六合—仪征—天长 in a 南京 plan)? Such a pair names an area on the border (毗邻地区,
    跨界示范区) where the two units work together: not a tie from the plan to a unit beyond it."""
    origin, ends = members[0], members[1:]
    gaz = builder.gaz
    if not ends or origin == builder.juris or not builder.inside(origin) or gaz.unit(origin).level != "county":
        return False
    touching = set(gaz.neighbours(origin))
    return all(a in touching for a in ends)


def _far_strategy(builder: Builder, concept: Concept, geo: Geography) -> int:
    """How far (km) a region lies that the text names only in lists of strategies (积极对接雄安新区建设、成渝地区双城
    经济圈发展), 0 when it is near or named once as a partner: a far region in such a list is national context, not
    the plan's partner. Near, the same list names the plan's own strategic ties (a 遵义 plan: 成渝, 重庆 beside it)."""
    mentions = []
    for cid, excerpt in concept.cites:
        clause = _clause(builder, cid)
        at = clause.text.find(excerpt) if clause is not None and excerpt else -1
        if at < 0:
            return 0
        found = [m for m in REGION_RE.finditer(excerpt) if m.group(0).translate(_UNQUOTE) == concept.anchor]
        if not found:
            return 0
        mentions += [in_strategy_list(clause.text, at + m.start(), at + m.end()) for m in found]
    if not mentions or not all(mentions):
        return 0
    extent = [a for a in REGION_HOLDS.get(concept.anchor or "", ()) if a in builder.gaz.units] or concept.members[1:]
    km = min((geo.km(a) for a in extent), default=0)  # to the nearest unit the region holds
    return km if km > FAR_KM else 0


_UNQUOTE = {ord(q): None for q in QUOTE}


def assess(builder: Builder, concept: Concept, geo: Geography) -> Assessment:
    """Check one concept against the plan's area and say how sure the draft is of it (see the module docstring)."""
    gaz = builder.gaz
    first, level = _rule_reason(concept)
    reasons, levels = [first], [level]
    members, partial, words = list(concept.members), list(concept.partial), list(concept.partial_words)
    drawn = True
    left_out: list[str] = []

    def add(code: str, **data: Any) -> None:
        reasons.append(reason(code, **data))
        levels.append(SEVERITY.get(code, "medium"))

    def name(a: str) -> str:
        return gaz.unit(a).name if a in gaz.units else a

    if not builder.juris:
        add("no_area")
    elif concept.kind in AREA_KINDS:
        kept = []
        for a in members:
            if builder.inside(a):
                kept.append(a)
            elif builder.overlaps_area(a):  # 宜春市 where the area lists some of its counties: drawn whole, so approximate
                within = [u for u in builder.area if gaz.contains(a, u)]
                add("check.member_exceeds_area", place=name(a), units="、".join(name(u) for u in within))
                kept.append(a)
                if a not in partial:
                    partial.append(a)
                    words.append(_within_words(within, name))
            elif gaz.contains(a, builder.juris):
                add("check.member_holds_area", place=name(a))
                kept.append(a)
            elif (km := geo.km(a)) > FAR_KM:
                add("check.far_member_dropped", place=name(a), km=km)
            elif _relied_on(builder, concept, a):
                add("check.relied_on_dropped", place=name(a), km=km)
                left_out.append(a)
            elif _strategy_region(builder, concept, a):
                add("check.outside_member_dropped", place=name(a), km=km)
                left_out.append(a)
            else:
                add("check.member_outside_area" if km else "check.member_beside_area", place=name(a), km=km)
                kept.append(a)
        members = kept
        partial = [a for a in partial if a in members]
    elif concept.kind in LINE_KINDS:
        written = concept.cites[0][1] if concept.cites else ""
        worded = any(w in written for w in (*ROUTE_WORDS, *CORRIDOR_WORDS))
        kept = []
        for a in members:
            km = geo.km(a) if not builder.inside(a) else 0
            if km <= FAR_KM:
                kept.append(a)
            elif worded:
                add("check.runs_beyond_area", place=name(a), km=km)
                kept.append(a)
            else:
                add("check.far_line_member_dropped", place=name(a), km=km)
        if len(kept) < min(2, len(members)):
            drawn = False  # a line left with one end is no line
        elif len(kept) == 1 and builder.outside(kept[0]):
            drawn = False  # a corridor of the plan at one place outside it (沿川藏铁路 read as 四川省 alone): no line
            add("check.line_one_outside_place", place=name(kept[0]))
        members = kept
    elif concept.kind == "link":
        ends = list(members[1:]) if len(members) > 1 else list(members)  # the origin comes first
        sentence = ""
        for cid, excerpt in concept.cites:
            clause = _clause(builder, cid)
            if clause is not None and (at := clause.text.find(excerpt)) >= 0:
                sentence = sentence_at(clause.text, at, at + len(excerpt))[0]
                break
        inside_ends = [a for a in ends if builder.inside(a)]
        holding = [a for a in REGION_HOLDS.get(concept.anchor or "", ()) if a in gaz.units
                   and (a == builder.juris or gaz.contains(a, builder.juris))]
        own = _own_part_members(builder, geo)
        if holding:  # 作为长三角区域中心城市 in a 浙江 plan: the plan is in the region, no link to its anchor
            # … but the units the region's name writes outside the plan (京津冀 in a 河北 plan: 北京, 天津) are the
            # partners it means; the anchor only where the text writes it.
            anchor = members[-1]
            written = [a for a in [*members[1:-1], *([anchor] if _mentions(builder, concept, anchor) else [])]
                       if builder.outside(a)]
            if written:
                members = [members[0], *dict.fromkeys(written)]
                add("check.region_holds_area_written", region=concept.anchor, place=name(builder.juris),
                    ends="、".join(name(a) for a in members[1:]))
            else:
                add("check.region_holds_area", region=concept.anchor, place=name(builder.juris))
                drawn = False
        elif ends and len(inside_ends) == len(ends):
            add("check.link_inside_area")
            drawn = False
        elif ends and all(a in own or a in inside_ends for a in ends):  # 凯里—麻江 where 一城 = 凯里—麻江中心城区
            for a in ends:
                if a in own:
                    add("check.link_to_own_part", place=name(a), part=own[a])
            drawn = False
        elif FORM_AREA.search(sentence) and not concept.anchor:
            add("check.members_not_links")
            drawn = False
        elif concept.anchor in REGIONS_WITHOUT_LEAD and len(ends) == 1:
            add("check.region_without_lead", region=concept.anchor)
            drawn = False
        elif concept.anchor and (km := _far_strategy(builder, concept, geo)):
            add("check.far_strategy_region", region=concept.anchor, km=km)
            drawn = False
        elif concept.how == "chains" and _border_pair(builder, members):
            add("check.border_pair", place=name(members[0]), ends="、".join(name(a) for a in ends))
            drawn = False
        else:
            for a in ends:
                km = geo.km(a)
                if km <= FAR_KM or concept.anchor:
                    continue
                written = _written(builder, concept, a)
                unit_level = gaz.unit(a).level
                # evidence enough: a province, a city whose short name means no other unit, a name in full
                full = (unit_level == "province" or (unit_level != "county" and len(gaz.candidates(written)) <= 1)
                        or bool(_SUFFIX.search(written)) or written == name(a))
                add("check.far_link_end" if full else "check.far_homonym", place=name(a), km=km,
                    written=written or name(a))
    if concept.kind in AREA_KINDS:
        for a in concept.partial:  # the rule read it as a part already (两市中心城区, 平坝区域, 一核：县城)
            if a in members:
                word = "、".join(concept.partial_words) or "部分"
                add("check.seat_of_unit" if seat_meant(gaz, a, word) else "check.part_of_unit", place=name(a),
                    word=word)
        for a in members:
            if a in partial:
                continue
            word = _part_word(builder, concept, a)
            if word:
                partial.append(a)
                words.append(word)
                add("check.seat_of_unit" if seat_meant(gaz, a, word) else "check.part_of_unit", place=name(a),
                    word=word)
        if members == [builder.juris] and not builder.area and concept.kind != "eco" and builder.juris not in partial:
            # 两翼 of a 青浦区 plan read as 青浦区 itself: a part of the plan's area is not the whole of it
            partial.append(builder.juris)
            words.append(_PART_OF_AREA)
            add("check.part_of_own_area", place=name(builder.juris))
    if (not members or not drawn or concept.named_undefined) and "named_only" not in (r["code"] for r in reasons):
        add("named_only")
    return Assessment(lowest(levels), reasons, members, partial, list(dict.fromkeys(words)), drawn, left_out)


def count_to_check(features: Sequence[dict]) -> int:
    """How many features a planner is asked to check (confidence ``low``)."""
    return sum(1 for f in features if (f.get("properties") or {}).get("confidence") == "low")
