"""The catalogue, where plans meet over all plans, the plan cascade and the Overview's footprints, from the index.

A store holds a province's, a prefecture's and a county's plans that all name 旺苍县 (510821) in different roles;
the bundled plans are merged in from their in-memory index. Nothing here reads a plan in full.
"""

from __future__ import annotations

import pytest

from geo.store import SQLitePlanStore
from geo.view.cascade import contains, plan_cascade
from geo.view.catalogue import bundled_index, catalogue_facets, catalogue_page, search_page
from geo.view.footprints import footprint_collections, overview_footprints
from geo.view.meets import where_plans_meet, without

WANGCANG = "510821"


def feature(fid: str, kind: str, name: str, members: list[str], clause: str, excerpt: str, role: str = "") -> dict:
    return {"type": "Feature", "id": fid, "geometry": None, "properties": {
        "id": fid, "plan": "", "name": name, "name_en": name, "kind": kind, "role": role, "clauses": [clause],
        "excerpts": [{"clause": clause, "text": excerpt}], "precision": "exact", "precision_note": "",
        "members": members, "inferred": None, "named_only": False}}


def publish(store, title: str, adcode: str, name: str, level: str, body: str, features: list[dict],
            listed: bool = True) -> str:
    text = f"{title}\n一、总体格局\n{body}\n"
    return store.save(title, text, {"adcode": adcode, "name": name, "level": level, "stated": True, "reason": ""},
                      {"type": "FeatureCollection", "features": features}, listed=listed)


@pytest.fixture
def store(tmp_path):
    s = SQLitePlanStore(tmp_path / "plans.sqlite3")
    plans = {
        "province": publish(s, "四川省国土空间规划（2021—2035年）", "510000", "四川省", "province",
                            "构建“一干多支”格局，旺苍为川东北核心区成员。",
                            [feature("core-1", "core", "川东北核心区", ["510800", WANGCANG], "一", "旺苍为川东北核心区成员")]),
        "prefecture": publish(s, "广元市国民经济和社会发展第十四个五年规划纲要", "510800", "广元市", "prefecture",
                              "旺苍、苍溪为东翼。广府发〔2021〕3号",
                              [feature("wing-1", "wing", "东翼", [WANGCANG, "510824"], "一", "旺苍、苍溪为东翼"),
                               feature("a-510821", "admin", "旺苍县", [WANGCANG], "一", "旺苍")]),
        "county": publish(s, "旺苍县推进区域协调发展实施方案", WANGCANG, "旺苍县", "county",
                          "旺苍县城为节点。旺府办发〔2017〕24号",
                          [feature("node-1", "node", "县城", [WANGCANG], "一", "旺苍县城为节点")]),
        "neighbour": publish(s, "巴中市实施方案", "511900", "巴中市", "prefecture", "与旺苍合作。",
                             [feature("link-1", "link", "巴旺合作", ["511900", WANGCANG], "一", "与旺苍合作")]),
        "hidden": publish(s, "旺苍县未公开方案", WANGCANG, "旺苍县", "county", "旺苍县城为核心。",
                          [feature("core-9", "core", "核心", [WANGCANG], "一", "旺苍县城为核心")], listed=False),
    }
    s.ids = plans
    yield s
    s.close()


@pytest.fixture(scope="module")
def bundled():
    return bundled_index()


def test_where_plans_meet_groups_by_level_and_leaves_out_the_plan_shown(store, bundled):
    ids = store.ids
    meetings = where_plans_meet(store, [WANGCANG], here=ids["county"], bundled=bundled)
    assert [g.level for g in meetings.groups] == ["province", "prefecture", "county"]
    assert [p.entry.plan for p in meetings.groups[2].plans] == ["wangcang"]  # the bundled county plan
    prefecture = [p.entry.plan for p in meetings.groups[1].plans]
    assert set(prefecture) == {ids["prefecture"], ids["neighbour"]}  # the neighbour's plan names it too
    assert ids["hidden"] not in {p.entry.plan for g in meetings.groups for p in g.plans}  # unlisted: by link only
    everywhere = where_plans_meet(store, [WANGCANG], bundled=bundled)
    assert everywhere.total == meetings.total + 1 and ids["county"] in {p.entry.plan for p in everywhere.groups[2].plans}
    assert where_plans_meet(store, [WANGCANG], here="wangcang", bundled=bundled).total == meetings.total
    wing = next(p for p in meetings.groups[1].plans if p.entry.plan == ids["prefecture"])
    assert wing.kinds == ("wing", "admin") and wing.target == "a-510821" and wing.clauses == ("一",)  # the county itself
    assert wing.name == "旺苍县"
    assert wing.entry.year == 2021


