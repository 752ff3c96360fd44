"""The camera registry of the console (``/console/cctv``): every camera the actor may read
with its status, sharing and health, filters, counts, a map coloured by health; and the form
that registers a city camera (``/console/cctv/baru``).

A PD officer's registry holds the PD's own cameras and the public ones
(``service.list_registry``); registering needs ``cctv.manage``.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.cctv import service
from pontive.cctv.choices import CameraStatus, Health, Sharing
from pontive.cctv.console_forms import NEW_VALUES, form_options, parse_camera
from pontive.cctv.console_support import (
    CONSOLE,
    HEALTH_ORDER,
    Errors,
    FormBody,
    flash,
    kelurahan_names,
    page,
    pd_names,
    redirect_ok,
    refused,
    typed,
)
from pontive.cctv.models import Camera
from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=CONSOLE, include_in_schema=False)

Filter = Annotated[str, Query(max_length=20)]


def _filtered(
    cameras: list[Camera], health: Health | None, sharing: Sharing | None
) -> list[Camera]:
    return [
        camera
        for camera in cameras
        if (health is None or camera.health is health)
        and (sharing is None or camera.sharing is sharing)
    ]


Choice = TypeVar("Choice", CameraStatus, Health, Sharing)


def _choice(kind: type[Choice], raw: str) -> Choice | None:
    try:
        return kind(raw) if raw else None
    except ValueError:
        return None  # an unknown filter value filters nothing, as an empty one


def counts(cameras: list[Camera]) -> dict[str, int]:
    """The registry's headline numbers: active, active and online, awaiting review."""
    active = [camera for camera in cameras if camera.status is CameraStatus.AKTIF]
    return {
        "active": len(active),
        "online": sum(1 for camera in active if camera.health is Health.ONLINE),
        "offline": sum(1 for camera in active if camera.health is Health.OFFLINE),
        "pending": sum(1 for camera in cameras if camera.status is CameraStatus.DIAJUKAN),
        "total": len(cameras),
    }


def health_counts(cameras: list[Camera]) -> dict[str, int]:
    """Active cameras by the health their last check found."""
    found: dict[str, int] = {}
    for camera in cameras:
        if camera.status is CameraStatus.AKTIF:
            found[camera.health.value] = found.get(camera.health.value, 0) + 1
    return found


def map_items(cameras: list[Camera], lang: str) -> list[dict[str, Any]]:
    """The cameras as the console map draws them (no addresses, no owners)."""
    return [
        {
            "code": camera.code,
            "name": camera.name,
            "lat": camera.lat,
            "lon": camera.lon,
            "direction": camera.direction_deg,
            "health": camera.health.value,
            "label": f"{camera.health.label(lang)} · {camera.status.label(lang)}",
            "url": f"{CONSOLE}/{camera.code}",
        }
        for camera in cameras
    ]


@router.get("", response_class=HTMLResponse)
def registry(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    status: Filter = "",
    health: Filter = "",
    sharing: Filter = "",
    ok: Filter = "",
) -> Response:
    """The registry with its counts, filters and map."""
    lang = get_lang(request)
    everything = service.list_registry(session, actor=actor)
    chosen_status = _choice(CameraStatus, status)
    cameras = [c for c in everything if chosen_status is None or c.status is chosen_status]
    cameras = _filtered(cameras, _choice(Health, health), _choice(Sharing, sharing))
    context = {
        "cameras": cameras,
        "counts": counts(everything),
        "pending": [c for c in everything if c.status is CameraStatus.DIAJUKAN],
        "filters": {"status": status, "health": health, "sharing": sharing},
        "is_filtered": bool(status or health or sharing),
        "statuses": CameraStatus.options(lang),
        "healths": [(h.value, h.label(lang)) for h in HEALTH_ORDER],
        "sharings": Sharing.options(lang),
        "legend": HEALTH_ORDER,
        "health_counts": health_counts(everything),
        "items": map_items(cameras, lang),
        "kelurahan": kelurahan_names(session),
        "pds": pd_names(session),
        "can_manage": permissions.can(actor, service.MANAGE),
        "can_review": permissions.can(actor, service.REVIEW),
        "flash": flash(ok),
    }
    return page(request, actor, "cctv/console_registry.html", context)


def new_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, str] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    """The form registering a city camera (again with what was typed and its errors)."""
    permissions.require(actor, service.MANAGE)
    context = form_options(session, get_lang(request)) | {
        "values": values if values is not None else dict(NEW_VALUES),
        "errors": errors or {},
    }
    return page(
        request, actor, "cctv/console_new.html", context, status_code=status_code, section=CONSOLE
    )


@router.get("/baru", response_class=HTMLResponse)
def new_camera(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The form to register a city camera."""
    return new_page(request, session, actor)


@router.post("/baru", dependencies=[CsrfChecked])
def create_camera(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Register a city camera: active at once, its page next."""
    permissions.require(actor, service.MANAGE)
    lang = get_lang(request)
    parsed = parse_camera(form, session, lang)
    if parsed.errors:
        return new_page(
            request, session, actor, values=typed(form), errors=parsed.errors, status_code=422
        )
    try:
        camera = service.register_camera(session=session, actor=actor, data=parsed.data)
    except InvalidInput as error:
        session.rollback()
        found = refused(error, lang)
        return new_page(request, session, actor, values=typed(form), errors=found, status_code=422)
    return redirect_ok(f"{CONSOLE}/{camera.code}", "registered")
