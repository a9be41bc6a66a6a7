"""条文 Text: the plan's outline as a tree, with chips for what each clause names, search and the original."""

from __future__ import annotations

import streamlit as st

from geo import viewmodel as vm
from geo.i18n import t
from pages import _shared as ui

state, data = ui.open_plan_page()
lang = state.lang

ui.css()
meta = data.plan.meta
st.subheader(meta.title_en if lang == "en" else meta.title)
st.caption(" · ".join(vm.md_escape(x) for x in (meta.issuer, meta.doc_number, meta.date) if x))


def _search() -> None:
    ui.update_view(q=st.session_state["text_q"].strip()[:200])


st.session_state["text_q"] = state.q
st.text_input(t("text.search", lang), key="text_q", placeholder=t("map.search_placeholder", lang),
              on_change=_search)
matches = vm.text_matches(data.plan.outline, state.q)
if state.q:
    key = "text.hits" if matches else "text.no_hits"
    st.caption(vm.md_escape(t(key, lang, n=len(matches), q=state.q)))

chips = vm.clause_chips(data, lang)
selected = vm.feature_panel(data, state.feature, lang) if state.feature else None
cited = {m.clause: m.spans for m in selected.mentions} if selected else {}
for top in vm.text_tree(data):
    ids = [n.id for n in top.walk()]
    opened = state.clause in ids or any(i in matches for i in ids) or (not state.clause and any(i in cited for i in ids))
    label = vm.md_escape(f"{top.id} {top.heading}".strip())
    if matches:
        label += f" · {sum(1 for i in ids if i in matches)}"
    with st.expander(label, expanded=opened):
        for node in top.walk():
            ui.html(vm.clause_html(node.id, node.text, (*matches.get(node.id, ()), *cited.get(node.id, ())),
                                   level=node.level, selected=node.id == state.clause))
            named = chips.get(node.id)
            if named:
                with st.container(horizontal=True, gap="small"):
                    for chip in named:
                        target = state.with_(page="map", feature=chip.id, clause=node.id, center=None, zoom=None,
                                             layers=vm.with_layer(state.layers, chip.kind, data.layers))
                        ui.page_link("map", ("◎ " if chip.is_place else "◆ ") + vm.md_escape(chip.label), target)

if st.toggle(t("text.original", lang), key="text_original"):
    st.caption(t("text.original_caption", lang))
    ui.html(vm.pre_html(data.plan.original))
