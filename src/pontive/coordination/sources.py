"""Opening an incident from what the command center sees: a cluster of citizens' reports,
a sensor station's state, a camera or an alert. ``prefill`` turns the source into a draft
the operator checks (kind, severity, place, title, agencies); ``open_from_source`` opens it
and links the source items in the same transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from pontive.alerts import service as alerts
from pontive.cctv import service as cctv
from pontive.complaints import service as complaints
from pontive.coordination import from_alerts, links
from pontive.coordination.choices import IncidentKind, LinkType, Severity, SourceType
from pontive.coordination.models import Incident
from pontive.coordination.service import MANAGE_INCIDENTS, IncidentInput, open_incident
from pontive.core import permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.sensors import service as sensors
from pontive.sensors.choices import FloodStatus, IspuCategory

MAX_REPORTS = 50
# Complaint categories (catalogue codes) and the incident kind a cluster of them is.
CATEGORY_KIND = {
    "banjir-genangan": IncidentKind.BANJIR,
    "drainase": IncidentKind.BANJIR,
    "pohon-tumbang": IncidentKind.POHON_TUMBANG,
    "asap-kebakaran": IncidentKind.KEBAKARAN,
    "lalu-lintas": IncidentKind.KECELAKAAN,
    "ketertiban-umum": IncidentKind.KETERTIBAN,
    "layanan-kesehatan": IncidentKind.KESEHATAN,
    "lampu-jalan": IncidentKind.GANGGUAN_LAYANAN,
    "jalan-rusak": IncidentKind.GANGGUAN_LAYANAN,
}
FLOOD_SEVERITY = {
    FloodStatus.NORMAL: Severity.RENDAH,
    FloodStatus.WASPADA: Severity.SEDANG,
    FloodStatus.SIAGA: Severity.TINGGI,
    FloodStatus.AWAS: Severity.KRITIS,
}
ISPU_SEVERITY = {
    IspuCategory.BAIK: Severity.RENDAH,
    IspuCategory.SEDANG: Severity.RENDAH,
    IspuCategory.TIDAK_SEHAT: Severity.SEDANG,
    IspuCategory.SANGAT_TIDAK_SEHAT: Severity.TINGGI,
    IspuCategory.BERBAHAYA: Severity.KRITIS,
}


@dataclass(slots=True)
class Draft:
    """An incident as its source suggests it, and the items to link when it is opened."""

    data: IncidentInput
    items: list[tuple[str, str]] = field(default_factory=list)


def _refs(raw: str) -> list[str]:
    return [ref.strip() for ref in raw.replace(";", ",").split(",") if ref.strip()]


def prefill(session: Session, *, actor: Actor, source_type: str, refs: str) -> Draft:
    """A draft incident from ``source_type`` (``complaints``, ``sensor``, ``camera``,
    ``alert``) and its references (tracking numbers, a Thing id, a camera code, a CAP
    identifier)."""
    permissions.require(actor, MANAGE_INCIDENTS)
    try:
        source = SourceType(source_type)
    except ValueError:
        raise InvalidInput(errors={"source_type": ["Sumber insiden tidak dikenal."]}) from None
    wanted = _refs(refs)
    if source is SourceType.MANUAL or not wanted:
        raise InvalidInput(errors={"source_ref": ["Sebutkan data sumber insiden."]})
    try:
        if source is SourceType.COMPLAINTS:
            return _from_reports(session, wanted[:MAX_REPORTS])
        if source is SourceType.SENSOR:
            return _from_station(session, wanted[0])
        if source is SourceType.CAMERA:
            return _from_camera(session, actor, wanted[0])
        return _from_alert(session, actor, wanted[0])
    except NotFound as error:
        raise InvalidInput(
            error.message_id, error.message_en, errors={"source_ref": [error.message_id]}
        ) from error


def _from_reports(session: Session, refs: list[str]) -> Draft:
    reports = [complaints.get_by_tracking(session, ref.upper()) for ref in refs]
    placed = [r for r in reports if r.lon is not None and r.lat is not None]
    if not placed:
        raise NotFound("Laporan itu tidak memiliki lokasi.", "Those reports have no location.")
    lon = sum(r.lon or 0.0 for r in placed) / len(placed)
    lat = sum(r.lat or 0.0 for r in placed) / len(placed)
    category, _count = Counter(r.category.code for r in reports).most_common(1)[0]
    name = next(r.category.name("id") for r in reports if r.category.code == category)
    agencies = sorted({r.pd_kode for r in reports if r.pd_kode})
    kelurahan = sorted({r.kelurahan_kode for r in reports if r.kelurahan_kode})
    return Draft(
        IncidentInput(
            title=f"{name}: {len(reports)} laporan warga berdekatan",
            kind=CATEGORY_KIND.get(category, IncidentKind.LAINNYA).value,
            severity=(Severity.TINGGI if len(reports) >= 5 else Severity.SEDANG).value,
            lon=lon,
            lat=lat,
            description="Dibuka dari laporan warga "
            + ", ".join(r.tracking_number for r in reports),
            affected_kelurahan=kelurahan,
            lead_pd_kode=agencies[0] if len(agencies) == 1 else None,
            agencies=agencies,
            source_type=SourceType.COMPLAINTS.value,
            source_ref=",".join(r.tracking_number for r in reports)[:200],
        ),
        [(LinkType.COMPLAINT.value, r.tracking_number) for r in reports],
    )


def _from_station(session: Session, ref: str) -> Draft:
    station = sensors.station_summary(session, int(ref)) if ref.isdigit() else None
    if station is None:
        raise NotFound("Stasiun sensor tidak ditemukan.", "Sensor station not found.")
    kind, severity, state = IncidentKind.LAINNYA, Severity.SEDANG, station.health.label("id")
    if station.flood is not None and station.flood.status is not None:
        kind, severity = IncidentKind.BANJIR, FLOOD_SEVERITY[station.flood.status]
        state = f"status banjir {station.flood.status.label('id')}"
    elif station.ispu is not None:
        kind, severity = IncidentKind.KABUT_ASAP, ISPU_SEVERITY[station.ispu.category]
        state = f"ISPU {station.ispu.value} ({station.ispu.category.label('id')})"
    return Draft(
        IncidentInput(
            title=f"{station.name}: {state}",
            kind=kind.value,
            severity=severity.value,
            lon=station.lon,
            lat=station.lat,
            lead_pd_kode=station.pd_kode,
            source_type=SourceType.SENSOR.value,
            source_ref=str(station.id),
        ),
        [(LinkType.STATION.value, str(station.id))],
    )


def _from_camera(session: Session, actor: Actor, ref: str) -> Draft:
    camera = cctv.get_registry_camera(session, actor=actor, code=ref)
    return Draft(
        IncidentInput(
            title=f"Terpantau kamera {camera.code}: {camera.name}",
            kind=IncidentKind.LAINNYA.value,
            severity=Severity.SEDANG.value,
            lon=camera.lon,
            lat=camera.lat,
            source_type=SourceType.CAMERA.value,
            source_ref=camera.code,
        ),
        [(LinkType.CAMERA.value, camera.code)],
    )


def _from_alert(session: Session, actor: Actor, ref: str) -> Draft:
    alert = alerts.get_alert(session, ref, actor=actor)
    place = from_alerts.place_of(session, alert)
    lon, lat = place if place is not None else (None, None)
    return Draft(
        IncidentInput(
            title=alert.headline_id[:200],
            kind=from_alerts.kind_of(alert).value,
            severity=from_alerts.SEVERITY[alert.severity].value,
            lon=lon,
            lat=lat,
            description=alert.description_id,
            affected_kelurahan=list(alert.kelurahan_kodes or ()),
            source_type=SourceType.ALERT.value,
            source_ref=alert.identifier,
        ),
        from_alerts.alert_items(alert),
    )


def open_from_source(
    session: Session, *, actor: Actor, draft: Draft, now: datetime | None = None
) -> Incident:
    """Open the incident as the operator confirmed it and link its source items."""
    incident = open_incident(session, actor=actor, data=draft.data, now=now)
    links.link_all(session, actor=actor, incident=incident, items=draft.items, now=now)
    return incident
