"""The worker under faults: ``kill -9`` in the middle of a periodic job.

``kill -9`` of ``pontive worker`` in the middle of MQTT ingest batches is proven by
``tests/sensors/test_mqtt_worker.py`` (3000 observations, three kills, every one stored
exactly once) and not repeated here; ``test_outages.py`` adds the broker's and the database's
restarts under a running worker.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

from pontive.core.db import Database
from pontive.core.models import JobRun
from tests.faults import slow_job
from tests.faults.support import Process, copy_database, drop_database, process_env, wait_for


def _job_run(database: Database) -> JobRun | None:
    with database.session(write=False) as session:
        return session.scalar(select(JobRun).where(JobRun.name == slow_job.NAME))


def test_a_job_killed_mid_run_runs_again_at_its_next_interval(
    database_url: str, tmp_path: Path
) -> None:
    url = copy_database(database_url, tmp_path)
    database = Database(url)
    marks = tmp_path / "marks.txt"
    marks.touch()
    env = process_env(url, tmp_path / "media", FAULT_JOB_MARKS=str(marks))

    def worker(seconds: str) -> Process:
        return Process(
            ["-m", "tests.faults.slow_job"],
            env | {"FAULT_JOB_SECONDS": seconds},
            tmp_path / "worker.log",
            program=[sys.executable],
        )

    first, second = worker("600"), worker("0.2")
    try:
        first.spawn()
        wait_for(lambda: "start" in marks.read_text(), 300, f"no run began\n{first.tail()}")
        first.kill()  # mid-run: the lease is taken, the run never finishes
        killed = _job_run(database)
        assert killed is not None
        assert (killed.finished_at, killed.succeeded) == (None, None)

        second.spawn()
        done = wait_for(
            lambda: (run := _job_run(database)) is not None and run.succeeded and run,
            300,
            f"the job did not run again\n{second.tail()}",
        )
        # The killed run's lease held the job until its interval had passed, no longer.
        waited = (done.started_at - killed.started_at).total_seconds()
        assert waited >= slow_job.INTERVAL_SECONDS * 0.9
        assert done.finished_at is not None
        assert done.error is None
        assert marks.read_text().split()[:6] == [
            "start", str(first.pid), "start", str(second.pid), "end", str(second.pid)
        ]  # fmt: skip
        assert second.stop() == 0
    finally:
        first.kill()
        second.kill()
        database.dispose()
        drop_database(url)
