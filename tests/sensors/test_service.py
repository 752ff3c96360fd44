"""The sensors service: who may write what (role matrix, gateway keys), audit and bus events,
atomic deep inserts, and the upkeep of rollups and Datastream summaries on deletes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.audit import AuditEvent
from pontive.core.errors import NotAuthenticated, PermissionDenied
from pontive.core.events import Event, MemoryBus
from pontive.core.identity import ANONYMOUS, Actor, ActorKind, system_actor
from pontive.core.roles import Role
from pontive.sensors import ingest, service
from pontive.sensors.models import HistoricalLocation, Location, Rollup, Thing, thing_locations
from pontive.sensors.schemas import Draft, EntitySet, Link
from pontive.sensors.sta_errors import StaError
from tests.sensors.conftest import OM_MEASUREMENT, datastream, observations, sta_thing

T0 = datetime(2026, 11, 4, tzinfo=UTC)
ADMIN = system_actor("test")
WRITERS = {Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN}


def key_actor(role: Role, *scopes: str) -> Actor:
    return Actor(kind=ActorKind.API_KEY, role=role, id=1, name="k", scopes=frozenset(scopes))


def thing_draft(name: str = "Stasiun udara Pontianak Kota") -> Draft:
    location = Draft(
        EntitySet.LOCATIONS,
        {"name": "Halaman kantor camat", "description": "",
         "encoding_type": "application/geo+json",
         "location": {"type": "Point", "coordinates": [109.335, -0.03]}},
    )  # fmt: skip
    return Draft(EntitySet.THINGS, {"name": name, "description": ""}, {"Locations": (location,)})


@pytest.mark.parametrize("role", list(Role))
def test_role_matrix_for_managing_and_observing(session: Session, role: Role) -> None:
    actor = key_actor(role)
    stream = datastream(session, thing=sta_thing(session))
    if role in WRITERS:
        service.require_manage(actor)
        service.require_observe(session=session, actor=actor, datastream_ids=[stream.id])
        return
    with pytest.raises(PermissionDenied):
        service.require_manage(actor)
    with pytest.raises(PermissionDenied):
        service.require_observe(session=session, actor=actor, datastream_ids=[stream.id])


def test_anonymous_actors_must_authenticate(session: Session) -> None:
    with pytest.raises(NotAuthenticated):
        service.require_manage(ANONYMOUS)
    with pytest.raises(NotAuthenticated):
        service.create_entity(session=session, actor=ANONYMOUS, draft=thing_draft())


def test_gateway_keys_observe_only_their_own_things(session: Session) -> None:
    mine, theirs = sta_thing(session, name="A"), sta_thing(session, name="B")
    own, other = datastream(session, thing=mine), datastream(session, thing=theirs)
    gateway = key_actor(Role.WARGA, service.gateway_scope(mine.id), "other:scope")
    assert service.gateway_thing_ids(gateway) == frozenset({mine.id})
    assert service.gateway_thing_ids(key_actor(Role.OPERATOR, "sta:thing:x")) is None
    service.require_observe(session=session, actor=gateway, datastream_ids=[own.id])
    with pytest.raises(PermissionDenied):
        service.require_observe(session=session, actor=gateway, datastream_ids=[own.id, other.id])
    with pytest.raises(PermissionDenied):
        service.require_manage(key_actor(Role.ADMIN, service.gateway_scope(mine.id)))


def test_creating_audits_and_announces_every_entity(
    session: Session, bus: MemoryBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    published: list[Event] = []
    monkeypatch.setattr(bus, "publish", published.append)
    created = service.create_entity(session=session, actor=ADMIN, draft=thing_draft())
    thing = session.get(Thing, created.id)
    assert thing is not None
    assert created.entity_set is EntitySet.THINGS
    actions = set(session.scalars(select(AuditEvent.action)))
    assert {"sensors.thing.create", "sensors.location.create",
            "sensors.historicallocation.create"} <= actions  # fmt: skip
    announced = {(e.type, e.data["entity_set"]) for e in published}
    assert ("sensors.entity.created", "Things") in announced
    assert ("sensors.entity.created", "HistoricalLocations") in announced


def test_a_failed_deep_insert_raises_before_anything_is_committed(session: Session) -> None:
    sensorless = Draft(
        EntitySet.DATASTREAMS,
        {"name": "d", "description": "", "unit_of_measurement": {},
         "observation_type": OM_MEASUREMENT},
        {"ObservedProperty": (Link(EntitySet.OBSERVED_PROPERTIES, 1),)},
    )  # fmt: skip
    draft = thing_draft().with_related("Datastreams", sensorless)
    before = session.scalar(select(func.count()).select_from(Thing))
    with pytest.raises(StaError, match="must link to a Sensor"), session.begin_nested():
        service.create_entity(session=session, actor=ADMIN, draft=draft)
    assert session.scalar(select(func.count()).select_from(Thing)) == before


def test_a_manual_historical_location_newer_than_all_moves_the_thing(session: Session) -> None:
    thing = sta_thing(session, at=T0)
    place = Draft(
        EntitySet.LOCATIONS,
        {"name": "Dermaga", "description": "", "encoding_type": "application/geo+json",
         "location": {"type": "Point", "coordinates": [109.34, -0.02]}},
    )  # fmt: skip
    moved = Draft(
        EntitySet.HISTORICAL_LOCATIONS,
        {"time": T0 + timedelta(days=1)},
        {"Thing": (Link(EntitySet.THINGS, thing.id),), "Locations": (place,)},
    )
    service.create_entity(session=session, actor=ADMIN, draft=moved)
    names = session.scalars(
        select(Location.name)
        .join(thing_locations, thing_locations.c.location_id == Location.id)
        .where(thing_locations.c.thing_id == thing.id)
    ).all()
    assert list(names) == ["Dermaga"]
    assert (
        session.scalar(
            select(func.count())
            .select_from(HistoricalLocation)
            .where(HistoricalLocation.thing_id == thing.id)
        )
        == 2
    )


def test_deleting_observations_recomputes_rollups_and_the_latest_value(session: Session) -> None:
    stream = datastream(session, thing=sta_thing(session))
    ids = observations(session, datastream=stream, values=[(T0, 1.5), (T0 + timedelta(hours=2), 3)])
    service.delete_entity(
        session=session, actor=ADMIN, entity_set=EntitySet.OBSERVATIONS, entity_id=ids[1]
    )
    session.refresh(stream)
    assert (stream.last_observation_id, stream.last_result) == (ids[0], 1.5)
    buckets = session.scalars(
        select(Rollup.bucket_start).where(
            Rollup.datastream_id == stream.id, Rollup.interval == "1h"
        )
    ).all()
    assert list(buckets) == [T0]


def test_observation_rows_that_ingest_refuses_do_not_sink_the_others(session: Session) -> None:
    stream = datastream(session, thing=sta_thing(session))
    good = ingest.ObservationIn(stream.id, T0, None, 5)
    bad = ingest.ObservationIn(999_999, T0, None, 6)  # ingest refuses an unknown Datastream
    answer: list[Any] = service.create_observation_rows(
        session=session, actor=ADMIN, items=[good, None, bad, good]
    )
    assert answer[1] is None
    assert answer[2] is None
    assert isinstance(answer[0], int)
    assert isinstance(answer[3], int)
    assert answer[0] != answer[3]
