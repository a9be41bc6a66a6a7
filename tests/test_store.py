"""Saved plans: content-hash ids, the SQLite store behind the PlanStore interface, and reopening a plan."""

from __future__ import annotations

import concurrent.futures
import subprocess
import sys

import pytest

from geo.draft import draft_plan
from geo.store import (
    STORED_ID,
    PlanStore,
    SQLitePlanStore,
    StoredPlan,
    StoreError,
    default_store,
    plan_id_for,
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
def store(tmp_path):
    return SQLitePlanStore(tmp_path / "store" / "plans.sqlite3")


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
    assert [row[0] for row in store.list()] == [pid]
    assert store.delete(pid) and store.get(pid) is None and not store.delete(pid)


@pytest.mark.parametrize("bad", ["", "mianyang", "../../etc/passwd", "abcdefghijklmnoP", "x' OR '1'='1", 7, None])
def test_malformed_or_unknown_ids_are_none(store, bad):
    assert store.get(bad) is None
    assert store.delete(bad) is False


def test_a_stored_plan_opens_like_a_bundled_one(store, draft):
    pid = store.save("", TEXT, juris(draft), draft.collection)
    plan = store.get(pid).to_plan()
    assert plan.id == pid and plan.meta.jurisdiction.adcode == "350200"
    assert plan.outline.ids == draft.outline.ids  # clause ids are stable: the links into the text hold
    layers = store.get(pid).layers_by_kind()
    assert next(iter(layers)) == "admin" and "core" in layers


def test_the_store_survives_a_new_process(tmp_path, draft):
    path = tmp_path / "plans.sqlite3"
    pid = SQLitePlanStore(path).save("t", TEXT, juris(draft), draft.collection)
    code = (f"from geo.store import SQLitePlanStore; p = SQLitePlanStore({str(path)!r}).get({pid!r}); "
            "print(p.title, len(p.layers['features']))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=False)
    assert out.stdout.split() == ["t", str(len(draft.collection["features"]))], out.stderr


def test_concurrent_saves(store, draft):
    texts = [TEXT + "\n" + "补充。" * i for i in range(12)]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        ids = list(pool.map(lambda t: store.save("t", t, juris(draft), draft.collection), texts))
    assert len(set(ids)) == 12 and all(store.get(i) for i in ids)


def test_path_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "elsewhere" / "p.sqlite3"))
    store = default_store()
    assert store.path == str(tmp_path / "elsewhere" / "p.sqlite3")
    assert (tmp_path / "elsewhere" / "p.sqlite3").exists()
    assert default_store() is store


def test_an_unusable_path_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        SQLitePlanStore(blocker / "sub" / "plans.sqlite3")


def test_in_memory_store(draft):
    store = SQLitePlanStore(":memory:")
    pid = store.save("m", TEXT, juris(draft), draft.collection)
    assert store.get(pid).title == "m"
