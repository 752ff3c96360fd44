"""What ingest checks against the database: the Datastream, the result type, the feature.

Every check reads in the caller's transaction, one query per batch and kind (Datastreams,
linked features, Locations of the Things): measured at well under a millisecond per batch,
so nothing is cached across transactions, and a Datastream deleted a moment ago is refused at
once (a process-wide cache would also remember rows of rolled-back transactions).

The FeatureOfInterest of an observation (18-088 10.2, special case #1) is the one it links,
the one it deep-inserts, or else the one generated from its Thing's Location, reused for as
long as that Location keeps the same geometry (``generated_from_location_id``).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from typing import cast as typed

from sqlalchemy import Table, Text, and_, bindparam, cast, insert, select
from sqlalchemy.orm import Session

from pontive.sensors.models import Datastream, FeatureOfInterest, Location, thing_locations

OM = "http://www.opengis.net/def/observationType/OGC-OM/2.0/"
OM_MEASUREMENT = OM + "OM_Measurement"
OM_COUNT = OM + "OM_CountObservation"
OM_TRUTH = OM + "OM_TruthObservation"
OM_CATEGORY = OM + "OM_CategoryObservation"
_FEATURES = typed(Table, FeatureOfInterest.__table__)
_LOCATIONS = typed(Table, Location.__table__)
_STREAMS = typed(Table, Datastream.__table__)
# The two queries of every batch, built once (building one cost a third of a millisecond).
_STREAM_INFO = select(_STREAMS.c.id, _STREAMS.c.thing_id, _STREAMS.c.observation_type).where(
    _STREAMS.c.id.in_(bindparam("ids", expanding=True))
)


@dataclass(frozen=True, slots=True)
class StreamInfo:
    """What ingest needs to know about a Datastream."""

    id: int
    thing_id: int
    observation_type: str


def load_streams(session: Session, ids: Collection[int]) -> dict[int, StreamInfo]:
    """The existing Datastreams among ``ids``."""
    return {
        row.id: StreamInfo(row.id, row.thing_id, row.observation_type)
        for row in session.connection().execute(_STREAM_INFO, {"ids": sorted(ids)})
    }


def as_number(result: Any) -> float | None:
    """The result as a finite float when it is a JSON number (not a boolean), else ``None``."""
    if type(result) is float:  # what JSON gives for a gauge's reading: decided at once
        return result if math.isfinite(result) else None
    if isinstance(result, bool) or not isinstance(result, int | float):
        return None
    try:
        number = float(result)
    except OverflowError:  # an integer beyond the double range
        return None
    return number if math.isfinite(number) else None


def result_problem(observation_type: str, result: Any) -> str | None:
    """Why ``result`` does not fit the Datastream's observationType (18-088 Table 12)."""
    if observation_type == OM_MEASUREMENT:
        return None if as_number(result) is not None else "must be a number (OM_Measurement)"
    if observation_type == OM_COUNT:
        number = as_number(result)
        if number is None or not number.is_integer():
            return "must be an integer (OM_CountObservation)"
        return None
    if observation_type == OM_TRUTH:
        return None if isinstance(result, bool) else "must be true or false (OM_TruthObservation)"
    if observation_type == OM_CATEGORY:
        if isinstance(result, str) and result.strip():
            return None
        return "must be a category term or URI (OM_CategoryObservation)"
    return None  # OM_Observation and other types: any JSON value


def missing_features(session: Session, ids: Collection[int]) -> set[int]:
    """Which of the linked FeatureOfInterest ids do not exist."""
    if not ids:
        return set()
    query = select(_FEATURES.c.id).where(_FEATURES.c.id.in_(sorted(ids)))
    found = session.connection().execute(query).scalars()
    return set(ids) - set(found)


def insert_feature(session: Session, document: Mapping[str, Any]) -> int:
    """Create a deep-inserted FeatureOfInterest; its id."""
    values = {
        "name": document["name"],
        "description": document.get("description", ""),
        "encoding_type": document["encodingType"],
        "feature": document["feature"],
        "properties": document.get("properties"),
    }
    return int(session.execute(insert(_FEATURES).returning(_FEATURES.c.id), values).scalar_one())


