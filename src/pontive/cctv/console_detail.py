"""One camera's console page (``/console/cctv/<code>``), built here so that every form on
it (edit, review, status, footage) can show the same page again with its errors.

What the page shows follows the actor's permissions: the forms of actions the role lacks are
not offered (the services check again on every post). The latest image is fetched by the
browser through the snapshot route inside a view it opens (``access.watch``), and only when
the actor may watch the camera and there is something to see.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from pontive.cctv import access, footage, service, service_health
from pontive.cctv.choices import CameraStatus, Sharing
from pontive.cctv.console_forms import (
    camera_values,
    form_options,
    stored_contact,
    stored_streams,
)
from pontive.cctv.console_support import (
    CONSOLE,
    Errors,
    kelurahan_names,
    page,
    pd_names,
)
from pontive.cctv.models import Camera
from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.web.deps import get_lang
from pontive.web.i18n import translate
from pontive.web.panels import panels_for

CHECKS_SHOWN = 12
UPTIME_DAYS = 7
# What staff may move a camera to from its status (``service.set_status``).
STATUS_MOVES: dict[CameraStatus, tuple[CameraStatus, ...]] = {
    CameraStatus.AKTIF: (CameraStatus.DIJEDA, CameraStatus.NONAKTIF),
    CameraStatus.DIJEDA: (CameraStatus.AKTIF, CameraStatus.NONAKTIF),
    CameraStatus.NONAKTIF: (CameraStatus.AKTIF,),
}


def status_moves(camera: Camera) -> tuple[CameraStatus, ...]:
    """The statuses offered on the camera's page. A contributed camera that is paused is
    not resumed by staff: its owner may have paused it, and sharing is the owner's say."""
    moves = STATUS_MOVES.get(camera.status, ())
    if camera.owner_type.is_contributed and camera.status is CameraStatus.DIJEDA:
        moves = tuple(move for move in moves if move is not CameraStatus.AKTIF)
    return moves


# Why a camera cannot be watched, as its page says it (``access.decide``'s reason codes).
REFUSALS = ("on_request", "not_shared", "other_pd", "role")


def _watching(request: Request, actor: Actor, camera: Camera, lang: str) -> dict[str, Any]:
    """Whether the browser should open a view, and what it may find there."""
    decision = access.decide(actor, camera)
    restreamer = request.app.state.settings.cctv_restreamer_public_url
    may_stream = bool(restreamer) and camera.restreamed
    refusal = decision.reason if decision.reason in REFUSALS else "status"
    return {
        "can_watch": decision.allowed,
        "watch_reason": decision.reason,
        "refusal_text": translate(f"cctv.cc.reason.{refusal}", lang),
        "has_snapshot": bool(camera.snapshot_key),
        "may_stream": may_stream,
        "opens_view": decision.allowed and (bool(camera.snapshot_key) or may_stream),
    }


def _abilities(session: Session, actor: Actor, camera: Camera, lang: str) -> dict[str, Any]:
    """Which of the page's forms the actor is offered (the services check again)."""
    can_manage = permissions.can(actor, service.MANAGE)
    can_review = permissions.can(actor, service.REVIEW)
    can_footage = permissions.can(actor, service.REQUEST_FOOTAGE)
    is_footage_camera = camera.sharing is Sharing.ON_REQUEST and camera.status is CameraStatus.AKTIF
    moves = status_moves(camera) if can_manage else ()
    return {
        "can_manage": can_manage,
        "can_review": can_review and camera.status is CameraStatus.DIAJUKAN,
        "can_read_contact": can_review and stored_contact(camera),
        "moves": [(m.value, translate(f"cctv.cc.status.to_{m.value}", lang)) for m in moves],
        "footage_form": can_footage and is_footage_camera,
        "requests": footage.list_requests(session, camera=camera) if can_footage else [],
    }


def _health(session: Session, camera: Camera) -> dict[str, Any]:
    """The camera's latest checks and its daily uptime."""
    return {
        "checks": service_health.latest_checks(session, camera_id=camera.id, limit=CHECKS_SHOWN),
        "uptime": service_health.uptime(session, camera_id=camera.id, days=UPTIME_DAYS),
    }


def camera_page(
    request: Request,
    session: Session,
    actor: Actor,
    camera: Camera,
    *,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The camera's page: facts, image, health, and the forms the actor may use."""
    lang = get_lang(request)
    context = (
        form_options(session, lang)
        | _watching(request, actor, camera, lang)
        | _abilities(session, actor, camera, lang)
        | _health(session, camera)
        | {
            "camera": camera,
            # What other domains offer about this camera (coordination: an incident from it).
            "panels": panels_for("cctv.camera", session, actor, camera, lang=lang),
            "kelurahan": kelurahan_names(session),
            "pd_names": pd_names(session),
            "stored_streams": stored_streams(camera),
            "has_contact": stored_contact(camera),
            "values": camera_values(camera),
            "sent": {},
            "failed": "",
            "errors": {},
            "streams_shown": None,
            "contact_shown": None,
        }
        | (extra or {})
    )
    template = "cctv/console_camera.html"
    return page(request, actor, template, context, status_code=status_code, section=CONSOLE)


def again(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    failed: str,
    errors: Errors,
    sent: dict[str, str],
    status_code: int = 422,
) -> Response:
    """The camera's page once more after a refused form, with what was typed."""
    session.rollback()
    camera = service.get_camera(session, code)
    extra: dict[str, Any] = {"failed": failed, "errors": errors, "sent": sent}
    if failed == "edit":
        extra["values"] = sent
    return camera_page(request, session, actor, camera, extra=extra, status_code=status_code)
