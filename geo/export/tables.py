"""The data exports of a plan's visible layers: GeoJSON, GeoPackage, and the clause CSV for Excel.

Each is a pure function of a bundled plan id and the visible layers (and, for the CSV, the language) that
returns ``bytes``; `gpkg_bytes` and `csv_cell` also serve an imported draft's exports
(`geo.importer.draft`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from geo.export.common import _feature_list, _name, _visible
from geo.i18n import STRINGS, kind_label, precision_label, t
from geo.layers import dumps

__all__ = ["CSV_COLUMNS", "clauses_csv", "csv_cell", "gpkg_bytes", "layers_geojson", "layers_gpkg"]

#: Columns of `clauses_csv`: (key, Chinese header, English header).
CSV_COLUMNS: tuple[tuple[str, str, str], ...] = tuple(
    (key, *STRINGS[f"csv.{key}"]) for key in (
        "plan_id", "feature_id", "name", "kind", "precision", "precision_note", "inferred", "named_only",
        "clause_id", "clause_heading", "excerpt", "clause_text"))
_CSV_FORMULA = re.compile(r"^[=+\-@\t\r]")


def layers_geojson(plan_id: str, layers: Iterable[str] | None = None) -> bytes:
    """Return the visible layers as one GeoJSON FeatureCollection (RFC 7946, WGS84, UTF-8).

    Features keep their schema (``geo/feature.schema.json``): ``kind`` says which layer each came from;
    named-only features are kept with ``geometry: null``. One feature per line, as in ``layers/``.

    Parameters
    ----------
    plan_id : str
        A bundled plan id.
    layers : iterable of str, optional
        Layer names (`geo.layers.KINDS`); None exports every layer the plan has.

    Returns
    -------
    bytes

    Raises
    ------
    geo.text.plans.UnknownPlanError
        Unknown plan id.
    ExportError
        Unknown layer name (a known kind the plan lacks is simply empty).

    Examples
    --------
    >>> fc = json.loads(layers_geojson("wangcang", ["core"]))
    >>> [f["properties"]["name"] for f in fc["features"]]
    ['广元经济发展重要增长极']
    """
    _, _, visible = _visible(plan_id, layers)
    return dumps({"type": "FeatureCollection", "features": _feature_list(visible)}).encode("utf-8")


#: Column order of each GeoPackage table (list/dict properties as JSON strings).
_GPKG_COLUMNS = ("id", "plan", "name", "name_en", "kind", "role", "precision", "precision_note", "named_only",
                 "inferred", "clauses", "excerpts", "members", "group", "direction", "confidence", "reasons")
_JSON_COLUMNS = frozenset({"inferred", "clauses", "excerpts", "members", "reasons"})


def _gpkg_frame(features: Sequence[Mapping[str, Any]]) -> Any:
    """A GeoDataFrame of features: schema properties as columns, lists and dicts as JSON text."""
    import geopandas as gpd
    from shapely.geometry import shape

    rows = []
    for feat in features:
        props = feat.get("properties") or {}
        row: dict[str, Any] = {"id": str(feat.get("id"))}
        for col in _GPKG_COLUMNS[1:]:
            value = props.get(col)
            if col in _JSON_COLUMNS:
                value = None if value is None else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            elif col == "named_only":
                value = bool(value)
            row[col] = value
        rows.append(row)
    geoms = [shape(f["geometry"]) if f.get("geometry") else None for f in features]
    frame = gpd.GeoDataFrame(rows, columns=list(_GPKG_COLUMNS), geometry=geoms, crs="EPSG:4326")
    for col in ("group", "direction", "inferred", "confidence", "reasons"):
        frame[col] = frame[col].astype(object)
    return frame


def layers_gpkg(plan_id: str, layers: Iterable[str] | None = None) -> bytes:
    """Return the visible layers as a GeoPackage, one table per layer (kind), WGS84 (EPSG:4326).

    Columns: ``id, plan, name, name_en, kind, role, precision, precision_note, named_only, inferred,
    clauses, excerpts, members, group, direction, confidence, reasons`` (the last two for imported plans). The
    list and mapping properties (``clauses``, ``excerpts``, ``members``, ``inferred``, ``reasons``) are JSON strings, since a GeoPackage column holds one scalar:
    ``json.loads`` them back. Named-only features are rows with an empty geometry. Tables whose features
    mix single and multi parts are written as multi-part; tables mixing polygons, lines and points (the
    admin base: own counties as polygons, neighbours as outlines) are declared ``GEOMETRY``, which QGIS
    opens as one sub-layer per type.

    Parameters
    ----------
    plan_id : str
        A bundled plan id.
    layers : iterable of str, optional
        Layer names; None exports every layer the plan has.

    Returns
    -------
    bytes
        The ``.gpkg`` file (SQLite).

    Raises
    ------
    geo.text.plans.UnknownPlanError
        Unknown plan id.
    ExportError
        Unknown layer name.
    """
    _, _, visible = _visible(plan_id, layers)
    return gpkg_bytes(visible, plan_id)


def gpkg_bytes(layers: Mapping[str, Mapping[str, Any]], name: str = "plan") -> bytes:
    """Feature collections by layer name -> one GeoPackage, a table per layer, as `layers_gpkg` writes them.

    Any features of the schema will do: a bundled plan's layers (`layers_gpkg`) or an imported draft's
    (`geo.importer.draft.draft_gpkg`). No layer gives an empty but valid GeoPackage (one empty table).

    Parameters
    ----------
    layers : mapping of str to GeoJSON FeatureCollection
        Table name -> features.
    name : str
        The file's stem inside the temporary directory (the bytes do not depend on it).
    """
    with tempfile.TemporaryDirectory(prefix="geo-export-") as tmp:
        path = Path(tmp) / f"{re.sub(r'[^A-Za-z0-9_-]+', '', name) or 'plan'}.gpkg"
        for kind, fc in layers.items():
            frame = _gpkg_frame(fc.get("features") or [])
            frame.to_file(path, layer=kind, driver="GPKG", engine="pyogrio", promote_to_multi=None)
        if not path.exists():
            import geopandas as gpd

            gpd.GeoDataFrame({"id": []}, geometry=[], crs="EPSG:4326").to_file(
                path, layer="empty", driver="GPKG", engine="pyogrio")
        return path.read_bytes()


def csv_cell(value: Any) -> str:
    """A CSV cell safe to open in Excel: plan text that starts like a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if _CSV_FORMULA.match(text) else text


