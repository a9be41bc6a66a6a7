"""What every export shares: formats and file names, errors, the visible layers of a plan, and fonts.

`ExportFile` is what `geo.export.export` returns; `export_filename` names it. `cjk_font` finds the CJK
font the structure diagram is drawn with (see `geo.export.diagram`): the first installed of `CJK_FAMILIES`
(Noto Sans CJK SC from Debian's ``fonts-noto-cjk``, which ``make test`` installs), or a font file named by
``$GEO_CJK_FONT``; without one, `FontMissingError` says what to install instead of drawing tofu. DejaVu Sans
(bundled with matplotlib) is the glyph fallback; a character neither has raises `TofuWarning`.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.i18n import STRINGS, t
from geo.layers import KINDS
from geo.text.plans import PLAN_ID, Plan, load_plan

FORMATS = ("png", "pdf", "geojson", "gpkg", "csv")
#: Format -> MIME type, for ``st.download_button(mime=...)`` and HTTP headers.
MIME_TYPES: Mapping[str, str] = {
    "png": "image/png",
    "pdf": "application/pdf",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "text/csv",
}
#: The layers of a structure diagram proper (the golden images draw these).
STRUCTURE_LAYERS = ("admin", "zone", "wing", "core", "corridor")
#: CJK font families tried in order; the first is what the goldens are drawn with.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
                "Microsoft YaHei", "SimHei", "PingFang SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei")
#: Where a plan comes from: a bundled (curated) plan, an imported draft not yet saved, a saved imported plan.
ORIGINS = ("bundled", "draft", "stored")
#: Data credits printed on every map: (zh, en).
CREDITS = STRINGS["diagram.credits"]

# What a file holds, by format: the `geo.i18n` key of the word its name carries after the plan id.
_FILE_WORDS = {"png": "file.structure", "pdf": "file.structure", "geojson": "file.layers", "gpkg": "file.layers",
               "csv": "file.clauses"}


class ExportError(ValueError):
    """A request that cannot be exported as asked (unknown layer, feature or clause, unknown format)."""


class FontMissingError(RuntimeError):
    """No CJK font is installed: the map would show tofu boxes instead of Chinese."""


class TofuWarning(UserWarning):
    """A character of the map's text has no glyph in the fonts used (it would print as a box)."""


@dataclass(frozen=True)
class ExportFile:
    """One export, ready for a download button.

    Parameters
    ----------
    data : bytes
        The file's content.
    file_name : str
        Suggested file name (`export_filename`).
    mime : str
        MIME type (`MIME_TYPES`).
    """

    data: bytes = field(repr=False)
    file_name: str
    mime: str


# --------------------------------------------------------------------------- names, selection, fonts


