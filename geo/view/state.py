"""The view a shared link carries: plan, layers, selection, map view, basemap and language."""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from geo.feature import BASEMAPS, ZOOM_RANGE
from geo.i18n import DEFAULT_LANG, LANGS, t

__all__ = [
    "BASEMAPS",
    "COMPARE_MODES",
    "DEFAULT_PLAN",
    "DRAFT_ID",
    "DRAFT_PREFIX",
    "FIELDS",
    "NO_LAYERS",
    "PAGES",
    "PAGE_PATHS",
    "ZOOM_RANGE",
    "Catalog",
    "Field",
    "Notice",
    "PlanCatalog",
    "ViewState",
]

PAGES = ("map", "text", "overview", "catalogue", "import", "admin")
#: Page -> the `url_path` of its ``st.Page`` (the map is the default page, at the app's root).
PAGE_PATHS: Mapping[str, str] = {"map": "", "text": "text", "overview": "overview", "catalogue": "catalogue",
                                  "import": "import", "admin": "admin"}
#: The catalogue's filters: levels of a plan's jurisdiction and types of plan (`geo.store.index`).
CATALOGUE_LEVELS = ("national", "province", "prefecture", "county")
CATALOGUE_TYPES = ("territorial", "outline", "metro", "special", "implementation", "opinion", "other")
ISSUER_MAX = 100  # characters of an issuer kept from a link
PAGE_MAX = 10_000
#: How the Overview page compares two plans: two maps side by side, or the second plan's structure over the first's.
COMPARE_MODES = ("side", "overlay")
DEFAULT_PLAN = "mianyang"
#: The value of ``layers`` that means "no layer visible" (absent means "the plan's default layers").
NO_LAYERS = "-"
Q_MAX = 200  # characters of search text kept from a link

# Shapes of ids, from geo/feature.schema.json where it fixes them.
_PLAN_RE = re.compile(r"[a-z]+")
DRAFT_PREFIX = "draft"
#: A revision of a draft (`geo.importer.editing`): ``draft`` + its private token (28 letters) + 10 letters of its
#: content. Its link reopens it from the plan store; a link to a draft the store does not hold (deleted)
#: gets its own notice. Never 16 letters, the shape of a stored plan's id.
DRAFT_ID = re.compile(DRAFT_PREFIX + r"[a-z]{38}")
_LAYER_RE = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_FEATURE_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
# Clause ids are numbering paths such as "序", "三.(二)" or "第一章.第二节.1.(3)" (geo.text.clauses); without a
# catalog only the shape is checked: CJK ideographs, ASCII letters and digits, brackets, dots.
_CLAUSE_RE = re.compile(r"[0-9A-Za-z\u3007\u4e00-\u9fff()（）.．、_-]{1,40}")
_IGNORED_KEYS = frozenset({"embed", "embed_options"})  # Streamlit's own query params
_SHOWN_MAX = 40  # characters of an offending value quoted back in a notice


# --------------------------------------------------------------------------- catalog and notices


@dataclass(frozen=True)
class PlanCatalog:
    """What one plan offers: layer names (in canonical order), feature ids and clause ids.

    Parameters
    ----------
    layers : tuple of str
        Layer names in the order the UI lists them; a link's layers are put in this order.
    features : frozenset of str
        Feature ids of the plan's layers.
    clauses : frozenset of str
        Clause ids of the plan's text.
    """

    layers: tuple[str, ...] = ()
    features: frozenset[str] = frozenset()
    clauses: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "layers", tuple(self.layers))
        object.__setattr__(self, "features", frozenset(self.features))
        object.__setattr__(self, "clauses", frozenset(self.clauses))


@dataclass(frozen=True)
class Catalog:
    """The plans a link may name, provided by the caller (the state module reads no files).

    Parameters
    ----------
    plans : Mapping of str to PlanCatalog
        Plan id -> what that plan offers.
    default_plan : str
        The plan an unknown or absent ``plan`` falls back to; if it is not in ``plans``, the first
        plan is used.

    Examples
    --------
    >>> cat = Catalog({"mianyang": PlanCatalog(layers=("admin", "core"), features={"core-1"})})
    >>> cat.fallback_plan
    'mianyang'
    """

    plans: Mapping[str, PlanCatalog]
    default_plan: str = DEFAULT_PLAN

    @property
    def fallback_plan(self) -> str:
        """The plan used when a link names none or an unknown one."""
        if self.default_plan in self.plans or not self.plans:
            return self.default_plan
        return next(iter(self.plans))


