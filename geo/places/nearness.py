"""How admin units lie to one another: near a plan's jurisdiction, touching, peers at a level, capitals.

The gazetteer's relations (containment, neighbours) read for the place matcher (`geo.places.matcher`: a
county far from the plan is more likely a word) and the abbreviation clusters (`geo.places.clusters`: the
members of 宁镇扬 lie together). Results keyed by the gazetteer are cached once per gazetteer.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

from geo.places.gazetteer import Gazetteer, Unit


def is_near(gazetteer: Gazetteer, adcode: str, jurisdiction: str) -> bool:
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


def province_near(gazetteer: Gazetteer, adcode: str, jurisdiction: str) -> bool:
    """In the jurisdiction's province or a province bordering it."""
    home, there = gazetteer.unit(jurisdiction).province, gazetteer.unit(adcode).province
    return home == there or there in gazetteer.neighbours(home)


def tier(unit: Unit) -> str:
    """Province, city (prefectures, the four municipalities, counties a province governs) or county."""
    if unit.level == "province":
        return "city" if unit.name.endswith("市") else "province"
    return "city" if unit.level == "prefecture" or directly_governed(unit) else "county"


_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})  # their districts stay counties


def directly_governed(unit: Unit) -> bool:
    """A county-level unit directly under its province (省直辖县级行政单位), not under a prefecture."""
    parent = unit.parent or ""
    return unit.level == "county" and parent.endswith("0000") and parent not in _MUNICIPALITIES


def provinces_touch(gazetteer: Gazetteer, units: Sequence[Unit]) -> bool:
    """A real cluster keeps its members close: one province, or provinces each touching another."""
    provinces = sorted({u.province for u in units})
    return len(provinces) == 1 or all(
        any(p2 in gazetteer.neighbours(p1) for p2 in provinces if p2 != p1) for p1 in provinces)


def component_count(gazetteer: Gazetteer, units: Sequence[Unit]) -> int:
    """How many groups the units form when touching units (or one inside another) are joined."""
    group = list(range(len(units)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, a in enumerate(units):
        for j in range(i + 1, len(units)):
            if units_touch(gazetteer, a.adcode, units[j].adcode):
                group[root(i)] = root(j)
    return len({root(i) for i in range(len(units))})


@functools.cache
def units_touch(gazetteer: Gazetteer, a: str, b: str) -> bool:
    """Do two units share a border, compared at the coarser of their levels (or does one hold the other)?"""
    if gazetteer.contains(a, b) or gazetteer.contains(b, a):
        return True
    ua, ub = gazetteer.unit(a), gazetteer.unit(b)
    level = min(("province", "prefecture", "county").index(ua.level), ("province", "prefecture", "county").index(ub.level))
    pa, pb = peer_at_level(gazetteer, ua, level), peer_at_level(gazetteer, ub, level)
    return pa == pb or pb in gazetteer.neighbours(pa)


def peer_at_level(gazetteer: Gazetteer, unit: Unit, level: int) -> str:
    """The unit or its ancestor at a level (0 province, 1 prefecture, 2 county); a 省直辖 unit stands for itself."""
    levels = ("province", "prefecture", "county")
    while levels.index(unit.level) > level and unit.parent is not None:
        parent = gazetteer.unit(unit.parent)
        if levels.index(parent.level) < level:
            break
        unit = parent
    return unit.adcode


@functools.cache
def provincial_capitals(gazetteer: Gazetteer) -> frozenset[str]:
    """Provincial capitals: in each province, the prefecture whose seat lies nearest the province's seat."""
    out = set()
    for province in (u for u in gazetteer.units.values() if u.level == "province"):
        prefectures = [u for u in gazetteer.children(province.adcode) if u.level == "prefecture"]
        if prefectures:
            sx, sy = province.seat
            out.add(min(prefectures, key=lambda u: (u.seat[0] - sx) ** 2 + (u.seat[1] - sy) ** 2).adcode)
    return frozenset(out)


@functools.cache
def descendants(gazetteer: Gazetteer, adcode: str) -> tuple[Unit, ...]:
    """Every unit inside an adcode (children, grandchildren)."""
    return tuple(u for u in gazetteer.units.values() if u.adcode != adcode and gazetteer.contains(adcode, u.adcode))



def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lon, lat) points in kilometres."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))
