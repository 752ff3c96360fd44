"""The native CCTV API (``/api/v1/cctv``): the registry, enrolment, snapshots, the player's
stream URL, health, coverage, footage requests, and the restreamer's callback and hook.

Anonymous callers see public cameras; staff see the registry their role allows. Stream
addresses and owners' contacts are never in these answers (each has its own audited route).
Errors are ``{"detail","errors"}`` like every native API.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response
from fastapi.responses import JSONResponse

from pontive.cctv import access, coverage, footage, restream, service, service_health
from pontive.cctv.choices import CameraStatus
from pontive.cctv.quota import ENROLMENTS_PER_HOUR, enrol_limiter
from pontive.cctv.schemas import (
    CameraPublic,
    CameraStaff,
    CameraWrite,
    CheckRead,
    CoverageRead,
    Enrolment,
    EnrolmentReceipt,
    FootageAnswer,
    FootageCreate,
    FootageRead,
    FootageReceipt,
    MediaMtxAuth,
    ReviewRequest,
    StatusRequest,
    StreamRead,
    UptimeRead,
    ViewRead,
)
from pontive.core import permissions
from pontive.core.errors import NotFound, PermissionDenied, RateLimited
from pontive.core.identity import Actor
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/cctv", tags=["cctv"])


def _is_staff(actor: Actor) -> bool:
    return permissions.can(actor, service.READ_REGISTRY)


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


@router.get("/cameras", response_model=list[CameraStaff] | list[CameraPublic])
def read_cameras(
    session: DbSession, actor: CurrentActor, status: CameraStatus | None = None
) -> list[CameraStaff] | list[CameraPublic]:
    """Public cameras for everyone; the registry (any status) for staff."""
    if _is_staff(actor):
        cameras = service.list_registry(session, actor=actor, status=status)
        return [CameraStaff.of(camera) for camera in cameras]
    return [CameraPublic.of(camera) for camera in service.list_public(session)]


@router.get("/cameras/{code}", response_model=CameraStaff | CameraPublic)
def read_camera(code: str, session: DbSession, actor: CurrentActor) -> CameraStaff | CameraPublic:
    """One camera: staff see the registry entry, others a public camera only."""
    if _is_staff(actor):
        return CameraStaff.of(service.get_registry_camera(session, actor=actor, code=code))
    camera = service.get_camera(session, code)
    if not camera.is_shared or camera.sharing.value != "publik":
        raise NotFound("Kamera tidak ditemukan.", "Camera not found.")
    return CameraPublic.of(camera)


@router.post("/cameras", response_model=CameraStaff, status_code=201)
def create_camera(body: CameraWrite, session: DbSession, actor: CurrentActor) -> CameraStaff:
    """Register a city camera (active at once)."""
    camera = service.register_camera(session=session, actor=actor, data=body.as_input())
    return CameraStaff.of(camera)


@router.put("/cameras/{code}", response_model=CameraStaff)
def replace_camera(
    code: str, body: CameraWrite, session: DbSession, actor: CurrentActor
) -> CameraStaff:
    """Correct a camera's description, place, sharing or addresses."""
    camera = service.get_camera(session, code)
    updated = service.update_camera(
        session=session, actor=actor, camera=camera, data=body.as_input()
    )
    return CameraStaff.of(updated)


@router.post("/cameras/{code}/review", response_model=CameraStaff)
def review(code: str, body: ReviewRequest, session: DbSession, actor: CurrentActor) -> CameraStaff:
    """Approve or reject an enrolled camera."""
    camera = service.review_camera(
        session=session, actor=actor, camera=service.get_camera(session, code),
        approve=body.approve, reason=body.reason, pd_kode=body.pd_kode,
    )  # fmt: skip
    return CameraStaff.of(camera)


@router.post("/cameras/{code}/status", response_model=CameraStaff)
def change_status(
    code: str, body: StatusRequest, session: DbSession, actor: CurrentActor
) -> CameraStaff:
    """Pause, resume or retire a camera."""
    camera = service.set_status(
        session=session, actor=actor, camera=service.get_camera(session, code),
        status=body.status, reason=body.reason,
    )  # fmt: skip
    return CameraStaff.of(camera)


@router.post("/cameras/{code}/streams")
def read_streams(code: str, session: DbSession, actor: CurrentActor) -> dict[str, str | None]:
    """The camera's addresses with their credentials (camera managers only; each reading is
    an audit event, hence a POST)."""
    return service.read_streams(session, actor=actor, camera=service.get_camera(session, code))


@router.post("/cameras/{code}/owner")
def read_owner(code: str, session: DbSession, actor: CurrentActor) -> dict[str, str]:
    """The contributing owner's contact (reviewers only; each reading is an audit event,
    hence a POST)."""
    camera = service.get_camera(session, code)
    return service.read_owner_contact(session, actor=actor, camera=camera)


