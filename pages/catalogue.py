"""目录 Catalogue: every plan the server holds (bundled and published), filtered, searched and paged, in the URL."""

from __future__ import annotations

import streamlit as st

from geo import view as vm
from geo.i18n import data_text, t
from geo.view import catalogue as cat
from pages._plans import bundled_index, index_store, place_name
from pages._resources import gazetteer, store_message
from pages._view import css, html, page_link, through_dashboard, update_view, view

through_dashboard()
state = view()
lang = state.lang
css()

st.subheader(t("catalogue.title", lang))
st.caption(t("catalogue.caption", lang))
store, problem = index_store()
if problem:
    st.warning(t("catalogue.no_store", lang, error=store_message(problem, lang)))
bundled = bundled_index()
facets = cat.catalogue_facets(store, bundled)


def _unit_name(adcode: str) -> str:
    try:
        unit = gazetteer().units.get(adcode)
    except Exception:  # noqa: BLE001 - no gazetteer (yet): the code itself
        unit = None
    if unit is None:
        return adcode
    return unit.name_en if lang == "en" and unit.name_en else unit.name


def _search() -> None:
    update_view(q=st.session_state["cat_q"].strip()[:200], cat_page=1)


def _filter(field: str, key: str) -> None:
    update_view(**{field: st.session_state[key] or ("" if field != "cat_year" else None), "cat_page": 1})


def _go(page: int) -> None:
    update_view(cat_page=page)


st.session_state["cat_q"] = state.q
st.text_input(t("catalogue.query", lang), key="cat_q", help=t("catalogue.query_help", lang),
              placeholder=t("map.search_placeholder", lang), on_change=_search)

# The filters: each offers the values the plans have, with how many plans have each.
FILTERS = (
    ("cat_level", "level", "catalogue.level", lambda v: t(f"level.{v}", lang)),
    ("cat_year", "year", "catalogue.year", str),
    ("cat_province", "province", "catalogue.province", _unit_name),
    ("cat_place", "adcode", "catalogue.place", _unit_name),
    ("cat_type", "plan_type", "catalogue.plan_type", lambda v: t(f"plan_type.{v}", lang)),
    ("cat_issuer", "issuer", "catalogue.issuer", lambda v: data_text(v, lang)),
)
# Three rows of two that stay two abreast on a phone (stacked, the six filters filled its first screen and the
# list began below it; three abreast do not fit 390 px); a long value is cut short in its box, whole in the list.
columns = [c for _row in range(3) for c in st.columns(2, gap="small", wrap=False)]
for n, (field, facet, label, name) in enumerate(FILTERS):
    counts = dict(facets.get(facet) or ())
    current = getattr(state, field)
    options = ["", *counts]
    if current and current not in counts:
        options.append(current)  # a link's filter that matches nothing stays visible, and can be cleared
    key = f"catf_{field}"
    st.session_state[key] = current or ""
    with columns[n]:
        st.selectbox(t(label, lang), options, key=key, on_change=_filter, args=(field, key),
                     format_func=lambda v, counts=counts, name=name: (
                         t("catalogue.any", lang) if v == "" else f"{name(v)} · {counts.get(v, 0)}"))

filters = cat.catalogue_filters(state)
if state.q:
    result = cat.search_page(store, bundled, state.q, filters, state.cat_page)
    st.markdown(f"**{vm.md_escape(t('catalogue.hits', lang, n=result.total, q=state.q))}**")
    if not result.hits:
        st.caption(t("catalogue.no_hits", lang))
    for hit, entry in result.hits:
        place = place_name(entry.adcode, lang)
        try:
            target = state.with_(page="text", plan=entry.plan, clause=hit.clause, feature=None, layers=None,
                                 center=None, zoom=None)
        except ValueError:  # a clause id a link cannot carry: open the plan at its start
            target = state.with_(page="text", plan=entry.plan, feature=None, layers=None, center=None, zoom=None)
        with st.container(key=f"cat_hit_{entry.plan}_{hit.clause}".replace(".", "_")):
            page_link("text", vm.md_escape(t("catalogue.open_clause", lang, plan=cat.entry_title(entry, lang),
                                             clause=hit.clause)),
                      target)
            st.caption(vm.md_escape(cat.entry_line(entry, lang, place)))
            html(cat.hit_html(hit, state.q))
    pages, page = result.pages, result.page
else:
    result = cat.catalogue_page(store, bundled, filters, "", state.cat_page)
    st.markdown(f"**{vm.md_escape(t('catalogue.count', lang, n=result.total))}**")
    if not result.entries:
        st.caption(t("catalogue.none", lang))
    for entry in result.entries:
        place = place_name(entry.adcode, lang)
        target = state.with_(page="map", plan=entry.plan, feature=None, clause=None, layers=None, center=None,
                             zoom=None, q="")
        with st.container(key=f"cat_plan_{entry.plan}"):
            page_link("map", vm.md_escape(cat.entry_title(entry, lang)), target)
            st.caption(vm.md_escape(cat.entry_line(entry, lang, place)))
    pages, page = result.pages, result.page

with st.container(horizontal=True, vertical_alignment="center"):
    st.button(t("catalogue.prev", lang), key="cat_prev", disabled=page <= 1, on_click=_go, args=(page - 1,))
    st.caption(t("catalogue.page", lang, page=page, pages=pages))
    st.button(t("catalogue.next", lang), key="cat_next", disabled=page >= pages, on_click=_go, args=(page + 1,))