@dataclass(frozen=True)
class Notice:
    """Why part of a link was not restored as written.

    Parameters
    ----------
    code : str
        One of ``invalid``, ``unknown_plan``, ``unsaved_draft``, ``unknown_layer``, ``unknown_feature``,
        ``unknown_clause``, ``unknown_compare``, ``out_of_range``, ``clamped``, ``repeated``, ``unknown_key``,
        ``truncated``; its message is the i18n string ``notice.<code>``.
    key : str
        The query-param key concerned.
    value : str
        The offending value, shortened to 40 characters.
    fixed : str
        The value used instead, where that is not simply the default.
    plan : str
        The plan the value was looked for in (``unknown_feature``, ``unknown_clause``), so that the notice
        can say which plan no longer has it.
    """

    code: str
    key: str
    value: str = ""
    fixed: str = ""
    plan: str = ""

    def message(self, lang: str = DEFAULT_LANG, plan_names: Mapping[str, str] | None = None) -> str:
        """Return the notice as a sentence in ``lang``.

        The text is plain and quotes what the link said: show it with ``st.text``/``st.caption``
        after escaping Markdown, or escape it before putting it into HTML.

        Parameters
        ----------
        lang : {"zh", "en"}
            Language.
        plan_names : Mapping of str to str, optional
            Plan id -> how the UI names it (jurisdiction and title); a plan not in it is named by its id.

        Returns
        -------
        str

        Examples
        --------
        >>> Notice("clamped", "z", "99", "18").message("en")
        'Link parameter z=99 is out of range; using 18.'
        >>> Notice("unknown_feature", "f", "core-old", plan="mianyang").message("en")
        'Feature “core-old” no longer exists in plan “mianyang”; nothing is selected.'
        """
        plan = (plan_names or {}).get(self.plan) or self.plan
        return t(f"notice.{self.code}", lang, key=self.key, value=self.value, fixed=self.fixed, plan=plan)


def _normalised(params: Any) -> dict[str, list[str]]:
    """Query params as {key: [values]}, skipping whatever is not a string (a link never crashes a page)."""
    try:
        items = list(params.items())
    except (AttributeError, TypeError):
        return {}
    out: dict[str, list[str]] = {}
    for key, value in items:
        if not isinstance(key, str):
            continue
        values = [value] if isinstance(value, str) else value if isinstance(value, (list, tuple)) else []
        out[key] = [v for v in values if isinstance(v, str)]
    return out


def _shown(value: str) -> str:
    """An offending value made short and printable for a notice."""
    value = "".join(c if unicodedata.category(c)[0] != "C" else "\ufffd" for c in value)
    return value if len(value) <= _SHOWN_MAX else value[: _SHOWN_MAX - 1] + "…"


class _Fallback(Exception):
    """Raised by a validator: use ``value`` and report ``code``."""

    def __init__(self, code: str, value: Any, fixed: str = "", plan: str = "") -> None:
        super().__init__(code)
        self.code, self.value, self.fixed, self.plan = code, value, fixed, plan


@dataclass
class _Context:
    """What a validator may consult: the catalog and the plan chosen so far."""

    catalog: Catalog | None
    plan: PlanCatalog | None = None
    plan_id: str = ""


# --------------------------------------------------------------------------- parsers and validators
# A parser turns one raw string into a value and raises ValueError when it cannot (-> notice
# "invalid", field default). A validator checks a parsed value against ranges and the catalog and
# returns (value, notices); it may also raise _Fallback.


def _parse_str(raw: str) -> str:
    return raw.strip()


def _parse_layers(raw: str) -> tuple[str, ...]:
    if raw.strip() in ("", NO_LAYERS):
        return ()
    names = [n.strip() for n in raw.split(",")]
    return tuple(dict.fromkeys(n for n in names if n))


def _parse_center(raw: str) -> tuple[float, float]:
    lat_s, lon_s = raw.split(",")  # ValueError unless exactly two parts
    lat, lon = float(lat_s), float(lon_s)
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError(raw)
    return round(lat, 5), round(lon, 5)


