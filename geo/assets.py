"""Offline web assets: Leaflet served by the app itself, never by a CDN."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

__all__ = [
    "ASSET_BASE_URL",
    "LEAFLET_VERSION",
    "MAP_FRAME_DIR",
    "STATIC_VENDOR_DIR",
    "external_urls",
    "install_static_assets",
    "leaflet_dir",
    "local_links",
    "use_local_assets",
]

LEAFLET_VERSION = "1.9.3"  # the version folium 0.20 pins; xstatic-leaflet==1.9.3.0 ships the same files

#: Where the vendored files go, relative to the folder that holds the main script's ``static/``.
STATIC_VENDOR_DIR = Path("vendor")

#: The URL prefix the map uses for vendored files. The map is drawn inside a component iframe served at
#: ``<server>/component/<component name>/index.html``, so a relative
#: ``app/static/...`` would resolve under ``/component/...`` (404) and an absolute ``/app/static/...``
#: breaks as soon as ``server.baseUrlPath`` is set. Two levels up from the iframe is the server root,
#: whatever the base path, and that is where Streamlit serves ``static/`` as ``app/static/``.
ASSET_BASE_URL = "../../app/static/vendor"

#: The map frame's folder, served as the dashboard's ``map`` component (pages/_mapframe.py): its page
#: (``index.html``) links the app's Leaflet itself (at ``ASSET_BASE_URL``), so that Leaflet loads while the
#: frame (``frame.js``) greets Streamlit. Its protocol: docs/architecture.md, "The map frame".
MAP_FRAME_DIR = Path(__file__).parent / "view" / "mapframe"

# Only Leaflet is needed: the elements mapview uses (Map, FeatureGroup, GeoJson, GeoJsonTooltip,
# TileLayer and our own MacroElements) and the map frame never call jQuery, Bootstrap,
# Font-Awesome or awesome-markers. folium.Popup (jQuery) and folium.Icon/Marker icons
# (awesome-markers) do; mapview must not use them (tests/unit/view/test_mapview.py guards this).
_LEAFLET_FILES = ("leaflet.js", "leaflet.css")
_LEAFLET_DIRS = ("images",)

_URL = re.compile(
    r"""https?://[^\s"'<>()`\\]+"""  # absolute URLs anywhere: attributes, CSS, JS strings
    r"""|(?<=src=["'])//[^\s"'<>()`\\]+|(?<=href=["'])//[^\s"'<>()`\\]+"""  # protocol-relative links
    r"""|(?<=url\()["']?//[^\s"'<>()`\\]+""",
    re.IGNORECASE,
)
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "[::1]"})


def leaflet_dir() -> Path:
    """Return the folder of the installed ``xstatic-leaflet`` package's files.

    Returns
    -------
    pathlib.Path
        The package's data folder (it holds ``leaflet.js``, ``leaflet.css`` and ``images/``).

    Raises
    ------
    RuntimeError
        If the installed package is not Leaflet 1.9.3 (the version folium 0.20 pins).
    """
    from xstatic.pkg import leaflet

    if leaflet.VERSION != LEAFLET_VERSION:
        raise RuntimeError(
            f"xstatic-leaflet ships Leaflet {leaflet.VERSION}, folium 0.20 expects {LEAFLET_VERSION}"
        )
    return Path(leaflet.BASE_DIR)


def _copy_if_changed(src: Path, dst: Path) -> bool:
    """Copy one file unless the target already holds the same bytes; say whether it wrote."""
    data = src.read_bytes()
    if dst.is_file() and dst.read_bytes() == data:
        return False
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(dst)  # atomic, so a browser never gets half a file from a concurrent install
    return True


def install_static_assets(static_dir: Path) -> None:
    """Copy Leaflet's files into ``static_dir/vendor/leaflet/``.

    Idempotent: a file whose content is already in place is not written again, so the call is cheap
    at every app start.

    Parameters
    ----------
    static_dir : pathlib.Path
        The ``static/`` folder next to the app's main script (Streamlit serves it under
        ``/app/static/`` when ``server.enableStaticServing`` is true).

    Examples
    --------
    >>> from pathlib import Path
    >>> install_static_assets(Path("static"))  # doctest: +SKIP
    >>> sorted(p.name for p in Path("static/vendor/leaflet").iterdir())  # doctest: +SKIP
    ['images', 'leaflet.css', 'leaflet.js']
    """
    src = leaflet_dir()
    dst = Path(static_dir) / STATIC_VENDOR_DIR / "leaflet"
    for name in _LEAFLET_FILES:
        _copy_if_changed(src / name, dst / name)
    for folder in _LEAFLET_DIRS:
        for path in sorted((src / folder).iterdir()):
            if path.is_file():
                _copy_if_changed(path, dst / folder / path.name)


