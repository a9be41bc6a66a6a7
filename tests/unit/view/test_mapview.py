"""geo.view.mapview: one group per layer, honest precision styles, arrows, escaped text, offline, stable HTML."""

from __future__ import annotations

import re

import folium
import pytest

from geo.assets import external_urls
from geo.view.mapview import (
    KIND_ORDER,
    STYLES,
    Legend,
    MissingTiandituKey,
    bounds_of,
    build_map,
    highlight_group,
    layer_groups,
    legend_entries,
    map_labels,
)

XSS = "<img src=x onerror=alert(1)>"


def feature(fid, kind, geometry, *, precision="exact", name=None, name_en=None, inferred=None, direction=None):
    props = {
        "plan": "mianyang", "name": name or f"要素{fid}", "name_en": name_en or f"Feature {fid}", "kind": kind,
        "role": "", "clauses": ["三.(二)"], "excerpts": [], "precision": precision, "precision_note": "",
        "members": [], "inferred": inferred, "named_only": False,
    }
    if direction is not None:
        props["direction"] = direction
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": props}


def square(x, y, d=0.2):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def line(*pts):
    return {"type": "LineString", "coordinates": [list(p) for p in pts]}


def point(x, y):
    return {"type": "Point", "coordinates": [x, y]}


def fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def layers():
    return [
        fc(feature("admin-510703", "admin", square(104.0, 31.0, 1.0)),
           feature("admin-510704", "admin", square(105.0, 31.0, 1.0))),
        fc(feature("core-main", "core", square(104.6, 31.4), name=XSS, name_en="Main <b>city</b>"),
           feature("zone-west", "zone", square(104.1, 31.1), precision="approximate"),
           feature("zone-east", "zone", square(105.1, 31.1), precision="schematic")),
        fc(feature("corridor-fu", "corridor", line((104.1, 31.2), (104.7, 31.5), (105.6, 31.8)),
                   precision="schematic", direction="forward"),
           feature("link-north", "link", line((104.7, 31.5), (104.9, 31.9)), precision="approximate",
                   direction="forward", inferred={"place": "江油", "clue": "北向"}),
           feature("route-rail", "route", line((104.0, 31.0), (105.9, 31.9)))),
        fc(feature("node-jiangyou", "node", point(104.75, 31.78), precision="point", name="江油")),
    ]


def render(m: folium.Map) -> str:
    return m.get_root().render()


def geojson_data(group: folium.FeatureGroup) -> list[dict]:
    return [child.data for child in group._children.values() if isinstance(child, folium.GeoJson)]


# --------------------------------------------------------------------------- structure


def test_one_feature_group_per_layer_in_drawing_order(layers):
    m = build_map(layers)
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    kinds = [geojson_data(g)[0]["features"][0]["properties"]["kind"] for g in groups]
    assert kinds == [k for k in KIND_ORDER if k in {"admin", "core", "zone", "corridor", "link", "route", "node"}]
    for group, kind in zip(groups, kinds, strict=True):  # a group holds one kind only
        assert {f["properties"]["kind"] for f in geojson_data(group)[0]["features"]} == {kind}
    assert len({g.tile_name for g in groups}) == len(groups)
    assert list(layer_groups(layers)) == kinds


def test_layers_argument_limits_what_is_drawn(layers):
    m = build_map(layers, layers=["core"])
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    assert len(groups) == 1
    assert build_map(layers, layers=()).to_dict()  # draws none: groups go through feature_group_to_add
    assert not [c for c in build_map(layers, layers=())._children.values() if isinstance(c, folium.FeatureGroup)]
    assert list(layer_groups(layers, only={"node", "admin"})) == ["admin", "node"]


def test_every_feature_carries_its_id_for_st_folium(layers):
    for group in layer_groups(layers).values():
        data = geojson_data(group)[0]
        for feat in data["features"]:
            assert feat["properties"]["id"] == feat["id"]
    html = render(build_map(layers))
    assert '"id": "core-main"' in html


def test_groups_are_named_by_kind_label(layers):
    zh = layer_groups(layers)
    en = layer_groups(layers, lang="en")
    assert (zh["core"].tile_name, en["core"].tile_name) == ("核心", "Core")
    assert (zh["link"].tile_name, en["link"].tile_name) == ("联系", "Link")


