"""The features to check (issue #19) under AppTest: counted on the Import page, listed first there and in the Map
page's edit panel, their confidence and reasons shown, plan text in a reason shown as text."""

from __future__ import annotations

import dataclasses

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.test_import_page import APP, current, draft_from, on_map, picker

#: Two guesses to check: a pole defined as a far-away city (left out, not drawn) and A—B with no word saying
#: what ties them (the kind is a guess); the rest is read with confidence.
PLAN = """长沙市推进区域协调发展实施方案
一、空间格局
（一）构建“一核一极”格局。“一核”包括岳麓区、天心区、开福区。“一极”即漠河市。
（二）推进长沙—岳阳一体化。
二、开放合作
（三）深化与武汉市的合作。
"""


@pytest.fixture
def page(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    return at.switch_page("pages/import.py").run()


def test_the_import_page_counts_the_features_to_check_and_lists_them_first(page):
    at = draft_from(page, PLAN)
    assert not at.exception, at.exception
    assert [w.value for w in at.warning if "待核对" in w.value] == ["2 处待核对"]
    table = at.dataframe[0].value
    assert list(table["confidence"][:2]) == ["待核对", "待核对"]
    assert "待核对" not in list(table["confidence"][2:])
    assert set(table["name"][:2]) == {"一极", "长沙—岳阳"}


def test_english_says_features_to_check(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at = draft_from(at.switch_page("pages/import.py").run(), PLAN)
    assert [w.value for w in at.warning if "check" in w.value] == ["2 features to check"]
    assert list(at.dataframe[0].value["confidence"][:2]) == ["to check", "to check"]


def test_the_edit_panel_lists_the_features_to_check_first_with_their_reasons(page):
    at = on_map(draft_from(page, PLAN))
    draft = current(at)
    options = picker(at).options  # "none" first, then the features: the two to check before the others
    assert [("待核对" in o) for o in options[1:]] == [True, True] + [False] * (len(options) - 3), options
    # select the far pole: its confidence and reasons, the distance among them
    pole = next(f["id"] for f in draft.collection["features"] if f["properties"]["name"] == "一极")
    at = picker(at).set_value(pole).run()
    captions = " ".join(c.value for c in at.caption).replace("\\", "")  # Markdown escapes removed
    assert "可信度：待核对" in captions and "漠河市" in captions and "千米" in captions, captions


def test_a_reason_quoting_plan_text_shows_it_as_text(page):
    """A reason's data is plan text: the edit panel shows it escaped (the names the rules read are Chinese words,
    so the hostile data is put into the draft in view)."""
    at = on_map(draft_from(page, PLAN))
    draft, plan_id = current(at), at.query_params["plan"]
    pole = next(f["id"] for f in draft.collection["features"] if f["properties"]["name"] == "一极")
    payload = "{{7*7}}<b>x</b>[a](javascript:alert(1))"
    features = [{**f, "properties": {**f["properties"], "reasons": [
        {"code": "check.far_homonym", "data": {"written": payload, "place": payload, "km": 999}}]}}
                if f["id"] == pole else f for f in draft.collection["features"]]
    at.session_state["ghyzt_drafts"][plan_id] = dataclasses.replace(
        draft, collection={**draft.collection, "features": features})
    at = picker(at).set_value(pole).run()
    assert not at.exception, at.exception
    caption = next(c.value for c in at.caption if "999" in c.value)
    assert "{{7*7}}" in caption.replace("\\", "") and "49" not in caption
    assert "<b>" not in caption and "](javascript" not in caption  # Markdown-escaped: shown as text
