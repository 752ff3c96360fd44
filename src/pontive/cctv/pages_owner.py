"""The owner's private pages: the receipt after enrolment, the camera's page
(``/cctv/pemilik/<token>``: status, pause, resume, withdraw, footage requests) and one footage
request's answer page (``/cctv/rekaman/<token>``).

The link is the owner's key (only its hash is stored): these pages are never cached, never
indexed and send no referrer. Every choice takes effect at once, because every view is
decided per request from the stored status (``cctv/access.py``). Withdrawing asks for a
confirmation first (``/tarik``), and works without JavaScript like everything here.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from starlette.responses import RedirectResponse, Response

from pontive.cctv import footage, service
from pontive.cctv.choices import FootageStatus, Sharing
from pontive.cctv.models import Camera, FootageRequest
from pontive.cctv.pages_footage import footage_view, is_approval
from pontive.cctv.pages_support import camera_card, localised, place_names, private_page
from pontive.core.errors import Conflict, InvalidInput
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

NOTICES = frozenset({*service.OWNER_ACTIONS, "footage"})
Action = Annotated[str, Form(max_length=20)]
Answer = Annotated[str, Form(max_length=10)]
Note = Annotated[str, Form(max_length=2000)]


def _owner_context(request: Request, session: DbSession, camera: Camera) -> dict[str, object]:
    lang, zone = get_lang(request), request.app.state.settings.zone
    requests = footage.list_requests(session, camera=camera)
    return {
        "camera": camera,
        "card": camera_card(camera, lang=lang, places=place_names(session), zone=zone),
        "actions": [
            action
            for action, (allowed, _target) in service.OWNER_ACTIONS.items()
            if camera.status in allowed
        ],
        "is_public": camera.is_shared and camera.sharing is Sharing.PUBLIK,
        "streams": [name for name in service.STREAM_FIELDS if getattr(camera, name)],
        "requests": [footage_view(item, zone) for item in requests],
        "waiting": sum(1 for item in requests if item.status is FootageStatus.MENUNGGU),
    }


def _render_owner(
    request: Request,
    session: DbSession,
    camera: Camera,
    token: str,
    *,
    notice: str | None = None,
    problem: str | None = None,
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    context = _owner_context(request, session, camera)
    context |= {"token": token, "notice": notice, "problem": problem, "errors": errors or {}}
    response = render(request, "cctv/owner_camera.html", context, status_code=status_code)
    return private_page(response)


@router.get("/cctv/pemilik/{token}/terdaftar")
def receipt(request: Request, token: str, session: DbSession) -> Response:
    """Right after enrolment: the camera's code and the private link to keep."""
    camera = service.owner_camera(session, token)
    context = {"camera": camera, "token": token}
    return private_page(render(request, "cctv/owner_receipt.html", context))


@router.get("/cctv/pemilik/{token}")
def owner_page(request: Request, token: str, session: DbSession, ok: str | None = None) -> Response:
    """The owner's camera: its status and health, their choices, footage requests."""
    camera = service.owner_camera(session, token)
    notice = ok if ok in NOTICES else None
    return _render_owner(request, session, camera, token, notice=notice)


@router.get("/cctv/pemilik/{token}/tarik")
def confirm_withdrawal(request: Request, token: str, session: DbSession) -> Response:
    """ "Withdraw for good?": what withdrawing means, before it is done."""
    camera = service.owner_camera(session, token)
    if camera.status not in service.OWNER_ACTIONS["withdraw"][0]:
        return RedirectResponse(f"/cctv/pemilik/{token}", status_code=303)
    context = {"camera": camera, "token": token}
    return private_page(render(request, "cctv/owner_withdraw.html", context))


@router.post("/cctv/pemilik/{token}/tindakan", dependencies=[CsrfChecked])
def owner_action(
    request: Request,
    token: str,
    session: DbSession,
    actor: CurrentActor,
    action: Action,
    confirm: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Pause, resume or (confirmed) withdraw sharing; effective for the next request."""
    if action == "withdraw" and confirm != "ya":
        return RedirectResponse(f"/cctv/pemilik/{token}/tarik", status_code=303)
    try:
        service.owner_action(session=session, actor=actor, token=token, action=action)
    except (Conflict, InvalidInput) as error:
        session.rollback()
        camera = service.owner_camera(session, token)
        problem = error.message(get_lang(request))
        return _render_owner(
            request, session, camera, token, problem=problem, status_code=error.status_code
        )
    return RedirectResponse(f"/cctv/pemilik/{token}?ok={action}#status", status_code=303)


@router.post("/cctv/pemilik/{token}/rekaman/{request_id}", dependencies=[CsrfChecked])
def answer_from_owner_page(
    request: Request,
    token: str,
    request_id: int,
    session: DbSession,
    actor: CurrentActor,
    answer: Answer,
    note: Note = "",
) -> Response:
    """Agree to or decline one footage request from the camera's page."""
    try:
        footage.answer_footage(
            session=session,
            actor=actor,
            approve=is_approval(answer),
            note=note,
            owner_token=token,
            request_id=request_id,
        )
    except (Conflict, InvalidInput) as error:
        session.rollback()
        camera = service.owner_camera(session, token)
        lang = get_lang(request)
        return _render_owner(
            request,
            session,
            camera,
            token,
            problem=error.message(lang),
            errors=localised(error.errors, lang),
            status_code=error.status_code,
        )
    return RedirectResponse(
        f"/cctv/pemilik/{token}?ok=footage#rekaman-{request_id}", status_code=303
    )


def _render_request(
    request: Request,
    session: DbSession,
    item: FootageRequest,
    token: str,
    *,
    done: bool = False,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    zone = request.app.state.settings.zone
    camera = session.get(Camera, item.camera_id)
    context = {
        "item": footage_view(item, zone),
        "camera_name": camera.name if camera is not None else "",
        "camera_code": camera.code if camera is not None else "",
        "token": token,
        "done": done,
        "problem": problem,
    }
    response = render(request, "cctv/owner_footage.html", context, status_code=status_code)
    return private_page(response)


@router.get("/cctv/rekaman/{token}")
def footage_page(
    request: Request, token: str, session: DbSession, ok: str | None = None
) -> Response:
    """One footage request, through the link the operator forwarded to the owner."""
    item = footage.get_by_answer_token(session, token)
    return _render_request(request, session, item, token, done=ok == "1")


@router.post("/cctv/rekaman/{token}", dependencies=[CsrfChecked])
def answer_footage_page(
    request: Request,
    token: str,
    session: DbSession,
    actor: CurrentActor,
    answer: Answer,
    note: Note = "",
) -> Response:
    """Agree to or decline the request."""
    try:
        footage.answer_footage(
            session=session,
            actor=actor,
            approve=is_approval(answer),
            note=note,
            answer_token=token,
        )
    except (Conflict, InvalidInput) as error:
        session.rollback()
        item = footage.get_by_answer_token(session, token)
        problem = error.message(get_lang(request))
        return _render_request(
            request, session, item, token, problem=problem, status_code=error.status_code
        )
    return RedirectResponse(f"/cctv/rekaman/{token}?ok=1", status_code=303)
