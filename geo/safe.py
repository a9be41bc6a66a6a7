"""Untrusted text made safe to show: in HTML, in Markdown, and in the map scripts folium compiles as templates.

Plan text, link parameters, uploads and edits are data. Three ways they could stop being data are closed here,
and every place that shows such text goes through one of these functions:

- **Templates.** folium and branca render an element's script and then compile the *result* as a Jinja2
  template a second time (``Element(script(this, kwargs))`` in branca's ``MacroElement.render``), so a
  ``{{ ... }}``, ``{% ... %}`` or ``{# ... #}`` inside data embedded in a map script would be evaluated on the
  server. `script_json` writes data for our own map scripts with ``{``, ``}`` and ``%`` escaped as ``\\u007b``,
  ``\\u007d`` and ``\\u0025`` (the same value to JavaScript, no delimiter to Jinja); `template_inert` prepares
  data that folium itself embeds (GeoJSON properties, tooltips, the legend, layer names): those strings are
  HTML, where ``&#123;`` shows as ``{``.
- **HTML.** `escape_html` escapes ``<>&"'`` and the template delimiters.
- **Direction.** Unicode bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) in a name could
  flip a panel heading or hide part of an excerpt; wherever text is displayed each becomes U+FFFD (�), which
  shows the planner that something odd stood there and keeps character offsets (the excerpt marks) true. The
  stored text keeps them: only its display is neutralised.

Examples
--------
>>> escape_html("{{7*7}} <b>")
'&#123;&#123;7*7&#125;&#125; &lt;b&gt;'
>>> script_json({"name": "{{7*7}}%"})
'{"name":"\\\\u007b\\\\u007b7*7\\\\u007d\\\\u007d\\\\u0025"}'
>>> plain("abc\\u202edef")
'abc\ufffddef'
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["BIDI_CONTROLS", "escape_html", "md_escape", "plain", "script_json", "template_inert"]

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Characters that change the direction of the text around them."""

_HTML_DELIMITERS = str.maketrans({"{": "&#123;", "}": "&#125;", "%": "&#37;"})
_SCRIPT_ESCAPES = {
    "{": "\\u007b", "}": "\\u007d", "%": "\\u0025", "<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
    "'": "\\u0027", "\u2028": "\\u2028", "\u2029": "\\u2029",
}
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_SCRIPT_SPECIAL = re.compile("[{}%<>&'\u2028\u2029]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$^=\"'&%])")


def plain(text: Any) -> str:
    """``text`` as a string, each bidi control replaced by U+FFFD (what is displayed of a name or an excerpt).

    Examples
    --------
    >>> plain("\\u202e甲县")
    '\ufffd甲县'
    """
    return BIDI_CONTROLS.sub("\ufffd", str(text))


def escape_html(text: Any, *, breaks: bool = False) -> str:
    """HTML for untrusted ``text``: markup, template delimiters and bidi controls made inert.

    Parameters
    ----------
    text : Any
        Untrusted text (a name, a clause, an excerpt, a query); converted with ``str``.
    breaks : bool
        Show line breaks as ``<br>``.

    Returns
    -------
    str
        Safe inside an element or a quoted attribute, and inside a map script compiled as a template.

    Examples
    --------
    >>> escape_html('"a"\\nb{%', breaks=True)
    '&quot;a&quot;<br>b&#123;&#37;'
    """
    out = html.escape(plain(text), quote=True).translate(_HTML_DELIMITERS)
    return out.replace("\n", "<br>") if breaks else out


def md_escape(text: Any) -> str:
    """Escape ``text`` so that Streamlit's Markdown shows it literally (no links, emphasis, HTML, math).

    Examples
    --------
    >>> md_escape("[x](javascript:alert(1)) **b**")
    '\\\\[x\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\) \\\\*\\\\*b\\\\*\\\\*'
    """
    return _MD_SPECIAL.sub(r"\\\1", plain(text)).replace("\n", "  \n")


def script_json(value: Any) -> str:
    """``value`` as JSON to embed in a map script: inert in ``<script>`` and in a Jinja2 template.

    Inside strings ``{ } % < > & '`` and the JavaScript line separators are written as ``\\uXXXX`` escapes,
    which JavaScript reads back as the same characters; a bidi control becomes U+FFFD (`plain`). Outside strings JSON has only its
    own punctuation, which never forms a Jinja delimiter (an object opens with ``"`` or ``}``).

    Examples
    --------
    >>> script_json(["</script>", 1])
    '["\\\\u003c/script\\\\u003e",1]'
    """
    text = json.dumps(_map_strings(value, plain), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return _JSON_STRING.sub(lambda m: _SCRIPT_SPECIAL.sub(lambda c: _SCRIPT_ESCAPES[c.group()], m.group()), text)


def template_inert(value: Any) -> Any:
    """A copy of ``value`` for folium to embed: in every string ``{ } %`` become HTML character references.

    For data that folium writes into a map script with its own ``tojson`` (GeoJSON properties, tooltips,
    the legend, layer names). Every string folium shows from such data is HTML, where ``&#123;`` is
    displayed as ``{``; ids and codes of ours never hold these characters, so they pass unchanged.

    Examples
    --------
    >>> template_inert({"tooltip": "<b>{{7*7}}</b>", "n": [1, "5%"]})
    {'tooltip': '<b>&#123;&#123;7*7&#125;&#125;</b>', 'n': [1, '5&#37;']}
    """
    return _map_strings(value, lambda s: plain(s).translate(_HTML_DELIMITERS))


def _map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """A copy of ``value`` (dicts, lists, tuples as lists) with ``fn`` applied to every string in it."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, Mapping):
        return {k: _map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_map_strings(v, fn) for v in value]
    return value
