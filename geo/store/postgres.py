"""`PostgresPlanStore`: the plan store in a PostgreSQL database, for several servers at once."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from geo.store.errors import StoreError, failed_error, full_error, read_only_error, unreachable_error
from geo.store.sql import Run, SQLPlanStore


class PostgresPlanStore(SQLPlanStore):
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
            return unreachable_error(exc)
        if state in ("25006", "42501"):  # read-only transaction; a privilege revoked
            return read_only_error(exc)
        if state.startswith("53"):  # insufficient resources: disk full, out of memory (too many connections: above)
            return full_error(exc)
        return failed_error(exc)

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
                def run(sql: str, args: Any = (), many: bool = False) -> list[tuple]:
                    if many:
                        cur.executemany(sql.replace("?", "%s"), args)
                        return []
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


    def _contains(self, column: str) -> str:
        return f"strpos({column}, ?) > 0"
