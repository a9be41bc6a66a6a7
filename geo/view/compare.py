"""Comparing two plans (Overview): the places both name, the layers of the two maps or of the overlay, outlines."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from geo.view.model import PlanData, _fid, _kind_order
from geo.view.panels import Mention, _mentions, feature_name

__all__ = [
    "COMPARE_KINDS",
    "OVERLAY_KINDS",
    "SharedPlace",
    "compare_collections",
    "place_outlines",
    "shared_places",
]

#: What a comparison draws of each plan: its own units and its structure (links, routes and context would
#: cross the country and hide the two plans).
COMPARE_KINDS = ("admin", "zone", "eco", "wing", "core", "corridor", "node")
#: What the overlay draws of the second plan: its structure, and its own units as outlines.
OVERLAY_KINDS = ("admin", "zone", "wing", "core", "corridor", "node")


@dataclass(frozen=True)
class SharedPlace:
    """A place two compared plans both name, with each plan's clauses about it.

    Parameters
    ----------
    adcode : str
    name : str
        The unit's name (gazetteer, else the first plan's feature).
    first, second : tuple of Mention
        The clauses of the first and of the second plan about it.
    """

    adcode: str
    name: str
    first: tuple[Mention, ...]
    second: tuple[Mention, ...]


def _place_mentions(data: PlanData, adcode: str) -> tuple[Mention, ...]:
    clauses: list[str] = []
    excerpts: list[Mapping[str, Any]] = []
    for fid in data.places.get(adcode, ()):
        p = data.features[fid].get("properties") or {}
        clauses.extend(str(c) for c in p.get("clauses") or ())
        excerpts.extend(e for e in p.get("excerpts") or () if isinstance(e, Mapping))
    return _mentions(data, list(dict.fromkeys(clauses)), excerpts)


def shared_places(first: PlanData, second: PlanData, unit_name: Any = None) -> list[SharedPlace]:
    """The places both plans name (a unit a feature of each is built from, and whose clauses it cites).

    Parameters
    ----------
    first, second : PlanData
    unit_name : callable, optional
        ``adcode -> name`` (the gazetteer's); without it the first plan's feature names the place.

    Returns
    -------
    list of SharedPlace
        By adcode.
    """
    out = []
    for adcode in sorted(set(first.places) & set(second.places)):
        name = unit_name(adcode) if unit_name else ""
        if not name:
            county = first.county_feature(adcode) or first.places[adcode][0]
            name = feature_name(first.features[county].get("properties") or {})
        out.append(SharedPlace(adcode, name, _place_mentions(first, adcode), _place_mentions(second, adcode)))
    return out


def _marked(feat: Mapping[str, Any], mark: str, suffix: str = "") -> dict[str, Any]:
    props = dict(feat.get("properties") or {})
    props["mark"] = mark
    if suffix:
        props["name"] = f"{props.get('name', '')}（{suffix}）"
        props["name_en"] = f"{props.get('name_en') or props.get('name', '')} ({suffix})"
    fid = _fid(feat)
    return {**feat, "id": f"{mark}:{fid}", "properties": {**props, "id": f"{mark}:{fid}"}}


def compare_collections(first: PlanData, second: PlanData, mode: str,
                        shared_outlines: Mapping[str, Any] | None = None,
                        ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The layers of a comparison: two maps side by side, or one with the second plan over the first.

    Parameters
    ----------
    first, second : PlanData
        The plan shown and the plan compared with it.
    mode : {"side", "overlay"}
    shared_outlines : dict, optional
        Adcode -> GeoJSON geometry of the places both name (`place_outlines`); drawn marked ``shared`` on
        every map. A place without an outline is listed, not drawn.

    Returns
    -------
    first_map, second_map : list of FeatureCollection
        ``second_map`` is empty in overlay mode, where ``first_map`` holds the second plan's structure marked
        ``overlay`` (its names say which plan they belong to).
    """
    def own(data: PlanData, kinds: Sequence[str]) -> list[Mapping[str, Any]]:
        feats = []
        for kind in kinds:
            for f in (data.layers.get(kind) or {}).get("features") or ():
                p = f.get("properties") or {}
                if f.get("geometry") is None or (kind == "admin" and p.get("group") == "neighbour"):
                    continue
                feats.append(f)
        return feats

    shared = [{"type": "Feature", "id": f"shared:{a}", "geometry": g, "properties": {
        "id": f"shared:{a}", "plan": "", "name": name, "name_en": name, "kind": "context", "role": "",
        "clauses": [], "excerpts": [], "precision": "exact", "precision_note": "", "members": [a],
        "inferred": None, "named_only": False, "mark": "shared"}}
        for a, (name, g) in sorted((shared_outlines or {}).items()) if g]

    def collections(feats: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        by_kind: dict[str, list[Mapping[str, Any]]] = {}
        for f in feats:
            by_kind.setdefault(str((f.get("properties") or {}).get("kind", "context")), []).append(f)
        return [{"type": "FeatureCollection", "features": by_kind[k]} for k in _kind_order(by_kind)]

    if mode == "overlay":
        label = second.plan.meta.jurisdiction.name or second.id
        over = [_marked(f, "overlay", label) for f in own(second, OVERLAY_KINDS)]
        return collections([*own(first, COMPARE_KINDS), *shared, *over]), []
    return collections([*own(first, COMPARE_KINDS), *shared]), collections([*own(second, COMPARE_KINDS), *shared])


def place_outlines(gazetteer: Any, adcodes: Iterable[str], tolerance: float = 0.01) -> dict[str, tuple[str, Any]]:
    """Adcode -> (name, simplified GeoJSON geometry) of admin units, for marking shared places on a map.

    Parameters
    ----------
    gazetteer : geo.places.gazetteer.Gazetteer
    adcodes : iterable of str
        Unknown codes are skipped.
    tolerance : float
        Douglas-Peucker tolerance in degrees for a county (0.01° ≈ 1 km: its outline at the scale of two
        plans); twice that for a prefecture, five times for a province.
    """
    import shapely
    from shapely.geometry import mapping

    out = {}
    for adcode in adcodes:
        try:
            unit, geom = gazetteer.unit(adcode), gazetteer.geometry(adcode)
        except (KeyError, ValueError):
            continue
        scaled = tolerance * {"province": 5, "prefecture": 2}.get(unit.level, 1)  # a province needs less detail
        geom = shapely.set_precision(shapely.simplify(geom, scaled, preserve_topology=True), 0.0001)
        if not geom.is_empty:
            out[str(adcode)] = (unit.name, mapping(geom))
    return out
