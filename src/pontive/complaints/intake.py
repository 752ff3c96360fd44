"""Receiving a report: check it, number it, route it, store it, tell who must know.

This is the hottest write path of the domain (every form, Open311 and API submission), so it
writes with SQLAlchemy Core statements on the session's connection instead of the ORM unit of
work (DESIGN.md, Performance facts) and reads the service catalogue from a per-process cache
of immutable snapshots. The guarantees stay those of any service: one transaction, the audit
event, the bus event after commit, idempotency, validation, sealed personal data and the
notification queue.
"""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached, selectinload

from pontive.complaints.choices import AttributeType, ComplaintStatus, UpdateKind
from pontive.complaints.models import (
    Complaint,
    ComplaintUpdate,
    ServiceCategory,
    TrackingCounter,
)
from pontive.complaints.photos import MAX_PHOTOS, process_photo, store_photos
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.sla import add_working_days, load_holidays
from pontive.core import audit, crypto
from pontive.core.cache import TimedCache
from pontive.core.choices import Classification
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.events import Event, emit
from pontive.core.identity import Actor
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference

TRACKING_PREFIX = "PTK"
# Attributes kept as the channel sent them (checked there): Open311 media_url, never fetched.
KEPT_ATTRIBUTES = frozenset({"media_url"})
# Another process's catalogue change shows here within this many seconds (this process's
# own changes at once: catalogue.py calls ``forget_catalogue``). Holidays are cached alike:
# ``pontive complaints holidays`` changes them from another process.
CATALOGUE_CACHE_SECONDS = 30.0

_COMPLAINTS = cast(Table, Complaint.__table__)
_UPDATES = cast(Table, ComplaintUpdate.__table__)
_COUNTERS = cast(Table, TrackingCounter.__table__)


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


def access_token(tracking_number: str) -> str:
    """The secret of a report's private link, derived so it never needs storing."""
    return crypto.blind_index(f"complaint-access:{tracking_number}")[:32]


def check_access_token(tracking_number: str, token: str) -> bool:
    """Whether ``token`` opens the private link of ``tracking_number``."""
    return hmac.compare_digest(access_token(tracking_number), token or "")


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


# --- the catalogue, as immutable snapshots ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttributeSnapshot:
    """One extra question of a category, detached from any session."""

    code: str
    datatype: AttributeType
    required: bool
    description_id: str
    description_en: str
    values: tuple[dict[str, str], ...]


@dataclass(frozen=True, slots=True)
class CategorySnapshot:
    """What intake needs of a category, detached from any session (safe to share)."""

    id: int
    code: str
    name_id: str
    name_en: str
    pd_kode: str
    routes_to_kecamatan: bool
    sla_days: int
    is_active: bool
    attributes: tuple[AttributeSnapshot, ...]

    def name(self, lang: str) -> str:
        """The category's name in ``lang``."""
        return self.name_en if lang == "en" else self.name_id


_catalogue = TimedCache(ttl=CATALOGUE_CACHE_SECONDS)


def forget_catalogue() -> None:
    """Drop the cached catalogue (after this process changed a category)."""
    _catalogue.clear()


def _snapshot(category: ServiceCategory) -> CategorySnapshot:
    return CategorySnapshot(
        id=category.id,
        code=category.code,
        name_id=category.name_id,
        name_en=category.name_en,
        pd_kode=category.pd_kode,
        routes_to_kecamatan=category.routes_to_kecamatan,
        sla_days=category.sla_days,
        is_active=category.is_active,
        attributes=tuple(
            AttributeSnapshot(
                code=a.code,
                datatype=a.datatype,
                required=a.required,
                description_id=a.description_id,
                description_en=a.description_en,
                values=tuple(dict(v) for v in a.values),
            )
            for a in category.attributes
        ),
    )


def _holidays(session: Session, day: date) -> frozenset[date]:
    key = (str(session.get_bind().engine.url), "holidays", day.year)
    return _catalogue.get_or_load(key, lambda: frozenset(load_holidays(session, around=day)))


def _load_catalogue(session: Session) -> dict[str, CategorySnapshot]:
    query = select(ServiceCategory).options(selectinload(ServiceCategory.attributes))
    return {c.code: _snapshot(c) for c in session.scalars(query)}


def find_category(session: Session, code: str) -> CategorySnapshot:
    """The active category with this service code from the cached catalogue, or ``NotFound``."""
    key = str(session.get_bind().engine.url)
    category = _catalogue.get_or_load(key, lambda: _load_catalogue(session)).get(code)
    if category is None:
        # Perhaps just added by another process: look once more before refusing.
        forget_catalogue()
        category = _catalogue.get_or_load(key, lambda: _load_catalogue(session)).get(code)
    if category is None or not category.is_active:
        raise NotFound(f"Kategori '{code}' tidak ditemukan.", f"No category '{code}'.")
    return category


