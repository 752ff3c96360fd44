"""Facility care by volunteers (Perda 9/2022 Pasal 22b): applying to adopt a park, a drain, a
bus stop or a green strip; the approved adoptions in public (no volunteer's name or contact);
the volunteers' condition reports through their private link, with an optional photo checked
and stripped of its metadata like a complaint's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.service import process_photo
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.registry import get as get_registry
from pontive.core.storage import MediaStore
from pontive.participation import links, messages
from pontive.participation.choices import AdoptionStatus, Condition, FacilityKind
from pontive.participation.hooks import today
from pontive.participation.ideas import PUBLIC_INTAKE
from pontive.participation.models import Adoption, AdoptionReport
from pontive.participation.service import (
    BASE_URL,
    CONSOLE,
    check_private_token,
    read_contact,
    tell_moderators,
)
from pontive.registry import store

# The registry's field names that the public form names otherwise.
_FORM_NAMES = {"contact": "contact", "volunteer_name": "name", "lon": "location"}


@dataclass(frozen=True, slots=True)
class AdoptionApplication:
    """What a volunteer sends to adopt a facility."""

    facility_name: str
    kind: str
    lon: str
    lat: str
    name: str
    contact: str
    consent: bool
    group_name: str = ""
    plan: str = ""
    idempotency_key: str = ""


def _check(data: AdoptionApplication, lang: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not 3 <= len(data.facility_name.strip()) <= 200:
        problems |= messages.errors("title", lang, "facility_name")
    if data.kind not in FacilityKind._value2member_map_:
        problems |= messages.errors("invalid", lang, "kind")
    if not data.lon.strip() or not data.lat.strip():
        problems |= messages.errors("location", lang)
    if not data.name.strip():
        problems |= messages.errors("invalid", lang, "name")
    if read_contact(data.contact) is None:
        problems |= messages.errors("contact", lang)
    if not data.consent:
        problems |= messages.errors("consent", lang)
    return problems


def apply_for_adoption(
    session: Session, *, data: AdoptionApplication, lang: str = "id", via: str = "form"
) -> tuple[Adoption, bool]:
    """File an application (``diajukan``); ``(adoption, is_new)``, idempotent by key."""
    problems = _check(data, lang)
    if problems:
        raise InvalidInput(*messages.both("invalid"), errors=problems)
    key = data.idempotency_key.strip()[:100]
    if key:
        earlier = session.scalar(select(Adoption).where(Adoption.idempotency_key == key))
        if earlier is not None:
            return earlier, False
    values = {
        "facility_name": " ".join(data.facility_name.split()),
        "kind": data.kind,
        "lon": data.lon,
        "lat": data.lat,
        "plan": data.plan.strip(),
        "volunteer_name": " ".join(data.name.split()),
        "group_name": " ".join(data.group_name.split()),
        "contact": data.contact.strip(),
        "status": AdoptionStatus.DIAJUKAN.value,
    }
    try:
        adoption: Adoption = store.save_row(
            session,
            get_registry("participation.adoptions"),
            PUBLIC_INTAKE,
            values,
            via=via,
            lang=lang,
        )
    except InvalidInput as invalid:
        invalid.errors = {_FORM_NAMES.get(k, k): v for k, v in invalid.errors.items()}
        raise
    adoption.idempotency_key = key or None
    tell_moderators(
        session,
        f"Permohonan adopsi fasilitas: {adoption.facility_name[:80]}",
        f"{adoption.facility_name} ({adoption.kind.label('id')})\n\n"
        f"{BASE_URL}{CONSOLE}/adopsi/{adoption.id}",
    )
    session.commit()
    return adoption, True


def list_approved(session: Session) -> list[Adoption]:
    """The adoptions under way (the public map and list)."""
    return list(
        session.scalars(
            select(Adoption)
            .where(Adoption.status == AdoptionStatus.DISETUJUI)
            .order_by(Adoption.facility_name, Adoption.id)
        )
    )


def latest_conditions(session: Session, adoptions: list[Adoption]) -> dict[int, AdoptionReport]:
    """Each adoption's newest report (one query for a whole list)."""
    if not adoptions:
        return {}
    reports = session.scalars(
        select(AdoptionReport)
        .where(AdoptionReport.adoption_id.in_([a.id for a in adoptions]))
        .order_by(AdoptionReport.reported_on, AdoptionReport.id)
    )
    return {report.adoption_id: report for report in reports}


