"""``pontive worker``: runs the registered background jobs until told to stop.

A job is a function called every ``interval`` seconds in a thread with its own database
session. A failing run is logged with its job name and retried at the next interval; it never
takes the worker down (STYLE.md, habit 8). Domains add jobs through ``<domain>/jobs.py``.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from pontive import domains
from pontive.core import audit
from pontive.core.choices import Classification
from pontive.core.db import Database
from pontive.core.errors import DomainError
from pontive.core.events import SESSION_BUS_KEY, Event, EventBus
from pontive.core.models import JobRun
from pontive.core.timeutil import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a job run gets: a session (with the bus attached) and the bus itself."""

    session: Session
    bus: EventBus


@dataclass(frozen=True, slots=True)
class Job:
    """A periodic background job."""

    name: str
    interval_seconds: float
    run: Callable[[JobContext], None]


def verify_audit_chain(context: JobContext) -> None:
    """Check the audit chain and raise the alarm on the bus when it is broken."""
    report = audit.verify_chain(context.session)
    if report.is_intact:
        log.info("audit chain intact", extra={"checked": report.checked})
        return
    log.error("audit chain broken at %s: %s", report.broken_id, report.reason)
    context.bus.publish(
        Event(
            "audit.chain_broken",
            {"broken_id": report.broken_id, "reason": report.reason},
            classification=Classification.RAHASIA,
        )
    )


CORE_JOBS = (Job("audit.verify", 3600.0, verify_audit_chain),)


def registered_jobs() -> list[Job]:
    """Core jobs plus every domain's ``JOBS``."""
    jobs = list(CORE_JOBS)
    for _domain, module in domains.domain_modules("jobs"):
        jobs.extend(module.JOBS)
    return jobs


class Outcome(StrEnum):
    """What happened when a worker tried to run a job."""

    RAN = "ran"
    FAILED = "failed"
    SKIPPED = "skipped"  # another worker ran it within this interval


def _claim(database: Database, job: Job) -> bool:
    """Take this interval's run of ``job`` unless another worker already has."""
    with database.session(write=True) as session:
        run = session.get(JobRun, job.name, with_for_update=True)
        now = utcnow()
        # A little slack so that two workers' clocks and sleeps never skip a whole interval.
        if run is not None and now - run.started_at < timedelta(seconds=job.interval_seconds * 0.9):
            return False
        if run is None:
            session.add(JobRun(name=job.name, started_at=now))
        else:
            run.started_at, run.finished_at, run.succeeded, run.error = now, None, None, None
        try:
            session.commit()
        except IntegrityError:  # another worker inserted the first row at the same moment
            return False
    return True


def _finish(database: Database, job: Job, error: str | None) -> None:
    with database.session(write=True) as session:
        run = session.get(JobRun, job.name)
        if run is not None:
            run.finished_at, run.succeeded, run.error = utcnow(), error is None, error
            session.commit()


def run_job_once(job: Job, database: Database, bus: EventBus) -> Outcome:
    """Run one job in one session unless another worker already ran it this interval."""
    if not _claim(database, job):
        return Outcome.SKIPPED
    error: str | None = None
    with database.session(write=True) as session:
        session.info[SESSION_BUS_KEY] = bus
        try:
            job.run(JobContext(session=session, bus=bus))
            session.commit()
        except (SQLAlchemyError, DomainError, ConnectionError, OSError, ValueError) as failure:
            session.rollback()
            log.exception("job %s failed; retrying at the next interval", job.name)
            error = f"{type(failure).__name__}: {failure}"[:500]
    _finish(database, job, error)
    return Outcome.RAN if error is None else Outcome.FAILED


async def _loop(job: Job, database: Database, bus: EventBus, stop: asyncio.Event) -> None:
    while not stop.is_set():
        await asyncio.to_thread(run_job_once, job, database, bus)
        try:
            await asyncio.wait_for(stop.wait(), timeout=job.interval_seconds)
        except TimeoutError:
            continue


async def run_worker(database: Database, bus: EventBus, jobs: list[Job] | None = None) -> None:
    """Run ``jobs`` (default: all registered) until SIGINT or SIGTERM."""
    jobs = registered_jobs() if jobs is None else jobs
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await asyncio.to_thread(bus.start)
    log.info("worker started", extra={"jobs": [job.name for job in jobs]})
    try:
        await asyncio.gather(*(_loop(job, database, bus, stop) for job in jobs))
    finally:
        await asyncio.to_thread(bus.stop)
        log.info("worker stopped")
