"""The dashboard's pages under AppTest, and the page logic of geo.viewmodel without Streamlit."""

from __future__ import annotations

import json
import re

import folium
import pytest
from streamlit.testing.v1 import AppTest

from geo import viewmodel as vm
from geo.plans import plan_ids
from geo.state import ViewState
from tests.conftest import ROOT, XSS_NAME

APP = str(ROOT / "dashboard.py")
HAS_LAYERS = (ROOT / "layers" / "guizhou" / "admin.geojson").is_file()
needs_layers = pytest.mark.skipif(not HAS_LAYERS, reason="layers/ not built (python -m geo build)")


def app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def map_args(at: AppTest) -> dict:
    """The arguments the Map page passed to streamlit-folium's component."""
    comps = at.get("component_instance")
    assert comps, "no map component on the page"
    return json.loads(comps[0].proto.json_args)


def command(at: AppTest) -> dict:
    """The command the map is given (selection, search marks, fit)."""
    fg = map_args(at)["feature_group"]
    return json.loads(re.search(r"ghyztMap\.apply\((\{.*?\})\);", fg).group(1))


def html_blocks(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.proto.allow_html]


# --------------------------------------------------------------------------- viewmodel


def test_highlight_html_escapes_then_marks():
    text = "甲<script>alert(1)</script>乙"
    out = vm.highlight_html(text, [(1, 9), (3, 5), (50, 60)])
    assert "<script" not in out
    assert out.startswith('甲<mark class="ghyzt-hl">&lt;script&gt;</mark>')
    assert vm.highlight_html("a\nb") == "a<br>b"


def test_md_escape_neutralises_links_and_emphasis():
    out = vm.md_escape("[x](javascript:alert(1)) **b** <i>")
    assert "](" not in out and "**" not in out and "<i>" not in out


@pytest.fixture
def demo(demo_dirs):
    return vm.load_plan_data("demo", demo_dirs[0], demo_dirs[1])


def test_feature_panel_offsets_point_at_the_excerpt(demo):
    panel = vm.feature_panel(demo, "de-core", "zh")
    assert panel.name == XSS_NAME and panel.inferred_place == "<i>甲县</i>"
    (m,) = panel.mentions
    assert m.clause == "二.(一)"
    (s, e), = m.spans
    assert m.text[s:e] == "建设<img src=x onerror=alert('x')>"
    assert "<img" not in m.block_html() and "&lt;img" in m.block_html()
    header = panel.header_html("zh")
    assert "<img" not in header and "<script" not in header and "<b>role" not in header
    assert vm.feature_panel(demo, "de-core", "en").name.startswith("**bold**")
    assert vm.feature_panel(demo, "nope") is None


def test_mentions_in_document_order_and_counties(demo):
    jia = vm.feature_panel(demo, "de-510703")
    assert jia.is_admin and [m.clause for m in jia.mentions] == ["一.(1)", "一.(2)", "二.(二)"]
    assert [m.clause for m in vm.clauses_naming(demo, "510704")] == ["一.(2)"]
    assert vm.clauses_naming(demo, "999999") == ()


def test_search_places_features_words_with_offsets(demo):
    res = vm.search(demo, "甲", "zh")
    assert [h.id for h in res.places] == ["de-510703"]
    assert "de-corridor" in [h.id for h in res.features]
    for hit in res.clauses:
        assert all(hit.text[s:e] == "甲" for s, e in hit.spans)
    assert {h.clause for h in res.clauses} >= {"一.(1)", "二.(二)"}
    assert vm.search(demo, "   ").empty
    assert "<img" not in vm.snippet_html(vm.search(demo, "核心").clauses[0])


def test_catalog_from_layers_and_links(demo):
    cat = vm.catalog_from_layers({"demo": demo.layers}, {"demo": demo.plan.outline.ids}, "demo")
    assert cat.plans["demo"].layers == ("admin", "core", "corridor", "node")
    state, notices = ViewState.from_query_params({"f": "de-core", "layers": "node,bogus"}, cat)
    assert state.feature == "de-core" and state.layers == ("node",)
    assert [n.code for n in notices] == ["unknown_layer"]


