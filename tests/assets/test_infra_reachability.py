"""Reachability checks against real sockets: a port listening on 127.0.0.1 is reachable,
a closed one is not; results are stored on the asset, changes of state are announced on the
bus and written to the asset's history as a system change, and the tries run in parallel
within the bound."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets import infra_reachability as reach
from pontive.assets import jobs
from pontive.assets.infra_registries import INFRASTRUCTURE
from pontive.core.events import MemoryBus
from pontive.core.worker import JobContext
from pontive.registry import store
from pontive.registry.models import RegistryChange
from tests.assets.test_infra_support import ADMIN, make_asset
from tests.bus_support import collect_events


@pytest.fixture
def listening() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


@pytest.fixture
def closed() -> int:
    """A port on 127.0.0.1 nothing listens on (bound once, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_probe_connects_to_a_listening_port_and_not_to_a_closed_one(
    listening: int, closed: int
) -> None:
    up = reach.probe("127.0.0.1", listening, timeout=1.0)
    assert up.ok
    assert up.latency_ms is not None
    assert 0 <= up.latency_ms < 1000
    down = reach.probe("127.0.0.1", closed, timeout=1.0)
    assert not down.ok
    assert down.latency_ms is None
    assert down.error  # "Connection refused"
    unknown = reach.probe("tidak-ada.invalid", 80, timeout=1.0)
    assert not unknown.ok


def test_a_round_records_results_and_announces_only_changes(
    session: Session, bus: MemoryBus, listening: int, closed: int
) -> None:
    up = make_asset(session, monitor_host="127.0.0.1", monitor_port=str(listening))
    down = make_asset(session, monitor_host="127.0.0.1", monitor_port=str(closed), pd_kode="dishub")
    retired = make_asset(
        session, status="dihapus", monitor_host="127.0.0.1", monitor_port=str(listening)
    )
    unmonitored = make_asset(session)

    events = collect_events(bus, session, "assets.>", lambda: reach.check_all(session, timeout=1.0))

    assert (up.last_check_ok, down.last_check_ok) == (True, False)
    assert up.last_latency_ms is not None
    assert down.last_latency_ms is None
    assert up.last_check_at is not None
    assert retired.last_check_at is None
    assert unmonitored.last_check_at is None
    # a first check that succeeds is no news; a first one that fails is
    assert [(e.type, e.data["id"], e.pd_kode) for e in events] == [
        ("assets.endpoint_down", down.id, "dishub")
    ]
    assert events[0].classification.value == "terbatas"
    history = store.history(session, INFRASTRUCTURE, ADMIN, down.id)
    assert (history[0].via, history[0].actor) == ("system", "system:assets.reachability")
    assert json.loads(history[0].changes) == {"last_check_ok": ["", "false"]}
    assert store.history(session, INFRASTRUCTURE, ADMIN, up.id)[0].action == "created"


def test_a_change_of_state_is_announced_both_ways(session: Session, bus: MemoryBus) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    port = server.getsockname()[1]
    asset = make_asset(session, monitor_host="127.0.0.1", monitor_port=str(port))
    try:
        first = collect_events(bus, session, "assets.>", lambda: reach.check_all(session))
        assert first == []
        assert asset.last_check_ok is True
    finally:
        server.close()
    went_down = collect_events(bus, session, "assets.>", lambda: reach.check_all(session))
    assert [e.type for e in went_down] == ["assets.endpoint_down"]
    assert asset.last_check_ok is False
    steady = collect_events(bus, session, "assets.>", lambda: reach.check_all(session))
    assert steady == []  # still down: nothing new

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as again:
        again.bind(("127.0.0.1", 0))
        again.listen(4)
        store.save_row(
            session,
            INFRASTRUCTURE,
            ADMIN,
            {"monitor_port": str(again.getsockname()[1])},
            row=asset,
            partial=True,
        )
        came_up = collect_events(bus, session, "assets.>", lambda: reach.check_all(session))
    assert [(e.type, e.data["code"]) for e in came_up] == [("assets.endpoint_up", asset.code)]
    assert came_up[0].data["latency_ms"] is not None
    changes = session.scalars(
        select(RegistryChange.changes)
        .where(
            RegistryChange.registry_name == INFRASTRUCTURE.name,
            RegistryChange.object_id == asset.id,
            RegistryChange.via == "system",
        )
        .order_by(RegistryChange.id)
    ).all()
    assert [json.loads(c)["last_check_ok"] for c in changes] == [
        ["true", "false"],
        ["false", "true"],
    ]


def test_tries_run_in_parallel_within_the_bound(
    listening: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, peak = 0, 0
    lock = threading.Lock()
    real_probe = reach.probe

    def counted(host: str, port: int, timeout: float = reach.TIMEOUT_SECONDS) -> reach.Probe:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)  # long enough for the others to start
        try:
            return real_probe(host, port, timeout)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(reach, "probe", counted)
    targets = [reach.Target(i, "127.0.0.1", listening) for i in range(1, 9)]
    started = time.perf_counter()
    results = reach.probe_all(targets, timeout=1.0, workers=3)
    elapsed = time.perf_counter() - started
    assert sorted(results) == list(range(1, 9))
    assert all(r.ok for r in results.values())
    assert peak == 3
    assert elapsed < 8 * 0.05  # not one after the other


def test_the_worker_job_checks_every_five_minutes(
    session: Session, bus: MemoryBus, listening: int
) -> None:
    job = next(j for j in jobs.JOBS if j.name == "assets.reachability")
    assert job.interval_seconds == 300
    asset = make_asset(session, monitor_host="127.0.0.1", monitor_port=str(listening))
    job.run(JobContext(session=session, bus=bus))
    assert asset.last_check_ok is True
