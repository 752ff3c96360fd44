"""Complaint tables: the service catalogue, reports, their timeline, photos, notifications."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.complaints.choices import (
    AttributeType,
    ComplaintStatus,
    DeliveryStatus,
    Source,
    UpdateKind,
)
from pontive.core.crypto import EncryptedText
from pontive.core.db import Base, UTCDateTime, choice_column
from pontive.core.timeutil import utcnow


class ServiceCategory(Base):
    """A kind of problem people report (an Open311 "service"), owned by one PD."""

    __tablename__ = "complaint_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # Open311 service_code
    name_id: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    description_id: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    group: Mapped[str] = mapped_column(String(60), default="")
    keywords: Mapped[str] = mapped_column(String(250), default="")
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"), index=True)
    # Routed to the kecamatan office of the report's location instead of ``pd_kode``
    # (administrative services are the kecamatan's), when that office exists.
    routes_to_kecamatan: Mapped[bool] = mapped_column(Boolean, default=False)
    sla_days: Mapped[int] = mapped_column(Integer, default=5)  # working days
    photo_expected: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attributes: Mapped[list[CategoryAttribute]] = relationship(
        back_populates="category",
        order_by="CategoryAttribute.order",
        cascade="all, delete-orphan",
    )

    def name(self, lang: str) -> str:
        """The category's name in ``lang``."""
        return self.name_en if lang == "en" else self.name_id


class CategoryAttribute(Base):
    """An extra question asked for a category (Open311 attribute)."""

    __tablename__ = "complaint_category_attributes"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("complaint_categories.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    datatype: Mapped[AttributeType] = mapped_column(choice_column(AttributeType))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    order: Mapped[int] = mapped_column(Integer, default=1)
    description_id: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text)
    # [{"key": "...", "name_id": "...", "name_en": "..."}] for list datatypes
    values: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)

    category: Mapped[ServiceCategory] = relationship(back_populates="attributes")


class Complaint(Base):
    """One citizen report."""

    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_status_created_at", "status", "created_at"),
        Index("ix_complaints_pd_kode_status", "pd_kode", "status"),
        Index("ix_complaints_category_id_created_at", "category_id", "created_at"),
        # Every list newest (or oldest) first: read in index order, never sorted whole.
        Index("ix_complaints_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(20), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("complaint_categories.id"))
    description: Mapped[str] = mapped_column(Text)
    # What the public sees: the description as moderated (personal details removed).
    public_description: Mapped[str] = mapped_column(Text)
    address: Mapped[str] = mapped_column(String(250), default="")
    lon: Mapped[float | None] = mapped_column(Float)
    lat: Mapped[float | None] = mapped_column(Float)
    kelurahan_kode: Mapped[str | None] = mapped_column(ForeignKey("kelurahan.kode"), index=True)
    kecamatan_kode: Mapped[str | None] = mapped_column(ForeignKey("kecamatan.kode"))
    pd_kode: Mapped[str] = mapped_column(ForeignKey("perangkat_daerah.kode"))
    status: Mapped[ComplaintStatus] = mapped_column(choice_column(ComplaintStatus))
    source: Mapped[Source] = mapped_column(choice_column(Source), default=Source.WEB)
    external_id: Mapped[str | None] = mapped_column(String(80))
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)

    # Personal data (UU 27/2022): sealed at rest, never in public output.
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    reporter_name: Mapped[str | None] = mapped_column(EncryptedText)
    reporter_phone: Mapped[str | None] = mapped_column(EncryptedText)
    reporter_email: Mapped[str | None] = mapped_column(EncryptedText)
    reporter_index: Mapped[str | None] = mapped_column(String(64), index=True)
    # The e-mail's own index when a phone number is given too (reporter_index holds the
    # phone's): the data-protection officer finds the report by either (docs/privacy.md).
    reporter_email_index: Mapped[str | None] = mapped_column(String(64), index=True)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_on: Mapped[date | None] = mapped_column(Date)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"))
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    category: Mapped[ServiceCategory] = relationship()
    updates: Mapped[list[ComplaintUpdate]] = relationship(
        back_populates="complaint", order_by="ComplaintUpdate.id", cascade="all, delete-orphan"
    )
    photos: Mapped[list[ComplaintPhoto]] = relationship(
        back_populates="complaint", order_by="ComplaintPhoto.id", cascade="all, delete-orphan"
    )


class ComplaintUpdate(Base):
    """One entry of a report's timeline: a state change, a reply, a note."""

    __tablename__ = "complaint_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[UpdateKind] = mapped_column(choice_column(UpdateKind))
    status_from: Mapped[ComplaintStatus | None] = mapped_column(choice_column(ComplaintStatus))
    status_to: Mapped[ComplaintStatus | None] = mapped_column(choice_column(ComplaintStatus))
    message: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    actor: Mapped[str] = mapped_column(String(120))
    actor_pd_kode: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="updates")


class ComplaintPhoto(Base):
    """A photo of the problem (from the reporter) or of the fix (from the agency)."""

    __tablename__ = "complaint_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    update_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_updates.id"))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    is_fix: Mapped[bool] = mapped_column(Boolean, default=False)
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)  # after moderation
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="photos")


class Notification(Base):
    """One message to a reporter or staff member, and every attempt to deliver it."""

    __tablename__ = "complaint_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaints.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))  # email, whatsapp, sms, log, inapp
    recipient: Mapped[str] = mapped_column(EncryptedText)  # personal data
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[DeliveryStatus] = mapped_column(choice_column(DeliveryStatus), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Holiday(Base):
    """A non-working day for SLA counting (national holidays, cuti bersama)."""

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class TrackingCounter(Base):
    """The last tracking number issued per year (``PTK-2026-000123``)."""

    __tablename__ = "complaint_tracking_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
