"""Health as the registry keeps it: states, their changes on the bus, thumbnails, uptime."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.cctv import service_health
from pontive.cctv.choices import Health
from pontive.cctv.models import HealthCheck
from pontive.cctv.service_health import CheckResult, next_state, record_checks
from pontive.core.events import MemoryBus
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from tests.cctv.support import city_camera


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 20)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_one_failure_of_an_online_camera_is_degraded_two_are_offline() -> None:
    assert next_state(Health.ONLINE, 1, Health.OFFLINE) is Health.DEGRADED
    assert next_state(Health.DEGRADED, 2, Health.OFFLINE) is Health.OFFLINE
    assert next_state(Health.UNKNOWN, 1, Health.OFFLINE) is Health.OFFLINE
    assert next_state(Health.OFFLINE, 5, Health.ONLINE) is Health.ONLINE
    assert next_state(Health.ONLINE, 0, Health.DEGRADED) is Health.DEGRADED


def test_a_round_stores_history_state_thumbnail_and_announces_changes(
    session: Session, bus: MemoryBus, media: MediaStore
) -> None:
    published = []
    bus.publish = published.append  # type: ignore[method-assign]
    camera = city_camera(session)
    published.clear()
    online = CheckResult(camera.id, Health.ONLINE, "rtsp", 120.0, "frame 320x240 h264", jpeg())
    changed = record_checks(session, results=[online], media=media)
    assert changed == [camera]
    assert (camera.health, camera.failures) == (Health.ONLINE, 0)
    assert camera.snapshot_key is not None
    assert media.read(camera.snapshot_key)[:2] == b"\xff\xd8"
    first_thumbnail = camera.snapshot_key
    assert record_checks(session, results=[online], media=media) == []  # no change, no event
    assert camera.snapshot_key != first_thumbnail  # refreshed; the old file removed
    down = CheckResult(camera.id, Health.OFFLINE, "rtsp", None, "connection refused")
    record_checks(session, results=[down], media=media)
    assert camera.health is Health.DEGRADED
    record_checks(session, results=[down], media=media)
    assert (camera.health, camera.failures) == (Health.OFFLINE, 2)
    assert camera.last_online_at is not None
    events = [(e.type, e.data["health"], e.data["previous"]) for e in published]
    assert events == [
        ("cctv.health_changed", "online", "unknown"),
        ("cctv.health_changed", "degraded", "online"),
        ("cctv.health_changed", "offline", "degraded"),
    ]
    checks = session.scalar(select(func.count()).where(HealthCheck.camera_id == camera.id))
    assert checks == 4


def test_uptime_is_the_share_of_a_wib_days_checks_online(session: Session) -> None:
    camera = city_camera(session)
    now = utcnow()
    for hours, state in ((1, Health.ONLINE), (2, Health.ONLINE), (3, Health.OFFLINE),
                         (4, Health.ONLINE)):  # fmt: skip
        record_checks(
            session,
            results=[CheckResult(camera.id, state, "snapshot", 10.0, "")],
            at=now - timedelta(seconds=hours),  # seconds: the same WIB day at almost any hour
        )
    days = service_health.uptime(session, camera_id=camera.id, days=3)
    assert [share for _day, share in days] == [None, None, 0.75]
    assert len(service_health.latest_checks(session, camera_id=camera.id, limit=2)) == 2
    assert service_health.prune_history(session, now=now + timedelta(days=40)) == 4