# --- checking a report -----------------------------------------------------------------------


def validate_attributes(
    category: ServiceCategory | CategorySnapshot, given: dict[str, Any]
) -> dict[str, Any]:
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


def _check_contact(data: ComplaintCreate) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    gave_contact = any((data.name, data.phone, data.email))
    if not data.is_anonymous and not (data.phone or data.email):
        errors["contact"] = ["Isi nomor telepon atau e-mail, atau pilih lapor sebagai anonim."]
    if gave_contact and not data.consent:
        errors["consent"] = ["Setujui pemakaian data kontak untuk menindaklanjuti laporan."]
    return errors


def validate_complaint(*, session: Session, data: ComplaintCreate, photo_count: int = 0) -> None:
    """Check a report exactly as ``create_complaint`` does, storing nothing (for imports)."""
    _check_report(session, data, photo_count)


def _check_report(
    session: Session, data: ComplaintCreate, photo_count: int
) -> tuple[CategorySnapshot, reference.Location | None, dict[str, Any]]:
    category = find_category(session, data.category_code)
    errors = _check_contact(data)
    if data.lon is None or data.lat is None:
        if not data.address:
            errors["location"] = ["Tandai lokasi di peta atau tulis alamatnya."]
        place = None
    else:
        place = reference.resolve_location(session=session, lon=data.lon, lat=data.lat)
        if not place.is_inside_city:
            errors["location"] = ["Lokasi berada di luar Kota Pontianak."]
    if photo_count > MAX_PHOTOS:
        errors["photos"] = [f"Paling banyak {MAX_PHOTOS} foto."]
    attributes: dict[str, Any] = {}
    try:
        attributes = validate_attributes(category, data.attributes)
    except InvalidInput as invalid:
        errors |= invalid.errors
    attributes |= {k: v for k, v in data.attributes.items() if k in KEPT_ATTRIBUTES}
    if errors:
        raise InvalidInput(errors=errors)
    return category, place, attributes


# --- numbering and routing -------------------------------------------------------------------


def next_tracking_number(session: Session, year: int) -> str:
    """Issue the next ``PTK-<year>-NNNNNN``: one ``UPDATE … RETURNING``, which holds the
    counter's row lock until commit, so concurrent reports never share a number."""
    connection = session.connection()
    bump = (
        update(_COUNTERS)
        .where(_COUNTERS.c.year == year)
        .values(last=_COUNTERS.c.last + 1)
        .returning(_COUNTERS.c.last)
    )
    last = connection.execute(bump).scalar_one_or_none()
    if last is None:  # the year's first report: create its counter (a racing twin is fine)
        connection.execute(_insert_counter(connection, year))
        last = connection.execute(bump).scalar_one()
    return f"{TRACKING_PREFIX}-{year}-{last:06d}"


def _insert_counter(connection: Connection, year: int) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(_COUNTERS).values(year=year, last=0).on_conflict_do_nothing()


def route(session: Session, category: CategorySnapshot, kecamatan_kode: str | None) -> str:
    """The PD that works the report: the category's, or the kecamatan office's."""
    if category.routes_to_kecamatan and kecamatan_kode:
        office = reference.kecamatan_office(session=session, kecamatan_kode=kecamatan_kode)
        if office is not None:
            return office
    return category.pd_kode


# --- storing ---------------------------------------------------------------------------------


def create_complaint(
    *,
    session: Session,
    data: ComplaintCreate,
    actor: Actor,
    media: MediaStore,
    photos: list[Upload] | None = None,
) -> Receipt:
    """Receive a report: validate, locate, route, set its due date, store photos, commit."""
    if (existing := _already_received(session, data.idempotency_key)) is not None:
        return existing
    category, place, attributes = _check_report(session, data, len(photos or []))
    processed = [process_photo(upload.data) for upload in photos or []]

    now = utcnow()
    created_at = data.created_at.astimezone(UTC) if data.created_at else now
    day = created_at.astimezone(WIB).date()
    values = _complaint_row(session, data, category, place, attributes, now, created_at, day)
    connection = session.connection()
    new_row = insert(_COMPLAINTS).returning(_COMPLAINTS.c.id)
    try:
        with session.begin_nested():
            values["id"] = connection.execute(new_row, values).scalar_one()
    except IntegrityError:  # the same key twice at once (PostgreSQL): answer with the other
        session.rollback()
        if (existing := _already_received(session, data.idempotency_key)) is not None:
            return existing
        raise
    connection.execute(
        insert(_UPDATES),
        {
            "complaint_id": values["id"],
            "kind": UpdateKind.STATUS,
            "status_to": ComplaintStatus.DITERIMA,
            "message": "",
            "is_public": True,
            "actor": actor.label,
            "created_at": created_at,
        },
    )
    stored = store_photos(connection, media, values["id"], processed, now)
    try:
        complaint = _record_complaint(session, data, actor, category, values)
    except BaseException:
        for key in stored:  # the row will not be there: its files must not stay either
            media.delete(key)
        raise
    session.commit()  # outside: a commit whose answer was lost may have stored the report
    return Receipt(complaint, access_token(complaint.tracking_number))


