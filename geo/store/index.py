"""What the store indexes about each published plan, so that no page reads every plan to answer a question.

At publish time (`geo.store.sql.SQLPlanStore.save`, in the same transaction) a plan is indexed three ways:

- its **catalogue entry** (`CatalogueEntry`): title, the unit it governs with that unit's level and province,
  year, issuer and type of plan, read from the text where the planner gave nothing;
- the **units it names** (`UnitMention`): for every admin unit that is a member of a feature citing a clause,
  the feature, its kind (核心 core, 翼 wing, 节点 node, 廊道 corridor member …), its role as the plan writes it,
  and the clause ids and verbatim excerpts behind it;
- its **clauses** (`ClauseRow`): id and own text, for full-text search.

`index_plan` computes all three from what the store keeps (text, jurisdiction, layers); the bundled plans are
indexed by the same function in memory (`geo.view.catalogue`). Nothing here touches a database.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "LEVELS",
    "LEVEL_RANK",
    "PLAN_TYPES",
    "CatalogueEntry",
    "ClauseHit",
    "ClauseRow",
    "IndexedPlan",
    "UnitMention",
    "bigrams",
    "index_plan",
    "level_of",
    "plan_type_of",
    "plan_year_of",
    "province_of",
    "text_sha",
]

LEVELS = ("national", "province", "prefecture", "county")
"""Levels of a plan's jurisdiction, highest first (what the catalogue filters and where-plans-meet groups by)."""

LEVEL_RANK = {level: i for i, level in enumerate(LEVELS)}
"""A level's place in `LEVELS` (0 the highest): the order plans are listed in by level."""

PLAN_TYPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("territorial", ("国土空间",)),
    ("outline", ("纲要", "五年规划", "五年发展规划", "十一五", "十二五", "十三五", "十四五", "十五五")),
    ("metro", ("都市圈", "城市群", "经济圈", "同城化", "一体化", "经济区", "经济带", "示范区", "新区")),
    ("special", ("专项规划", "发展规划", "规划")),
    ("implementation", ("实施方案", "工作方案", "行动方案", "行动计划", "方案", "计划")),
    ("opinion", ("意见", "通知", "决定", "办法")),
)
"""Types of plan, by the words of its title, first match wins: 国土空间规划, 五年规划纲要, a metropolitan or
regional plan, another special plan, an implementation scheme, an opinion or notice; else ``other``."""


@dataclass(frozen=True)
class CatalogueEntry:
    """A plan as the catalogue lists it.

    Attributes
    ----------
    plan : str
        The plan id (a stored plan's 16 letters, or a bundled plan's word).
    title : str
    adcode, place : str
        The unit it governs ("" when unknown) and that unit's name.
    level : str
        One of `LEVELS`, or "" when unknown.
    province : str
        Adcode of the province the unit lies in ("" when unknown).
    year : int or None
        The year the plan was issued (its document number or date), else the first year its title names.
    issuer : str
        The issuing body the text names ("" when it names none).
    plan_type : str
        A key of `PLAN_TYPES` or ``other``.
    created : float
        Unix time of publication (0 for a bundled plan).
    """

    plan: str
    title: str
    adcode: str
    place: str
    level: str
    province: str
    year: int | None
    issuer: str
    plan_type: str
    created: float = 0.0
    title_en: str = ""
    """An English title where the plan has one (the bundled plans); "" for a published plan."""


@dataclass(frozen=True)
class UnitMention:
    """One feature of one plan that names an admin unit: the unit's place in that plan.

    Attributes
    ----------
    plan : str
    adcode : str
        The unit named.
    feature : str
        The feature's id in that plan (what the Map page selects).
    kind : str
        The feature's kind (``core``, ``wing``, ``node``, ``corridor``, ``admin`` …): the unit's role in kind.
    name : str
        The feature's name (核心区, 沿江发展带, or the county's own name for ``admin``).
    role : str
        The role the plan writes for the feature ("" when none).
    clauses : tuple of str
        Clause ids citing the feature, in the feature's order.
    excerpts : tuple of (str, str)
        (clause id, verbatim excerpt) pairs.
    """

    plan: str
    adcode: str
    feature: str
    kind: str
    name: str
    role: str
    clauses: tuple[str, ...] = ()
    excerpts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ClauseRow:
    """A clause as the full-text search reads it: its position, id and the words a reader sees."""

    plan: str
    seq: int
    clause: str
    text: str


