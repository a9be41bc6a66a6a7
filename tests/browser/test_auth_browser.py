"""Sign-in for real: an OpenID Connect provider (`oidc-provider-mock`, a Flask/Authlib provider speaking the
protocol over HTTP) on 127.0.0.1, the dashboard with an ``[auth]`` secrets section pointing at it, and
headless Chromium signing in through the provider's own login form as a viewer, a planner and an admin.

- viewer: no Import page (its URL lands on the Map page), no "edit" or "withdraw" on a published plan;
- planner: imports a plan, publishes it (unlisted by default) and gets its link;
- admin: withdraws it from its Map page; the old link then says who withdrew it and when.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.helpers import new_page, ready
from tests.conftest import CHROMIUM, MAP_FRAME, ROOT

pytestmark = pytest.mark.browser

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)
pytest.importorskip("oidc_provider_mock")
pytest.importorskip("authlib")

USERS = {  # sub -> claims the provider puts in the ID token
    "vera": {"email": "vera@bureau.example", "groups": ["staff"]},
    "paul": {"email": "paul@bureau.example", "groups": ["staff", "gh-planners"]},
    "ada": {"email": "ada@bureau.example", "groups": ["staff"]},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, what: str, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{what} did not start") from None
            time.sleep(0.3)


@contextlib.contextmanager
def _process(args: list[str], url: str, what: str, **kw):
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    try:
        _wait(url, proc, what)
        yield proc
    finally:
        proc.terminate()
        proc.wait(15)


@pytest.fixture(scope="module")
def provider():
    """The OpenID Connect provider: its issuer URL."""
    port = _free_port()
    args = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    for sub, claims in USERS.items():
        args += ["--user-claims", json.dumps({"sub": sub, **claims})]
    issuer = f"http://127.0.0.1:{port}"
    with _process(args, issuer + "/.well-known/openid-configuration", "the OIDC provider"):
        yield issuer


@pytest.fixture(scope="module")
def dashboard(provider, tmp_path_factory):
    """The dashboard with sign-in on; its base URL. Run from a folder holding its config and secrets."""
    subprocess.run([sys.executable, "-m", "geo", "prepare"], cwd=ROOT, check=True, capture_output=True)
    home = tmp_path_factory.mktemp("auth")
    (home / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", home / ".streamlit" / "config.toml")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    (home / ".streamlit" / "secrets.toml").write_text(f"""
[auth]
redirect_uri = "{url}/oauth2callback"
cookie_secret = "test-cookie-secret-0123456789abcdef"
client_id = "ghyzt-dashboard"
client_secret = "ghyzt-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""", encoding="utf-8")
    env = {**os.environ, "GEO_STORE_PATH": str(home / "plans.sqlite3"), "GEO_AUTH_ROLES_CLAIM": "groups",
           "GEO_AUTH_PLANNERS": "gh-planners", "GEO_AUTH_ADMINS": "ada@bureau.example",
           "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port),
            "--server.headless", "true", "--server.address", "127.0.0.1"]
    with _process(args, url + "/_stcore/health", "the dashboard", cwd=home, env=env):
        yield url


def sign_in(page, url: str, sub: str, path: str = "") -> None:
    """Open the dashboard, press 登录, pick the user on the provider's own form, land back signed in."""
    page.goto(f"{url}/{path}")
    ready(page)
    page.get_by_text("请用单位账号登录后查看规划").wait_for()
    assert not page.locator(MAP_FRAME).count()  # nothing before sign-in
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))  # the provider's page, not ours
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(re.compile(re.escape(url) + r"/.*"))
    ready(page)
    page.get_by_text(f"已登录：{USERS[sub]['email']}").wait_for()


def test_viewer_planner_admin_sign_in_through_the_provider(browser, dashboard):
    from tests.pages.test_import_page import PLAN

    url = dashboard
    # ---- a viewer reads plans, but cannot import (no link, and the page's URL does not run it)
    ctx, page = new_page(browser, 1400, 1000)
    try:
        sign_in(page, url, "vera")
        page.get_by_text("已登录：vera@bureau.example（查看者）").wait_for()
        page.locator(MAP_FRAME).wait_for()  # the bundled plan's map
        assert not page.get_by_role("link", name="导入").count()
        page.goto(f"{url}/import")
        ready(page)
        assert not page.locator("textarea").count() and not page.get_by_role("button", name="生成草图").count()
    finally:
        ctx.close()

    # ---- a planner imports and publishes (unlisted by default)
    ctx, page = new_page(browser, 1400, 1000)
    try:
        sign_in(page, url, "paul")  # the provider sends the browser back to the app's home page
        page.get_by_text("已登录：paul@bureau.example（规划人员）").wait_for()
        page.goto(f"{url}/import")
        ready(page)
        page.locator("textarea").first.fill(PLAN)
        page.get_by_role("button", name="生成草图").click()
        page.get_by_role("button", name="在地图上查看和编辑").click()
        page.wait_for_function("() => /^draft[a-z]{38}$/.test(new URLSearchParams(location.search).get('plan'))")
        ready(page)
        assert not page.get_by_role("checkbox", name="发布时公开列出").is_checked()
        page.get_by_role("button", name="发布", exact=True).click()
        page.wait_for_function("() => /^[a-z]{16}$/.test(new URLSearchParams(location.search).get('plan'))")
        ready(page)
        plan_id = re.search(r"plan=([a-z]{16})", page.url).group(1)
        assert not page.errors, page.errors
    finally:
        ctx.close()

    # ---- the viewer opens the published link: the plan, but no "edit this plan", no "withdraw"
    ctx, page = new_page(browser, 1400, 1000)
    try:
        sign_in(page, url, "vera")
        page.goto(f"{url}/?plan={plan_id}")
        ready(page)
        page.locator(MAP_FRAME).wait_for()
        page.get_by_text("长沙市推进区域协调发展实施方案").first.wait_for()  # the plan's caption: drawn after the map
        ready(page)
        assert not page.get_by_role("button", name="编辑此规划").count()
        assert not page.get_by_role("button", name="撤下此规划").count()
    finally:
        ctx.close()

    # ---- the admin withdraws it; the link then says who withdrew it and when
    ctx, page = new_page(browser, 1400, 1000)
    try:
        sign_in(page, url, "ada")
        page.get_by_text("已登录：ada@bureau.example（管理员）").wait_for()
        page.goto(f"{url}/?plan={plan_id}")
        ready(page)
        page.get_by_role("button", name="撤下此规划").click()
        page.get_by_role("button", name="确认撤下").click()
        notice = page.get_by_text(f"规划“{plan_id}”已于").first
        notice.wait_for()
        assert re.search(r"已于 \d{4}-\d\d-\d\d \d\d:\d\d 由 ada@bureau.example 撤下", notice.inner_text())
        page.goto(f"{url}/?plan={plan_id}")  # the old link, opened afresh
        ready(page)
        page.get_by_text(f"规划“{plan_id}”已于").first.wait_for()
        assert "长沙市推进区域协调发展实施方案" not in page.content()
        page.goto(f"{url}/admin")  # the Admin page: usage per user
        ready(page)
        page.get_by_text("使用情况（按用户或地址）").wait_for()
        assert not page.errors, page.errors
    finally:
        ctx.close()
