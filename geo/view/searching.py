"""Search in a plan: places and features by name, clauses by their words, each hit with the offsets to mark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from geo.i18n import kind_label
from geo.text.clauses import Outline
from geo.view.model import PlanData
from geo.view.panels import _esc, feature_name, highlight_html

__all__ = [
    "ClauseHit",
    "Hit",
    "SearchResults",
    "search",
    "snippet_html",
    "text_matches",
]

_SNIPPET = 36  # characters of context on each side of a word hit
_MAX_HITS = 50


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


def _find_all(text: str, needle: str) -> list[tuple[int, int]]:
    """Every non-overlapping occurrence of ``needle`` in ``text``."""
    if not needle:
        return []
    out, pos = [], text.find(needle)
    while pos >= 0:
        out.append((pos, pos + len(needle)))
        pos = text.find(needle, pos + len(needle))
    return out


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


def snippet_html(hit: ClauseHit) -> str:
    """A word hit: clause id and the marked snippet; safe HTML."""
    return f'<p class="ghyzt-snippet"><span class="ghyzt-cid">{_esc(hit.clause)}</span> {hit.html()}</p>'
