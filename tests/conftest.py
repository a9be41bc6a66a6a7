"""Shared fixtures: a small hostile plan ("demo") with its layers, built in code; the repo root."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

XSS_NAME = "<img src=x onerror=alert(1)>"

#: The map frame's component name (pages/_mapframe.py `MAP_COMPONENT`), which is also its iframe's title and
#: the folder of its URL (``/component/<name>/index.html``).
MAP_COMPONENT = "pages._mapframe.map"
#: The map frame in the page.
MAP_FRAME = f'iframe[title="{MAP_COMPONENT}"]'

#: A plan whose text carries markup and a javascript: link (they must show as text, never run).
DEMO_TEXT = """关于测试区域协调发展的指导意见
一、总体要求
（1）推进区域协调发展<script>alert('x')</script>，甲县率先。
（2）详见[x](javascript:alert(1))。甲县和乙县共同建设。
二、空间布局
（一）做强核心。建设<img src=x onerror=alert('x')>核心区，打造**加粗**示范。
（二）联通走廊。打造甲乙走廊，连接甲县与乙县。
"""

DEMO_YAML = """id: demo
seed: 900_demo.txt
title: 关于测试区域协调发展的指导意见
title_en: Test opinions <b>on</b> coordination
issuer: 测试县人民政府
date: 2020-01-01
doc_number: null
source: null
anonymised: null
jurisdiction:
  adcode: "510700"
  name: 测试市
  stated: true
  clues: []
"""


def _square(x: float, y: float, d: float = 0.5) -> dict:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def _feature(fid: str, kind: str, geometry: dict | None, **props) -> dict:
    base = {
        "id": fid, "plan": "demo", "name": fid, "name_en": fid, "kind": kind, "role": "", "clauses": [],
        "excerpts": [], "precision": "exact", "precision_note": "", "members": [], "inferred": None,
        "named_only": False, "group": "", "direction": None,
    }
    base.update(props)
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": base}


def demo_layers() -> dict[str, dict]:
    """The demo plan's layers: two counties, a hostile core, a directed corridor, a node."""
    fc = lambda *fs: {"type": "FeatureCollection", "features": list(fs)}
    return {
        "admin": fc(
            _feature("de-510703", "admin", _square(104.0, 31.0), name="甲县", name_en="Jia County", adcode="510703",
                     level="county", members=["510703"], group="own", clauses=["一.(1)", "一.(2)", "二.(二)"],
                     excerpts=[{"clause": "一.(1)", "text": "甲县率先"}, {"clause": "一.(2)", "text": "甲县和乙县共同建设"},
                               {"clause": "二.(二)", "text": "连接甲县与乙县"}]),
            _feature("de-510704", "admin", _square(104.5, 31.0), name="乙县", name_en="Yi County", adcode="510704",
                     level="county", members=["510704"], group="own", clauses=["一.(2)"],
                     excerpts=[{"clause": "一.(2)", "text": "甲县和乙县共同建设"}]),
        ),
        "core": fc(
            _feature("de-core", "core", _square(104.2, 31.1, 0.3), name=XSS_NAME,
                     name_en="**bold** [a](javascript:alert(2))", role="<b>role</b> [r](javascript:alert(3))",
                     precision="approximate", precision_note="<script>alert(4)</script>",
                     inferred={"place": "<i>甲县</i>", "clue": "[c](javascript:alert(5))"},
                     clauses=["二.(一)"], excerpts=[{"clause": "二.(一)", "text": "建设<img src=x onerror=alert('x')>"}]),
        ),
        "corridor": fc(
            _feature("de-corridor", "corridor",
                     {"type": "LineString", "coordinates": [[104.1, 31.2], [104.6, 31.3], [104.9, 31.4]]},
                     name="甲乙走廊", name_en="Jia-Yi corridor", precision="schematic", direction="forward",
                     clauses=["二.(二)"], excerpts=[{"clause": "二.(二)", "text": "打造甲乙走廊"}]),
        ),
        "node": fc(
            _feature("de-node", "node", {"type": "Point", "coordinates": [104.8, 31.2]}, name="乙县节点",
                     name_en="Yi node", precision="point", clauses=["一.(2)"],
                     excerpts=[{"clause": "一.(2)", "text": "共同建设"}]),
        ),
    }