def test_the_catalogue_merges_bundled_and_published_plans_and_pages(store, bundled):
    page = catalogue_page(store, bundled, size=3)
    assert page.total == 4 + len(bundled) and page.pages == 3 and len(page.entries) == 3
    assert page.entries[0].level == "province"  # 贵州 and 四川 first
    seen = [e.plan for n in (1, 2, 3) for e in catalogue_page(store, bundled, page=n, size=3).entries]
    assert len(seen) == len(set(seen)) == page.total
    assert catalogue_page(store, bundled, page=99, size=3).page == 3
    county = catalogue_page(store, bundled, {"level": "county"})
    assert {e.plan for e in county.entries} == {store.ids["county"], "wangcang"}
    assert catalogue_page(store, bundled, {"province": "520000"}).entries[0].plan == "guizhou"
    assert catalogue_page(store, bundled, {"year": 2017}).total == 2  # 旺苍's own plans, bundled and published
    assert {e.plan for e in catalogue_page(store, (), {"plan_type": "territorial"}).entries} == {store.ids["province"]}
    facets = catalogue_facets(store, bundled)
    assert [lv for lv, _ in facets["level"]] == ["province", "prefecture", "county"]
    assert dict(facets["province"])["510000"] == 4 + 2  # 四川: four published (one unlisted left out), two bundled


def test_search_finds_two_characters_in_every_plan(store, bundled):
    hits = search_page(store, bundled, "旺苍")
    plans = {h.plan for h, _ in hits.hits}
    assert {store.ids["province"], store.ids["county"], "wangcang"} <= plans and store.ids["hidden"] not in plans
    assert hits.total == len(hits.hits) and all("旺苍" in h.text[h.start:h.start + 2] for h, _ in hits.hits)
    assert "qujing" in {e.plan for _, e in search_page(store, bundled, "曲靖").hits}
    assert search_page(store, bundled, "旺苍", {"level": "province"}).total == 1
    assert search_page(store, bundled, "   ").total == 0
    assert search_page(None, bundled, "旺苍").total == sum(1 for h, _ in hits.hits if h.plan == "wangcang")


def test_the_cascade_says_where_roles_differ_in_kind(store, bundled):
    ids = store.ids
    cascade = plan_cascade(store, WANGCANG, bundled=bundled)
    assert [r.entry.plan for r in cascade.higher] == [ids["province"], ids["prefecture"]]
    assert ids["neighbour"] not in {r.entry.plan for r in cascade.rows}  # 巴中 does not contain 旺苍
    assert {r.entry.plan for r in cascade.own} == {ids["county"], "wangcang"}
    province, prefecture = cascade.higher
    assert {"core", "node"} <= set(cascade.own_kinds) and "wing" not in cascade.own_kinds  # the bundled plan has a core
    assert province.kinds == ("core",) and province.missing == ()
    assert prefecture.kinds == ("wing",) and prefecture.missing == ("wing",) and cascade.differs
    assert cascade.differing == 1
    published_only = plan_cascade(store, WANGCANG)  # without the bundled 旺苍 plan: only a node of its own
    assert published_only.own_kinds == ("node",) and published_only.higher[0].missing == ("core",)
    alone = plan_cascade(store, "510824")  # 苍溪: a wing in the prefecture plan, no plan of its own here
    assert not alone.has_own and alone.higher[0].missing == () and not alone.differs and alone.differing == 0


