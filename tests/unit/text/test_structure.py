"""Whole plans (issue 18): the 目录, 篇 > 章 > 节, 专栏, a two-line title, a notice wrapper, site furniture."""

import importlib.util
import re
from pathlib import Path

import pytest

from geo.text.clauses import parse_outline
from geo.text.structure import find_boxes, set_aside_contents

ROOT = Path(__file__).resolve().parents[3]
BODY = "第一章  发展基础\n\n“十四五”时期，全市经济总量持续突破。\n\n第二章  总体要求\n\n坚持稳中求进。\n"


@pytest.mark.parametrize(
    "text, ids",
    [
        # a 目录 with page numbers, headed
        ("X市发展规划纲要\n\n目    录\n\n第一章  发展基础    1\n第二章  总体要求    7\n\n" + BODY, ["第一章", "第二章"]),
        # spaced 目 录 without page numbers, entries apart by blank lines, a 前言 repeated by the body
        ("X市发展规划纲要\n\n目 录\n\n前 言\n\n第一章 发展基础\n\n第二章 总体要求\n\n前 言\n\n序文在此。\n\n" + BODY,
         ["序", "第一章", "第二章"]),
        # no header: lines with a chapter number and a page number (dot leaders too)
        ("X市发展规划纲要\n第一章  发展基础……………1\n第二章  总体要求……………7\n第三章  保障…………9\n\n" + BODY,
         ["第一章", "第二章"]),
    ],
)
def test_contents_never_become_clauses(text, ids):
    outline = parse_outline(text)
    assert [c.id for c in outline.clauses] == ids
    assert all(c.text for c in outline.clauses)
    assert any(r.kind == "contents" for r in outline.repairs)
    assert outline.contents[0].replace(" ", "") in ("第一章发展基础", "前言")


@pytest.mark.parametrize(
    "text, ids",
    [
        # 篇 > 章 > 节, chapter numbers restarting in each 篇; a 篇 heading over two lines
        (("第一篇  聚焦走在前做示范，\n推进新实践\n\n引言。\n\n第一章  发展基础\n\n内容。\n\n第一节  指导思想\n\n内容。\n\n"
         "第二篇  产业\n\n第一章  制造业\n\n内容。\n\n第一节  传统产业\n\n内容。\n"),
         ["第一篇", "第一篇.第一章", "第一篇.第一章.第一节", "第二篇", "第二篇.第一章", "第二篇.第一章.第一节"]),
        # chapter numbers running on across 篇
        ("第一篇 总论\n\n第一章 基础\n\n内容。\n\n第二篇 产业\n\n第二章 制造\n\n内容。\n",
         ["第一篇", "第一篇.第一章", "第二篇", "第二篇.第二章"]),
        # 第X篇 inside a sentence is a reference, not a part
        ("第一章 基础\n\n详见本规划第二篇。\n\n第二章 制造\n\n内容。\n", ["第一章", "第二章"]),
    ],
)
def test_parts(text, ids):
    outline = parse_outline(text)
    assert [c.id for c in outline.clauses] == ids
    assert outline.clauses[0].heading in ("聚焦走在前做示范，推进新实践", "总论", "基础")


@pytest.mark.parametrize(
    "box, rows",
    [
        ("专栏3  “1026”先进制造业集群体系\n产业集群    产业链\n1．人工智能    1．工业软件\n    2．信创\n",
         [("产业集群", "产业链"), ("1．人工智能", "1．工业软件"), ("2．信创",)]),
        ("专栏1  主要指标\n序号\t指标\t属性\n1\t地区生产总值\t预期性\n\n注：带〔〕数据表示累计值\n",
         [("序号", "指标", "属性"), ("1", "地区生产总值", "预期性"), ("注：带〔〕数据表示累计值",)]),
    ],
)
def test_boxes_are_tables_of_their_clause(box, rows):
    text = f"第一章 产业\n\n第一节 制造\n\n发展南京港。\n{box}\n第二节 服务\n\n内容。\n"
    outline = parse_outline(text)
    assert [c.id for c in outline.clauses] == ["第一章", "第一章.第一节", "第一章.第二节"]
    section = outline.clause("第一章.第一节")
    assert [list(r) for r in section.tables[0].rows] == [list(r) for r in rows]
    assert "专栏" not in section.text and section.text == "发展南京港。"
    assert find_boxes(text)[0].label.startswith("专栏")


