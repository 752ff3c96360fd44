"""Coordination API shapes of meetings (rapat koordinasi): the agenda and attendees, the
minutes, the decisions and the sign-off. Times are aware instants, answered in UTC."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from pontive.coordination.choices import MeetingStatus
from pontive.coordination.meetings import MeetingInput
from pontive.coordination.models import Meeting


class AttendeeWrite(BaseModel):
    """Who attends, by Perangkat Daerah: an official's name and position."""

    model_config = ConfigDict(extra="forbid")

    pd_kode: str = Field(default="", max_length=40)
    name: str = Field(default="", max_length=200)


class MeetingWrite(BaseModel):
    """A coordination meeting to schedule."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(max_length=200)
    starts_at: AwareDatetime
    place: str = Field(default="Pontive Center", max_length=200)
    chair: str = Field(default="", max_length=200)
    agenda: str = Field(default="", max_length=10_000)
    incident_code: str | None = Field(default=None, max_length=20)
    attendees: list[AttendeeWrite] = Field(default_factory=list, max_length=100)

    def as_input(self) -> MeetingInput:
        """The service's input."""
        return MeetingInput(
            title=self.title,
            starts_at=self.starts_at,
            place=self.place,
            chair=self.chair,
            agenda=self.agenda,
            incident_code=self.incident_code,
            attendees=[(a.pd_kode, a.name) for a in self.attendees],
        )


class AttendeeRead(BaseModel):
    """An attendee and whether they were present."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    pd_kode: str | None
    name: str
    present: bool


class MeetingDecisionRead(BaseModel):
    """A decision recorded in a meeting."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    number: int
    text: str
    created_at: datetime


class MeetingRead(BaseModel):
    """A meeting with its agenda, attendees, minutes, decisions and sign-off."""

    code: str
    title: str
    starts_at: datetime
    place: str
    chair: str
    incident_code: str | None
    status: MeetingStatus
    agenda: str
    minutes: str
    attendees: list[AttendeeRead]
    decisions: list[MeetingDecisionRead]
    signed_by: str | None
    signed_at: datetime | None
    minutes_sha256: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingRead:
        """The API view of ``meeting``."""
        return cls(
            code=meeting.code,
            title=meeting.title,
            starts_at=meeting.starts_at,
            place=meeting.place,
            chair=meeting.chair,
            incident_code=meeting.incident.code if meeting.incident is not None else None,
            status=meeting.status,
            agenda=meeting.agenda,
            minutes=meeting.minutes,
            attendees=[AttendeeRead.model_validate(a) for a in meeting.attendees],
            decisions=[MeetingDecisionRead.model_validate(d) for d in meeting.decisions],
            signed_by=meeting.signed_by,
            signed_at=meeting.signed_at,
            minutes_sha256=meeting.minutes_sha256,
            created_at=meeting.created_at,
            updated_at=meeting.updated_at,
        )


class MinutesWrite(BaseModel):
    """The minutes, and which attendees (by id) were absent."""

    model_config = ConfigDict(extra="forbid")

    minutes: str = Field(max_length=50_000)
    absent: list[int] = Field(default_factory=list, max_length=100)


class MeetingDecisionCreate(BaseModel):
    """A decision to record."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=5000)


class SignOff(BaseModel):
    """Who signs the minutes off: "position, name" as printed under the signature."""

    model_config = ConfigDict(extra="forbid")

    signed_by: str = Field(max_length=200)
