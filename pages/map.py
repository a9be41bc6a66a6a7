"""地图 Map: the plan's layers; a click shows the feature and its clauses; search."""

from __future__ import annotations

from functools import partial

import streamlit as st

from geo import view as vm
from geo.export import FORMATS, MIME_TYPES, can_draw, embed_snippet, export_filename
from geo.i18n import data_text, t
from geo.importer.editing import EDIT_EXPORT_FORMATS
from pages import _editing as edit
from pages._access import can
from pages._drafts import browser_drafts, session_draft, use_draft
from pages._mapframe import effective_basemap, map_command, map_feedback, map_frame
from pages._meets import show_cascade, show_meetings
from pages._plans import export_bytes, meetings_at, open_plan_page
from pages._resources import freeze_loaded_heap, gazetteer
from pages._view import (
    PAGE_FILES,
    css,
    html,
    light_run_done,
    page_link,
    set_view,
    share_url,
    update_view,
    view,
    write_url,
)

state, data = open_plan_page()
lang = state.lang
draft = session_draft(state.plan)  # a draft (autosaved, unpublished): shown like any plan, edited below the map
if draft is not None:
    use_draft(state.plan)
if not data.layers:
    st.warning(t("edit.nothing" if draft else "error.no_layers", lang))
    if draft:
        page_link("import", t("edit.back", lang), state)
    st.stop()

# A link without layers opens on the plan's structure (routes, links and nodes one click away), plus the layer of
# the feature it selects.
visible = vm.visible_layers(state.layers, data.layers, data.kind_of(state.feature) if state.feature else None)
if state.layers is None and visible != vm.default_layers(data.layers):
    state = state.with_(layers=visible)  # named in the link, so that the feature stays drawn after another click
results = vm.search(data, state.q, lang)


def _toggle() -> None:
    chosen = {k for group in range(len(groups)) for k in st.session_state.get(f"layers_{group}") or ()}
    update_view(layers=tuple(k for k in vm.layer_order(data.layers) if k in chosen))


def _search() -> None:
    update_view(q=st.session_state["map_q"].strip()[:200])


def _pick(fid: str) -> None:
    update_view(feature=fid, clause=None, layers=vm.with_layer(view().layers, data.kind_of(fid), data.layers))


def _clear() -> None:
    update_view(feature=None, clause=None)


# ---- the map first: it is what takes longest to show, so it is the first element sent
top = st.container()
with st.container():
    command, center, zoom = map_command(state, data, effective_basemap(state), results.ids)
    # A draft's map is mounted afresh for each revision: the last click must not replay on the next one.
    value = map_frame(key="map" if draft is None else f"map-{draft.id}", plan_id=state.plan, lang=lang,
                         basemap=effective_basemap(state), kinds=tuple(visible), command=command,
                         center=center, zoom=zoom,
                         returned_objects=("last_object_clicked_popup", "zoom", "center"))
light_run_done(value)
state, go = map_feedback(state, value, data)
set_view(state)  # the click is the session's view now, before anything that may stop this run
state = edit.follow_click(state, draft)
set_view(state)
# The click's feature goes into the address bar now, not only at the end of the run: a rerun the map frame asks
# for meanwhile (its view report) stops this run before pages/_shell.py writes the URL, and the link would lack it.
write_url(state)
if go == "text":
    st.switch_page(PAGE_FILES["text"], query_params=state.with_(page="text").to_query_params(include_page=False))

with top:
    css()
    meta = data.plan.meta
    st.caption(vm.md_escape(" · ".join(x for x in (t("edit.draft_label", lang) if draft else None,
                                                    meta.title_en if lang == "en" else meta.title,
                                                    data_text(meta.issuer or "", lang)) if x)))
    edit.stored_plan_actions(state)
    st.session_state["map_q"] = state.q
    st.text_input(t("map.search", lang), key="map_q", placeholder=t("map.search_placeholder", lang),
                  on_change=_search)

# ---- layer panel: grouped by kind, with counts
groups = vm.layer_options(data.layers, lang)
with st.sidebar:
    st.markdown(f"**{vm.md_escape(t('map.layers', lang))}**")
    for g, (group, options) in enumerate(groups):
        labels = {opt.kind: f"{opt.label} · {opt.count}" for opt in options}
        st.session_state[f"layers_{g}"] = [opt.kind for opt in options if opt.kind in visible]
        st.pills(group, list(labels), selection_mode="multi", key=f"layers_{g}", on_change=_toggle,
                 format_func=lambda kind, labels=labels: vm.md_escape(labels[kind]))