def write_plan(root: Path, plan_id: str, text: str, plan_yaml: str, collections: dict) -> tuple[Path, Path]:
    """Write one plan (text, metadata, layers by kind) under ``root``; return (plans_dir, layers_dir)."""
    plans, layers = root / "plans", root / "layers"
    (plans / plan_id).mkdir(parents=True, exist_ok=True)
    (plans / plan_id / "original.txt").write_text(text, encoding="utf-8")
    (plans / plan_id / "plan.yaml").write_text(plan_yaml, encoding="utf-8")
    (layers / plan_id).mkdir(parents=True, exist_ok=True)
    for kind, collection in collections.items():
        (layers / plan_id / f"{kind}.geojson").write_text(json.dumps(collection, ensure_ascii=False),
                                                          encoding="utf-8")
    (layers / "meets.json").write_text("[]", encoding="utf-8")
    return plans, layers


def point_dashboard_at(dirs: tuple[Path, Path], monkeypatch) -> tuple[Path, Path]:
    """Point the dashboard (run in this process by AppTest) at test plans: (plans_dir, layers_dir)."""
    monkeypatch.setenv("GHYZT_PLANS_DIR", str(dirs[0]))
    monkeypatch.setenv("GHYZT_LAYERS_DIR", str(dirs[1]))
    return dirs


def write_demo(root: Path) -> tuple[Path, Path]:
    """Write the demo plan and its layers under ``root``; return (plans_dir, layers_dir)."""
    return write_plan(root, "demo", DEMO_TEXT, DEMO_YAML, demo_layers())


@pytest.fixture(scope="session")
def demo_dirs(tmp_path_factory) -> tuple[Path, Path]:
    """(plans_dir, layers_dir) of the demo plan."""
    return write_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def demo_env(demo_dirs, monkeypatch) -> tuple[Path, Path]:
    """Point the dashboard (run in this process by AppTest) at the demo plan."""
    return point_dashboard_at(demo_dirs, monkeypatch)


#: A plan four levels deep (第X章 / 一、/ （一）/ 1.), for the Text page's outline tree.
DEEP_TEXT = """关于测试深层条文的规划
第一章 总体布局
一、空间结构
（一）核心引领
1.建设甲核心，甲县率先发展。
2.培育乙节点，推进<script>alert('x')</script>协同。
（二）走廊联通
1.打造甲乙走廊，连接甲县与乙县。
2.完善走廊沿线设施。
二、保障措施
加强组织领导。
第二章 生态保护
一、生态屏障
建设生态屏障，甲县保护水源。
"""


def write_deep(root: Path) -> tuple[Path, Path]:
    """Write the deep plan and a few features citing its clauses under ``root``; return (plans_dir, layers_dir)."""
    deep_yaml = DEMO_YAML.replace("id: demo", "id: deep").replace("900_demo", "901_deep").replace(
        "title: 关于测试区域协调发展的指导意见", "title: 关于测试深层条文的规划")
    fc = lambda *fs: {"type": "FeatureCollection", "features": list(fs)}
    jia = ["第一章.一.(一).1", "第一章.一.(二).1", "第二章.一"]
    collections = {
        "admin": fc(_feature("dp-510703", "admin", _square(104.0, 31.0), plan="deep", name="甲县",
                             name_en="Jia County", adcode="510703", level="county", members=["510703"],
                             group="own", clauses=jia, excerpts=[{"clause": c, "text": "甲县"} for c in jia])),
        "core": fc(_feature("dp-core", "core", _square(104.2, 31.1, 0.3), plan="deep", name="甲核心",
                            name_en="Jia core", clauses=["第一章.一.(一).1"],
                            excerpts=[{"clause": "第一章.一.(一).1", "text": "建设甲核心"}])),
        "corridor": fc(_feature("dp-corridor", "corridor",
                                {"type": "LineString", "coordinates": [[104.1, 31.2], [104.6, 31.3]]},
                                plan="deep", name="甲乙走廊", name_en="Jia-Yi corridor", precision="schematic",
                                clauses=["第一章.一.(二).1"],
                                excerpts=[{"clause": "第一章.一.(二).1", "text": "打造甲乙走廊"}])),
    }
    return write_plan(root, "deep", DEEP_TEXT, deep_yaml, collections)


