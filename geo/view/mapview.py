"""Layers -> a folium map: styles, legend, directed arrows, offline assets, stable HTML."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.template import Template

from geo.assets import ASSET_BASE_URL, local_links
from geo.feature import BASEMAPS, KIND_ORDER, ZOOM_RANGE, Feature
from geo.i18n import confidence_label, kind_label, precision_label, t
from geo.safe import escape_html, script_json, template_inert

__all__ = [
    "ARROW_KINDS",
    "BASEMAPS",
    "KIND_ORDER",
    "STYLES",
    "KindStyle",
    "Legend",
    "MissingTiandituKey",
    "bounds_of",
    "build_map",
    "highlight_group",
    "layer_groups",
    "legend_entries",
    "map_labels",
]

#: Kinds whose lines get arrowheads when ``properties.direction`` is "forward" or "both".
ARROW_KINDS = frozenset({"corridor", "link", "route"})


@dataclass(frozen=True)
class KindStyle:
    """How one kind of feature is drawn.

    Parameters
    ----------
    color : str
        Stroke colour.
    weight : float
        Stroke width in pixels.
    fill : str or None
        Fill colour for polygons and points; None draws outlines only.
    fill_opacity : float
        Fill opacity.
    radius : int
        Circle-marker radius of points, in pixels.
    """

    color: str
    weight: float
    fill: str | None
    fill_opacity: float
    radius: int


# Colours stay apart in greyscale print too: hue and weight both differ between neighbours.
STYLES: Mapping[str, KindStyle] = {
    "admin": KindStyle("#8c8c8c", 1.0, "#ffffff", 0.75, 3),
    "context": KindStyle("#b4b4b4", 1.0, None, 0.0, 3),
    "zone": KindStyle("#6f6f6f", 1.2, "#b3cde3", 0.55, 5),  # fill replaced per zone from ZONE_FILLS
    "eco": KindStyle("#1b7837", 2.0, "#a6dba0", 0.45, 5),
    "wing": KindStyle("#e66101", 2.5, "#fdb863", 0.40, 6),
    "core": KindStyle("#d7191c", 3.0, "#f4a582", 0.50, 8),
    "corridor": KindStyle("#7b3294", 5.0, "#c2a5cf", 0.35, 5),
    "route": KindStyle("#404040", 3.0, None, 0.0, 4),
    "link": KindStyle("#00838f", 2.5, None, 0.0, 4),
    "node": KindStyle("#2166ac", 1.5, "#4393c3", 0.90, 6),
}
_FALLBACK_STYLE = KindStyle("#555555", 1.5, "#dddddd", 0.3, 4)
#: How a comparison marks features (``properties.mark``, set by `geo.view.compare.compare_collections`, never in
#: layers/): the second plan's structure drawn over the first's in one colour and long dashes, whatever its
#: kind; the places both plans name outlined in orange (what the planner checks across the cascade).
MARK_STYLES: Mapping[str, Mapping[str, Any]] = {
    "overlay": {"color": "#542788", "weight": 2.5, "fillColor": "#b2abd2", "fillOpacity": 0.12,
                "dashArray": "10 5"},
    "shared": {"color": "#e66101", "weight": 3.5, "fillColor": "#fdb863", "fillOpacity": 0.3, "dashArray": None},
}
#: Pastel fills handed to zones in order, or by ``properties.group`` (no green: that is ecology's).
ZONE_FILLS = ("#b3cde3", "#decbe4", "#ffffcc", "#e5d8bd", "#fddaec", "#d9d9d9", "#c7e9f1", "#f1e2cc")
#: SVG dash patterns: exact = solid, approximate = dashed, schematic = dash-dot, inferred = dotted.
DASHES: Mapping[str, str | None] = {"exact": None, "approximate": "8 6", "schematic": "12 6 2 6", "point": None}
INFERRED_DASH = "1 6"
#: Features of an imported plan the importer is unsure of (``properties.confidence`` low): magenta short dashes
#: over their kind's fill, whatever their precision, so that a planner sees what to check first.
TO_CHECK_STYLE: Mapping[str, Any] = {"color": "#ff00ff", "dashArray": "4 4"}
_PLAIN_BACKGROUND = "#ebe9e3"
_FONT = ('"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",'
         '"WenQuanYi Micro Hei",sans-serif')

_OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
_OSM_ATTR = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
_TIANDITU_URL = ("https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                 "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
                 "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}")
_TIANDITU_ATTR = '&copy; <a href="https://www.tianditu.gov.cn/">天地图</a>'
_TIANDITU_KEY_RE = re.compile(r"[0-9A-Za-z]{16,64}")

_LINE_TYPES = frozenset({"LineString", "MultiLineString"})
_POINT_TYPES = frozenset({"Point", "MultiPoint"})


class MissingTiandituKey(ValueError):
    """``basemap="tianditu"`` was asked for without a usable key.

    The dashboard catches it, shows ``t("basemap.tianditu_key_missing", lang)`` and draws the map
    with ``basemap="none"``.
    """

    i18n_key = "basemap.tianditu_key_missing"


# --------------------------------------------------------------------------- geometry helpers


def _runs(coords: Any) -> Iterator[Sequence[Sequence[float]]]:
    """The innermost lists of positions of a GeoJSON coordinates array, at any depth (a lone position
    is a list of one). Looping over whole rings, not one position at a time, keeps bounds_of quick:
    it runs on every plan's 30,000 positions when a map is first shown."""
    stack = [coords]
    while stack:
        part = stack.pop()
        if not isinstance(part, (list, tuple)) or not part:
            continue
        head = part[0]
        if isinstance(head, (int, float)):
            yield (part,)
        elif isinstance(head, (list, tuple)) and head and isinstance(head[0], (int, float)):
            yield part
        else:
            stack.extend(reversed(part))


