"""The forms of the meetings console: scheduling or correcting a meeting (attendees as rows
of agency and name, which work without JavaScript), and turning a decision's action item into
a task. Reading what was typed into the services' inputs, the option lists, and the values an
existing meeting fills its form with.

Times are typed in the city's zone (WIB, ``datetime-local``); what cannot be read as a time is
a field error here, everything else is checked by ``meetings`` and ``tasks``.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pontive.coordination import service
from pontive.coordination.choices import TaskPriority
from pontive.coordination.console_support import (
    CONSOLE,
    Errors,
    local_input,
    parse_local_time,
    text,
)
from pontive.coordination.meetings import MeetingInput
from pontive.coordination.models import Meeting
from pontive.coordination.tasks import TaskInput
from pontive.core.errors import NotFound
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.web.i18n import translate

MEETINGS = f"{CONSOLE}/rapat"
ATTENDEE_ROWS = 8  # rows a new meeting's form offers; an existing one gets three spare
SPARE_ROWS = 3
MAX_ROWS = 60  # rows read back from a posted form
MEETING_FIELDS = ("title", "starts_at", "place", "chair", "agenda", "incident_code")
TASK_FIELDS = ("title", "pd_kode", "priority", "due_at", "description")
T = TypeVar("T")


@dataclass
class Parsed(Generic[T]):
    """A form read: the service's input, and the errors found before calling it."""

    data: T
    errors: Errors = field(default_factory=dict)


def pd_options(session: Session) -> list[tuple[str, str]]:
    """Active Perangkat Daerah as ``(kode, "SINGKATAN — Nama")``, by name."""
    return [
        (pd.kode, f"{pd.singkatan} — {pd.nama}")
        for pd in reference.list_perangkat_daerah(session=session)
    ]


def incident_options(session: Session, actor: Actor, chosen: str = "") -> list[tuple[str, str]]:
    """The open incidents ``actor`` may see (``chosen`` too, when it is closed but visible)."""
    incidents = service.list_incidents(session, actor=actor)
    codes = {incident.code for incident in incidents}
    if chosen and chosen not in codes:
        # An unknown code stays out of the list; the service says so on saving.
        with suppress(NotFound):
            incidents.append(service.get_incident(session, actor=actor, code=chosen))
    return [(incident.code, f"{incident.code} · {incident.title}") for incident in incidents]


def priority_options(lang: str) -> list[tuple[str, str]]:
    """Task priorities, least urgent first."""
    return TaskPriority.options(lang)


def new_values(incident_code: str = "") -> dict[str, str]:
    """What a new meeting's form starts with."""
    return {"place": "Pontive Center", "incident_code": incident_code.strip().upper()}


def meeting_values(meeting: Meeting, zone: ZoneInfo) -> dict[str, str]:
    """An existing meeting as its edit form shows it."""
    values = {
        "title": meeting.title,
        "starts_at": local_input(meeting.starts_at, zone),
        "place": meeting.place,
        "chair": meeting.chair,
        "agenda": meeting.agenda,
        "incident_code": meeting.incident.code if meeting.incident else "",
    }
    for index, attendee in enumerate(meeting.attendees):
        values[f"att_pd_{index}"] = attendee.pd_kode or ""
        values[f"att_name_{index}"] = attendee.name
    return values


def attendee_rows(values: dict[str, Any]) -> int:
    """How many attendee rows the form shows: every filled one, and spare rows."""
    filled = [
        index
        for index in range(MAX_ROWS)
        if values.get(f"att_pd_{index}") or values.get(f"att_name_{index}")
    ]
    return min(MAX_ROWS, max(ATTENDEE_ROWS, (max(filled) + 1 + SPARE_ROWS) if filled else 0))


def _time(form: FormData, name: str, zone: ZoneInfo, errors: Errors, lang: str) -> Any:
    raw = text(form, name)
    if not raw:
        return None
    try:
        return parse_local_time(raw, zone)
    except ValueError:
        errors[name] = [translate("coord.mtg.err.time", lang)]
        return None


def parse_meeting(form: FormData, zone: ZoneInfo, lang: str) -> Parsed[MeetingInput]:
    """Read the meeting form; the time is read here, everything else by the service."""
    errors: Errors = {}
    starts_at = _time(form, "starts_at", zone, errors, lang)
    attendees = [
        (text(form, f"att_pd_{index}"), text(form, f"att_name_{index}"))
        for index in range(MAX_ROWS)
    ]
    data = MeetingInput(
        title=text(form, "title"),
        starts_at=starts_at,
        place=text(form, "place"),
        chair=text(form, "chair"),
        agenda=text(form, "agenda"),
        incident_code=text(form, "incident_code").upper() or None,
        attendees=[(pd, name) for pd, name in attendees if pd or name],
    )
    return Parsed(data, errors)


def parse_task(form: FormData, zone: ZoneInfo, lang: str) -> Parsed[TaskInput]:
    """Read an action item's task form; its due time is read here, the rest by the service."""
    errors: Errors = {}
    due_at = _time(form, "due_at", zone, errors, lang)
    data = TaskInput(
        title=text(form, "title"),
        pd_kode=text(form, "pd_kode"),
        priority=text(form, "priority") or TaskPriority.NORMAL.value,
        due_at=due_at,
        description=text(form, "description"),
    )
    return Parsed(data, errors)


def absent_ids(form: FormData) -> list[int]:
    """The attendees ticked as absent (their ids; anything else is ignored)."""
    return [int(raw) for raw in form.getlist("absent") if isinstance(raw, str) and raw.isdigit()]