@pytest.fixture(scope="session")
def deep_dirs(tmp_path_factory) -> tuple[Path, Path]:
    """(plans_dir, layers_dir) of the deep plan."""
    return write_deep(tmp_path_factory.mktemp("deep"))


@pytest.fixture
def deep_env(deep_dirs, monkeypatch) -> tuple[Path, Path]:
    """Point the dashboard (run in this process by AppTest) at the deep plan."""
    return point_dashboard_at(deep_dirs, monkeypatch)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(script: str, *, cwd: Path | None = None, env: dict[str, str] | None = None):
    """`streamlit run <script>` on a free port, after `python -m geo prepare`; yields its base URL."""
    subprocess.run([sys.executable, "-m", "geo", "prepare"], cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true"],
        cwd=cwd or ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"streamlit run {script} did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(15)


CHROMIUM = "/usr/bin/chromium"  # Debian's: Playwright's own browser download does not work offline
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (Playwright allows one sync session per process)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def run_geo(*args: object) -> subprocess.CompletedProcess:
    """`python -m geo ARGS…` from the repo root, as a user runs it; output captured as text."""
    return subprocess.run([sys.executable, "-m", "geo", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


# --------------------------------------------------------------------------- PostgreSQL for the store tests


@pytest.fixture(scope="session")
def pg_admin_url():
    """A PostgreSQL superuser URL: ``$GEO_TEST_PG_URL``, else a throwaway server (`tests.pgserver`).

    Where no server can be started the PostgreSQL tests are skipped, except in CI (``CI=true``), where
    they must run: there the fixture fails.
    """
    from tests.pgserver import server_or_skip

    if os.environ.get("GEO_TEST_PG_URL"):
        yield os.environ["GEO_TEST_PG_URL"]
        return
    server, url = server_or_skip()
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


def _with_database(url: str, dbname: str) -> str:
    """The same server and user, another database, as a ``postgresql://`` URL (what GEO_STORE_URL takes)."""
    from urllib.parse import quote

    from psycopg.conninfo import conninfo_to_dict

    c = conninfo_to_dict(url)
    auth = quote(c.get("user", "postgres")) + (":" + quote(c["password"]) if c.get("password") else "")
    return f"postgresql://{auth}@{c.get('host', '127.0.0.1')}:{c.get('port', 5432)}/{dbname}"


@pytest.fixture
def pg_url(pg_admin_url):
    """The URL of a fresh, empty database on the test server (dropped afterwards)."""
    import uuid

    import psycopg

    name = "ghyzt_" + uuid.uuid4().hex[:12]
    with psycopg.connect(pg_admin_url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(pg_admin_url, name)
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def any_store(request, tmp_path):
    """A fresh, empty plan store of each backend (the same tests run against both)."""
    from geo.store import PostgresPlanStore, SQLitePlanStore

    if request.param == "sqlite":
        store = SQLitePlanStore(tmp_path / "store" / "plans.sqlite3")
    else:
        store = PostgresPlanStore(request.getfixturevalue("pg_url"))
    yield store
    store.close()


@pytest.fixture(scope="session", autouse=True)
def gazetteer_cache():
    """The gazetteer cache, built once per machine (``python -m geo prepare`` does the same) before any test."""
    from geo.places.build import ensure_cache, print_progress

    ensure_cache(print_progress)


_FOLDER_MARKS = {"unit": "unit", "pages": "pages", "browser": "browser", "cluster": "cluster"}


def pytest_collection_modifyitems(config, items):
    """Mark each test by its folder under tests/ (unit, pages, browser, cluster); PostgreSQL tests are slow."""
    tests_dir = Path(__file__).resolve().parent
    for item in items:
        try:
            folder = Path(str(item.path)).resolve().relative_to(tests_dir).parts[0]
        except ValueError:
            continue
        if folder in _FOLDER_MARKS:
            item.add_marker(getattr(pytest.mark, _FOLDER_MARKS[folder]))
        if {"pg_url", "pg_admin_url"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)  # starts a throwaway PostgreSQL server
