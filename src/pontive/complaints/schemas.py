"""Complaint API shapes, by role: what a reporter sends, what the public, staff and the
reporter each may read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from pontive.complaints.choices import ComplaintStatus, Source, UpdateKind

PHONE_CHARS = set("0123456789+- ()")


class ComplaintCreate(BaseModel):
    """A new report, from the web form, Open311, an import or the API."""

    category_code: str = Field(min_length=1, max_length=40)
    description: str = Field(min_length=10, max_length=4000)
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)
    address: str = Field(default="", max_length=250)
    is_anonymous: bool = True
    name: str | None = Field(default=None, max_length=120)
    phone: str | None = Field(default=None, max_length=30)
    email: EmailStr | None = None
    consent: bool = False
    attributes: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str | None = Field(default=None, max_length=100)
    source: Source = Source.WEB
    external_id: str | None = Field(default=None, max_length=80)
    created_at: datetime | None = None  # imports keep the original time

    @field_validator("description", "address", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("name", "phone", "email", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: object) -> object:
        # HTML forms send empty fields as "": that means "not given".
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not set(value) <= PHONE_CHARS or sum(c.isdigit() for c in value) < 8:
            raise ValueError("nomor telepon tidak valid")
        return value


class TimelineEntry(BaseModel):
    """One public entry of a report's timeline."""

    model_config = ConfigDict(from_attributes=True)

    kind: UpdateKind
    status_from: ComplaintStatus | None
    status_to: ComplaintStatus | None
    message: str
    created_at: datetime


class ComplaintPublic(BaseModel):
    """What anyone may see of a report: no personal data, moderated text."""

    tracking_number: str
    category_code: str
    category_name: str
    description: str
    status: ComplaintStatus
    status_label: str
    is_fixed: bool
    address: str
    lon: float | None
    lat: float | None
    kelurahan_kode: str | None
    kelurahan: str | None
    kecamatan: str | None
    pd_kode: str
    pd: str
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    due_on: date | None
    is_overdue: bool
    duplicate_of: str | None
    photo_urls: list[str]
    timeline: list[TimelineEntry]


class ComplaintStaff(ComplaintPublic):
    """What staff see: the full text, internal notes, routing and SLA, still no contact data."""

    id: int
    original_description: str
    source: Source
    external_id: str | None
    attributes: dict[str, Any]
    is_public: bool
    is_anonymous: bool
    has_contact: bool
    rating: int | None
    rating_comment: str | None
    first_response_at: datetime | None
    escalated_at: datetime | None


class ReporterContact(BaseModel):
    """Personal data of a reporter: shown only to entitled staff, and every read is audited."""

    name: str | None
    phone: str | None
    email: str | None


class TransitionRequest(BaseModel):
    """Move a report to another state."""

    to: ComplaintStatus
    message: str = Field(default="", max_length=2000)
    pd_kode: str | None = Field(default=None, max_length=20)
    duplicate_of: str | None = Field(default=None, max_length=20)


class UpdateCreate(BaseModel):
    """A reply to the reporter (public) or an internal note."""

    message: str = Field(min_length=1, max_length=4000)
    is_public: bool = True


class RatingCreate(BaseModel):
    """The reporter's verdict on a fixed report."""

    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=1000)


class ComplaintPage(BaseModel):
    """A page of reports."""

    items: list[ComplaintPublic] | list[ComplaintStaff]
    total: int
    page: int
    page_size: int