def _already_received(session: Session, key: str | None) -> Receipt | None:
    """The receipt of the report already filed with idempotency ``key``, if any."""
    query = select(Complaint).where(Complaint.idempotency_key == key)
    found = session.scalar(query) if key else None
    return Receipt(found, access_token(found.tracking_number), is_new=False) if found else None


def _record_complaint(
    session: Session,
    data: ComplaintCreate,
    actor: Actor,
    category: CategorySnapshot,
    values: dict[str, Any],
) -> Complaint:
    """The new report's row as an object, with its audit event, bus event and receipt."""
    complaint = _attach(session, values)
    audit.record(
        session,
        actor=actor,
        action="complaint.create",
        object_type="complaint",
        object_id=complaint.tracking_number,
        after={"category": category.code, "pd": complaint.pd_kode, "source": data.source.value},
    )
    emit(session, complaint_event("complaint.created", complaint, category_code=category.code))
    if complaint.reporter_email or complaint.reporter_phone:
        # Without contact nobody is told, and a new report has no followers yet.
        from pontive.complaints import notify  # late: notify imports service → this module

        notify.queue_receipt(session, complaint)
    return complaint


def indexed_contact(contact: str) -> str:
    """A contact as its blind index reads it: a phone number by its digits in the +62 form,
    so that the data-protection officer finds it however it was typed (docs/privacy.md)."""
    if "@" in contact:
        return contact
    digits = "".join(char for char in contact if char.isdigit())
    return "+62" + digits[1:] if digits.startswith("0") else "+" + digits


def _complaint_row(
    session: Session,
    data: ComplaintCreate,
    category: CategorySnapshot,
    place: reference.Location | None,
    attributes: dict[str, Any],
    now: datetime,
    created_at: datetime,
    day: date,
) -> dict[str, Any]:
    """Every column of the new report (so the returned object needs no reload)."""
    holidays = _holidays(session, day)
    kecamatan_kode = place.kecamatan_kode if place else None
    contact = data.phone or (str(data.email) if data.email else None)
    return {
        "tracking_number": next_tracking_number(session, day.year),
        "category_id": category.id,
        "description": data.description,
        "public_description": data.description,
        "address": data.address,
        "lon": data.lon,
        "lat": data.lat,
        "kelurahan_kode": place.kelurahan_kode if place else None,
        "kecamatan_kode": kecamatan_kode,
        "pd_kode": route(session, category, kecamatan_kode),
        "status": ComplaintStatus.DITERIMA,
        "source": data.source,
        "external_id": data.external_id,
        "attributes": attributes,
        "is_public": True,
        "is_anonymous": data.is_anonymous,
        # Personal data: EncryptedText seals these in the INSERT's bind step.
        "reporter_name": None if data.is_anonymous else data.name,
        "reporter_phone": data.phone,
        "reporter_email": str(data.email) if data.email else None,
        "reporter_index": crypto.blind_index(indexed_contact(contact)) if contact else None,
        "reporter_email_index": crypto.blind_index(str(data.email)) if data.email else None,
        "consent_at": now if data.consent else None,
        "idempotency_key": data.idempotency_key,
        "created_at": created_at,
        "updated_at": created_at,
        "first_response_at": None,
        "resolved_at": None,
        "closed_at": None,
        "due_on": add_working_days(day, category.sla_days, holidays),
        "paused_at": None,
        "escalated_at": None,
        "duplicate_of_id": None,
        "rating": None,
        "rating_comment": None,
        "rated_at": None,
    }


def _attach(session: Session, values: dict[str, Any]) -> Complaint:
    """The stored row as a persistent ``Complaint`` without reading it back: every column is
    known; its timeline, photos and category load when first touched."""
    complaint = Complaint(**values)
    make_transient_to_detached(complaint)
    session.add(complaint)
    return complaint
