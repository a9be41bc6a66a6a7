"""The maps at the Streamlit edge: the Map page's map and its state, the Overview and comparison maps, rendered once
(cached) and drawn by the project's map frame, the ``map`` component (docs/architecture.md, "The map frame")."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import streamlit as st
import streamlit.components.v1 as components

from geo import view as vm
from geo.assets import MAP_FRAME_DIR
from geo.importer.editing import is_draft_id
from geo.layers import LayerError
from geo.text.plans import UnknownPlanError
from geo.view.frameargs import frame_key, render_base, render_groups, wire
from geo.view.mapview import build_map, layer_groups
from geo.view.state import ViewState
from pages._plans import plan_label
from pages._resources import Memo, gazetteer, layers_dir, plan_data, plan_data_at, plans_dir
from pages._view import PREV_PAGE_KEY, through_dashboard

MAP_HEIGHT = 600
HOME_FIT = {"padding": [24, 24], "maxZoom": 11}  # how the map controller fits a view (geo/view/model.py)


# --------------------------------------------------------------------------- the basemap


def effective_basemap(state: ViewState) -> str:
    """The basemap drawn: 天地图 without a key falls back to none (pages/_shell.py says so)."""
    return "none" if state.basemap == "tianditu" and not tianditu_key() else state.basemap


def tianditu_key() -> str | None:
    """The Tianditu browser key from TIANDITU_KEY or st.secrets, if any."""
    key = os.environ.get("TIANDITU_KEY")
    if key:
        return key
    try:
        return str(st.secrets["TIANDITU_KEY"])
    except Exception:  # noqa: BLE001 - no secrets file, no key: both mean "not configured"
        return None

# --------------------------------------------------------------------------- the map frame

#: The map's component: the frame page ``geo/view/mapframe/index.html``, declared once, at import, with
#: Streamlit's public API. Its iframe's title is the component's name, ``pages._mapframe.map`` (the team's tools,
#: ../shared/tools/look.py, find it by the word "map"). What it receives and what it sends back: ``docs/
#: architecture.md``, "The map frame"; what it is sent is rendered by `geo.view.frameargs`.
MAP_COMPONENT = components.declare_component("map", path=str(MAP_FRAME_DIR))


@st.cache_resource(show_spinner=False, max_entries=24)
def _render_frame(key: str, plan_id: str, lang: str, basemap: str, tianditu: str | None,
           kinds: tuple[str, ...], controller: bool, plans_dir: Path | None,
           layers_dir: Path | None) -> dict[str, Any]:
    """Everything the map frame is sent for this map, computed once.

    The base map is fixed per (plan, language, basemap), so its component key stays the same and the
    iframe is never remounted by a layer toggle or a selection; the layers travel as feature groups.
    Caching the rendered strings makes a rerun (a click) cost no map rendering at all, and identical
    strings let Streamlit send the unchanged map element as a reference instead of re-sending it.
    """
    data = plan_data_at(plan_id, plans_dir, layers_dir)
    panel = vm.panel_data(data, lang) if controller else None
    # The Map page's map opens at its home view, the fit its first command asks for when the link
    # names no view, so that fit changes nothing and the layers are drawn once, where they stay.
    home = vm.jurisdiction_bounds(data) if controller else None
    return render_frame(key, list(data.layers.values()), lang, basemap, tianditu, kinds, panel, home)


_frame = Memo(_render_frame, 24)  # asked on every run of the Map page: answered without Streamlit's hashing


def warm_map(plan_id: str, state: ViewState) -> None:
    """Render a plan's Map-page map now (cached), so that opening it on the Map page costs no rendering."""
    data = plan_data(plan_id)
    basemap = effective_basemap(state)
    _frame(f"map-{plan_id}" if is_draft_id(plan_id) else "map", plan_id, state.lang, basemap,
           tianditu_key() if basemap == "tianditu" else None, tuple(vm.default_layers(data.layers)), True,
           plans_dir(), layers_dir())


