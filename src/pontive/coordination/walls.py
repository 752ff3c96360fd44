"""The situation room's walls: each wall's map layers, panels and view, and the snapshot a
wall page draws (and redraws when the event stream says something changed).

The snapshot is one JSON document: every layer's features as compact objects, the key
figures (open reports by urgency, overdue SLAs, stations in Siaga/Awas, the worst ISPU,
cameras offline, open incidents and overdue tasks) and the latest events for the ticker. It
is read from the other domains through their services; reports appear by tracking number,
category and status only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import service as alerts
from pontive.alerts.situation import read_situation
from pontive.cctv import service as cctv
from pontive.cctv.choices import CameraStatus, Health
from pontive.complaints import service as complaints
from pontive.coordination import tasks
from pontive.coordination.choices import (
    OPEN_INCIDENT_STATUSES,
    IncidentStatus,
    WallLayer,
    WallPanel,
)
from pontive.coordination.models import Incident, IncidentEntry, Wall
from pontive.coordination.service import MANAGE_WALLS, VIEW_WALL
from pontive.core import audit, permissions
from pontive.core.choices import Classification
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.events import Event, emit
from pontive.core.identity import Actor, system_actor
from pontive.core.timeutil import utcnow
from pontive.sensors import service as sensors
from pontive.sensors.choices import FloodStatus, IspuCategory
from pontive.sensors.page_views import Station

SEED_ACTOR = system_actor("seed")
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}$")
TICKER_HOURS = 12
TICKER_ITEMS = 30
URGENCY_COLOURS = {
    "lewat_tenggat": "#b3261e",
    "jatuh_tempo": "#c43e00",
    "dalam_tenggat": "#1d6fa5",
    "belum_diverifikasi": "#8a4fff",
}
DEFAULT_WALL = {
    "code": "utama",
    "name": "Dinding utama Pontive Center",
    "layers": [layer.value for layer in WallLayer],
    "panels": [panel.value for panel in WallPanel],
}


@dataclass(slots=True)
class WallInput:
    """A wall's settings as typed."""

    code: str
    name: str
    layers: list[str]
    panels: list[str]
    center_lon: float | None = None
    center_lat: float | None = None
    zoom: int | None = None
    complaint_days: int = 7


def list_walls(session: Session, *, actor: Actor) -> list[Wall]:
    """Every wall, by name."""
    permissions.require(actor, VIEW_WALL)
    return list(session.scalars(select(Wall).order_by(Wall.name)))


def get_wall(session: Session, *, actor: Actor, code: str) -> Wall:
    """One wall by code, or NotFound."""
    permissions.require(actor, VIEW_WALL)
    wall = session.scalar(select(Wall).where(Wall.code == code))
    if wall is None:
        raise NotFound("Dinding tidak ditemukan.", "Wall not found.")
    return wall


def wall_state(wall: Wall) -> dict[str, Any]:
    """What the audit trail records of a wall."""
    return {
        "code": wall.code,
        "name": wall.name,
        "layers": list(wall.layers),
        "panels": list(wall.panels),
        "center": [wall.center_lon, wall.center_lat],
        "zoom": wall.zoom,
        "complaint_days": wall.complaint_days,
    }


def _apply(wall: Wall, data: WallInput, actor: Actor) -> None:
    errors: dict[str, list[str]] = {}
    name = " ".join(data.name.split())
    if not 3 <= len(name) <= 120:
        errors["name"] = ["Nama dinding 3 sampai 120 huruf."]
    layers = [v for v in dict.fromkeys(data.layers) if v in {layer.value for layer in WallLayer}]
    if len(layers) != len(set(data.layers)):
        errors["layers"] = ["Lapisan peta tidak dikenal."]
    panels = [v for v in dict.fromkeys(data.panels) if v in {panel.value for panel in WallPanel}]
    if len(panels) != len(set(data.panels)):
        errors["panels"] = ["Panel tidak dikenal."]
    if (data.center_lon is None) != (data.center_lat is None):
        errors["center"] = ["Isi bujur dan lintang pusat peta, atau kosongkan keduanya."]
    elif (
        data.center_lon is not None
        and data.center_lat is not None
        and not (-180 <= data.center_lon <= 180 and -90 <= data.center_lat <= 90)
    ):
        errors["center"] = ["Koordinat pusat peta tidak valid."]
    if data.zoom is not None and not 10 <= data.zoom <= 19:
        errors["zoom"] = ["Tingkat zoom 10 sampai 19."]
    if not 1 <= data.complaint_days <= 90:
        errors["complaint_days"] = ["Laporan warga 1 sampai 90 hari terakhir."]
    if errors:
        raise InvalidInput(
            "Pengaturan dinding tidak valid.", "Invalid wall settings.", errors=errors
        )
    wall.name, wall.layers, wall.panels = name, layers, panels
    wall.center_lon, wall.center_lat, wall.zoom = data.center_lon, data.center_lat, data.zoom
    wall.complaint_days = data.complaint_days
    wall.updated_by, wall.updated_at = actor.label, utcnow()


