"""Keeping the garbage collector off the long-lived heap of a server process.

By the time ``pontive serve`` or ``pontive worker`` is ready, it holds a few hundred thousand
objects that live as long as the process: modules, ORM mappers, route tables, the
SensorThings model, shapely and numpy. CPython's full (generation 2) collections walk all of
them each time; in ``pontive serve`` that was measured at 100 to 120 ms once every few dozen
requests, a stall that every request arriving meanwhile waits out. Once start-up is done
they are moved out of the collector's sight (``gc.freeze``), so that full collections look
only at what was made since. Only the process entry points call this: a test process that
builds many applications must keep collecting what each leaves behind.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Collect what start-up left over, then exempt every surviving object from collection."""
    gc.collect()
    gc.freeze()
