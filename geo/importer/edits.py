"""Operations on a drafted collection: drawing a feature from its kind and members (`redraw`), and the planner's
edits (`rename`, `rekind`, `delete`, `merge`, `add_member`, the table of `feature_rows` / `apply_rows`).

Every operation returns a new collection; the input is not changed. `geo.importer.editing.PlanDraft` keeps the
revisions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from geo.feature import CONFIDENCES
from geo.importer.concepts import LINE_KINDS
from geo.importer.confidence import seat_meant
from geo.layers import KINDS, arc, make_feature, plan_shapes, spread
from geo.places.gazetteer import Gazetteer, load_gazetteer

__all__ = ["AREA_KINDS", "EDIT_KINDS", "LINE_KINDS", "add_member", "apply_rows", "delete", "feature_rows",
           "layers_by_kind", "merge", "redraw", "rekind", "rename"]

AREA_KINDS = ("core", "wing", "zone", "eco", "context")
EDIT_KINDS: tuple[str, ...] = tuple(k for k in KINDS if k != "admin")
"""Kinds a planner may give a feature (the admin base is not edited)."""

_NOTES = {
    "exact": "整县（区、市）合并：草图，成员取自条文所列地名",
    "approximate": "部分单元按整个单元绘制：条文只写了其中一部分（{parts}），实际范围更小",
    "line": "示意线：按文中顺序连接各地驻地（{path}）",
    "arc": "联系弧线：由{a}指向{b}（示意，不代表线路走向）",
    "anchor": "“{region}”不是行政区，以{anchor}代表（示意）",
    "point": "点位近似：置于{place}驻地附近（文本未给出确切位置）",
    "points": "点位近似：各成员驻地（{places}）",
    "seat": "点位：条文只写了{places}的{words}，画在驻地，未画整个单元（范围文本未给出）",
    "named_only": "文本仅提及名称，没有可绘制的空间信息（未编造几何）",
    "named_undefined": "文本提及此结构，但未写明其范围（未编造几何）",
}


def _towns_only(gaz: Gazetteer, props: Mapping[str, Any], members: Sequence[str]) -> bool:
    """Is every member of an area meant as its town only (龙游县城, 凯里市主城区), so a point at each seat?"""
    partial = set(props.get("partial") or ())
    words = props.get("partial_words") or []
    return (bool(members) and bool(words) and all(a in partial for a in members)
            and all(seat_meant(gaz, a, w) for a in members for w in words))


def redraw(feature: Mapping[str, Any], gazetteer: Gazetteer | None = None, jurisdiction: str | None = None, *,
           seat_use: dict | None = None, undefined: bool = False) -> dict:
    """Draw a feature from its kind and members (after an edit, or when first built).

    Areas (core, wing, zone, eco, context) are the union of their members' areas (``approximate`` when some
    member is meant only in part: ``properties.partial``), or points at their seats when every member is a county
    meant only as its town (龙游县城, 凯里市主城区: ``partial_words`` all `geo.importer.confidence.SEAT_WORDS`); corridors and routes a line through the members'
    seats in order; links arcs from the first member to each other one (or from the jurisdiction when there
    is one member); nodes the seat of their member (several members: each seat). A feature without members
    is ``named_only`` (geometry null).

    Parameters
    ----------
    feature : dict
        A GeoJSON feature following the schema.
    gazetteer : Gazetteer, optional
    jurisdiction : str, optional
        Adcode the draft is drawn for (shapes follow its base layer).
    seat_use : dict, optional
        Shared by the points of one map, so that points at one seat are spread on a ring.
    undefined : bool
        The text names the feature as a structure part but does not say where it is (the note says so).

    Returns
    -------
    dict
        A new feature; the input is not changed.
    """
    from shapely.geometry import LineString, MultiLineString, MultiPoint, Point
    from shapely.ops import unary_union

    gaz = gazetteer or load_gazetteer()
    props = dict(feature["properties"])
    kind = props["kind"]
    members = [a for a in props.get("members") or [] if a in gaz.units]
    units = [gaz.unit(a) for a in members]
    seat_use = {} if seat_use is None else seat_use
    geom, precision, note, named_only = None, "schematic", "", False
    if kind == "link" and len(members) == 1 and jurisdiction and members[0] != jurisdiction:
        members = [jurisdiction, members[0]]
        units = [gaz.unit(a) for a in members]
    if not units:
        named_only = True
        note = _NOTES["named_undefined" if undefined else "named_only"]
    elif kind in AREA_KINDS and _towns_only(gaz, props, members):
        # 一核 = 龙游县城: the county's town, not the county; its seat is where it is, its extent the text does not give
        points = [spread(u.seat, seat_use) for u in units]
        geom = Point(points[0]) if len(points) == 1 else MultiPoint(points)
        precision = "point"
        note = _NOTES["seat"].format(places="、".join(u.name for u in units),
                                     words="、".join(props.get("partial_words") or []))
    elif kind in AREA_KINDS:
        shapes = plan_shapes(gaz, jurisdiction, True) if jurisdiction else None
        pieces = [shapes.area(a, derived=True) if shapes else gaz.geometry(a) for a in members]
        geom = unary_union(pieces)
        partial = [a for a in props.get("partial") or [] if a in members]
        if partial:
            precision = "approximate"
            words = "、".join(props.get("partial_words") or []) or "部分区域"
            note = _NOTES["approximate"].format(parts="、".join(gaz.unit(a).name for a in partial) + "：" + words)
        else:
            precision, note = "exact", _NOTES["exact"]
    elif kind in LINE_KINDS and len(units) >= 2:
        geom = LineString([u.seat for u in units])
        note = _NOTES["line"].format(path="—".join(u.name for u in units))
    elif kind == "link" and len(units) >= 2:
        # One arc per place: none to a unit holding another target (粤港澳 → 广东省 and 广州市: the arc to 广州
        # points into 广东 already), none to the origin's own seat.
        targets = [u for u in units[1:] if not any(v is not u and gaz.contains(u.adcode, v.adcode) for v in units[1:])]
        ends = list(dict.fromkeys(u.seat for u in targets if u.seat != units[0].seat))
        arcs = [arc(units[0].seat, end) for end in ends]
        geom = arcs[0] if len(arcs) == 1 else (MultiLineString(arcs) if arcs else None)
        note = _NOTES["arc"].format(a=units[0].name, b="、".join(u.name for u in units[1:]))
        if props.get("anchor"):
            note += "；" + _NOTES["anchor"].format(region=props["anchor"], anchor=units[-1].name)
        if geom is None:
            named_only, note = True, _NOTES["named_only"]
    else:  # nodes, and lines or links with a single member: points at the seats
        points = [spread(u.seat, seat_use) for u in units]
        geom = Point(points[0]) if len(points) == 1 else MultiPoint(points)
        precision = "point"
        note = (_NOTES["point"].format(place=units[0].name) if len(units) == 1
                else _NOTES["points"].format(places="、".join(u.name for u in units)))
    if props.get("rule"):
        note += f"（{props['rule']}）"  # which rule of the text found the members
    props.update(members=members, precision=precision, precision_note=note, named_only=named_only)
    if kind == "link":
        props["direction"] = "forward"
    else:
        props.pop("direction", None)
    return make_feature(str(feature.get("id") or props.get("id")), geom, {k: v for k, v in props.items() if k != "id"})


def _edited(collection: Mapping[str, Any], features: list[dict]) -> dict:
    """A new collection with the same foreign members and these features."""
    return {**{k: v for k, v in collection.items() if k != "features"}, "features": features}


def _find_feature(collection: Mapping[str, Any], fid: str) -> dict:
    for f in collection["features"]:
        if f["id"] == fid:
            return f
    raise KeyError(f"no feature {fid!r}")


def rename(collection: Mapping[str, Any], fid: str, name: str) -> dict:
    """Rename a feature (clauses and excerpts are kept: the link to the text stays verbatim).

    Raises
    ------
    KeyError
        No such feature. ValueError for an empty name.
    """
    name = str(name).strip()
    if not name:
        raise ValueError("名称不能为空 / a feature needs a name")
    _find_feature(collection, fid)
    return _edited(collection, [
        {**f, "properties": {**f["properties"], "name": name[:200]}} if f["id"] == fid else f
        for f in collection["features"]])


def rekind(collection: Mapping[str, Any], fid: str, kind: str, gazetteer: Gazetteer | None = None,
           jurisdiction: str | None = None) -> dict:
    """Give a feature another kind; its geometry is redrawn for that kind (a core's members as a corridor …)."""
    if kind not in EDIT_KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {EDIT_KINDS}")
    old = _find_feature(collection, fid)
    if old["properties"]["kind"] == kind:
        return dict(collection)
    new = {**old, "properties": {**old["properties"], "kind": kind}}
    drawn = redraw(new, gazetteer, jurisdiction)
    return _edited(collection, [drawn if f["id"] == fid else f for f in collection["features"]])


def delete(collection: Mapping[str, Any], fids: Iterable[str]) -> dict:
    """Remove features (admin units are the base map and stay)."""
    drop = set(fids)
    return _edited(collection, [f for f in collection["features"]
                                if f["id"] not in drop or f["properties"].get("kind") == "admin"])


def merge(collection: Mapping[str, Any], fids: Sequence[str], gazetteer: Gazetteer | None = None,
          jurisdiction: str | None = None, *, name: str | None = None) -> dict:
    """Merge features into the first one: members, clauses and excerpts united, geometry redrawn.

    Raises
    ------
    ValueError
        Fewer than two non-admin features to merge.
    """
    chosen = [_find_feature(collection, fid) for fid in dict.fromkeys(fids)]
    chosen = [f for f in chosen if f["properties"].get("kind") != "admin"]
    if len(chosen) < 2:
        raise ValueError("至少选择两个要素才能合并 / select at least two features to merge")
    first = chosen[0]
    props = dict(first["properties"])
    props["name"] = (name or "、".join(dict.fromkeys(f["properties"]["name"] for f in chosen)))[:200]
    for key in ("members", "clauses", "partial", "partial_words"):
        props[key] = list(dict.fromkeys(x for f in chosen for x in f["properties"].get(key) or []))
    excerpts, seen = [], set()
    for f in chosen:
        for ex in f["properties"].get("excerpts") or []:
            k = (ex["clause"], ex["text"])
            if k not in seen:
                seen.add(k)
                excerpts.append(ex)
    props["excerpts"] = excerpts
    levels = [f["properties"]["confidence"] for f in chosen if f["properties"].get("confidence")]
    if levels:  # as sure as the least sure of them, for all their reasons
        props["confidence"] = max(levels, key=CONFIDENCES.index)
        reasons: list = []
        for f in chosen:
            reasons += [r for r in f["properties"].get("reasons") or [] if r not in reasons]
        props["reasons"] = reasons
    drawn = redraw({**first, "properties": props}, gazetteer, jurisdiction)
    gone = {f["id"] for f in chosen[1:]}
    return _edited(collection, [drawn if f["id"] == first["id"] else f for f in collection["features"]
                                if f["id"] not in gone])


def add_member(collection: Mapping[str, Any], fid: str, adcode: str, gazetteer: Gazetteer | None = None,
               jurisdiction: str | None = None) -> dict:
    """Add a place to a feature (a county clicked on the map, or picked from a list) and redraw it."""
    gaz = gazetteer or load_gazetteer()
    gaz.unit(adcode)
    old = _find_feature(collection, fid)
    if old["properties"].get("kind") == "admin":
        raise ValueError("行政区底图不能编辑 / the admin base cannot be edited")
    members = list(dict.fromkeys([*old["properties"].get("members", []), adcode]))
    drawn = redraw({**old, "properties": {**old["properties"], "members": members}}, gaz, jurisdiction)
    return _edited(collection, [drawn if f["id"] == fid else f for f in collection["features"]])


def feature_rows(collection: Mapping[str, Any], gazetteer: Gazetteer | None = None) -> list[dict]:
    """One row per concept feature for an editable table: id, name, kind, precision, confidence, members, clauses.

    The features to check (confidence ``low``) come first, then the others in drawing order. Every value is plain
    text (a table shows it as text: plan text is never markup).
    """
    gaz = gazetteer or load_gazetteer()
    rows = []
    for f in collection["features"]:
        p = f["properties"]
        if p.get("kind") == "admin":
            continue
        rows.append({
            "id": f["id"], "name": p["name"], "kind": p["kind"], "precision": p["precision"],
            "confidence": p.get("confidence") or "",
            "members": "、".join(gaz.unit(a).name for a in p.get("members") or [] if a in gaz.units),
            "clauses": "、".join(p.get("clauses") or []), "named_only": bool(p.get("named_only")),
        })
    return sorted(rows, key=lambda r: r["confidence"] != "low")


def apply_rows(collection: Mapping[str, Any], rows: Iterable[Mapping[str, Any]], gazetteer: Gazetteer | None = None,
               jurisdiction: str | None = None) -> dict:
    """Apply an edited table (`feature_rows` plus an optional ``delete`` flag): renames, new kinds, deletions."""
    out = dict(collection)
    doomed = []
    known = {f["id"]: f["properties"] for f in collection["features"]}
    for row in rows:
        fid = str(row.get("id"))
        if fid not in known:
            continue
        if row.get("delete"):
            doomed.append(fid)
            continue
        name = str(row.get("name") or "").strip()
        if name and name != known[fid]["name"]:
            out = rename(out, fid, name)
        kind = str(row.get("kind") or "")
        if kind and kind != known[fid]["kind"] and kind in EDIT_KINDS:
            out = rekind(out, fid, kind, gazetteer, jurisdiction)
    return delete(out, doomed) if doomed else out


def layers_by_kind(collection: Mapping[str, Any]) -> dict[str, dict]:
    """Split one FeatureCollection into layers (kind -> FeatureCollection) in `geo.layers.KINDS` order."""
    out: dict[str, dict] = {}
    for kind in KINDS:
        feats = [f for f in collection.get("features") or [] if (f.get("properties") or {}).get("kind") == kind]
        if feats:
            out[kind] = {"type": "FeatureCollection", "features": feats}
    return out