def save_wall(session: Session, *, actor: Actor, data: WallInput, wall: Wall | None = None) -> Wall:
    """Create a wall (``wall=None``) or change one's layers, panels and view."""
    permissions.require(actor, MANAGE_WALLS)
    before = wall_state(wall) if wall is not None else None
    if wall is None:
        code = data.code.strip().lower()
        if not CODE_PATTERN.match(code):
            raise InvalidInput(
                errors={"code": ["Kode 2 sampai 39 huruf kecil, angka atau tanda hubung."]}
            )
        if session.scalar(select(Wall.id).where(Wall.code == code)) is not None:
            raise Conflict("Kode dinding sudah dipakai.", "That wall code is taken.")
        wall = Wall(code=code)
        session.add(wall)
    _apply(wall, data, actor)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="coordination.wall.saved",
        object_type="coord_wall",
        object_id=wall.code,
        before=before,
        after=wall_state(wall),
    )
    # An open wall screen reloads itself with its new layers and panels.
    saved = {"code": wall.code, "name": wall.name}
    emit(session, Event("coordination.wall.saved", saved, Classification.TERBATAS))
    return wall


def seed_default_wall(session: Session) -> int:
    """The main wall, with every layer and panel, when there is no wall yet."""
    if session.scalar(select(Wall.id).limit(1)) is not None:
        return 0
    wall = Wall(**DEFAULT_WALL, updated_by=SEED_ACTOR.label)
    session.add(wall)
    return 1


# --- the snapshot --------------------------------------------------------------------------


def snapshot(
    session: Session, *, actor: Actor, wall: Wall, now: datetime | None = None, lang: str = "id"
) -> dict[str, Any]:
    """Everything ``wall`` shows, now, its words in ``lang`` (``id`` or ``en``)."""
    permissions.require(actor, VIEW_WALL)
    now = now or utcnow()
    layers = set(wall.layers)
    stations = sensors.station_summaries(session)
    cameras = cctv.list_registry(session, actor=actor, status=CameraStatus.AKTIF)
    situation = read_situation(session, now)
    incidents = list(
        session.scalars(select(Incident).where(Incident.status.in_(sorted(OPEN_INCIDENT_STATUSES))))
    )
    body: dict[str, Any] = {
        "wall": {
            "code": wall.code,
            "name": wall.name,
            "layers": list(wall.layers),
            "panels": list(wall.panels),
            "center": [wall.center_lat, wall.center_lon] if wall.center_lat is not None else None,
            "zoom": wall.zoom,
        },
        "at": now.isoformat(),
        "layers": {},
    }
    out: dict[str, list[dict[str, Any]]] = body["layers"]
    if WallLayer.INCIDENTS in layers:
        out["incidents"] = [_incident_feature(i, lang) for i in incidents]
    if WallLayer.COMPLAINTS in layers:
        out["complaints"] = [
            {
                "ref": p.tracking_number,
                "lon": p.lon,
                "lat": p.lat,
                "label": p.category_name,
                "status": p.status.label(lang),
                "urgency": p.urgency,
                "colour": URGENCY_COLOURS[p.urgency],
            }
            for p in complaints.open_points(session, days=wall.complaint_days, lang=lang)
        ]
    if WallLayer.SENSORS in layers:
        out["sensors"] = [_station_feature(s, lang) for s in stations if s.lon is not None]
    if WallLayer.CAMERAS in layers:
        out["cameras"] = [
            {
                "ref": c.code,
                "lon": c.lon,
                "lat": c.lat,
                "label": c.name,
                "state": c.health.label(lang),
                "colour": c.health.meta.colour,
            }
            for c in cameras
        ]
    if WallLayer.ALERTS in layers:
        out["alerts"] = [
            {
                "ref": a.identifier,
                "label": a.headline_en if lang == "en" else a.headline_id,
                "severity": a.severity.label(lang),
                "colour": a.severity.meta.colour,
                "kelurahan": list(a.kelurahan_kodes or ()),
            }
            for a in situation.alerts
        ]
    if WallLayer.MODES in layers:
        out["modes"] = [
            {
                "kecamatan": k.kode,
                "label": k.name,
                "mode": k.mode.value,
                "state": k.mode.label(lang),
                "colour": k.mode.meta.colour,
            }
            for k in situation.kecamatan
        ]
    body["numbers"] = _numbers(session, stations, cameras, incidents, lang)
    body["incidents"] = [_incident_feature(i, lang) for i in _worst_first(incidents)[:8]]
    body["cameras_offline"] = [
        {"ref": c.code, "label": c.name} for c in cameras if c.health is Health.OFFLINE
    ][:12]
    body["ticker"] = ticker(session, now=now, lang=lang)
    body["mode"] = {
        "value": situation.status.mode.value,
        "label": situation.status.mode.label(lang),
        "colour": situation.status.mode.meta.colour,
    }
    return body


