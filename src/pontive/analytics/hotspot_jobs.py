"""Background jobs of the hotspot part: none. Hotspots are computed on demand from a snapshot
of the recent reports kept for a minute per process (``hotspot_data``): on the demo a cold
computation takes about 40 ms and a warm one 2-20 ms (docs/analytics/hotspots.md), well
below what would justify precomputing them on an interval and storing them."""

from __future__ import annotations

from pontive.core.worker import Job

JOBS: tuple[Job, ...] = ()
