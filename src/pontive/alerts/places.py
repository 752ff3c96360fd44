"""Emergency contacts (the office numbers the public home shows in an emergency) and
shelters (with the route note to reach them): managed by operators and admins, every change
audited. A shelter's kelurahan and kecamatan come from its point."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.models import EmergencyContact, Shelter
from pontive.core import audit, permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.reference import service as reference
from pontive.web.i18n import translate

PLACES_MANAGE = permissions.register("alerts.places.manage", {Role.OPERATOR, Role.ADMIN})


def _invalid(key: str, errors: dict[str, list[str]]) -> InvalidInput:
    return InvalidInput(translate(key, "id"), translate(key, "en"), errors=errors)


_PHONE = re.compile(r"[0-9+\-() ]{3,40}")


@dataclass(frozen=True, slots=True)
class ContactFields:
    """What an operator fills in for an emergency contact."""

    name_id: str
    phone: str
    name_en: str = ""  # empty: the Indonesian name
    position: int = 0
    active: bool = True


@dataclass(frozen=True, slots=True)
class ShelterFields:
    """What an operator fills in for a shelter (kelurahan/kecamatan resolved from the point)."""

    name: str
    lon: float
    lat: float
    address: str = ""
    capacity: int | None = None
    route_id: str = ""
    route_en: str = ""
    active: bool = True


def _text_errors(
    errors: dict[str, list[str]], name: str, value: str, limit: int, lang: str, *, required: bool
) -> None:
    if required and not value.strip():
        errors[name] = [translate("alerts.places.name_required", lang)]
    elif len(value) > limit:
        errors[name] = [translate("alerts.places.too_long", lang, limit=limit)]


def _check_contact(fields: ContactFields, lang: str) -> None:
    errors: dict[str, list[str]] = {}
    _text_errors(errors, "name_id", fields.name_id, 200, lang, required=True)
    _text_errors(errors, "name_en", fields.name_en, 200, lang, required=False)
    digits = sum(char.isdigit() for char in fields.phone)
    if not _PHONE.fullmatch(fields.phone.strip()) or digits < 3:
        errors["phone"] = [translate("alerts.places.phone_invalid", lang)]
    if errors:
        raise _invalid("alerts.places.invalid", errors)


def _check_shelter(fields: ShelterFields, lang: str) -> None:
    errors: dict[str, list[str]] = {}
    _text_errors(errors, "name", fields.name, 200, lang, required=True)
    _text_errors(errors, "address", fields.address, 300, lang, required=False)
    if not -180.0 <= fields.lon <= 180.0:
        errors["lon"] = [translate("alerts.places.lon_invalid", lang)]
    if not -90.0 <= fields.lat <= 90.0:
        errors["lat"] = [translate("alerts.places.lat_invalid", lang)]
    if fields.capacity is not None and fields.capacity < 0:
        errors["capacity"] = [translate("alerts.places.capacity_invalid", lang)]
    if errors:
        raise _invalid("alerts.places.invalid", errors)


def _row_state(row: EmergencyContact | Shelter) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in row.__table__.columns}


def _audit_place(
    session: Session,
    actor: Actor,
    action: str,
    row: EmergencyContact | Shelter,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type=row.__tablename__,
        object_id=row.id,
        before=before,
        after=after,
    )


def list_contacts(session: Session, *, active_only: bool = True) -> list[EmergencyContact]:
    """Emergency contacts in display order (public: office numbers only)."""
    query = select(EmergencyContact).order_by(EmergencyContact.position, EmergencyContact.id)
    if active_only:
        query = query.where(EmergencyContact.active.is_(True))
    return list(session.scalars(query))


def _contact_or_404(session: Session, contact_id: int) -> EmergencyContact:
    row = session.get(EmergencyContact, contact_id)
    if row is None:
        key = "alerts.places.contact_not_found"
        raise NotFound(translate(key, "id"), translate(key, "en"))
    return row


def _apply_contact(row: EmergencyContact, fields: ContactFields) -> None:
    row.name_id = fields.name_id.strip()
    row.name_en = fields.name_en.strip() or row.name_id
    row.phone = " ".join(fields.phone.split())
    row.position, row.active = fields.position, fields.active


def create_contact(
    session: Session, *, actor: Actor, fields: ContactFields, lang: str = "id"
) -> EmergencyContact:
    """Add an emergency contact."""
    permissions.require(actor, PLACES_MANAGE)
    _check_contact(fields, lang)
    row = EmergencyContact()
    _apply_contact(row, fields)
    session.add(row)
    session.flush()
    _audit_place(session, actor, "alerts.contact.create", row, None, _row_state(row))
    session.commit()
    return row


def update_contact(
    session: Session, *, actor: Actor, contact_id: int, fields: ContactFields, lang: str = "id"
) -> EmergencyContact:
    """Replace an emergency contact's fields."""
    permissions.require(actor, PLACES_MANAGE)
    row = _contact_or_404(session, contact_id)
    _check_contact(fields, lang)
    before = _row_state(row)
    _apply_contact(row, fields)
    session.flush()
    _audit_place(session, actor, "alerts.contact.update", row, before, _row_state(row))
    session.commit()
    return row


