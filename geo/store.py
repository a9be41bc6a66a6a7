"""Saved plans and durable drafts: the `PlanStore` interface, its SQLite and PostgreSQL implementations.

An imported plan (its text, the jurisdiction the planner confirmed, and the layers as edited) is saved under
an id derived from its content, so saving the same plan twice gives the same id and a link ``/?plan=<id>``
opens it for anyone using the same server. Ids are lowercase letters only (what `geo.state.ViewState` and
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

from geo.plans import Clue, Jurisdiction, Plan, PlanMeta

__all__ = [
    "DEFAULT_STORE_PATH",
    "DRAFT_TOKEN",
    "MAX_DRAFT_REVISIONS",
    "MIGRATIONS",
    "STORED_ID",
    "DraftRevision",
    "PlanStore",
    "PostgresPlanStore",
    "SQLitePlanStore",
    "StoreError",
    "StoredDraft",
    "StoredPlan",
    "default_store",
    "new_draft_token",
    "plan_id_for",
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
    """

    id: str
    title: str
    text: str
    jurisdiction: Mapping[str, Any]
    layers: Mapping[str, Any]
    created: float = 0.0

    def to_plan(self) -> Plan:
        """The plan as the dashboard's pages read bundled ones (`geo.plans.Plan`): metadata, text, outline."""
        from geo.clauses import parse_outline

        j = self.jurisdiction
        juris = Jurisdiction(str(j.get("adcode") or ""), str(j.get("name") or ""), bool(j.get("stated")),
                             tuple(Clue(**c) for c in j.get("clues") or ()))
        meta = PlanMeta(id=self.id, seed=self.id, title=self.title or self.id, title_en=self.title or self.id,
                        issuer=None, date=None, doc_number=None, source="imported", anonymised=None,
                        jurisdiction=juris)
        return Plan(meta, self.text, parse_outline(self.text))

    def layers_by_kind(self) -> dict[str, dict]:
        """Layer name (= kind) -> FeatureCollection, in `geo.layers.KINDS` order (what `PlanData.layers` holds)."""
        from geo.draft import layers_by_kind

        return layers_by_kind(self.layers)


@dataclass(frozen=True)
class DraftRevision:
    """One revision of a draft as the store keeps it (`geo.editing.PlanDraft` without its text).

    Attributes
    ----------
    id : str
        The revision's plan id (``draft`` + token + a hash of its content, `geo.editing`).
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

    def save(self, title: str, text: str, jurisdiction: Mapping[str, Any], layers: Mapping[str, Any]) -> str:
        """Store a plan (idempotent: the same content gives the same id and is stored once); return its id."""
        ...

    def get(self, plan_id: str) -> StoredPlan | None:
        """The plan with this id, or None (also for a malformed id)."""
        ...

    def list(self, limit: int = 50) -> list[tuple[str, str, float]]:
        """(id, title, created) of the latest plans, newest first."""
        ...

    def delete(self, plan_id: str) -> bool:
        """Remove a plan; True if there was one."""
        ...

    def save_draft(self, token: str, title: str, source: str, text: str, head: str,
                   revisions: Sequence[DraftRevision] = ()) -> None:
        """Autosave a draft in one transaction: create it or move its head, add (or update) ``revisions``,
        and drop revisions beyond the latest `MAX_DRAFT_REVISIONS`. The text of an existing draft stays."""
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

    def save(self, title: str, text: str, jurisdiction: Mapping[str, Any], layers: Mapping[str, Any]) -> str:
        """Store a plan under its content hash; saving the same content again keeps the first record."""
        plan_id = plan_id_for(text, jurisdiction, layers)
        layers_json = _dumps(_stamped(layers, plan_id))
        _check_size(text, layers_json)
        with self._transaction(write=True) as run:
            run("INSERT INTO plans (id, title, text, jurisdiction, layers, created) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                (plan_id, str(title)[:300], text, _dumps(dict(jurisdiction or {})), layers_json, time.time()))
        return plan_id

    def get(self, plan_id: str) -> StoredPlan | None:
        """The stored plan, or None for an unknown or malformed id (ids never reach SQL unchecked)."""
        if not isinstance(plan_id, str) or not STORED_ID.match(plan_id):
            return None
        with self._transaction(write=False) as run:
            rows = run("SELECT id, title, text, jurisdiction, layers, created FROM plans WHERE id = ?", (plan_id,))
        if not rows:
            return None
        pid, title, text, juris, layers, created = rows[0]
        return StoredPlan(pid, title, text, json.loads(juris), json.loads(layers), created)

    def list(self, limit: int = 50) -> list[tuple[str, str, float]]:
        """(id, title, created) of the latest plans, newest first."""
        with self._transaction(write=False) as run:
            rows = run("SELECT id, title, created FROM plans ORDER BY created DESC, id LIMIT ?", (int(limit),))
        return [tuple(r) for r in rows]

    def delete(self, plan_id: str) -> bool:
        """Remove a plan; True if there was one."""
        if not isinstance(plan_id, str) or not STORED_ID.match(plan_id):
            return False
        with self._transaction(write=True) as run:
            return bool(run("DELETE FROM plans WHERE id = ? RETURNING id", (plan_id,)))

    # ---- drafts

    def save_draft(self, token: str, title: str, source: str, text: str, head: str,
                   revisions: Sequence[DraftRevision] = ()) -> None:
        """Autosave a draft in one transaction (see `PlanStore.save_draft`)."""
        if not isinstance(token, str) or not DRAFT_TOKEN.match(token):
            raise ValueError(f"not a draft token: {token!r}")
        rows = [(token, r.id, r.parent, _dumps(dict(r.jurisdiction or {})), _dumps(r.layers), r.saved_as)
                for r in revisions]
        for row in rows:
            _check_size(text, row[4])
        now = time.time()
        with self._transaction(write=True) as run:
            run("INSERT INTO drafts (token, title, source, text, head, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (token) DO UPDATE SET "
                "title = excluded.title, source = excluded.source, head = excluded.head, updated = excluded.updated",
                (token, str(title)[:300], str(source)[:300], text, head, now, now))
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
        return _store_at(url, PostgresPlanStore)
    return _store_at(os.environ.get("GEO_STORE_PATH") or str(DEFAULT_STORE_PATH), SQLitePlanStore)


_STORES: dict[str, PlanStore] = {}
_STORES_LOCK = threading.Lock()


def _store_at(address: str, kind: type) -> PlanStore:
    with _STORES_LOCK:
        if address not in _STORES:
            _STORES[address] = kind(address)
        return _STORES[address]
