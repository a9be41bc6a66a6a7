"""总览 Overview: all plans on one map of China, where they meet, and a table per plan."""

from __future__ import annotations

import streamlit as st

from geo import viewmodel as vm
from geo.i18n import t
from geo.layers import LayerError
from geo.plans import UnknownPlanError
from pages import _shared as ui

ui.through_dashboard()
state = ui.view()
lang = state.lang
ui.css()

plans = []
for pid in ui.plan_ids(ui.plans_dir()):
    try:
        plans.append(ui.plan_data(pid))
    except (UnknownPlanError, LayerError) as exc:
        st.warning(t("error.layers", lang, error=exc))

st.caption(t("overview.map_caption", lang))
ui.show_overview_map("overview", [d.id for d in plans], lang, ui.effective_basemap(state))

st.subheader(t("overview.table", lang))
rows = vm.overview_rows(plans, lang)
st.dataframe(rows, hide_index=True, width="stretch")
with st.container(horizontal=True):
    for d in plans:
        target = state.with_(plan=d.id, layers=None, feature=None, clause=None, center=None, zoom=None)
        ui.page_link("map", f"{t('overview.open', lang)} {vm.md_escape(d.plan.meta.title if lang == 'zh' else d.id)}",
                     target)

st.subheader(t("overview.meets", lang))
names = {d.id: (d.plan.meta.jurisdiction.name or d.id) for d in plans}
meet = vm.meet_rows(ui.meets(), names)
if meet:
    st.dataframe(
        [{t("overview.meet_name", lang): r["name"], t("overview.meet_plans", lang): r["plans"],
          t("overview.meet_clauses", lang): r["clauses"]} for r in meet],
        hide_index=True, width="stretch")
else:
    st.caption(t("overview.meets_none", lang))
