"""The typed feature (geo/feature.py) is the schema's feature, and its constants are the ones everyone uses."""

from __future__ import annotations

from typing import get_type_hints

from geo import feature
from geo.view import mapview, state


def _schema_props() -> dict:
    return feature.feature_schema()["properties"]["properties"]


def test_feature_properties_hold_every_schema_field_and_require_what_it_requires():
    schema = _schema_props()
    hints = get_type_hints(feature.FeatureProperties)
    assert set(schema["properties"]) <= set(hints)
    assert set(schema["required"]) == feature.FeatureProperties.__required_keys__


def test_the_feature_itself_matches_the_schema():
    schema = feature.feature_schema()
    assert set(schema["required"]) == feature.Feature.__required_keys__
    assert set(feature.Excerpt.__required_keys__) == set(
        _schema_props()["properties"]["excerpts"]["items"]["required"])


def test_kinds_and_precisions_are_the_schemas_enums():
    props = _schema_props()["properties"]
    assert sorted(feature.KINDS) == sorted(props["kind"]["enum"]) == sorted(feature.KIND_ORDER)
    assert sorted(feature.PRECISIONS) == sorted(props["precision"]["enum"])


def test_shared_constants_have_one_home():
    assert state.BASEMAPS is feature.BASEMAPS and mapview.BASEMAPS is feature.BASEMAPS
    assert state.ZOOM_RANGE is feature.ZOOM_RANGE and mapview.ZOOM_RANGE is feature.ZOOM_RANGE
    assert mapview.KIND_ORDER is feature.KIND_ORDER