# --------------------------------------------------------------------------- styles


def style_of(group: folium.FeatureGroup, fid: str) -> dict:
    gj = next(c for c in group._children.values() if isinstance(c, folium.GeoJson))
    feat = next(f for f in gj.data["features"] if f["id"] == fid)
    return gj.style_function(feat)


def test_precision_decides_the_dash(layers):
    groups = layer_groups(layers)
    assert "dashArray" not in style_of(groups["core"], "core-main")  # exact: solid
    assert style_of(groups["route"], "route-rail").get("dashArray") is None  # exact: solid
    assert style_of(groups["zone"], "zone-west")["dashArray"] == "8 6"  # approximate: dashed
    assert style_of(groups["zone"], "zone-east")["dashArray"] == "12 6 2 6"  # schematic: dash-dot
    assert style_of(groups["link"], "link-north")["dashArray"] == "1 6"  # inferred: dotted
    html = render(build_map(layers))
    assert '"dashArray": "8 6"' in html and '"dashArray": "12 6 2 6"' in html and '"dashArray": "1 6"' in html


def test_kind_colours(layers):
    groups = layer_groups(layers)
    assert style_of(groups["core"], "core-main")["color"] == STYLES["core"].color
    assert style_of(groups["corridor"], "corridor-fu")["color"] == STYLES["corridor"].color
    assert style_of(groups["corridor"], "corridor-fu")["fill"] is False  # lines are not filled
    zones = {style_of(groups["zone"], z)["fillColor"] for z in ("zone-west", "zone-east")}
    assert len(zones) == 2  # neighbouring zones get different pastel fills
    assert len({s.color for s in STYLES.values()}) == len(STYLES)


def test_points_are_circle_markers(layers):
    group = layer_groups(layers)["node"]
    gj = next(c for c in group._children.values() if isinstance(c, folium.GeoJson))
    assert isinstance(gj.marker, folium.CircleMarker)
    assert "L.CircleMarker" in render(build_map(layers))


def test_admin_faces_only_without_basemap(layers):
    none = layer_groups(layers)["admin"]
    osm = layer_groups(layers, basemap="osm")["admin"]
    assert style_of(none, "admin-510703")["fillOpacity"] > 0
    assert style_of(osm, "admin-510703")["fillOpacity"] == 0


# --------------------------------------------------------------------------- arrows


def arrow_rings(group):
    data = geojson_data(group)
    return [f["geometry"]["coordinates"][0] for d in data[1:] for f in d["features"]]


def test_directed_lines_get_arrowheads_at_end_and_middle(layers):
    groups = layer_groups(layers)
    rings = arrow_rings(groups["corridor"])
    assert len(rings) == 2
    end_tip = rings[0][0]
    assert end_tip == pytest.approx([105.6, 31.8])  # the arrow points at the line's end
    for ring in rings:
        assert len(ring) == 4 and ring[0] == ring[-1]  # a closed triangle
    assert len(arrow_rings(groups["link"])) == 2
    assert arrow_rings(groups["route"]) == []  # no direction, no arrow
    html = render(build_map(layers))
    assert html.count('"interactive": false') >= 2  # arrowheads leave clicks to the line


def test_arrowhead_points_along_the_line():
    coll = fc(feature("link-east", "link", line((104.0, 31.0), (105.0, 31.0)), direction="forward"))
    (end, _mid) = arrow_rings(layer_groups([coll])["link"])
    tip, left, right = end[0], end[1], end[2]
    assert tip == pytest.approx([105.0, 31.0])
    assert left[0] < 105.0 and right[0] < 105.0  # the base lies behind the tip
    assert left[1] > 31.0 > right[1]  # and straddles the line


def test_both_ways_gets_an_arrowhead_at_each_end():
    coll = fc(feature("link-two", "link", line((104.0, 31.0), (105.0, 31.0)), direction="both"))
    rings = arrow_rings(layer_groups([coll])["link"])
    assert sorted(r[0][0] for r in rings) == pytest.approx([104.0, 105.0])


