"""Masterplan tables: the masterplan and its versions; programmes and activities by dimension
and Pasal 11 priority; indicators with yearly targets and their realisation entries with
evidence; the annual evaluation with its frameworks, SPBE self-assessment and the council's
recommendations.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow
from pontive.masterplan.choices import (
    Direction,
    EntrySource,
    EvaluationStatus,
    RealisationStatus,
    RecommendationStatus,
    SourceKind,
    VersionStatus,
)


class Masterplan(Base):
    """The city's Smart City masterplan for a ten-year period (Pasal 7-8)."""

    __tablename__ = "mp_masterplans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list[MasterplanVersion]] = relationship(
        back_populates="masterplan", order_by="MasterplanVersion.number"
    )


class MasterplanVersion(Base):
    """One revision of the masterplan's text: drafted, reviewed, adopted by a Perwa.

    ``content`` holds ``background``, ``vision``, ``missions`` (list), ``strategies``
    (dimension code → text), ``roadmap`` (list of ``{year, phase, items}``) and
    ``quick_wins`` (list of ``{title, year, pd_kode}``)."""

    __tablename__ = "mp_versions"
    __table_args__ = (UniqueConstraint("masterplan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    masterplan_id: Mapped[int] = mapped_column(ForeignKey("mp_masterplans.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[VersionStatus] = mapped_column(
        choice_column(VersionStatus), default=VersionStatus.DRAFT
    )
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    change_note: Mapped[str] = mapped_column(Text, default="")
    regulation_number: Mapped[str | None] = mapped_column(String(120))  # the mayor's Perwa
    drafted_by: Mapped[str] = mapped_column(String(200))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    adopted_by: Mapped[str | None] = mapped_column(String(200))
    adopted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    masterplan: Mapped[Masterplan] = relationship(back_populates="versions")


class Programme(Base):
    """A programme under a dimension and one of its Pasal 11 priorities, owned by a PD."""

    __tablename__ = "mp_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # "GOV-01"
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    dimensi_kode: Mapped[str] = mapped_column(ForeignKey("dimensi.kode"), index=True)
    prioritas_kode: Mapped[str | None] = mapped_column(ForeignKey("arah_prioritas.kode"))
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    weight: Mapped[float] = mapped_column(Float, default=1.0)  # within its dimension
    kelurahan_kodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    dataset_names: Mapped[list[str]] = mapped_column(JSON, default=list)  # open-data datasets
    idea_refs: Mapped[list[str]] = mapped_column(JSON, default=list)  # citizens' ideas
    is_quick_win: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activities: Mapped[list[ProgrammeActivity]] = relationship(
        back_populates="programme", order_by="ProgrammeActivity.code", cascade="all, delete-orphan"
    )


class ProgrammeActivity(Base):
    """An activity of a programme, owned by a PD (often the programme's own). Named
    ``Activity`` in the code (the alias below); the class name differs from the open-data
    domain's ``Activity`` (its history) so the ORM registry can tell them apart."""

    __tablename__ = "mp_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("mp_programmes.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40), unique=True)  # "GOV-01.02"
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    weight: Mapped[float] = mapped_column(Float, default=1.0)  # within its programme
    kelurahan_kodes: Mapped[list[str]] = mapped_column(JSON, default=list)

    programme: Mapped[Programme] = relationship(back_populates="activities")


class Indicator(Base):
    """A measure of a programme or an activity, with its targets and where values come from.

    RAG: ``green_at`` and ``amber_at`` are shares of the target reached (1.0 = the target,
    0.8 = 80 %); for a lower-is-better indicator the share is target ÷ value; for a band, a
    value inside ``band_low``-``band_high`` is green and within ``band_tolerance`` of it amber.
    """

    __tablename__ = "mp_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # "GOV-01.I1"
    name_id: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(40))
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("mp_programmes.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("mp_activities.id", ondelete="CASCADE"), index=True
    )
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    direction: Mapped[Direction] = mapped_column(choice_column(Direction))
    band_low: Mapped[float | None] = mapped_column(Float)
    band_high: Mapped[float | None] = mapped_column(Float)
    band_tolerance: Mapped[float | None] = mapped_column(Float)
    green_at: Mapped[float] = mapped_column(Float, default=1.0)
    amber_at: Mapped[float] = mapped_column(Float, default=0.8)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    # Satu Data indicator metadata.
    konsep: Mapped[str] = mapped_column(Text, default="")
    definisi: Mapped[str] = mapped_column(Text, default="")
    metode: Mapped[str] = mapped_column(Text, default="")
    sumber: Mapped[str] = mapped_column(Text, default="")
    frekuensi: Mapped[str] = mapped_column(String(40), default="tahunan")
    source_kind: Mapped[SourceKind] = mapped_column(
        choice_column(SourceKind), default=SourceKind.MANUAL
    )
    live_metric: Mapped[str | None] = mapped_column(String(60))  # a key of metrics.METRICS
    source_params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)

    targets: Mapped[list[IndicatorTarget]] = relationship(
        back_populates="indicator", order_by="IndicatorTarget.year", cascade="all, delete-orphan"
    )


