"""Privacy tables: requests of data subjects, and each verification of the audit chain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow
from pontive.privacy.choices import Channel, Outcome, RequestKind
from pontive.privacy.declare import Lookup


class PrivacyRequest(Base):
    """One request to export or erase a person's data, and what came of it.

    The subject is kept only as a keyed digest (``crypto.blind_index``) of how they were
    named, so the register of requests is not itself a list of names and numbers.
    """

    __tablename__ = "privacy_requests"
    __table_args__ = (Index("ix_privacy_requests_subject", "subject_index", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(choice_column(RequestKind))
    lookup: Mapped[Lookup] = mapped_column(choice_column(Lookup))
    subject_index: Mapped[str] = mapped_column(String(64))
    channel: Mapped[Channel] = mapped_column(choice_column(Channel))
    requested_by: Mapped[str] = mapped_column(String(160))  # actor label, never the subject
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[Outcome] = mapped_column(choice_column(Outcome))
    records: Mapped[int] = mapped_column(Integer, default=0)  # rows found
    fields_erased: Mapped[int] = mapped_column(Integer, default=0)
    sources: Mapped[str] = mapped_column(Text, default="")  # names of the sources touched
    note: Mapped[str] = mapped_column(Text, default="")


class AuditCheck(Base):
    """One verification of the audit hash chain, and whether admins were alarmed."""

    __tablename__ = "privacy_audit_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    is_intact: Mapped[bool] = mapped_column(Boolean)
    checked: Mapped[int] = mapped_column(Integer, default=0)
    broken_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(300), default="")
    alarmed: Mapped[bool] = mapped_column(Boolean, default=False)  # admins were told this run
