"""The feature every layer holds: its type (the fields of ``feature.schema.json``), its kinds and precisions, and
the constants the map and the link share (basemaps, zoom range).

A feature is a GeoJSON ``Feature`` whose ``properties`` carry the plan's words about it: the clauses that state it,
verbatim excerpts, the precision of its drawing and, when its place was guessed, what was inferred and from which
clue. Features travel as plain dicts (they are read from and written to GeoJSON as they are); `Feature` and
`FeatureProperties` give those dicts a type, so that a checker sees a misspelt key, and `tests/unit/test_feature.py`
holds the types to the schema.

Examples
--------
>>> f: Feature = {"type": "Feature", "id": "gz-core", "geometry": None, "properties": {"plan": "guizhou",
...     "name": "贵阳", "name_en": "Guiyang", "kind": "core", "role": "", "clauses": [], "excerpts": [],
...     "precision": "approximate", "precision_note": "", "members": [], "inferred": None, "named_only": True}}
>>> f["properties"]["kind"] in KINDS
True
"""

# No `from __future__ import annotations`: TypedDict reads NotRequired from evaluated annotations.
import json
from functools import cache
from pathlib import Path
from typing import Any, Literal, NotRequired, TypedDict

__all__ = [
    "BASEMAPS",
    "CONFIDENCES",
    "KINDS",
    "KIND_ORDER",
    "PRECISIONS",
    "SCHEMA_PATH",
    "ZOOM_RANGE",
    "Excerpt",
    "Feature",
    "FeatureCollection",
    "FeatureProperties",
    "Inferred",
    "Reason",
    "feature_schema",
]

SCHEMA_PATH = Path(__file__).with_name("feature.schema.json")

Kind = Literal["admin", "context", "zone", "eco", "core", "wing", "corridor", "route", "link", "node"]
Precision = Literal["exact", "approximate", "schematic", "point"]
Confidence = Literal["high", "medium", "low"]

#: Feature kinds (= layers), in the schema's sense; `KIND_ORDER` is the order they are drawn and listed in.
KINDS: tuple[str, ...] = ("admin", "context", "zone", "eco", "core", "wing", "corridor", "route", "link", "node")
#: Layer names in drawing order, bottom to top; also the order UIs list them in.
KIND_ORDER: tuple[str, ...] = ("admin", "context", "zone", "eco", "wing", "core", "corridor", "route", "link", "node")
#: How precisely a feature's drawing follows the text: a unit's own outline, a part of it, a diagram, a point.
PRECISIONS: tuple[str, ...] = ("exact", "approximate", "schematic", "point")
#: How sure the importer is of a drafted feature, surest first (``low``: a planner should check it).
CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")
#: Basemaps a map can be drawn on: none (admin boundaries on a plain background), OpenStreetMap, Tianditu.
BASEMAPS: tuple[str, ...] = ("none", "osm", "tianditu")
#: Zoom levels a view may ask for (a link's ``z``, the map's own limits).
ZOOM_RANGE: tuple[int, int] = (3, 18)


class Excerpt(TypedDict):
    """A verbatim piece of a clause that states the feature."""

    clause: str
    text: str


class Inferred(TypedDict):
    """A place the text did not name but the importer or the curator inferred, and the clue it rests on."""

    place: str
    clue: str


class Reason(TypedDict):
    """Why an imported feature has its confidence: a code (`geo.i18n.reason_text` words it) and its evidence
    (plan text, unit names, distances), kept as data."""

    code: str
    data: NotRequired[dict[str, str | int | float]]


class FeatureProperties(TypedDict):
    """``properties`` of a feature: the schema's fields (required ones first), then optional extras."""

    plan: str
    name: str
    name_en: str
    kind: Kind
    role: str
    clauses: list[str]
    excerpts: list[Excerpt]
    precision: Precision
    precision_note: str
    members: list[str]
    inferred: Inferred | None
    named_only: bool
    direction: NotRequired[Literal["forward", "both"] | None]
    group: NotRequired[str]
    confidence: NotRequired[Confidence]  # imported features: how sure the importer is
    reasons: NotRequired[list[Reason]]  # imported features: which rule, which evidence, what was assumed
    # Not in the schema's property list, written by some producers and read where present:
    adcode: NotRequired[str]  # an admin unit's code (admin layer)
    level: NotRequired[str]  # an admin unit's level (admin layer)
    mark: NotRequired[str]  # a comparison's mark (Overview: shared, second plan)


class Feature(TypedDict):
    """A GeoJSON feature of a layer."""

    type: Literal["Feature"]
    id: str
    geometry: dict[str, Any] | None
    properties: FeatureProperties


class FeatureCollection(TypedDict):
    """A layer: one kind's features of one plan."""

    type: Literal["FeatureCollection"]
    features: list[Feature]


@cache
def _schema_text() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def feature_schema() -> dict[str, Any]:
    """The feature's JSON Schema (a fresh copy each call).

    Examples
    --------
    >>> sorted(feature_schema()["properties"]["properties"]["properties"]["kind"]["enum"]) == sorted(KINDS)
    True
    """
    return json.loads(_schema_text())
