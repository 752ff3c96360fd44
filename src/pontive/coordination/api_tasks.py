"""Tasks and coordination meetings in the coordination API.

A PD officer lists and works only its own agency's tasks (another agency's answer 404) and
sees the meetings its agency attends; operators, the technical team and admins assign tasks
and run meetings. The signed-off minutes are served as stored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from sqlalchemy.orm import Session

from pontive.coordination import meetings, service, tasks
from pontive.coordination.api_incidents import BASE, PDF, incident_codes
from pontive.coordination.choices import OPEN_TASK_STATUSES, TaskStatus
from pontive.coordination.models import Meeting, Task
from pontive.coordination.schemas import (
    DecisionTaskWrite,
    TaskPatch,
    TaskRead,
    TaskStatusChange,
    TaskWrite,
)
from pontive.coordination.schemas_meetings import (
    MeetingDecisionCreate,
    MeetingDecisionRead,
    MeetingRead,
    MeetingWrite,
    MinutesWrite,
    SignOff,
)
from pontive.core.identity import Actor
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter()


def _read(session: Session, task: Task) -> TaskRead:
    codes = incident_codes(session, {task.incident_id} if task.incident_id else set())
    return TaskRead.of(task, codes.get(task.incident_id or 0))


def _task(session: Session, actor: Actor, code: str) -> Task:
    return tasks.get_task(session, actor=actor, code=code)


def _meeting(session: Session, actor: Actor, code: str) -> Meeting:
    return meetings.get_meeting(session, actor=actor, code=code)


# --- tasks ---------------------------------------------------------------------------------


@router.get("/tasks", response_model=list[TaskRead])
def read_tasks(
    session: DbSession,
    actor: CurrentActor,
    status: Annotated[list[TaskStatus] | None, Query()] = None,
    pd: Annotated[str | None, Query(max_length=40)] = None,
    incident: Annotated[str | None, Query(max_length=20)] = None,
    overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> list[TaskRead]:
    """Tasks the caller may see (open ones unless ``status``), overdue and urgent first."""
    incident_id = None
    if incident:
        incident_id = service.get_incident(session, actor=actor, code=incident.upper()).id
    filters = tasks.TaskFilter(
        statuses=frozenset(status) if status else OPEN_TASK_STATUSES,
        pd_kode=pd or None,
        incident_id=incident_id,
        overdue_only=overdue,
    )
    rows = tasks.list_tasks(session, actor=actor, filters=filters, limit=limit)
    codes = incident_codes(session, {t.incident_id for t in rows if t.incident_id is not None})
    return [TaskRead.of(task, codes.get(task.incident_id or 0)) for task in rows]


@router.post("/tasks", response_model=TaskRead, status_code=201)
def create_task(
    body: TaskWrite, response: Response, session: DbSession, actor: CurrentActor
) -> TaskRead:
    """Assign a task to a Perangkat Daerah, for an incident or on its own."""
    incident = None
    if body.incident_code:
        incident = service.get_incident(session, actor=actor, code=body.incident_code.upper())
    task = tasks.create_task(session, actor=actor, data=body.as_input(), incident=incident)
    session.commit()
    response.headers["Location"] = f"{BASE}/tasks/{task.code}"
    return _read(session, task)


@router.get("/tasks/{code}", response_model=TaskRead)
def read_task(code: str, session: DbSession, actor: CurrentActor) -> TaskRead:
    """One task (a PD officer: its own agency's only)."""
    return _read(session, _task(session, actor, code))


@router.patch("/tasks/{code}", response_model=TaskRead)
def update_task(code: str, body: TaskPatch, session: DbSession, actor: CurrentActor) -> TaskRead:
    """Correct or reassign an open task (the fields sent replace, the others are kept)."""
    task = _task(session, actor, code)
    tasks.update_task(session, actor=actor, task=task, data=body.over(task))
    session.commit()
    return _read(session, task)


@router.post("/tasks/{code}/status", response_model=TaskRead)
def move_task(
    code: str, body: TaskStatusChange, session: DbSession, actor: CurrentActor
) -> TaskRead:
    """Start, complete, cancel or reopen a task (completing or cancelling needs a note)."""
    task = _task(session, actor, code)
    tasks.move_task(session, actor=actor, task=task, status=body.status, note=body.note)
    session.commit()
    return _read(session, task)


# --- meetings ------------------------------------------------------------------------------


@router.get("/meetings", response_model=list[MeetingRead])
def read_meetings(
    session: DbSession,
    actor: CurrentActor,
    incident: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[MeetingRead]:
    """Meetings the caller may see, the newest first (optionally those of one incident)."""
    incident_id = None
    if incident:
        incident_id = service.get_incident(session, actor=actor, code=incident.upper()).id
    rows = meetings.list_meetings(session, actor=actor, incident_id=incident_id, limit=limit)
    return [MeetingRead.of(meeting) for meeting in rows]


@router.post("/meetings", response_model=MeetingRead, status_code=201)
def create_meeting(
    body: MeetingWrite, response: Response, session: DbSession, actor: CurrentActor
) -> MeetingRead:
    """Schedule a meeting with its agenda and attendees by agency."""
    meeting = meetings.create_meeting(session, actor=actor, data=body.as_input())
    session.commit()
    response.headers["Location"] = f"{BASE}/meetings/{meeting.code}"
    return MeetingRead.of(meeting)


@router.get("/meetings/{code}", response_model=MeetingRead)
def read_meeting(code: str, session: DbSession, actor: CurrentActor) -> MeetingRead:
    """One meeting with its attendees, minutes and decisions."""
    return MeetingRead.of(_meeting(session, actor, code))


@router.post("/meetings/{code}/minutes", response_model=MeetingRead)
def record_minutes(
    code: str, body: MinutesWrite, session: DbSession, actor: CurrentActor
) -> MeetingRead:
    """Write the minutes and who was absent; the meeting counts as held."""
    meeting = _meeting(session, actor, code)
    meetings.record_minutes(
        session, actor=actor, meeting=meeting, minutes=body.minutes, absent=body.absent
    )
    session.commit()
    return MeetingRead.of(meeting)


@router.post("/meetings/{code}/decisions", response_model=MeetingDecisionRead, status_code=201)
def create_decision(
    code: str, body: MeetingDecisionCreate, session: DbSession, actor: CurrentActor
) -> MeetingDecisionRead:
    """Record a decision (written into the incident's timeline too)."""
    meeting = _meeting(session, actor, code)
    decision = meetings.add_decision(session, actor=actor, meeting=meeting, text=body.text)
    session.commit()
    return MeetingDecisionRead.model_validate(decision)


@router.post(
    "/meetings/{code}/decisions/{decision_id}/tasks", response_model=TaskRead, status_code=201
)
def create_decision_task(
    code: str,
    decision_id: int,
    body: DecisionTaskWrite,
    response: Response,
    session: DbSession,
    actor: CurrentActor,
) -> TaskRead:
    """An action item of a decision, assigned as a task."""
    meeting = _meeting(session, actor, code)
    task = meetings.decision_to_task(
        session, actor=actor, meeting=meeting, decision_id=decision_id, data=body.as_input()
    )
    session.commit()
    response.headers["Location"] = f"{BASE}/tasks/{task.code}"
    return _read(session, task)


@router.post("/meetings/{code}/sign-off", response_model=MeetingRead)
def sign_off(
    code: str, body: SignOff, request: Request, session: DbSession, actor: CurrentActor
) -> MeetingRead:
    """Sign the minutes off: the PDF is generated and stored once; no more changes."""
    meeting = _meeting(session, actor, code)
    meetings.sign_off(
        session,
        actor=actor,
        meeting=meeting,
        signed_by=body.signed_by,
        media=request.app.state.media,
    )
    session.commit()
    return MeetingRead.of(meeting)


@router.get("/meetings/{code}/minutes.pdf", response_class=Response, responses=PDF)
def read_minutes(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The minutes as PDF: the signed copy once signed off, a draft before."""
    meeting = _meeting(session, actor, code)
    document = meetings.minutes_document(session, meeting=meeting, media=request.app.state.media)
    return Response(
        document,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="notulen-{meeting.code}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
