"""Coordination API shapes: incidents with their timeline, links and agencies, and tasks
across agencies (meetings in ``schemas_meetings.py``, walls and the executive figures in
``schemas_views.py``).

Times are aware instants, answered in ISO 8601 UTC; a time sent without its offset is refused.
Nothing here names a citizen: linked reports appear by tracking number only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, WithJsonSchema

from pontive.coordination.choices import (
    EntryKind,
    IncidentKind,
    IncidentStatus,
    LinkType,
    Severity,
    SourceType,
    TaskPriority,
    TaskStatus,
)
from pontive.coordination.links import Candidate
from pontive.coordination.models import Incident, IncidentEntry, Task
from pontive.coordination.service import TEXT_MAX, TITLE_MAX, IncidentInput
from pontive.coordination.tasks import TaskInput, is_overdue

# The alerts API has a CAP ``Severity`` of its own; both enums under one name would make the
# OpenAPI document spell them with their module paths. The incident's is checked as the enum
# but described inline under its own title.
IncidentSeverity = Annotated[
    str,
    AfterValidator(Severity),
    WithJsonSchema(
        {"title": "IncidentSeverity", "type": "string", "enum": [s.value for s in Severity]}
    ),
]

# --- incidents ---------------------------------------------------------------------------------


class IncidentWrite(BaseModel):
    """An incident as opened by an operator (the service checks the place and the agencies)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=TITLE_MAX)
    kind: IncidentKind
    severity: IncidentSeverity
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    description: str = Field(default="", max_length=TEXT_MAX)
    affected_kelurahan: list[str] = Field(default_factory=list, max_length=100)
    lead_pd_kode: str | None = Field(default=None, max_length=40)
    agencies: list[str] = Field(default_factory=list, max_length=60)
    source_type: SourceType = SourceType.MANUAL
    source_ref: str | None = Field(default=None, max_length=200)

    def as_input(self) -> IncidentInput:
        """The service's input."""
        return IncidentInput(
            title=self.title,
            kind=self.kind.value,
            severity=str(self.severity),
            lon=self.lon,
            lat=self.lat,
            description=self.description,
            affected_kelurahan=self.affected_kelurahan,
            lead_pd_kode=self.lead_pd_kode,
            agencies=self.agencies,
            source_type=self.source_type.value,
            source_ref=self.source_ref,
        )


class IncidentPatch(BaseModel):
    """A correction of an open incident: the fields sent replace, the others are kept."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=TITLE_MAX)
    kind: IncidentKind | None = None
    severity: IncidentSeverity | None = None
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)
    description: str | None = Field(default=None, max_length=TEXT_MAX)
    affected_kelurahan: list[str] | None = Field(default=None, max_length=100)
    lead_pd_kode: str | None = Field(default=None, max_length=40)
    agencies: list[str] | None = Field(default=None, max_length=60)

    def over(self, incident: Incident) -> IncidentInput:
        """The full input: these changes over ``incident`` as it is (a ``null`` lead clears
        it; agencies are only ever added)."""
        current: dict[str, Any] = {
            "title": incident.title,
            "kind": incident.kind,
            "severity": incident.severity,
            "lon": incident.lon,
            "lat": incident.lat,
            "description": incident.description,
            "affected_kelurahan": list(incident.affected_kelurahan or ()),
            "lead_pd_kode": incident.lead_pd_kode,
            "agencies": incident.agency_codes,
        }
        return IncidentInput(
            **_merged(self, current, clearable={"lead_pd_kode"}),
            source_type=incident.source_type.value,
            source_ref=incident.source_ref,
        )


def _merged(patch: BaseModel, current: dict[str, Any], *, clearable: set[str]) -> dict[str, Any]:
    """``current`` with the fields ``patch`` sent; ``null`` clears only a ``clearable`` field."""
    sent = patch.model_dump(exclude_unset=True)
    return current | {k: v for k, v in sent.items() if v is not None or k in clearable}


class AgencyRead(BaseModel):
    """A Perangkat Daerah involved in an incident."""

    model_config = ConfigDict(from_attributes=True)

    pd_kode: str
    role: str
    joined_at: datetime


class IncidentRead(BaseModel):
    """An incident as staff see it in lists."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    title: str
    kind: IncidentKind
    severity: IncidentSeverity
    status: IncidentStatus
    description: str
    lon: float
    lat: float
    kelurahan_kode: str | None
    kecamatan_kode: str | None
    affected_kelurahan: list[str]
    lead_pd_kode: str | None
    agencies: list[AgencyRead]
    source_type: SourceType
    source_ref: str | None
    opened_at: datetime
    handled_at: datetime | None
    controlled_at: datetime | None
    closed_at: datetime | None
    summary: str
    lessons: str
    has_report: bool = False
    published_at: datetime | None
    updated_at: datetime

    @classmethod
    def of(cls, incident: Incident) -> IncidentRead:
        """The staff view of ``incident``."""
        read = cls.model_validate(incident)
        read.has_report = incident.report_key is not None
        return read


