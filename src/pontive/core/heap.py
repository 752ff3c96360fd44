"""Keeping the garbage collector off the long-lived heap of a ``pontive`` process.

By the time ``pontive serve`` or ``pontive worker`` is ready, it holds a few hundred thousand
objects that live as long as the process: modules, ORM mappers, route tables, the
SensorThings model, shapely and numpy. CPython's full (generation 2) collections walk all of
them each time:

- while they are being made: importing the CLI and building the app set off a handful of
  full collections over an ever larger heap, about 1.2 of the 8 s of CPU that this took
  (measured over four pairs of runs: 8.0 s with the collector, 6.8 s without). Start-up
  therefore runs with the collector paused (:func:`collector_paused`): the ``pontive``
  script around its imports (``pontive/__main__.py``), ``serve`` around building the app,
  ``worker`` around its own;
- once they are made: in ``pontive serve`` a full collection was measured at 100 to 120 ms
  once every few dozen requests, a stall that every request arriving meanwhile waits out.
  Once start-up is done they are moved out of the collector's sight
  (:func:`freeze_startup_heap`), so that full collections look only at what was made since.

Only the process entry points call these: a test process that builds many applications must
keep collecting what each leaves behind.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection inside (what start-up makes lives on, or is collected by the
    next collection or freeze); the collector is as it was afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze_startup_heap() -> None:
    """Collect what start-up left over, then exempt every surviving object from collection."""
    gc.collect()
    gc.freeze()
