"""Features to check on the map (issue #19): their style and legend row, the tooltip, the panel's confidence and
reasons, escaped wherever plan text in a reason is shown."""

from __future__ import annotations

import dataclasses
import json

import pytest

from geo.importer.draft import draft_plan, feature_rows
from geo.importer.editing import PlanDraft
from geo.places.gazetteer import load_gazetteer
from geo.view.mapview import TO_CHECK_STYLE, Legend, build_map
from geo.view.mapwidget import panel_data
from geo.view.panels import feature_panel
from tests.hostile import PAYLOADS

GAZ = load_gazetteer()
PLAN = "长沙市推进区域协调发展实施方案\n一、空间格局\n构建“一核”格局。“一核”包括岳麓区、天心区、开福区。推进长沙—岳阳一体化。"


@pytest.fixture(scope="module")
def draft() -> PlanDraft:
    return PlanDraft.from_draft(draft_plan(PLAN, GAZ))


def low_id(draft: PlanDraft) -> str:
    return next(f["id"] for f in draft.collection["features"] if f["properties"].get("confidence") == "low")


def test_features_to_check_are_drawn_in_their_own_style_and_named_in_the_legend(draft):
    fid = low_id(draft)
    m = build_map([draft.collection])
    html = m.get_root().render()
    assert TO_CHECK_STYLE["color"] in html
    (legend,) = [c for c in m._children.values() if isinstance(c, Legend)]
    assert "待核对（可信度低）" in legend.html
    assert "To check (low confidence)" in next(c for c in build_map([draft.collection], lang="en")._children.values()
                                                if isinstance(c, Legend)).html
    # the tooltip says so too; a map without such a feature has no legend row
    assert "ghyzt-check" in html and fid
    sure = {**draft.collection, "features": [f for f in draft.collection["features"] if f["id"] != fid]}
    (plain_legend,) = [c for c in build_map([sure])._children.values() if isinstance(c, Legend)]
    assert "待核对" not in plain_legend.html


def test_the_panel_shows_confidence_and_reasons(draft):
    fid = low_id(draft)
    panel = feature_panel(draft.plan_data, fid)
    assert panel.to_check and panel.reasons
    assert "待核对" in panel.header_html() and "ghyzt-reasons" in panel.header_html()
    data = panel_data(draft.plan_data)
    assert data["features"][fid]["check"] is True and data["features"][fid]["confidence"] == "待核对"
    assert data["features"][fid]["reasons"] == list(panel.reasons)
    assert data["labels"]["reasons"] == "依据与假定"
    sure = next(f for f in draft.collection["features"] if f["properties"].get("confidence") == "high")
    assert data["features"][sure["id"]]["check"] is False


def test_the_table_lists_features_to_check_first(draft):
    rows = feature_rows(draft.collection, GAZ)
    assert rows[0]["confidence"] == "low" and all(r["confidence"] != "low" for r in rows[1:])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_reasons_quoting_plan_text_are_escaped(draft, payload):
    fid = low_id(draft)
    hostile = [{**f, "properties": {**f["properties"], "reasons": [
        {"code": "rule.definition", "data": {"name": payload}},
        {"code": "check.far_homonym", "data": {"written": payload, "place": payload, "km": 999}}]}}
               if f["id"] == fid else f for f in draft.collection["features"]]
    bad = dataclasses.replace(draft, collection={**draft.collection, "features": hostile})
    panel = feature_panel(bad.plan_data, fid)
    header = panel.header_html()
    if "<" in payload:
        assert payload not in header and "&lt;" in header
    data = panel_data(bad.plan_data)
    assert any(payload in r for r in data["features"][fid]["reasons"])  # text for the map's text nodes
    json.dumps(data)  # JSON-ready


def test_a_layer_holding_a_feature_to_check_is_shown_by_default(draft):
    from geo.view.model import default_layers

    layers = draft.plan_data.layers
    assert "link" in default_layers(layers)  # 长沙—岳阳, a guess: shown so that it is checked
    sure = {k: {**fc, "features": [f for f in fc["features"] if f["properties"].get("confidence") != "low"]}
            for k, fc in layers.items()}
    assert "link" not in default_layers(sure)
