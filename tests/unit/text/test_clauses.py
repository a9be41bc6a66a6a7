"""Clause parsing: numbering styles, page markers, OCR slips, furniture, headings, and the five outlines."""

from collections import Counter

import pytest

from geo.text.clauses import clean_text, cn_to_int, int_to_cn, parse_outline, split_heading
from geo.text.plans import load_plan, plan_ids


@pytest.mark.parametrize(
    "line, title",
    [
        # a plan named by its role with its unit in brackets: the unit is in the title (the jurisdiction reads it)
        ("北京城市副中心（通州区）国民经济和社会发展第十四个五年规划纲要",
         "北京城市副中心（通州区）国民经济和社会发展第十四个五年规划纲要"),
        ("某某新区(甲县)国土空间总体规划（2021—2035年）", "某某新区(甲县)国土空间总体规划"),
        ("甲旗国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要",
         "甲旗国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要"),
    ],
)
def test_a_title_may_hold_its_unit_in_brackets(line, title):
    """(and the line's title runs to its last title word: …第十四个五年规划和二〇三五年远景目标纲要)"""
    outline = parse_outline(line + "\n第一章 总体要求\n推动高质量发展。")
    assert outline.title == title
    assert [c.id for c in outline.clauses] == ["第一章"]


@pytest.mark.parametrize(
    "text, ids",
    [
        ("一、总则\n(一)目的。为了X。\n(二)范围。本市。\n二、要求\n(一)总体。加强。",
         ["一", "一.(一)", "一.(二)", "二", "二.(一)"]),
        ("一、总则\n（一）目的。为了X。\n（二）范围。本市。", ["一", "一.(一)", "一.(二)"]),
        ("一、总则\n1.目的。为了X。\n2.范围。本市。", ["一", "一.1", "一.2"]),
        ("一、总则\n1 .目的。为了X。\n2 .范围。本市。", ["一", "一.1", "一.2"]),
        ("一、总则\n1、目的。为了X。\n2、范围。本市。", ["一", "一.1", "一.2"]),
        ("一、总则\n1．目的。为了X。\n（1）细则。内容。\n（2）再则。内容。", ["一", "一.1", "一.1.(1)", "一.1.(2)"]),
        ("第一章 总则\n第一节 目的\n一、背景。内容。\n第二节 范围\n一、区域。内容。",
         ["第一章", "第一章.第一节", "第一章.第一节.一", "第一章.第二节", "第一章.第二节.一"]),
        ("第十二章 保障\n一、组织。加强领导。", ["第十二章", "第十二章.一"]),
        # Numbering that runs on across sections (001) and restarts in each (004).
        ("一、甲\n(一)子。文。\n二、乙\n(二)子。文。", ["一", "一.(一)", "二", "二.(二)"]),
        ("一、甲\n(一)子。文。\n二、乙\n(一)子。文。", ["一", "一.(一)", "二", "二.(一)"]),
    ],
)
def test_numbering_styles(text, ids):
    assert [c.id for c in parse_outline(text).clauses if c.id != "序"] == ids


@pytest.mark.parametrize(
    "text, not_a_clause",
    [
        ("一、总则\n(一)目的。发展一、二、三产业融合。\n(二)范围。本市。", "一.(一).二"),
        ("一、总则\n(一)目的。推进G5、G108改造。\n(二)范围。本市。", "一.(一).5"),
        ("一、总则\n(一)目的。增长1.5倍，建成105平方公里。\n(二)范围。本市。", "一.(一).1"),
        ("一、总则\n(一)目的。到2025年。\n(二)范围。本市。", "一.(一).2025"),
    ],
)
def test_numbers_inside_sentences_are_not_clauses(text, not_a_clause):
    ids = [c.id for c in parse_outline(text).clauses]
    assert not_a_clause not in ids
    assert ids[-2:] == ["一.(一)", "一.(二)"]


