"""Incidents: opening, reading, updating, the timeline, agencies, status and closing.

Who may do what (checked here, not only in routes):

- every staff role reads incidents; a PD officer only those its agency is involved in;
- operators (and admins) open, edit, move, link, close and publish incidents;
- an officer of an involved agency adds situation reports and photos to the timeline;
- tasks (``tasks.py``), meetings (``meetings.py``), walls (``walls.py``) and the executive
  view (``executive.py``) have their own actions, declared here so the matrix is in one place.

Linking items and the nearby suggestions are in ``links.py``; the closing report in
``reports.py``; incidents opened from alerts in ``from_alerts.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from pontive.coordination import timeline
from pontive.coordination.choices import (
    INCIDENT_FLOW,
    OPEN_INCIDENT_STATUSES,
    EntryKind,
    IncidentKind,
    IncidentStatus,
    Severity,
    SourceType,
)
from pontive.coordination.models import Incident, IncidentAgency, IncidentEntry
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.permissions import STAFF
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference

READ = permissions.register("coordination.read", STAFF)
MANAGE_INCIDENTS = permissions.register("coordination.incident.manage", {Role.OPERATOR, Role.ADMIN})
REPORT_INCIDENT = permissions.register(
    "coordination.incident.report", {Role.OPERATOR, Role.ADMIN, Role.PETUGAS_PD}, pd_scoped=True
)
ASSIGN_TASKS = permissions.register(
    "coordination.task.assign", {Role.OPERATOR, Role.ADMIN, Role.TIM_TEKNIS}
)
WORK_TASKS = permissions.register(
    "coordination.task.work",
    {Role.OPERATOR, Role.ADMIN, Role.TIM_TEKNIS, Role.PETUGAS_PD},
    pd_scoped=True,
)
MANAGE_MEETINGS = permissions.register(
    "coordination.meeting.manage", {Role.OPERATOR, Role.ADMIN, Role.TIM_TEKNIS}
)
VIEW_WALL = permissions.register(
    "coordination.wall.view",
    {Role.OPERATOR, Role.ADMIN, Role.TIM_TEKNIS, Role.WALIKOTA, Role.DEWAN},
)
MANAGE_WALLS = permissions.register("coordination.wall.manage", {Role.OPERATOR, Role.ADMIN})
VIEW_EXECUTIVE = permissions.register(
    "coordination.executive.view",
    {Role.WALIKOTA, Role.DEWAN, Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN},
)

TITLE_MAX = 200
TEXT_MAX = 10_000


@dataclass(slots=True)
class IncidentInput:
    """What an operator types to open or correct an incident (strings as typed)."""

    title: str
    kind: str
    severity: str
    lon: float | None
    lat: float | None
    description: str = ""
    affected_kelurahan: Sequence[str] = ()
    lead_pd_kode: str | None = None
    agencies: Sequence[str] = ()
    source_type: str = SourceType.MANUAL.value
    source_ref: str | None = None
    extra_errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """What the incident list is narrowed to."""

    statuses: frozenset[IncidentStatus] = OPEN_INCIDENT_STATUSES
    severity: Severity | None = None
    kind: IncidentKind | None = None
    pd_kode: str | None = None  # involved agency


# --- reading ---------------------------------------------------------------------------------


def _involves(incident: Incident, pd_kode: str | None) -> bool:
    return pd_kode is not None and (
        pd_kode == incident.lead_pd_kode or pd_kode in incident.agency_codes
    )


def may_see(actor: Actor, incident: Incident) -> bool:
    """Whether ``actor`` may read ``incident`` (PD officers: only when involved)."""
    if not permissions.can(actor, READ):
        return False
    return actor.role is not Role.PETUGAS_PD or _involves(incident, actor.pd_kode)


def may_manage(actor: Actor) -> bool:
    """Whether ``actor`` may open, edit, link and close incidents."""
    return permissions.can(actor, MANAGE_INCIDENTS)


def may_report(actor: Actor, incident: Incident) -> bool:
    """Whether ``actor`` may add situation reports and photos to ``incident``."""
    owner = actor.pd_kode if _involves(incident, actor.pd_kode) else None
    return permissions.can(actor, REPORT_INCIDENT, owner_pd=owner)


def get_incident(session: Session, *, actor: Actor, code: str) -> Incident:
    """One incident ``actor`` may see; NotFound otherwise (existence is not revealed)."""
    permissions.require(actor, READ)
    incident = session.scalar(
        select(Incident).options(selectinload(Incident.agencies)).where(Incident.code == code)
    )
    if incident is None or not may_see(actor, incident):
        raise NotFound("Insiden tidak ditemukan.", "Incident not found.")
    return incident


def list_incidents(
    session: Session, *, actor: Actor, filters: IncidentFilter | None = None, limit: int = 200
) -> list[Incident]:
    """Incidents ``actor`` may see, worst and newest first."""
    permissions.require(actor, READ)
    filters = filters or IncidentFilter()
    query = select(Incident).options(selectinload(Incident.agencies))
    if filters.statuses:
        query = query.where(Incident.status.in_(sorted(filters.statuses)))
    if filters.severity is not None:
        query = query.where(Incident.severity == filters.severity)
    if filters.kind is not None:
        query = query.where(Incident.kind == filters.kind)
    pd_kode = actor.pd_kode if actor.role is Role.PETUGAS_PD else filters.pd_kode
    if actor.role is Role.PETUGAS_PD and pd_kode is None:
        return []
    if pd_kode is not None:
        involved = select(IncidentAgency.incident_id).where(IncidentAgency.pd_kode == pd_kode)
        query = query.where(or_(Incident.lead_pd_kode == pd_kode, Incident.id.in_(involved)))
    rows = session.scalars(query.order_by(Incident.opened_at.desc()).limit(limit)).all()
    return sorted(rows, key=lambda i: (i.status is IncidentStatus.SELESAI, -i.severity.rank))


def entries(session: Session, incident: Incident) -> list[IncidentEntry]:
    """The incident's timeline, oldest first."""
    return list(
        session.scalars(
            select(IncidentEntry)
            .where(IncidentEntry.incident_id == incident.id)
            .order_by(IncidentEntry.at, IncidentEntry.id)
        )
    )


