"""`python -m geo publish`: a folder of plan files drafted and published once, with a summary and the reasons."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from geo.publishing import plan_files, publish_paths
from geo.store import SQLitePlanStore
from tests.conftest import ROOT

COUNTY = ("旺苍县推进区域协调发展实施方案\n旺府办发〔2017〕24号\n一、总体格局\n构建“一核两翼”格局。“一核”为东河镇，"
          "“两翼”为嘉川镇、木门镇。\n二、交通\n旺苍与苍溪、南江共建交通走廊。\n")
CITY = "厦门市推进厦漳泉同城化实施方案\n一、空间格局\n构建“一核两翼”格局。“一核”包括思明区、湖里区。\n二、合作\n深化与漳州、泉州的合作。\n"


@pytest.fixture
def archive(tmp_path):
    root = tmp_path / "archive"
    (root / "county").mkdir(parents=True)
    (root / "county" / "wangcang.txt").write_text(COUNTY, encoding="utf-8")
    (root / "xiamen.txt").write_text(CITY, encoding="gb18030")
    (root / "empty.txt").write_text("   \n", encoding="utf-8")
    (root / "notes.md").write_text("not a plan file", encoding="utf-8")
    return root


def test_plan_files_searches_folders_and_reports_missing_paths(archive, tmp_path):
    files, missing = plan_files([archive, archive / "xiamen.txt", tmp_path / "nowhere"])
    assert [f.name for f in files] == ["wangcang.txt", "empty.txt", "xiamen.txt"]
    assert [m.path for m in missing] == [str(tmp_path / "nowhere")]


def test_publish_an_archive_then_nothing_twice(archive, tmp_path):
    store = SQLitePlanStore(tmp_path / "plans.sqlite3")
    out, err = io.StringIO(), io.StringIO()
    assert publish_paths([archive], store=store, out=out, err=err, progress=list) == 1  # one file failed
    lines = out.getvalue().splitlines()
    published = [line.split("\t")[1] for line in lines if line.startswith("published\t")]
    assert len(published) == 2 and "published 2, skipped as already there 0, failed 1" in out.getvalue()
    assert any(line.startswith("failed\t") and "empty.txt" in line and "empty" in line for line in lines)
    assert {e.place for e in store.catalogue()[1]} == {"旺苍县", "厦门市"}
    assert store.catalogue({"level": "county"})[1][0].year == 2017
    again = io.StringIO()
    publish_paths([archive], store=store, out=again, err=io.StringIO(), progress=list)
    assert "published 0, skipped as already there 2, failed 1" in again.getvalue()
    assert sorted(line.split("\t")[1] for line in again.getvalue().splitlines() if line.startswith("skipped\t")) == \
        sorted(published)
    assert store.catalogue()[0] == 2
    assert publish_paths([archive], store=store, out=io.StringIO(), err=io.StringIO(), progress=list,
                         listed=False) == 1


def test_no_plan_file_is_exit_2(tmp_path):
    err = io.StringIO()
    assert publish_paths([tmp_path], store=SQLitePlanStore(":memory:"), out=io.StringIO(), err=err) == 2
    assert "no plan file found" in err.getvalue()


@pytest.mark.slow
def test_the_command_publishes_into_the_configured_store(archive, tmp_path):
    env = {**os.environ, "GEO_STORE_PATH": str(tmp_path / "cli.sqlite3")}
    env.pop("GEO_STORE_URL", None)
    done = subprocess.run([sys.executable, "-m", "geo", "publish", str(archive / "county"), str(archive / "xiamen.txt")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "published 2, skipped as already there 0, failed 0" in done.stdout
    assert "2/2" in done.stderr  # the progress bar
    assert SQLitePlanStore(tmp_path / "cli.sqlite3").catalogue()[0] == 2
    done = subprocess.run([sys.executable, "-m", "geo", "reindex"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=env, check=False)
    assert done.returncode == 0 and "indexed 2 plans" in done.stdout
