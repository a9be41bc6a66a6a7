"""导入 Import: a pasted or uploaded plan -> a draft, checked here, then edited, published and shared on the Map page.

Thin by design: `geo.text.decode.decode_upload` reads the file, `geo.importer.draft` drafts the layers, and the session holds
the draft (`geo.importer.editing.PlanDraft`, `pages._drafts.keep_draft`, autosaved in the plan store) that the Map page
shows like any plan and edits. My drafts lists the drafts this browser made or opened. Every piece of plan
text is shown as text (st.text, tables, escaped Markdown): a plan may carry markup and it must never run.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from geo.i18n import confidence_label, in_lang, kind_label, precision_label, t
from geo.importer import draft as dr
from geo.importer.confidence import count_to_check
from geo.importer.editing import PlanDraft
from geo.safe import md_escape, plain
from geo.store import MAX_STORED_BYTES, QuotaExceeded, StoreError, default_store
from geo.text.decode import MAX_TEXT_BYTES, MAX_UPLOAD_BYTES, UPLOADER_TYPES, PlanTextError, decode_upload
from geo.text.textnorm import normalise
from pages._access import limits, owner, require
from pages._drafts import browser_drafts, current_draft, delete_draft, draft_fault, keep_draft, saved_as
from pages._mapframe import warm_map
from pages._resources import drafted, gazetteer, store_message
from pages._view import PAGE_FILES, end_page, page_link, through_dashboard, upload_css, view

through_dashboard()  # a fresh server's first /import link must still run inside dashboard.py
require("import", view().lang)  # planners only, checked here too (the page is not registered otherwise)
SS = st.session_state
LIMITS = {"text_mb": MAX_TEXT_BYTES // 2**20, "file_mb": MAX_UPLOAD_BYTES // 2**20,
          "stored_mb": MAX_STORED_BYTES // 2**20}
#: Share of the work done when each stage of drafting starts, roughly as `geo.importer.draft.Draft.timings` measure 贵州's
#: and 曲靖's texts (clauses ~1 %, places and structure about equal parts); rendering the map takes the rest.
IMPORT_STAGES = {"decoding": 0.0, "clauses": 0.02, "places": 0.05, "structure": 0.45, "map": 0.85}
lang = view().lang


def _unit_label(adcode: str) -> str:
    u = gazetteer().unit(adcode)
    return f"{u.name}（{u.adcode}）"


def _start(text: str, source: str, jurisdiction: str | None = None, token: str | None = None,
           report: Callable[[str], None] | None = None) -> None:
    """A new draft of a text (``token``: a redraft of that draft): the session's current draft, autosaved."""
    held = PlanDraft.from_draft(drafted(text, jurisdiction, progress=report), source, token)
    if report is not None:
        report("map")
    warm_map(keep_draft(held), view())


def _read_input(report: Callable[[str], None]) -> bool:
    """The form's submit: the uploaded file wins over the pasted text; problems become one message.

    ``report(stage)`` hears each stage (decoding, clauses, places, structure, map). Returns True on success.
    """
    upload, pasted = SS.get("imp_upload"), SS.get("imp_paste") or ""
    try:
        _check_draft_quota()
        report("decoding")
        if upload is not None:
            decoded = decode_upload(upload.name, upload.getvalue())
            text, notes = decoded.text, decoded.notes
            _start(text, upload.name, report=report)
        elif pasted.strip():
            if len(pasted.encode("utf-8")) > MAX_TEXT_BYTES:
                raise PlanTextError(t("import.too_large", lang, **LIMITS))
            try:  # pasted from a PDF viewer or a traditional-script page: as an upload would be read
                text, notes = normalise(pasted)
            except ValueError as exc:
                raise PlanTextError(str(exc)) from None
            _start(text, t("import.pasted", lang), report=report)
        else:
            raise PlanTextError(t("import.empty", lang, **LIMITS))
        SS["imp_error"] = None
        if notes:
            SS["imp_notice"] = " ".join(in_lang(note, lang) for note in notes)
        return True
    except PlanTextError as exc:
        SS["imp_error"] = in_lang(str(exc), lang)  # geo's messages come in both languages
        return False


def _check_draft_quota() -> None:
    """Refuse a new draft before drafting it when its owner keeps as many as allowed (the text stays in the
    form; the store checks again when it saves)."""
    quota = limits().drafts
    if not quota:
        return
    try:
        kept = default_store().count_drafts(owner())
    except StoreError:
        return  # the autosave will say what is wrong with the store
    if kept >= quota:
        raise PlanTextError(str(QuotaExceeded("drafts", quota)))


