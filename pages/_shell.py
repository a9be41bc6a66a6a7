"""The app around its pages: the pages declared (`st.navigation`), the shared sidebar (plan, language, basemap,
link), and the view the URL carries, read once and written back. `dashboard.py` runs it on every rerun."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from geo.access import AccessError
from geo.assets import install_static_assets
from geo.feature import BASEMAPS
from geo.i18n import t
from geo.safe import md_escape
from geo.view.state import PAGE_PATHS, ViewState
from pages import _access, _drafts, _mapframe, _plans, _resources, _view


@st.cache_resource(show_spinner=False)
def _static_assets() -> None:
    install_static_assets(Path(__file__).parents[1] / "static")  # Leaflet served by this app: no CDN


def run_app() -> None:
    """One run of the app: the page the URL names, inside the shared sidebar."""
    st.set_page_config(page_title="规划一张图", layout="wide")

    _static_assets()

    # ---- who may do what (geo.access): sign-in with the bureau's OpenID Connect provider when configured
    _lang0 = "en" if st.query_params.get("lang") == "en" else "zh"
    try:
        _access.access_config()
    except AccessError as exc:  # a server told to sign people in never runs without it
        st.error(t("access.config_error", _lang0, error=str(exc)))
        st.stop()
    if _access.role() is None:  # sign-in required and nobody signed in: nothing else is shown
        st.title(t("app.title", _lang0))
        st.info(t("access.sign_in_needed", _lang0))
        st.button(t("access.sign_in", _lang0), key="auth_login", type="primary", on_click=st.login)
        st.stop()
    # A fresh machine's first run builds the gazetteer cache (1-2 minutes): under a status box, never a frozen page.
    _resources.ensure_gazetteer("en" if st.query_params.get("lang") == "en" else "zh")

    # ---- the view: read once from the URL, checked against what the plans offer
    params = _view.view_params()  # the address bar's, unless it lags behind this session (pages/_view.py)
    params, draft_problem = _drafts.open_draft_link(params)  # a draft link reopens the draft from the store
    # a saved plan may be compared
    catalog = _resources.catalog(requested=[*params.get("plan", ()), *params.get("vs", ())])
    store_problem = draft_problem or _resources.take_store_problem()
    state, notices = ViewState.from_query_params(params, catalog)
    lang = state.lang
    if store_problem:  # the store could not be read: say so, not that the plan or draft does not exist
        notices = [n for n in notices if n.code not in ("unsaved_draft", "unknown_plan")]
    # a withdrawn plan's link says who withdrew it and when, not "not found"
    withdrawn = _resources.take_withdrawn()
    notices = [n for n in notices if not (n.code in ("unknown_plan", "unknown_compare") and n.value in withdrawn)]
    draft_denied = _drafts.take_draft_denied()
    if draft_denied:
        notices = [n for n in notices if n.code != "unsaved_draft"]
    # Only the pages this visitor may use are registered: another page's URL opens the default page, and each
    # page checks again (`_access.require`) should it run anyway.
    pages = {
        name: st.Page(_view.PAGE_FILES[name], title=_view.page_title(name, lang), default=name == "map",
                      **({"url_path": PAGE_PATHS[name]} if PAGE_PATHS[name] else {}))
        for name in _view.PAGE_FILES if _access.can(_view.PAGE_ACTIONS[name])
    }
    current = st.navigation(list(pages.values()), position="hidden")
    page = next((name for name, p in pages.items() if p.url_path == current.url_path), "map")
    state = state.with_(page=page)
    st.session_state[_view.PREV_PAGE_KEY] = st.session_state.get(_view.PAGE_KEY)
    st.session_state[_view.PAGE_KEY] = page
    # A browser's first run of the Map page sends the map alone; the map reports its view as soon as it
    # is drawn, and the page reruns in full. The map, the slowest element, thus starts loading first.
    light = page == "map" and not st.session_state.get(_view.FULL_KEY) and _view.in_browser()
    st.session_state[_view.LIGHT_KEY] = light
    notice_box = st.container()  # always the first element, so the page's elements keep their places
    # The pages' links again above the page, shown on a phone only (pages/_view.py's CSS), where the sidebar folds
    # away behind a button: filled after the page ran, like the sidebar.
    topnav = st.container(key="ghyzt_topnav", horizontal=True, gap="small")
    # a notice about a feature or clause a plan no longer has names that plan as the picker does
    plan_names = {n.plan: _plans.plan_label(n.plan, lang) for n in notices if n.plan}
    messages = [n.message(lang, plan_names) for n in notices]
    for tomb in withdrawn.values():
        messages.append(t("notice.withdrawn", lang, id=tomb.id, by=tomb.by,
                          when=time.strftime("%Y-%m-%d %H:%M", time.localtime(tomb.withdrawn))))
    if draft_denied:
        messages.append(t("notice.draft_denied", lang))
    if store_problem:
        messages.append(t("notice.store", lang, error=_resources.store_message(store_problem, lang)))
    if state.basemap == "tianditu" and not _mapframe.tianditu_key():
        messages.append(t("basemap.tianditu_key_missing", lang))
        state = state.with_(basemap="none")


    # ---- shared sidebar: pages, plan, language, basemap, link
    def _plan(key: str) -> None:
        if st.session_state[key] in catalog.plans:  # anything else is no choice the picker offered
            _view.update_view(plan=st.session_state[key], layers=None, feature=None, clause=None, center=None,
                           zoom=None, q="")


    def _lang() -> None:
        _view.update_view(lang=st.session_state["sb_lang"])


    def _basemap() -> None:
        _view.update_view(basemap=st.session_state["sb_base"])


    # The sidebar's places are reserved now and filled after the page ran, so that the page's map is
    # the first element the browser gets (it is what takes longest to show).
    with st.sidebar:
        title, nav, controls = st.container(), st.container(), st.container()

    with notice_box:
        for message in messages:
            st.info(md_escape(message), icon="ℹ️")

    with title:  # Streamlit's own names (help icons, the uploader's button, menus, "Stop") in `lang`, from the first
        _view.chrome_names(lang)  # run on: the map-first run ends before the rest of the sidebar is drawn
    _view.set_view(state)
    try:
        current.run()
    except _view.PageEnded:  # the page ended early (pages/_view.end_page): the sidebar is drawn all the same
        pass

    # ---- write the view back: the address bar is the shareable link
    state = _view.view()
    _view.write_url(state)
    with title:
        _view.css()  # every page's styles, the narrow-screen ones included
        _view.skip_link_css(lang)
        st.markdown(f"### {t('app.title', lang)}")
    with topnav:
        for name in pages:
            _view.page_link(name, _view.page_title(name, lang), state)
    with nav:
        for name in pages:
            _view.page_link(name, _view.page_title(name, lang), state)
    with controls:
        # One picker per plan shown. When the page changes the plan itself (a draft saved, reopened, edited), a
        # rerun the browser sends before it has drawn the new picker carries the old choice: under its own key
        # that choice is dropped, instead of switching the plan back.
        plan_key = f"sb_plan_{state.plan}"
        st.session_state[plan_key] = state.plan
        # labelled now: a draft's label comes from this session, which a later call of format_func may not see
        plan_labels = {pid: _plans.plan_label(pid, lang) for pid in catalog.plans}
        st.selectbox(t("sidebar.plan", lang), list(catalog.plans), key=plan_key, on_change=_plan, args=(plan_key,),
                     format_func=lambda pid: plan_labels.get(pid, pid), placeholder=t("widget.placeholder", lang))
        st.session_state["sb_lang"] = lang
        st.radio(t("sidebar.lang", lang), ("zh", "en"), key="sb_lang", on_change=_lang, horizontal=True,
                 format_func=lambda code: t(f"lang.{code}", lang))
        has_key = bool(_mapframe.tianditu_key())
        st.session_state["sb_base"] = state.basemap
        st.selectbox(t("sidebar.basemap", lang), BASEMAPS, key="sb_base", on_change=_basemap,
                     format_func=lambda b: t("basemap.tianditu_no_key" if b == "tianditu" and not has_key
                                             else f"basemap.{b}", lang),
                     placeholder=t("widget.placeholder", lang))
    with st.sidebar:
        # who is signed in, as what; sign out (or in, where visitors may read)
        if _access.access_config().sign_in:
            who = _access.user_label()
            if who:
                role = t(f"role.{_access.role()}", lang)
                st.caption(md_escape(t("access.signed_in", lang, user=who, role=role)))
                st.button(t("access.sign_out", lang), key="auth_logout", on_click=st.logout)
            else:
                st.caption(t("access.anonymous", lang))
                st.button(t("access.sign_in", lang), key="auth_login", on_click=st.login)
        elif _access.role() != "planner":
            st.caption(t("access.local_role", lang, role=t(f"role.{_access.role()}", lang)))
        st.caption(t("share.title", lang))
        # The caption says what the link shows; both sit in one box, so that its copy button copies both.
        st.code(_plans.share_text(state), language=None, wrap_lines=True)
        # a draft's link is its author's private link (the token is the secret): for going on editing, not sharing
        st.caption(t("share.draft" if _drafts.session_draft(state.plan) else "share.help", lang))
