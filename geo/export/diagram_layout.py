"""The structure diagram's geometry: A4 layouts, the map frame and its projection, print units, shapes.

The map is drawn in a local Albers equal-area projection (standard parallels at 1/6 and 5/6 of the
jurisdiction's latitude span), so areas compare honestly and one scale bar in km holds across the frame.
`_fit_frame` picks the layout (portrait or landscape) that gives the jurisdiction the larger scale. The rest
turns projected shapely geometries into what matplotlib draws (paths, line parts clipped at the frame,
arrowheads, label points) and measures text on paper (`_text_width_mm`, `_wrap`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_MM_PER_PT = 25.4 / 72
_A4_MM = (210.0, 297.0)
_FRAME_MARGIN = 0.06  # share of the jurisdiction's larger side added around it
_LINE_TYPES = frozenset({"LineString", "MultiLineString"})
_POINT_TYPES = frozenset({"Point", "MultiPoint"})


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



def _pts_to_mm(pt: float) -> float:
    return pt * _MM_PER_PT


def _text_width_mm(text: str, size_pt: float) -> float:
    """Estimated rendered width: full-width for CJK and fullwidth punctuation, ~0.56 em otherwise."""
    em = sum(1.0 if ord(c) >= 0x2E80 or c in "“”‘’—…·" else 0.56 for c in text)
    return _pts_to_mm(em * size_pt)


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



def _head_at_end(part: Any, size_km: float) -> list[tuple[float, float]]:
    """An arrowhead at the end of a line part, ``size_km`` long (at most half the part)."""
    length = part.length
    if length == 0:
        return []
    size = min(size_km, length * 0.5)
    back = part.interpolate(length - size)
    return _arrowhead(part.coords[-1], (back.x, back.y), size)


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

