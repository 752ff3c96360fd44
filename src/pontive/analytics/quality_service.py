"""Use-cases of the quality part: reading flags (filters, counts, completeness) and reviewing
them. Confirming keeps a flag's readings out of the indices; dismissing takes the flag out of
their ``resultQuality`` (through the sensors service), so they count again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from pontive.analytics import access
from pontive.analytics.quality_choices import FlagKind, FlagStatus
from pontive.analytics.quality_models import QualityFlag, QualityWatermark
from pontive.analytics.quality_params import CHECKED
from pontive.analytics.quality_store import mark, readings_in
from pontive.core import audit, permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.sensors.models import Datastream, Observation, Thing

COMPLETENESS_DAYS = 7
_Query = TypeVar("_Query", bound=Select[Any])


@dataclass(frozen=True, slots=True)
class FlagFilter:
    """What the list shows: kind, status, station and a date range (all optional)."""

    kind: FlagKind | None = None
    status: FlagStatus | None = None
    thing_id: int | None = None
    datastream_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True, slots=True)
class FlagRow:
    """A flag with the names of its stream and station."""

    flag: QualityFlag
    stream_name: str
    thing_name: str
    quantity: str | None
    unit: str


@dataclass(frozen=True, slots=True)
class Completeness:
    """Share of expected readings a station sent over the last days."""

    thing_id: int
    name: str
    expected: int
    received: int

    @property
    def share(self) -> float | None:
        """received / expected, capped at 1 (``None`` without an expected interval)."""
        return min(1.0, self.received / self.expected) if self.expected else None


@dataclass(frozen=True, slots=True)
class QualityOverview:
    """The part's state in one line on the analytics home."""

    open_flags: int
    stations_with_open: int
    last_run_at: datetime | None


def _filtered(query: _Query, chosen: FlagFilter) -> _Query:
    if chosen.kind is not None:
        query = query.where(QualityFlag.kind == chosen.kind)
    if chosen.status is not None:
        query = query.where(QualityFlag.status == chosen.status)
    if chosen.thing_id is not None:
        query = query.where(QualityFlag.thing_id == chosen.thing_id)
    if chosen.datastream_id is not None:
        query = query.where(QualityFlag.datastream_id == chosen.datastream_id)
    if chosen.since is not None:
        query = query.where(QualityFlag.period_end >= chosen.since)
    if chosen.until is not None:
        query = query.where(QualityFlag.period_start < chosen.until)
    return query


def list_flags(
    session: Session, *, actor: Actor, chosen: FlagFilter, limit: int = 20, offset: int = 0
) -> tuple[list[FlagRow], int]:
    """Flags matching ``chosen``, newest first, with their total count."""
    permissions.require(actor, access.VIEW)
    total = session.scalar(_filtered(select(func.count(QualityFlag.id)), chosen)) or 0
    query = (
        _filtered(select(QualityFlag), chosen)
        .order_by(QualityFlag.period_start.desc(), QualityFlag.id.desc())
        .limit(limit)
        .offset(offset)
    )
    flags = list(session.scalars(query))
    names = _names(session, {f.datastream_id for f in flags})
    rows = [FlagRow(f, *names.get(f.datastream_id, ("-", "-", None, ""))) for f in flags]
    return rows, int(total)


def _names(session: Session, stream_ids: set[int]) -> dict[int, tuple[str, str, str | None, str]]:
    if not stream_ids:
        return {}
    rows = session.execute(
        select(
            Datastream.id,
            Datastream.name,
            Thing.name,
            Datastream.quantity,
            Datastream.unit_of_measurement,
        )
        .join(Thing, Thing.id == Datastream.thing_id)
        .where(Datastream.id.in_(stream_ids))
    )
    return {
        sid: (name, thing, quantity.value if quantity else None, (unit or {}).get("symbol") or "")
        for sid, name, thing, quantity, unit in rows
    }


def counts(session: Session, *, actor: Actor, since: datetime) -> dict[int, dict[FlagKind, int]]:
    """Flags still standing (open or confirmed) per station and kind since ``since``."""
    permissions.require(actor, access.VIEW)
    rows = session.execute(
        select(QualityFlag.thing_id, QualityFlag.kind, func.count(QualityFlag.id))
        .where(QualityFlag.status != FlagStatus.DISMISSED, QualityFlag.period_end >= since)
        .group_by(QualityFlag.thing_id, QualityFlag.kind)
    )
    table: dict[int, dict[FlagKind, int]] = {}
    for thing_id, kind, count in rows:
        table.setdefault(thing_id, {})[kind] = int(count)
    return table


