"""One meeting's console page (``/console/koordinasi/rapat/<code>``), built here so that every
form on it (edit, minutes, decision, action item, sign-off) can show the same page again with
its errors and what was typed.

The forms follow the actor's permissions (the services check again on every post): the
meeting's managers correct it, write the minutes, record decisions and sign off; whoever may
assign tasks turns a decision's action item into a task. Once signed off, the meeting is read
only: the page shows who signed, when, and the SHA-256 of the stored PDF.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from pontive.coordination import meetings, tasks
from pontive.coordination.choices import MeetingStatus
from pontive.coordination.console_meeting_forms import (
    MEETINGS,
    attendee_rows,
    incident_options,
    meeting_values,
    pd_options,
    priority_options,
)
from pontive.coordination.console_support import Errors, page, pd_names, zone_of
from pontive.coordination.models import Meeting, Task
from pontive.coordination.service import MANAGE_MEETINGS
from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.web.deps import get_lang


def agenda_items(agenda: str) -> list[str]:
    """The agenda's items, one a line (list marks typed by hand dropped)."""
    return [line.strip(" -•\t") for line in agenda.splitlines() if line.strip(" -•\t")]


def decision_tasks(session: Session, actor: Actor, meeting: Meeting) -> dict[int, list[Task]]:
    """The tasks made from each decision that ``actor`` may see (a PD officer: its own)."""
    found: dict[int, list[Task]] = {}
    filters = tasks.TaskFilter(statuses=frozenset(), meeting_id=meeting.id)
    for task in tasks.list_tasks(session, actor=actor, filters=filters):
        if task.decision_id is not None:
            found.setdefault(task.decision_id, []).append(task)
    for made in found.values():
        made.sort(key=lambda task: task.created_at)
    return found


def _abilities(actor: Actor, meeting: Meeting) -> dict[str, Any]:
    is_signed = meeting.status is MeetingStatus.DISAHKAN
    can_manage = permissions.can(actor, MANAGE_MEETINGS)
    return {
        "is_signed": is_signed,
        "can_edit": can_manage and not is_signed,
        "can_assign": tasks.may_assign(actor),
        "can_sign": can_manage and not is_signed,
    }


def meeting_page(
    request: Request,
    session: Session,
    actor: Actor,
    meeting: Meeting,
    *,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The meeting's page: facts, agenda, attendees, minutes, decisions and their tasks, and
    the forms the actor may use."""
    lang = get_lang(request)
    abilities = _abilities(actor, meeting)
    values = meeting_values(meeting, zone_of(request))
    context: dict[str, Any] = {
        "meeting": meeting,
        "agenda": agenda_items(meeting.agenda),
        "pds": pd_names(session),
        "decision_tasks": decision_tasks(session, actor, meeting),
        "values": values,
        "sent": {},
        "failed": "",
        "errors": {},
        "sent_absent": None,
        "meetings_url": MEETINGS,
        "pdf_url": f"{MEETINGS}/{meeting.code}/notulen.pdf",
        **abilities,
    }
    if abilities["can_edit"] or abilities["can_assign"]:
        context["pd_options"] = pd_options(session)
        context["priorities"] = priority_options(lang)
    if abilities["can_edit"]:
        context["incidents"] = incident_options(session, actor, values["incident_code"])
    context |= extra or {}
    context["rows"] = attendee_rows(context["values"])
    return page(request, actor, "coordination/meeting_page.html", context, status_code=status_code)


def again(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    failed: str,
    errors: Errors,
    sent: dict[str, str],
    status_code: int = 422,
    *,
    absent: list[int] | None = None,
) -> Response:
    """The meeting's page once more after a refused form, with what was typed (``absent``:
    the attendees ticked absent in a refused minutes form)."""
    session.rollback()
    meeting = meetings.get_meeting(session, actor=actor, code=code)
    extra: dict[str, Any] = {"failed": failed, "errors": errors, "sent": sent}
    if absent is not None:
        extra["sent_absent"] = absent
    if failed == "edit":
        extra["values"] = sent
    return meeting_page(request, session, actor, meeting, extra=extra, status_code=status_code)
