"""The plan store, against both backends: content-hash ids, saved plans, durable drafts, schema versions, faults.

Every test taking ``any_store`` runs twice: on SQLite and on a real PostgreSQL server (`tests.pgserver`, or
``$GEO_TEST_PG_URL``). Faults are made for real: a read-only SQLite file and database, a store capped in
size, a revoked privilege, a stopped server.
"""

from __future__ import annotations

import concurrent.futures
import json
import math
import os
import sqlite3
import subprocess
import sys
import threading

import psycopg
import pytest

from geo.importer.draft import draft_plan
from geo.store import (
    DRAFT_TOKEN,
    MAX_DRAFT_REVISIONS,
    MIGRATIONS,
    SCHEMA_VERSION,
    STORED_ID,
    DraftRevision,
    PlanStore,
    PlanWithdrawn,
    PostgresPlanStore,
    QuotaExceeded,
    SQLitePlanStore,
    StoredPlan,
    StoreError,
    default_store,
    new_draft_token,
    plan_id_for,
    purge_expired_drafts,
)
from tests.conftest import ROOT

TEXT = "厦门市推进厦漳泉同城化实施方案\n一、空间格局\n构建“一核两翼”格局。“一核”包括思明区、湖里区。\n二、合作\n深化与漳州、泉州的合作。"


@pytest.fixture(scope="module")
def draft():
    return draft_plan(TEXT)


def juris(d) -> dict:
    j = d.jurisdiction
    return {"adcode": j.adcode, "name": j.name, "level": j.level, "stated": j.stated, "reason": j.reason}


@pytest.fixture
def store(any_store):
    return any_store


def backend(store) -> str:
    return "sqlite" if isinstance(store, SQLitePlanStore) else "postgresql"


def same_store(store):
    """Another store object on the same database: what a restarted (or a second) server opens."""
    return SQLitePlanStore(store.path) if isinstance(store, SQLitePlanStore) else PostgresPlanStore(store.url)


# --------------------------------------------------------------------------- saved plans


def test_ids_are_content_hashes_of_letters(draft):
    a = plan_id_for(TEXT, juris(draft), draft.collection)
    assert STORED_ID.match(a)
    assert a == plan_id_for(TEXT, juris(draft), draft.collection)
    assert a != plan_id_for(TEXT + "。", juris(draft), draft.collection)
    assert a != plan_id_for(TEXT, {**juris(draft), "adcode": "350000"}, draft.collection)
    edited = {**draft.collection, "features": draft.collection["features"][:-1]}
    assert a != plan_id_for(TEXT, juris(draft), edited)
    # the plan stamp does not change the id: a saved plan saved again keeps it
    stamped = {**draft.collection, "features": [{**f, "properties": {**f["properties"], "plan": a}}
                                                for f in draft.collection["features"]]}
    assert a == plan_id_for(TEXT, juris(draft), stamped)


def test_save_get_list_delete(store, draft):
    assert isinstance(store, PlanStore)
    pid = store.save("厦门方案", TEXT, juris(draft), draft.collection)
    assert store.save("another title", TEXT, juris(draft), draft.collection) == pid  # stored once
    plan = store.get(pid)
    assert isinstance(plan, StoredPlan) and plan.title == "厦门方案" and plan.text == TEXT
    assert plan.jurisdiction["adcode"] == "350200"
    assert all(f["properties"]["plan"] == pid for f in plan.layers["features"])
    assert [f["id"] for f in plan.layers["features"]] == [f["id"] for f in draft.collection["features"]]
    assert store.list() == []  # unlisted by default: its link opens it, no picker offers it
    assert store.save("t", TEXT, juris(draft), draft.collection, listed=True) == pid  # publishing it listed lists it
    assert [row[0] for row in store.list()] == [pid] and store.get(pid).listed
    assert store.delete(pid) and store.get(pid) is None and not store.delete(pid)


@pytest.mark.parametrize("bad", ["", "mianyang", "../../etc/passwd", "abcdefghijklmnoP", "x' OR '1'='1", 7, None])
def test_malformed_or_unknown_ids_are_none(store, bad):
    assert store.get(bad) is None
    assert store.delete(bad) is False
    assert store.get_draft(bad) is None and store.delete_draft(bad) is False


def test_a_stored_plan_opens_like_a_bundled_one(store, draft):
    pid = store.save("", TEXT, juris(draft), draft.collection)
    plan = store.get(pid).to_plan()
    assert plan.id == pid and plan.meta.jurisdiction.adcode == "350200"
    assert plan.outline.ids == draft.outline.ids  # clause ids are stable: the links into the text hold
    layers = store.get(pid).layers_by_kind()
    assert next(iter(layers)) == "admin" and "core" in layers


