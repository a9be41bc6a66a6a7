"""The structure diagram (空间结构图) as PNG or PDF: `render_map` for a bundled plan, `render_plan` for any.

A4, portrait or landscape, whichever gives the plan's jurisdiction the larger scale, in a local Albers
equal-area projection (`geo.export.diagram_layout`). The frame is the jurisdiction with a margin: links to
far-away partners (上海, 新疆, 欧洲 …) would otherwise shrink the jurisdiction to a dot, so lines are clipped
at the frame and a link that leaves it gets its arrowhead at the edge and its name there (an inset map was
considered and rejected: it needs the national boundaries, ~2.5 s to load and simplify from the gazetteer,
for arcs whose far ends are anchors the text does not give anyway).

Colours, widths and dash patterns come from `geo.view.mapview` (`geo.export.diagram_style`), so the print
matches the screen. Precision is drawn as on screen: exact solid, approximate dashed, schematic dash-dot,
points as markers; inferred places (behind a masked XX / *) are hatched with a dotted outline (polygons),
dotted (lines) or hollow (points), and the legend says 推断 (`geo.export.legend`). Labels go on named
structure only, placed greedily by priority without overlaps (`geo.export.labels`); title, scale bar, north
arrow, source line and credits are `geo.export.furniture`.

Plan text is untrusted: every text is drawn with ``parse_math=False`` (a ``$...$`` in a name is shown as
written), ``text.usetex`` is off, and rendering holds a lock around ``matplotlib.rc_context`` so that
concurrent Streamlit sessions do not share rcParams. Output is deterministic for a given matplotlib: fixed
fonts and sizes (`geo.export.common.cjk_font`), no timestamps (PNG ``Software`` and PDF ``CreationDate``
removed).
"""

from __future__ import annotations