@pytest.mark.parametrize(
    "raw, cleaned",
    [
        ("1、健全城乡统筹、区域协\n2、作的体制机制\n3、完善", "健全城乡统筹、区域协作的体制机制完善"),
        ("1、第一页\n2、第二页\n3、第三页\n4、第四页", "第一页第二页第三页第四页"),
        # A numbered list that is not a page run is left alone.
        ("前言\n1、只有一项\n正文", "前言\n1、只有一项\n正文"),
    ],
)
def test_page_markers_are_removed_and_words_rejoined(raw, cleaned):
    assert clean_text(raw)[0] == cleaned


@pytest.mark.parametrize(
    "text, clause_id, heading",
    [
        ("一、把握要求L总体要求。以X为指导。2 .主要目标。到2022年。", "一.1", "总体要求"),
        (("一、甲\n1.子。文。\n2.子。文。\n3.子。文。\n4.子。文。\n5.子。文。\n6.子。文。\n7.子。文。\n8.子。文。\n"
         "9.子。文。\n10.子。文。IL积极对接沈阳。主动抢抓机遇。"), "一.11", "积极对接沈阳"),
        ("一、把握要求L总体要求。以X为指导。2 .主要目标。到2022年。", "一.2", "主要目标"),
        ("一、甲\n1.子。文。\n二深化城乡融合发展3 .积极畅通。着眼促进。", "二", "深化城乡融合发展"),
    ],
)
def test_ocr_slips(text, clause_id, heading):
    outline = parse_outline(text)
    assert outline.clause(clause_id).heading == heading


def test_ocr_O_for_full_stop_after_a_figure():
    text, repairs, _ = clean_text("推动贡献率达到65%O(市公安局负责)")
    assert text == "推动贡献率达到65%。(市公安局负责)"
    assert [(r.original, r.replacement) for r in repairs] == [("O", "。")]


@pytest.mark.parametrize(
    "line",
    [
        "《关于构建区域发展新格局的指导意见.docx》由会员分享,可在线阅读,更多相关《X》请在课桌文档上搜索。",
        "当前位置:首页 > 政务公开 > 重要信息",
        "发布时间:2017-12-30 来源:县政府办 点击量:906",
        "链接地址:https://www.desk33.com/p-1323856.html",
        "剑榕高速公路平比大桥。李长华摄",
        "来源:贵州省发改委",
        "微编:*勇",
        "“贵州改革”",
    ],
)
def test_web_furniture_is_not_a_clause(line):
    text, repairs, _ = clean_text("一、总则\n" + line + "\n二、要求")
    assert line not in text
    assert repairs[-1].kind == "furniture"


@pytest.mark.parametrize(
    "body, closed, heading, rest",
    [
        ("基本思路。全面贯彻落实", True, "基本思路", "全面贯彻落实"),
        ("区域发展总体要求\n(一)基本思路", True, "区域发展总体要求", "(一)基本思路"),
        ("明确总体要求", True, "明确总体要求", ""),
        ("指导思想坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻", False, "指导思想",
         "坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻"),
        ("总体目标到2030年,“一核”引领辐射带动作用更加明显", False, "总体目标", "到2030年,“一核”引领辐射带动作用更加明显"),
        ("提升“一核”辐射带动作用“一核”包括XX、XX、XX3个市辖区", False, "提升“一核”辐射带动作用", "“一核”包括XX、XX、XX3个市辖区"),
        ("支持三大片区错位发展三大片区覆盖XX全域,根据地理区位", False, "支持三大片区错位发展", "三大片区覆盖XX全域,根据地理区位"),
        ("围绕决策协同、产业衔接、港口整合等重点领域,有计划", True, "", "围绕决策协同、产业衔接、港口整合等重点领域,有计划"),
    ],
)
def test_split_heading(body, closed, heading, rest):
    assert split_heading(body, closed=closed) == (heading, rest)


