"""geo.view.state: links restore the view, malformed links fall back and say so, never raise."""

from __future__ import annotations

import dataclasses
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.i18n import STRINGS
from geo.view.state import (
    FIELDS,
    PAGE_PATHS,
    Catalog,
    Notice,
    PlanCatalog,
    ViewState,
)

CATALOG = Catalog(
    {
        "mianyang": PlanCatalog(
            layers=("admin", "zone", "core", "corridor", "link", "node"),
            features={"core-main", "corridor-fu", "node-jiangyou", "admin-510703"},
            clauses={"序", "一", "三.(二)", "三.(三)", "四.(三)", "第一章.第二节.1.(3)"},
        ),
        "panjin": PlanCatalog(layers=("admin", "core", "eco"), features={"core-panjin"}, clauses={"一", "二"}),
    }
)


def codes(notices: list[Notice]) -> list[tuple[str, str]]:
    return [(n.code, n.key) for n in notices]


# --------------------------------------------------------------------------- malformed links

MALFORMED = [
    # (params, expected fields, expected (code, key) notices)
    ({"plan": "../../etc"}, {"plan": "mianyang"}, [("unknown_plan", "plan")]),
    ({"plan": "nowhere"}, {"plan": "mianyang"}, [("unknown_plan", "plan")]),
    # a draft the link's server does not hold (deleted): its own notice
    ({"plan": "draft" + "q" * 38, "f": "wing-1"}, {"plan": "mianyang", "feature": None},
     [("unsaved_draft", "plan"), ("unknown_feature", "f")]),
    ({"plan": "draftabcdefghij"}, {"plan": "mianyang"}, [("unknown_plan", "plan")]),  # no draft id's shape
    ({"z": "abc"}, {"zoom": None}, [("invalid", "z")]),
    ({"z": "99"}, {"zoom": 18}, [("clamped", "z")]),
    ({"z": "-4"}, {"zoom": 3}, [("clamped", "z")]),
    ({"z": "7.5"}, {"zoom": None}, [("invalid", "z")]),
    ({"center": "999,999"}, {"center": None}, [("out_of_range", "center")]),
    ({"center": "31.4"}, {"center": None}, [("invalid", "center")]),
    ({"center": "nan,104"}, {"center": None}, [("invalid", "center")]),
    ({"center": "31.4,104.7,5"}, {"center": None}, [("invalid", "center")]),
    ({"layers": "corridor,bogus"}, {"layers": ("corridor",)}, [("unknown_layer", "layers")]),
    ({"layers": "bogus"}, {"layers": None}, [("unknown_layer", "layers")]),
    ({"layers": "node,core,core"}, {"layers": ("core", "node")}, []),  # canonical order, no duplicates
    ({"layers": "-"}, {"layers": ()}, []),
    ({"layers": ""}, {"layers": ()}, []),
    ({"f": "<script>alert(1)</script>"}, {"feature": None}, [("invalid", "f")]),
    ({"f": "core-elsewhere"}, {"feature": None}, [("unknown_feature", "f")]),
    ({"c": "九.(九)"}, {"clause": None}, [("unknown_clause", "c")]),
    ({"c": "<b>"}, {"clause": None}, [("invalid", "c")]),
    ({"lang": "fr"}, {"lang": "zh"}, [("invalid", "lang")]),
    ({"base": "google"}, {"basemap": "none"}, [("invalid", "base")]),
    ({"p": "settings"}, {"page": "map"}, [("invalid", "p")]),
    ({"z": ["5", "7"]}, {"zoom": 7}, [("repeated", "z")]),
    ({"z": ["7", "7"]}, {"zoom": 7}, []),
    ({"layers": ["core", "link"]}, {"layers": ("core", "link")}, []),  # repeated layers merge
    ({"zoom": "5"}, {"zoom": None}, [("unknown_key", "zoom")]),
    # the Overview page's comparison: a known plan and a mode; anything else, no comparison
    ({"vs": "panjin", "vsmode": "overlay"}, {"compare": "panjin", "compare_mode": "overlay"}, []),
    ({"vs": "nowhere"}, {"compare": None, "plan": "mianyang"}, [("unknown_compare", "vs")]),
    ({"vs": "draftabcdefghij"}, {"compare": None}, [("unknown_compare", "vs")]),
    ({"vs": "../x"}, {"compare": None}, [("invalid", "vs")]),
    ({"vsmode": "stack"}, {"compare_mode": "side"}, [("invalid", "vsmode")]),
    ({"embed": "true"}, {}, []),  # Streamlit's own params are not ours to report
    ({"z": ""}, {"zoom": None}, []),  # Streamlit writes a cleared param as empty
    ({"q": "x" * 500}, {"q": "x" * 200}, [("truncated", "q")]),
    ({"q": "涪江\x00\n"}, {"q": "涪江"}, []),
    # a feature of another plan: the plan decides what is known
    ({"plan": "panjin", "f": "core-main"}, {"plan": "panjin", "feature": None}, [("unknown_feature", "f")]),
    # an unknown plan falls back first, then the rest is checked against the default plan
    ({"plan": "x1", "f": "core-main", "layers": "eco"},
     {"plan": "mianyang", "feature": "core-main", "layers": None},
     [("unknown_plan", "plan"), ("unknown_layer", "layers")]),
]


