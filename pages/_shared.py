"""What the pages share at the Streamlit edge: cached loaders, the view state, safe HTML, the map frame."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import streamlit as st
import streamlit_folium as sf
from streamlit.components.v1.custom_component import CustomComponent

from geo import access
from geo import view as vm
from geo.assets import MAP_FRAME_DIR
from geo.i18n import in_lang, t
from geo.importer import draft as dr
from geo.importer import editing
from geo.importer.editing import PlanDraft, draft_token, is_draft_id
from geo.layers import LayerError
from geo.places.gazetteer import Gazetteer, load_gazetteer
from geo.safe import plain
from geo.store import StoreError, default_store
from geo.text.plans import UnknownPlanError
from geo.view.mapview import build_map, layer_groups
from geo.view.state import PAGE_PATHS, Catalog, ViewState

ROOT = Path(__file__).resolve().parents[1]
PAGE_FILES = {"map": "pages/map.py", "text": "pages/text.py", "overview": "pages/overview.py",
              "import": "pages/import.py", "admin": "pages/admin.py"}
#: The action a page needs (`geo.access.ACTIONS`): a page is registered, and runs, only for a role allowed it.
PAGE_ACTIONS = {"map": "view", "text": "view", "overview": "view", "import": "import", "admin": "usage"}
VIEW_KEY = "ghyzt_view"
LIGHT_KEY, FULL_KEY = "ghyzt_light", "ghyzt_full"  # the map-first run (dashboard.py)
MAP_HEIGHT = 600
HOME_FIT = {"padding": [24, 24], "maxZoom": 11}  # how the map controller fits a view (geo/view/model.py)

# Tests point the dashboard at fixture plans and layers with these variables.
_PLANS_ENV, _LAYERS_ENV = "GHYZT_PLANS_DIR", "GHYZT_LAYERS_DIR"

CSS = """
<style>
mark.ghyzt-hl{background:#ffe066;color:inherit;padding:0 1px;border-radius:2px;}
.ghyzt-clause{line-height:1.75;font-size:0.97rem;background:#fafaf7;border-left:3px solid #c9c3b3;
  padding:6px 10px;margin:4px 0 8px;border-radius:2px;}
.ghyzt-clause .ghyzt-cid{color:#666;font-size:0.8rem;margin-right:6px;}
.ghyzt-feature h3{margin:0 0 2px;font-size:1.25rem;}
.ghyzt-tags span{display:inline-block;font-size:0.78rem;border:1px solid #bbb;border-radius:10px;
  padding:0 7px;margin-right:4px;color:#444;}
.ghyzt-tags span.ghyzt-inferred{border-color:#b35806;color:#b35806;}
.ghyzt-kv{font-size:0.9rem;margin:2px 0;color:#333;}
.ghyzt-kv b{color:#555;font-weight:600;margin-right:4px;}
.ghyzt-snippet{font-size:0.88rem;color:#333;margin:0 0 6px;}
.ghyzt-l3{margin-left:1.4em;}
.ghyzt-l4{margin-left:2.8em;}
.ghyzt-selected{border-left-color:#e66101;background:#fff6ea;}
.ghyzt-pre{white-space:pre-wrap;font-size:0.85rem;line-height:1.6;background:#f6f6f6;padding:10px;}
</style>
"""


# --------------------------------------------------------------------------- who may do what (geo.access)


def has_auth_section() -> bool:
    """Does ``.streamlit/secrets.toml`` configure sign-in (an ``[auth]`` section)?"""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file: no sign-in configured
        return False


def access_config() -> access.AccessConfig:
    """The access configuration (environment and secrets.toml). Raises `geo.access.AccessError`."""
    return access.AccessConfig.from_env(has_auth_section())


def claims() -> dict[str, Any] | None:
    """The signed-in user's claims (``st.user``), None when sign-in is off."""
    if not access_config().sign_in:
        return None
    try:
        return dict(st.user.to_dict())
    except Exception:  # noqa: BLE001 - no user information in this context
        return None


def role() -> str | None:
    """This visitor's role (None: must sign in first)."""
    return access_config().role_for(claims())


def can(action: str) -> bool:
    """May this visitor do ``action`` (`geo.access.ACTIONS`)? Checked on the server before every action."""
    return access.allowed(role(), action)


def require(action: str, lang: str) -> None:
    """Stop the page here, with a message, unless this visitor may do ``action`` (a page run by its URL)."""
    if not can(action):
        st.error(t("access.denied", lang))
        st.stop()


def client() -> str:
    """The client's address: the connection's, or the one nginx reports (`geo.access.client_address`)."""
    try:
        peer, headers = st.context.ip_address, dict(st.context.headers)
    except Exception:  # noqa: BLE001 - outside a browser session (tests): loopback
        peer, headers = None, {}
    peer = peer if isinstance(peer, str) else None  # AppTest's context gives stand-ins, not addresses
    headers = {k: v for k, v in headers.items() if isinstance(k, str) and isinstance(v, str)}
    return access.client_address(peer, headers, access.trusted_proxies())


def owner() -> str:
    """Who this visitor's drafts and publishes are counted against: their e-mail, or ``ip:<address>``."""
    return access.owner_for(claims(), client())


def limits() -> access.Limits:
    """The limits on drafts and publishes."""
    return access_config().limits


def user_label() -> str | None:
    """The signed-in user's e-mail or name (None: nobody signed in)."""
    c = claims()
    if not c or not c.get("is_logged_in"):
        return None
    return str(c.get("email") or c.get("name") or c.get("sub") or "")


# --------------------------------------------------------------------------- entry


def through_dashboard() -> None:
    """Make sure a page runs inside dashboard.py, even on a fresh server.

    Because the pages live in a folder called ``pages/``, Streamlit starts in its old pages-folder
    mode and, until some session has run dashboard.py (whose ``st.navigation`` ends that mode for
    the process), it runs ``pages/<name>.py`` on its own for a link such as ``/text?...``. Then no
    sidebar, no state and no checked link. Ending that mode and rerunning runs dashboard.py, which
    resolves the same page (``st.Page`` hashes its url_path, as that mode hashes the file name) with
    the same query params.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


# --------------------------------------------------------------------------- data


def _dir(env: str) -> Path | None:
    value = os.environ.get(env)
    return Path(value) if value else None


def plans_dir() -> Path | None:
    """The plans folder in use (None: the bundled plans)."""
    return _dir(_PLANS_ENV)


@st.cache_data(show_spinner=False)
def plan_ids(plans_dir: Path | None = None) -> list[str]:
    """The plans the dashboard offers (fixture folder in tests)."""
    return vm.available_plans(plans_dir)


# cache_resource, not cache_data: the collections are large and read-only; unpickling a copy on
# every rerun would cost more than the rest of the page.
@st.cache_resource(show_spinner=False, max_entries=16)
def _loaded_plan_data(plan_id: str, plans_dir: Path | None, layers_dir: Path | None) -> vm.PlanData:
    return vm.load_plan_data(plan_id, plans_dir, layers_dir)


_WITHDRAWN_SEEN: dict[str, tuple[float, bool]] = {}  # stored id -> (when checked, withdrawn?)
_WITHDRAWN_TTL = 5.0  # seconds a check holds: an administrator's withdrawal reaches every server within it


def _withdrawn(plan_id: str) -> bool:
    """Was this stored plan withdrawn? (Its layers may still be cached here, or on another server's cache.)"""
    now = time.monotonic()
    seen = _WITHDRAWN_SEEN.get(plan_id)
    if seen is None or now - seen[0] > _WITHDRAWN_TTL:
        seen = (now, default_store().tombstone(plan_id) is not None)
        _WITHDRAWN_SEEN[plan_id] = seen
    return seen[1]


def _plan_data(plan_id: str, plans_dir: Path | None, layers_dir: Path | None) -> vm.PlanData:
    """A bundled or stored plan (cached), or this session's draft (held by the session, never shared)."""
    if is_draft_id(plan_id):
        held = session_draft(plan_id)
        if held is None:
            raise UnknownPlanError(plan_id)
        return held.plan_data
    if plans_dir is None and vm.is_stored_plan_id(plan_id) and _withdrawn(plan_id):
        raise UnknownPlanError(plan_id)
    return _loaded_plan_data(plan_id, plans_dir, layers_dir)


def withdraw_plan(plan_id: str) -> str | None:
    """Withdraw a published plan (admins only, checked here); the store's or the refusal's message, if any."""
    lang = view().lang
    if not can("unpublish"):
        return t("access.denied", lang)
    try:
        done = default_store().withdraw(plan_id, user_label() or ("local" if not access_config().sign_in else owner()))
    except StoreError as exc:
        return store_message(str(exc), lang)
    _WITHDRAWN_SEEN.pop(plan_id, None)
    _loaded_plan_data.clear()
    return None if done else t("admin.not_published", lang, id=plan_id)


def plan_data(plan_id: str) -> vm.PlanData:
    """A plan and its layers. Raises UnknownPlanError / LayerError (pages show them as errors)."""
    return _plan_data(plan_id, _dir(_PLANS_ENV), _dir(_LAYERS_ENV))


def open_plan_page() -> tuple[ViewState, vm.PlanData]:
    """What every plan page does first: join the dashboard, read the view, load the plan (or say why not)."""
    through_dashboard()
    state = view()
    try:
        return state, plan_data(state.plan)
    except (UnknownPlanError, LayerError) as exc:
        st.error(t("error.layers", state.lang, error=exc))
        st.stop()
        raise  # st.stop() ends the run; this keeps type checkers and readers sure nothing follows
    except StoreError as exc:  # the plan store went away between the link's check and this page
        st.error(t("notice.store", state.lang, error=store_message(str(exc), state.lang)))
        st.stop()
        raise  # st.stop() ends the run; this keeps type checkers and readers sure nothing follows


def plan_label(plan_id: str, lang: str) -> str:
    """How the plan picker names a plan: its jurisdiction and title."""
    try:
        data = plan_data(plan_id)
    except (UnknownPlanError, LayerError, OSError, StoreError):
        return plan_id
    label = plain(vm.plan_title(data, lang))
    return f"{t('edit.draft_label', lang)} · {label}" if is_draft_id(plan_id) else label


def meets() -> list[dict[str, Any]]:
    """Where plans meet."""
    return vm.load_meets(_dir(_LAYERS_ENV))


@st.cache_resource(show_spinner=False)
def _catalog(plans_dir: Path | None, layers_dir: Path | None, stamp: tuple) -> Catalog:
    ids = vm.available_plans(plans_dir)
    layers, clauses = {}, {}
    for pid in ids:
        try:
            d = _plan_data(pid, plans_dir, layers_dir)
        except (UnknownPlanError, LayerError, OSError):
            continue  # a broken plan is reported by its page, not by every link
        layers[pid], clauses[pid] = d.layers, d.plan.outline.ids
    default = "mianyang" if "mianyang" in layers else (ids[0] if ids else "mianyang")
    return vm.catalog_from_layers(layers, clauses, default)


def catalog(requested: Sequence[str] = ()) -> Catalog:
    """The catalog links are checked against (rebuilt when layer files change on disk).

    ``requested`` are the plan ids a link names: an imported plan kept in the plan store joins the
    catalog when a link asks for it, so a colleague's link opens it. A draft joins once the session holds it
    (`open_draft_link` reopens a draft link from the store first), and the session's current draft always
    does, so the plan picker offers it; a draft link the store does not know falls back with a notice.
    """
    layers_dir = _dir(_LAYERS_ENV) or ROOT / "layers"
    stamp = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in layers_dir.glob("*/*.geojson")))
    base = _catalog(_dir(_PLANS_ENV), _dir(_LAYERS_ENV), stamp)
    stored = {}
    current = current_draft()
    for pid in dict.fromkeys([*requested, *([current.id] if current else [])]):
        if pid not in base.plans and (vm.is_stored_plan_id(pid) or session_draft(pid) is not None):
            try:
                d = plan_data(pid)
            except UnknownPlanError:
                _note_tombstone(pid)  # a withdrawn plan's link says so (dashboard.py)
                continue  # an unknown id falls back to the default plan with a notice, like any bad link
            except (LayerError, OSError):
                continue
            except StoreError as exc:  # so does one the store cannot give now, but the notice says why
                st.session_state[_STORE_PROBLEM] = str(exc)
                continue
            stored[pid], = vm.catalog_from_layers({pid: d.layers}, {pid: d.plan.outline.ids}, pid).plans.values()
    if not stored:
        return base
    return Catalog({**base.plans, **stored}, base.default_plan)


def _note_tombstone(pid: str) -> None:
    if not vm.is_stored_plan_id(pid):
        return
    try:
        tomb = default_store().tombstone(pid)
    except StoreError:
        return
    if tomb is not None:
        st.session_state.setdefault(_WITHDRAWN, {})[pid] = tomb


def take_withdrawn() -> dict[str, Any]:
    """Plan id -> `geo.store.Tombstone` of the withdrawn plans this run's link asked for (then forgotten)."""
    return st.session_state.pop(_WITHDRAWN, None) or {}


def take_draft_denied() -> bool:
    """Did this run's link name a draft that this visitor may not open (then forgotten)?"""
    return bool(st.session_state.pop(_DRAFT_DENIED, False))


# --------------------------------------------------------------------------- drafts (held here, autosaved)

_DRAFTS = "ghyzt_drafts"  # draft id -> PlanDraft: the revisions this session holds, oldest first
_CURRENT_DRAFT = "ghyzt_draft"  # id of the revision the planner is on
_SAVED = "ghyzt_saved"  # draft id -> id of the stored plan it was published as
_PENDING = "ghyzt_draft_pending"  # ids of revisions not yet in the store (their autosave failed or is due)
_FAULT = "ghyzt_draft_fault"  # draft token -> the store's message of its last failed autosave
_TOKENS = "ghyzt_draft_tokens"  # tokens of the drafts this session made or opened (My drafts)
_STORE_PROBLEM = "ghyzt_store_problem"  # the store's message when a link's plan could not be read
_DRAFT_DENIED = "ghyzt_draft_denied"  # a draft link opened by a role that may not edit (dashboard.py says so)
_WITHDRAWN = "ghyzt_withdrawn"  # plan id -> tombstone of the withdrawn plans links asked for in this run
_MAX_REVISIONS = 30  # enough to undo a session's worth of edits; older ones are dropped (the store keeps 30)


_GAZETTEER_READY = threading.Event()  # set once this process has seen the cache: later runs check nothing


def ensure_gazetteer(lang: str) -> None:
    """Build the gazetteer cache on a fresh machine under a status box naming each stage (one to two minutes).

    Every page but the Map page of a bundled plan needs the gazetteer; without this the first one would
    look frozen for a minute.
    """
    from geo.places.gazetteer import cache_ready, ensure_cache

    if _GAZETTEER_READY.is_set():
        return
    if not cache_ready():
        started = time.perf_counter()
        with st.status(t("gazetteer.building", lang), expanded=True) as status:
            bar = st.progress(0.0, text=t("gazetteer.start", lang))
            ensure_cache(lambda stage, done: bar.progress(done, text=t(f"gazetteer.{stage}", lang)))
            status.update(label=t("gazetteer.built", lang, seconds=f"{time.perf_counter() - started:.0f}"),
                          state="complete", expanded=False)
    _GAZETTEER_READY.set()


@st.cache_resource(show_spinner=False)
def gazetteer() -> Gazetteer:
    """The gazetteer (loaded once per process)."""
    return load_gazetteer()


_DRAFTS_KEPT = 8  # drafts computed, kept for every session of the process (a redraw, a Back, a colleague's paste)


@st.cache_resource(show_spinner=False)
def _draft_memo() -> tuple[threading.Lock, OrderedDict]:
    # A plain memo rather than st.cache_resource on the drafting itself: the drafting reports its stages to
    # the page's progress bar, and a cached function may not touch elements made outside it.
    return threading.Lock(), OrderedDict()


def _drafted(text: str, jurisdiction: str | None, progress: Callable[[str], None] | None) -> dr.Draft:
    lock, memo = _draft_memo()
    key = (hashlib.sha256(text.encode("utf-8")).hexdigest(), jurisdiction)
    with lock:
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
    draft = dr.draft_plan(text, gazetteer(), jurisdiction=jurisdiction, progress=progress)
    with lock:
        memo[key] = draft
        while len(memo) > _DRAFTS_KEPT:
            memo.popitem(last=False)
    return draft


def drafted(text: str, jurisdiction: str | None = None, progress: Callable[[str], None] | None = None) -> dr.Draft:
    """`geo.importer.draft.draft_plan` of a text for a jurisdiction (None: detected), computed once per process.

    The detected jurisdiction, given back, reuses the detecting draft (the features are the same).
    ``progress(stage)`` hears the stages of a draft computed now (`geo.importer.draft.draft_plan`).
    """
    detected = _drafted(text, None, progress)
    if jurisdiction in (None, detected.jurisdiction.adcode):
        return detected
    return _drafted(text, jurisdiction, progress)


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
# st.components.v2 component (JavaScript in the app's page, no file served) adds and removes tokens and,
# where the list is shown, reports them back; the server keeps no list, so a token never leaves its author's
# browser but through a link.
_MY_DRAFTS_JS = """
export default function ({ data, setStateValue }) {
  const KEY = "ghyzt.drafts";
  const ok = (t) => typeof t === "string" && /^[a-z]{28}$/.test(t);
  let tokens = [];
  try { tokens = JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (e) { tokens = []; }
  if (!Array.isArray(tokens)) tokens = [];
  tokens = tokens.filter(ok);
  for (const t of (data && data.add) || []) if (ok(t) && !tokens.includes(t)) tokens.push(t);
  const drop = new Set((data && data.remove) || []);
  tokens = tokens.filter((t) => !drop.has(t)).slice(-200);
  try { window.localStorage.setItem(KEY, JSON.stringify(tokens)); } catch (e) { /* storage disabled */ }
  // Report only what the server does not know yet: every report is a rerun, which must not come by itself
  // while the planner is typing or clicking.
  const known = (data && data.known) || [];
  if (data && data.report && JSON.stringify(tokens) !== JSON.stringify(known)) setStateValue("tokens", tokens);
}
"""
_my_drafts = st.components.v2.component("ghyzt_my_drafts", js=_MY_DRAFTS_JS)
_REMOVED = "ghyzt_drafts_removed"  # tokens deleted in this session (dropped from the browser's list too)


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


def take_store_problem() -> str | None:
    """The store's message if a plan a link asked for could not be read in this run (then forgotten)."""
    return st.session_state.pop(_STORE_PROBLEM, None)


def store_message(message: str, lang: str) -> str:
    """A store's ``中文 / English: detail`` message in one language."""
    return in_lang(message, lang)


def saved_as(draft_id: str, stored_id: str | None = None) -> str | None:
    """The stored id a draft revision was saved as (recording it when ``stored_id`` is given)."""
    saved = st.session_state.setdefault(_SAVED, {})
    if stored_id:
        saved[draft_id] = stored_id
    return saved.get(draft_id)


def effective_basemap(state: ViewState) -> str:
    """The basemap drawn: 天地图 without a key falls back to none (dashboard.py says so)."""
    return "none" if state.basemap == "tianditu" and not tianditu_key() else state.basemap


def tianditu_key() -> str | None:
    """The Tianditu browser key from TIANDITU_KEY or st.secrets, if any."""
    key = os.environ.get("TIANDITU_KEY")
    if key:
        return key
    try:
        return str(st.secrets["TIANDITU_KEY"])
    except Exception:  # noqa: BLE001 - no secrets file, no key: both mean "not configured"
        return None


# --------------------------------------------------------------------------- view state


def in_browser() -> bool:
    """True in a browser session (False under AppTest, which has no page URL and no map frame)."""
    try:
        return st.context.url is not None
    except Exception:  # noqa: BLE001 - no context at all
        return False


def light_run_done(value: Any) -> None:
    """End the map-first run: once the map has reported (it is drawn), rerun in full; else stop here."""
    if not st.session_state.get(LIGHT_KEY):
        return
    if isinstance(value, Mapping) and value.get("center"):
        st.session_state[FULL_KEY] = True
        st.rerun()
    st.stop()


def view() -> ViewState:
    """The view of this run (read from the URL by dashboard.py, updated by the page)."""
    return st.session_state.get(VIEW_KEY) or ViewState()


def set_view(state: ViewState) -> None:
    """Change the view; dashboard.py writes it to the URL at the end of the run."""
    st.session_state[VIEW_KEY] = state


def update_view(**changes: Any) -> None:
    """Change some fields of the view now, in a callback: the URL follows before the next run reads it."""
    state = view().with_(**changes)
    set_view(state)
    write_url(state)


def write_url(state: ViewState) -> None:
    """Write the state into the address bar (only when it differs, to keep the history clean)."""
    wanted = state.to_query_params(include_page=False)
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def page_link(page: str, label: str, state: ViewState, **kw: Any) -> None:
    """A link to another page that carries the view (query params are cleared on page switches otherwise)."""
    target = state.with_(page=page)
    st.page_link(PAGE_FILES[page], label=label, query_params=target.to_query_params(include_page=False), **kw)


def share_url(state: ViewState) -> str:
    """The shareable link of a view, on the address the user reached the app by."""
    base = ""
    try:
        base = st.context.url or ""
    except Exception:  # noqa: BLE001 - outside a browser session (tests): a relative link
        base = ""
    path = PAGE_PATHS[state.page]
    if base and path and base.rstrip("/").endswith("/" + path):
        base = base.rstrip("/")[: -len(path) - 1]
    return state.url(base or "/")


def share_text(state: ViewState) -> str:
    """What the sidebar's link box copies: a line saying what the link shows (plan, selection), then the link."""
    try:
        data = plan_data(state.plan)
    except (UnknownPlanError, LayerError, OSError, StoreError):
        return share_url(state)
    caption = vm.share_caption(data, state.feature, state.clause, state.lang, draft=is_draft_id(state.plan))
    return f"{caption}\n{share_url(state)}"


def _other_plan_ids(here: str) -> list[str]:
    ids = list(plan_ids(plans_dir()))
    if plans_dir() is None:
        from geo.store import StoreError, default_store

        try:
            ids += [pid for pid, _title, _saved in default_store().list()]
        except (StoreError, OSError, sqlite3.Error):  # no store to read: the bundled plans still meet
            pass
    return [pid for pid in dict.fromkeys(ids) if pid != here]


def other_plans(here: str) -> list[vm.PlanData]:
    """Every plan but ``here`` that the pickers offer: the bundled ones and the latest 50 **listed** plans
    published here (an unlisted plan is reached by its link only).

    Unsaved drafts are left out (their links open nowhere else); a plan that cannot be read is skipped.
    """
    out = []
    for pid in _other_plan_ids(here):
        try:
            out.append(plan_data(pid))
        except (UnknownPlanError, LayerError, OSError, StoreError):
            continue
    return out


@st.cache_resource(show_spinner=False, max_entries=64)
def _meetings(here: str, adcodes: tuple[str, ...], others: tuple[str, ...], lang: str,
              stamp: tuple) -> list[vm.PlanMeeting]:
    # A saved plan never changes under its id (a content hash), and ``stamp`` changes with the bundled layers:
    # the list is computed once per place, not on every rerun (it reads every other plan).
    return vm.plans_meeting_at(adcodes, here, other_plans(here), lang)


def plans_meeting_at(state: ViewState, data: vm.PlanData) -> list[vm.PlanMeeting]:
    """The other plans (bundled or saved) that name the place selected on the Map page, with their clauses."""
    adcodes = vm.place_adcodes(data, state.feature)
    if not adcodes:
        return []
    layers_dir = _dir(_LAYERS_ENV) or ROOT / "layers"
    stamp = tuple(sorted((str(p), p.stat().st_mtime_ns) for p in layers_dir.glob("*/*.geojson")))
    return _meetings(state.plan, adcodes, tuple(_other_plan_ids(state.plan)), state.lang, stamp)


# --------------------------------------------------------------------------- safe output


def html(markup: str) -> None:
    """Show HTML built by geo.view.model (every piece of plan text in it is escaped)."""
    st.markdown(markup, unsafe_allow_html=True)


def css() -> None:
    """The dashboard's styles (ours only)."""
    st.markdown(CSS, unsafe_allow_html=True)


# --------------------------------------------------------------------------- the map frame


def _links(m: folium.Map) -> tuple[list[str], list[str]]:
    """CSS and JS links of a map and everything in it (what st_folium collects)."""
    css_links: list[str] = []
    js_links: list[str] = []

    def walk(el: Any) -> None:
        if isinstance(el, folium.elements.JSCSSMixin) or el is m:
            css_links.extend(href for _, href in getattr(el, "default_css", []))
            js_links.extend(src for _, src in getattr(el, "default_js", []))
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return list(dict.fromkeys(css_links)), list(dict.fromkeys(js_links))


@st.cache_resource(show_spinner=False, max_entries=24)
def _frame(key: str, plan_id: str, lang: str, basemap: str, tianditu: str | None,
           kinds: tuple[str, ...], controller: bool, plans_dir: Path | None,
           layers_dir: Path | None) -> dict[str, Any]:
    """Everything st_folium would compute for this map, computed once.

    The base map is fixed per (plan, language, basemap), so its component key stays the same and the
    iframe is never remounted by a layer toggle or a selection; the layers travel as feature groups.
    Caching the rendered strings makes a rerun (a click) cost no map rendering at all, and identical
    strings let Streamlit send the unchanged map element as a reference instead of re-sending it.
    """
    data = _plan_data(plan_id, plans_dir, layers_dir)
    panel = vm.panel_data(data, lang) if controller else None
    # The Map page's map opens at its home view, the fit its first command asks for when the link
    # names no view, so that fit changes nothing and the layers are drawn once, where they stay.
    home = vm.jurisdiction_bounds(data) if controller else None
    return render_frame(key, list(data.layers.values()), lang, basemap, tianditu, kinds, panel, home)


def warm_map(plan_id: str, state: ViewState) -> None:
    """Render a plan's Map-page map now (cached), so that opening it on the Map page costs no rendering."""
    data = plan_data(plan_id)
    basemap = effective_basemap(state)
    _frame(f"map-{plan_id}" if is_draft_id(plan_id) else "map", plan_id, state.lang, basemap,
           tianditu_key() if basemap == "tianditu" else None, tuple(vm.default_layers(data.layers)), True,
           _dir(_PLANS_ENV), _dir(_LAYERS_ENV))


def render_frame(key: str, collections: Sequence[Mapping[str, Any]], lang: str, basemap: str,
                  tianditu: str | None, kinds: tuple[str, ...] | None,
                  panel: Mapping[str, Any] | None, home: list[list[float]] | None = None) -> dict[str, Any]:
    """Build the base map and the layer groups and render them the way st_folium does."""
    m = build_map(vm.skeleton(collections), lang=lang, basemap=basemap, tianditu_key=tianditu, layers=(),
                  fit=home, fit_options=HOME_FIT if home is not None else None)
    if panel is not None:
        m.add_child(vm.MapController(panel))
    groups = list(layer_groups(collections, lang=lang, basemap=basemap, only=kinds).values())
    # The same steps, in the same order, as streamlit_folium.st_folium (0.27).
    m.get_root().render()
    m.render()
    page_html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
    m_id = sf.get_full_id(m)
    zoom_default = m.options.get("zoom") if hasattr(m, "options") else None
    fg = "".join(sf._get_feature_group_string(g, map=m, idx=i) for i, g in enumerate(groups))
    css_links, js_links = _links(m)
    return {
        "script": script, "header": header, "html": page_html, "id": m_id, "feature_group": fg,
        "groups": len(groups), "css_links": css_links, "js_links": js_links, "zoom_default": zoom_default,
        "hash_key": sf.generate_js_hash(script, key, False), "home": home,
    }


def _command_string(command: vm.MapCommand, idx: int) -> str:
    """The JS of the command group, as st_folium would render it at position ``idx``."""
    dummy = folium.Map(location=[0, 0], tiles=None)
    return sf._get_feature_group_string(vm.command_group(command), map=dummy, idx=idx)


def map_frame(
    *,
    key: str,
    plan_id: str,
    lang: str,
    basemap: str,
    kinds: tuple[str, ...] | None,
    command: vm.MapCommand | None = None,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    returned_objects: Sequence[str] = (),
    height: int = MAP_HEIGHT,
) -> dict[str, Any] | None:
    """Show a plan's map with streamlit-folium's component; return what the user did on it.

    Equivalent to ``st_folium(build_map(...), feature_group_to_add=[*layer_groups(...), command])``
    with a fixed base map, but the rendered map is cached, so a rerun costs a dictionary lookup.

    Parameters
    ----------
    key : str
        One per page.
    plan_id, lang, basemap : str
        What the base map depends on (a change remounts it).
    kinds : tuple of str or None
        Visible layers (None: all).
    command : MapCommand, optional
        Selection, search marks, fit (needs the controller; Map page only).
    center, zoom : optional
        View to set on mount (st_folium's ``center``/``zoom``).
    returned_objects : sequence of str
        st_folium's ``returned_objects``.
    height : int
        Pixels.
    """
    frame = _frame(key, plan_id, lang, basemap, tianditu_key() if basemap == "tianditu" else None,
                   tuple(kinds) if kinds is not None else None, command is not None,
                   _dir(_PLANS_ENV), _dir(_LAYERS_ENV))
    if command is not None and command.serial == 0 and command.fit is not None and command.fit == frame["home"]:
        # The map opens at its home view already; fitting it there again would redraw every shape.
        command = dataclasses.replace(command, fit=None)
    return _call_component(frame, command, center, zoom, returned_objects, height)


#: The map's component: our lean frame page (``geo/view/mapframe/index.html``) under streamlit-folium's own
#: component name. It speaks streamlit-folium's protocol (the same arguments, the same reported value), and
#: keeping the name keeps the frame ``iframe[title="streamlit_folium.st_folium"]``, which the team's tools
#: (../shared/tools/look.py) and tests look for. ``GHYZT_MAP_FRAME=streamlit-folium`` leaves streamlit-folium's
#: own frontend in place: the fallback should a later Streamlit or streamlit-folium break the lean page.
_LEAN_FRAME = CustomComponent(name=sf._component_func.name, path=str(MAP_FRAME_DIR),
                              module_name=sf._component_func.module_name)


def _map_component() -> CustomComponent:
    """The component that draws the map: the lean frame, or streamlit-folium's own on request.

    Streamlit serves a component's files by its name from its registry, where streamlit-folium put its own
    build at import: the lean frame takes the name over (once per process; Streamlit logs the override).
    """
    from streamlit import runtime

    if os.environ.get("GHYZT_MAP_FRAME") == "streamlit-folium":
        return sf._component_func
    if runtime.exists():  # not under AppTest, which serves no files
        registry = runtime.get_instance().component_registry
        if registry.get_component(_LEAN_FRAME.name) is not _LEAN_FRAME:
            registry.register_component(_LEAN_FRAME)
    return _LEAN_FRAME


def _call_component(frame: Mapping[str, Any], command: vm.MapCommand | None,
                    center: tuple[float, float] | None, zoom: int | None,
                    returned_objects: Sequence[str], height: int) -> dict[str, Any] | None:
    """Call streamlit-folium's component with rendered strings."""
    feature_group = frame["feature_group"]
    if command is not None:
        feature_group += _command_string(command, frame["groups"])
    defaults = {k: v for k, v in {"last_object_clicked_popup": None, "zoom": frame["zoom_default"]}.items()
                if k in returned_objects}
    return _map_component()(
        script=frame["script"], header=frame["header"], html=frame["html"], id=frame["id"],
        key=frame["hash_key"], height=height, width=None, returned_objects=list(returned_objects),
        default=defaults, zoom=zoom, center=list(center) if center else None,
        feature_group=feature_group or None, return_on_hover=False, layer_control=None, pixelated=False,
        css_links=frame["css_links"], js_links=frame["js_links"], on_change=None, wrap_longitude=False,
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def overview_frame(key: str, plan_ids_: tuple[str, ...], lang: str, basemap: str, tianditu: str | None,
                   plans_dir: Path | None, layers_dir: Path | None) -> dict[str, Any]:
    """The rendered Overview map (all plans' jurisdictions and main structure)."""
    datas = []
    for pid in plan_ids_:
        try:
            datas.append(_plan_data(pid, plans_dir, layers_dir))
        except (UnknownPlanError, LayerError, OSError):
            continue
    try:
        from geo.places.gazetteer import load_gazetteer

        backdrop = vm.province_outlines(load_gazetteer())
    except Exception:  # noqa: BLE001 - no gazetteer cache: the plans are drawn without China's outline
        backdrop = None
    meets_ = vm.load_meets(layers_dir)
    return render_frame(key, vm.overview_collections(datas, meets_, backdrop), lang, basemap, tianditu, None, None)


def show_overview_map(key: str, plan_ids_: Sequence[str], lang: str, basemap: str = "none",
                      height: int = 560) -> None:
    """Show the Overview map; it reports nothing back (no rerun on pan)."""
    frame = overview_frame(key, tuple(plan_ids_), lang, basemap, tianditu_key() if basemap == "tianditu" else None,
                           _dir(_PLANS_ENV), _dir(_LAYERS_ENV))
    _call_component(frame, None, None, None, (), height)


@st.cache_resource(show_spinner=False, max_entries=8)
def compare_frames(first_id: str, second_id: str, mode: str, lang: str, basemap: str, tianditu: str | None,
                   plans_dir: Path | None, layers_dir: Path | None) -> tuple[list[dict[str, Any]], list[vm.SharedPlace]]:
    """The rendered maps of a comparison (one in overlay mode, two side by side) and the places both name."""
    first, second = _plan_data(first_id, plans_dir, layers_dir), _plan_data(second_id, plans_dir, layers_dir)
    try:
        gaz = gazetteer()
    except Exception:  # noqa: BLE001 - no gazetteer cache: the shared places are listed, not outlined
        gaz = None

    def unit_name(adcode: str) -> str:
        try:
            return gaz.unit(adcode).name if gaz is not None else ""
        except KeyError:
            return ""

    shared = vm.shared_places(first, second, unit_name)
    # Provinces both name are listed, not outlined: their outline would cover both plans.
    outlines = vm.place_outlines(gaz, [p.adcode for p in shared if gaz.unit(p.adcode).level != "province"]
                                 ) if gaz is not None else {}
    maps = vm.compare_collections(first, second, mode, outlines)
    bounds = [b for b in (vm.jurisdiction_bounds(first), vm.jurisdiction_bounds(second)) if b]
    # both maps open on the same view, the two jurisdictions together, so that they compare at a glance
    home = [[min(b[0][0] for b in bounds), min(b[0][1] for b in bounds)],
            [max(b[1][0] for b in bounds), max(b[1][1] for b in bounds)]] if bounds else None
    frames = [render_frame(f"compare-{i}", collections, lang, basemap, tianditu, None, None, home)
              for i, collections in enumerate(maps) if collections]
    return frames, shared


def show_compare(first_id: str, second_id: str, mode: str, lang: str, basemap: str = "none",
                 height: int = 520) -> list[vm.SharedPlace]:
    """Show the comparison's maps (side by side, or one); return the places both plans name."""
    frames, shared = compare_frames(first_id, second_id, mode, lang, basemap,
                                    tianditu_key() if basemap == "tianditu" else None, _dir(_PLANS_ENV),
                                    _dir(_LAYERS_ENV))
    columns = st.columns(len(frames)) if len(frames) > 1 else [st.container()]
    for column, frame, pid in zip(columns, frames, (first_id, second_id)):
        with column:
            if len(frames) > 1:
                st.caption(vm.md_escape(plan_label(pid, lang)))
            _call_component(frame, None, None, None, (), height)
    return shared


def page_title(page: str, lang: str) -> str:
    """The title of a page in ``lang``."""
    return t(f"page.{page}", lang)


# --------------------------------------------------------------------------- the Map page's map state

_MAP = "ghyzt_map"  # session key of what the mounted map shows


def map_command(state: ViewState, data: vm.PlanData, basemap: str, matches: tuple[str, ...]
                ) -> tuple[vm.MapCommand, tuple[float, float] | None, int | None]:
    """The command for the Map page's map, and the centre/zoom to mount it with.

    The command changes only when the server changes what the map must show (a link, a search, a
    pick from the panel). What the user does on the map (a click, previous/next, a pan) is shown by
    the browser and only recorded here, so the map's arguments stay byte-identical and Streamlit
    re-sends nothing of the map.

    Returns
    -------
    command, center, zoom
    """
    ss = st.session_state
    mount = (state.plan, state.lang, basemap)
    link = state.with_(page="text", feature=None, clause=None, center=None, zoom=None).to_query_params(
        include_page=False)
    prev = ss.get(_MAP)
    if prev is None or prev["mount"] != mount or ss.get("ghyzt_prev_page") != "map":
        center = zoom = fit = None
        if state.center is not None and state.zoom is not None:
            center, zoom = state.center, state.zoom
        elif state.feature:
            fit = vm.feature_bounds(data, state.feature)
        if center is None and fit is None:
            fit = vm.jurisdiction_bounds(data)
        cmd = vm.MapCommand(state.feature, state.clause, matches, fit, link, 0)
        ss[_MAP] = {"mount": mount, "cmd": cmd, "client": (state.feature, state.clause), "view": (center, zoom),
                    "n": None}
        return cmd, center, zoom
    cmd = prev["cmd"]
    moved = (state.feature, state.clause) != prev["client"]
    if moved or matches != cmd.matches or link != cmd.link:
        fit = None
        if state.feature and state.feature != prev["client"][0]:
            fit = vm.feature_bounds(data, state.feature)
        cmd = vm.MapCommand(state.feature, state.clause, matches, fit, link, cmd.serial + 1)
        prev.update(cmd=cmd, client=(state.feature, state.clause))
    center, zoom = prev["view"]
    return cmd, center, zoom


def map_feedback(state: ViewState, value: Any, data: vm.PlanData) -> tuple[ViewState, str | None]:
    """Fold what the user did on the map (a choice, a pan) into the view.

    Returns
    -------
    state : ViewState
    go : str or None
        "text" when the user asked for the Text page from the map's panel.
    """
    prev = st.session_state.get(_MAP)
    if not isinstance(value, Mapping) or prev is None:
        return state, None
    changes: dict[str, Any] = {}
    go = None
    choice = vm.map_choice(value, data.features, data.clause_index)
    if choice is not None and choice["n"] != prev["n"]:
        prev["n"] = choice["n"]
        prev["client"] = (choice["feature"], choice["clause"])
        changes.update(feature=choice["feature"], clause=choice["clause"])
        go = choice["go"]
    center, zoom = value.get("center"), value.get("zoom")
    if isinstance(center, Mapping) and isinstance(zoom, (int, float)):
        try:
            lat, lng = round(float(center["lat"]), 5), round(float(center["lng"]), 5)
            z = round(float(zoom))
        except (KeyError, TypeError, ValueError):
            lat, lng, z = 0.0, 0.0, 0
        lng = (lng + 180) % 360 - 180  # a world panned round the date line
        if -90 <= lat <= 90 and 3 <= z <= 18 and ((lat, lng), z) != (state.center, state.zoom):
            changes.update(center=(lat, lng), zoom=z)
    return (state.with_(**changes) if changes else state), go


if __name__ == "__main__":  # run as a page of the pages-folder mode (see through_dashboard)
    through_dashboard()


@st.cache_data(max_entries=32, show_spinner=False)
def export_bytes(plan_id: str, fmt: str, layers: tuple[str, ...], feature: str | None, clause: str | None,
                 lang: str) -> bytes:
    """One export of a view (cached: the same view downloaded twice renders once)."""
    if vm.is_stored_plan_id(plan_id):
        return vm.stored_plan_export(plan_id, fmt, layers, lang, selected=feature, clause=clause)
    from geo.export import export

    return export(plan_id, fmt, layers=layers or None, selected=feature, clause=clause, lang=lang).data
