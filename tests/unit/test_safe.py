"""The one way untrusted text is shown (geo/safe.py): inert in HTML, in Markdown and in a map script compiled as a
template; fuzzed with hypothesis; and the only way our map templates write data. Payloads: tests/hostile.py."""

from __future__ import annotations

import json
import re

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from geo import safe
from geo import view as vm
from geo.view.state import ViewState
from tests.conftest import ROOT
from tests.hostile import PAYLOADS

# --------------------------------------------------------------------------- the one helper


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_json_is_inert_in_a_template_and_reads_back(payload):
    value = {"name": payload, "list": [payload, 1, None], "nested": {"k": payload}}
    embedded = safe.script_json(value)
    assert jinja2.Template(embedded).render() == embedded  # a second compile changes nothing
    assert "</" not in embedded and "<" not in embedded
    back = json.loads(embedded)
    assert back["name"] == safe.BIDI_CONTROLS.sub("\ufffd", payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escape_html_is_inert_in_a_template(payload):
    out = safe.escape_html(payload)
    assert jinja2.Template(out).render() == out
    assert "<" not in out and "{" not in out and "%" not in out
    assert not safe.BIDI_CONTROLS.search(out)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_template_inert_data_survives_folium_tojson_and_a_second_compile(payload):
    data = safe.template_inert({"tooltip": f"<b>{safe.escape_html(payload)}</b>", "raw": payload})
    dumped = jinja2.Template("{{ d|tojson }}").render(d=data)
    assert jinja2.Template(dumped).render() == dumped


@settings(max_examples=300, deadline=None)
@given(hs.recursive(hs.none() | hs.booleans() | hs.integers() | hs.text(alphabet=hs.sampled_from(
    list("{}%#<>&'\"\\/ab 核\n") + ["\u2028", "\u202e", "\u200b"])),
    lambda children: hs.lists(children, max_size=4) | hs.dictionaries(hs.text(max_size=4), children, max_size=4),
    max_leaves=12))
def test_script_json_fuzz(value):
    embedded = safe.script_json(value)
    assert jinja2.Template(embedded).render() == embedded
    assert "<" not in embedded and "\u2028" not in embedded
    json.loads(embedded)


@settings(max_examples=300, deadline=None)
@given(hs.text(alphabet=hs.sampled_from(list("{}%#<>&'\"核\n ab") + ["\u202e", "\u2066"])),
       hs.lists(hs.tuples(hs.integers(-3, 40), hs.integers(-3, 40)), max_size=4))
def test_text_to_html_fuzz(text, spans):
    for out in (vm.highlight_html(text, spans), vm.clause_html("一.(1)", text, spans), vm.pre_html(text)):
        assert jinja2.Template(out).render() == out
        assert not re.search(r"<(?!/?(mark|br|div|span|p)\b)", out), out
        assert not safe.BIDI_CONTROLS.search(out)
    assert "<" not in vm.md_escape(text).replace("\\<", "")


@settings(max_examples=300, deadline=None)
@given(hs.dictionaries(hs.sampled_from(["plan", "f", "c", "q", "layers", "z", "center", "lang", "vs", "base", "x"]),
                       hs.lists(hs.text(alphabet=hs.sampled_from(list("{}%#<>'\"&=,.-_ az09核") + ["\u202e"]),
                                        max_size=30), min_size=1, max_size=2)))
def test_url_parser_fuzz(params):
    state, _ = ViewState.from_query_params(params)
    back, notices = ViewState.from_query_params(state.to_query_params())
    assert back == state and not [n for n in notices if n.code != "unknown_key"]


# --------------------------------------------------------------------------- the safe way is the only way

#: Every value our own map templates write, and why it is inert (see geo/safe.py).
TEMPLATE_FIELDS = {
    "this.css": "our stylesheet (GhyztChrome), no plan text",
    "this._parent": "the map's variable name",
    "this.position_json": "a Leaflet corner of ours, through script_json (Legend.__init__)",
    "this.html_json": "the legend: escape_html, then script_json (Legend.__init__)",
    "this.js": "the controller: plan data through script_json (MapController.render)",
    "this.command_json": "the command: script_json (_Command.__init__)",
}


def test_every_value_our_map_templates_write_is_known_to_be_inert():
    """A new ``{{ this.x }}`` in a map template must say here how its data is made inert."""
    written = set()
    for path in (ROOT / "geo").rglob("*.py"):
        written |= set(re.findall(r"\{\{\s*(this\.[A-Za-z_]+)", path.read_text(encoding="utf-8")))
    assert written <= set(TEMPLATE_FIELDS), sorted(written - set(TEMPLATE_FIELDS))
    assert not [p for p in (ROOT / "geo").rglob("*.py") if "|tojson" in p.read_text(encoding="utf-8")
                and "Template(" in p.read_text(encoding="utf-8")], "use geo.safe.script_json, not |tojson"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_table_of_a_clause_is_inert(payload):
    out = vm.table_html(payload, [(payload, "指标"), ("1", payload)])
    assert jinja2.Template(out).render() == out
    assert not re.search(r"<(?!/?(table|caption|thead|tbody|tr|th|td)\b)", out), out
