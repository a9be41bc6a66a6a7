"""The catalogue, where plans meet over many plans, and the plan cascade, in Chromium, on a server whose store holds
thirty published plans that name 旺苍县 at three levels (and one with a hostile title)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.helpers import READY, new_page, shot
from tests.conftest import CHROMIUM, MAP_FRAME, ROOT, streamlit_server

pytestmark = pytest.mark.browser

if not __import__("pathlib").Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
if not (ROOT / "layers" / "wangcang" / "admin.geojson").is_file():
    pytest.skip("layers/ not built", allow_module_level=True)

WANGCANG = "510821"


def _feature(fid: str, kind: str, name: str, members: list[str], excerpt: str) -> dict:
    return {"type": "Feature", "id": fid, "geometry": None, "properties": {
        "id": fid, "plan": "", "name": name, "name_en": name, "kind": kind, "role": "", "clauses": ["一"],
        "excerpts": [{"clause": "一", "text": excerpt}], "precision": "exact", "precision_note": "",
        "members": members, "inferred": None, "named_only": False}}


def _fill(path) -> None:
    from geo.store import SQLitePlanStore

    store = SQLitePlanStore(path)

    def publish(title, adcode, name, level, body, features):
        store.save(title, f"{title}\n一、总体格局\n{body}\n", {"adcode": adcode, "name": name, "level": level},
                   {"type": "FeatureCollection", "features": features}, listed=True)

    for n in range(24):  # more than a page of province plans
        publish(f"四川省区域协调发展规划（{2000 + n}年）", "510000", "四川省", "province",
                f"旺苍为川东北核心区成员（第{n}版）。",
                [_feature("core-1", "core", "川东北核心区", ["510800", WANGCANG], f"旺苍为川东北核心区成员（第{n}版）")])
    publish("广元市国民经济和社会发展第十四个五年规划纲要", "510800", "广元市", "prefecture", "旺苍、苍溪为东翼。",
            [_feature("wing-1", "wing", "东翼", [WANGCANG, "510824"], "旺苍、苍溪为东翼")])
    publish("旺苍县推进区域协调发展实施方案", WANGCANG, "旺苍县", "county", "旺苍县城为节点。旺府办发〔2019〕3号",
            [_feature("node-1", "node", "县城", [WANGCANG], "旺苍县城为节点")])
    publish("测试{{7*7}}<script>alert(1)</script>规划", "510800", "广元市", "prefecture", "旺苍{{7*7}}<b>x</b>。",
            [_feature("zone-1", "zone", "<img src=x onerror=alert(1)>", [WANGCANG], "旺苍{{7*7}}<b>x</b>")])
    store.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("catalogue") / "plans.sqlite3"
    _fill(path)
    with streamlit_server("dashboard.py", env={"GEO_STORE_PATH": str(path)}) as url:
        yield url


@pytest.fixture
def page(browser):
    ctx, pg = new_page(browser, 1400, 1100, timeout=90000)
    pg.on("dialog", lambda d: pg.errors.append("dialog: " + d.message))
    yield pg
    ctx.close()


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_the_catalogue_filters_searches_and_opens_a_hit_at_its_clause(page, server):
    page.goto(f"{server}/catalogue?plan=wangcang")
    page.wait_for_selector(READY)
    page.get_by_text("共 32 份规划").wait_for()  # 27 published + 5 bundled
    shot(page, "catalogue")
    page.get_by_role("button", name="下一页").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('pg') === '2'")
    page.wait_for_selector(READY)
    page.get_by_text("第 2 / 2 页").wait_for()
    page.get_by_text(re.compile(r"测试\{\{7\*7\}\}<script>alert\(1\)</script>规划")).first.wait_for()  # as text
    # a filter: county plans only (the choice lands in the URL, back on the first page)
    page.get_by_role("combobox", name="辖区级别").click()
    page.get_by_role("combobox", name="辖区级别").press("ArrowDown")  # the list opens on a click or a key
    page.get_by_role("option").filter(has_text="县级").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('lv') === 'county'")
    page.wait_for_selector(READY)
    page.get_by_text("共 2 份规划").wait_for()
    assert "pg" not in query(page.url)
    # full-text search, two characters: a place name
    box = page.get_by_role("textbox", name="全文检索")
    box.fill("旺苍")
    box.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '旺苍'")
    page.wait_for_selector(READY)
    page.get_by_text(re.compile(r"共 \d+ 条条款含“旺苍”")).wait_for()
    assert page.locator("mark.ghyzt-hl", has_text="旺苍").count() > 1
    shot(page, "catalogue-search")
    link = page.get_by_role("link", name=re.compile("推进区域协调发展实施方案.*条款 一"))
    link.first.click()
    page.wait_for_function("() => location.pathname.endsWith('/text')")
    page.wait_for_selector(READY)
    got = query(page.url)
    assert got["c"] == ["一"] and got["q"] == ["旺苍"] and len(got["plan"][0]) == 16
    assert not page.errors, page.errors


def test_where_plans_meet_lists_every_plan_grouped_and_paged(page, server):
    page.goto(f"{server}/?plan=wangcang&f=wa-510821")
    page.wait_for_selector(READY)
    page.frame_locator(MAP_FRAME).locator(".leaflet-interactive").first.wait_for()
    page.get_by_text("提到旺苍县的其他规划（27 份）").wait_for()
    for label in ("省级规划（24 份）", "市级规划（2 份）", "县级规划（1 份）"):
        page.get_by_text(label).wait_for()
    page.get_by_text("本组第 1 / 3 页").wait_for()  # the province group: 24 plans, ten a page
    first = page.get_by_role("link", name=re.compile(r"四川省区域协调发展规划（2000年）"))
    assert first.count() == 1
    page.get_by_role("button", name="下一页").first.click()
    page.wait_for_selector(READY)
    page.get_by_text("本组第 2 / 3 页").wait_for()
    page.get_by_role("link", name=re.compile(r"四川省区域协调发展规划（2010年）")).wait_for()
    assert page.locator("mark.ghyzt-hl", has_text="旺苍为川东北核心区成员").count() >= 1  # its clause, marked
    shot(page, "meets-grouped")
    page.get_by_text("市级规划（2 份）").click()  # folded: more than ten plans in all
    link = page.get_by_role("link", name=re.compile("广元市国民经济"))
    got = query(link.get_attribute("href"))
    assert got["f"] == ["wing-1"] and len(got["plan"][0]) == 16  # the plan, with the feature naming 旺苍 selected
    assert not page.errors, page.errors


def test_the_cascade_says_where_a_higher_plans_role_is_missing(page, server):
    page.goto(f"{server}/?plan=wangcang&f=wa-510821")
    page.wait_for_selector(READY)
    page.get_by_text("规划传导：旺苍县").click()
    page.get_by_text("上级规划", exact=True).wait_for()
    page.get_by_text("本级规划", exact=True).wait_for()
    cascade = page.get_by_test_id("stExpander").filter(has_text="规划传导：旺苍县")
    cascade.get_by_text(re.compile(r"上级规划 26 份，其中 [12] 份赋予的角色本级规划没有；本级规划 2 份。")).wait_for()
    cascade.get_by_text("第 1 / 3 页", exact=True).wait_for()  # 24 province plans and 2 prefecture plans, ten a page
    assert cascade.get_by_role("link", name=re.compile("四川省区域协调发展规划")).count() == 10
    for n in (2, 3):
        cascade.get_by_role("button", name="下一页").click()
        page.wait_for_selector(READY)
        cascade.get_by_text(f"第 {n} / 3 页", exact=True).wait_for()
    assert cascade.get_by_role("link", name=re.compile("四川省区域协调发展规划")).count() == 4
    warning = page.get_by_text(re.compile("角色不一致：.*广元市.*把旺苍县列为翼"))
    warning.wait_for()
    page.get_by_text("本规划", exact=False).first.wait_for()
    shot(page, "cascade")
    assert not page.errors, page.errors