def _features(collections: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """The features of FeatureCollections (a bare Feature is taken as a collection of one)."""
    for fc in collections:
        if not isinstance(fc, Mapping):
            continue
        if fc.get("type") == "Feature":
            yield fc
        for feat in fc.get("features") or ():
            if isinstance(feat, Mapping) and isinstance(feat.get("geometry"), Mapping):
                yield feat


def bounds_of(collections: Iterable[Mapping[str, Any]]) -> list[list[float]] | None:
    """Return the bounding box of some FeatureCollections, as folium's ``fit_bounds`` wants it.

    Parameters
    ----------
    collections : iterable of dict
        GeoJSON FeatureCollections (WGS84 lon/lat).

    Returns
    -------
    list or None
        ``[[south, west], [north, east]]``, or None if there is no coordinate at all.

    Examples
    --------
    >>> fc = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "id": "a", "properties": {},
    ...      "geometry": {"type": "LineString", "coordinates": [[104.1, 31.2], [105.0, 31.9]]}}]}
    >>> bounds_of([fc])
    [[31.2, 104.1], [31.9, 105.0]]
    """
    s = w = math.inf
    n = e = -math.inf
    for feat in _features(collections):
        for run in _runs(feat["geometry"].get("coordinates")):
            xs = [float(p[0]) for p in run]
            ys = [float(p[1]) for p in run]
            if not all(map(math.isfinite, xs)) or not all(map(math.isfinite, ys)):
                pairs = [(x, y) for x, y in zip(xs, ys, strict=True) if math.isfinite(x) and math.isfinite(y)]
                xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
                if not xs:
                    continue
            w, e, s, n = min(w, min(xs)), max(e, max(xs)), min(s, min(ys)), max(n, max(ys))
    if w == math.inf:
        return None
    return [[s, w], [n, e]]


def _arrowhead(tip: tuple[float, float], back: tuple[float, float], size: float,
               kx: float) -> list[list[float]]:
    """A closed triangle ring (lon, lat) pointing from ``back`` to ``tip``, ``size`` long in local units."""
    (x1, y1), (x0, y0) = (tip[0] * kx, tip[1]), (back[0] * kx, back[1])
    dx, dy = x1 - x0, y1 - y0
    norm = math.hypot(dx, dy)
    if norm == 0:
        return []
    ux, uy = dx / norm, dy / norm
    bx, by = x1 - ux * size, y1 - uy * size
    half = size * 0.45
    left = (bx - uy * half, by + ux * half)
    right = (bx + uy * half, by - ux * half)
    ring = [(x1, y1), left, right, (x1, y1)]
    return [[round(x / kx, 6), round(y, 6)] for x, y in ring]


def _point_at(line: Sequence[tuple[float, float]], dist: float, kx: float) -> tuple[float, float]:
    """The point ``dist`` local units along a (lon, lat) polyline, clamped to its ends."""
    if dist <= 0:
        return line[0]
    for (ax, ay), (bx, by) in itertools.pairwise(line):
        seg = math.hypot((bx - ax) * kx, by - ay)
        if dist <= seg and seg > 0:
            f = dist / seg
            return ax + (bx - ax) * f, ay + (by - ay) * f
        dist -= seg
    return line[-1]


def _arrows(line: Sequence[tuple[float, float]], direction: str, base: float) -> list[list[list[float]]]:
    """Arrowhead triangles for one polyline: at the end and the middle ("forward"), or both ends ("both")."""
    if len(line) < 2:
        return []
    kx = math.cos(math.radians(sum(p[1] for p in line) / len(line)))  # metres per degree east vs north
    length = sum(math.hypot((b[0] - a[0]) * kx, b[1] - a[1]) for a, b in itertools.pairwise(line))
    if length == 0:
        return []
    size = min(base, length * 0.3)
    heads = []
    if direction == "forward":
        heads.append((line[-1], _point_at(line, length - size, kx)))
        mid = length / 2 + size / 2
        heads.append((_point_at(line, mid, kx), _point_at(line, mid - size, kx)))
    elif direction == "both":
        heads.append((line[-1], _point_at(line, length - size, kx)))
        heads.append((line[0], _point_at(line, size, kx)))
    return [ring for tip, back in heads if (ring := _arrowhead(tip, back, size, kx))]


def _lines(geometry: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    """The polylines of a (Multi)LineString geometry."""
    coords = geometry.get("coordinates") or []
    parts = [coords] if geometry.get("type") == "LineString" else coords
    return [[(float(p[0]), float(p[1])) for p in part] for part in parts if len(part) >= 2]


# --------------------------------------------------------------------------- styles and labels


_e = escape_html


def _name(props: Mapping[str, Any], lang: str) -> str:
    """The feature's name in ``lang`` (English falls back to Chinese)."""
    if lang == "en" and props.get("name_en"):
        return str(props["name_en"])
    return str(props.get("name") or props.get("name_en") or "")


def _tooltip_html(props: Mapping[str, Any], lang: str) -> str:
    """Escaped tooltip HTML: name, then kind · precision, then the inferred mark."""
    kind, precision = str(props.get("kind", "")), str(props.get("precision", ""))
    meta = f"{_e(kind_label(kind, lang))} · {_e(precision_label(precision, lang))}"
    if props.get("inferred"):
        meta += f' · <span class="ghyzt-inferred">{_e(precision_label("inferred", lang))}</span>'
    if props.get("confidence") == "low":
        meta += f' · <span class="ghyzt-check">{_e(confidence_label("low", lang))}</span>'
    return f'<b class="ghyzt-name">{_e(_name(props, lang))}</b><br><span class="ghyzt-meta">{meta}</span>'


def _feature_style(kind: str, precision: str, inferred: bool, geom_type: str, basemap: str,
                   fill: str | None = None, to_check: bool = False) -> dict[str, Any]:
    """The Leaflet path options of one feature (``to_check``: a low-confidence one, `TO_CHECK_STYLE`)."""
    ks = STYLES.get(kind, _FALLBACK_STYLE)
    is_line = geom_type in _LINE_TYPES
    style: dict[str, Any] = {
        "color": ks.color,
        "weight": ks.weight,
        "opacity": 0.95,
        "fill": not is_line and ks.fill is not None,
        "fillColor": fill or ks.fill or ks.color,
        "fillOpacity": ks.fill_opacity,
        "lineCap": "round",
        "lineJoin": "round",
    }
    if kind == "admin" and basemap != "none":
        style["fillOpacity"] = 0.0  # let the basemap show through the county faces
    if geom_type in _POINT_TYPES:
        style["radius"] = ks.radius
        style["fill"] = True
    elif kind == "node" and not is_line:
        style["fillOpacity"] = 0.25  # a node drawn as its member counties (多点支撑) must not hide the map
    dash = INFERRED_DASH if inferred else DASHES.get(precision)
    if dash:
        style["dashArray"] = dash
    if inferred:
        style["fillOpacity"] = round(style["fillOpacity"] * 0.5, 3)
        if geom_type in _POINT_TYPES:
            style["weight"] = max(ks.weight, 2.0)
    if to_check:
        style.update(TO_CHECK_STYLE, weight=max(ks.weight, 2.0) + 1.0)
    return style


# --------------------------------------------------------------------------- labels on the map

#: Kinds named on the live map, in the order their labels are placed (an earlier one wins a contested place);
#: the plan's own counties come last, in a quieter style. Routes and links are named on hover only.
LABEL_KINDS: tuple[str, ...] = ("core", "wing", "corridor", "zone", "eco", "node", "admin")


def _merc_y(lat: float) -> float:
    """Web Mercator northing in degrees (the same unit as longitude), so that angles and lengths hold at any zoom."""
    lat = max(min(lat, 85.0), -85.0)
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def _lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


def _ring_area_centroid(ring: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """Signed area and centroid of a closed ring (x, y)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return a / 2, cx / (3 * a), cy / (3 * a)


def _span_at(ring: Sequence[tuple[float, float]], x: float, y: float) -> tuple[float, float] | None:
    """The stretch of the horizontal line at ``y`` inside ``ring`` holding ``x`` (else the widest one)."""
    xs = sorted(x0 + (y - y0) * (x1 - x0) / (y1 - y0)
                for (x0, y0), (x1, y1) in itertools.pairwise(ring) if (y0 > y) != (y1 > y))
    spans = list(zip(xs[::2], xs[1::2], strict=False))
    if not spans:
        return None
    return next((sp for sp in spans if sp[0] <= x <= sp[1]), max(spans, key=lambda sp: sp[1] - sp[0]))


def _area_label(geometry: Mapping[str, Any]) -> tuple[float, float, float, float] | None:
    """(x, y, room across, height) of an area's label in Mercator degrees: inside its largest part."""
    polys = [geometry.get("coordinates") or []] if geometry.get("type") == "Polygon" else \
        geometry.get("coordinates") or []
    best = None
    for poly in polys:
        if not poly or len(poly[0]) < 4:
            continue
        ring = [(float(p[0]), _merc_y(float(p[1]))) for p in poly[0]]
        area, cx, cy = _ring_area_centroid(ring)
        if best is None or abs(area) > best[0]:
            best = (abs(area), ring, cx, cy)
    if best is None:
        return None
    _, ring, cx, cy = best
    ys = [p[1] for p in ring]
    span = _span_at(ring, cx, cy)
    if span is None or not span[0] <= cx <= span[1]:
        # the centroid lies outside (a crescent): the middle of the widest stretch across the ring's middle
        cy = (min(ys) + max(ys)) / 2
        span = _span_at(ring, cx, cy)
        if span is None:
            return None
        cx = (span[0] + span[1]) / 2
    return cx, cy, span[1] - span[0], max(ys) - min(ys)


def _longest_line(geometry: Mapping[str, Any]) -> tuple[float, list[tuple[float, float]]] | None:
    """(length, points) of a geometry's longest line in Mercator degrees, or None if it has no line."""
    best = None
    for line in _lines(geometry):
        pts = [(x, _merc_y(y)) for x, y in line]
        length = sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(pts))
        if best is None or length > best[0]:
            best = (length, pts)
    return best


def _line_label(geometry: Mapping[str, Any]) -> tuple[float, float, float, float] | None:
    """(x, y, length, angle) of a line's label in Mercator degrees: the middle of its longest part, along it.

    The angle is in degrees clockwise on screen, within [-90, 90] so that the text never reads upside down.
    """
    best = _longest_line(geometry)
    if best is None or best[0] == 0:
        return None
    length, pts = best
    x, y, angle = _along(pts, length, 0.5)
    return x, y, length, angle


def _along(pts: Sequence[tuple[float, float]], length: float, at: float) -> tuple[float, float, float]:
    """The point ``at`` (0..1) of the way along a Mercator polyline and the line's screen angle there."""
    (x, y), a, b = (_point_at(pts, length * at, 1.0), _point_at(pts, length * (at - 0.1), 1.0),
                    _point_at(pts, length * (at + 0.1), 1.0))
    angle = -math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
    if angle > 90:
        angle -= 180
    elif angle < -90:
        angle += 180
    return x, y, angle


def _line_candidates(geometry: Mapping[str, Any]) -> list[list[float]]:
    """Other places for a line's label, a third of the way from either end: ``[lng, lat, angle]`` each."""
    best = _longest_line(geometry)
    if best is None or best[0] == 0:
        return []
    out = []
    for at in (0.3, 0.7):
        x, y, angle = _along(best[1], best[0], at)
        out.append([round(x, 5), round(_lat(y), 5), round(angle, 1)])
    return out


def map_labels(collections: Iterable[Mapping[str, Any]], lang: str = "zh") -> list[list[Any]]:
    """The names the live map writes on its structure, in the order they are placed (`LABEL_KINDS`, larger first).

    The browser (``mapframe/controller.js``) shows a label only while its feature is drawn, its shape has room
    for it at the zoom shown and no label placed before it is in the way; so labels thin out as one zooms out
    and appear as one zooms in. Measurements are Web Mercator degrees (a zoom's pixels are ``256 * 2**zoom /
    360`` of them). The text is plain: the browser writes it as a text node.

    Returns
    -------
    list of list
        ``[id, kind, text, lng, lat, room, height, angle, shape]`` each: ``shape`` "area" (``room``: the width
        across the area at the label, ``height``: the area's), "line" (``room``: its length, ``angle``: along
        it, degrees clockwise; then a list of other places along it, ``[lng, lat, angle]`` each, tried when the
        middle is taken) or "point" (tried above the point, then right, below, left).

    Examples
    --------
    >>> fc = {"type": "FeatureCollection", "features": [
    ...     {"type": "Feature", "id": "n1", "properties": {"kind": "node", "name": "江油"},
    ...      "geometry": {"type": "Point", "coordinates": [104.75, 31.78]}},
    ...     {"type": "Feature", "id": "c1", "properties": {"kind": "corridor", "name": "成绵乐"},
    ...      "geometry": {"type": "LineString", "coordinates": [[104.0, 30.6], [104.7, 31.5]]}}]}
    >>> [(row[0], row[1], row[2], row[8]) for row in map_labels([fc])]
    [('c1', 'corridor', '成绵乐', 'line'), ('n1', 'node', '江油', 'point')]
    """
    rank = {kind: n for n, kind in enumerate(LABEL_KINDS)}
    rows: list[tuple[int, float, int, list[Any]]] = []
    for n, feat in enumerate(_prepared(collections)):
        props = feat.get("properties") or {}
        kind = str(props.get("kind", ""))
        geometry = feat["geometry"]
        gtype = str(geometry.get("type", ""))
        text = _name(props, lang).strip()
        if kind not in rank or not text:
            continue
        if kind == "admin" and (props.get("group", "own") != "own" or gtype in _LINE_TYPES):
            continue  # neighbours are drawn as outlines, named on hover
        shape = _shape(gtype)
        x = y = room = height = angle = 0.0
        if shape == "area":
            spot = _area_label(geometry)
            if spot is None:
                continue
            x, y, room, height = spot
        elif shape == "line":
            along = _line_label(geometry)
            if along is None:
                continue
            x, y, room, angle = along
        else:
            coords = geometry.get("coordinates") or []
            point = coords if gtype == "Point" else (coords[0] if coords else None)
            if not point or len(point) < 2:
                continue
            x, y = float(point[0]), _merc_y(float(point[1]))
        if not (math.isfinite(x) and math.isfinite(y)):
            continue
        row = [feat["id"], kind, text[:40], round(x, 5), round(_lat(y), 5), round(room, 5), round(height, 5),
               round(angle, 1), shape]
        if shape == "line":
            row.append(_line_candidates(geometry))
        rows.append((rank[kind], -(room * max(height, room * 0.2)) if shape != "line" else -room, n, row))
    rows.sort(key=lambda r: r[:3])
    return [r[3] for r in rows]


# --------------------------------------------------------------------------- map elements


class _Chrome(MacroElement):
    """The map's CSS (background, fonts, tooltip and legend boxes), a metric scale and a plain credit."""

    # Leaflet 1.9's attribution prefix carries a flag icon; a planning map shows a plain credit instead.
    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.attributionControl.setPrefix("Leaflet");
            L.control.scale({imperial: false, maxWidth: 120}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, basemap: str) -> None:
        super().__init__()
        self._name = "GhyztChrome"
        background = f".leaflet-container{{background:{_PLAIN_BACKGROUND};}}" if basemap == "none" else ""
        self.css = (
            background
            + f".leaflet-container,.ghyzt-legend{{font-family:{_FONT};}}"
            ".ghyzt-meta{color:#555;font-size:0.85em;}"
            ".ghyzt-inferred{color:#b35806;font-weight:bold;}"
            ".ghyzt-check{color:#c000c0;font-weight:bold;}"
            ".ghyzt-legend{background:rgba(255,255,255,0.92);padding:6px 8px;border-radius:4px;"
            "box-shadow:0 1px 4px rgba(0,0,0,0.3);font-size:12px;line-height:1.3;max-height:75vh;"
            "overflow-y:auto;color:#222;}"
            ".ghyzt-legend-toggle{display:block;border:0;background:none;padding:0 0 2px;margin:0;font:inherit;"
            "font-size:13px;font-weight:bold;color:#222;cursor:pointer;}"
            ".ghyzt-legend-toggle::after{content:' \\25BE';font-weight:normal;color:#666;}"
            ".ghyzt-folded .ghyzt-legend-toggle::after{content:' \\25B8';}"
            ".ghyzt-folded .ghyzt-legend-body{display:none;}"
            ".ghyzt-legend-toggle:focus-visible{outline:2px solid #1a56db;outline-offset:2px;}"
            ".ghyzt-legend h5{margin:6px 0 2px;font-size:12px;color:#555;}"
            ".ghyzt-legend .ghyzt-rows{display:grid;grid-template-columns:auto auto;column-gap:10px;}"
            ".ghyzt-legend .ghyzt-rows div{display:flex;align-items:center;gap:4px;white-space:nowrap;}"
            ".ghyzt-legend svg{flex:none;}"
            # the scale's figure inside its bar: at most 120 px wide, the bar is at least 60 (a round number of
            # kilometres at least half the longest), wide enough for "1000 km" in 11 px type
            ".leaflet-control-scale-line{font-size:11px;line-height:1.4;white-space:nowrap;}"
        )


class Legend(MacroElement):
    """A Leaflet control with the map's legend; its HTML is built and escaped in Python.

    Drawn inside the map container (not fixed to the page), so it shows in the map frame,
    in a saved HTML file and in a screenshot of the map alike.

    Parameters
    ----------
    html : str
        The legend's inner HTML, already escaped.
    position : str
        Leaflet control position.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: {{ this.position_json }}});
            legend.onAdd = function (map) {
                var div = L.DomUtil.create("div", "ghyzt-legend");
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                // Folded by a click on its title; folded from the start on a narrow map (a phone).
                var button = div.querySelector(".ghyzt-legend-toggle");
                function fold(folded) {
                    div.classList.toggle("ghyzt-folded", folded);
                    if (button) { button.setAttribute("aria-expanded", folded ? "false" : "true"); }
                }
                fold(map.getSize().x < 600);
                if (button) { button.onclick = function () { fold(!div.classList.contains("ghyzt-folded")); }; }
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, html: str, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Legend"
        self.html, self.position = html, position
        self.html_json, self.position_json = script_json(html), script_json(position)


def _swatch(style: Mapping[str, Any], shape: str) -> str:
    """A small inline SVG showing a stroke/fill style (values are ours, not plan text)."""
    stroke = _e(style.get("color", "#555"))
    width = _e(style.get("weight", 2))
    dash = f' stroke-dasharray="{_e(style["dashArray"])}"' if style.get("dashArray") else ""
    fill = _e(style.get("fillColor", "none")) if style.get("fill") else "none"
    opacity = _e(style.get("fillOpacity", 0))
    if shape == "line":
        body = (f'<line x1="2" y1="7" x2="30" y2="7" stroke="{stroke}" stroke-width="{width}"{dash}'
                ' stroke-linecap="round"/>')
    elif shape == "point":
        body = (f'<circle cx="16" cy="7" r="5" stroke="{stroke}" stroke-width="{width}"{dash}'
                f' fill="{fill}" fill-opacity="{opacity}"/>')
    elif shape == "arrow":
        body = (f'<line x1="2" y1="7" x2="24" y2="7" stroke="{stroke}" stroke-width="{width}"/>'
                f'<polygon points="30,7 22,2 22,12" fill="{stroke}"/>')
    else:
        body = (f'<rect x="3" y="2" width="26" height="10" stroke="{stroke}" stroke-width="{width}"{dash}'
                f' fill="{fill}" fill-opacity="{opacity}"/>')
    return f'<svg width="32" height="14" viewBox="0 0 32 14" aria-hidden="true">{body}</svg>'


def _shape(gtype: str) -> str:
    """How a geometry type is drawn: "line", "point" or "area"."""
    return "line" if gtype in _LINE_TYPES else "point" if gtype in _POINT_TYPES else "area"


_SAMPLE_GEOMETRY = {"line": "LineString", "point": "Point", "area": "Polygon"}


def legend_entries(feats: Sequence[Mapping[str, Any]], lang: str = "zh",
                   basemap: str = "none") -> list[dict[str, Any]]:
    """The legend's feature entries: one per style drawn (a kind as area, line or point; each zone fill).

    A kind drawn in two ways (nodes as points and as their member counties) gets an entry for each, named by
    the way; zones get an entry per fill, named by their group or their own name. Features without geometry
    are not drawn and get no entry.

    Returns
    -------
    list of dict
        ``{"kind", "shape", "label", "style"}`` in `KIND_ORDER` (plain text labels: escape them to show them).

    Examples
    --------
    >>> pt = {"type": "Point", "coordinates": [104, 31]}
    >>> sq = {"type": "Polygon", "coordinates": [[[104, 31], [105, 31], [105, 32], [104, 31]]]}
    >>> feats = [{"id": "n1", "properties": {"kind": "node"}, "geometry": pt},
    ...          {"id": "n2", "properties": {"kind": "node"}, "geometry": sq},
    ...          {"id": "z1", "properties": {"kind": "zone", "name": "西北山地片区"}, "geometry": sq}]
    >>> [(e["kind"], e["shape"], e["label"]) for e in legend_entries(feats)]
    [('zone', 'area', '西北山地片区'), ('node', 'area', '节点（面）'), ('node', 'point', '节点（点）')]
    """
    shapes: dict[str, list[str]] = {}
    zones: list[Mapping[str, Any]] = []
    for feat in feats:
        geometry = feat.get("geometry")
        if not isinstance(geometry, Mapping) or not geometry.get("type"):
            continue
        kind = str((feat.get("properties") or {}).get("kind", ""))
        shape = _shape(str(geometry.get("type", "")))
        if shape not in shapes.setdefault(kind, []):
            shapes[kind].append(shape)
        if kind == "zone":
            zones.append(feat)
    kinds = [k for k in KIND_ORDER if k in shapes] + sorted(k for k in shapes if k not in KIND_ORDER)
    out: list[dict[str, Any]] = []
    for kind in kinds:
        ways = sorted(shapes[kind], key=("area", "line", "point").index)
        if kind == "zone":
            fills = _zone_fills(zones)
            named: dict[tuple[str, str], list[str]] = {}
            for feat in zones:
                props = feat.get("properties") or {}
                group = str(props.get("group") or "")
                shape = _shape(str(feat["geometry"].get("type", "")))
                names = named.setdefault((_zone_key(feat), shape), [group] if group else [])
                if not group:
                    names.append(_name(props, lang) or kind_label(kind, lang))
            for (key, shape), names in named.items():
                style = _feature_style(kind, "exact", False, _SAMPLE_GEOMETRY[shape], basemap, fills[key])
                out.append({"kind": kind, "shape": shape, "label": "、".join(dict.fromkeys(names)),
                            "style": style})
            continue
        for shape in ways:
            label = kind_label(kind, lang)
            if kind == "admin":
                if shape == "line":
                    label = t("legend.neighbour", lang)  # the neighbours' outlines (the plan's own units are areas)
            elif len(ways) > 1:
                label = t("legend.as", lang, kind=label, shape=t(f"legend.shape.{shape}", lang))
            out.append({"kind": kind, "shape": shape, "label": label,
                        "style": _feature_style(kind, "exact", False, _SAMPLE_GEOMETRY[shape], basemap)})
    return out


def _legend_html(feats: Sequence[Mapping[str, Any]], lang: str, basemap: str) -> str:
    """The legend: a fold button, then one entry per style drawn, the precision styles present, direction if any.

    Every row says what it stands for (``data-kind``/``data-shape`` a kind drawn so, ``data-precision`` a
    precision, ``data-flag`` inferred, to-check or directed), so that the Map page's frame shows only the rows of
    what is drawn now (``syncLegend`` in geo/view/mapframe/controller.js).

    Examples
    --------
    >>> line = {"type": "LineString", "coordinates": [[104, 31], [105, 31]]}
    >>> feats = [{"id": "l1", "properties": {"kind": "link", "precision": "schematic", "direction": "forward"},
    ...           "geometry": line}]
    >>> html = _legend_html(feats, "zh", "none")
    >>> 'data-precision="schematic"' in html, 'data-flag="directed"' in html, 'data-precision="exact"' in html
    (True, True, False)
    """
    precisions: set[str] = set()
    inferred = directed = to_check = False
    for feat in feats:
        props = feat.get("properties") or {}
        gtype = (feat.get("geometry") or {}).get("type", "")
        precisions.add(str(props.get("precision", "")))
        inferred |= bool(props.get("inferred"))
        to_check |= props.get("confidence") == "low"
        directed |= (gtype in _LINE_TYPES and props.get("direction") in ("forward", "both")
                     and props.get("kind") in ARROW_KINDS)  # arrowheads are drawn on these kinds only
    title = _e(t("legend.title", lang))
    rows = [f'<button type="button" class="ghyzt-legend-toggle" aria-expanded="true">{title}</button>',
            '<div class="ghyzt-legend-body">',
            f"<h5>{_e(t('legend.kinds', lang))}</h5>", '<div class="ghyzt-rows">']
    for entry in legend_entries(feats, lang, basemap):
        rows.append(f'<div data-kind="{_e(entry["kind"])}" data-shape="{entry["shape"]}">'
                    f'{_swatch(entry["style"], entry["shape"])}<span>{_e(entry["label"])}</span></div>')
    sample = {"color": "#444", "weight": 2, "fill": False}
    rows.append(f"</div><h5>{_e(t('legend.precision', lang))}</h5><div class=\"ghyzt-rows\">")
    for precision in ("exact", "approximate", "schematic"):
        if precision in precisions:
            dash = DASHES[precision]
            style = {**sample, **({"dashArray": dash} if dash else {})}
            rows.append(f'<div data-precision="{precision}">{_swatch(style, "line")}'
                        f"<span>{_e(precision_label(precision, lang))}</span></div>")
    if "point" in precisions:
        style = {**sample, "fill": True, "fillColor": "#888", "fillOpacity": 0.8}
        rows.append(f'<div data-precision="point">{_swatch(style, "point")}'
                    f"<span>{_e(precision_label('point', lang))}</span></div>")
    if inferred:
        style = {**sample, "dashArray": INFERRED_DASH}
        rows.append(f'<div data-flag="inferred">{_swatch(style, "line")}'
                    f"<span>{_e(precision_label('inferred', lang))}</span></div>")
    if to_check:
        style = {**sample, **TO_CHECK_STYLE, "weight": 3}
        rows.append(f'<div class="ghyzt-to-check" data-flag="to_check">{_swatch(style, "line")}'
                    f'<span>{_e(t("legend.to_check", lang))}</span></div>')
    if directed:
        rows.append(f'<div data-flag="directed">{_swatch(sample, "arrow")}<span>{_e(t("map.direction", lang))}'
                    "</span></div>")
    rows.append("</div></div>")
    return "".join(rows)


# --------------------------------------------------------------------------- building


def _prepared(collections: Iterable[Mapping[str, Any]]) -> list[Feature]:
    """The features to draw, each with a unique string id, in input order."""
    out, seen = [], set()
    for n, feat in enumerate(_features(collections)):
        fid = str(feat.get("id") or (feat.get("properties") or {}).get("id") or f"feature-{n}")
        base, k = fid, 1
        while fid in seen:  # folium keys styles by feature.id, so ids must be unique
            k += 1
            fid = f"{base}~{k}"
        seen.add(fid)
        out.append({**feat, "id": fid})
    return out


def _drawn_parts(geometry: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The geometries drawn for one feature: a MultiPoint's points one by one, any other geometry whole."""
    if geometry.get("type") == "MultiPoint":
        return [{"type": "Point", "coordinates": c} for c in geometry.get("coordinates") or ()] or [geometry]
    return [geometry]


def _arrow_size(bounds: list[list[float]] | None) -> float:
    """Arrowhead length in local degrees: 2.5 % of the data's diagonal."""
    if not bounds:
        return 0.01
    (s, w), (n, e) = bounds
    kx = math.cos(math.radians((s + n) / 2))
    return max(math.hypot((e - w) * kx, n - s) * 0.025, 1e-4)


def _zone_key(feat: Mapping[str, Any]) -> str:
    """What a zone's fill is keyed by: its ``properties.group``, else its id."""
    return str((feat.get("properties") or {}).get("group") or template_inert(str(feat.get("id", ""))))


def _zone_fills(feats: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Zone key (`_zone_key`) -> fill, handed out from `ZONE_FILLS` in the order the zones come."""
    fills: dict[str, str] = {}
    for feat in feats:
        key = _zone_key(feat)
        if key not in fills:
            fills[key] = ZONE_FILLS[len(fills) % len(ZONE_FILLS)]
    return fills


def _kind_group(kind: str, feats: Sequence[Feature], lang: str, basemap: str,
                arrow_size: float) -> folium.FeatureGroup:
    """One FeatureGroup: the kind's features (one GeoJson) and its arrowheads (another)."""
    group = folium.FeatureGroup(name=template_inert(kind_label(kind, lang)), overlay=True, control=True, show=True)
    fills = _zone_fills(feats) if kind == "zone" else {}
    data, styles, arrows, arrow_styles = [], {}, [], {}
    for feat in feats:
        props = feat.get("properties") or {}
        fid = template_inert(feat["id"])
        gtype = feat["geometry"].get("type", "")
        precision = str(props.get("precision", ""))
        inferred = bool(props.get("inferred"))
        fill = fills.get(_zone_key(feat)) if kind == "zone" else None
        to_check = props.get("confidence") == "low"
        style = _feature_style(kind, precision, inferred, gtype, basemap, fill, to_check)
        for key, value in MARK_STYLES.get(str(props.get("mark") or ""), {}).items():
            if key == "fillOpacity" and gtype in _POINT_TYPES:
                continue  # a point is its fill
            if value is None:
                style.pop(key, None)
            else:
                style[key] = value
        properties = {"id": fid, "kind": kind, "precision": precision, "inferred": inferred,
                      "check": to_check, "tooltip": _tooltip_html(props, lang)}
        for k, geometry in enumerate(_drawn_parts(feat["geometry"])):
            # A MultiPoint (a node at several seats) is drawn as one circle per point, one feature each with
            # the same properties.id: Leaflet makes a MultiPoint a group of markers, which the tooltip's focus
            # listeners cannot take (`getElement is not a function`, and the frame's clicks were never bound).
            part_id = fid if k == 0 else f"{fid}~{k}"
            styles[part_id] = style
            data.append({"type": "Feature", "id": part_id, "geometry": geometry, "properties": properties})
        direction = props.get("direction")
        if gtype in _LINE_TYPES and direction in ("forward", "both") and kind in ARROW_KINDS:
            for line in _lines(feat["geometry"]):
                for ring in _arrows(line, direction, arrow_size):
                    aid = f"{fid}>{len(arrows)}"
                    arrows.append({"type": "Feature", "id": aid, "properties": {"of": fid},
                                   "geometry": {"type": "Polygon", "coordinates": [ring]}})
                    arrow_styles[aid] = {"color": style["color"], "weight": 1, "opacity": 1,
                                         "fill": True, "fillColor": style["color"], "fillOpacity": 1}

    def styler(feature: Mapping[str, Any]) -> dict[str, Any]:
        return styles[feature["id"]]

    def highlighter(feature: Mapping[str, Any]) -> dict[str, Any]:
        style = styles[feature["id"]]
        return {"weight": style["weight"] + 2, "fillOpacity": min(style["fillOpacity"] + 0.15, 1.0)}

    marker = folium.CircleMarker(radius=STYLES.get(kind, _FALLBACK_STYLE).radius)
    folium.GeoJson(
        template_inert({"type": "FeatureCollection", "features": data}),
        name=kind,
        control=False,
        style_function=styler,
        highlight_function=highlighter,
        marker=marker,
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True, class_name="ghyzt-tip"),
    ).add_to(group)
    if arrows:
        folium.GeoJson(
            template_inert({"type": "FeatureCollection", "features": arrows}),
            name=f"{kind}-arrows",
            control=False,
            style_function=lambda feature: arrow_styles[feature["id"]],
            interactive=False,  # clicks go to the line underneath
        ).add_to(group)
    return group


def _by_kind(feats: Iterable[Feature]) -> dict[str, list[Feature]]:
    """Features grouped by ``properties.kind``, groups in KIND_ORDER (unknown kinds after, sorted)."""
    groups: dict[str, list[Feature]] = {}
    for feat in feats:
        groups.setdefault(str((feat.get("properties") or {}).get("kind", "context")), []).append(feat)
    order = [k for k in KIND_ORDER if k in groups] + sorted(k for k in groups if k not in KIND_ORDER)
    return {k: groups[k] for k in order}


def _seed(*parts: Any) -> str:
    """A digest of the inputs that decide a map, so equal inputs give equal element ids."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def _stable_ids(root: Element, seed: str) -> None:
    """Replace folium's random element ids below ``root`` by ids derived from ``seed`` and tree position.

    The map frame renames elements by tree position itself (`geo.view.frameargs`), but a saved HTML file, a
    PNG export cache and the tests need byte-identical output for identical input.
    """
    counter = 0

    def visit(el: Element) -> None:
        nonlocal counter
        old_names = {name: child for name, child in el._children.items()}
        for child in old_names.values():
            counter += 1
            child._id = hashlib.sha256(f"{seed}:{counter}".encode()).hexdigest()[:32]
            visit(child)
        # children added without an explicit name are keyed by their old get_name(): re-key them
        el._children = type(el._children)(
            (child.get_name() if re.fullmatch(r"[a-z_]+_[0-9a-f]{32}", name) else name, child)
            for name, child in old_names.items()
        )

    root._id = hashlib.sha256(f"{seed}:0".encode()).hexdigest()[:32]
    visit(root)


def layer_groups(
    collections: Iterable[Mapping[str, Any]],
    *,
    lang: str = "zh",
    basemap: str = "none",
    only: Iterable[str] | None = None,
) -> dict[str, folium.FeatureGroup]:
    """Build one ``folium.FeatureGroup`` per layer (= feature kind).

    Use it for the map frame's layers (`geo.view.frameargs.render_groups`): toggling layers then swaps groups
    inside the mounted map instead of remounting it. Build fresh groups on every run (rendering attaches
    the groups it is given) and pass the same ``collections`` as to `build_map`, so that
    arrowheads get the same size.

    Parameters
    ----------
    collections : iterable of dict
        GeoJSON FeatureCollections whose features follow ``geo/feature.schema.json``.
    lang : {"zh", "en"}
        Language of tooltips and group names.
    basemap : {"none", "osm", "tianditu"}
        Admin faces are filled only without a basemap.
    only : iterable of str, optional
        Layer names to build; None builds every layer present.

    Returns
    -------
    dict of str to folium.FeatureGroup
        Layer name -> group, in drawing order (`KIND_ORDER`).

    Examples
    --------
    >>> fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "n1",
    ...     "properties": {"kind": "node", "name": "绵阳", "name_en": "Mianyang", "precision": "point"},
    ...     "geometry": {"type": "Point", "coordinates": [104.68, 31.47]}}]}
    >>> list(layer_groups([fc]))
    ['node']
    """
    collections = list(collections)
    feats = _prepared(collections)
    wanted = None if only is None else set(only)
    # Arrowheads are sized to the plan's own area, not to everything drawn: links to 上海 or 满洲里 would
    # otherwise blow them up to the size of a county.
    own = [f for f in feats if f.get("properties", {}).get("kind") == "admin"
           and f.get("properties", {}).get("group", "own") == "own"]
    size = _arrow_size(bounds_of([{"type": "FeatureCollection", "features": own}]) if own else bounds_of(collections))
    groups = {}
    for kind, members in _by_kind(feats).items():
        if wanted is not None and kind not in wanted:
            continue
        group = _kind_group(kind, members, lang, basemap, size)
        _stable_ids(group, _seed("group", kind, members, lang, basemap, size))
        groups[kind] = group
    return groups


def highlight_group(
    collections: Iterable[Mapping[str, Any]], feature_id: str, *, color: str = "#ffd400"
) -> folium.FeatureGroup | None:
    """Build a FeatureGroup that outlines one feature, to mark the selection.

    Render it with the layer groups (`geo.view.frameargs.render_groups`), so selecting a
    feature does not remount the map.

    Parameters
    ----------
    collections : iterable of dict
        GeoJSON FeatureCollections.
    feature_id : str
        The id of the feature to mark.
    color : str
        Halo colour.

    Returns
    -------
    folium.FeatureGroup or None
        None if no feature has that id.
    """
    feats = [f for f in _prepared(collections) if f["id"] == feature_id]
    if not feats:
        return None
    group = folium.FeatureGroup(name="selection", control=False)
    data = {"type": "FeatureCollection",
            "features": [{"type": "Feature", "id": f["id"], "geometry": f["geometry"],
                          "properties": {"id": f["id"]}} for f in feats]}
    halo = {"color": color, "weight": 7, "opacity": 0.85, "fill": False, "radius": 11}
    folium.GeoJson(template_inert(data), name="selection", control=False, style_function=lambda _f: halo,
                   marker=folium.CircleMarker(radius=11), interactive=False).add_to(group)
    _stable_ids(group, _seed("highlight", feats, color))
    return group


def _add_basemap(m: folium.Map, basemap: str, tianditu_key: str | None) -> None:
    """Add the tile layers of a basemap (none adds nothing)."""
    if basemap == "osm":
        folium.TileLayer(tiles=_OSM_URL, attr=_OSM_ATTR, name="OpenStreetMap", max_zoom=19,
                         control=False).add_to(m)
    elif basemap == "tianditu":
        key = (tianditu_key or "").strip()
        if not _TIANDITU_KEY_RE.fullmatch(key):
            raise MissingTiandituKey(
                "basemap='tianditu' needs a Tianditu browser key (TIANDITU_KEY); got "
                + ("none" if not key else "a malformed one")
            )
        for layer, overlay in (("vec", False), ("cva", True)):
            folium.TileLayer(tiles=_TIANDITU_URL.format(layer=layer, key=key), attr=_TIANDITU_ATTR,
                             name=f"天地图 {layer}", subdomains="01234567", max_zoom=18,
                             overlay=overlay, control=False).add_to(m)
    elif basemap != "none":
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {BASEMAPS}")


def build_map(
    collections: Iterable[Mapping[str, Any]],
    *,
    lang: str = "zh",
    basemap: str = "none",
    tianditu_key: str | None = None,
    layers: Iterable[str] | None = None,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    legend: bool = True,
    asset_base: str | None = ASSET_BASE_URL,
    fit: Sequence[Sequence[float]] | None = None,
    fit_options: Mapping[str, Any] | None = None,
) -> folium.Map:
    """Draw plan layers on a folium map.

    One ``folium.FeatureGroup`` per layer (= feature kind), in `KIND_ORDER`; each holds a GeoJson
    of the layer's features (styled per kind, dashed by precision, dotted when inferred, points as
    circle markers, tooltip = escaped name and labels, ``properties.id`` for the
    click handlers in the browser) and, for directed lines, a non-interactive GeoJson of arrowheads.
    The same inputs always give the same HTML.

    Parameters
    ----------
    collections : iterable of dict
        GeoJSON FeatureCollections whose features follow ``geo/feature.schema.json``.
    lang : {"zh", "en"}
        Language of tooltips (``name_en`` in English) and legend.
    basemap : {"none", "osm", "tianditu"}
        "none": no tiles, a plain light background and the admin faces; "osm": OpenStreetMap tiles;
        "tianditu": 天地图 ``vec_w`` + ``cva_w`` (needs ``tianditu_key``).
    tianditu_key : str, optional
        A Tianditu *browser* key (it ends up in the page, as every tile URL does).
    layers : iterable of str, optional
        Layers to draw; None draws all present. Pass ``()`` to draw none and hand
        `layer_groups` to the map frame's layers instead (`geo.view.frameargs.render_groups`).
    center : (float, float), optional
        (lat, lon) to open at; with ``zoom``. Without both the map fits the data.
    zoom : int, optional
        Zoom to open at, 3..18.
    legend : bool
        Add the legend. It lists the kinds present in ``collections``, drawn or not, so toggling
        layers does not change the base map.
    asset_base : str or None
        URL prefix of the app's copy of Leaflet (see `geo.assets`); the map then links nothing
        else. None keeps folium's CDN links.
    fit : [[south, west], [north, east]], optional
        Bounds to open at when no ``center``/``zoom`` is given (default: those of ``collections``).
    fit_options : dict, optional
        Leaflet ``fitBounds`` options in camelCase, e.g. ``{"padding": [24, 24], "maxZoom": 11}``.
        The map opens at the fitted view at once (``animate: false``), never flying there from
        the default view, so shapes are drawn once, where they stay.

    Returns
    -------
    folium.Map

    Raises
    ------
    MissingTiandituKey
        ``basemap="tianditu"`` without a well-formed key. Catch it, show its ``i18n_key`` message
        and fall back to ``basemap="none"``.
    ValueError
        Unknown ``basemap``.

    Examples
    --------
    >>> fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "core-1",
    ...     "properties": {"kind": "core", "name": "主城区", "name_en": "Main city", "precision": "approximate"},
    ...     "geometry": {"type": "Polygon", "coordinates": [[[104.6, 31.4], [104.8, 31.4], [104.7, 31.6],
    ...                                                     [104.6, 31.4]]]}}]}
    >>> m = build_map([fc])
    >>> [type(c).__name__ for c in m._children.values()]
    ['FeatureGroup', '_Chrome', 'Legend', 'FitBounds']
    """
    collections = list(collections)
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {BASEMAPS}")
    bounds = bounds_of(collections)
    view = center is not None and zoom is not None
    m = folium.Map(
        location=list(center) if view else [35.0, 105.0],
        zoom_start=zoom if view else 4,
        tiles=None,
        min_zoom=ZOOM_RANGE[0],
        max_zoom=ZOOM_RANGE[1],
        control_scale=False,  # _Chrome adds a metric-only scale
    )
    if asset_base is not None:
        m.default_js, m.default_css = local_links(asset_base)  # per map: no global state touched
    _add_basemap(m, basemap, tianditu_key)
    for group in layer_groups(collections, lang=lang, basemap=basemap, only=layers).values():
        group.add_to(m)
    m.add_child(_Chrome(basemap))
    feats = _prepared(collections)
    if legend and feats:
        m.add_child(Legend(_legend_html(feats, lang, basemap)))
    fit = [list(map(float, corner)) for corner in fit] if fit is not None else bounds
    if not view and fit is not None:
        fitted = folium.FitBounds(fit)
        fitted.options = {**fitted.options, **dict(fit_options or {}), "animate": False}
        m.add_child(fitted)
    _stable_ids(m.get_root(), _seed("map", feats, lang, basemap, tianditu_key, sorted(layers or []),
                                    layers is None, center, zoom, legend, asset_base, fit, fit_options))
    return m
