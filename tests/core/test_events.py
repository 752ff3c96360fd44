"""The event bus: publish after commit only, pattern matching, delivery across threads."""

from __future__ import annotations

import asyncio
import os
import threading

import pytest
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.core.events import Event, EventBus, MemoryBus, create_bus, emit, matches


@pytest.mark.parametrize(
    ("pattern", "event_type", "expected"),
    [
        (">", "complaint.created", True),
        ("complaint.>", "complaint.created", True),
        ("complaint.>", "complaint", False),
        ("complaint.*", "complaint.created", True),
        ("complaint.*", "complaint.status.changed", False),
        ("*.created", "sensor.created", True),
        ("complaint.created", "complaint.created", True),
        ("complaint.created", "complaint.closed", False),
    ],
)
def test_patterns_match_like_nats_subjects(pattern: str, event_type: str, expected: bool) -> None:
    assert matches(pattern, event_type) is expected


def test_events_survive_the_wire_format() -> None:
    event = Event(
        "incident.opened",
        {"id": 3, "judul": "Banjir rob"},
        classification=Classification.TERBATAS,
        pd_kode="bpbd",
    )
    assert Event.from_json(event.to_json()) == event


def test_emitted_events_are_published_only_after_commit(session: Session, bus: MemoryBus) -> None:
    async def scenario() -> list[Event]:
        subscription = bus.subscribe(">")
        emit(session, Event("test.kept", {"n": 1}))
        assert await subscription.get(within=0.05) is None  # not before commit
        session.commit()
        kept = await subscription.get(within=1)
        emit(session, Event("test.dropped", {"n": 2}))
        session.rollback()
        dropped = await subscription.get(within=0.05)
        return [e for e in (kept, dropped) if e is not None]

    delivered = asyncio.run(scenario())
    assert [e.type for e in delivered] == ["test.kept"]


def test_savepoints_neither_publish_nor_drop_the_events_of_their_transaction(
    session: Session, bus: MemoryBus
) -> None:
    async def scenario() -> list[str]:
        subscription = bus.subscribe(">")
        emit(session, Event("test.before", {}))
        savepoint = session.begin_nested()
        emit(session, Event("test.undone", {}))
        inner = session.begin_nested()
        emit(session, Event("test.undone.inner", {}))
        inner.commit()  # a released savepoint is not a commit: nothing is published yet
        assert await subscription.get(within=0.05) is None
        savepoint.rollback()  # undoes the inner savepoint's work too
        with session.begin_nested():
            emit(session, Event("test.released", {}))
        assert await subscription.get(within=0.05) is None
        session.commit()
        received = []
        while (event := await subscription.get(within=0.2)) is not None:
            received.append(event.type)
        return received

    assert asyncio.run(scenario()) == ["test.before", "test.released"]


def _exercise_bus(bus: EventBus) -> list[str]:
    async def scenario() -> list[str]:
        subscription = bus.subscribe("demo.>")
        other = bus.subscribe("lain.>")
        # Publish from another thread, as a service running in the thread pool does.
        thread = threading.Thread(
            target=lambda: [bus.publish(Event(f"demo.{n}", {"n": n})) for n in range(3)]
        )
        thread.start()
        thread.join()
        received = []
        for _ in range(3):
            event = await subscription.get(within=5)
            assert event is not None
            received.append(event.type)
        assert await other.get(within=0.2) is None
        subscription.close()
        other.close()
        return received

    return asyncio.run(scenario())


def test_memory_bus_delivers_across_threads_to_matching_subscribers() -> None:
    assert _exercise_bus(MemoryBus()) == ["demo.0", "demo.1", "demo.2"]


def test_a_slow_subscriber_loses_its_oldest_events_not_the_publisher(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("pontive.core.events.SUBSCRIBER_QUEUE_SIZE", 2)
    bus = MemoryBus()

    async def scenario() -> tuple[list[int], int]:
        subscription = bus.subscribe(">")
        for n in range(5):
            bus.publish(Event("x.y", {"n": n}))
        await asyncio.sleep(0.05)
        got = []
        while (event := await subscription.get(within=0.05)) is not None:
            got.append(event.data["n"])
        return got, subscription.dropped

    got, dropped = asyncio.run(scenario())
    assert got == [3, 4]
    assert dropped == 3


@pytest.mark.nats
def test_nats_jetstream_bus_delivers_and_reports_ready() -> None:
    url = os.environ.get("PONTIVE_TEST_BUS_URL")
    if not url:
        pytest.skip("PONTIVE_TEST_BUS_URL not set: no NATS JetStream server to test against")
    bus = create_bus(url)
    bus.start()
    try:
        assert bus.is_ready()
        assert _exercise_bus(bus) == ["demo.0", "demo.1", "demo.2"]
    finally:
        bus.stop()
    assert not bus.is_ready()


def test_an_unreachable_nats_server_is_a_connection_error() -> None:
    bus = create_bus("nats://127.0.0.1:1")
    with pytest.raises(ConnectionError):
        bus.start()
    assert not bus.is_ready()
