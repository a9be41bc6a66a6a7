"""What the map frame is sent: a folium map and its feature groups, rendered into the frame's arguments.

The map frame (``geo/view/mapframe/``, the dashboard's ``map`` component, see ``docs/architecture.md``,
"The map frame", for its protocol) mounts a base map once and then swaps the layers drawn on it. This
module turns folium objects into the strings it needs, with folium and branca's own rendering:

- `render_base`: a map (``folium.Map`` and what was added to it) rendered once, as the head HTML, the
  stylesheet and script links, the body HTML and the script that creates the map;
- `render_groups`: feature groups as one script that draws them on that map.

Every element gets a name that depends only on its place in the tree, not on folium's random ids: the map
is ``map_div`` (the variable and the ``<div>`` the frame provides), the elements of the base map
``<kind>_<n>``, those of group ``i`` ``<kind>_g<i>_<n>``. The same map renders to the same strings in any
process, so a cached map rendered again is sent as the same element and not remounted.

Rendering stays template-safe (`geo.safe`): the strings are taken as folium renders them, and the renaming
is one pass that replaces folium's 32-character ids, each by a plain identifier. No Streamlit here.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from textwrap import dedent
from typing import Any

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink

__all__ = ["BYTES_ARGS", "MAP_VAR", "frame_key", "layers_digest", "render_base", "render_groups", "sent_args",
           "wire"]

#: The map's JavaScript variable and the id of its ``<div>`` in the frame.
MAP_VAR = "map_div"

_ID = re.compile(r"[0-9a-f]{32}")  # folium's element ids (uuid4 hex)


def _children(element: Element) -> Mapping[str, Element]:
    """An element's children by name, in order (branca's tree has no public accessor for them)."""
    return element._children


def _tree(element: Element) -> Iterator[Element]:
    """The element and everything under it, depth first, in the order folium renders them."""
    yield element
    for child in _children(element).values():
        yield from _tree(child)


def _id_of(element: Element) -> str:
    """The element's id: the part of ``get_name()`` after its kind (``geo_json_<id>``)."""
    return element.get_name().rsplit("_", 1)[-1]


def _renamer(ids: Mapping[str, str]):
    """A function replacing each of folium's ids in a text by its stable counterpart, in one pass."""
    def rename(text: str) -> str:
        return _ID.sub(lambda m: ids.get(m.group(0), m.group(0)), text)
    return rename


def _scripts(elements: Iterable[Element]) -> str:
    """The rendered scripts, dedented, one after the other."""
    return "\n".join(dedent(e.render()).strip("\n") for e in elements) + "\n"


def render_base(m: folium.Map) -> dict[str, Any]:
    """Render a map the way the frame mounts it.

    Parameters
    ----------
    m : folium.Map
        The base map, with everything that belongs to it (controls, the controller, ...) already added; the
        layers that change are passed to `render_groups` instead. It is rendered here, so it must be new.

    Returns
    -------
    dict
        ``header``: what goes into the frame's ``<head>`` (styles, inline scripts; no links);
        ``css_links``, ``js_links``: the stylesheets and scripts the map needs, in order, without repeats;
        ``html``: the body HTML of the map's elements, except the map's own ``<div>`` (the frame has it);
        ``script``: the script that creates the map as ``map_div`` and everything on it.

    Examples
    --------
    >>> base = render_base(folium.Map(location=[26, 107], zoom_start=6, tiles=None))
    >>> 'var map_div = L.map(' in base["script"] and '"map_div"' in base["script"]
    True
    >>> "#map_div" in base["header"], base["html"]
    (True, '')
    """
    fig = m.get_root()
    if not isinstance(fig, Figure):
        raise TypeError("the map is not in a folium Figure")
    fig.render()
    ids = {_id_of(e): str(n) for n, e in enumerate(_tree(m))}
    ids[_id_of(m)] = MAP_VAR.rsplit("_", 1)[1]
    rename = _renamer(ids)
    header, css_links, js_links = [], [], []
    for element in _children(fig.header).values():
        if isinstance(element, CssLink):
            css_links.append(element.url)
        elif isinstance(element, JavascriptLink):
            js_links.append(element.url)
        else:
            header.append(element.render())
    html = "".join(e.render() for name, e in _children(fig.html).items() if name != m.get_name())
    return {
        "header": rename("".join(header)),
        "css_links": list(dict.fromkeys(css_links)),
        "js_links": list(dict.fromkeys(js_links)),
        "html": rename(html).strip(),
        "script": rename(_scripts(_children(fig.script).values())),
    }


