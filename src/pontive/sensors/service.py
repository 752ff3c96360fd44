"""The sensors service: create, update and delete SensorThings entities, with permissions.

Who may write (DESIGN.md, Security model):

- ``sensors.manage`` (operator, tim_teknis, admin): every entity — Things, Locations,
  Datastreams, Sensors, ObservedProperties, FeaturesOfInterest, HistoricalLocations, and
  corrections (update, delete) of Observations;
- ``sensors.observe`` (the same roles): new Observations in any Datastream;
- a gateway key — an API key holding one or more scopes ``sta:thing:<id>``, whatever its
  role — may only create Observations in the Datastreams of those Things (linking existing
  FeaturesOfInterest, or letting ingest generate one); it may not create or change anything
  else.

Every create, update and delete of an entity other than an Observation is audited
(``sensors.<entity>.<create|update|delete>``) and announced on the bus
(``sensors.entity.<created|updated|deleted>`` with the entity set and id). New observations
are not audited one by one (ingest announces them as ``sensors.observations``);
corrections of existing observations are, as they change recorded data by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, delete, select
from sqlalchemy.orm import Session

from pontive.core import audit, permissions
from pontive.core.errors import PermissionDenied
from pontive.core.events import Event, emit
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.sensors import facts, indices_flags, indices_ispu, ingest, page_views, sta_upkeep
from pontive.sensors.history import reading_window
from pontive.sensors.ispu import category_for, round_half_up
from pontive.sensors.models import Datastream, Observation
from pontive.sensors.rollups import HOUR, read_buckets
from pontive.sensors.schemas import Changes, Created, Draft, EntitySet, Link
from pontive.sensors.sta_delete import delete_cascading
from pontive.sensors.sta_edit import apply_changes
from pontive.sensors.sta_graph import GraphWriter
from pontive.sensors.sta_meta import SINGULAR, table
from pontive.web.i18n import translate

_WRITERS = {Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN}
SENSORS_MANAGE = permissions.register("sensors.manage", _WRITERS)
SENSORS_OBSERVE = permissions.register("sensors.observe", _WRITERS)
GATEWAY_SCOPE = "sta:thing:"

# Reads other domains use (the open data publication jobs), importable from here.
__all__ = ["HOUR", "category_for", "read_buckets", "reading_window", "round_half_up"]


def gateway_scope(thing_id: int) -> str:
    """The API-key scope that lets a gateway write observations of one Thing."""
    return f"{GATEWAY_SCOPE}{thing_id}"


def gateway_thing_ids(actor: Actor) -> frozenset[int] | None:
    """The Things a gateway key is bound to, or ``None`` for an actor that is no gateway."""
    ids = {
        int(scope.removeprefix(GATEWAY_SCOPE))
        for scope in actor.scopes
        if scope.startswith(GATEWAY_SCOPE) and scope.removeprefix(GATEWAY_SCOPE).isdigit()
    }
    return frozenset(ids) if ids else None


def _deny(key: str, **values: object) -> PermissionDenied:
    return PermissionDenied(translate(key, "id", **values), translate(key, "en", **values))


def require_manage(actor: Actor) -> None:
    """Allow managing sensor entities (not gateways)."""
    if gateway_thing_ids(actor) is not None:
        raise _deny("sensors.sta.gateway_observations_only")
    permissions.require(actor, SENSORS_MANAGE)


def require_observe(*, session: Session, actor: Actor, datastream_ids: Iterable[int]) -> None:
    """Allow creating observations in ``datastream_ids`` (gateways: only their Things')."""
    things = gateway_thing_ids(actor)
    if things is None:
        permissions.require(actor, SENSORS_OBSERVE)
        return
    wanted = set(datastream_ids)
    streams = cast(Table, Datastream.__table__)
    rows = session.execute(select(streams.c.id, streams.c.thing_id).where(streams.c.id.in_(wanted)))
    owners = {stream_id: thing_id for stream_id, thing_id in rows}
    outside = sorted(i for i in wanted if i in owners and owners[i] not in things)
    if outside:
        raise _deny("sensors.sta.gateway_not_bound", streams=outside)


def _drafted_sets(draft: Draft) -> set[EntitySet]:
    found = {draft.entity_set}
    for items in draft.related.values():
        for item in items:
            if isinstance(item, Draft):
                found |= _drafted_sets(item)
    return found


def _observation_streams(draft: Draft) -> set[int]:
    links = [item for item in draft.related.get("Datastream", ()) if isinstance(item, Link)]
    return {link.id for link in links}


def _check_create(session: Session, actor: Actor, draft: Draft) -> None:
    if _drafted_sets(draft) == {EntitySet.OBSERVATIONS}:
        require_observe(session=session, actor=actor, datastream_ids=_observation_streams(draft))
    else:
        require_manage(actor)


def entity_state(session: Session, entity_set: EntitySet, entity_id: int) -> dict[str, Any] | None:
    """The stored columns of one entity (for the audit digest), or ``None``."""
    source = table(entity_set)
    row = session.execute(select(source).where(source.c.id == entity_id)).mappings().first()
    # Column keys are ``quoted_name`` (a str subclass orjson will not take as a key).
    return {str(key): value for key, value in row.items()} if row is not None else None


def _announce(
    session: Session,
    actor: Actor,
    entity_set: EntitySet,
    entity_id: int,
    verb: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    noun = SINGULAR[entity_set]
    audit.record(
        session,
        actor=actor,
        action=f"sensors.{noun.lower()}.{verb}",
        object_type=f"sensor_{noun.lower()}",
        object_id=entity_id,
        before=before,
        after=after,
    )
    past = {"create": "created", "update": "updated", "delete": "deleted"}[verb]
    emit(
        session,
        Event(
            f"sensors.entity.{past}",
            {"entity_set": entity_set.value, "id": entity_id, "path": f"{entity_set}({entity_id})"},
        ),
    )


def create_entity(*, session: Session, actor: Actor, draft: Draft) -> Created:
    """Create ``draft`` with every related entity it carries (deep insert), atomically."""
    _check_create(session, actor, draft)
    writer = GraphWriter(session)
    root_id = writer.create(draft)
    stored = writer.finish()
    if draft.entity_set is EntitySet.OBSERVATIONS:
        root_id = stored[root_id]
    for entity_set, entity_id in writer.created:
        after = entity_state(session, entity_set, entity_id)
        _announce(session, actor, entity_set, entity_id, "create", after=after)
    session.commit()
    return Created(draft.entity_set, root_id)


def create_observations(
    *, session: Session, actor: Actor, items: Sequence[ingest.ObservationIn]
) -> list[int]:
    """Store observations in one batch (CreateObservations, gateways); their ids in order."""
    require_observe(
        session=session, actor=actor, datastream_ids={item.datastream_id for item in items}
    )
    ids = ingest.store_observations(session=session, items=items, source="http") if items else []
    session.commit()
    return ids


def create_observation_rows(
    *, session: Session, actor: Actor, items: Sequence[ingest.ObservationIn | None]
) -> list[int | None]:
    """Store the acceptable rows of a CreateObservations request (``None`` rows are the
    ones that already failed) in one ingest batch; the new ids in order, ``None`` where a
    row failed (ingest refuses it, e.g. a result that does not fit the observationType)."""
    valid = [item for item in items if item is not None]
    require_observe(
        session=session, actor=actor, datastream_ids={item.datastream_id for item in valid}
    )
    outcome = ingest.store_acceptable(session=session, items=valid, source="http")
    session.commit()
    answers = iter(outcome.ids)
    return [None if item is None else next(answers) for item in items]


def update_entity(
    *, session: Session, actor: Actor, entity_set: EntitySet, entity_id: int, changes: Changes
) -> None:
    """Apply a PATCH (merge) or PUT (replace) to one entity."""
    require_manage(actor)
    before = entity_state(session, entity_set, entity_id)
    moved = apply_changes(session, entity_set, entity_id, changes, before)
    after = entity_state(session, entity_set, entity_id)
    _announce(session, actor, entity_set, entity_id, "update", before=before, after=after)
    for history_id in moved:
        state = entity_state(session, EntitySet.HISTORICAL_LOCATIONS, history_id)
        _announce(session, actor, EntitySet.HISTORICAL_LOCATIONS, history_id, "create", after=state)
    session.commit()


def delete_entity(*, session: Session, actor: Actor, entity_set: EntitySet, entity_id: int) -> None:
    """Delete one entity and what SensorThings deletes with it (18-088 10.4)."""
    require_manage(actor)
    before = entity_state(session, entity_set, entity_id)
    delete_cascading(session, entity_set, entity_id)
    _announce(session, actor, entity_set, entity_id, "delete", before=before)
    session.commit()


def station_summaries(session: Session) -> list[page_views.Station]:
    """Every station with its place, health, latest values, flood status and ISPU (public
    data), for other domains' pages such as the alerts situation page."""
    return page_views.load_stations(session)


def station_summary(session: Session, thing_id: int) -> page_views.Station | None:
    """One station as ``station_summaries`` shows it, or ``None``."""
    found = page_views.load_stations(session, thing_ids=[thing_id])
    return found[0] if found else None


def station_of_stream(session: Session, datastream_id: int) -> facts.StationFacts | None:
    """The station a Datastream belongs to: name, the stream's unit, its kelurahan."""
    return facts.station_of_stream(session, datastream_id)


def station_of_thing(session: Session, thing_id: int) -> facts.StationFacts | None:
    """A station by its Thing id: name and kelurahan (no unit)."""
    return facts.station_of_thing(session, thing_id)


def last_seen(
    session: Session, thing_ids: Sequence[int] | None
) -> list[tuple[int, datetime | None]]:
    """``(thing id, last heard)`` of the given Things (``None``: every Thing)."""
    return facts.last_seen(session, thing_ids)


def mark_quality(
    *,
    session: Session,
    actor: Actor,
    datastream_id: int,
    observation_ids: Sequence[int],
    kind: str,
    flagged: bool,
) -> int:
    """Add a data-quality flag (``kind``: spike, stuck, range, drift) to the ``resultQuality``
    of observations of one stream, or take it away (``flagged=False``, a dismissed flag),
    merged with what the client sent (``indices_quality``); the flood status and ISPU they
    feed are recomputed. Audited once per call; the caller commits. Returns rows changed."""
    require_manage(actor)
    marked = indices_flags.write_flags(
        session,
        datastream_id=datastream_id,
        observation_ids=list(observation_ids),
        kind=kind,
        add=flagged,
    )
    if marked.changed:
        audit.record(
            session,
            actor=actor,
            action="sensors.observation.quality",
            object_type="sensor_datastream",
            object_id=datastream_id,
            after={"kind": kind, "flagged": flagged, "observations": marked.changed},
        )
    return marked.changed


def replace_observations(
    *,
    session: Session,
    actor: Actor,
    datastream_id: int,
    start: datetime,
    end: datetime,
    items: Sequence[ingest.ObservationIn],
) -> list[int]:
    """Replace a stream's observations with phenomenon time in ``[start, end]`` by ``items``
    (a data logger's corrected window uploaded again): the old rows go, their rollups, the
    stream's summary and the indices they fed are recomputed, and ``items`` are stored
    through ingest. Audited once; the caller commits. The new ids, in order."""
    require_manage(actor)
    observations = cast(Table, Observation.__table__)
    inside = and_(
        observations.c.datastream_id == datastream_id,
        observations.c.phenomenon_time >= start,
        observations.c.phenomenon_time <= end,
    )
    touched = sta_upkeep.numeric_times(session, inside)
    result = session.execute(delete(observations).where(inside))
    removed = int(getattr(result, "rowcount", 0) or 0)
    sta_upkeep.observations_changed(session, touched=touched, datastream_ids=[datastream_id])
    ids = ingest.store_observations(session=session, items=items, source="http") if items else []
    audit.record(
        session,
        actor=actor,
        action="sensors.observation.replace",
        object_type="sensor_datastream",
        object_id=datastream_id,
        after={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "removed": removed,
            "stored": len(ids),
        },
    )
    return ids


def hourly_means(
    *, session: Session, datastream_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, dict[int, float]]:
    """Per stream, the mean of each clock hour (whole hours since the Unix epoch, UTC) in
    ``[start, end)`` over readings without an excluding quality flag, as the ISPU reads them."""
    first, last = indices_ispu.hour_index(start), indices_ispu.hour_index(end) - 1
    if not datastream_ids or last < first:
        return {}
    return indices_ispu.hourly_means(session, list(datastream_ids), first, last)
