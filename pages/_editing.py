"""The Map page's edit panel for the draft in view (`geo.importer.editing`), and "edit" for a saved imported plan.

Every edit makes a new revision with a new draft id, autosaved in the plan store (`pages._drafts.keep_draft`;
a failed autosave is shown here with a Retry button, the revision kept in the session); the view moves to it
(`geo.importer.editing.view_after_edit`) and the map is drawn again from it. Plan text reaches the screen only escaped (`md_escape`) or as widget
option labels, which Streamlit shows as text.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from geo.i18n import confidence_label, kind_label, reason_text, t
from geo.importer.draft import EDIT_KINDS
from geo.importer.editing import PlanDraft, view_after_edit
from geo.safe import md_escape, plain
from geo.store import StoreError, default_store
from geo.view.model import is_stored_plan_id, with_layer
from geo.view.state import ViewState
from pages._access import can, limits, owner
from pages._drafts import autosave_draft, current_draft, draft_fault, keep_draft, saved_as, session_draft
from pages._resources import gazetteer, store_message, withdraw_plan
from pages._view import page_link, set_view, update_view, view, write_url

SS = st.session_state
_ADDING = "edit_adding"  # id of the feature that a click on a county adds to (None: clicks only select)
# (plan id, kind, message): the outcome of the last edit, shown with the revision it made (the map's
# report of its new view reruns the page at once, so a message shown only once would flash by).
_NOTICE = "edit_notice"


def _notify(kind: str, message: str, plan_id: str) -> None:
    SS[_NOTICE] = (plan_id, kind, message)


def _go(draft: PlanDraft, feature: str | None, state: ViewState | None = None) -> None:
    """Hold a new revision and show it (the URL follows before the next run reads it)."""
    if not can("edit"):  # the server checks every edit, not only the panel's presence
        _notify("error", t("access.denied", view().lang), view().plan)
        return
    keep_draft(draft)
    state = view_after_edit(state or view(), draft, feature)
    set_view(state)
    write_url(state)


def _edit(change: Callable[[PlanDraft], PlanDraft], select: Callable[[PlanDraft], str | None]) -> None:
    """Apply an edit to the draft in view; a problem becomes a notice, never a traceback."""
    draft = session_draft(view().plan)
    if draft is None:
        return
    try:
        new = change(draft).since(draft)
    except (KeyError, ValueError) as exc:
        _notify("error", str(exc).strip("'\""), draft.id)
        return
    _go(new, select(new))


def _apply_form(fid: str, name_key: str, kind_key: str) -> None:
    name, kind = str(SS.get(name_key) or ""), SS.get(kind_key)

    def change(d: PlanDraft) -> PlanDraft:
        props = d.feature(fid)["properties"]
        if name.strip() and name.strip() != props["name"]:
            d = d.rename(fid, name)
        if kind and kind != props["kind"]:
            d = d.rekind(fid, kind, gazetteer())
        return d

    _edit(change, lambda d: fid)


def _merge(fid: str, key: str) -> None:
    others = list(SS.get(key) or [])
    _edit(lambda d: d.merge([fid, *others], gazetteer()), lambda d: fid)


def _delete(fid: str) -> None:
    SS[_ADDING] = None
    _edit(lambda d: d.delete([fid]), lambda d: None)


def _select(key: str) -> None:
    fid = SS.get(key)
    state = view()
    draft = session_draft(state.plan)
    if draft is not None and fid != state.feature and (fid is None or draft.editable(fid)):
        data = draft.plan_data
        update_view(feature=fid, clause=None,
                       layers=with_layer(state.layers, data.kind_of(fid), data.layers) if fid else state.layers)
        if SS.get(_ADDING):
            SS[_ADDING] = fid


def _undo() -> None:
    draft = session_draft(view().plan)
    parent = session_draft(draft.parent) if draft and draft.parent else None
    if parent is not None:
        SS[_ADDING] = None
        _go(parent, view().feature)


def _save() -> None:
    state = view()
    draft = session_draft(state.plan)
    if draft is None:
        return
    if not can("publish"):
        _notify("error", t("access.denied", state.lang), draft.id)
        return
    try:
        stored = draft.save(default_store(), owner=owner(), listed=bool(SS.get("edit_listed")),
                            quota=limits().publishes)
    except StoreError as exc:  # also a quota reached or withdrawn content: the draft stays as it is
        _notify("error", t("edit.publish_failed", state.lang, error=store_message(str(exc), state.lang)),
                draft.id)
        return
    saved_as(draft.id, stored)
    autosave_draft(also=draft.id)  # the draft remembers as what it was published
    SS[_ADDING] = None
    _notify("success", t("edit.saved", state.lang), stored)
    update_view(plan=stored)


def _retry() -> None:
    draft = current_draft()
    if draft is not None and autosave_draft():
        _notify("success", t("edit.autosaved", view().lang), draft.id)


def _reopen() -> None:
    state = view()
    if not can("edit"):
        _notify("error", t("access.denied", state.lang), state.plan)
        return
    try:
        stored = default_store().get(state.plan)
    except StoreError as exc:
        _notify("error", store_message(str(exc), state.lang), state.plan)
        return
    if stored is None:
        _notify("error", t("edit.stored_gone", state.lang, id=state.plan), state.plan)
        return
    _go(PlanDraft.from_stored(stored), state.feature)


def follow_click(state: ViewState, draft: PlanDraft | None) -> ViewState:
    """While the planner adds places, a click on a county adds it to the feature being edited.

    Called after the map reported its click (``state.feature`` is what was clicked). A county is added and
    the page reruns on the new revision with the feature selected again; another feature clicked becomes
    the one places are added to.
    """
    target = SS.get(_ADDING)
    if draft is None or not target or state.feature in (None, target):
        return state
    if not draft.editable(target):
        SS[_ADDING] = None
        return state
    place = PlanDraft.place_of(state.feature, draft.collection)
    if place is None:
        if draft.editable(state.feature):
            SS[_ADDING] = state.feature
        return state
    lang, gaz = state.lang, gazetteer()
    names = {"place": gaz.unit(place).name, "name": draft.feature(target)["properties"]["name"]}
    new = draft.add_place(target, place, gaz)
    if new.id == draft.id:
        _notify("info", t("edit.already", lang, **names), draft.id)
        return state.with_(feature=target, clause=None)
    _notify("success", t("edit.added", lang, **names), new.id)
    _go(new, target, state)
    st.rerun()
    return state  # st.rerun() ends the run


def notice(plan_id: str) -> None:
    """Show the outcome of the last edit while its revision (or the plan it saved) is in view."""
    shown = SS.get(_NOTICE)
    if shown and shown[0] == plan_id:
        _, kind, message = shown
        {"error": st.error, "success": st.success}.get(kind, st.info)(md_escape(message))


def panel(state: ViewState, draft: PlanDraft) -> None:
    """The edit panel under the map: select, rename, re-kind, delete, merge, add places; save, undo, back."""
    lang, gaz = state.lang, gazetteer()
    with st.container(border=True):
        st.markdown(f"**{md_escape(t('edit.title', lang))}**")
        stored = saved_as(draft.id)
        st.caption(md_escape(t("edit.saved_as", lang, id=stored) if stored else t("edit.private_link", lang)))
        fault = draft_fault(draft.token)
        if fault:
            st.warning(md_escape(t("edit.autosave_failed", lang, error=store_message(fault, lang))))
            st.button(t("edit.retry", lang), key="edit_retry", on_click=_retry)
        notice(draft.id)
        # Published plans are unlisted unless the planner lists them: their link opens them, no picker offers them.
        st.checkbox(t("edit.listed", lang), key="edit_listed", help=t("edit.listed_help", lang))
        with st.container(horizontal=True, gap="small"):
            st.button(t("edit.save", lang), key="edit_save", type="primary", on_click=_save)
            st.button(t("edit.undo", lang), key="edit_undo", on_click=_undo,
                      disabled=session_draft(draft.parent or "") is None)
            page_link("import", t("edit.back", lang), state.with_(feature=None, clause=None))

        # The features to check (confidence low) first: a planner reviews the guesses, not the whole map.
        ids = sorted(draft.feature_ids(), key=lambda x: draft.feature(x)["properties"].get("confidence") != "low")
        fid = state.feature if draft.editable(state.feature) else None
        # One picker per revision: a browser still showing the previous one (its labels) cannot set this one.
        pick_key = f"edit_feature_{draft.id}"
        SS[pick_key] = fid

        def label(x: str | None) -> str:
            if x is None:
                return t("edit.none", lang)
            p = draft.feature(x)["properties"]
            check = f" · {confidence_label('low', lang)}" if p.get("confidence") == "low" else ""
            return plain(f"{p['name']} · {kind_label(p['kind'], lang)}{check}")

        st.selectbox(t("edit.feature", lang), [None, *ids], key=pick_key, format_func=label,
                     on_change=_select, args=(pick_key,), placeholder=t("widget.placeholder", lang))
        if fid is None:
            SS[_ADDING] = None
            st.caption(md_escape(t("edit.pick_hint", lang)))
            return
        props = draft.feature(fid)["properties"]
        if props.get("confidence"):  # how sure the importer is, and why (plan text among the reasons: escaped)
            sep = "；" if lang == "zh" else "; "
            words = [(f"{t('confidence.title', lang)}{'：' if lang == 'zh' else ': '}"
                     f"{confidence_label(props['confidence'], lang)}"),
                     *(reason_text(r, lang) for r in props.get("reasons") or [])]
            st.caption(md_escape(sep.join(words)))
        members = draft.member_names(fid, gaz, lang)
        st.caption(md_escape(t("edit.members", lang, members=(", " if lang == "en" else "、").join(members)) if members
                             else t("edit.no_members", lang)))
        # Keys name the revision: after an edit or an undo the widgets start from what the draft holds.
        name_key, kind_key, merge_key = (f"edit_{what}_{draft.id}_{fid}" for what in ("name", "kind", "merge"))
        with st.form(f"edit_form_{draft.id}_{fid}", border=False):
            left, right = st.columns([3, 2])
            left.text_input(t("edit.name", lang), value=props["name"], key=name_key, max_chars=200)
            right.selectbox(t("edit.kind", lang), EDIT_KINDS, index=EDIT_KINDS.index(props["kind"]),
                            key=kind_key, format_func=lambda k: kind_label(k, lang))
            st.form_submit_button(f"{t('edit.rename', lang)} / {t('edit.rekind', lang)}", on_click=_apply_form,
                                  args=(fid, name_key, kind_key))
        others = [x for x in ids if x != fid]
        st.multiselect(t("edit.merge_with", lang), others, key=merge_key, format_func=label)
        with st.container(horizontal=True, gap="small"):
            st.button(t("edit.merge", lang), key="edit_merge", on_click=_merge, args=(fid, merge_key),
                      disabled=not SS.get(merge_key))
            st.button(t("edit.delete", lang), key="edit_delete", on_click=_delete, args=(fid,))
            if SS.get(_ADDING) == fid:
                st.button(t("edit.add_done", lang), key="edit_add_done", type="primary",
                          on_click=lambda: SS.update({_ADDING: None}))
            else:
                st.button(t("edit.add_start", lang), key="edit_add", on_click=lambda: SS.update({_ADDING: fid}))
        if SS.get(_ADDING) == fid:
            st.info(md_escape(t("edit.add_hint", lang, name=props["name"])))


def _withdraw(plan_id: str) -> None:
    problem = withdraw_plan(plan_id)
    if problem:
        _notify("error", problem, plan_id)
        return
    update_view(plan=plan_id, feature=None, clause=None)  # the link now says it was withdrawn


def stored_plan_actions(state: ViewState) -> None:
    """For a saved imported plan: open it again as a draft to edit (planners); withdraw it (admins)."""
    if not is_stored_plan_id(state.plan):
        return
    notice(state.plan)
    with st.container(horizontal=True, gap="small"):
        if can("edit"):
            st.button(t("edit.reopen", state.lang), key="edit_reopen", on_click=_reopen,
                      help=t("edit.reopen_help", state.lang))
        if can("unpublish"):
            with st.popover(t("admin.withdraw", state.lang)):
                st.caption(t("admin.withdraw_help", state.lang))
                st.button(t("admin.withdraw_confirm", state.lang), key="edit_withdraw", type="primary",
                          on_click=_withdraw, args=(state.plan,))
