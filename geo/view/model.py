"""A plan and its layers as the pages read them: loading plans (bundled or stored), the catalog, layer options, bounds.

Nothing here imports Streamlit. What the pages make of a plan lives beside this module: the feature panel and
safe HTML (`geo.view.panels`), where plans meet (`geo.view.meets`), comparing two plans (`geo.view.compare`), the
Overview (`geo.view.overview`), search (`geo.view.searching`), the Text page's tree (`geo.view.texttree`) and the Map
page's map (`geo.view.mapwidget`); `geo.view` re-exports them all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from geo.i18n import kind_label, t
from geo.layers import LAYERS_DIR, load_layers
from geo.text.clauses import parse_outline
from geo.text.plans import PLAN_ID, PLANS_DIR, Clue, Jurisdiction, Plan, PlanMeta, UnknownPlanError, load_plan
from geo.view.mapview import KIND_ORDER, bounds_of
from geo.view.state import DEFAULT_PLAN, Catalog, PlanCatalog

__all__ = [
    "KIND_GROUPS",
    "OFF_BY_DEFAULT",
    "STORED_EXPORT_FORMATS",
    "STRUCTURE_KINDS",
    "LayerOption",
    "PlanData",
    "available_plans",
    "catalog_from_layers",
    "default_layers",
    "feature_bounds",
    "is_stored_plan_id",
    "jurisdiction_bounds",
    "layer_options",
    "layer_order",
    "load_meets",
    "load_plan_data",
    "stored_plan_export",
    "visible_layers",
    "with_layer",
]

#: How the layer panel groups the kinds (= layers): (i18n key of the group, kinds in it).
KIND_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("group.structure", ("core", "wing", "zone")),
    ("group.links", ("corridor", "route", "link")),
    ("group.points", ("node",)),
    ("group.eco", ("eco",)),
    ("group.base", ("admin", "context")),
)


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class PlanData:
    """One plan with its layers: what every page of the dashboard reads.

    Parameters
    ----------
    plan : geo.text.plans.Plan
        Metadata, original text and outline.
    layers : Mapping of str to dict
        Layer name (= kind) -> GeoJSON FeatureCollection, in `geo.layers.KINDS` order.
    """

    plan: Plan
    layers: Mapping[str, Mapping[str, Any]]

    @property
    def id(self) -> str:
        """The plan id."""
        return self.plan.meta.id

    @cached_property
    def features(self) -> dict[str, Mapping[str, Any]]:
        """Feature id -> feature, over all layers."""
        out: dict[str, Mapping[str, Any]] = {}
        for fc in self.layers.values():
            for feat in fc.get("features") or ():
                fid = _fid(feat)
                if fid and fid not in out:
                    out[fid] = feat
        return out

    @cached_property
    def clause_index(self) -> dict[str, int]:
        """Clause id -> position in document order."""
        return {c.id: i for i, c in enumerate(self.plan.outline.clauses)}

    def kind_of(self, feature_id: str) -> str:
        """The kind (= layer) of a feature ("" if unknown)."""
        return str((self.features.get(feature_id, {}).get("properties") or {}).get("kind", ""))

    def clause_text(self, clause_id: str) -> str:
        """The clause as the reader sees it: number, heading and own text (the span of the cleaned text)."""
        clause = self.plan.outline.clause(clause_id)
        return self.plan.outline.text[clause.span[0] : clause.span[1]]

    @cached_property
    def places(self) -> dict[str, tuple[str, ...]]:
        """Adcode -> ids of the features that name that unit in a clause (a county, or a member of a feature).

        A feature names a unit when the unit is one of its ``members`` and it cites at least one clause;
        the neighbours drawn as background cite none and name nothing.
        """
        out: dict[str, list[str]] = {}
        for fid, feat in self.features.items():
            p = feat.get("properties") or {}
            if not p.get("clauses"):
                continue
            for adcode in p.get("members") or ():
                out.setdefault(str(adcode), []).append(fid)
        return {a: tuple(fids) for a, fids in out.items()}

    def county_feature(self, adcode: str) -> str | None:
        """The id of the admin feature (own unit or neighbour) that draws exactly this unit, if any."""
        for feat in (self.layers.get("admin") or {}).get("features") or ():
            members = [str(m) for m in (feat.get("properties") or {}).get("members") or ()]
            if members == [str(adcode)]:
                return _fid(feat)
        return None


def _fid(feat: Mapping[str, Any]) -> str:
    """A feature's id (top-level or in properties)."""
    return str(feat.get("id") or (feat.get("properties") or {}).get("id") or "")


