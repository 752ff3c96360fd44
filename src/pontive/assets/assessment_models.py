"""Tables of the information-system assessments (Perda 9/2022 Pasal 19(4)): checklist
templates and their items, assessments of a catalogued system with one answer per item, and
the findings an assessment raises.

Templates, items, assessments and findings are registries (``assessment_registries.py``);
answers are not: they are written through the checklist (``assessment_service.py``), which
recomputes the assessment's score on every save.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pontive.assets.assessment_choices import (
    Answer,
    AssessmentArea,
    AssessmentStatus,
    FindingStatus,
    Rating,
    Severity,
)
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow

# The software catalogue's table (``assets.systems``, assets/models.py).
SYSTEMS_TABLE = "asset_systems"


class AssessmentTemplate(Base):
    """A checklist: a versioned set of items; a used one is copied as a new version rather
    than changed, so past assessments keep the questions they answered."""

    __tablename__ = "assessment_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class AssessmentTemplateItem(Base):
    """One question of a template, in one area, with its weight (1-5)."""

    __tablename__ = "assessment_template_items"
    __table_args__ = (UniqueConstraint("template_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_templates.id", ondelete="CASCADE"), index=True
    )
    area: Mapped[AssessmentArea] = mapped_column(choice_column(AssessmentArea, 30))
    code: Mapped[str] = mapped_column(String(20))
    question: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str | None] = mapped_column(Text)
    weight: Mapped[int] = mapped_column(Integer, default=1)
    evidence_expected: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class Assessment(Base):
    """One assessment of one catalogued system against one template. ``score`` (0-100) and
    ``rating`` are computed from the answers; ``None`` until an applicable item is answered."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(
        ForeignKey(f"{SYSTEMS_TABLE}.id", ondelete="RESTRICT"), index=True
    )
    template_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_templates.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    assessed_on: Mapped[date] = mapped_column(Date, index=True)
    assessor: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str | None] = mapped_column(Text)
    status: Mapped[AssessmentStatus] = mapped_column(
        choice_column(AssessmentStatus), default=AssessmentStatus.DRAF
    )
    summary: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    rating: Mapped[Rating | None] = mapped_column(choice_column(Rating))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class AssessmentAnswer(Base):
    """The answer to one item in one assessment, with the assessor's note and where the
    evidence is (a document title, a ticket, a URL)."""

    __tablename__ = "assessment_answers"
    __table_args__ = (UniqueConstraint("assessment_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_template_items.id", ondelete="RESTRICT"), index=True
    )
    answer: Mapped[Answer] = mapped_column(choice_column(Answer))
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(String(300), default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_by: Mapped[str] = mapped_column(String(200))


class AssessmentFinding(Base):
    """A weakness an assessment found, owned by the agency that must remedy it."""

    __tablename__ = "assessment_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    item_code: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    area: Mapped[AssessmentArea] = mapped_column(choice_column(AssessmentArea, 30))
    severity: Mapped[Severity] = mapped_column(choice_column(Severity), default=Severity.SEDANG)
    owner_pd: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[FindingStatus] = mapped_column(
        choice_column(FindingStatus), default=FindingStatus.TERBUKA, index=True
    )
    remediation: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
