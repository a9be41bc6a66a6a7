"""bench/stclient.py for the tests: a dashboard session over Streamlit's websocket protocol, and a way to run it."""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import sys
from types import ModuleType

from tests.conftest import ROOT


def _load() -> ModuleType:
    if "stclient" in sys.modules:
        return sys.modules["stclient"]
    spec = importlib.util.spec_from_file_location("stclient", ROOT / "bench" / "stclient.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["stclient"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


stclient = _load()


def run(coro):
    """Run a coroutine to its end in a thread of its own: in the whole suite the browser tests' Playwright keeps an
    event loop running in this thread, where `asyncio.run` refuses to start another."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