def available_plans(plans_dir: Path | None = None) -> list[str]:
    """Ids of the plans in ``plans_dir`` (default: the bundled ones), in the order of their seeds.

    Parameters
    ----------
    plans_dir : pathlib.Path, optional
        A folder of ``<id>/plan.yaml`` + ``original.txt``; tests use a fixture folder.

    Returns
    -------
    list of str
    """
    plans_dir = Path(plans_dir or PLANS_DIR)
    found = []
    for d in sorted(plans_dir.iterdir()) if plans_dir.is_dir() else ():
        if (d / "plan.yaml").is_file() and PLAN_ID.match(d.name):
            seed = str((yaml.safe_load((d / "plan.yaml").read_text(encoding="utf-8")) or {}).get("seed", d.name))
            found.append((seed, d.name))
    return [pid for _, pid in sorted(found)]


def _plan_at(plans_dir: Path, plan_id: str) -> Plan:
    """A plan read from a folder other than the bundled one (fixtures)."""
    folder = plans_dir / plan_id
    if not PLAN_ID.match(plan_id) or not (folder / "plan.yaml").is_file():
        raise UnknownPlanError(plan_id)
    raw = yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
    j = raw.get("jurisdiction") or {}
    juris = Jurisdiction(str(j.get("adcode", "")), str(j.get("name", "")), bool(j.get("stated", True)),
                         tuple(Clue(**c) for c in j.get("clues") or ()))
    meta = PlanMeta(
        id=plan_id, seed=str(raw.get("seed", plan_id)), title=str(raw.get("title", plan_id)),
        title_en=str(raw.get("title_en", plan_id)), issuer=raw.get("issuer"), date=raw.get("date"),
        doc_number=raw.get("doc_number"), source=raw.get("source"), anonymised=raw.get("anonymised"),
        jurisdiction=juris, date_as_written=raw.get("date_as_written"),
    )
    original = (folder / "original.txt").read_text(encoding="utf-8")
    return Plan(meta, original, parse_outline(original))


def is_stored_plan_id(plan_id: str) -> bool:
    """Is this the id of an imported plan kept in the plan store (not a bundled plan)?"""
    from geo.store import STORED_ID

    return isinstance(plan_id, str) and bool(STORED_ID.match(plan_id))


STORED_EXPORT_FORMATS = ("png", "pdf", "geojson", "gpkg", "csv")
"""What an imported plan exports: the structure diagram as for a bundled plan, its layers, its clauses."""


def stored_plan_export(plan_id: str, fmt: str, layers: Iterable[str], lang: str, *, selected: str | None = None,
                       clause: str | None = None, dpi: int = 300) -> bytes:
    """An imported plan's structure diagram (PNG, PDF), visible layers (GeoJSON, GeoPackage), or its clauses
    with their places as CSV.

    Parameters
    ----------
    plan_id : str
        A stored plan's id (16 letters), looked up in `geo.store.default_store`.
    fmt : {"png", "pdf", "geojson", "gpkg", "csv"}
    layers : iterable of str
        Visible layers (all if empty).
    lang : {"zh", "en"}
    selected, clause : str, optional
        Highlighted on the diagram (the data formats ignore them).
    dpi : int
        PNG resolution.

    Raises
    ------
    geo.text.plans.UnknownPlanError
        No stored plan has this id.
    ValueError
        A format imported plans do not export; `geo.export.ExportError` (a ``ValueError``) for an unknown
        layer, feature or clause.
    """
    from geo.importer import draft as dr
    from geo.places.gazetteer import load_gazetteer
    from geo.store import default_store

    stored = default_store().get(plan_id)
    if stored is None:
        raise UnknownPlanError(plan_id)
    if fmt in ("png", "pdf"):
        from geo.export import render_plan

        return render_plan(stored.to_plan(), stored.layers_by_kind(), layers=list(layers) or None,
                           selected=selected, clause=clause, fmt=fmt, dpi=dpi, lang=lang, origin="stored").data
    wanted = set(layers)
    collection = {"type": "FeatureCollection",
                  "features": [f for kind, fc in stored.layers_by_kind().items() if not wanted or kind in wanted
                               for f in fc["features"]]}
    if fmt == "geojson":
        return dr.draft_geojson(collection)
    if fmt == "gpkg":
        return dr.draft_gpkg(collection, plan_id)
    if fmt == "csv":
        draft = dr.draft_plan(stored.text, load_gazetteer(), jurisdiction=stored.jurisdiction.get("adcode"))
        return dr.draft_clauses_csv(draft, collection, lang=lang)
    raise ValueError(f"imported plans export {', '.join(STORED_EXPORT_FORMATS)}, not {fmt}")