def test_multilinestring_and_degenerate_lines():
    coll = fc(
        feature("link-multi", "link", {"type": "MultiLineString",
                                       "coordinates": [[[104, 31], [104.5, 31]], [[105, 31], [105, 31.5]]]},
                direction="forward"),
        feature("link-dot", "link", line((104.0, 31.0), (104.0, 31.0)), direction="forward"),
    )
    assert len(arrow_rings(layer_groups([coll])["link"])) == 4


# --------------------------------------------------------------------------- text and safety


def test_plan_text_is_escaped(layers):
    html = render(build_map(layers))
    assert "<img" not in html and "<b>city" not in html
    tooltip = geojson_data(layer_groups(layers)["core"])[0]["features"][0]["properties"]["tooltip"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in tooltip and "<img" not in tooltip
    en = geojson_data(layer_groups(layers, lang="en")["core"])[0]["features"][0]["properties"]["tooltip"]
    assert "Main &lt;b&gt;city&lt;/b&gt;" in en


def test_tooltip_shows_labels_and_the_inferred_mark(layers):
    props = geojson_data(layer_groups(layers)["link"])[0]["features"][0]["properties"]
    assert "联系" in props["tooltip"] and "近似" in props["tooltip"] and "推断" in props["tooltip"]
    props_en = geojson_data(layer_groups(layers, lang="en")["link"])[0]["features"][0]["properties"]
    assert "Feature link-north" in props_en["tooltip"] and "inferred" in props_en["tooltip"]
    node = geojson_data(layer_groups(layers)["node"])[0]["features"][0]["properties"]["tooltip"]
    assert "推断" not in node


def test_no_jquery_or_popup_in_the_map(layers):
    html = render(build_map(layers, basemap="osm"))
    assert "$(" not in html  # jQuery is not served: nothing may call it
    assert "L.popup" not in html


# --------------------------------------------------------------------------- legend


def test_legend_lists_present_kinds_and_precision_styles(layers):
    m = build_map(layers, lang="en")
    (legend,) = [c for c in m._children.values() if isinstance(c, Legend)]
    for label in ("Admin", "Core", "Feature zone-west", "Feature zone-east", "Corridor", "Link", "Route", "Node",
                  "exact", "approximate", "schematic", "point", "inferred", "directed link"):
        assert f"<span>{label}</span>" in legend.html
    assert "Ecology" not in legend.html  # not present
    assert "<span>Zone</span>" not in legend.html  # zones are named, each with its own fill
    zh = next(c for c in build_map(layers)._children.values() if isinstance(c, Legend)).html
    assert "图例" in zh and "<span>核心</span>" in zh and "<span>推断</span>" in zh
    assert "stroke-dasharray=\"8 6\"" in zh


def _drawn_styles(collections) -> list[tuple[str, str, str | None]]:
    """(kind, shape, fill) of every feature as the layer groups draw it."""
    out = []
    for group in layer_groups(collections).values():
        for gj in [c for c in group._children.values() if isinstance(c, folium.GeoJson)]:
            for feat in gj.data["features"]:
                if "kind" not in feat["properties"]:
                    continue  # arrowheads
                style = gj.style_function(feat)
                gtype = feat["geometry"]["type"]
                shape = "line" if "Line" in gtype else "point" if "Point" in gtype else "area"
                out.append((feat["properties"]["kind"], shape, style.get("fillColor") if style.get("fill") else None))
    return out


def test_legend_has_one_entry_per_style_drawn(layers):
    both = [*layers, fc(feature("node-county", "node", square(103.0, 30.0, 0.5), name="富源县"),
                        feature("zone-north", "zone", square(104.1, 32.1), name="北部片区"))]
    entries = legend_entries([f for c in both for f in c["features"]], "zh")
    drawn = _drawn_styles(both)
    assert {(e["kind"], e["shape"]) for e in entries} == {(k, s) for k, s, _ in drawn}
    # each zone fill drawn has its entry, named by the zone
    zone_fills = {fill for k, _, fill in drawn if k == "zone"}
    assert {e["style"]["fillColor"] for e in entries if e["kind"] == "zone"} == zone_fills
    assert "北部片区" in [e["label"] for e in entries if e["kind"] == "zone"]
    # a node drawn both as a point and as an area: two entries, told apart by their names, styled as drawn
    nodes = [e for e in entries if e["kind"] == "node"]
    assert [e["shape"] for e in nodes] == ["area", "point"]
    assert len({e["label"] for e in nodes}) == 2
    assert nodes[0]["style"]["fillOpacity"] == 0.25 and "radius" in nodes[1]["style"]


def test_zones_of_a_group_share_an_entry_named_by_the_group(layers):
    zones = [feature(f"z{i}", "zone", square(104 + i, 31)) for i in range(3)]
    for z in zones:
        z["properties"]["group"] = "三大片区"
    entries = [e for e in legend_entries(zones) if e["kind"] == "zone"]
    assert [e["label"] for e in entries] == ["三大片区"]


def test_legend_folds(layers):
    html = render(build_map(layers))
    assert "ghyzt-legend-toggle" in html and "aria-expanded" in html and "ghyzt-folded" in html


def test_legend_names_are_escaped():
    z = feature("z1", "zone", square(104, 31), name=XSS)
    (legend,) = [c for c in build_map([fc(z)])._children.values() if isinstance(c, Legend)]
    assert XSS not in legend.html and "&lt;img" in legend.html


# --------------------------------------------------------------------------- names on the map


def test_map_labels_name_the_structure_in_order(layers):
    rows = map_labels(layers)
    kinds = [r[1] for r in rows]
    assert kinds == ["core", "corridor", "zone", "zone", "node", "admin", "admin"]
    assert "route" not in kinds and "link" not in kinds
    core = rows[0]
    assert core[2] == XSS  # plain text: the browser writes it as a text node; script_json carries it
    assert 104.6 < core[3] < 104.8 and 31.4 < core[4] < 31.6 and core[8] == "area"
    corridor = rows[1]
    assert corridor[8] == "line" and -90 <= corridor[7] <= 90 and corridor[7] < 0  # rising to the east
    assert len(corridor[9]) == 2


def test_map_labels_skip_neighbours_and_nameless_features():
    neighbour = feature("n1", "admin", line((104, 31), (105, 32)))
    neighbour["properties"]["group"] = "neighbour"
    nameless = feature("c1", "core", square(104, 31))
    nameless["properties"]["name"] = nameless["properties"]["name_en"] = ""
    assert map_labels([fc(neighbour, nameless)]) == []


def test_an_area_label_lies_inside_a_crescent():
    ring = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 3], [3, 3], [3, 1], [0, 1], [0, 0]]  # a C open to the west
    (row,) = map_labels([fc(feature("w", "wing", {"type": "Polygon", "coordinates": [ring]}))])
    x, y = row[3], row[4]
    assert not (0 <= x <= 3 and 1 <= y <= 3), (x, y)


