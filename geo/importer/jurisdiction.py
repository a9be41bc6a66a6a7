"""Which unit a plan governs: read from its title, issuer, headline or lead city, and the planner's choice.

`guess_jurisdiction` tries, in order: a title or issuer naming a unit in full (福建省推进厦漳泉同城化方案), the
lead city of a metropolitan area or city cluster plan (郑州都市圈, 南宁市被定位为核心城市), a headline counting
an area as 1+N (“1+4”(郑州+开封…)), a headline naming a unit (安徽省优化升级…), and last
`geo.importer.outline.detect_jurisdiction` (title, issuer, signature, else the unit holding most places named).
The planner may correct the guess (`jurisdiction_candidates`, `search_units`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from geo.importer.outline import JurisdictionGuess, stated_jurisdiction, voted_jurisdiction
from geo.importer.patterns import ONE_PLUS
from geo.places.gazetteer import Gazetteer, Unit, load_gazetteer
from geo.places.mentions import PlaceMention, find_places
from geo.text.clauses import Outline

if TYPE_CHECKING:
    from geo.importer.draft import Draft

__all__ = ["guess_jurisdiction", "jurisdiction_candidates", "search_units"]


def guess_jurisdiction(outline: Outline, gaz: Gazetteer, jurisdiction: str | None = None) -> JurisdictionGuess:
    """The unit a plan governs: ``jurisdiction`` (an adcode the planner chose) if given, else the first guess
    of the rules above that finds one."""
    if jurisdiction:
        unit = gaz.unit(jurisdiction)
        return JurisdictionGuess(unit.adcode, unit.name, unit.level, True, "由规划人员指定")
    stated = (_title_jurisdiction(outline, gaz) or _area_lead(outline, gaz) or _headline_area(outline, gaz)
              or _headline_jurisdiction(outline, gaz) or stated_jurisdiction(outline, gaz))
    if stated:
        return stated
    places = [find_places(c.text, gaz) for c in outline.clauses]
    return _named_in_full(outline, places) or voted_jurisdiction(outline, gaz, places)


# How a plan speaks of its own area: 全县, 本市, 我区, 县委县政府 (the last character of the unit's name).
_SELF_REFERENCE = re.compile(r"(?:[全本我](?P<a>[省市县区州旗盟])(?![域份场级])|(?P<b>[省市县区州旗盟])委(?P=b)?(?:人民)?政府)")


def _named_in_full(outline: Outline, places: list[list[PlaceMention]]) -> JurisdictionGuess | None:
    """The unit the body writes in full most often (康定市 five times), before any vote of the places it names.

    A county plan names its towns, its neighbours and its partners in passing, and names itself in full: 全县 /
    本市 / 县委县政府 say which kind of unit speaks (the last character of its name), and the unit of that kind
    written in full most often is the jurisdiction. Without such words the unit written in full at least twice,
    more often than any other, is. Stray readings of short names (a town that shares a far county's name)
    never count here: only names written whole, with their suffix.
    """
    full: dict[str, tuple[int, PlaceMention]] = {}
    for found in places:
        for p in found:
            if p.via or p.mention != p.name:
                continue
            n, first = full.get(p.adcode, (0, p))
            full[p.adcode] = (n + 1, first)
    if not full:
        return None
    ranked = sorted(full.values(), key=lambda e: -e[0])  # stable: first written first among equals
    kinds: dict[str, int] = {}
    for m in _SELF_REFERENCE.finditer(outline.text):
        ch = m.group("a") or m.group("b")
        kinds[ch] = kinds.get(ch, 0) + 1
    if kinds:
        speaker = max(kinds, key=lambda ch: kinds[ch])
        same = [(n, p) for n, p in ranked if p.name.endswith(speaker)]
        if same:
            n, p = same[0]
            return JurisdictionGuess(p.adcode, p.name, p.level, True,
                                     f"正文以“全{speaker}”等自称，{n}次写出全称“{p.name}”")
    n, p = ranked[0]
    if n >= 2 and (len(ranked) == 1 or ranked[1][0] < n):
        return JurisdictionGuess(p.adcode, p.name, p.level, True, f"正文{n}次写出全称“{p.name}”，多于其他地名")
    return None


def _title_jurisdiction(outline: Outline, gaz: Gazetteer) -> JurisdictionGuess | None:
    """The unit a title or issuer names as such (福建省推进厦漳泉同城化方案: 福建省, not a city of the cluster).

    `geo.importer.outline.detect_jurisdiction` takes the most specific place of the title; a cluster's members are
    the plan's subject, not its issuer, so where the title also names a unit in full, that one governs.
    """
    for source, label in ((outline.title, "标题"), (outline.issuer, "发文机关")):
        places = [p for p in find_places(source, gaz) if p.via != "cluster"] if source else []
        if places and len(places) < len(find_places(source, gaz)):
            best = max(places, key=lambda p: ({"county": 3, "prefecture": 2, "province": 1}[p.level], -p.start))
            return JurisdictionGuess(best.adcode, best.name, best.level, True, f"{label}写明“{best.mention}”")
    return None


_LEVEL_RANK = {"county": 3, "prefecture": 2, "province": 1}
_AREA_TITLE = re.compile(r"([\u4e00-\u9fff]{2,10}?)(?:大?都市圈|都市区|城市群|经济圈|城市圈)")
_LEAD_CITY = re.compile(r"(?:被?定位为|作为|为|是)(?:[\u4e00-\u9fff]{0,4}的)?(?:核心城市|中心城市|龙头城市)")


def _area_lead(outline: Outline, gaz: Gazetteer) -> JurisdictionGuess | None:
    """The lead unit of a metropolitan area or city cluster plan (《北部湾城市群发展规划》: 南宁市).

    The title names the area: a unit in its name leads it (郑州都市圈: 郑州市); else the unit the text makes its
    core city (南宁市被定位为核心城市).
    """
    m = _AREA_TITLE.search(outline.title or "")
    if not m:
        return None
    named = [p for p in find_places(m.group(1), gaz) if p.via != "cluster"]
    if named:
        best = max(named, key=lambda p: (_LEVEL_RANK[p.level], -p.start))
        return JurisdictionGuess(best.adcode, best.name, best.level, True, f"标题中的“{m.group(0)}”以{best.name}为名")
    for c in outline.clauses:
        body = outline.text[c.span[0] : c.span[1]]
        for lead in _LEAD_CITY.finditer(body):
            before = [p for p in find_places(body[max(0, lead.start() - 12) : lead.start()], gaz) if p.via != "cluster"]
            if before and before[-1].level != "province":
                p = before[-1]
                return JurisdictionGuess(p.adcode, p.name, p.level, True,
                                         f"“{m.group(0)}”的{lead.group(0)[-4:]}是{p.name}（正文写明）")
    return None


def _headline_area(outline: Outline, gaz: Gazetteer) -> JurisdictionGuess | None:
    """A report headlined with a city's metropolitan area that the text counts as 1+N led by that city.

    河南对全省城镇发展空间格局进行了重塑性调整，特别是郑州都市圈由原来的“1+4”拓展为“1+8”, the text then
    giving “1+4”(郑州+开封…): the plan is 郑州都市圈's, led by 郑州市 (not the province the headline names in
    passing). A headline naming a metropolitan area the text does not count so (台州舟山划入宁波都市区, a report on
    the province's four) is no such plan.
    """
    if outline.title:
        return None
    first = outline.text.strip().split("\n", 1)[0].strip()
    if not first or len(first) > 60 or re.search(r"[。；;]", first):
        return None
    leads = {m.group("lead") for m in ONE_PLUS.finditer(outline.text)}
    for area in re.finditer(r"大?都市圈|都市区", first):
        for p in find_places(first[: area.start()], gaz):
            if p.via != "cluster" and p.end == area.start() and p.level == "prefecture" and p.mention in leads:
                return JurisdictionGuess(p.adcode, p.name, p.level, True,
                                         f"首行的“{p.mention}{area.group(0)}”，正文以“1+N”({p.mention}+…)计其范围")
    return None


def _headline_jurisdiction(outline: Outline, gaz: Gazetteer) -> JurisdictionGuess | None:
    """A text without a formal title (a news report) whose short first line names a unit (安徽省优化升级…)."""
    if outline.title:
        return None
    first = outline.text.strip().split("\n", 1)[0].strip()
    if not first or len(first) > 40 or re.search(r"[。；;]", first):
        return None
    # only a unit written in full (安徽省, not 台州 of 台州舟山划入宁波都市区): a headline names its subject so
    places = [p for p in find_places(first, gaz) if p.via != "cluster" and p.mention == p.name]
    if not places:
        return None
    best = max(places, key=lambda p: (_LEVEL_RANK[p.level], -p.start))
    return JurisdictionGuess(best.adcode, best.name, best.level, True, f"首行写明“{best.mention}”")


def jurisdiction_candidates(draft: Draft, gazetteer: Gazetteer | None = None, limit: int = 12) -> list[Unit]:
    """Units a planner may mean as the jurisdiction: the guess, then units holding many of the places named."""
    gaz = gazetteer or load_gazetteer()
    counts: dict[str, int] = {}
    for clause in draft.clauses:
        for p in clause.places:
            for u in [gaz.unit(p.adcode), *gaz.ancestors(p.adcode)]:
                counts[u.adcode] = counts.get(u.adcode, 0) + 1
    ranked = sorted(counts, key=lambda a: (-counts[a], {"county": 0, "prefecture": 1, "province": 2}[gaz.unit(a).level], a))
    out = [draft.jurisdiction.adcode] if draft.jurisdiction.adcode else []
    out += [a for a in ranked if a not in out]
    return [gaz.unit(a) for a in out[:limit]]


def search_units(query: str, gazetteer: Gazetteer | None = None, limit: int = 20) -> list[Unit]:
    """Units whose name or short name contains ``query`` (exact names first, then prefixes, then the rest)."""
    gaz = gazetteer or load_gazetteer()
    q = str(query).strip()
    if not q:
        return []
    hits = []
    for u in gaz.units.values():
        names = (u.name, *u.short_names)
        if any(q in n for n in names):
            rank = 0 if q in names else 1 if any(n.startswith(q) for n in names) else 2
            hits.append((rank, {"province": 0, "prefecture": 1, "county": 2}[u.level], u.adcode, u))
    return [h[-1] for h in sorted(hits)[:limit]]
