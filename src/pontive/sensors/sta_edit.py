"""Updating one SensorThings entity (18-088 10.3): properties, then links.

Links in an update are ``{"@iot.id": n}`` only: a single-valued navigation property is
replaced, a collection gains the linked entities. A Thing that gains Locations gets a
HistoricalLocation. An Observation is re-read through ingest's parser (the same checks as
on creation), so its result lands in ``result_number`` or ``result_json`` as ingest stores
it; the rollups and the Datastream summaries it touches are then recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, update
from sqlalchemy.orm import Session

from pontive.core.timeutil import utcnow
from pontive.reference import service as reference
from pontive.sensors import ingest, partitions
from pontive.sensors.ingest_check import as_number, load_streams, result_problem
from pontive.sensors.models import Observation
from pontive.sensors.schemas import Changes, EntitySet
from pontive.sensors.sta_body import OBSERVATION_PROPERTIES
from pontive.sensors.sta_errors import bad_request, not_found
from pontive.sensors.sta_graph import GraphWriter
from pontive.sensors.sta_meta import SINGULAR, LinkKind, navigation, table, target_set
from pontive.sensors.sta_serialize import property_value
from pontive.sensors.sta_upkeep import merge_times, observations_changed
from pontive.sensors.sta_values import GEOJSON_TYPES, representative_point

_OBS = cast(Table, Observation.__table__)


def apply_changes(
    session: Session,
    entity_set: EntitySet,
    entity_id: int,
    changes: Changes,
    before: Mapping[str, Any] | None,
) -> list[int]:
    """Update the entity; the ids of HistoricalLocations this created (a Thing moved)."""
    if before is None:
        raise not_found(f"No {SINGULAR[entity_set]} with id {entity_id}.")
    if entity_set is EntitySet.OBSERVATIONS:
        _update_observation(session, entity_id, changes, before)
        return []
    writer = GraphWriter(session)
    columns = dict(changes.values)
    for name, targets in changes.links.items():
        nav = navigation(entity_set)[name]
        for link in targets:
            writer.require(target_set(nav), link.id)
            if nav.kind is LinkKind.OWN_KEY:
                columns[nav.key] = link.id
            elif nav.kind is LinkKind.THEIR_KEY:
                writer.repoint(nav, entity_id, link.id)
            else:
                writer.associate(nav, entity_id, link.id)
    if entity_set is EntitySet.LOCATIONS and {"location", "encoding_type"} & set(columns):
        columns |= _place(session, {**before, **columns})
    if columns:
        source = table(entity_set)
        session.execute(update(source).where(source.c.id == entity_id).values(columns))
    for thing_id in sorted(writer.moved_things):
        writer.record_move(thing_id)
    if writer.refresh:
        observations_changed(session, touched=writer.touched, datastream_ids=writer.refresh)
    return [i for kind, i in writer.created if kind is EntitySet.HISTORICAL_LOCATIONS]


def _place(session: Session, state: Mapping[str, Any]) -> dict[str, Any]:
    if state.get("encoding_type") not in GEOJSON_TYPES:
        return {"lon": None, "lat": None, "kelurahan_kode": None}
    lon, lat = representative_point(state["location"], "location")
    place = reference.resolve_location(session=session, lon=lon, lat=lat)
    return {"lon": lon, "lat": lat, "kelurahan_kode": place.kelurahan_kode}


def observation_columns(item: ingest.ObservationIn) -> dict[str, Any]:
    """Columns of an observation as ingest stores them (numbers apart from other results)."""
    result = item.result
    number = as_number(result)
    return {
        "datastream_id": item.datastream_id,
        "phenomenon_time": item.phenomenon_time or utcnow(),
        "phenomenon_time_end": item.phenomenon_time_end,
        "result_time": item.result_time,
        "result_number": number,
        "result_json": None if number is not None else result,
        "result_quality": item.result_quality,
        "valid_time_start": item.valid_time_start,
        "valid_time_end": item.valid_time_end,
        "parameters": item.parameters,
        "feature_of_interest_id": item.feature_of_interest_id,
    }


def observation_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """The SensorThings properties of a stored observation."""
    return {
        name: property_value(EntitySet.OBSERVATIONS, name, row)
        for name in sorted(OBSERVATION_PROPERTIES)
    }


def _link(changes: Changes, name: str, current: int | None, writer: GraphWriter) -> int | None:
    targets = changes.links.get(name, ())
    if not targets:
        return current
    nav = navigation(EntitySet.OBSERVATIONS)[name]
    writer.require(target_set(nav), targets[-1].id)
    return targets[-1].id


def _check_result(session: Session, datastream_id: int, result: Any) -> None:
    # The same rule as on creation: the result must fit the observationType (18-088 Table 12).
    stream = load_streams(session, [datastream_id])[datastream_id]
    problem = result_problem(stream.observation_type, result)
    if problem is not None:
        raise bad_request(f"result: {problem}.")


def _update_observation(
    session: Session, observation_id: int, changes: Changes, before: Mapping[str, Any]
) -> None:
    writer = GraphWriter(session)
    document = dict(changes.values)
    if not changes.replace:
        document = observation_json(before) | document
    datastream_id = _link(changes, "Datastream", before["datastream_id"], writer)
    feature_id = _link(changes, "FeatureOfInterest", before["feature_of_interest_id"], writer)
    if datastream_id is None:
        raise bad_request("An Observation must link to a Datastream.")
    item = ingest.parse_observation_json(
        document, datastream_id=datastream_id, feature_of_interest_id=feature_id
    )
    _check_result(session, datastream_id, item.result)
    columns = observation_columns(item)
    new_time: datetime = columns["phenomenon_time"]
    partitions.ensure_partitions(session.connection(), [partitions.month_of(new_time)])
    session.execute(update(_OBS).where(_OBS.c.id == observation_id).values(columns))
    old = (
        {before["datastream_id"]: [before["phenomenon_time"]]}
        if before["result_number"] is not None
        else {}
    )
    new = {datastream_id: [new_time]} if columns["result_number"] is not None else {}
    observations_changed(
        session,
        touched=merge_times(old, new),
        datastream_ids={before["datastream_id"], datastream_id},
    )