@pytest.mark.parametrize(
    "head, title",
    [
        ("南京市国民经济和社会发展\n第十五个五年规划纲要\n\n", "南京市国民经济和社会发展第十五个五年规划纲要"),
        ("X市\n国土空间总体规划（2021—2035年）\n\n", "X市国土空间总体规划（2021—2035年）"),
        # a notice wrapper before the plan's own title
        (("南京市人民政府关于印发《南京市国民经济和社会发展第十五个五年规划纲要》的通知\n各区人民政府，市府各委办局：\n"
         "现将《南京市国民经济和社会发展第十五个五年规划纲要》印发给你们，请认真贯彻执行。\n南京市人民政府\n2026年2月1日\n\n"
         "南京市国民经济和社会发展\n第十五个五年规划纲要\n\n"), "南京市国民经济和社会发展第十五个五年规划纲要"),
        # a news site's furniture before and around the title
        (("深圳市国民经济和社会发展第十五个五年规划纲要\n\n 搜索 \n\n 数字报 \n\n 深圳号 \n\n"
         "深圳市国民经济和社会发展第十五个五年规划纲要\n\n05-26 11:30\n\n读特客户端\n\n读特在线，您的新闻观察眼\n\n摘要\n\n"
         "推动城市内涵式发展。\n\n2026年5月\n\n目 录\n\n第一章  发展基础\n\n第二章  总体要求\n\n"),
         "深圳市国民经济和社会发展第十五个五年规划纲要"),
        ("责任编辑：张三\n打印\n分享\nX市发展规划纲要\n\n", "X市发展规划纲要"),
    ],
)
def test_title_wrapper_and_furniture(head, title):
    outline = parse_outline(head + BODY)
    assert outline.title == title
    assert [c.id for c in outline.clauses] == ["第一章", "第二章"]
    for word in ("搜索", "数字报", "客户端", "摘要", "关于印发", "各区人民政府", "责任编辑", "打印"):
        assert word not in outline.text
    if "关于印发" in head:
        assert any(r.kind == "wrapper" for r in outline.repairs)


def test_contents_set_aside_keep_their_words():
    repairs = []
    text, entries = set_aside_contents("目录\n第一章 总则 1\n第二章 布局 3\n第一章 总则\n正文。", repairs)
    assert text == "第一章 总则\n正文。" and entries == ("第一章 总则", "第二章 布局")
    assert repairs[0].original == "目录\n第一章 总则 1\n第二章 布局 3"


# --- the whole plans, when the folder is there ---------------------------------------------------------------

_spec = importlib.util.spec_from_file_location("long_plans", ROOT / "bench" / "long_plans.py")
long_plans = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(long_plans)
FOLDER = long_plans.default_folder()
EXPECTED = {"nanjing-15th.txt": ("南京市国民经济和社会发展第十五个五年规划纲要", "320100", True),
            "shenzhen-15th.txt": ("深圳市国民经济和社会发展第十五个五年规划纲要", "440300", False)}


@pytest.mark.slow
@pytest.mark.skipif(FOLDER is None, reason="no folder of long plans (../shared/long-plans)")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_long_plans(name):
    from geo.places.gazetteer import load_gazetteer

    title, adcode, parts = EXPECTED[name]
    raw = (FOLDER / name).read_text("utf-8")
    m = long_plans.measure(raw, load_gazetteer())
    outline = parse_outline(raw)
    assert m["title"] == title and m["jurisdiction"][0] == adcode
    assert m["contents"] > 50 and not m["empty"]  # the 目录 set aside, no clause made of it
    assert m["largest_share"] <= 0.10
    assert ("part" in m["levels"]) == parts
    # every 篇/章/节 heading of the body is a clause
    heads = re.findall(r"^第[一二三四五六七八九十百]+[篇章节]", outline.text, re.MULTILINE)
    assert len(heads) == sum(m["levels"].get(k, 0) for k in ("part", "chapter", "section"))
    assert m["seconds"] / len(raw) * 100_000 <= 5 * 2  # 5 s per 100,000 characters, with room for a busy machine
