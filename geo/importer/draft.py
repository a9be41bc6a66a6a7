"""Any plan text -> draft map layers: clauses, jurisdiction, places, structure, features tied to clauses.

A planner pastes or uploads a plan; `draft_plan` turns it into the same GeoJSON features the curated layers
have (``geo/feature.schema.json``), each with the clause ids and verbatim excerpts that state it and an
honest precision. The draft is a starting point the planner fixes (`rename`, `rekind`, `delete`, `merge`,
`add_member`), saves (`geo.store`) and shares. Nothing here is tuned to a bundled plan: every rule below is a
pattern of Chinese plan prose or a table of general knowledge (`REGION_ANCHORS`).

Pipeline
--------
1. `geo.text.clauses.parse_outline` cleans the text and parses its clause tree; `geo.importer.outline.detect_jurisdiction`
   guesses the unit the plan governs (title, issuer, signature, else the unit holding most places named;
   `geo.importer.jurisdiction` first reads a title's cluster, an area's lead city or a headline); the planner
   may correct it (`jurisdiction_candidates`, `search_units`).
2. `geo.places.mentions.find_places` finds places in every clause (abbreviation clusters 厦漳泉 / 呼包鄂 / 宁镇扬,
   former names 襄樊 → 襄阳市) and `geo.places.mentions.find_slogans` the structure slogans (一核两翼三区,
   一群两心三圈, 中心引领、协同支撑 …).
3. Features, by rule (`geo.importer.rules.RULES`, run by `geo.importer.builder.Builder`):

   - **structure** (``slogan_parts``, a part resolved by ``PART_RULES``): each counted part of a slogan (一核, 两翼, 三区, 多点 …) becomes a feature
     of the kind its term names (`TERM_KINDS`). Its members are the places the text gives it: a definition
     (“一核”包括A、B; “两翼”以A、B为主体; 一核即A), a role word after places (A中心城市 for 主, A副中心 for 副,
     A增长极 for 极 …), named sub-parts (北翼以A为重点; 东部片区包括A、B全域及C平坝区域, where a place
     followed by 平坝区域 / 山区 / 除…以外 is a part of a unit: precision ``approximate``), or for 多点 the other
     places listed beside the main and sub centres. A part the text names but does not define is kept as
     ``named_only`` (listed, not drawn: nothing is invented). Named zones (东部片区包括A、B) too
     (``named_parts``).
   - **chains** (``chains``): places written A—B—C (or A至B至C) followed by a route word (铁路, 高速 …) are a
     ``route``, by a corridor word (廊道, 走廊, 轴, 带 …) a ``corridor``; a pair across the jurisdiction's
     border followed by 合作 / 园区 is a ``link``. Drawn through the seats in the order written (schematic).
   - **links** (``links``): a place outside the jurisdiction in a sentence about cooperation (合作, 对接,
     融入, 对口 …) is a ``link`` arc from the jurisdiction (or from the places the sentence makes the front:
     以A为前沿) to it; a named region that is no admin unit (长三角, 粤港澳大湾区 …) goes to its anchor in
     `REGION_ANCHORS`, and the note says so; a region the plan serves is a partner too (服务京津冀). A place that
     only opens a project's name (博罗罗浮未来城) is no partner.
   - **nodes** (``nodes``): a place followed by a site word (经济开发区, 机场, 物流园 …) is a ``node`` point at
     its seat.
   - **admin**: the jurisdiction's county-level units (with every clause naming each) and its neighbours, as in
     the curated layers.

Geometry comes from `geo.layers.plan_shapes` in its quick mode (the gazetteer's coverage, GEOS coverage
simplification), so a province-wide draft takes about a second and a city one a few tenths.

Modules: this one keeps `Draft` and the pipeline; `geo.importer.jurisdiction` guesses the jurisdiction,
`geo.importer.rules` holds the rules (their written forms in `geo.importer.patterns`, list reading in
`geo.importer.items`), `geo.importer.builder` runs them and draws, `geo.importer.edits` redraws and edits a
collection, `geo.importer.exports` exports it. Their public names are re-exported here.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from geo.importer.builder import Builder
from geo.importer.concepts import DraftClause
from geo.importer.edits import (
    AREA_KINDS,
    EDIT_KINDS,
    LINE_KINDS,
    add_member,
    apply_rows,
    delete,
    feature_rows,
    layers_by_kind,
    merge,
    redraw,
    rekind,
    rename,
)
from geo.importer.exports import CLAUSE_COLUMNS, draft_clauses_csv, draft_geojson, draft_gpkg
from geo.importer.jurisdiction import guess_jurisdiction, jurisdiction_candidates, search_units
from geo.importer.outline import JurisdictionGuess, clause_places
from geo.importer.patterns import REGION_ANCHORS, TERM_KINDS, named_area_word
from geo.places.gazetteer import Gazetteer, load_gazetteer
from geo.places.mentions import find_slogans
from geo.text.clauses import Outline, headline, parse_outline

__all__ = [
    "AREA_KINDS",
    "CLAUSE_COLUMNS",
    "DRAFT_PLAN",
    "EDIT_KINDS",
    "LINE_KINDS",
    "REGION_ANCHORS",
    "TERM_KINDS",
    "Draft",
    "DraftClause",
    "add_member",
    "apply_rows",
    "delete",
    "draft_clauses_csv",
    "draft_geojson",
    "draft_gpkg",
    "draft_plan",
    "feature_rows",
    "jurisdiction_candidates",
    "layers_by_kind",
    "merge",
    "named_area_word",
    "redraw",
    "rekind",
    "rename",
    "search_units",
    "text_digest",
]

DRAFT_PLAN = "draft"
"""The ``plan`` property of features not yet saved (a saved plan gets its store id)."""


# --------------------------------------------------------------------------- the draft



@dataclass(frozen=True)
class Draft:
    """A plan text turned into draft layers; see the module docstring.

    Attributes
    ----------
    text : str
        The text as given (decoded).
    outline : geo.text.clauses.Outline
        Its clause tree.
    jurisdiction : geo.importer.outline.JurisdictionGuess
        The unit the draft is drawn for (``adcode`` None: nothing to go on; no base layer, no links).
    clauses : tuple of DraftClause
    collection : dict
        One GeoJSON FeatureCollection: admin base, then the concepts.
    plan : str
        The ``plan`` property of the features.
    """

    text: str
    outline: Outline
    jurisdiction: JurisdictionGuess
    clauses: tuple[DraftClause, ...]
    collection: dict
    plan: str = DRAFT_PLAN
    timings: Mapping[str, float] = field(default_factory=dict)

    @property
    def layers(self) -> dict[str, dict]:
        """Layer name (= kind) -> FeatureCollection, in `geo.layers.KINDS` order."""
        return layers_by_kind(self.collection)

    @property
    def title(self) -> str:
        """The title the text gives itself, else its first line holding Chinese, markup removed ("" when none).

        Only a name for the draft (the Import page, My drafts, a published plan): the jurisdiction is read from
        `Outline.title` alone.
        """
        return self.outline.title or headline(self.outline.text)


def draft_plan(text: str, gazetteer: Gazetteer | None = None, *, jurisdiction: str | None = None,
               plan: str = DRAFT_PLAN, progress: Callable[[str], None] | None = None) -> Draft:
    """Turn a plan text into draft layers.

    Parameters
    ----------
    text : str
        The decoded plan text (see `geo.text.decode`).
    gazetteer : Gazetteer, optional
        Defaults to the shared one.
    jurisdiction : str, optional
        Adcode of the unit the plan governs, as the planner corrected it; None detects it.
    plan : str
        The ``plan`` property of every feature (lowercase letters).
    progress : callable, optional
        Called with ``"clauses"``, ``"places"``, then ``"structure"`` as each stage starts (a long plan takes
        seconds: the Import page says where it is).

    Returns
    -------
    Draft

    Examples
    --------
    >>> d = draft_plan("关于推进长株潭一体化的意见\\n一、总体布局\\n构建“一核两翼”格局。“一核”包括长沙市岳麓区、"
    ...                "天心区。推进长株潭城市群建设。")
    >>> d.jurisdiction.name
    '长沙市'
    >>> [(f["properties"]["kind"], f["properties"]["name"]) for f in d.collection["features"]
    ...  if f["properties"]["kind"] == "core"]
    [('core', '一核')]
    """
    import time

    gaz = gazetteer or load_gazetteer()
    report = progress or (lambda stage: None)
    started = time.perf_counter()
    report("clauses")
    outline = parse_outline(text)
    guess = guess_jurisdiction(outline, gaz, jurisdiction)
    parsed = time.perf_counter()
    report("places")
    clauses = _find(outline, gaz, guess.adcode)
    found = time.perf_counter()
    report("structure")
    builder = Builder(gaz, guess.adcode, plan, clauses, outline.title or "")
    features = builder.build()
    built = time.perf_counter()
    return Draft(text, outline, guess, clauses, {"type": "FeatureCollection", "features": features}, plan,
                 {"parse": parsed - started, "find": found - parsed, "features": built - found})


def _find(outline: Outline, gaz: Gazetteer, juris: str | None) -> tuple[DraftClause, ...]:
    """Places and slogans of every clause (a 专栏's places read cell by cell: `clause_places`)."""
    out = []
    for c in outline.clauses:
        body = outline.text[c.span[0] : c.span[1]]
        out.append(DraftClause(c.id, c.heading, body, tuple(clause_places(outline, c, gaz, juris)),
                               tuple(find_slogans(body))))
    return tuple(out)



@functools.lru_cache(maxsize=32)
def text_digest(text: str) -> str:
    """SHA-256 of a text, hex (cached: a page asks again on every rerun)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
