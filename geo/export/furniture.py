"""The structure diagram's furniture: title, scale bar and north arrow, source line and credits.

The source line (资料来源) states the plan's title, issuing body and date as the text states them, or says
that it does not (日期未注明); for an imported plan, what the importer did not recognise (日期未识别). The
credits say where the boundaries, seats and layers come from, and for an imported plan that its layers were
recognised from the text. Every text is drawn through ``text``, the drawing's `geo.export.diagram._Map._text`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from geo.export.common import CREDITS
from geo.export.diagram_layout import _Frame, _nice_length, _pts_to_mm, _text_width_mm
from geo.export.diagram_style import _add
from geo.i18n import t
from geo.text.plans import Plan, PlanMeta


def _draw_scale_and_north(ax: Any, frame: _Frame, lang: str,
                          text: Callable[..., Any]) -> list[tuple[float, float, float, float]]:
    """Draw the scale bar (bottom left) and the north arrow (top right) inside the frame.

    Returns
    -------
    list of (left, bottom, width, height)
        Their boxes in mm from the frame's lower left corner, for the labels to keep clear of.
    """
    from matplotlib.patches import Polygon, Rectangle

    fr = frame
    bw, bh = fr.box[2], fr.box[3]
    km = _nice_length((bw * 0.22) / fr.mm_per_km)
    seg_mm = km * fr.mm_per_km
    u0, v0 = 6.0, 6.0
    unit = t("diagram.km", lang)
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
        text(ax, x, y, f"{value:g}", size=6.5, ha="center", va="bottom", zorder=42)
    x, y = fr.to_km(u0 + seg_mm + 2.0, v0 + 0.6)
    text(ax, x, y, unit, size=6.5, ha="left", va="center", zorder=42)
    # north arrow, top right: the split-triangle 指北针 with N above
    cu, cv = bw - 9.0, bh - 16.0
    tip, left, right, notch = (cu, cv + 9.0), (cu - 3.2, cv), (cu + 3.2, cv), (cu, cv + 2.2)
    _add(ax, Polygon([fr.to_km(*p) for p in (tip, left, notch)], closed=True, facecolor="#222222",
                     edgecolor="#222222", linewidth=0.6, zorder=41))
    _add(ax, Polygon([fr.to_km(*p) for p in (tip, notch, right)], closed=True, facecolor="white",
                     edgecolor="#222222", linewidth=0.6, zorder=41))
    x, y = fr.to_km(cu, cv + 10.0)
    text(ax, x, y, "N", size=9, weight="bold", ha="center", va="bottom", zorder=42, halo=2.0)
    return [box, (cu - 6.0, cv - 2.0, 12.0, 16.5)]


def _draw_title(fig: Any, lay: Mapping[str, Any], meta: PlanMeta, *, lang: str, origin: str, note: str,
                text: Callable[..., Any]) -> None:
    """The plan's title, and under it what the map shows (jurisdiction, draft mark, ``note`` on the highlight)."""
    pw, ph = lay["page"]
    title = meta.title_en if lang == "en" and meta.title_en else meta.title
    avail = pw - 24.0
    size = 15.0
    while _text_width_mm(title, size) > avail and size > 9.0:
        size -= 0.5
    y = lay["title_y"]
    text(fig, 0.5, y / ph, title, size=size, weight="bold", ha="center", va="top", transform=fig.transFigure)
    sub_key = "diagram.subtitle" if meta.jurisdiction.stated else "diagram.subtitle_inferred"
    if not meta.jurisdiction.name:
        sub_key = "diagram.subtitle_no_juris"
    sub = t(sub_key, lang, place=meta.jurisdiction.name)
    if origin == "draft":
        sub += t("diagram.draft_mark", lang)
    if lang == "en":
        sub += f" · {meta.title}"
    if note:
        sub += "  ·  " + note
    sub_size = 10.0
    while _text_width_mm(sub, sub_size) > avail and sub_size > 7.0:
        sub_size -= 0.5
    text(fig, 0.5, (y - _pts_to_mm(size) * 1.45) / ph, sub, size=sub_size, color="#444444", ha="center",
         va="top", transform=fig.transFigure)


def _draw_footer(fig: Any, lay: Mapping[str, Any], plan: Plan, *, lang: str, origin: str, named_only: int,
                 named_only_listed: bool, text: Callable[..., Any]) -> None:
    """Source line, credits, and the disclaimer (after the count of features only named, unless listed)."""
    pw, ph = lay["page"]
    y = lay["footer_y"]
    lines = [_source_line(plan.meta, lang, origin)]
    credit = CREDITS[1 if lang == "en" else 0]
    if origin == "draft":
        credit += t("diagram.credit_draft", lang)
    elif origin == "stored":
        credit += t("diagram.credit_stored", lang, id=plan.id)
    tail = t("diagram.disclaimer", lang)
    if named_only and not named_only_listed:
        tail = t("diagram.named_only", lang, n=named_only) + ("；" if lang != "en" else "; ") + tail
    lines += [credit, tail]
    avail = pw - 24.0
    for i, line in enumerate(lines):
        size = 7.0
        while _text_width_mm(line, size) > avail and size > 4.5:
            size -= 0.25
        text(fig, 12.0 / pw, (y - i * 3.6 + 3.6) / ph, line, size=size, color="#333333" if i == 0 else "#666666",
             ha="left", va="center", transform=fig.transFigure)


def _date_stated(meta: PlanMeta, lang: str) -> str:
    """The plan's date as the text states it, marked where it is incomplete, or 'not stated'."""
    if meta.date_as_written and not meta.date:
        return t("diagram.sic", lang, date=meta.date_as_written)
    if meta.date_as_written:
        return meta.date_as_written
    if meta.date:
        y, m, d = (int(p) for p in meta.date.split("-"))
        return f"{y}年{m}月{d}日" if lang != "en" else meta.date
    return t("diagram.no_date", lang)


def _source_line(meta: PlanMeta, lang: str, origin: str = "bundled") -> str:
    """资料来源: title, issuing body, date (and the document number where stated).

    A bundled plan's metadata was curated, so a missing issuer or date is one the text does not state; an
    imported plan's is what the importer recognised (the title and the issuer of the title line only), so a
    missing one is "not recognised", and a jurisdiction not stated was inferred from the places named (not
    from a masked name, as in the bundled anonymised plans).
    """
    imported = origin != "bundled"
    date = t("diagram.no_date_found", lang) if imported and not (meta.date or meta.date_as_written) else \
        _date_stated(meta, lang)
    issuer = meta.issuer or t("diagram.no_issuer_found" if imported else "diagram.no_issuer", lang)
    line = t("diagram.source", lang, title=meta.title, issuer=issuer, date=date)
    if meta.doc_number:
        line += ("，" if lang != "en" else ", ") + meta.doc_number
    if not meta.jurisdiction.stated and meta.jurisdiction.name:
        key = "diagram.juris_detected" if imported else "diagram.juris_inferred"
        line += ("；" if lang != "en" else "; ") + t(key, lang, place=meta.jurisdiction.name)
    return line
