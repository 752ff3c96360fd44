"""Complaint use-cases: receive, read, list and find reports near a place.

The workflow (state changes, replies, merging, ratings) is in ``workflow.py``; both write
the audit trail and publish bus events inside the same transaction.
"""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from pontive.complaints.choices import (
    OPEN_STATUSES,
    AttributeType,
    ComplaintStatus,
    UpdateKind,
)
from pontive.complaints.models import (
    Complaint,
    ComplaintPhoto,
    ComplaintUpdate,
    ServiceCategory,
    TrackingCounter,
)
from pontive.complaints.photos import MAX_PHOTOS, process_photo
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.sla import add_working_days, load_holidays
from pontive.core import audit, crypto, permissions
from pontive.core.choices import Classification
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.events import Event, emit
from pontive.core.geo import haversine_m
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference

TRACKING_PREFIX = "PTK"
NEARBY_RADIUS_M = 250.0
NEARBY_DAYS = 30

# Who may do what with reports (tested as a matrix in tests/complaints/test_permissions.py).
TRIAGE = permissions.register("complaints.triage", {Role.OPERATOR, Role.ADMIN})
WORK = permissions.register(
    "complaints.work", {Role.PETUGAS_PD, Role.OPERATOR, Role.ADMIN}, pd_scoped=True
)
VIEW_INTERNAL = permissions.register(
    "complaints.view_internal",
    {Role.PETUGAS_PD, Role.OPERATOR, Role.TIM_TEKNIS, Role.WALIKOTA, Role.DEWAN, Role.ADMIN},
    pd_scoped=True,
)
VIEW_CONTACT = permissions.register(
    "complaints.view_contact", {Role.PETUGAS_PD, Role.OPERATOR, Role.ADMIN}, pd_scoped=True
)
MANAGE_CATALOGUE = permissions.register(
    "complaints.manage_catalogue", {Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN}
)


@dataclass(frozen=True, slots=True)
class Upload:
    """A photo as received from a form or an API client."""

    filename: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the reporter gets back: the report and the secret of its private link."""

    complaint: Complaint
    access_token: str
    is_new: bool = True


@dataclass(frozen=True, slots=True)
class ComplaintFilter:
    """Filters for queues, the public list and Open311."""

    statuses: frozenset[ComplaintStatus] = frozenset()
    category_codes: frozenset[str] = frozenset()
    pd_kode: str | None = None
    kelurahan_kode: str | None = None
    tracking_numbers: frozenset[str] = frozenset()
    created_from: datetime | None = None
    created_to: datetime | None = None
    is_overdue: bool | None = None
    text: str | None = None
    public_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def access_token(tracking_number: str) -> str:
    """The secret of a report's private link, derived so it never needs storing."""
    return crypto.blind_index(f"complaint-access:{tracking_number}")[:32]


def check_access_token(tracking_number: str, token: str) -> bool:
    """Whether ``token`` opens the private link of ``tracking_number``."""
    return hmac.compare_digest(access_token(tracking_number), token or "")


def _next_tracking_number(session: Session, year: int) -> str:
    counter = session.get(TrackingCounter, year, with_for_update=True)
    if counter is None:
        counter = TrackingCounter(year=year, last=0)
        session.add(counter)
    counter.last += 1
    session.flush()
    return f"{TRACKING_PREFIX}-{year}-{counter.last:06d}"


def get_category(session: Session, code: str, *, active_only: bool = True) -> ServiceCategory:
    """The category with this service code, or ``NotFound``."""
    query = select(ServiceCategory).where(ServiceCategory.code == code)
    if active_only:
        query = query.where(ServiceCategory.is_active.is_(True))
    category = session.scalar(query.options(selectinload(ServiceCategory.attributes)))
    if category is None:
        raise NotFound(f"Kategori '{code}' tidak ditemukan.", f"No category '{code}'.")
    return category


def list_categories(session: Session, *, active_only: bool = True) -> list[ServiceCategory]:
    """The service catalogue, by group and name."""
    query = select(ServiceCategory).options(selectinload(ServiceCategory.attributes))
    if active_only:
        query = query.where(ServiceCategory.is_active.is_(True))
    return list(session.scalars(query.order_by(ServiceCategory.group, ServiceCategory.name_id)))


