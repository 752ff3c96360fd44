"""The camera health service of ``pontive worker``: every camera checked, every interval.

One round (:func:`run_round`): with a restreamer configured, its paths are reconciled with
the registry first and a restreamed camera whose path is ready counts as online without
touching the camera; every other camera is probed at its own addresses (``probes.probe``:
snapshot, MJPEG or HLS first frame, RTSP ``DESCRIBE`` and one decoded frame), at most
``PONTIVE_CCTV_CHECK_CONCURRENCY`` at a time, each within ``PONTIVE_CCTV_CHECK_TIMEOUT_SECONDS``
— a dead or slow camera costs its own slot and nothing more. The results are stored in one
transaction (``service_health.record_checks``), which emits the state changes.

Cameras checked: those shared now and those awaiting review (staff test their stream before
approving); paused, withdrawn, rejected and retired cameras are left alone.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import select

from pontive.cctv import restream, service_health
from pontive.cctv.choices import CameraStatus, Health
from pontive.cctv.mediamtx import PathState, Restreamer, RestreamerError
from pontive.cctv.models import Camera
from pontive.cctv.probes import Endpoints, ProbeResult, probe
from pontive.cctv.service_health import CheckResult
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, EventBus
from pontive.core.storage import MediaStore
from pontive.core.worker import Service
from pontive.settings import Settings

log = logging.getLogger(__name__)

CHECKED = (CameraStatus.AKTIF, CameraStatus.DIAJUKAN)
_STATES = {"online": Health.ONLINE, "degraded": Health.DEGRADED, "offline": Health.OFFLINE}


@dataclass(frozen=True, slots=True)
class Target:
    """One camera to check: its id and decrypted addresses (never logged)."""

    camera_id: int
    code: str
    stream_path: str
    restreamed: bool
    endpoints: Endpoints


@dataclass(frozen=True, slots=True)
class RoundReport:
    """What one round did."""

    checked: int
    changed: int
    seconds: float
    by_state: dict[str, int]


def load_targets(database: Database) -> list[Target]:
    """The cameras to check, read in a short session of their own."""
    with database.session(write=False) as session:
        cameras = session.scalars(select(Camera).where(Camera.status.in_(CHECKED)))
        return [
            Target(
                camera.id,
                camera.code,
                camera.stream_path,
                camera.restreamed,
                Endpoints(
                    rtsp_url=camera.rtsp_url,
                    hls_url=camera.hls_url,
                    mjpeg_url=camera.mjpeg_url,
                    snapshot_url=camera.snapshot_url,
                ),
            )
            for camera in cameras
        ]


async def check_targets(
    targets: list[Target],
    *,
    probe_seconds: float,
    concurrency: int,
    paths: dict[str, PathState] | None = None,
) -> list[CheckResult]:
    """Check every target, ``concurrency`` at a time; one result each, in target order."""
    slots = asyncio.Semaphore(max(1, concurrency))

    async def one(target: Target) -> CheckResult:
        ready = (paths or {}).get(target.stream_path)
        if target.restreamed and ready is not None and ready.ready:
            return CheckResult(
                target.camera_id, Health.ONLINE, "restreamer", None,
                f"restreamer path ready ({', '.join(ready.tracks) or 'no tracks'})",
            )  # fmt: skip
        async with slots:
            result = await probe(target.endpoints, timeout=probe_seconds)
        return _as_check(target, result)

    return list(await asyncio.gather(*(one(target) for target in targets)))


def _as_check(target: Target, result: ProbeResult) -> CheckResult:
    return CheckResult(
        camera_id=target.camera_id,
        state=_STATES[result.state],
        method=result.method,
        latency_ms=result.latency_ms,
        detail=result.detail,
        snapshot=result.snapshot,
    )


def run_round(
    database: Database, bus: EventBus, settings: Settings, *, media: MediaStore | None = None
) -> RoundReport:
    """Reconcile the restreamer (when configured), check every camera, store the results."""
    started = time.monotonic()
    paths = _restreamer_paths(database, settings)
    targets = load_targets(database)
    results = asyncio.run(
        check_targets(
            targets,
            probe_seconds=settings.cctv_check_timeout_seconds,
            concurrency=settings.cctv_check_concurrency,
            paths=paths,
        )
    )
    with database.session(write=True) as session:
        session.info[SESSION_BUS_KEY] = bus
        changed = service_health.record_checks(session, results=results, media=media)
    by_state: dict[str, int] = {}
    for result in results:
        by_state[result.state.value] = by_state.get(result.state.value, 0) + 1
    return RoundReport(len(results), len(changed), time.monotonic() - started, by_state)


def _restreamer_paths(database: Database, settings: Settings) -> dict[str, PathState] | None:
    if not settings.cctv_restreamer_api_url:
        return None
    restreamer = Restreamer(
        settings.cctv_restreamer_api_url, secret=settings.cctv_restreamer_secret
    )
    with database.session(write=True) as session:
        restream.reconcile(session, restreamer)
    try:
        return restreamer.paths()
    except RestreamerError as error:
        log.warning("restreamer paths not read: %s", error)
        return None


def run_health_service(
    stop: threading.Event, database: Database, bus: EventBus, settings: Settings
) -> None:
    """The ``cctv.health`` service: a round every interval until ``stop`` is set; history
    older than its keep is pruned once a day."""
    media = MediaStore(settings.media_dir)
    pruned_at = 0.0
    while not stop.is_set():
        report = run_round(database, bus, settings, media=media)
        log.info(
            "camera health round",
            extra={"checked": report.checked, "changed": report.changed,
                   "seconds": round(report.seconds, 2), **report.by_state},
        )  # fmt: skip
        if time.monotonic() - pruned_at > 86_400:
            with database.session(write=True) as session:
                service_health.prune_history(session)
            pruned_at = time.monotonic()
        stop.wait(max(1.0, settings.cctv_check_interval_seconds - report.seconds))


HEALTH_SERVICE = Service(
    "cctv.health",
    run_health_service,
    is_enabled=lambda settings: settings.cctv_health_checks,
    singleton=lambda _settings: True,  # one round per interval, not one per worker
)
