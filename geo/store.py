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
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from geo.text.plans import Clue, Jurisdiction, Plan, PlanMeta

__all__ = [
    "DEFAULT_STORE_PATH",
    "DRAFT_TOKEN",
    "MAX_DRAFT_REVISIONS",
    "MAX_STORED_BYTES",
    "MIGRATIONS",
    "STORED_ID",
    "DraftRevision",
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
    "Usage",
    "default_store",
    "new_draft_token",
    "plan_id_for",
    "purge_expired_drafts",
]

DEFAULT_STORE_PATH = Path(__file__).resolve().parents[1] / "data" / "store" / "plans.sqlite3"
STORED_ID = re.compile(r"^[a-z]{16}$")
"""What a stored plan's id looks like (bundled plans have word ids such as ``qujing``)."""

MAX_STORED_BYTES = 20 * 1024 * 1024
"""Largest record accepted (text + layers as JSON): a 5 MB text and its layers fit with room to spare."""

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"

DRAFT_TOKEN = re.compile(r"^[a-z]{28}$")
"""A draft's private token: 28 letters, log2(26**28) = 131.6 bits (`new_draft_token`)."""

MAX_DRAFT_REVISIONS = 30
"""Revisions of a draft kept (its undo history): older ones are dropped as new ones are saved."""


class StoreError(RuntimeError):
    """The store cannot be read or written; the message is one line, fit for a user."""


class QuotaExceeded(StoreError):
    """The owner keeps as many drafts, or has published as many plans in 24 hours, as allowed.

    Attributes: ``what`` ("drafts" or "publishes") and ``limit``. Nothing was written.
    """

    def __init__(self, what: str, limit: int) -> None:
        self.what, self.limit = what, limit
        if what == "drafts":
            super().__init__(f"草图数量已达上限（每人 {limit} 份）：请先删除不再需要的草图"
                             f" / draft limit reached ({limit} per person): delete drafts you no longer need first")
        else:
            super().__init__(f"24 小时内的发布次数已达上限（每人 {limit} 次），请稍后再发布"
                             f" / publish limit reached ({limit} per person in 24 hours): publish again later")


class PlanWithdrawn(StoreError):
    """The plan was withdrawn by an administrator: publishing the same content again is refused."""

    def __init__(self, plan_id: str) -> None:
        self.plan_id = plan_id
        super().__init__(f"此规划（{plan_id}）已被管理员撤下，不能再次发布"
                         f" / this plan ({plan_id}) was withdrawn by an administrator and cannot be published again")


@dataclass(frozen=True)
class Tombstone:
    """What is left of a withdrawn plan: who withdrew it and when, never its content.

    Attributes
    ----------
    id : str
    withdrawn : float
        Unix time.
    by : str
        The administrator (their e-mail, or ``local`` without sign-in).
    """

    id: str
    withdrawn: float
    by: str


@dataclass(frozen=True)
class PlanRecord:
    """A published plan as the Admin page lists it (no text, no layers)."""

    id: str
    title: str
    owner: str
    listed: bool
    created: float
    withdrawn: float | None = None
    withdrawn_by: str | None = None


@dataclass(frozen=True)
class Usage:
    """One owner's use of the store (the Admin page's usage table).

    Attributes
    ----------
    owner : str
        An e-mail address, ``sub:<subject>``, ``ip:<address>``, or "" (before owners were recorded).
    plans, listed, withdrawn : int
        Published plans (withdrawn ones included), of them listed, of them withdrawn.
    publishes_24h : int
        Plans published in the last 24 hours.
    drafts : int
        Drafts kept now.
    """

    owner: str
    plans: int = 0
    listed: int = 0
    withdrawn: int = 0
    publishes_24h: int = 0
    drafts: int = 0


