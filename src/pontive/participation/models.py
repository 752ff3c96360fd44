"""Participation tables: ideas with their supports, comments and the codes that verify a
person, and facilities adopted by volunteers with their reports.

Personal data (authors', supporters' and volunteers' names and contacts) is sealed at rest
(``EncryptedText``, UU 27/2022); look-ups by contact go through a keyed blind index, and a
support keeps only that index, never the contact itself.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pontive.core.crypto import EncryptedText
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow
from pontive.participation.choices import (
    AdoptionStatus,
    CommentStatus,
    Condition,
    Dimension,
    FacilityKind,
    IdeaStatus,
)


class Idea(Base):
    """An idea or solution a citizen contributes (Perda 9/2022 Pasal 22c)."""

    __tablename__ = "par_ideas"
    __table_args__ = (Index("ix_par_ideas_status_published", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    dimensi_kode: Mapped[Dimension] = mapped_column(choice_column(Dimension), index=True)
    kelurahan_kode: Mapped[str | None] = mapped_column(String(20), index=True)
    display_name: Mapped[str] = mapped_column(String(120), default="Anonim")
    author_name: Mapped[str | None] = mapped_column(EncryptedText)
    author_contact: Mapped[str | None] = mapped_column(EncryptedText)
    # Blind index of the author's contact: they may not support their own idea.
    author_index: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[IdeaStatus] = mapped_column(
        choice_column(IdeaStatus), default=IdeaStatus.MENUNGGU
    )
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str | None] = mapped_column(String(200))
    programme_code: Mapped[str | None] = mapped_column(String(40), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("par_ideas.id", ondelete="SET NULL")
    )
    supports_count: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the author was last told (status) and of which answer (digest): any path that
    # changes them (console, API, CSV, bulk edit) tells the author once.
    notified_status: Mapped[str | None] = mapped_column(String(20))
    answer_digest: Mapped[str | None] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(200))


class Support(Base):
    """One verified person's support of one idea: keyed by the blind index of the contact
    they confirmed, which is all that is kept of them."""

    __tablename__ = "par_supports"
    __table_args__ = (UniqueConstraint("idea_id", "contact_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("par_ideas.id", ondelete="CASCADE"))
    contact_index: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Comment(Base):
    """A verified person's comment on an idea; moderators may hide it, with a reason."""

    __tablename__ = "par_comments"
    __table_args__ = (Index("ix_par_comments_idea_status", "idea_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("par_ideas.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    display_name: Mapped[str] = mapped_column(String(120))
    status: Mapped[CommentStatus] = mapped_column(
        choice_column(CommentStatus), default=CommentStatus.TAMPIL
    )
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    contact_index: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(200))


class Verification(Base):
    """A 6-digit code sent to an e-mail address or phone to prove a person holds it.

    The code is kept only as a keyed hash; ``token`` is the public handle of the pending
    check (in the code page's form). ``payload`` holds what waits for the check (a comment's
    name and text)."""

    __tablename__ = "par_verifications"
    __table_args__ = (Index("ix_par_verifications_contact_created", "contact_index", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    contact_index: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20))
    masked_contact: Mapped[str] = mapped_column(String(120))
    code_hash: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(20))  # "dukung" or "komentar"
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("par_ideas.id", ondelete="CASCADE"))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Adoption(Base):
    """A public facility a volunteer (or a community) looks after (Perda 9/2022 Pasal 22b)."""

    __tablename__ = "par_adoptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[FacilityKind] = mapped_column(choice_column(FacilityKind), index=True)
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    kelurahan_kode: Mapped[str | None] = mapped_column(String(20), index=True)
    plan: Mapped[str | None] = mapped_column(Text)
    volunteer_name: Mapped[str | None] = mapped_column(EncryptedText)
    group_name: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(EncryptedText)
    status: Mapped[AdoptionStatus] = mapped_column(
        choice_column(AdoptionStatus), default=AdoptionStatus.DIAJUKAN, index=True
    )
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    decision_note: Mapped[str | None] = mapped_column(Text)
    notified_status: Mapped[str | None] = mapped_column(String(20))
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(200))


class AdoptionReport(Base):
    """A volunteer's report on the facility they adopted: its condition, a note, a photo."""

    __tablename__ = "par_adoption_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(
        ForeignKey("par_adoptions.id", ondelete="CASCADE"), index=True
    )
    reported_on: Mapped[date] = mapped_column(Date)
    condition: Mapped[Condition] = mapped_column(choice_column(Condition), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    # A photo (JPEG without metadata) in the media store, when one was sent.
    photo_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(200))