def _parse_zoom(raw: str) -> int:
    return int(raw.strip())


def _parse_q(raw: str) -> str:
    return "".join(c for c in raw if unicodedata.category(c) not in ("Cc", "Cs"))


def _choice(options: Sequence[str]) -> Callable[[Any, _Context], tuple[Any, list[Notice]]]:
    def validate(value: str, ctx: _Context) -> tuple[str, list[Notice]]:
        if value not in options:
            raise _Fallback("invalid", None)
        return value, []

    return validate


def _validate_plan(value: str, ctx: _Context) -> tuple[str, list[Notice]]:
    catalog = ctx.catalog
    if catalog is None:
        if not _PLAN_RE.fullmatch(value):
            raise _Fallback("unknown_plan", DEFAULT_PLAN)
        return value, []
    if value not in catalog.plans:
        fallback = catalog.fallback_plan
        ctx.plan, ctx.plan_id = catalog.plans.get(fallback), fallback
        raise _Fallback("unsaved_draft" if DRAFT_ID.fullmatch(value) else "unknown_plan", fallback)
    ctx.plan, ctx.plan_id = catalog.plans[value], value
    return value, []


def _validate_compare(value: str, ctx: _Context) -> tuple[str | None, list[Notice]]:
    """The second plan of a comparison: a plan the catalog knows (it never changes the plan shown)."""
    if not value:
        return None, []
    if not _PLAN_RE.fullmatch(value):
        raise _Fallback("invalid", None)
    if ctx.catalog is not None and value not in ctx.catalog.plans:
        raise _Fallback("unknown_compare", None)  # a draft of another session too: it opens nowhere else
    return value, []


def _validate_layers(value: tuple[str, ...], ctx: _Context) -> tuple[tuple[str, ...] | None, list[Notice]]:
    known = ctx.plan.layers if ctx.plan is not None else None
    kept, notices = [], []
    for name in value:
        ok = _LAYER_RE.fullmatch(name) and (known is None or name in known)
        if ok:
            kept.append(name)
        else:
            notices.append(Notice("unknown_layer", "layers", _shown(name)))
    if value and not kept:
        return None, notices  # nothing usable was asked for: the plan's default layers
    if known is not None:
        kept.sort(key=known.index)
    return tuple(kept), notices


def _member(code: str, pattern: re.Pattern[str], attr: str) -> Callable[[Any, _Context], tuple[Any, list[Notice]]]:
    def validate(value: str, ctx: _Context) -> tuple[str | None, list[Notice]]:
        if not value:
            return None, []
        if not pattern.fullmatch(value):
            raise _Fallback("invalid", None)
        if ctx.plan is not None and value not in getattr(ctx.plan, attr):
            raise _Fallback(code, None, plan=ctx.plan_id)
        if ctx.plan is None and ctx.catalog is not None:
            raise _Fallback(code, None, plan=ctx.plan_id)  # the catalog knows no plan at all
        return value, []

    return validate


def _validate_center(value: tuple[float, float], ctx: _Context) -> tuple[tuple[float, float], list[Notice]]:
    lat, lon = value
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _Fallback("out_of_range", None)
    return value, []


def _validate_zoom(value: int, ctx: _Context) -> tuple[int, list[Notice]]:
    lo, hi = ZOOM_RANGE
    if not lo <= value <= hi:
        fixed = min(max(value, lo), hi)
        raise _Fallback("clamped", fixed, str(fixed))
    return value, []


def _validate_q(value: str, ctx: _Context) -> tuple[str, list[Notice]]:
    if len(value) > Q_MAX:
        return value[:Q_MAX], [Notice("truncated", "q", _shown(value))]
    return value, []


def _parse_int(raw: str) -> int:
    return int(raw.strip())


def _adcode(level_suffix: str) -> Callable[[Any, _Context], tuple[Any, list[Notice]]]:
    """An admin unit's code: six digits (a province's end in ``0000``)."""
    pattern = re.compile(r"[1-9]\d{5}")

    def validate(value: str, ctx: _Context) -> tuple[str | None, list[Notice]]:
        if not pattern.fullmatch(value) or not value.endswith(level_suffix):
            raise _Fallback("invalid", None)
        return value, []

    return validate


