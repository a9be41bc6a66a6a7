"""Which layers a plan's map opens with (#20): its structure; routes, links and nodes one click away."""

from __future__ import annotations

from geo.view import default_layers, layer_order, visible_layers, with_layer
from geo.view.state import ViewState

EVERY = {k: {} for k in ("admin", "context", "zone", "eco", "wing", "core", "corridor", "route", "link", "node")}


def test_the_default_is_the_structure_and_its_base():
    assert default_layers(EVERY) == ("admin", "context", "zone", "eco", "wing", "core", "corridor")
    assert layer_order(EVERY) == tuple(EVERY)


def test_a_plan_without_structure_opens_with_everything():
    nodes_only = {"admin": {}, "node": {}, "link": {}}
    assert default_layers(nodes_only) == ("admin", "link", "node")


def test_a_link_without_layers_keeps_meaning_the_default():
    state, _ = ViewState.from_query_params({"plan": "mianyang"})
    assert state.layers is None
    assert visible_layers(state.layers, EVERY) == default_layers(EVERY)
    assert "layers" not in state.to_query_params()
    # a link naming its layers keeps them, routes and all
    named, _ = ViewState.from_query_params({"plan": "mianyang", "layers": "core,route"})
    assert visible_layers(named.layers, EVERY) == ("core", "route")


def test_a_selected_feature_off_by_default_is_drawn():
    assert visible_layers(None, EVERY, "node")[-1] == "node"
    assert visible_layers(None, EVERY, "core") == default_layers(EVERY)
    assert with_layer(None, "route", EVERY) == (*default_layers(EVERY)[:7], "route")
    assert with_layer(None, "core", EVERY) is None
