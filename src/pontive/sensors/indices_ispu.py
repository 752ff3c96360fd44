"""Derived ISPU observations: one per station and clock hour, from rolling hourly means.

An air station is a Thing with pollutant datastreams (PM10, PM2.5, SO2, CO, O3, NO2, HC) and
one ISPU datastream (``quantity = ispu``, same ``thing_id``, ``derived_from_id`` null: the
index draws on all of them). For each hour ``h`` that new data touches (and the later hours
whose window reaches back to it), each pollutant's concentration is the mean of its hourly
means over the averaging window ending with ``h`` (``ispu.averaging_hours``), converted to
µg/m³ from the stream's unit; the station ISPU follows ``ispu.station_ispu``. The observation's
phenomenon time is the hour ``[h, h+1h)``; it is updated while the hour's data grows, so the
current hour shows the latest estimate and a finished hour its final value (KLHK publishes
ISPU PM2.5 hourly). ``sensors.ispu_category_changed`` is emitted when the latest category
changes.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, cast, func, select, type_coerce
from sqlalchemy.orm import Session

from pontive.sensors.choices import ISPU_POLLUTANTS, Quantity
from pontive.sensors.indices_quality import usable
from pontive.sensors.indices_store import (
    DerivedStream,
    DerivedValue,
    derived_columns,
    derived_from_row,
    emit_change,
    write_derived,
)
from pontive.sensors.indices_types import StoredLike
from pontive.sensors.ispu import (
    BreakpointTable,
    IspuResult,
    averaging_hours,
    category_for,
    station_ispu,
    to_micrograms_factor,
    window_mean,
)
from pontive.sensors.models import Datastream, Observation, Thing, from_micros, to_micros
from pontive.sensors.rollups import update_rollups

log = logging.getLogger(__name__)

ISPU_CATEGORY_CHANGED = "sensors.ispu_category_changed"
_HOUR_US = 3_600_000_000


def hour_index(instant: datetime) -> int:
    """Whole hours since the Unix epoch of the clock hour holding ``instant``."""
    return to_micros(instant) // _HOUR_US


def hour_start(index: int) -> datetime:
    """The instant clock hour ``index`` begins (UTC)."""
    return from_micros(index * _HOUR_US)


@dataclass(frozen=True, slots=True)
class _Source:
    id: int
    quantity: Quantity
    factor: float  # to µg/m³


@dataclass(slots=True)
class _Station:
    stream: DerivedStream
    sources: list[_Source]
    touched_hours: set[int]


def _ispu_streams(session: Session, touched_ids: Sequence[int]) -> dict[int, _Station]:
    thing_ids = select(Datastream.thing_id).where(
        Datastream.id.in_(touched_ids), Datastream.quantity.in_(ISPU_POLLUTANTS)
    )
    streams = session.execute(
        select(*derived_columns(Datastream))
        .join(Thing, Thing.id == Datastream.thing_id)
        .where(
            Datastream.thing_id.in_(thing_ids),
            Datastream.quantity == Quantity.ISPU,
            Datastream.derived_from_id.is_(None),
        )
        # One per Thing; should there be two, the oldest (written last here) wins.
        .order_by(Datastream.id.desc())
    )
    return {row.thing_id: _Station(derived_from_row(row), [], set()) for row in streams}


def _stations(session: Session, touched: Mapping[int, Sequence[StoredLike]]) -> list[_Station]:
    stations = _ispu_streams(session, list(touched))
    sources = session.execute(
        select(
            Datastream.id, Datastream.thing_id, Datastream.quantity, Datastream.unit_of_measurement
        )
        .where(Datastream.thing_id.in_(list(stations)), Datastream.quantity.in_(ISPU_POLLUTANTS))
        .order_by(Datastream.id)
    )
    for stream_id, thing_id, quantity, unit in sources:
        factor = to_micrograms_factor(quantity, (unit or {}).get("symbol"))
        if factor is None:
            log.debug(
                "datastream %s: unit %r has no µg/m³ conversion; not in ISPU", stream_id, unit
            )
            continue
        station = stations[thing_id]
        station.sources.append(_Source(stream_id, quantity, factor))
        station.touched_hours |= {
            hour_index(obs.phenomenon_time) for obs in touched.get(stream_id, ())
        }
    return [station for station in stations.values() if station.touched_hours]


def _hour_bucket(session: Session) -> ColumnElement[int]:
    column = Observation.phenomenon_time
    if session.get_bind().dialect.name == "sqlite":  # integer microseconds (InstantColumn)
        return type_coerce(column, BigInteger) // _HOUR_US
    return cast(func.floor(func.extract("epoch", column) / 3600), BigInteger)


def hourly_means(
    session: Session, stream_ids: Sequence[int], first_hour: int, last_hour: int
) -> dict[int, dict[int, float]]:
    """Per stream, the mean per clock hour (``hour_index``) of its readings in
    ``first_hour … last_hour`` that count (no excluding quality flag)."""
    bucket = _hour_bucket(session).label("hour")
    rows = session.execute(
        select(Observation.datastream_id, bucket, func.avg(Observation.result_number))
        .where(
            Observation.datastream_id.in_(stream_ids),
            Observation.phenomenon_time >= hour_start(first_hour),
            Observation.phenomenon_time < hour_start(last_hour + 1),
            Observation.result_number.is_not(None),
            usable(Observation.result_quality),  # flagged spikes and stuck values do not count
        )
        .group_by(Observation.datastream_id, bucket)
    )
    means: dict[int, dict[int, float]] = defaultdict(dict)
    for stream_id, hour, mean in rows:
        means[stream_id][int(hour)] = float(mean)
    return means


def _parameters(result: IspuResult, windows: Mapping[Quantity, int]) -> dict[str, Any]:
    return {
        "category": result.category.value,
        "critical": result.critical.value,
        "sub_indices": {q.value: round(v, 1) for q, v in result.sub_indices.items()},
        "averaging_hours": {q.value: windows[q] for q in result.sub_indices},
        "above_scale": result.above_scale,
    }


def _evaluate(
    station: _Station,
    hourly: Mapping[int, Mapping[int, float]],
    breakpoints: BreakpointTable,
) -> list[DerivedValue]:
    windows = averaging_hours(station.stream.properties)
    reach = max(windows[source.quantity] for source in station.sources)
    data_hours = set().union(*(hourly.get(source.id, {}).keys() for source in station.sources))
    # An hour's window reaches back ``reach`` hours, so new data at hour t changes t … t+reach-1.
    affected = sorted(
        hour for hour in data_hours if any(t <= hour < t + reach for t in station.touched_hours)
    )
    values = []
    for hour in affected:
        concentrations: dict[Quantity, float] = {}
        for source in station.sources:
            window = windows[source.quantity]
            mean = window_mean(hourly.get(source.id, {}), end_hour=hour, window=window)
            if mean is not None:  # several streams of one pollutant: the highest counts
                value = mean * source.factor
                concentrations[source.quantity] = max(
                    value, concentrations.get(source.quantity, value)
                )
        result = station_ispu(concentrations, breakpoints)
        if result is not None:
            parameters = _parameters(result, windows)
            values.append(
                DerivedValue(hour_start(hour), hour_start(hour + 1), result.value, parameters)
            )
    return values


def update_ispu(
    session: Session,
    touched: Mapping[int, Sequence[StoredLike]],
    *,
    now: datetime,
    breakpoints: BreakpointTable,
) -> None:
    """Recompute the ISPU of the stations whose pollutant streams were touched; emit on change."""
    stations = [s for s in _stations(session, touched) if s.sources]
    if not stations:
        return
    reach = max(max(averaging_hours(s.stream.properties).values()) for s in stations)
    first = min(min(s.touched_hours) for s in stations) - reach + 1
    last = max(max(s.touched_hours) for s in stations) + reach - 1
    stream_ids = [source.id for s in stations for source in s.sources]
    hourly = hourly_means(session, stream_ids, first, last)
    rolled: dict[int, list[datetime]] = {}
    for station in stations:
        values = _evaluate(station, hourly, breakpoints)
        newest = write_derived(session, station.stream, values, now=now)
        _announce(session, station.stream, newest)
        if values:
            rolled[station.stream.id] = [value.phenomenon_time for value in values]
    # ISPU is numeric: its daily/weekly charts read rollups like any other stream.
    update_rollups(session=session, touched=rolled)


def _announce(session: Session, stream: DerivedStream, newest: DerivedValue | None) -> None:
    if newest is None:
        return
    last = stream.last_result
    old = category_for(last).value if isinstance(last, int | float) else None
    new = newest.parameters["category"]
    if old == new:
        return
    emit_change(
        session,
        ISPU_CATEGORY_CHANGED,
        stream,
        old=old,
        new=new,
        value=newest.result if isinstance(newest.result, int) else None,
        time=newest.phenomenon_time,
        critical=newest.parameters["critical"],
        above_scale=newest.parameters["above_scale"],
    )
