"""Every plan the server holds, from the store's index: the catalogue, full-text search, the pickers.

The bundled plans are indexed in memory by the same function the store uses at publish time
(`geo.store.index.index_plan`), and merged with the store's answers, so a page asks the store one query and
never reads a plan in full to list or search them (where plans meet: `geo.view.meets`). ``store`` may be None (no store
configured or reachable): the bundled plans still answer.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.store.index import LEVEL_RANK, LEVELS, CatalogueEntry, ClauseHit, IndexedPlan, index_plan

__all__ = [
    "CATALOGUE_PAGE",
    "PICKER_MAX",
    "CataloguePage",
    "SearchPage",
    "bundled_index",
    "catalogue_facets",
    "catalogue_filters",
    "catalogue_page",
    "choice_label",
    "entry_line",
    "entry_of",
    "entry_title",
    "hit_html",
    "page_count",
    "plan_choices",
    "search_page",
]

CATALOGUE_PAGE = 20
"""Plans (or clause hits) per page of the catalogue."""


@functools.lru_cache(maxsize=4)
def bundled_index(plans_dir: Path | None = None, layers_dir: Path | None = None,
                  stamp: Any = None) -> tuple[IndexedPlan, ...]:
    """The bundled plans indexed as the store indexes a published plan (cached; ``stamp`` renews it)."""
    from geo.view.model import available_plans, load_plan_data

    out = []
    for pid in available_plans(plans_dir):
        data = load_plan_data(pid, plans_dir, layers_dir)
        m = data.plan.meta
        j = m.jurisdiction
        out.append(index_plan(pid, m.title, data.plan.original, {"adcode": j.adcode, "name": j.name},
                              {"type": "FeatureCollection",
                               "features": [f for fc in data.layers.values() for f in fc.get("features") or ()]},
                              issuer=m.issuer or "", date=str(m.date or m.date_as_written or "") or None,
                              outline=data.plan.outline, title_en=m.title_en or ""))
    return tuple(out)


def _order(e: CatalogueEntry) -> tuple:
    """Catalogue order: level (province first), newest year, newest publication, id."""
    return (LEVEL_RANK.get(e.level, len(LEVELS)), -(e.year or 0), -e.created, e.plan)


def _matches(e: CatalogueEntry, filters: Mapping[str, Any] | None) -> bool:
    for key in ("adcode", "level", "province", "issuer", "plan_type"):
        value = (filters or {}).get(key)
        if value and getattr(e, key) != str(value):
            return False
    year = (filters or {}).get("year")
    if year and e.year != int(year):
        return False
    adcodes = (filters or {}).get("adcodes")
    return not adcodes or e.adcode in {str(a) for a in adcodes}


def page_count(total: int, size: int) -> int:
    """Pages needed for ``total`` items (at least one).

    >>> page_count(0, 20), page_count(20, 20), page_count(21, 20)
    (1, 1, 2)
    """
    return max(1, -(-int(total) // int(size)))


@dataclass(frozen=True)
class CataloguePage:
    """One page of the catalogue: how many plans match, which page, and its entries."""

    total: int
    page: int
    pages: int
    entries: tuple[CatalogueEntry, ...]


@dataclass(frozen=True)
class SearchPage:
    """One page of full-text search: how many clauses hold the words, which page, its hits with their plans."""

    total: int
    page: int
    pages: int
    hits: tuple[tuple[ClauseHit, CatalogueEntry], ...]


def _store_call(store: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    """A store query, or None when there is no store or it cannot answer (the bundled plans still do)."""
    from geo.store import StoreError

    if store is None:
        return None
    try:
        return getattr(store, method)(*args, **kwargs)
    except StoreError:
        return None


def catalogue_page(store: Any, bundled: Sequence[IndexedPlan], filters: Mapping[str, Any] | None = None,
                   query: str = "", page: int = 1, size: int = CATALOGUE_PAGE) -> CataloguePage:
    """The ``page``-th page (from 1) of every plan matching ``filters`` and ``query`` (title or clause text)."""
    query = str(query or "").strip()
    mine = [p.entry for p in bundled if _matches(p.entry, filters) and (
        not query or query in p.entry.title or any(query in c.text for c in p.clauses))]
    first = (max(1, int(page)) - 1) * size
    got = _store_call(store, "catalogue", filters, query, limit=first + size, offset=0) or (0, [])
    total = got[0] + len(mine)
    rows = sorted([*mine, *got[1]], key=_order)[first:first + size]
    pages = page_count(total, size)
    return CataloguePage(total, min(max(1, int(page)), pages), pages, tuple(rows))


def search_page(store: Any, bundled: Sequence[IndexedPlan], query: str, filters: Mapping[str, Any] | None = None,
                page: int = 1, size: int = CATALOGUE_PAGE) -> SearchPage:
    """The ``page``-th page of clauses holding ``query`` (two characters are enough), with their plans."""
    query = str(query or "").strip()
    if not query:
        return SearchPage(0, 1, 1, ())
    mine = [(ClauseHit(c.plan, c.clause, c.text, c.text.find(query)), p.entry, c.seq)
            for p in bundled if _matches(p.entry, filters) for c in p.clauses if query in c.text]
    first = (max(1, int(page)) - 1) * size
    got = _store_call(store, "search", query, filters, limit=first + size, offset=0) or (0, [])
    entries = _store_call(store, "entries", [h.plan for h in got[1]]) or {}
    theirs = [(h, entries[h.plan], i) for i, h in enumerate(got[1]) if h.plan in entries]
    rows = sorted([*mine, *theirs], key=lambda r: (_order(r[1]), r[2]))[first:first + size]
    total = got[0] + len(mine)
    pages = page_count(total, size)
    return SearchPage(total, min(max(1, int(page)), pages), pages, tuple((h, e) for h, e, _ in rows))


def catalogue_facets(store: Any, bundled: Sequence[IndexedPlan]) -> dict[str, list[tuple[Any, int]]]:
    """The values each catalogue filter offers (level, province, year, issuer, plan_type, adcode) and counts."""
    counts: dict[str, dict[Any, int]] = {}
    for key, rows in (_store_call(store, "facets") or {}).items():
        counts[key] = {v: int(n) for v, n in rows}
    for p in bundled:
        for key in ("level", "province", "year", "issuer", "plan_type", "adcode"):
            value = getattr(p.entry, key)
            if value:
                counts.setdefault(key, {})
                counts[key][value] = counts[key].get(value, 0) + 1
    out = {}
    for key, values in counts.items():
        if key == "year":
            out[key] = sorted(values.items(), key=lambda kv: -int(kv[0]))
        elif key == "level":
            out[key] = sorted(values.items(), key=lambda kv: LEVEL_RANK.get(kv[0], 9))
        else:
            out[key] = sorted(values.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return out


def entry_of(store: Any, bundled: Sequence[IndexedPlan], plan_id: str) -> CatalogueEntry | None:
    """One plan's catalogue entry (bundled or stored), or None."""
    for p in bundled:
        if p.entry.plan == plan_id:
            return p.entry
    return (_store_call(store, "entries", [plan_id]) or {}).get(plan_id)


