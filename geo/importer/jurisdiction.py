"""Which unit a plan governs: read from its title, issuer, headline or lead city, and the planner's choice.

`guess_jurisdiction` tries, in order: a title or issuer naming a unit in full (福建省推进厦漳泉同城化方案), the
lead city of a metropolitan area or city cluster plan (郑州都市圈, 南宁市被定位为核心城市), a headline counting
an area as 1+N (“1+4”(郑州+开封…)), a headline naming a unit (安徽省优化升级…), and last
`geo.importer.outline.detect_jurisdiction` (title, issuer, signature, else the unit holding most places named).
The planner may correct the guess (`jurisdiction_candidates`, `search_units`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from geo.importer.outline import JurisdictionGuess, stated_jurisdiction, voted_jurisdiction
from geo.importer.patterns import AREA_DEFINITION, FORMED_AREA, ONE_PLUS, trim_opener
from geo.places.gazetteer import Gazetteer, Unit, load_gazetteer
from geo.places.matcher import segment_cuts, short_name_matches
from geo.places.mentions import PlaceMention, find_places
from geo.places.surroundings import town_after
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
              or _headline_jurisdiction(outline, gaz) or _opening_plan_owner(outline, gaz))
    if stated:
        return stated
    places = [find_places(c.text, gaz) for c in outline.clauses]
    scope = _scope_lead(outline, gaz, places)
    stated = stated_jurisdiction(outline, gaz)
    if stated and not (scope and _names_only_clusters(outline, gaz)):
        return stated  # (a title naming its area by provinces' abbreviations, 晋豫交界城市群, leaves it to the scope)
    return (scope or _signed(outline, gaz) or _named_in_full(outline, places) or _county_by_short_name(outline, gaz, places)
            or voted_jurisdiction(outline, gaz, places))


# A county's own voice: 工业强县, 全县, 我县, 县委, 县政府 (the words a county plan speaks of itself with; not 县城 or
# 县域, which a province's or a city's plan writes of all its counties, nor a comparison such as 全县平均).
_COUNTY_VOICE = re.compile(r"强县|(?<![居占于在超比较列])[全我本]县(?![域份场级]|前列|第[一二三]|首位|之首|平均|领先)|"
                           r"县委|县政府")


def _county_by_short_name(outline: Outline, gaz: Gazetteer, places: list[list[PlaceMention]]) -> JurisdictionGuess | None:
    """A county plan that never writes its county in full, only its short name in its own features (马边河流域经济…
    发展带 in 马边彝族自治县's plan, a 县城 or 经济开发区 of that name): the one county whose short name the text
    writes, inside a province or prefecture the text names, when the text speaks as a county (工业强县, 全县, 县委).

    Every other reading wins first (a title, a signature, a name written in full); a far homonym is no candidate
    (the county must lie in a unit the text names), and two such counties (屏边、河口两地) leave it to the vote: not
    sure. A name a word crosses (三河|口) or a village's (大竹堡) is no county's.
    """
    voice = _COUNTY_VOICE.search(outline.text)
    if not voice:
        return None
    named = [p for found in places for p in found if not p.via]
    if any(p.level == "county" and p.mention == p.name for p in named):
        return None  # a county written in full: not this case
    holders = {p.adcode for p in named if p.level in ("province", "prefecture")}
    seen: dict[str, str] = {}
    for start, end, form, adcodes in short_name_matches(outline.text, gaz) if holders else ():
        if town_after(outline.text[end:]) or segment_cuts(outline.text, start, end):
            continue
        for a in adcodes:
            u = gaz.unit(a)
            if u.level == "county" and u.name != form and any(gaz.contains(h, a) for h in holders):
                seen.setdefault(a, form)
    if len(seen) != 1:
        return None
    ((adcode, form),) = seen.items()
    u = gaz.unit(adcode)
    holder = next(gaz.unit(h).name for h in holders if gaz.contains(h, adcode))
    return JurisdictionGuess(u.adcode, u.name, u.level, False,
                             f"正文以县自称（“{voice.group(0)}”），只以简称写出{holder}的“{form}”：取{u.name}")


# A signature closing the text without a date line after it (平昌县人民政府, 中共某县委 某县人民政府).
_SIGNATURE = re.compile(r"[\u4e00-\u9fff（）()]{2,40}?(?:人民政府|人民政府办公室|委员会|政府办公室|人民代表大会常务委员会)")


def _signed(outline: Outline, gaz: Gazetteer) -> JurisdictionGuess | None:
    """The unit a closing signature line names (the most specific one), where no date line follows it."""
    lines = [line.strip() for line in outline.text.strip().split("\n") if line.strip()]
    if not lines or not _SIGNATURE.fullmatch(re.sub(r"\s+", "", lines[-1])):
        return None
    places = [p for p in find_places(lines[-1], gaz) if p.via != "cluster"]
    if not places:
        return None
    best = max(places, key=lambda p: (_LEVEL_RANK[p.level], -p.start))
    return JurisdictionGuess(best.adcode, best.name, best.level, True, f"落款写明“{best.mention}”")


def _names_only_clusters(outline: Outline, gaz: Gazetteer) -> bool:
    """Do the title, issuer and signature name units by abbreviation clusters alone (晋豫, 呼包鄂榆)?"""
    places = [p for source in (outline.title, outline.issuer, " ".join(outline.front_matter)) if source
              for p in find_places(source, gaz)]
    return bool(places) and all(p.via == "cluster" for p in places)


# A plan's scope sentence: 规划范围包括A、B、C; 都市圈范围为…; 本规划范围涵盖… (the units it covers).
_SCOPE = re.compile(r"(?:规划|规划区|都市圈|城市群|经济圈|城市圈|经济区|经济带|协作区|示范区|一体化地区|同城化地区)"
                    r"(?:的)?(?:空间)?范围[：:]?\s*(?:主要)?(?:包括|包含|涵盖|覆盖|囊括|为|是|含)[：:]?(?P<body>[^。；;\n]{4,400})")


# … or the sentence right after one naming the area (石家庄都市圈以石家庄市为中心…共同组成。主要包括：…).
_SCOPE_NEXT = re.compile(r"(?:都市圈|城市群|经济圈|城市圈|经济区|经济带|协作区|一体化地区|同城化地区)[^。；;\n]{0,80}[。；;]\s*"
                         r"(?:其|规划)?(?:范围)?(?:主要|具体)?(?:包括|包含|涵盖|囊括)[：:]?(?P<body>[^。；;\n]{4,400})")


def scope_span(text: str, title: str = "", *, formed: bool = False) -> tuple[int, int] | None:
    """Where a text's scope sentence lists the units the plan covers (规划范围包括山西省晋城市、长治市，河南省焦作市…),
    or a definition of an area the title names (大南昌都市圈包括南昌市…): the span of its list, else None.

    The one reader of how a plan writes its area, for the jurisdiction's guess and the drawn area alike (the builder's
    `geo.importer.builder.Builder._plan_area`). ``formed``: also an area the title names that the text says its
    lead city and the cities close to it form (石家庄都市圈以石家庄市为中心，与联系紧密的衡水市…共同组成): the whole
    sentence, the lead city with them (the drawn area reads it; the guess leaves it to the title's lead city)."""
    m = _SCOPE.search(text) or _SCOPE_NEXT.search(text)
    if m:
        return m.start("body"), m.end("body")
    for pattern in (AREA_DEFINITION, FORMED_AREA) if formed else (AREA_DEFINITION,):
        for m in pattern.finditer(text):
            name = trim_opener(m.group("name"))
            if title and (name in title or name[-3:] in title):
                return (m.start("body"), m.end("body")) if "body" in pattern.groupindex else (m.start(), m.end())
    return None


def scope_units(text: str, places: Sequence[PlaceMention], title: str = "", *,
                formed: bool = False) -> list[PlaceMention]:
    """The units a scope sentence of ``text`` lists (provinces only qualify them: 山西省晋城市), in order;
    ``places`` are the places found in ``text``; ``formed`` as for `scope_span`. Fewer than two units: no area."""
    span = scope_span(text, title, formed=formed)
    if span is None:
        return []
    units = [p for p in places if span[0] <= p.start and p.end <= span[1] and p.level != "province"
             and p.via != "qualifier"]  # 岳阳市汨罗市: the county alone
    return units if len({p.adcode for p in units}) >= 2 else []


def _scope_lead(outline: Outline, gaz: Gazetteer, places: list[list[PlaceMention]]) -> JurisdictionGuess | None:
    """A plan whose scope sentence lists units of several prefectures or provinces (a 城市群 across two provinces):
    the area is those units, and its lead unit the jurisdiction, the unit the text makes its core city, else the
    listed city the text names most (the first listed among equals). Units of one unit's plan (规划范围包括A区、
    B区) leave the jurisdiction to the title, the text's own name or the vote."""
    title = outline.title or ""
    for clause, found in zip(outline.clauses, places):
        units = scope_units(clause.text, found, title)
        if not units:
            continue
        codes = list(dict.fromkeys(p.adcode for p in units))
        if any(all(gaz.contains(a, b) for b in codes) for a in codes):
            return None  # 规划范围为某市全域，包括A区、B县: the holding unit speaks for itself
        held = {a for a in codes if any(b != a and gaz.contains(b, a) for b in codes)}
        tops = [a for a in codes if a not in held]
        if len({gaz.unit(a).parent for a in tops} | {gaz.unit(a).province for a in tops}) < 2:
            return None  # counties of one prefecture: that prefecture's plan, read by the vote
        counts = {a: 0 for a in tops}
        for found_in in places:
            for p in found_in:
                if p.adcode in counts:
                    counts[p.adcode] += 1
        rank = {"prefecture": 0, "province": 0, "county": 1}
        lead = min(tops, key=lambda a: (rank[gaz.unit(a).level], -counts[a], tops.index(a)))
        for c in outline.clauses:
            for m in _LEAD_CITY.finditer(c.text):
                before = [p for p in find_places(c.text[max(0, m.start() - 12) : m.start()], gaz)
                          if p.via != "cluster" and p.adcode in codes]
                if before:
                    lead = before[-1].adcode
                    break
        u = gaz.unit(lead)
        names = "、".join(gaz.unit(a).name for a in codes[:4]) + ("等" if len(codes) > 4 else "")
        return JurisdictionGuess(u.adcode, u.name, u.level, False,
                                 f"规划范围包括{names}{len(codes)}个单元，以{u.name}为牵头单元（文本提及最多或定为核心城市）")
    return None


# How a plan speaks of its own area: 全县, 本市, 我区, 县委县政府 (the last character of the unit's name). A
# comparison with the unit above is no self-reference: a county's 位居全省前列, 占全省, 高于全省平均, 全省第一.
_SELF_REFERENCE = re.compile(r"(?:(?<![居占于在超比较列])[全本我](?P<a>[省市县区州旗盟])(?![域份场级]|前列|第[一二三]|首位|之首|平均|领先)"
                             r"|(?P<b>[省市县区州旗盟])委(?P=b)?(?:人民)?政府)")


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


# A plan's name after the unit that owns it, in the text's first sentence: 凯里市“强州府”五年行动明确指出…,
# 平昌县国民经济和社会发展第十四个五年规划纲要提出…, 某县《乡村振兴规划》… (a plan, action, programme or outline).
_PLAN_NAME = re.compile(r"(?:人民政府|政府)?(?:印发的?|制定的?|编制的?)?[《“\"]?[^。；;，,：:！？\n]{0,24}?"
                        r"(?:规划|方案|行动|纲要|计划|意见|战略)")


def _opening_plan_owner(outline: Outline, gaz: Gazetteer) -> JurisdictionGuess | None:
    """A text without a formal title whose first sentence opens with a unit written in full that owns the plan it
    names (凯里市“强州府”五年行动明确指出…): that unit, however often its prefecture or its partners are named.

    The unit must open the sentence (a report on a plan begins with whose plan it is) and be written whole, with
    its suffix; the most specific unit there wins (黔东南州凯里市: 凯里市).
    """
    if outline.title:
        return None
    first = re.split(r"[。；;！？\n]", outline.text.strip(), maxsplit=1)[0]
    places = [p for p in find_places(first, gaz) if p.via != "cluster" and p.mention == p.name]
    opening = []
    pos = 1 if first.startswith("《") else 0
    for p in sorted(places, key=lambda p: p.start):
        if p.start != pos:
            break
        opening.append(p)
        pos = p.end
    if not opening or not _PLAN_NAME.match(first, pos):
        return None
    best = max(opening, key=lambda p: (_LEVEL_RANK[p.level], -p.start))
    return JurisdictionGuess(best.adcode, best.name, best.level, True, f"首句以“{best.mention}”的规划为主语")


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
