"""Who may do what: the role logic (`geo.access`) and its enforcement in the pages, under AppTest.

AppTest gives the dashboard an ``[auth]`` secrets section (`at.secrets`) and a signed-in user's claims
(`at.user`), as Streamlit's sign-in would; the real sign-in is `tests/browser/test_auth_browser.py`.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.access import ENV_NAMES, AccessConfig, AccessError, Limits, allowed, client_address, owner_for
from geo.store import SQLitePlanStore
from tests.conftest import ROOT

APP = str(ROOT / "dashboard.py")
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "c",
        "client_secret": "s", "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration"}


# --------------------------------------------------------------------------- geo.access


def test_roles_from_configuration():
    env = {"GEO_AUTH_ADMINS": "IT@bureau.cn, gh-admins", "GEO_AUTH_PLANNERS": "gh-planners",
           "GEO_AUTH_ROLES_CLAIM": "roles"}
    c = AccessConfig.from_env(True, env)
    assert c.sign_in and c.roles_claim == "roles" and c.anonymous_role is None
    who = lambda **claims: c.role_for({"is_logged_in": True, **claims})
    assert who(email="it@BUREAU.cn") == "admin"
    assert who(email="a@b.cn", roles=["x", "GH-Admins"]) == "admin"
    assert who(email="a@b.cn", roles="staff gh-planners") == "planner"  # one string of names
    assert who(email="a@b.cn", groups=["gh-planners"]) == "viewer"  # another claim than configured
    assert who(email="a@b.cn") == "viewer" and c.role_for({"is_logged_in": False}) is None
    assert AccessConfig.from_env(True, {"GEO_AUTH_DEFAULT_ROLE": "planner"}).role_for(
        {"is_logged_in": True, "email": "x@y.cn"}) == "planner"
    assert AccessConfig.from_env(True, {"GEO_AUTH_ANONYMOUS": "viewer"}).role_for({"is_logged_in": False}) == "viewer"


def test_sign_in_is_off_by_default_and_local_role():
    assert not AccessConfig.from_env(False, {}).sign_in
    assert AccessConfig.from_env(False, {}).role_for(None) == "planner"
    assert AccessConfig.from_env(False, {"GEO_LOCAL_ROLE": "admin"}).role_for(None) == "admin"
    assert AccessConfig.from_env(False, {"GEO_LOCAL_ROLE": "viewer"}).role_for(None) == "viewer"
    assert not AccessConfig.from_env(True, {"GEO_AUTH": "off"}).sign_in
    assert AccessConfig.from_env(True, {}).sign_in  # an [auth] section turns it on


@pytest.mark.parametrize("env", [{"GEO_AUTH": "oidc"}, {"GEO_AUTH": "yes"}, {"GEO_LOCAL_ROLE": "root"},
                                 {"GEO_AUTH_DEFAULT_ROLE": "admin"}, {"GEO_QUOTA_DRAFTS": "-1"},
                                 {"GEO_DRAFT_TTL_DAYS": "thirty"}, {"GEO_AUTH_ANONYMOUS": "planner"}])
def test_a_bad_setting_is_refused_with_its_name(env):
    with pytest.raises(AccessError, match=next(iter(env))):
        AccessConfig.from_env(False, env)


def test_the_configuration_reads_only_the_variables_named_in_env_names():
    """pages/_access.py keeps a configuration while these variables keep their values: one more, unlisted,
    would be read once and then ignored."""
    class Recording(dict):
        def get(self, key, default=None):
            asked.add(key)
            return super().get(key, default)

    asked: set[str] = set()
    for has_auth in (False, True):
        AccessConfig.from_env(has_auth, Recording({"GEO_AUTH": "off"}))
    assert asked == set(ENV_NAMES)


def test_the_pages_configuration_follows_the_environment(monkeypatch):
    from pages._access import access_config

    monkeypatch.setenv("GEO_LOCAL_ROLE", "viewer")
    assert access_config().local_role == "viewer"
    monkeypatch.setenv("GEO_LOCAL_ROLE", "admin")
    assert access_config().local_role == "admin"
    monkeypatch.setenv("GEO_QUOTA_DRAFTS", "-1")
    with pytest.raises(AccessError, match="GEO_QUOTA_DRAFTS"):
        access_config()
    with pytest.raises(AccessError, match="GEO_QUOTA_DRAFTS"):  # an error is not kept as an answer either way
        access_config()
    monkeypatch.delenv("GEO_QUOTA_DRAFTS")
    assert access_config().limits.drafts == Limits().drafts


def test_actions_and_limits():
    assert [a for a in ("view", "import", "edit", "publish", "unpublish", "usage") if allowed("planner", a)] == [
        "view", "import", "edit", "publish"]
    assert all(allowed("admin", a) for a in ("view", "publish", "unpublish", "usage"))
    assert not allowed("viewer", "import") and not allowed(None, "view") and not allowed("root", "view")
    assert Limits.from_env({}) == Limits(30, 50, 20) and Limits(0, 0, 0).draft_seconds is None
    assert Limits.from_env({"GEO_DRAFT_TTL_DAYS": "7", "GEO_QUOTA_DRAFTS": "3",
                            "GEO_QUOTA_PUBLISHES": "0"}) == Limits(7, 3, 0)


def test_client_address_believes_only_trusted_proxies():
    assert client_address("10.0.0.8", {"X-Forwarded-For": "1.2.3.4"}) == "10.0.0.8"
    assert client_address(None, {"X-Forwarded-For": "6.6.6.6, 10.0.0.9"}) == "10.0.0.9"  # nginx appended it
    assert client_address("10.0.0.2", {"X-Real-IP": "10.0.0.9"}, trusted=("10.0.0.2",)) == "10.0.0.9"
    assert client_address(None, {"X-Real-IP": "not an address"}) == "127.0.0.1"
    assert owner_for({"is_logged_in": False, "email": "x@y.cn"}, "10.0.0.1") == "ip:10.0.0.1"


# --------------------------------------------------------------------------- the pages


def _app(tmp_path, monkeypatch, user: dict | None = None, **env: str) -> AppTest:
    monkeypatch.setenv("GEO_STORE_PATH", str(tmp_path / "plans.sqlite3"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=120)
    if user is not None:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, **user} if user else {"is_logged_in": False}
    return at


def _published(tmp_path) -> str:
    from geo.importer.draft import draft_plan
    from tests.pages.test_import_page import PLAN

    d = draft_plan(PLAN)
    j = d.jurisdiction
    return SQLitePlanStore(tmp_path / "plans.sqlite3").save(
        "长沙", PLAN, {"adcode": j.adcode, "name": j.name, "level": j.level, "stated": j.stated}, d.collection,
        owner="p@b.cn")


def test_nothing_is_shown_before_sign_in(tmp_path, monkeypatch):
    at = _app(tmp_path, monkeypatch, user={})
    at.run()
    assert not at.exception
    assert any("登录" in b.label for b in at.button) and not at.get("component_instance")
    assert "请用单位账号登录" in at.info[0].value


def test_a_bad_configuration_shows_nothing_but_the_error(tmp_path, monkeypatch):
    at = _app(tmp_path, monkeypatch, GEO_AUTH="oidc")  # no [auth] section
    at.run()
    assert not at.exception and "登录配置有误" in at.error[0].value and not at.get("component_instance")


def test_a_viewer_cannot_import_edit_or_open_drafts(tmp_path, monkeypatch):
    pid = _published(tmp_path)
    at = _app(tmp_path, monkeypatch, user={"email": "v@b.cn"})
    at.query_params["plan"] = pid
    at.run()
    assert not at.exception
    assert any(c.value.startswith("已登录：v@b") and "（查看者）" in c.value for c in at.sidebar.caption)
    keys = {b.key for b in at.button}
    assert "edit_reopen" not in keys and "edit_withdraw" not in keys
    for page in ("pages/import.py", "pages/admin.py"):  # not registered for a viewer: no URL reaches them
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    viewer = _app(tmp_path, monkeypatch, user={"email": "v@b.cn"})  # a planner's draft link, opened by a viewer
    viewer.query_params["plan"] = "draft" + "a" * 38
    viewer.run()
    assert any("只供规划人员" in i.value for i in viewer.info) and viewer.query_params["plan"] == "mianyang"


def test_a_planner_signed_in_by_group_imports_and_publishes_unlisted(tmp_path, monkeypatch):
    from tests.pages.test_import_page import PLAN, draft_from, on_map

    at = _app(tmp_path, monkeypatch, user={"email": "p@b.cn", "groups": ["gh-planners"]},
              GEO_AUTH_PLANNERS="gh-planners")
    at.run()
    at = on_map(draft_from(at.switch_page("pages/import.py").run(), PLAN))
    at.button(key="edit_save").click().run()
    assert not at.exception
    store = SQLitePlanStore(tmp_path / "plans.sqlite3")
    stored = store.get(at.query_params["plan"])
    assert stored.owner == "p@b.cn" and not stored.listed and store.list() == []
    assert store.count_drafts("p@b.cn") == 1


def test_a_role_taken_away_mid_session_is_refused_on_the_server(tmp_path, monkeypatch):
    """Hidden buttons are not the check: a callback run for a user who lost the planner role writes nothing."""
    from tests.pages.test_import_page import PLAN, draft_from, on_map

    at = _app(tmp_path, monkeypatch, user={"email": "p@b.cn"}, GEO_AUTH_PLANNERS="p@b.cn")
    at.run()
    at = on_map(draft_from(at.switch_page("pages/import.py").run(), PLAN))
    save = at.button(key="edit_save")
    at.user = {"is_logged_in": True, "email": "p@b.cn", "groups": []}
    monkeypatch.setenv("GEO_AUTH_PLANNERS", "")  # the planner list no longer names them
    save.click().run()
    assert not at.exception
    assert SQLitePlanStore(tmp_path / "plans.sqlite3").records() == []
    assert any("无权" in e.value for e in at.error)


def test_quota_reached_says_so_and_keeps_the_text(tmp_path, monkeypatch):
    from tests.pages.test_import_page import PLAN, draft_from

    at = _app(tmp_path, monkeypatch, GEO_QUOTA_DRAFTS="1")
    at.run()
    at = draft_from(at.switch_page("pages/import.py").run(), PLAN)
    assert not at.exception and not at.error
    at.text_area(key="imp_paste").input(PLAN + "\n（四）补充。")
    at.button[0].click().run()
    assert at.error and "草图数量已达上限（每人 1 份）" in at.error[0].value, ([b.label for b in at.button], [w.value for w in at.warning], at.session_state["ghyzt_drafts"].keys())
    assert at.text_area(key="imp_paste").value.endswith("（四）补充。")  # nothing lost


def test_local_admin_withdraws_and_the_link_says_so(tmp_path, monkeypatch):
    pid = _published(tmp_path)
    at = _app(tmp_path, monkeypatch, GEO_LOCAL_ROLE="admin")
    at.query_params["plan"] = pid
    at.run()
    at.button(key="edit_withdraw").click().run()
    assert not at.exception
    at = _app(tmp_path, monkeypatch)
    at.query_params["plan"] = pid
    at.run()
    notice = next(i.value for i in at.info if pid in i.value)
    assert "由 local 撤下" in notice and at.query_params["plan"] == "mianyang"
    at.query_params.update(plan=pid, lang="en")
    at.run()
    assert any("was withdrawn by local" in i.value for i in at.info)


def test_admin_page_lists_usage_and_withdraws(tmp_path, monkeypatch):
    pid = _published(tmp_path)
    at = _app(tmp_path, monkeypatch, user={"email": "it@b.cn"}, GEO_AUTH_ADMINS="it@b.cn")
    at.run()
    at.switch_page("pages/admin.py").run()
    assert not at.exception
    usage = at.dataframe[0].value
    assert list(usage.iloc[:, 0]) == ["p@b.cn"]
    at.selectbox(key="admin_pick").set_value(pid).run()
    at.button(key="admin_withdraw").click().run()
    assert not at.exception and any(pid in s.value for s in at.success)
    assert SQLitePlanStore(tmp_path / "plans.sqlite3").tombstone(pid).by == "it@b.cn"
