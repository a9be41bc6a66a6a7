"""geo.assets: Leaflet is copied into static/ and folium links nothing but the local copy."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import folium
import pytest

from geo.assets import (
    ASSET_BASE_URL,
    MAP_FRAME_DIR,
    external_urls,
    install_static_assets,
    leaflet_dir,
    local_links,
    use_local_assets,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def restore_folium(monkeypatch):
    """use_local_assets changes class attributes: put them back after the test."""
    from geo.assets import _classes

    for cls in _classes():
        for attr in ("default_js", "default_css"):
            if attr in cls.__dict__:
                monkeypatch.setattr(cls, attr, cls.__dict__[attr])


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_install_copies_leaflet_files(tmp_path):
    install_static_assets(tmp_path)
    dst = tmp_path / "vendor" / "leaflet"
    assert {p.name for p in dst.iterdir()} == {"leaflet.js", "leaflet.css", "images"}
    assert {p.name for p in (dst / "images").iterdir()} >= {"layers.png", "marker-icon.png"}
    src = leaflet_dir()
    assert digest(dst / "leaflet.js") == digest(src / "leaflet.js")
    assert b"1.9.3" in (dst / "leaflet.js").read_bytes()[:200]


def test_install_is_idempotent_and_repairs(tmp_path):
    install_static_assets(tmp_path)
    js = tmp_path / "vendor" / "leaflet" / "leaflet.js"
    os.utime(js, (1, 1))
    install_static_assets(tmp_path)
    assert js.stat().st_mtime == 1  # same content: not rewritten
    js.write_text("broken")
    install_static_assets(tmp_path)
    assert digest(js) == digest(leaflet_dir() / "leaflet.js")
    assert not list(tmp_path.rglob("*.tmp"))


def test_use_local_assets_leaves_only_leaflet(restore_folium):
    use_local_assets("/app/static/vendor")
    use_local_assets("/app/static/vendor")  # twice is harmless
    html = folium.Map(tiles=None).get_root().render()
    assert '<script src="/app/static/vendor/leaflet/leaflet.js"></script>' in html
    assert 'href="/app/static/vendor/leaflet/leaflet.css"' in html
    assert external_urls(html) == []
    for dropped in ("jquery", "bootstrap", "awesome", "fontawesome"):
        assert dropped not in html.lower()


def test_use_local_assets_does_not_touch_folium_module_lists(restore_folium):
    import folium.folium as ff

    before = list(ff._default_js)
    use_local_assets()
    assert ff._default_js == before
    assert folium.Map.default_js == local_links(ASSET_BASE_URL)[0]


def test_plugins_linking_leaflet_from_a_cdn_are_pointed_at_the_local_copy(restore_folium):
    from geo.assets import _classes

    use_local_assets("/v")
    for cls in _classes():
        for _, url in list(cls.__dict__.get("default_js", [])) + list(cls.__dict__.get("default_css", [])):
            assert "leaflet@1.9.3" not in url, cls


def test_default_url_climbs_out_of_the_component_iframe():
    # the map frame is <root>/component/pages._mapframe.map/index.html (checked in Chromium)
    from urllib.parse import urljoin

    from tests.conftest import MAP_COMPONENT

    iframe = f"http://127.0.0.1:8501/prefix/component/{MAP_COMPONENT}/index.html"
    js = local_links()[0][0][1]
    assert urljoin(iframe, js) == "http://127.0.0.1:8501/prefix/app/static/vendor/leaflet/leaflet.js"


def test_map_frame_loads_the_local_leaflet_and_nothing_else():
    html = (MAP_FRAME_DIR / "index.html").read_text(encoding="utf-8")
    (_, js), = local_links()[0]
    (_, css), = local_links()[1]
    assert f'src="{js}"' in html and f'href="{css}"' in html  # the same URLs the map's arguments name
    assert external_urls(html) == []
    assert '<script src="frame.js"></script>' in html and '<div id="map_div">' in html
    js_files = {p.name: p.read_text(encoding="utf-8") for p in MAP_FRAME_DIR.glob("*.js")}
    assert set(js_files) == {"frame.js", "controller.js"}
    assert "streamlit:componentReady" in js_files["frame.js"] and "window.ghyztFrame" in js_files["frame.js"]
    assert all(external_urls(js) == [] for js in js_files.values())


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>',
         ["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"]),
        ('<link href="//netdna.bootstrapcdn.com/x.css">', ["//netdna.bootstrapcdn.com/x.css"]),
        ("body{background:url(http://tiles.example.org/a.png)}", ["http://tiles.example.org/a.png"]),
        ('L.tileLayer("https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=1")', ["https://t{s}.tianditu.gov.cn/vec_w/wmts?tk=1"]),
        ('<script src="http://localhost:8501/app/static/a.js"></script><img src="http://127.0.0.1/x.png">', []),
        ('<script src="../../app/static/vendor/leaflet/leaflet.js"></script>', []),
        ("// a comment, not a URL\nvar a = 1; // another", []),
        ('<a href="https://a.org/x">a</a><a href="https://a.org/x">again</a>', ["https://a.org/x"]),
    ],
)
def test_external_urls(html, expected):
    assert external_urls(html) == expected


def test_streamlit_upload_limit_is_the_import_page_limit():
    import tomllib

    from geo.text.decode import MAX_UPLOAD_BYTES

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 2**20 == MAX_UPLOAD_BYTES


def test_the_map_frame_is_our_own_component_named_map():
    # one component, declared with Streamlit's public API, whose iframe title (its name) says "map"
    from pages._mapframe import MAP_COMPONENT
    from tests.conftest import MAP_COMPONENT as NAME

    assert MAP_COMPONENT.name == NAME and "map" in NAME.rsplit(".", 1)[-1]
    assert Path(MAP_COMPONENT.path) == MAP_FRAME_DIR


def test_a_map_renders_to_the_same_frame_arguments_in_any_process():
    # folium's random ids are replaced by names from the tree (geo.view.frameargs): the same map, the same
    # strings and the same component key, so a map rendered again is not remounted
    import re

    from pages._mapframe import render_frame
    from tests.conftest import demo_layers

    collections = list(demo_layers().values())
    first, again = (render_frame("map", collections, "zh", "none", None, None, None) for _ in range(2))
    assert first == again
    texts = first["header"] + first["html"] + first["script"] + first["feature_group"]
    assert not re.search(r"[0-9a-f]{32}", texts)
    assert "var map_div = L.map(" in first["script"] and "#map_div" in first["header"]
    added = re.findall(r"^add\(feature_group_g\d+_0\);$", first["feature_group"], re.MULTILINE)
    assert len(added) == first["groups"] > 0
