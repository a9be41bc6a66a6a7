"""管理 Admin: usage per user or address, every published plan, and withdrawing one (administrators only).

Registered in pages/_shell.py only for a role allowed "usage" (`geo.access`), and checked again here. Titles,
owners and ids are plan or user data: shown in tables and option labels (text), never as HTML.
"""

from __future__ import annotations

import time

import streamlit as st

from geo.i18n import t
from geo.safe import md_escape
from geo.store import StoreError, default_store
from pages._access import limits, require
from pages._resources import store_message, withdraw_plan
from pages._view import end_page, through_dashboard, view

through_dashboard()
lang = view().lang
require("usage", lang)
SS = st.session_state


def _when(stamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp)) if stamp else ""


def _withdraw() -> None:
    pid = SS.get("admin_pick")
    if not pid:
        return
    problem = withdraw_plan(pid)
    SS["admin_msg"] = ("error", problem) if problem else ("success", t("admin.withdrawn", lang, id=pid))


st.title(t("admin.title", lang))
quota = limits()
st.caption(t("admin.intro", lang, drafts=quota.drafts or "∞", publishes=quota.publishes or "∞",
             days=quota.draft_days or "∞"))
if SS.get("admin_msg"):
    kind, message = SS.pop("admin_msg")
    (st.error if kind == "error" else st.success)(md_escape(message))
try:
    store = default_store()
    usage, records = store.usage(), store.records()
except StoreError as exc:
    st.error(md_escape(store_message(str(exc), lang)))
    end_page()

st.subheader(t("admin.usage", lang))
if usage:
    st.dataframe([{t("admin.col.owner", lang): u.owner or t("admin.unknown_owner", lang),
                   t("admin.col.plans", lang): u.plans, t("admin.col.listed", lang): u.listed,
                   t("admin.col.withdrawn", lang): u.withdrawn, t("admin.col.publishes_24h", lang): u.publishes_24h,
                   t("admin.col.drafts", lang): u.drafts} for u in usage], hide_index=True, width="stretch")
else:
    st.caption(t("admin.none", lang))

st.subheader(t("admin.plans", lang))
if records:
    st.dataframe([{t("admin.col.id", lang): r.id, t("admin.col.title", lang): r.title,
                   t("admin.col.owner", lang): r.owner or t("admin.unknown_owner", lang),
                   t("admin.col.visibility", lang): t("admin.listed" if r.listed else "admin.unlisted", lang),
                   t("admin.col.created", lang): _when(r.created),
                   t("admin.col.withdrawn_at", lang): (f"{_when(r.withdrawn)} · {r.withdrawn_by}" if r.withdrawn
                                                       else "")} for r in records],
                 hide_index=True, width="stretch")
    live = {r.id: r for r in records if r.withdrawn is None}
    if live:
        st.selectbox(t("admin.pick", lang), list(live), key="admin_pick",
                     format_func=lambda pid: f"{pid} · {live[pid].title or t('import.untitled', lang)}",
                     placeholder=t("widget.placeholder", lang))
        st.caption(t("admin.withdraw_help", lang))
        st.button(t("admin.withdraw_confirm", lang), key="admin_withdraw", type="primary", on_click=_withdraw)
else:
    st.caption(t("admin.none", lang))
