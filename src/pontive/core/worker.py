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

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pontive import domains
from pontive.core import audit
from pontive.core.choices import Classification
from pontive.core.db import Database
from pontive.core.errors import DomainError
from pontive.core.events import SESSION_BUS_KEY, Event, EventBus

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


def run_job_once(job: Job, database: Database, bus: EventBus) -> bool:
    """Run one job in one session; ``False`` (and a log line) when it failed."""
    with database.session(write=True) as session:
        session.info[SESSION_BUS_KEY] = bus
        try:
            job.run(JobContext(session=session, bus=bus))
            session.commit()
        except (SQLAlchemyError, DomainError, ConnectionError, OSError, ValueError):
            session.rollback()
            log.exception("job %s failed; retrying at the next interval", job.name)
            return False
    return True


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
