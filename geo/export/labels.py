"""The structure diagram's labels: where a name may go, and placing names without overlaps.

Labels go on named structure only (cores, wings, zones, corridors, nodes, neighbours, links leaving the
frame), placed greedily by priority without overlaps; a label that finds no free place is left out rather
than drawn over another. A link leaving the frame is named at the edge it leaves by; one whose name finds no
place there is listed in the legend by its compass sector (`_SECTORS`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from geo.export.diagram_layout import _MM_PER_PT, _Frame, _label_point, _pts_to_mm, _text_width_mm

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
#: Compass sectors counter-clockwise from the east (`_sector`), as `geo.i18n` keys ``diagram.sector.*``.
_SECTORS = ("E", "NE", "N", "NW", "W", "SW", "S", "SE")


@dataclass
class _Label:
    """A label to place: candidate anchors (x km, y km, horizontal alignment), text, kind and priority."""

    text: str
    candidates: list[tuple[float, float, str]]
    kind: str
    priority: int = 0
    sector: int | None = None  # links leaving the frame: listed by direction if the label finds no place


def _area_candidates(geom: Any, inner: Any, frame: _Frame) -> list[tuple[float, float, str]]:
    """Places for an area's name: around a point well inside its part within ``inner``."""
    visible = geom.intersection(inner)
    if visible.is_empty:
        return []
    x, y = _label_point(visible)
    d = 4.0 / frame.mm_per_km
    return [(x + dx * d, y + dy * d, "center")
            for dx, dy in ((0, 0), (0, 1), (0, -1), (2, 0), (-2, 0), (0, 2), (0, -2), (2, 1), (-2, -1))]


def _line_candidates(line: Any, frame: _Frame) -> list[tuple[float, float, str]]:
    """Places for a line's name: above and below it, from its middle outwards."""
    off = 2.6 / frame.mm_per_km
    out = []
    for f in (0.5, 0.38, 0.62, 0.25, 0.75, 0.15, 0.85):
        p = line.interpolate(f, normalized=True)
        out += [(p.x, p.y + off, "center"), (p.x, p.y - off, "center")]
    return out


def _node_candidates(pt: Any, marker_pt: float, frame: _Frame) -> list[tuple[float, float, str]]:
    """Places for a node's name: right, left, above and below its marker, ``marker_pt`` across."""
    off = (marker_pt / 2 + 1.2) * _MM_PER_PT / frame.mm_per_km
    return [(pt.x + off, pt.y, "left"), (pt.x - off, pt.y, "right"), (pt.x, pt.y + off * 1.6, "center"),
            (pt.x, pt.y - off * 1.6, "center")]


def _point_candidates(p: Any, frame: _Frame) -> list[tuple[float, float, str]]:
    """Places for the name of a highlighted point: above, right, below and left of it."""
    off = 3.0 / frame.mm_per_km
    return [(p.x, p.y + off, "center"), (p.x + off, p.y, "left"), (p.x, p.y - off, "center"),
            (p.x - off, p.y, "right")]


def _edge_candidates(tip: tuple[float, float], frame: _Frame) -> list[tuple[float, float, str]]:
    """Places for the name of a link leaving the frame: just inside the edge it leaves by, sliding along it."""
    fr = frame
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


def _sector(tip: tuple[float, float], frame: _Frame) -> int:
    """The compass sector (0 = east, counter-clockwise) of a frame exit, seen from the frame's centre."""
    u, v = frame.to_mm(*tip)
    return round(math.degrees(math.atan2(v - frame.box[3] / 2, u - frame.box[2] / 2)) / 45) % 8


def _place_labels(labels: list[_Label], frame: _Frame, obstacles: list[tuple[float, float, float, float]],
                  draw: Callable[..., Any]) -> dict[int, list[str]]:
    """Place labels by priority at their first candidate that overlaps nothing placed; drop the rest.

    Parameters
    ----------
    labels : list of _Label
        In the order they were collected (the tie-breaker after priority and kind).
    frame : _Frame
    obstacles : list of (left, bottom, width, height)
        Boxes in mm from the frame's corner that no label may cover (scale bar, north arrow).
    draw : callable
        Draws a label: ``draw(x, y, text, size=, weight=, color=, ha=)`` in projected km.

    Returns
    -------
    dict of int to list of str
        Compass sector -> names of the links leaving the frame that way whose label found no place.
    """
    bw, bh = frame.box[2], frame.box[3]
    taken = [(u, v, u + w, v + h) for u, v, w, h in obstacles]
    rank = {k: i for i, k in enumerate(_LABEL_PRIORITY)}
    seen: set[tuple[str, str]] = set()
    off_map: dict[int, list[str]] = {}
    ordered = sorted(enumerate(labels), key=lambda il: (il[1].priority, rank.get(il[1].kind, 99), il[0]))
    for _, lab in ordered:
        if not lab.text or (lab.kind, lab.text) in seen and lab.kind in ("link", "node"):
            continue
        size, weight, color = _LABEL_STYLE.get(lab.kind, _LABEL_STYLE["node"])
        if lab.kind == "selected":
            size, weight, color = 9.0, "bold", "#222222"
        w = _text_width_mm(lab.text, size) + 1.0
        h = _pts_to_mm(size) * 1.25
        for x, y, ha in lab.candidates:
            u, v = frame.to_mm(x, y)
            left = {"left": u, "right": u - w}.get(ha, u - w / 2)
            rect = (left, v - h / 2, left + w, v + h / 2)
            if rect[0] < 1 or rect[1] < 1 or rect[2] > bw - 1 or rect[3] > bh - 1:
                continue
            if any(rect[0] < r[2] and r[0] < rect[2] and rect[1] < r[3] and r[1] < rect[3] for r in taken):
                continue
            taken.append(rect)
            seen.add((lab.kind, lab.text))
            draw(x, y, lab.text, size=size, weight=weight, color=color, ha=ha)
            break
        else:
            if lab.sector is not None:
                names = off_map.setdefault(lab.sector, [])
                if lab.text not in names:
                    names.append(lab.text)
    placed = {text for kind, text in seen if kind == "link"}
    return {k: [n for n in v if n not in placed] for k, v in off_map.items()}
