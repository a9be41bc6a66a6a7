"""The dashboard's pages under AppTest, and the page logic of geo.view without Streamlit."""

from __future__ import annotations

import json
import re

import folium
import pytest
from streamlit.testing.v1 import AppTest

from geo import view as vm
from geo.text.plans import plan_ids
from geo.view.frameargs import sent_args
from geo.view.state import ViewState
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
    """The arguments the Map page passed to the map frame (docs/architecture.md, "The map frame")."""
    comps = at.get("component_instance")
    assert comps, "no map component on the page"
    return sent_args(comps[0].proto.json_args, comps[0].proto.special_args)


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
    assert row["Plan"] == demo.plan.meta.jurisdiction.name and row["Clauses"] == len(demo.plan.outline.clauses)
    assert row["Core"] == 1 and row["Corridor"] == 1 and row["Admin units"] == 2
    assert row["approximate"] == 1 and row["schematic"] == 1 and row["point"] == 1 and row["inferred"] == 1
    (named,) = vm.overview_rows([demo], "en", {"demo": "Demo City"})
    assert named["Plan"] == "Demo City"


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
    assert vm.with_layer(None, "core", demo.layers) is None  # among the default layers: the link stays short
    # nodes are off by default (#20): picking one names the default layers and the node's
    assert vm.with_layer(None, "node", demo.layers) == (*vm.default_layers(demo.layers), "node")
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
    assert len(links) == 5  # 地图, 条文, 总览, 目录, 导入
    at.switch_page("pages/text.py").run()
    assert not at.exception
    assert dict(at.query_params) == params
    at.switch_page("pages/map.py").run()
    assert command(at)["selected"] == "gz-bri"


@needs_layers
def test_sidebar_widgets_write_the_url():
    # one interaction per AppTest: after a widget callback, the tree AppTest 1.67 returns lacks the sidebar
    # part that dashboard.py fills after the page ran (the browser shows it; tests/browser/test_browser.py)
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
    # nothing inside a closed node is sent: the only links are the five pages', in the sidebar and in the phone's row
    assert shown(at) == [] and not at.get("page_link")[10:]
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


# --------------------------------------------------------------------------- links that last (issue #12)


def sidebar_link_box(at: AppTest) -> str:
    (box,) = at.sidebar.code
    return box.value


@needs_layers
def test_the_url_names_its_plan_from_the_first_load():
    at = app()  # `/`: the default plan, written to the URL at once
    assert not at.exception and at.query_params["plan"] == "mianyang"
    at = app(center="31.5,104.7", z="8")  # an old link without a plan still opens, and gets it
    assert not at.exception and not at.info
    assert (at.query_params["plan"], at.query_params["z"]) == ("mianyang", "8")
    for link in at.sidebar.get("page_link"):  # the page links carry it too
        assert "plan=mianyang" in link.proto.query_string


@needs_layers
def test_the_link_box_says_what_the_link_shows_and_copies_both():
    at = app(plan="guizhou", f="gz-bri", c="一.(二)")
    caption, link = sidebar_link_box(at).split("\n")
    assert caption == "贵州省 · 关于建立更加有效的区域协调发展新机制的实施意见 · 选中：“一带一路”（联系） · 条款 一.(二)"
    assert ViewState.from_url(link)[0].feature == "gz-bri" and "plan=guizhou" in link
    at = app(plan="guizhou", lang="en")  # nothing selected: the plan alone, in English
    caption, _ = sidebar_link_box(at).split("\n")
    assert caption.startswith("Guizhou · ") and "selected" not in caption  # the gazetteer's English name


@needs_layers
def test_a_link_to_a_feature_gone_from_its_plan_names_the_feature_and_the_plan():
    at = app(plan="qujing", f="qj-core-removed")
    assert not at.exception
    (notice,) = at.info
    assert notice.value == r"规划“曲靖市 · 曲靖市促进区域协调发展实施方案”中已没有要素“qj\-core\-removed”，已取消选择。"
    assert "f" not in at.query_params and at.query_params["plan"] == "qujing"  # the rest of the view kept


def meeting_links(at: AppTest) -> dict[str, str]:
    """The Map page's links to other plans naming the selected place: label -> query string."""
    found = (re.fullmatch(r"\[(.*)\]\(/\?(.*)\)", m.value) for m in at.main.markdown)
    return {f.group(1): f.group(2) for f in found if f and ("中查看" in f.group(1) or " in “" in f.group(1))}