def test_the_map_page_asks_the_store_once_for_its_list_and_the_cascade(store, bundled, monkeypatch):
    ids = store.ids
    asked = []
    naming = store.plans_naming
    monkeypatch.setattr(store, "plans_naming", lambda adcodes: asked.append(adcodes) or naming(adcodes))
    everywhere = where_plans_meet(store, [WANGCANG], bundled=bundled)
    # the list under the county: the same as asking without the plan shown, bundled or published
    for here in (ids["county"], "wangcang", ids["province"], "no-such-plan"):
        assert without(everywhere, here) == where_plans_meet(store, [WANGCANG], here=here, bundled=bundled)
    asked.clear()
    assert plan_cascade(store, WANGCANG, bundled, everywhere) == plan_cascade(store, WANGCANG, bundled)
    assert len(asked) == 1  # the second cascade's own query only
    asked.clear()
    plan_cascade(store, "510824", bundled, everywhere)  # another unit's meetings are not taken for this one's
    assert [tuple(a) for a in asked] == [("510824",)]
    # a plan published after the answer is in the next one (nothing is kept across runs)
    later = publish(store, "旺苍县新方案", WANGCANG, "旺苍县", "county", "旺苍县城为中心。",
                    [feature("node-2", "node", "中心", [WANGCANG], "一", "旺苍县城为中心")])
    again = where_plans_meet(store, [WANGCANG], bundled=bundled)
    assert again.total == everywhere.total + 1 and later in {r.entry.plan for r in plan_cascade(store, WANGCANG, bundled,
                                                                                                 again).own}


def test_containment_by_adcode():
    assert contains("510000", WANGCANG) and contains("510800", WANGCANG) and not contains("511900", WANGCANG)
    assert not contains(WANGCANG, "510000") and not contains("510000", "520000")


def test_the_overview_aggregates_footprints_by_level(store, bundled):
    from geo.places.gazetteer import load_gazetteer

    footprints = overview_footprints(store, bundled)
    by_unit = {(f.level, f.adcode): f for f in footprints}
    assert by_unit[("county", WANGCANG)].plans == 2  # the published one (listed) and the bundled one
    assert by_unit[("county", WANGCANG)].first == 2017 and by_unit[("province", "510000")].plans == 1
    collections = footprint_collections(footprints, load_gazetteer(), "en")
    assert [fc["level"] for fc in collections] == ["province", "prefecture", "county"]
    county = next(f for f in collections[2]["features"] if f["properties"]["members"] == [WANGCANG])
    assert county["properties"]["plans"] == 2 and "(2 plans)" in county["properties"]["name"]
    assert county["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_without_a_store_the_bundled_plans_still_answer(bundled):
    assert catalogue_page(None, bundled).total == len(bundled)
    assert where_plans_meet(None, [WANGCANG], bundled=bundled).total == 1


def test_a_page_of_meetings_shows_each_plans_clauses_with_the_excerpts_marked(store, bundled):
    from geo.view.meets import group_page, meeting_clauses

    meetings = where_plans_meet(store, [WANGCANG], bundled=bundled)
    plans = [p for g in meetings.groups for p in g.plans]
    clauses = meeting_clauses(store, bundled, plans)
    county = clauses[store.ids["county"]]
    assert [m.clause for m in county] == ["一"] and county[0].text.startswith("一、总体格局")
    s, e = county[0].spans[0]
    assert county[0].text[s:e] == "旺苍县城为节点"
    bundled_clauses = clauses["wangcang"]  # from the bundled index, in document order
    assert bundled_clauses and all(m.spans for m in bundled_clauses)
    assert group_page(tuple(plans), 2, 2)[2] == tuple(plans[2:4])


def test_three_hundred_plans_naming_a_county_stay_grouped_and_paged(tmp_path):
    """A county named by 300 plans: three groups by level, each by date and paged by ten (its speed:
    bench/scale.py)."""
    from geo.view.meets import MEETINGS_PAGE, group_page

    s = SQLitePlanStore(tmp_path / "many.sqlite3")
    for n in range(300):
        level, adcode = (("province", "510000"), ("prefecture", "510800"), ("county", WANGCANG))[n % 3]
        publish(s, f"规划{n}（{2000 + n % 25}年）", adcode, "x", level, f"旺苍第{n}条。",
                [feature(f"f{n}", "core", "核心", [WANGCANG], "一", f"旺苍第{n}条")])
    meetings = where_plans_meet(s, [WANGCANG])
    assert meetings.total == 300 and [len(g.plans) for g in meetings.groups] == [100, 100, 100]
    years = [p.entry.year for p in meetings.groups[0].plans]
    assert years == sorted(years)  # by date within a level
    assert group_page(meetings.groups[0].plans, 10)[:2] == (10, 100 // MEETINGS_PAGE)
    s.close()
