"""The structure diagram of imported plans: an unsaved draft and a saved imported plan, as PNG and PDF.

The draft is that of an invented plan text (`tests.unit.importer.test_draft.CHANGSHA`), with one feature made named-only
here (the importer's rules change; the drawing of a feature without geometry is what is tested).
"""

from __future__ import annotations

import copy
import io
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from geo import view as vm
from geo.export import ExportError, TofuWarning, can_draw, render_plan
from geo.importer.draft import draft_plan
from geo.importer.editing import PlanDraft
from geo.places.gazetteer import load_gazetteer
from geo.store import SQLitePlanStore
from geo.view.mapview import STYLES
from tests.conftest import ROOT
from tests.pages.test_import_page import APP, drafted_map
from tests.unit.importer.test_draft import CHANGSHA

pytestmark = pytest.mark.slow  # renders drafts and stored plans to print maps

TITLE = "长沙市推进区域协调发展实施方案"
NAMED_ONLY = "湘江新区发展带"  # made named-only below: listed in the legend, not drawn
DPI = 60


@pytest.fixture(scope="module")
def draft() -> PlanDraft:
    made = PlanDraft.from_draft(draft_plan(CHANGSHA, load_gazetteer()), "粘贴")
    collection = copy.deepcopy(dict(made.collection))
    route = next(f for f in collection["features"] if f["properties"]["kind"] == "route")
    named = copy.deepcopy(route)
    named["id"] = "route-named"
    named["geometry"] = None
    named["properties"].update(id="route-named", name=NAMED_ONLY, named_only=True)
    collection["features"].append(named)
    return PlanDraft(made.title, made.text, made.jurisdiction, collection, made.source)


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def colour_share(png: bytes, colour: str, tolerance: int = 24) -> float:
    """Share of the page's pixels within ``tolerance`` of ``colour`` on every channel."""
    want = np.array([round(c * 255) for c in to_rgb(colour)], dtype=np.int16)
    return float((np.abs(pixels(png) - want).max(axis=2) <= tolerance).mean())


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "".join(page.extract_text() for page in reader.pages)


def test_a_draft_renders_to_an_a4_png(draft):
    png = draft.export("png", dpi=DPI)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    im = Image.open(io.BytesIO(png))
    short, long = sorted(im.size)
    assert abs(short - round(210 / 25.4 * DPI)) <= 1 and abs(long - round(297 / 25.4 * DPI)) <= 1
    assert "Software" not in im.info


def test_a_draft_renders_to_a_one_page_pdf_with_its_cjk_title(draft):
    pdf = draft.export("pdf")
    assert pdf.startswith(b"%PDF-") and b"/FontFile2" in pdf  # CJK font embedded as TrueType
    pages, text = pdf_text(pdf)
    assert pages == 1
    assert TITLE in text
    assert "长沙市空间结构示意图（草图）" in text  # a draft says it is one
    assert "据文本自动识别的草图，未保存" in text
    assert "发文机关未识别" in text and "日期未识别" in text  # not "未注明": the importer did not look
    assert "仅提及、未绘制" in text and NAMED_ONLY in text  # listed for the planner to check, not counted


def test_the_drawn_features_are_the_drafts(draft):
    data = draft.plan_data
    drawing = render_plan(data.plan, data.layers, dpi=DPI, origin="draft")
    with_geometry = [f["id"] for f in draft.collection["features"]
                     if f["properties"]["kind"] != "admin" and f["geometry"]]
    assert sorted(drawing.drawn) == sorted(with_geometry)
    assert "route-named" not in drawing.drawn and drawing.named_only == (NAMED_ONLY,)
    core_only = render_plan(data.plan, data.layers, layers=["core"], dpi=DPI, origin="draft")
    assert [f for f in core_only.drawn] == [f["id"] for f in data.layers["core"]["features"]]


def test_an_edit_changes_the_diagram(draft):
    # the core's red outline is on the page; after deleting the core in the draft it is gone
    core_red = STYLES["core"].color
    core = next(f["id"] for f in draft.collection["features"] if f["properties"]["kind"] == "core")
    before = colour_share(draft.export("png", ["core"], dpi=DPI), core_red)
    after = colour_share(draft.delete([core]).export("png", ["core", "wing"], dpi=DPI), core_red)
    assert before > 0.0005 and after < before / 20, (before, after)  # ~0.1 % of the page at 60 dpi


