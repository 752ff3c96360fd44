"""Deleting a SensorThings entity with what 18-088 10.4 deletes along with it.

Thing → its Datastreams (and their Observations) and HistoricalLocations; Location → the
HistoricalLocations that name it; Datastream → its Observations; Sensor and
ObservedProperty → their Datastreams; FeatureOfInterest → its Observations. The foreign
keys of migration 0004 cascade these deletes; what they cannot know is done here: the
HistoricalLocations of a Location (an association row cascades, the HistoricalLocation
would stay), and the rollups and Datastream summaries of observations deleted while their
Datastream stays (a FeatureOfInterest, a single Observation).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from pontive.sensors.models import (
    Datastream,
    HistoricalLocation,
    Observation,
    historical_location_locations,
)
from pontive.sensors.schemas import EntitySet
from pontive.sensors.sta_errors import not_found
from pontive.sensors.sta_meta import SINGULAR, table
from pontive.sensors.sta_upkeep import numeric_times, observations_changed

_OBS = cast(Table, Observation.__table__)
_STREAMS = cast(Table, Datastream.__table__)
_HISTORY = cast(Table, HistoricalLocation.__table__)


def delete_cascading(session: Session, entity_set: EntitySet, entity_id: int) -> None:
    """Delete the entity; 404 when there is none."""
    source = table(entity_set)
    if session.scalar(select(source.c.id).where(source.c.id == entity_id)) is None:
        raise not_found(f"No {SINGULAR[entity_set]} with id {entity_id}.")
    if entity_set is EntitySet.OBSERVATIONS:
        _delete_observation(session, entity_id)
        return
    if entity_set is EntitySet.FEATURES_OF_INTEREST:
        _delete_feature(session, entity_id)
        return
    if entity_set is EntitySet.LOCATIONS:
        named = select(historical_location_locations.c.historical_location_id).where(
            historical_location_locations.c.location_id == entity_id
        )
        session.execute(delete(_HISTORY).where(_HISTORY.c.id.in_(named)))
    session.execute(delete(source).where(source.c.id == entity_id))


def _delete_feature(session: Session, feature_id: int) -> None:
    condition = _OBS.c.feature_of_interest_id == feature_id
    touched = numeric_times(session, condition)
    streams = set(session.scalars(select(_OBS.c.datastream_id).where(condition).distinct()))
    session.execute(
        delete(table(EntitySet.FEATURES_OF_INTEREST)).where(
            table(EntitySet.FEATURES_OF_INTEREST).c.id == feature_id
        )
    )
    observations_changed(session, touched=touched, datastream_ids=streams)


def _touches_summary(row: Any, stream: Any) -> bool:
    """Whether deleting ``row`` changes its Datastream's latest observation or periods."""
    end = row.phenomenon_time_end or row.phenomenon_time
    return (
        stream.last_observation_id == row.id
        or stream.phenomenon_time_start is None
        or row.phenomenon_time <= stream.phenomenon_time_start
        or (stream.phenomenon_time_end is not None and end >= stream.phenomenon_time_end)
        or (
            row.result_time is not None
            and stream.result_time_start is not None
            and row.result_time <= stream.result_time_start
        )
        or (
            row.result_time is not None
            and stream.result_time_end is not None
            and row.result_time >= stream.result_time_end
        )
    )


def _delete_observation(session: Session, observation_id: int) -> None:
    row = session.execute(select(_OBS).where(_OBS.c.id == observation_id)).one()
    stream = session.execute(select(_STREAMS).where(_STREAMS.c.id == row.datastream_id)).one()
    touched = {row.datastream_id: [row.phenomenon_time]} if row.result_number is not None else {}
    session.execute(delete(_OBS).where(_OBS.c.id == observation_id))
    refresh = {row.datastream_id} if _touches_summary(row, stream) else set()
    observations_changed(session, touched=touched, datastream_ids=refresh)
