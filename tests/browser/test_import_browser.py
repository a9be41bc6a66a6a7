"""A hostile plan pasted on the Import page, opened on the map, clicked and published in Chromium: nothing runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.helpers import READY, draft_on_import_page, open_draft_on_map
from tests.conftest import CHROMIUM, MAP_COMPONENT, MAP_FRAME, streamlit_server
from tests.pages.test_import_page import HOSTILE

#: Anything the hostile text could have planted in a document, as a DOM query.
PLANTED_JS = """
() => {
  const bad = [];
  // a <script> of the text itself (the map's own scripts carry clause texts as JSON strings: data, not code)
  for (const s of document.querySelectorAll("script")) if (/^\\s*alert\\(/.test(s.textContent)) bad.push("script");
  for (const sel of ["img[onerror]", "svg[onload]", "[onmouseover]", "iframe[src^='javascript']",
                     "a[href^='javascript']"]) if (document.querySelector(sel)) bad.push(sel);
  return bad;
}
"""


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_hostile_text_runs_nothing_in_a_browser(tmp_path, browser):
    """Paste a hostile plan on the Import page, open it on the Map page, click its shapes, save: nothing runs."""
    with streamlit_server("dashboard.py", env={"GEO_STORE_PATH": str(tmp_path / "plans.sqlite3")}) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.set_default_timeout(90000)
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        draft_on_import_page(page, url, HOSTILE)
        open_draft_on_map(page)
        frame = page.frame_locator(MAP_FRAME)
        page.wait_for_function("() => new URLSearchParams(location.search).has('z')")
        page.wait_for_selector(READY)
        # hover and click shapes all over the map: tooltips and the panel show names and excerpts from the text
        box = page.locator(MAP_FRAME).bounding_box()
        for x in range(60, int(box["width"]) - 60, 90):
            for y in range(40, int(box["height"]) - 40, 90):
                page.mouse.move(box["x"] + x, box["y"] + y)
        core = next(f for f in page.frames if f"/component/{MAP_COMPONENT}/" in (f.url or "")).evaluate(
            "() => { for (const k in window.map._layers) { const l = window.map._layers[k];"
            " if (l.feature && l.feature.properties.kind === 'core' && l._path) {"
            " const r = l._path.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; } } }")
        page.mouse.click(box["x"] + core[0], box["y"] + core[1])
        frame.locator(".ghyzt-panel[data-feature] mark").first.wait_for()
        page.wait_for_selector(".ghyzt-list")
        page.wait_for_selector(READY)
        page.get_by_role("button", name=re.compile("^发布$")).click()
        page.wait_for_function("() => /plan=[a-z]{16}(&|$)/.test(location.search)")
        page.wait_for_selector(READY)
        frame.locator(".leaflet-interactive").first.wait_for()
        body = page.inner_text("body")
        panel = frame.locator(".ghyzt-panel").first.inner_text() if frame.locator(".ghyzt-panel").count() else ""
        # shown as text: the core's excerpt (“一核”包括岳麓区<img …>) below the map
        assert "<img src=x onerror=alert('core')>" in body + panel, body[:2000]
        planted = page.evaluate(PLANTED_JS)
        in_frames = [f.evaluate(PLANTED_JS) for f in page.frames if f != page.main_frame]
        ctx.close()
    assert not dialogs, dialogs
    assert not planted and not any(in_frames), (planted, in_frames)
    assert not [e for e in errors if "alert" in e], errors


