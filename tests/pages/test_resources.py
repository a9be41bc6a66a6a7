"""The loaders' memo (`pages._resources.Memo`): in front of a Streamlit cache, bounded, cleared with it."""

from __future__ import annotations

import pytest

from pages._resources import Memo


class Loader:
    """Stands for a `st.cache_resource` function: counts its calls, fails on request, has `clear`."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.cleared = 0

    def __call__(self, *args):
        self.calls.append(args)
        if args[0] == "bad":
            raise ValueError("bad plan")
        return {"value": args}

    def clear(self) -> None:
        self.cleared += 1


def test_each_value_is_asked_once_and_the_same_object_comes_back():
    loader = Loader()
    memo = Memo(loader, 2)
    first = memo("guizhou", None)
    assert memo("guizhou", None) is first and loader.calls == [("guizhou", None)]
    assert memo("guizhou", "/fixtures") is not first  # every argument is part of the key
    assert len(loader.calls) == 2


def test_at_most_size_values_the_least_recently_asked_go_first():
    loader = Loader()
    memo = Memo(loader, 2)
    memo("a"), memo("b"), memo("a"), memo("c")  # "b" is the least recently asked when "c" comes
    memo("a"), memo("c")
    assert loader.calls == [("a",), ("b",), ("c",)]
    memo("b")
    assert loader.calls[-1] == ("b",)


def test_an_error_is_raised_again_not_kept_and_clear_empties_both():
    loader = Loader()
    memo = Memo(loader, 4)
    for _ in range(2):
        with pytest.raises(ValueError, match="bad plan"):
            memo("bad")
    assert loader.calls == [("bad",), ("bad",)]
    memo("a")
    memo.clear()
    assert loader.cleared == 1
    memo("a")
    assert loader.calls.count(("a",)) == 2


def test_the_first_full_map_run_freezes_the_loaded_heap_once_per_process(monkeypatch):
    import gc
    import threading

    from streamlit.testing.v1 import AppTest

    from pages import _resources
    from tests.conftest import ROOT

    if not (ROOT / "layers" / "guizhou" / "admin.geojson").is_file():
        pytest.skip("layers/ not built")
    frozen = []
    monkeypatch.setattr(_resources, "_FROZEN", threading.Event())  # as in a fresh process
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append("freeze"))  # the test process's own heap left alone
    monkeypatch.setattr(gc, "collect", lambda *args: frozen.append("collect") or 0)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.query_params["plan"] = "guizhou"
    at.run()
    assert not at.exception and frozen == ["collect", "freeze"]  # collected first: no start-up garbage kept
    at.query_params["f"] = "gu-520281"
    at.run()  # another run, another page: never again
    assert _resources.freeze_loaded_heap() is False and frozen == ["collect", "freeze"]