@needs_layers
def test_a_county_named_by_other_plans_links_to_each_with_the_place_selected():
    at = app(plan="guizhou", f="gu-nb-500000")  # 重庆市, named by three other plans
    assert not at.exception
    links = meeting_links(at)
    assert len(links) == 3, links
    by_plan = {ViewState.from_query_params(dict(p.split("=", 1) for p in q.split("&")))[0].plan: q
               for q in links.values()}
    assert set(by_plan) == {"mianyang", "wangcang", "qujing"}
    assert "f=qj-rail-yukun-hsr" in by_plan["qujing"]
    assert any("提到重庆市的其他规划（3 份）" in m.value for m in at.markdown)
    assert [e.label for e in at.expander if "规划（" in e.label] == ["市级规划（2 份）", "县级规划（1 份）"]  # by level
    assert any("渝昆高铁" in b and "ghyzt-hl" in b for b in html_blocks(at))  # their clauses, excerpts marked
    # a county no other plan names: no such list
    at = app(plan="wangcang", f="wa-510821")
    assert not at.exception and not meeting_links(at)


@needs_layers
def test_a_saved_plan_naming_the_county_meets_it_too(tmp_path, monkeypatch):
    from geo.importer.draft import draft_plan
    from geo.store import SQLitePlanStore

    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    text = "重庆市推进区域协调发展实施方案\n一、空间格局\n（一）构建“一核”格局。“一核”包括渝中区、江北区。\n（二）深化与苍溪县的合作。"
    d = draft_plan(text)
    j = d.jurisdiction
    store = SQLitePlanStore(tmp_path / "plans.sqlite3")
    jurisdiction = {"adcode": j.adcode, "name": j.name, "level": j.level, "stated": j.stated, "reason": j.reason}
    unlisted = store.save("重庆", text, jurisdiction, d.collection)
    at = app(plan="wangcang", f="wa-nb-510824")  # 苍溪县, a neighbour of 旺苍
    assert not at.exception
    plans = {ViewState.from_query_params(dict(p.split("=", 1) for p in q.split("&")))[0].plan
             for q in meeting_links(at).values()}
    assert "mianyang" in plans and unlisted not in plans, plans  # unlisted: its link only
    store.save("重庆", text, jurisdiction, d.collection, listed=True)  # published again, listed
    at = app(plan="wangcang", f="wa-nb-510824")
    plans = {ViewState.from_query_params(dict(p.split("=", 1) for p in q.split("&")))[0].plan
             for q in meeting_links(at).values()}
    assert {"mianyang", unlisted} <= plans, plans


@needs_layers
def test_a_fresh_machine_builds_the_gazetteer_under_a_status_box(tmp_path, monkeypatch):
    """The dashboard's first run without a gazetteer cache shows the build's stages instead of a frozen page."""
    import shutil

    from geo.places import build as gzm
    from geo.places.gazetteer import _default_cache_dir
    from pages import _resources

    real_cache = _default_cache_dir()
    heard = []

    def build_cache(cache_dir=None, progress=None):
        # the stages of the real build, reported as it reports them; the files copied from the real cache
        for stage, done in gzm.BUILD_STAGES:
            progress(stage, done)
            heard.append(stage)
        shutil.copytree(real_cache, cache_dir, dirs_exist_ok=True)
        progress("done", 1.0)
        return cache_dir

    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(gzm, "build_cache", build_cache)
    monkeypatch.setattr(_resources, "_GAZETTEER_READY", type(_resources._GAZETTEER_READY)())
    at = app(plan="qujing")
    assert not at.exception
    assert heard == [stage for stage, _ in gzm.BUILD_STAGES] and gzm.cache_ready()
    (status,) = at.status
    assert status.label.startswith("地名库缓存已建立（") and status.state == "complete"
    assert (at.progress[0].value, at.progress[0].text) == (100, "完成")
    assert map_args(at)  # and the page goes on
    at = app(plan="qujing")  # the next run checks nothing and shows no box
    assert not at.status


def overview(**params: str) -> AppTest:
    at = app(**params)
    return at.switch_page("pages/overview.py").run()


