"""Institutions tables: the Smart City Council and Technical Team (Perda 9/2022 Pasal 4-6),
partnerships (Pasal 20-21), capacity building, certifications and experts (Pasal 12-13).

Each table is a registry (``registries.py``) and follows its conventions: ``id`` key,
references as ``<name>_id`` to the referenced table's ``id``, personal data (members'
contacts, participants' NIP) in ``EncryptedText`` columns, the store's stamps.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pontive.core.crypto import EncryptedText
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow
from pontive.institutions.choices import (
    Body,
    CapacityKind,
    CertificationLevel,
    CouncilElement,
    CouncilPosition,
    DecreeKind,
    PartnershipKind,
    PartnershipStatus,
    RecommendationStatus,
    TeamPosition,
)

PD_KEY = "perangkat_daerah.kode"


class Stamped:
    """When a row was created and last changed, and by whom (kept by the registry store)."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class Decree(Stamped, Base):
    """A mayor's decree (SK Wali Kota) setting up the council or the team (Pasal 5(4), 6(2))."""

    __tablename__ = "inst_decrees"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    signed_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[DecreeKind] = mapped_column(choice_column(DecreeKind))
    notes: Mapped[str | None] = mapped_column(Text)


class CouncilMember(Stamped, Base):
    """A member of the Smart City Council, by element and position (Pasal 5(1)-(2))."""

    __tablename__ = "inst_council_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    element: Mapped[CouncilElement] = mapped_column(choice_column(CouncilElement), index=True)
    position: Mapped[CouncilPosition] = mapped_column(choice_column(CouncilPosition))
    organisation: Mapped[str | None] = mapped_column(String(200))
    decree_id: Mapped[int | None] = mapped_column(
        ForeignKey("inst_decrees.id", ondelete="SET NULL"), index=True
    )
    term_starts_on: Mapped[date] = mapped_column(Date)
    term_ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    email: Mapped[str | None] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)


class Duty(Stamped, Base):
    """One duty of the council or of the technical team, with the article it comes from."""

    __tablename__ = "inst_duties"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[Body] = mapped_column(choice_column(Body), index=True)
    pasal: Mapped[str] = mapped_column(String(100))  # "Pasal 5 ayat (3) huruf a"
    text: Mapped[str] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class CouncilMeeting(Stamped, Base):
    """A meeting of the council; may be held as a coordination meeting of the Pontive Center."""

    __tablename__ = "inst_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    agenda: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    coordination_code: Mapped[str | None] = mapped_column(String(20))  # "RPT-2026-0003"
    attendees: Mapped[str | None] = mapped_column(Text)  # one per line


class Recommendation(Stamped, Base):
    """A council recommendation made at a meeting, followed to its outcome (Pasal 5(3)c)."""

    __tablename__ = "inst_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("inst_meetings.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(40), unique=True)
    text: Mapped[str] = mapped_column(Text)
    addressed_to: Mapped[str | None] = mapped_column(ForeignKey(PD_KEY), index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[RecommendationStatus] = mapped_column(
        choice_column(RecommendationStatus, 30), default=RecommendationStatus.DIAJUKAN, index=True
    )
    outcome: Mapped[str | None] = mapped_column(Text)
    programme_code: Mapped[str | None] = mapped_column(String(40))


class TeamMember(Stamped, Base):
    """An agency of the technical team and who represents it (Pasal 6)."""

    __tablename__ = "inst_team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    pd_kode: Mapped[str] = mapped_column(ForeignKey(PD_KEY), index=True)
    person_name: Mapped[str | None] = mapped_column(String(200))
    team_position: Mapped[TeamPosition] = mapped_column(choice_column(TeamPosition))
    duties: Mapped[str | None] = mapped_column(Text)
    decree_id: Mapped[int | None] = mapped_column(
        ForeignKey("inst_decrees.id", ondelete="SET NULL"), index=True
    )


class Partnership(Stamped, Base):
    """A cooperation agreement of the city (Pasal 21): G2B, G2C, G2G, universities, business."""

    __tablename__ = "inst_partnerships"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[PartnershipKind] = mapped_column(choice_column(PartnershipKind, 30), index=True)
    parties: Mapped[str] = mapped_column(Text)
    scope: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[PartnershipStatus] = mapped_column(
        choice_column(PartnershipStatus), default=PartnershipStatus.DRAF, index=True
    )
    pd_kode: Mapped[str] = mapped_column(ForeignKey(PD_KEY), index=True)
    value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))


class CapacityEvent(Stamped, Base):
    """A training, technical guidance, internship or socialisation (Pasal 12(3) a-d)."""

    __tablename__ = "inst_capacity_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[CapacityKind] = mapped_column(choice_column(CapacityKind), index=True)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date | None] = mapped_column(Date)
    pd_kode: Mapped[str] = mapped_column(ForeignKey(PD_KEY), index=True)
    place: Mapped[str | None] = mapped_column(String(200))
    materials: Mapped[str | None] = mapped_column(Text)
    evaluation_score: Mapped[Decimal | None] = mapped_column(Numeric(3, 1))
    evaluation_notes: Mapped[str | None] = mapped_column(Text)


class Participant(Stamped, Base):
    """A civil servant taking part in a capacity event; the NIP is sealed at rest."""

    __tablename__ = "inst_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("inst_capacity_events.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    nip: Mapped[str | None] = mapped_column(EncryptedText)
    pd_kode: Mapped[str] = mapped_column(ForeignKey(PD_KEY), index=True)
    position: Mapped[str | None] = mapped_column(String(200))
    attended: Mapped[bool] = mapped_column(Boolean, default=True)
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))


class Certification(Stamped, Base):
    """A national or international certification held by a civil servant (Pasal 12(4))."""

    __tablename__ = "inst_certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_name: Mapped[str] = mapped_column(String(200))
    pd_kode: Mapped[str] = mapped_column(ForeignKey(PD_KEY), index=True)
    certificate: Mapped[str] = mapped_column(String(200))
    issuer: Mapped[str] = mapped_column(String(200))
    level: Mapped[CertificationLevel] = mapped_column(choice_column(CertificationLevel))
    number: Mapped[str | None] = mapped_column(String(100))
    issued_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)


class Expert(Stamped, Base):
    """An outsourced expert (tenaga ahli alih daya, Pasal 13)."""

    __tablename__ = "inst_experts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    expertise: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    contract_number: Mapped[str] = mapped_column(String(100), unique=True)
    pd_kode: Mapped[str] = mapped_column(ForeignKey(PD_KEY), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, index=True)
    scope: Mapped[str | None] = mapped_column(Text)


class TechnologyTransfer(Stamped, Base):
    """A technology transfer session given by an expert (alih teknologi, Pasal 13)."""

    __tablename__ = "inst_transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(
        ForeignKey("inst_experts.id", ondelete="CASCADE"), index=True
    )
    topic: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    recipient_pd: Mapped[str] = mapped_column(ForeignKey(PD_KEY), index=True)
    participant_count: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(Text)