import dataclasses
import io
import math
import threading
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from geo.export.common import (
    ORIGINS,
    ExportError,
    TofuWarning,
    _chosen_layers,
    _feature_list,
    _missing_glyphs,
    _name,
    cjk_font,
)
from geo.export.diagram_layout import (
    _LINE_TYPES,
    _POINT_TYPES,
    _clip_forward,
    _fit_frame,
    _head_at_end,
    _layouts,
    _line_parts,
    _paths,
    _projector,
    _pts_to_mm,
)
from geo.export.diagram_style import (
    _BACKGROUND,
    _HALO,
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
from geo.export.furniture import _draw_footer, _draw_scale_and_north, _draw_title
from geo.export.labels import (
    _area_candidates,
    _edge_candidates,
    _Label,
    _line_candidates,
    _node_candidates,
    _place_labels,
    _point_candidates,
    _sector,
)
from geo.export.legend import _draw_legend, _Legend, _legend_blocks
from geo.i18n import t
from geo.text.plans import Plan, load_plan
from geo.view.mapview import ARROW_KINDS, DASHES, INFERRED_DASH, KIND_ORDER, STYLES, ZONE_FILLS

__all__ = ["MapDrawing", "render_map", "render_plan"]

_render_lock = threading.Lock()


class _Map:
    """Draws one plan's structure diagram on a matplotlib Figure (one call per export).

    It sets up the projection and the frame, draws the admin base, the visible features and the highlight,
    and collects what the labels and the legend need; the furniture (`geo.export.furniture`), the labels
    (`geo.export.labels`) and the legend (`geo.export.legend`) draw through its `_text`.
    """

    highlight_note = ""  # what the subtitle says is highlighted (`render_plan` sets it)

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
            raise ExportError(t("diagram.nothing_to_draw", self.lang))
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
        obstacles = _draw_scale_and_north(ax, self.frame, self.lang, self._text)
        self.off_map = _place_labels(self.labels, self.frame, obstacles, self._draw_label)
        _draw_title(fig, lay, self.plan.meta, lang=self.lang, origin=self.origin, note=self.highlight_note,
                    text=self._text)
        blocks = _legend_blocks(self.legend, self.lang, origin=self.origin, own=bool(self.own),
                                neighbours=bool(self.neighbours), named_only_names=self.named_only_names,
                                off_map=self.off_map)
        _draw_legend(fig, lay, blocks, directed=self.legend.directed, text=self._text)
        _draw_footer(fig, lay, self.plan, lang=self.lang, origin=self.origin, named_only=self.named_only,
                     named_only_listed=self.origin != "bundled" and bool(self.named_only_names), text=self._text)

    def _text(self, target: Any, x: float, y: float, s: str, *, size: float, weight: str = "normal",
              color: str = "#222222", halo: float = 0.0, **kwargs: Any) -> Any:
        """Draw text literally (no mathtext) and remember it for the glyph check."""
        from matplotlib import patheffects

        self.texts.append(s)
        effects = [patheffects.withStroke(linewidth=halo, foreground=_HALO)] if halo else None
        return target.text(x, y, s, fontsize=size, fontweight=weight, color=color, parse_math=False,
                            usetex=False, path_effects=effects, **kwargs)

    def _draw_label(self, x: float, y: float, s: str, *, size: float, weight: str, color: str, ha: str) -> None:
        """Draw a placed label on the map, haloed, at (x, y) km."""
        self._text(self.ax, x, y, s, size=size, weight=weight, color=color, ha=ha, va="center", zorder=45,
                   halo=2.2, clip_on=True)

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
        from matplotlib.patches import Circle, PathPatch, Polygon

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
        to_check = props.get("confidence") == "low"
        if to_check:
            self.legend.to_check.append(_name(props, self.lang))
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
                if to_check:
                    _add(self.ax, PathPatch(path, facecolor="none", edgecolor=_TO_CHECK, linestyle=_dash(_TO_CHECK_DASH, _TO_CHECK_DASH_SCALE),
                                            linewidth=ks.weight * _PT_PER_PX + _TO_CHECK_BAND, zorder=z - 0.05))
                _add(self.ax, PathPatch(
                    path, facecolor=face, edgecolor=ks.color, linewidth=ks.weight * _PT_PER_PX, linestyle=dash,
                    hatch="///" if inferred else None, hatchcolor=_rgba(ks.color, 0.55) if inferred else None,
                    zorder=z))
            if kind in ("core", "wing", "zone"):
                self.labels.append(_Label(name, _area_candidates(geom, self.inner, self.frame), kind))
        elif shape_kind == "line":
            width = ks.weight * _PT_PER_PX * _LINE_WIDTH.get(kind, 1.0)
            direction = props.get("direction") if kind in ARROW_KINDS else None
            if direction in ("forward", "both"):
                self.legend.directed = True
            for line in _line_parts(geom):
                parts, leaves = _clip_forward(line, self.inner)
                for part in parts:
                    xy = part.coords
                    if to_check:
                        self.ax.plot([p[0] for p in xy], [p[1] for p in xy], color=_TO_CHECK,
                                     linewidth=width + _TO_CHECK_BAND, linestyle=_dash(_TO_CHECK_DASH, _TO_CHECK_DASH_SCALE), zorder=z - 0.05,
                                     dash_capstyle="butt")
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
                        self.labels.append(_Label(name, _edge_candidates(tip, self.frame), "link", sector=_sector(tip, self.frame)))
                    if not leaves or self._new_edge_tip(tip):
                        heads.append(_head_at_end(last, self.arrow_km))
                if direction == "both":
                    first = parts[0]
                    heads.append(_head_at_end(type(first)(list(first.coords)[::-1]), self.arrow_km))
                for tri in heads:
                    if tri:
                        _add(self.ax, Polygon(tri, closed=True, facecolor=ks.color, edgecolor="none",
                                                  zorder=z + 0.1))
            if kind == "corridor":
                visible = [p for ln in _line_parts(geom) for p in _clip_forward(ln, self.inner)[0]]
                if visible:
                    longest = max(visible, key=lambda p: p.length)
                    self.labels.append(_Label(name, _line_candidates(longest, self.frame), kind))
        else:
            size = ks.radius * 2 * _PT_PER_PX * 1.1
            face = "white" if inferred else ks.fill or ks.color
            for pt in getattr(geom, "geoms", [geom]):
                if not self.inner.covers(pt):
                    continue
                if to_check:  # a dashed ring round the marker, which keeps its own look
                    ring_km = _pts_to_mm(size / 2 + _TO_CHECK_BAND) / self.frame.mm_per_km
                    _add(self.ax, Circle((pt.x, pt.y), ring_km, facecolor="none", edgecolor=_TO_CHECK,
                                         linewidth=1.4, linestyle=_dash(_TO_CHECK_DASH, _TO_CHECK_DASH_SCALE), zorder=z - 0.05))
                self.ax.plot([pt.x], [pt.y], marker="o", markersize=size, markerfacecolor=face,
                             markeredgecolor=ks.color, markeredgewidth=1.0 if inferred else 0.6, linestyle="none",
                             zorder=z)
                if kind in ("node", "core", "wing", "zone"):  # a part drawn at a seat (一核 = 县城) is named too
                    self.labels.append(_Label(name, _node_candidates(pt, size, self.frame), kind))

    def _new_edge_tip(self, tip: tuple[float, float]) -> bool:
        """True unless an arrowhead already sits within 2.5 mm of this frame exit (a pile reads as a smudge)."""
        u, v = self.frame.to_mm(*tip)
        if any(math.hypot(u - a, v - b) < 2.5 for a, b in self.edge_tips):
            return False
        self.edge_tips.append((u, v))
        return True

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
                    cands = _line_candidates(max(parts, key=lambda p: p.length), self.frame) if parts else []
                elif geom.geom_type in _POINT_TYPES:
                    cands = _point_candidates(geom.representative_point(), self.frame)
                else:
                    cands = _area_candidates(geom, self.inner, self.frame)
                self.labels.append(_Label(_name(props, self.lang), cands, "selected"))
            else:
                for lab in self.labels:
                    if lab.kind == kind and lab.text == _name(props, self.lang):
                        lab.priority = -1


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
    import geo.export  # its load_layers, as `geo.export.common._visible` loads them

    _check_render_args(fmt, dpi)
    return render_plan(load_plan(plan_id), geo.export.load_layers(plan_id), layers=layers, selected=selected, clause=clause,
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
            drawing.highlight_note = t("diagram.selected", lang, name=_name(chosen[0].get("properties") or {}, lang))
        elif clause:
            drawing.highlight_note = t("diagram.clause", lang, clause=clause)
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

