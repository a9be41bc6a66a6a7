"""The SQL both stores share (``?`` placeholders): the ordered schema migrations and every query of the store.

`SQLPlanStore` is the whole `geo.store.PlanStore` in SQL; `geo.store.sqlite` and `geo.store.postgres` give it
transactions on their database and turn their drivers' errors into `geo.store.errors.StoreError`.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from geo.store.errors import PlanWithdrawn, QuotaExceeded, StoreError
from geo.store.index import CatalogueEntry, ClauseHit, IndexedPlan, UnitMention, bigrams, index_plan, text_sha
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
    plan_id_for,
)


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


_ENTRY_COLUMNS = "p.plan_id, p.title, p.adcode, p.place, p.level, p.province, p.year, p.issuer, p.plan_type, p.created"
_LEVEL_RANK = ("CASE p.level WHEN 'national' THEN 0 WHEN 'province' THEN 1 WHEN 'prefecture' THEN 2 "
               "WHEN 'county' THEN 3 ELSE 4 END")


def _entry(row: Sequence[Any]) -> CatalogueEntry:
    pid, title, adcode, place, level, province, year, issuer, plan_type, created = row
    return CatalogueEntry(pid, title, adcode, place, level, province, None if year is None else int(year), issuer,
                          plan_type, float(created))


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
    (4, "the index of published plans: catalogue entries, the units each plan names, clauses for full-text search", (
        """CREATE TABLE IF NOT EXISTS plan_catalogue (
            plan_id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            adcode TEXT NOT NULL,
            place TEXT NOT NULL,
            level TEXT NOT NULL,
            province TEXT NOT NULL,
            year INTEGER,
            issuer TEXT NOT NULL,
            plan_type TEXT NOT NULL,
            created DOUBLE PRECISION NOT NULL,
            listed INTEGER NOT NULL,
            text_sha TEXT NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS plan_catalogue_text ON plan_catalogue (text_sha)",
        "CREATE INDEX IF NOT EXISTS plan_catalogue_listed ON plan_catalogue (listed, level, year)",
        "CREATE INDEX IF NOT EXISTS plan_catalogue_adcode ON plan_catalogue (adcode)",
        "CREATE INDEX IF NOT EXISTS plan_catalogue_province ON plan_catalogue (province)",
        """CREATE TABLE IF NOT EXISTS plan_units (
            adcode TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            feature TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            clauses TEXT NOT NULL,
            excerpts TEXT NOT NULL,
            PRIMARY KEY (adcode, plan_id, feature)
        )""",
        "CREATE INDEX IF NOT EXISTS plan_units_plan ON plan_units (plan_id)",
        """CREATE TABLE IF NOT EXISTS plan_clauses (
            plan_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            clause TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (plan_id, seq)
        )""")),
    (5, "the bigram index of the clauses: every pair of adjacent characters, the clauses holding it", ()),
)
#: Migrations after whose statements the plans already stored are indexed again (`SQLPlanStore.reindex`).
REINDEX_AFTER = frozenset({4})
#: The migration that adds the bigram index (`BIGRAM_TABLE`); the plans indexed before it gain their bigrams.
BIGRAMS_FROM = 5
#: One row per distinct bigram (`geo.store.index.bigrams`) of each clause: a search of two characters looks its
#: clauses up by the primary key instead of scanning every clause; a longer one intersects its bigrams' clauses.
#: Created by each backend (`SQLPlanStore._backend_statements`): SQLite keeps it WITHOUT ROWID (the key is the row).
BIGRAM_TABLE = """CREATE TABLE IF NOT EXISTS plan_bigrams (
            gram TEXT NOT NULL,
            plan_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (gram, plan_id, seq)
        )"""
#: At most this many of a query's bigrams are intersected (its first, last and some between): enough to narrow
#: the clauses, which the substring test then confirms.
MAX_QUERY_BIGRAMS = 4
SCHEMA_VERSION = MIGRATIONS[-1][0]

Run = Any  # (sql with ? placeholders, args, many=False) -> rows: what a transaction offers (many: executemany)


