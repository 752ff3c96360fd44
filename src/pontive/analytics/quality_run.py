"""One run of the data-quality checks over the stored observations (the job
``analytics.quality`` every five minutes, ``pontive analytics quality check``).

Which data: the observations with an id above each stream's watermark (``QualityWatermark``;
late arrivals too), read with ``OVERLAP`` of history before the first new one so that spikes
have neighbours and stuck runs and gaps join the flags already raised; readings in the first
half of that overlap are only context. Streams never checked start ``FIRST_LOOK`` back.
Drift is judged once per whole hour from hourly means of the readings not already flagged
(``sensors.service.hourly_means``), over the last ``DRIFT_RELOOK_HOURS`` each time so that a
drift builds up its persistence across runs.

Everything is idempotent: the same data gives the same findings, which match the flags
already stored (``quality_store``); a second run adds and marks nothing.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.analytics.quality_checks import (
    HOUR,
    Finding,
    Reading,
    find_drift,
    find_gaps,
    find_range,
    find_spikes,
    find_stuck,
    hourly_differences,
)
from pontive.analytics.quality_choices import FlagKind
from pontive.analytics.quality_models import QualityWatermark
from pontive.analytics.quality_params import CHECKED, QualityParams, canonical_factor, params_for
from pontive.analytics.quality_store import FlagWriter
from pontive.core.geo import haversine_m
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.sensors import service as sensors
from pontive.sensors.choices import Quantity
from pontive.sensors.models import Datastream, Location, Observation, Thing, thing_locations

OVERLAP = timedelta(hours=12)
FIRST_LOOK = timedelta(days=3)
DRIFT_RELOOK_HOURS = 48


@dataclass(frozen=True, slots=True)
class CheckedStream:
    """A numeric source stream the checks look at, with what they need to know of it."""

    id: int
    thing_id: int
    quantity: Quantity
    factor: float  # to the canonical unit
    params: QualityParams
    expected: float | None  # the Thing's reporting interval, seconds
    last_time: datetime | None
    lon: float | None
    lat: float | None


@dataclass
class RunReport:
    """What one run looked at and found."""

    streams: int = 0
    readings: int = 0
    created: dict[FlagKind, int] = field(default_factory=dict)
    extended: int = 0

    def summary(self) -> str:
        """One line for logs and the CLI."""
        found = ", ".join(f"{kind.value} {n}" for kind, n in sorted(self.created.items()))
        return (
            f"{self.streams} streams, {self.readings} readings checked; new flags: "
            f"{found or 'none'}; {self.extended} extended"
        )


def _usable_params(quantity: Quantity, factor: float | None, properties: object) -> QualityParams:
    params = params_for(quantity, properties if isinstance(properties, dict) else None)
    if factor is not None:
        return params
    # Unknown unit: the thresholds in canonical units mean nothing; robust scores only.
    return dataclasses.replace(
        params,
        range_min=-math.inf,
        range_max=math.inf,
        spike_min_jump=0.0,
        drift_enabled=False,
    )


def load_streams(session: Session) -> list[CheckedStream]:
    """Every stream the checks cover: measured (not derived) numbers of a known quantity."""
    first_location = (
        select(thing_locations.c.thing_id, func.min(thing_locations.c.location_id).label("loc"))
        .group_by(thing_locations.c.thing_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Datastream.id,
            Datastream.thing_id,
            Datastream.quantity,
            Datastream.unit_of_measurement,
            Datastream.properties,
            Datastream.last_phenomenon_time,
            Thing.expected_interval_seconds,
            Location.lon,
            Location.lat,
        )
        .join(Thing, Thing.id == Datastream.thing_id)
        .outerjoin(first_location, first_location.c.thing_id == Thing.id)
        .outerjoin(Location, Location.id == first_location.c.loc)
        .where(Datastream.quantity.in_(sorted(CHECKED)), Datastream.derived_from_id.is_(None))
        .order_by(Datastream.id)
    )
    streams = []
    for sid, thing_id, quantity, unit, props, last, expected, lon, lat in rows:
        factor = canonical_factor(quantity, (unit or {}).get("symbol"))
        params = _usable_params(quantity, factor, props)
        streams.append(
            CheckedStream(sid, thing_id, quantity, factor or 1.0, params, expected, last, lon, lat)
        )
    return streams


def _new_data(
    session: Session,
    streams: Sequence[CheckedStream],
    marks: Mapping[int, QualityWatermark],
    now: datetime,
) -> dict[int, datetime]:
    """Stream id → the phenomenon time of its oldest observation new to the checks."""
    first: dict[int, datetime] = {}
    unmarked = [s.id for s in streams if s.id not in marks]
    for stream_id in unmarked:
        first[stream_id] = now - FIRST_LOOK
    marked = [s.id for s in streams if s.id in marks]
    if marked:
        low = min(marks[i].last_observation_id for i in marked)
        rows = session.execute(
            select(Observation.datastream_id, func.min(Observation.phenomenon_time))
            .where(Observation.id > low, Observation.datastream_id.in_(marked))
            .group_by(Observation.datastream_id)
        )
        first.update({stream_id: when for stream_id, when in rows})
    return first


def _readings(
    session: Session, stream: CheckedStream, start: datetime, end: datetime
) -> list[Reading]:
    rows = session.execute(
        select(Observation.id, Observation.phenomenon_time, Observation.result_number)
        .where(
            Observation.datastream_id == stream.id,
            Observation.phenomenon_time >= start,
            Observation.phenomenon_time <= end,
            Observation.result_number.is_not(None),
        )
        .order_by(Observation.phenomenon_time, Observation.id)
    )
    return [Reading(i, t.timestamp(), v * stream.factor) for i, t, v in rows if v is not None]


def _time_before(session: Session, stream_id: int, instant: datetime) -> float | None:
    found = session.scalar(
        select(func.max(Observation.phenomenon_time)).where(
            Observation.datastream_id == stream_id, Observation.phenomenon_time < instant
        )
    )
    return found.timestamp() if found is not None else None


def check_stream(
    session: Session, stream: CheckedStream, since: datetime, now: datetime
) -> tuple[list[Finding], int]:
    """Range, spike, stuck and gap findings of one stream's data from ``since``; and how
    many readings were read."""
    start = since - OVERLAP
    readings = _readings(session, stream, start, now)
    params = stream.params
    judge_from = (since - OVERLAP / 2).timestamp()
    found = find_range(readings, params) + find_stuck(readings, params)
    found += find_spikes(readings, params, judge_from=judge_from)
    if stream.expected:
        before = _time_before(session, stream.id, start)
        times = ([before] if before is not None else []) + [r.at for r in readings]
        found += find_gaps(
            times, expected=stream.expected, factor=params.gap_factor, now=now.timestamp()
        )
    return found, len(readings)


def neighbours(stream: CheckedStream, streams: Sequence[CheckedStream]) -> list[CheckedStream]:
    """Streams of the same quantity on other Things within the drift radius."""
    if stream.lon is None or stream.lat is None:
        return []
    radius = stream.params.drift_radius_km * 1000.0
    return [
        other
        for other in streams
        if other.quantity is stream.quantity
        and other.thing_id != stream.thing_id
        and other.lon is not None
        and other.lat is not None
        and haversine_m(stream.lon, stream.lat, other.lon, other.lat) <= radius
    ]


def drift_findings(
    session: Session,
    streams: Sequence[CheckedStream],
    marks: Mapping[int, QualityWatermark],
    now: datetime,
    since: datetime | None,
) -> dict[int, list[Finding]]:
    """Drift findings per stream, for the whole hours not yet judged (and a relook)."""
    last_hour = int(now.timestamp() // HOUR) - 1
    due = [
        s
        for s in streams
        if s.params.drift_enabled
        and (
            since is not None
            or s.id not in marks
            or (marks[s.id].drift_checked_until or now - timedelta(days=999)).timestamp() // HOUR
            < last_hour
        )
    ]
    if not due:
        return {}
    first_hour = last_hour - DRIFT_RELOOK_HOURS + 1
    if since is not None:
        first_hour = min(first_hour, int(since.timestamp() // HOUR))
    reach = max(s.params.drift_window_hours + s.params.drift_baseline_days * 24 for s in due)
    start = datetime.fromtimestamp((first_hour - reach) * HOUR, now.tzinfo)
    end = datetime.fromtimestamp((last_hour + 1) * HOUR, now.tzinfo)
    wanted = {s.id for s in due} | {n.id for s in due for n in neighbours(s, streams)}
    means = sensors.hourly_means(
        session=session, datastream_ids=sorted(wanted), start=start, end=end
    )
    scaled = {
        s.id: {hour: value * s.factor for hour, value in means.get(s.id, {}).items()}
        for s in streams
        if s.id in wanted
    }
    found = {}
    for stream in due:
        near = [scaled[n.id] for n in neighbours(stream, streams)]
        diffs = hourly_differences(scaled[stream.id], near, stream.params)
        found[stream.id] = find_drift(diffs, range(first_hour, last_hour + 1), stream.params)
    return found


def run_checks(
    session: Session, *, actor: Actor, now: datetime | None = None, since: datetime | None = None
) -> RunReport:
    """Check what is new (or everything from ``since``), store the flags, move the
    watermarks; commits."""
    now = now or utcnow()
    streams = load_streams(session)
    top_id = session.scalar(select(func.max(Observation.id))) or 0
    marks = {m.datastream_id: m for m in session.scalars(select(QualityWatermark))}
    news = {s.id: since for s in streams} if since else _new_data(session, streams, marks, now)
    writer, report = FlagWriter(session, actor), RunReport(streams=len(streams))
    for stream in streams:
        first_new = news.get(stream.id)
        touch = 1.5 * (stream.expected or HOUR)
        if first_new is not None:
            found, read = check_stream(session, stream, first_new, now)
            report.readings += read
        else:
            found = _still_silent(stream, now)
        writer.apply(datastream_id=stream.id, thing_id=stream.thing_id, findings=found, touch=touch)
    drifts = drift_findings(session, streams, marks, now, since)
    for stream in streams:
        writer.apply(
            datastream_id=stream.id,
            thing_id=stream.thing_id,
            findings=drifts.get(stream.id, []),
            touch=3 * HOUR,
        )
    _move_watermarks(session, streams, marks, top_id, now, judged=set(drifts))
    report.created, report.extended = writer.created, writer.extended
    session.commit()
    return report


def _still_silent(stream: CheckedStream, now: datetime) -> list[Finding]:
    """An open gap for a stream with no new data that has been silent too long."""
    if stream.last_time is None or not stream.expected:
        return []
    times = [stream.last_time.timestamp()]
    return find_gaps(
        times, expected=stream.expected, factor=stream.params.gap_factor, now=now.timestamp()
    )


def _move_watermarks(
    session: Session,
    streams: Sequence[CheckedStream],
    marks: dict[int, QualityWatermark],
    top_id: int,
    now: datetime,
    *,
    judged: set[int],
) -> None:
    last_hour = datetime.fromtimestamp((int(now.timestamp() // HOUR) - 1) * HOUR, now.tzinfo)
    for stream in streams:
        mark = marks.get(stream.id)
        if mark is None:
            mark = QualityWatermark(datastream_id=stream.id)
            session.add(mark)
        mark.last_observation_id = max(top_id, mark.last_observation_id or 0)
        mark.checked_at = now
        if stream.id in judged:
            mark.drift_checked_until = last_hour
    session.flush()
