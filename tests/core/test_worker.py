"""Background jobs fail soft and the audit job raises the alarm on a broken chain."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session

from pontive.core import audit
from pontive.core.db import Database
from pontive.core.events import MemoryBus
from pontive.core.identity import system_actor
from pontive.core.models import JobRun
from pontive.core.worker import (
    Job,
    JobContext,
    Outcome,
    registered_jobs,
    run_job_once,
    verify_audit_chain,
)


def test_the_audit_job_is_registered() -> None:
    assert "audit.verify" in {job.name for job in registered_jobs()}


def test_a_failing_job_is_logged_and_the_worker_lives_on(database: Database, caplog) -> None:  # type: ignore[no-untyped-def]
    def broken(_context: JobContext) -> None:
        raise ValueError("sensor payload unreadable")

    name = f"broken-{uuid.uuid4().hex[:6]}"
    assert run_job_once(Job(name, 60.0, broken), database, MemoryBus()) is Outcome.FAILED
    assert f"job {name} failed" in caplog.text
    with database.session(write=False) as session:
        run = session.get(JobRun, name)
        assert run is not None
        assert run.succeeded is False
        assert run.error == "ValueError: sensor payload unreadable"


def test_two_workers_do_not_run_the_same_interval_twice(database: Database) -> None:
    calls: list[int] = []
    job = Job(f"once-{uuid.uuid4().hex[:6]}", 60.0, lambda _c: calls.append(1))
    assert run_job_once(job, database, MemoryBus()) is Outcome.RAN
    assert run_job_once(job, database, MemoryBus()) is Outcome.SKIPPED
    assert calls == [1]
    # Once the interval has passed, the next worker to ask runs it.
    quick = Job(job.name, 0.0, job.run)
    assert run_job_once(quick, database, MemoryBus()) is Outcome.RAN
    assert calls == [1, 1]


def test_a_broken_chain_is_announced_on_the_bus(session: Session) -> None:
    bus = MemoryBus()
    for n in range(3):
        audit.record(session, actor=system_actor("t"), action="t.x", object_type="t", object_id=n)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"))
    else:
        session.execute(text("DROP TRIGGER audit_events_no_update"))
    session.execute(
        text(
            "UPDATE audit_events SET action = 'forged' "
            "WHERE id = (SELECT max(id) FROM audit_events)"
        )
    )
    session.expire_all()

    async def scenario() -> str | None:
        subscription = bus.subscribe("audit.>")
        verify_audit_chain(JobContext(session=session, bus=bus))
        event = await subscription.get(within=1)
        return event.type if event else None

    assert asyncio.run(scenario()) == "audit.chain_broken"