class SQLPlanStore:
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
                applied = [v for v, _d, _s in MIGRATIONS if v > current]
                for version, description, statements in MIGRATIONS:
                    if version > current:
                        for statement in (*statements, *self._backend_statements(version)):
                            run(statement)
                        run("INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)",
                            (version, description, time.time()))
                # Once every table exists: index the plans stored (a reindex writes the bigrams too), or, for a
                # store indexed before the bigrams, add them from the clauses it indexed.
                if REINDEX_AFTER.intersection(applied):
                    self._reindex(run)
                elif BIGRAMS_FROM in applied:
                    for (pid,) in run("SELECT plan_id FROM plan_catalogue"):
                        self._index_bigrams(run, pid, run("SELECT seq, text FROM plan_clauses WHERE plan_id = ?",
                                                          (pid,)))
        if current > SCHEMA_VERSION:
            raise StoreError(f"规划存储的数据库版本（{current}）新于本程序（{SCHEMA_VERSION}），请升级程序"
                             f" / the plan store's schema (version {current}) is newer than this app's"
                             f" ({SCHEMA_VERSION}): upgrade the app")

    def _backend_statements(self, version: int) -> tuple[str, ...]:
        """Statements of migration ``version`` that are this backend's own (the bigram table, as each keeps it;
        SQLite: its full-text index)."""
        return (BIGRAM_TABLE,) if version == BIGRAMS_FROM else ()

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
        indexed = index_plan(plan_id, str(title)[:300], text, jurisdiction, layers, created=now)
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
            if not row:
                self._write_index(run, indexed, listed, text)
            elif listed:
                run("UPDATE plan_catalogue SET listed = 1 WHERE plan_id = ?", (plan_id,))
        return plan_id

    def exists(self, plan_id: str) -> bool:
        """Is a plan with this id stored (withdrawn ones included: their content cannot be published again)?"""
        if not isinstance(plan_id, str) or not STORED_ID.match(plan_id):
            return False
        with self._transaction(write=False) as run:
            return bool(run("SELECT 1 FROM plans WHERE id = ?", (plan_id,)))

    # ---- the index (geo.store.index)

    def published_text(self, text: str) -> str | None:
        """The id of a stored plan (not withdrawn) with exactly this text, if any: what `python -m geo publish`
        skips without drafting it again."""
        with self._transaction(write=False) as run:
            rows = run("SELECT plan_id FROM plan_catalogue WHERE text_sha = ? ORDER BY created, plan_id LIMIT 1",
                       (text_sha(text),))
        return rows[0][0] if rows else None

    def _write_index(self, run: Run, indexed: IndexedPlan, listed: bool, text: str) -> None:
        """Replace one plan's index rows (catalogue entry, units named, clauses) inside a transaction."""
        e = indexed.entry
        self._drop_index(run, e.plan)
        run("INSERT INTO plan_catalogue (plan_id, title, adcode, place, level, province, year, issuer, plan_type, "
            "created, listed, text_sha) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (e.plan, e.title, e.adcode, e.place, e.level, e.province, e.year, e.issuer, e.plan_type, e.created,
             1 if listed else 0, text_sha(text)))
        units = {(u.adcode, u.feature): u for u in indexed.units}  # one row per unit and feature
        if units:
            run("INSERT INTO plan_units (adcode, plan_id, feature, kind, name, role, clauses, excerpts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(u.adcode, u.plan, u.feature, u.kind, u.name, u.role, _dumps(list(u.clauses)),
                  _dumps([list(x) for x in u.excerpts])) for u in units.values()], many=True)
        if indexed.clauses:
            run("INSERT INTO plan_clauses (plan_id, seq, clause, text) VALUES (?, ?, ?, ?)",
                [(c.plan, c.seq, c.clause, c.text) for c in indexed.clauses], many=True)
        self._index_bigrams(run, e.plan, [(c.seq, c.text) for c in indexed.clauses])
        self._index_text(run, e.plan)

    @staticmethod
    def _index_bigrams(run: Run, plan_id: str, clauses: Sequence[tuple[int, str]]) -> None:
        """Write the bigram rows of one plan's clauses, (seq, text) pairs."""
        rows = [(g, plan_id, int(seq)) for seq, text in clauses for g in bigrams(text)]
        if rows:
            run("INSERT INTO plan_bigrams (gram, plan_id, seq) VALUES (?, ?, ?)", rows, many=True)

    def _index_text(self, run: Run, plan_id: str) -> None:
        """A backend's own full-text index of the plan's clauses, once they are written (none by default)."""

    def _drop_index(self, run: Run, plan_id: str | None) -> None:
        """Delete one plan's index rows (None: every plan's)."""
        if plan_id is None:
            run("DELETE FROM plan_bigrams")
        else:  # by the key's (gram, plan) prefix: the bigrams its clauses hold, read before they go
            grams = set().union(*(bigrams(t) for (t,) in run("SELECT text FROM plan_clauses WHERE plan_id = ?",
                                                              (plan_id,))))
            if grams:
                run("DELETE FROM plan_bigrams WHERE gram = ? AND plan_id = ?", [(g, plan_id) for g in grams],
                    many=True)
        for table in ("plan_catalogue", "plan_units", "plan_clauses"):
            if plan_id is None:
                run(f"DELETE FROM {table}")
            else:
                run(f"DELETE FROM {table} WHERE plan_id = ?", (plan_id,))

    def _reindex(self, run: Run) -> int:
        """Index every plan stored and not withdrawn (the migration that adds the index; `reindex`)."""
        n = 0
        for (pid,) in run("SELECT id FROM plans WHERE withdrawn IS NULL ORDER BY created"):
            rows = run("SELECT title, text, jurisdiction, layers, created, listed FROM plans WHERE id = ?", (pid,))
            title, text, juris, layers, created, listed = rows[0]
            self._write_index(run, index_plan(pid, title, text, json.loads(juris), json.loads(layers),
                                              created=created), bool(listed), text)
            n += 1
        return n

    def reindex(self) -> int:
        """Build the index again for every stored plan, in one transaction; return how many were indexed."""
        with self._transaction(write=True) as run:
            self._drop_index(run, None)
            return self._reindex(run)

    def _contains(self, column: str) -> str:
        """SQL true when ``column`` holds the parameter as a substring (case-sensitive)."""
        raise NotImplementedError

    def _clause_lookup(self, query: str) -> tuple[str, tuple, str, tuple]:
        """How to find the clauses ``c`` holding ``query``: (a subquery of the (plan_id, seq) of the clauses that
        may hold it, from an index, or "" to scan; its arguments; the SQL that confirms a clause; its arguments).

        By default the clauses holding each of the query's bigrams (at most `MAX_QUERY_BIGRAMS` of them) are
        looked up in the bigram index and intersected, then the substring confirmed (nothing to confirm for two
        characters: the bigram is the query); a query of one character (or only white space between characters)
        scans the clauses' text. A backend with its own full-text index may narrow longer queries otherwise."""
        grams = [query[i:i + 2] for i in range(len(query) - 1)]
        grams = list(dict.fromkeys(g for g in grams if g in bigrams(g)))
        if not grams:
            return "", (), self._contains("c.text"), (query,)
        if len(grams) > MAX_QUERY_BIGRAMS:  # the first and the last, and evenly between
            step = (len(grams) - 1) / (MAX_QUERY_BIGRAMS - 1)
            grams = list(dict.fromkeys(grams[round(i * step)] for i in range(MAX_QUERY_BIGRAMS)))
        lookup = " INTERSECT ".join(["SELECT plan_id, seq FROM plan_bigrams WHERE gram = ?"] * len(grams))
        if len(query) == 2:
            return lookup, tuple(grams), "1 = 1", ()
        return lookup, tuple(grams), self._contains("c.text"), (query,)

    def _clauses_holding(self, query: str) -> tuple[str, str, tuple]:
        """The clauses ``c`` holding ``query``: (FROM, WHERE, their arguments). Found in an index, the candidates
        drive the join (CROSS JOIN: SQLite keeps that order; so should the plans joined after them), so that the
        cost follows the hits, not the plans held times the hits."""
        lookup, lookup_args, confirm, confirm_args = self._clause_lookup(query)
        if not lookup:
            return "plan_clauses c", confirm, confirm_args
        return (f"({lookup}) h CROSS JOIN plan_clauses c", f"c.plan_id = h.plan_id AND c.seq = h.seq AND {confirm}",
                (*lookup_args, *confirm_args))

    def catalogue(self, filters: Mapping[str, Any] | None = None, query: str = "", *, limit: int = 50,
                  offset: int = 0) -> tuple[int, list[CatalogueEntry]]:
        """Listed plans matching ``filters`` (``adcode``, ``level``, ``province``, ``year``, ``issuer``,
        ``plan_type``: equal; ``adcodes``: the unit is one of these) and, if ``query``, whose title or a clause
        holds it; ordered by level, then newest year first. Returns (how many match, this page of them)."""
        where, args = self._catalogue_where(filters, query)
        with self._transaction(write=False) as run:
            total = int(run(f"SELECT COUNT(*) FROM plan_catalogue p WHERE {where}", args)[0][0])
            rows = run(f"SELECT {_ENTRY_COLUMNS} FROM plan_catalogue p WHERE {where} "
                       f"ORDER BY {_LEVEL_RANK}, COALESCE(p.year, 0) DESC, p.created DESC, p.plan_id LIMIT ? OFFSET ?",
                       (*args, int(limit), int(offset)))
        return total, [_entry(r) for r in rows]

    def _catalogue_where(self, filters: Mapping[str, Any] | None, query: str) -> tuple[str, tuple]:
        where, args = ["p.listed = 1"], []
        for key in ("adcode", "level", "province", "issuer", "plan_type"):
            value = (filters or {}).get(key)
            if value:
                where.append(f"p.{key} = ?")
                args.append(str(value))
        year = (filters or {}).get("year")
        if year:
            where.append("p.year = ?")
            args.append(int(year))
        adcodes = [str(a) for a in (filters or {}).get("adcodes") or ()][:200]
        if adcodes:
            where.append(f"p.adcode IN ({', '.join('?' * len(adcodes))})")
            args.extend(adcodes)
        if query:
            clauses, holds, holds_args = self._clauses_holding(str(query))
            where.append(f"({self._contains('p.title')} OR p.plan_id IN (SELECT c.plan_id FROM {clauses} "
                         f"WHERE {holds}))")
            args.extend([str(query), *holds_args])
        return " AND ".join(where), tuple(args)

    def search(self, query: str, filters: Mapping[str, Any] | None = None, *, limit: int = 50,
               offset: int = 0) -> tuple[int, list[ClauseHit]]:
        """Clauses of listed plans (matching ``filters`` as for `catalogue`) that hold ``query``, plans by
        level and newest year first, clauses in document order. Returns (how many clauses match, this page)."""
        query = str(query or "").strip()
        if not query:
            return 0, []
        where, args = self._catalogue_where(filters, "")
        clauses, holds, holds_args = self._clauses_holding(query)
        sql = f"FROM {clauses} CROSS JOIN plan_catalogue p WHERE p.plan_id = c.plan_id AND {holds} AND {where}"
        with self._transaction(write=False) as run:
            total = int(run(f"SELECT COUNT(*) {sql}", (*holds_args, *args))[0][0])
            rows = run(f"SELECT c.plan_id, c.clause, c.text {sql} "
                       f"ORDER BY {_LEVEL_RANK}, COALESCE(p.year, 0) DESC, p.created DESC, p.plan_id, c.seq "
                       "LIMIT ? OFFSET ?", (*holds_args, *args, int(limit), int(offset)))
        return total, [ClauseHit(pid, clause, text, text.find(query)) for pid, clause, text in rows]

    def facets(self) -> dict[str, list[tuple[Any, int]]]:
        """The values the catalogue's filters offer, each with how many listed plans have it, most first:
        ``level``, ``province``, ``year`` (newest first), ``issuer``, ``plan_type``, ``adcode``."""
        out: dict[str, list[tuple[Any, int]]] = {}
        with self._transaction(write=False) as run:
            for key in ("level", "province", "year", "issuer", "plan_type", "adcode"):
                order = "p.year DESC" if key == "year" else f"COUNT(*) DESC, p.{key}"
                rows = run(f"SELECT p.{key}, COUNT(*) FROM plan_catalogue p WHERE p.listed = 1 "
                           f"AND p.{key} IS NOT NULL AND p.{key} <> ? GROUP BY p.{key} ORDER BY {order}",
                           ("" if key != "year" else 0,))
                out[key] = [(v, int(n)) for v, n in rows]
        return out

    def clause_texts(self, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
        """The text (and position) of these (plan, clause) pairs from the index, for at most 500 pairs:
        what where plans meet shows of each plan without reading it."""
        wanted = list(dict.fromkeys((str(p), str(c)) for p, c in pairs if isinstance(p, str) and STORED_ID.match(p)))
        wanted = wanted[:500]
        if not wanted:
            return {}
        plans = list(dict.fromkeys(p for p, _ in wanted))
        clauses = list(dict.fromkeys(c for _, c in wanted))
        with self._transaction(write=False) as run:
            rows = run(f"SELECT plan_id, clause, seq, text FROM plan_clauses WHERE plan_id IN ({', '.join('?' * len(plans))}) "
                       f"AND clause IN ({', '.join('?' * len(clauses))})", (*plans, *clauses))
        keep = set(wanted)
        return {(p, c): (int(seq), text) for p, c, seq, text in rows if (p, c) in keep}

    def footprints(self) -> list[tuple[str, str, str, str, int, int | None, int | None]]:
        """Listed plans counted by the unit they govern: (level, adcode, place, province, plans, first year,
        last year), by level then most plans first (the Overview's aggregated map)."""
        with self._transaction(write=False) as run:
            rows = run(f"SELECT p.level, p.adcode, MAX(p.place), p.province, COUNT(*), MIN(p.year), MAX(p.year) "
                       f"FROM plan_catalogue p WHERE p.listed = 1 AND p.adcode <> '' "
                       f"GROUP BY p.level, p.adcode, p.province ORDER BY MIN({_LEVEL_RANK}), COUNT(*) DESC, p.adcode")
        return [(lv, a, pl, pr, int(n), y0, y1) for lv, a, pl, pr, n, y0, y1 in rows]

    def entries(self, plan_ids: Sequence[str]) -> dict[str, CatalogueEntry]:
        """The catalogue entries of these plans (listed or not; withdrawn ones have none), by id."""
        wanted = [p for p in dict.fromkeys(plan_ids) if isinstance(p, str) and STORED_ID.match(p)][:1000]
        if not wanted:
            return {}
        with self._transaction(write=False) as run:
            rows = run(f"SELECT {_ENTRY_COLUMNS} FROM plan_catalogue p "
                       f"WHERE p.plan_id IN ({', '.join('?' * len(wanted))})", tuple(wanted))
        return {e.plan: e for e in map(_entry, rows)}

    def plans_naming(self, adcodes: Sequence[str]) -> list[tuple[CatalogueEntry, tuple[UnitMention, ...]]]:
        """Every listed plan that names one of these units, with the features naming it: plans by level
        (province, prefecture, county), then by year and publication, oldest first."""
        wanted = [str(a) for a in dict.fromkeys(adcodes)][:50]
        if not wanted:
            return []
        with self._transaction(write=False) as run:
            rows = run(f"SELECT {_ENTRY_COLUMNS}, u.adcode, u.feature, u.kind, u.name, u.role, u.clauses, u.excerpts "
                       f"FROM plan_units u JOIN plan_catalogue p ON p.plan_id = u.plan_id "
                       f"WHERE u.adcode IN ({', '.join('?' * len(wanted))}) AND p.listed = 1 "
                       f"ORDER BY {_LEVEL_RANK}, COALESCE(p.year, 0), p.created, p.plan_id, u.feature", tuple(wanted))
        out: dict[str, tuple[CatalogueEntry, list[UnitMention]]] = {}
        n = len(_ENTRY_COLUMNS.split(","))
        for r in rows:
            entry = out.setdefault(r[0], (_entry(r[:n]), []))
            adcode, feature, kind, name, role, clauses, excerpts = r[n:]
            entry[1].append(UnitMention(r[0], adcode, feature, kind, name, role, tuple(json.loads(clauses)),
                                        tuple((str(c), str(x)) for c, x in json.loads(excerpts))))
        return [(e, tuple(units)) for e, units in out.values()]

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
            self._drop_index(run, plan_id)
            return bool(run("DELETE FROM plans WHERE id = ? RETURNING id", (plan_id,)))

    def withdraw(self, plan_id: str, by: str) -> bool:
        """Withdraw a plan: title, text, jurisdiction and layers are emptied, who and when kept."""
        if not isinstance(plan_id, str) or not STORED_ID.match(plan_id):
            return False
        with self._transaction(write=True) as run:
            self._drop_index(run, plan_id)
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