@dataclass(frozen=True)
class ClauseHit:
    """A clause that holds the words searched for."""

    plan: str
    clause: str
    text: str
    start: int
    """Offset of the first occurrence in ``text``."""


@dataclass(frozen=True)
class IndexedPlan:
    """Everything the store indexes about one plan."""

    entry: CatalogueEntry
    units: tuple[UnitMention, ...] = field(default=())
    clauses: tuple[ClauseRow, ...] = field(default=())


def level_of(adcode: str, stated: str | None = None) -> str:
    """A unit's level: the one stated (``province``, ``prefecture``, ``county``) or, else, read off its adcode.

    Examples
    --------
    >>> level_of("520000"), level_of("510700"), level_of("510821"), level_of("100000"), level_of("")
    ('province', 'prefecture', 'county', 'national', '')
    """
    if stated in LEVELS:
        return str(stated)
    if not re.fullmatch(r"\d{6}", adcode or ""):
        return ""
    if adcode == "100000":
        return "national"
    if adcode.endswith("0000"):
        return "province"
    if adcode.endswith("00"):
        return "prefecture"
    return "county"


def province_of(adcode: str) -> str:
    """The adcode of the province a unit lies in ("" for none).

    >>> province_of("510821"), province_of("100000"), province_of("x")
    ('510000', '', '')
    """
    if not re.fullmatch(r"\d{6}", adcode or "") or adcode == "100000":
        return ""
    return adcode[:2] + "0000"


_YEAR_MARKED = re.compile(r"[〔\[［(（【]((?:19|20)\d\d)[〕\]］)）】]\s*\d+\s*号")
_YEAR_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_YEAR_ANY = re.compile(r"((?:19|20)\d\d)\s*(?:年|[—\-–~－至]\s*(?:19|20)\d\d)")


def plan_year_of(title: str, text: str, date: str | None = None) -> int | None:
    """The year a plan was issued: a stated date, its document number (〔2017〕24号), a dated line
    (2017年12月30日) at the head or the foot of the text, else the first year its title names (2021—2035年).

    Examples
    --------
    >>> plan_year_of("", "旺府办发〔2017〕24号\\n一、总则")
    2017
    >>> plan_year_of("南京市国土空间总体规划（2021—2035年）", "")
    2021
    >>> plan_year_of("关于区域发展的意见", "一、总则") is None
    True
    """
    if date and re.match(r"(?:19|20)\d\d", str(date)):
        return int(str(date)[:4])
    ends = (text or "")[:800] + "\n" + (text or "")[-400:]
    for pattern in (_YEAR_MARKED, _YEAR_DATE):
        m = pattern.search(ends)
        if m:
            return int(m.group(1))
    m = _YEAR_ANY.search(title or "")
    return int(m.group(1)) if m else None


def plan_type_of(title: str) -> str:
    """The type of plan its title says (a key of `PLAN_TYPES`, or ``other``).

    >>> plan_type_of("南京市国土空间总体规划"), plan_type_of("湖北省十四五规划纲要"), plan_type_of("关于…的指导意见")
    ('territorial', 'outline', 'opinion')
    """
    for key, words in PLAN_TYPES:
        if any(w in (title or "") for w in words):
            return key
    return "other"


_ISSUER_LINE = re.compile(r"^\S{2,40}(?:人民政府|人民政府办公室|人民政府办公厅|委员会|办公室|办公厅|省委|市委|县委|区委|局|厅)$")


