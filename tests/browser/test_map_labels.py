"""The live map as a 空间结构图 (#20): names on the structure, the default layers, the legend, focus and keyboard."""

from __future__ import annotations

import pytest

from geo.text.plans import plan_ids
from tests.browser.helpers import click_feature, map_frame, new_page, open_map, params, ready, settle
from tests.conftest import MAP_FRAME

pytestmark = pytest.mark.browser

BUNDLED = ("mianyang", "qujing", "guizhou", "panjin", "wangcang")

# The names shown on the map, with their boxes on screen.
SHOWN_JS = """
() => Array.from(document.querySelectorAll('.ghyzt-label[data-shown="1"]')).map(e => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent, kind: e.className, box: [r.left, r.top, r.right, r.bottom]};
})
"""
# (kind, shape) of every feature drawn on the map.
DRAWN_JS = """
() => {
  const out = new Set();
  window.map.eachLayer(l => {
    const p = l.feature && l.feature.properties, g = l.feature && l.feature.geometry;
    if (!p || typeof p.kind !== "string" || l.eachLayer || !g) return;
    const t = g.type, shape = /Line/.test(t) ? "line" : /Point/.test(t) ? "point" : "area";
    out.add(p.kind + ":" + shape);
  });
  return Array.from(out).sort();
}
"""
KINDS_JS = """
() => { const out = new Set(); window.map.eachLayer(l => {
  const p = l.feature && l.feature.properties; if (p && p.kind) out.add(p.kind); }); return Array.from(out).sort(); }
"""
LEGEND_JS = """
() => Array.from(new Set(Array.from(document.querySelectorAll('.ghyzt-legend [data-kind]'))
  .map(e => e.dataset.kind + ":" + e.dataset.shape))).sort()
"""


@pytest.fixture
def page(browser):
    ctx, pg = new_page(browser, 1440, 900)
    yield pg
    ctx.close()


def _labels_placed(page) -> None:
    page.frame_locator(MAP_FRAME).locator('.ghyzt-label[data-shown="1"]').first.wait_for()


