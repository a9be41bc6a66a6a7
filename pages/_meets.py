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
ROLES_SHOWN = 6
"""Features named in one row of the cascade (the roles the place plays in that plan); beyond, how many more."""
CLAUSES_SHOWN = 12
"""Clause ids listed in one row of the cascade; beyond, how many more."""


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


def _cascade_side(adcode: str, side: str, rows: tuple, show: Any) -> None:
    """One page of one side of the cascade (`CASCADE_PAGE` plans, each drawn by ``show``), then its pager when
    there are more (below, as for where plans meet; the counts are in the line above both sides)."""
    key = f"cascade_pg_{adcode}_{side}"
    page, pages, shown = group_page(rows, st.session_state.get(key, 1), CASCADE_PAGE)
    for row in shown:
        show(row)
    if pages > 1:
        _pager(key, page, pages, t("cascade.page", view().lang, page=page, pages=pages))


def show_cascade(adcode: str, store: Any, place: str, meetings: vm.Meetings | None = None) -> None:
    """The plan cascade of the place: higher plans' roles for it beside its own plans', differences said and
    counted; each side paged (`CASCADE_PAGE` plans a page). ``meetings``: every plan naming the place, the plan
    shown too, if the page has them (`pages._plans.meetings_at`)."""
    lang = view().lang
    cascade = vm.plan_cascade(store, adcode, bundled_index(), meetings)
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
            _cascade_side(adcode, "higher", cascade.higher, lambda row: _higher_row(row, place))
        with own:
            st.markdown(f"**{t('cascade.own', lang)}**")
            if not cascade.has_own:
                st.caption(vm.md_escape(t("cascade.none_own", lang, place=place)))
            _cascade_side(adcode, "own", cascade.own, lambda row: _own_row(row, place))
        if cascade.has_own and cascade.higher and not cascade.differs:
            st.success(t("cascade.agrees", lang))


def _higher_row(row: vm.CascadeRow, place: str) -> None:
    """A higher plan: its roles for the place, and the kinds its own plans lack, said."""
    lang = view().lang
    _cascade_row(row, place)
    if row.missing:
        plan = cat.choice_label(row.entry, lang, place_name(row.entry.adcode, lang))
        st.warning(vm.md_escape(t("cascade.differs", lang, plan=plan, place=place,
                                  kinds=kinds_label(row.missing, lang))))


def _own_row(row: vm.CascadeRow, place: str) -> None:
    """One of the place's own plans: its roles, or that it gives none."""
    _cascade_row(row, place)
    if not row.kinds:
        st.caption(vm.md_escape(t("cascade.own_silent", view().lang, place=place)))


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
    named = list(dict.fromkeys(f"{u.name}（{u.role}）" if u.role and u.role != u.name else u.name
                               for u in row.units if u.kind not in ("admin", "context")))
    roles = "；".join(named[:ROLES_SHOWN])  # a county's own plan names it in nearly every feature: the first few
    if len(named) > ROLES_SHOWN:
        roles += t("cascade.more_roles", lang, n=len(named) - ROLES_SHOWN)
    line = " · ".join(x for x in (kinds_label(row.kinds, lang) if row.kinds else "",
                                  t("level." + row.entry.level, lang), roles) if x)
    st.caption(vm.md_escape(line))
    clauses = list(dict.fromkeys(c for u in row.units for c in u.clauses))
    if clauses:
        listed = "、".join(clauses[:CLAUSES_SHOWN])
        if len(clauses) > CLAUSES_SHOWN:
            listed += t("cascade.more_roles", lang, n=len(clauses) - CLAUSES_SHOWN)
        st.caption(vm.md_escape(t("meets.clauses", lang, clauses=listed)))
