"""Import a plan and edit its draft on the Map page: AppTest of the dashboard, and a browser importing a hostile text."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from geo.store import SQLitePlanStore
from geo.text.decode import MAX_TEXT_BYTES
from geo.view.frameargs import sent_args
from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")

PLAN = """长沙市推进区域协调发展实施方案
一、空间格局
（一）构建“一核两翼”格局。“一核”包括岳麓区、天心区、开福区。北翼以望城区为重点，南翼以长沙县为重点。
（二）推进长株潭一体化，打造长沙—株洲—湘潭发展轴。
二、开放合作
（三）主动融入粤港澳大湾区，深化与武汉的合作，加快浏阳经济技术开发区建设。
"""

#: Markup a pasted plan may carry: it must show as text everywhere and never run.
HOSTILE = """<script>alert('title')</script>长沙市推进区域协调发展实施方案<img src=x onerror=alert('img')>
一、空间格局<script>alert(1)</script>
（一）构建“一核两翼”格局。“一核”包括岳麓区<img src=x onerror=alert('core')>、天心区、开福区。详见[链接](javascript:alert('md'))。
（二）推进长株潭一体化，打造长沙—株洲—湘潭<svg onload=alert('svg')>发展轴。<a href="javascript:alert('a')">点此</a>
二、开放合作
（三）深化与武汉<iframe src="javascript:alert('frame')"></iframe>的合作，加快浏阳经济技术开发区建设。
（四）北翼以望城区为重点<b onmouseover=alert('b')>加粗</b>。
"""


@pytest.fixture
def page(tmp_path, monkeypatch):
    """The dashboard on its Import page, saving into a store of its own."""
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    return at.switch_page("pages/import.py").run()


def draft_from(at: AppTest, text: str) -> AppTest:
    at.text_area(key="imp_paste").input(text)
    return at.button[0].click().run()


def on_map(at: AppTest) -> AppTest:
    """Click "Open on the map"; the page switches to the Map page with the draft's id in the URL."""
    at.button(key="imp_open").click().run()
    assert not at.exception, at.exception
    assert at.session_state["ghyzt_page"] == "map"
    # AppTest asks for the page it was last switched to on every run; follow the app's own switch
    return at.switch_page("pages/map.py").run()


def drafted_map(at: AppTest, text: str = PLAN) -> AppTest:
    return on_map(draft_from(at, text))


def current(at: AppTest):
    """The draft revision in view."""
    return at.session_state["ghyzt_drafts"][at.query_params["plan"]]


def fid(at: AppTest, name: str) -> str:
    return next(f["id"] for f in current(at).collection["features"] if f["properties"]["name"] == name)


def picker(at: AppTest):
    """The edit panel's feature picker (one per revision)."""
    return at.selectbox(key=f"edit_feature_{at.query_params['plan']}")


def map_args(at: AppTest) -> dict:
    comps = at.get("component_instance")
    assert comps, "no map on the page"
    return sent_args(comps[0].proto.json_args, comps[0].proto.special_args)


def html_blocks(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.proto.allow_html]


def test_starts_with_the_input_only(page):
    assert not page.exception
    assert page.text_area(key="imp_paste") is not None
    assert not page.get("component_instance")
    assert any("5 MB" in c.value for c in page.caption)  # the size limit is stated


def test_empty_input_is_a_message_not_a_traceback(page):
    page.button[0].click().run()
    assert not page.exception
    assert [e.value for e in page.error] and page.error[0].value.startswith("没有可读取的文本：请粘贴规划文本")
    assert "20 MB" in page.error[0].value and "类型不被接受" in page.error[0].value  # why an upload may be missing


def test_drafting_shows_its_stages_and_ends_complete(page, monkeypatch):
    from geo.importer import draft as dr

    heard = []
    real = dr.draft_plan

    def spy(*args, progress=None, **kw):
        return real(*args, progress=lambda stage: (heard.append(stage), progress(stage)), **kw)

    monkeypatch.setattr(dr, "draft_plan", spy)
    text = PLAN + "（四）加快宁乡经济技术开发区建设。\n"  # a text of its own: not drafted by another test already
    at = draft_from(page, text)
    assert not at.exception
    assert heard == ["clauses", "places", "structure"]  # the stages draft_plan went through, each reported
    (status,) = at.status
    assert status.label.startswith("草图已生成（") and status.state == "complete"
    (bar,) = at.progress
    assert (bar.value, bar.text) == (100, "完成")
    assert at.session_state["ghyzt_draft"].startswith("draft")
    # nothing to draft: the same box says so, and the message is below it
    at.text_area(key="imp_paste").input("")
    at.button[0].click().run()
    assert (at.status[0].label, at.status[0].state) == ("未能生成草图", "error")
    assert at.error[0].value.startswith("没有可读取的文本")


