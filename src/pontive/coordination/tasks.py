"""Tasks across agencies: assigned to a Perangkat Daerah (optionally one of its people) with a
due time and priority, from an incident, a meeting decision or on their own.

A PD officer sees and works only its own agency's tasks (the same rule as its complaint
queue); operators, the technical team and admins assign and follow every task. Tasks past
their due time are escalated once by the worker (``jobs.py``): marked, announced to the
command center and written into the incident's timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from pontive.coordination import timeline
from pontive.coordination.choices import (
    OPEN_TASK_STATUSES,
    EntryKind,
    IncidentStatus,
    TaskPriority,
    TaskStatus,
)
from pontive.coordination.models import Incident, IncidentAgency, Meeting, MeetingDecision, Task
from pontive.coordination.service import ASSIGN_TASKS, READ, WORK_TASKS
from pontive.core import audit, permissions
from pontive.core.choices import Classification
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.events import Event, emit
from pontive.core.identity import Actor
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference

# Which moves a task may make, and the word the audit trail and events use for each.
MOVES: dict[tuple[TaskStatus, TaskStatus], str] = {
    (TaskStatus.BARU, TaskStatus.DIKERJAKAN): "started",
    (TaskStatus.BARU, TaskStatus.SELESAI): "completed",
    (TaskStatus.DIKERJAKAN, TaskStatus.SELESAI): "completed",
    (TaskStatus.BARU, TaskStatus.DIBATALKAN): "cancelled",
    (TaskStatus.DIKERJAKAN, TaskStatus.DIBATALKAN): "cancelled",
    (TaskStatus.SELESAI, TaskStatus.DIKERJAKAN): "reopened",
}


@dataclass(slots=True)
class TaskInput:
    """A task as typed: what, for which agency, by when, how urgent."""

    title: str
    pd_kode: str
    priority: str = TaskPriority.NORMAL.value
    due_at: datetime | None = None
    description: str = ""
    assignee_id: int | None = None


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """What the task list is narrowed to."""

    statuses: frozenset[TaskStatus] = OPEN_TASK_STATUSES
    pd_kode: str | None = None
    incident_id: int | None = None
    meeting_id: int | None = None
    overdue_only: bool = False


def may_work(actor: Actor, task: Task) -> bool:
    """Whether ``actor`` may change ``task``'s status."""
    return permissions.can(actor, WORK_TASKS, owner_pd=task.pd_kode)


def may_assign(actor: Actor) -> bool:
    """Whether ``actor`` may create and reassign tasks."""
    return permissions.can(actor, ASSIGN_TASKS)


def is_overdue(task: Task, now: datetime | None = None) -> bool:
    """Open and past its due time."""
    return (
        task.status in OPEN_TASK_STATUSES
        and task.due_at is not None
        and task.due_at < (now or utcnow())
    )


def task_state(task: Task) -> dict[str, Any]:
    """What the audit trail records of a task."""
    return {
        "code": task.code,
        "title": task.title,
        "pd_kode": task.pd_kode,
        "assignee_id": task.assignee_id,
        "priority": task.priority.value,
        "status": task.status.value,
        "due_at": task.due_at.isoformat() if task.due_at else None,
        "incident_id": task.incident_id,
        "meeting_id": task.meeting_id,
    }


def task_event(event_type: str, task: Task, **extra: Any) -> Event:
    """A staff event about a task, seen by its own agency's officers and city-wide staff."""
    data = {
        "code": task.code,
        "title": task.title,
        "pd_kode": task.pd_kode,
        "priority": task.priority.value,
        "status": task.status.value,
        "due_at": task.due_at.isoformat() if task.due_at else None,
        "incident": task.incident.code if task.incident is not None else None,
        **extra,
    }
    return Event(event_type, data, Classification.TERBATAS, pd_kode=task.pd_kode)


def _record(
    session: Session,
    actor: Actor,
    task: Task,
    verb: str,
    before: dict[str, Any] | None,
    **extra: Any,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=f"coordination.task.{verb}",
        object_type="coord_task",
        object_id=task.code,
        before=before,
        after=task_state(task),
    )
    emit(session, task_event(f"coordination.task.{verb}", task, **extra))


