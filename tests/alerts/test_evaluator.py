"""The evaluator (alerts/evaluator.py): events in their own transactions, bad events
skipped, the in-process listener on the bus, and the periodic jobs.

These tests commit, so they run on a database of their own (migrated and seeded), not on
the run's shared one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import evaluator, rules, service
from pontive.alerts.choices import AlertState, RuleKind
from pontive.alerts.models import Alert
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, Event, MemoryBus
from pontive.core.timeutil import utcnow
from pontive.core.worker import Outcome, run_job_once
from pontive.sensors.models import Thing
from tests.alerts.rules_support import (
    content,
    gauge,
    index_event,
    make_rule,
    observations_event,
    quiet_default_rules,
)
from tests.conftest import _fresh_database_url, prepare_database
from tests.sensors.conftest import sta_thing


@pytest.fixture(scope="module")
def own_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A migrated, seeded database only these tests write to (and commit in)."""
    for url in _fresh_database_url(tmp_path_factory, "alerts_evaluator"):
        prepare_database(url)
        database = Database(url)
        with database.session() as session:
            quiet_default_rules(session)
            session.commit()
        yield database
        database.dispose()


def _station_with_rule(database: Database, name: str) -> int:
    """A station and a flood rule watching only it (committed); the station's id."""
    with database.session() as session:
        session.info[SESSION_BUS_KEY] = MemoryBus()
        thing = sta_thing(session, name=name)
        code = f"banjir-{name.lower().replace(' ', '-')}"
        params = {"quantity": "flood_status", "at_least": "siaga", "thing_ids": [thing.id]}
        make_rule(session, RuleKind.INDEX_CATEGORY, params, code=code)
        session.commit()
        return thing.id


def _flood_event(database: Database, thing_id: int, new: str) -> Event:
    with database.session() as session:
        thing = session.get(Thing, thing_id)
        assert thing is not None
        return index_event("flood_status", thing, "waspada", new, 281.0, utcnow())


def _alerts_of(database: Database, ids: list[int]) -> list[Alert]:
    with database.session(write=False) as session:
        return list(session.scalars(select(Alert).where(Alert.id.in_(ids))))


def test_an_event_is_evaluated_and_committed(own_database: Database) -> None:
    thing_id = _station_with_rule(own_database, "Pos Sungai Jawi")
    ids = evaluator.handle_event(
        own_database, MemoryBus(), _flood_event(own_database, thing_id, "siaga")
    )
    (alert,) = _alerts_of(own_database, ids)
    assert alert.state is AlertState.DRAFT
    assert alert.subject == f"thing:{thing_id}:flood_status"


def _failures(event_type: str) -> float:
    sample = REGISTRY.get_sample_value("pontive_alerts_events_failed_total", {"type": event_type})
    return sample or 0.0


def test_a_bad_event_is_counted_and_skipped(own_database: Database) -> None:
    thing_id = _station_with_rule(own_database, "Pos Parit Tokaya")
    bad = _flood_event(own_database, thing_id, "siaga")
    del bad.data["time"]
    before = _failures(bad.type)
    assert evaluator.handle_event(own_database, MemoryBus(), bad) == []
    assert _failures(bad.type) == before + 1
    good = _flood_event(own_database, thing_id, "siaga")
    assert len(evaluator.handle_event(own_database, MemoryBus(), good)) == 1


def test_events_outside_the_rules_are_ignored(own_database: Database) -> None:
    event = Event("sensors.entity.created", {"entity_set": "Things", "id": 1})
    assert evaluator.handle_event(own_database, MemoryBus(), event) == []


def test_the_in_process_evaluator_hears_the_bus_and_stops(own_database: Database) -> None:
    thing_id = _station_with_rule(own_database, "Pos Kapuas Kecil")
    bus = MemoryBus()
    event = _flood_event(own_database, thing_id, "awas")

    async def run() -> Event | None:
        drafted = bus.subscribe("alerts.alert.drafted")
        handle = evaluator.start_in_process(own_database, bus)
        try:
            bus.publish(event)
            return await drafted.get(within=30)
        finally:
            evaluator.stop(handle)
            drafted.close()
            assert not handle.thread.is_alive()

    heard = asyncio.run(run())
    assert heard is not None
    assert heard.data["severity"] == "Extreme"


def test_the_expiry_job_expires_due_alerts(own_database: Database) -> None:
    bus = MemoryBus()
    with own_database.session() as session:
        session.info[SESSION_BUS_KEY] = bus
        alert = service.open_message(
            session,
            actor=evaluator.rules.RULES_ACTOR,
            content=content(),
            now=utcnow() - timedelta(hours=7),
        )
        service.publish_message(
            session,
            actor=evaluator.rules.RULES_ACTOR,
            alert=alert,
            now=utcnow() - timedelta(hours=7),
        )
        session.commit()
        alert_id = alert.id
    jobs = {job.name: job for job in evaluator.JOBS}
    assert run_job_once(jobs["alerts.expire"], own_database, bus) is Outcome.RAN
    (expired,) = _alerts_of(own_database, [alert_id])
    assert expired.state is AlertState.EXPIRED
    assert run_job_once(jobs["alerts.rules_periodic"], own_database, bus) is Outcome.RAN


def test_the_worker_gets_the_evaluator_service() -> None:
    assert [s.name for s in evaluator.SERVICES] == ["alerts.evaluator"]
    assert {job.interval_seconds for job in evaluator.JOBS} == {60.0}


def test_only_events_some_rule_can_use_reach_a_write_transaction(session: Session) -> None:
    quiet_default_rules(session)
    _thing, stream = gauge(session)
    make_rule(
        session,
        RuleKind.THRESHOLD,
        {"datastream_id": stream.id, "op": ">=", "value": 250, "clear_value": 240},
    )
    at = utcnow()
    assert rules.concerns(session, observations_event(stream.id, 260.0, at))
    assert not rules.concerns(session, observations_event(stream.id + 1000, 260.0, at))
    assert not rules.concerns(session, Event("complaint.created", {"category_id": 1}))