def test_overview_rows_count_by_kind_and_precision(demo):
    (row,) = vm.overview_rows([demo], "en")
    assert row["Plan"] == "demo" and row["Clauses"] == len(demo.plan.outline.clauses)
    assert row["Core"] == 1 and row["Corridor"] == 1 and row["Admin units"] == 2
    assert row["approximate"] == 1 and row["schematic"] == 1 and row["point"] == 1 and row["inferred"] == 1


def test_map_choice_checks_ids():
    feats, clauses = {"de-core"}, {"二.(一)"}
    ok = vm.map_choice({"last_object_clicked_popup": '{"f":"de-core","c":"二.(一)","go":"text","n":2}'},
                       feats, clauses)
    assert ok == {"feature": "de-core", "clause": "二.(一)", "go": "text", "n": 2}
    bad = vm.map_choice({"last_object_clicked_popup": '{"f":"<script>","c":"../x","go":"evil","n":3}'},
                        feats, clauses)
    assert bad == {"feature": None, "clause": None, "go": None, "n": 3}
    assert vm.map_choice({"last_object_clicked_popup": "not json"}, feats, clauses) is None
    assert vm.map_choice(None, feats, clauses) is None


def test_panel_data_cannot_close_the_script(demo):
    ctl = vm.MapController(vm.panel_data(demo, "zh"))
    fmap = folium.Map()
    fmap.add_child(ctl)
    html = fmap.get_root().render()
    assert "<img" not in html and html.count("</script>") == html.count("<script")
    assert "\\u003cimg src=x" in html


def test_with_layer_and_text_tree(demo):
    assert vm.with_layer(None, "node", demo.layers) is None
    assert vm.with_layer(("admin",), "node", demo.layers) == ("admin", "node")
    tops = vm.text_tree(demo)
    assert [n.id for n in tops] == ["序", "一", "二"] or [n.id for n in tops] == ["一", "二"]
    assert [c.id for c in tops[-1].children] == ["二.(一)", "二.(二)"]
    chips = vm.clause_chips(demo)
    assert chips["二.(二)"][0].id == "de-corridor" and chips["二.(二)"][-1].is_place


# --------------------------------------------------------------------------- pages (AppTest)


@needs_layers
@pytest.mark.parametrize("plan", plan_ids())
def test_every_plan_on_every_page(plan):
    at = app(plan=plan)
    assert not at.exception
    args = map_args(at)
    assert "ghyztMap" in args["script"] and "L.geoJson" in args["feature_group"]
    assert not [u for u in args["js_links"] + args["css_links"] if u.startswith(("http:", "https:", "//"))]
    assert at.sidebar.get("pills"), "layer panel missing"
    assert at.query_params.get("plan", "mianyang") == plan
    at.switch_page("pages/text.py").run()
    assert not at.exception
    assert len(at.expander) >= 3
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    assert len(at.dataframe) >= 1


MALFORMED = [
    {"plan": "../../etc"},
    {"f": "<script>alert(1)</script>"},
    {"z": "abc"},
    {"center": "999,999"},
    {"layers": "bogus"},
    {"lang": "fr"},
    {"c": "九十九"},
    {"q": "x" * 500},
    {"base": "tianditu"},
]


@needs_layers
@pytest.mark.parametrize("params", MALFORMED, ids=lambda p: ",".join(p))
def test_malformed_links_open_the_nearest_view_with_a_notice(params):
    at = app(**params)
    assert not at.exception
    assert at.info, "no notice shown"
    assert map_args(at)  # the map is there
    shown = " ".join(i.value for i in at.info)
    assert not re.search(r"(?<!\\)<script", shown)  # Markdown-escaped: shown as text
    # the URL is rewritten to the valid view
    _, notices = ViewState.from_query_params(at.query_params)
    assert not [n for n in notices if n.code != "unknown_key"]


