"""The Overview with many plans: their footprints aggregated by level and region, not one layer per plan.

With hundreds of plans on one server the Overview cannot draw each plan's layers. `overview_footprints` counts
the plans by the unit they govern, from the store's index (one grouped query) and the bundled plans;
`footprint_collections` draws one layer per level (province, prefecture, county plans), each unit governed once,
shaded by how many plans govern it, named with that count. The unit's outline comes from the gazetteer,
simplified to the scale of the country.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo.store.index import LEVELS, IndexedPlan
from geo.view.catalogue import _store_call

__all__ = ["Footprint", "footprint_collections", "overview_footprints"]


@dataclass(frozen=True)
class Footprint:
    """The plans governing one unit.

    Attributes
    ----------
    level : str
        The unit's level (one of `geo.store.index.LEVELS`).
    adcode, place : str
    province : str
        Adcode of its province.
    plans : int
        How many plans govern it.
    first, last : int or None
        The earliest and latest years of those plans.
    """

    level: str
    adcode: str
    place: str
    province: str
    plans: int
    first: int | None = None
    last: int | None = None


def overview_footprints(store: Any, bundled: Sequence[IndexedPlan] = ()) -> list[Footprint]:
    """Every listed and bundled plan counted by the unit it governs: by level (highest first), most plans first."""
    merged: dict[tuple[str, str], list[Any]] = {}
    for level, adcode, place, province, n, first, last in _store_call(store, "footprints") or ():
        merged[(level, adcode)] = [place, province, int(n), first, last]
    for p in bundled:
        e = p.entry
        if not e.adcode:
            continue
        row = merged.setdefault((e.level, e.adcode), [e.place, e.province, 0, e.year, e.year])
        row[2] += 1
        years = [y for y in (row[3], row[4], e.year) if y]
        row[3], row[4] = (min(years), max(years)) if years else (None, None)
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    out = [Footprint(level, adcode, *row) for (level, adcode), row in merged.items()]
    return sorted(out, key=lambda f: (rank.get(f.level, len(LEVELS)), -f.plans, f.adcode))


@functools.lru_cache(maxsize=4096)
def _outline(gazetteer: Any, adcode: str, tolerance: float) -> dict | None:
    import shapely
    from shapely.geometry import mapping

    if adcode not in gazetteer.units:
        return None
    geom = shapely.set_precision(shapely.simplify(gazetteer.geometry(adcode), tolerance, preserve_topology=True),
                                 0.001)
    return None if geom.is_empty else mapping(geom)


#: Douglas-Peucker tolerance (degrees) of each level's outlines: coarser for larger units.
TOLERANCE = {"national": 0.1, "province": 0.05, "prefecture": 0.02, "county": 0.01}


def footprint_collections(footprints: Sequence[Footprint], gazetteer: Any, lang: str = "zh") -> list[dict[str, Any]]:
    """One FeatureCollection per level (highest first): each unit governed, its outline, how many plans.

    A feature has the schema's properties (kind ``zone``, precision ``exact``, the unit as its member, no
    clause: it stands for plans, not for a clause), plus ``plans`` (the count) and ``group`` (the level).
    """
    from geo.i18n import t

    by_level: dict[str, list[dict[str, Any]]] = {}
    for f in footprints:
        geom = _outline(gazetteer, f.adcode, TOLERANCE.get(f.level, 0.02))
        if geom is None:
            continue
        unit = gazetteer.units[f.adcode]
        name = unit.name_en if lang == "en" and unit.name_en else (f.place or unit.name)
        label = t("footprint.name", lang, place=name, n=f.plans)
        fid = f"fp-{f.level}-{f.adcode}"
        by_level.setdefault(f.level, []).append({"type": "Feature", "id": fid, "geometry": geom, "properties": {
            "id": fid, "plan": "", "name": label, "name_en": label, "kind": "zone",
            "role": t(f"level.{f.level}", lang), "clauses": [], "excerpts": [], "precision": "exact",
            "precision_note": "", "members": [f.adcode], "inferred": None, "named_only": False,
            "group": f.level, "plans": f.plans}})
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    return [{"type": "FeatureCollection", "level": level, "features": feats}
            for level, feats in sorted(by_level.items(), key=lambda kv: rank.get(kv[0], 9))]
