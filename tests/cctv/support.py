"""Cameras and actors for the CCTV tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from pontive.cctv import service
from pontive.cctv.choices import CameraStatus
from pontive.cctv.models import Camera
from pontive.cctv.service import CameraInput
from pontive.core.identity import ANONYMOUS, Actor, ActorKind, system_actor
from pontive.core.roles import Role

# Darat Sekip (Pontianak Kota), by the Alun Kapuas: inside the city with or without boundaries.
LON, LAT = 109.3405, -0.0259
STAFF = system_actor("test")


def actor(role: Role | None, *, pd: str | None = None, number: int = 7) -> Actor:
    """A signed-in user of ``role`` (``None``: an anonymous visitor)."""
    if role is None:
        return ANONYMOUS
    return Actor(
        kind=ActorKind.USER, role=role, id=number, name=f"{role.value}{number}", pd_kode=pd
    )


def camera_input(**overrides: Any) -> CameraInput:
    """A valid camera description; ``overrides`` replace fields."""
    data = CameraInput(
        name="Simpang Jl. Gajah Mada",
        description="Simpang empat, arah ke Jl. Tanjungpura.",
        owner_type="pd",
        pd_kode="dishub",
        lon=LON,
        lat=LAT,
        direction_deg=90,
        purpose="lalu_lintas",
        sharing="publik",
        privacy_mask="tidak_perlu",
        streams={"rtsp_url": "rtsp://admin:rahasia-123@10.20.0.7:554/stream1"},
    )
    return replace(data, **overrides)


def city_camera(session: Session, **overrides: Any) -> Camera:
    """A registered (active) city camera."""
    return service.register_camera(session=session, actor=STAFF, data=camera_input(**overrides))


def contributed(session: Session, *, status: CameraStatus = CameraStatus.AKTIF, **overrides: Any
                ) -> tuple[Camera, str]:  # fmt: skip
    """An enrolled citizen's camera in ``status``, and its owner token."""
    data = camera_input(
        owner_type="warga", pd_kode=None, owner_name="Siti Aminah", owner_phone="0812-3456-7890",
        **overrides,
    )  # fmt: skip
    enrolled = service.enrol_camera(session=session, actor=ANONYMOUS, data=data, consent=True)
    camera, token = enrolled.camera, enrolled.owner_token
    if status is not CameraStatus.DIAJUKAN:
        service.review_camera(session=session, actor=STAFF, camera=camera, approve=True)
    if status is CameraStatus.DIJEDA:
        service.owner_action(session=session, actor=ANONYMOUS, token=token, action="pause")
    return camera, token