@pytest.mark.parametrize("value", [1, 2, 9, 10, 11, 19, 20, 21, 99, 100, 105, 110])
def test_chinese_numerals_round_trip(value):
    assert cn_to_int(int_to_cn(value)) == value


# --- the five plans -----------------------------------------------------------------------------


def _tree(plan_id):
    outline = load_plan(plan_id).outline
    top = [c for c in outline.clauses if c.level == 1 and c.id != "序"]
    return outline, [c.id for c in top], {c.id: [k.split(".")[-1] for k in c.children] for c in top}


def test_mianyang_outline():
    outline, top, kids = _tree("mianyang")
    assert top == ["一", "二", "三", "四", "五"]
    assert kids == {"一": [], "二": ["(一)", "(二)", "(三)"], "三": ["(一)", "(二)", "(三)"],
                    "四": ["(一)", "(二)", "(三)", "(四)", "(五)"], "五": ["(一)", "(二)", "(三)", "(四)", "(五)"]}
    # A page marker cut 区域协|作 in two: rejoined.
    assert "健全城乡统筹、区域协作的体制机制" in outline.text
    assert outline.clause("三.(二)").heading == "壮大“两翼”骨干支撑"


def test_wangcang_outline():
    outline, top, kids = _tree("wangcang")
    assert top == ["一", "二", "三", "四"]
    numbered = [k for ks in kids.values() for k in ks]
    assert numbered == [f"({int_to_cn(i)})" for i in range(1, 20)]
    assert "旺府办发〔2017〕24号" in outline.front_matter


def test_panjin_outline():
    outline, top, kids = _tree("panjin")
    assert top == ["一", "二", "三", "五", "六", "七", "八"]  # there is no 四 in the text
    items = [int(k) for ks in kids.values() for k in ks]
    assert items == [1, 2, 3, 4, 5, 6, 7] + list(range(10, 23))  # 8 and 9 are missing: never invented
    assert set(outline.gaps) == {"四", "8", "9"}
    assert outline.clause("一.1").heading == "总体要求"
    assert outline.clause("五.11").heading == "积极对接*经济区和*西北地区发展"
    assert "农业科技进步贡献率达到65%。" in outline.text


def test_qujing_outline():
    outline, top, kids = _tree("qujing")
    assert top == ["一", "二", "三", "四"]
    numbered = [k for ks in kids.values() for k in ks]
    assert numbered == [f"({int_to_cn(i)})" for i in range(1, 22)]
    assert not outline.text.startswith("近日")


def test_guizhou_outline():
    outline, top, kids = _tree("guizhou")
    assert top == ["一", "二", "三", "四", "五", "六", "七"]
    assert [len(kids[t]) for t in top] == [6, 3, 5, 3, 2, 3, 2]
    assert "李长华摄" not in outline.text and "微编" not in outline.text
    assert outline.title == "关于建立更加有效的区域协调发展新机制的实施意见"


@pytest.mark.parametrize("plan_id", plan_ids())
def test_cleaning_loses_no_word(plan_id):
    """Every Chinese character of the original is in the cleaned text or in a logged removal."""
    plan = load_plan(plan_id)
    cjk = lambda s: Counter(ch for ch in s if "\u4e00" <= ch <= "\u9fff")
    removed = Counter()
    for r in plan.outline.repairs:
        removed += cjk(r.original)
        removed.subtract(cjk(r.replacement))
    assert cjk(plan.original) == cjk(plan.outline.text) + removed


@pytest.mark.parametrize("plan_id", plan_ids())
def test_spans_point_at_the_clause_text(plan_id):
    outline = load_plan(plan_id).outline
    for c in outline.clauses:
        chunk = outline.text[c.span[0] : c.span[1]]
        assert c.text[:20] in chunk and c.heading in chunk


