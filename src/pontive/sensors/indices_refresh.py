"""The derived streams after their source observations were edited, moved or deleted.

Ingest feeds new observations to ``indices.on_observations``. Through SensorThings an
operator may also PATCH, PUT or DELETE observations, or delete a FeatureOfInterest with all
its observations (``sta_edit``, ``sta_delete``, which call ``sta_upkeep.observations_changed``).
This module makes the flood status and the ISPU true again for what they touched:

- flood status (one derived value per water-level reading): the derived rows in each touched
  15-minute bucket are deleted and computed again from the readings still there;
- ISPU (hourly, from averaging windows of up to ``MAX_AVERAGING_HOURS``): a source change at
  hour *t* moves the ISPU of hours *t* to *t* + reach - 1, so the station's ISPU rows of those
  hours are deleted and computed again (an hour left without data keeps no ISPU), with the
  rollups of the hours whose rows went.

The values are computed again before the derived stream's summary (latest value, periods)
is read again from its rows, so a recomputed newest value is compared with the one people
last saw and announced as ingest announces it (``sensors.flood_status_changed``,
``sensors.ispu_category_changed``); a status that falls back to an older value because the
newest reading was deleted is not announced (the next reading is).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, and_, delete, or_, select
from sqlalchemy.orm import Session

from pontive.core.timeutil import utcnow
from pontive.sensors import rollups
from pontive.sensors.choices import ISPU_POLLUTANTS, Quantity
from pontive.sensors.indices_cache import breakpoint_table, source_streams
from pontive.sensors.indices_flood import update_flood_status
from pontive.sensors.indices_ispu import hour_index, hour_start, update_ispu
from pontive.sensors.ispu import averaging_hours
from pontive.sensors.models import Datastream, Observation
from pontive.sensors.stream_summary import refresh_datastreams

_OBS = cast(Table, Observation.__table__)
_QUARTER = timedelta(minutes=15)
_HOUR = timedelta(hours=1)
_WINDOWS_PER_STATEMENT = 200


@dataclass(frozen=True, slots=True)
class _Reading:
    """A source observation as the index computations take it (``StoredLike``)."""

    id: int
    datastream_id: int
    phenomenon_time: datetime
    result: Any


def refresh_indices(session: Session, touched: Mapping[int, Sequence[datetime]]) -> None:
    """Recompute the flood status and ISPU fed by the numeric observations that changed at
    ``touched`` (datastream id → times, old and new)."""
    sources = source_streams(session)
    water = {s: list(t) for s, t in touched.items() if sources.get(s) is Quantity.WATER_LEVEL}
    air = {s: list(t) for s, t in touched.items() if sources.get(s) in ISPU_POLLUTANTS}
    if water:
        _refresh_flood(session, water)
    if air:
        _refresh_ispu(session, air)


def _windows(starts: Iterable[datetime], width: timedelta) -> list[tuple[datetime, datetime]]:
    """``[start, start + width)`` for each start, overlapping ones merged, in time order."""
    merged: list[tuple[datetime, datetime]] = []
    for start in sorted(set(starts)):
        end = start + width
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _within(windows: Sequence[tuple[datetime, datetime]]) -> Iterable[Any]:
    """Conditions for ``windows``, a bounded number of them each (SQLite limits how deep an
    expression may nest; a FeatureOfInterest's deletion may touch months of buckets)."""
    time = _OBS.c.phenomenon_time
    for first in range(0, len(windows), _WINDOWS_PER_STATEMENT):
        chunk = windows[first : first + _WINDOWS_PER_STATEMENT]
        yield or_(*(and_(time >= start, time < end) for start, end in chunk))


def _quarter(instant: datetime) -> datetime:
    return instant - timedelta(
        minutes=instant.minute % 15, seconds=instant.second, microseconds=instant.microsecond
    )


def _delete_rows(
    session: Session, stream_id: int, windows: Sequence[tuple[datetime, datetime]]
) -> list[datetime]:
    """Delete a derived stream's rows in ``windows``; the numeric ones' times (rollups)."""
    numeric: list[datetime] = []
    for within in _within(windows):
        condition = and_(_OBS.c.datastream_id == stream_id, within)
        numeric += session.scalars(
            select(_OBS.c.phenomenon_time).where(condition, _OBS.c.result_number.is_not(None))
        ).all()
        session.execute(delete(_OBS).where(condition))
    return numeric


def _refresh_flood(session: Session, water: Mapping[int, list[datetime]]) -> None:
    derived = session.execute(
        select(Datastream.id, Datastream.derived_from_id).where(
            Datastream.derived_from_id.in_(list(water)),
            Datastream.quantity == Quantity.FLOOD_STATUS,
        )
    ).all()
    if not derived:
        return
    readings: dict[int, list[_Reading]] = {}
    for status_id, source_id in cast(Sequence[tuple[int, int]], derived):
        windows = _windows((_quarter(t) for t in water[source_id]), _QUARTER)
        _delete_rows(session, status_id, windows)
        readings[source_id] = [
            _Reading(*row)
            for within in _within(windows)
            for row in session.execute(
                select(
                    _OBS.c.id, _OBS.c.datastream_id, _OBS.c.phenomenon_time, _OBS.c.result_number
                )
                .where(_OBS.c.datastream_id == source_id, _OBS.c.result_number.is_not(None), within)
                .order_by(_OBS.c.phenomenon_time, _OBS.c.id)
            )
        ]
    remaining = {source: rows for source, rows in readings.items() if rows}
    if remaining:
        # Before the summaries are read again: a recomputed newest status is compared with
        # the status people last saw, as at ingest.
        update_flood_status(session, remaining, now=utcnow())
    refresh_datastreams(session, [status_id for status_id, _ in derived])


def _refresh_ispu(session: Session, air: Mapping[int, list[datetime]]) -> None:
    things = dict(
        session.execute(
            select(Datastream.id, Datastream.thing_id).where(Datastream.id.in_(list(air)))
        ).all()
    )
    stations = session.execute(
        select(Datastream.id, Datastream.thing_id, Datastream.properties).where(
            Datastream.thing_id.in_(set(things.values())),
            Datastream.quantity == Quantity.ISPU,
            Datastream.derived_from_id.is_(None),
        )
    ).all()
    if not stations:
        return
    gone: dict[int, list[datetime]] = {}
    for ispu_id, thing_id, properties in stations:
        reach = max(averaging_hours(properties).values())
        hours = {
            hour_index(t)
            for source, times in air.items()
            if things[source] == thing_id
            for t in times
        }
        windows = _windows((hour_start(h) for h in hours), _HOUR * reach)
        gone[ispu_id] = _delete_rows(session, ispu_id, windows)
    rollups.update_rollups(session=session, touched={s: t for s, t in gone.items() if t})
    moved = {source: [_Reading(0, source, t, None) for t in times] for source, times in air.items()}
    update_ispu(session, moved, now=utcnow(), breakpoints=breakpoint_table(session))
    refresh_datastreams(session, list(gone))
