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

__all__ = ["LEVEL_COLOURS", "Footprint", "footprint_bounds", "footprint_collections", "footprint_groups",
           "footprint_map", "overview_footprints"]


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
        unit = gazetteer.units[f.adcode]  # the gazetteer's name, never a plan's text: the map shows no plan text
        name = unit.name_en if lang == "en" and unit.name_en else unit.name
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


#: One colour per level of plan (ColorBrewer Set2): provinces, prefectures, counties told apart at a glance.
LEVEL_COLOURS = {"national": "#8da0cb", "province": "#8da0cb", "prefecture": "#66c2a5", "county": "#fc8d62"}


def footprint_bounds(collections: Sequence[dict[str, Any]]) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of every footprint (None: none)."""
    from shapely.geometry import shape

    boxes = [shape(f["geometry"]).bounds for fc in collections for f in fc.get("features") or () if f.get("geometry")]
    if not boxes:
        return None
    return [[min(b[1] for b in boxes), min(b[0] for b in boxes)], [max(b[3] for b in boxes), max(b[2] for b in boxes)]]


def footprint_groups(collections: Sequence[dict[str, Any]], lang: str = "zh") -> list[Any]:
    """One ``folium.FeatureGroup`` per level: each unit filled in its level's colour, more opaque for more plans
    (a logarithmic scale up to the most plans any unit of that level has), its name and count as tooltip."""
    import math

    import folium

    from geo.i18n import t
    from geo.safe import template_inert

    groups = []
    for fc in collections:
        level = str(fc.get("level") or "")
        colour = LEVEL_COLOURS.get(level, "#999999")
        most = max((int(f["properties"].get("plans") or 1) for f in fc.get("features") or ()), default=1)

        def style(feature: dict, colour: str = colour, most: int = most) -> dict:
            n = int(feature["properties"].get("plans") or 1)
            share = math.log1p(n) / math.log1p(most) if most > 1 else 1.0
            return {"color": colour, "weight": 1, "fillColor": colour, "fillOpacity": round(0.2 + 0.55 * share, 3)}

        group = folium.FeatureGroup(name=t("meets.group", lang, level=t(f"level.{level}", lang),
                                           n=sum(int(f["properties"].get("plans") or 0) for f in fc["features"])))
        data = template_inert({"type": "FeatureCollection", "features": fc["features"]})
        folium.GeoJson(data, style_function=style, highlight_function=lambda _f: {"weight": 3},
                       tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False)).add_to(group)
        groups.append(group)
    return groups


@functools.lru_cache(maxsize=2)
def _provinces(gazetteer: Any) -> dict[str, Any]:
    """China's provinces as the backdrop (simplified once per gazetteer: seconds on a busy machine)."""
    from geo.view.overview import province_outlines

    return province_outlines(gazetteer)


def footprint_map(key: str, footprints: Sequence[Footprint], gazetteer: Any, lang: str = "zh", basemap: str = "none",
                  tianditu: str | None = None, fit_options: Any = None) -> dict[str, Any]:
    """The Overview map of many plans rendered for the map frame (`geo.view.frameargs`): China's provinces under
    the footprints of every level, opening on them all."""
    from geo.view.frameargs import frame_key, render_base, render_groups, wire
    from geo.view.mapview import build_map, layer_groups
    from geo.view.mapwidget import skeleton
    collections = footprint_collections(footprints, gazetteer, lang)
    home = footprint_bounds(collections)
    m = build_map(skeleton([]), lang=lang, basemap=basemap, tianditu_key=tianditu, layers=(), fit=home,
                  fit_options=fit_options if home is not None else None)
    groups = [*layer_groups([_provinces(gazetteer)], lang=lang, basemap=basemap).values(),
              *footprint_groups(collections, lang)]
    frame = render_base(m)
    frame.update(feature_group=render_groups(groups, m), groups=len(groups), key=frame_key(key, frame["script"]),
                 home=home)
    return wire(frame)
