"""The plan cascade (规划传导) for one unit: what each higher-level plan assigns to it, beside what its own plan says.

A county's cascade reads, from the store's index (`geo.view.meets.where_plans_meet`), every plan whose
jurisdiction contains the county at a higher level (the nation, its province, its prefecture) and names it,
and the county's own plans. For each higher plan it lists the roles the county plays there (the kinds of the
features naming it: 核心 core, 翼 wing, 节点 node, 廊道 corridor …, with the plan's own words and clauses) and
the kinds of role that none of the county's own plans gives it: where a prefecture plan makes it a 核心 member
and the county plan names no core, the cascade says so. Nothing is read beyond the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo.store.index import LEVELS, CatalogueEntry, IndexedPlan, UnitMention, level_of
from geo.view.catalogue import _store_call
from geo.view.meets import Meetings, where_plans_meet

__all__ = ["CASCADE_PAGE", "NOT_A_ROLE", "Cascade", "CascadeRow", "contains", "plan_cascade"]

NOT_A_ROLE = ("admin", "context")
"""Kinds that name a unit without giving it a role in the plan's structure (the admin base, background areas)."""

CASCADE_PAGE = 10
"""Plans per page of each side of the cascade (a county named by hundreds of higher plans stays readable)."""


def contains(outer: str, inner: str) -> bool:
    """Does the unit ``outer`` (a higher level) contain ``inner``, by their adcodes?

    >>> contains("510000", "510821"), contains("510800", "510821"), contains("510700", "510821")
    (True, True, False)
    >>> contains("100000", "510821"), contains("510821", "510821")
    (True, False)
    """
    lo, li = level_of(outer), level_of(inner)
    if not lo or not li or outer == inner or LEVELS.index(lo) >= LEVELS.index(li):
        return False
    return lo == "national" or (lo == "province" and outer[:2] == inner[:2]) or (
        lo == "prefecture" and outer[:4] == inner[:4])


@dataclass(frozen=True)
class CascadeRow:
    """One plan of the cascade.

    Attributes
    ----------
    entry : CatalogueEntry
    own : bool
        The unit's own plan (else a higher-level plan containing it).
    units : tuple of UnitMention
        The plan's features naming the unit.
    kinds : tuple of str
        The kinds of role they give it (`NOT_A_ROLE` left out), in the plan's order.
    missing : tuple of str
        For a higher plan: the kinds it gives that none of the unit's own plans does (empty for an own plan,
        or when the unit has no plan of its own here).
    """

    entry: CatalogueEntry
    own: bool
    units: tuple[UnitMention, ...]
    kinds: tuple[str, ...]
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cascade:
    """The cascade of one unit: higher plans by level (highest first) and date, then its own plans."""

    adcode: str
    level: str
    rows: tuple[CascadeRow, ...]
    own_kinds: tuple[str, ...]
    has_own: bool

    @property
    def higher(self) -> tuple[CascadeRow, ...]:
        return tuple(r for r in self.rows if not r.own)

    @property
    def own(self) -> tuple[CascadeRow, ...]:
        return tuple(r for r in self.rows if r.own)

    @property
    def differs(self) -> bool:
        """Does a higher plan give the unit a kind of role its own plans do not?"""
        return any(r.missing for r in self.rows)

    @property
    def differing(self) -> int:
        """How many higher plans give the unit a kind of role its own plans do not."""
        return sum(1 for r in self.rows if r.missing)


def _kinds(units: Sequence[UnitMention]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(u.kind for u in units if u.kind not in NOT_A_ROLE))


def plan_cascade(store: Any, adcode: str, bundled: Sequence[IndexedPlan] = (),
                 meetings: Meetings | None = None) -> Cascade:
    """The cascade for the unit ``adcode`` from the index of the store and the bundled plans. ``meetings``: where
    plans meet at that unit, every plan (`where_plans_meet` without ``here``), if the caller has it already (the
    Map page's list under the county): not asked of the store again."""
    adcode = str(adcode)
    if meetings is None or meetings.adcodes != (adcode,):
        meetings = where_plans_meet(store, [adcode], bundled=bundled)
    naming = [p for g in meetings.groups for p in g.plans]
    higher = [p for p in naming if contains(p.entry.adcode, adcode)]
    own = [p for p in naming if p.entry.adcode == adcode]
    silent = [e for e in [*(p.entry for p in bundled if p.entry.adcode == adcode),
                          *((_store_call(store, "catalogue", {"adcode": adcode}, limit=100) or (0, []))[1])]
              if e.plan not in {p.entry.plan for p in own}]  # its own plans that name no role for it
    own_kinds = tuple(dict.fromkeys(k for p in own for k in _kinds(p.units)))
    has_own = bool(own or silent)
    rows = []
    for p in higher:
        kinds = _kinds(p.units)
        missing = tuple(k for k in kinds if k not in own_kinds) if has_own else ()
        rows.append(CascadeRow(p.entry, False, p.units, kinds, missing))
    rows += [CascadeRow(p.entry, True, p.units, _kinds(p.units)) for p in own]
    rows += [CascadeRow(e, True, (), ()) for e in silent]
    return Cascade(adcode, level_of(adcode), tuple(rows), own_kinds, has_own)
