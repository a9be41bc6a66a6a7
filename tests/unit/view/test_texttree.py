"""Which nodes of the Text page's outline open for a selected clause (geo.view.texttree)."""

from __future__ import annotations

from geo.text.clauses import parse_outline
from geo.view.texttree import TextNode, text_collapsible, text_open


def test_a_selected_top_level_clause_without_children_opens():
    """序 (a whole plan's 前言) and a chapter without sections are nodes that open: selected, they are opened,
    or the link ``?c=序`` lands on a closed node and the clause is not shown."""
    leaf = TextNode("第一章.一", 2, "", "")
    tree = (TextNode("序", 1, "前言", "深圳处于改革开放最前沿。"), TextNode("第一章", 1, "", "", (leaf,)),
            TextNode("第二章", 1, "", ""))
    assert set(text_collapsible(tree)) == {"序", "第一章", "第二章"}
    assert text_open(tree, ["序"]) == {"序"}
    assert text_open(tree, ["第二章"]) == {"第二章"}
    assert text_open(tree, ["第一章.一"]) == {"第一章"}  # a deeper leaf: its ancestors only


def test_the_preface_of_a_whole_plan_is_a_top_level_clause_with_its_heading():
    o = parse_outline("某市国民经济和社会发展第十五个五年规划纲要\n\n前 言\n\n某市处于改革开放前沿。\n\n第一章 总体要求\n坚持稳中求进。\n")
    preface = o.clause("序")
    assert (preface.level, preface.parent, preface.heading) == (1, None, "前言")