def _overlaps(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _zoom_to(frame, z: int) -> None:
    frame.evaluate("z => new Promise(r => { window.map.once('moveend', () => setTimeout(r, 50)); "
                   "window.map.setZoom(z, {animate: false}); })", z)


@pytest.mark.parametrize("plan", BUNDLED)
def test_the_structure_is_named_without_overlaps(page, server, plan):
    assert plan in plan_ids()
    open_map(page, f"{server}/?plan={plan}")
    settle(page)
    _labels_placed(page)
    frame = map_frame(page)
    shown = frame.evaluate(SHOWN_JS)
    names = {row[2] for row in frame.evaluate("() => window.ghyztMap.data.names")}
    assert shown, "no name on the map"
    assert {s["text"] for s in shown} <= names
    # the structure itself is named, not only the counties
    assert any("ghyzt-label-admin" not in s["kind"] for s in shown)
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            assert not _overlaps(a["box"], b["box"]), (a["text"], b["text"])
    # labels never take the clicks of the shapes under them
    assert frame.evaluate("() => getComputedStyle(document.querySelector('.ghyzt-label')).pointerEvents") == "none"
    assert not page.errors


def test_names_thin_out_zoomed_out_and_come_back_zoomed_in(page, server):
    open_map(page, f"{server}/?plan=guizhou")
    settle(page)
    _labels_placed(page)
    frame = map_frame(page)
    home = frame.evaluate("() => window.map.getZoom()")
    at_home = len(frame.evaluate(SHOWN_JS))
    _zoom_to(frame, home - 2)
    far = frame.evaluate(SHOWN_JS)
    assert len(far) < at_home
    assert all("ghyzt-label-admin" not in s["kind"] for s in far), "counties named at a province's scale"
    _zoom_to(frame, home + 1)
    near = frame.evaluate(SHOWN_JS)
    assert len(near) > len(far)
    for i, a in enumerate(near):
        for b in near[i + 1:]:
            assert not _overlaps(a["box"], b["box"]), (a["text"], b["text"])


def test_routes_links_and_nodes_are_off_by_default_and_one_click_away(page, server):
    open_map(page, f"{server}/?plan=guizhou")
    settle(page)
    frame = map_frame(page)
    kinds = set(frame.evaluate(KINDS_JS))
    assert {"core", "corridor", "zone", "admin"} <= kinds
    assert not kinds & {"route", "link", "node"}
    assert "layers" not in params(page.url)
    page.locator('[data-testid="stSidebar"] button', has_text="线路").first.click()
    page.wait_for_function("() => (new URLSearchParams(location.search).get('layers') || '').includes('route')")
    ready(page)
    page.wait_for_function(
        f"() => {{ const w = document.querySelector('{MAP_FRAME}').contentWindow; let on = false; "
        "w.map.eachLayer(l => { if (l.feature && l.feature.properties.kind === 'route') on = true; }); return on; }")
    assert "route" in set(map_frame(page).evaluate(KINDS_JS))


def test_the_legend_has_one_entry_per_style_drawn(page, server):
    every = "admin,context,zone,eco,wing,core,corridor,route,link,node"
    for plan in ("qujing", "mianyang"):
        open_map(page, f"{server}/?plan={plan}&layers={every}")
        ready(page)
        frame = map_frame(page)
        frame.wait_for_function("() => window.ghyztMap && window.ghyztMap.serial >= 0")
        assert frame.evaluate(LEGEND_JS) == frame.evaluate(DRAWN_JS), plan
    # qujing draws nodes both as points and as counties: two entries, each named by the way it is drawn
    open_map(page, f"{server}/?plan=qujing&layers={every}")
    rows = map_frame(page).evaluate(
        "() => Array.from(document.querySelectorAll('.ghyzt-legend [data-kind=node]')).map(e => e.textContent)")
    assert len(rows) == 2 and len(set(rows)) == 2
    # zones are named in the legend
    open_map(page, f"{server}/?plan=guizhou")
    zones = map_frame(page).evaluate(
        "() => Array.from(document.querySelectorAll('.ghyzt-legend [data-kind=zone]')).map(e => e.textContent)")
    assert "黔中城市群" in zones

VISIBLE_LEGEND_JS = """
() => Array.from(new Set(Array.from(document.querySelectorAll('.ghyzt-legend [data-kind]'))
  .filter(e => e.style.display !== 'none').map(e => e.dataset.kind + ":" + e.dataset.shape))).sort()
"""


def test_the_legend_follows_the_layers_switched_on(page, server):
    """The default view (routes, links and nodes off) has no legend rows for them; switched on, theirs appear."""
    open_map(page, f"{server}/?plan=qujing")
    settle(page)
    frame = map_frame(page)
    frame.wait_for_function("() => window.ghyztMap && window.ghyztMap.serial >= 0")
    shown = frame.evaluate(VISIBLE_LEGEND_JS)
    assert shown == frame.evaluate(DRAWN_JS)
    assert not any(row.split(":")[0] in ("route", "link", "node") for row in shown), shown
    page.locator('[data-testid="stSidebar"] button', has_text="线路").first.click()
    page.wait_for_function("() => (new URLSearchParams(location.search).get('layers') || '').includes('route')")
    ready(page)
    frame = map_frame(page)
    frame.wait_for_function(
        "() => Array.from(document.querySelectorAll('.ghyzt-legend [data-kind=route]'))"
        ".some(e => e.style.display !== 'none')")
    assert frame.evaluate(VISIBLE_LEGEND_JS) == frame.evaluate(DRAWN_JS)


# What the legend's precision and flag rows should be, read from the features drawn now (not from the rows' own
# script): the precisions drawn, and whether an inferred, a to-check feature or an arrowhead is drawn; and the rows
# the legend shows (laid out: neither they nor their section hidden).
STYLES_DRAWN_JS = """
() => {
  const out = new Set();
  window.map.eachLayer(l => {
    const p = l.feature && l.feature.properties;
    if (!p || l.eachLayer || !l.feature.geometry) return;
    if (p.of && !p.kind) { out.add("flag:directed"); return; }
    if (typeof p.kind !== "string") return;
    out.add("precision:" + p.precision);
    if (p.inferred) out.add("flag:inferred");
    if (p.check) out.add("flag:to_check");
  });
  return Array.from(out).sort();
}
"""
STYLE_ROWS_SHOWN_JS = """
() => Array.from(document.querySelectorAll('.ghyzt-legend [data-precision], .ghyzt-legend [data-flag]'))
  .filter(e => e.getClientRects().length > 0)
  .map(e => e.dataset.precision ? "precision:" + e.dataset.precision : "flag:" + e.dataset.flag).sort()
"""


def _style_rows_match(page) -> list[str]:
    """The precision and flag rows shown, once they are those of the features drawn."""
    frame = map_frame(page)
    frame.wait_for_function(f"() => JSON.stringify(({STYLE_ROWS_SHOWN_JS})()) === "
                            f"JSON.stringify(({STYLES_DRAWN_JS})())")
    return frame.evaluate(STYLE_ROWS_SHOWN_JS)


def test_the_legend_precision_and_direction_rows_follow_the_layers_and_the_language(page, server):
    """绵阳: the default view draws no link, so no 有向联系 row; links switched on, their arrow's row appears (and
    their schematic style's); switched off again, it goes. With only counties and the core drawn, the rows are
    theirs alone (exact, inferred), and an English page says them in English."""
    from geo.i18n import precision_label, t

    open_map(page, f"{server}/?plan=mianyang")
    settle(page)
    rows = _style_rows_match(page)
    assert "flag:directed" not in rows, rows
    links = page.locator('[data-testid="stSidebar"] button', has_text="联系").first
    links.click()
    page.wait_for_function("() => (new URLSearchParams(location.search).get('layers') || '').includes('link')")
    ready(page)
    map_frame(page).wait_for_function(
        "() => Array.from(document.querySelectorAll('.ghyzt-legend [data-flag=directed]'))"
        ".some(e => e.getClientRects().length > 0)")
    rows = _style_rows_match(page)
    assert {"flag:directed", "precision:schematic"} <= set(rows), rows
    assert t("map.direction", "zh") in map_frame(page).locator(".ghyzt-legend").inner_text()
    links = page.locator('[data-testid="stSidebar"] button', has_text="联系").first
    links.click()
    page.wait_for_function("() => !(new URLSearchParams(location.search).get('layers') || '').includes('link')")
    ready(page)
    map_frame(page).wait_for_function(
        "() => !Array.from(document.querySelectorAll('.ghyzt-legend [data-flag=directed]'))"
        ".some(e => e.getClientRects().length > 0)")
    assert "flag:directed" not in _style_rows_match(page)

    open_map(page, f"{server}/?plan=mianyang&layers=admin,core&lang=en")
    settle(page)
    assert _style_rows_match(page) == ["flag:inferred", "precision:exact"]
    legend = map_frame(page).locator(".ghyzt-legend-body")
    shown = [line for line in legend.inner_text().splitlines() if line.strip()]
    assert t("legend.precision", "en") in shown and t("legend.precision", "zh") not in shown, shown
    assert precision_label("exact", "en") in shown and precision_label("inferred", "en") in shown, shown
    for hidden in (precision_label("schematic", "en"), t("map.direction", "en"), precision_label("point", "en")):
        assert hidden not in shown, (hidden, shown)
    assert not [line for line in shown if any("\u3400" <= ch <= "\u9fff" for ch in line)], shown


def test_the_legend_folds_and_starts_folded_on_a_phone(browser, server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    page.set_default_timeout(60000)
    try:
        open_map(page, f"{server}/?plan=mianyang")
        settle(page)  # the page lays out again once the map has reported its view: click after that
        frame = page.frame_locator(MAP_FRAME)
        toggle = frame.locator(".ghyzt-legend-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not frame.locator(".ghyzt-legend-body").is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert frame.locator(".ghyzt-legend-body").is_visible()
    finally:
        ctx.close()


def test_a_clicked_shape_gets_no_black_box_and_stays_clear_of_the_panel(page, server):
    open_map(page, f"{server}/?plan=mianyang")
    settle(page)
    click_feature(page)
    frame = map_frame(page)
    frame.wait_for_selector(".ghyzt-panel[data-feature]")
    style = frame.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return {tag: e.tagName, outline: s.outlineStyle, width: s.outlineWidth}; }""")
    assert style["outline"] == "none" or style["width"] == "0px", style
    # the selection is not under the panel
    clear = frame.evaluate("""() => new Promise(r => setTimeout(() => {
        const ctl = window.ghyztMap, box = document.querySelector('.ghyzt-panel').getBoundingClientRect();
        let b = null;
        window.map.eachLayer(l => { if (!l.feature || l.feature.properties.id !== ctl.selected || l.eachLayer) return;
            const lb = l.getBounds ? l.getBounds() : L.latLngBounds([l.getLatLng()]);
            b = b ? b.extend(lb) : L.latLngBounds(lb.getSouthWest(), lb.getNorthEast()); });
        const p = window.map.latLngToContainerPoint(b.getCenter()),
              c = window.map.getContainer().getBoundingClientRect();
        r(!(p.x + c.left >= box.left && p.y + c.top <= box.bottom));
    }, 600))""")
    assert clear


def test_tab_reaches_the_structure_and_enter_opens_an_announced_panel(page, server):
    open_map(page, f"{server}/?plan=mianyang")
    settle(page)
    frame = map_frame(page)
    frame.evaluate("() => window.map.getContainer().focus()")
    page.keyboard.press("Tab")
    first = frame.evaluate("() => [document.activeElement.getAttribute('role'), "
                           "document.activeElement.getAttribute('aria-label')]")
    assert first[0] == "button" and "核心" in first[1], first  # the cores first
    focus = frame.evaluate("() => getComputedStyle(document.activeElement).stroke")
    assert focus in ("rgb(26, 86, 219)", "#1a56db"), "no visible keyboard focus"
    page.keyboard.press("Tab")
    second = frame.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert second != first[1] and "翼" in second  # then the wings
    page.keyboard.press("Enter")
    frame.wait_for_selector(".ghyzt-panel[data-feature]")
    panel = frame.evaluate("""() => { const p = document.querySelector('.ghyzt-panel');
        return [p.getAttribute('role'), p.getAttribute('aria-live'), p.style.display]; }""")
    assert panel == ["region", "polite", "block"]
    page.keyboard.press("Escape")
    frame.wait_for_function("() => document.querySelector('.ghyzt-panel').style.display === 'none'")


def test_a_phone_gets_the_panel_as_a_bottom_sheet_clear_of_the_selection(browser, server):
    """At 390 px the panel is a sheet along the map's bottom edge, the whole width; the map pans the selection into
    what the sheet leaves free; the page's links stay on screen (a click in the map frame scrolls the page)."""
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    page.set_default_timeout(60000)
    try:
        open_map(page, f"{server}/?plan=qujing")
        settle(page)
        click_feature(page, "core")
        frame = map_frame(page)
        frame.wait_for_selector(".ghyzt-panel[data-feature]")
        page.wait_for_timeout(600)  # the pan
        sheet = frame.evaluate("""() => {
            const ctl = window.ghyztMap, box = document.querySelector('.ghyzt-panel').getBoundingClientRect();
            let b = null;
            window.map.eachLayer(l => { if (!l.feature || l.feature.properties.id !== ctl.selected || l.eachLayer) return;
                const lb = l.getBounds ? l.getBounds() : L.latLngBounds([l.getLatLng()]);
                b = b ? b.extend(lb) : L.latLngBounds(lb.getSouthWest(), lb.getNorthEast()); });
            const p = window.map.latLngToContainerPoint(b.getCenter());
            return {left: box.left, right: box.right, top: box.top, bottom: box.bottom, y: p.y,
                    w: innerWidth, h: innerHeight}; }""")
        assert sheet["left"] == 0 and sheet["right"] == sheet["w"], sheet  # the whole width
        assert abs(sheet["bottom"] - sheet["h"]) < 1 and sheet["top"] > sheet["h"] / 2, sheet  # the lower half
        assert sheet["y"] < sheet["top"], sheet  # the selection above the sheet
        # nothing of the map's own controls drawn over the sheet (the legend's button, the scale)
        hit = frame.evaluate("() => document.elementFromPoint(innerWidth - 30, innerHeight - 30).closest('.ghyzt-panel')"
                             " !== null")
        assert hit
        nav = page.locator(".st-key-ghyzt_topnav").get_by_role("link", name="条文")
        assert nav.is_visible() and nav.bounding_box()["y"] >= 40, nav.bounding_box()
    finally:
        ctx.close()


#: Zoom onto one end of the longest line, so that its middle lies off the map; then a point of the line that
#: the mouse can hit, in the map frame's coordinates (or null).
LINE_END_IN_VIEW_JS = """
() => { let best = null, len = 0;
  window.map.eachLayer(l => { const p = l.feature && l.feature.properties;
    if (!p || !l._path || !l.getLatLngs || l.eachLayer || !window.ghyztMap.data.features[p.id]) return;
    const ll = l.getLatLngs().flat(3), d = ll[0].distanceTo(ll[ll.length - 1]);
    if (d > len) { len = d; best = l; } });
  if (!best) return null;
  const ll = best.getLatLngs().flat(3);
  window.map.setView(ll[0], window.map.getZoom() + 3, {animate: false});
  return best.feature.properties.id; }
"""
HIT_POINT_JS = """
(id) => { let out = null;
  window.map.eachLayer(l => { if (out || !l._path || !l.feature || l.feature.properties.id !== id) return;
    const r = l._path.getBoundingClientRect();
    for (let i = 1; i < 40 && !out; i++) for (let j = 1; j < 40 && !out; j++) {
      const x = r.left + r.width * i / 40, y = r.top + r.height * j / 40;
      if (x > 60 && y > 10 && x < innerWidth - 10 && y < innerHeight - 10 && document.elementFromPoint(x, y) === l._path)
        out = {x: x, y: y}; } });
  return out; }
"""


def test_a_click_on_a_line_whose_middle_is_off_the_map_selects_it(page, server):
    # a pointer's press focuses the shape; the map must not pan to the shape's middle then (only a keyboard
    # focus does), or the shape moves from under the pointer and the click selects nothing (issue #18: the
    # 南京—霍尔果斯 link of an imported whole plan could not be clicked)
    open_map(page, f"{server}/?plan=guizhou")
    settle(page)
    frame = map_frame(page)
    line = frame.evaluate(LINE_END_IN_VIEW_JS)
    assert line, "no line on the map"
    # the map reports its new view (a rerun, the address written): click once that is done
    zoom = frame.evaluate("() => window.map.getZoom()")
    page.wait_for_function("(z) => new URLSearchParams(location.search).get('z') === String(z)", arg=zoom)
    ready(page)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    hit = frame.evaluate(HIT_POINT_JS, line)
    assert hit, f"{line}: no point of it under the mouse"
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.click(box["x"] + hit["x"], box["y"] + hit["y"])
    frame.wait_for_function("(id) => window.ghyztMap.selected === id", arg=line, timeout=10000)
    assert frame.locator(f".ghyzt-panel[data-feature='{line}']").is_visible()