@needs_layers
def test_state_survives_page_switches_and_lands_in_the_url():
    at = app(plan="guizhou", f="gz-bri", layers="link,node", lang="en", z="7", center="26.9,106.6")
    assert not at.exception and not at.info
    assert command(at)["selected"] == "gz-bri"
    assert map_args(at)["zoom"] == 7
    assert any('data-feature="gz-bri"' in b for b in html_blocks(at))
    params = dict(at.query_params)
    assert params["plan"] == "guizhou" and params["f"] == "gz-bri" and params["layers"] == "link,node"
    links = at.sidebar.get("page_link")
    assert len(links) == 4  # 地图, 条文, 总览, 导入
    at.switch_page("pages/text.py").run()
    assert not at.exception
    assert dict(at.query_params) == params
    at.switch_page("pages/map.py").run()
    assert command(at)["selected"] == "gz-bri"


@needs_layers
def test_sidebar_widgets_write_the_url():
    # one interaction per AppTest: after a widget callback, the tree AppTest 1.67 returns lacks the sidebar
    # part that dashboard.py fills after the page ran (the browser shows it; tests/test_browser.py)
    at = app(plan="guizhou", f="gz-bri")
    at.sidebar.selectbox(key="sb_plan_guizhou").set_value("qujing").run()
    assert not at.exception
    assert at.query_params.get("plan") == "qujing" and "f" not in at.query_params  # a new plan starts clean
    at = app(plan="qujing")
    at.sidebar.radio(key="sb_lang").set_value("en").run()
    assert at.query_params.get("lang") == "en"
    assert any("Layers" in m.value for m in at.sidebar.markdown)
    at = app(plan="qujing")
    at.sidebar.selectbox(key="sb_base").set_value("osm").run()
    assert not at.exception and at.query_params.get("base") == "osm"
    at = app(plan="qujing")
    at.sidebar.get("pills")[0].set_value([]).run()
    assert not at.exception and "layers" in at.query_params


@needs_layers
def test_search_marks_the_map_and_lists_hits():
    at = app(plan="guizhou", q="贵阳")
    assert not at.exception
    assert command(at)["matches"], "search hits not marked on the map"
    assert any("ghyzt-hl" in b for b in html_blocks(at))


def test_hostile_plan_renders_escaped_everywhere(demo_env):
    at = app(plan="demo", f="de-core")
    assert not at.exception, at.exception
    blocks = html_blocks(at)
    for block in blocks:
        assert "<img" not in block and "<script" not in block.replace("<style>", "")
        assert "javascript:" not in re.sub(r"[^<]*", "", block)  # never inside a tag
    assert any("&lt;img src=x" in b for b in blocks)
    args = map_args(at)
    controller = args["script"][args["script"].index("window.ghyztMap"):]
    assert "<img" not in controller and "<script" not in controller
    for label in [b.label for b in at.button] + [e.label for e in at.expander]:
        assert "](" not in label and "<img" not in label
    at.switch_page("pages/text.py").run()
    assert not at.exception
    at.button(key="text_expand").click().run()  # every clause on the page
    assert not at.exception
    text_blocks = html_blocks(at)
    assert any("&lt;script&gt;alert" in b for b in text_blocks)
    assert not any("<script>alert" in b for b in text_blocks)
    assert all("](" not in e.label for e in at.expander)
    at.toggle(key="text_original").set_value(True).run()
    assert any("&lt;script&gt;" in b for b in html_blocks(at))
    at.switch_page("pages/overview.py").run()
    assert not at.exception


# --------------------------------------------------------------------------- the outline tree (Text page)


@pytest.fixture
def deep(deep_dirs):
    return vm.load_plan_data("deep", deep_dirs[0], deep_dirs[1])


