"""Footage on request in the console: ask an on-request camera's owner for a time window
(from the camera's page), the list of requests waiting for and answered by owners
(``/console/cctv/rekaman``), and withdrawing a request still waiting.

The owner answers through a private link that is shown once, to the operator who asked, to
forward to the owner (``footage.request_footage`` keeps only its hash). Times are typed in
WIB (``datetime-local``) and stored in UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from pontive.cctv import footage, service
from pontive.cctv.choices import FootageStatus
from pontive.cctv.console_detail import again
from pontive.cctv.console_support import (
    CONSOLE,
    Errors,
    FormBody,
    flash,
    page,
    parse_local_time,
    redirect_ok,
    refused,
    text,
    typed,
    visible_camera,
    zone_of,
)
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=CONSOLE, include_in_schema=False)
FOOTAGE = f"{CONSOLE}/rekaman"


def footage_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """Requests waiting for their owners, then those answered or closed."""
    requests = footage.list_requests(session, actor=actor)
    cameras = {camera.id: camera for camera in service.list_registry(session, actor=actor)}
    context: dict[str, Any] = {
        "waiting": [r for r in requests if r.status is FootageStatus.MENUNGGU],
        "closed": [r for r in requests if r.status is not FootageStatus.MENUNGGU],
        "cameras": cameras,
        "answer_link": None,
        "new_request": None,
        "errors": {},
    } | (extra or {})
    return page(
        request,
        actor,
        "cctv/console_footage.html",
        context,
        status_code=status_code,
        section=FOOTAGE,
    )


@router.get("/rekaman", response_class=HTMLResponse)
def footage_list(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """Every footage request, waiting ones first."""
    return footage_page(request, session, actor, extra={"flash": flash(ok)})


@router.post("/rekaman/{request_id:int}/batalkan", dependencies=[CsrfChecked])
def cancel_request(
    request: Request, request_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """Withdraw a request the owner has not answered yet."""
    try:
        footage.cancel_footage(session=session, actor=actor, request_id=request_id)
    except (Conflict, NotFound) as error:
        session.rollback()
        errors = refused(error, get_lang(request))
        return footage_page(
            request, session, actor, extra={"errors": errors}, status_code=error.status_code
        )
    return redirect_ok(FOOTAGE, "cancelled")


def _window(form: FormData, request: Request, errors: Errors) -> tuple[datetime, datetime] | None:
    """The window typed in WIB, as aware instants; ``None`` with errors otherwise."""
    zone, lang = zone_of(request), get_lang(request)
    found: dict[str, datetime] = {}
    for name in ("window_start", "window_end"):
        try:
            found[name] = parse_local_time(text(form, name), zone)
        except ValueError:
            errors[name] = [translate("cctv.cc.err.time", lang)]
    if errors:
        return None
    return found["window_start"], found["window_end"]


@router.post("/{code}/rekaman", dependencies=[CsrfChecked])
def request_footage(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Ask the owner of an on-request camera for footage; the answer link is shown once."""
    camera = visible_camera(session, actor, code)
    lang = get_lang(request)
    errors: Errors = {}
    window = _window(form, request, errors)
    if window is None:
        return again(request, session, actor, camera.code, "footage", errors, typed(form))
    try:
        requested = footage.request_footage(
            session=session, actor=actor, camera=camera,
            window_start=window[0], window_end=window[1], reason=text(form, "reason"),
            complaint_tracking=text(form, "complaint_tracking"),
            incident_ref=text(form, "incident_ref"),
        )  # fmt: skip
    except (InvalidInput, Conflict) as error:
        found = refused(error, lang)
        return again(
            request, session, actor, code, "footage", found, typed(form), error.status_code
        )
    base = request.app.state.settings.base_url.rstrip("/")
    extra = {
        "answer_link": f"{base}/cctv/rekaman/{requested.answer_token}",
        "new_request": requested.request,
    }
    return footage_page(request, session, actor, extra=extra, status_code=201)
