"""The forms of one camera's console page: correct it, show its stream addresses or its
owner's contact (each an audited reading), review an enrolled camera, pause, resume or
retire it.

Every post is checked for CSRF; a refused form shows the page again with its errors and
what was typed. Revealed addresses and contacts are rendered in the answer to the post
itself — never in a URL, never cached — and each reading is in the audit log.
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.cctv import service
from pontive.cctv.choices import CameraStatus
from pontive.cctv.console_detail import again, camera_page
from pontive.cctv.console_forms import camera_values, keep_secrets, parse_camera
from pontive.cctv.console_support import (
    CONSOLE,
    FormBody,
    flash,
    redirect_ok,
    refused,
    text,
    typed,
    visible_camera,
)
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=CONSOLE, include_in_schema=False)


@router.get("/{code}", response_class=HTMLResponse)
def show_camera(
    request: Request, code: str, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """One camera: facts, latest image, health history, and what the actor may do."""
    camera = visible_camera(session, actor, code)
    return camera_page(request, session, actor, camera, extra={"flash": flash(ok)})


@router.post("/{code}/ubah", dependencies=[CsrfChecked])
def edit_camera(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save the corrected description, place, sharing or addresses."""
    permissions.require(actor, service.MANAGE)
    camera = visible_camera(session, actor, code)
    lang = get_lang(request)
    parsed = parse_camera(form, session, lang)
    if parsed.errors:
        return again(request, session, actor, camera.code, "edit", parsed.errors, typed(form))
    keep_secrets(parsed.data, form, camera)
    try:
        service.update_camera(session=session, actor=actor, camera=camera, data=parsed.data)
    except InvalidInput as error:
        return again(request, session, actor, code, "edit", refused(error, lang), typed(form))
    return redirect_ok(f"{CONSOLE}/{camera.code}", "saved")


@router.post("/{code}/alamat", dependencies=[CsrfChecked])
def reveal_streams(
    request: Request, code: str, session: DbSession, actor: CurrentActor
) -> Response:
    """Show the camera's stream addresses, credentials included, in its edit form."""
    camera = visible_camera(session, actor, code)
    streams = service.read_streams(session, actor=actor, camera=camera)
    _keep_audit(session)
    values = camera_values(camera) | {name: url or "" for name, url in streams.items()}
    extra = {"streams_shown": streams, "values": values, "failed": "edit"}
    return camera_page(request, session, actor, camera, extra=extra)


@router.post("/{code}/kontak", dependencies=[CsrfChecked])
def reveal_contact(
    request: Request, code: str, session: DbSession, actor: CurrentActor
) -> Response:
    """Show the contributing owner's name, phone and e-mail (reviewers)."""
    camera = visible_camera(session, actor, code)
    contact = service.read_owner_contact(session, actor=actor, camera=camera)
    _keep_audit(session)
    return camera_page(request, session, actor, camera, extra={"contact_shown": contact})


def _keep_audit(session: Session) -> None:
    # service.read_streams and read_owner_contact append their audit event without
    # committing it; the reading must stay on record, so the post commits it.
    session.commit()


@router.post("/{code}/tinjau", dependencies=[CsrfChecked])
def review_camera(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Approve an enrolled camera (it joins the network) or reject it with a reason."""
    camera = visible_camera(session, actor, code)
    lang = get_lang(request)
    approve = text(form, "decision") == "approve"
    pd_kode = text(form, "pd_kode") or None
    if pd_kode is not None and pd_kode not in _pd_codes(session):
        errors = {"pd_kode": [translate("cctv.cc.err.pd", lang)]}
        return again(request, session, actor, code, "review", errors, typed(form))
    try:
        service.review_camera(
            session=session, actor=actor, camera=camera, approve=approve,
            reason=text(form, "reason"), pd_kode=pd_kode,
        )  # fmt: skip
    except (InvalidInput, Conflict) as error:
        errors = refused(error, lang)
        return again(
            request, session, actor, code, "review", errors, typed(form), error.status_code
        )
    return redirect_ok(f"{CONSOLE}/{camera.code}", "approved" if approve else "rejected")


def _pd_codes(session: Session) -> set[str]:
    return {pd.kode for pd in reference.list_perangkat_daerah(session=session)}


@router.post("/{code}/status", dependencies=[CsrfChecked])
def change_status(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Pause, resume or retire a camera, with the reason kept on its record."""
    camera = visible_camera(session, actor, code)
    lang = get_lang(request)
    try:
        target = CameraStatus(text(form, "status"))
        service.set_status(
            session=session, actor=actor, camera=camera, status=target,
            reason=text(form, "reason"),
        )  # fmt: skip
    except ValueError:
        errors = {"status": [translate("cctv.cc.err.status", lang)]}
        return again(request, session, actor, code, "status", errors, typed(form))
    except (InvalidInput, Conflict) as error:
        errors = refused(error, lang)
        return again(
            request, session, actor, code, "status", errors, typed(form), error.status_code
        )
    return redirect_ok(f"{CONSOLE}/{camera.code}", "status")