def render_frame(key: str, collections: Sequence[Mapping[str, Any]], lang: str, basemap: str,
                  tianditu: str | None, kinds: tuple[str, ...] | None,
                  panel: Mapping[str, Any] | None, home: list[list[float]] | None = None) -> dict[str, Any]:
    """Build the base map and the layer groups and render them into the frame's arguments.

    Returns
    -------
    dict
        `geo.view.frameargs.render_base`'s ``header``, ``css_links``, ``js_links``, ``html`` and ``script``;
        ``feature_group``, the layers' script (`render_groups`); ``groups``, their number; ``key``, the
        component key (`frame_key`); ``home``, the view the map opens at; and what `geo.view.frameargs.wire` adds
        (the scripts as bytes, ``layers``).
    """
    m = build_map(vm.skeleton(collections), lang=lang, basemap=basemap, tianditu_key=tianditu, layers=(),
                  fit=home, fit_options=HOME_FIT if home is not None else None)
    if panel is not None:
        m.add_child(vm.MapController(panel))
    groups = list(layer_groups(collections, lang=lang, basemap=basemap, only=kinds).values())
    frame = render_base(m)
    frame.update(feature_group=render_groups(groups, m), groups=len(groups), key=frame_key(key, frame["script"]),
                 home=home)
    return wire(frame)


def _command_string(command: vm.MapCommand, idx: int) -> str:
    """The script of the command group, drawn after ``idx`` layer groups.

    A command stays the same over the reruns of the clicks made on the map (`map_command`), so its script is
    rendered once (a folium map and its templates: some 3 ms a run) and kept, by what it renders: the command's
    JSON and ``idx``."""
    return _command_script(json.dumps(command.as_json(), ensure_ascii=False), idx)


@functools.lru_cache(maxsize=512)
def _command_script(command_json: str, idx: int) -> str:
    fields = json.loads(command_json)  # `MapCommand.as_json` again, as a command equal to the one it came from
    command = vm.MapCommand(**{**fields, "matches": tuple(fields["matches"])})
    return render_groups([vm.command_group(command)], folium.Map(location=[0, 0], tiles=None), first=idx)


def map_frame(
    *,
    key: str,
    plan_id: str,
    lang: str,
    basemap: str,
    kinds: tuple[str, ...] | None,
    command: vm.MapCommand | None = None,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    returned_objects: Sequence[str] = (),
    height: int = MAP_HEIGHT,
) -> dict[str, Any] | None:
    """Show a plan's map in the map frame; return what the user did on it (the frame's value).

    The base map is fixed per plan, language and basemap; the layers and the command travel as scripts the
    mounted map runs. The rendered map is cached, so a rerun costs a dictionary lookup.

    Parameters
    ----------
    key : str
        One per page.
    plan_id, lang, basemap : str
        What the base map depends on (a change remounts it).
    kinds : tuple of str or None
        Visible layers (None: all).
    command : MapCommand, optional
        Selection, search marks, fit (needs the controller; Map page only).
    center, zoom : optional
        View to set (on mount, and whenever they change).
    returned_objects : sequence of str
        What the frame reports: any of ``last_object_clicked_popup`` (the choice), ``zoom``, ``center``.
    height : int
        Pixels.
    """
    frame = _frame(key, plan_id, lang, basemap, tianditu_key() if basemap == "tianditu" else None,
                   tuple(kinds) if kinds is not None else None, command is not None,
                   plans_dir(), layers_dir())
    if command is not None and command.serial == 0 and command.fit is not None and command.fit == frame["home"]:
        # The map opens at its home view already; fitting it there again would redraw every shape.
        command = dataclasses.replace(command, fit=None)
    return _call_component(frame, command, center, zoom, returned_objects, height)