@router.post("/enrolments", response_model=EnrolmentReceipt, status_code=201)
def enrol(
    body: Enrolment, request: Request, session: DbSession, actor: CurrentActor
) -> EnrolmentReceipt:
    """Offer a citizen's or business's camera to the city (Pasal 22d); awaits review."""
    _check_enrolment_quota(request)
    enrolled = service.enrol_camera(
        session=session, actor=actor, data=body.as_input(), consent=body.consent
    )
    return EnrolmentReceipt(
        code=enrolled.camera.code,
        status=enrolled.camera.status,
        owner_link=f"/cctv/pemilik/{enrolled.owner_token}",
    )


@router.post("/owner/{token}/{action}", response_model=CameraPublic)
def owner_action(token: str, action: str, session: DbSession, actor: CurrentActor) -> CameraPublic:
    """The owner pauses, resumes or withdraws sharing (``pause``, ``resume``, ``withdraw``)."""
    camera = service.owner_action(session=session, actor=actor, token=token, action=action)
    return CameraPublic.of(camera)


@router.get("/cameras/{code}/snapshot", response_class=Response)
def snapshot(
    code: str, request: Request, session: DbSession, actor: CurrentActor, view: int | None = None
) -> Response:
    """The camera's latest thumbnail, for whoever may watch it (each non-public view and
    each refusal recorded; ``view`` names the caller's open view that a refresh belongs to,
    as a page or wall tile opened it through ``POST /cameras/{code}/views``)."""
    outcome = access.watch(
        session, actor=actor, camera_code=code, via=access.Via.SNAPSHOT, ip=_client(request),
        within_view=view,
    )  # fmt: skip
    _require_allowed(outcome)
    camera = outcome.camera
    if camera is None or not camera.snapshot_key:
        raise NotFound("Belum ada gambar dari kamera ini.", "No image from this camera yet.")
    try:
        data = request.app.state.media.read(camera.snapshot_key)
    except OSError as error:
        raise NotFound("Gambar kamera tidak tersedia.", "Camera image not available.") from error
    public = outcome.decision.reason == "public"
    cache = "public, max-age=30" if public else "private, no-store"
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": cache})


@router.post("/cameras/{code}/views", status_code=201)
def open_view(
    code: str, request: Request, session: DbSession, actor: CurrentActor, via: str = "page"
) -> dict[str, int | None]:
    """Open a view of a camera (a page or a wall tile starts watching): decided, recorded
    unless public, and its id returned for the refreshes and the close."""
    kind = access.Via.WALL if via == "wall" else access.Via.PAGE
    outcome = access.watch(session, actor=actor, camera_code=code, via=kind, ip=_client(request))
    _require_allowed(outcome)
    return {"view": outcome.view_id}


@router.post("/views/{view_id}/end")
def end_view(view_id: int, session: DbSession, actor: CurrentActor) -> dict[str, bool]:
    """Close a view the caller opened (the page or tile closed)."""
    return {"closed": access.end_own_view(session, actor=actor, view_id=view_id)}


@router.get("/cameras/{code}/stream", response_model=StreamRead)
def stream(
    code: str, request: Request, session: DbSession, actor: CurrentActor, view: int | None = None
) -> StreamRead:
    """The viewer's player URL on the restreamer (signed, expiring), after the decision
    (``view``: the caller's open view it belongs to)."""
    outcome = access.watch(
        session, actor=actor, camera_code=code, via=access.Via.PAGE, ip=_client(request),
        within_view=view,
    )  # fmt: skip
    _require_allowed(outcome)
    camera = outcome.camera
    assert camera is not None  # noqa: S101 - an allowed view has a camera
    base = request.app.state.settings.cctv_restreamer_public_url.rstrip("/")
    hls = None
    if base and camera.restreamed:
        token = access.stream_token(actor, camera)
        hls = f"{base}/{camera.stream_path}/index.m3u8?token={token}"
    return StreamRead(
        hls_url=hls,
        snapshot_url=f"/api/v1/cctv/cameras/{camera.code}/snapshot",
        expires_in=access.STREAM_TOKEN_SECONDS,
    )


@router.get("/cameras/{code}/checks", response_model=list[CheckRead])
def read_checks(code: str, session: DbSession, actor: CurrentActor) -> list[CheckRead]:
    """The camera's latest health checks (staff)."""
    permissions.require(actor, service.READ_REGISTRY)
    camera = service.get_camera(session, code)
    checks = service_health.latest_checks(session, camera_id=camera.id)
    return [CheckRead.model_validate(check) for check in checks]


@router.get("/cameras/{code}/uptime", response_model=list[UptimeRead])
def read_uptime(
    code: str, session: DbSession, actor: CurrentActor,
    days: Annotated[int, Query(ge=1, le=35)] = 7,
) -> list[UptimeRead]:  # fmt: skip
    """Daily uptime (share of checks online, WIB days) of a camera the caller may see."""
    camera = service.get_camera(session, code)
    if not _is_staff(actor) and camera.sharing.value != "publik":
        raise NotFound("Kamera tidak ditemukan.", "Camera not found.")
    days_shares = service_health.uptime(session, camera_id=camera.id, days=days)
    return [UptimeRead(day=day, online_share=share) for day, share in days_shares]


