"""A whole plan's introduction (序言 / 前言, or no header at all) before its 目录 or its first 篇/章 (issue #18).

It is kept as the 序 clause, with its own words, never set aside as furniture nor glued to the table of contents.
"""

from __future__ import annotations

import pytest

from geo.text.clauses import parse_outline

INTRO = "“十五五”时期是基本实现现代化的关键时期。根据市委建议，编制本纲要，阐明发展思路和重点任务。"
TITLE = "某市国民经济和社会发展第十五个五年规划纲要"
CONTENTS = "目  录\n第一章  发展基础    1\n第二章  总体要求    3\n第三章  空间布局    5\n"
UNHEADED_CONTENTS = "第一章  发展基础    1\n第二章  总体要求    3\n第三章  空间布局    5\n"
BODY = "第一章  发展基础\n发展成就显著。\n第二章  总体要求\n坚持稳中求进。\n第三章  空间布局\n构建一核两翼格局。\n"
CHAPTERS = ["第一章", "第二章", "第三章"]


@pytest.mark.parametrize("text, heading", [
    # unheaded, between the title and a headed 目录 (it was set aside as site furniture)
    (f"{TITLE}\n\n{INTRO}\n\n{CONTENTS}\n{BODY}", ""),
    (f"某市国民经济和社会发展\n第十五个五年规划纲要\n\n{INTRO}\n\n{CONTENTS}\n{BODY}", ""),
    # unheaded, before a 目录 without a header (entries with page numbers)
    (f"{TITLE}\n\n{INTRO}\n{UNHEADED_CONTENTS}\n{BODY}", ""),
    # unheaded, after the 目录 and before the first chapter
    (f"{TITLE}\n\n{CONTENTS}\n{INTRO}\n\n{BODY}", ""),
    # unheaded, no 目录
    (f"{TITLE}\n\n{INTRO}\n\n{BODY}", ""),
    # headed 序言 before the 目录; 前 言 listed in the 目录 and heading the body
    (f"{TITLE}\n\n序    言\n\n{INTRO}\n\n{CONTENTS}\n{BODY}", "序言"),
    (f"{TITLE}\n\n目 录\n\n前 言\n\n第一章  发展基础\n\n第二章  总体要求\n\n第三章  空间布局\n\n前 言\n\n{INTRO}\n\n{BODY}", "前言"),
])
def test_the_introduction_is_the_preface_clause(text, heading):
    o = parse_outline(text)
    assert o.title == TITLE
    assert o.ids == ("序", *CHAPTERS)
    preface = o.clause("序")
    assert (preface.heading, preface.text) == (heading, INTRO)
    assert o.text[preface.span[0] : preface.span[1]].endswith(INTRO)
    assert not any(INTRO in r.original for r in o.repairs)  # neither furniture nor part of the contents
    assert o.clause("第一章").text == "发展成就显著。"


def test_a_sites_summary_before_the_contents_is_still_furniture():
    summary = "推动城市内涵式发展，城市结构优化、动能转换、品质提升深入推进，现代化人民城市建设取得重要进展。"
    text = f"{TITLE}\n搜索\n数字报\n{TITLE}\n05-26 11:30\n读特客户端\n摘要\n\n{summary}\n\n2026年5月\n\n{CONTENTS}\n{BODY}"
    o = parse_outline(text)
    assert o.title == TITLE and o.ids == tuple(CHAPTERS)
    assert any(r.original == summary and r.kind == "furniture" for r in o.repairs)
    assert summary not in o.text


def test_an_introduction_under_a_sites_summary_is_kept():
    summary = "推动城市内涵式发展，现代化人民城市建设取得重要进展。"
    o = parse_outline(f"{TITLE}\n摘要\n{summary}\n\n{INTRO}\n\n{CONTENTS}\n{BODY}")
    assert o.clause("序").text == INTRO
    assert summary not in o.text