def test_the_store_survives_a_new_process(store, draft):
    pid = store.save("t", TEXT, juris(draft), draft.collection)
    opened = (f"SQLitePlanStore({store.path!r})" if backend(store) == "sqlite" else f"PostgresPlanStore({store.url!r})")
    code = (f"from geo.store import SQLitePlanStore, PostgresPlanStore; p = {opened}.get({pid!r}); "
            "print(p.title, len(p.layers['features']))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=False)
    assert out.stdout.split() == ["t", str(len(draft.collection["features"]))], out.stderr


def test_concurrent_saves(store, draft):
    texts = [TEXT + "\n" + "补充。" * i for i in range(12)]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        ids = list(pool.map(lambda t: store.save("t", t, juris(draft), draft.collection), texts))
    assert len(set(ids)) == 12 and all(store.get(i) for i in ids)


def test_concurrent_saves_of_the_same_content_give_one_record(store, draft):
    """Many sessions (and, here, several server processes' store objects) publish the same plan at once."""
    stores = [store, same_store(store), same_store(store)]
    start = threading.Barrier(12)

    def publish(n: int) -> str:
        start.wait()
        return stores[n % 3].save(f"title {n}", TEXT, juris(draft), draft.collection, listed=n % 2 == 0)

    try:
        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            ids = list(pool.map(publish, range(12)))
    finally:
        for other in stores[1:]:
            other.close()
    assert len(set(ids)) == 1 and store.list() == [(ids[0], store.get(ids[0]).title, store.list()[0][2])]


# --------------------------------------------------------------------------- schema versions


def test_the_schema_is_versioned(store):
    assert store.schema_version() == SCHEMA_VERSION == MIGRATIONS[-1][0]
    assert [m[0] for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))  # ordered, none skipped
    again = same_store(store)  # a restart migrates nothing and changes nothing
    assert again.schema_version() == SCHEMA_VERSION
    again.close()


def test_an_older_sqlite_store_is_migrated_with_its_plans(tmp_path, draft):
    path = tmp_path / "plans.sqlite3"
    con = sqlite3.connect(path)  # the store as it was before versions: the plans table alone
    con.execute(MIGRATIONS[0][2][0])
    con.execute("INSERT INTO plans VALUES ('abcdefghijklmnop', 'old', ?, '{}', '{\"features\": []}', 1.0)", (TEXT,))
    con.commit()
    con.close()
    store = SQLitePlanStore(path)
    assert store.schema_version() == SCHEMA_VERSION and store.get("abcdefghijklmnop").title == "old"
    rows = sqlite3.connect(path).execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert [r[0] for r in rows] == [m[0] for m in MIGRATIONS]


def test_a_newer_schema_is_refused_with_a_message(tmp_path):
    path = tmp_path / "plans.sqlite3"
    SQLitePlanStore(path)
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_version VALUES (?, 'from the future', 0)", (SCHEMA_VERSION + 1,))
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="upgrade the app"):
        SQLitePlanStore(path)


def test_servers_starting_together_migrate_once(pg_url):
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: PostgresPlanStore(pg_url), range(4)))
    assert {s.schema_version() for s in stores} == {SCHEMA_VERSION}
    with psycopg.connect(pg_url) as con:
        assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)
    for s in stores:
        s.close()


# --------------------------------------------------------------------------- drafts


def revision(token: str, n: int, draft, parent: int | None = None, saved_as: str | None = None) -> DraftRevision:
    rid = lambda k: f"draft{token}{'abcdefghij'[k % 10] * 9}{'abcdefghijklmnopqrstuvwxyz'[k // 10]}"
    layers = {**draft.collection, "features": draft.collection["features"][: n + 1]}
    return DraftRevision(rid(n), rid(parent) if parent is not None else None, juris(draft), layers, saved_as)


def test_tokens_are_long_random_letters():
    tokens = {new_draft_token() for _ in range(200)}
    assert len(tokens) == 200 and all(DRAFT_TOKEN.match(t) for t in tokens)
    token = new_draft_token()
    assert set(token) <= set("abcdefghijklmnopqrstuvwxyz") and len(token) * math.log2(26) >= 128  # ≥ 128 bits


def test_a_draft_is_autosaved_and_reopened_with_its_history(store, draft):
    token = new_draft_token()
    first = revision(token, 0, draft)
    store.save_draft(token, "厦门方案", "粘贴 / pasted", TEXT, first.id, [first])
    second = revision(token, 1, draft, parent=0)
    store.save_draft(token, "厦门方案", "粘贴 / pasted", TEXT, second.id, [second])
    later = same_store(store)  # the server restarted
    got = later.get_draft(token)
    assert (got.title, got.source, got.text, got.head) == ("厦门方案", "粘贴 / pasted", TEXT, second.id)
    assert [r.id for r in got.revisions] == [first.id, second.id] and got.revisions[1].parent == first.id
    assert got.revisions[1].layers == second.layers and got.revisions[0].jurisdiction["adcode"] == "350200"
    store.save_draft(token, "厦门方案", "粘贴 / pasted", TEXT, first.id)  # undo: the head moves back
    assert later.get_draft(token).head == first.id and len(later.get_draft(token).revisions) == 2
    # published: the revision remembers the stored plan it became
    store.save_draft(token, "厦门方案", "粘贴 / pasted", TEXT, first.id, [revision(token, 0, draft, saved_as="p" * 16)])
    assert later.get_draft(token).revisions[-1].saved_as == "p" * 16
    store.save_draft(token, "厦门方案", "粘贴 / pasted", TEXT, first.id, [revision(token, 0, draft)])
    assert later.get_draft(token).revisions[-1].saved_as == "p" * 16  # not forgotten by a later autosave
    later.close()