class IncidentLinkRead(BaseModel):
    """A report, camera, station or alert linked to an incident."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    item_type: LinkType
    item_ref: str
    label: str
    lon: float | None
    lat: float | None
    linked_at: datetime


class IncidentEntryRead(BaseModel):
    """One line of an incident's timeline."""

    id: int
    kind: EntryKind
    text: str
    actor: str
    actor_pd_kode: str | None
    at: datetime
    ref: str | None
    data: dict[str, Any] | None
    has_photo: bool

    @classmethod
    def of(cls, entry: IncidentEntry) -> IncidentEntryRead:
        """The API view of ``entry`` (a photo is flagged, its storage key kept inside)."""
        return cls(
            id=entry.id,
            kind=entry.kind,
            text=entry.text,
            actor=entry.actor,
            actor_pd_kode=entry.actor_pd_kode,
            at=entry.at,
            ref=entry.ref,
            data=entry.data,
            has_photo=entry.photo_key is not None,
        )


class ResponseTimesRead(BaseModel):
    """How fast the city responded, in seconds (null: not reached yet)."""

    to_handled_s: float | None
    to_controlled_s: float | None
    to_closed_s: float | None
    tasks: int
    tasks_done: int
    tasks_on_time: int
    median_task_s: float | None


class IncidentStatusChange(BaseModel):
    """Move an incident one stage forward or back (closing has its own route)."""

    model_config = ConfigDict(extra="forbid")

    status: IncidentStatus
    note: str = Field(default="", max_length=2000)


class IncidentEntryCreate(BaseModel):
    """A situation report (``update``) or a decision for the timeline."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["update", "decision"]
    text: str = Field(max_length=TEXT_MAX)


class IncidentLinkCreate(BaseModel):
    """Link an item by its reference: tracking number, camera code, station id or CAP id."""

    model_config = ConfigDict(extra="forbid")

    item_type: LinkType
    ref: str = Field(max_length=120)


class AgenciesAdd(BaseModel):
    """Involve more Perangkat Daerah, with what they do here."""

    model_config = ConfigDict(extra="forbid")

    agencies: list[str] = Field(min_length=1, max_length=60)
    role: str = Field(default="", max_length=200)


class IncidentClose(BaseModel):
    """The after-action: what was done and what the city learnt."""

    model_config = ConfigDict(extra="forbid")

    summary: str = Field(max_length=20_000)
    lessons: str = Field(max_length=20_000)


class CandidateRead(BaseModel):
    """Something near an incident that could be linked."""

    item_type: LinkType
    item_ref: str
    label: str
    detail: str
    lon: float | None
    lat: float | None
    distance_m: float | None
    colour: str

    @classmethod
    def of(cls, candidate: Candidate) -> CandidateRead:
        """The API view of ``candidate``."""
        return cls(
            item_type=candidate.item_type,
            item_ref=candidate.item_ref,
            label=candidate.label,
            detail=candidate.detail,
            lon=candidate.lon,
            lat=candidate.lat,
            distance_m=round(candidate.distance_m, 1) if candidate.distance_m is not None else None,
            colour=candidate.colour,
        )


class SuggestionsRead(BaseModel):
    """What could be linked to an incident, nearest first, by kind."""

    radius_m: float
    complaint: list[CandidateRead]
    camera: list[CandidateRead]
    station: list[CandidateRead]
    alert: list[CandidateRead]


# --- tasks ---------------------------------------------------------------------------------


class DecisionTaskWrite(BaseModel):
    """A task for a Perangkat Daerah (optionally one of its people), by a due time."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=200)
    pd_kode: str = Field(max_length=40)
    priority: TaskPriority = TaskPriority.NORMAL
    due_at: AwareDatetime | None = None
    description: str = Field(default="", max_length=5000)
    assignee_id: int | None = None

    def as_input(self) -> TaskInput:
        """The service's input."""
        return TaskInput(
            title=self.title,
            pd_kode=self.pd_kode,
            priority=self.priority.value,
            due_at=self.due_at,
            description=self.description,
            assignee_id=self.assignee_id,
        )