@pytest.mark.parametrize(("params", "expected", "notices"), MALFORMED)
def test_malformed_links_fall_back_and_report(params, expected, notices):
    state, got = ViewState.from_query_params(params, CATALOG)
    for name, value in expected.items():
        assert getattr(state, name) == value, name
    assert codes(got) == notices


def test_untouched_fields_keep_their_defaults():
    state, notices = ViewState.from_query_params({"z": "abc", "lang": "fr", "plan": "../../etc"}, CATALOG)
    assert state == ViewState()
    assert len(notices) == 3


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"z": None},
        {"z": [None]},
        {"layers": [",,,", "-"]},
        {"center": ",,"},
        {"c": "\x00" * 10},
        {1: 2},
        "not a mapping",
        {"f": ["a"] * 1000},
    ],
)
def test_never_raises(params):
    state, notices = ViewState.from_query_params(params, CATALOG)  # type: ignore[arg-type]
    assert isinstance(state, ViewState)
    assert all(isinstance(n, Notice) for n in notices)


def test_without_catalog_only_shapes_are_checked():
    state, notices = ViewState.from_query_params(
        {"plan": "qujing", "layers": "core,Bad Name", "f": "whatever-1", "c": "第一章.2"}
    )
    assert (state.plan, state.layers, state.feature, state.clause) == ("qujing", ("core",), "whatever-1", "第一章.2")
    assert codes(notices) == [("unknown_layer", "layers")]
    assert ViewState.from_query_params({"plan": "../x"})[0].plan == "mianyang"


def test_catalog_without_default_plan_falls_back_to_its_first_plan():
    cat = Catalog({"qujing": PlanCatalog(layers=("core",))})
    assert ViewState.from_query_params({}, cat)[0].plan == "qujing"


def test_notice_messages_exist_in_both_languages_and_quote_the_value():
    _, notices = ViewState.from_query_params(
        {"plan": "../../etc", "z": "99", "lang": "fr", "q": "x" * 300, "zz": "1", "z2": ["1", "2"],
         "layers": "bogus", "f": "nope", "c": "九", "center": "999,1"},
        CATALOG,
    )
    assert {n.code for n in notices} >= {"unknown_plan", "clamped", "invalid", "truncated", "unknown_key",
                                         "unknown_layer", "unknown_feature", "unknown_clause", "out_of_range"}
    for n in notices:
        assert f"notice.{n.code}" in STRINGS
        zh, en = n.message("zh"), n.message("en")
        assert zh != en and "{" not in zh + en
    clamp = next(n for n in notices if n.code == "clamped")
    assert clamp.message("en") == "Link parameter z=99 is out of range; using 18."
    assert "../../etc" in next(n for n in notices if n.code == "unknown_plan").message("zh")