# --- opening and editing ---------------------------------------------------------------------


def _choice(enum: type[Any], raw: str, name: str, errors: dict[str, list[str]]) -> Any:
    try:
        return enum(raw)
    except ValueError:
        errors[name] = ["Pilih salah satu pilihan yang ada."]
        return None


def _known_pds(
    session: Session, codes: Iterable[str], name: str, errors: dict[str, list[str]]
) -> list[str]:
    known: list[str] = []
    for code in dict.fromkeys(c.strip() for c in codes if c and c.strip()):
        if reference.get_perangkat_daerah(session=session, kode=code) is None:
            errors.setdefault(name, []).append(f"Perangkat Daerah tidak dikenal: {code}.")
        else:
            known.append(code)
    return known


def _validated(session: Session, data: IncidentInput) -> dict[str, Any]:
    """Every problem of ``data`` at once, by field; the clean values otherwise."""
    errors: dict[str, list[str]] = dict(data.extra_errors)
    title = " ".join(data.title.split())
    if not 5 <= len(title) <= TITLE_MAX:
        errors["title"] = [f"Judul 5 sampai {TITLE_MAX} huruf."]
    if len(data.description) > TEXT_MAX:
        errors["description"] = [f"Uraian paling banyak {TEXT_MAX} huruf."]
    kind = _choice(IncidentKind, data.kind, "kind", errors)
    severity = _choice(Severity, data.severity, "severity", errors)
    source_type = _choice(SourceType, data.source_type, "source_type", errors)
    place = None
    if data.lon is None or data.lat is None:
        errors.setdefault("location", ["Tandai lokasi insiden di peta."])
    else:
        try:
            place = reference.resolve_location(session=session, lon=data.lon, lat=data.lat)
        except InvalidInput:
            errors.setdefault("location", ["Koordinat tidak valid."])
        else:
            if not place.is_inside_city:
                errors.setdefault("location", ["Lokasi insiden harus di Kota Pontianak."])
    affected: list[str] = []
    known_kelurahan = {
        k.kode for kec in reference.list_kecamatan(session=session) for k in kec.kelurahan
    }
    for kode in dict.fromkeys(k.strip() for k in data.affected_kelurahan if k and k.strip()):
        if kode not in known_kelurahan:
            errors.setdefault("affected_kelurahan", []).append(f"Kelurahan tidak dikenal: {kode}.")
        else:
            affected.append(kode)
    lead = _known_pds(session, [data.lead_pd_kode or ""], "lead_pd_kode", errors)
    agencies = _known_pds(session, data.agencies, "agencies", errors)
    if errors:
        raise InvalidInput("Data insiden tidak valid.", "Invalid incident details.", errors=errors)
    assert place is not None  # noqa: S101 - a location error was raised above otherwise
    if place.kelurahan_kode and place.kelurahan_kode not in affected:
        affected.insert(0, place.kelurahan_kode)
    return {
        "title": title,
        "kind": kind,
        "severity": severity,
        "description": data.description.strip(),
        "lon": round(place.lon, 6),
        "lat": round(place.lat, 6),
        "kelurahan_kode": place.kelurahan_kode,
        "kecamatan_kode": place.kecamatan_kode,
        "affected_kelurahan": affected,
        "lead_pd_kode": lead[0] if lead else None,
        "agencies": agencies,
        "source_type": source_type,
    }


