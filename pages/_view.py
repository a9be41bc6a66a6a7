"""The view at the Streamlit edge: the view state of a run, the URL it is written to, links between pages, safe HTML;
and `through_dashboard`, which the pages run first."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

import streamlit as st

from geo.i18n import streamlit_names, t
from geo.view.state import PAGE_PATHS, ViewState

PAGE_FILES = {"map": "pages/map.py", "text": "pages/text.py", "overview": "pages/overview.py",
              "catalogue": "pages/catalogue.py", "import": "pages/import.py", "admin": "pages/admin.py"}
#: The action a page needs (`geo.access.ACTIONS`): a page is registered, and runs, only for a role allowed it.
PAGE_ACTIONS = {"map": "view", "text": "view", "overview": "view", "catalogue": "view", "import": "import",
                "admin": "usage"}
VIEW_KEY = "ghyzt_view"
LIGHT_KEY, FULL_KEY = "ghyzt_light", "ghyzt_full"  # the map-first run (pages/_shell.py)
PAGE_KEY, PREV_PAGE_KEY = "ghyzt_page", "ghyzt_prev_page"  # the page of this run and of the one before

CSS = """
<style>
mark.ghyzt-hl{background:#ffe066;color:inherit;padding:0 1px;border-radius:2px;}
.ghyzt-clause{line-height:1.75;font-size:0.97rem;background:#fafaf7;border-left:3px solid #c9c3b3;
  padding:6px 10px;margin:4px 0 8px;border-radius:2px;}
.ghyzt-clause .ghyzt-cid{color:#666;font-size:0.8rem;margin-right:6px;}
.ghyzt-feature h3{margin:0 0 2px;font-size:1.25rem;}
.ghyzt-tags span{display:inline-block;font-size:0.78rem;border:1px solid #bbb;border-radius:10px;
  padding:0 7px;margin-right:4px;color:#444;}
.ghyzt-tags span.ghyzt-inferred{border-color:#b35806;color:#b35806;}
.ghyzt-kv{font-size:0.9rem;margin:2px 0;color:#333;}
.ghyzt-kv b{color:#555;font-weight:600;margin-right:4px;}
.ghyzt-snippet{font-size:0.88rem;color:#333;margin:0 0 6px;}
.ghyzt-l3{margin-left:1.4em;}
.ghyzt-l4{margin-left:2.8em;}
.ghyzt-selected{border-left-color:#e66101;background:#fff6ea;}
.ghyzt-table{border-collapse:collapse;font-size:0.85rem;margin:4px 0 10px;display:block;overflow-x:auto;}
.ghyzt-table caption{text-align:left;font-weight:600;padding:2px 0;}
.ghyzt-table th,.ghyzt-table td{border:1px solid #d6d3ca;padding:2px 6px;vertical-align:top;}
.ghyzt-table th{background:#f2f0ea;}
.ghyzt-pre{white-space:pre-wrap;font-size:0.85rem;line-height:1.6;background:#f6f6f6;padding:10px;}
/* contrast (WCAG AA, axe): captions and the layer pills' labels darker than Streamlit's faded grey */
[data-testid="stCaptionContainer"]{opacity:1 !important;}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p{color:#595959 !important;}
[data-variant="pills"] [data-testid="stMarkdownContainer"] p{color:#31333f;}
/* the pages' links above the page, for a phone, where the sidebar folds away (pages/_shell.py) */
.st-key-ghyzt_topnav{display:none;}
@media (max-width: 640px){
  .st-key-ghyzt_topnav{display:flex;flex-wrap:wrap;gap:0 .25rem;
    background:var(--background-color,#fff);border-bottom:1px solid #e6e6e6;margin:-.5rem 0 .25rem;}
  /* sticky on its wrapper: the links' own box fills that wrapper, so it had no room to stick in */
  [data-testid="stLayoutWrapper"]:has(> .st-key-ghyzt_topnav){position:sticky;top:3.75rem;z-index:5;}
  .st-key-ghyzt_topnav a{padding:.35rem .55rem;min-height:44px;}
  .block-container{padding-left:.75rem;padding-right:.75rem;padding-top:3.5rem;}
  h1{font-size:1.6rem;}
  .ghyzt-l3{margin-left:.7em;} .ghyzt-l4{margin-left:1.4em;}
  /* clip, not hidden: hidden makes the block a scroll container of its own, which a focus inside the map frame
     scrolled, sliding the sticky links under the header */
  [data-testid="stMainBlockContainer"]{overflow-x:clip;}
}
</style>
"""


# --------------------------------------------------------------------------- entry


def through_dashboard() -> None:
    """Make sure a page runs inside dashboard.py, even on a fresh server.

    Because the pages live in a folder called ``pages/``, Streamlit starts in its old pages-folder
    mode and, until some session has run dashboard.py (whose ``st.navigation`` ends that mode for
    the process), it runs ``pages/<name>.py`` on its own for a link such as ``/text?...``. Then no
    sidebar, no state and no checked link. Ending that mode and rerunning runs dashboard.py, which
    resolves the same page (``st.Page`` hashes its url_path, as that mode hashes the file name) with
    the same query params.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


class PageEnded(Exception):
    """Raised by `end_page`: the page has nothing more to show; pages/_shell.py catches it and draws the sidebar."""


def end_page() -> NoReturn:
    """End the page here, like `st.stop()`, but let pages/_shell.py go on to draw the sidebar (navigation, language).

    `st.stop()` would end the whole run: every later Streamlit call stops too, so a page that stopped early
    (the Import page before a draft exists, a plan that cannot be loaded) had no sidebar at all.
    """
    raise PageEnded


# --------------------------------------------------------------------------- view state


def in_browser() -> bool:
    """True in a browser session (False under AppTest, which has no page URL and no map frame)."""
    try:
        return st.context.url is not None
    except Exception:  # noqa: BLE001 - no context at all
        return False


def light_run_done(value: Any) -> None:
    """End the map-first run: once the map has reported (it is drawn), rerun in full; else stop here."""
    if not st.session_state.get(LIGHT_KEY):
        return
    if isinstance(value, Mapping) and value.get("center"):
        st.session_state[FULL_KEY] = True
        st.rerun()
    st.stop()


def view() -> ViewState:
    """The view of this run (read from the URL by pages/_shell.py, updated by the page)."""
    return st.session_state.get(VIEW_KEY) or ViewState()


def set_view(state: ViewState) -> None:
    """Change the view; pages/_shell.py writes it to the URL at the end of the run."""
    st.session_state[VIEW_KEY] = state
    _remember_address(state.to_query_params(include_page=False))


def update_view(**changes: Any) -> None:
    """Change some fields of the view now, in a callback: the URL follows before the next run reads it."""
    state = view().with_(**changes)
    set_view(state)
    write_url(state)


def write_url(state: ViewState) -> None:
    """Write the state into the address bar (only when it differs, to keep the history clean)."""
    wanted = state.to_query_params(include_page=False)
    _remember_address(wanted)  # first: this run may be stopped while the message is being sent
    current = {k: st.query_params.get(k) for k in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


# --------------------------------------------------------------------------- the address bar, as it lags behind

#: The addresses this session gave its view since the browser last showed it the current one: the browser's
#: address when it was last up to date, then every newer one (the newest last), with the page they are of.
ADDRESS_KEY = "ghyzt_addresses"
_MAX_ADDRESSES = 16


def _as_lists(params: Mapping[str, Any]) -> dict[str, list[str]]:
    return {k: list(v) if isinstance(v, (list, tuple)) else [str(v)] for k, v in params.items()}


def _remember_address(params: Mapping[str, Any]) -> None:
    """Note ``params`` as the session's newest address (`view_params` reads it)."""
    record = st.session_state.get(ADDRESS_KEY)
    if not isinstance(record, dict):
        return  # outside a run that began with `view_params` (a page run on its own, AppTest's first run)
    wanted = _as_lists(params)
    if record["sent"][-1] != wanted:
        record["sent"] = [*record["sent"], wanted][-_MAX_ADDRESSES:]
    record["page"] = _page_hash()


def _page_hash() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx is not None else ""


def view_params() -> dict[str, list[str]]:
    """The query params this run reads its view from: the address bar's, unless the browser sent this run before
    the address this session wrote last had reached it.

    The address bar follows the session (`write_url`), a message later. A rerun the browser asks for meanwhile (a
    click on the map, then its view report as the map pans a moment later; a click then a layer toggle) carries
    the address the browser still shows, an older one this session has replaced since. Read from it, the run
    would take the view back (the click's feature gone) and write that older address over the newer one. So an
    address this session itself had given its view before its newest, on the same page, is read as the newest.
    Any other address is the browser's own and is read as it is: a link followed (another page, or another
    address), back or forward in the history, the first run of a tab.
    """
    from urllib.parse import parse_qs

    from streamlit.runtime.scriptrunner import get_script_run_ctx

    params = {k: st.query_params.get_all(k) for k in st.query_params}
    ctx = get_script_run_ctx()
    if ctx is None:
        return params
    asked = parse_qs(ctx.query_string or "", keep_blank_values=True)  # the browser's, before any callback ran
    record = st.session_state.get(ADDRESS_KEY)
    lagging = (isinstance(record, dict) and record["page"] == ctx.page_script_hash
               and not getattr(ctx, "is_history_navigation", False)
               and asked != record["sent"][-1] and asked in record["sent"][:-1])
    if lagging:
        return {k: list(v) for k, v in record["sent"][-1].items()}
    # the browser's address is the view: a callback of this run may have changed it already (`update_view`)
    current = _as_lists(params)
    st.session_state[ADDRESS_KEY] = {"page": ctx.page_script_hash, "sent": [asked, *([current] if current != asked
                                                                                    else [])]}
    return params


def page_title(page: str, lang: str) -> str:
    """The title of a page in ``lang``."""
    return t(f"page.{page}", lang)


def page_link(page: str, label: str, state: ViewState, **kw: Any) -> None:
    """A link to another page that carries the view (query params are cleared on page switches otherwise)."""
    target = state.with_(page=page)
    st.page_link(PAGE_FILES[page], label=label, query_params=target.to_query_params(include_page=False), **kw)


def share_url(state: ViewState) -> str:
    """The shareable link of a view, on the address the user reached the app by."""
    base = ""
    try:
        base = st.context.url or ""
    except Exception:  # noqa: BLE001 - outside a browser session (tests): a relative link
        base = ""
    path = PAGE_PATHS[state.page]
    if base and path and base.rstrip("/").endswith("/" + path):
        base = base.rstrip("/")[: -len(path) - 1]
    return state.url(base or "/")


# --------------------------------------------------------------------------- safe output


def html(markup: str) -> None:
    """Show HTML built by geo.view.model (every piece of plan text in it is escaped)."""
    st.markdown(markup, unsafe_allow_html=True)


def css() -> None:
    """The dashboard's styles (ours only)."""
    st.markdown(CSS, unsafe_allow_html=True)


def skip_link_css(lang: str) -> None:
    """Streamlit's keyboard link "Skip to main content" in ``lang`` (drawn text; its accessible name stays)."""
    if lang == "en":
        return
    st.markdown("<style>[data-testid='stSkipToContent']{font-size:0;}"
                f"[data-testid='stSkipToContent']::after{{content:\"{t('widget.skip', lang)}\";font-size:1rem;}}</style>",
                unsafe_allow_html=True)


# Streamlit's own names (its sidebar, menus, help icons, the uploader's button, a table's toolbar) in the page's
# language: a st.components.v2 component whose JavaScript, pages/_chrome_names.js, runs in the app's page.
_CHROME_NAMES_JS = (Path(__file__).parent / "_chrome_names.js").read_text(encoding="utf-8")
_chrome_names = st.components.v2.component("ghyzt_chrome_names", js=_CHROME_NAMES_JS)


def chrome_names(lang: str) -> None:
    """Say Streamlit's own accessible names in ``lang`` and set the document's language (``<html lang>``).

    Streamlit takes no text for them (help icons are "Help for …", the uploader's button "Upload", the sidebar's
    button "Collapse sidebar"); the script renames them in the browser, by their exact words, and keeps them
    renamed as Streamlit redraws. The words are in `geo.i18n.streamlit_names`.
    """
    if in_browser():
        _chrome_names(key="ghyzt_chrome_names", data=dict(_chrome_names_data(lang)))


@functools.lru_cache(maxsize=4)
def _chrome_names_data(lang: str) -> dict[str, Any]:
    """`streamlit_names` of ``lang``, made once; its lists as tuples (the same JSON), which Streamlit does not ask
    whether they are dataframes on every run."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in streamlit_names(lang).items()}


def upload_css(key: str, lang: str) -> None:
    """Show a file uploader's own texts in ``lang``: Streamlit writes "Upload" and "Drag and drop file here · Limit
    … per file" in English and takes no text for them. Scoped to the widget of ``key``; the page states the limits
    in its own caption. The button's English word is drawn at size 0 and ours shown; the button's accessible name
    is ours too (`chrome_names` names it, so a screen reader hears 选择文件, not "Upload"). The hidden file input,
    which Streamlit names "file upload" and the button opens, is taken out of the accessibility tree (hidden, it is
    still what the button clicks and what a test or a drop fills): one control for the uploader, not two."""
    scope = f".st-key-{key} [data-testid='stFileUploaderDropzone']"
    label = t("widget.choose_file", lang).replace('"', "")
    st.markdown(f"""<style>
{scope} [data-testid='stFileUploaderDropzoneInstructions']{{display:none;}}
{scope} button [data-testid='stMarkdownContainer'] p{{font-size:0;line-height:0;}}
{scope} button [data-has-shortcut]::after{{content:"{label}";}}
{scope} [data-testid='stFileUploaderDropzoneInput']{{visibility:hidden;}}
</style>""", unsafe_allow_html=True)


if __name__ == "__main__":  # run as a page of the pages-folder mode (see through_dashboard)
    through_dashboard()
