"""The loaders the pages share, cached per process: plans and their layers, the catalog links are checked
against, the gazetteer, import drafts computed from a text; and the plan store's messages."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

from geo import view as vm
from geo.i18n import in_lang, t
from geo.importer import draft as dr
from geo.importer.editing import is_draft_id
from geo.layers import LayerError
from geo.places.gazetteer import Gazetteer, load_gazetteer
from geo.store import StoreError, default_store
from geo.text.plans import UnknownPlanError
from geo.view.state import Catalog
from pages._access import access_config, can, owner, user_label
from pages._drafts import current_draft, session_draft
from pages._view import view

ROOT = Path(__file__).resolve().parents[1]

# Tests point the dashboard at fixture plans and layers with these variables.
_PLANS_ENV, _LAYERS_ENV = "GHYZT_PLANS_DIR", "GHYZT_LAYERS_DIR"

_STORE_PROBLEM = "ghyzt_store_problem"  # the store's message when a link's plan could not be read
_WITHDRAWN = "ghyzt_withdrawn"  # plan id -> tombstone of the withdrawn plans links asked for in this run

_FROZEN = threading.Event()


def freeze_loaded_heap() -> bool:
    """Once per process, after its first full Map page run: collect, then `gc.freeze` what is alive (the gazetteer,
    the plan's layers and rendered map, Streamlit's modules), so that Python's full collections no longer walk it.

    A full collection walks every tracked object; with the caches loaded one stopped a replica's runs for 0.1–0.2 s,
    twice a minute under 25 sessions, and the clicks waiting behind it made the tail of the load bench (issue #21).
    Frozen objects are still freed when no longer referenced; only a reference cycle among them is never
    collected (once per process, at most the first session's). Returns whether this call froze."""
    if _FROZEN.is_set():
        return False
    _FROZEN.set()
    gc.collect()  # the start-up's garbage freed, not kept frozen
    gc.freeze()
    return True


# --------------------------------------------------------------------------- plans


def _dir(env: str) -> Path | None:
    value = os.environ.get(env)
    return Path(value) if value else None


def plans_dir() -> Path | None:
    """The plans folder in use (None: the bundled plans)."""
    return _dir(_PLANS_ENV)


def layers_dir() -> Path | None:
    """The layers folder in use (None: the bundled layers)."""
    return _dir(_LAYERS_ENV)


def layers_stamp() -> str:
    """The bundled layer files and when each changed, as a digest: what is computed from them is recomputed when
    they change. Read on every run (one directory listing and a stat per file, with `os.scandir`, which gives
    both at once); a short string, so that the caches keyed on it hash 32 characters, not the ~40 files' paths."""
    folder = layers_dir() or ROOT / "layers"
    files = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError), os.scandir(folder) as plans:
        for plan in plans:
            if not plan.is_dir():
                continue
            with os.scandir(plan.path) as entries:
                files.extend((e.path, e.stat().st_mtime_ns) for e in entries
                             if e.name.endswith(".geojson") and e.is_file())
    return hashlib.blake2b(repr(sorted(files)).encode(), digest_size=16).hexdigest()


@st.cache_data(show_spinner=False)
def plan_ids(plans_dir: Path | None = None) -> list[str]:
    """The plans the dashboard offers (fixture folder in tests)."""
    return vm.available_plans(plans_dir)


class Memo:
    """A bounded memo in front of a `st.cache_resource` function, by its (hashable) arguments as they are.

    On every call Streamlit's cache reads the function's signature and hashes each argument with its own hasher,
    some 0.3 ms; the Map page asks for the plan and its rendered map several times a run, a few ms of a click's
    rerun. The memo answers those from a dict; on a miss the function behind computes the value, once per key
    for all sessions at once (Streamlit's lock), and keeps it within its own bound. The memo holds the same
    objects, at most ``size`` of them, the most recently asked for; `clear` empties both.
    """

    def __init__(self, fn: Callable[..., Any], size: int) -> None:
        self._fn, self._size = fn, size
        self._lock, self._memo = threading.Lock(), OrderedDict()

    def __call__(self, *args: Any) -> Any:
        with self._lock:
            if args in self._memo:
                self._memo.move_to_end(args)
                return self._memo[args]
        value = self._fn(*args)  # an error is raised again on the next call: nothing kept
        with self._lock:
            self._memo[args] = value
            while len(self._memo) > self._size:
                self._memo.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._memo.clear()
        self._fn.clear()


# cache_resource, not cache_data: the collections are large and read-only; unpickling a copy on
# every rerun would cost more than the rest of the page.
@st.cache_resource(show_spinner=False, max_entries=16)
def _load_plan_data(plan_id: str, plans_dir: Path | None, layers_dir: Path | None) -> vm.PlanData:
    return vm.load_plan_data(plan_id, plans_dir, layers_dir)


_loaded_plan_data = Memo(_load_plan_data, 16)


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


def plan_data_at(plan_id: str, plans_dir: Path | None, layers_dir: Path | None) -> vm.PlanData:
    """A bundled or stored plan (cached), or this session's draft (held by the session, never shared)."""
    if is_draft_id(plan_id):
        held = session_draft(plan_id)
        if held is None:
            raise UnknownPlanError(plan_id)
        return held.plan_data
    if plans_dir is None and vm.is_stored_plan_id(plan_id) and _withdrawn(plan_id):
        raise UnknownPlanError(plan_id)
    return _loaded_plan_data(plan_id, plans_dir, layers_dir)


def plan_data(plan_id: str) -> vm.PlanData:
    """A plan and its layers. Raises UnknownPlanError / LayerError (pages show them as errors)."""
    return plan_data_at(plan_id, plans_dir(), layers_dir())


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


@st.cache_resource(show_spinner=False)
def _catalog(plans_dir: Path | None, layers_dir: Path | None, stamp: tuple) -> Catalog:
    ids = vm.available_plans(plans_dir)
    layers, clauses = {}, {}
    for pid in ids:
        try:
            d = plan_data_at(pid, plans_dir, layers_dir)
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
    base = _catalog(plans_dir(), layers_dir(), layers_stamp())
    stored = {}
    current = current_draft()
    for pid in dict.fromkeys([*requested, *([current.id] if current else [])]):
        if pid not in base.plans and (vm.is_stored_plan_id(pid) or session_draft(pid) is not None):
            try:
                d = plan_data(pid)
            except UnknownPlanError:
                _note_tombstone(pid)  # a withdrawn plan's link says so (pages/_shell.py)
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


def take_store_problem() -> str | None:
    """The store's message if a plan a link asked for could not be read in this run (then forgotten)."""
    return st.session_state.pop(_STORE_PROBLEM, None)


def store_message(message: str, lang: str) -> str:
    """A store's ``中文 / English: detail`` message in one language."""
    return in_lang(message, lang)


# --------------------------------------------------------------------------- the gazetteer, drafting

_GAZETTEER_READY = threading.Event()  # set once this process has seen the cache: later runs check nothing


def ensure_gazetteer(lang: str) -> None:
    """Build the gazetteer cache on a fresh machine under a status box naming each stage (one to two minutes).

    Every page but the Map page of a bundled plan needs the gazetteer; without this the first one would
    look frozen for a minute.
    """
    from geo.places.build import cache_ready, ensure_cache

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


if __name__ == "__main__":  # run as a page of the pages-folder mode (see `pages._view.through_dashboard`)
    from pages._view import through_dashboard

    through_dashboard()