def test_a_feature_gone_from_its_plan_is_named_with_the_plan():
    _, notices = ViewState.from_query_params({"plan": "panjin", "f": "core-main", "c": "九"}, CATALOG)
    feature, clause = notices
    assert (feature.code, feature.value, feature.plan) == ("unknown_feature", "core-main", "panjin")
    assert clause.plan == "panjin"
    names = {"panjin": "盘锦市 · 推进区域协调发展的工作方案"}
    assert feature.message("zh", names) == "规划“盘锦市 · 推进区域协调发展的工作方案”中已没有要素“core-main”，已取消选择。"
    assert feature.message("en") == "Feature “core-main” no longer exists in plan “panjin”; nothing is selected."
    # an old link without a plan: the feature is looked for in the default plan, and the notice says so
    (gone,) = ViewState.from_query_params({"f": "core-panjin"}, CATALOG)[1]
    assert gone.plan == "mianyang" and "mianyang" in gone.message("en")


def test_notice_values_are_short_and_printable():
    _, notices = ViewState.from_query_params({"f": "<" + "x" * 500 + "\x07>"}, CATALOG)
    (n,) = notices
    assert len(n.value) <= 40 and "\x07" not in n.value


# --------------------------------------------------------------------------- writing


def test_the_plan_and_the_non_default_values_are_written_with_short_keys():
    # a link always names its plan: it must open the same plan after the default changes
    assert ViewState().to_query_params() == {"plan": "mianyang"}
    s = ViewState(page="text", plan="panjin", layers=("core", "eco"), feature="core-panjin", clause="二",
                  center=(41.12345678, 122.07), zoom=9, basemap="osm", lang="en", q="湿地")
    assert s.to_query_params() == {
        "p": "text", "plan": "panjin", "layers": "core,eco", "f": "core-panjin", "c": "二",
        "center": "41.12346,122.07000", "z": "9", "base": "osm", "lang": "en", "q": "湿地",
    }
    assert "p" not in s.to_query_params(include_page=False)


def test_empty_layers_differ_from_default_layers():
    assert ViewState(layers=()).to_query_params() == {"plan": "mianyang", "layers": "-"}
    assert ViewState(layers=None).to_query_params() == {"plan": "mianyang"}


def test_an_old_link_without_a_plan_opens_the_default_plan_and_gets_it_written():
    state, notices = ViewState.from_query_params({"z": "8", "center": "31.5,104.7"}, CATALOG)
    assert (state.plan, notices) == ("mianyang", [])
    assert state.to_query_params()["plan"] == "mianyang"
    later = Catalog(CATALOG.plans, default_plan="panjin")  # the default changed: the written link does not
    assert ViewState.from_query_params(state.to_query_params(), later)[0].plan == "mianyang"


def test_url_uses_page_paths_and_encodes_non_ascii():
    s = ViewState(page="text", clause="三.(二)", layers=("core", "link"), q="a b+c")
    url = s.url("http://10.0.0.5:8501/")
    assert url.startswith("http://10.0.0.5:8501/text?")
    assert "%E4%B8%89.%28%E4%BA%8C%29" in url and "layers=core,link" in url and "q=a%20b%2Bc" in url
    assert url.isascii()
    assert ViewState().url("http://h:1") == "http://h:1/?plan=mianyang"
    assert (ViewState(page="overview", lang="en").url("https://h/guihua")
            == "https://h/guihua/overview?plan=mianyang&lang=en")
    assert set(PAGE_PATHS) == {"map", "text", "overview", "catalogue", "import", "admin"}