def test_drafts_keep_their_latest_revisions(store, draft):
    token = new_draft_token()
    for n in range(MAX_DRAFT_REVISIONS + 5):
        rev = revision(token, n, draft, parent=n - 1 if n else None)
        store.save_draft(token, "t", "s", TEXT, rev.id, [rev])
    got = store.get_draft(token)
    assert len(got.revisions) == MAX_DRAFT_REVISIONS and got.revisions[-1].id == got.head
    assert got.revisions[0].id == revision(token, 5, draft).id


def test_drafts_are_listed_by_token_only_and_deleted(store, draft):
    mine, other = new_draft_token(), new_draft_token()
    for token, title in ((mine, "我的"), (other, "别人的")):
        rev = revision(token, 0, draft)
        store.save_draft(token, title, "s", TEXT, rev.id, [rev])
    assert store.list_drafts([]) == []  # nothing lists every draft
    assert [(t, title, head) for t, title, head, _ in store.list_drafts([mine, "x" * 28, "bad"])] == [
        (mine, "我的", revision(mine, 0, draft).id)]
    assert store.delete_draft(mine) and store.get_draft(mine) is None and not store.delete_draft(mine)
    assert store.get_draft(other).title == "别人的"
    with pytest.raises(ValueError):
        store.save_draft("short", "t", "s", TEXT, "draftx", [])


# --------------------------------------------------------------------------- faults


def test_an_unusable_path_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        SQLitePlanStore(blocker / "sub" / "plans.sqlite3")


def test_a_read_only_sqlite_store_refuses_saves_with_a_message(tmp_path, draft):
    path = tmp_path / "plans.sqlite3"
    kept = SQLitePlanStore(path).save("t", TEXT, juris(draft), draft.collection)
    read_only = SQLitePlanStore(f"file:{path}?mode=ro")  # as a read-only mount opens it
    assert read_only.get(kept).title == "t"  # what is saved still opens
    with pytest.raises(StoreError, match="只读.*read-only"):
        read_only.save("t", TEXT + "。", juris(draft), draft.collection)
    token = new_draft_token()
    with pytest.raises(StoreError, match="read-only"):
        read_only.save_draft(token, "t", "s", TEXT, "d", [revision(token, 0, draft)])
    assert len(SQLitePlanStore(path).records()) == 1 and SQLitePlanStore(path).get_draft(token) is None
    if os.geteuid() != 0:  # root ignores file modes: the URI above is the same fault, made for root too
        path.chmod(0o444)
        with pytest.raises(StoreError, match="read-only"):
            SQLitePlanStore(path).save("t", TEXT + "。。", juris(draft), draft.collection)


def test_a_full_store_refuses_a_save_and_writes_nothing_of_it(tmp_path, draft):
    path = tmp_path / "plans.sqlite3"
    SQLitePlanStore(path)
    full = SQLitePlanStore(path, max_bytes=160 * 1024)
    big = {**draft.collection, "features": draft.collection["features"] * 40}
    token = new_draft_token()
    rev = DraftRevision(f"draft{token}aaaaaaaaaa", None, juris(draft), big)
    with pytest.raises(StoreError, match="已满.*full"):
        full.save_draft(token, "t", "s", TEXT, rev.id, [rev])
    assert full.get_draft(token) is None  # the draft's row went with its revision: one transaction
    with pytest.raises(StoreError, match="full"):
        full.save("t", TEXT, juris(draft), big)
    assert full.records() == []
    small = full.save("t", TEXT, juris(draft), draft.collection)  # what fits is still saved
    assert full.get(small) is not None


def test_a_read_only_postgresql_database_refuses_saves(pg_url, pg_admin_url, draft):
    store = PostgresPlanStore(pg_url)
    kept = store.save("t", TEXT, juris(draft), draft.collection)
    dbname = psycopg.conninfo.conninfo_to_dict(pg_url)["dbname"]
    with psycopg.connect(pg_admin_url, autocommit=True) as con:
        con.execute(f'ALTER DATABASE "{dbname}" SET default_transaction_read_only = on')
    store.close()
    restarted = PostgresPlanStore(pg_url)  # new sessions of the database are read-only
    assert restarted.get(kept).title == "t"
    with pytest.raises(StoreError, match="只读.*read-only"):
        restarted.save("t", TEXT + "。", juris(draft), draft.collection)
    assert len(restarted.records()) == 1
    restarted.close()


