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
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, delete, or_, select
from sqlalchemy.orm import Session

from pontive.core.timeutil import utcnow
from pontive.sensors.choices import ISPU_POLLUTANTS, Quantity
from pontive.sensors.indices_cache import breakpoint_table, source_streams
from pontive.sensors.indices_flood import update_flood_status
from pontive.sensors.indices_ispu import update_ispu
from pontive.sensors.indices_quality import usable
from pontive.sensors.indices_types import StoredRow
from pontive.sensors.ispu import averaging_hours
from pontive.sensors.models import Datastream, Observation, from_micros, to_micros
from pontive.sensors.rollups import (
    FIFTEEN_MINUTES,
    HOUR,
    Interval,
    Span,
    merge_spans,
    update_rollups,
)
from pontive.sensors.stream_summary import refresh_datastreams

_OBS = cast(Table, Observation.__table__)
_SPANS_PER_STATEMENT = 200


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


def _spans(
    stream_id: int, times: Iterable[datetime], interval: Interval, count: int = 1
) -> list[Span]:
    """The rollup buckets of ``interval`` holding ``times`` and the ``count - 1`` after each,
    as contiguous spans (``rollups.merge_spans``)."""
    starts = {
        interval.floor_micros(to_micros(t)) + step * interval.width
        for t in times
        for step in range(count)
    }
    return merge_spans(stream_id, starts, interval)


def _within(spans: Sequence[Span]) -> Iterable[Any]:
    """Conditions for ``spans``, a bounded number of them each (SQLite limits how deep an
    expression may nest; a FeatureOfInterest's deletion may touch months of buckets)."""
    time = _OBS.c.phenomenon_time
    for first in range(0, len(spans), _SPANS_PER_STATEMENT):
        chunk = spans[first : first + _SPANS_PER_STATEMENT]
        yield or_(
            *(and_(time >= from_micros(span.start), time < from_micros(span.end)) for span in chunk)
        )


def _delete_rows(session: Session, stream_id: int, spans: Sequence[Span]) -> list[datetime]:
    """Delete a derived stream's rows in ``spans``; the numeric ones' times (rollups)."""
    numeric: list[datetime] = []
    for within in _within(spans):
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
    readings: dict[int, list[StoredRow]] = {}
    for status_id, source_id in cast(Sequence[tuple[int, int]], derived):
        spans = _spans(source_id, water[source_id], FIFTEEN_MINUTES)
        _delete_rows(session, status_id, spans)
        readings[source_id] = [
            StoredRow(*row)
            for within in _within(spans)
            for row in session.execute(
                select(
                    _OBS.c.id, _OBS.c.datastream_id, _OBS.c.phenomenon_time, _OBS.c.result_number
                )
                .where(
                    _OBS.c.datastream_id == source_id,
                    _OBS.c.result_number.is_not(None),
                    usable(_OBS.c.result_quality),  # flagged readings get no status
                    within,
                )
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
        times = [t for source, ts in air.items() if things[source] == thing_id for t in ts]
        gone[ispu_id] = _delete_rows(session, ispu_id, _spans(ispu_id, times, HOUR, reach))
    update_rollups(session=session, touched={s: t for s, t in gone.items() if t})
    moved = {
        source: [StoredRow(0, source, t, None) for t in times] for source, times in air.items()
    }
    update_ispu(session, moved, now=utcnow(), breakpoints=breakpoint_table(session))
    refresh_datastreams(session, list(gone))