@router.get("/coverage", response_model=list[CoverageRead])
def read_coverage(session: DbSession) -> list[CoverageRead]:
    """Cameras, online share and coverage estimate per kelurahan (aggregates only)."""
    return [
        CoverageRead(
            kode=row.kode, nama=row.nama, kecamatan=row.kecamatan, cameras=row.cameras,
            online=row.online, public=row.public, online_share=row.online_share,
            coverage=row.coverage,
        )
        for row in coverage.coverage_by_kelurahan(session)
    ]  # fmt: skip


@router.get("/views", response_model=list[ViewRead])
def read_views(
    session: DbSession, actor: CurrentActor, camera: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[ViewRead]:  # fmt: skip
    """Who watched which camera, and who was refused (newest first)."""
    views = access.list_views(session, actor=actor, camera_code=camera, limit=limit)
    return [ViewRead.model_validate(view) for view in views]


@router.post("/cameras/{code}/footage-requests", response_model=FootageReceipt, status_code=201)
def create_footage_request(
    code: str, body: FootageCreate, session: DbSession, actor: CurrentActor
) -> FootageReceipt:
    """Ask an on-request camera's owner for footage (the answer link is shown once)."""
    requested = footage.request_footage(
        session=session, actor=actor, camera=service.get_camera(session, code),
        window_start=body.window_start, window_end=body.window_end, reason=body.reason,
        complaint_tracking=body.complaint_tracking, incident_ref=body.incident_ref,
    )  # fmt: skip
    read = FootageRead.model_validate(requested.request)
    link = f"/cctv/rekaman/{requested.answer_token}"
    return FootageReceipt(**read.model_dump(), answer_link=link)


@router.get("/footage-requests", response_model=list[FootageRead])
def read_footage_requests(session: DbSession, actor: CurrentActor) -> list[FootageRead]:
    """Every footage request (operators)."""
    requests = footage.list_requests(session, actor=actor)
    return [FootageRead.model_validate(item) for item in requests]


@router.post("/footage-requests/{request_id}/cancel", response_model=FootageRead)
def cancel_footage_request(request_id: int, session: DbSession, actor: CurrentActor) -> FootageRead:
    """Withdraw a request still waiting for the owner."""
    request = footage.cancel_footage(session=session, actor=actor, request_id=request_id)
    return FootageRead.model_validate(request)


@router.post("/footage-answers/{token}", response_model=FootageRead)
def answer_footage_request(
    token: str, body: FootageAnswer, session: DbSession, actor: CurrentActor
) -> FootageRead:
    """The owner's answer, through the request's private link."""
    request = footage.answer_footage(
        session=session, actor=actor, approve=body.approve, note=body.note, answer_token=token
    )
    return FootageRead.model_validate(request)


# --- the restreamer ------------------------------------------------------------------------


@router.post("/mediamtx/auth", include_in_schema=False)
def mediamtx_auth(
    body: MediaMtxAuth, request: Request, session: DbSession, key: str = ""
) -> Response:
    """MediaMTX's authentication callback: 200 allows the request, 401 refuses it."""
    secret = request.app.state.settings.cctv_restreamer_secret
    if not restream.key_matches(key, secret):
        return JSONResponse({"error": "unknown caller"}, status_code=403)
    decision = restream.authorize(session, request=body, secret=secret)
    if decision.allowed:
        return JSONResponse({"allowed": True})
    return JSONResponse({"allowed": False, "reason": decision.reason}, status_code=401)


@router.post("/mediamtx/unread", include_in_schema=False)
def mediamtx_unread(
    request: Request, session: DbSession, key: str = "", path: str = "", reader: str = ""
) -> Response:
    """MediaMTX's ``runOnUnread`` hook: a reader left, its viewing record is closed."""
    if not restream.key_matches(key, request.app.state.settings.cctv_restreamer_secret):
        return JSONResponse({"error": "unknown caller"}, status_code=403)
    closed = access.end_views(session, reader_id=reader) if reader else 0
    return JSONResponse({"closed": closed, "path": path[:60]})


def _require_allowed(outcome: access.Watch) -> None:
    if outcome.camera is None:
        raise NotFound("Kamera tidak ditemukan.", "Camera not found.")
    if not outcome.decision.allowed:
        raise PermissionDenied(
            "Anda tidak berwenang melihat kamera ini.", "You may not watch this camera."
        )


def _check_enrolment_quota(request: Request) -> None:
    limiter = enrol_limiter(request.app.state)
    if not limiter.hit(_client(request) or "unknown"):
        raise RateLimited(
            f"Terlalu banyak pendaftaran kamera; coba lagi dalam satu jam "
            f"(paling banyak {ENROLMENTS_PER_HOUR} per jam).",
            f"Too many camera enrolments; try again within an hour "
            f"(at most {ENROLMENTS_PER_HOUR} an hour).",
        )