def local_links(base_url: str = ASSET_BASE_URL) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return folium-style ``(name, url)`` lists of the local JS and CSS files.

    Parameters
    ----------
    base_url : str
        URL prefix of the vendored files (see `ASSET_BASE_URL`).

    Returns
    -------
    tuple of (list, list)
        ``default_js`` and ``default_css`` values, under folium's own names ("leaflet", "leaflet_css").

    Examples
    --------
    >>> local_links("/app/static/vendor")
    ([('leaflet', '/app/static/vendor/leaflet/leaflet.js')], [('leaflet_css', '/app/static/vendor/leaflet/leaflet.css')])
    """
    base = base_url.rstrip("/")
    return [("leaflet", f"{base}/leaflet/leaflet.js")], [("leaflet_css", f"{base}/leaflet/leaflet.css")]


def _classes() -> Iterable[type]:
    """Every folium class whose links the map may emit: folium.Map and all imported JSCSSMixin classes."""
    import folium
    from folium.elements import JSCSSMixin

    seen: list[type] = [folium.Map]
    stack = [JSCSSMixin]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.append(sub)
            stack.append(sub)
    return seen


def use_local_assets(base_url: str = ASSET_BASE_URL) -> None:
    """Point folium's ``default_js``/``default_css`` at the app's own copy of Leaflet.

    ``folium.Map`` then loads only Leaflet's JS and CSS, from ``base_url``; jQuery, Bootstrap,
    Font-Awesome and awesome-markers are dropped (nothing mapview draws uses them). Any other
    folium class that links Leaflet 1.9.3 from a CDN is pointed at the local copy too; classes that
    need other libraries are left alone and will show up in `external_urls` if a map uses them.
    This changes class attributes, so it holds for the whole process; call it once at app start.
    It never mutates folium's own lists in place, and calling it twice is harmless.

    Parameters
    ----------
    base_url : str
        URL prefix of the vendored files. The default suits maps shown in the map frame.

    Examples
    --------
    >>> import folium
    >>> use_local_assets("/app/static/vendor")  # doctest: +SKIP
    >>> folium.Map.default_js  # doctest: +SKIP
    [('leaflet', '/app/static/vendor/leaflet/leaflet.js')]
    """
    js, css = local_links(base_url)
    local = dict(js + css)
    for cls in _classes():
        if cls.__name__ == "Map" and cls.__module__ == "folium.folium":
            cls.default_js, cls.default_css = list(js), list(css)
            continue
        for attr in ("default_js", "default_css"):
            links = cls.__dict__.get(attr)
            if not links:
                continue
            cls_links = [(name, local.get(name, url)) if "leaflet@" in url else (name, url)
                         for name, url in links]
            if cls_links != links:
                setattr(cls, attr, cls_links)


def external_urls(html: str) -> list[str]:
    """List the http(s) URLs in ``html`` that point to a host other than this machine.

    Catches ``http://``, ``https://`` and protocol-relative ``//host/`` URLs anywhere in the text
    (``src``/``href`` attributes, CSS ``url()``, JS strings), so a rendered map with none of them
    needs no network.

    Parameters
    ----------
    html : str
        A rendered map page, e.g. ``m.get_root().render()``.

    Returns
    -------
    list of str
        The URLs, unique, in order of first appearance.

    Examples
    --------
    >>> external_urls('<script src="https://cdn.example.org/l.js"></script><a href="/app/static/x">')
    ['https://cdn.example.org/l.js']
    >>> external_urls('<img src="http://localhost:8501/app/static/a.png">')
    []
    """
    found: list[str] = []
    for match in _URL.finditer(html):
        url = match.group(0).lstrip("'\"")
        host = (urlsplit(url if not url.startswith("//") else "http:" + url).hostname or "").lower()
        if not host or host in _LOCAL_HOSTS or host.startswith("127."):
            continue
        if url not in found:
            found.append(url)
    return found