def test_selection_english_and_no_tofu(draft):
    node = next(f["id"] for f in draft.collection["features"] if f["properties"]["kind"] == "node")
    with warnings.catch_warnings():
        warnings.simplefilter("error", TofuWarning)
        pdf = draft.export("pdf", lang="en", selected=node, clause="一.(一)")
    _, text = pdf_text(pdf)
    assert "Highlighted:" in text and "[draft]" in text and "Named only, not drawn" in text
    with pytest.raises(ExportError, match="unknown feature"):
        draft.export("png", selected="core-99")
    with pytest.raises(ExportError, match="unknown clause"):
        draft.export("png", clause="九十九")


def test_a_draft_with_nothing_to_draw_says_so():
    empty = PlanDraft("无辖区方案", "一、总则\n（一）建设“两廊”。", {"adcode": None},
                      {"type": "FeatureCollection", "features": [
                          {"type": "Feature", "id": "corridor-1", "geometry": None,
                           "properties": {"id": "corridor-1", "kind": "corridor", "name": "两廊", "named_only": True,
                                          "precision": "schematic", "clauses": []}}]})
    assert not can_draw(empty.plan_data.layers)
    with pytest.raises(ExportError, match="没有可绘制的要素"):
        empty.export("png", dpi=DPI)


def test_a_long_named_only_list_is_cut_and_counted(draft):
    collection = copy.deepcopy(dict(draft.collection))
    template = next(f for f in collection["features"] if f["id"] == "route-named")
    for i in range(14):
        extra = copy.deepcopy(template)
        extra["id"] = f"route-named{i}"
        extra["properties"].update(id=extra["id"], name=f"第{i + 2}条通道")
        collection["features"].append(extra)
    many = PlanDraft(draft.title, draft.text, draft.jurisdiction, collection)
    _, text = pdf_text(many.export("pdf"))
    text = text.replace("\n", "").replace("\u3000", "")  # the list wraps, later lines indented
    assert NAMED_ONLY in text and "第12条通道" in text and "第13条通道" not in text
    assert "第12条通道等 15 项" in text and "（见图层 GeoJSON）" in text


def test_a_draft_without_a_jurisdiction_draws_no_boundary():
    node = {"type": "Feature", "id": "node-1", "geometry": {"type": "Point", "coordinates": [112.98, 28.2]},
            "properties": {"id": "node-1", "kind": "node", "name": "某开发区", "named_only": False,
                           "precision": "point", "clauses": []}}
    loose = PlanDraft("某县发展方案", "一、总则\n（一）建设某开发区。", {"adcode": None},
                      {"type": "FeatureCollection", "features": [node]})
    data = loose.plan_data
    drawing = render_plan(data.plan, data.layers, fmt="pdf", origin="draft")
    _, text = pdf_text(drawing.data)
    assert drawing.drawn == ("node-1",)
    assert "空间结构示意图（辖区未定）（草图）" in text and "辖区界线" not in text and "辖区县级单元" not in text


@pytest.fixture
def saved(draft, tmp_path, monkeypatch) -> str:
    path = tmp_path / "plans.sqlite3"
    monkeypatch.setenv("GEO_STORE_PATH", str(path))
    return draft.save(SQLitePlanStore(path))


def test_a_saved_imported_plan_renders_with_its_id(saved, draft):
    png = vm.stored_plan_export(saved, "png", (), "zh", dpi=DPI)
    assert png.startswith(b"\x89PNG")
    # the same drawing as the draft's, but for the saved id in the credits and no 草图 mark
    assert png != draft.export("png", dpi=DPI)
    pages, text = pdf_text(vm.stored_plan_export(saved, "pdf", ("core", "wing"), "zh"))
    assert pages == 1 and TITLE in text
    assert f"编号 {saved}" in text and "草图" not in text
    assert NAMED_ONLY not in text  # its layer (route) is hidden


