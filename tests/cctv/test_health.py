"""The health service end to end, on real streams: cameras go online, then offline within two
check intervals when their stream stops, and back — each change announced on the bus.

The streams are made by Debian's ffmpeg on 127.0.0.1 (``tests/cctv/streams.py``): an MJPEG
camera over HTTP, an HLS folder over HTTP and an RTSP camera; the tests skip without ffmpeg.
Each round is ``cctv.health.run_round``, exactly what the worker's ``cctv.health`` service
runs every interval, on a database of this module's own (the round opens its own sessions).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from pontive.cctv import health, service
from pontive.cctv.choices import CameraStatus, Health
from pontive.cctv.models import Camera
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, Event, MemoryBus
from pontive.core.storage import MediaStore
from pontive.core.worker import registered_services
from pontive.settings import Settings
from tests.cctv.streams import (  # noqa: F401 - fixtures
    hls_stream_fixture,
    mjpeg_stream_fixture,
    refused_port_fixture,
    rtsp_stream_fixture,
)
from tests.cctv.streams_http import HlsStream, MjpegStream
from tests.cctv.streams_rtsp import RtspStream
from tests.cctv.support import STAFF, camera_input
from tests.conftest import _fresh_database_url, make_settings, prepare_database


@pytest.fixture(scope="module")
def own_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A freshly migrated database for this module (rounds commit in sessions of their own)."""
    for url in _fresh_database_url(tmp_path_factory, "cctv_health"):
        prepare_database(url)
        database = Database(url)
        yield database
        database.dispose()


class Recorder(MemoryBus):
    """A bus that keeps what is published."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []

    def publish(self, event: Event) -> None:
        self.events.append(event)
        super().publish(event)


def register(database: Database, streams: dict[str, dict[str, str]]) -> dict[str, str]:
    """City cameras with these addresses; their codes by label."""
    codes = {}
    with database.session(write=True) as session:
        session.info[SESSION_BUS_KEY] = MemoryBus()
        for label, addresses in streams.items():
            data = camera_input(name=f"Kamera uji {label}", streams=addresses)
            codes[label] = service.register_camera(session=session, actor=STAFF, data=data).code
    return codes


def states(database: Database, codes: dict[str, str]) -> dict[str, Health]:
    with database.session(write=False) as session:
        cameras = {c.code: c for c in session.scalars(select(Camera))}
        return {label: cameras[code].health for label, code in codes.items()}


def test_cameras_go_online_then_offline_within_two_rounds_and_back(
    own_database: Database,
    tmp_path: Path,
    mjpeg_stream: MjpegStream,
    hls_stream: HlsStream,
    rtsp_stream: RtspStream,
    refused_port: int,
) -> None:
    settings: Settings = make_settings(
        str(own_database.engine.url.render_as_string(hide_password=False)),
        media_dir=tmp_path / "media", cctv_check_timeout_seconds=10.0,
    )  # fmt: skip
    codes = register(own_database, {
        "mjpeg": {"mjpeg_url": mjpeg_stream.url},
        "hls": {"hls_url": hls_stream.url},
        "rtsp": {"rtsp_url": rtsp_stream.url()},
        "dead": {"snapshot_url": f"http://127.0.0.1:{refused_port}/snapshot.jpg"},
    })  # fmt: skip
    labels = {code: label for label, code in codes.items()}
    bus = Recorder()
    store = MediaStore(tmp_path / "media")

    def round_() -> dict[str, Health]:
        report = health.run_round(own_database, bus, settings, media=store)
        assert report.checked == 4
        return states(own_database, codes)

    def changes() -> list[tuple[str, str, str]]:
        found = [(labels[e.data["code"]], e.data["previous"], e.data["health"])
                 for e in bus.events if e.type == "cctv.health_changed"]  # fmt: skip
        bus.events.clear()
        return sorted(found)

    assert round_() == {"mjpeg": Health.ONLINE, "hls": Health.ONLINE, "rtsp": Health.ONLINE,
                        "dead": Health.OFFLINE}  # fmt: skip
    assert changes() == sorted([(label, "unknown", "online") for label in ("mjpeg", "hls", "rtsp")]
                               + [("dead", "unknown", "offline")])  # fmt: skip
    with own_database.session(write=False) as session:
        thumbnails = session.scalars(
            select(Camera.snapshot_key).where(Camera.code != codes["dead"])
        )
        assert all(key and store.read(key)[:2] == b"\xff\xd8" for key in thumbnails)

    with mjpeg_stream.stopped(), hls_stream.stopped(), rtsp_stream.stopped():
        first = round_()  # one interval after the streams stopped
        second = round_()  # two intervals
    assert {first[label] for label in ("mjpeg", "hls", "rtsp")} <= {Health.DEGRADED, Health.OFFLINE}
    assert {second[label] for label in ("mjpeg", "hls", "rtsp")} == {Health.OFFLINE}
    lost = changes()
    assert {(label, "offline") for label, _previous, state in lost if state == "offline"} == {
        ("mjpeg", "offline"), ("hls", "offline"), ("rtsp", "offline")
    }  # fmt: skip
    assert all(label != "dead" for label, _previous, _state in lost)  # no change, no event

    restarted = round_()
    for _ in range(3):  # a restarted HLS stream needs a segment or two before it answers
        if all(restarted[label] is Health.ONLINE for label in ("mjpeg", "hls", "rtsp")):
            break
        restarted = round_()
    assert {restarted[label] for label in ("mjpeg", "hls", "rtsp")} == {Health.ONLINE}
    assert ("rtsp", "offline", "online") in changes()


def test_paused_and_rejected_cameras_are_not_checked(
    own_database: Database, tmp_path: Path, refused_port: int
) -> None:
    codes = register(
        own_database, {"paused": {"snapshot_url": f"http://127.0.0.1:{refused_port}/x.jpg"}}
    )
    with own_database.session(write=True) as session:
        session.info[SESSION_BUS_KEY] = MemoryBus()
        camera = service.get_camera(session, codes["paused"])
        service.set_status(session=session, actor=STAFF, camera=camera, status=CameraStatus.DIJEDA)
    targets = {target.code for target in health.load_targets(own_database)}
    assert codes["paused"] not in targets


def test_the_health_service_runs_only_where_it_is_switched_on(database_url: str) -> None:
    services = {service.name: service for service in registered_services()}
    health_service = services["cctv.health"]
    assert health_service.is_enabled(make_settings(database_url))
    assert not health_service.is_enabled(make_settings(database_url, cctv_health_checks=False))
