"""Observation ingest: the one write path for observations (HTTP, CreateObservations, MQTT).

``store_observations`` validates a batch, writes it in the caller's transaction and
announces it after commit. In order, for one batch:

1. checks: the Datastream exists; the result fits its observationType (OM_Measurement a
   number, OM_CountObservation an integer, OM_TruthObservation a boolean,
   OM_CategoryObservation a term or URI, OM_Observation anything); the FeatureOfInterest
   linked exists, or is deep-inserted, or is generated from the Thing's Location and reused
   afterwards (18-088 10.2, special case #1) — ``ingest_check``;
2. the PostgreSQL partitions of the batch's months (``partitions.ensure_partitions``);
3. the rows, in bulk through the driver; ``phenomenonTime`` defaults to now (18-088 Table 16)
   — ``ingest_batch``, ``ingest_write``;
4. once per Datastream its periods and latest observation, once per Thing ``last_seen_at``
   and the battery/signal vitals (``health.update_device_vitals``);
5. the rollups (``rollups.update_rollups``) and city indices (``indices.on_observations``);
6. after commit: the bus event ``sensors.observations`` and the A.8 MQTT updates —
   ``ingest_publish``.

HTTP callers use :func:`store_observations`, which refuses the whole batch for one bad
item (``InvalidInput`` naming the field). The MQTT worker uses :func:`store_acceptable`, which
stores the good items and reports the bad ones (they become dead letters). Concurrent
writers are safe: SQLite write sessions begin with ``BEGIN IMMEDIATE`` (one writer at a
time); on PostgreSQL summaries are updated in Datastream id order and a generated feature is
made under a lock on its Location.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any, cast

from sqlalchemy.orm import Session

from pontive.core.errors import InvalidInput
from pontive.core.timeutil import utcnow
from pontive.sensors import indices, partitions, rollups
from pontive.sensors.indices_cache import source_streams
from pontive.sensors.ingest_batch import Batch
from pontive.sensors.ingest_check import (
    OM_MEASUREMENT,
    StreamInfo,
    as_number,
    features_from_locations,
    insert_feature,
    load_streams,
    missing_features,
    result_problem,
)
from pontive.sensors.ingest_parse import ObservationIn, invalid, parse_observation_json
from pontive.sensors.ingest_publish import Publisher, announce, get_publisher, set_publisher
from pontive.sensors.ingest_write import (
    insert_rows,
    mark_things_seen,
    update_streams,
    update_vitals,
)

__all__ = [
    "ObservationIn",
    "Publisher",
    "StoreOutcome",
    "StoredObservation",
    "get_publisher",
    "parse_observation_json",
    "set_publisher",
    "store_acceptable",
    "store_observations",
]

# Readings this far ahead of our clock still count as now (gateways' clocks drift).
_FUTURE_SKEW = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class StoredObservation:
    """An observation just written, as the city indices read it."""

    id: int
    datastream_id: int
    phenomenon_time: datetime
    result: Any


@dataclass(slots=True)
class StoreOutcome:
    """What happened to each item of a batch: its new id, or why it was refused."""

    ids: list[int | None]
    errors: dict[int, InvalidInput] = field(default_factory=dict)


Reject = Callable[[int, InvalidInput], None]


def store_observations(
    *, session: Session, items: Sequence[ObservationIn], source: str
) -> list[int]:
    """Validate and store ``items`` in the caller's transaction; their ids, in order.

    One bad item refuses the batch with ``InvalidInput`` (HTTP semantics); nothing is written.
    """
    outcome = _store(session, items, source, is_strict=True)
    return [observation_id for observation_id in outcome.ids if observation_id is not None]


def store_acceptable(
    *, session: Session, items: Sequence[ObservationIn], source: str
) -> StoreOutcome:
    """Store the items that pass validation; the others are reported, not raised (MQTT)."""
    return _store(session, items, source, is_strict=False)


def _store(
    session: Session, items: Sequence[ObservationIn], source: str, *, is_strict: bool
) -> StoreOutcome:
    outcome = StoreOutcome([None] * len(items))
    if not items:
        return outcome

    def reject(index: int, error: InvalidInput) -> None:
        if is_strict:
            raise error
        outcome.errors[index] = error

    session.flush()  # the checks below read through the connection: pending rows first
    streams = load_streams(session, {item.datastream_id for item in items})
    numbers = _check_items(items, streams, reject)
    features = _features(session, items, streams, reject, outcome.errors)
    accepted = [i for i in range(len(items)) if i not in outcome.errors]
    now = utcnow()
    batch = Batch(
        [items[i] for i in accepted],
        [numbers[i] for i in accepted],
        cast(list[int], [features[i] for i in accepted]),  # every accepted item has one
        [items[i].phenomenon_time or now for i in accepted],
    )
    ids, newest = _write(session, batch, streams, now)
    if ids:
        announce(session, source=source, batch=batch, ids=ids, newest=newest)
    for index, observation_id in zip(accepted, ids, strict=True):
        outcome.ids[index] = observation_id
    return outcome


def _check_items(
    items: Sequence[ObservationIn], streams: Mapping[int, StreamInfo], reject: Reject
) -> list[float | None]:
    """Refuse what does not fit its Datastream; every item's result as a number, if it is one."""
    numbers = [as_number(item.result) for item in items]
    kinds = {stream.observation_type for stream in streams.values()}
    # Numbers for measurements only (the usual batch): fine if every Datastream exists.
    if (
        kinds == {OM_MEASUREMENT}
        and numbers.count(None) == 0
        and all(ds in streams for ds in {item.datastream_id for item in items})
    ):
        return numbers
    for index, item in enumerate(items):
        stream = streams.get(item.datastream_id)
        if stream is None:
            reject(index, invalid("Datastream", f"no Datastream {item.datastream_id}"))
            continue
        if numbers[index] is not None and stream.observation_type == OM_MEASUREMENT:
            continue  # the usual case, decided already
        problem = result_problem(stream.observation_type, item.result)
        if problem is not None:
            reject(index, invalid("result", problem))
    return numbers