def public_view(
    adoption: Adoption, lang: str, kelurahan: dict[str, str], latest: AdoptionReport | None
) -> dict[str, Any]:
    """An adoption as the public sees it: the facility, the group, never the person."""
    return {
        "id": adoption.id,
        "facility_name": adoption.facility_name,
        "kind": adoption.kind.value,
        "kind_label": adoption.kind.label(lang),
        "lon": adoption.lon,
        "lat": adoption.lat,
        "kelurahan": kelurahan.get(adoption.kelurahan_kode or ""),
        "group_name": adoption.group_name or None,
        "starts_on": adoption.starts_on.isoformat() if adoption.starts_on else None,
        "ends_on": adoption.ends_on.isoformat() if adoption.ends_on else None,
        "condition": latest.condition.value if latest else None,
        "condition_label": latest.condition.label(lang) if latest else None,
        "reported_on": latest.reported_on.isoformat() if latest else None,
        # As people read dates here (30-11-2026), for the pages.
        "ends_label": f"{adoption.ends_on:%d-%m-%Y}" if adoption.ends_on else "-",
        "reported_label": f"{latest.reported_on:%d-%m-%Y}" if latest else "",
    }


def get_for_volunteer(session: Session, adoption_id: int, token: str | None) -> Adoption:
    """An adoption through its volunteer's private link (``NotFound`` otherwise)."""
    adoption = session.get(Adoption, adoption_id)
    if adoption is None or not check_private_token("adoption", adoption_id, token):
        raise NotFound("Adopsi tidak ditemukan.", "Adoption not found.")
    return adoption


def reports_of(session: Session, adoption: Adoption) -> list[AdoptionReport]:
    """An adoption's reports, newest first."""
    return list(
        session.scalars(
            select(AdoptionReport)
            .where(AdoptionReport.adoption_id == adoption.id)
            .order_by(AdoptionReport.reported_on.desc(), AdoptionReport.id.desc())
        )
    )


def submit_report(
    session: Session,
    *,
    adoption: Adoption,
    reported_on: str,
    condition: str,
    note: str,
    photo: bytes | None = None,
    media: MediaStore | None = None,
    lang: str = "id",
) -> AdoptionReport:
    """A volunteer's report on an active adoption; a damaged facility alerts moderators."""
    if adoption.status is not AdoptionStatus.DISETUJUI:
        raise InvalidInput(
            *messages.both("not_active"), errors=messages.errors("not_active", lang, "form")
        )
    processed = process_photo(photo) if photo else None
    values = {
        "adoption_id": str(adoption.id),
        "reported_on": reported_on or today().isoformat(),
        "condition": condition,
        "note": note.strip(),
    }
    report: AdoptionReport = store.save_row(
        session, get_registry("participation.adoption-reports"), PUBLIC_INTAKE, values, lang=lang
    )
    if processed is not None and media is not None:
        report.photo_key = media.save(processed.data, folder="participation", suffix=".jpg")
    if report.condition is Condition.RUSAK:
        tell_moderators(
            session,
            f"Fasilitas adopsi dilaporkan rusak: {adoption.facility_name[:80]}",
            f"{adoption.facility_name}: {report.note or '-'}\n\n"
            f"{BASE_URL}{CONSOLE}/laporan-adopsi/{report.id}",
        )
    session.commit()
    return report


def get_report_photo(
    session: Session, report_id: int, adoption_id: int | None = None
) -> AdoptionReport:
    """A report that has a photo (of ``adoption_id`` when given)."""
    report = session.get(AdoptionReport, report_id)
    if report is None or not report.photo_key:
        raise NotFound
    if adoption_id is not None and report.adoption_id != adoption_id:
        raise NotFound
    return report


def complaint_url(adoption: Adoption) -> str:
    """The complaint form for damage to this facility."""
    return links.complaint_url(adoption.kind)
