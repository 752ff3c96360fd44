"""Tasks across agencies: assignment, each agency's own queue, the moves, escalation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from pontive.coordination import jobs, service, tasks
from pontive.coordination.choices import EntryKind, TaskStatus
from pontive.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from pontive.core.events import MemoryBus
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.core.worker import JobContext
from tests.coordination.support import (
    BPBD,
    DEWAN,
    OPERATOR,
    PUPR,
    WALIKOTA,
    make_task,
    open_incident,
)


def test_a_task_joins_its_agency_to_the_incident_and_the_timeline(session: Session) -> None:
    incident = open_incident(session, agencies=[])
    task = make_task(session, incident, pd_kode="dishub", title="Alihkan arus lalu lintas")
    assert task.code.startswith("TGS-")
    assert task.status is TaskStatus.BARU
    assert "dishub" in incident.agency_codes
    last = service.entries(session, incident)[-1]
    assert last.kind is EntryKind.TASK
    assert last.ref == task.code
    assert "Dishub" in last.text


def test_refusals_name_each_field(session: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    other_pd = make_user(Role.PETUGAS_PD, pd_kode="dlh")
    with pytest.raises(InvalidInput) as refused:
        tasks.create_task(
            session,
            actor=OPERATOR,
            data=tasks.TaskInput(
                "x", "bukan-pd", "segera", utcnow() - timedelta(hours=1), assignee_id=other_pd.id
            ),
        )
    assert set(refused.value.errors) == {"title", "pd_kode", "priority", "due_at", "assignee_id"}
    with pytest.raises(InvalidInput) as wrong_person:
        make_task(session, assignee_id=other_pd.id)  # a DLH officer on a PUPR task
    assert set(wrong_person.value.errors) == {"assignee_id"}
    for who in (PUPR, WALIKOTA, DEWAN):
        with pytest.raises(PermissionDenied):
            tasks.create_task(session, actor=who, data=tasks.TaskInput("Tugas baru", "pupr"))


def test_an_officer_sees_and_works_only_its_own_agencys_tasks(session: Session) -> None:
    mine = make_task(session, pd_kode="pupr")
    theirs = make_task(session, pd_kode="bpbd", title="Siagakan perahu karet")
    assert [t.code for t in tasks.list_tasks(session, actor=PUPR)] == [mine.code]
    assert {t.code for t in tasks.list_tasks(session, actor=OPERATOR)} >= {mine.code, theirs.code}
    assert {t.code for t in tasks.list_tasks(session, actor=WALIKOTA)} >= {mine.code, theirs.code}
    with pytest.raises(NotFound):
        tasks.get_task(session, actor=PUPR, code=theirs.code)
    with pytest.raises(PermissionDenied):
        tasks.move_task(session, actor=PUPR, task=theirs, status="dikerjakan")
    with pytest.raises(PermissionDenied):
        tasks.move_task(session, actor=WALIKOTA, task=mine, status="dikerjakan")
    tasks.move_task(session, actor=PUPR, task=mine, status="dikerjakan")
    assert mine.started_at is not None
    with pytest.raises(InvalidInput):
        tasks.move_task(session, actor=PUPR, task=mine, status="selesai")  # no note
    tasks.move_task(session, actor=PUPR, task=mine, status="selesai", note="Pompa terpasang.")
    assert mine.completed_at is not None
    assert mine.result == "Pompa terpasang."
    with pytest.raises(Conflict):
        tasks.move_task(session, actor=PUPR, task=mine, status="dibatalkan", note="Salah.")
    tasks.move_task(session, actor=PUPR, task=mine, status="dikerjakan")  # reopened
    assert mine.completed_at is None
    tasks.move_task(session, actor=BPBD, task=theirs, status="dibatalkan", note="Tidak perlu.")


def test_overdue_tasks_escalate_once(session: Session, bus: MemoryBus) -> None:
    incident = open_incident(session)
    late = make_task(session, incident, due_at=utcnow() + timedelta(minutes=1))
    on_time = make_task(session, incident, title="Laporan harian")
    later = utcnow() + timedelta(minutes=5)
    assert tasks.escalate_overdue(session, actor=OPERATOR, now=later) == [late.code]
    assert late.escalated_at == later
    assert on_time.escalated_at is None
    assert tasks.escalate_overdue(session, actor=OPERATOR, now=later) == []
    assert tasks.is_overdue(late, later)
    assert not tasks.is_overdue(on_time, later)
    assert "melewati batas waktu" in service.entries(session, incident)[-1].text
    # A new due time restarts the clock.
    tasks.update_task(
        session,
        actor=OPERATOR,
        task=late,
        data=tasks.TaskInput(late.title, "pupr", "tinggi", utcnow() + timedelta(hours=3)),
    )
    assert late.escalated_at is None


def test_the_worker_job_escalates(session: Session, bus: MemoryBus) -> None:
    task = make_task(session, due_at=utcnow() + timedelta(seconds=1))
    task.due_at = utcnow() - timedelta(minutes=1)  # its time has passed
    jobs.escalate_tasks(JobContext(session=session, bus=bus))
    assert task.escalated_at is not None
    assert tasks.overdue_count(session) >= 1


def test_completion_record_counts_on_time_work(session: Session) -> None:
    start = utcnow() - timedelta(days=2)
    done, late = (
        tasks.create_task(
            session,
            actor=OPERATOR,
            now=start,
            data=tasks.TaskInput(title, "pupr", "tinggi", start + timedelta(hours=5)),
        )
        for title in ("Pasang pompa", "Angkut sampah banjir")
    )
    tasks.move_task(
        session,
        actor=PUPR,
        task=done,
        status="selesai",
        note="Beres.",
        now=start + timedelta(hours=4),
    )
    record = tasks.completion_by_pd(session, since=start)
    due, on_time, still_open = record["pupr"]
    assert (due, on_time, still_open) == (2, 1, 1)
    assert late.status is TaskStatus.BARU