def issuer_of(outline: Any) -> str:
    """The issuing body: what the title line names, else a signature or heading line of the front matter."""
    if getattr(outline, "issuer", ""):
        return str(outline.issuer)
    for line in getattr(outline, "front_matter", ()) or ():
        line = str(line).strip()
        if _ISSUER_LINE.match(line):
            return line
    return ""


def index_plan(plan_id: str, title: str, text: str, jurisdiction: Mapping[str, Any], layers: Mapping[str, Any], *,
               created: float = 0.0, issuer: str | None = None, date: str | None = None,
               outline: Any = None, title_en: str = "") -> IndexedPlan:
    """Index one plan: its catalogue entry, the units it names, its clauses.

    Parameters
    ----------
    plan_id, title, text : str
    jurisdiction : Mapping
        ``{"adcode", "name", "level", …}`` as the store keeps it.
    layers : Mapping
        One GeoJSON FeatureCollection (all kinds), or kind -> FeatureCollection.
    created : float
    issuer, date, title_en : str, optional
        What the plan's metadata states (bundled plans); issuer and date are read from the text when not given.
    outline : geo.text.clauses.Outline, optional
        The text's clause tree, if already parsed.
    """
    if outline is None:
        from geo.text.clauses import parse_outline

        outline = parse_outline(text)
    j = jurisdiction or {}
    adcode = str(j.get("adcode") or "")
    titles = f"{title or ''}\n{outline.title or ''}"  # the planner's title, then the one the text gives itself
    entry = CatalogueEntry(
        plan=plan_id, title=str(title or outline.title or plan_id)[:300], adcode=adcode, place=str(j.get("name") or ""),
        level=level_of(adcode, j.get("level")), province=province_of(adcode),
        year=plan_year_of(titles, text, date),
        issuer=str(issuer if issuer is not None else issuer_of(outline))[:200],
        plan_type=plan_type_of(titles), created=float(created or 0.0), title_en=str(title_en or ""))
    units = []
    for feat in _features(layers):
        p = feat.get("properties") or {}
        clauses = tuple(str(c) for c in p.get("clauses") or ())
        if not clauses:
            continue  # a neighbour drawn as background names nothing
        fid = str(feat.get("id") or p.get("id") or "")
        excerpts = tuple((str(e.get("clause", "")), str(e.get("text", ""))) for e in p.get("excerpts") or ()
                         if isinstance(e, Mapping))
        for member in dict.fromkeys(str(m) for m in p.get("members") or ()):
            units.append(UnitMention(plan_id, member, fid, str(p.get("kind") or ""), str(p.get("name") or ""),
                                     str(p.get("role") or ""), clauses, excerpts))
    rows = tuple(ClauseRow(plan_id, i, c.id, outline.text[c.span[0]:c.span[1]])
                 for i, c in enumerate(outline.clauses))
    return IndexedPlan(entry, tuple(units), rows)


def bigrams(text: str) -> set[str]:
    """The distinct pairs of adjacent characters of ``text`` that hold no white space: what the store's bigram
    index keeps of each clause, and the keys a search of two characters or more looks up.

    Examples
    --------
    >>> sorted(bigrams("武汉市 武汉"))
    ['武汉', '汉市']
    >>> bigrams("x"), bigrams("")
    (set(), set())
    """
    text = str(text or "")
    return {text[i:i + 2] for i in range(len(text) - 1) if not (text[i].isspace() or text[i + 1].isspace())}


def text_sha(text: str) -> str:
    """The SHA-256 of a plan's text (hex): how a text published already is recognised without drafting it."""
    return hashlib.sha256(str(text).encode("utf-8")).hexdigest()


def _features(layers: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The features of one FeatureCollection, or of every collection of a kind -> collection mapping."""
    if "features" in layers:
        return [f for f in layers.get("features") or () if isinstance(f, Mapping)]
    return [f for fc in layers.values() if isinstance(fc, Mapping) for f in fc.get("features") or ()
            if isinstance(f, Mapping)]
