"""Tables every registry shares: the change history, attached documents and reminders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pontive.core.db import Base, UTCDateTime
from pontive.core.timeutil import utcnow


class RegistryChange(Base):
    """One change of one row: who, when, how, and each field's value before and after.

    ``changes`` is JSON ``{"field": [before, after], ...}`` in the CSV form of the values;
    personal fields are recorded as changed without their values. Rows of a deleted object
    stay (its history outlives it)."""

    __tablename__ = "registry_changes"
    __table_args__ = (Index("ix_registry_changes_object", "registry_name", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registry_name: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int] = mapped_column(Integer)
    object_label: Mapped[str] = mapped_column(String(300), default="")
    action: Mapped[str] = mapped_column(String(20))  # created, updated, deleted
    via: Mapped[str] = mapped_column(String(20), default="form")  # form, api, csv, bulk, system
    actor: Mapped[str] = mapped_column(String(200))
    changes: Mapped[str] = mapped_column(Text, default="{}")
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class RegistryDocument(Base):
    """A file attached to a registry row (an agreement, a decree, evidence, materials)."""

    __tablename__ = "registry_documents"
    __table_args__ = (Index("ix_registry_documents_object", "registry_name", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registry_name: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    media_key: Mapped[str] = mapped_column(String(200))
    uploaded_by: Mapped[str] = mapped_column(String(200))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Reminder(Base):
    """A reminder raised once for one stage of one row's due date (``days`` before it, or
    ``-1`` once it has passed); acknowledged by a person in the console."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("kind", "object_id", "due_on", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60), index=True)
    registry_name: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[int] = mapped_column(Integer)
    object_label: Mapped[str] = mapped_column(String(300))
    pd_kode: Mapped[str | None] = mapped_column(String(40), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    stage: Mapped[int] = mapped_column(Integer)
    subject_id: Mapped[str] = mapped_column(String(300))
    subject_en: Mapped[str] = mapped_column(String(300))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))
