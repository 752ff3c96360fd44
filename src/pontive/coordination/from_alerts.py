"""Incidents opened from alerts: by an operator in one click, or by the worker for every
published, real (CAP status Actual) alert at or above ``PONTIVE_COORDINATION_AUTO_SEVERITY``
that touches the city and has no incident yet.

The incident takes the alert's kind, severity and area; it is placed at the station that
fired the rule when there is one, or at the centre of the first kelurahan of the alert's
area. The alert (and that station) are linked, so an alert thread opens one incident only:
its updates find the incident through the link to the first message.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import service as alerts
from pontive.alerts.choices import AlertState, CapStatus, MsgType
from pontive.alerts.choices import Severity as CapSeverity
from pontive.alerts.models import Alert
from pontive.coordination import links
from pontive.coordination.choices import IncidentKind, LinkType, Severity, SourceType
from pontive.coordination.models import Incident, IncidentLink
from pontive.coordination.service import IncidentInput, open_incident
from pontive.core.identity import Actor, system_actor
from pontive.reference import service as reference
from pontive.sensors import service as sensors

log = logging.getLogger(__name__)

AUTO_ACTOR = system_actor("coordination")
SEVERITY = {
    CapSeverity.EXTREME: Severity.KRITIS,
    CapSeverity.SEVERE: Severity.TINGGI,
    CapSeverity.MODERATE: Severity.SEDANG,
    CapSeverity.MINOR: Severity.RENDAH,
    CapSeverity.UNKNOWN: Severity.SEDANG,
}
CAP_ORDER = [CapSeverity.MINOR, CapSeverity.MODERATE, CapSeverity.SEVERE, CapSeverity.EXTREME]
# Words of an alert's event name, and the incident kind each means (first match wins).
KIND_WORDS = (
    (("banjir", "rob", "genangan", "pasang", "muka air", "flood"), IncidentKind.BANJIR),
    (("asap", "ispu", "udara", "haze", "pm2.5", "pm10"), IncidentKind.KABUT_ASAP),
    (("kebakaran", "api", "fire"), IncidentKind.KEBAKARAN),
    (("pohon", "angin", "puting beliung", "wind"), IncidentKind.POHON_TUMBANG),
    (("penyakit", "wabah", "kesehatan", "health"), IncidentKind.KESEHATAN),
)


def kind_of(alert: Alert) -> IncidentKind:
    """The incident kind an alert's event name points to."""
    words = f"{alert.event_id} {alert.event_en} {alert.headline_id}".lower()
    for keys, kind in KIND_WORDS:
        if any(key in words for key in keys):
            return kind
    return IncidentKind.LAINNYA


def incident_of_alert(session: Session, alert: Alert) -> Incident | None:
    """The incident already linked to this alert's thread, if any."""
    thread = [message.identifier for message in alerts.thread(session, alert)] or [alert.identifier]
    link = session.scalar(
        select(IncidentLink).where(
            IncidentLink.item_type == LinkType.ALERT, IncidentLink.item_ref.in_(thread)
        )
    )
    return session.get(Incident, link.incident_id) if link is not None else None


def _station_id(alert: Alert) -> int | None:
    subject = alert.subject or ""
    parts = subject.split(":")
    if len(parts) >= 2 and parts[0] == "thing" and parts[1].isdigit():
        return int(parts[1])
    return None


def place_of(session: Session, alert: Alert) -> tuple[float, float] | None:
    """Where to put the incident: the firing station, else the first kelurahan's centre."""
    station_id = _station_id(alert)
    if station_id is not None:
        station = sensors.station_summary(session, station_id)
        if station is not None and station.lon is not None and station.lat is not None:
            return station.lon, station.lat
    centres = {
        k.kode: (k.centroid_lon, k.centroid_lat)
        for kec in reference.list_kecamatan(session=session)
        for k in kec.kelurahan
    }
    for kode in alert.kelurahan_kodes or ():
        lon, lat = centres.get(kode, (None, None))
        if lon is not None and lat is not None:
            return lon, lat
    return None


def open_from_alert(
    session: Session,
    *,
    actor: Actor,
    alert: Alert,
    lead_pd_kode: str | None = None,
    agencies: tuple[str, ...] = (),
    now: datetime | None = None,
) -> Incident | None:
    """The incident of ``alert`` (opened now unless its thread has one); ``None`` when the
    alert names no place in the city."""
    existing = incident_of_alert(session, alert)
    if existing is not None:
        return existing
    place = place_of(session, alert)
    if place is None:
        return None
    lon, lat = place
    incident = open_incident(
        session,
        actor=actor,
        data=IncidentInput(
            title=alert.headline_id[:200],
            kind=kind_of(alert).value,
            severity=SEVERITY[alert.severity].value,
            lon=lon,
            lat=lat,
            description=alert.description_id,
            affected_kelurahan=list(alert.kelurahan_kodes or ()),
            lead_pd_kode=lead_pd_kode,
            agencies=agencies,
            source_type=SourceType.ALERT.value,
            source_ref=alert.identifier,
        ),
        now=now,
    )
    links.link_all(session, actor=actor, incident=incident, items=alert_items(alert), now=now)
    return incident


def alert_items(alert: Alert) -> list[tuple[str, str]]:
    """What an incident opened from ``alert`` links: the alert and its firing station."""
    items = [(LinkType.ALERT.value, alert.identifier)]
    station_id = _station_id(alert)
    if station_id is not None:
        items.append((LinkType.STATION.value, str(station_id)))
    return items


def open_for_alerts(
    session: Session, *, minimum: CapSeverity, now: datetime | None = None
) -> list[Incident]:
    """Open an incident for each active real alert at or above ``minimum`` that has none."""
    wanted = set(CAP_ORDER[CAP_ORDER.index(minimum) :])
    opened = []
    for alert in alerts.active_alerts(session, now=now):
        if (
            alert.state is not AlertState.PUBLISHED
            or alert.cap_status is not CapStatus.ACTUAL
            or alert.msg_type is MsgType.CANCEL
            or alert.severity not in wanted
            or incident_of_alert(session, alert) is not None
        ):
            continue
        incident = open_from_alert(session, actor=AUTO_ACTOR, alert=alert, now=now)
        if incident is not None:
            log.info(
                "incident opened from alert",
                extra={"incident": incident.code, "alert": alert.identifier},
            )
            opened.append(incident)
    return opened