def text_page(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/text.py")
    return at.run()


def shown(at: AppTest) -> list[str]:
    """Ids of the clauses whose text is on the page."""
    return [cid for b in html_blocks(at) for cid in re.findall(r'class="ghyzt-clause[^"]*" data-clause="([^"]+)"', b)]


def labels(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


def toggle(at: AppTest, label: str, is_open: bool = True) -> AppTest:
    """Open or close a node as the reader's click does: set the expander's state, rerun."""
    (box,) = [e for e in at.expander if e.label == label or e.label.startswith(label + " · ")]
    key = box.proto.id.split("-", 2)[2]  # a keyed element's id ends with its key
    at.session_state[key] = is_open
    return at.run()


def test_text_tree_nests_every_level(deep):
    tree = vm.text_tree(deep)
    assert [n.id for n in tree] == ["第一章", "第二章"]
    one = tree[0].children[0]
    assert one.id == "第一章.一" and one.heading_only and one.label() == "一 空间结构"
    assert [c.id for c in one.children[0].children] == ["第一章.一.(一).1", "第一章.一.(一).2"]
    assert one.children[0].label() == "\\(一\\) 核心引领"
    assert vm.text_collapsible(tree) == ("第一章", "第一章.一", "第一章.一.(一)", "第一章.一.(二)", "第二章")
    assert vm.text_open(tree, ["第一章.一.(一).2"]) == {"第一章", "第一章.一", "第一章.一.(一)"}
    assert vm.text_open(tree, ["第一章.一.(二)", "第二章.一"]) == {"第一章", "第一章.一", "第一章.一.(二)", "第二章"}
    assert vm.text_open(tree, ["第二章.一", "第一章.一.(一).1"], limit=1) == {"第一章", "第一章.一", "第一章.一.(一)"}
    hits = vm.text_hits(tree, vm.text_matches(deep.plan.outline, "甲县"))
    assert hits == {"第一章": 2, "第一章.一": 2, "第一章.一.(一)": 1, "第一章.一.(一).1": 1, "第一章.一.(二)": 1,
                    "第一章.一.(二).1": 1, "第二章": 1, "第二章.一": 1}


def test_text_nodes_start_closed_and_open_one_level_at_a_time(deep_env):
    at = text_page(plan="deep")
    assert not at.exception
    assert labels(at) == ["第一章 总体布局", "第二章 生态保护"]
    assert shown(at) == [] and not at.get("page_link")[4:]  # nothing inside a closed node is sent
    at = toggle(at, "第一章 总体布局")
    # the section's own heading is its label; its children come closed, a leaf shows its text
    assert labels(at) == ["第一章 总体布局", "一 空间结构", "第二章 生态保护"]
    assert shown(at) == ["第一章.二"]
    at = toggle(at, "一 空间结构")
    assert labels(at)[2:4] == ["\\(一\\) 核心引领", "\\(二\\) 走廊联通"]
    assert "第一章.一.(一).1" not in shown(at)
    at = toggle(at, "\\(一\\) 核心引领")
    assert shown(at) == ["第一章.一.(一).1", "第一章.一.(一).2", "第一章.二"]
    assert "第一章.一.(二).1" not in shown(at)  # its sibling stays closed
    assert any("&lt;script&gt;alert" in b for b in html_blocks(at)) and not any("<script>alert" in b for b in html_blocks(at))
    # chips under an open clause lead to the Map page with that feature and clause
    links = {link.proto.label: link.proto.page for link in at.get("page_link")}
    assert "◆ 甲核心" in links and "◎ 甲县" in links
    # closing a node hides its subtree; opening it again brings it back as the reader left it
    at = toggle(at, "第一章 总体布局", False)
    assert labels(at) == ["第一章 总体布局", "第二章 生态保护"] and shown(at) == []
    at = toggle(at, "第一章 总体布局")
    assert shown(at) == ["第一章.一.(一).1", "第一章.一.(一).2", "第一章.二"]
    assert not at.exception


def test_text_deep_link_opens_the_path_and_scrolls_to_the_clause(deep_env):
    at = text_page(plan="deep", c="第一章.一.(一).2")
    assert not at.exception
    assert labels(at) == ["第一章 总体布局", "一 空间结构", "\\(一\\) 核心引领", "\\(二\\) 走廊联通", "第二章 生态保护"]
    assert shown(at) == ["第一章.一.(一).1", "第一章.一.(一).2", "第一章.二"]
    assert any('ghyzt-selected" data-clause="第一章.一.(一).2"' in b for b in html_blocks(at))
    (script,) = at.get("html")
    assert "scrollIntoView" in script.proto.body and ".ghyzt-selected" in script.proto.body
    at.run()  # a rerun on the same clause keeps the reader where they scrolled
    assert not at.get("html")
    # the reader may close what the link opened; it stays closed while the link stays the same
    at = toggle(at, "\\(一\\) 核心引领", False)
    assert "第一章.一.(一).2" not in shown(at) and "一 空间结构" in labels(at)


def test_text_search_opens_the_hits_and_counts_them_on_closed_nodes(deep_env, monkeypatch):
    at = text_page(plan="deep", q="甲县")
    assert not at.exception
    assert shown(at) == ["第一章.一.(一).1", "第一章.一.(一).2", "第一章.一.(二).1", "第一章.一.(二).2", "第一章.二",
                         "第二章.一"]
    assert labels(at) == ["第一章 总体布局 · 2", "一 空间结构 · 2", "\\(一\\) 核心引领 · 1", "\\(二\\) 走廊联通 · 1",
                          "第二章 生态保护 · 1"]
    assert sum(b.count("ghyzt-hl") for b in html_blocks(at)) >= 3
    at = toggle(at, "第一章 总体布局", False)
    assert labels(at) == ["第一章 总体布局 · 2", "第二章 生态保护 · 1"]  # closed, the count still says where
    # a word in most clauses of a long plan opens only the first few (each open clause is sent with its chips)
    monkeypatch.setattr(vm, "TEXT_OPEN_LIMIT", 1)
    at = text_page(plan="deep", q="甲")
    assert shown(at) == ["第一章.一.(一).1", "第一章.一.(一).2", "第一章.二"]
    assert "第一章.一.(二)" not in shown(at) and "第二章 生态保护 · 1" in labels(at)
    assert any("1" in c.value and "甲" in c.value for c in at.caption)


def test_text_opens_the_clauses_citing_the_selected_feature(deep_env):
    at = text_page(plan="deep", f="dp-corridor")
    assert "第一章.一.(二).1" in shown(at) and "第一章.一.(一).1" not in shown(at)
    assert any("ghyzt-hl" in b and 'data-clause="第一章.一.(二).1"' in b for b in html_blocks(at))
    at = text_page(plan="deep", f="dp-510703", c="第二章.一")  # a clause chosen: only its way is opened
    assert shown(at) == ["第二章.一"]


def test_text_expand_and_collapse_all(deep_env):
    at = text_page(plan="deep", c="第二章.一", lang="en")
    assert [b.label for b in at.button] == ["Expand all", "Collapse all"]
    at.button(key="text_expand").click().run()
    assert len(labels(at)) == 5 and len(shown(at)) == 6  # every clause but the bare headings (the labels)
    at.button(key="text_collapse").click().run()
    assert labels(at) == ["第一章 总体布局", "第二章 生态保护"] and shown(at) == []
    assert not at.exception


@needs_layers
def test_a_link_to_a_deleted_draft_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    at = app(plan="draft" + "q" * 38, f="wing-1", z="9")
    assert not at.exception
    assert map_args(at) and at.query_params.get("plan", "mianyang") == "mianyang"  # a valid view: the default plan
    shown = " ".join(i.value for i in at.info)
    assert "未找到此草图链接对应的草图" in shown and "删除" in shown
    assert at.query_params.get("z") == "9"  # what still applies is kept
