"""The Map page's map: what its panel shows, the command that selects and fits, the controller that runs in the browser.

The map on the Map page keeps one mounted Leaflet map per plan (see `MapController`): layers and the
selection are applied by a small command, and a click is shown at once in the browser, so that a click
sends no layer data back and forth. The controller's script and its panel's style are files of the map
frame's folder, ``mapframe/controller.js`` and ``mapframe/panel.css``, read once at import. What the map frame
receives and sends back (the value `map_choice` reads): docs/architecture.md, "The map frame"; how a map is
rendered for it: `geo.view.frameargs`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import MacroElement
from folium.template import Template

from geo.assets import MAP_FRAME_DIR
from geo.i18n import confidence_label, t
from geo.safe import script_json
from geo.view.mapview import bounds_of, map_labels
from geo.view.model import PlanData, _fid
from geo.view.panels import feature_panel

__all__ = [
    "MapCommand",
    "MapController",
    "command_group",
    "controller_script",
    "map_choice",
    "panel_data",
    "skeleton",
]

# --------------------------------------------------------------------------- the base map's skeleton


def _bbox_geometry(geometry: Mapping[str, Any]) -> dict[str, Any] | None:
    """A stand-in of a geometry with the same type family and extent, a few coordinates long."""
    b = bounds_of([{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": geometry}]}])
    if b is None:
        return None
    (s, w), (n, e) = b
    gtype = geometry.get("type", "")
    if gtype in ("Point", "MultiPoint"):
        return {"type": "Point", "coordinates": [w, s]}
    if gtype in ("LineString", "MultiLineString"):
        return {"type": "LineString", "coordinates": [[w, s], [e, n]]}
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def skeleton(collections: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The collections with each geometry replaced by a tiny stand-in of the same type and extent.

    `geo.view.mapview.build_map` needs the features only for the legend and the bounds when the layers
    themselves are passed separately; the skeleton keeps the base map small and quick to build.
    """
    out = []
    for fc in collections:
        feats = []
        for f in fc.get("features") or ():
            geom = _bbox_geometry(f["geometry"]) if f.get("geometry") else None
            if geom is not None:
                feats.append({"type": "Feature", "id": _fid(f), "geometry": geom,
                              "properties": dict(f.get("properties") or {})})
        out.append({"type": "FeatureCollection", "features": feats})
    return out


# --------------------------------------------------------------------------- map controller


def panel_data(data: PlanData, lang: str = "zh") -> dict[str, Any]:
    """What the map's own panel needs to show any feature at once, without asking the server.

    Clause texts are included once; each feature carries its labels and, per cited clause, the
    offsets of its excerpts. The browser builds the panel from text nodes (never ``innerHTML``), so
    plan text cannot become markup there either.

    Returns
    -------
    dict
        ``{"clauses": {id: text}, "features": {id: {...}}, "labels": {...}, "names": [...]}``, JSON-ready;
        ``names`` are the labels written on the map (`geo.view.mapview.map_labels`).
    """
    features: dict[str, Any] = {}
    used: set[str] = set()
    for fid in data.features:
        panel = feature_panel(data, fid, lang)
        if panel is None:
            continue
        mentions = [[m.clause, [list(sp) for sp in m.spans]] for m in panel.mentions]
        used.update(m.clause for m in panel.mentions)
        features[fid] = {
            "name": panel.name, "kind": panel.kind_label, "precision": panel.precision_label,
            "role": panel.role, "note": panel.precision_note, "admin": panel.is_admin,
            "inferred": (t("map.inferred_text", lang, place=panel.inferred_place, clue=panel.inferred_clue or "")
                         if panel.inferred_place is not None else None),
            "named_only": panel.named_only, "mentions": mentions,
            "confidence": confidence_label(panel.confidence, lang) if panel.confidence else "",
            "check": panel.to_check, "reasons": list(panel.reasons),
        }
    labels = {key.split(".", 1)[1]: t(key, lang) for key in (
        "map.role", "map.precision", "map.inferred", "map.named_only", "map.mentions", "map.county_mentions",
        "map.no_mentions", "map.prev", "map.next", "map.clear", "map.panel_label")}
    labels["confidence"], labels["reasons"] = t("confidence.title", lang), t("confidence.reasons", lang)
    labels["mention_of"] = t("map.mention_of", lang, i="{i}", n="{n}")
    labels["open_text"] = t("map.open_text", lang, clause="{clause}")
    labels["feature_key"] = t("map.feature_key", lang, name="{name}", kind="{kind}")
    return {"clauses": {cid: data.clause_text(cid) for cid in sorted(used)}, "features": features,
            "labels": labels, "names": map_labels(data.layers.values(), lang)}


@dataclass(frozen=True)
class MapCommand:
    """What the server asks the mounted map to show, besides its layers.

    Parameters
    ----------
    selected : str or None
        Feature id to select (halo and panel).
    clause : str or None
        Clause to show in the panel among the selected feature's mentions.
    matches : tuple of str
        Feature ids matching the search (marked more lightly).
    fit : list or None
        ``[[south, west], [north, east]]`` to fit the view to (a chip, a search pick, the home view).
    link : dict
        Query params of the Text page link, without feature, clause and view (the browser adds them).
    serial : int
        Bumped by the page whenever the map must take the command again (the browser may show a
        newer selection, made by a click, since the last one).
    """

    selected: str | None = None
    clause: str | None = None
    matches: tuple[str, ...] = ()
    fit: list[list[float]] | None = None
    link: Mapping[str, str] | None = None
    serial: int = 0

    def as_json(self) -> dict[str, Any]:
        """The command as the browser reads it (ids, bounds and link params: no plan text)."""
        return {"selected": self.selected, "clause": self.clause, "matches": list(self.matches), "fit": self.fit,
                "link": dict(self.link or {}), "serial": self.serial}


