"""Coordination API shapes of what is watched, not changed: the situation room's walls with
their snapshot, and the executive figures for the mayor and the council.

The snapshot's layers are drawn by the wall page as they come (each feature a small object with
``ref``, ``label``, ``colour`` and, for points, ``lon``/``lat``); they are typed loosely here so
the wall can grow a layer without a new API version. Times are ISO 8601 UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from pontive.alerts.choices import OperatingMode
from pontive.coordination.choices import IncidentStatus
from pontive.coordination.schemas import IncidentSeverity


class WallRead(BaseModel):
    """One screen of the situation room: its layers, panels and view."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    layers: list[str]
    panels: list[str]
    center_lon: float | None
    center_lat: float | None
    zoom: int | None
    complaint_days: int
    updated_at: datetime


class WallSettingsRead(BaseModel):
    """The wall's settings as its snapshot carries them (``center`` is ``[lat, lon]``)."""

    code: str
    name: str
    layers: list[str]
    panels: list[str]
    center: list[float] | None
    zoom: int | None


class WallModeRead(BaseModel):
    """The city's operating mode, labelled and coloured."""

    value: OperatingMode
    label: str
    colour: str


class TickerItemRead(BaseModel):
    """One line of the wall's running ticker."""

    at: datetime
    kind: str  # incident, alert, complaint
    text: str
    colour: str


class WallSnapshotRead(BaseModel):
    """Everything a wall shows now: features by layer, key figures, lists and the ticker."""

    wall: WallSettingsRead
    at: datetime
    layers: dict[str, list[dict[str, Any]]]
    numbers: dict[str, Any]
    incidents: list[dict[str, Any]]
    cameras_offline: list[dict[str, str]]
    ticker: list[TickerItemRead]
    mode: WallModeRead


class ExecutiveIncidentRead(BaseModel):
    """An open incident in the executive figures."""

    code: str
    title: str
    severity: IncidentSeverity
    status: IncidentStatus
    opened_at: datetime


class ExecutiveDayRead(BaseModel):
    """One day (WIB) of the week's trends."""

    day: date
    reports_received: int
    reports_fixed: int
    incidents_opened: int
    incidents_closed: int


class ExecutiveAgencyRead(BaseModel):
    """One Perangkat Daerah's record over the last 30 days (rates null: too few to say)."""

    pd_kode: str
    name: str
    reports_open: int
    sla_rate: float | None
    tasks_due: int
    task_rate: float | None
    tasks_open: int
    tasks_overdue: int


class ExecutiveRead(BaseModel):
    """Today's situation, this week's trends and the agencies' performance."""

    at: datetime
    mode: OperatingMode
    alerts_active: int
    incidents_open: list[ExecutiveIncidentRead]
    reports_by_urgency: dict[str, int]
    stations_siaga: int
    stations_awas: int
    city_sla_rate: float | None
    week: list[ExecutiveDayRead]
    agencies: list[ExecutiveAgencyRead]
