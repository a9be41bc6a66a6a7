"""条文 Text: the plan's outline as a collapsible tree, with chips for what each clause names, search and the original."""

from __future__ import annotations

import streamlit as st

from geo import view as vm
from geo.i18n import data_text, t
from pages._plans import open_plan_page
from pages._view import PREV_PAGE_KEY, css, html, page_link, update_view

_TREE = "ghyzt_text_tree"  # session key: which nodes are open, for which focus

state, data = open_plan_page()
lang = state.lang

css()
meta = data.plan.meta
st.subheader(vm.md_escape(meta.title_en if lang == "en" else meta.title))
st.caption(" · ".join(vm.md_escape(x) for x in (data_text(meta.issuer or "", lang), meta.doc_number, meta.date) if x))

tree = vm.text_tree(data)
collapsible = vm.text_collapsible(tree)
matches = vm.text_matches(data.plan.outline, state.q)
selected = vm.feature_panel(data, state.feature, lang) if state.feature else None
cited = {m.clause: m.spans for m in selected.mentions} if selected else {}

# Which nodes are open is kept here, not only in the expanders' widget state: Streamlit forgets a
# widget it did not draw (the children of a closed node; the whole tree while on another page), and
# a reader expects a node to come back as they left it. A new focus (plan, clause, search, feature)
# opens exactly what it points at; between focus changes the reader's own choices hold.
focus = (state.plan, state.clause, state.q, state.feature)
tree_state = st.session_state.get(_TREE)
entered = st.session_state.get(PREV_PAGE_KEY) != "text"
scroll = entered or tree_state is None or tree_state["focus"][:2] != focus[:2]
if tree_state is None or tree_state["focus"] != focus:
    # the selected clause first, so that a long list of hits never leaves it closed
    opened = vm.text_open(tree, [state.clause] if state.clause else cited) | vm.text_open(
        tree, matches, limit=vm.TEXT_OPEN_LIMIT)
    tree_state = {"focus": focus, "open": set(opened), "force": True,
                  "serial": (tree_state or {}).get("serial", 0)}
    st.session_state[_TREE] = tree_state


def _search() -> None:
    update_view(q=st.session_state["text_q"].strip()[:200])


def _open(nodes: tuple[str, ...]) -> None:
    st.session_state[_TREE].update(open=set(nodes), force=True)


st.session_state["text_q"] = state.q
st.text_input(t("text.search", lang), key="text_q", placeholder=t("map.search_placeholder", lang),
              on_change=_search)
with st.container(horizontal=True, gap="small", vertical_alignment="center"):
    if state.q:
        key = ("text.hits_opened" if len(matches) > vm.TEXT_OPEN_LIMIT else "text.hits") if matches else "text.no_hits"
        st.caption(vm.md_escape(t(key, lang, n=len(matches), q=state.q, limit=vm.TEXT_OPEN_LIMIT)))
    st.space("stretch")
    st.button(t("text.expand_all", lang), key="text_expand", type="tertiary", on_click=_open, args=(collapsible,))
    st.button(t("text.collapse_all", lang), key="text_collapse", type="tertiary", on_click=_open, args=((),))

chips = vm.clause_chips(data, lang)
hits = vm.text_hits(tree, matches)
keys = {cid: f"ghyzt_tx_{i}" for i, cid in enumerate(collapsible)}


def clause(node: vm.TextNode) -> None:
    """A clause's own text (search words and the selected feature's excerpts marked) and its chips."""
    marks = (*matches.get(node.id, ()), *cited.get(node.id, ()))
    named = chips.get(node.id)
    if not (node.heading_only and node.id in keys) or marks or named or node.id == state.clause:
        html(vm.clause_html(node.id, node.text, marks, selected=node.id == state.clause))
    for label, rows in node.tables:  # the clause's 专栏 boxes, as tables
        html(vm.table_html(label, rows))
    if named:
        with st.container(horizontal=True, gap="small"):
            for chip in named:
                target = state.with_(page="map", feature=chip.id, clause=node.id, center=None, zoom=None,
                                     layers=vm.with_layer(state.layers, chip.kind, data.layers))
                page_link("map", ("◎ " if chip.is_place else "◆ ") + vm.md_escape(chip.label), target)


def branch(node: vm.TextNode) -> None:
    """A node: a line that opens and closes when it is collapsible, else just its text.

    A closed node draws nothing inside: on a plan of hundreds of clauses and thousands of chips the
    page sends only what is open, and opening a node costs one short rerun.
    """
    key = keys.get(node.id)
    if key is None:
        clause(node)
        return
    if tree_state["force"] or key not in st.session_state:
        st.session_state[key] = node.id in tree_state["open"]
    with st.expander(node.label(hits.get(node.id, 0)), key=key, on_change="rerun") as box:
        if not box.open:
            tree_state["open"].discard(node.id)
            return
        tree_state["open"].add(node.id)
        clause(node)
        for child in node.children:
            branch(child)


for top in tree:
    branch(top)
tree_state["force"] = False

if state.clause and scroll:
    # Land on the selected clause (a link ?c=…, a chip's way back from the map). Our own script, with
    # no plan text in it: it finds the clause by our class name.
    tree_state["serial"] += 1
    st.html(vm.scroll_script(".ghyzt-selected", tree_state["serial"]), unsafe_allow_javascript=True)

if st.toggle(t("text.original", lang), key="text_original"):
    st.caption(t("text.original_caption", lang))
    html(vm.pre_html(data.plan.original))
