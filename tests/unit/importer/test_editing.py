"""geo.importer.editing: a draft's token and ids, its revisions, autosaving and reopening it, publishing and exporting it."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from geo.importer.draft import draft_plan
from geo.importer.editing import PlanDraft, autosave, draft_token, is_draft_id, restore, view_after_edit
from geo.places.gazetteer import load_gazetteer
from geo.store import DRAFT_TOKEN, SQLitePlanStore
from geo.view.state import Catalog, PlanCatalog, ViewState
from tests.pages.test_import_page import PLAN


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.fixture(scope="module")
def draft(gaz) -> PlanDraft:
    return PlanDraft.from_draft(draft_plan(PLAN, gaz), "粘贴 / pasted")


def named(d: PlanDraft, name: str) -> str:
    return next(f["id"] for f in d.collection["features"] if f["properties"]["name"] == name)


def test_the_id_is_a_draft_id_that_follows_the_content(draft, gaz):
    assert is_draft_id(draft.id) and re.fullmatch(r"draft[a-z]{28}[a-z]{10}", draft.id)
    assert draft_token(draft.id) == draft.token and DRAFT_TOKEN.match(draft.token)
    assert not is_draft_id("abcdefghijklmnop")  # a stored plan's id
    again = PlanDraft.from_draft(draft_plan(PLAN, gaz), "another source", draft.token)
    assert again.id == draft.id  # the same draft and content, the same id (the source is not content)
    other = PlanDraft.from_draft(draft_plan(PLAN, gaz), "粘贴 / pasted")
    assert other.token != draft.token and other.id[-10:] == draft.id[-10:]  # another draft: another token
    renamed = draft.rename(named(draft, "北翼"), "北翼片区")
    assert renamed.id != draft.id and renamed.parent == draft.id and renamed.token == draft.token
    assert renamed.rename(named(draft, "北翼"), "北翼").id == draft.id  # back to the same content
    with pytest.raises(ValueError):
        PlanDraft("t", "x", {}, {"features": []}, token="short")


def test_the_draft_reads_like_any_plan(draft):
    data = draft.plan_data
    assert data.id == draft.id and data.plan.meta.title == "长沙市推进区域协调发展实施方案"
    assert data.plan.meta.jurisdiction.adcode == "430100"
    assert {"admin", "wing", "core"} <= set(data.layers) and named(draft, "北翼") in data.features
    assert data.plan.outline.clause("一.(一)")


def test_edits_make_revisions_and_redraw(draft, gaz):
    wing, south = named(draft, "北翼"), named(draft, "南翼")
    kinded = draft.rekind(wing, "corridor", gaz)
    assert kinded.feature(wing)["properties"]["kind"] == "corridor"
    added = draft.add_place(wing, "430181", gaz)
    assert added.feature(wing)["properties"]["members"] == ["430112", "430181"]
    assert added.feature(wing)["geometry"] != draft.feature(wing)["geometry"]
    assert added.add_place(wing, "430181", gaz) is added  # nothing changed: no revision
    merged = draft.merge([wing, south], gaz)
    assert merged.feature(south) is None and merged.feature(wing)["properties"]["members"] == ["430112", "430121"]
    gone = draft.delete([wing])
    assert gone.feature(wing) is None and gone.parent == draft.id
    with pytest.raises(ValueError):
        draft.rename(named(draft, "长沙县"), "x")  # the admin base is not edited
    with pytest.raises(ValueError):
        draft.rename(wing, "  ")
    with pytest.raises(KeyError):
        draft.delete(["no-such-feature"])
    both = draft.rename(wing, "北翼片区").rekind(wing, "zone", gaz).since(draft)
    assert both.parent == draft.id  # made together, undone together


def test_view_after_an_edit(draft, gaz):
    wing = named(draft, "北翼")
    state = ViewState(layers=("admin", "wing"), feature=wing, clause="一.(一)", zoom=9, center=(28.2, 113.0))
    kinded = draft.rekind(wing, "eco", gaz)
    after = view_after_edit(state.with_(plan="mianyang"), kinded, wing)
    assert after.plan == kinded.id and after.feature == wing and after.clause == "一.(一)"
    assert set(after.layers) == {"admin", "wing", "eco"}  # the feature's new layer is shown
    assert (after.center, after.zoom) == (state.center, state.zoom)  # the map stays where it was
    gone = view_after_edit(state, draft.delete([wing]), wing)
    assert gone.feature is None and gone.clause is None


def test_save_is_idempotent_and_reopens(draft, gaz, tmp_path):
    store = SQLitePlanStore(tmp_path / "plans.sqlite3")
    edited = draft.add_place(named(draft, "北翼"), "430181", gaz)
    pid = edited.save(store)
    assert re.fullmatch(r"[a-z]{16}", pid) and edited.save(store) == pid
    reopened = PlanDraft.from_stored(store.get(pid))
    assert reopened.saved_as == pid and reopened.token != edited.token  # a new draft of the stored plan …
    assert reopened.id[-10:] == edited.id[-10:]  # … of the same content (the stored `plan` stamp is not content)
    assert reopened.save(store) == pid


def test_exports(draft, gaz):
    layers = json.loads(draft.export("geojson", ["wing"]))
    assert {f["properties"]["kind"] for f in layers["features"]} == {"wing"}
    assert draft.export("gpkg").startswith(b"SQLite format 3")
    assert "一.(一)" in draft.export("csv", gazetteer=gaz).decode("utf-8-sig")
    with pytest.raises(ValueError, match="not svg"):
        draft.export("svg")  # png and pdf are drawn: tests/unit/export/test_export_imported.py


def test_a_draft_id_in_a_link_without_the_draft():
    cat = Catalog({"mianyang": PlanCatalog(layers=("admin",))})
    state, notices = ViewState.from_query_params({"plan": "draft" + "q" * 38}, cat)
    assert state.plan == "mianyang" and [n.code for n in notices] == ["unsaved_draft"]
    assert "deleted" in notices[0].message("en")


def test_autosave_and_restore_keep_the_undo_history(draft, gaz, any_store):
    """Each edit autosaved; a new store object on the database (a restarted server) reopens every revision."""
    wing = named(draft, "北翼")
    autosave(any_store, [draft], draft)
    kinded = draft.rekind(wing, "corridor", gaz)
    autosave(any_store, [kinded], kinded)
    added = kinded.add_place(wing, "430181", gaz)
    autosave(any_store, [added], added, {added.id: "abcdefghijklmnop"})
    restarted = SQLitePlanStore(any_store.path) if isinstance(any_store, SQLitePlanStore) else type(any_store)(
        any_store.url)
    revisions, shown, published = restore(restarted, added.id)
    assert [r.id for r in revisions] == [draft.id, kinded.id, added.id] and shown == added.id
    assert [dataclasses.replace(r).id for r in revisions] == [r.id for r in revisions]  # the ids are the content's
    assert revisions[2].parent == kinded.id and revisions[1].parent == draft.id  # the undo chain
    assert revisions[2].feature(wing)["properties"]["members"] == ["430112", "430181"]
    assert revisions[2].collection == added.collection and revisions[2].plan_data.plan.outline.ids
    assert published == {added.id: "abcdefghijklmnop"}
    # undone to the first revision, then the link of the last one: it still opens (the history is kept)
    autosave(any_store, [], draft)
    assert restore(restarted, added.id)[1] == added.id
    # a link naming a revision the store no longer has opens the draft where its author left it
    assert restore(restarted, "draft" + draft.token + "zzzzzzzzzz")[1] == draft.id
    assert restore(restarted, "draft" + "q" * 38) is None
    restarted.close()
