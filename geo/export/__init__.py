"""Layers -> report-ready exports: `export` and `export_view`, the entry points, and every public name below.

Every export is a pure function of a bundled plan id and the view (visible layers, selection, language) that
returns ``bytes``; `export` bundles the bytes with a file name and a MIME type for a download button, and
``python -m geo export`` writes the same bytes for batch use. The structure diagram of an imported plan (a
draft, a saved imported plan) is drawn by the same code from its `geo.text.plans.Plan` and layers
(`render_plan`), saying where its layers come from (``origin``).

One module per output, each re-exported here (``from geo.export import X`` is the way in):

- `geo.export.common`: formats, MIME types and file names, errors, the visible layers of a plan, fonts;
- `geo.export.tables`: GeoJSON, GeoPackage and the clause CSV;
- `geo.export.embed`: the ``<iframe>`` embed snippet;
- `geo.export.diagram`: the structure diagram (空间结构图), PNG or PDF, drawn with `geo.export.diagram_layout`
  (page, frame, projection), `geo.export.diagram_style`, `geo.export.labels`, `geo.export.legend` and
  `geo.export.furniture` (title, scale bar, north arrow, source line).

Their zh/en texts are `geo.i18n`'s (keys ``diagram.*``, ``csv.*``, ``file.*``). A plan's layers come in by
``geo.export.load_layers`` (`geo.layers.load_layers`), looked up here when an export runs: replace it to
export other layers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from geo.export.common import (
    CJK_FAMILIES,
    CREDITS,
    FORMATS,
    MIME_TYPES,
    ORIGINS,
    STRUCTURE_LAYERS,
    ExportError,
    ExportFile,
    FontMissingError,
    TofuWarning,
    can_draw,
    cjk_font,
    export_filename,
)
from geo.export.diagram import MapDrawing, _Map, render_map, render_plan  # noqa: F401 (_Map: tests spy on it)
from geo.export.embed import embed_snippet
from geo.export.furniture import _source_line  # noqa: F401 (tested on its own)
from geo.export.tables import CSV_COLUMNS, clauses_csv, csv_cell, gpkg_bytes, layers_geojson, layers_gpkg
from geo.layers import load_layers  # noqa: F401 (the one place a plan's layers come in; see the docstring)

__all__ = [
    "CJK_FAMILIES",
    "CREDITS",
    "CSV_COLUMNS",
    "FORMATS",
    "MIME_TYPES",
    "ORIGINS",
    "STRUCTURE_LAYERS",
    "ExportError",
    "ExportFile",
    "FontMissingError",
    "MapDrawing",
    "TofuWarning",
    "can_draw",
    "cjk_font",
    "clauses_csv",
    "csv_cell",
    "embed_snippet",
    "export",
    "export_filename",
    "export_view",
    "gpkg_bytes",
    "layers_geojson",
    "layers_gpkg",
    "render_map",
    "render_plan",
]


def export(plan_id: str, fmt: str, *, layers: Iterable[str] | None = None, selected: str | None = None,
           clause: str | None = None, lang: str = "zh", dpi: int = 300, today: dt.date | None = None,
           ascii_only: bool = False) -> ExportFile:
    """Export a plan's view in one format: bytes, a file name and a MIME type.

    Parameters
    ----------
    plan_id : str
        A bundled plan id.
    fmt : {"png", "pdf", "geojson", "gpkg", "csv"}
    layers : iterable of str, optional
        Visible layers (None: all the plan has), as `geo.view.state.ViewState.layers`.
    selected, clause : str, optional
        The view's selected feature and clause (highlighted on the map; ignored by the data formats).
    lang : {"zh", "en"}
        Map and CSV language.
    dpi : int
        PNG resolution.
    today : datetime.date, optional
        Date in the file name.
    ascii_only : bool
        See `export_filename`.

    Returns
    -------
    ExportFile

    Examples
    --------
    >>> import datetime
    >>> f = export("qujing", "csv", layers=["core"], today=datetime.date(2026, 11, 23))
    >>> f.file_name, f.mime
    ('qujing_条文_2026-11-23.csv', 'text/csv')
    """
    name = export_filename(plan_id, fmt, today, ascii_only=ascii_only)
    if fmt in ("png", "pdf"):
        data = render_map(plan_id, layers=layers, selected=selected, clause=clause, fmt=fmt, dpi=dpi, lang=lang)
    elif fmt == "geojson":
        data = layers_geojson(plan_id, layers)
    elif fmt == "gpkg":
        data = layers_gpkg(plan_id, layers)
    else:
        data = clauses_csv(plan_id, layers, lang=lang)
    return ExportFile(data, name, MIME_TYPES[fmt])


def export_view(state: Any, fmt: str, *, dpi: int = 300, today: dt.date | None = None) -> ExportFile:
    """Export what a `geo.view.state.ViewState` shows: its plan, visible layers, selection and language.

    Parameters
    ----------
    state : geo.view.state.ViewState
    fmt : {"png", "pdf", "geojson", "gpkg", "csv"}
    dpi : int
        PNG resolution.
    today : datetime.date, optional
        Date in the file name.

    Returns
    -------
    ExportFile
    """
    return export(state.plan, fmt, layers=state.layers, selected=state.feature, clause=state.clause,
                  lang=state.lang, dpi=dpi, today=today)