def test_a_title_may_quote_its_slogan():
    # plan titles often quote their structure slogan; the title is the whole line, the issuer split off
    outline = parse_outline("湖北省人民政府关于加快构建“一主引领、两翼驱动、全域协同”区域发展布局的实施意见\n"
                            "一、总体要求\n（一）发展格局。“一主”即武汉城市圈。")
    assert outline.title == "关于加快构建“一主引领、两翼驱动、全域协同”区域发展布局的实施意见"
    assert outline.issuer == "湖北省人民政府"
    assert [c.id for c in outline.clauses] == ["一", "一.(一)"]


@pytest.mark.parametrize(
    "text, ids",
    [
        # a number in parentheses inside a sentence (a call, a formula, a reference) starts no clause
        ("一、总则\n公式写作 SUM(1,2) 或 SUM(1)，脚本 alert(1) 不执行。\n二、要求\n加强。", ["一", "二"]),
        ("一、总则\n见附件(1)所列项目。\n二、要求", ["一", "二"]),
        ("一、总则\n调用 f_(1) 与 $(1) 都不是条文。", ["一"]),
        # at a line start, after a sentence end or a parent's short heading it does
        ("一、总则\n(1)目的。为了X。\n(2)范围。本市。", ["一", "一.(1)", "一.(2)"]),
        ("一、总则。为了X。(1)目的。内容。(2)范围。内容。", ["一", "一.(1)", "一.(2)"]),
        ("二、深化城乡融合发展(一)积极推进。内容。", ["二", "二.(一)"]),
        ("一、总则\n（一）目的。为了X。\n（二）范围。本市。", ["一", "一.(一)", "一.(二)"]),
    ],
)
def test_inline_parenthesised_numbers_are_not_clauses(text, ids):
    assert [c.id for c in parse_outline(text).clauses] == ids


@pytest.mark.parametrize(
    "first_line",
    ["<script>alert(1)</script>", "{{7*7}}", "<img src=x onerror=alert(1)>", "${7*7}", "{% debug %}"],
)
def test_a_markup_first_line_does_not_hide_the_title(first_line):
    text = f"{first_line}\n关于推进长株潭一体化的实施意见\n一、总体要求\n(一)目标。到2030年。"
    outline = parse_outline(text)
    assert outline.title == "关于推进长株潭一体化的实施意见"
    assert [c.id for c in outline.clauses] == ["一", "一.(一)"]
    assert first_line in outline.text  # kept as it is, shown as text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("<script>alert(1)</script>\n江西:加快构建大南昌都市圈发展格局\n近日,江西省印发规划。", "江西:加快构建大南昌都市圈发展格局"),
        ("{{7*7}}\n<b>江西:加快构建大南昌都市圈</b>\n一、总则", "江西:加快构建大南昌都市圈"),
        ("<script>alert(1)</script>\n{{7*7}}", ""),
        ("关于推进长株潭一体化的实施意见\n一、总体要求", "关于推进长株潭一体化的实施意见"),
    ],
)
def test_a_draft_without_a_formal_title_is_named_by_its_first_chinese_line(text, expected):
    from geo.importer.draft import Draft
    from geo.text.clauses import headline

    outline = parse_outline(text)
    assert (outline.title or headline(outline.text)) == expected
    assert Draft.title.fget(type("D", (), {"outline": outline})()) == expected


def test_a_counted_part_heading_a_clause_is_no_clause_number():
    """（一）一核。以…为核心: the 一 of 一核 is the part's count, not a slipped 一、 (which made a clause 一 headed 核)."""
    outline = parse_outline("第四章 优化布局\n构建“一核两翼三带”格局。\n（一）一核。以甲镇为核心。\n（二）两翼。东翼以乙镇为主。\n"
                            "（三）三带。沿黄河生态保护带、沿铁路产业带、沿高速城镇发展带。")
    assert [(c.id, c.heading) for c in outline.clauses] == [
        ("第四章", "优化布局"), ("第四章.(一)", "一核"), ("第四章.(二)", "两翼"), ("第四章.(三)", "三带")]