#: The map's side of the Map page (see `MapController`), as the page sends it: a line break, then the file.
#: ``__GHYZT_MAP__``, ``__GHYZT_DATA__`` and ``__GHYZT_CSS__`` stand where `controller_script` puts the map's
#: variable, the panel data and the panel's style, each a JavaScript expression.
_CONTROLLER_JS = "\n" + (MAP_FRAME_DIR / "controller.js").read_text(encoding="utf-8")
#: The panel's style: one rule a line in the file, sent as one line.
_PANEL_CSS = (MAP_FRAME_DIR / "panel.css").read_text(encoding="utf-8").replace("\n", "")
_SLOT = re.compile(r"__GHYZT_(MAP|DATA|CSS)__")


def controller_script(map_name: str, data: Mapping[str, Any]) -> str:
    """The controller's script for the map variable ``map_name`` and `panel_data` ``data``.

    The three slots are filled in one pass, so that nothing filled in (plan text, in ``data``) is read again
    as a slot; the data and the style go in through `geo.safe.script_json`.

    Examples
    --------
    >>> js = controller_script("map_1", {"x": "</script>__GHYZT_CSS__"})
    >>> "var map = map_1, DATA = {" in js and "__GHYZT_CSS__" in js and "</script>" not in js
    True
    """
    values = {"MAP": map_name, "DATA": script_json(data), "CSS": script_json(_PANEL_CSS)}
    return _SLOT.sub(lambda m: values[m.group(1)], _CONTROLLER_JS)


class MapController(MacroElement):
    """The Map page's map, browser side: selection halo, search marks, the feature panel, fast clicks.

    Added once to the base map, so that it is part of the map's fixed script and is sent once per plan,
    language and basemap. It defines ``window.ghyztMap.apply(command)``, called by the group that
    `command_group` builds, and binds a click handler to every feature: the halo and the panel
    (name, role, precision note, inference and clue, every clause citing it with the excerpt marked,
    previous/next, the link to the Text page) change at once in the browser, and the choice is
    reported to Streamlit straight away (through the map frame's ``window.ghyztFrame.choose``).

    Parameters
    ----------
    data : dict
        `panel_data` of the plan.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this.js }}
        {% endmacro %}
    """)

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "GhyztController"
        self.data = data

    def render(self, **kwargs: Any) -> None:
        """Fill in the script (the map's variable name is known only now)."""
        self.js = controller_script(self._parent.get_name(), self.data)
        super().render(**kwargs)


class _Command(MacroElement):
    """Calls ``ghyztMap.apply`` with a command (ids, bounds and link params only: no plan text)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        if (window.ghyztMap) { window.ghyztMap.apply({{ this.command_json }}); }
        {% endmacro %}
    """)

    def __init__(self, command: Mapping[str, Any]) -> None:
        super().__init__()
        self._name = "GhyztCommand"
        self.command_json = script_json(dict(command))


def command_group(command: MapCommand) -> folium.FeatureGroup:
    """A feature group that, drawn after the layer groups (`geo.view.frameargs.render_groups`), applies ``command``.

    Examples
    --------
    >>> g = command_group(MapCommand(selected="gz-bri", serial=3))
    >>> [type(c).__name__ for c in g._children.values()]
    ['_Command']
    """
    group = folium.FeatureGroup(name="command", control=False)
    group.add_child(_Command(command.as_json()))
    return group


def map_choice(value: Any, features: Iterable[str], clauses: Iterable[str]) -> dict[str, Any] | None:
    """What the user chose in the map (a feature, a clause, "open the Text page"), from the map frame's value.

    Returns
    -------
    dict or None
        ``{"feature": id or None, "clause": id or None, "go": "text" or None, "n": int}``, every id checked
        against ``features``/``clauses``; None when the value holds no choice.

    Examples
    --------
    >>> v = {"last_object_clicked_popup": '{"f": "gz-bri", "c": "一.(二)", "go": null, "n": 3}'}
    >>> map_choice(v, {"gz-bri"}, {"一.(二)"})
    {'feature': 'gz-bri', 'clause': '一.(二)', 'go': None, 'n': 3}
    >>> map_choice({"last_object_clicked_popup": '{"f": "<x>", "n": 1}'}, {"gz-bri"}, ())["feature"] is None
    True
    """
    raw = value.get("last_object_clicked_popup") if isinstance(value, Mapping) else None
    if not isinstance(raw, str) or len(raw) > 2000:
        return None
    try:
        choice = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(choice, dict) or not isinstance(choice.get("n"), int):
        return None
    fid, cid = choice.get("f"), choice.get("c")
    return {"feature": fid if isinstance(fid, str) and fid in set(features) else None,
            "clause": cid if isinstance(cid, str) and cid in set(clauses) else None,
            "go": "text" if choice.get("go") == "text" else None, "n": choice["n"]}