if draft is not None and can("edit"):
    edit.panel(state, draft)
elif draft is not None:  # the role was taken away while the draft was open: say why nothing was done
    edit.notice(draft.id)
    browser_drafts(report=False, key="map_my_drafts")  # this browser's My drafts list learns of the draft

# ---- below the map: every clause of the selection (the map's panel shows one at a time), search results
left, right = st.columns([3, 2], gap="medium")
with left:
    panel = vm.feature_panel(data, state.feature, lang) if state.feature else None
    if panel is not None:
        title = t("map.county_mentions" if panel.is_admin else "map.mentions", lang)
        html(vm.list_title_html(panel, title))
        if panel.kind not in visible:
            st.caption(t("map.not_on_map", lang))
        if not panel.mentions:
            st.caption(t("map.no_mentions", lang))
        for m in panel.mentions:
            html(vm.clause_html(m.clause, m.text, m.spans, selected=m.clause == state.clause))
            for missing in m.missing:
                st.caption(t("map.missing_excerpt", lang) + " " + vm.md_escape(missing))
            page_link("text", t("map.open_text", lang, clause=vm.md_escape(m.clause)), state.with_(clause=m.clause))
        st.button(t("map.clear", lang), key="m_clear", on_click=_clear)
        # Where plans meet: every other plan (bundled or listed) naming the county clicked, from the store's
        # index, grouped by level and folded, each group paged; each a link to that plan with the place selected.
        meetings, everywhere, store = meetings_at(state, data)
        if meetings.total:
            show_meetings(meetings, store, panel.name)
        if meetings.adcodes:  # the cascade starts from the same answer of the store: no second query
            show_cascade(meetings.adcodes[0], store, panel.name, everywhere)
    else:
        st.caption(t("map.hint", lang))
with right:
    if state.q:
        st.markdown(f"**{vm.md_escape(t('map.results', lang, q=state.q))}**")
        if results.empty:
            st.caption(vm.md_escape(t("map.no_results", lang, q=state.q)))
        for title, hits in ((t("map.results_places", lang), results.places),
                            (t("map.results_features", lang), results.features)):
            if hits:
                st.caption(title)
                with st.container(horizontal=True, gap="small"):
                    for hit in hits:
                        st.button(vm.md_escape(hit.label), key=f"hit_{hit.id}", on_click=_pick, args=(hit.id,),
                                  help=hit.kind_label, type="primary" if hit.id == state.feature else "secondary")
        if results.clauses:
            st.caption(t("map.results_words", lang) + f" · {len(results.clauses)}")
            for hit in results.clauses:
                html(vm.snippet_html(hit))

# ---- 出图 Export: the current view as a report figure, the visible layers as data, an embed snippet
with st.expander(t("export.title", lang)):
    view_layers = tuple(k for k in visible if k in data.layers)
    stored = vm.is_stored_plan_id(state.plan)
    with st.container(horizontal=True, gap="small"):
        for fmt in EDIT_EXPORT_FORMATS if draft else vm.STORED_EXPORT_FORMATS if stored else FORMATS:
            if fmt in ("png", "pdf") and not can_draw(data.layers):
                continue  # a draft with no place found (no jurisdiction): nothing to put on the diagram
            # Rendering runs only when the button is clicked (data is a callable), never on every rerun.
            st.download_button(
                t(f"export.{fmt}", lang), key=f"export_{fmt}",
                data=(partial(draft.export, fmt, view_layers, lang, gazetteer(), selected=state.feature,
                              clause=state.clause) if draft else
                      partial(export_bytes, state.plan, fmt, view_layers, state.feature, state.clause, lang)),
                # a draft's file is named without its private token
                file_name=export_filename(draft.public_id if draft else state.plan, fmt), mime=MIME_TYPES[fmt],
                on_click="ignore",
            )
    st.caption(t("export.note_draft" if draft else "export.note_imported" if stored else "export.note", lang))
    link = share_url(state)
    # outside a browser (tests) the app does not know its address; a draft's link cannot be shared
    if link.startswith(("http://", "https://")) and not draft:
        st.code(embed_snippet(link, width="100%", height=640, title=data.plan.meta.title), language="html")
        st.caption(t("export.embed", lang))

freeze_loaded_heap()  # once per process, the caches loaded: Python's full collections skip them from now on
