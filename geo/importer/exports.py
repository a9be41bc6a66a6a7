"""Exports of a drafted collection: GeoJSON, GeoPackage, and the clauses with the places and features citing
them as CSV."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from geo.importer.edits import layers_by_kind
from geo.layers import dumps

if TYPE_CHECKING:
    from geo.importer.draft import Draft

__all__ = ["CLAUSE_COLUMNS", "draft_clauses_csv", "draft_geojson", "draft_gpkg"]


def draft_geojson(collection: Mapping[str, Any]) -> bytes:
    """The layers as one GeoJSON FeatureCollection (one feature per line, as in ``layers/``)."""
    return dumps({"type": "FeatureCollection", "features": list(collection.get("features") or [])}).encode("utf-8")


def draft_gpkg(collection: Mapping[str, Any], name: str = "plan") -> bytes:
    """The layers as a GeoPackage, one table per kind, columns as `geo.export.layers_gpkg` writes them.

    Raises
    ------
    ValueError
        A collection without features (a GeoPackage needs a table).
    """
    from geo.export import gpkg_bytes

    layers = layers_by_kind(collection)
    if not layers:
        raise ValueError("没有可导出的要素 / no feature to export")
    return gpkg_bytes(layers, name)


#: Columns of `draft_clauses_csv`: key, Chinese header, English header.
CLAUSE_COLUMNS = (
    ("clause_id", "条文编号", "clause id"), ("heading", "条文标题", "heading"),
    ("places", "条文中的地名", "places named"), ("features", "引用此条的要素", "features citing it"),
    ("text", "条文全文", "clause text"),
)


def draft_clauses_csv(draft: Draft, collection: Mapping[str, Any] | None = None, *, lang: str = "zh") -> bytes:
    """Every clause with the places it names and the features citing it, as CSV for Excel (UTF-8 with BOM).

    One row per clause in document order; places as ``name(adcode)`` and features as ``id name``, each list
    joined by ``、``. A cell starting like a formula (``= + - @``) gets a leading ``'`` (as `geo.export`
    does), so that Excel shows plan text instead of evaluating it.

    Parameters
    ----------
    draft : Draft
        The draft (its clauses and the places found in them).
    collection : dict, optional
        The layers as edited (default: the draft's own).
    lang : {"zh", "en"}
        Language of the headers.
    """
    import csv

    from geo.export import csv_cell

    collection = draft.collection if collection is None else collection
    citing: dict[str, list[str]] = {}
    for f in collection.get("features") or []:
        p = f.get("properties") or {}
        if p.get("kind") != "admin":
            for cid in dict.fromkeys(p.get("clauses") or ()):
                citing.setdefault(cid, []).append(f"{f['id']} {p.get('name', '')}")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c[2] if lang == "en" else c[1] for c in CLAUSE_COLUMNS])
    for clause in draft.clauses:
        places = dict.fromkeys(f"{p.name}({p.adcode})" for p in clause.places)
        row = {"clause_id": clause.id, "heading": clause.heading, "places": "、".join(places),
               "features": "、".join(citing.get(clause.id, ())), "text": clause.text}
        writer.writerow([csv_cell(row[c[0]]) for c in CLAUSE_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
