"""Who may watch what: the matrix of roles by sharing levels by ways of watching, over HTTP.

The three ways are the ones a viewer uses: a page or wall tile opening a view
(``POST /api/v1/cctv/cameras/<code>/views``), the snapshot route, and the restreamer's
authentication callback (MediaMTX asking about a player holding a stream token). Every
view of a non-public camera and every refusal leaves a viewing record and an audit event.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.cctv import access, service
from pontive.cctv.choices import CameraStatus
from pontive.cctv.models import Camera, CameraView
from pontive.core.audit import AuditEvent
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.settings import Settings
from tests.cctv.support import actor, city_camera, contributed
from tests.conftest import login, make_settings

SECRET = "restreamer-secret-0123456789abcdef"
AUTH = f"/api/v1/cctv/mediamtx/auth?key={SECRET}"
# Who, as (role, PD) — the internal camera belongs to Dishub.
VIEWERS = [
    (None, None), (Role.WARGA, None), (Role.OPERATOR, None), (Role.PETUGAS_PD, "dishub"),
    (Role.PETUGAS_PD, "bpbd"), (Role.TIM_TEKNIS, None), (Role.DEWAN, None),
    (Role.WALIKOTA, None), (Role.ADMIN, None),
]  # fmt: skip
WATCHERS_OF_INTERNAL = {Role.OPERATOR, Role.TIM_TEKNIS, Role.WALIKOTA, Role.ADMIN}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return make_settings(database_url, media_dir=tmp_path / "media", cctv_restreamer_secret=SECRET)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 90, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


def csrf_token(client: TestClient) -> str:
    """The session's CSRF token, as the pages embed it for their scripts."""
    for path in ("/masuk", "/"):
        page = client.get(path)
        if 'name="csrf_token" value="' in page.text:
            return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    raise AssertionError("no page carries the CSRF token")


def expected(role: Role | None, pd: str | None, sharing: str) -> bool:
    if sharing == "publik":
        return True
    if sharing == "on_request":
        return False
    return role in WATCHERS_OF_INTERNAL or (role is Role.PETUGAS_PD and pd == "dishub")


@pytest.mark.parametrize(
    ("role", "pd"), VIEWERS, ids=[f"{r.value if r else 'anonim'}-{p or ''}" for r, p in VIEWERS]
)
def test_the_matrix_of_roles_sharing_levels_and_ways_of_watching(
    client: TestClient, session: Session, settings: Settings,
    make_user: Callable[..., User], role: Role | None, pd: str | None,
) -> None:  # fmt: skip
    store = MediaStore(settings.media_dir)
    cameras = {
        "publik": city_camera(session, sharing="publik"),
        "internal": city_camera(session, sharing="internal", pd_kode="dishub"),
        "on_request": contributed(session, sharing="on_request")[0],
    }
    for camera in cameras.values():
        camera.snapshot_key = store.save(jpeg(), folder="cctv", suffix=".jpg")
    session.commit()
    viewer: Actor = ANONYMOUS
    if role is not None:
        user = make_user(role, pd_kode=pd)
        login(client, user.username)
        viewer = Actor(ActorKind.USER, role, id=user.id, name=user.username, pd_kode=pd)
    csrf = csrf_token(client)
    for sharing, camera in cameras.items():
        allowed = expected(role, pd, sharing)
        before = _records(session, camera)
        opened = client.post(
            f"/api/v1/cctv/cameras/{camera.code}/views", headers={"X-CSRF-Token": csrf}
        )
        snapshot = client.get(f"/api/v1/cctv/cameras/{camera.code}/snapshot")
        token = access.stream_token(viewer, camera)
        callback = client.post(AUTH, json={
            "user": "", "password": "", "token": token, "ip": "10.1.2.3", "action": "read",
            "path": camera.stream_path, "protocol": "hls", "id": None, "query": f"token={token}",
        })  # fmt: skip
        statuses = (opened.status_code, snapshot.status_code, callback.status_code)
        want = (201, 200, 200) if allowed else (403, 403, 401)
        assert statuses == want, (sharing, statuses, opened.text)
        if allowed:
            assert snapshot.content[:2] == b"\xff\xd8"
        views, refused, audited = _records(session, camera)
        if sharing == "publik":
            assert (views, audited) == (before[0], before[2])  # public views are not logged
        else:
            assert views - before[0] == 3  # one record per way of watching
            assert audited - before[2] == 3
            assert refused - before[1] == (0 if allowed else 3)


def _records(session: Session, camera: Camera) -> tuple[int, int, int]:
    views = session.scalar(select(func.count()).where(CameraView.camera_code == camera.code)) or 0
    refused = session.scalar(
        select(func.count()).where(
            CameraView.camera_code == camera.code, CameraView.allowed.is_(False)
        )
    ) or 0  # fmt: skip
    audited = session.scalar(
        select(func.count()).where(
            AuditEvent.object_id == camera.code,
            AuditEvent.action.in_(["cctv.view", "cctv.view_refused"]),
        )
    ) or 0  # fmt: skip
    return int(views), int(refused), int(audited)


