"""The incident console's forms: what was typed read into the services' inputs, what to show
again after a refusal, and the choices the forms offer.

The location is typed as latitude and longitude (the map only fills those two fields in, so
the form works without JavaScript); a comma is accepted as the decimal sign, as Indonesian
keyboards type it. Kelurahan and agencies are lists of checkboxes.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pontive.coordination.choices import IncidentKind, Severity, TaskPriority
from pontive.coordination.console_support import parse_local_time, text, typed
from pontive.coordination.models import Incident
from pontive.coordination.service import IncidentInput
from pontive.coordination.tasks import TaskInput
from pontive.reference import service as reference
from pontive.web.i18n import translate

MULTI_FIELDS = ("affected_kelurahan", "agencies")
# What a new task's due time is suggested as, from now.
TASK_DUE_HOURS = 4
Errors = dict[str, list[str]]


def coordinate(raw: str) -> float | None:
    """A typed coordinate (``-0,0391`` or ``-0.0391``), None when blank or not a number."""
    try:
        value = float(raw.strip().replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def chosen(form: FormData, name: str) -> list[str]:
    """The ticked values of a list of checkboxes."""
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def form_values(form: FormData) -> dict[str, Any]:
    """What was typed, to show again with the errors (lists for the checkbox fields)."""
    values: dict[str, Any] = dict(typed(form))
    for name in MULTI_FIELDS:
        values[name] = chosen(form, name)
    return values


def parse_incident(form: FormData, lang: str) -> IncidentInput:
    """The incident form as the service's input; a coordinate that is not a number is an
    error of its field, reported with the service's own findings."""
    lon_raw, lat_raw = text(form, "lon"), text(form, "lat")
    lon, lat = coordinate(lon_raw), coordinate(lat_raw)
    extra: Errors = {}
    for name, raw, value in (("lat", lat_raw, lat), ("lon", lon_raw, lon)):
        if raw and value is None:
            extra[name] = [translate(f"coord.inc.err.{name}", lang)]
    return IncidentInput(
        title=text(form, "title"),
        kind=text(form, "kind"),
        severity=text(form, "severity"),
        lon=lon,
        lat=lat,
        description=text(form, "description"),
        affected_kelurahan=chosen(form, "affected_kelurahan"),
        lead_pd_kode=text(form, "lead_pd_kode") or None,
        agencies=chosen(form, "agencies"),
        extra_errors=extra,
    )


def _coordinate_text(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"


def input_values(data: IncidentInput) -> dict[str, Any]:
    """The form's values from a draft (an incident prefilled from its source)."""
    return {
        "title": data.title,
        "kind": data.kind,
        "severity": data.severity,
        "description": data.description,
        "lon": _coordinate_text(data.lon),
        "lat": _coordinate_text(data.lat),
        "affected_kelurahan": list(data.affected_kelurahan),
        "lead_pd_kode": data.lead_pd_kode or "",
        "agencies": list(data.agencies),
    }


def incident_values(incident: Incident) -> dict[str, Any]:
    """The edit form's values: the incident as it is."""
    return {
        "title": incident.title,
        "kind": incident.kind.value,
        "severity": incident.severity.value,
        "description": incident.description,
        "lon": _coordinate_text(incident.lon),
        "lat": _coordinate_text(incident.lat),
        "affected_kelurahan": list(incident.affected_kelurahan or ()),
        "lead_pd_kode": incident.lead_pd_kode or "",
        "agencies": incident.agency_codes,
    }


NEW_VALUES: dict[str, Any] = {
    "kind": IncidentKind.BANJIR.value,
    "severity": Severity.SEDANG.value,
    "affected_kelurahan": [],
    "agencies": [],
}


def form_options(session: Session, lang: str) -> dict[str, Any]:
    """The choices of the incident and task forms."""
    kelurahan = sorted(
        (
            (k.kode, f"{k.nama_umum} ({kec.nama_umum})")
            for kec in reference.list_kecamatan(session=session)
            for k in kec.kelurahan
        ),
        key=lambda pair: pair[1],
    )
    agencies = reference.list_perangkat_daerah(session=session)
    pds = [
        (pd.kode, pd.singkatan if pd.singkatan == pd.nama else f"{pd.singkatan} · {pd.nama}")
        for pd in agencies
    ]
    return {
        "kinds": IncidentKind.options(lang),
        "severities": Severity.options(lang),
        "priorities": TaskPriority.options(lang),
        "kelurahan_options": kelurahan,
        "pd_options": pds,
        # Abbreviations alone where many are listed side by side (checkboxes).
        "pd_short": sorted(((pd.kode, pd.singkatan) for pd in agencies), key=lambda p: p[1]),
    }


def parse_task(form: FormData, zone: ZoneInfo, lang: str) -> tuple[TaskInput, Errors]:
    """The task form as the service's input, and any due time that could not be read."""
    errors: Errors = {}
    due_at: datetime | None = None
    raw_due = text(form, "due_at")
    if raw_due:
        try:
            due_at = parse_local_time(raw_due, zone)
        except ValueError:
            errors["due_at"] = [translate("coord.task.err.due", lang)]
    assignee = text(form, "assignee_id")
    data = TaskInput(
        title=text(form, "title"),
        pd_kode=text(form, "pd_kode"),
        priority=text(form, "priority") or TaskPriority.NORMAL.value,
        due_at=due_at,
        description=text(form, "description"),
        assignee_id=int(assignee) if assignee.isdigit() else None,
    )
    return data, errors


def new_task_values(incident: Incident, now: datetime, zone: ZoneInfo) -> dict[str, str]:
    """A new task's suggested values: for the lead agency, normal priority, due in hours."""
    due = (now + timedelta(hours=TASK_DUE_HOURS)).astimezone(zone)
    return {
        "pd_kode": incident.lead_pd_kode or "",
        "priority": TaskPriority.NORMAL.value,
        "due_at": due.strftime("%Y-%m-%dT%H:%M"),
    }