def delete_contact(session: Session, *, actor: Actor, contact_id: int) -> None:
    """Remove an emergency contact (the audit trail keeps the digest of what it was)."""
    permissions.require(actor, PLACES_MANAGE)
    row = _contact_or_404(session, contact_id)
    _audit_place(session, actor, "alerts.contact.delete", row, _row_state(row), None)
    session.delete(row)
    session.commit()


def list_shelters(
    session: Session, *, kecamatan_kode: str | None = None, active_only: bool = True
) -> list[Shelter]:
    """Shelters by name, optionally of one kecamatan."""
    query = select(Shelter).order_by(Shelter.name, Shelter.id)
    if active_only:
        query = query.where(Shelter.active.is_(True))
    if kecamatan_kode is not None:
        query = query.where(Shelter.kecamatan_kode == kecamatan_kode)
    return list(session.scalars(query))


def _shelter_or_404(session: Session, shelter_id: int) -> Shelter:
    row = session.get(Shelter, shelter_id)
    if row is None:
        key = "alerts.places.shelter_not_found"
        raise NotFound(translate(key, "id"), translate(key, "en"))
    return row


def _apply_shelter(session: Session, row: Shelter, fields: ShelterFields) -> None:
    values = asdict(fields)
    values["name"], values["address"] = fields.name.strip(), fields.address.strip()
    for key, value in values.items():
        setattr(row, key, value)
    place = reference.resolve_location(session=session, lon=fields.lon, lat=fields.lat)
    row.kelurahan_kode, row.kecamatan_kode = place.kelurahan_kode, place.kecamatan_kode


def create_shelter(
    session: Session, *, actor: Actor, fields: ShelterFields, lang: str = "id"
) -> Shelter:
    """Add a shelter; its kelurahan and kecamatan come from its point."""
    permissions.require(actor, PLACES_MANAGE)
    _check_shelter(fields, lang)
    row = Shelter()
    _apply_shelter(session, row, fields)
    session.add(row)
    session.flush()
    _audit_place(session, actor, "alerts.shelter.create", row, None, _row_state(row))
    session.commit()
    return row


def update_shelter(
    session: Session, *, actor: Actor, shelter_id: int, fields: ShelterFields, lang: str = "id"
) -> Shelter:
    """Replace a shelter's fields (and re-resolve its place)."""
    permissions.require(actor, PLACES_MANAGE)
    row = _shelter_or_404(session, shelter_id)
    _check_shelter(fields, lang)
    before = _row_state(row)
    _apply_shelter(session, row, fields)
    session.flush()
    _audit_place(session, actor, "alerts.shelter.update", row, before, _row_state(row))
    session.commit()
    return row


def delete_shelter(session: Session, *, actor: Actor, shelter_id: int) -> None:
    """Remove a shelter."""
    permissions.require(actor, PLACES_MANAGE)
    row = _shelter_or_404(session, shelter_id)
    _audit_place(session, actor, "alerts.shelter.delete", row, _row_state(row), None)
    session.delete(row)
    session.commit()