def _worst_first(incidents: list[Incident]) -> list[Incident]:
    return sorted(incidents, key=lambda i: (-i.severity.rank, i.opened_at), reverse=False)


def _incident_feature(incident: Incident, lang: str) -> dict[str, Any]:
    return {
        "ref": incident.code,
        "lon": incident.lon,
        "lat": incident.lat,
        "label": incident.title,
        "kind": incident.kind.label(lang),
        "severity": incident.severity.value,
        "status": incident.status.value,
        "state": f"{incident.severity.label(lang)} · {incident.status.label(lang)}",
        "colour": incident.severity.meta.colour,
        "opened_at": incident.opened_at.isoformat(),
    }


def _station_feature(station: Station, lang: str) -> dict[str, Any]:
    state, colour = station.health.label(lang), station.health.meta.colour
    if station.is_offline:
        state, colour = ("Offline" if lang == "en" else "Tidak aktif"), "#5b6b7a"
    elif station.flood is not None and station.flood.status is not None:
        state = f"{'Flood' if lang == 'en' else 'Banjir'}: {station.flood.status.label(lang)}"
        colour = station.flood.status.meta.colour
    elif station.ispu is not None:
        state = f"ISPU {station.ispu.value} ({station.ispu.category.label(lang)})"
        colour = station.ispu.category.meta.colour
    return {
        "ref": str(station.id),
        "lon": station.lon,
        "lat": station.lat,
        "label": station.name,
        "state": state,
        "colour": colour,
    }


def _numbers(
    session: Session,
    stations: list[Station],
    cameras: list[Any],
    incidents: list[Incident],
    lang: str,
) -> dict[str, Any]:
    urgency = complaints.open_by_urgency(session)
    live = [s for s in stations if not s.is_offline]
    flood = [s.flood.status for s in live if s.flood is not None and s.flood.status is not None]
    air = [s.ispu for s in live if s.ispu is not None]
    worst = max(air, key=lambda view: view.value, default=None)
    return {
        "reports_open": sum(urgency.values()),
        "reports_by_urgency": urgency,
        "sla_overdue": urgency["lewat_tenggat"],
        "stations_siaga": sum(1 for status in flood if status is FloodStatus.SIAGA),
        "stations_awas": sum(1 for status in flood if status is FloodStatus.AWAS),
        "ispu": None
        if worst is None
        else {
            "value": worst.value,
            "category": worst.category.value,
            "label": worst.category.label(lang),
            "colour": worst.category.meta.colour,
            "unhealthy": worst.category
            in (
                IspuCategory.TIDAK_SEHAT,
                IspuCategory.SANGAT_TIDAK_SEHAT,
                IspuCategory.BERBAHAYA,
            ),
        },
        "cameras_offline": sum(1 for c in cameras if c.health is Health.OFFLINE),
        "cameras_total": len(cameras),
        "incidents_open": len(incidents),
        "incidents_critical": sum(1 for i in incidents if i.severity.rank >= 2),
        "tasks_open": tasks.open_count(session),
        "tasks_overdue": tasks.overdue_count(session),
    }


def ticker(session: Session, *, now: datetime, lang: str = "id") -> list[dict[str, Any]]:
    """The latest events, newest first: incident timelines, alerts and new reports."""
    since = now - timedelta(hours=TICKER_HOURS)
    items: list[dict[str, Any]] = []
    rows = session.execute(
        select(IncidentEntry, Incident.code, Incident.status)
        .join(Incident, Incident.id == IncidentEntry.incident_id)
        .where(IncidentEntry.at >= since)
        .order_by(IncidentEntry.at.desc())
        .limit(TICKER_ITEMS)
    ).all()
    for entry, code, status in rows:
        items.append(
            {
                "at": entry.at.isoformat(),
                "kind": "incident",
                "text": f"{code} · {entry.kind.label(lang)}: {entry.text[:160]}".rstrip(": "),
                "colour": entry.kind.meta.colour
                if status is not IncidentStatus.SELESAI
                else "#2e7d32",
            }
        )
    for alert in alerts.active_alerts(session, now=now)[:10]:
        if alert.sent_at is not None and alert.sent_at >= since:
            items.append(
                {
                    "at": alert.sent_at.isoformat(),
                    "kind": "alert",
                    "text": f"{'Alert' if lang == 'en' else 'Peringatan'} "
                    f"{alert.severity.label(lang)}: "
                    + (alert.headline_en if lang == "en" else alert.headline_id),
                    "colour": alert.severity.meta.colour,
                }
            )
    for point in complaints.open_points(session, days=1, limit=10, lang=lang):
        items.append(
            {
                "at": point.created_at.isoformat(),
                "kind": "complaint",
                "text": f"{'Report' if lang == 'en' else 'Laporan'} {point.tracking_number}: "
                + point.category_name,
                "colour": URGENCY_COLOURS[point.urgency],
            }
        )
    items.sort(key=lambda item: str(item["at"]), reverse=True)
    return items[:TICKER_ITEMS]
