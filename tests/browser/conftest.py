"""The browser tests' fixtures (helpers in tests/browser/helpers.py; `browser`, one Chromium, in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import new_page
from tests.conftest import streamlit_server


@pytest.fixture(scope="session")
def server():
    """The dashboard on the bundled plans, one for every browser test that needs nothing else."""
    with streamlit_server("dashboard.py") as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh page at 1400 × 950 (``page.errors``: its uncaught errors)."""
    ctx, pg = new_page(browser)
    yield pg
    ctx.close()
