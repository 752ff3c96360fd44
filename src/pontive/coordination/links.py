"""What an incident is linked to, and what it could be: citizens' reports, cameras, sensor
stations and alerts near it, suggested by a radius search and linked in one click.

Other domains are read through their services only. A linked report is named by its tracking
number and category (never its reporter); a camera by its code and name (never its address).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import service as alerts
from pontive.cctv import service as cctv
from pontive.cctv.choices import CameraStatus
from pontive.complaints import service as complaints
from pontive.complaints.models import Complaint
from pontive.coordination import timeline
from pontive.coordination.choices import EntryKind, LinkType
from pontive.coordination.models import Incident, IncidentLink
from pontive.coordination.service import MANAGE_INCIDENTS, _require_open
from pontive.core import permissions
from pontive.core.errors import Conflict, DomainError, InvalidInput, NotFound
from pontive.core.geo import haversine_m
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.sensors import service as sensors
from pontive.sensors.page_views import Station

SUGGEST_RADIUS_M = 1000.0
MAX_RADIUS_M = 10_000.0
REPORT_DAYS = 14
PER_KIND = 12


@dataclass(frozen=True, slots=True)
class Candidate:
    """Something near an incident that could be linked."""

    item_type: LinkType
    item_ref: str
    label: str
    detail: str  # status, health, reading …
    lon: float | None
    lat: float | None
    distance_m: float | None  # None: related by area (an alert over the kelurahan)
    colour: str = "#5b6b7a"


def links(session: Session, incident: Incident) -> list[IncidentLink]:
    """What ``incident`` is linked to, in the order linked."""
    return list(
        session.scalars(
            select(IncidentLink)
            .where(IncidentLink.incident_id == incident.id)
            .order_by(IncidentLink.linked_at, IncidentLink.id)
        )
    )


def _distance(incident: Incident, lon: float | None, lat: float | None) -> float | None:
    if lon is None or lat is None:
        return None
    return haversine_m(incident.lon, incident.lat, lon, lat)


def suggestions(
    session: Session,
    *,
    actor: Actor,
    incident: Incident,
    radius_m: float = SUGGEST_RADIUS_M,
    now: datetime | None = None,
) -> dict[LinkType, list[Candidate]]:
    """Reports, cameras, stations and alerts near ``incident`` not linked yet, nearest first."""
    permissions.require(actor, MANAGE_INCIDENTS)
    radius_m = min(max(radius_m, 50.0), MAX_RADIUS_M)
    linked = {(link.item_type, link.item_ref) for link in links(session, incident)}
    found: dict[LinkType, list[Candidate]] = {kind: [] for kind in LinkType}
    reports = complaints.find_nearby(
        session,
        category_code=None,
        lon=incident.lon,
        lat=incident.lat,
        radius_m=radius_m,
        days=REPORT_DAYS,
        public_only=False,
    )
    for report in reports:
        found[LinkType.COMPLAINT].append(_report_candidate(incident, report))
    for camera in cctv.list_registry(session, actor=actor, status=CameraStatus.AKTIF):
        distance = _distance(incident, camera.lon, camera.lat)
        if distance is not None and distance <= radius_m:
            found[LinkType.CAMERA].append(
                Candidate(
                    LinkType.CAMERA,
                    camera.code,
                    f"{camera.code} · {camera.name}",
                    camera.health.label("id"),
                    camera.lon,
                    camera.lat,
                    distance,
                    camera.health.meta.colour,
                )
            )
    for station in sensors.station_summaries(session):
        distance = _distance(incident, station.lon, station.lat)
        if distance is not None and distance <= radius_m:
            found[LinkType.STATION].append(_station_candidate(station, distance))
    affected = set(incident.affected_kelurahan or ())
    for alert in alerts.active_alerts(session, now=now):
        if affected & set(alert.kelurahan_kodes or ()):
            found[LinkType.ALERT].append(
                Candidate(
                    LinkType.ALERT,
                    alert.identifier,
                    alert.headline_id,
                    alert.severity.label("id"),
                    None,
                    None,
                    None,
                    alert.severity.meta.colour,
                )
            )
    for kind, items in found.items():
        fresh = [c for c in items if (c.item_type, c.item_ref) not in linked]
        fresh.sort(key=lambda c: (c.distance_m is not None, c.distance_m or 0.0))
        found[kind] = fresh[:PER_KIND]
    return found


def _report_candidate(incident: Incident, report: Complaint) -> Candidate:
    return Candidate(
        LinkType.COMPLAINT,
        report.tracking_number,
        f"{report.tracking_number} · {report.category.name('id')}",
        report.status.label("id"),
        report.lon,
        report.lat,
        _distance(incident, report.lon, report.lat),
        report.status.meta.colour,
    )


def _station_candidate(station: Station, distance: float | None) -> Candidate:
    detail, colour = station.health.label("id"), station.health.meta.colour
    if station.flood is not None and station.flood.status is not None:
        detail, colour = (
            f"Status banjir {station.flood.status.label('id')}",
            station.flood.status.meta.colour,
        )
    elif station.ispu is not None:
        detail = f"ISPU {station.ispu.value} ({station.ispu.category.label('id')})"
        colour = station.ispu.category.meta.colour
    return Candidate(
        LinkType.STATION,
        str(station.id),
        station.name,
        detail,
        station.lon,
        station.lat,
        distance,
        colour,
    )


def _resolve(session: Session, actor: Actor, item_type: LinkType, ref: str) -> Candidate:
    """The item named by ``ref`` as it is now, or NotFound."""
    if item_type is LinkType.COMPLAINT:
        report = complaints.get_by_tracking(session, ref.upper())
        return Candidate(
            item_type,
            report.tracking_number,
            f"{report.tracking_number} · {report.category.name('id')}",
            report.status.label("id"),
            report.lon,
            report.lat,
            None,
        )
    if item_type is LinkType.CAMERA:
        camera = cctv.get_registry_camera(session, actor=actor, code=ref)
        return Candidate(
            item_type,
            camera.code,
            f"{camera.code} · {camera.name}",
            camera.health.label("id"),
            camera.lon,
            camera.lat,
            None,
        )
    if item_type is LinkType.STATION:
        station = sensors.station_summary(session, int(ref)) if ref.isdigit() else None
        if station is None:
            raise NotFound("Stasiun sensor tidak ditemukan.", "Sensor station not found.")
        return _station_candidate(station, None)
    alert = alerts.get_alert(session, ref, actor=actor)
    return Candidate(
        item_type,
        alert.identifier,
        alert.headline_id,
        alert.severity.label("id"),
        None,
        None,
        None,
    )


def link_item(
    session: Session,
    *,
    actor: Actor,
    incident: Incident,
    item_type: str,
    ref: str,
    quiet_if_linked: bool = False,
    now: datetime | None = None,
) -> IncidentLink:
    """Link a report, camera, station or alert to ``incident`` (one click from a suggestion)."""
    permissions.require(actor, MANAGE_INCIDENTS)
    _require_open(incident)
    try:
        kind = LinkType(item_type)
    except ValueError:
        raise InvalidInput(errors={"item_type": ["Jenis tautan tidak dikenal."]}) from None
    ref = ref.strip()
    if not ref or len(ref) > 120:
        raise InvalidInput(errors={"ref": ["Isi kode yang akan ditautkan."]})
    try:
        item = _resolve(session, actor, kind, ref)
    except NotFound as error:
        raise InvalidInput(
            error.message_id, error.message_en, errors={"ref": [error.message_id]}
        ) from error
    existing = session.scalar(
        select(IncidentLink).where(
            IncidentLink.incident_id == incident.id,
            IncidentLink.item_type == kind,
            IncidentLink.item_ref == item.item_ref,
        )
    )
    if existing is not None:
        if quiet_if_linked:
            return existing
        raise Conflict("Sudah ditautkan ke insiden ini.", "Already linked to this incident.")
    now = now or utcnow()
    link = IncidentLink(
        incident_id=incident.id,
        item_type=kind,
        item_ref=item.item_ref,
        label=item.label[:300],
        lon=item.lon,
        lat=item.lat,
        linked_by=actor.label,
        linked_at=now,
    )
    session.add(link)
    timeline.note(
        session,
        incident,
        actor=actor,
        kind=EntryKind.LINK,
        at=now,
        text=f"{kind.label('id')} ditautkan: {item.label}",
        ref=f"{kind.value}:{item.item_ref}",
        data={"item_type": kind.value, "item_ref": item.item_ref, "linked": True},
    )
    timeline.changed(
        session,
        actor=actor,
        incident=incident,
        action="linked",
        before=None,
        item_type=kind.value,
        item_ref=item.item_ref,
    )
    session.flush()
    return link


def unlink_item(session: Session, *, actor: Actor, incident: Incident, link_id: int) -> None:
    """Remove a link made by mistake (the timeline keeps both lines)."""
    permissions.require(actor, MANAGE_INCIDENTS)
    _require_open(incident)
    link = session.get(IncidentLink, link_id)
    if link is None or link.incident_id != incident.id:
        raise NotFound("Tautan tidak ditemukan.", "Link not found.")
    session.delete(link)
    timeline.note(
        session,
        incident,
        actor=actor,
        kind=EntryKind.LINK,
        text=f"Tautan dilepas: {link.label}",
        ref=f"{link.item_type.value}:{link.item_ref}",
        data={"item_type": link.item_type.value, "item_ref": link.item_ref, "linked": False},
    )
    timeline.changed(
        session,
        actor=actor,
        incident=incident,
        action="unlinked",
        before=None,
        item_type=link.item_type.value,
        item_ref=link.item_ref,
    )


def link_all(
    session: Session,
    *,
    actor: Actor,
    incident: Incident,
    items: list[tuple[str, str]],
    now: datetime | None = None,
) -> list[IncidentLink]:
    """Link several items at once, skipping those already linked or no longer found."""
    made = []
    for item_type, ref in items:
        try:
            made.append(
                link_item(
                    session,
                    actor=actor,
                    incident=incident,
                    item_type=item_type,
                    ref=ref,
                    quiet_if_linked=True,
                    now=now,
                )
            )
        except DomainError:
            continue
    return made
