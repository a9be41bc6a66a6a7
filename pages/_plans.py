"""The plans as the pages offer them: a plan page's opening, plan labels, the other plans, where plans meet,
share captions, exports."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import streamlit as st

from geo import view as vm
from geo.i18n import t
from geo.importer.editing import is_draft_id
from geo.layers import LayerError
from geo.safe import plain
from geo.store import StoreError, default_store
from geo.text.plans import UnknownPlanError
from geo.view.state import ViewState
from pages._resources import (
    gazetteer,
    layers_dir,
    layers_stamp,
    plan_data,
    plan_data_at,
    plans_dir,
    store_message,
)
from pages._view import end_page, share_url, through_dashboard, view


def open_plan_page() -> tuple[ViewState, vm.PlanData]:
    """What every plan page does first: join the dashboard, read the view, load the plan (or say why not)."""
    through_dashboard()
    state = view()
    try:
        return state, plan_data(state.plan)
    except (UnknownPlanError, LayerError) as exc:
        st.error(t("error.layers", state.lang, error=exc))
        end_page()
        raise  # end_page() ends the page; this keeps type checkers and readers sure nothing follows
    except StoreError as exc:  # the plan store went away between the link's check and this page
        st.error(t("notice.store", state.lang, error=store_message(str(exc), state.lang)))
        end_page()
        raise  # end_page() ends the page; this keeps type checkers and readers sure nothing follows


def plan_label(plan_id: str, lang: str) -> str:
    """How the plan picker names a plan: its jurisdiction and title."""
    try:
        if not is_draft_id(plan_id) and not vm.is_stored_plan_id(plan_id):
            # a bundled plan's label never changes while the server runs: made once (the picker labels every
            # plan on every run of every page)
            return _bundled_label(plan_id, lang, plans_dir(), layers_dir())
        data = plan_data(plan_id)
    except (UnknownPlanError, LayerError, OSError, StoreError):
        return plan_id
    return _label(plan_id, data, lang)


def _label(plan_id: str, data: vm.PlanData, lang: str) -> str:
    label = plain(vm.plan_title(data, lang, place=place_name(data.plan.meta.jurisdiction.adcode, lang)))
    return f"{t('edit.draft_label', lang)} · {label}" if is_draft_id(plan_id) else label


@functools.lru_cache(maxsize=256)
def _bundled_label(plan_id: str, lang: str, plans_dir: Path | None, layers_dir: Path | None) -> str:
    return _label(plan_id, plan_data_at(plan_id, plans_dir, layers_dir), lang)  # an error is not kept


def place_name(adcode: str | None, lang: str) -> str | None:
    """An admin unit's name in ``lang`` (English: the gazetteer's), or None to keep the plan's own."""
    if lang != "en" or not adcode:
        return None
    try:
        unit = gazetteer().units.get(adcode)
    except Exception:  # noqa: BLE001 - no gazetteer (yet): the plan's own name
        return None
    return unit.name_en if unit is not None and unit.name_en else None


def meets() -> list[dict[str, Any]]:
    """Where plans meet."""
    return vm.load_meets(layers_dir())


def share_text(state: ViewState) -> str:
    """What the sidebar's link box copies: a line saying what the link shows (plan, selection), then the link."""
    try:
        data = plan_data(state.plan)
    except (UnknownPlanError, LayerError, OSError, StoreError):
        return share_url(state)
    caption = vm.share_caption(data, state.feature, state.clause, state.lang, draft=is_draft_id(state.plan),
                              place=place_name(data.plan.meta.jurisdiction.adcode, state.lang))
    return f"{caption}\n{share_url(state)}"


def meetings_at(state: ViewState, data: vm.PlanData) -> tuple[vm.Meetings, vm.Meetings, Any]:
    """Every other plan (bundled or listed in the store) naming the place selected on the Map page, from the
    index (one query, no plan read); every plan naming it, the plan shown too (what the cascade starts from: not
    asked of the store again); and the store it came from (None: the bundled plans alone)."""
    adcodes = vm.place_adcodes(data, state.feature)
    store, _problem = index_store()  # a store that cannot be read: the bundled plans still meet
    everywhere = vm.where_plans_meet(store, adcodes, bundled=bundled_index())
    return vm.without(everywhere, state.plan), everywhere, store


def bundled_index() -> tuple:
    """The bundled plans indexed as the store indexes published ones (once per process and layer files)."""
    from geo.view.catalogue import bundled_index as index

    return index(plans_dir(), layers_dir(), layers_stamp())


def index_store() -> tuple[Any, str | None]:
    """The plan store whose index the catalogue, where plans meet and the cascade read, and the reason it cannot
    be read (then None: the bundled plans still answer)."""
    try:
        return default_store(), None
    except StoreError as exc:
        return None, str(exc)


@st.cache_data(max_entries=32, show_spinner=False)
def export_bytes(plan_id: str, fmt: str, layers: tuple[str, ...], feature: str | None, clause: str | None,
                 lang: str) -> bytes:
    """One export of a view (cached: the same view downloaded twice renders once)."""
    if vm.is_stored_plan_id(plan_id):
        return vm.stored_plan_export(plan_id, fmt, layers, lang, selected=feature, clause=clause)
    from geo.export import export

    return export(plan_id, fmt, layers=layers or None, selected=feature, clause=clause, lang=lang).data


if __name__ == "__main__":  # run as a page of the pages-folder mode (see `pages._view.through_dashboard`)
    through_dashboard()