def test_a_revoked_privilege_refuses_saves_and_leaves_nothing_half_written(pg_url, draft):
    store = PostgresPlanStore(pg_url)  # creates the schema as its owner
    role = "planner_" + psycopg.conninfo.conninfo_to_dict(pg_url)["dbname"][-12:]
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute(f"CREATE ROLE {role} LOGIN")
        con.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
        con.execute(f"REVOKE INSERT ON draft_revisions FROM {role}")
    c = psycopg.conninfo.conninfo_to_dict(pg_url)
    planner = PostgresPlanStore(f"postgresql://{role}@{c['host']}:{c.get('port', 5432)}/{c['dbname']}")
    try:
        token = new_draft_token()
        rev = revision(token, 0, draft)
        with pytest.raises(StoreError, match="read-only"):
            planner.save_draft(token, "t", "s", TEXT, rev.id, [rev])
        assert store.get_draft(token) is None  # its drafts row was rolled back with the failed revision
        assert planner.save("t", TEXT, juris(draft), draft.collection)  # what it may still do, it does
    finally:
        planner.close()
        with psycopg.connect(pg_url, autocommit=True) as con:
            con.execute(f"DROP OWNED BY {role}")
            con.execute(f"DROP ROLE {role}")
        store.close()


def test_no_server_is_a_message(pg_admin_url):
    from tests.pgserver import _free_port

    url = f"postgresql://postgres@127.0.0.1:{_free_port()}/nothing"
    with pytest.raises(StoreError, match="无法连接.*cannot reach"):
        PostgresPlanStore(url, timeout=1)


def test_a_stopped_server_is_a_message_and_its_return_is_noticed(draft):
    from tests.pgserver import server_or_skip, stopped

    server, url = server_or_skip()
    try:
        store = PostgresPlanStore(url, timeout=2)
        first = store.save("t", TEXT, juris(draft), draft.collection)
        with stopped(url):
            with pytest.raises(StoreError, match="cannot reach"):
                store.save("t", TEXT + "。", juris(draft), draft.collection)
            with pytest.raises(StoreError, match="cannot reach"):
                store.get(first)
        again = store.save("t", TEXT + "。", juris(draft), draft.collection)  # the pool reconnects
        assert {p.id for p in store.records()} == {first, again}
        store.close()
    finally:
        server.__exit__(None, None, None)


# --------------------------------------------------------------------------- which store


def test_path_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("GEO_STORE_URL", raising=False)
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "elsewhere" / "p.sqlite3"))
    store = default_store()
    assert store.path == str(tmp_path / "elsewhere" / "p.sqlite3")
    assert (tmp_path / "elsewhere" / "p.sqlite3").exists()
    assert default_store() is store


def test_url_from_the_environment_selects_postgresql(pg_url, monkeypatch):
    monkeypatch.setenv("GEO_STORE_URL", pg_url)
    store = default_store()
    assert isinstance(store, PostgresPlanStore) and default_store() is store
    assert "password" not in repr(store)
    monkeypatch.setenv("GEO_STORE_URL", "mysql://somewhere/db")
    with pytest.raises(StoreError, match="postgresql://"):
        default_store()


def test_in_memory_store(draft):
    store = SQLitePlanStore(":memory:")
    pid = store.save("m", TEXT, juris(draft), draft.collection)
    assert store.get(pid).title == "m"


# --------------------------------------------------------------------------- visibility, owners, quotas, tombstones


def _layers_variant(draft, n: int) -> dict:
    """The draft's layers with one feature renamed: other content, another id."""
    features = [dict(f) for f in draft.collection["features"]]
    features[0] = {**features[0], "properties": {**features[0]["properties"], "name": f"变体{n}"}}
    return {**draft.collection, "features": features}


def test_listed_and_unlisted_plans(store, draft):
    hidden = store.save("hidden", TEXT, juris(draft), _layers_variant(draft, 1), owner="a@b.cn")
    shown = store.save("shown", TEXT, juris(draft), _layers_variant(draft, 2), owner="a@b.cn", listed=True)
    assert [row[0] for row in store.list()] == [shown]
    assert store.get(hidden).title == "hidden" and not store.get(hidden).listed  # the link still opens it
    assert store.get(shown).owner == "a@b.cn"
    assert {r.id: r.listed for r in store.records()} == {hidden: False, shown: True}


def test_a_withdrawn_plan_leaves_a_tombstone_without_its_content(store, draft):
    pid = store.save("<b>spam</b>", TEXT, juris(draft), draft.collection, owner="x@b.cn", listed=True)
    assert store.tombstone(pid) is None
    assert store.withdraw(pid, "admin@b.cn") and not store.withdraw(pid, "admin@b.cn")
    assert store.get(pid) is None and store.list() == []
    tomb = store.tombstone(pid)
    assert tomb.id == pid and tomb.by == "admin@b.cn" and tomb.withdrawn > 0
    record, = store.records()
    assert record.withdrawn_by == "admin@b.cn" and record.title == "" and not record.listed
    with same_store(store)._transaction(write=False) as run:
        title, text, layers = run("SELECT title, text, layers FROM plans WHERE id = ?", (pid,))[0]
    assert (title, text, layers) == ("", "", "{}")  # the content is gone
    with pytest.raises(PlanWithdrawn, match="withdrawn"):  # and cannot come back under the same id
        store.save("again", TEXT, juris(draft), draft.collection)
    assert store.tombstone("mianyang") is None and store.withdraw("nonsense", "a") is False