def load_plan_data(plan_id: str, plans_dir: Path | None = None, layers_dir: Path | None = None) -> PlanData:
    """Load a plan and its layers.

    Parameters
    ----------
    plan_id : str
        A plan id.
    plans_dir, layers_dir : pathlib.Path, optional
        Where plans and layers live (default: ``data/plans`` and ``layers``).

    Returns
    -------
    PlanData

    Raises
    ------
    geo.text.plans.UnknownPlanError
        No such plan.
    geo.layers.LayerError
        A broken layer file (its message names the file).
    """
    if plans_dir is None and is_stored_plan_id(plan_id):
        from geo.store import default_store

        stored = default_store().get(plan_id)
        if stored is None:
            raise UnknownPlanError(plan_id)
        return PlanData(stored.to_plan(), stored.layers_by_kind())
    if plans_dir is None or Path(plans_dir).resolve() == PLANS_DIR.resolve():
        plan = load_plan(plan_id)
    else:
        plan = _plan_at(Path(plans_dir), plan_id)
    layers = load_layers(plan_id, Path(layers_dir) if layers_dir else LAYERS_DIR)
    return PlanData(plan, layers)


def load_meets(layers_dir: Path | None = None) -> list[dict[str, Any]]:
    """Where plans meet (``layers/meets.json``); an absent or broken file gives an empty list."""
    path = Path(layers_dir or LAYERS_DIR) / "meets.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [m for m in data if isinstance(m, dict)] if isinstance(data, list) else []


# --------------------------------------------------------------------------- catalog and layers


def _kind_order(kinds: Iterable[str]) -> list[str]:
    """Kinds in the order the UI lists them (`geo.view.mapview.KIND_ORDER`, unknown kinds last)."""
    kinds = list(dict.fromkeys(kinds))
    return [k for k in KIND_ORDER if k in kinds] + sorted(k for k in kinds if k not in KIND_ORDER)


def catalog_from_layers(
    layers_by_plan: Mapping[str, Mapping[str, Mapping[str, Any]]],
    clauses_by_plan: Mapping[str, Iterable[str]] | None = None,
    default_plan: str = DEFAULT_PLAN,
) -> Catalog:
    """Build the `geo.view.state.Catalog` a link is checked against.

    Parameters
    ----------
    layers_by_plan : Mapping
        Plan id -> {layer name: FeatureCollection}.
    clauses_by_plan : Mapping, optional
        Plan id -> clause ids.
    default_plan : str
        Plan used when a link names none or an unknown one.

    Returns
    -------
    geo.view.state.Catalog

    Examples
    --------
    >>> fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a-1", "properties": {}}]}
    >>> cat = catalog_from_layers({"demo": {"node": fc, "admin": fc}}, {"demo": ["一"]}, "demo")
    >>> cat.plans["demo"].layers, sorted(cat.plans["demo"].features)
    (('admin', 'node'), ['a-1'])
    """
    clauses_by_plan = clauses_by_plan or {}
    plans = {}
    for pid, layers in layers_by_plan.items():
        features = {_fid(f) for fc in layers.values() for f in fc.get("features") or ()} - {""}
        plans[pid] = PlanCatalog(layers=tuple(_kind_order(layers)), features=frozenset(features),
                                 clauses=frozenset(clauses_by_plan.get(pid, ())))
    return Catalog(plans, default_plan)


@dataclass(frozen=True)
class LayerOption:
    """One entry of the layer panel."""

    kind: str
    label: str
    count: int
    group: str  # i18n key of its group


def layer_options(layers: Mapping[str, Mapping[str, Any]], lang: str = "zh") -> list[tuple[str, list[LayerOption]]]:
    """The layer panel: groups of layers present in the plan, each with its feature count.

    Returns
    -------
    list of (group label, list of LayerOption)
        Only groups with at least one layer; layers in `KIND_ORDER` within a group.
    """
    out = []
    placed = set()
    for group_key, kinds in (*KIND_GROUPS, ("group.other", tuple(k for k in layers if k not in KIND_ORDER))):
        opts = []
        for kind in _kind_order(k for k in kinds if k in layers):
            placed.add(kind)
            count = len(layers[kind].get("features") or ())
            opts.append(LayerOption(kind, kind_label(kind, lang), count, group_key))
        if opts:
            out.append((t(group_key, lang), opts))
    return out