@dataclass(frozen=True)
class StoredPlan:
    """A saved plan: what a shared link restores.

    Attributes
    ----------
    id : str
        16 lowercase letters (`plan_id_for`).
    title : str
        The title the text gives itself, or the planner's.
    text : str
        The plan text as imported (decoded, not cleaned: the clause parser cleans it again, deterministically).
    jurisdiction : dict
        ``{"adcode", "name", "level", "stated", "reason"}`` as confirmed by the planner.
    layers : dict
        One GeoJSON FeatureCollection (all kinds), features stamped with ``plan = id``.
    created : float
        Unix time of the first save.
    listed : bool
        Offered in the pickers (the Overview's compare picker, where plans meet); unlisted: its link only.
    owner : str
        Who published it (`geo.access.owner_for`; "" before owners were recorded).
    """

    id: str
    title: str
    text: str
    jurisdiction: Mapping[str, Any]
    layers: Mapping[str, Any]
    created: float = 0.0
    listed: bool = False
    owner: str = ""

    def to_plan(self) -> Plan:
        """The plan as the dashboard's pages read bundled ones (`geo.text.plans.Plan`): metadata, text, outline."""
        from geo.text.clauses import parse_outline

        j = self.jurisdiction
        juris = Jurisdiction(str(j.get("adcode") or ""), str(j.get("name") or ""), bool(j.get("stated")),
                             tuple(Clue(**c) for c in j.get("clues") or ()))
        meta = PlanMeta(id=self.id, seed=self.id, title=self.title or self.id, title_en=self.title or self.id,
                        issuer=None, date=None, doc_number=None, source="imported", anonymised=None,
                        jurisdiction=juris)
        return Plan(meta, self.text, parse_outline(self.text))

    def layers_by_kind(self) -> dict[str, dict]:
        """Layer name (= kind) -> FeatureCollection, in `geo.layers.KINDS` order (what `PlanData.layers` holds)."""
        from geo.importer.draft import layers_by_kind

        return layers_by_kind(self.layers)


@dataclass(frozen=True)
class DraftRevision:
    """One revision of a draft as the store keeps it (`geo.importer.editing.PlanDraft` without its text).

    Attributes
    ----------
    id : str
        The revision's plan id (``draft`` + token + a hash of its content, `geo.importer.editing`).
    parent : str or None
        Id of the revision it was edited from (None: as drafted or as opened from a stored plan).
    jurisdiction : dict
        As for `StoredPlan`.
    layers : dict
        One GeoJSON FeatureCollection.
    saved_as : str or None
        Id of the stored plan this revision was published as, if it was.
    """

    id: str
    parent: str | None
    jurisdiction: Mapping[str, Any]
    layers: Mapping[str, Any]
    saved_as: str | None = None


@dataclass(frozen=True)
class StoredDraft:
    """A draft as autosaved: what its private link reopens.

    Attributes
    ----------
    token : str
        The private token (`DRAFT_TOKEN`).
    title, source, text : str
        The draft's title ("" when the text gives none), where its text came from, the text.
    head : str
        Id of the revision the planner was on.
    revisions : tuple of DraftRevision
        The undo history, oldest first (the latest `MAX_DRAFT_REVISIONS`).
    created, updated : float
        Unix times of the first and the latest autosave.
    """

    token: str
    title: str
    source: str
    text: str
    head: str
    revisions: tuple[DraftRevision, ...] = field(default=())
    created: float = 0.0
    updated: float = 0.0


def new_draft_token() -> str:
    """A fresh private draft token: 28 letters drawn by `secrets` (131 bits, never guessed, never listed).

    Examples
    --------
    >>> bool(DRAFT_TOKEN.match(new_draft_token()))
    True
    """
    return "".join(secrets.choice(_ALPHABET) for _ in range(28))


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

    def close(self) -> None:
        """Release connections (the store is not used afterwards)."""
        ...


