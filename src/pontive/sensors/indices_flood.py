"""Derived flood-status observations: one category observation per water-level reading.

The derived stream (``quantity = flood_status``, ``derived_from_id`` = the water-level stream)
gets, for each numeric reading, the status code (``normal``, ``waspada``, ``siaga``, ``awas``)
at the reading's phenomenon time, with the level in the datum's unit in ``parameters``.
``sensors.flood_status_changed`` is emitted when the stream's latest status changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from pontive.sensors.choices import Quantity
from pontive.sensors.flood import Thresholds, datum_unit, status_of_reading
from pontive.sensors.indices_store import (
    DERIVED_WIDTH,
    DerivedStream,
    DerivedValue,
    derived_columns,
    derived_from_row,
    emit_change,
    write_derived,
)
from pontive.sensors.indices_types import StoredLike
from pontive.sensors.models import Datastream, FloodThreshold, Thing

FLOOD_STATUS_CHANGED = "sensors.flood_status_changed"


@dataclass(frozen=True, slots=True)
class _Target:
    source_id: int
    unit_symbol: str | None
    thresholds: Thresholds
    stream: DerivedStream


def _targets(session: Session, source_ids: Sequence[int]) -> list[_Target]:
    derived, source = aliased(Datastream), aliased(Datastream)
    statement = (
        select(
            *derived_columns(derived),
            source.id,
            source.unit_of_measurement,
            FloodThreshold.datum,
            FloodThreshold.waspada,
            FloodThreshold.siaga,
            FloodThreshold.awas,
        )
        .join(source, source.id == derived.derived_from_id)
        .join(FloodThreshold, FloodThreshold.datastream_id == source.id)
        .join(Thing, Thing.id == derived.thing_id)
        .where(
            source.id.in_(source_ids),
            source.quantity == Quantity.WATER_LEVEL,
            derived.quantity == Quantity.FLOOD_STATUS,
        )
        .order_by(derived.id)
    )
    targets = []
    for row in session.execute(statement):
        source_id, unit, datum, waspada, siaga, awas = row[DERIVED_WIDTH:]
        thresholds = Thresholds(datum, waspada, siaga, awas)
        symbol = (unit or {}).get("symbol")
        targets.append(_Target(source_id, symbol, thresholds, derived_from_row(row)))
    return targets


def _values(readings: Sequence[StoredLike], target: _Target) -> list[DerivedValue]:
    values = []
    for reading in readings:
        computed = status_of_reading(
            reading.result, unit_symbol=target.unit_symbol, thresholds=target.thresholds
        )
        if computed is None:  # not a number, or a stream in a unit that is not a length
            continue
        status, level = computed
        parameters = {
            "source_observation": reading.id,
            "level": level,
            "datum": target.thresholds.datum.value,
        }
        values.append(DerivedValue(reading.phenomenon_time, None, status.value, parameters))
    return values


def update_flood_status(
    session: Session, touched: Mapping[int, Sequence[StoredLike]], *, now: datetime
) -> None:
    """Store the flood status of the touched water-level readings; emit on change."""
    for target in _targets(session, list(touched)):
        stream = target.stream
        newest = write_derived(session, stream, _values(touched[target.source_id], target), now=now)
        old = stream.last_result if isinstance(stream.last_result, str) else None
        if newest is None or newest.result == old:
            continue
        emit_change(
            session,
            FLOOD_STATUS_CHANGED,
            stream,
            old=old,
            new=str(newest.result),
            value=newest.parameters["level"],
            time=newest.phenomenon_time,
            unit=datum_unit(target.thresholds.datum),
            datum=target.thresholds.datum.value,
            source_stream=target.source_id,
        )
