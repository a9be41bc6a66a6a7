"""A fresh server opening a published hostile plan in Chromium runs nothing and shows the text literally."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, MAP_FRAME, streamlit_server
from tests.hostile import no_side_effect, publish_hostile  # noqa: F401 - no_side_effect: an autouse fixture


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_a_fresh_server_opening_a_published_hostile_plan_runs_nothing(browser, tmp_path):
    store_path = tmp_path / "plans.sqlite3"
    pid = publish_hostile(store_path)
    with streamlit_server("dashboard.py", env={"GEO_STORE_PATH": str(store_path)}) as url:
        ctx = browser.new_context(viewport={"width": 1400, "height": 950})
        page = ctx.new_page()
        page.set_default_timeout(90000)
        dialogs, errors = [], []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            page.goto(f"{url}/?plan={pid}&f=de-core&q=%7B%7B7*7%7D%7D")
            frame = page.frame_locator(MAP_FRAME)
            heading = frame.locator('.ghyzt-panel[data-feature="de-core"] h3')
            heading.wait_for()
            assert heading.inner_text() == "核{{7*7}}心\ufffd反"  # literal, the direction control shown as �
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
            page.screenshot(path=str(tmp_path / "hostile-map.png"))
            body = page.inner_text("body")
            assert "{{7*7}}" in body and not re.search(r"(核|测试市)49", body)
            page.goto(f"{url}/text?plan={pid}&q=%7B%25")
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
            assert "Traceback" not in page.inner_text("body")
        finally:
            ctx.close()
    assert not dialogs, dialogs
    assert not [e for e in errors if "alert" in e], errors


