"""Saved plans and durable drafts: the `PlanStore` interface, its SQLite and PostgreSQL implementations.

An imported plan (its text, the jurisdiction the planner confirmed, and the layers as edited) is saved under
an id derived from its content, so saving the same plan twice gives the same id and a link ``/?plan=<id>``
opens it for anyone using the same server. Ids are lowercase letters only (what `geo.view.state.ViewState` and
the feature schema accept for a plan), 16 of them: 75 bits of the SHA-256 of the content.

A draft being edited is kept in the same store as it is edited (autosave), under a private token of 28
lowercase letters from `secrets` (131 bits, `new_draft_token`): its text, and its revisions (the undo
history, each with its jurisdiction and layers), the latest `MAX_DRAFT_REVISIONS`. Drafts are never listed:
only a caller who knows a token (`list_drafts`) reaches one.

The store is one interface (`PlanStore`) with two implementations, chosen by `default_store`:
``$GEO_STORE_URL=postgresql://…`` selects `PostgresPlanStore` (psycopg 3, a connection pool), for more than
one server; unset, `SQLitePlanStore` at ``$GEO_STORE_PATH`` or ``data/store/plans.sqlite3``. Both create
their schema on first start and bring it up to date with the same ordered migrations (`MIGRATIONS`,
recorded in a ``schema_version`` table), and both run each write in one transaction: a save is stored
whole or not at all. Whatever goes wrong below (no server, a read-only or full store) is a `StoreError`
with a one-line message for the planner.

Every publish also indexes the plan in the same transaction (`geo.store.index`: its catalogue entry, the admin
units it names with the features, kinds, roles and clauses behind each, its clauses for full-text search), so
the catalogue, search and "where plans meet" ask the store one query instead of reading every plan.

The package, by concern: `geo.store.records` (what is kept: `StoredPlan`, `StoredDraft`, … and the ids),
`geo.store.index` (what is indexed about each plan),
`geo.store.errors` (`StoreError` and its kinds), `geo.store.sql` (the shared SQL and `MIGRATIONS`),
`geo.store.sqlite` and `geo.store.postgres` (the two implementations); here the `PlanStore` interface,
`default_store` and the purge of expired drafts. Every name is re-exported here: import from `geo.store`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from geo.store.errors import PlanWithdrawn, QuotaExceeded, StoreError
from geo.store.index import (
    LEVELS,
    PLAN_TYPES,
    CatalogueEntry,
    ClauseHit,
    IndexedPlan,
    UnitMention,
    index_plan,
)
from geo.store.postgres import PostgresPlanStore
from geo.store.records import (
    DRAFT_TOKEN,
    MAX_DRAFT_REVISIONS,
    MAX_STORED_BYTES,
    STORED_ID,
    DraftRevision,
    PlanRecord,
    StoredDraft,
    StoredPlan,
    Tombstone,
    Usage,
    new_draft_token,
    plan_id_for,
)
from geo.store.sql import MIGRATIONS, SCHEMA_VERSION
from geo.store.sqlite import SQLitePlanStore

__all__ = [
    "DEFAULT_STORE_PATH",
    "DRAFT_TOKEN",
    "LEVELS",
    "MAX_DRAFT_REVISIONS",
    "MAX_STORED_BYTES",
    "MIGRATIONS",
    "PLAN_TYPES",
    "SCHEMA_VERSION",
    "STORED_ID",
    "CatalogueEntry",
    "ClauseHit",
    "DraftRevision",
    "IndexedPlan",
    "PlanRecord",
    "PlanStore",
    "PlanWithdrawn",
    "PostgresPlanStore",
    "QuotaExceeded",
    "SQLitePlanStore",
    "StoreError",
    "StoredDraft",
    "StoredPlan",
    "Tombstone",
    "UnitMention",
    "Usage",
    "default_store",
    "index_plan",
    "new_draft_token",
    "plan_id_for",
    "purge_expired_drafts",
]

DEFAULT_STORE_PATH = Path(__file__).resolve().parents[2] / "data" / "store" / "plans.sqlite3"


@runtime_checkable
class PlanStore(Protocol):
    """Where imported plans and drafts are kept. Implementations must be safe to share between threads.

    Every method raises `StoreError` (one line, for the planner) when the store cannot be reached, is
    read-only or full; a write that fails leaves nothing half-written.
    """

    def save(self, title: str, text: str, jurisdiction: Mapping[str, Any], layers: Mapping[str, Any], *,
             owner: str = "", listed: bool = False, quota: int = 0) -> str:
        """Store a plan (idempotent: the same content gives the same id and is stored once); return its id.

        ``owner`` published it; ``listed`` offers it in the pickers (publishing the same content listed makes
        it listed); ``quota`` (0: none) caps the owner's publishes in 24 hours (`QuotaExceeded`). Content that
        an administrator withdrew raises `PlanWithdrawn`."""
        ...

    def get(self, plan_id: str) -> StoredPlan | None:
        """The plan with this id, or None (also for a malformed id, and for a withdrawn plan)."""
        ...

    def list(self, limit: int = 50) -> list[tuple[str, str, float]]:
        """(id, title, created) of the latest **listed** plans, newest first (unlisted and withdrawn ones are
        never listed)."""
        ...

    def withdraw(self, plan_id: str, by: str) -> bool:
        """Withdraw a published plan: its content is deleted, a tombstone (who, when) stays; True if done."""
        ...

    def tombstone(self, plan_id: str) -> Tombstone | None:
        """Who withdrew this plan and when (None: not a withdrawn plan)."""
        ...

    def records(self, limit: int = 500) -> list[PlanRecord]:
        """Every published plan (listed, unlisted, withdrawn), newest first, without content: the Admin page."""
        ...

    def usage(self) -> list[Usage]:
        """Plans, publishes in 24 hours and drafts per owner, the busiest first."""
        ...

    def count_drafts(self, owner: str) -> int:
        """How many drafts ``owner`` keeps."""
        ...

    def purge_drafts(self, older_than: float) -> int:
        """Delete the drafts last saved or opened before Unix time ``older_than``; return how many."""
        ...

    def touch_draft(self, token: str) -> None:
        """Mark a draft as used now (opening it keeps it from expiring)."""
        ...

    def delete(self, plan_id: str) -> bool:
        """Remove a plan; True if there was one."""
        ...

    def save_draft(self, token: str, title: str, source: str, text: str, head: str,
                   revisions: Sequence[DraftRevision] = (), *, owner: str = "", quota: int = 0) -> None:
        """Autosave a draft in one transaction: create it or move its head, add (or update) ``revisions``,
        and drop revisions beyond the latest `MAX_DRAFT_REVISIONS`. The text of an existing draft stays.

        A new draft is counted against ``owner``: with ``quota`` (0: none) drafts kept already, it is
        refused (`QuotaExceeded`, nothing written); an existing draft always saves."""
        ...

    def get_draft(self, token: str) -> StoredDraft | None:
        """The draft with this token and its revisions, or None (also for a malformed token)."""
        ...

    def list_drafts(self, tokens: Sequence[str]) -> list[tuple[str, str, str, float]]:
        """(token, title, head, updated) of the drafts among ``tokens`` that exist, latest first (never all)."""
        ...

    def delete_draft(self, token: str) -> bool:
        """Remove a draft and its revisions; True if there was one."""
        ...

    def exists(self, plan_id: str) -> bool:
        """Is a plan with this id stored (withdrawn ones included)?"""
        ...

    # ---- the index (`geo.store.index`), written with each publish

    def catalogue(self, filters: Mapping[str, Any] | None = None, query: str = "", *, limit: int = 50,
                  offset: int = 0) -> tuple[int, list[CatalogueEntry]]:
        """Listed plans by ``filters`` (adcode, adcodes, level, province, year, issuer, plan_type) and ``query``
        (in the title or a clause): (how many, this page), by level then newest year first."""
        ...

    def search(self, query: str, filters: Mapping[str, Any] | None = None, *, limit: int = 50,
               offset: int = 0) -> tuple[int, list[ClauseHit]]:
        """Clauses of listed plans holding ``query`` (two characters are enough): (how many, this page)."""
        ...

    def facets(self) -> dict[str, list[tuple[Any, int]]]:
        """The values of each catalogue filter with their counts of listed plans."""
        ...

    def clause_texts(self, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
        """(position, text) of these (plan, clause) pairs from the index."""
        ...

    def footprints(self) -> list[tuple[str, str, str, str, int, int | None, int | None]]:
        """Listed plans counted by the unit they govern: (level, adcode, place, province, plans, years)."""
        ...

    def entries(self, plan_ids: Sequence[str]) -> dict[str, CatalogueEntry]:
        """Catalogue entries of these plans, by id."""
        ...

    def plans_naming(self, adcodes: Sequence[str]) -> list[tuple[CatalogueEntry, tuple[UnitMention, ...]]]:
        """Every listed plan naming one of these units, with the features that name it, by level then date."""
        ...

    def published_text(self, text: str) -> str | None:
        """The id of a stored plan with exactly this text, if any."""
        ...

    def reindex(self) -> int:
        """Build the index again for every stored plan; return how many."""
        ...

    def close(self) -> None:
        """Release connections (the store is not used afterwards)."""
        ...


def default_store() -> PlanStore:
    """The store of this process: PostgreSQL at ``$GEO_STORE_URL`` if set, else SQLite at ``$GEO_STORE_PATH``
    (default ``data/store/plans.sqlite3``); one per address per process.

    Raises
    ------
    StoreError
        The store cannot be opened (it is tried again on the next call).
    """
    url = os.environ.get("GEO_STORE_URL")
    if url:
        if not url.startswith(("postgresql://", "postgres://")):
            raise StoreError("GEO_STORE_URL 须以 postgresql:// 开头 / GEO_STORE_URL must start with postgresql://")
        store = _store_at(url, PostgresPlanStore)
    else:
        store = _store_at(os.environ.get("GEO_STORE_PATH") or str(DEFAULT_STORE_PATH), SQLitePlanStore)
    purge_expired_drafts(store)
    return store


_STORES: dict[str, PlanStore] = {}
_STORES_LOCK = threading.Lock()
PURGE_EVERY = 3600.0
"""Seconds between two purges of expired drafts by one process (the first when it opens the store)."""
_PURGED: dict[int, float] = {}


def _store_at(address: str, kind: type) -> PlanStore:
    with _STORES_LOCK:
        if address not in _STORES:
            _STORES[address] = kind(address)
        return _STORES[address]


def purge_expired_drafts(store: PlanStore, now: float | None = None, force: bool = False) -> int:
    """Delete the drafts not saved or opened for ``GEO_DRAFT_TTL_DAYS`` days (default 30; 0 keeps them).

    Runs when a process first opens the store and then at most once per `PURGE_EVERY` seconds (one indexed
    DELETE), unless ``force``. A store that cannot be written (read-only, unreachable) is left as it is.
    Returns how many drafts were deleted.
    """
    from geo.access import AccessError, Limits

    now = time.time() if now is None else now
    with _STORES_LOCK:
        if not force and now - _PURGED.get(id(store), -PURGE_EVERY) < PURGE_EVERY:
            return 0
        _PURGED[id(store)] = now
    try:
        seconds = Limits.from_env().draft_seconds
    except AccessError:
        return 0  # the dashboard reports the setting; nothing is deleted on a setting it cannot read
    if seconds is None:
        return 0
    try:
        return store.purge_drafts(now - seconds)
    except StoreError:
        return 0
