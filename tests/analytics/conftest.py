"""Analytics tests write sensor observations in transactions that are rolled back: the
process-wide caches of PostgreSQL partitions and index streams must forget them each time."""

from __future__ import annotations

from tests.sensors.indices_support import _fresh_process_caches  # noqa: F401 - autouse fixture