def _pd_name(session: Session, pd_kode: str) -> str:
    pd = reference.get_perangkat_daerah(session=session, kode=pd_kode)
    return pd.singkatan if pd is not None else pd_kode


# --- reading ---------------------------------------------------------------------------------


def get_task(session: Session, *, actor: Actor, code: str) -> Task:
    """A task ``actor`` may see (a PD officer: its own agency's); NotFound otherwise."""
    permissions.require(actor, READ)
    task = session.scalar(select(Task).where(Task.code == code.strip().upper()))
    if task is None or (actor.role is Role.PETUGAS_PD and task.pd_kode != actor.pd_kode):
        raise NotFound("Tugas tidak ditemukan.", "Task not found.")
    return task


def list_tasks(
    session: Session, *, actor: Actor, filters: TaskFilter | None = None, limit: int = 500
) -> list[Task]:
    """Tasks ``actor`` may see, overdue and urgent first, then by due time."""
    permissions.require(actor, READ)
    filters = filters or TaskFilter()
    query = select(Task).options(selectinload(Task.incident))
    if actor.role is Role.PETUGAS_PD:
        query = query.where(Task.pd_kode == (actor.pd_kode or ""))
    elif filters.pd_kode:
        query = query.where(Task.pd_kode == filters.pd_kode)
    if filters.statuses:
        query = query.where(Task.status.in_(sorted(filters.statuses)))
    if filters.incident_id is not None:
        query = query.where(Task.incident_id == filters.incident_id)
    if filters.meeting_id is not None:
        query = query.where(Task.meeting_id == filters.meeting_id)
    now = utcnow()
    if filters.overdue_only:
        query = query.where(Task.due_at < now, Task.status.in_(sorted(OPEN_TASK_STATUSES)))
    rows = session.scalars(query.order_by(Task.created_at.desc()).limit(limit)).all()
    ranks = list(TaskPriority)
    return sorted(
        rows,
        key=lambda t: (
            t.status not in OPEN_TASK_STATUSES,
            not is_overdue(t, now),
            -ranks.index(t.priority),
            t.due_at or datetime.max.replace(tzinfo=now.tzinfo),
        ),
    )


def count_open_by_pd(session: Session) -> dict[str, tuple[int, int]]:
    """Per agency: (open tasks, of which overdue)."""
    now = utcnow()
    rows = session.execute(
        select(Task.pd_kode, Task.due_at).where(Task.status.in_(sorted(OPEN_TASK_STATUSES)))
    ).all()
    counts: dict[str, tuple[int, int]] = {}
    for pd_kode, due_at in rows:
        total, late = counts.get(pd_kode, (0, 0))
        counts[pd_kode] = (total + 1, late + int(due_at is not None and due_at < now))
    return counts


# --- writing ---------------------------------------------------------------------------------


