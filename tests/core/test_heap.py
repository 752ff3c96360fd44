"""The server processes freeze their start-up heap (core/heap.py)."""

from __future__ import annotations

import gc
import weakref

from pontive.core.heap import freeze_startup_heap


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