def test_legend_is_a_leaflet_control_with_json_encoded_html(layers):
    html = render(build_map(layers))
    assert "L.control({position: \"bottomright\"})" in html
    assert "ghyzt-legend" in html
    assert not [c for c in build_map(layers, legend=False)._children.values() if isinstance(c, Legend)]


# --------------------------------------------------------------------------- basemaps and offline


def test_no_external_url_without_basemap(layers):
    html = render(build_map(layers))
    assert external_urls(html) == []
    assert "../../app/static/vendor/leaflet/leaflet.js" in html
    assert "jquery" not in html.lower() and "bootstrap" not in html.lower()


def test_osm_basemap_adds_tiles(layers):
    html = render(build_map(layers, basemap="osm"))
    assert external_urls(html)[0].startswith("https://tile.openstreetmap.org/")


def test_tianditu_needs_a_key(layers):
    with pytest.raises(MissingTiandituKey):
        build_map(layers, basemap="tianditu")
    with pytest.raises(MissingTiandituKey):
        build_map(layers, basemap="tianditu", tianditu_key='abc"+alert(1)+"')
    html = render(build_map(layers, basemap="tianditu", tianditu_key="0123456789abcdef0123456789abcdef"))
    assert "tianditu.gov.cn/vec_w/wmts" in html and "tianditu.gov.cn/cva_w/wmts" in html
    assert "tk=0123456789abcdef0123456789abcdef" in html
    with pytest.raises(ValueError):
        build_map(layers, basemap="google")


def test_cdn_links_stay_when_asked(layers):
    html = render(build_map(layers, asset_base=None))
    assert any("leaflet" in u for u in external_urls(html))


