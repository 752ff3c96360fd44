"""Device health: online, stale, offline from when a Thing last reported; battery and signal.

A Thing with an ``expected_interval_seconds`` is ONLINE while its last reading is at most two
intervals old, STALE after more than two, OFFLINE after more than six; a Thing without an
interval, or that never reported, is UNKNOWN. Ingest sets ``last_seen_at``; the worker job
``sensors.health`` (every 60 s) moves ``health`` on, stamps ``health_changed_at`` and emits
``sensors.device_health_changed`` (classification terbatas: operational detail for staff;
the public map reads the column). These changes are the machine noticing silence, not a
person changing state, so they write no audit entry (the audit log records people's actions).

Battery and signal travel in an observation's ``parameters``: ``battery`` in percent (0-100)
and ``rssi`` (or ``signal``) in dBm (-200…0); ingest passes them to ``update_device_vitals``.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.core.events import Event, emit
from pontive.core.timeutil import utcnow
from pontive.core.worker import Job, JobContext
from pontive.sensors.choices import DeviceHealth
from pontive.sensors.models import Thing

log = logging.getLogger(__name__)

DEVICE_HEALTH_CHANGED = "sensors.device_health_changed"
STALE_AFTER_INTERVALS = 2
OFFLINE_AFTER_INTERVALS = 6
BATTERY_KEYS = ("battery",)
SIGNAL_KEYS = ("rssi", "signal")
_THINGS = cast(Table, Thing.__table__)


def health_of(
    *, last_seen_at: datetime | None, expected_interval_seconds: int | None, now: datetime
) -> DeviceHealth:
    """The health of a device last seen at ``last_seen_at`` that should report every interval."""
    if not expected_interval_seconds or expected_interval_seconds <= 0 or last_seen_at is None:
        return DeviceHealth.UNKNOWN
    silence = now - last_seen_at
    interval = timedelta(seconds=expected_interval_seconds)
    if silence > interval * OFFLINE_AFTER_INTERVALS:
        return DeviceHealth.OFFLINE
    if silence > interval * STALE_AFTER_INTERVALS:
        return DeviceHealth.STALE
    return DeviceHealth.ONLINE


@dataclass(frozen=True, slots=True)
class HealthChange:
    """One Thing whose health moved."""

    thing_id: int
    name: str
    pd_kode: str | None
    old: DeviceHealth
    new: DeviceHealth
    last_seen_at: datetime | None


def refresh_health(*, session: Session, now: datetime | None = None) -> list[HealthChange]:
    """Recompute every Thing's health; store and announce the ones that changed."""
    now = now or utcnow()
    rows = session.execute(
        select(
            Thing.id,
            Thing.name,
            Thing.pd_kode,
            Thing.health,
            Thing.last_seen_at,
            Thing.expected_interval_seconds,
        ).order_by(Thing.id)
    )
    changes = []
    for thing_id, name, pd_kode, old, last_seen_at, interval in rows:
        new = health_of(last_seen_at=last_seen_at, expected_interval_seconds=interval, now=now)
        if new is not old:
            changes.append(HealthChange(thing_id, name, pd_kode, old, new, last_seen_at))
    if changes:
        _store(session, changes, now)
    return changes


def _store(session: Session, changes: list[HealthChange], now: datetime) -> None:
    session.execute(
        update(_THINGS)
        .where(_THINGS.c.id == bindparam("b_id"))
        # updated_at kept: the device's record did not change, only our view of it.
        .values(
            health=bindparam("b_health"),
            health_changed_at=now,
            updated_at=_THINGS.c.updated_at,
        ),
        [{"b_id": change.thing_id, "b_health": change.new} for change in changes],
    )
    for change in changes:
        emit(session, _event(change, now))


def _event(change: HealthChange, now: datetime) -> Event:
    data = {
        "thing": {"id": change.thing_id, "name": change.name},
        "old": change.old.value,
        "new": change.new.value,
        "last_seen_at": change.last_seen_at.isoformat() if change.last_seen_at else None,
        "time": now.isoformat(),
    }
    return Event(DEVICE_HEALTH_CHANGED, data, Classification.TERBATAS, pd_kode=change.pd_kode)


def refresh_health_job(context: JobContext) -> None:
    """Worker job: move device health on from the clock."""
    changes = refresh_health(session=context.session)
    if changes:
        log.info("device health changed", extra={"changed": len(changes)})


JOBS: tuple[Job, ...] = (Job("sensors.health", 60.0, refresh_health_job),)


@dataclass(frozen=True, slots=True)
class DeviceVitals:
    """Battery (percent) and signal strength (dBm) a device reported; ``None``: not given."""

    battery_percent: float | None
    signal_dbm: float | None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _first(
    parameters: Mapping[str, Any], keys: tuple[str, ...], low: float, high: float
) -> float | None:
    for key in keys:
        number = _number(parameters.get(key))
        if number is not None and low <= number <= high:
            return number
    return None


def vitals_from_parameters(parameters: Mapping[str, Any] | None) -> DeviceVitals | None:
    """Battery and signal from an observation's ``parameters`` (out-of-range values dropped)."""
    if not parameters:
        return None
    battery = _first(parameters, BATTERY_KEYS, 0.0, 100.0)
    signal = _first(parameters, SIGNAL_KEYS, -200.0, 0.0)
    if battery is None and signal is None:
        return None
    return DeviceVitals(battery, signal)


def update_device_vitals(
    *, session: Session, thing_id: int, parameters: Mapping[str, Any] | None
) -> bool:
    """Store the battery/signal carried by ``parameters`` on the Thing; whether any was found.

    Call once per Thing per batch with the newest observation's parameters.
    """
    vitals = vitals_from_parameters(parameters)
    if vitals is None:
        return False
    values: dict[str, Any] = {"updated_at": _THINGS.c.updated_at}
    if vitals.battery_percent is not None:
        values["battery_percent"] = vitals.battery_percent
    if vitals.signal_dbm is not None:
        values["signal_dbm"] = vitals.signal_dbm
    session.execute(update(_THINGS).where(_THINGS.c.id == thing_id).values(**values))
    return True


def health_summary(session: Session) -> dict[DeviceHealth, int]:
    """How many Things are in each health state (every state present, zero when none)."""
    counts = dict.fromkeys(DeviceHealth, 0)
    rows = session.execute(select(Thing.health, func.count()).group_by(Thing.health))
    for health, count in rows:
        counts[health] = count
    return counts
