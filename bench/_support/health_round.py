"""One CCTV health round as ``pontive worker`` runs it, measured (for bench/cctv_health.py).

Reads the usual ``PONTIVE_*`` settings, runs ``cctv.health.run_round`` once and prints
``{"seconds": …, "checked": …, "by_state": {…}, "peak_rss_mb": …}``: the round's wall time
and the process's peak resident memory (``ru_maxrss``), imports included.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from pontive.cctv import health
from pontive.core.db import Database
from pontive.core.events import MemoryBus
from pontive.core.storage import MediaStore
from pontive.settings import get_settings


def main() -> None:
    settings = get_settings()
    with Database(settings.database_url) as database:
        started = time.monotonic()
        report = health.run_round(
            database, MemoryBus(), settings, media=MediaStore(settings.media_dir)
        )
        seconds = time.monotonic() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "seconds": round(seconds, 3),
        "checked": report.checked,
        "by_state": report.by_state,
        "peak_rss_mb": round(peak_kib / 1024, 1),
    }
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