def render_groups(groups: Iterable[folium.FeatureGroup], m: folium.Map, first: int = 0) -> str:
    """One script that draws feature groups on the mounted map.

    Each group is added to ``m`` and rendered; its script refers to the map as ``map_div`` and ends by
    handing the group to ``add``, the function the frame runs the script with (it adds the group to the map
    and removes it before running the next script). Groups rendered for the same script need different
    ``first`` indices (their names are ``..._g<index>_<n>``).

    Parameters
    ----------
    groups : iterable of folium.FeatureGroup
        New groups (each is rendered once, into ``m``).
    m : folium.Map
        The map they are drawn on: the base map of `render_base`, or any map (its name is replaced).
    first : int
        Index of the first group.

    Examples
    --------
    >>> js = render_groups([folium.FeatureGroup(name="x")], folium.Map(tiles=None), first=3)
    >>> "var feature_group_g3_0 = L.featureGroup(" in js and js.rstrip().endswith("add(feature_group_g3_0);")
    True
    """
    fig = m.get_root()
    out = []
    for i, group in enumerate(groups, first):
        before = set(_children(fig.script))
        group.add_to(m)
        group.render()
        ids = {_id_of(e): f"g{i}_{n}" for n, e in enumerate(_tree(group))}
        ids[_id_of(m)] = MAP_VAR.rsplit("_", 1)[1]
        new = [e for name, e in _children(fig.script).items() if name not in before]
        rename = _renamer(ids)
        out.append(rename(_scripts(new) + f"add({group.get_name()});\n"))
    return "".join(out)


def wire(frame: dict[str, Any]) -> dict[str, Any]:
    """The rendered frame with what goes over the wire made once, beside its strings: ``script_utf8`` and
    ``feature_group_utf8``, the two scripts as UTF-8 bytes (`BYTES_ARGS`), and ``layers``, the digest of
    ``feature_group`` (`layers_digest`). A cached frame is sent on every run of its page: encoded here, it costs no
    copy of half a megabyte a run (copies that several runs at once hold, and the allocator keeps).

    Examples
    --------
    >>> f = wire({"script": "var 贵州;", "feature_group": "add(a);"})
    >>> f["script_utf8"].decode(), f["layers"] == layers_digest("add(a);")
    ('var 贵州;', True)
    """
    return {**frame, "script_utf8": frame["script"].encode("utf-8"),
            "feature_group_utf8": frame["feature_group"].encode("utf-8"), "layers": layers_digest(frame["feature_group"])}


def layers_digest(script: str) -> str:
    """A short digest of a layers' script: the map frame's ``layers`` argument, which changes whenever its
    ``feature_group`` does. Streamlit posts a frame new arguments only when its JSON ones change, and
    ``feature_group`` travels as bytes (`BYTES_ARGS`), outside them.

    Examples
    --------
    >>> layers_digest("add(a);") == layers_digest("add(a);") != layers_digest("add(b);")
    True
    """
    return hashlib.blake2b(script.encode("utf-8"), digest_size=8).hexdigest()


def frame_key(key: str, script: str) -> str:
    """The component key of a map: the page's ``key`` and a digest of its base map's script.

    Streamlit keeps a component mounted while its key stays the same and only sends it new arguments; the
    frame mounts a base map once, so a different base map needs a different key (a new frame).

    Examples
    --------
    >>> frame_key("map", "var map_div;") == frame_key("map", "var map_div;") != frame_key("map", "")
    True
    """
    return f"{key}-{hashlib.sha256(script.encode()).hexdigest()[:16]}"


#: The frame's arguments sent as UTF-8 bytes, not in the JSON arguments (pages/_mapframe.py; the frame decodes
#: them): the two large scripts, which Streamlit would otherwise write into JSON again on every run.
BYTES_ARGS = ("script", "feature_group")


def sent_args(json_args: str, special_args: Iterable[Any] = ()) -> dict[str, Any]:
    """The arguments a map frame was sent, as it reads them: a component element's JSON arguments, and those
    sent as bytes (`BYTES_ARGS`) decoded; ``feature_group`` is the script the frame runs, the layers' followed by
    the ``command`` (the Map page's, sent apart). ``special_args``: the element's, each with ``key`` and ``bytes``.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> sent_args('{"height": 600, "command": "apply();"}', [NS(key="feature_group", bytes="add(贵州);".encode())])
    {'height': 600, 'command': 'apply();', 'feature_group': 'add(贵州);apply();'}
    """
    args = json.loads(json_args)
    for special in special_args:
        # a protobuf SpecialArg holds bytes or a dataframe (its unset bytes read b"")
        kind = special.WhichOneof("value") if hasattr(special, "WhichOneof") else "bytes"
        if kind == "bytes":
            args[special.key] = special.bytes.decode("utf-8")
    if args.get("command"):
        args["feature_group"] = (args.get("feature_group") or "") + args["command"]
    return args
