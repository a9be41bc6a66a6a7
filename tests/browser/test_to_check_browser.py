"""Features to check in Chromium (issue #19): counted on the Import page, drawn in their own style on the map, named
in the legend, their confidence and reasons in the map's panel."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.view.mapview import TO_CHECK_STYLE
from tests.browser.helpers import draft_on_import_page, open_draft_on_map
from tests.conftest import CHROMIUM, MAP_COMPONENT, MAP_FRAME, streamlit_server
from tests.pages.test_import_confidence import PLAN

#: The ids of the features drawn in the "to check" style (their arrowheads, in its colour too, have none).
TO_CHECK_JS = """
(color) => { const out = [];
  for (const k in window.map._layers) { const l = window.map._layers[k];
    if (l._path && l.options && l.options.color === color && l.feature && l.feature.properties.id)
      out.push(l.feature.properties.id); }
  return out; }
"""


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_features_to_check_are_counted_drawn_apart_and_explained(tmp_path, browser):
    with streamlit_server("dashboard.py", env={"GEO_STORE_PATH": str(tmp_path / "plans.sqlite3")}) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.set_default_timeout(90000)
        draft_on_import_page(page, url, PLAN)
        page.get_by_text("2 处待核对").wait_for()
        open_draft_on_map(page)
        frame = page.frame_locator(MAP_FRAME)
        map_frame = next(f for f in page.frames if f"/component/{MAP_COMPONENT}/" in (f.url or ""))
        # the guess drawn on the map (长沙—岳阳: its links layer shown because it holds it), and the legend says so
        drawn = map_frame.evaluate(TO_CHECK_JS, TO_CHECK_STYLE["color"])
        assert drawn == ["link-1"], drawn
        assert "待核对（可信度低）" in frame.locator(".ghyzt-legend").inner_text()
        # its panel: the confidence and the reason in words
        map_frame.evaluate("(id) => { for (const k in window.map._layers) { const l = window.map._layers[k];"
                           " if (l.feature && l.feature.properties.id === id && l._path) {"
                           " l.fire('click', {latlng: l.getLatLngs().flat(2)[0]}); return; } } }", drawn[0])
        panel = frame.locator(".ghyzt-panel[data-feature='link-1']")
        panel.wait_for()
        text = panel.inner_text()
        ctx.close()
    assert "待核对" in text and "依据与假定" in text and "类型为推测" in text, text