class IndicatorTarget(Base):
    """An indicator's target for one year."""

    __tablename__ = "mp_indicator_targets"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("mp_indicators.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)

    indicator: Mapped[Indicator] = relationship(back_populates="targets")


class Realisation(Base):
    """One measured value of an indicator, with its evidence, entered and verified.

    A correction never edits a verified entry: it adds a new entry that ``replaces`` it and
    marks the old one superseded, so the history and the audit trail keep both."""

    __tablename__ = "mp_realisations"
    __table_args__ = (Index("ix_mp_realisations_indicator_date", "indicator_id", "period_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("mp_indicators.id", ondelete="CASCADE"))
    period_date: Mapped[date] = mapped_column(Date)  # the day the value describes
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RealisationStatus] = mapped_column(
        choice_column(RealisationStatus), default=RealisationStatus.SUBMITTED
    )
    source: Mapped[EntrySource] = mapped_column(choice_column(EntrySource), default=EntrySource.WEB)
    pd_kode: Mapped[str | None] = mapped_column(String(20))  # the entering agency
    entered_by: Mapped[str] = mapped_column(String(200))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verified_by: Mapped[str | None] = mapped_column(String(200))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str] = mapped_column(Text, default="")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("mp_realisations.id"))
    import_batch: Mapped[str | None] = mapped_column(String(40), index=True)

    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="realisation", cascade="all, delete-orphan", order_by="Evidence.id"
    )


class Evidence(Base):
    """A file or photo that backs a realisation entry (stored in the media folder)."""

    __tablename__ = "mp_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    realisation_id: Mapped[int] = mapped_column(
        ForeignKey("mp_realisations.id", ondelete="CASCADE"), index=True
    )
    media_key: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)

    realisation: Mapped[Realisation] = relationship(back_populates="evidence")


class EvaluationFramework(Base):
    """A configurable scoring framework: the Smart City evaluation's aspects (``kind``
    ``smart_city``) or the SPBE self-assessment (``spbe``); weights, rubric, predicate bands
    in ``config`` (the sources disagree, so none is hard-coded)."""

    __tablename__ = "mp_frameworks"
    __table_args__ = (UniqueConstraint("kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    version: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Evaluation(Base):
    """The annual evaluation by the Technical Team (Pasal 23) and its official report."""

    __tablename__ = "mp_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    status: Mapped[EvaluationStatus] = mapped_column(
        choice_column(EvaluationStatus), default=EvaluationStatus.DRAFT
    )
    framework_id: Mapped[int | None] = mapped_column(ForeignKey("mp_frameworks.id"))
    spbe_framework_id: Mapped[int | None] = mapped_column(ForeignKey("mp_frameworks.id"))
    # Aspect code → {"score": 1-5, "note": ...}; SPBE indicator code → {"level": 1-5, "note": ...}
    aspect_scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    spbe_levels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    summary: Mapped[str] = mapped_column(Text, default="")
    issues: Mapped[str] = mapped_column(Text, default="")
    letter_number: Mapped[str | None] = mapped_column(String(120))  # the covering letter
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    report_key: Mapped[str | None] = mapped_column(String(200))  # the PDF fixed at approval
    report_sha256: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Recommendation(Base):
    """A recommendation of the Smart City council (Pasal 5(3)c), followed to its outcome."""

    __tablename__ = "mp_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    evaluation_id: Mapped[int | None] = mapped_column(
        ForeignKey("mp_evaluations.id", ondelete="SET NULL")
    )
    dimensi_kode: Mapped[str | None] = mapped_column(ForeignKey("dimensi.kode"))
    text: Mapped[str] = mapped_column(Text)
    addressed_to: Mapped[str | None] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    status: Mapped[RecommendationStatus] = mapped_column(
        choice_column(RecommendationStatus), default=RecommendationStatus.OPEN
    )
    response: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


Activity = ProgrammeActivity  # the name the services use
