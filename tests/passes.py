"""The two passes of ``.ci/run`` share out what does not depend on the database engine.

``.ci/run`` runs the suite twice at once, on the embedded defaults and on PostgreSQL. Tests
whose result cannot depend on the engine need to run only once, on one backend or the other:
the browser tests (what Chromium checks — layout, scripts, forms, contrast — is the same on
both) and the modules marked ``one_pass`` (the access matrix, the OpenAPI and protocol fuzzing,
process tests that always use their own SQLite file).

With ``PONTIVE_TEST_ONE_PASS_CLAIMS`` naming a folder both passes share, each pass runs these
modules last (the others first, the most expensive first, then the browser modules in their
own order), and a module runs in the pass that reaches it first: its first test claims it by
creating a file named after it in the folder (``O_EXCL``: one pass wins); in the other pass
its tests skip. So whichever pass is ahead takes the next module, and the two end close
together on any machine, however fast its disks and cores or however long the embedded
pass's set-up.
Unset: every test runs.

A module's cost, for the order only, is the sum of its tests' estimated seconds: a browser test
counts ``BROWSER_SECONDS``, a ``one_pass`` test the marker's ``seconds`` (default 2).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CLAIMS = os.environ.get("PONTIVE_TEST_ONE_PASS_CLAIMS", "")
BROWSER_SECONDS = 3.0
ONE_PASS_SECONDS = 2.0
SKIP_REASON = "engine-independent: run by the other pass of .ci/run"

# This process's decision per module: True when it holds the claim.
_held: dict[str, bool] = {}


def item_seconds(item: pytest.Item) -> float | None:
    """The estimated cost of a test that runs in one pass only; ``None`` for the others."""
    if item.get_closest_marker("browser"):
        return BROWSER_SECONDS
    marker = item.get_closest_marker("one_pass")
    if marker is None:
        return None
    return float(marker.kwargs.get("seconds", ONE_PASS_SECONDS))


def _module(item: pytest.Item) -> str:
    return str(item.module.__name__)  # type: ignore[attr-defined]


def one_pass_last(items: list[pytest.Item]) -> None:
    """Move the one-pass modules after every other test (each module's tests keep their
    order): first the others, the most expensive first, then the browser modules in the order
    they were collected; nothing moves unless the passes share.

    Browser modules go last because Playwright's sync API keeps an event loop running in the
    main thread from the first browser test on, and a test calling ``asyncio.run`` after it
    fails (``tests/cctv/test_probes.py`` does). They keep their own order because they share
    one live server over one copy of the demo (``tests/web/conftest.py``), and some add to
    what later modules count (a gauge registered in the console is one more forecast card)."""
    if not CLAIMS:
        return
    costs: dict[str, float] = {}
    browser: set[str] = set()
    for item in items:
        seconds = item_seconds(item)
        if seconds is not None:
            costs[_module(item)] = costs.get(_module(item), 0.0) + seconds
            if item.get_closest_marker("browser"):
                browser.add(_module(item))
    collected = {name: place for place, name in enumerate(costs)}  # dicts keep their order
    order = sorted(
        costs, key=lambda m: (m in browser, 0.0 if m in browser else -costs[m], collected[m])
    )
    rank = {name: place for place, name in enumerate(order)}
    shared = [item for item in items if item_seconds(item) is not None]
    shared.sort(key=lambda item: rank[_module(item)])  # stable: a module keeps its order
    items[:] = [item for item in items if item_seconds(item) is None] + shared


def claim(folder: Path, module: str) -> bool:
    """Whether this pass takes ``module``: the first to create its claim file does."""
    try:
        descriptor = os.open(folder / module, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    os.write(descriptor, f"{os.getpid()}\n".encode())
    os.close(descriptor)
    return True


def skip_unless_claimed(item: pytest.Item) -> None:
    """Skip a one-pass test whose module the other pass took (claiming it when first seen)."""
    if not CLAIMS or item_seconds(item) is None:
        return
    module = _module(item)
    if module not in _held:
        folder = Path(CLAIMS)
        folder.mkdir(parents=True, exist_ok=True)
        _held[module] = claim(folder, module)
    if not _held[module]:
        pytest.skip(SKIP_REASON)