def plan_id_for(text: str, jurisdiction: Mapping[str, Any], layers: Mapping[str, Any]) -> str:
    """The content-hash id of a plan: 16 letters from the SHA-256 of text, jurisdiction and layers.

    Feature ``plan`` properties are left out of the hash (they are stamped with the id on save).

    Examples
    --------
    >>> pid = plan_id_for("一、总则", {"adcode": "530300"}, {"type": "FeatureCollection", "features": []})
    >>> len(pid), pid.isalpha(), pid == pid.lower()
    (16, True, True)
    """
    features = [{**f, "properties": {k: v for k, v in (f.get("properties") or {}).items() if k != "plan"}}
                for f in layers.get("features") or []]
    blob = json.dumps({"text": text, "jurisdiction": (jurisdiction or {}).get("adcode"), "features": features},
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    n = int.from_bytes(hashlib.sha256(blob.encode("utf-8")).digest()[:10], "big")
    letters = []
    for _ in range(16):
        n, r = divmod(n, 26)
        letters.append(_ALPHABET[r])
    return "".join(letters)


def _stamped(layers: Mapping[str, Any], plan_id: str) -> dict:
    """The layers with every feature's ``plan`` set to the stored id."""
    return {**layers, "features": [{**f, "properties": {**(f.get("properties") or {}), "plan": plan_id}}
                                   for f in layers.get("features") or []]}



def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _check_size(*parts: str) -> None:
    if sum(len(p.encode("utf-8")) for p in parts) > MAX_STORED_BYTES:
        raise StoreError(f"规划过大，无法保存（上限 {MAX_STORED_BYTES // 2**20} MB）"
                         f" / the plan is too large to save (limit {MAX_STORED_BYTES // 2**20} MB)")


def _one_line(exc: BaseException) -> str:
    """The first line of a driver's message (enough to tell an administrator what happened)."""
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


# One message per kind of fault, the same for both backends: the planner learns what is wrong (the page adds
# that the draft is still there); the driver's own line follows for whoever runs the server.
def _unreachable(exc: BaseException) -> StoreError:
    return StoreError(f"无法连接规划存储 / cannot reach the plan store: {_one_line(exc)}")


def _read_only(exc: BaseException) -> StoreError:
    return StoreError(f"规划存储只读，无法写入 / the plan store is read-only: {_one_line(exc)}")


def _full(exc: BaseException) -> StoreError:
    return StoreError(f"规划存储已满，无法写入 / the plan store is full: {_one_line(exc)}")


def _failed(exc: BaseException) -> StoreError:
    return StoreError(f"规划存储读写失败 / the plan store failed: {_one_line(exc)}")


_SCHEMA_TABLE = """
    CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER PRIMARY KEY,
        description TEXT NOT NULL,
        applied DOUBLE PRECISION NOT NULL
    )
"""

#: The schema as ordered migrations, (version, what it adds, statements): the same SQL for SQLite and
#: PostgreSQL. A store is brought to the latest version on first start; ``schema_version`` records each one
#: applied. Version 1 is the plans table as it was before versions were recorded (so an older SQLite file
#: is adopted as it is). Add a migration by appending one; never edit an applied one.
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "saved plans", ("""
        CREATE TABLE IF NOT EXISTS plans (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            layers TEXT NOT NULL,
            created DOUBLE PRECISION NOT NULL
        )""",)),
    (2, "durable drafts: one row per draft, its revisions (the undo history) beside it", ("""
        CREATE TABLE IF NOT EXISTS drafts (
            token TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            source TEXT NOT NULL,
            text TEXT NOT NULL,
            head TEXT NOT NULL,
            created DOUBLE PRECISION NOT NULL,
            updated DOUBLE PRECISION NOT NULL
        )""", """
        CREATE TABLE IF NOT EXISTS draft_revisions (
            token TEXT NOT NULL,
            id TEXT NOT NULL,
            parent TEXT,
            jurisdiction TEXT NOT NULL,
            layers TEXT NOT NULL,
            saved_as TEXT,
            seq INTEGER NOT NULL,
            PRIMARY KEY (token, id)
        )""")),
    (3, "owners of plans and drafts (quotas, usage), listed or unlisted plans, tombstones of withdrawn plans", (
        "ALTER TABLE plans ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE plans ADD COLUMN listed INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE plans ADD COLUMN withdrawn DOUBLE PRECISION",
        "ALTER TABLE plans ADD COLUMN withdrawn_by TEXT",
        "ALTER TABLE drafts ADD COLUMN owner TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX IF NOT EXISTS plans_owner ON plans (owner, created)",
        "CREATE INDEX IF NOT EXISTS plans_listed ON plans (listed, created)",
        "CREATE INDEX IF NOT EXISTS drafts_owner ON drafts (owner)",
        "CREATE INDEX IF NOT EXISTS drafts_updated ON drafts (updated)")),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]

