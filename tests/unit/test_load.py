"""bench/load.py's pacing: each planner's waits drawn anew around the think time, repeatable, and lockstep on demand."""

from __future__ import annotations

import importlib.util
import statistics
import sys

import pytest

from tests.conftest import ROOT
from tests.stprotocol import stclient  # noqa: F401  (bench/load.py imports it by name: loaded once, here)


def _load():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


pacer = _load().pacer


def test_the_waits_are_uniform_around_the_think_time():
    waits = _draws(pacer(5, 0.5, 21, 50, 0), 2000)
    assert all(2.5 <= w <= 7.5 for w in waits)
    assert min(waits) < 2.7 and max(waits) > 7.3  # the whole range, not a narrow band around 5
    assert 4.8 < statistics.mean(waits) < 5.2  # on average still the think time: the same load per planner
    assert len(set(waits)) == len(waits)  # each wait drawn anew


def test_a_run_repeats_and_sessions_draw_their_own_waits():
    assert _draws(pacer(5, 0.5, 21, 50, 3), 10) == _draws(pacer(5, 0.5, 21, 50, 3), 10)
    assert _draws(pacer(5, 0.5, 21, 50, 3), 10) != _draws(pacer(5, 0.5, 21, 50, 4), 10)
    assert _draws(pacer(5, 0.5, 21, 50, 3), 10) != _draws(pacer(5, 0.5, 22, 50, 3), 10)


def test_sessions_arriving_together_fall_out_of_step():
    # 50 sessions started 0.1 s apart, each acting after its waits (the server's time left out): with the
    # waits drawn, the 6th action of the 50 spreads over many seconds; with a fixed think time it comes as
    # the 50 arrived, within 5 s (and, behind a busy server that answers them together, in one burst).
    def sixth(jitter):
        return [0.1 * i + sum(_draws(pacer(5, jitter, 21, 50, i), 6)) for i in range(50)]

    lockstep, drawn = sixth(0), sixth(0.5)
    assert max(lockstep) - min(lockstep) == pytest.approx(4.9)
    assert max(drawn) - min(drawn) > 10


def test_no_jitter_keeps_every_wait_and_a_bad_one_is_refused():
    assert set(_draws(pacer(5, 0, 21, 50, 7), 20)) == {5}
    assert set(_draws(pacer(0, 0.5, 21, 50, 7), 20)) == {0}  # back to back stays back to back
    with pytest.raises(ValueError):
        pacer(5, 1.5, 21, 50, 0)


def _draws(pace, n):
    return [pace() for _ in range(n)]