def test_the_page_speaks_english_on_the_switch(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at = at.switch_page("pages/import.py").run()
    assert at.title[0].value == "Import a plan"
    assert not any("\u4e00" <= ch <= "\u9fff" for c in at.caption for ch in c.value if c.value)  # no Chinese
    at.button[0].click().run()
    assert at.error[0].value.replace("\\", "").startswith("There is no text to read: paste a plan text, or upload")
    at = draft_from(at, PLAN)
    assert at.button(key="imp_open").label == "Open on the map"


def test_too_large_a_paste_is_refused(page):
    at = draft_from(page, PLAN + "区" * (MAX_TEXT_BYTES // 3))
    assert not at.exception
    assert "文本过长" in at.error[0].value and "ghyzt_drafts" not in at.session_state


def test_a_pasted_plan_becomes_a_draft(page):
    at = draft_from(page, PLAN)
    assert not at.exception, at.exception
    texts = [t.value for t in at.text]
    assert any("长沙市推进区域协调发展实施方案" in t for t in texts)
    assert any("标题写明" in t for t in texts)  # the jurisdiction and why
    assert {"一核", "北翼", "南翼"} <= set(at.dataframe[0].value["name"])
    assert not at.get("component_instance")  # the map, and editing, are the Map page's
    assert at.button(key="imp_open").label == "在地图上查看和编辑"  # Chinese first


@pytest.mark.parametrize(
    "lang, words",
    [("zh", [".txt", ".docx", ".pdf", "20 MB", "5 MB", "另存为 .docx", "Big5", "UTF-16", "红色"]),
     ("en", [".txt", ".docx", "PDF with a text layer", "20 MB", "5 MB", "as .docx", "Big5", "UTF-16", "red"])],
)
def test_the_uploader_states_types_limits_and_the_doc_advice(tmp_path, monkeypatch, lang, words):
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at = at.switch_page("pages/import.py").run()
    caption = next(c.value for c in at.caption if ".docx" in c.value and "MB" in c.value)
    for word in words:
        assert word in caption, word


def test_the_uploader_lets_doc_and_images_through_to_be_refused_with_the_reason():
    from geo.text.decode import UPLOAD_TYPES, UPLOADER_TYPES, PlanTextError, decode_upload

    assert set(UPLOAD_TYPES) < set(UPLOADER_TYPES) and {"doc", "wps", "png", "jpg"} <= set(UPLOADER_TYPES)
    for name, data, reason in [("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "save as .docx"),
                               ("plan.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "save as .docx"),
                               ("scan.jpg", b"\xff\xd8\xff\xe0" + bytes(200), "run OCR"),
                               ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "run OCR")]:
        with pytest.raises(PlanTextError, match=reason):
            decode_upload(name, data)


def test_a_pasted_traditional_text_is_converted_and_the_planner_told(page):
    import opencc

    at = draft_from(page, opencc.OpenCC("s2tw").convert(PLAN))
    assert not at.exception, at.exception
    assert any("转换为简体" in i.value for i in at.info)
    assert {"一核", "北翼", "南翼"} <= set(at.dataframe[0].value["name"])


def test_a_markup_first_line_leaves_the_real_title(page):
    at = draft_from(page, "<script>alert(1)</script>\n{{7*7}}\n" + PLAN)
    assert not at.exception, at.exception
    assert any(t.value.startswith("长沙市推进区域协调发展实施方案\n") for t in at.text)
    assert at.session_state["ghyzt_drafts"][at.session_state["ghyzt_draft"]].title == "长沙市推进区域协调发展实施方案"


def test_a_draft_with_nothing_to_draw_says_where_to_fix_it(page):
    at = draft_from(page, "关于加强管理的意见\n一、总则\n加强管理。\n二、要求\n落实责任。")
    assert not at.exception and "请检查辖区" in at.warning[0].value
    at = on_map(at)
    assert not at.exception and "辖区" in at.warning[0].value and not at.get("component_instance")


def test_the_planner_picks_another_jurisdiction(page):
    at = draft_from(page, PLAN)
    at.text_input(key="imp_q").input("湖南").run()
    assert at.selectbox(key="imp_hit").value == "430000"
    at.button(key="imp_hit_go").click().run()
    assert not at.exception
    draft = at.session_state["ghyzt_drafts"][at.session_state["ghyzt_draft"]]
    assert draft.adcode == "430000"
    # redrawn under the same status box as a first draft, and said so
    assert at.status[0].state == "complete" and any(i.value.startswith("已按新辖区重新生成草图") for i in at.info)


def test_the_draft_opens_on_the_map_page(page):
    at = drafted_map(page)
    plan = at.query_params["plan"]
    assert re.fullmatch(r"draft[a-z]{38}", plan)
    args = map_args(at)
    assert "ghyztMap" in args["script"] and "wing-1" in args["feature_group"]
    assert not [u for u in args["js_links"] + args["css_links"] if u.startswith(("http:", "https:", "//"))]
    assert at.sidebar.get("pills"), "layer panel missing"
    captions = [c.value for c in at.caption]
    assert any("草图（未发布）" in c and "长沙市推进区域协调发展实施方案" in c for c in captions)
    assert any("私人草图链接" in c and "请勿分享" in c for c in captions)  # the link is its author's
    assert picker(at).value is None
    # a click on a feature (as the map reports it) shows its clauses, excerpt marked, below the map
    at.query_params["f"] = fid(at, "北翼")
    at.run()
    assert any("ghyzt-hl" in b and "北翼以望城区为重点" in b for b in html_blocks(at))
    assert picker(at).value == fid(at, "北翼")
    # the search and the Text page work on a draft as on any plan
    at.query_params["q"] = "浏阳"
    at.run()
    assert not at.exception and any("ghyzt-hl" in b for b in html_blocks(at))
    at.switch_page("pages/text.py").run()
    assert not at.exception and at.query_params["plan"] == plan


def test_rename_and_rekind(page):
    at = drafted_map(page)
    wing = fid(at, "北翼")
    picker(at).set_value(wing).run()
    before = at.query_params["plan"]
    assert at.query_params["f"] == wing
    at.text_input(key=f"edit_name_{before}_{wing}").input("北翼（望城）")
    at.selectbox(key=f"edit_kind_{before}_{wing}").set_value("zone")
    next(b for b in at.button if "改名" in b.label).click().run()
    assert not at.exception
    after = at.query_params["plan"]
    assert after != before and at.query_params["f"] == wing  # a new revision, the feature still selected
    props = current(at).feature(wing)["properties"]
    assert (props["name"], props["kind"]) == ("北翼（望城）", "zone")
    assert props["excerpts"] == at.session_state["ghyzt_drafts"][before].feature(wing)["properties"]["excerpts"]
    at.button(key="edit_undo").click().run()
    assert at.query_params["plan"] == before and current(at).feature(wing)["properties"]["name"] == "北翼"


def test_add_a_place_by_clicking_a_county(page):
    at = drafted_map(page)
    wing = fid(at, "北翼")
    picker(at).set_value(wing).run()
    at.button(key="edit_add").click().run()
    assert at.info and "浏阳" not in at.info[0].value
    at.query_params["f"] = "a-430181"  # the map reports a click on 浏阳市
    at.run()
    assert not at.exception, at.exception
    assert at.query_params["f"] == wing  # the feature stays selected, redrawn with its new member
    assert current(at).feature(wing)["properties"]["members"] == ["430112", "430181"]
    assert any("已把 浏阳市 加入" in s.value for s in at.success)
    assert any("浏阳市" in c.value for c in at.caption if c.value.startswith("成员"))
    at.query_params["f"] = "a-430181"  # clicked again: already there, nothing changes
    at.run()
    assert current(at).feature(wing)["properties"]["members"] == ["430112", "430181"]
    assert any("已在" in i.value for i in at.info)


def test_merge_and_delete(page):
    at = drafted_map(page)
    north, south = fid(at, "北翼"), fid(at, "南翼")
    picker(at).set_value(north).run()
    at.multiselect(key=f"edit_merge_{at.query_params['plan']}_{north}").set_value([south]).run()
    at.button(key="edit_merge").click().run()
    assert not at.exception
    merged = current(at).feature(north)["properties"]
    assert merged["name"] == "北翼、南翼" and merged["members"] == ["430112", "430121"]
    assert current(at).feature(south) is None
    at.button(key="edit_delete").click().run()
    assert not at.exception
    assert current(at).feature(north) is None and "f" not in at.query_params
    assert any(f["properties"]["kind"] == "admin" for f in current(at).collection["features"])  # the base stays


def test_save_puts_the_stored_id_in_the_url(page, tmp_path):
    at = drafted_map(page)
    wing = fid(at, "北翼")
    picker(at).set_value(wing).run()
    at.button(key="edit_add").click().run()
    at.query_params["f"] = "a-430181"
    at.run()
    edited = current(at)
    at.button(key="edit_save").click().run()
    assert not at.exception
    pid = at.query_params["plan"]
    assert re.fullmatch(r"[a-z]{16}", pid) and at.query_params["f"] == wing
    assert any("已发布" in s.value for s in at.success)
    stored = SQLitePlanStore(tmp_path / "plans.sqlite3").get(pid)
    assert stored.text == PLAN and stored.layers["features"] == [
        {**f, "properties": {**f["properties"], "plan": pid}} for f in edited.collection["features"]]
    assert not [s for s in at.selectbox if s.key.startswith("edit_feature")]  # a saved plan is not edited in place …
    at.button(key="edit_reopen").click().run()  # … but opens again as a draft
    assert not at.exception
    assert current(at).feature(wing)["properties"]["members"] == ["430112", "430181"]
    assert any(pid in c.value for c in at.caption)  # "published as …, unchanged"
    at.switch_page("pages/import.py").run()
    assert any(pid in s.value for s in at.success)


def test_hostile_text_is_shown_as_text(page):
    at = draft_from(page, HOSTILE)
    assert not at.exception, at.exception
    for md in at.markdown:
        assert not md.proto.allow_html or "<script" not in md.value
    for el in list(at.markdown) + list(at.caption) + list(at.error) + list(at.info):
        assert not re.search(r"(?<!\\)\]\(javascript", str(el.value or ""))
    at = on_map(at)
    core = fid(at, "一核")
    at.query_params["f"] = core
    at.run()
    assert not at.exception, at.exception
    blocks = html_blocks(at)
    assert any("&lt;img src=x onerror=alert(&#x27;core&#x27;)&gt;" in b for b in blocks)
    for block in blocks:  # HTML: tags of the text escaped; its Markdown is literal text inside our <div>
        assert "<img" not in block and "<script" not in block.replace("<style>", "")
        assert "<svg" not in block and "<iframe" not in block
        assert "javascript:" not in re.sub(r"[^<]*", "", block)  # never inside a tag
    for el in [m for m in at.markdown if not m.proto.allow_html] + list(at.caption) + list(at.info):
        assert not re.search(r"(?<!\\)\]\(javascript", str(el.value or ""))
    args = map_args(at)
    for tag in ("<script>alert", "<img src=x", "<svg onload", "<iframe"):
        assert tag not in args["script"] and tag not in (args.get("feature_group") or "")


# --------------------------------------------------------------------------- durable drafts


@pytest.fixture
def store_env(any_store, monkeypatch):
    """The dashboard on a store of each backend; ``restart()`` drops the process's store objects, as a
    restarted server has none (the next run opens the same database anew)."""
    import geo.store

    if isinstance(any_store, SQLitePlanStore):
        monkeypatch.delenv("GEO_STORE_URL", raising=False)
        monkeypatch.setenv("GEO_STORE_PATH", any_store.path)
    else:
        monkeypatch.setenv("GEO_STORE_URL", any_store.url)

    def restart():
        for opened in list(geo.store._STORES.values()):
            opened.close()
        geo.store._STORES.clear()

    restart()
    yield restart
    restart()


def fresh(plan: str, page: str | None = None) -> AppTest:
    """A new browser session opening a link: a reload, a reopened tab, or the link on another machine."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["plan"] = plan
    at.run()
    return at.switch_page(page).run() if page else at


def test_a_draft_link_reopens_the_draft_with_its_undo_history_after_a_restart(store_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at = drafted_map(at.switch_page("pages/import.py").run())
    first = at.query_params["plan"]
    wing = fid(at, "北翼")
    picker(at).set_value(wing).run()
    at.text_input(key=f"edit_name_{first}_{wing}").input("北翼（望城）")
    next(b for b in at.button if "改名" in b.label).click().run()
    renamed = at.query_params["plan"]
    assert renamed != first and not at.warning  # autosaved: no fault shown
    store_env()  # the server restarts
    again = fresh(renamed, "pages/map.py")
    assert not again.exception, again.exception
    assert again.query_params["plan"] == renamed  # the draft, not the default plan
    assert current(again).feature(wing)["properties"]["name"] == "北翼（望城）"
    captions = " ".join(c.value for c in again.caption)
    assert "私人草图链接" in captions and "请勿分享" in captions
    assert not again.button(key="edit_undo").disabled  # the undo history came back with it
    again.button(key="edit_undo").click().run()
    assert again.query_params["plan"] == first and current(again).feature(wing)["properties"]["name"] == "北翼"
    # the undo is autosaved too: the draft's link now reopens it where its author left it
    store_env()
    third = fresh("draft" + current(again).token + "zzzzzzzzzz", "pages/map.py")
    assert third.query_params["plan"] == first


def test_my_drafts_lists_this_browsers_drafts_and_deletes_one(store_env):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at = draft_from(at.switch_page("pages/import.py").run(), PLAN)
    token = current_import(at).token
    assert any("我的草图 · 1" in e.label for e in at.expander)
    assert any("长沙市推进区域协调发展实施方案" in x.value and "最近修改或打开" in x.value for x in at.text)
    at.button(key=f"imp_del_{token}").click().run()
    assert not at.exception
    assert any("已删除草图" in i.value for i in at.info)
    assert not any("我的草图" in e.label for e in at.expander)
    assert "ghyzt_draft" not in at.session_state
    from geo.store import default_store

    assert default_store().get_draft(token) is None


def current_import(at: AppTest):
    return at.session_state["ghyzt_drafts"][at.session_state["ghyzt_draft"]]


def test_a_read_only_store_keeps_the_edits_in_the_page_until_it_is_back(tmp_path, monkeypatch):
    path = tmp_path / "plans.sqlite3"
    monkeypatch.delenv("GEO_STORE_URL", raising=False)
    monkeypatch.setenv("GEO_STORE_PATH", str(path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at = drafted_map(at.switch_page("pages/import.py").run())
    token = current(at).token
    wing = fid(at, "北翼")
    monkeypatch.setenv("GEO_STORE_PATH", f"file:{path}?mode=ro")  # the store's disk is remounted read-only
    picker(at).set_value(wing).run()
    at.button(key="edit_delete").click().run()
    assert not at.exception
    deleted = at.query_params["plan"]
    assert current(at).feature(wing) is None  # the edit is made, in the page
    assert any("自动保存失败" in w.value and "只读" in w.value for w in at.warning)
    at.button(key="edit_save").click().run()  # publishing fails the same way, with a message
    assert any("发布失败" in e.value for e in at.error) and at.query_params["plan"] == deleted
    assert SQLitePlanStore(path).get_draft(token).head != deleted  # nothing of it reached the store
    monkeypatch.setenv("GEO_STORE_PATH", str(path))  # the store is back
    at.button(key="edit_retry").click().run()
    assert not at.exception and any("已保存到服务器" in s.value for s in at.success)
    assert not at.warning
    stored = SQLitePlanStore(path).get_draft(token)
    assert stored.head == deleted and deleted in [r.id for r in stored.revisions]


@pytest.mark.parametrize("link", ["draft" + "q" * 38, "abcdefghijklmnop"], ids=["draft", "published"])
def test_an_unreachable_store_says_so_when_a_link_is_opened(monkeypatch, link):
    from tests.pgserver import _free_port

    monkeypatch.setenv("GEO_STORE_URL", f"postgresql://postgres@127.0.0.1:{_free_port()}/nothing")
    import geo.store

    geo.store._STORES.clear()
    at = fresh(link)
    assert not at.exception
    shown = " ".join(i.value for i in at.info)
    assert "无法打开链接中的规划或草图" in shown and "无法连接规划存储" in shown
    assert "未找到" not in shown  # not "there is no such plan": the store is away
