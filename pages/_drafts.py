"""This session's drafts (`geo.importer.editing.PlanDraft`): held in the session, autosaved in the plan store, and
listed under My drafts in the browser that made or opened them."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo.i18n import t
from geo.importer import editing
from geo.importer.editing import PlanDraft, draft_token, is_draft_id
from geo.store import StoreError, default_store
from pages._access import can, limits, owner

_DRAFTS = "ghyzt_drafts"  # draft id -> PlanDraft: the revisions this session holds, oldest first
_CURRENT_DRAFT = "ghyzt_draft"  # id of the revision the planner is on
_SAVED = "ghyzt_saved"  # draft id -> id of the stored plan it was published as
_PENDING = "ghyzt_draft_pending"  # ids of revisions not yet in the store (their autosave failed or is due)
_FAULT = "ghyzt_draft_fault"  # draft token -> the store's message of its last failed autosave
_TOKENS = "ghyzt_draft_tokens"  # tokens of the drafts this session made or opened (My drafts)
_DRAFT_DENIED = "ghyzt_draft_denied"  # a draft link opened by a role that may not edit (pages/_shell.py says so)
_REMOVED = "ghyzt_drafts_removed"  # tokens deleted in this session (dropped from the browser's list too)
_MAX_REVISIONS = 30  # enough to undo a session's worth of edits; older ones are dropped (the store keeps 30)


def session_draft(plan_id: str) -> PlanDraft | None:
    """The revision of this session's draft with this id (None: not a draft of this session)."""
    return (st.session_state.get(_DRAFTS) or {}).get(plan_id)


def current_draft() -> PlanDraft | None:
    """The draft this session is working on (its latest revision, or the one the planner went back to)."""
    return session_draft(st.session_state.get(_CURRENT_DRAFT, ""))


def _hold(draft: PlanDraft) -> None:
    """Hold a revision (the latest `_MAX_REVISIONS` stay, so Undo and the browser's Back button reach them)."""
    revisions = dict(st.session_state.get(_DRAFTS) or {})
    revisions.pop(draft.id, None)
    revisions[draft.id] = draft
    while len(revisions) > _MAX_REVISIONS:
        revisions.pop(next(iter(revisions)))
    st.session_state[_DRAFTS] = revisions
    tokens = st.session_state.setdefault(_TOKENS, [])
    if draft.token not in tokens:
        tokens.append(draft.token)


def keep_draft(draft: PlanDraft) -> str:
    """Hold a revision in the session, make it the current one and autosave it; return its plan id.

    A failed autosave loses nothing: the revision stays here and in the list of pending ones, saved with
    the next edit or the Retry button (`autosave_draft`), and the edit panel shows the store's message.
    """
    _hold(draft)
    st.session_state[_CURRENT_DRAFT] = draft.id
    if draft.saved_as:
        saved_as(draft.id, draft.saved_as)
    pending = [i for i in st.session_state.get(_PENDING) or [] if i != draft.id]
    st.session_state[_PENDING] = [*pending, draft.id]
    autosave_draft()
    return draft.id


def use_draft(plan_id: str) -> None:
    """Make a held revision the current one (the planner went back to it); the store's head follows."""
    if session_draft(plan_id) is not None and st.session_state.get(_CURRENT_DRAFT) != plan_id:
        st.session_state[_CURRENT_DRAFT] = plan_id
        autosave_draft()


def autosave_draft(also: str | None = None) -> bool:
    """Save the current draft's pending revisions and its head in the store, in one transaction.

    ``also`` names a revision to save again (it was published: the store records as what). Never raises:
    a `StoreError` is kept as the draft's fault (`draft_fault`) and the revisions stay pending.
    """
    current = current_draft()
    if current is None:
        return True
    held = st.session_state.get(_DRAFTS) or {}
    wanted = [*(st.session_state.get(_PENDING) or []), *([also] if also else [])]
    pending = [held[i] for i in dict.fromkeys(wanted) if i in held and held[i].token == current.token]
    faults = st.session_state.setdefault(_FAULT, {})
    try:
        if not can("edit"):  # checked here, not only by hiding the editor: nothing is written for a viewer
            raise StoreError(t("access.denied", "zh") + " / " + t("access.denied", "en"))
        editing.autosave(default_store(), pending, current, st.session_state.get(_SAVED) or {}, owner=owner(),
                         quota=limits().drafts)
    except StoreError as exc:
        faults[current.token] = str(exc)
        st.session_state[_PENDING] = [i for i in dict.fromkeys(wanted) if i in held]
        return False
    done = {d.id for d in pending}
    st.session_state[_PENDING] = [i for i in st.session_state.get(_PENDING) or [] if i not in done and i in held]
    faults.pop(current.token, None)
    return True