def test_a_pause_takes_effect_for_the_very_next_request(session: Session) -> None:
    camera, token = contributed(session, sharing="internal")
    operator = actor(Role.OPERATOR)
    first = access.watch(session, actor=operator, camera_code=camera.code, via=access.Via.WALL)
    assert first.decision.allowed
    service.owner_action(session=session, actor=ANONYMOUS, token=token, action="pause")
    again = access.watch(
        session, actor=operator, camera_code=camera.code, via=access.Via.SNAPSHOT,
        within_view=first.view_id,
    )  # fmt: skip
    assert (again.decision.allowed, again.decision.reason) == (False, "status_dijeda")


def test_refreshes_inside_an_open_view_write_nothing_new(session: Session) -> None:
    camera = city_camera(session, sharing="internal")
    operator = actor(Role.OPERATOR)
    opened = access.watch(session, actor=operator, camera_code=camera.code, via=access.Via.WALL)
    count = _records(session, camera)
    for _ in range(3):
        refresh = access.watch(
            session, actor=operator, camera_code=camera.code, via=access.Via.SNAPSHOT,
            within_view=opened.view_id,
        )  # fmt: skip
        assert refresh.view_id == opened.view_id
    assert _records(session, camera) == count
    # Another person cannot ride on it.
    other = access.watch(
        session, actor=actor(Role.OPERATOR, number=8), camera_code=camera.code,
        via=access.Via.SNAPSHOT, within_view=opened.view_id,
    )  # fmt: skip
    assert other.view_id != opened.view_id
    assert (
        access.end_own_view(session, actor=actor(Role.OPERATOR, number=8), view_id=opened.view_id)
        is False
    )
    assert access.end_own_view(session, actor=operator, view_id=opened.view_id) is True


def test_stream_tokens_name_one_viewer_one_camera_for_a_while(session: Session) -> None:
    camera = city_camera(session, sharing="internal")
    operator = actor(Role.OPERATOR, number=11)
    token = access.stream_token(operator, camera)
    assert access.actor_from_token(token, camera.stream_path) == operator
    assert access.actor_from_token(token, "cam-9999") is None
    body, _, signature = token.partition(".")
    assert access.actor_from_token(f"{body.swapcase()}.{signature}", camera.stream_path) is None
    assert access.actor_from_token(f"{body}.{signature[:-2]}xx", camera.stream_path) is None
    expired = access.stream_token(operator, camera, seconds=-1)
    assert access.actor_from_token(expired, camera.stream_path) is None


def test_the_restreamer_callback_needs_the_shared_key_and_refuses_publishing(
    client: TestClient, session: Session
) -> None:
    camera = city_camera(session)
    read = {"action": "read", "path": camera.stream_path, "protocol": "hls"}
    assert client.post("/api/v1/cctv/mediamtx/auth", json=read).status_code == 403
    assert client.post(AUTH.replace(SECRET, "salah"), json=read).status_code == 403
    assert client.post(AUTH, json=read).status_code == 200  # a public camera
    publish = {"action": "publish", "path": camera.stream_path, "user": "x", "password": "y"}
    assert client.post(AUTH, json=publish).status_code == 401
    control = {"action": "api", "path": "", "user": "pontive"}
    assert client.post(AUTH, json=control | {"password": "salah"}).status_code == 401
    assert client.post(AUTH, json=control | {"password": SECRET}).status_code == 200
    refused = session.scalars(
        select(AuditEvent.action).where(AuditEvent.action == "cctv.restreamer_refused")
    ).all()
    assert len(refused) == 2
    unknown = client.post(AUTH, json=read | {"path": "cam-9999"})
    assert unknown.status_code == 401


def test_the_reader_left_hook_closes_the_viewing_record(
    client: TestClient, session: Session
) -> None:
    camera = city_camera(session, sharing="internal")
    token = access.stream_token(actor(Role.OPERATOR), camera)
    body = {"action": "read", "path": camera.stream_path, "token": token, "id": "reader-42"}
    assert client.post(AUTH, json=body).status_code == 200
    view = session.scalar(select(CameraView).where(CameraView.reader_id == "reader-42"))
    assert view is not None
    assert view.ended_at is None
    hook = f"/api/v1/cctv/mediamtx/unread?key={SECRET}&path={camera.stream_path}&reader=reader-42"
    assert client.post(hook).json()["closed"] == 1
    session.refresh(view)
    assert view.ended_at is not None
    assert client.post(hook.replace(SECRET, "salah")).status_code == 403


def test_an_enrolled_camera_is_visible_to_reviewers_only(session: Session) -> None:
    camera, _ = contributed(session, status=CameraStatus.DIAJUKAN)
    assert access.decide(actor(Role.OPERATOR), camera).allowed
    assert not access.decide(actor(Role.TIM_TEKNIS), camera).allowed
    assert not access.decide(ANONYMOUS, camera).allowed