# --------------------------------------------------------------------------- view and bounds


def test_bounds_of(layers):
    assert bounds_of(layers) == [[31.0, 104.0], [32.0, 106.0]]
    assert bounds_of([]) is None
    assert bounds_of([fc()]) is None


def test_fits_bounds_unless_a_view_is_given(layers):
    html = render(build_map(layers))
    assert "fitBounds" in html and "[[31.0, 104.0], [32.0, 106.0]]" in html
    m = build_map(layers, center=(31.5, 104.7), zoom=9)
    html = render(m)
    assert "fitBounds" not in html and "[31.5, 104.7]" in html and '"zoom": 9' in html


def test_opens_at_the_fitted_view_without_flying_there(layers):
    html = render(build_map(layers, fit=[[31.2, 104.1], [31.8, 105.5]], fit_options={"padding": [24, 24], "maxZoom": 11}))
    assert "[[31.2, 104.1], [31.8, 105.5]]" in html and "[[31.0, 104.0], [32.0, 106.0]]" not in html
    assert '{"animate": false, "maxZoom": 11, "padding": [24, 24]}' in html
    assert '{"animate": false}' in render(build_map(layers))


# --------------------------------------------------------------------------- stable HTML


def test_same_input_same_html(layers):
    a, b = render(build_map(layers)), render(build_map(layers))
    assert a == b
    osm = [render(build_map(layers, basemap="osm", center=(31.5, 104.7), zoom=8)) for _ in range(2)]
    assert osm[0] == osm[1]


def test_different_input_different_ids(layers):
    a = render(build_map(layers))
    b = render(build_map(layers, lang="en"))
    ids_a = set(re.findall(r"map_([0-9a-f]{32})", a))
    ids_b = set(re.findall(r"map_([0-9a-f]{32})", b))
    assert ids_a and ids_a.isdisjoint(ids_b)


def test_layer_groups_are_stable_too(layers):
    def script(group):
        m = build_map(layers, layers=())
        group.add_to(m)
        return render(m)

    assert script(layer_groups(layers)["core"]) == script(layer_groups(layers)["core"])


def test_highlight_group(layers):
    group = highlight_group(layers, "corridor-fu")
    assert isinstance(group, folium.FeatureGroup)
    assert geojson_data(group)[0]["features"][0]["id"] == "corridor-fu"
    assert highlight_group(layers, "nope") is None


def test_tolerates_odd_input():
    odd = [
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": point(104, 31), "properties": {"kind": "node"}},  # no id, no name
            {"type": "Feature", "id": "x", "geometry": None, "properties": {}},  # no geometry: skipped
            {"type": "Feature", "id": "dup", "geometry": point(104, 31), "properties": {"kind": "mystery"}},
            {"type": "Feature", "id": "dup", "geometry": point(105, 31), "properties": {"kind": "mystery"}},
        ]},
        "not a collection",
    ]
    m = build_map(odd)  # type: ignore[list-item]
    html = render(m)
    assert "mystery" in html
    assert external_urls(html) == []


def test_a_node_at_several_seats_is_one_circle_per_seat_with_one_id():
    """A MultiPoint (an imported node naming several places) is drawn as Points sharing ``properties.id``:
    Leaflet turns a MultiPoint into a group of markers, on which the tooltip's focus listeners threw
    (`getElement is not a function`) before the frame bound its clicks, so no feature of the map could be
    selected."""
    seats = {"type": "MultiPoint", "coordinates": [[104.7, 31.7], [105.1, 31.2], [104.2, 31.4]]}
    group = layer_groups([fc(feature("node-3", "node", seats, precision="point"),
                             feature("node-4", "node", point(104.9, 31.9), precision="point"))])["node"]
    (data,) = geojson_data(group)
    drawn = data["features"]
    assert [f["geometry"]["type"] for f in drawn] == ["Point"] * 4
    assert [f["properties"]["id"] for f in drawn] == ["node-3"] * 3 + ["node-4"]
    assert [f["geometry"]["coordinates"] for f in drawn[:3]] == seats["coordinates"]
    assert len({f["id"] for f in drawn}) == 4  # folium styles by feature.id: unique