def _call_component(frame: Mapping[str, Any], command: vm.MapCommand | None,
                    center: tuple[float, float] | None, zoom: int | None,
                    returned_objects: Sequence[str], height: int) -> dict[str, Any] | None:
    """Draw a rendered map (`render_frame`) in the map frame, with ``command``'s group after its layers."""
    command_script = _command_string(command, frame["groups"]) if command is not None else None
    # The two large scripts travel as UTF-8 bytes, encoded once with the cached frame (`frameargs.wire`; the frame
    # decodes them): Streamlit sends bytes as they are, where it would write a string into its JSON arguments on
    # every run, escaping each quote and character beyond ASCII (some 4 ms of a Map page run for the 0.5 MB of a
    # 贵州 map, and a third more to send). Streamlit posts a frame new arguments only when the JSON ones change:
    # `layers`, a digest, changes with the layers, and the command, small, is a JSON argument of its own (the frame
    # runs it after the layers' script, as one script).
    # Sequences as tuples: the same JSON arrays, but Streamlit asks each argument that is not a tuple, a string
    # or a number whether it is a dataframe, some 0.2 ms a list (the checks of every dataframe library).
    return MAP_COMPONENT(
        header=frame["header"], css_links=tuple(frame["css_links"]), js_links=tuple(frame["js_links"]),
        html=frame["html"], script=frame["script_utf8"], feature_group=frame["feature_group_utf8"] or None,
        layers=frame["layers"], command=command_script, height=height,
        center=tuple(center) if center else None, zoom=zoom, returned_objects=tuple(returned_objects),
        key=frame["key"], default=None,
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def overview_frame(key: str, plan_ids_: tuple[str, ...], lang: str, basemap: str, tianditu: str | None,
                   plans_dir: Path | None, layers_dir: Path | None) -> dict[str, Any]:
    """The rendered Overview map (all plans' jurisdictions and main structure)."""
    datas = []
    for pid in plan_ids_:
        try:
            datas.append(plan_data_at(pid, plans_dir, layers_dir))
        except (UnknownPlanError, LayerError, OSError):
            continue
    try:
        from geo.places.gazetteer import load_gazetteer

        backdrop = vm.province_outlines(load_gazetteer())
    except Exception:  # noqa: BLE001 - no gazetteer cache: the plans are drawn without China's outline
        backdrop = None
    meets_ = vm.load_meets(layers_dir)
    return render_frame(key, vm.overview_collections(datas, meets_, backdrop), lang, basemap, tianditu, None, None)


def show_overview_map(key: str, plan_ids_: Sequence[str], lang: str, basemap: str = "none",
                      height: int = 560) -> None:
    """Show the Overview map; it reports nothing back (no rerun on pan)."""
    frame = overview_frame(key, tuple(plan_ids_), lang, basemap, tianditu_key() if basemap == "tianditu" else None,
                           plans_dir(), layers_dir())
    _call_component(frame, None, None, None, (), height)


@st.cache_resource(show_spinner=False, max_entries=4)
def footprint_frame(key: str, footprints: tuple, lang: str, basemap: str, tianditu: str | None) -> dict[str, Any]:
    """The Overview map of many plans: their footprints by level (`geo.view.footprints`), China's provinces under."""
    from geo.view.footprints import footprint_map

    return footprint_map(key, footprints, gazetteer(), lang, basemap, tianditu, HOME_FIT)


def show_footprint_map(key: str, footprints: Sequence[Any], lang: str, basemap: str = "none",
                       height: int = 560) -> None:
    """Show the Overview map of many plans (footprints by level); it reports nothing back."""
    frame = footprint_frame(key, tuple(footprints), lang, basemap, tianditu_key() if basemap == "tianditu" else None)
    _call_component(frame, None, None, None, (), height)


@st.cache_resource(show_spinner=False, max_entries=8)
def compare_frames(first_id: str, second_id: str, mode: str, lang: str, basemap: str, tianditu: str | None,
                   plans_dir: Path | None, layers_dir: Path | None) -> tuple[list[dict[str, Any]], list[vm.SharedPlace]]:
    """The rendered maps of a comparison (one in overlay mode, two side by side) and the places both name."""
    first, second = plan_data_at(first_id, plans_dir, layers_dir), plan_data_at(second_id, plans_dir, layers_dir)
    try:
        gaz = gazetteer()
    except Exception:  # noqa: BLE001 - no gazetteer cache: the shared places are listed, not outlined
        gaz = None

    def unit_name(adcode: str) -> str:
        try:
            return gaz.unit(adcode).name if gaz is not None else ""
        except KeyError:
            return ""

    shared = vm.shared_places(first, second, unit_name)
    # Provinces both name are listed, not outlined: their outline would cover both plans.
    outlines = vm.place_outlines(gaz, [p.adcode for p in shared if gaz.unit(p.adcode).level != "province"]
                                 ) if gaz is not None else {}
    maps = vm.compare_collections(first, second, mode, outlines)
    bounds = [b for b in (vm.jurisdiction_bounds(first), vm.jurisdiction_bounds(second)) if b]
    # both maps open on the same view, the two jurisdictions together, so that they compare at a glance
    home = [[min(b[0][0] for b in bounds), min(b[0][1] for b in bounds)],
            [max(b[1][0] for b in bounds), max(b[1][1] for b in bounds)]] if bounds else None
    frames = [render_frame(f"compare-{i}", collections, lang, basemap, tianditu, None, None, home)
              for i, collections in enumerate(maps) if collections]
    return frames, shared


def show_compare(first_id: str, second_id: str, mode: str, lang: str, basemap: str = "none",
                 height: int = 520) -> list[vm.SharedPlace]:
    """Show the comparison's maps (side by side, or one); return the places both plans name."""
    frames, shared = compare_frames(first_id, second_id, mode, lang, basemap,
                                    tianditu_key() if basemap == "tianditu" else None, plans_dir(),
                                    layers_dir())
    columns = st.columns(len(frames)) if len(frames) > 1 else [st.container()]
    for column, frame, pid in zip(columns, frames, (first_id, second_id)):
        with column:
            if len(frames) > 1:
                st.caption(vm.md_escape(plan_label(pid, lang)))
            _call_component(frame, None, None, None, (), height)
    return shared


# --------------------------------------------------------------------------- the Map page's map state

_MAP = "ghyzt_map"  # session key of what the mounted map shows


def map_command(state: ViewState, data: vm.PlanData, basemap: str, matches: tuple[str, ...]
                ) -> tuple[vm.MapCommand, tuple[float, float] | None, int | None]:
    """The command for the Map page's map, and the centre/zoom to mount it with.

    The command changes only when the server changes what the map must show (a link, a search, a
    pick from the panel). What the user does on the map (a click, previous/next, a pan) is shown by
    the browser and only recorded here, so the map's arguments stay byte-identical and Streamlit
    re-sends nothing of the map.

    Returns
    -------
    command, center, zoom
    """
    ss = st.session_state
    mount = (state.plan, state.lang, basemap)
    link = state.with_(page="text", feature=None, clause=None, center=None, zoom=None).to_query_params(
        include_page=False)
    prev = ss.get(_MAP)
    if prev is None or prev["mount"] != mount or ss.get(PREV_PAGE_KEY) != "map":
        center = zoom = fit = None
        if state.center is not None and state.zoom is not None:
            center, zoom = state.center, state.zoom
        elif state.feature:
            fit = vm.feature_bounds(data, state.feature)
        if center is None and fit is None:
            fit = vm.jurisdiction_bounds(data)
        cmd = vm.MapCommand(state.feature, state.clause, matches, fit, link, 0)
        ss[_MAP] = {"mount": mount, "cmd": cmd, "client": (state.feature, state.clause), "view": (center, zoom),
                    "n": None}
        return cmd, center, zoom
    cmd = prev["cmd"]
    moved = (state.feature, state.clause) != prev["client"]
    if moved or matches != cmd.matches or link != cmd.link:
        fit = None
        if state.feature and state.feature != prev["client"][0]:
            fit = vm.feature_bounds(data, state.feature)
        cmd = vm.MapCommand(state.feature, state.clause, matches, fit, link, cmd.serial + 1)
        prev.update(cmd=cmd, client=(state.feature, state.clause))
    center, zoom = prev["view"]
    return cmd, center, zoom


def map_feedback(state: ViewState, value: Any, data: vm.PlanData) -> tuple[ViewState, str | None]:
    """Fold what the user did on the map (a choice, a pan) into the view.

    Returns
    -------
    state : ViewState
    go : str or None
        "text" when the user asked for the Text page from the map's panel.
    """
    prev = st.session_state.get(_MAP)
    if not isinstance(value, Mapping) or prev is None:
        return state, None
    changes: dict[str, Any] = {}
    go = None
    choice = vm.map_choice(value, data.features, data.clause_index)
    if choice is not None and choice["n"] != prev["n"]:
        prev["n"] = choice["n"]
        prev["client"] = (choice["feature"], choice["clause"])
        changes.update(feature=choice["feature"], clause=choice["clause"])
        go = choice["go"]
    center, zoom = value.get("center"), value.get("zoom")
    if isinstance(center, Mapping) and isinstance(zoom, (int, float)):
        try:
            lat, lng = round(float(center["lat"]), 5), round(float(center["lng"]), 5)
            z = round(float(zoom))
        except (KeyError, TypeError, ValueError):
            lat, lng, z = 0.0, 0.0, 0
        lng = (lng + 180) % 360 - 180  # a world panned round the date line
        if -90 <= lat <= 90 and 3 <= z <= 18 and ((lat, lng), z) != (state.center, state.zoom):
            changes.update(center=(lat, lng), zoom=z)
    return (state.with_(**changes) if changes else state), go


if __name__ == "__main__":  # run as a page of the pages-folder mode (see `pages._view.through_dashboard`)
    through_dashboard()
