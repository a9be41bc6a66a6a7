"""导入 Import: a pasted or uploaded plan -> a draft, checked here, then edited, saved and shared on the Map page.

Thin by design: `geo.decode.decode_upload` reads the file, `geo.draft` drafts the layers, and the session holds
the draft (`geo.editing.PlanDraft`, `pages._shared.keep_draft`) that the Map page shows like any plan and
edits. Every piece of plan text is shown as text (st.text, tables, escaped Markdown): a plan may carry markup
and it must never run.
"""

from __future__ import annotations

import streamlit as st

from geo import draft as dr
from geo.decode import MAX_TEXT_BYTES, MAX_UPLOAD_BYTES, UPLOAD_TYPES, PlanTextError, decode_upload
from geo.editing import PlanDraft
from geo.viewmodel import md_escape
from pages import _shared as ui

ui.through_dashboard()  # a fresh server's first /import link must still run inside dashboard.py
SS = st.session_state
LIMIT_NOTE = (f"文本上限 {MAX_TEXT_BYTES // 2**20} MB（约 170 万字），上传文件上限 {MAX_UPLOAD_BYTES // 2**20} MB"
              f" / text up to {MAX_TEXT_BYTES // 2**20} MB, files up to {MAX_UPLOAD_BYTES // 2**20} MB")


def _unit_label(adcode: str) -> str:
    u = ui.gazetteer().unit(adcode)
    return f"{u.name}（{u.adcode}）"


def _start(text: str, source: str, jurisdiction: str | None = None) -> None:
    """A new draft of a text: it becomes the session's current draft (earlier ones stay for Back and Undo)."""
    ui.keep_draft(PlanDraft.from_draft(ui.drafted(text, jurisdiction), source))


def _read_input() -> None:
    """The form's submit: the uploaded file wins over the pasted text; problems become one message."""
    upload, pasted = SS.get("imp_upload"), SS.get("imp_paste") or ""
    try:
        if upload is not None:
            decoded = decode_upload(upload.name, upload.getvalue())
            _start(decoded.text, upload.name)
        elif pasted.strip():
            if len(pasted.encode("utf-8")) > MAX_TEXT_BYTES:
                raise PlanTextError(f"文本过长（上限 {MAX_TEXT_BYTES // 2**20} MB）"
                                    f" / the text is too large (limit {MAX_TEXT_BYTES // 2**20} MB)")
            _start(pasted, "粘贴 / pasted")
        else:
            raise PlanTextError("请粘贴规划文本或上传文件 / paste a plan text or upload a file")
        SS["imp_error"] = None
    except PlanTextError as exc:
        SS["imp_error"] = str(exc)


def _set_jurisdiction(adcode: str | None) -> None:
    current = ui.current_draft()
    if current is not None and adcode and adcode != current.adcode:
        _start(current.text, current.source, adcode)
        SS["imp_notice"] = ("已按新辖区重新生成草图" + ("（此前的修改未保留）" if current.parent else "")
                            + " / redrafted for the new jurisdiction" + (" (earlier edits dropped)" if current.parent else ""))


def _open_on_map(current: PlanDraft) -> None:
    """Show the draft on the Map page: a fresh view of it (its whole jurisdiction, nothing selected)."""
    target = ui.view().with_(page="map", plan=current.id, layers=None, feature=None, clause=None, center=None,
                             zoom=None, q="")
    st.switch_page(ui.PAGE_FILES["map"], query_params=target.to_query_params(include_page=False))


# --------------------------------------------------------------------------- input

st.title("导入规划 · Import a plan")
st.caption("粘贴文本或上传 .txt（UTF-8 / GB18030 / GBK）、.docx、带文字层的 .pdf；几秒内生成草图，在地图页查看和修改后保存分享。"
           " / Paste a plan or upload .txt, .docx or a PDF with a text layer: a draft map in seconds, to check and"
           " fix on the Map page, then save and share.")
with st.form("imp_form", clear_on_submit=False):
    st.text_area("规划文本 / plan text", key="imp_paste", height=180,
                 placeholder="例如：关于构建“一核两翼三区”区域发展新格局的指导意见……")
    st.file_uploader("或上传文件 / or upload a file", type=list(UPLOAD_TYPES), key="imp_upload")
    st.caption(LIMIT_NOTE)
    st.form_submit_button("生成草图 / Draft the map", type="primary", on_click=_read_input)