def draft_fault(token: str) -> str | None:
    """The store's message of this draft's last failed autosave (None: everything is saved)."""
    return (st.session_state.get(_FAULT) or {}).get(token)


def open_draft_link(params: dict[str, list[str]]) -> tuple[dict[str, list[str]], str | None]:
    """Reopen the draft a link names from the store, when this session does not hold it (a reload, a new tab).

    Its revisions (the undo history) join the session. The link's revision is shown if the store still has
    it, else the draft's latest: then the returned params name that one.

    Returns
    -------
    params : dict
        The query params, ``plan`` changed when another revision of the draft is shown.
    problem : str or None
        The store's message when it could not be read (the link then falls back like an unknown plan).
    """
    plan = (params.get("plan") or [None])[-1]
    if not is_draft_id(plan) or session_draft(plan) is not None:
        return params, None
    if not can("edit"):  # a draft is a planner's workspace: a viewer's link lands on the default plan
        st.session_state[_DRAFT_DENIED] = True
        return params, None
    try:
        store = default_store()
        found = editing.restore(store, plan)
        if found is not None:
            store.touch_draft(draft_token(plan))  # opened: kept for another lifetime
    except StoreError as exc:
        return params, str(exc)
    if found is None:
        return params, None
    revisions, shown, published = found
    for revision in revisions:
        _hold(revision)
    st.session_state.setdefault(_SAVED, {}).update(published)
    st.session_state[_CURRENT_DRAFT] = shown
    return ({**params, "plan": [shown]} if shown != plan else params), None


def session_tokens() -> list[str]:
    """Tokens of the drafts this session made or opened."""
    return list(st.session_state.get(_TOKENS) or [])


def forget_draft(token: str) -> None:
    """Drop a deleted draft's revisions from the session."""
    held = st.session_state.get(_DRAFTS) or {}
    st.session_state[_DRAFTS] = {i: d for i, d in held.items() if d.token != token}
    st.session_state[_TOKENS] = [x for x in session_tokens() if x != token]
    if session_draft(st.session_state.get(_CURRENT_DRAFT, "")) is None:
        st.session_state.pop(_CURRENT_DRAFT, None)


# "My drafts": the tokens of the drafts this browser made or opened, kept in its localStorage (it outlives a
# closed tab and a server restart; each browser profile has its own, and nobody else sees it). A tiny
# st.components.v2 component (its JavaScript, pages/_my_drafts.js, inline in the app's page: no file served)
# adds and removes tokens and, where the list is shown, reports them back; the server keeps no list, so a token
# never leaves its author's browser but through a link.
_MY_DRAFTS_JS = (Path(__file__).parent / "_my_drafts.js").read_text(encoding="utf-8")
_my_drafts = st.components.v2.component("ghyzt_my_drafts", js=_MY_DRAFTS_JS)


def browser_drafts(report: bool, key: str) -> list[str]:
    """Record this session's draft tokens in the browser's list; with ``report``, return the list.

    The list arrives one run after the component is first drawn (under AppTest, never: there only this
    session's tokens are known), so the result is always merged with `session_tokens`.
    """
    removed = list(st.session_state.get(_REMOVED) or [])
    known_key = f"{key}_known"  # the browser's list as last reported, and as it will be after this run's changes
    known = [x for x in dict.fromkeys([*(st.session_state.get(known_key) or []), *session_tokens()])
             if x not in removed][-200:]
    result = _my_drafts(key=key, data={"add": session_tokens(), "remove": removed, "report": report,
                                       "known": known},
                        default={"tokens": []}, on_tokens_change=lambda: None)
    reported = getattr(result, "tokens", None)
    if isinstance(reported, list) and reported:
        known = [x for x in reported if isinstance(x, str) and x not in removed]
    st.session_state[known_key] = known
    return list(dict.fromkeys([*session_tokens(), *known])) if report else []


def delete_draft(token: str) -> str | None:
    """Delete a draft from the store, the session and (next run) the browser's list; the store's message if
    it could not be deleted."""
    try:
        default_store().delete_draft(token)
    except StoreError as exc:
        return str(exc)
    forget_draft(token)
    st.session_state.setdefault(_REMOVED, []).append(token)
    return None


def saved_as(draft_id: str, stored_id: str | None = None) -> str | None:
    """The stored id a draft revision was saved as (recording it when ``stored_id`` is given)."""
    saved = st.session_state.setdefault(_SAVED, {})
    if stored_id:
        saved[draft_id] = stored_id
    return saved.get(draft_id)


def take_draft_denied() -> bool:
    """Did this run's link name a draft that this visitor may not open (then forgotten)?"""
    return bool(st.session_state.pop(_DRAFT_DENIED, False))


if __name__ == "__main__":  # run as a page of the pages-folder mode (see `pages._view.through_dashboard`)
    from pages._view import through_dashboard

    through_dashboard()
