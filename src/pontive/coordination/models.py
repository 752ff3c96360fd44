"""Coordination tables: incidents with their timeline, links and agencies; tasks across
agencies; coordination meetings with attendees and decisions; the situation room's walls.

Nothing here is personal data of citizens: linked reports are referred to by tracking number
only, and the reporters' details stay encrypted in the complaints domain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.coordination.choices import (
    EntryKind,
    IncidentKind,
    IncidentStatus,
    LinkType,
    MeetingStatus,
    Severity,
    SourceType,
    TaskPriority,
    TaskStatus,
)
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow


class Incident(Base):
    """A situation the command center coordinates, from opening to its closing report."""

    __tablename__ = "coord_incidents"
    __table_args__ = (Index("ix_coord_incidents_status", "status", "severity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # "INS-2026-0007"
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[IncidentKind] = mapped_column(choice_column(IncidentKind, 30))
    severity: Mapped[Severity] = mapped_column(choice_column(Severity))
    status: Mapped[IncidentStatus] = mapped_column(
        choice_column(IncidentStatus), default=IncidentStatus.DIBUKA
    )
    description: Mapped[str] = mapped_column(Text, default="")
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    kelurahan_kode: Mapped[str | None] = mapped_column(ForeignKey("kelurahan.kode"))
    kecamatan_kode: Mapped[str | None] = mapped_column(ForeignKey("kecamatan.kode"))
    # Every kelurahan affected (the incident's own and any others named).
    affected_kelurahan: Mapped[list[str]] = mapped_column(JSON, default=list)
    lead_pd_kode: Mapped[str | None] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    lead_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    source_type: Mapped[SourceType] = mapped_column(
        choice_column(SourceType), default=SourceType.MANUAL
    )
    source_ref: Mapped[str | None] = mapped_column(String(200))  # alert identifier, camera code…
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by: Mapped[str] = mapped_column(String(200))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first ditangani
    controlled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first terkendali
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")  # after-action
    lessons: Mapped[str] = mapped_column(Text, default="")
    report_key: Mapped[str | None] = mapped_column(String(200))  # the stored closing report
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # report made public
    public_report_key: Mapped[str | None] = mapped_column(String(200))  # without names, photos
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agencies: Mapped[list[IncidentAgency]] = relationship(
        back_populates="incident", cascade="all, delete-orphan", order_by="IncidentAgency.id"
    )

    @property
    def agency_codes(self) -> list[str]:
        """The Perangkat Daerah involved, in the order they joined."""
        return [agency.pd_kode for agency in self.agencies]


class IncidentAgency(Base):
    """A Perangkat Daerah involved in an incident."""

    __tablename__ = "coord_incident_agencies"
    __table_args__ = (UniqueConstraint("incident_id", "pd_kode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("coord_incidents.id", ondelete="CASCADE"))
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    role: Mapped[str] = mapped_column(String(200), default="")  # what the agency does here
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    incident: Mapped[Incident] = relationship(back_populates="agencies")


class IncidentEntry(Base):
    """One line of an incident's timeline: an update, decision, photo, link, status …"""

    __tablename__ = "coord_incident_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("coord_incidents.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EntryKind] = mapped_column(choice_column(EntryKind))
    text: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200))  # audit label of who wrote it
    actor_pd_kode: Mapped[str | None] = mapped_column(String(40))  # shown in public reports
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    photo_key: Mapped[str | None] = mapped_column(String(200))  # media store key (JPEG)
    ref: Mapped[str | None] = mapped_column(String(200))  # task or meeting code, link id
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # e.g. {"from": .., "to": ..}


class IncidentLink(Base):
    """A report, camera, station or alert linked to an incident."""

    __tablename__ = "coord_incident_links"
    __table_args__ = (
        UniqueConstraint("incident_id", "item_type", "item_ref"),
        Index("ix_coord_incident_links_item", "item_type", "item_ref"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("coord_incidents.id", ondelete="CASCADE"))
    item_type: Mapped[LinkType] = mapped_column(choice_column(LinkType))
    item_ref: Mapped[str] = mapped_column(String(120))
    label: Mapped[str] = mapped_column(String(300))  # what it was when linked
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    linked_by: Mapped[str] = mapped_column(String(200))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Task(Base):
    """Work assigned to a Perangkat Daerah (and optionally one of its people)."""

    __tablename__ = "coord_tasks"
    __table_args__ = (Index("ix_coord_tasks_pd_status", "pd_kode", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # "TGS-2026-0012"
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    priority: Mapped[TaskPriority] = mapped_column(
        choice_column(TaskPriority), default=TaskPriority.NORMAL
    )
    status: Mapped[TaskStatus] = mapped_column(choice_column(TaskStatus), default=TaskStatus.BARU)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("coord_incidents.id", ondelete="SET NULL"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("coord_meetings.id", ondelete="SET NULL"), index=True
    )
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("coord_meeting_decisions.id", ondelete="SET NULL")
    )
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # done or cancelled
    result: Mapped[str] = mapped_column(Text, default="")  # what was done, or why cancelled
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when found overdue
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    incident: Mapped[Incident | None] = relationship()


class Meeting(Base):
    """A coordination meeting (rapat koordinasi) with its agenda, minutes and decisions."""

    __tablename__ = "coord_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # "RPT-2026-0003"
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str] = mapped_column(String(200), default="Pontive Center")
    chair: Mapped[str] = mapped_column(String(200), default="")  # who leads it (name, position)
    incident_id: Mapped[int | None] = mapped_column(
        ForeignKey("coord_incidents.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[MeetingStatus] = mapped_column(
        choice_column(MeetingStatus), default=MeetingStatus.DIJADWALKAN
    )
    agenda: Mapped[str] = mapped_column(Text, default="")  # one item per line
    minutes: Mapped[str] = mapped_column(Text, default="")
    signed_by: Mapped[str | None] = mapped_column(String(200))  # name and position signing
    signed_by_actor: Mapped[str | None] = mapped_column(String(200))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_key: Mapped[str | None] = mapped_column(String(200))  # the signed-off PDF
    minutes_sha256: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAttendee.id"
    )
    decisions: Mapped[list[MeetingDecision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingDecision.number"
    )
    incident: Mapped[Incident | None] = relationship()


class MeetingAttendee(Base):
    """Who attends a meeting, by Perangkat Daerah (an official's name and position)."""

    __tablename__ = "coord_meeting_attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("coord_meetings.id", ondelete="CASCADE"))
    pd_kode: Mapped[str | None] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    name: Mapped[str] = mapped_column(String(200), default="")  # official's name and position
    present: Mapped[bool] = mapped_column(Boolean, default=True)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")


class MeetingDecision(Base):
    """A decision recorded in a meeting; its action items become tasks."""

    __tablename__ = "coord_meeting_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("coord_meetings.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)  # 1, 2, … within the meeting
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")


class Wall(Base):
    """One screen of the situation room: its map layers, panels and view."""

    __tablename__ = "coord_walls"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # "utama", used in its address
    name: Mapped[str] = mapped_column(String(120))
    layers: Mapped[list[str]] = mapped_column(JSON, default=list)  # WallLayer values
    panels: Mapped[list[str]] = mapped_column(JSON, default=list)  # WallPanel values, in order
    # The map's view: centre and zoom; None fits the city.
    center_lon: Mapped[float | None] = mapped_column(Float)
    center_lat: Mapped[float | None] = mapped_column(Float)
    zoom: Mapped[int | None] = mapped_column(Integer)
    complaint_days: Mapped[int] = mapped_column(Integer, default=7)  # reports of the last N days
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
