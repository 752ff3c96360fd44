"""Hypothesis profiles of the fuzz tests: small and reproducible in CI, large under soak.

``ci`` (the default): a few dozen examples, derandomized so a CI failure reproduces with the
same command, a fixed generous deadline so a hang or a pathologically slow input still fails,
and no example database written into the repository. ``soak`` (``PONTIVE_SOAK=1``, ``make
soak``): thousands of random examples. Select another with ``--hypothesis-profile``.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings

from tests.conftest import SOAK

# The app fixtures are function-scoped on purpose: every example of a test runs inside the
# test's one rolled-back transaction, so nothing leaks into other tests.
_SHARED = {
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "print_blob": True,
}

settings.register_profile(
    "ci",
    max_examples=30,
    derandomize=True,
    deadline=timedelta(seconds=5),
    **_SHARED,  # type: ignore[arg-type]
)
settings.register_profile(
    "soak",
    max_examples=3000,
    derandomize=False,
    deadline=timedelta(seconds=10),
    **_SHARED,  # type: ignore[arg-type]
)
settings.load_profile("soak" if SOAK else "ci")