def stations(session: Session) -> list[tuple[int, str]]:
    """Stations with checked streams, by name (for the filter)."""
    rows = session.execute(
        select(Thing.id, Thing.name)
        .join(Datastream, Datastream.thing_id == Thing.id)
        .where(Datastream.quantity.in_(sorted(CHECKED)), Datastream.derived_from_id.is_(None))
        .distinct()
        .order_by(Thing.name)
    )
    return [(thing_id, name) for thing_id, name in rows]


def completeness(session: Session, *, now: datetime | None = None) -> list[Completeness]:
    """Per station: readings received over ``COMPLETENESS_DAYS`` against those expected from
    its reporting interval, over its checked streams."""
    now = now or utcnow()
    since = now - timedelta(days=COMPLETENESS_DAYS)
    received = dict(
        session.execute(
            select(Observation.datastream_id, func.count(Observation.id))
            .where(Observation.phenomenon_time >= since, Observation.phenomenon_time < now)
            .where(
                Observation.datastream_id.in_(
                    select(Datastream.id).where(
                        Datastream.quantity.in_(sorted(CHECKED)),
                        Datastream.derived_from_id.is_(None),
                    )
                )
            )
            .group_by(Observation.datastream_id)
        ).all()
    )
    rows = session.execute(
        select(Thing.id, Thing.name, Thing.expected_interval_seconds, Datastream.id)
        .join(Datastream, Datastream.thing_id == Thing.id)
        .where(Datastream.quantity.in_(sorted(CHECKED)), Datastream.derived_from_id.is_(None))
        .order_by(Thing.name, Datastream.id)
    )
    per_thing: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for thing_id, name, interval, stream_id in rows:
        names[thing_id] = name
        expected = int(COMPLETENESS_DAYS * 86_400 // interval) if interval else 0
        totals = per_thing.setdefault(thing_id, [0, 0])
        totals[0] += expected
        totals[1] += int(received.get(stream_id, 0))
    return [Completeness(t, names[t], e, r) for t, (e, r) in per_thing.items()]


def get_flag(session: Session, flag_id: int) -> QualityFlag:
    """One flag, or ``NotFound``."""
    flag = session.get(QualityFlag, flag_id)
    if flag is None:
        raise NotFound("Tanda kualitas data tidak ditemukan.", "Quality flag not found.")
    return flag


def review_flag(
    session: Session, *, actor: Actor, flag_id: int, status: FlagStatus, note: str = ""
) -> QualityFlag:
    """Confirm or dismiss a flag (operators, Technical Team); audited. A dismissed flag's
    readings lose it from their ``resultQuality`` and count in the indices again."""
    permissions.require(actor, access.REVIEW_QUALITY)
    if status is FlagStatus.OPEN:
        raise InvalidInput(errors={"status": ["confirmed | dismissed"]})
    flag = get_flag(session, flag_id)
    before = {"status": flag.status.value}
    was_dismissed = flag.status is FlagStatus.DISMISSED
    flag.status, flag.review_note = status, note[:1000]
    flag.reviewed_by, flag.reviewed_at = actor.label, utcnow()
    session.flush()
    ids = _flag_readings(session, flag)
    if status is FlagStatus.DISMISSED and not was_dismissed:
        mark(session, actor, flag, ids, flagged=False)
    elif was_dismissed:
        mark(session, actor, flag, ids, flagged=True)
    verb = "confirm" if status is FlagStatus.CONFIRMED else "dismiss"
    audit.record(
        session,
        actor=actor,
        action=f"analytics.quality_flag.{verb}",
        object_type="an_quality_flag",
        object_id=flag.id,
        before=before,
        after={"status": status.value, "note": flag.review_note},
    )
    session.commit()
    return flag


def _flag_readings(session: Session, flag: QualityFlag) -> Sequence[int]:
    if flag.kind is FlagKind.GAP:
        return []
    if flag.kind is FlagKind.SPIKE and flag.observation_id is not None:
        return [flag.observation_id]
    return readings_in(session, flag.datastream_id, flag.period_start, flag.period_end)


def overview(session: Session) -> QualityOverview:
    """Open flags, stations with open flags, and when the checks last ran."""
    open_flags = session.scalar(
        select(func.count(QualityFlag.id)).where(QualityFlag.status == FlagStatus.OPEN)
    )
    stations_open = session.scalar(
        select(func.count(func.distinct(QualityFlag.thing_id))).where(
            QualityFlag.status == FlagStatus.OPEN
        )
    )
    last = session.scalar(select(func.max(QualityWatermark.checked_at)))
    return QualityOverview(int(open_flags or 0), int(stations_open or 0), last)