def _set_agencies(incident: Incident, codes: Iterable[str], now: datetime) -> list[str]:
    """Add the agencies not yet involved; returns those added."""
    have = set(incident.agency_codes)
    added = [code for code in dict.fromkeys(codes) if code not in have]
    for code in added:
        incident.agencies.append(IncidentAgency(pd_kode=code, joined_at=now))
    return added


def open_incident(
    session: Session, *, actor: Actor, data: IncidentInput, now: datetime | None = None
) -> Incident:
    """Open an incident (by hand, or from an alert, reports, a sensor or a camera)."""
    permissions.require(actor, MANAGE_INCIDENTS)
    now = now or utcnow()
    clean = _validated(session, data)
    agencies = clean.pop("agencies")
    incident = Incident(
        code=timeline.next_code(session, Incident, "INS", at=now),
        opened_at=now,
        opened_by=actor.label,
        updated_at=now,
        source_ref=(data.source_ref or "").strip()[:200] or None,
        **clean,
    )
    lead = incident.lead_pd_kode
    _set_agencies(incident, [*([lead] if lead else []), *agencies], now)
    session.add(incident)
    session.flush()
    timeline.note(
        session,
        incident,
        actor=actor,
        kind=EntryKind.OPENED,
        at=now,
        text=incident.description,
        ref=incident.source_ref,
        data={"source_type": incident.source_type.value, "severity": incident.severity.value},
    )
    timeline.changed(session, actor=actor, incident=incident, action="opened", before=None)
    return incident


def update_incident(
    session: Session, *, actor: Actor, incident: Incident, data: IncidentInput
) -> Incident:
    """Correct an open incident's facts; the timeline says what changed."""
    permissions.require(actor, MANAGE_INCIDENTS)
    _require_open(incident)
    before = timeline.incident_state(incident)
    clean = _validated(session, data)
    agencies = clean.pop("agencies")
    clean.pop("source_type")
    for key, value in clean.items():
        setattr(incident, key, value)
    now = utcnow()
    lead = incident.lead_pd_kode
    added = _set_agencies(incident, [*([lead] if lead else []), *agencies], now)
    after = timeline.incident_state(incident)
    changed_keys = sorted(k for k in after if after[k] != before[k])
    if not changed_keys:
        return incident
    timeline.note(
        session,
        incident,
        actor=actor,
        kind=EntryKind.UPDATE,
        at=now,
        text="Data insiden diperbarui: " + ", ".join(changed_keys) + ".",
        data={"changed": changed_keys, "agencies_added": added},
    )
    timeline.changed(session, actor=actor, incident=incident, action="updated", before=before)
    return incident


