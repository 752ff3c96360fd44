"""The server processes start with the collector paused and freeze their start-up heap
(core/heap.py)."""

from __future__ import annotations

import gc
import weakref

from pontive.core.heap import collector_paused, freeze_startup_heap


def test_start_up_garbage_is_collected_and_the_rest_frozen() -> None:
    class Cycle:
        other: object

    first, second = Cycle(), Cycle()
    first.other, second.other = second, first
    collected = weakref.ref(first)
    del first, second
    gc.disable()  # nothing but the freeze may collect the cycle
    try:
        freeze_startup_heap()
        assert collected() is None  # unreachable: collected, not made permanent
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # the test process goes on building applications
        gc.enable()


def test_start_up_runs_with_the_collector_paused_and_restores_it() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # as it was: a caller that paused it keeps it paused
    finally:
        gc.enable()
