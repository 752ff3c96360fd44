"""Complaint API shapes, by role: what a reporter sends, what the public, staff and the
reporter each may read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from pontive.complaints.choices import AttributeType, ComplaintStatus, Source, UpdateKind

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


# --- Added for the console and the native API (moderation, receipts, the catalogue) ---


class ModerationRequest(BaseModel):
    """What an operator changes about what the public sees; absent fields stay as they are."""

    public_description: str | None = Field(default=None, max_length=4000)
    is_public: bool | None = None
    public_photo_ids: list[int] | None = None


class ComplaintReceipt(BaseModel):
    """The answer to a new report: its tracking number and the reporter's private link."""

    tracking_number: str
    status: ComplaintStatus
    access_token: str
    private_url: str
    is_new: bool


class AttributeValue(BaseModel):
    """One choice of a list attribute."""

    model_config = ConfigDict(from_attributes=True)

    key: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.-]+$")
    name_id: str = Field(min_length=1, max_length=120)
    name_en: str = Field(min_length=1, max_length=120)


class CategoryAttributeWrite(BaseModel):
    """An extra question of a category (Open311 attribute)."""

    model_config = ConfigDict(from_attributes=True)

    code: str = Field(min_length=1, max_length=40, pattern=r"^[a-z0-9_]+$")
    datatype: AttributeType
    required: bool = False
    order: int = Field(default=1, ge=1, le=99)
    description_id: str = Field(min_length=1, max_length=500)
    description_en: str = Field(min_length=1, max_length=500)
    values: list[AttributeValue] = Field(default_factory=list)


class CategoryWrite(BaseModel):
    """A new category of the service catalogue."""

    code: str = Field(min_length=2, max_length=40, pattern=r"^[a-z0-9-]+$")
    name_id: str = Field(min_length=2, max_length=120)
    name_en: str = Field(min_length=2, max_length=120)
    description_id: str = Field(default="", max_length=2000)
    description_en: str = Field(default="", max_length=2000)
    group: str = Field(default="", max_length=60)
    keywords: str = Field(default="", max_length=250)
    pd_kode: str = Field(min_length=1, max_length=20)
    routes_to_kecamatan: bool = False
    sla_days: int = Field(default=5, ge=1, le=90)
    photo_expected: bool = False
    attributes: list[CategoryAttributeWrite] = Field(default_factory=list)


class CategoryPatch(BaseModel):
    """Changes to a category; absent fields stay. ``attributes`` replaces the whole list."""

    name_id: str | None = Field(default=None, min_length=2, max_length=120)
    name_en: str | None = Field(default=None, min_length=2, max_length=120)
    description_id: str | None = Field(default=None, max_length=2000)
    description_en: str | None = Field(default=None, max_length=2000)
    group: str | None = Field(default=None, max_length=60)
    keywords: str | None = Field(default=None, max_length=250)
    pd_kode: str | None = Field(default=None, min_length=1, max_length=20)
    routes_to_kecamatan: bool | None = None
    sla_days: int | None = Field(default=None, ge=1, le=90)
    photo_expected: bool | None = None
    is_active: bool | None = None
    attributes: list[CategoryAttributeWrite] | None = None


class CategoryRead(BaseModel):
    """A category of the service catalogue with its questions."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    group: str
    keywords: str
    pd_kode: str
    routes_to_kecamatan: bool
    sla_days: int
    photo_expected: bool
    is_active: bool
    attributes: list[CategoryAttributeWrite]