def test_publish_quota_per_owner_in_24_hours(store, draft):
    a = store.save("1", TEXT, juris(draft), _layers_variant(draft, 1), owner="ip:10.0.0.1", quota=2)
    store.save("2", TEXT, juris(draft), _layers_variant(draft, 2), owner="ip:10.0.0.1", quota=2)
    with pytest.raises(QuotaExceeded, match="publish limit") as exc:
        store.save("3", TEXT, juris(draft), _layers_variant(draft, 3), owner="ip:10.0.0.1", quota=2)
    assert exc.value.what == "publishes" and exc.value.limit == 2
    assert store.save("1", TEXT, juris(draft), _layers_variant(draft, 1), owner="ip:10.0.0.1", quota=2) == a  # no new record
    store.save("3", TEXT, juris(draft), _layers_variant(draft, 3), owner="ip:10.0.0.2", quota=2)  # another owner
    assert len(store.records()) == 3


def test_draft_quota_per_owner_keeps_existing_drafts_saving(store, draft):
    tokens = [new_draft_token() for _ in range(3)]
    rev = DraftRevision("draft" + tokens[0] + "a" * 10, None, juris(draft), draft.collection)
    store.save_draft(tokens[0], "t", "s", TEXT, rev.id, [rev], owner="p@b.cn", quota=2)
    store.save_draft(tokens[1], "t", "s", TEXT, "h", owner="p@b.cn", quota=2)
    with pytest.raises(QuotaExceeded, match="draft limit") as exc:
        store.save_draft(tokens[2], "t", "s", TEXT, "h", owner="p@b.cn", quota=2)
    assert exc.value.what == "drafts" and store.get_draft(tokens[2]) is None  # nothing written
    store.save_draft(tokens[0], "t2", "s", TEXT, rev.id, owner="p@b.cn", quota=2)  # an existing draft saves
    assert store.get_draft(tokens[0]).title == "t2" and store.count_drafts("p@b.cn") == 2
    store.save_draft(tokens[2], "t", "s", TEXT, "h", owner="q@b.cn", quota=2)
    usage = {u.owner: u for u in store.usage()}
    assert usage["p@b.cn"].drafts == 2 and usage["q@b.cn"].drafts == 1


def test_usage_counts_plans_and_publishes_per_owner(store, draft):
    store.save("1", TEXT, juris(draft), _layers_variant(draft, 1), owner="a@b.cn", listed=True)
    pid = store.save("2", TEXT, juris(draft), _layers_variant(draft, 2), owner="a@b.cn")
    store.save("3", TEXT, juris(draft), _layers_variant(draft, 3), owner="ip:10.0.0.9")
    store.withdraw(pid, "admin")
    usage = {u.owner: u for u in store.usage()}
    assert (usage["a@b.cn"].plans, usage["a@b.cn"].listed, usage["a@b.cn"].withdrawn,
            usage["a@b.cn"].publishes_24h) == (2, 1, 1, 2)
    assert usage["ip:10.0.0.9"].plans == 1 and usage["ip:10.0.0.9"].drafts == 0


def test_drafts_expire_unless_touched(store, draft, monkeypatch):
    old, kept, touched = (new_draft_token() for _ in range(3))
    for token in (old, kept, touched):
        rev = DraftRevision("draft" + token + "a" * 10, None, juris(draft), draft.collection)
        store.save_draft(token, "t", "s", TEXT, rev.id, [rev])
    with store._transaction(write=True) as run:  # two drafts last saved 40 days ago
        run("UPDATE drafts SET updated = updated - ? WHERE token IN (?, ?)", (40 * 86400, old, touched))
    store.touch_draft(touched)  # opened now
    monkeypatch.setenv("GEO_DRAFT_TTL_DAYS", "30")
    assert purge_expired_drafts(store, force=True) == 1
    assert store.get_draft(old) is None and store.get_draft(kept) and store.get_draft(touched)
    with store._transaction(write=False) as run:
        assert run("SELECT COUNT(*) FROM draft_revisions WHERE token = ?", (old,))[0][0] == 0
    assert purge_expired_drafts(store) == 0  # not again within the hour
    monkeypatch.setenv("GEO_DRAFT_TTL_DAYS", "0")  # kept forever
    with store._transaction(write=True) as run:
        run("UPDATE drafts SET updated = 0")
    assert purge_expired_drafts(store, force=True) == 0 and store.get_draft(kept)


def test_migration_3_keeps_older_plans_unlisted_and_drafts(tmp_path, draft):
    path = tmp_path / "v2.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                "applied DOUBLE PRECISION NOT NULL)")
    for version, description, statements in MIGRATIONS[:2]:
        for statement in statements:
            con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, ?, 0)", (version, description))
    con.execute("INSERT INTO plans VALUES ('abcdefghijklmnop', 'old', 'x', '{}', '{}', 1)")
    con.execute("INSERT INTO drafts VALUES (?, 't', 's', 'x', 'h', 1, 2)", ("a" * 28,))
    con.commit()
    con.close()
    store = SQLitePlanStore(path)
    assert store.schema_version() == SCHEMA_VERSION
    plan = store.get("abcdefghijklmnop")
    assert plan.title == "old" and not plan.listed and plan.owner == "" and store.list() == []
    assert store.get_draft("a" * 28).head == "h"


