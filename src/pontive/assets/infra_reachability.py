"""Reachability of network endpoints: the worker's ``assets.reachability`` job.

An infrastructure asset opts in by naming a monitor host and port. Every five minutes each
asset in service (active, in maintenance or faulty) is tried with a TCP connection and a
short timeout; ICMP would need privileges the worker does not have. The tries run in
parallel threads, never more than ``MAX_WORKERS`` at once, and the database is not held
while they wait (SQLite's write gate would stall the web process).

Each asset keeps its last result (when, reachable, latency). A change of state (reachable
to unreachable or back; a first check that fails counts too) is announced on the bus as
``assets.endpoint_down`` / ``assets.endpoint_up`` (``terbatas``: host names and addresses are
internal) and written to the asset's registry history as a system change.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.choices import InfraStatus
from pontive.assets.infra_registries import INFRASTRUCTURE
from pontive.assets.models import InfraAsset
from pontive.core.choices import Classification
from pontive.core.events import Event, emit
from pontive.core.identity import system_actor
from pontive.core.timeutil import utcnow
from pontive.registry.models import RegistryChange

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2.0
MAX_WORKERS = 16
INTERVAL_SECONDS = 300.0
CHECKED_STATUSES = (InfraStatus.AKTIF, InfraStatus.PEMELIHARAAN, InfraStatus.RUSAK)
ACTOR = system_actor("assets.reachability")


@dataclass(frozen=True, slots=True)
class Target:
    """One endpoint to try."""

    asset_id: int
    host: str
    port: int


@dataclass(frozen=True, slots=True)
class Probe:
    """What one try found: reachable or not, how fast, and why not."""

    ok: bool
    latency_ms: float | None
    error: str = ""


@dataclass(frozen=True, slots=True)
class Change:
    """An asset whose reachability changed in this round."""

    asset_id: int
    code: str
    ok: bool


def probe(host: str, port: int, timeout: float = TIMEOUT_SECONDS) -> Probe:
    """Open (and close at once) a TCP connection to ``host:port``."""
    started = time.perf_counter()
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as error:  # refused, timed out, unknown host, unreachable network
        reason = error.strerror or type(error).__name__
        return Probe(ok=False, latency_ms=None, error=str(reason)[:200])
    return Probe(ok=True, latency_ms=round((time.perf_counter() - started) * 1000, 1))


def due_targets(session: Session) -> list[Target]:
    """The endpoints to try: assets in service that name a monitor host and port."""
    rows = session.execute(
        select(InfraAsset.id, InfraAsset.monitor_host, InfraAsset.monitor_port)
        .where(
            InfraAsset.monitor_host.is_not(None),
            InfraAsset.monitor_port.is_not(None),
            InfraAsset.status.in_(CHECKED_STATUSES),
        )
        .order_by(InfraAsset.id)
    )
    return [Target(asset_id, host, port) for asset_id, host, port in rows if host and port]


def probe_all(
    targets: Sequence[Target],
    *,
    timeout: float = TIMEOUT_SECONDS,
    workers: int = MAX_WORKERS,
) -> dict[int, Probe]:
    """Try every target, at most ``workers`` at once; asset id -> what was found."""
    if not targets:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(targets)))) as pool:
        found = list(pool.map(lambda t: probe(t.host, t.port, timeout), targets))
    return {target.asset_id: result for target, result in zip(targets, found, strict=True)}


def _is_change(before: bool | None, now_ok: bool) -> bool:
    # A first check that succeeds is no news; a first one that fails is.
    return (before is None and not now_ok) or (before is not None and before != now_ok)


def _as_text(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _announce(session: Session, asset: InfraAsset, before: bool | None, result: Probe) -> None:
    session.add(
        RegistryChange(
            registry_name=INFRASTRUCTURE.name,
            object_id=asset.id,
            object_label=asset.name[:300],
            action="updated",
            via="system",
            actor=ACTOR.label,
            changes=json.dumps(
                {"last_check_ok": [_as_text(before), _as_text(result.ok)]}, ensure_ascii=False
            ),
            occurred_at=utcnow(),
        )
    )
    emit(
        session,
        Event(
            "assets.endpoint_up" if result.ok else "assets.endpoint_down",
            {
                "id": asset.id,
                "code": asset.code,
                "name": asset.name,
                "host": asset.monitor_host,
                "port": asset.monitor_port,
                "latency_ms": result.latency_ms,
                "error": result.error,
            },
            classification=Classification.TERBATAS,
            pd_kode=asset.pd_kode,
        ),
    )


def record(
    session: Session, results: dict[int, Probe], *, now: datetime | None = None
) -> list[Change]:
    """Store each asset's result; announce and record the changes of state."""
    now = now or utcnow()
    changes: list[Change] = []
    if not results:
        return changes
    assets = session.scalars(select(InfraAsset).where(InfraAsset.id.in_(results))).all()
    for asset in assets:  # an asset deleted while it was being tried is simply skipped
        result, before = results[asset.id], asset.last_check_ok
        asset.last_check_at = now
        asset.last_check_ok = result.ok
        asset.last_latency_ms = result.latency_ms
        if _is_change(before, result.ok):
            _announce(session, asset, before, result)
            changes.append(Change(asset.id, asset.code, result.ok))
    session.flush()
    return changes


def check_all(
    session: Session,
    *,
    timeout: float = TIMEOUT_SECONDS,
    workers: int = MAX_WORKERS,
    now: datetime | None = None,
) -> list[Change]:
    """One round: read the targets, end the transaction, try them all, record the results."""
    targets = due_targets(session)
    session.commit()  # hold no lock while waiting on sockets
    results = probe_all(targets, timeout=timeout, workers=workers)
    changes = record(session, results, now=now)
    down = sum(1 for result in results.values() if not result.ok)
    if targets:
        log.info(
            "reachability checked",
            extra={"checked": len(targets), "down": down, "changed": len(changes)},
        )
    return changes
