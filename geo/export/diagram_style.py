"""The structure diagram's print styles: colours, line widths and dashes, as on screen.

Colours, widths and dash patterns come from `geo.view.mapview` (screen px -> print pt at `_PT_PER_PX`), so
the print matches the screen; what only the print has (the page's greys, the highlight halo) is here.
"""

from __future__ import annotations

from typing import Any

from geo.view.mapview import TO_CHECK_STYLE

# Print sizes: screen px of geo.view.mapview -> points on A4, so a 3 px core outline is ~1.7 pt.
_PT_PER_PX = 0.58
_BACKGROUND = "#ebe9e3"  # geo.view.mapview's plain background (no basemap), outside the jurisdiction
_OWN_FILL = "#fbfaf7"  # geo.view.mapview's admin face: white at 0.75 over the background
_OUTLINE = "#5a5a5a"
_HIGHLIGHT = "#ffd400"  # geo.view.mapview.highlight_group's halo
_HALO = "white"
#: A feature the importer is unsure of (``properties.confidence`` low): the screen's magenta short dashes
#: (`geo.view.mapview.TO_CHECK_STYLE`) as a wide band *under* the feature, so that the feature's own line on top
#: still shows its precision (solid, dashed, dash-dot; a point's marker) and the band says "to check".
_TO_CHECK = TO_CHECK_STYLE["color"]
_TO_CHECK_DASH = TO_CHECK_STYLE["dashArray"]
_TO_CHECK_BAND = 2.6  # points wider than the feature's own line
_TO_CHECK_DASH_SCALE = 0.9  # the screen's 4 px dashes, a little longer on paper than the precision dashes' scale
#: Print width of lines relative to the screen: links and routes are many and thin on paper.
_LINE_WIDTH = {"corridor": 0.8, "route": 0.55, "link": 0.55, "context": 0.7, "eco": 0.8}


def _dash(spec: str | None, scale: float = _PT_PER_PX) -> Any:
    """A mapview SVG dash string ("8 6") -> a matplotlib dash tuple in points."""
    if not spec:
        return "solid"
    return (0, tuple(float(v) * scale for v in spec.split()))


def _add(ax: Any, patch: Any) -> None:
    """Add a patch without `add_patch`'s data-limit update (the limits are fixed; it costs ~1 s for 贵州)."""
    ax.add_artist(patch)


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(color, alpha)
