"""Demo cameras: every status and sharing level, real places, no secret in public output."""

from __future__ import annotations

from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.app import create_app
from pontive.cctv import footage, service
from pontive.cctv.choices import CameraStatus, OwnerType, Sharing
from pontive.cctv.models import Camera
from pontive.core.db import Database
from tests.conftest import DemoDatabase, make_settings


def test_the_demo_registry_shows_every_step_of_a_cameras_life(
    demo_database: DemoDatabase, demo_session: Session
) -> None:
    cameras = demo_session.scalars(select(Camera)).all()
    assert demo_database.summary["cctv"].startswith("9 kamera kota, 4 kamera kontribusi")
    assert len(cameras) == 13
    statuses = Counter(camera.status for camera in cameras)
    assert statuses[CameraStatus.DIAJUKAN] == statuses[CameraStatus.DIJEDA] == 1
    assert {camera.sharing for camera in cameras} == set(Sharing)
    assert {OwnerType.WARGA, OwnerType.USAHA, OwnerType.PD, OwnerType.PEMKOT} <= {
        camera.owner_type for camera in cameras
    }
    # Every camera sits in a kelurahan of the city (boundaries loaded by the demo).
    assert all(camera.kelurahan_kode for camera in cameras)
    on_request = next(c for c in cameras if c.sharing is Sharing.ON_REQUEST)
    assert len(footage.list_requests(demo_session, camera=on_request)) == 1
    assert len(service.list_public(demo_session)) == 6


def test_no_demo_secret_reaches_the_public_api(demo_database: DemoDatabase) -> None:
    database = Database(demo_database.url)
    try:
        app = create_app(make_settings(demo_database.url), database=database)
        with TestClient(app) as client:
            for path in ("/api/v1/cctv/cameras", "/api/v1/cctv/coverage"):
                text = client.get(path).text
                assert "cctv-demo.invalid" not in text
                assert "demo-" not in text  # the demo devices' passwords
                assert "0812" not in text
    finally:
        database.dispose()
