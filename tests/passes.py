"""The two passes of ``.ci/run`` share out what does not depend on the database engine.

``.ci/run`` runs the suite twice at once, on the embedded defaults and on PostgreSQL. Tests
whose result cannot depend on the engine need to run only once, on one backend or the other:
the browser tests (what Chromium checks — layout, scripts, forms, contrast — is the same on
both) and the modules marked ``one_pass`` (the access matrix, the OpenAPI and protocol fuzzing,
process tests that always use their own SQLite file). Their modules are shared out by
``PONTIVE_TEST_BROWSER_SHARE``: ``k/n`` keeps share ``k`` of ``n``; ``k/n:w0,w1,…`` weighs the
shares, so the pass that is slower in everything else gets less. Unset: everything runs.

A module's cost is the sum of its tests' estimated seconds: a browser test counts
``BROWSER_SECONDS``, a ``one_pass`` test the marker's ``seconds`` (default 2). The largest
modules go first, each to the share with the least weighted load so far: the same on every run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

BROWSER_SHARE = os.environ.get("PONTIVE_TEST_BROWSER_SHARE", "")
BROWSER_SECONDS = 3.0
ONE_PASS_SECONDS = 2.0


@dataclass(frozen=True)
class Share:
    """This pass's share ``k`` of ``n``, and every share's weight."""

    k: int
    n: int
    weights: tuple[float, ...]


def parse_share(share: str) -> Share | None:
    """The share from ``"k/n"`` or ``"k/n:w0,w1,…"``; ``None`` when unset."""
    if not share:
        return None
    fraction, _, weighting = share.partition(":")
    first, _, count = fraction.partition("/")
    k, n = int(first), int(count)
    weights = tuple(float(w) for w in weighting.split(",")) if weighting else (1.0,) * n
    if not 0 <= k < n or len(weights) != n or min(weights) <= 0:
        raise ValueError(
            f"PONTIVE_TEST_BROWSER_SHARE={share!r}: want k/n with 0 <= k < n, "
            "optionally :w0,…,w(n-1) with n positive weights"
        )
    return Share(k, n, weights)


def item_seconds(item: pytest.Item) -> float | None:
    """The estimated cost of a test that runs in one pass only; ``None`` for the others."""
    if item.get_closest_marker("browser"):
        return BROWSER_SECONDS
    marker = item.get_closest_marker("one_pass")
    if marker is None:
        return None
    return float(marker.kwargs.get("seconds", ONE_PASS_SECONDS))


def owners(costs: dict[str, float], share: Share) -> dict[str, int]:
    """Each module's share: largest first, to the least weighted load so far."""
    loads = [0.0] * share.n
    owner: dict[str, int] = {}
    for name in sorted(costs, key=lambda m: (-costs[m], m)):
        ratios = [load / weight for load, weight in zip(loads, share.weights, strict=True)]
        least = ratios.index(min(ratios))
        owner[name] = least
        loads[least] += costs[name]
    return owner


def keep_this_pass(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the one-pass modules that belong to the other share(s)."""
    share = parse_share(BROWSER_SHARE)
    if share is None:
        return
    costs: dict[str, float] = {}
    for item in items:
        seconds = item_seconds(item)
        if seconds is not None:
            name = item.module.__name__  # type: ignore[attr-defined]
            costs[name] = costs.get(name, 0.0) + seconds
    owner = owners(costs, share)
    dropped = [
        item
        for item in items
        if item_seconds(item) is not None and owner[item.module.__name__] != share.k  # type: ignore[attr-defined]
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        kept = set(map(id, items)) - set(map(id, dropped))
        items[:] = [item for item in items if id(item) in kept]
