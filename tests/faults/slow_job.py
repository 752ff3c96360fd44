"""A worker process running one slow periodic job, for ``test_worker.py`` to kill mid-run.

``python -m tests.faults.slow_job`` runs ``pontive.core.worker.run_worker`` — the loop, the
``job_runs`` lease and the signal handling of ``pontive worker`` — with only this job, so that
a run can be caught in the middle. ``FAULT_JOB_SECONDS`` is how long a run takes,
``FAULT_JOB_MARKS`` a file each run appends ``start <pid>`` and ``end <pid>`` to.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

from pontive.core.db import Database
from pontive.core.events import MemoryBus
from pontive.core.worker import Job, JobContext, run_worker
from pontive.settings import get_settings

NAME = "faults.slow"
INTERVAL_SECONDS = 3.0


def _mark(word: str) -> None:
    with Path(os.environ["FAULT_JOB_MARKS"]).open("a") as marks:
        marks.write(f"{word} {os.getpid()}\n")


def slow_job(_context: JobContext) -> None:
    """Take ``FAULT_JOB_SECONDS``, saying when it starts and when it ends."""
    _mark("start")
    time.sleep(float(os.environ["FAULT_JOB_SECONDS"]))
    _mark("end")


def main() -> None:
    settings = get_settings()
    job = Job(NAME, INTERVAL_SECONDS, slow_job)
    with Database(settings.database_url) as database:
        asyncio.run(run_worker(database, MemoryBus(), [job], services=[], settings=settings))


if __name__ == "__main__":
    main()