def test_a_deleted_sqlite_file_is_created_again(tmp_path, draft):
    path = tmp_path / "gone" / "plans.sqlite3"
    store = SQLitePlanStore(path)
    pid = store.save("t", TEXT, juris(draft), draft.collection)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    os.rmdir(path.parent)  # the folder too
    assert store.get(pid) is None  # no error: an empty store again
    assert store.schema_version() == SCHEMA_VERSION
    assert store.save("t", TEXT, juris(draft), draft.collection) == pid and store.get(pid).title == "t"
    token = new_draft_token()
    store.save_draft(token, "t", "s", TEXT, "h")
    assert store.get_draft(token).head == "h"


def test_a_file_emptied_under_the_server_is_migrated_again(tmp_path, draft):
    path = tmp_path / "plans.sqlite3"
    store = SQLitePlanStore(path)
    con = sqlite3.connect(path)
    for table in ("plans", "drafts", "draft_revisions", "schema_version"):
        con.execute(f"DROP TABLE {table}")
    con.commit()
    con.close()
    with pytest.raises(StoreError):  # the query that finds the table gone fails ...
        store.get(plan_id_for(TEXT, juris(draft), draft.collection))
    pid = store.save("t", TEXT, juris(draft), draft.collection)  # ... the next one migrates first
    assert store.get(pid).title == "t" and store.schema_version() == SCHEMA_VERSION


def test_postgresql_tables_dropped_under_the_server_are_created_again(pg_url, draft):
    store = PostgresPlanStore(pg_url)
    try:
        with psycopg.connect(pg_url, autocommit=True) as con:
            con.execute("DROP TABLE plans, drafts, draft_revisions, schema_version")
        with pytest.raises(StoreError):
            store.list()
        pid = store.save("t", TEXT, juris(draft), draft.collection)
        assert store.get(pid).title == "t" and store.schema_version() == SCHEMA_VERSION
    finally:
        store.close()


# --------------------------------------------------------------------------- the index (catalogue, units, search)

COUNTY_TEXT = ("旺苍县推进区域协调发展实施方案\n旺府办发〔2017〕24号\n一、总体格局\n构建“一核两翼”格局。“一核”为东河镇，"
               "“两翼”为嘉川镇、木门镇。\n二、交通\n旺苍与苍溪、南江共建交通走廊。")


@pytest.fixture(scope="module")
def county_draft():
    return draft_plan(COUNTY_TEXT)


def test_a_publish_indexes_catalogue_units_and_clauses(store, draft):
    pid = store.save("厦门市推进厦漳泉同城化实施方案", TEXT, juris(draft), draft.collection, listed=True)
    total, entries = store.catalogue()
    assert total == 1
    e = entries[0]
    assert (e.plan, e.adcode, e.place, e.level, e.province) == (pid, "350200", "厦门市", "prefecture", "350000")
    assert e.plan_type == "metro" and e.year is None and e.created == pytest.approx(store.get(pid).created)
    named = store.plans_naming(["350203"])  # 思明区, a member of the 一核
    assert [entry.plan for entry, _ in named] == [pid]
    kinds = {u.kind: u for u in named[0][1]}
    assert {"core", "admin"} <= set(kinds) and kinds["core"].clauses == ("一",)
    assert ("一", "“一核”包括思明区、湖里区") in kinds["core"].excerpts and kinds["core"].role
    assert store.plans_naming(["110101"]) == []


def test_two_characters_are_enough_to_search(store, draft):
    pid = store.save("厦门", TEXT, juris(draft), draft.collection, listed=True)
    total, hits = store.search("漳州")
    assert total == 1 and (hits[0].plan, hits[0].clause) == (pid, "二")
    assert hits[0].text[hits[0].start:hits[0].start + 2] == "漳州"
    assert store.search("思明")[0] == 1 and store.search("西安")[0] == 0 and store.search("  ") == (0, [])
    assert store.catalogue(query="湖里")[0] == 1 and store.catalogue(query="兰州")[0] == 0
    assert store.catalogue(query="厦门")[0] == 1  # the title too


def _bigram_rows(store, plan_id=None) -> int:
    with store._transaction(write=False) as run:
        if plan_id is None:
            return int(run("SELECT COUNT(*) FROM plan_bigrams")[0][0])
        return int(run("SELECT COUNT(*) FROM plan_bigrams WHERE plan_id = ?", (plan_id,))[0][0])


