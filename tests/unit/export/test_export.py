"""geo.export: golden structure diagrams, print size, CJK, literal text, GeoJSON/GeoPackage/CSV, embed, CLI.

Golden images live in ``tests/data/golden/<plan>.png``: each plan's structure layers at 60 dpi, quantised to 128
colours to stay small. Regenerate them after an intended change to the drawing, look at them, and commit::

    GEO_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/export/test_export.py -k golden
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from PIL import Image
from shapely.geometry import shape

import geo.export as ex
from geo.export import (
    CSV_COLUMNS,
    MIME_TYPES,
    STRUCTURE_LAYERS,
    ExportError,
    FontMissingError,
    TofuWarning,
    cjk_font,
    clauses_csv,
    embed_snippet,
    export,
    export_filename,
    export_view,
    layers_geojson,
    layers_gpkg,
    render_map,
)
from geo.layers import load_layers
from geo.text.plans import UnknownPlanError, load_plan, plan_ids
from geo.view.state import ViewState

pytestmark = pytest.mark.slow  # renders print maps (PNG/PDF at 300 dpi) against golden images

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "data" / "golden"
GOLDEN_DPI = 60
MEAN_TOLERANCE = 1.0  # mean absolute difference per channel, 0..255
STRONG_SHARE = 0.001  # share of pixels a channel of which differs by more than 64 (one lost label: ~0.0016)
TODAY = dt.date(2026, 11, 23)


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def quantised(png: bytes) -> bytes:
    im = Image.open(io.BytesIO(png)).convert("RGB")
    q = im.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buf = io.BytesIO()
    q.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    diff = np.abs(a - b)
    return float(diff.mean()), float((diff.max(axis=2) > 64).mean())


@pytest.fixture
def patched_layers(monkeypatch):
    """Replace a plan's layers for one test: ``patched_layers(plan, edit)`` with ``edit(layers)`` in place."""

    def patch(plan_id, edit):
        layers = copy.deepcopy(load_layers(plan_id))
        edit(layers)
        monkeypatch.setattr(ex, "load_layers", lambda pid: layers if pid == plan_id else load_layers(pid))
        return layers

    return patch


# --------------------------------------------------------------------------- the map


