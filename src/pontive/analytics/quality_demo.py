"""Demo of the quality part: realistic faults written into the sensors' demo history, then
the checks run over its last days, so the console and the station pages show flags. (No
out-of-range value: the demo keeps every reading physically plausible, as its own tests check;
the range check is shown by the evaluation.)

The simulator's history is clean. Like a gateway uploading a data logger's window again,
``sensors.service.replace_observations`` puts spoilt readings in place of clean ones:

- a Kapuas gauge stuck at one value for six hours (a fouled float);
- a spike on another gauge a few hours ago (a boat's wake on the sensor);
- a PM2.5 spike at an air station, big enough to have lifted its ISPU a category;
- a gauge drifting upward, 35 cm over three days, against its neighbours;
- a gauge silent for three hours (readings removed), besides the demo's silent devices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.analytics.quality_run import run_checks
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import Actor
from pontive.sensors import service as sensors
from pontive.sensors.choices import Quantity
from pontive.sensors.demo_stations import DEMO_KEY
from pontive.sensors.ingest import ObservationIn
from pontive.sensors.models import Datastream, Observation, Thing

CHECK_DAYS = 5  # the checks look this far back (the faults are within it)


@dataclass(frozen=True, slots=True)
class DemoFault:
    """One spoilt window: station, quantity, hours before the end, and what happens."""

    station: str
    quantity: Quantity
    from_hours: float
    to_hours: float
    spoil: Callable[[int, float, float], float | None]  # (index, value, first) → new or drop


def _stuck(_index: int, _value: float, first: float) -> float:
    return first


def _spike_water(index: int, value: float, _first: float) -> float:
    return round(value + 78.0, 1) if index == 0 else value


def _spike_air(index: int, value: float, _first: float) -> float:
    return round(value * 9.0 + 420.0, 1) if index == 0 else value


def _drop(_index: int, _value: float, _first: float) -> None:
    return None


def _drifting(total: int) -> Callable[[int, float, float], float]:
    def spoil(index: int, value: float, _first: float) -> float:
        return round(value + 35.0 * min(1.0, index / (0.66 * total)), 1)

    return spoil


FAULTS = (
    DemoFault("siantan-hilir", Quantity.WATER_LEVEL, 30.0, 24.0, _stuck),
    DemoFault("jembatan-kapuas-1", Quantity.WATER_LEVEL, 5.0, 4.8, _spike_water),
    DemoFault("udara-pontianak-kota", Quantity.PM25, 9.0, 8.8, _spike_air),
    DemoFault("kapuas-indah", Quantity.WATER_LEVEL, 52.0, 49.0, _drop),
)
DRIFT = ("batu-layang", Quantity.WATER_LEVEL, 72.0)


def _demo_streams(session: Session) -> dict[tuple[str, Quantity], int]:
    rows = session.execute(
        select(Thing.properties, Datastream.id, Datastream.quantity)
        .join(Datastream, Datastream.thing_id == Thing.id)
        .where(Datastream.derived_from_id.is_(None))
    )
    return {
        ((props or {}).get(DEMO_KEY, ""), quantity): stream_id
        for props, stream_id, quantity in rows
        if quantity is not None
    }


def _window(
    session: Session, stream_id: int, start: datetime, end: datetime
) -> list[tuple[datetime, datetime | None, float]]:
    rows = session.execute(
        select(
            Observation.phenomenon_time, Observation.phenomenon_time_end, Observation.result_number
        )
        .where(
            Observation.datastream_id == stream_id,
            Observation.phenomenon_time >= start,
            Observation.phenomenon_time <= end,
            Observation.result_number.is_not(None),
        )
        .order_by(Observation.phenomenon_time)
    )
    return [(t, t_end, float(v)) for t, t_end, v in rows if v is not None]


def _spoil(
    session: Session,
    actor: Actor,
    stream_id: int,
    window: tuple[datetime, datetime],
    spoil: Callable[[int, float, float], float | None],
) -> int:
    readings = _window(session, stream_id, *window)
    if not readings:
        return 0
    first = readings[0][2]
    items = []
    for index, (when, until, value) in enumerate(readings):
        new = spoil(index, value, first)
        if new is not None:
            items.append(ObservationIn(stream_id, when, until, new, until or when))
    sensors.replace_observations(
        session=session,
        actor=actor,
        datastream_id=stream_id,
        start=readings[0][0],
        end=readings[-1][0],
        items=items,
    )
    return len(readings)


def load(session: Session, actor: Actor) -> str:
    """Spoil the demo history as described above and run the checks; a short summary."""
    streams = _demo_streams(session)
    end = session.scalar(select(func.max(Thing.last_seen_at)))
    if not streams or end is None:
        return ""
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:  # spoilt demo history is not live news: nobody listens to this bus
        session.info[SESSION_BUS_KEY] = MemoryBus()
    try:
        for fault in FAULTS:
            window = (
                end - timedelta(hours=fault.from_hours),
                end - timedelta(hours=fault.to_hours),
            )
            _spoil(session, actor, streams[(fault.station, fault.quantity)], window, fault.spoil)
        station, quantity, hours = DRIFT
        drift_window = (end - timedelta(hours=hours), end)
        total = len(_window(session, streams[(station, quantity)], *drift_window))
        _spoil(session, actor, streams[(station, quantity)], drift_window, _drifting(total))
        session.commit()
        report = run_checks(session, actor=actor, since=end - timedelta(days=CHECK_DAYS))
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)
    kinds = ", ".join(f"{kind.value} {n}" for kind, n in sorted(report.created.items()))
    return f"{sum(report.created.values())} tanda kualitas data ({kinds})"