def _features(
    session: Session,
    items: Sequence[ObservationIn],
    streams: Mapping[int, StreamInfo],
    reject: Reject,
    refused: Mapping[int, InvalidInput],
) -> list[int | None]:
    """Each item's FeatureOfInterest id (``None`` for the refused): linked, deep-inserted or
    generated from its Thing's Location."""
    pending = [index for index in range(len(items)) if index not in refused]
    thing_of = {stream.id: stream.thing_id for stream in streams.values()}
    if all(
        items[index].feature_of_interest_id is None and items[index].feature_of_interest is None
        for index in pending
    ):  # the usual batch: every feature is its Thing's Location's, decided once per stream
        return _generated_features(session, items, pending, thing_of, reject)
    linked: set[int] = set()
    things: set[int] = set()
    for index in pending:
        item = items[index]
        if item.feature_of_interest_id is not None:
            linked.add(item.feature_of_interest_id)
        elif item.feature_of_interest is None:
            things.add(thing_of[item.datastream_id])
    missing = missing_features(session, linked)
    generated = features_from_locations(session, things) if things else {}
    chosen: list[int | None] = [None] * len(items)
    for index in pending:
        item = items[index]
        feature_id, document = item.feature_of_interest_id, item.feature_of_interest
        if feature_id is not None:
            if feature_id in missing:
                reject(index, invalid("FeatureOfInterest", f"no FeatureOfInterest {feature_id}"))
            else:
                chosen[index] = feature_id
        elif document is not None:
            chosen[index] = insert_feature(session, document)
        else:  # the usual case: the feature of the Thing's Location
            thing_id = thing_of[item.datastream_id]
            chosen[index] = generated.get(thing_id)
            if chosen[index] is None:
                reject(index, _no_location(thing_id))
    return chosen


def _no_location(thing_id: int) -> InvalidInput:
    """Why an observation without a FeatureOfInterest of a Thing without Location is refused."""
    message = f"required: Thing {thing_id} has no Location to generate it from"
    return invalid("FeatureOfInterest", message)


def _generated_features(
    session: Session,
    items: Sequence[ObservationIn],
    pending: Sequence[int],
    thing_of: Mapping[int, int],
    reject: Reject,
) -> list[int | None]:
    """:func:`_features` of a batch that neither links nor deep-inserts a feature."""
    stream_ids = [items[index].datastream_id for index in pending]
    per_stream = dict.fromkeys(stream_ids)
    things = {thing_of[ds] for ds in per_stream}
    generated = features_from_locations(session, things) if things else {}
    for ds in per_stream:
        per_stream[ds] = generated.get(thing_of[ds])
    chosen: list[int | None] = [None] * len(items)
    for index, ds in zip(pending, stream_ids, strict=True):
        feature_id = chosen[index] = per_stream[ds]
        if feature_id is None:
            reject(index, _no_location(thing_of[ds]))
    return chosen


def _write(
    session: Session, batch: Batch, streams: Mapping[int, StreamInfo], now: datetime
) -> tuple[list[int], dict[int, int]]:
    """Insert the batch and everything that follows from it; the ids and, per Datastream,
    the index of its newest observation."""
    if not batch.items:
        return [], {}
    thing_of = {stream.id: stream.thing_id for stream in streams.values()}
    # A generator: on SQLite ensure_partitions returns before reading it.
    months = partitions.months_of_micros(batch.micros())
    partitions.ensure_partitions(session.connection(), months)
    ids = insert_rows(session, batch)
    newest = batch.newest()
    update_streams(session, batch, ids, newest)
    # A forecast posted ahead (phenomenon time in the future) is no sign of the device's life.
    alive_until = now + _FUTURE_SKEW
    mark_things_seen(
        session,
        {thing_of[stream] for stream, index in newest.items() if batch.times[index] <= alive_until},
        now,
    )
    update_vitals(session, batch, thing_of)
    # Every row is new: its reading is added to the buckets (the streams' rows are locked
    # by update_streams' UPDATE on PostgreSQL by now).
    rollups.add_readings(
        session=session,
        streams=list(map(attrgetter("datastream_id"), batch.items)),
        micros=batch.micros(),
        values=batch.numbers,
    )
    sources = source_streams(session)  # the streams an index reads: only theirs are handed on
    stored = [
        StoredObservation(ids[i], item.datastream_id, batch.times[i], item.result)
        for i, item in enumerate(batch.items)
        if item.datastream_id in sources
    ]
    indices.on_observations(session=session, stored=stored)
    return ids, newest
