"""总览 Overview: all plans on one map of China, where they meet, a table per plan, and two plans compared."""

from __future__ import annotations

import streamlit as st

from geo import view as vm
from geo.i18n import t
from geo.layers import LayerError
from geo.text.plans import UnknownPlanError
from geo.view import catalogue as cat
from geo.view.footprints import overview_footprints
from pages._mapframe import effective_basemap, show_compare, show_footprint_map, show_overview_map
from pages._plans import bundled_index, index_store, meets, place_name, plan_label
from pages._resources import plan_data, plan_ids, plans_dir
from pages._view import css, page_link, through_dashboard, update_view, view

DETAIL_MAX = 12  # up to this many plans the map draws each plan's structure; beyond, their footprints by level

through_dashboard()
state = view()
lang = state.lang
css()

plans = []
for pid in plan_ids(plans_dir()):
    try:
        plans.append(plan_data(pid))
    except (UnknownPlanError, LayerError) as exc:
        st.warning(t("error.layers", lang, error=exc))

store, _problem = index_store()  # the catalogue page says why a store cannot be read; here the bundled plans show
bundled = bundled_index()
footprints = overview_footprints(store, bundled)
total = sum(f.plans for f in footprints)
if total > DETAIL_MAX:  # hundreds of plans: one shape per unit governed, by level, not one layer per plan
    st.caption(t("footprint.caption", lang))
    show_footprint_map("overview-footprints", footprints, lang, effective_basemap(state))
    page_link("catalogue", t("catalogue.count", lang, n=total), state)
else:
    st.caption(t("overview.map_caption", lang))
    show_overview_map("overview", [d.id for d in plans], lang, effective_basemap(state))

st.subheader(t("overview.table", lang))
rows = vm.overview_rows(plans, lang, {d.id: place_name(d.plan.meta.jurisdiction.adcode, lang) for d in plans})
st.dataframe(rows, hide_index=True, width="stretch")
with st.container(horizontal=True):
    for d in plans:
        target = state.with_(plan=d.id, layers=None, feature=None, clause=None, center=None, zoom=None)
        page_link("map", f"{t('overview.open', lang)} {vm.md_escape(plan_label(d.id, lang))}",
                     target)

st.subheader(t("overview.meets", lang))
names = {d.id: (d.plan.meta.jurisdiction.name or d.id) for d in plans}
meet = vm.meet_rows(meets(), names)
if meet:
    st.dataframe(
        [{t("overview.meet_name", lang): r["name"], t("overview.meet_plans", lang): r["plans"],
          t("overview.meet_clauses", lang): r["clauses"]} for r in meet],
        hide_index=True, width="stretch")
else:
    st.caption(t("overview.meets_none", lang))


# ---- 对比 Compare: the plan of the sidebar and a second one, side by side or one over the other (the cascade)
def _compare() -> None:
    update_view(compare=st.session_state["ov_vs"] or None)


def _compare_mode() -> None:
    update_view(compare_mode=st.session_state["ov_vsmode"])


st.subheader(t("overview.compare", lang))
# Every bundled and listed plan, from the index (no plan is read to list them); only the one chosen is loaded.
entries = [e for e in cat.plan_choices(store, bundled) if e.plan != state.plan]
labels = {e.plan: cat.choice_label(e, lang, place_name(e.adcode, lang)) for e in entries}
candidates = set(labels)
if state.compare and state.compare != state.plan and state.compare not in candidates:
    try:  # an unlisted plan named by the link (its holder may compare it) joins the picker for this view
        plan_data(state.compare)
        candidates.add(state.compare)
        labels[state.compare] = plan_label(state.compare, lang)
    except Exception:  # noqa: BLE001, S110 - the link's check already said why it cannot be shown
        pass
st.caption(vm.md_escape(t("overview.compare_first", lang, plan=plan_label(state.plan, lang))))
left, right = st.columns([3, 2])
with left:
    options = ["", *labels]
    st.session_state["ov_vs"] = state.compare if state.compare in candidates else ""
    st.selectbox(t("overview.compare_with", lang), options, key="ov_vs", on_change=_compare,
                 format_func=lambda pid: labels.get(pid, t("overview.compare_none", lang)),
                 placeholder=t("widget.placeholder", lang))
with right:
    st.session_state["ov_vsmode"] = state.compare_mode
    st.radio(t("overview.compare_mode", lang), ("side", "overlay"), key="ov_vsmode", on_change=_compare_mode,
             horizontal=True, format_func=lambda mode: t(f"overview.compare_{mode}", lang))
if state.compare == state.plan:
    st.caption(t("overview.compare_same", lang))
elif state.compare in candidates:
    shared = show_compare(state.plan, state.compare, state.compare_mode, lang, effective_basemap(state))
    st.caption(t(f"overview.compare_legend_{state.compare_mode}", lang,
                 second=vm.md_escape(labels[state.compare])))
    st.markdown(f"**{vm.md_escape(t('overview.shared', lang, n=len(shared)))}**")
    if shared:
        first_label, second_label = plan_label(state.plan, lang), labels[state.compare]
        st.dataframe(
            [{t("overview.meet_name", lang): p.name,
              first_label: "、".join(m.clause for m in p.first),
              second_label: "、".join(m.clause for m in p.second)} for p in shared],
            hide_index=True, width="stretch")
    else:
        st.caption(t("overview.shared_none", lang))