def add_agencies(
    session: Session, *, actor: Actor, incident: Incident, codes: Sequence[str], role: str = ""
) -> list[str]:
    """Involve more Perangkat Daerah; returns the codes newly added."""
    permissions.require(actor, MANAGE_INCIDENTS)
    _require_open(incident)
    errors: dict[str, list[str]] = {}
    known = _known_pds(session, codes, "agencies", errors)
    if errors or not known:
        errors.setdefault("agencies", ["Pilih minimal satu Perangkat Daerah."])
        raise InvalidInput("Perangkat Daerah tidak valid.", "Invalid agencies.", errors=errors)
    before = timeline.incident_state(incident)
    now = utcnow()
    added = _set_agencies(incident, known, now)
    for agency in incident.agencies:
        if agency.pd_kode in added and role.strip():
            agency.role = role.strip()[:200]
    if added:
        timeline.note(
            session,
            incident,
            actor=actor,
            kind=EntryKind.AGENCY,
            at=now,
            text=f"Perangkat Daerah dilibatkan: {', '.join(added)}."
            + (f" Peran: {role.strip()}" if role.strip() else ""),
            data={"added": added},
        )
        timeline.changed(session, actor=actor, incident=incident, action="updated", before=before)
    return added


def add_entry(
    session: Session,
    *,
    actor: Actor,
    incident: Incident,
    kind: EntryKind,
    text: str,
    photo_key: str | None = None,
    now: datetime | None = None,
) -> IncidentEntry:
    """A situation report, a decision or a photo in the timeline."""
    if kind is EntryKind.DECISION:
        permissions.require(actor, MANAGE_INCIDENTS)
    elif kind in (EntryKind.UPDATE, EntryKind.PHOTO):
        if not may_report(actor, incident):
            permissions.require(actor, MANAGE_INCIDENTS)
    else:
        raise ValueError(f"timeline entries of kind {kind} are written by the services")
    _require_open(incident)
    text = text.strip()
    if kind is not EntryKind.PHOTO and not 3 <= len(text) <= TEXT_MAX:
        raise InvalidInput(errors={"text": [f"Tulis 3 sampai {TEXT_MAX} huruf."]})
    if kind is EntryKind.PHOTO and photo_key is None:
        raise InvalidInput(errors={"photo": ["Pilih foto yang akan diunggah."]})
    entry = timeline.note(
        session, incident, actor=actor, kind=kind, text=text[:TEXT_MAX], photo_key=photo_key,
        at=now,
    )  # fmt: skip
    timeline.changed(
        session,
        actor=actor,
        incident=incident,
        action="noted",
        before=None,
        entry=kind.value,
        text=text[:280],
    )
    return entry


def _require_open(incident: Incident) -> None:
    if incident.status is IncidentStatus.SELESAI:
        raise Conflict("Insiden sudah ditutup.", "The incident is already closed.")


def set_status(
    session: Session,
    *,
    actor: Actor,
    incident: Incident,
    status: str,
    note: str = "",
    now: datetime | None = None,
) -> Incident:
    """Move an open incident one step forward or back (closing is ``reports.close``)."""
    permissions.require(actor, MANAGE_INCIDENTS)
    _require_open(incident)
    try:
        target = IncidentStatus(status)
    except ValueError:
        raise InvalidInput(errors={"status": ["Pilih salah satu pilihan yang ada."]}) from None
    if target is IncidentStatus.SELESAI:
        raise InvalidInput(
            "Gunakan formulir penutupan: ringkasan dan pelajaran wajib diisi.",
            "Use the closing form: a summary and lessons are required.",
            errors={"status": ["Tutup insiden lewat formulir penutupan."]},
        )
    if target is incident.status:
        return incident
    if abs(INCIDENT_FLOW.index(target) - INCIDENT_FLOW.index(incident.status)) > 1 and not (
        incident.status is IncidentStatus.DIBUKA and target is IncidentStatus.TERKENDALI
    ):
        raise Conflict(
            "Status hanya dapat maju atau mundur satu tahap.",
            "The status moves one stage forward or back at a time.",
        )
    before = timeline.incident_state(incident)
    previous = incident.status
    now = now or utcnow()
    incident.status = target
    if target is IncidentStatus.DITANGANI and incident.handled_at is None:
        incident.handled_at = now
    if target is IncidentStatus.TERKENDALI:
        incident.handled_at = incident.handled_at or now
        incident.controlled_at = incident.controlled_at or now
    timeline.note(
        session,
        incident,
        actor=actor,
        kind=EntryKind.STATUS,
        at=now,
        text=note.strip()[:2000],
        data={"from": previous.value, "to": target.value},
    )
    timeline.changed(
        session,
        actor=actor,
        incident=incident,
        action="status_changed",
        before=before,
        previous=previous.value,
    )
    return incident
