"""Camera health as the registry keeps it: each check's verdict, state changes, uptime.

``record_checks`` stores one round of checks (``cctv/health.py`` runs them): a history row
per camera, the camera's current state, a fresh thumbnail when a frame came back, and a
``cctv.health_changed`` event (bus, SSE, the situation room) when the state changes. One
failed check of a camera that was online makes it *degraded*; a second in a row makes it
*offline* — a stopped stream is offline within two check intervals, and one lost packet
does not page the operator. ``uptime`` is the share of a WIB day's checks that found the
camera online.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pontive.cctv.choices import Health
from pontive.cctv.models import Camera, HealthCheck
from pontive.cctv.service import camera_event
from pontive.core.errors import DomainError
from pontive.core.events import emit
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow

log = logging.getLogger(__name__)

HISTORY_DAYS = 35  # checks kept for uptime (a month and a bit)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One camera's check, as the health round hands it over."""

    camera_id: int
    state: Health  # ONLINE, DEGRADED or OFFLINE
    method: str
    latency_ms: float | None
    detail: str
    snapshot: bytes | None = None  # a JPEG thumbnail when a frame was decoded


def next_state(current: Health, failures: int, checked: Health) -> Health:
    """The camera's state after a check: an online camera's first failure is *degraded*."""
    if checked is not Health.OFFLINE:
        return checked
    if current in (Health.ONLINE, Health.DEGRADED) and failures < 2:
        return Health.DEGRADED
    return Health.OFFLINE


def record_checks(
    session: Session,
    *,
    results: Sequence[CheckResult],
    media: MediaStore | None = None,
    at: datetime | None = None,
) -> list[Camera]:
    """Store a round of checks; the cameras whose state changed. Commits."""
    now = at or utcnow()
    cameras = {
        camera.id: camera
        for camera in session.scalars(
            select(Camera).where(Camera.id.in_([result.camera_id for result in results]))
        )
    }
    changed: list[Camera] = []
    for result in results:
        camera = cameras.get(result.camera_id)
        if camera is None:  # deleted while it was being checked
            continue
        session.add(
            HealthCheck(
                camera_id=camera.id,
                checked_at=now,
                state=result.state,
                method=result.method[:20],
                latency_ms=result.latency_ms,
                detail=result.detail[:300],
            )
        )
        camera.failures = camera.failures + 1 if result.state is Health.OFFLINE else 0
        state = next_state(camera.health, camera.failures, result.state)
        camera.health_checked_at, camera.health_detail = now, result.detail[:300]
        if result.state is Health.ONLINE:
            camera.last_online_at = now
        if result.snapshot and media is not None:
            _keep_thumbnail(camera, result.snapshot, media, now)
        if state is not camera.health:
            previous = camera.health
            camera.health, camera.health_changed_at = state, now
            changed.append(camera)
            emit(
                session,
                camera_event(
                    "cctv.health_changed", camera, previous=previous.value,
                    detail=result.detail[:300],
                ),
            )  # fmt: skip
    session.commit()
    return changed


def _keep_thumbnail(camera: Camera, jpeg: bytes, media: MediaStore, now: datetime) -> None:
    old = camera.snapshot_key
    try:
        camera.snapshot_key = media.save(jpeg, folder="cctv", suffix=".jpg")
    except (OSError, DomainError):
        log.warning("thumbnail of %s not saved", camera.code, exc_info=True)
        return
    camera.snapshot_at = now
    if old:
        try:
            media.delete(old)
        except OSError:
            log.warning("old thumbnail %s of %s not removed", old, camera.code)


def uptime(session: Session, *, camera_id: int, days: int = 7) -> list[tuple[date, float | None]]:
    """Per WIB day, oldest first, the share of checks that found the camera online
    (``None`` for a day without checks), for the last ``days`` days including today."""
    today = utcnow().astimezone(WIB).date()
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, datetime.min.time(), tzinfo=WIB)
    rows = session.execute(
        select(HealthCheck.checked_at, HealthCheck.state).where(
            HealthCheck.camera_id == camera_id, HealthCheck.checked_at >= start
        )
    ).all()
    totals: dict[date, list[int]] = {}
    for checked_at, state in rows:
        counts = totals.setdefault(checked_at.astimezone(WIB).date(), [0, 0])
        counts[0] += 1
        counts[1] += state is Health.ONLINE
    return [
        (day, (totals[day][1] / totals[day][0]) if day in totals else None)
        for day in (first + timedelta(days=n) for n in range(days))
    ]


def latest_checks(session: Session, *, camera_id: int, limit: int = 20) -> list[HealthCheck]:
    """The camera's latest checks, newest first."""
    query = (
        select(HealthCheck)
        .where(HealthCheck.camera_id == camera_id)
        .order_by(HealthCheck.checked_at.desc(), HealthCheck.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def prune_history(session: Session, *, now: datetime | None = None) -> int:
    """Delete checks older than ``HISTORY_DAYS``; how many. Commits."""
    cutoff = (now or utcnow()) - timedelta(days=HISTORY_DAYS)
    count = session.scalar(select(func.count()).where(HealthCheck.checked_at < cutoff)) or 0
    if count:
        session.execute(delete(HealthCheck).where(HealthCheck.checked_at < cutoff))
    session.commit()
    return int(count)