def export_filename(plan_id: str, fmt: str, today: dt.date | None = None, *, ascii_only: bool = False) -> str:
    """Return the file name of an export: plan id, what it holds, and the export date.

    The plan id and the date are ASCII and sort well in a folder; the one Chinese word (空间结构图, 图层,
    条文) says what the file is to a planner browsing the report folder. Browsers save UTF-8 names
    correctly (Streamlit sends an RFC 5987 ``filename*``); for tools that still mangle non-ASCII names
    (old ZIP programs, some OA systems on GBK Windows) pass ``ascii_only=True``.

    Parameters
    ----------
    plan_id : str
        A plan id (lowercase ASCII; anything else is refused, so a name never carries a path).
    fmt : {"png", "pdf", "geojson", "gpkg", "csv"}
        The export format; also the extension.
    today : datetime.date, optional
        The export date; defaults to today.
    ascii_only : bool
        Use an English word instead of the Chinese one.

    Returns
    -------
    str

    Examples
    --------
    >>> import datetime
    >>> export_filename("guizhou", "png", datetime.date(2026, 11, 23))
    'guizhou_空间结构图_2026-11-23.png'
    >>> export_filename("guizhou", "csv", datetime.date(2026, 11, 23), ascii_only=True)
    'guizhou_clauses_2026-11-23.csv'
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not isinstance(plan_id, str) or not PLAN_ID.fullmatch(plan_id):
        raise ExportError(f"malformed plan id {plan_id!r}")
    word = t(_FILE_WORDS[fmt], "en" if ascii_only else "zh")
    return f"{plan_id}_{word}_{(today or dt.date.today()).isoformat()}.{fmt}"


def _visible(plan_id: str, layers: Iterable[str] | None) -> tuple[Plan, dict[str, dict], dict[str, dict]]:
    """The plan, all its layers, and the visible ones (KINDS order); unknown layer names raise.

    The layers are loaded by ``geo.export.load_layers``, looked up on the package when called: it is the one
    place where a plan's layers come in, and the one to replace to export other layers (the tests do).
    """
    import geo.export

    plan = load_plan(plan_id)
    all_layers = geo.export.load_layers(plan_id)
    return plan, all_layers, _chosen_layers(all_layers, layers)


def _chosen_layers(all_layers: Mapping[str, dict], layers: Iterable[str] | None) -> dict[str, dict]:
    """The layers named in ``layers`` (all if None), in the order of ``all_layers``; unknown names raise."""
    if layers is None:
        return dict(all_layers)
    names = [layers] if isinstance(layers, str) else list(layers)
    unknown = [n for n in names if n not in KINDS]
    if unknown:
        raise ExportError(f"unknown layer {unknown[0]!r}; layers are {', '.join(KINDS)}")
    return {k: fc for k, fc in all_layers.items() if k in names}


def _feature_list(layers: Mapping[str, Mapping[str, Any]]) -> list[dict]:
    """The features of some layers, in the order given."""
    return [f for fc in layers.values() for f in fc.get("features") or ()]


def can_draw(layers: Mapping[str, Mapping[str, Any]]) -> bool:
    """Can these layers make a structure diagram (does any feature have a geometry to frame the map)?

    False only for an imported draft without a jurisdiction whose features the text only names.

    Examples
    --------
    >>> can_draw({"node": {"type": "FeatureCollection", "features": [{"geometry": None, "properties": {}}]}})
    False
    """
    return any(f.get("geometry") for f in _feature_list(layers))


@functools.cache
def cjk_font() -> str:
    """Return the family name of the CJK font the maps are drawn with.

    ``$GEO_CJK_FONT`` may name a font file (an intranet machine's own 黑体, say); otherwise the first
    installed family of `CJK_FAMILIES` is used, looking again on disk if matplotlib's font cache predates
    the font's installation.

    Returns
    -------
    str
        A family name matplotlib knows.

    Raises
    ------
    FontMissingError
        No CJK font is installed (the message says how to install one).
    """
    from matplotlib import font_manager as fm

    path = os.environ.get("GEO_CJK_FONT")
    if path:
        if not Path(path).is_file():
            raise FontMissingError(f"GEO_CJK_FONT={path!r} is not a font file")
        before = {f.name for f in fm.fontManager.ttflist}
        fm.fontManager.addfont(path)
        added = sorted({f.name for f in fm.fontManager.ttflist if f.fname == path} - before) or \
            sorted(f.name for f in fm.fontManager.ttflist if f.fname == path)
        sc = [n for n in added if n.endswith(" SC")]
        return (sc or added)[0]
    for attempt in range(2):
        known = {f.name for f in fm.fontManager.ttflist}
        for family in CJK_FAMILIES:
            if family in known:
                return family
        if attempt == 0:  # fonts installed after matplotlib built its cache
            for found in fm.findSystemFonts():
                if re.search(r"(?i)(notosanscjk|sourcehansans|msyh|simhei|wqy)", Path(found).name):
                    fm.fontManager.addfont(found)
    raise FontMissingError(
        "找不到中文字体 / no CJK font found: install Noto Sans CJK "
        "(Debian/Ubuntu: apt-get install fonts-noto-cjk) or set GEO_CJK_FONT to a .ttf/.otf/.ttc file"
    )


@functools.cache
def _glyph_fonts(family: str) -> tuple[Any, ...]:
    """The FT2Font objects text falls back through: the CJK face, then DejaVu Sans."""
    from matplotlib import font_manager as fm

    return tuple(fm.get_font(fm.findfont(fm.FontProperties(family=f), fallback_to_default=f == "DejaVu Sans"))
                 for f in (family, "DejaVu Sans"))


def _missing_glyphs(texts: Iterable[str], family: str) -> set[str]:
    """Characters of ``texts`` that no font of the fallback chain can draw."""
    fonts = _glyph_fonts(family)
    chars = {c for s in texts for c in s if not c.isspace()}
    return {c for c in chars if all(f.get_char_index(ord(c)) == 0 for f in fonts)}


def _name(props: Mapping[str, Any], lang: str) -> str:
    """A feature's display name (English falls back to Chinese)."""
    if lang == "en" and props.get("name_en"):
        return str(props["name_en"])
    return str(props.get("name") or props.get("name_en") or "")
