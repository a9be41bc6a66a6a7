"""The structure diagram's legend: what it shows, in blocks, laid out in columns, with a swatch a row.

The legend lists the kinds drawn with their precisions (zones by name and fill), the admin base, the
precision styles (exact solid, approximate dashed, schematic dash-dot, points as markers), inferred places,
the features an imported plan's importer is unsure of (待核对: a magenta dashed band, and their names), direction, links leaving the frame and the highlight; an imported plan's features the text only names are
listed by name (仅提及、未绘制), and links leaving the frame whose name found no place at the edge by compass
sector. The swatches use the map's own styles (`geo.export.diagram_style`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from geo.export.diagram_layout import _pts_to_mm, _text_width_mm, _wrap, _wrap_list
from geo.export.diagram_style import (
    _BACKGROUND,
    _HIGHLIGHT,
    _LINE_WIDTH,
    _OUTLINE,
    _OWN_FILL,
    _PT_PER_PX,
    _TO_CHECK,
    _TO_CHECK_BAND,
    _TO_CHECK_DASH,
    _TO_CHECK_DASH_SCALE,
    _add,
    _dash,
    _rgba,
)
from geo.export.labels import _SECTORS
from geo.i18n import kind_label, precision_label, t
from geo.view.mapview import ARROW_KINDS, DASHES, INFERRED_DASH, STYLES

#: Names listed under 仅提及、未绘制 before the rest is counted (the legend box is 42 mm high in portrait).
_NAMED_ONLY_LISTED = 12


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
    to_check: list[str] = field(default_factory=list)  # names of the low-confidence features drawn, in order


def _legend_blocks(legend: _Legend, lang: str, *, origin: str, own: bool, neighbours: bool,
                   named_only_names: Sequence[str], off_map: Mapping[int, list[str]]
                   ) -> list[list[tuple[str, Any, str]]]:
    """Legend rows ``(shape, style, label)`` in blocks a column break does not split.

    A heading opens the block that follows it; ``para`` rows are wrapped to the column when laid out.
    """
    blocks: list[list[tuple[str, Any, str]]] = []
    head: list[tuple[str, Any, str]] = [("head", None, t("diagram.legend", lang))]

    def add(*rows: tuple[str, Any, str]) -> None:
        nonlocal head
        blocks.append([*head, *rows])
        head = []

    sep = ", " if lang == "en" else "、"
    for kind in ("core", "wing", "zone", "corridor", "route", "link", "node", "eco", "context"):
        if kind not in legend.kinds:
            continue
        precisions = [p for p in ("exact", "approximate", "schematic", "point") if p in legend.kinds[kind]]
        shown = sep.join(precision_label(p, lang) for p in precisions)
        label = f"{kind_label(kind, lang)} ({shown})" if lang == "en" else f"{kind_label(kind, lang)}（{shown}）"
        main = precisions[0] if precisions else "exact"
        if kind == "zone" and legend.zones:
            add(("text", None, label), *[("area", ("zone", fill, main), name) for name, fill in legend.zones])
        else:
            add((legend.kind_shape.get(kind, "area"), (kind, None, main), label))
    if own:  # an imported draft without a jurisdiction has no admin base
        add(("own", None, t("diagram.own", lang)))
        add(("outline", None, t("diagram.outline", lang)))
    if neighbours:
        add(("neighbour", None, t("diagram.neighbour", lang)))
    head = [("head", None, t("diagram.precision", lang))]
    for p in ("exact", "approximate", "schematic"):
        if p in legend.precisions:
            add(("dash", DASHES.get(p), precision_label(p, lang)))
    if "point" in legend.precisions:
        add(("dot", None, precision_label("point", lang)))
    if legend.inferred:
        add(("inferred", None, t("diagram.inferred_area", lang)))
    if legend.directed:
        add(("arrow", None, t("diagram.direction", lang)))
    if legend.leaves:
        add(("leaves", None, t("diagram.leaves", lang)))
    if legend.highlight:
        add(("highlight", None, t("diagram.highlight", lang)))
    if origin != "bundled" and named_only_names:
        # An imported plan's planner checks what the importer could not place: name it, not just count it.
        head = [("head", None, t("diagram.named_only_head", lang))]
        add(("list", _listed(named_only_names, lang), ""))
    if legend.to_check:
        # which features the planner is asked to check, by name (links and routes carry no label on the map)
        head = [("head", None, t("diagram.to_check_head", lang))]
        count = t("diagram.to_check_count", lang, n=len(legend.to_check))
        add(("to_check", None, t("diagram.to_check", lang)), ("list", (count, *_listed(legend.to_check, lang)), ""))
    if off_map:
        names_sep = "; " if lang == "en" else "、"
        paras = []
        for sector in (2, 1, 0, 7, 6, 5, 4, 3):  # N, NE, E, SE, S, SW, W, NW
            if off_map.get(sector):
                side = t(f"diagram.sector.{_SECTORS[sector]}", lang) + (": " if lang == "en" else "：")
                paras.append(("para", None, side + names_sep.join(off_map[sector])))
        if paras:
            head = [("head", None, t("diagram.off_map", lang))]
            add(*paras)
    return blocks


def _listed(names: Sequence[str], lang: str) -> tuple[str, ...]:
    """Names for a ``list`` row: each once, the first `_NAMED_ONLY_LISTED`, then how many in all."""
    unique = list(dict.fromkeys(n for n in names if n))
    sep = ", " if lang == "en" else "、"
    shown = unique[:_NAMED_ONLY_LISTED]
    pieces = [n + sep for n in shown[:-1]] + shown[-1:]
    if len(unique) > _NAMED_ONLY_LISTED:
        pieces += [t(f"diagram.{k}", lang, n=len(unique)) for k in ("named_only_more", "named_only_see")]
    return tuple(pieces)


def _draw_legend(fig: Any, lay: Mapping[str, Any], blocks: list[list[tuple[str, Any, str]]], *, directed: bool,
                 text: Callable[..., Any]) -> None:
    """Lay the legend's blocks out in columns in the box, shrinking the text until they fit; draw them."""
    pw, ph = lay["page"]
    lx, ly, lw, lh = lay["legend"]
    ax = fig.add_axes((lx / pw, ly / ph, lw / pw, lh / ph))
    ax.set_xlim(0, lw)
    ax.set_ylim(0, lh)
    ax.axis("off")
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
                text(ax, x, y, label, size=size + 1, weight="bold", ha="left", va="center")
            elif shape == "para":
                text(ax, x, y, label, size=size, ha="left", va="center", color="#333333")
            else:
                _swatch(ax, shape, style, x + 0.5, y, 8.5, _pts_to_mm(size) * 1.2, directed=directed)
                text(ax, x + 11.0, y, label, size=size, ha="left", va="center")
            y -= row_h
        x += width


def _swatch(ax: Any, shape: str, style: Any, x: float, y: float, w: float, h: float, *, directed: bool) -> None:
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
            if kind in ARROW_KINDS and directed and kind == "link":
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
    elif shape == "to_check":  # the map's band under a grey line: the line keeps its precision, the band says check
        ax.plot([x, x + w], [y, y], color=_TO_CHECK, linewidth=1.3 + _TO_CHECK_BAND,
                linestyle=_dash(_TO_CHECK_DASH, _TO_CHECK_DASH_SCALE), dash_capstyle="butt")
        ax.plot([x, x + w], [y, y], color="#444444", linewidth=1.3, solid_capstyle="butt")
    elif shape == "highlight":
        ax.plot([x, x + w], [y, y], color=_HIGHLIGHT, linewidth=5, alpha=0.8, solid_capstyle="round")