# --------------------------------------------------------------------------- what the Catalogue page shows


def catalogue_filters(state: Any) -> dict[str, Any]:
    """The store's filters from a `geo.view.state.ViewState` (the Catalogue page's fields; empty ones left out)."""
    pairs = (("level", state.cat_level), ("province", state.cat_province), ("adcode", state.cat_place),
             ("year", state.cat_year), ("issuer", state.cat_issuer), ("plan_type", state.cat_type))
    return {key: value for key, value in pairs if value}


def entry_title(entry: CatalogueEntry, lang: str = "zh") -> str:
    """A plan's title in ``lang``: its English title where it has one, else its own words (marked as such on an
    English page)."""
    from geo.i18n import data_text

    if lang == "en":
        return entry.title_en or data_text(entry.title, lang)
    return entry.title


def entry_line(entry: CatalogueEntry, lang: str = "zh", place: str | None = None) -> str:
    """One plan as the catalogue describes it, plain text: level · jurisdiction · year · type · issuer.

    ``place`` names the jurisdiction in ``lang`` (the gazetteer's English name); default, the plan's own.
    """
    from geo.i18n import data_text, t

    parts = [t(f"level.{entry.level}", lang), place or data_text(entry.place or "", lang),
             str(entry.year) if entry.year else t("catalogue.year_unknown", lang),
             t(f"plan_type.{entry.plan_type}", lang), data_text(entry.issuer, lang) if entry.issuer else ""]
    return " · ".join(p for p in parts if p)


def hit_html(hit: ClauseHit, query: str) -> str:
    """A clause holding the words searched for: its id and a window of its text, every occurrence marked;
    safe HTML (the text is escaped, the marks added after)."""
    from geo.view.searching import ClauseHit as Snippet
    from geo.view.searching import _find_all, snippet_html

    return snippet_html(Snippet(hit.clause, hit.text, tuple(_find_all(hit.text, query))))


PICKER_MAX = 10_000
"""Plans a picker offers at most (the compare picker: every bundled and listed plan up to this many)."""


def plan_choices(store: Any, bundled: Sequence[IndexedPlan]) -> list[CatalogueEntry]:
    """Every bundled and listed plan as a picker offers them (by level, newest first), from the index only."""
    got = _store_call(store, "catalogue", None, "", limit=PICKER_MAX, offset=0) or (0, [])
    return sorted([*(p.entry for p in bundled), *got[1]], key=_order)


def choice_label(entry: CatalogueEntry, lang: str = "zh", place: str | None = None) -> str:
    """How a picker names a plan: its jurisdiction, title and year (plain text)."""
    from geo.i18n import data_text

    bits = [place or data_text(entry.place, lang), entry_title(entry, lang), str(entry.year) if entry.year else ""]
    return " · ".join(b for b in bits if b)
