"""`python -m geo outline`: encodings, error paths (one line, exit 2, no traceback), and the JSON shape."""

import json
import subprocess
from pathlib import Path

import pytest

from geo.text.decode import MAX_TEXT_BYTES, PlanTextError, decode_bytes
from geo.text.plans import PLANS_DIR
from tests.conftest import run_geo

pytestmark = pytest.mark.slow  # runs python -m geo in subprocesses

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "曲靖市促进区域协调发展实施方案\n一、总体要求\n(一)指导思想。做强“麒沾马”中心城市，提升宣威副中心城市发展水平。\n"


def run_outline(path: Path) -> subprocess.CompletedProcess:
    return run_geo("outline", path)


@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("gbk", b"")])
def test_decodes_common_chinese_encodings(encoding, prefix):
    decoded = decode_bytes(prefix + SAMPLE.encode(encoding))
    assert decoded.text == SAMPLE


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "image"),
        (b"PK\x03\x04" + bytes(range(1, 32)) * 50, "binary"),
        (b"x" * (MAX_TEXT_BYTES + 1), "too large"),
    ],
)
def test_refuses_bad_input_with_a_clear_message(data, message):
    with pytest.raises(PlanTextError, match=message):
        decode_bytes(data)


def test_outline_of_a_bundled_plan(tmp_path):
    result = run_outline(PLANS_DIR / "qujing" / "original.txt")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["title"] == "曲靖市促进区域协调发展实施方案"
    assert doc["jurisdiction"]["adcode"] == "530300"
    clause = next(c for c in doc["clauses"] if c["id"] == "二.(三)")
    assert set(clause) >= {"id", "heading", "text", "span", "places", "slogans"}
    names = {p["name"] for p in clause["places"]}
    assert {"麒麟区", "沾益区", "马龙区", "宣威市", "陆良县", "师宗县", "罗平县", "富源县", "会泽县"} <= names
    assert all(set(p) >= {"name", "mention", "adcode", "level"} for p in clause["places"])
    slogans = {s["text"]: s["parts"] for c in doc["clauses"] for s in c["slogans"]}
    assert slogans["1环3纵5横7联"] == [{"count": 1, "term": "环"}, {"count": 3, "term": "纵"},
                                      {"count": 5, "term": "横"}, {"count": 7, "term": "联"}]


def test_outline_of_a_gb18030_file_detects_the_jurisdiction(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(SAMPLE.encode("gb18030"))
    result = run_outline(path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["jurisdiction"]["adcode"] == "530300"
    assert [c["id"] for c in doc["clauses"]] == ["一", "一.(一)"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03binary\x00" * 100, "binary"),
        (b"\x80\xff\xfe\x81" * 500, "encoding"),
        ("没有任何编号的一段话".encode(), None),
    ],
)
def test_outline_errors_are_one_line_with_exit_status_2(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run_outline(path)
    if message is None:  # plain prose is a plan with only a preface: not an error
        assert result.returncode == 0
        return
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_outline_of_a_missing_file_or_a_directory(tmp_path):
    for path in (tmp_path / "nope.txt", tmp_path):
        result = run_outline(path)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_first_run_says_it_builds_the_gazetteer_cache_stage_by_stage(tmp_path):
    """Before `geo prepare`, `geo outline` builds the cache (about a minute): stderr says so at once, stage by stage.

    The build is stopped once its first stages are reported: what is checked is that the wait is never silent.
    """
    import os
    import sys
    import time

    from geo.places.build import BUILD_STAGES, STAGE_TEXT

    path = tmp_path / "plan.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    env = {**os.environ, "GEO_CACHE_DIR": str(tmp_path / "empty-cache")}
    proc = subprocess.Popen([sys.executable, "-m", "geo", "outline", str(path)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    lines = []
    started = time.monotonic()
    try:
        for line in proc.stderr:
            lines.append(line.rstrip("\n"))
            if STAGE_TEXT["boundaries"] in line or time.monotonic() - started > 60:
                break
    finally:
        proc.kill()
        proc.wait()
    assert lines[0] == f"gazetteer cache   0%  {STAGE_TEXT['start']}", lines
    assert lines[1:3] == [f"gazetteer cache   0%  {STAGE_TEXT['units']}",
                          f"gazetteer cache   1%  {STAGE_TEXT['boundaries']}"], lines
    shares = [share for _, share in BUILD_STAGES]
    assert shares == sorted(shares) and set(STAGE_TEXT) >= {stage for stage, _ in BUILD_STAGES} | {"start", "done"}