def _validated(session: Session, data: TaskInput, *, now: datetime, is_new: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    title = " ".join(data.title.split())
    if not 3 <= len(title) <= 200:
        errors["title"] = ["Judul tugas 3 sampai 200 huruf."]
    if reference.get_perangkat_daerah(session=session, kode=data.pd_kode or "") is None:
        errors["pd_kode"] = ["Pilih Perangkat Daerah yang ditugasi."]
    try:
        priority = TaskPriority(data.priority)
    except ValueError:
        errors["priority"] = ["Pilih salah satu pilihan yang ada."]
        priority = TaskPriority.NORMAL
    if data.due_at is not None and is_new and data.due_at <= now:
        errors["due_at"] = ["Batas waktu harus di masa depan."]
    if len(data.description) > 5000:
        errors["description"] = ["Uraian paling banyak 5000 huruf."]
    if data.assignee_id is not None:
        user = session.get(User, data.assignee_id)
        if user is None or not user.is_active or user.pd_kode != data.pd_kode:
            errors["assignee_id"] = ["Petugas harus pengguna aktif dari Perangkat Daerah itu."]
    if errors:
        raise InvalidInput("Data tugas tidak valid.", "Invalid task details.", errors=errors)
    return {
        "title": title,
        "pd_kode": data.pd_kode,
        "priority": priority,
        "due_at": data.due_at,
        "description": data.description.strip(),
        "assignee_id": data.assignee_id,
    }


def create_task(
    session: Session,
    *,
    actor: Actor,
    data: TaskInput,
    incident: Incident | None = None,
    meeting: Meeting | None = None,
    decision: MeetingDecision | None = None,
    now: datetime | None = None,
) -> Task:
    """Assign a task; from an incident or a meeting decision it is recorded there too."""
    permissions.require(actor, ASSIGN_TASKS)
    now = now or utcnow()
    if incident is not None and incident.status is IncidentStatus.SELESAI:
        raise Conflict("Insiden sudah ditutup.", "The incident is already closed.")
    clean = _validated(session, data, now=now, is_new=True)
    if meeting is None and decision is not None:
        meeting = decision.meeting
    if incident is None and meeting is not None and meeting.incident_id is not None:
        incident = session.get(Incident, meeting.incident_id)
        if incident is not None and incident.status is IncidentStatus.SELESAI:
            incident = None  # a late action item of a closed incident stands on its own
    task = Task(
        code=timeline.next_code(session, Task, "TGS", at=now),
        created_by=actor.label,
        created_at=now,
        updated_at=now,
        incident_id=incident.id if incident else None,
        meeting_id=meeting.id if meeting else None,
        decision_id=decision.id if decision else None,
        **clean,
    )
    session.add(task)
    session.flush()
    task.incident = incident
    if incident is not None:
        if task.pd_kode not in incident.agency_codes:
            incident.agencies.append(IncidentAgency(pd_kode=task.pd_kode, joined_at=now))
        source = (
            f" (keputusan rapat {meeting.code} no. {decision.number})"
            if meeting and decision
            else ""
        )
        timeline.note(
            session,
            incident,
            actor=actor,
            kind=EntryKind.TASK,
            at=now,
            ref=task.code,
            text=f"Tugas {task.code} untuk {_pd_name(session, task.pd_kode)}: {task.title}{source}",
            data={"task": task.code, "status": task.status.value, "pd_kode": task.pd_kode},
        )
    _record(session, actor, task, "created", None)
    return task


def update_task(session: Session, *, actor: Actor, task: Task, data: TaskInput) -> Task:
    """Correct or reassign an open task (due time, priority, agency, person)."""
    permissions.require(actor, ASSIGN_TASKS)
    if task.status not in OPEN_TASK_STATUSES:
        raise Conflict("Tugas sudah selesai atau dibatalkan.", "The task is already closed.")
    before = task_state(task)
    now = utcnow()
    clean = _validated(session, data, now=now, is_new=False)
    for key, value in clean.items():
        setattr(task, key, value)
    incident = session.get(Incident, task.incident_id) if task.incident_id else None
    if incident is not None and task.pd_kode not in incident.agency_codes:
        incident.agencies.append(IncidentAgency(pd_kode=task.pd_kode, joined_at=now))
    if task.due_at is None or task.due_at > now:
        task.escalated_at = None  # a new due time restarts the clock
    task.updated_at = now
    if task_state(task) != before:
        _record(session, actor, task, "updated", before)
    return task


def move_task(
    session: Session,
    *,
    actor: Actor,
    task: Task,
    status: str,
    note: str = "",
    now: datetime | None = None,
) -> Task:
    """Start, complete, cancel or reopen a task; completing or cancelling needs a note."""
    permissions.require(actor, WORK_TASKS, owner_pd=task.pd_kode)
    try:
        target = TaskStatus(status)
    except ValueError:
        raise InvalidInput(errors={"status": ["Pilih salah satu pilihan yang ada."]}) from None
    verb = MOVES.get((task.status, target))
    if verb is None:
        raise Conflict(
            f"Tugas berstatus {task.status.label('id')} tidak dapat menjadi {target.label('id')}.",
            f"A task that is {task.status.label('en')} cannot become {target.label('en')}.",
        )
    note = note.strip()
    if target in (TaskStatus.SELESAI, TaskStatus.DIBATALKAN) and len(note) < 3:
        raise InvalidInput(errors={"note": ["Tulis apa yang dikerjakan, atau mengapa dibatalkan."]})
    before = task_state(task)
    now = now or utcnow()
    task.status, task.updated_at = target, now
    if target is TaskStatus.DIKERJAKAN:
        task.started_at = task.started_at or now
        task.completed_at = None
    if target in (TaskStatus.SELESAI, TaskStatus.DIBATALKAN):
        task.completed_at, task.result = now, note[:5000]
        task.started_at = task.started_at or now
    incident = session.get(Incident, task.incident_id) if task.incident_id else None
    if incident is not None and incident.status is not IncidentStatus.SELESAI:
        timeline.note(
            session,
            incident,
            actor=actor,
            kind=EntryKind.TASK,
            at=now,
            ref=task.code,
            text=f"Tugas {task.code} ({_pd_name(session, task.pd_kode)}) "
            + target.label("id").lower()
            + (f": {note}" if note else ""),
            data={"task": task.code, "status": target.value, "pd_kode": task.pd_kode},
        )
    _record(session, actor, task, verb, before)
    return task


def escalate_overdue(
    session: Session, *, actor: Actor, now: datetime | None = None, batch: int = 200
) -> list[str]:
    """Mark open tasks past their due time as escalated, once each; returns their codes."""
    now = now or utcnow()
    overdue: Sequence[Task] = session.scalars(
        select(Task)
        .where(
            Task.status.in_(sorted(OPEN_TASK_STATUSES)),
            Task.due_at < now,
            Task.escalated_at.is_(None),
        )
        .order_by(Task.due_at, Task.id)
        .limit(batch)
    ).all()
    for task in overdue:
        before = task_state(task)
        task.escalated_at = now
        incident = session.get(Incident, task.incident_id) if task.incident_id else None
        if incident is not None and incident.status is not IncidentStatus.SELESAI:
            timeline.note(
                session,
                incident,
                actor=actor,
                kind=EntryKind.TASK,
                at=now,
                ref=task.code,
                text=f"Tugas {task.code} ({_pd_name(session, task.pd_kode)}) melewati batas waktu: "
                "dieskalasi.",
                data={"task": task.code, "escalated": True, "pd_kode": task.pd_kode},
            )
        _record(session, actor, task, "overdue", before)
    return [task.code for task in overdue]


def completion_by_pd(
    session: Session, *, since: datetime, now: datetime | None = None
) -> dict[str, tuple[int, int, int]]:
    """Per agency, tasks due since ``since``: (due, done on time, still open and late)."""
    now = now or utcnow()
    rows = session.execute(
        select(Task.pd_kode, Task.status, Task.due_at, Task.completed_at).where(
            Task.due_at.is_not(None),
            Task.due_at >= since,
            Task.due_at <= now,
            Task.status != TaskStatus.DIBATALKAN,
        )
    ).all()
    result: dict[str, tuple[int, int, int]] = {}
    for pd_kode, status, due_at, completed_at in rows:
        due, on_time, late = result.get(pd_kode, (0, 0, 0))
        done = (
            status is TaskStatus.SELESAI
            and completed_at is not None
            and completed_at <= (due_at or now)
        )
        result[pd_kode] = (due + 1, on_time + int(done), late + int(status in OPEN_TASK_STATUSES))
    return result


def overdue_count(session: Session, now: datetime | None = None) -> int:
    """Open tasks past their due time, city-wide."""
    return (
        session.scalar(
            select(func.count(Task.id)).where(
                Task.status.in_(sorted(OPEN_TASK_STATUSES)), Task.due_at < (now or utcnow())
            )
        )
        or 0
    )


def open_count(session: Session) -> int:
    """Open tasks city-wide."""
    return (
        session.scalar(
            select(func.count(Task.id)).where(Task.status.in_(sorted(OPEN_TASK_STATUSES)))
        )
        or 0
    )
