"""A whole plan's chapters imported on the Import page open on the Map and Text pages (issue #18): the title found
across two lines and the jurisdiction with it, the plan's own numbering (篇 > 章 > 节) on the Text page, the
structure on the map, and none of the far namesakes the importer once read (广州 for 宁广高速, 花山区 for a
mountain)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.helpers import READY, draft_on_import_page, map_frame, open_draft_on_map
from tests.conftest import CHROMIUM, streamlit_server

#: 南京's 十五五纲要: its two-line title, 第八篇 区域协调 and 第九篇's 市域空间格局, verbatim (the corpus text).
PLAN = (Path(__file__).parents[1] / "data" / "plans" / "jiangsu_nanjing_15th_spatial" / "text.txt").read_text(
    encoding="utf-8")

NAMES_JS = """() => Object.values(window.ghyztMap.data.features).map(f => f.name + ' ' + (f.note || ''))"""


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_a_whole_plan_imported_opens_with_its_chapters_structure_and_no_far_namesakes(tmp_path, browser):
    with streamlit_server("dashboard.py", env={"GEO_STORE_PATH": str(tmp_path / "plans.sqlite3")}) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = ctx.new_page()
        page.set_default_timeout(120000)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        draft_on_import_page(page, url, PLAN)
        plan = open_draft_on_map(page)
        names = map_frame(page).evaluate(NAMES_JS)
        kinds = map_frame(page).evaluate("() => Object.values(window.ghyztMap.data.features).map(f => f.kind)")
        page.goto(f"{url}/text?plan={plan}")
        page.wait_for_selector(READY)
        text_page = page.inner_text("body")
        # a link to one 节 opens its 篇 and 章 around it
        page.goto(f"{url}/text?plan={plan}&c=" + quote("第八篇.第二十八章.第二节"))
        page.wait_for_selector(READY)
        section_page = page.inner_text("body")
        ctx.close()
    assert not errors, errors
    # the structure: the parts of 双核辐射、两带引领、两廊联动 with their named items, and the links of 区域协调
    assert {"古都文化核", "滨江活力核", "紫金山创新带", "滨江创新带"} <= {n.split(" ")[0] for n in names}, names
    assert "联系" in kinds, kinds
    # no far namesakes: 宁广高速 is 南京—广德, 花山 a mountain of 高淳
    # (粤港澳大湾区 is drawn at 广州, said so in its note: a named region, not a namesake)
    assert not [n for n in names if n.startswith(("广州", "花山")) or "花山区" in n], names
    ningguang = [n for n in names if n.startswith("宁广")]
    assert ningguang and all("广德" in n and "广州" not in n for n in ningguang), ningguang
    # the title across its two lines, and the document's own numbering on the Text page
    assert "南京市国民经济和社会发展第十五个五年规划纲要" in text_page
    assert "第八篇 增强对外链接辐射" in text_page and "第九篇" in text_page, text_page[-800:]
    for heading in ("第二十八章", "第二节", "聚焦重点区域率先突破", "浦口—南谯"):
        assert heading in section_page, heading