def test_a_search_of_two_characters_is_answered_by_the_bigram_index(store, draft, county_draft):
    """Every two characters of the texts find exactly the clauses a scan finds; then, the bigram rows taken
    away, the same search finds nothing: the index answers it, not a scan."""
    city = store.save("厦门", TEXT, juris(draft), draft.collection, listed=True)
    county = store.save("旺苍", COUNTY_TEXT, juris(county_draft), county_draft.collection, listed=True)
    clauses = [(pid, c.id, d.outline.text[c.span[0]:c.span[1]])
               for pid, d in ((city, draft), (county, county_draft)) for c in d.outline.clauses]
    pairs = {t[i:i + 2] for _p, _c, t in clauses for i in range(len(t) - 1) if not any(ch.isspace() for ch in t[i:i + 2])}
    for pair in sorted(pairs):
        want = sorted((p, c) for p, c, t in clauses if pair in t)
        total, hits = store.search(pair, limit=500)
        assert (total, sorted((h.plan, h.clause) for h in hits)) == (len(want), want), pair
    assert _bigram_rows(store, city) > 20 and _bigram_rows(store, county) > 20
    with store._transaction(write=True) as run:
        run("DELETE FROM plan_bigrams WHERE gram = ?", ("漳州",))
    assert store.search("漳州") == (0, []) and store.search("思明")[0] == 1
    if backend(store) == "postgresql":  # longer queries too: the clauses holding all of their bigrams
        assert store.search("漳州的合作") == (0, []) and store.search("与漳州")[0] == 0 and store.search("深化与漳")[0] == 1
        assert store.search("思明区、湖里区")[0] == 1
    assert store.search("漳")[0] == 1  # one character: a scan, which the bigrams taken away do not change


def test_the_bigrams_of_a_withdrawn_or_deleted_plan_go(store, draft, county_draft):
    city = store.save("厦门", TEXT, juris(draft), draft.collection, listed=True)
    county = store.save("旺苍", COUNTY_TEXT, juris(county_draft), county_draft.collection, listed=True)
    kept = _bigram_rows(store, county)
    assert store.withdraw(city, "admin") and _bigram_rows(store, city) == 0
    assert store.delete(county) and _bigram_rows(store) == 0 and kept > 0
    again = store.save("旺苍", COUNTY_TEXT, juris(county_draft), county_draft.collection, listed=True)
    assert _bigram_rows(store, again) == kept and store.reindex() == 1 and _bigram_rows(store) == kept


def test_a_store_indexed_before_the_bigrams_gains_them(store, draft):
    """A store of version 4 (the index, no bigram table) is given the bigrams of the clauses it indexed."""
    pid = store.save("厦门", TEXT, juris(draft), draft.collection, listed=True)
    rows = _bigram_rows(store, pid)
    with store._transaction(write=True) as run:
        run("DROP TABLE plan_bigrams")
        run("DELETE FROM schema_version WHERE version >= 5")
    again = same_store(store)
    try:
        assert again.schema_version() == SCHEMA_VERSION and _bigram_rows(again, pid) == rows > 0
        assert again.search("漳州")[0] == 1
    finally:
        again.close()


def test_search_words_are_literal(store, draft):
    text = TEXT + "\n三、附则\n增长100%_以上，见'引号'与{{7*7}}，又说\"就绪\" OR NOT*。"
    pid = store.save("x", text, juris(draft), draft.collection, listed=True)
    for words in ("100%_", "'引号'", "{{7*7}}", '"就绪" OR', "OR NOT*", 'NOT*。'):
        total, hits = store.search(words)
        assert total == 1 and hits[0].plan == pid and hits[0].clause == "三", words
    assert store.search("%")[0] == 1 and store.search("_")[0] == 1 and store.search("1%0")[0] == 0
    assert store.search("漳州 OR 思明")[0] == 0 and store.search('"漳州"')[0] == 0  # no query syntax


def test_the_catalogue_filters_and_pages(store, draft, county_draft):
    city = store.save("厦门", TEXT, juris(draft), draft.collection, listed=True)
    county = store.save("旺苍", COUNTY_TEXT, juris(county_draft), county_draft.collection, listed=True)
    assert [e.plan for e in store.catalogue()[1]] == [city, county]  # prefecture before county
    assert store.catalogue({"level": "county"})[1][0].plan == county
    assert store.catalogue({"province": "510000"})[0] == 1 and store.catalogue({"year": 2017})[0] == 1
    assert store.catalogue({"plan_type": "implementation"})[1][0].plan == county
    assert store.catalogue({"adcodes": ["350200", "510821"]})[0] == 2
    assert store.catalogue(limit=1, offset=1) == (2, [store.entries([county])[county]])
    facets = store.facets()
    assert dict(facets["level"]) == {"prefecture": 1, "county": 1} and facets["year"] == [(2017, 1)]
    assert dict(facets["province"]) == {"350000": 1, "510000": 1}


def test_where_plans_meet_orders_by_level_and_date(store, draft, county_draft):
    county = store.save("旺苍", COUNTY_TEXT, juris(county_draft), county_draft.collection, listed=True)
    province = {"adcode": "510000", "name": "四川省", "level": "province", "stated": True, "reason": ""}
    higher = store.save("四川省方案", COUNTY_TEXT + "\n三、附则", province, county_draft.collection, listed=True)
    named = store.plans_naming([county_draft.jurisdiction.adcode])
    assert [e.plan for e, _ in named] == [higher, county]
    assert named[0][0].level == "province" and named[1][0].level == "county"