def features_from_locations(session: Session, thing_ids: Iterable[int]) -> dict[int, int]:
    """Thing id → the FeatureOfInterest generated from its Location (made when missing).

    Things without a Location are absent from the answer. A Thing with several Locations
    uses the newest (highest id). A feature counts only while it still has its Location's
    geometry (compared as stored JSON text, so no JSON is read on this hot path). On
    PostgreSQL the Location row is locked before a feature is made, so two concurrent
    batches never generate two features for one Location.
    """
    newest = _newest_locations(session, thing_ids)
    answer: dict[int, int] = {}
    for thing_id, (location_id, feature_id) in newest.items():
        if feature_id is None:
            feature_id = _generate_feature(session, location_id)
            for other, (other_location, _) in newest.items():
                if other_location == location_id:  # Things sharing the Location share it
                    newest[other] = (location_id, feature_id)
        answer[thing_id] = feature_id
    return answer


def _newest_locations(
    session: Session, thing_ids: Iterable[int]
) -> dict[int, tuple[int, int | None]]:
    """Thing id → (its newest Location, the newest feature generated from it or ``None``)."""
    rows = session.connection().execute(_NEWEST_LOCATIONS, {"things": sorted(set(thing_ids))})
    newest: dict[int, tuple[int, int | None]] = {}
    for thing_id, location_id, feature_id in rows:
        held = newest.get(thing_id)
        if held is None or held[0] != location_id or feature_id is not None:
            newest[thing_id] = (location_id, feature_id)  # ordered: the last row wins
    return newest


def cast_text(column: Any) -> Any:
    """A JSON column as its stored text."""
    return cast(column, Text)


_NEWEST_LOCATIONS = (
    select(thing_locations.c.thing_id, thing_locations.c.location_id, _FEATURES.c.id)
    .join(_LOCATIONS, _LOCATIONS.c.id == thing_locations.c.location_id)
    .outerjoin(
        _FEATURES,
        and_(
            _FEATURES.c.generated_from_location_id == _LOCATIONS.c.id,
            cast_text(_FEATURES.c.feature) == cast_text(_LOCATIONS.c.location),
        ),
    )
    .where(thing_locations.c.thing_id.in_(bindparam("things", expanding=True)))
    .order_by(thing_locations.c.thing_id, thing_locations.c.location_id, _FEATURES.c.id)
)


def _generate_feature(session: Session, location_id: int) -> int:
    query = select(
        _LOCATIONS.c.name,
        _LOCATIONS.c.description,
        _LOCATIONS.c.encoding_type,
        _LOCATIONS.c.location,
    ).where(_LOCATIONS.c.id == location_id)
    if session.get_bind().dialect.name == "postgresql":
        # Lock the Location, then look again: another batch may have made it meanwhile.
        location = session.execute(query.with_for_update()).one()
        again = _newest_feature(session, location_id)
        if again is not None:
            return again
    else:
        location = session.execute(query).one()
    values = {
        "name": location.name,
        "description": location.description,
        "encoding_type": location.encoding_type,
        "feature": location.location,
        "generated_from_location_id": location_id,
    }
    return int(session.execute(insert(_FEATURES).returning(_FEATURES.c.id), values).scalar_one())


def _newest_feature(session: Session, location_id: int) -> int | None:
    query = (
        select(_FEATURES.c.id)
        .join(_LOCATIONS, _LOCATIONS.c.id == _FEATURES.c.generated_from_location_id)
        .where(
            _LOCATIONS.c.id == location_id,
            cast_text(_FEATURES.c.feature) == cast_text(_LOCATIONS.c.location),
        )
        .order_by(_FEATURES.c.id.desc())
        .limit(1)
    )
    found = session.scalar(query)
    return None if found is None else int(found)