def validate_attributes(category: ServiceCategory, given: dict[str, Any]) -> dict[str, Any]:
    """Check answers to the category's questions; returns them cleaned, or raises."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for attribute in category.attributes:
        value = given.get(attribute.code)
        if value in (None, "", []):
            if attribute.required:
                errors[f"attribute[{attribute.code}]"] = ["Wajib diisi."]
            continue
        allowed = {v["key"] for v in attribute.values}
        try:
            clean[attribute.code] = _clean_attribute(attribute.datatype, value, allowed)
        except ValueError as error:
            errors[f"attribute[{attribute.code}]"] = [str(error)]
    if errors:
        raise InvalidInput(errors=errors)
    return clean


def _clean_attribute(datatype: AttributeType, value: Any, allowed: set[str]) -> Any:
    if datatype is AttributeType.NUMBER:
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            raise ValueError("Harus berupa angka.")
        return number
    if datatype is AttributeType.DATETIME:
        moment = datetime.fromisoformat(str(value))
        return (moment if moment.tzinfo else moment.replace(tzinfo=WIB)).isoformat()
    if datatype is AttributeType.SINGLEVALUELIST:
        if str(value) not in allowed:
            raise ValueError("Pilihan tidak dikenal.")
        return str(value)
    if datatype is AttributeType.MULTIVALUELIST:
        values = [str(v) for v in (value if isinstance(value, list) else [value])]
        if not set(values) <= allowed:
            raise ValueError("Pilihan tidak dikenal.")
        return values
    text = str(value).strip()
    if len(text) > (4000 if datatype is AttributeType.TEXT else 250):
        raise ValueError("Terlalu panjang.")
    return text


def _route(session: Session, category: ServiceCategory, kecamatan_kode: str | None) -> str:
    if category.routes_to_kecamatan and kecamatan_kode:
        office = reference.kecamatan_office(session=session, kecamatan_kode=kecamatan_kode)
        if office is not None:
            return office
    return category.pd_kode


def _check_contact(data: ComplaintCreate) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    gave_contact = any((data.name, data.phone, data.email))
    if not data.is_anonymous and not (data.phone or data.email):
        errors["contact"] = ["Isi nomor telepon atau e-mail, atau pilih lapor sebagai anonim."]
    if gave_contact and not data.consent:
        errors["consent"] = ["Setujui pemakaian data kontak untuk menindaklanjuti laporan."]
    return errors


def create_complaint(
    *,
    session: Session,
    data: ComplaintCreate,
    actor: Actor,
    media: MediaStore,
    photos: list[Upload] | None = None,
) -> Receipt:
    """Receive a report: validate, locate, route, set its due date, store photos, commit."""
    if data.idempotency_key:
        existing = session.scalar(
            select(Complaint).where(Complaint.idempotency_key == data.idempotency_key)
        )
        if existing is not None:
            return Receipt(existing, access_token(existing.tracking_number), is_new=False)
    category = get_category(session, data.category_code)
    errors = _check_contact(data)
    if data.lon is None or data.lat is None:
        if not data.address:
            errors["location"] = ["Tandai lokasi di peta atau tulis alamatnya."]
        place = None
    else:
        place = reference.resolve_location(session=session, lon=data.lon, lat=data.lat)
        if not place.is_inside_city:
            errors["location"] = ["Lokasi berada di luar Kota Pontianak."]
    if photos and len(photos) > MAX_PHOTOS:
        errors["photos"] = [f"Paling banyak {MAX_PHOTOS} foto."]
    attributes: dict[str, Any] = {}
    try:
        attributes = validate_attributes(category, data.attributes)
    except InvalidInput as invalid:
        errors |= invalid.errors
    if errors:
        raise InvalidInput(errors=errors)
    processed = [process_photo(upload.data) for upload in photos or []]

    now = utcnow()
    created_at = data.created_at.astimezone(UTC) if data.created_at else now
    holidays = load_holidays(session, around=created_at.astimezone(WIB).date())
    kecamatan_kode = place.kecamatan_kode if place else None
    complaint = Complaint(
        tracking_number=_next_tracking_number(session, created_at.astimezone(WIB).year),
        category_id=category.id,
        description=data.description,
        public_description=data.description,
        address=data.address,
        lon=data.lon,
        lat=data.lat,
        kelurahan_kode=place.kelurahan_kode if place else None,
        kecamatan_kode=kecamatan_kode,
        pd_kode=_route(session, category, kecamatan_kode),
        status=ComplaintStatus.DITERIMA,
        source=data.source,
        external_id=data.external_id,
        attributes=attributes,
        is_public=True,
        is_anonymous=data.is_anonymous,
        reporter_name=None if data.is_anonymous else data.name,
        reporter_phone=data.phone,
        reporter_email=str(data.email) if data.email else None,
        reporter_index=crypto.blind_index(data.phone or str(data.email))
        if (data.phone or data.email)
        else None,
        consent_at=now if data.consent else None,
        idempotency_key=data.idempotency_key,
        created_at=created_at,
        updated_at=created_at,
        due_on=add_working_days(created_at.astimezone(WIB).date(), category.sla_days, holidays),
    )
    session.add(complaint)
    session.flush()
    complaint.updates.append(
        ComplaintUpdate(
            kind=UpdateKind.STATUS,
            status_to=ComplaintStatus.DITERIMA,
            message="",
            is_public=True,
            actor=actor.label,
            created_at=created_at,
        )
    )
    for photo in processed:
        key = media.save(photo.data, folder="complaints", suffix=".jpg")
        complaint.photos.append(
            ComplaintPhoto(
                storage_key=key,
                content_type=photo.content_type,
                width=photo.width,
                height=photo.height,
                size_bytes=len(photo.data),
                is_public=False,
                created_at=now,
            )
        )
    audit.record(
        session,
        actor=actor,
        action="complaint.create",
        object_type="complaint",
        object_id=complaint.tracking_number,
        after={"category": category.code, "pd": complaint.pd_kode, "source": data.source.value},
    )
    emit(session, complaint_event("complaint.created", complaint))
    from pontive.complaints import notify  # late: notify imports this module

    notify.queue_receipt(session, complaint)
    session.commit()
    return Receipt(complaint, access_token(complaint.tracking_number))


def complaint_event(event_type: str, complaint: Complaint, **extra: Any) -> Event:
    """A public bus event about a report (no personal data)."""
    return Event(
        event_type,
        {
            "tracking_number": complaint.tracking_number,
            "status": complaint.status.value,
            "category_id": complaint.category_id,
            "pd_kode": complaint.pd_kode,
            "kelurahan_kode": complaint.kelurahan_kode,
            "lon": complaint.lon,
            "lat": complaint.lat,
            **extra,
        },
        classification=Classification.PUBLIK,
        pd_kode=complaint.pd_kode,
    )


def _load(session: Session) -> Select[Complaint]:
    return select(Complaint).options(
        selectinload(Complaint.category),
        selectinload(Complaint.updates),
        selectinload(Complaint.photos),
    )


def get_by_tracking(session: Session, tracking_number: str) -> Complaint:
    """The report with this tracking number, or ``NotFound``."""
    complaint: Complaint | None = session.scalar(
        _load(session).where(Complaint.tracking_number == tracking_number.strip().upper())
    )
    if complaint is None:
        raise NotFound(
            f"Laporan {tracking_number} tidak ditemukan.", f"Report {tracking_number} not found."
        )
    return complaint


def get_public(session: Session, tracking_number: str) -> Complaint:
    """A report anyone may see (hidden reports are not found)."""
    complaint = get_by_tracking(session, tracking_number)
    if not complaint.is_public:
        raise NotFound
    return complaint


def get_for_reporter(session: Session, tracking_number: str, token: str) -> Complaint:
    """A report opened through its private link."""
    if not check_access_token(tracking_number.strip().upper(), token):
        raise NotFound
    return get_by_tracking(session, tracking_number)


def get_for_staff(session: Session, *, actor: Actor, tracking_number: str) -> Complaint:
    """A report with its internal details, for staff entitled to see it."""
    complaint = get_by_tracking(session, tracking_number)
    permissions.require(actor, VIEW_INTERNAL, owner_pd=complaint.pd_kode)
    return complaint


def read_contact(session: Session, *, actor: Actor, complaint: Complaint) -> dict[str, str | None]:
    """The reporter's contact details; every read is written to the audit trail."""
    permissions.require(actor, VIEW_CONTACT, owner_pd=complaint.pd_kode)
    audit.record(
        session,
        actor=actor,
        action="complaint.read_contact",
        object_type="complaint",
        object_id=complaint.tracking_number,
    )
    session.commit()
    return {
        "name": complaint.reporter_name,
        "phone": complaint.reporter_phone,
        "email": complaint.reporter_email,
    }