def test_unlisted_withdrawn_and_deleted_plans_leave_the_index(store, draft):
    hidden = store.save("hidden", TEXT, juris(draft), _layers_variant(draft, 1))
    assert store.catalogue() == (0, []) and store.search("漳州") == (0, []) and store.plans_naming(["350203"]) == []
    assert store.entries([hidden])[hidden].title == "hidden"
    store.save("hidden", TEXT, juris(draft), _layers_variant(draft, 1), listed=True)  # listed later
    assert store.catalogue()[0] == 1 and store.search("漳州")[0] == 1
    shown = store.save("shown", TEXT, juris(draft), _layers_variant(draft, 2), listed=True)
    assert store.withdraw(hidden, "admin") and store.delete(shown)
    assert store.catalogue() == (0, []) and store.search("漳州") == (0, []) and store.entries([hidden, shown]) == {}
    assert store.search("泉州的合作") == (0, [])  # three characters or more: SQLite's full-text index, emptied too
    store.save("shown", TEXT, juris(draft), _layers_variant(draft, 2), listed=True)  # published again
    assert store.catalogue()[0] == 1 and store.plans_naming(["350203"]) and store.search("泉州的合作")[0] == 1
    assert store.reindex() == 1 and store.search("泉州的合作")[0] == 1  # the withdrawn one is not indexed


def test_a_failed_publish_indexes_nothing(store, draft):
    pid = store.save("x", TEXT, juris(draft), draft.collection, owner="q", listed=True)
    with pytest.raises(QuotaExceeded):
        store.save("y", TEXT, juris(draft), _layers_variant(draft, 3), owner="q", listed=True, quota=1)
    assert [e.plan for e in store.catalogue()[1]] == [pid] and store.search("漳州")[0] == 1


def test_the_migration_indexes_plans_already_stored(tmp_path, draft):
    """A store of version 3 (plans, no index) gains the index of every plan it holds when it is opened."""
    path = tmp_path / "v3.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                "applied DOUBLE PRECISION NOT NULL)")
    for version, description, statements in MIGRATIONS[:3]:
        for statement in statements:
            con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, ?, 0)", (version, description))
    layers = json.dumps(draft.collection, ensure_ascii=False)
    con.execute("INSERT INTO plans (id, title, text, jurisdiction, layers, created, listed) "
                "VALUES ('abcdefghijklmnop', '厦门', ?, ?, ?, 5, 1)", (TEXT, json.dumps(juris(draft)), layers))
    con.execute("INSERT INTO plans (id, title, text, jurisdiction, layers, created, listed, withdrawn) "
                "VALUES ('bbcdefghijklmnop', '', '', '{}', '{}', 6, 0, 7)")
    con.commit()
    con.close()
    store = SQLitePlanStore(path)
    assert store.catalogue()[1][0].plan == "abcdefghijklmnop" and store.search("漳州")[0] == 1
    assert store.plans_naming(["350203"])[0][0].created == 5 and store.entries(["bbcdefghijklmnop"]) == {}


def test_the_postgresql_migration_indexes_plans_already_stored(pg_url, draft):
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                    "applied DOUBLE PRECISION NOT NULL)")
        for version, description, statements in MIGRATIONS[:3]:
            for statement in statements:
                con.execute(statement)
            con.execute("INSERT INTO schema_version VALUES (%s, %s, 0)", (version, description))
        con.execute("INSERT INTO plans (id, title, text, jurisdiction, layers, created, listed) "
                    "VALUES ('abcdefghijklmnop', '厦门', %s, %s, %s, 5, 1)",
                    (TEXT, json.dumps(juris(draft)), json.dumps(draft.collection, ensure_ascii=False)))
    store = PostgresPlanStore(pg_url)
    try:
        assert store.catalogue()[1][0].plan == "abcdefghijklmnop" and store.search("漳州")[0] == 1
        assert store.reindex() == 1 and store.plans_naming(["350203"])
    finally:
        store.close()


def test_clause_texts_and_footprints_come_from_the_index(store, draft, county_draft):
    city = store.save("厦门", TEXT, juris(draft), draft.collection, listed=True)
    county = store.save("旺苍", COUNTY_TEXT, juris(county_draft), county_draft.collection, listed=True)
    texts = store.clause_texts([(city, "二"), (county, "一"), (county, "九"), ("qujing", "一")])
    assert set(texts) == {(city, "二"), (county, "一")}  # unknown clauses and bundled ids give nothing
    assert texts[(city, "二")][1].startswith("二、合作") and texts[(city, "二")][0] == 1
    prints = {(lv, a): n for lv, a, _place, _prov, n, _y0, _y1 in store.footprints()}
    assert prints == {("prefecture", "350200"): 1, ("county", "510821"): 1}
    store.save("旺苍", COUNTY_TEXT + "\n三、附则", juris(county_draft), county_draft.collection)  # unlisted
    assert [row[4] for row in store.footprints() if row[1] == "510821"] == [1]
