"""Places inside a 专栏 table: read cell by cell, each a mention of the table's clause quoting its row (issue #18).

The tables are of our own making, in the forms plans print them (类型 | 项目名称 …, runs of spaces or tabs between
cells, a 注： line under them); none is a row of a corpus text.
"""

from __future__ import annotations

import pytest

from geo.importer.draft import draft_plan
from geo.importer.outline import clause_places, outline_document
from geo.places.gazetteer import load_gazetteer
from geo.text.clauses import parse_outline
from geo.text.structure import cell_spans, find_boxes

GAZ = load_gazetteer()

PROJECTS = """南京市某专项规划
第一章  重大项目
第一节  交通与水利
加快推进一批重大项目建设。
专栏1  “十五五”重大项目
序号    项目名称    建设地点    建设内容
1    城西干道改造    鼓楼    道路拓宽
2    北部水厂扩建    六合    新增供水能力
3\t湖区生态修复\t高淳\t湿地治理
注：项目以最终批复为准。

第二节  产业
推动江宁区发展。
"""

ROWS = {  # district -> the row that names it, as the excerpt must quote it
    "鼓楼区": "1    城西干道改造    鼓楼    道路拓宽",
    "六合区": "2    北部水厂扩建    六合    新增供水能力",
    "高淳区": "3\t湖区生态修复\t高淳\t湿地治理",
}


def test_a_projects_table_gives_its_places_row_by_row_quoting_the_row():
    d = draft_plan(PROJECTS, GAZ, jurisdiction="320100")
    clause = next(c for c in d.clauses if c.id == "第一章.第一节")
    assert {p.name for p in clause.places} == set(ROWS)
    for p in clause.places:  # offsets into the clause as the reader sees it: the cell itself
        assert clause.text[p.start : p.end] == p.mention
    admin = {f["properties"]["name"]: f["properties"] for f in d.collection["features"]
             if f["properties"]["kind"] == "admin" and f["properties"]["group"] == "own"}
    for name, row in ROWS.items():
        assert admin[name]["clauses"] == ["第一章.第一节"]
        assert admin[name]["excerpts"] == [{"clause": "第一章.第一节", "text": row}]
    assert admin["江宁区"]["clauses"] == ["第一章.第二节"]  # the prose after the table still read as prose


@pytest.mark.parametrize("row, expected", [
    # neighbouring cells that would make a name if run together: 长 | 沙河 (长沙), 江 | 宁波路 (江宁, 宁波)
    ("1    城东长    沙河整治    鼓楼", {"鼓楼区"}),
    ("2\t滨江\t宁波路改造\t秦淮", {"秦淮区"}),
    # a cell of places listed, beside a cell that is no place
    ("3    跨区干线    浦口、六合    新建道路", {"浦口区", "六合区"}),
])
def test_neighbouring_cells_are_never_read_as_one_name(row, expected):
    text = f"南京市某专项规划\n第一章  项目\n加快建设。\n专栏1  项目\n序号    项目    地点\n{row}\n"
    o = parse_outline(text)
    c = o.clause("第一章")
    body = o.text[c.span[0] : c.span[1]]
    places = clause_places(o, c, GAZ, "320100")
    assert {p.name for p in places} == expected
    cells = [o.text[a:b] for a, b in cell_spans(o.text, c.tables[0])]
    for p in places:  # every place lies inside one cell
        assert any(body[p.start : p.end] in cell for cell in cells), (p, cells)


def test_cell_spans_follow_tabs_runs_of_spaces_and_a_note():
    text = "正文。\n专栏2  指标\n指标    2025年    2030年\n常住人口（万人）\t950\t1000\n注：2025年为预计数。\n"
    box = find_boxes(text)[0]
    cells = [text[a:b] for a, b in cell_spans(text, box)]
    assert cells == ["专栏2", "指标", "指标", "2025年", "2030年", "常住人口（万人）", "950", "1000", "注：2025年为预计数。"]


def test_the_outline_document_keeps_the_places_of_a_table():
    """`geo outline` reads a clause's text without its 专栏; the table's places are the clause's all the same."""
    doc = outline_document(PROJECTS, GAZ)
    clause = next(c for c in doc["clauses"] if c["id"] == "第一章.第一节")
    assert {p["name"] for p in clause["places"]} >= set(ROWS)