def _draft_with_progress(work: Callable[[Callable[[str], None]], bool]) -> None:
    """Run ``work(report)`` (drafting) under a status box that names each stage, so a long plan never looks frozen.

    ``work`` reports each stage it enters and returns True on success.
    """
    started = time.perf_counter()
    with st.status(t("import.working", lang), expanded=True) as status:
        bar = st.progress(0.0)

        def report(stage: str) -> None:
            bar.progress(IMPORT_STAGES.get(stage, 0.0), text=t(f"import.stage.{stage}", lang))

        ok = work(report)
        bar.progress(1.0, text=t("import.stage.done" if ok else "import.stage.failed", lang))
        status.update(label=t("import.worked" if ok else "import.failed", lang,
                              seconds=f"{time.perf_counter() - started:.1f}"),
                      state="complete" if ok else "error", expanded=False)


def _set_jurisdiction(adcode: str | None) -> None:
    SS["imp_redraft"] = adcode  # redrawn by the script, under the status box (see the form's button)


def _redraft(adcode: str | None, report: Callable[[str], None]) -> bool:
    """Draw the current draft again for the jurisdiction the planner chose."""
    current = current_draft()
    if current is not None and adcode and adcode != current.adcode:
        _start(current.text, current.source, adcode, current.token, report=report)
        SS["imp_notice"] = t("import.redrafted", lang) + (t("import.edits_dropped", lang) if current.parent else "")
    return True


def _open_on_map(current: PlanDraft) -> None:
    """Show the draft on the Map page: a fresh view of it (its whole jurisdiction, nothing selected)."""
    target = view().with_(page="map", plan=current.id, layers=None, feature=None, clause=None, center=None,
                             zoom=None, q="")
    st.switch_page(PAGE_FILES["map"], query_params=target.to_query_params(include_page=False))


def _delete_draft(token: str, title: str) -> None:
    problem = delete_draft(token)
    if problem:
        SS["imp_error"] = store_message(problem, lang)
    else:
        SS["imp_notice"] = t("import.deleted", lang, title=title)


def _my_drafts() -> None:
    """My drafts: those this browser made or opened (its localStorage), from the store; open or delete one."""
    tokens = browser_drafts(report=True, key="imp_my_drafts")
    if not tokens:
        return
    try:
        rows = default_store().list_drafts(tokens)
    except StoreError as exc:
        st.warning(md_escape(store_message(str(exc), lang)))
        return
    if not rows:
        return
    with st.expander(f"{t('import.my_drafts', lang)} · {len(rows)}", expanded=current_draft() is None):
        st.caption(t("import.my_drafts_note", lang))
        for token, title, head, updated in rows:
            name = plain(title or t("import.untitled", lang))
            with st.container(horizontal=True, gap="small", vertical_alignment="center"):
                st.text(t("import.draft_row", lang, title=name,
                          updated=time.strftime("%Y-%m-%d %H:%M", time.localtime(updated))))
                page_link("map", t("import.open_draft", lang),
                             view().with_(plan=head, layers=None, feature=None, clause=None, center=None,
                                             zoom=None, q=""))
                st.button(t("import.delete_draft", lang), key=f"imp_del_{token}", on_click=_delete_draft,
                          args=(token, name))


# --------------------------------------------------------------------------- input

st.title(t("import.title", lang))
st.caption(t("import.intro", lang))
with st.form("imp_form", clear_on_submit=False):
    st.text_area(t("import.text", lang), key="imp_paste", height=180, placeholder=t("import.placeholder", lang))
    # The uploader also takes .doc/.wps and images, so that they reach decode_upload and are refused with the
    # reason (save as .docx; run OCR); any other type, or a file over the limit, the browser refuses in the box.
    upload_css("imp_upload", lang)  # Streamlit's own "Upload" and "Drag and drop … per file" in the page's language
    st.file_uploader(t("import.upload", lang), type=list(UPLOADER_TYPES), key="imp_upload",
                     max_upload_size=LIMITS["file_mb"], help=t("import.upload_help", lang, **LIMITS))
    st.caption(t("import.limits", lang, **LIMITS))
    quota = limits()
    st.caption(t("import.quota", lang, drafts=quota.drafts or "∞", publishes=quota.publishes or "∞",
                 days=quota.draft_days or "∞"))
    # The drafting runs in the script, not in the button's callback: a callback cannot show progress where
    # the planner looks (its elements would land above the page).
    st.form_submit_button(t("import.submit", lang), type="primary", on_click=lambda: SS.update(imp_submit=True))

if SS.pop("imp_submit", False):
    _draft_with_progress(_read_input)