def _validate_year(value: int, ctx: _Context) -> tuple[int | None, list[Notice]]:
    if not 1949 <= value <= 2100:
        raise _Fallback("invalid", None)
    return value, []


def _validate_issuer(value: str, ctx: _Context) -> tuple[str, list[Notice]]:
    if len(value) > ISSUER_MAX:
        return value[:ISSUER_MAX], [Notice("truncated", "iss", _shown(value))]
    return value, []


def _validate_page(value: int, ctx: _Context) -> tuple[int, list[Notice]]:
    if not 1 <= value <= PAGE_MAX:
        fixed = min(max(value, 1), PAGE_MAX)
        raise _Fallback("clamped", fixed, str(fixed))
    return value, []


def _write_layers(value: tuple[str, ...]) -> str:
    return ",".join(value) if value else NO_LAYERS


def _write_center(value: tuple[float, float]) -> str:
    return f"{value[0]:.5f},{value[1]:.5f}"


@dataclass(frozen=True)
class Field:
    """How one `ViewState` field travels in a URL.

    Parameters
    ----------
    name : str
        Attribute of `ViewState`.
    key : str
        Query-param key.
    default : object
        Value when the key is absent or unusable; never written to a URL.
    parser : callable
        ``str -> value``; raises ValueError on malformed input.
    validator : callable
        ``(value, context) -> (value, notices)``: ranges and catalog membership.
    writer : callable
        ``value -> str`` for the URL.
    doc : str
        One line for the README.
    multi : bool
        Repeated keys are merged (``layers``) instead of the last one winning.
    always : bool
        Written to every URL, also at its default value (``plan``: a link names its plan, so that it opens
        the same plan after the default changes or plans are added).
    """

    name: str
    key: str
    default: Any
    parser: Callable[[str], Any]
    validator: Callable[[Any, _Context], tuple[Any, list[Notice]]]
    writer: Callable[[Any], str] = str
    doc: str = ""
    multi: bool = False
    always: bool = False


#: The field table, in the order fields are read (``plan`` before what depends on it).
FIELDS: tuple[Field, ...] = (
    Field("page", "p", "map", _parse_str, _choice(PAGES),
          doc="page shown: map, text or overview (the URL path carries it too)"),
    Field("plan", "plan", DEFAULT_PLAN, _parse_str, _validate_plan, always=True,
          doc="plan id, always written; unknown or absent (an old link): the default plan"),
    Field("layers", "layers", None, _parse_layers, _validate_layers, _write_layers, multi=True,
          doc="visible layers, comma-separated; absent = the plan's default layers, '-' = none"),
    Field("feature", "f", None, _parse_str, _member("unknown_feature", _FEATURE_RE, "features"),
          doc="selected feature id"),
    Field("clause", "c", None, _parse_str, _member("unknown_clause", _CLAUSE_RE, "clauses"),
          doc="selected clause id, e.g. 三.(二)"),
    Field("center", "center", None, _parse_center, _validate_center, _write_center,
          doc="map centre as 'lat,lon' with 5 decimals"),
    Field("zoom", "z", None, _parse_zoom, _validate_zoom, doc="map zoom, 3..18"),
    Field("basemap", "base", "none", _parse_str, _choice(BASEMAPS),
          doc="basemap: none, osm or tianditu"),
    Field("lang", "lang", DEFAULT_LANG, _parse_str, _choice(LANGS), doc="UI language: zh or en"),
    Field("q", "q", "", _parse_q, _validate_q, doc="search text"),
    Field("compare", "vs", None, _parse_str, _validate_compare,
          doc="Overview page: the plan compared with `plan`; unknown: no comparison"),
    Field("compare_mode", "vsmode", "side", _parse_str, _choice(COMPARE_MODES),
          doc="how the two plans are compared: side (two maps, default) or overlay (one map)"),
    Field("cat_level", "lv", "", _parse_str, _choice(CATALOGUE_LEVELS),
          doc="Catalogue page: level of the plans' jurisdiction (national, province, prefecture, county)"),
    Field("cat_province", "prov", "", _parse_str, _adcode("0000"),
          doc="Catalogue page: the province the jurisdiction lies in (its adcode, e.g. 510000)"),
    Field("cat_place", "adm", "", _parse_str, _adcode(""),
          doc="Catalogue page: the jurisdiction itself (an adcode, e.g. 510821)"),
    Field("cat_year", "yr", None, _parse_int, _validate_year, doc="Catalogue page: the year issued"),
    Field("cat_issuer", "iss", "", _parse_q, _validate_issuer, doc="Catalogue page: the issuing body, as written"),
    Field("cat_type", "type", "", _parse_str, _choice(CATALOGUE_TYPES),
          doc="Catalogue page: type of plan (territorial, outline, metro, special, implementation, opinion, other)"),
    Field("cat_page", "pg", 1, _parse_int, _validate_page, doc="Catalogue page: the page of the list, from 1"),
)
_BY_KEY = {f.key: f for f in FIELDS}


