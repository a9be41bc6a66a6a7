"""Hostile input for the tests: template syntax, markup and direction controls, a hostile plan, and checks.

folium/branca compile a rendered map script as a Jinja2 template a second time, so text that reaches a map script
unescaped would run on the server. The suites that drive these payloads through every path are
``tests/unit/test_safe.py`` (the helpers, fuzzing), ``tests/pages/test_hostile.py`` (maps, pages, search, links,
import, edit, publish, reopening, every export) and ``tests/browser/test_hostile_browser.py`` (a fresh server).
``{{7*7}}`` must show literally (never ``49``) and a payload that would create a file creates none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import demo_layers

SENTINEL = Path("/tmp/ghyzt-hostile-ran")  # what the side-effect payload would create

#: Template syntax of Jinja2 (and of JavaScript templating), markup and controls.
TEMPLATE = [
    "{{7*7}}",
    "{% if true %}SSTIBLOCK{% endif %}",
    "{# open comment",
    "}}{{",
    "{{constructor.constructor('alert(1)')()}}",
    f"{{{{ cycler.__init__.__globals__.os.popen('touch {SENTINEL}').read() }}}}",
    "{{ lipsum.__globals__.os.getpid() }}",
    "${7*7} #{7*7} %>",
]
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))"]
CONTROLS = ["\u202e反转\u202c", "\u2066隔离\u2069", "零\u200b宽\ufeff", "\u200f"]
PAYLOADS = TEMPLATE + MARKUP + CONTROLS

HOSTILE_TEXT = f"""测试市{{{{7*7}}}}空间规划{{% if true %}}SSTIBLOCK{{% endif %}}
一、总体要求
（1）推进区域协调发展{TEMPLATE[5]}，甲县率先。
（2）甲县和乙县共同建设{{{{constructor.constructor('alert(1)')()}}}}。
二、空间布局
（一）做强核心。建设{{{{7*7}}}}核心区{{# c，\u202e反转。
（二）联通走廊。打造甲乙走廊}}}}{{{{，连接甲县与乙县。
"""

#: A plan to paste on the Import page, template syntax in its title, clauses and names.
HOSTILE_IMPORT = f"""长沙市推进区域协调发展实施方案{{{{7*7}}}}{{% if true %}}SSTIBLOCK{{% endif %}}
一、空间格局{TEMPLATE[5]}
（一）构建“一核两翼”格局。“一核”包括岳麓区{{{{7*7}}}}、天心区、开福区。北翼以望城区为重点{{# c，南翼以长沙县为重点。
（二）推进长株潭一体化，打造长沙—株洲—湘潭发展轴}}}}{{{{。{{{{constructor.constructor('alert(1)')()}}}}
二、开放合作
（三）主动融入粤港澳大湾区，深化与武汉的合作\u202e，加快浏阳经济技术开发区建设。
"""

HOSTILE_YAML = """id: hostile
seed: 901_hostile.txt
title: "测试市{{7*7}}空间规划{% if true %}SSTIBLOCK{% endif %}"
title_en: "Test {{7*7}} plan"
issuer: "{{ lipsum.__globals__.os.getpid() }}"
date: 2020-01-01
doc_number: null
source: null
anonymised: null
jurisdiction:
  adcode: "510700"
  name: "测试市{{7*7}}"
  stated: true
  clues: []
"""


def hostile_layers() -> dict[str, dict]:
    """The demo layers with template payloads in every text field a panel, tooltip or legend shows."""
    layers = demo_layers()
    for collection in layers.values():
        for feat in collection["features"]:
            feat["properties"]["plan"] = "hostile"
    core = layers["core"]["features"][0]["properties"]
    core.update(name="核{{7*7}}心\u202e反", name_en="core {{7*7}}", role="{% if true %}SSTIBLOCK{% endif %}",
                precision_note=TEMPLATE[5], inferred={"place": "{{7*7}}", "clue": "{# c"},
                clauses=["二.(一)"], excerpts=[{"clause": "二.(一)", "text": "建设{{7*7}}核心区"}])
    layers["corridor"]["features"][0]["properties"].update(
        name="走廊}}{{", excerpts=[{"clause": "二.(二)", "text": "打造甲乙走廊}}{{"}])
    layers["node"]["features"][0]["properties"].update(name="{{ lipsum.__globals__.os.getpid() }}")
    return layers


def assert_not_evaluated(text: str) -> None:
    """No trace of an evaluated payload: no block output, no ``49`` where ``{{7*7}}`` stood."""
    for m in re.finditer("SSTIBLOCK", text):  # shown literally it follows the block's "%}", in some escape
        assert text[:m.start()].endswith(("}", "&#125;", "u007d", "\\}")), "a template block was evaluated"
    assert not re.search(r"(核|测试市|Test |改)49", text), "a template expression was evaluated"


def publish_hostile(store_path: Path) -> str:
    """Publish the hostile plan into a SQLite store at ``store_path``; its id."""
    from geo.store import SQLitePlanStore

    features = [f for c in hostile_layers().values() for f in c["features"]]
    store = SQLitePlanStore(store_path)
    try:
        return store.save("测试市{{7*7}}空间规划", HOSTILE_TEXT,
                          {"adcode": "510700", "name": "测试市{{7*7}}", "stated": True, "clues": []},
                          {"type": "FeatureCollection", "features": features})
    finally:
        store.close()


@pytest.fixture(autouse=True)
def no_side_effect():
    """Every test of a module that imports this fixture: the side-effect payload must never have run."""
    SENTINEL.unlink(missing_ok=True)
    yield
    assert not SENTINEL.exists(), "a plan text ran a shell command on the server"