@pytest.mark.parametrize("plan_id", plan_ids())
def test_golden_structure_diagram(plan_id, tmp_path):
    if cjk_font() != "Noto Sans CJK SC":
        pytest.skip(f"goldens are drawn with Noto Sans CJK SC; this machine has {cjk_font()}")
    with warnings.catch_warnings():
        warnings.simplefilter("error", TofuWarning)  # every character of the map has a glyph
        png = render_map(plan_id, layers=STRUCTURE_LAYERS, dpi=GOLDEN_DPI)
    path = GOLDEN / f"{plan_id}.png"
    if os.environ.get("GEO_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(quantised(png))
    got, want = pixels(png), pixels(path.read_bytes())
    assert got.shape == want.shape, f"size changed: {got.shape} vs golden {want.shape}"
    mean, strong = difference(got, want)
    if mean > MEAN_TOLERANCE or strong > STRONG_SHARE:
        (tmp_path / f"{plan_id}.png").write_bytes(png)
        pytest.fail(f"{plan_id}: mean difference {mean:.2f} (≤ {MEAN_TOLERANCE}), strongly changed pixels "
                    f"{strong:.3%} (≤ {STRONG_SHARE:.1%}); new image: {tmp_path / f'{plan_id}.png'}")


def test_golden_tolerance_catches_a_real_change(patched_layers):
    # the tolerance admits quantisation and anti-aliasing noise, not a lost label or a changed line style
    golden = pixels((GOLDEN / "guizhou.png").read_bytes())

    def dashed_core(layers):
        layers["core"]["features"][0]["properties"]["precision"] = "approximate"

    patched_layers("guizhou", dashed_core)
    mean, strong = difference(pixels(render_map("guizhou", layers=STRUCTURE_LAYERS, dpi=GOLDEN_DPI)), golden)
    assert strong > STRONG_SHARE or mean > MEAN_TOLERANCE


def test_png_is_a4_at_300_dpi():
    png = render_map("wangcang", dpi=300)
    im = Image.open(io.BytesIO(png))
    short, long = sorted(im.size)
    assert abs(short - 210 / 25.4 * 300) <= 1 and abs(long - 297 / 25.4 * 300) <= 1  # 2480 × 3508 px
    assert round(im.info["dpi"][0]) == 300
    assert "Software" not in im.info  # no version stamp: bytes stay stable


def test_rendering_is_deterministic():
    assert render_map("panjin", dpi=40) == render_map("panjin", dpi=40)
    assert render_map("wangcang", fmt="pdf") == render_map("wangcang", fmt="pdf")


def test_pdf_embeds_its_fonts_without_a_timestamp():
    pdf = render_map("wangcang", layers=STRUCTURE_LAYERS, fmt="pdf")
    assert pdf.startswith(b"%PDF-")
    assert b"/FontFile2" in pdf  # TrueType (Type 42) embedded: text stays selectable and editable
    assert b"NotoSansCJK" in pdf
    assert b"/CreationDate" not in pdf


def test_all_layers_selection_and_english_render_without_tofu():
    with warnings.catch_warnings():
        warnings.simplefilter("error", TofuWarning)
        for plan_id in plan_ids():
            assert render_map(plan_id, dpi=30).startswith(b"\x89PNG")
        assert render_map("guizhou", selected="gz-gga-metro", dpi=30, lang="en").startswith(b"\x89PNG")
        assert render_map("qujing", clause="二.(三)", dpi=30).startswith(b"\x89PNG")


def test_plan_text_is_drawn_literally(patched_layers, drawn_texts):
    # a name that mathtext would choke on ("$\frac{a}{$" is an unfinished formula) is drawn as written
    weird = r"$\frac{a}{$ 核心 $x^2$ 100$"

    def rename(layers):
        layers["core"]["features"][0]["properties"]["name"] = weird

    patched_layers("qujing", rename)
    for fmt in ("png", "pdf"):
        assert render_map("qujing", layers=["core"], fmt=fmt, dpi=40)
    assert weird in drawn_texts


@pytest.mark.parametrize(
    "plan_id, expected",
    [
        ("wangcang", ["《关于旺苍县完善区域发展推进机制的指导意见》", "旺苍县人民政府办公室", "2017年12月30日",
                      "旺府办发〔2017〕24号"]),
        ("guizhou", ["中共贵州省委 贵州省人民*府", "年7月30日（原文如此）"]),
        ("mianyang", ["发文机关未注明", "日期未注明", "辖区绵阳市为推断"]),
    ],
)
def test_source_line_states_what_the_text_states(plan_id, expected):
    line = ex._source_line(load_plan(plan_id).meta, "zh")
    assert line.startswith("资料来源：")
    for part in expected:
        assert part in line


def test_map_refuses_what_it_cannot_draw():
    with pytest.raises(UnknownPlanError):
        render_map("nowhere")
    with pytest.raises(ExportError, match="unknown layer 'cores'"):
        render_map("guizhou", layers=["cores"])
    with pytest.raises(ExportError, match="unknown feature"):
        render_map("guizhou", selected="qj-core")
    with pytest.raises(ExportError, match="unknown clause"):
        render_map("guizhou", clause="九十九")
    with pytest.raises(ExportError):
        render_map("guizhou", fmt="svg")
    with pytest.raises(ExportError):
        render_map("guizhou", dpi=5000)


def test_missing_cjk_font_fails_with_advice(monkeypatch):
    from matplotlib import font_manager as fm

    monkeypatch.delenv("GEO_CJK_FONT", raising=False)
    monkeypatch.setattr(fm.fontManager, "ttflist", [f for f in fm.fontManager.ttflist if "CJK" not in f.name])
    monkeypatch.setattr(fm, "findSystemFonts", lambda *a, **k: [])
    cjk_font.cache_clear()
    try:
        with pytest.raises(FontMissingError, match="fonts-noto-cjk"):
            cjk_font()
    finally:
        cjk_font.cache_clear()


# --------------------------------------------------------------------------- data exports


def test_file_names_carry_plan_format_and_date():
    assert export_filename("guizhou", "png", TODAY) == "guizhou_空间结构图_2026-11-23.png"
    assert export_filename("guizhou", "gpkg", TODAY) == "guizhou_图层_2026-11-23.gpkg"
    assert export_filename("qujing", "csv", TODAY, ascii_only=True) == "qujing_clauses_2026-11-23.csv"
    assert export_filename("panjin", "pdf").endswith(f"_{dt.date.today().isoformat()}.pdf")
    for bad in ("../etc", "Guizhou", ""):
        with pytest.raises(ExportError):
            export_filename(bad, "png", TODAY)
    with pytest.raises(ExportError):
        export_filename("guizhou", "exe", TODAY)


def test_geojson_holds_the_visible_layers():
    fc = json.loads(layers_geojson("mianyang", ["core", "wing", "route"]))
    layers = load_layers("mianyang")
    expected = [f["id"] for k in ("wing", "core", "route") for f in layers[k]["features"]]
    assert fc["type"] == "FeatureCollection"
    assert sorted(f["id"] for f in fc["features"]) == sorted(expected)
    assert {f["properties"]["kind"] for f in fc["features"]} == {"core", "wing", "route"}
    assert any(f["geometry"] is None and f["properties"]["named_only"] for f in fc["features"])
    assert json.loads(layers_geojson("mianyang")) == {
        "type": "FeatureCollection", "features": [f for fc_ in layers.values() for f in fc_["features"]]}


@pytest.mark.parametrize("plan_id", ["guizhou", "mianyang"])
def test_geopackage_reads_back_as_the_layers(plan_id, tmp_path):
    path = tmp_path / "out.gpkg"
    path.write_bytes(layers_gpkg(plan_id))
    layers = load_layers(plan_id)
    assert [name for name, _ in pyogrio.list_layers(path)] == list(layers)
    for kind, fc in layers.items():
        got = gpd.read_file(path, layer=kind)
        feats = fc["features"]
        assert got.crs.to_epsg() == 4326
        assert list(got["id"]) == [f["id"] for f in feats]
        for (_, row), feat in zip(got.iterrows(), feats, strict=True):
            props = feat["properties"]
            for col in ("plan", "name", "name_en", "kind", "role", "precision", "precision_note"):
                assert row[col] == props[col], (feat["id"], col)
            assert bool(row["named_only"]) == props["named_only"]
            for col in ("clauses", "excerpts", "members"):
                assert json.loads(row[col]) == props[col], (feat["id"], col)
            inferred, direction, group = (missing_as_none(row[c]) for c in ("inferred", "direction", "group"))
            assert (json.loads(inferred) if inferred else None) == props["inferred"]
            assert direction == props.get("direction") and group == props.get("group")
            if feat["geometry"] is None:
                assert row.geometry is None or row.geometry.is_empty
            else:
                assert row.geometry.equals(shape(feat["geometry"])), feat["id"]


def test_geopackage_of_chosen_layers_only(tmp_path):
    path = tmp_path / "out.gpkg"
    path.write_bytes(layers_gpkg("qujing", ["corridor", "core", "wing"]))  # qujing has no wing: simply absent
    assert sorted(name for name, _ in pyogrio.list_layers(path)) == ["core", "corridor"]


def missing_as_none(value):
    """A read-back cell, with pandas' missing markers (None, NaN) as None."""
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_feature_and_cited_clause():
    rows = read_csv(clauses_csv("qujing", ["core", "corridor"]))
    assert list(rows[0]) == [c[1] for c in CSV_COLUMNS]
    layers = load_layers("qujing")
    feats = [f for k in ("core", "corridor") for f in layers[k]["features"]]
    assert len(rows) == sum(len(dict.fromkeys(f["properties"]["clauses"])) for f in feats)
    outline = load_plan("qujing").outline
    core = [r for r in rows if r["要素编号"] == "qj-core"]
    assert {r["条款编号"] for r in core} == set(layers["core"]["features"][0]["properties"]["clauses"])
    for r in rows:
        clause = outline.clause(r["条款编号"])
        assert r["条款标题"] == clause.heading
        assert r["条款全文"] == clause.text
        assert r["要素类型"] in ("核心", "廊道")
        for excerpt in r["依据摘录"].splitlines():
            assert excerpt in outline.text
    assert "“麒沾马”中心城市" in {r["要素名称"] for r in rows}


def test_csv_in_english_and_for_inferred_features():
    rows = read_csv(clauses_csv("mianyang", ["wing"], lang="en"))
    assert list(rows[0]) == [c[2] for c in CSV_COLUMNS]
    assert all(r["kind"] == "Wing" and r["inferred"].startswith("inferred as ") for r in rows)


def test_csv_cells_cannot_become_excel_formulas(patched_layers):
    def evil(layers):
        layers["core"]["features"][0]["properties"]["name"] = '=HYPERLINK("http://x","点击")'

    patched_layers("qujing", evil)
    rows = read_csv(clauses_csv("qujing", ["core"]))
    assert all(r["要素名称"] == "'=HYPERLINK(\"http://x\",\"点击\")" for r in rows)


def test_export_bundles_bytes_name_and_mime():
    f = export("qujing", "geojson", layers=["core"], today=TODAY)
    assert (f.file_name, f.mime) == ("qujing_图层_2026-11-23.geojson", MIME_TYPES["geojson"])
    assert json.loads(f.data)["features"][0]["id"] == "qj-core"
    state = ViewState(plan="guizhou", layers=("core", "zone"), feature="gz-gga-metro", lang="zh")
    view = export_view(state, "csv", today=TODAY)
    assert view.file_name == "guizhou_条文_2026-11-23.csv" and view.mime == "text/csv"
    assert {r["要素类型"] for r in read_csv(view.data)} <= {"核心", "片区"}


# --------------------------------------------------------------------------- embed snippet


def test_embed_snippet_for_a_view():
    url = ViewState(plan="guizhou", layers=("core", "corridor"), clause="三.(一)").url("http://10.1.2.3:8501")
    html = embed_snippet(url, width=960, height=600, title="贵州 <结构>")
    assert html.startswith('<iframe src="http://10.1.2.3:8501/?plan=guizhou&amp;layers=core,corridor&amp;c=')
    assert "&amp;embed=true\"" in html
    assert 'title="贵州 &lt;结构&gt;"' in html
    assert 'width="960" height="600"' in html and 'loading="lazy"' in html
    sandbox = html.split('sandbox="')[1].split('"')[0].split()
    assert set(sandbox) == {"allow-scripts", "allow-same-origin", "allow-popups", "allow-popups-to-escape-sandbox",
                            "allow-downloads"}
    assert "allow-top-navigation" not in html
    assert embed_snippet("http://h:8501/?embed=true").count("embed=") == 1
    assert 'src="https://h/guihua/?embed=true"' in embed_snippet("https://h/guihua/")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>", "//host/x", "not a url"])
def test_embed_snippet_refuses_non_http_urls(url):
    with pytest.raises(ValueError):
        embed_snippet(url)


def test_embed_snippet_escapes_quotes_in_the_url():
    html = embed_snippet('http://h/?q="><script>alert(1)</script>')
    assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


# --------------------------------------------------------------------------- command line


def run_export(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "export", *args], check=False, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_cli_writes_a_named_file_into_a_directory(tmp_path):
    result = run_export("qujing", "--format", "csv", "--out", str(tmp_path), "--layers", "core", "corridor")
    assert result.returncode == 0, result.stderr
    written = Path(result.stdout.strip())
    assert written.parent == tmp_path and written.name.startswith("qujing_条文_")
    assert written.read_bytes() == clauses_csv("qujing", ["core", "corridor"])


def test_cli_png_to_a_file(tmp_path):
    out = tmp_path / "map.png"
    result = run_export("wangcang", "--format", "png", "--out", str(out), "--layers", "core,node", "--dpi", "50")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == render_map("wangcang", layers=["core", "node"], dpi=50)


@pytest.mark.parametrize(
    "args, message",
    [
        (["nowhere", "--format", "csv", "--out", "{tmp}"], "unknown plan id 'nowhere'"),
        (["guizhou", "--format", "csv", "--out", "{tmp}", "--layers", "core", "bogus"], "unknown layer 'bogus'"),
        (["guizhou", "--format", "png", "--out", "{tmp}/no/such/dir/x.png"], "cannot write"),
        (["guizhou", "--format", "png", "--out", "{tmp}", "--select", "nope"], "unknown feature 'nope'"),
    ],
)
def test_cli_errors_are_one_line(tmp_path, args, message):
    result = run_export(*[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())