if (redraft := SS.pop("imp_redraft", None)) is not None:
    _draft_with_progress(lambda report: _redraft(redraft, report))

if SS.get("imp_error"):
    st.error(md_escape(SS["imp_error"]))
_my_drafts()
current = current_draft()
if current is not None and draft_fault(current.token):  # e.g. the draft quota: kept in the page until saved
    st.warning(md_escape(t("edit.autosave_failed", lang, error=store_message(draft_fault(current.token), lang))))
if current is None:
    if SS.get("imp_notice"):
        st.info(md_escape(SS.pop("imp_notice")))
    st.info(t("import.autosaved", lang))
    end_page()

gaz = gazetteer()
draft = drafted(current.text, current.adcode)  # the clauses, places and slogans behind the layers
if not draft.outline.clauses:
    st.error(t("import.no_clause", lang))
    end_page()
if SS.get("imp_notice"):
    st.info(md_escape(SS["imp_notice"]))
    SS["imp_notice"] = None

# --------------------------------------------------------------------------- summary and jurisdiction

rows = [{**row, "kind": kind_label(row["kind"], lang), "precision": precision_label(row["precision"], lang),
         "confidence": confidence_label(row["confidence"], lang) if row["confidence"] else ""}
        for row in dr.feature_rows(current.collection, gaz)]  # codes (core, exact) as the page's words; to check first
to_check = count_to_check(current.collection.get("features") or [])
juris = current.adcode
n_places = len({p.adcode for c in draft.clauses for p in c.places})
n_slogans = len({s.text for c in draft.clauses for s in c.slogans})
st.subheader(t("import.draft", lang))
st.text(plain(f"{current.title or t('import.untitled', lang)}\n{t('import.source', lang, source=current.source)}"))
st.caption(t("import.counts", lang, clauses=len(draft.outline.clauses), places=n_places, slogans=n_slogans,
             features=len(rows)) + (t("import.edited", lang) if current.parent else ""))

# The click is taken in a callback and acted on here (st.switch_page needs the script, not a callback):
# a multipage AppTest run resets a button's value before the page reads it, its callback still runs.
st.button(t("import.open_map", lang), key="imp_open", type="primary",
          on_click=lambda: SS.update(imp_go=True))
if SS.pop("imp_go", False):
    _open_on_map(current)
if to_check:  # the guesses a planner should review first (drawn in the "to check" style, listed first)
    st.warning(t("confidence.to_check_one" if to_check == 1 else "confidence.to_check", lang, n=to_check),
               icon=":material/fact_check:")
    st.caption(t("confidence.to_check_help", lang))
elif rows:
    st.caption(t("confidence.none_to_check", lang))
if not any(f.get("geometry") for f in current.collection.get("features") or []):
    st.warning(t("import.nothing_to_draw", lang))
saved = saved_as(current.id)
if saved:
    st.success(t("import.saved", lang, id=saved))

juris_name = current.jurisdiction.get("name") if juris else t("import.not_found", lang)
with st.expander(t("import.jurisdiction", lang) + ("：" if lang == "zh" else ": ") + md_escape(juris_name),
                 expanded=not juris):
    st.text(str(current.jurisdiction.get("reason") or ""))
    candidates = [u.adcode for u in dr.jurisdiction_candidates(draft, gaz)]
    left, right = st.columns(2)
    with left:
        if candidates:
            pick = st.selectbox(t("import.candidates", lang), candidates, format_func=_unit_label, key="imp_cand",
                                index=candidates.index(juris) if juris in candidates else 0,
                                placeholder=t("widget.placeholder", lang))
            st.button(t("import.use", lang), key="imp_cand_go", on_click=_set_jurisdiction, args=(pick,))
    with right:
        query = st.text_input(t("import.search", lang), key="imp_q", max_chars=20)
        found = [u.adcode for u in dr.search_units(query, gaz)] if query else []
        if found:
            hit = st.selectbox(t("import.results", lang), found, format_func=_unit_label, key="imp_hit",
                               placeholder=t("widget.placeholder", lang))
            st.button(t("import.use", lang), key="imp_hit_go", on_click=_set_jurisdiction, args=(hit,))
        elif query:
            st.caption(t("import.no_unit", lang))

# --------------------------------------------------------------------------- what the draft holds (read only)

st.subheader(t("import.features", lang))
st.caption(t("import.features_note", lang))
st.dataframe(rows, hide_index=True, width="stretch", column_config={
    col: (st.column_config.CheckboxColumn if col == "named_only" else st.column_config.TextColumn)(
        t(f"import.col.{col}", lang))
    for col in ("id", "name", "kind", "precision", "confidence", "members", "clauses", "named_only")
})