if SS.get("imp_error"):
    st.error(md_escape(SS["imp_error"]))
current = ui.current_draft()
if current is None:
    st.info("草图只在本次会话中保留，保存后才能分享。 / A draft lives in this session until you save it.")
    st.stop()

gaz = ui.gazetteer()
draft = ui.drafted(current.text, current.adcode)  # the clauses, places and slogans behind the layers
if not draft.outline.clauses:
    st.error("文本中没有可识别的条文 / no clause found in this text")
    st.stop()
if SS.get("imp_notice"):
    st.info(md_escape(SS["imp_notice"]))
    SS["imp_notice"] = None

# --------------------------------------------------------------------------- summary and jurisdiction

rows = dr.feature_rows(current.collection, gaz)
juris = current.adcode
n_places = len({p.adcode for c in draft.clauses for p in c.places})
n_slogans = len({s.text for c in draft.clauses for s in c.slogans})
st.subheader("草图 · Draft")
st.text(f"{current.title or '（无标题 / untitled）'}\n来源 / source: {current.source}")
st.caption(f"{len(draft.outline.clauses)} 条 clauses · {n_places} 处地名 places · {n_slogans} 个结构口号 slogans · "
           f"{len(rows)} 个要素 features" + (" · 已在地图页修改 / edited on the Map page" if current.parent else ""))

# The click is taken in a callback and acted on here (st.switch_page needs the script, not a callback):
# a multipage AppTest run resets a button's value before the page reads it, its callback still runs.
st.button("在地图上查看和编辑 / Open on the map", key="imp_open", type="primary",
          on_click=lambda: SS.update(imp_go=True))
if SS.pop("imp_go", False):
    _open_on_map(current)
if not any(f.get("geometry") for f in current.collection.get("features") or []):
    st.warning("草图中还没有可绘制的要素：请检查辖区 / nothing to draw yet: check the jurisdiction")
saved = ui.saved_as(current.id)
if saved:
    st.success(f"已保存 / saved: /?plan={saved}")

with st.expander("辖区 · Jurisdiction" + (f"：{current.jurisdiction.get('name')}" if juris else "：未识别 / not found"),
                 expanded=not juris):
    st.text(str(current.jurisdiction.get("reason") or ""))
    candidates = [u.adcode for u in dr.jurisdiction_candidates(draft, gaz)]
    left, right = st.columns(2)
    with left:
        if candidates:
            pick = st.selectbox("候选辖区 / candidates", candidates, format_func=_unit_label, key="imp_cand",
                                index=candidates.index(juris) if juris in candidates else 0)
            st.button("改用此辖区 / use this one", key="imp_cand_go", on_click=_set_jurisdiction, args=(pick,))
    with right:
        query = st.text_input("搜索行政区 / search units", key="imp_q", max_chars=20)
        found = [u.adcode for u in dr.search_units(query, gaz)] if query else []
        if found:
            hit = st.selectbox("搜索结果 / results", found, format_func=_unit_label, key="imp_hit")
            st.button("改用此辖区 / use this one", key="imp_hit_go", on_click=_set_jurisdiction, args=(hit,))
        elif query:
            st.caption("没有匹配的行政区 / no unit matches")

# --------------------------------------------------------------------------- what the draft holds (read only)

st.subheader("要素 · Features")
st.caption("改名称、改类型、删除、合并与加入地点都在地图页进行；条文摘录保持原文。"
           " / Rename, re-kind, delete, merge and add places on the Map page; excerpts stay verbatim.")
st.dataframe(rows, hide_index=True, width="stretch", column_config={
    "id": st.column_config.TextColumn("编号 id"),
    "name": st.column_config.TextColumn("名称 name"),
    "kind": st.column_config.TextColumn("类型 kind"),
    "precision": st.column_config.TextColumn("精度 precision"),
    "members": st.column_config.TextColumn("成员 members"),
    "clauses": st.column_config.TextColumn("条文 clauses"),
    "named_only": st.column_config.CheckboxColumn("仅提及 named only"),
})