# --------------------------------------------------------------------------- the state


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores.

    Construct it in code with valid values (invalid ones raise ValueError); build it from a URL with
    `from_query_params`, which never raises.

    Parameters
    ----------
    page : {"map", "text", "overview"}
    plan : str
        Plan id.
    layers : tuple of str or None
        Visible layers in canonical order; None means the plan's default layers, ``()`` none.
    feature : str or None
        Selected feature id.
    clause : str or None
        Selected clause id.
    center : (float, float) or None
        Map centre as (lat, lon), kept to 5 decimals (about 1 m).
    zoom : int or None
        Map zoom, 3..18.
    basemap : {"none", "osm", "tianditu"}
    lang : {"zh", "en"}
    q : str
        Search text.
    compare : str or None
        The plan the Overview page compares with ``plan``.
    compare_mode : {"side", "overlay"}
        Two maps side by side, or ``compare``'s structure drawn over ``plan``'s.
    cat_level, cat_province, cat_place, cat_year, cat_issuer, cat_type : str or int
        The Catalogue page's filters ("" or None: any); its full-text search is ``q``.
    cat_page : int
        The Catalogue page's page, from 1.

    Examples
    --------
    >>> s = ViewState(plan="mianyang", layers=("core", "corridor"), clause="三.(二)", zoom=9)
    >>> s.to_query_params()
    {'plan': 'mianyang', 'layers': 'core,corridor', 'c': '三.(二)', 'z': '9'}
    >>> ViewState.from_query_params(s.to_query_params())[0] == s
    True
    """

    page: str = "map"
    plan: str = DEFAULT_PLAN
    layers: tuple[str, ...] | None = None
    feature: str | None = None
    clause: str | None = None
    center: tuple[float, float] | None = None
    zoom: int | None = None
    basemap: str = "none"
    lang: str = DEFAULT_LANG
    q: str = ""
    compare: str | None = None
    compare_mode: str = "side"
    cat_level: str = ""
    cat_province: str = ""
    cat_place: str = ""
    cat_year: int | None = None
    cat_issuer: str = ""
    cat_type: str = ""
    cat_page: int = 1

    def __post_init__(self) -> None:
        if self.layers is not None:
            object.__setattr__(self, "layers", tuple(self.layers))
        if self.center is not None:
            lat, lon = (round(float(v), 5) for v in self.center)
            object.__setattr__(self, "center", (lat, lon))
        problems = []
        if self.page not in PAGES:
            problems.append(f"page={self.page!r}")
        if self.basemap not in BASEMAPS:
            problems.append(f"basemap={self.basemap!r}")
        if self.lang not in LANGS:
            problems.append(f"lang={self.lang!r}")
        if not (isinstance(self.plan, str) and _PLAN_RE.fullmatch(self.plan)):
            problems.append(f"plan={self.plan!r}")
        if self.layers is not None and not all(isinstance(n, str) and _LAYER_RE.fullmatch(n) for n in self.layers):
            problems.append(f"layers={self.layers!r}")
        if self.feature is not None and not _FEATURE_RE.fullmatch(self.feature):
            problems.append(f"feature={self.feature!r}")
        if self.clause is not None and not _CLAUSE_RE.fullmatch(self.clause):
            problems.append(f"clause={self.clause!r}")
        if self.center is not None:
            lat, lon = self.center
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                problems.append(f"center={self.center!r}")
        if self.zoom is not None and (
            isinstance(self.zoom, bool) or not isinstance(self.zoom, int)
            or not ZOOM_RANGE[0] <= self.zoom <= ZOOM_RANGE[1]
        ):
            problems.append(f"zoom={self.zoom!r}")
        if self.compare is not None and not (isinstance(self.compare, str) and _PLAN_RE.fullmatch(self.compare)):
            problems.append(f"compare={self.compare!r}")
        if self.compare_mode not in COMPARE_MODES:
            problems.append(f"compare_mode={self.compare_mode!r}")
        if len(self.q) > Q_MAX or _parse_q(self.q) != self.q:
            problems.append("q (too long or has control characters)")
        if self.cat_level not in ("", *CATALOGUE_LEVELS) or self.cat_type not in ("", *CATALOGUE_TYPES):
            problems.append(f"cat_level={self.cat_level!r}, cat_type={self.cat_type!r}")
        for name in ("cat_province", "cat_place"):
            value = getattr(self, name)
            if value and not re.fullmatch(r"[1-9]\d{5}", value):
                problems.append(f"{name}={value!r}")
        if self.cat_year is not None and (isinstance(self.cat_year, bool) or not isinstance(self.cat_year, int)
                                          or not 1949 <= self.cat_year <= 2100):
            problems.append(f"cat_year={self.cat_year!r}")
        if isinstance(self.cat_page, bool) or not isinstance(self.cat_page, int) or not 1 <= self.cat_page <= PAGE_MAX:
            problems.append(f"cat_page={self.cat_page!r}")
        if len(self.cat_issuer) > ISSUER_MAX or _parse_q(self.cat_issuer) != self.cat_issuer:
            problems.append("cat_issuer (too long or has control characters)")
        if problems:
            raise ValueError("invalid ViewState: " + ", ".join(problems))

    # ---- reading

    @classmethod
    def from_query_params(
        cls, params: Mapping[str, Sequence[str] | str], catalog: Catalog | None = None
    ) -> tuple[ViewState, list[Notice]]:
        """Build the state a link asks for, falling back field by field where it cannot.

        Never raises. Each value that cannot be used as written falls back to the nearest valid
        one (unknown plan -> default plan, unknown feature or clause -> None, unknown layers
        dropped, malformed numbers -> None, zoom clamped to 3..18) and adds a `Notice`.

        Parameters
        ----------
        params : Mapping of str to list of str or str
            Query params, e.g. ``{k: st.query_params.get_all(k) for k in st.query_params}``.
            A repeated key keeps its last value (``layers`` merges all of them).
        catalog : Catalog, optional
            Known plans, layers, features and clauses. Without it only the shape of ids is checked.

        Returns
        -------
        state : ViewState
        notices : list of Notice
            One per fallback, in field order.

        Examples
        --------
        >>> s, notices = ViewState.from_query_params({"z": "99", "lang": "fr"})
        >>> s.zoom, s.lang
        (18, 'zh')
        >>> [n.code for n in notices]
        ['clamped', 'invalid']
        """
        ctx = _Context(catalog)
        if catalog is not None:
            ctx.plan, ctx.plan_id = catalog.plans.get(catalog.fallback_plan), catalog.fallback_plan
        values: dict[str, Any] = {}
        notices: list[Notice] = []
        raw_params = _normalised(params)
        for key in raw_params:
            if key not in _BY_KEY and key.lower() not in _IGNORED_KEYS:
                notices.append(Notice("unknown_key", _shown(key)))
        for fld in FIELDS:
            raws = raw_params.get(fld.key, [])
            if fld.name == "plan" and not raws and catalog is not None:
                values["plan"] = catalog.fallback_plan
                ctx.plan, ctx.plan_id = catalog.plans.get(catalog.fallback_plan), catalog.fallback_plan
                continue
            if not raws:
                continue
            if fld.multi:
                named = [r for r in raws if r.strip() not in ("", NO_LAYERS)]
                raw = ",".join(named) if named else raws[-1]
            else:
                raw = raws[-1]
                if len(set(raws)) > 1:
                    notices.append(Notice("repeated", fld.key, _shown(raw)))
                if raw == "":
                    continue  # Streamlit writes a cleared param as an empty value
            try:
                value = fld.parser(raw)
            except (ValueError, TypeError):
                notices.append(Notice("invalid", fld.key, _shown(raw)))
                continue
            try:
                value, more = fld.validator(value, ctx)
            except _Fallback as fb:
                notices.append(Notice(fb.code, fld.key, _shown(raw), fb.fixed, fb.plan))
                if fb.value is not None:
                    values[fld.name] = fb.value
                continue
            notices.extend(more)
            if value is not None:
                values[fld.name] = value
        try:
            return cls(**values), notices
        except ValueError:  # cannot happen if the validators are right; never let a link crash a page
            return cls(), [*notices, Notice("invalid", "*", "")]

    @classmethod
    def from_url(cls, url: str, catalog: Catalog | None = None) -> tuple[ViewState, list[Notice]]:
        """Build the state of a full link (page from its path, the rest from its query).

        Parameters
        ----------
        url : str
            A link as made by `url`.
        catalog : Catalog, optional
            As for `from_query_params`.

        Returns
        -------
        state : ViewState
        notices : list of Notice

        Examples
        --------
        >>> ViewState.from_url("http://localhost:8501/text?c=%E4%B8%89")[0].clause
        '三'
        """
        parts = urlsplit(url)
        params: dict[str, Sequence[str] | str] = dict(parse_qs(parts.query, keep_blank_values=True))
        last = parts.path.rstrip("/").rsplit("/", 1)[-1]
        by_path = {path: page for page, path in PAGE_PATHS.items() if path}
        params.pop("p", None)
        if last in by_path:
            params["p"] = by_path[last]
        return cls.from_query_params(params, catalog)

    # ---- writing

    def to_query_params(self, *, include_page: bool = True) -> dict[str, str]:
        """Return the query params of this state: ``plan`` and the non-default values, under short keys.

        Parameters
        ----------
        include_page : bool
            Write ``p`` (when not "map"). Leave it out when the URL path names the page, as with
            `url` and ``st.page_link(page, query_params=...)``.

        Returns
        -------
        dict of str to str
            Ready for ``st.query_params.from_dict``.

        Examples
        --------
        >>> ViewState(page="text", center=(31.467, 104.679), layers=()).to_query_params()
        {'p': 'text', 'plan': 'mianyang', 'layers': '-', 'center': '31.46700,104.67900'}
        """
        out: dict[str, str] = {}
        for fld in FIELDS:
            value = getattr(self, fld.name)
            if (value == fld.default and not fld.always) or (fld.name == "page" and not include_page):
                continue
            out[fld.key] = fld.writer(value)
        return out

    def with_(self, **changes: Any) -> ViewState:
        """Return a copy with some fields changed (validated like the constructor).

        Examples
        --------
        >>> ViewState().with_(lang="en", zoom=8).to_query_params()
        {'plan': 'mianyang', 'z': '8', 'lang': 'en'}
        """
        return dataclasses.replace(self, **changes)

    def url(self, base: str) -> str:
        """Return a shareable link to this state.

        Parameters
        ----------
        base : str
            The app's root URL, e.g. ``"http://10.1.2.3:8501"`` or ``"https://host/guihua/"``.

        Returns
        -------
        str
            ``base`` + the page's path (`PAGE_PATHS`) + the query, percent-encoded as UTF-8.

        Examples
        --------
        >>> ViewState(page="text", clause="三.(二)").url("http://localhost:8501")
        'http://localhost:8501/text?plan=mianyang&c=%E4%B8%89.%28%E4%BA%8C%29'
        """
        query = urlencode(self.to_query_params(include_page=False), quote_via=quote, safe=",")
        return base.rstrip("/") + "/" + PAGE_PATHS[self.page] + ("?" + query if query else "")


def _field_defaults_match() -> None:
    """Fail at import if the field table and the dataclass disagree."""
    attrs = {f.name: f for f in dataclasses.fields(ViewState)}
    if set(attrs) != {f.name for f in FIELDS}:
        raise RuntimeError("state: FIELDS and ViewState have different fields")
    for fld in FIELDS:
        if attrs[fld.name].default != fld.default:
            raise RuntimeError(f"state: default of {fld.name} differs between FIELDS and ViewState")


_field_defaults_match()