def _apply_filter(query: Any, filters: ComplaintFilter) -> Any:
    if filters.statuses:
        query = query.where(Complaint.status.in_(filters.statuses))
    if filters.category_codes:
        query = query.join(ServiceCategory).where(ServiceCategory.code.in_(filters.category_codes))
    if filters.pd_kode:
        query = query.where(Complaint.pd_kode == filters.pd_kode)
    if filters.kelurahan_kode:
        query = query.where(Complaint.kelurahan_kode == filters.kelurahan_kode)
    if filters.tracking_numbers:
        query = query.where(Complaint.tracking_number.in_(filters.tracking_numbers))
    if filters.created_from:
        query = query.where(Complaint.created_at >= filters.created_from)
    if filters.created_to:
        query = query.where(Complaint.created_at <= filters.created_to)
    if filters.is_overdue is not None:
        today = utcnow().astimezone(WIB).date()
        overdue = Complaint.status.in_(OPEN_STATUSES) & (Complaint.due_on < today)
        query = query.where(overdue if filters.is_overdue else ~overdue)
    if filters.text:
        pattern = f"%{filters.text.lower()}%"
        query = query.where(
            func.lower(Complaint.public_description).like(pattern)
            | (Complaint.tracking_number == filters.text.upper())
        )
    if filters.public_only:
        query = query.where(Complaint.is_public.is_(True))
    return query