Run = Any  # (sql with ? placeholders, args) -> rows: what a transaction offers


class _SQLPlanStore:
    """What both implementations share: the SQL (``?`` placeholders) and the checks of ids and sizes.

    A subclass provides `_transaction` (one database transaction, its errors turned into `StoreError`)
    and `_has_table`.
    """

    def _transaction(self, write: bool) -> contextlib.AbstractContextManager[Run]:
        raise NotImplementedError

    def _has_table(self, run: Run, name: str) -> bool:
        raise NotImplementedError

    def _lock_schema(self, run: Run) -> None:
        """Keep two servers starting together from migrating at once (SQLite: its write lock does)."""

    _stale = False  # a query found a table missing: the next transaction migrates first
    _schema_lock = threading.RLock()
    _local = threading.local()

    def _ensure_schema(self, missing: bool = False) -> None:
        """Migrate again when the schema went away under a running server (the SQLite file deleted, the
        tables dropped): called before each transaction, it costs a flag test (SQLite: a stat) otherwise."""
        if not (missing or self._stale) or getattr(self._local, "migrating", False):
            return
        with self._schema_lock:
            self._local.migrating = True
            try:
                self._recreate()
                self._stale = False
            finally:
                self._local.migrating = False

    def _recreate(self) -> None:
        self._migrate()

    def _migrate(self) -> None:
        """Bring the schema to `SCHEMA_VERSION`: a read when it is current, one transaction when it is not."""
        with self._transaction(write=False) as run:
            current = self._version(run)
        if current < SCHEMA_VERSION:
            with self._transaction(write=True) as run:
                self._lock_schema(run)
                run(_SCHEMA_TABLE)
                current = self._version(run)  # another server may have migrated meanwhile
                for version, description, statements in MIGRATIONS:
                    if version > current:
                        for statement in statements:
                            run(statement)
                        run("INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)",
                            (version, description, time.time()))
        if current > SCHEMA_VERSION:
            raise StoreError(f"规划存储的数据库版本（{current}）新于本程序（{SCHEMA_VERSION}），请升级程序"
                             f" / the plan store's schema (version {current}) is newer than this app's"
                             f" ({SCHEMA_VERSION}): upgrade the app")

    def _version(self, run: Run) -> int:
        if not self._has_table(run, "schema_version"):
            return 0
        return int(run("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0])

    def schema_version(self) -> int:
        """The schema version of the database (`SCHEMA_VERSION` once the store is open)."""
        with self._transaction(write=False) as run:
            return self._version(run)

    # ---- saved plans

    def save(self, title: str, text: str, jurisdiction: Mapping[str, Any], layers: Mapping[str, Any], *,
             owner: str = "", listed: bool = False, quota: int = 0) -> str:
        """Store a plan under its content hash; saving the same content again keeps the first record (made
        listed if this publish lists it). See `PlanStore.save` for the owner's quota and withdrawn content."""
        plan_id = plan_id_for(text, jurisdiction, layers)
        layers_json = _dumps(_stamped(layers, plan_id))
        _check_size(text, layers_json)
        now = time.time()
        with self._transaction(write=True) as run:
            row = run("SELECT withdrawn FROM plans WHERE id = ?", (plan_id,))
            if row and row[0][0] is not None:
                raise PlanWithdrawn(plan_id)
            if not row and quota and int(run("SELECT COUNT(*) FROM plans WHERE owner = ? AND created > ?",
                                             (str(owner), now - 86400))[0][0]) >= quota:
                raise QuotaExceeded("publishes", quota)
            run("INSERT INTO plans (id, title, text, jurisdiction, layers, created, owner, listed) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET listed = CASE WHEN excluded.listed = 1 THEN 1 ELSE plans.listed END",
                (plan_id, str(title)[:300], text, _dumps(dict(jurisdiction or {})), layers_json, now,
                 str(owner)[:300], 1 if listed else 0))
        return plan_id

    def get(self, plan_id: str) -> StoredPlan | None:
        """The stored plan, or None for an unknown, withdrawn or malformed id (ids never reach SQL unchecked)."""
        if not isinstance(plan_id, str) or not STORED_ID.match(plan_id):
            return None
        with self._transaction(write=False) as run:
            rows = run("SELECT id, title, text, jurisdiction, layers, created, listed, owner FROM plans "
                       "WHERE id = ? AND withdrawn IS NULL", (plan_id,))
        if not rows:
            return None
        pid, title, text, juris, layers, created, listed, owner = rows[0]
        return StoredPlan(pid, title, text, json.loads(juris), json.loads(layers), created, bool(listed), owner)

    def list(self, limit: int = 50) -> list[tuple[str, str, float]]:
        """(id, title, created) of the latest listed plans, newest first."""
        with self._transaction(write=False) as run:
            rows = run("SELECT id, title, created FROM plans WHERE listed = 1 AND withdrawn IS NULL "
                       "ORDER BY created DESC, id LIMIT ?", (int(limit),))
        return [tuple(r) for r in rows]

    def delete(self, plan_id: str) -> bool:
        """Remove a plan (no tombstone: its links then say it was not found); True if there was one."""
        if not isinstance(plan_id, str) or not STORED_ID.match(plan_id):
            return False
        with self._transaction(write=True) as run:
            return bool(run("DELETE FROM plans WHERE id = ? RETURNING id", (plan_id,)))

    def withdraw(self, plan_id: str, by: str) -> bool:
        """Withdraw a plan: title, text, jurisdiction and layers are emptied, who and when kept."""
        if not isinstance(plan_id, str) or not STORED_ID.match(plan_id):
            return False
        with self._transaction(write=True) as run:
            return bool(run("UPDATE plans SET title = '', text = '', jurisdiction = '{}', layers = '{}', listed = 0, "
                            "withdrawn = ?, withdrawn_by = ? WHERE id = ? AND withdrawn IS NULL RETURNING id",
                            (time.time(), str(by)[:300], plan_id)))

    def tombstone(self, plan_id: str) -> Tombstone | None:
        """Who withdrew the plan and when (None: unknown, malformed or not withdrawn)."""
        if not isinstance(plan_id, str) or not STORED_ID.match(plan_id):
            return None
        with self._transaction(write=False) as run:
            rows = run("SELECT withdrawn, withdrawn_by FROM plans WHERE id = ? AND withdrawn IS NOT NULL", (plan_id,))
        return Tombstone(plan_id, float(rows[0][0]), rows[0][1] or "") if rows else None

    def records(self, limit: int = 500) -> list[PlanRecord]:
        """Every published plan without its content, newest first."""
        with self._transaction(write=False) as run:
            rows = run("SELECT id, title, owner, listed, created, withdrawn, withdrawn_by FROM plans "
                       "ORDER BY created DESC, id LIMIT ?", (int(limit),))
        return [PlanRecord(pid, title, owner, bool(listed), created, withdrawn, by)
                for pid, title, owner, listed, created, withdrawn, by in rows]

    def usage(self) -> list[Usage]:
        """Per owner: plans published (listed, withdrawn), publishes in 24 hours, drafts kept."""
        since = time.time() - 86400
        with self._transaction(write=False) as run:
            plans = run("SELECT owner, COUNT(*), SUM(listed), SUM(CASE WHEN withdrawn IS NULL THEN 0 ELSE 1 END), "
                        "SUM(CASE WHEN created > ? THEN 1 ELSE 0 END) FROM plans GROUP BY owner", (since,))
            drafts = run("SELECT owner, COUNT(*) FROM drafts GROUP BY owner")
        rows: dict[str, dict[str, int]] = {}
        for owner, n, listed, withdrawn, recent in plans:
            rows.setdefault(owner, {}).update(plans=int(n), listed=int(listed or 0), withdrawn=int(withdrawn or 0),
                                              publishes_24h=int(recent or 0))
        for owner, n in drafts:
            rows.setdefault(owner, {})["drafts"] = int(n)
        out = [Usage(owner, **counts) for owner, counts in rows.items()]
        return sorted(out, key=lambda u: (-(u.publishes_24h + u.drafts + u.plans), u.owner))

    # ---- drafts

    def save_draft(self, token: str, title: str, source: str, text: str, head: str,
                   revisions: Sequence[DraftRevision] = (), *, owner: str = "", quota: int = 0) -> None:
        """Autosave a draft in one transaction (see `PlanStore.save_draft`)."""
        if not isinstance(token, str) or not DRAFT_TOKEN.match(token):
            raise ValueError(f"not a draft token: {token!r}")
        rows = [(token, r.id, r.parent, _dumps(dict(r.jurisdiction or {})), _dumps(r.layers), r.saved_as)
                for r in revisions]
        for row in rows:
            _check_size(text, row[4])
        now = time.time()
        with self._transaction(write=True) as run:
            if quota and not run("SELECT 1 FROM drafts WHERE token = ?", (token,)) and int(
                    run("SELECT COUNT(*) FROM drafts WHERE owner = ?", (str(owner),))[0][0]) >= quota:
                raise QuotaExceeded("drafts", quota)
            run("INSERT INTO drafts (token, title, source, text, head, created, updated, owner) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token) DO UPDATE SET "
                "title = excluded.title, source = excluded.source, head = excluded.head, updated = excluded.updated",
                (token, str(title)[:300], str(source)[:300], text, head, now, now, str(owner)[:300]))
            if not rows:
                return
            seq = int(run("SELECT COALESCE(MAX(seq), 0) FROM draft_revisions WHERE token = ?", (token,))[0][0])
            for n, row in enumerate(rows, start=seq + 1):
                run("INSERT INTO draft_revisions (token, id, parent, jurisdiction, layers, saved_as, seq) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token, id) DO UPDATE SET "
                    "parent = excluded.parent, seq = excluded.seq, "
                    "saved_as = COALESCE(excluded.saved_as, draft_revisions.saved_as)", (*row, n))
            run("DELETE FROM draft_revisions WHERE token = ? AND id <> ? AND id NOT IN "
                "(SELECT id FROM draft_revisions WHERE token = ? ORDER BY seq DESC LIMIT ?)",
                (token, head, token, MAX_DRAFT_REVISIONS))

    def get_draft(self, token: str) -> StoredDraft | None:
        """The draft with this token and its revisions, oldest first; None for an unknown or malformed token."""
        if not isinstance(token, str) or not DRAFT_TOKEN.match(token):
            return None
        with self._transaction(write=False) as run:
            rows = run("SELECT title, source, text, head, created, updated FROM drafts WHERE token = ?", (token,))
            if not rows:
                return None
            revisions = run("SELECT id, parent, jurisdiction, layers, saved_as FROM draft_revisions "
                            "WHERE token = ? ORDER BY seq", (token,))
        title, source, text, head, created, updated = rows[0]
        return StoredDraft(token, title, source, text, head,
                           tuple(DraftRevision(rid, parent, json.loads(juris), json.loads(layers), saved)
                                 for rid, parent, juris, layers, saved in revisions), created, updated)

    def list_drafts(self, tokens: Sequence[str]) -> list[tuple[str, str, str, float]]:
        """(token, title, head, updated) of the drafts among ``tokens`` (at most 200), latest first."""
        wanted = list(dict.fromkeys(t for t in tokens if isinstance(t, str) and DRAFT_TOKEN.match(t)))[:200]
        if not wanted:
            return []
        with self._transaction(write=False) as run:
            rows = run(f"SELECT token, title, head, updated FROM drafts WHERE token IN ({', '.join('?' * len(wanted))}) "
                       "ORDER BY updated DESC, token", tuple(wanted))
        return [tuple(r) for r in rows]

    def delete_draft(self, token: str) -> bool:
        """Remove a draft and its revisions; True if there was one."""
        if not isinstance(token, str) or not DRAFT_TOKEN.match(token):
            return False
        with self._transaction(write=True) as run:
            run("DELETE FROM draft_revisions WHERE token = ?", (token,))
            return bool(run("DELETE FROM drafts WHERE token = ? RETURNING token", (token,)))

    def count_drafts(self, owner: str) -> int:
        """How many drafts ``owner`` keeps."""
        with self._transaction(write=False) as run:
            return int(run("SELECT COUNT(*) FROM drafts WHERE owner = ?", (str(owner),))[0][0])

    def purge_drafts(self, older_than: float) -> int:
        """Delete drafts (and their revisions) last saved or opened before ``older_than``, in one transaction."""
        with self._transaction(write=True) as run:
            run("DELETE FROM draft_revisions WHERE token IN (SELECT token FROM drafts WHERE updated < ?)",
                (float(older_than),))
            return len(run("DELETE FROM drafts WHERE updated < ? RETURNING token", (float(older_than),)))

    def touch_draft(self, token: str) -> None:
        """The draft was opened now: it is kept for another lifetime from now."""
        if isinstance(token, str) and DRAFT_TOKEN.match(token):
            with self._transaction(write=True) as run:
                run("UPDATE drafts SET updated = ? WHERE token = ?", (time.time(), token))


class SQLitePlanStore(_SQLPlanStore):
    """`PlanStore` in one SQLite file (WAL mode: readers never wait for the writer).

    Parameters
    ----------
    path : str or Path
        The database file; its folder is created. ``":memory:"`` keeps everything in memory (tests). A
        ``file:`` URI is opened as one (``file:/srv/plans.sqlite3?mode=ro``: a read-only store, which shows
        saved plans and refuses saves with a message).
    max_bytes : int, optional
        Cap on the database's size (SQLite's ``max_page_count``): a save beyond it fails as a full store.
    """

    def __init__(self, path: str | Path, max_bytes: int | None = None) -> None:
        self.path = str(path)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._memory: sqlite3.Connection | None = None
        self._uri = self.path.startswith("file:")
        if self.path != ":memory:" and not self._uri:
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"无法创建存储目录 / cannot create the store folder: {exc.strerror}") from None
        self._migrate()
        if self.path != ":memory:":
            with contextlib.suppress(StoreError), self._transaction(write=False) as run:
                run("PRAGMA journal_mode=WAL")  # lasts in the file; a read-only store keeps its mode

    def __repr__(self) -> str:
        return f"<SQLitePlanStore {self.path}>"

    def _recreate(self) -> None:
        """The file was deleted (or emptied) while the server ran: make the folder and the schema again."""
        if not self._uri and self.path != ":memory:":
            with contextlib.suppress(OSError):
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._migrate()
        if self.path != ":memory:":
            with contextlib.suppress(StoreError), self._transaction(write=False) as run:
                run("PRAGMA journal_mode=WAL")

    def close(self) -> None:
        """Close the in-memory connection (file connections live for one call only)."""
        if self._memory is not None:
            self._memory.close()
            self._memory = None

    def _connect(self) -> sqlite3.Connection:
        """A connection (one per call for a file, so that threads never share one; one shared in memory)."""
        if self.path == ":memory:":
            if self._memory is None:
                self._memory = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            return self._memory
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None, uri=self._uri)
        if self.max_bytes:
            page = con.execute("PRAGMA page_size").fetchone()[0]
            con.execute(f"PRAGMA max_page_count = {max(1, int(self.max_bytes) // page)}")
        return con

    @staticmethod
    def _error(exc: sqlite3.Error) -> StoreError:
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code == sqlite3.SQLITE_READONLY:
            return _read_only(exc)
        if code == sqlite3.SQLITE_FULL:
            return _full(exc)
        if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_IOERR):
            return _unreachable(exc)
        return _failed(exc)

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[Run]:
        """One transaction (``BEGIN IMMEDIATE`` for a write: it waits for, never deadlocks with, another writer)."""
        shared = self.path == ":memory:"
        self._ensure_schema(missing=not shared and not self._uri and not os.path.exists(self.path))
        with self._lock if (write or shared) else contextlib.nullcontext():
            try:
                con = self._connect()
            except sqlite3.Error as exc:
                raise self._error(exc) from None
            try:
                con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                yield lambda sql, args=(): con.execute(sql, args).fetchall()
                con.execute("COMMIT")
            except sqlite3.Error as exc:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                if "no such table" in str(exc):
                    self._stale = True  # the next call creates the schema again
                raise self._error(exc) from None
            except BaseException:
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            finally:
                if not shared:
                    con.close()

    def _has_table(self, run: Run, name: str) -> bool:
        return bool(run("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)))


class PostgresPlanStore(_SQLPlanStore):
    """`PlanStore` in a PostgreSQL database (psycopg 3 and its connection pool), for several servers at once.

    Parameters
    ----------
    url : str
        ``postgresql://user:password@host:port/database`` (any libpq connection string).
    max_connections : int
        Size of the pool (each server process keeps at most this many connections).
    timeout : float
        Seconds to wait for a connection before telling the planner the store cannot be reached.
    """

    _LOCK_KEY = 0x6768797A74  # "ghyzt": the advisory lock held while migrating

    def __init__(self, url: str, max_connections: int = 8, timeout: float = 5.0) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        try:
            self._conninfo = psycopg.conninfo.conninfo_to_dict(url)
        except psycopg.Error:
            raise StoreError("GEO_STORE_URL 不是有效的 PostgreSQL 地址 / GEO_STORE_URL is not a valid PostgreSQL"
                             " URL") from None
        self.url = url
        self._new_pool = lambda: ConnectionPool(
            url, min_size=1, max_size=max_connections, timeout=timeout, open=True,
            kwargs={"connect_timeout": max(1, round(timeout))}, check=ConnectionPool.check_connection,
            name="ghyzt-store")
        self._pool = self._new_pool()
        self._pool_lock = threading.Lock()
        self._lost = False  # the server could not be reached: the next call starts with a fresh pool
        try:
            self._migrate()
        except BaseException:
            self._pool.close()
            raise

    def __repr__(self) -> str:
        c = self._conninfo
        return f"<PostgresPlanStore {c.get('user', '')}@{c.get('host', '')}:{c.get('port', '')}/{c.get('dbname', '')}>"

    def close(self) -> None:
        """Close the pool's connections."""
        self._pool.close()

    @staticmethod
    def _error(exc: Exception) -> StoreError:
        import psycopg
        from psycopg_pool import PoolTimeout

        state = getattr(exc, "sqlstate", None) or ""
        if isinstance(exc, PoolTimeout) or state.startswith(("08", "57P")) or state == "53300" or (
                not state and isinstance(exc, psycopg.OperationalError)):
            return _unreachable(exc)
        if state in ("25006", "42501"):  # read-only transaction; a privilege revoked
            return _read_only(exc)
        if state.startswith("53"):  # insufficient resources: disk full, out of memory (too many connections: above)
            return _full(exc)
        return _failed(exc)

    @contextlib.contextmanager
    def _transaction(self, write: bool) -> Iterator[Run]:
        """One transaction on a pooled connection (committed at the end, rolled back on any error)."""
        import psycopg

        self._ensure_schema()
        with self._pool_lock:
            if self._lost:
                # The pool backs off ever longer between reconnection attempts while the server is away; a
                # fresh one tries at once, so the planner's retry succeeds as soon as the server is back.
                old, self._pool, self._lost = self._pool, self._new_pool(), False
                old.close(timeout=0)
            pool = self._pool
        try:
            with pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
                def run(sql: str, args: tuple = ()) -> list[tuple]:
                    cur.execute(sql.replace("?", "%s"), args)
                    return cur.fetchall() if cur.description else []

                yield run
        except psycopg.Error as exc:
            error = self._error(exc)
            if "cannot reach" in str(error):
                self._lost = True
            if getattr(exc, "sqlstate", None) == "42P01":  # undefined table: the next call migrates again
                self._stale = True
            raise error from None

    def _has_table(self, run: Run, name: str) -> bool:
        return run("SELECT to_regclass(?)", (name,))[0][0] is not None

    def _lock_schema(self, run: Run) -> None:
        run("SELECT pg_advisory_xact_lock(?)", (self._LOCK_KEY,))


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