def test_the_catalogue_state_travels_in_the_url():
    s = ViewState(page="catalogue", q="旺苍", cat_level="county", cat_province="510000", cat_place="510821",
                  cat_year=2017, cat_issuer="旺苍县人民政府办公室", cat_type="implementation", cat_page=3)
    url = s.url("http://h:1")
    assert url.startswith("http://h:1/catalogue?") and "lv=county" in url and "pg=3" in url and "yr=2017" in url
    assert ViewState.from_url(url)[0] == s
    back, notices = ViewState.from_query_params({"lv": "town", "prov": "510821", "adm": "x", "yr": "1066",
                                                 "type": "{{7*7}}", "pg": "0", "iss": "<script>" * 30})
    assert (back.cat_level, back.cat_province, back.cat_place, back.cat_year, back.cat_type) == ("", "", "", None, "")
    assert back.cat_page == 1 and back.cat_issuer == ("<script>" * 30)[:100]
    assert sorted(n.code for n in notices) == ["clamped", "invalid", "invalid", "invalid", "invalid", "invalid",
                                               "truncated"]
    with pytest.raises(ValueError):
        ViewState(cat_year=1800)


def test_url_round_trips_through_a_browser_style_parse():
    s = ViewState(page="text", plan="mianyang", clause="三.(二)", layers=("core", "link"), q="涪江 & 科技城")
    url = s.url("http://localhost:8501")
    back, notices = ViewState.from_url(url, CATALOG)
    assert (back, notices) == (s, [])
    # as Streamlit reads it: parse_qs with blank values kept
    params = parse_qs(urlsplit(url).query, keep_blank_values=True)
    assert ViewState.from_query_params(params, CATALOG)[0] == s.with_(page="map")


def test_with_validates_like_the_constructor():
    s = ViewState().with_(zoom=12, center=(31.46, 104.74))
    assert (s.zoom, s.center) == (12, (31.46, 104.74))
    for bad in ({"zoom": 30}, {"zoom": True}, {"lang": "fr"}, {"center": (91, 0)}, {"page": "x"},
                {"feature": "<x>"}, {"q": "a\x00"}, {"plan": "Mian Yang"}):
        with pytest.raises(ValueError):
            ViewState().with_(**bad)


def test_field_table_matches_the_dataclass():
    assert [f.name for f in FIELDS] == [f.name for f in dataclasses.fields(ViewState)]
    assert len({f.key for f in FIELDS}) == len(FIELDS)
    for f in FIELDS:
        assert f.doc, f.name


# --------------------------------------------------------------------------- round trip


@st.composite
def states(draw) -> ViewState:
    plan_id = draw(st.sampled_from(sorted(CATALOG.plans)))
    plan = CATALOG.plans[plan_id]
    layers = draw(st.one_of(st.none(), st.lists(st.sampled_from(plan.layers), unique=True)))
    if layers is not None:
        layers = tuple(sorted(layers, key=plan.layers.index))
    coord = st.tuples(st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False))
    text = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=200)
    return ViewState(
        page=draw(st.sampled_from(("map", "text", "overview"))),
        plan=plan_id,
        layers=layers,
        feature=draw(st.one_of(st.none(), st.sampled_from(sorted(plan.features)))),
        clause=draw(st.one_of(st.none(), st.sampled_from(sorted(plan.clauses)))),
        center=draw(st.one_of(st.none(), coord)),
        zoom=draw(st.one_of(st.none(), st.integers(3, 18))),
        basemap=draw(st.sampled_from(("none", "osm", "tianditu"))),
        lang=draw(st.sampled_from(("zh", "en"))),
        q=draw(text),
        compare=draw(st.one_of(st.none(), st.sampled_from(sorted(CATALOG.plans)))),
        compare_mode=draw(st.sampled_from(("side", "overlay"))),
    )


@settings(max_examples=300, deadline=None)
@given(states())
def test_round_trip(s):
    back, notices = ViewState.from_query_params(s.to_query_params(), CATALOG)
    assert notices == []
    assert back == s


@settings(max_examples=100, deadline=None)
@given(states())
def test_round_trip_through_url(s):
    back, notices = ViewState.from_url(s.url("http://127.0.0.1:8501/app"), CATALOG)
    assert notices == []
    assert back == s


def test_one_bad_value_does_not_spoil_the_others():
    state, _ = ViewState.from_query_params({"z": None, "lang": "en", 3: "x", "c": [b"x", "一"]}, CATALOG)
    assert (state.lang, state.clause, state.zoom) == ("en", "一", None)