def clauses_csv(plan_id: str, layers: Iterable[str] | None = None, *, lang: str = "zh") -> bytes:
    """Return the clauses the visible features cite, as CSV for Excel (UTF-8 with BOM).

    One row per (feature, cited clause), features in layer order, clauses in the order the feature cites
    them; columns `CSV_COLUMNS` (headers in ``lang``): plan id, feature id, name, kind, precision,
    precision note, inferred place and clue, named only, clause id, clause heading, the verbatim excerpts
    from that clause (one per line) and the clause's full text. Features citing no clause (counties no
    clause names) have no row. A cell of plan text starting with ``= + - @`` gets a leading ``'`` so that
    Excel shows it instead of evaluating it.

    Parameters
    ----------
    plan_id : str
        A bundled plan id.
    layers : iterable of str, optional
        Layer names; None exports every layer the plan has.
    lang : {"zh", "en"}
        Language of the headers and of the kind / precision labels.

    Returns
    -------
    bytes
        ``\\ufeff``-prefixed UTF-8, CRLF line ends (what Excel writes itself).

    Examples
    --------
    >>> text = clauses_csv("qujing", ["core"]).decode("utf-8-sig")
    >>> text.splitlines()[0].split(",")[:4]
    ['规划编号', '要素编号', '要素名称', '要素类型']
    """
    plan, _, visible = _visible(plan_id, layers)
    outline = plan.outline
    known = set(outline.ids)
    en = lang == "en"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c[2] if en else c[1] for c in CSV_COLUMNS])
    for feat in _feature_list(visible):
        props = feat.get("properties") or {}
        inferred = props.get("inferred") or None
        inferred_text = ""
        if inferred:
            inferred_text = t("csv.inferred_as", lang, place=inferred["place"], clue=inferred["clue"])
        excerpts: dict[str, list[str]] = {}
        for ex in props.get("excerpts") or ():
            excerpts.setdefault(str(ex.get("clause")), []).append(str(ex.get("text", "")))
        for clause_id in dict.fromkeys(props.get("clauses") or ()):
            clause = outline.clause(clause_id) if clause_id in known else None
            row = {
                "plan_id": plan.id,
                "feature_id": feat.get("id"),
                "name": _name(props, lang),
                "kind": kind_label(str(props.get("kind", "")), lang),
                "precision": precision_label(str(props.get("precision", "")), lang),
                "precision_note": props.get("precision_note", ""),
                "inferred": inferred_text,
                "named_only": t("csv.yes", lang) if props.get("named_only") else "",
                "clause_id": clause_id,
                "clause_heading": clause.heading if clause else "",
                "excerpt": "\n".join(excerpts.get(clause_id, ())),
                "clause_text": clause.text if clause else "",
            }
            writer.writerow([csv_cell(row[c[0]]) for c in CSV_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
