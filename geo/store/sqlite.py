"""`SQLitePlanStore`: the plan store in one SQLite file (the default, for one server)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo.store.errors import StoreError, failed_error, full_error, read_only_error, unreachable_error
from geo.store.sql import BIGRAM_TABLE, BIGRAMS_FROM, Run, SQLPlanStore


class SQLitePlanStore(SQLPlanStore):
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
            return read_only_error(exc)
        if code == sqlite3.SQLITE_FULL:
            return full_error(exc)
        if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_IOERR):
            return unreachable_error(exc)
        return failed_error(exc)

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
                def run(sql: str, args: Any = (), many: bool = False) -> list[tuple]:
                    if many:
                        con.executemany(sql, args)
                        return []
                    return con.execute(sql, args).fetchall()

                yield run
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


    def _contains(self, column: str) -> str:
        return f"instr({column}, ?) > 0"

    # Full-text search: an FTS5 index of the clauses with the trigram tokenizer (SQLite >= 3.34) holding its own
    # copy of the text with the clause's key (an external-content index would hang on rowids, which VACUUM may
    # renumber). Words of three characters or more are looked up in it; shorter ones (a two-character place
    # name: 武汉, 旺苍) cannot be, and are looked up in the bigram index both backends keep (`SQLPlanStore`).
    # Longer matches are confirmed by instr(), so both backends agree exactly.

    def _backend_statements(self, version: int) -> tuple[str, ...]:
        if version == 4:
            return (("CREATE VIRTUAL TABLE IF NOT EXISTS plan_clauses_fts USING fts5(text, plan_id UNINDEXED, "
                     "seq UNINDEXED, tokenize='trigram')"),)
        if version == BIGRAMS_FROM:
            return (BIGRAM_TABLE + " WITHOUT ROWID",)
        return ()

    def _index_text(self, run: Run, plan_id: str) -> None:
        run("INSERT INTO plan_clauses_fts (text, plan_id, seq) SELECT text, plan_id, seq FROM plan_clauses "
            "WHERE plan_id = ?", (plan_id,))

    def _drop_index(self, run: Run, plan_id: str | None) -> None:
        if plan_id is None:
            run("DELETE FROM plan_clauses_fts")
        else:
            run("DELETE FROM plan_clauses_fts WHERE plan_id = ?", (plan_id,))
        super()._drop_index(run, plan_id)

    def _clause_lookup(self, query: str) -> tuple[str, tuple, str, tuple]:
        if len(query) < 3:
            return super()._clause_lookup(query)
        phrase = '"' + query.replace('"', '""') + '"'  # one FTS5 string: its words are data, never syntax
        return ("SELECT plan_id, seq FROM plan_clauses_fts WHERE plan_clauses_fts MATCH ?", (phrase,),
                "instr(c.text, ?) > 0", (query,))
