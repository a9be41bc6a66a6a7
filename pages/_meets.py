"""The Map page's lists under a county clicked: where plans meet (every plan naming it, by level, folded and
paged) and the plan cascade (规划传导: what each higher plan assigns to it beside what its own plan says)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from geo import view as vm
from geo.i18n import t
from geo.view import catalogue as cat
from geo.view.cascade import CASCADE_PAGE
from geo.view.meets import group_page, kinds_label
from pages._plans import bundled_index, place_name
from pages._view import html, share_url, view

OPEN_ALL = 10
"""Up to this many plans every level's group is open; beyond, only the first group is."""


def _link(entry: Any, feature: str | None, name: str) -> str:
    """A Markdown link to another plan with the place selected: a plain link, not st.page_link (a page link to
    the page shown does not switch the plan); it opens the other plan beside this one and can be copied."""
    state = view()
    try:
        target = state.with_(page="map", plan=entry.plan, feature=feature, layers=None, clause=None, center=None,
                             zoom=None, q="")
    except ValueError:  # a feature id a link cannot carry: the plan without a selection
        target = state.with_(page="map", plan=entry.plan, feature=None, layers=None, clause=None, center=None,
                             zoom=None, q="")
    plan = cat.choice_label(entry, state.lang, place_name(entry.adcode, state.lang))
    label = vm.md_escape(t("map.meets_open", state.lang, plan=plan, place=name))
    return f"[{label}]({share_url(target)})"


def _go(key: str, page: int) -> None:
    st.session_state[key] = page


def show_meetings(meetings: vm.Meetings, store: Any, place: str) -> None:
    """Every plan naming the place: a folded group per level (province, prefecture, county), each by date and
    paged, each plan with the role the place plays there, a link to it and its clauses about the place."""
    lang = view().lang
    st.markdown(f"**{vm.md_escape(t('meets.title', lang, place=place, n=meetings.total))}**")
    bundled = bundled_index()
    for n, group in enumerate(meetings.groups):
        key = f"meets_pg_{'_'.join(meetings.adcodes)}_{group.level or 'x'}"
        page, pages, plans = group_page(group.plans, st.session_state.get(key, 1))
        title = t("meets.group", lang, level=t(f"level.{group.level}", lang), n=len(group.plans))
        with st.expander(title, expanded=meetings.total <= OPEN_ALL or n == 0):
            clauses = vm.meeting_clauses(store, bundled, plans)
            for p in plans:
                st.markdown(_link(p.entry, p.target, p.name))
                st.caption(vm.md_escape(" · ".join((kinds_label(p.kinds, lang),
                                                    cat.entry_line(p.entry, lang,
                                                                            place_name(p.entry.adcode, lang))))))
                for m in clauses.get(p.entry.plan, ()):
                    html(vm.clause_html(m.clause, m.text, m.spans))
            if pages > 1:
                _pager(key, page, pages, t("meets.page", lang, page=page, pages=pages))


def _pager(key: str, page: int, pages: int, caption: str) -> None:
    """Previous and next buttons around ``caption`` (page n of m), the page kept in ``st.session_state[key]``."""
    lang = view().lang
    with st.container(horizontal=True, vertical_alignment="center"):
        st.button(t("catalogue.prev", lang), key=f"{key}_prev", disabled=page <= 1, on_click=_go,
                  args=(key, page - 1))
        st.caption(caption)
        st.button(t("catalogue.next", lang), key=f"{key}_next", disabled=page >= pages, on_click=_go,
                  args=(key, page + 1))


def _cascade_page(adcode: str, side: str, rows: tuple) -> tuple:
    """One page of one side of the cascade (`CASCADE_PAGE` plans), with its pager when there are more."""
    key = f"cascade_pg_{adcode}_{side}"
    page, pages, shown = group_page(rows, st.session_state.get(key, 1), CASCADE_PAGE)
    if pages > 1:
        _pager(key, page, pages, t("cascade.page", view().lang, page=page, pages=pages, n=len(rows)))
    return shown


def show_cascade(adcode: str, store: Any, place: str) -> None:
    """The plan cascade of the place: higher plans' roles for it beside its own plans', differences said and
    counted; each side paged (`CASCADE_PAGE` plans a page)."""
    lang = view().lang
    cascade = vm.plan_cascade(store, adcode, bundled_index())
    if not cascade.rows:
        return
    with st.expander(t("cascade.title", lang, place=place), expanded=False):
        st.caption(vm.md_escape(t("cascade.caption", lang, place=place)))
        st.caption(t("cascade.count", lang, higher=len(cascade.higher), differ=cascade.differing,
                     own=len(cascade.own)))
        higher, own = st.columns(2, gap="medium")
        with higher:
            st.markdown(f"**{t('cascade.higher', lang)}**")
            if not cascade.higher:
                st.caption(vm.md_escape(t("cascade.none_higher", lang, place=place)))
            for row in _cascade_page(adcode, "higher", cascade.higher):
                _cascade_row(row, place)
                if row.missing:
                    plan = cat.choice_label(row.entry, lang, place_name(row.entry.adcode, lang))
                    st.warning(vm.md_escape(t("cascade.differs", lang, plan=plan, place=place,
                                              kinds=kinds_label(row.missing, lang))))
        with own:
            st.markdown(f"**{t('cascade.own', lang)}**")
            if not cascade.has_own:
                st.caption(vm.md_escape(t("cascade.none_own", lang, place=place)))
            for row in _cascade_page(adcode, "own", cascade.own):
                _cascade_row(row, place)
                if not row.kinds:
                    st.caption(vm.md_escape(t("cascade.own_silent", lang, place=place)))
        if cascade.has_own and cascade.higher and not cascade.differs:
            st.success(t("cascade.agrees", lang))


def _cascade_row(row: vm.CascadeRow, place: str) -> None:
    state = view()
    lang = state.lang
    target = next((u.feature for u in row.units if u.kind not in ("admin", "context")),
                  row.units[0].feature if row.units else None)
    if row.entry.plan == state.plan:  # the plan shown: named, not linked
        label = cat.choice_label(row.entry, lang, place_name(row.entry.adcode, lang))
        st.markdown(f"**{vm.md_escape(label)}** · {t('cascade.this_plan', lang)}")
    else:
        st.markdown(_link(row.entry, target, place))
    roles = "；".join(dict.fromkeys(f"{u.name}（{u.role}）" if u.role and u.role != u.name else u.name
                                    for u in row.units if u.kind not in ("admin", "context")))
    line = " · ".join(x for x in (kinds_label(row.kinds, lang) if row.kinds else "",
                                  t("level." + row.entry.level, lang), roles) if x)
    st.caption(vm.md_escape(line))
    clauses = list(dict.fromkeys(c for u in row.units for c in u.clauses))
    if clauses:
        st.caption(vm.md_escape(t("meets.clauses", lang, clauses="、".join(clauses))))