class TaskWrite(DecisionTaskWrite):
    """A task, maybe for an incident (named by its code)."""

    incident_code: str | None = Field(default=None, max_length=20)


class TaskPatch(BaseModel):
    """A correction or reassignment: the fields sent replace, the others are kept."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=200)
    pd_kode: str | None = Field(default=None, max_length=40)
    priority: TaskPriority | None = None
    due_at: AwareDatetime | None = None
    description: str | None = Field(default=None, max_length=5000)
    assignee_id: int | None = None

    def over(self, task: Task) -> TaskInput:
        """The full input: these changes over ``task`` as it is (``null`` clears the due time
        or the person)."""
        current: dict[str, Any] = {
            "title": task.title,
            "pd_kode": task.pd_kode,
            "priority": task.priority,
            "due_at": task.due_at,
            "description": task.description,
            "assignee_id": task.assignee_id,
        }
        return TaskInput(**_merged(self, current, clearable={"due_at", "assignee_id"}))


class TaskStatusChange(BaseModel):
    """Start, complete, cancel or reopen a task (completing or cancelling needs a note)."""

    model_config = ConfigDict(extra="forbid")

    status: TaskStatus
    note: str = Field(default="", max_length=5000)


class TaskRead(BaseModel):
    """A task as its agency and the command center see it."""

    code: str
    title: str
    description: str
    pd_kode: str
    assignee_id: int | None
    priority: TaskPriority
    status: TaskStatus
    due_at: datetime | None
    is_overdue: bool
    incident_code: str | None
    meeting_id: int | None
    decision_id: int | None
    created_by: str
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    result: str
    escalated_at: datetime | None
    updated_at: datetime

    @classmethod
    def of(cls, task: Task, incident_code: str | None = None) -> TaskRead:
        """The API view of ``task`` (``incident_code`` when already known)."""
        code = incident_code or (task.incident.code if task.incident is not None else None)
        return cls(
            code=task.code,
            title=task.title,
            description=task.description,
            pd_kode=task.pd_kode,
            assignee_id=task.assignee_id,
            priority=task.priority,
            status=task.status,
            due_at=task.due_at,
            is_overdue=is_overdue(task),
            incident_code=code,
            meeting_id=task.meeting_id,
            decision_id=task.decision_id,
            created_by=task.created_by,
            created_at=task.created_at,
            started_at=task.started_at,
            completed_at=task.completed_at,
            result=task.result,
            escalated_at=task.escalated_at,
            updated_at=task.updated_at,
        )


class IncidentDetail(IncidentRead):
    """An incident with everything around it."""

    links: list[IncidentLinkRead]
    entries: list[IncidentEntryRead]
    tasks: list[TaskRead]
    response_times: ResponseTimesRead