def run_export(*args: str, store: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GEO_STORE_PATH": store}
    return subprocess.run([sys.executable, "-m", "geo", "export", *args], check=False, cwd=ROOT, capture_output=True,
                          text=True, timeout=180, env=env)


def test_the_cli_exports_a_saved_plan_from_the_store(saved, tmp_path):
    store = str(tmp_path / "plans.sqlite3")
    out = tmp_path / "out"
    out.mkdir()
    result = run_export(saved, "--format", "png", "--out", str(out), "--dpi", str(DPI), store=store)
    assert result.returncode == 0, result.stderr
    written = next(out.iterdir())
    assert written.name.startswith(f"{saved}_空间结构图_")
    assert written.read_bytes() == vm.stored_plan_export(saved, "png", (), "zh", dpi=DPI)
    for args, message in ((["draft" + "a" * 38], "private draft"), (["abcdefghijklmnop"], "no saved plan"),
                          ([saved, "--layers", "cores"], "unknown layer 'cores'")):
        bad = run_export(*args, "--format", "pdf", "--out", str(out), store=store)
        assert bad.returncode == 2 and message in bad.stderr and "Traceback" not in bad.stderr, bad.stderr
    missing = run_export(saved, "--format", "pdf", "--out", str(out), store=str(tmp_path / "none.sqlite3"))
    assert missing.returncode == 2 and "no plan store" in missing.stderr
    assert not (tmp_path / "none.sqlite3").exists()  # a look-up creates no store
    assert len(list(out.iterdir())) == 1


def test_the_export_panel_offers_the_diagram_for_a_draft(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at = drafted_map(at.switch_page("pages/import.py").run())
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:2] == ["结构图 PNG（A4，300 dpi）", "结构图 PDF"] and len(labels) == 5
    assert any("草图可导出结构图" in c.value for c in at.caption)
    at.button(key="edit_save").click().run()
    at = at.switch_page("pages/map.py").run()
    assert vm.is_stored_plan_id(at.query_params["plan"])
    assert [b.proto.label for b in at.get("download_button")][:2] == ["结构图 PNG（A4，300 dpi）", "结构图 PDF"]


def test_a_saved_plan_names_the_issuer_of_its_title_line_as_its_draft_did(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    text = ("中共长沙市委长沙市人民政府关于推进区域协调发展的实施意见\n一、空间格局\n"
            "（一）构建“一核两翼”格局。“一核”包括岳麓区、天心区、开福区。北翼以望城区为重点。\n")
    made = PlanDraft.from_draft(draft_plan(text, load_gazetteer()), "粘贴")
    pid = made.save(SQLitePlanStore(tmp_path / "plans.sqlite3"))
    source = "资料来源：《关于推进区域协调发展的实施意见》，中共长沙市委长沙市人民政府，日期未识别"
    for pdf in (made.export("pdf"), vm.stored_plan_export(pid, "pdf", (), "zh")):
        assert source in pdf_text(pdf)[1]


# ---- the features to check (confidence low), as on the live map (issue #19)

MAGENTA_STROKE = b"1 0 1 RG"  # the PDF operator stroking in TO_CHECK_STYLE's #ff00ff


def marked_low(draft: PlanDraft, kinds: tuple[str, ...], name: str | None = None) -> PlanDraft:
    """The draft with the first feature of each kind marked low confidence (the importer's rules change; how a
    feature to check is drawn is what is tested), the first of them renamed ``name`` if given."""
    collection = copy.deepcopy(dict(draft.collection))
    for n, kind in enumerate(kinds):
        feat = next(f for f in collection["features"] if f["properties"]["kind"] == kind and f["geometry"])
        feat["properties"]["confidence"] = "low"
        if name is not None and n == 0:
            feat["properties"]["name"] = name
    return PlanDraft(draft.title, draft.text, draft.jurisdiction, collection, draft.source)


def stroke_operators(pdf: bytes) -> bytes:
    return b"".join(page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages)


def drawn_map(draft: PlanDraft, monkeypatch, **kwargs):
    """Render the draft's diagram and return the `_Map` that drew it (its axes hold the artists)."""
    from geo.export import diagram

    made = []

    class Spy(diagram._Map):
        def draw(self, fig):
            made.append(self)
            super().draw(fig)

    monkeypatch.setattr(diagram, "_Map", Spy)
    data = draft.plan_data
    render_plan(data.plan, data.layers, dpi=DPI, origin="draft", **kwargs)
    return made[0]


def test_features_to_check_are_marked_and_listed_in_the_legend(draft):
    # an area, a line and a point to check: a magenta band under each, a legend row explaining it, their names listed
    checked = marked_low(draft, ("core", "corridor", "node"))
    names = [next(f["properties"]["name"] for f in checked.collection["features"]
                  if f["properties"]["kind"] == k and f["properties"].get("confidence") == "low")
             for k in ("core", "corridor", "node")]
    with warnings.catch_warnings():
        warnings.simplefilter("error", TofuWarning)  # the legend's Chinese is in the CJK font
        pdf = checked.export("pdf")
        pdf_en = checked.export("pdf", lang="en")
    _, text = pdf_text(pdf)
    flat = text.replace("\n", "").replace("\u3000", "")
    assert "待核对（可信度低）" in text and "洋红虚线衬底；线型仍示精度" in text
    assert "3 处：" in flat and all(n in flat for n in names), flat
    assert MAGENTA_STROKE in stroke_operators(pdf)
    _, text_en = pdf_text(pdf_en)
    assert "To check (low confidence)" in text_en and "line shows precision" in text_en
    # a draft with nothing to check says nothing of it and draws no magenta
    plain = draft.export("pdf")
    assert "待核对" not in pdf_text(plain)[1] and MAGENTA_STROKE not in stroke_operators(plain)
    assert colour_share(checked.export("png", dpi=DPI), "#ff00ff") > 0.0002
    assert colour_share(draft.export("png", dpi=DPI), "#ff00ff") == 0.0


def test_a_feature_to_check_keeps_its_precision_style(draft, monkeypatch):
    # the band is under the feature: the feature's own outline or line keeps its precision's dashes on top
    from matplotlib.colors import to_hex
    from matplotlib.lines import Line2D

    from geo.view.mapview import TO_CHECK_STYLE

    checked = marked_low(draft, ("zone", "corridor", "node"))
    drawing = drawn_map(checked, monkeypatch)

    def stroke(a):
        return to_hex(a.get_color() if isinstance(a, Line2D) else a.get_edgecolor())

    artists = [*drawing.ax.patches, *drawing.ax.lines]
    band = [a for a in artists if stroke(a) == to_hex(TO_CHECK_STYLE["color"])]
    assert band, "no band drawn"
    # the zone is approximate (dashed), the corridor schematic (dash-dot): each still dashed, above a band
    for colour in (STYLES["zone"].color, STYLES["corridor"].color):
        own = [a for a in artists if stroke(a) == to_hex(colour) and a.get_linestyle() not in ("-", "solid")]
        assert own, colour
        assert any(b.get_zorder() < min(o.get_zorder() for o in own) for b in band), colour
    # the point keeps its marker; its ring is a dashed circle round it
    assert any(type(b).__name__ == "Circle" and b.get_linestyle() not in ("-", "solid") for b in band)
    assert sorted(drawing.legend.to_check) == sorted(
        f["properties"]["name"] for f in checked.collection["features"] if f["properties"].get("confidence") == "low")


def test_a_hostile_name_to_check_is_drawn_literally(draft, drawn_texts):
    # the legend lists the names of the features to check: plan text, drawn as written (no mathtext, no template)
    weird = r"$\frac{a}{$ {{7*7}} <script>alert(1)</script>"
    drawn = drawn_texts
    checked = marked_low(draft, ("link",), name=weird)
    pdf = checked.export("pdf")
    listed = "".join(s.strip("\u3000") for s in drawn)  # the legend's list wraps, later lines indented
    assert weird in listed, drawn
    assert "{{7*7}}" in pdf_text(pdf)[1].replace("\n", "") and "49" not in [s.strip() for s in drawn]


def test_a_part_drawn_at_a_seat_is_a_named_point(monkeypatch):
    # 一核 = 县城 is drawn as a point at the county's seat (precision point): on paper a marker with its name
    text = "临洮县国土空间总体规划\n一、空间格局\n构建“一核两翼”的空间格局。一核：以县城为核心，辐射带动周边乡镇。\n"
    made = PlanDraft.from_draft(draft_plan(text, load_gazetteer()), "粘贴")
    core = next(f for f in made.collection["features"] if f["properties"]["kind"] == "core")
    assert core["geometry"]["type"] == "Point" and core["properties"]["precision"] == "point"
    drawing = drawn_map(made, monkeypatch)
    assert core["id"] in drawing.drawn and drawing.legend.kinds["core"] == {"point"}
    assert "一核" in drawing.texts  # its label, placed beside the marker