#: Layers a plan's map opens without (one click away in the layer panel): the lines that run far outside the
#: plan's area and the nodes would bury the cores, wings and zones of a 空间结构图.
OFF_BY_DEFAULT: frozenset[str] = frozenset({"route", "link", "node"})
#: The layers that make a plan's structure; a plan with none of them opens with every layer instead.
STRUCTURE_KINDS: frozenset[str] = frozenset({"core", "wing", "zone", "corridor"})


def layer_order(layers: Mapping[str, Any]) -> tuple[str, ...]:
    """Every layer the plan has, in UI order (the order a link's ``layers`` are written in).

    Examples
    --------
    >>> layer_order({"node": {}, "admin": {}, "route": {}, "core": {}})
    ('admin', 'core', 'route', 'node')
    """
    return tuple(_kind_order(layers))


def default_layers(layers: Mapping[str, Any]) -> tuple[str, ...]:
    """The layers shown when a link does not say: the structure and its base, in UI order.

    Routes, links and nodes (`OFF_BY_DEFAULT`) are off, one click away in the layer panel, unless they hold a
    drawn feature to check (an imported plan's ``confidence`` low: a planner reviews the guesses first); a plan
    whose layers hold no structure (`STRUCTURE_KINDS`, e.g. a draft of nodes only) opens with every layer.

    Examples
    --------
    >>> default_layers({"admin": {}, "core": {}, "corridor": {}, "route": {}, "link": {}, "node": {}})
    ('admin', 'core', 'corridor')
    >>> default_layers({"admin": {}, "node": {}, "link": {}})
    ('admin', 'link', 'node')
    """
    every = layer_order(layers)
    if not STRUCTURE_KINDS.intersection(every):
        return every
    to_check = {k for k, fc in layers.items() if isinstance(fc, Mapping) and any(
        f.get("geometry") and (f.get("properties") or {}).get("confidence") == "low" for f in fc.get("features") or ())}
    return tuple(k for k in every if k not in OFF_BY_DEFAULT or k in to_check)


def visible_layers(visible: Sequence[str] | None, layers: Mapping[str, Any],
                   feature_kind: str | None = None) -> tuple[str, ...]:
    """The layers drawn: those a link names, else the default ones plus the selected feature's own layer.

    Examples
    --------
    >>> visible_layers(None, {"admin": {}, "core": {}, "node": {}}, "node")
    ('admin', 'core', 'node')
    >>> visible_layers(("admin",), {"admin": {}, "core": {}, "node": {}}, "node")
    ('admin',)
    """
    if visible is not None:
        return tuple(visible)
    shown = default_layers(layers)
    if feature_kind is None or feature_kind in shown or feature_kind not in layers:
        return shown
    return tuple(k for k in layer_order(layers) if k in shown or k == feature_kind)


def with_layer(visible: Sequence[str] | None, kind: str, layers: Mapping[str, Any]) -> tuple[str, ...] | None:
    """``visible`` plus ``kind`` (so that a feature linked to is drawn), in UI order.

    None (the default layers) stays None when ``kind`` is among them; otherwise the default layers plus
    ``kind`` are named.

    Examples
    --------
    >>> with_layer(("admin",), "node", {"admin": {}, "core": {}, "node": {}})
    ('admin', 'node')
    >>> with_layer(None, "core", {"admin": {}, "core": {}, "node": {}}) is None
    True
    >>> with_layer(None, "node", {"admin": {}, "core": {}, "node": {}})
    ('admin', 'core', 'node')
    """
    if visible is None:
        visible = default_layers(layers)
        if kind in visible or kind not in layers:
            return None
    if kind in visible or kind not in layers:
        return tuple(visible)
    return tuple(k for k in _kind_order(layers) if k in visible or k == kind)


# --------------------------------------------------------------------------- bounds


def feature_bounds(data: PlanData, feature_id: str) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of one feature (None for an unknown or geometry-less one)."""
    feat = data.features.get(feature_id)
    if feat is None or not feat.get("geometry"):
        return None
    return bounds_of([{"type": "FeatureCollection", "features": [feat]}])


def jurisdiction_bounds(data: PlanData) -> list[list[float]] | None:
    """Bounds of the plan's own units (the map's home view); all layers if there are none."""
    own = [f for f in (data.layers.get("admin") or {}).get("features") or ()
           if (f.get("properties") or {}).get("group", "own") != "neighbour" and f.get("geometry")]
    if own:
        return bounds_of([{"type": "FeatureCollection", "features": own}])
    return bounds_of(data.layers.values())
