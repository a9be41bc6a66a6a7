"""Where plans meet, over all plans: every plan naming a place clicked on the map, from the store's index.

`where_plans_meet` asks the store once (`geo.store.PlanStore.plans_naming`: the units each plan names are indexed
at publish time) and the bundled plans' in-memory index, and groups the plans by level (province, prefecture,
county), each group by date; `meeting_clauses` fetches the clauses of one page of them. No plan is read in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo.store.index import LEVEL_RANK, LEVELS, CatalogueEntry, IndexedPlan, UnitMention
from geo.view.catalogue import _store_call
from geo.view.model import PlanData

__all__ = [
    "MEETINGS_PAGE",
    "MeetingClause",
    "MeetingGroup",
    "Meetings",
    "PlanAtPlace",
    "group_page",
    "kinds_label",
    "meeting_clauses",
    "place_adcodes",
    "where_plans_meet",
    "without",
]

MEETINGS_PAGE = 10
"""Plans per page of one level's group."""

def place_adcodes(data: PlanData, feature_id: str | None) -> tuple[str, ...]:
    """The place a selected feature is: the unit of a county of the admin layer (nothing for other kinds)."""
    feat = data.features.get(feature_id or "")
    p = (feat or {}).get("properties") or {}
    if p.get("kind") != "admin":
        return ()
    return tuple(str(m) for m in p.get("members") or ())


@dataclass(frozen=True)
class PlanAtPlace:
    """One plan naming a place: its catalogue entry, and the features of it that name the place.

    Attributes
    ----------
    entry : CatalogueEntry
    units : tuple of UnitMention
        The features naming the place (its county of the admin base, a core, a wing …), in the plan's order.
    """

    entry: CatalogueEntry
    units: tuple[UnitMention, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of role the place plays there, structure first (``admin``: named as a unit only)."""
        kinds = list(dict.fromkeys(u.kind for u in self.units))
        return tuple(sorted(kinds, key=lambda k: (k == "admin", k == "context", kinds.index(k))))

    @property
    def target(self) -> str:
        """The feature to select when the plan is opened here: the unit itself where the plan draws it as a
        county of its admin base, else the first feature naming it."""
        admin = [u for u in self.units if u.kind == "admin"]
        return (admin or list(self.units))[0].feature

    @property
    def name(self) -> str:
        """The place's name as that plan writes it (its admin feature's), else the first feature's."""
        admin = [u for u in self.units if u.kind == "admin"]
        return (admin or list(self.units))[0].name

    @property
    def clauses(self) -> tuple[str, ...]:
        """Every clause citing a feature that names the place, once, in the features' order."""
        return tuple(dict.fromkeys(c for u in self.units for c in u.clauses))


@dataclass(frozen=True)
class MeetingGroup:
    """The plans of one level (province, prefecture, county …) naming a place, ordered by date."""

    level: str
    plans: tuple[PlanAtPlace, ...]


@dataclass(frozen=True)
class Meetings:
    """Every plan naming a place but the one shown, grouped by level (highest first), each group by date."""

    adcodes: tuple[str, ...]
    total: int
    groups: tuple[MeetingGroup, ...]


def where_plans_meet(store: Any, adcodes: Sequence[str], here: str = "",
                     bundled: Sequence[IndexedPlan] = ()) -> Meetings:
    """Every plan (bundled or listed in the store) that names one of these units, but ``here``.

    One indexed query of the store (`PlanStore.plans_naming`) and the bundled index: no plan is read in full.
    Within a level, plans go by year (unknown years first), then by publication.
    """
    wanted = tuple(dict.fromkeys(str(a) for a in adcodes))
    found: list[PlanAtPlace] = []
    for p in bundled:
        units = tuple(u for u in p.units if u.adcode in wanted)
        if units:
            found.append(PlanAtPlace(p.entry, units))
    for entry, units in (_store_call(store, "plans_naming", wanted) or ()) if wanted else ():
        found.append(PlanAtPlace(entry, tuple(units)))
    found.sort(key=lambda p: (LEVEL_RANK.get(p.entry.level, len(LEVELS)), p.entry.year or 0, p.entry.created,
                              p.entry.plan))
    groups: dict[str, list[PlanAtPlace]] = {}
    for p in found:
        groups.setdefault(p.entry.level, []).append(p)
    meetings = Meetings(wanted, len(found), tuple(MeetingGroup(level, tuple(ps)) for level, ps in groups.items()))
    return without(meetings, here) if here else meetings


def without(meetings: Meetings, here: str) -> Meetings:
    """The same meetings without the plan ``here`` (`where_plans_meet`'s ``here``; the Map page asks the store once
    for both its list and the cascade, which keeps the plan shown)."""
    groups = tuple(MeetingGroup(g.level, ps) for g in meetings.groups
                   if (ps := tuple(p for p in g.plans if p.entry.plan != here)))
    return Meetings(meetings.adcodes, sum(len(g.plans) for g in groups), groups)


@dataclass(frozen=True)
class MeetingClause:
    """One clause of another plan about the place: its text as the reader sees it, the excerpts marked."""

    clause: str
    text: str
    spans: tuple[tuple[int, int], ...]


def meeting_clauses(store: Any, bundled: Sequence[IndexedPlan],
                    plans: Sequence[PlanAtPlace]) -> dict[str, tuple[MeetingClause, ...]]:
    """The clauses each plan of ``plans`` (one page of where plans meet) cites about the place, in document
    order, their excerpts marked: one query of the index for the whole page, none for the bundled plans."""
    own = {p.entry.plan: {c.clause: (c.seq, c.text) for c in p.clauses} for p in bundled}
    wanted = [(p.entry.plan, c) for p in plans for c in p.clauses if p.entry.plan not in own]
    texts = _store_call(store, "clause_texts", wanted) or {}
    out = {}
    for p in plans:
        pid = p.entry.plan
        by_clause: dict[str, list[str]] = {c: [] for c in p.clauses}
        for u in p.units:
            for clause, excerpt in u.excerpts:
                if excerpt:
                    by_clause.setdefault(clause, []).append(excerpt)
        found = []
        for clause, excerpts in by_clause.items():
            seq_text = own[pid].get(clause) if pid in own else texts.get((pid, clause))
            if seq_text is None:
                continue
            seq, text = seq_text
            spans = sorted({(i, i + len(x)) for x in dict.fromkeys(excerpts) if (i := text.find(x)) >= 0})
            found.append((seq, MeetingClause(clause, text, tuple(spans))))
        out[pid] = tuple(m for _, m in sorted(found, key=lambda x: x[0]))
    return out


def kinds_label(kinds: Sequence[str], lang: str = "zh") -> str:
    """The kinds of role, in ``lang``, joined: ``核心、翼`` / ``core, wing`` (``admin`` alone: named).

    >>> kinds_label(("core", "wing")), kinds_label(("admin",), "en")
    ('核心、翼', 'named')
    """
    from geo.i18n import kind_label, t

    roles = [kind_label(k, lang) for k in kinds if k not in ("admin", "context")]
    if not roles:
        return t("meets.named", lang)
    return ("、" if lang == "zh" else ", ").join(roles)


def group_page(plans: Sequence[PlanAtPlace], page: int, size: int = MEETINGS_PAGE) -> tuple[int, int, tuple]:
    """(page, pages, the plans of that page) of one level's group; ``page`` is kept within 1..pages.

    >>> group_page(tuple(range(25)), 9, 10)
    (3, 3, (20, 21, 22, 23, 24))
    """
    pages = max(1, -(-len(plans) // size))
    page = min(max(1, int(page)), pages)
    return page, pages, tuple(plans[(page - 1) * size: page * size])
