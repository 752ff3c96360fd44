"""Station facts other domains need (the alerts' rule texts): a Thing's name, a stream's unit,
the kelurahan of its Location, when it was last heard. One small query each, on summary
columns only (``sensor_things``, ``sensor_datastreams``, ``sensor_locations``), never on the
observation table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from pontive.sensors.models import Datastream, Location, Thing, thing_locations

_THINGS = cast(Table, Thing.__table__)
_STREAMS = cast(Table, Datastream.__table__)
_LOCATIONS = cast(Table, Location.__table__)


@dataclass(frozen=True, slots=True)
class StationFacts:
    """A Thing as an alert names it: its name, unit of the stream, and its kelurahan."""

    thing_id: int
    name: str
    unit: str
    kelurahan_kode: str | None


def _kelurahan_of(session: Session, thing_id: int) -> str | None:
    query = (
        select(_LOCATIONS.c.kelurahan_kode)
        .join(thing_locations, thing_locations.c.location_id == _LOCATIONS.c.id)
        .where(thing_locations.c.thing_id == thing_id, _LOCATIONS.c.kelurahan_kode.is_not(None))
        .order_by(_LOCATIONS.c.id)
        .limit(1)
    )
    return session.scalar(query)


def station_of_stream(session: Session, datastream_id: int) -> StationFacts | None:
    """The station a Datastream belongs to, with that stream's unit symbol."""
    row = session.execute(
        select(_THINGS.c.id, _THINGS.c.name, _STREAMS.c.unit_of_measurement)
        .join(_STREAMS, _STREAMS.c.thing_id == _THINGS.c.id)
        .where(_STREAMS.c.id == datastream_id)
    ).first()
    if row is None:
        return None
    unit = (row.unit_of_measurement or {}).get("symbol") or ""
    return StationFacts(row.id, row.name, str(unit), _kelurahan_of(session, row.id))


def station_of_thing(session: Session, thing_id: int) -> StationFacts | None:
    """A station by its Thing id (no unit: index categories have none)."""
    name = session.scalar(select(_THINGS.c.name).where(_THINGS.c.id == thing_id))
    if name is None:
        return None
    return StationFacts(thing_id, name, "", _kelurahan_of(session, thing_id))


def last_seen(
    session: Session, thing_ids: Sequence[int] | None
) -> list[tuple[int, datetime | None]]:
    """``(thing id, last_seen_at)`` of the given Things (``None``: every Thing)."""
    query = select(_THINGS.c.id, _THINGS.c.last_seen_at).order_by(_THINGS.c.id)
    if thing_ids is not None:
        query = query.where(_THINGS.c.id.in_(thing_ids))
    return [(row.id, row.last_seen_at) for row in session.execute(query)]