def test_compare_collections_mark_the_second_plan_and_the_shared_places(demo):
    other = vm.load_plan_data("mianyang")
    outlines = {"510703": ("涪城区", {"type": "Point", "coordinates": [104.7, 31.5]})}
    side_a, side_b = vm.compare_collections(demo, other, "side", outlines)
    marks = lambda cols: [(f["properties"].get("mark"), f["properties"]["plan"]) for fc in cols for f in fc["features"]]
    assert ("shared", "") in marks(side_a) and ("shared", "") in marks(side_b)
    assert {p for m, p in marks(side_a) if m is None} == {demo.id}
    assert {p for m, p in marks(side_b) if m is None} == {"mianyang"}
    over, none = vm.compare_collections(demo, other, "overlay", outlines)
    assert none == []
    overlaid = [f for fc in over for f in fc["features"] if f["properties"].get("mark") == "overlay"]
    assert overlaid and {f["properties"]["plan"] for f in overlaid} == {"mianyang"}
    assert all(f["id"].startswith("overlay:") and f["properties"]["name"].endswith("（绵阳市）") for f in overlaid)
    # the mark is drawn: the overlay's own colour and dashes, whatever the kind
    from geo.view.mapview import MARK_STYLES, layer_groups

    groups = layer_groups(over)
    rendered = folium.Map(location=[30, 104])
    for g in groups.values():
        g.add_to(rendered)
    html_text = rendered.get_root().render()
    assert MARK_STYLES["overlay"]["color"] in html_text and MARK_STYLES["shared"]["color"] in html_text


@needs_layers
def test_overview_compares_two_plans_side_by_side_or_overlaid_and_lists_shared_places():
    at = overview(plan="qujing", vs="guizhou")
    assert not at.exception
    assert len(at.get("component_instance")) == 3  # the overview map and two maps side by side
    shared = at.dataframe[-1].value
    assert "曲靖市" in list(shared["名称"]) and "昭通市" in list(shared["名称"])
    zhaotong = shared[shared["名称"] == "昭通市"].iloc[0]
    assert zhaotong.iloc[2] == "四.(一)"  # 贵州's clause about 昭通 (盘州—威宁—昭通)
    args = [sent_args(c.proto.json_args, c.proto.special_args) for c in at.get("component_instance")[1:]]
    assert all("#e66101" in a["feature_group"] for a in args)  # shared places outlined on both maps
    at.radio(key="ov_vsmode").set_value("overlay").run()
    assert not at.exception and at.query_params["vsmode"] == "overlay" and at.query_params["vs"] == "guizhou"
    comps = at.get("component_instance")
    assert len(comps) == 2  # the overview map and one map with 贵州 over 曲靖
    fg = sent_args(comps[1].proto.json_args, comps[1].proto.special_args)["feature_group"]
    assert "overlay:" in fg and "#542788" in fg
    at = overview(plan="qujing", vs="guizhou")
    at.selectbox(key="ov_vs").set_value("").run()
    assert not at.exception and "vs" not in at.query_params and len(at.get("component_instance")) == 1


@needs_layers
def test_a_comparison_with_an_unknown_plan_says_so_and_shows_none():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(plan="qujing", vs="nowhere")
    at.switch_page("pages/overview.py").run()  # the link opens on the Overview page
    assert not at.exception
    assert any("nowhere" in i.value for i in at.info) and len(at.get("component_instance")) == 1


def test_share_caption_is_one_line_naming_plan_feature_and_clause(demo):
    fid = next(iter(demo.features))
    props = demo.features[fid]["properties"]
    caption = vm.share_caption(demo, fid, "不存在", "zh", draft=True)
    assert "\n" not in caption and caption.startswith("草图（未发布） · ")
    assert vm.feature_name(props).split()[0] in caption and "条款" not in caption  # an unknown clause is left out
    assert vm.share_caption(demo, None, None, "en") == " ".join(vm.plan_title(demo, "en").split())


def test_the_text_page_draws_a_clauses_boxes_as_tables(tmp_path, monkeypatch):
    from tests.conftest import DEMO_YAML, demo_layers, point_dashboard_at, write_plan

    text = ("测试市规划纲要\n第一章 产业\n\n第一节 制造\n\n发展甲县。\n"
            "专栏1  主要指标\n序号\t指标\t属性\n1\t地区<b>生产</b>总值{{7*7}}\t预期性\n\n第二节 服务\n\n内容。\n")
    point_dashboard_at(write_plan(tmp_path, "demo", text, DEMO_YAML, demo_layers()), monkeypatch)
    at = text_page(plan="demo", c="第一章.第一节")
    assert not at.exception, at.exception
    tables = [b for b in html_blocks(at) if '<table class="ghyzt-table">' in b]
    assert tables and "<caption>专栏1 主要指标</caption>" in tables[0]
    assert "<td>地区&lt;b&gt;生产&lt;/b&gt;总值&#123;&#123;7*7&#125;&#125;</td>" in tables[0]
