"""The Catalogue page under AppTest: every plan listed, filtered, searched and paged from the URL; hostile titles
and texts shown as text."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.store import SQLitePlanStore
from tests.conftest import ROOT
from tests.hostile import HOSTILE_TEXT, assert_not_evaluated, hostile_layers, no_side_effect  # noqa: F401

APP = str(ROOT / "dashboard.py")


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "plans.sqlite3"
    monkeypatch.setenv("GEO_STORE_PATH", str(path))
    monkeypatch.delenv("GEO_STORE_URL", raising=False)
    return path


def _run(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["p"] = "catalogue"
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("pages/catalogue.py")
    return at.run()


def _texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_the_bundled_plans_are_listed_and_filtered(store_path):
    at = _run()
    assert not at.exception
    assert "共 5 份规划" in _texts(at)
    county = _run(lv="county")
    assert "共 1 份规划" in _texts(county) and "旺苍县" in _texts(county)
    assert county.selectbox(key="catf_cat_level").value == "county"
    assert county.selectbox(key="catf_cat_level").options[:2] == ["全部", "省级 · 1"]


def test_search_lists_clauses_and_pages_in_the_url(store_path):
    at = _run(q="旺苍")
    text = _texts(at)
    assert "共 6 条条款含“旺苍”" in text and '<mark class="ghyzt-hl">旺苍</mark>' in text
    assert "第 1 / 1 页" in text
    english = _run(q="区域", lang="en", pg="2")
    assert "page 2 of" in _texts(english) and not english.exception
    beyond = _run(q="旺苍", pg="99")
    assert "第 1 / 1 页" in _texts(beyond)


def test_a_hostile_published_plan_is_shown_as_text(store_path):
    features = [f for c in hostile_layers().values() for f in c["features"]]
    store = SQLitePlanStore(store_path)
    store.save("测试市{{7*7}}<script>alert(1)</script>规划", HOSTILE_TEXT,
               {"adcode": "510700", "name": "测试市{{7*7}}", "level": "prefecture", "stated": True},
               {"type": "FeatureCollection", "features": features}, listed=True)
    store.close()
    at = _run()
    assert not at.exception and "共 6 份规划" in _texts(at)
    for q in ("{{7*7}}", "甲县"):
        hits = _run(q=q)
        text = _texts(hits)
        assert not hits.exception and "<script>" not in text
        assert_not_evaluated(text)
    labels = [link.proto.label for link in _run(q="{{7*7}}").get("page_link")]
    assert any("测试市\\{\\{7\\*7\\}\\}\\<script\\>" in label for label in labels), labels  # Markdown-escaped
