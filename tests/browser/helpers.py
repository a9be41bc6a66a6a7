"""What the browser tests share (tests/browser/conftest.py holds their fixtures): waiting for a run, the map frame
and its shapes, a mouse click on a feature, the address, the sidebar's link, screenshots; and a fresh page."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.conftest import MAP_COMPONENT, MAP_FRAME

#: Streamlit's app once its run is done.
READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SHOTS = Path(os.environ.get("GHYZT_SHOTS", "/tmp/ghyzt-shots"))

# Shapes that a real mouse click at (x, y) reaches, one per feature; `kind` and `mentioned` filter them.
CLICKABLE_JS = """
([kind, mentioned]) => {
  const out = [], seen = new Set(), data = window.ghyztMap && window.ghyztMap.data;
  const panel = document.querySelector(".ghyzt-panel"), legend = document.querySelector(".ghyzt-legend");
  for (const k in window.map._layers) {
    const l = window.map._layers[k], p = l.feature && l.feature.properties;
    if (!p || typeof p.id !== "string" || !l._path || seen.has(p.id)) continue;
    if (kind && p.kind !== kind) continue;
    if (mentioned && !(data && data.features[p.id] && data.features[p.id].mentions.length)) continue;
    const r = l._path.getBoundingClientRect();
    for (const [fx, fy] of [[.5, .5], [.35, .5], [.65, .5], [.5, .35], [.5, .65]]) {
      const x = r.left + r.width * fx, y = r.top + r.height * fy;
      if (x < 60 || y < 10 || x > innerWidth - 10 || y > innerHeight - 10) continue;
      // the point and 2 px around it: fractional page offsets round the mouse's position, and a point on the
      // shape's edge or beside a line drawn over it is clicked as the neighbour's
      const clear = [[0, 0], [2, 0], [-2, 0], [0, 2], [0, -2]].every(([dx, dy]) => {
        const hit = document.elementFromPoint(x + dx, y + dy);
        return hit === l._path && !(panel && panel.contains(hit)) && !(legend && legend.contains(hit));
      });
      if (clear) {
        out.push({id: p.id, kind: p.kind, x: x, y: y}); seen.add(p.id); break;
      }
    }
  }
  return out;
}
"""


IN_VIEW_JS = """
sel => { const el = document.querySelector(sel); if (!el) return false;
  const r = el.getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }
"""


def new_page(browser, width: int = 1400, height: int = 950, timeout: float = 60000):
    """A fresh browser context and its page (``page.errors`` collects the page's uncaught errors); (ctx, page)."""
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    page.set_default_timeout(timeout)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return ctx, page


def ready(page) -> None:
    """Wait until Streamlit has finished its run (no sleeping)."""
    page.wait_for_selector(READY)


def open_map(page, url: str):
    """Open a Map page URL; return the map frame once shapes are drawn."""
    page.goto(url)
    ready(page)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-interactive").first.wait_for()
    return frame


def draft_on_import_page(page, url: str, text: str) -> None:
    """Paste a plan text on the Import page and draft it (生成草图)."""
    page.goto(url + "/import")
    page.wait_for_selector(READY)
    page.locator("textarea").first.fill(text)
    page.get_by_role("button", name=re.compile("生成草图")).click()


def open_draft_on_map(page) -> str:
    """From the Import page's draft, open it on the Map page (在地图上查看和编辑); its id once the map is drawn."""
    page.get_by_role("button", name="在地图上查看和编辑").click()
    page.wait_for_function("() => /plan=draft[a-z]{38}/.test(location.search)")
    page.frame_locator(MAP_FRAME).locator(".leaflet-interactive").first.wait_for()
    page.wait_for_selector(READY)
    return re.search(r"plan=(draft[a-z]{38})", page.url).group(1)


def map_frame(page):
    return next(f for f in page.frames if f"/component/{MAP_COMPONENT}/" in (f.url or ""))


def shapes(page) -> int:
    return page.frame_locator(MAP_FRAME).locator(".leaflet-interactive").count()


def settle(page) -> None:
    """The map reports its view (a debounced rerun); wait until that rerun is done too."""
    page.wait_for_function("() => new URLSearchParams(location.search).has('z')")
    ready(page)


def params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def click_feature(page, kind: str | None = None):
    """Click (with the mouse) a feature of ``kind`` that some clause cites; return its target."""
    frame = map_frame(page)

    def where():
        return page.locator(MAP_FRAME).bounding_box(), frame.evaluate(CLICKABLE_JS, [kind, True])

    # The page may still be settling (the map panning to its view, the content above it filled in, the labels
    # placed after a move): click only once the map frame, its shapes and what covers them stand still over three
    # readings some 100 ms apart (two animation frames were too short on a loaded machine: the full suite once
    # clicked a neighbour), or the mouse lands on a neighbour of the shape aimed at.
    box, targets = where()
    still = 0
    for _ in range(100):
        page.wait_for_timeout(100)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        now = where()
        still = still + 1 if now == (box, targets) else 0
        if still >= 3:
            break
        box, targets = now
    assert targets, f"no clickable {kind or 'feature'} with a clause"
    tgt = targets[len(targets) // 2]
    page.mouse.click(box["x"] + tgt["x"], box["y"] + tgt["y"])
    return tgt


def sidebar_link(page) -> str:
    """The link in the sidebar's link box (its first line is the caption saying what the link shows)."""
    text = page.locator('[data-testid="stSidebar"] [data-testid="stCode"] code').inner_text()
    _caption, link = text.split("\n", 1)
    return link.replace("\n", "")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))
