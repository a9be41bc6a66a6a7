"""Saved plans: the `PlanStore` interface, its SQLite implementation, and content-hash plan ids.

An imported plan (its text, the jurisdiction the planner confirmed, and the layers as edited) is saved under
an id derived from its content, so saving the same plan twice gives the same id and a link ``/?plan=<id>``
opens it for anyone using the same server. Ids are lowercase letters only (what `geo.state.ViewState` and
the feature schema accept for a plan), 16 of them: 75 bits of the SHA-256 of the content.

The store is one interface (`PlanStore`); `SQLitePlanStore` is the embedded default, at ``$GEO_STORE_PATH``
or ``data/store/plans.sqlite3``. A multi-server deployment replaces it by an implementation of the same four
methods over a server database (PostgreSQL: one table with the same columns, ``INSERT … ON CONFLICT DO
NOTHING``); nothing else changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from geo.plans import Clue, Jurisdiction, Plan, PlanMeta

__all__ = [
    "DEFAULT_STORE_PATH",
    "STORED_ID",
    "PlanStore",
    "SQLitePlanStore",
    "StoreError",
    "StoredPlan",
    "default_store",
    "plan_id_for",
]

DEFAULT_STORE_PATH = Path(__file__).resolve().parents[1] / "data" / "store" / "plans.sqlite3"
STORED_ID = re.compile(r"^[a-z]{16}$")
"""What a stored plan's id looks like (bundled plans have word ids such as ``qujing``)."""

MAX_STORED_BYTES = 20 * 1024 * 1024
"""Largest record accepted (text + layers as JSON): a 5 MB text and its layers fit with room to spare."""

_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


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


@runtime_checkable
class PlanStore(Protocol):
    """Where imported plans are kept. Implementations must be safe to share between threads."""

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


class SQLitePlanStore:
    """`PlanStore` in one SQLite file (WAL mode: readers never wait for the writer).

    Parameters
    ----------
    path : str or Path
        The database file; its folder is created. ``":memory:"`` keeps everything in memory (tests).
    """

    _SCHEMA = """
        CREATE TABLE IF NOT EXISTS plans (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            jurisdiction TEXT NOT NULL,
            layers TEXT NOT NULL,
            created REAL NOT NULL
        )
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        self._memory: sqlite3.Connection | None = None
        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"无法创建存储目录 / cannot create the store folder: {exc.strerror}") from None
        with self._connect() as con:
            con.execute(self._SCHEMA)

    def __repr__(self) -> str:
        return f"<SQLitePlanStore {self.path}>"

    def _connect(self) -> sqlite3.Connection:
        """A connection (one per call for a file, so that threads never share one; one shared in memory)."""
        try:
            if self.path == ":memory:":
                if self._memory is None:
                    self._memory = sqlite3.connect(":memory:", check_same_thread=False)
                return self._memory
            con = sqlite3.connect(self.path, timeout=10)
            con.execute("PRAGMA journal_mode=WAL")
            return con
        except sqlite3.Error as exc:
            raise StoreError(f"无法打开存储 / cannot open the plan store: {exc}") from None

    def _run(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            con = self._connect()
            try:
                with con:
                    return con.execute(sql, args).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"存储读写失败 / the plan store failed: {exc}") from None
            finally:
                if con is not self._memory:
                    con.close()

    def save(self, title: str, text: str, jurisdiction: Mapping[str, Any], layers: Mapping[str, Any]) -> str:
        """Store a plan under its content hash; saving the same content again keeps the first record."""
        plan_id = plan_id_for(text, jurisdiction, layers)
        layers_json = json.dumps(_stamped(layers, plan_id), ensure_ascii=False, separators=(",", ":"))
        juris_json = json.dumps(dict(jurisdiction or {}), ensure_ascii=False, separators=(",", ":"))
        if len(text.encode("utf-8")) + len(layers_json.encode("utf-8")) > MAX_STORED_BYTES:
            raise StoreError(f"规划过大，无法保存（上限 {MAX_STORED_BYTES // 2**20} MB）"
                             f" / the plan is too large to save (limit {MAX_STORED_BYTES // 2**20} MB)")
        self._run("INSERT OR IGNORE INTO plans (id, title, text, jurisdiction, layers, created) "
                  "VALUES (?, ?, ?, ?, ?, ?)", (plan_id, str(title)[:300], text, juris_json, layers_json, time.time()))
        return plan_id

    def get(self, plan_id: str) -> StoredPlan | None:
        """The stored plan, or None for an unknown or malformed id (ids never reach SQL unchecked)."""
        if not isinstance(plan_id, str) or not STORED_ID.match(plan_id):
            return None
        rows = self._run("SELECT id, title, text, jurisdiction, layers, created FROM plans WHERE id = ?", (plan_id,))
        if not rows:
            return None
        pid, title, text, juris, layers, created = rows[0]
        return StoredPlan(pid, title, text, json.loads(juris), json.loads(layers), created)

    def list(self, limit: int = 50) -> list[tuple[str, str, float]]:
        """(id, title, created) of the latest plans, newest first."""
        return [tuple(r) for r in self._run("SELECT id, title, created FROM plans ORDER BY created DESC, id LIMIT ?",
                                            (int(limit),))]

    def delete(self, plan_id: str) -> bool:
        """Remove a plan; True if there was one."""
        if not isinstance(plan_id, str) or not STORED_ID.match(plan_id):
            return False
        before = self._run("SELECT count(*) FROM plans WHERE id = ?", (plan_id,))[0][0]
        self._run("DELETE FROM plans WHERE id = ?", (plan_id,))
        return bool(before)


def default_store() -> SQLitePlanStore:
    """The store at ``$GEO_STORE_PATH`` (default ``data/store/plans.sqlite3``), one per path per process."""
    return _store_at(os.environ.get("GEO_STORE_PATH") or str(DEFAULT_STORE_PATH))


_STORES: dict[str, SQLitePlanStore] = {}
_STORES_LOCK = threading.Lock()


def _store_at(path: str) -> SQLitePlanStore:
    with _STORES_LOCK:
        if path not in _STORES:
            _STORES[path] = SQLitePlanStore(path)
        return _STORES[path]
