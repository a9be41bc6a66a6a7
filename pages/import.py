"""导入 Import: a pasted or uploaded plan -> a draft map the planner fixes, saves and shares.

Thin by design: `geo.decode.decode_upload` reads the file, `geo.draft` drafts and edits the layers,
`geo.store` saves them, `geo.mapview` draws them. Every piece of plan text is shown as text (tables, st.text,
escaped Markdown, escaped map tooltips): a plan may carry markup and it must never run.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit_folium import st_folium

from geo import draft as dr
from geo.decode import MAX_TEXT_BYTES, MAX_UPLOAD_BYTES, UPLOAD_TYPES, PlanTextError, decode_upload
from geo.gazetteer import load_gazetteer
from geo.mapview import bounds_of, build_map
from geo.store import StoreError, default_store
from geo.viewmodel import md_escape
from pages import _shared as ui

ui.through_dashboard()  # a fresh server's first /import link must still run inside dashboard.py
SS = st.session_state
LIMIT_NOTE = (f"文本上限 {MAX_TEXT_BYTES // 2**20} MB（约 170 万字），上传文件上限 {MAX_UPLOAD_BYTES // 2**20} MB"
              f" / text up to {MAX_TEXT_BYTES // 2**20} MB, files up to {MAX_UPLOAD_BYTES // 2**20} MB")


@st.cache_resource(show_spinner=False)
def _gazetteer():
    return load_gazetteer()


@st.cache_resource(show_spinner=False, max_entries=8)
def _draft(text: str, jurisdiction: str | None) -> dr.Draft:
    return dr.draft_plan(text, _gazetteer(), jurisdiction=jurisdiction)


def _unit_label(adcode: str) -> str:
    u = _gazetteer().unit(adcode)
    return f"{u.name}（{u.adcode}）"


def _start(text: str, source: str) -> None:
    """A new text: forget the previous draft, its edits and its saved id."""
    SS.update(imp_text=text, imp_source=source, imp_juris=None, imp_fc=None, imp_key=None, imp_saved=None,
              imp_clicked=None, imp_notice=None)


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
    if adcode and adcode != SS.get("imp_juris_used"):
        SS.update(imp_juris=adcode, imp_fc=None, imp_key=None, imp_saved=None, imp_clicked=None,
                  imp_notice="已按新辖区重新生成草图（此前的修改未保留） / redrafted for the new jurisdiction")


def _edit(change) -> None:
    """Apply an edit to the draft; a problem is shown, never raised."""
    try:
        SS["imp_fc"] = change(SS["imp_fc"])
        SS["imp_saved"] = None
    except (KeyError, ValueError) as exc:
        SS["imp_notice"] = str(exc)


# --------------------------------------------------------------------------- input

st.title("导入规划 · Import a plan")
st.caption("粘贴文本或上传 .txt（UTF-8 / GB18030 / GBK）、.docx、带文字层的 .pdf；几秒内生成可修改的草图。"
           " / Paste a plan or upload .txt, .docx or a PDF with a text layer: a draft map in seconds.")
with st.form("imp_form", clear_on_submit=False):
    st.text_area("规划文本 / plan text", key="imp_paste", height=180,
                 placeholder="例如：关于构建“一核两翼三区”区域发展新格局的指导意见……")
    st.file_uploader("或上传文件 / or upload a file", type=list(UPLOAD_TYPES), key="imp_upload")
    st.caption(LIMIT_NOTE)
    st.form_submit_button("生成草图 / Draft the map", type="primary", on_click=_read_input)

if SS.get("imp_error"):
    st.error(md_escape(SS["imp_error"]))
if not SS.get("imp_text"):
    st.info("草图只在本次会话中保留，保存后才能分享。 / A draft lives in this session until you save it.")
    st.stop()

gaz = _gazetteer()
draft = _draft(SS["imp_text"], SS.get("imp_juris"))
juris = draft.jurisdiction.adcode
key = (dr.text_digest(SS["imp_text"]), juris)
if SS.get("imp_key") != key or SS.get("imp_fc") is None:
    SS.update(imp_fc=draft.collection, imp_key=key, imp_juris_used=juris)
fc = SS["imp_fc"]

if not draft.outline.clauses:
    st.error("文本中没有可识别的条文 / no clause found in this text")
    st.stop()
if SS.get("imp_notice"):
    st.info(md_escape(SS["imp_notice"]))
    SS["imp_notice"] = None

# --------------------------------------------------------------------------- summary and jurisdiction

rows = dr.feature_rows(fc, gaz)
n_places = len({p.adcode for c in draft.clauses for p in c.places})
n_slogans = len({s.text for c in draft.clauses for s in c.slogans})
st.subheader("草图 · Draft")
st.text(f"{draft.title or '（无标题 / untitled）'}\n来源 / source: {SS.get('imp_source')}")
st.caption(f"{len(draft.outline.clauses)} 条 clauses · {n_places} 处地名 places · {n_slogans} 个结构口号 slogans · "
           f"{len(rows)} 个要素 features")

with st.expander("辖区 · Jurisdiction" + (f"：{draft.jurisdiction.name}" if juris else "：未识别 / not found"),
                 expanded=not juris):
    st.text(f"{draft.jurisdiction.reason}")
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

# --------------------------------------------------------------------------- map

layers = dr.layers_by_kind(fc)
if any(f.get("geometry") for f_c in layers.values() for f in f_c["features"]):
    fmap = build_map(list(layers.values()))
    own = [f for f in layers.get("admin", {}).get("features", []) if f["properties"].get("group") == "own"]
    if own:  # open on the jurisdiction, not on the far ends of its links
        fmap.fit_bounds(bounds_of([{"type": "FeatureCollection", "features": own}]))
    value = st_folium(fmap, key="imp_map", height=520, use_container_width=True,
                      returned_objects=["last_active_drawing"])
    clicked = ((value or {}).get("last_active_drawing") or {}).get("properties", {}).get("id", "")
    if isinstance(clicked, str) and clicked.startswith("a-") and clicked[2:] in gaz.units:
        SS["imp_clicked"] = clicked[2:]
else:
    st.warning("草图中没有可绘制的要素 / nothing to draw yet: check the jurisdiction")

# --------------------------------------------------------------------------- features

st.subheader("要素 · Features")
st.caption("可改名称与类型、勾选删除或合并；条文摘录保持原文。 / Rename, re-kind, delete or merge; excerpts stay verbatim.")
table = [{**r, "delete": False, "merge": False} for r in rows]
edited = st.data_editor(
    table, key=f"imp_table_{len(rows)}_{dr.text_digest(str([r['id'] for r in rows]))[:8]}", hide_index=True,
    width="stretch", disabled=["id", "precision", "members", "clauses", "named_only"],
    column_config={
        "id": st.column_config.TextColumn("编号 id"),
        "name": st.column_config.TextColumn("名称 name", max_chars=200),
        "kind": st.column_config.SelectboxColumn("类型 kind", options=list(dr.EDIT_KINDS), required=True),
        "precision": st.column_config.TextColumn("精度 precision"),
        "members": st.column_config.TextColumn("成员 members"),
        "clauses": st.column_config.TextColumn("条文 clauses"),
        "named_only": st.column_config.CheckboxColumn("仅提及 named only"),
        "delete": st.column_config.CheckboxColumn("删除 delete"),
        "merge": st.column_config.CheckboxColumn("合并 merge"),
    },
)
apply_col, merge_col = st.columns(2)
with apply_col:
    st.button("应用修改 / apply edits", key="imp_apply", on_click=_edit,
              args=(lambda c, rows_=list(edited): dr.apply_rows(c, rows_, gaz, juris),))
with merge_col:
    chosen = [r["id"] for r in edited if r.get("merge")]
    st.button("合并所选 / merge selected", key="imp_merge", disabled=len(chosen) < 2, on_click=_edit,
              args=(lambda c, ids=tuple(chosen): dr.merge(c, ids, gaz, juris),))

ids = [r["id"] for r in rows]
if ids:
    left, right = st.columns(2)
    with left:
        target = st.selectbox("要素 / feature", ids, key="imp_target",
                              format_func=lambda fid: f"{fid} · {next(r['name'] for r in rows if r['id'] == fid)}")
    with right:
        own = [f["id"][2:] for f in layers.get("admin", {}).get("features", []) if f["id"].startswith("a-")]
        named = [p.adcode for c in draft.clauses for p in c.places]
        options = list(dict.fromkeys(([SS["imp_clicked"]] if SS.get("imp_clicked") else []) + own + named))
        place_key = f"imp_place_{SS.get('imp_clicked')}"  # a click on the map makes the clicked county the default
        place = st.selectbox("加入地点（可在地图上点选县区） / add a place (or click a county)", options,
                             format_func=_unit_label, key=place_key) if options else None
    # The callback reads the choices when clicked (arguments bound now would be one run old).
    st.button("加入要素 / add to feature", key="imp_add", disabled=place is None, on_click=_edit,
              args=(lambda c, k=place_key: dr.add_member(c, SS["imp_target"], SS[k], gaz, juris),))
    feature = next(f for f in fc["features"] if f["id"] == target)
    st.caption("条文摘录 / excerpts")
    for ex in feature["properties"].get("excerpts") or []:
        st.text(f"{ex['clause']}　{ex['text']}")
    st.caption(md_escape(feature["properties"].get("precision_note", "")))

# --------------------------------------------------------------------------- save, share, export

st.subheader("保存与分享 · Save and share")
if st.button("保存 / save", key="imp_save", type="primary"):
    try:
        j = draft.jurisdiction
        SS["imp_saved"] = default_store().save(
            draft.title or SS.get("imp_source") or "", SS["imp_text"],
            {"adcode": j.adcode, "name": j.name, "level": j.level, "stated": j.stated, "reason": j.reason}, fc)
    except StoreError as exc:
        st.error(md_escape(str(exc)))
if SS.get("imp_saved"):
    st.success("已保存 / saved")
    st.code(f"/?plan={SS['imp_saved']}", language=None)
    try:  # inside the dashboard: open it on the Map page (run alone, there is no Map page to link to)
        st.page_link("pages/map.py", label="在地图页打开 / open on the Map page", query_params={"plan": SS["imp_saved"]})
    except StreamlitAPIException:
        pass
    st.caption("链接可在同一服务器上打开（发给同事即可）。 / The link opens this plan for colleagues using the same server.")

name = SS.get("imp_saved") or "draft"
c1, c2, c3 = st.columns(3)
c1.download_button("GeoJSON", dr.draft_geojson(fc), file_name=f"{name}.geojson", mime="application/geo+json",
                   key="imp_dl_geojson")
with c2:
    if st.toggle("准备 GeoPackage / prepare GeoPackage", key="imp_gpkg"):
        st.download_button("GeoPackage", dr.draft_gpkg(fc, name), file_name=f"{name}.gpkg",
                           mime="application/geopackage+sqlite3", key="imp_dl_gpkg")
c3.download_button("CSV 条文与地点 / clauses", dr.draft_clauses_csv(draft, fc),
                   file_name=f"{name}-clauses.csv", mime="text/csv", key="imp_dl_csv")
