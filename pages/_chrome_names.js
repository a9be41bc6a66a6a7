// Streamlit's own names in the page's language (pages/_view.py `chrome_names`, the words in geo/i18n.py
// `streamlit_names`). Streamlit 1.67 writes its accessible names and a few texts in English and takes no text for
// them: the sidebar, the main menu and its items, a select box's "Open", a help icon's "Help for …", the file
// uploader's button ("Upload"), a table's toolbar and its tooltips. This script finds them by their exact words,
// in either language (the language can be switched without reloading the page), and says them in the page's; it
// names the uploader's button, the skip link and the map frame; it sets the document's language, so that a screen
// reader reads the page in the right voice. React sets an attribute again only when its own value changes, and
// draws menus and tooltips as they open: an observer puts ours back each time.
export default function ({ data }) {
  if (!data || !Array.isArray(data.names)) return;
  const w = window;
  const lang = data.lang === "en" ? "en" : "zh";
  const table = new Map();
  for (const pair of data.names) {
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    table.set(pair[0], pair[lang === "en" ? 0 : 1]);
    table.set(pair[1], pair[lang === "en" ? 0 : 1]);
  }
  w.ghyztChromeNames = { lang, table, patterns: data.patterns || [], upload: data.upload, skip: data.skip,
                         map: data.map };
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  if (!w.ghyztChromeObserver) {
    let queued = false;
    w.ghyztChromeObserver = new MutationObserver(function () {
      if (queued) return;
      queued = true;
      w.requestAnimationFrame(function () { queued = false; apply(); });
    });
    w.ghyztChromeObserver.observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS,
    });
  }
  apply();
}

const ATTRS = ["aria-label", "placeholder", "title"];
// boxes whose texts are Streamlit's own: a toolbar's tooltips, the main menu, the running status
const TEXT_BOXES = '[data-testid="stTooltipContent"], [data-testid="stMainMenuPopover"], ' +
                   '[data-testid="stStatusWidget"]';

// A text in the page's language: a fixed text from the table, or one of Streamlit's texts around a value
// ("Help for {label}", "Made with Streamlit {version}") said around the same value; null if neither.
function said(names, value) {
  const text = value.trim();
  if (names.table.has(text)) return names.table.get(text);
  for (const pattern of names.patterns) {
    for (const code of ["zh", "en"]) {
      const around = pattern[code];
      if (!Array.isArray(around) || around.length !== 2) continue;
      const [before, after] = around;
      if (text.length > before.length + after.length && text.startsWith(before) && text.endsWith(after)) {
        const inner = text.slice(before.length, text.length - after.length);
        return pattern[names.lang][0] + inner + pattern[names.lang][1];
      }
    }
  }
  return null;
}

function set(el, attr, value) {
  if (typeof value === "string" && value && el.getAttribute(attr) !== value) el.setAttribute(attr, value);
}

function apply() {
  const names = window.ghyztChromeNames;
  if (!names) return;
  for (const el of document.querySelectorAll("[aria-label], [placeholder], [title]")) {
    if (el.closest(".ghyzt-clause, .ghyzt-pre")) continue; // plan text is never touched
    for (const attr of ATTRS) {
      const value = el.getAttribute(attr);
      if (value) set(el, attr, said(names, value));
    }
  }
  // A text node's value is changed, not the node, so that React, which holds the node, can still update it.
  for (const box of document.querySelectorAll(TEXT_BOXES)) {
    const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const text = said(names, n.data);
      if (text !== null && n.data !== text) n.data = text;
    }
  }
  // the uploader's button has no name but its English word ("Upload"): ours is the one it shows (pages/_view.py
  // upload_css draws it); the skip link's likewise
  for (const el of document.querySelectorAll('[data-testid="stFileUploaderDropzone"] button')) set(el, "aria-label", names.upload);
  for (const el of document.querySelectorAll('[data-testid="stSkipToContent"]')) set(el, "aria-label", names.skip);
  // the map frame keeps its title (the component's name, by which tests and tools find it); its name is ours
  for (const el of document.querySelectorAll('iframe[title="pages._mapframe.map"]')) set(el, "aria-label", names.map);
}