def list_complaints(
    session: Session,
    *,
    filters: ComplaintFilter,
    page: int = 1,
    page_size: int = 50,
    newest_first: bool = True,
) -> tuple[list[Complaint], int]:
    """A page of reports matching ``filters`` and the total count (callers check access)."""
    base = _apply_filter(select(Complaint), filters)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    order = Complaint.created_at.desc() if newest_first else Complaint.created_at.asc()
    query = _apply_filter(_load(session), filters).order_by(order, Complaint.id.desc())
    rows = session.scalars(query.limit(page_size).offset((page - 1) * page_size)).all()
    return list(rows), total


def list_queue(
    session: Session,
    *,
    actor: Actor,
    filters: ComplaintFilter,
    page: int = 1,
    page_size: int = 50,
) -> tuple[list[Complaint], int]:
    """A staff queue: PD officers see their own PD's reports only."""
    if actor.role is Role.PETUGAS_PD:
        permissions.require(actor, VIEW_INTERNAL, owner_pd=actor.pd_kode)
        filters = ComplaintFilter(**{**_as_dict(filters), "pd_kode": actor.pd_kode})
    else:
        permissions.require(actor, VIEW_INTERNAL, owner_pd=filters.pd_kode)
    return list_complaints(session, filters=filters, page=page, page_size=page_size)


def _as_dict(filters: ComplaintFilter) -> dict[str, Any]:
    return {name: getattr(filters, name) for name in ComplaintFilter.__slots__}


def find_nearby(
    session: Session,
    *,
    category_code: str,
    lon: float,
    lat: float,
    radius_m: float = NEARBY_RADIUS_M,
    days: int = NEARBY_DAYS,
    exclude_id: int | None = None,
) -> list[Complaint]:
    """Open public reports of the same kind close by: "already reported? follow it instead"."""
    # A bounding box first (index-friendly), then the exact distance.
    dlat = radius_m / 111_320.0
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    since = utcnow() - timedelta(days=days)
    query = (
        _load(session)
        .join(ServiceCategory)
        .where(
            ServiceCategory.code == category_code,
            Complaint.status.in_(OPEN_STATUSES),
            Complaint.is_public.is_(True),
            Complaint.created_at >= since,
            Complaint.lon.between(lon - dlon, lon + dlon),
            Complaint.lat.between(lat - dlat, lat + dlat),
        )
    )
    if exclude_id is not None:
        query = query.where(Complaint.id != exclude_id)
    found = [
        c
        for c in session.scalars(query)
        if c.lon is not None
        and c.lat is not None
        and haversine_m(lon, lat, c.lon, c.lat) <= radius_m
    ]
    return sorted(found, key=lambda c: haversine_m(lon, lat, c.lon or 0, c.lat or 0))
