"""The forms of one incident's page: correct it, move its status, close it with a summary and
lessons (the report is generated), publish the report, add a situation report, a decision or
a photo to the timeline, involve agencies, link a suggested item in one click (or any item by
its code), unlink, and assign a task.

Every post is checked for CSRF and by the services; a refused form shows the page again with
its errors and what was typed (422, or 409 when the incident moved on meanwhile). A photo is
cleaned (``complaints.photos.process_photo``: upright, resized, no metadata) before it is
stored under ``coordination/photos``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from pontive.complaints.photos import MAX_UPLOAD_BYTES, process_photo
from pontive.coordination import links, reports, service, tasks
from pontive.coordination.choices import EntryKind
from pontive.coordination.console_incident_forms import (
    chosen,
    form_values,
    parse_incident,
    parse_task,
)
from pontive.coordination.console_incident_page import again
from pontive.coordination.console_support import (
    CONSOLE,
    FormBody,
    redirect_ok,
    refused,
    text,
    typed,
    zone_of,
)
from pontive.coordination.models import Incident
from pontive.core import permissions
from pontive.core.errors import Conflict, DomainError, InvalidInput
from pontive.core.identity import Actor
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=CONSOLE, include_in_schema=False)
PHOTO_FOLDER = "coordination/photos"
# Where each form sits on the page, to land back on it.
ANCHORS = {
    "status": "status",
    "close": "penutupan",
    "note": "kronologi",
    "photo": "kronologi",
    "agencies": "pd",
    "link": "saran",
    "unlink": "tautan",
    "task": "tugas",
    "edit": "ubah",
    "publish": "laporan",
}


def _incident(session: Session, actor: Actor, code: str) -> Incident:
    return service.get_incident(session, actor=actor, code=code.upper())


def _done(session: Session, incident: Incident, ok: str, form: str) -> Response:
    session.commit()
    response = redirect_ok(f"{CONSOLE}/{incident.code}", ok)
    response.headers["location"] += f"#{ANCHORS[form]}"
    return response


def _refused(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    form_name: str,
    error: DomainError,
    sent: dict[str, Any],
) -> Response:
    errors = refused(error, get_lang(request))
    return again(request, session, actor, code.upper(), form_name, errors, sent, error.status_code)


@router.post("/{code}/ubah", dependencies=[CsrfChecked])
def edit_incident(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Correct an open incident's facts (the timeline says what changed)."""
    permissions.require(actor, service.MANAGE_INCIDENTS)
    incident = _incident(session, actor, code)
    data = parse_incident(form, get_lang(request))
    try:
        service.update_incident(session, actor=actor, incident=incident, data=data)
    except (InvalidInput, Conflict) as error:
        return _refused(request, session, actor, code, "edit", error, form_values(form))
    return _done(session, incident, "saved", "edit")


@router.post("/{code}/status", dependencies=[CsrfChecked])
def change_status(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """One step forward or back (dibuka → ditangani → terkendali), with a note."""
    permissions.require(actor, service.MANAGE_INCIDENTS)
    incident = _incident(session, actor, code)
    try:
        service.set_status(
            session, actor=actor, incident=incident, status=text(form, "status"),
            note=text(form, "note"),
        )  # fmt: skip
    except (InvalidInput, Conflict) as error:
        return _refused(request, session, actor, code, "status", error, typed(form))
    return _done(session, incident, "status", "status")


@router.post("/{code}/tutup", dependencies=[CsrfChecked])
def close_incident(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Close with a summary and lessons; the incident report is generated and stored."""
    permissions.require(actor, service.MANAGE_INCIDENTS)
    incident = _incident(session, actor, code)
    try:
        reports.close_incident(
            session, actor=actor, incident=incident, summary=text(form, "summary"),
            lessons=text(form, "lessons"), media=request.app.state.media,
        )  # fmt: skip
    except (InvalidInput, Conflict) as error:
        return _refused(request, session, actor, code, "close", error, typed(form))
    return _done(session, incident, "closed", "publish")


@router.post("/{code}/publikasi", dependencies=[CsrfChecked])
def publish_report(
    request: Request, code: str, session: DbSession, actor: CurrentActor
) -> Response:
    """Publish the public version of the closed incident's report (``/insiden/<code>``)."""
    permissions.require(actor, service.MANAGE_INCIDENTS)
    incident = _incident(session, actor, code)
    try:
        reports.publish_report(
            session, actor=actor, incident=incident, media=request.app.state.media
        )
    except Conflict as error:
        return _refused(request, session, actor, code, "publish", error, {})
    return _done(session, incident, "published", "publish")


@router.post("/{code}/catatan", dependencies=[CsrfChecked])
def add_note(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """A situation report (officers of involved agencies too) or a decision (operators)."""
    incident = _incident(session, actor, code)
    kind = EntryKind.DECISION if text(form, "kind") == "decision" else EntryKind.UPDATE
    try:
        service.add_entry(
            session, actor=actor, incident=incident, kind=kind, text=text(form, "text")
        )
    except (InvalidInput, Conflict) as error:
        return _refused(request, session, actor, code, "note", error, typed(form))
    return _done(session, incident, "noted", "note")


async def _upload_form(request: Request) -> AsyncIterator[FormData]:
    # web/forms.FormBody leaves an upload's spooled temporary file open: close it once the
    # response is sent (the CSRF check and the route share Starlette's one parse).
    form = await request.form()
    try:
        yield form
    finally:
        await form.close()


UploadBody = Annotated[FormData, Depends(_upload_form)]


def _upload(form: FormData) -> bytes:
    item = form.get("photo")
    if isinstance(item, UploadFile) and item.filename:
        return item.file.read(MAX_UPLOAD_BYTES + 1)
    return b""


@router.post("/{code}/foto", dependencies=[CsrfChecked])
def add_photo(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: UploadBody
) -> Response:
    """A photo from the field, with a caption, into the timeline."""
    incident = _incident(session, actor, code)
    if not (service.may_report(actor, incident) or service.may_manage(actor)):
        permissions.require(actor, service.MANAGE_INCIDENTS)
    media = request.app.state.media
    raw, key = _upload(form), None
    try:
        if not raw:
            message = translate("coord.inc.err.photo", get_lang(request))
            raise InvalidInput(message, message, errors={"photo": [message]})
        photo = process_photo(raw)
        key = media.save(photo.data, folder=PHOTO_FOLDER, suffix=".jpg")
        service.add_entry(
            session, actor=actor, incident=incident, kind=EntryKind.PHOTO,
            text=text(form, "caption"), photo_key=key,
        )  # fmt: skip
    except (InvalidInput, Conflict) as error:
        if key is not None:
            media.delete(key)  # the entry was refused: keep no orphan file
        if "photos" in error.errors:
            error.errors["photo"] = error.errors.pop("photos")
        return _refused(request, session, actor, code, "photo", error, typed(form))
    return _done(session, incident, "noted", "photo")


@router.post("/{code}/pd", dependencies=[CsrfChecked])
def add_agencies(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Involve more Perangkat Daerah, with what they do here."""
    permissions.require(actor, service.MANAGE_INCIDENTS)
    incident = _incident(session, actor, code)
    try:
        service.add_agencies(
            session, actor=actor, incident=incident, codes=chosen(form, "agencies"),
            role=text(form, "role"),
        )  # fmt: skip
    except (InvalidInput, Conflict) as error:
        return _refused(request, session, actor, code, "agencies", error, form_values(form))
    return _done(session, incident, "agencies", "agencies")


@router.post("/{code}/tautan", dependencies=[CsrfChecked])
def link_item(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Link a report, camera, station or alert: one click from a suggestion, or by code."""
    permissions.require(actor, service.MANAGE_INCIDENTS)
    incident = _incident(session, actor, code)
    try:
        links.link_item(
            session, actor=actor, incident=incident, item_type=text(form, "item_type"),
            ref=text(form, "ref"),
        )  # fmt: skip
    except (InvalidInput, Conflict) as error:
        return _refused(request, session, actor, code, "link", error, typed(form))
    return _done(session, incident, "linked", "link")


@router.post("/{code}/tautan/{link_id}/lepas", dependencies=[CsrfChecked])
def unlink_item(
    request: Request, code: str, link_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """Remove a link made by mistake (the timeline keeps both lines)."""
    permissions.require(actor, service.MANAGE_INCIDENTS)
    incident = _incident(session, actor, code)
    try:
        links.unlink_item(session, actor=actor, incident=incident, link_id=link_id)
    except Conflict as error:
        return _refused(request, session, actor, code, "unlink", error, {})
    return _done(session, incident, "unlinked", "unlink")


@router.post("/{code}/tugas", dependencies=[CsrfChecked])
def create_task(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Assign a task of this incident to a Perangkat Daerah."""
    permissions.require(actor, service.ASSIGN_TASKS)
    incident = _incident(session, actor, code)
    lang = get_lang(request)
    data, unreadable = parse_task(form, zone_of(request), lang)
    try:
        # An unreadable due time is reported with the service's own findings, not alone.
        tasks.create_task(session, actor=actor, data=data, incident=incident)
        if unreadable:
            raise InvalidInput(errors=unreadable)
    except (InvalidInput, Conflict) as error:
        if isinstance(error, InvalidInput):
            error.errors.update(unreadable)
        return _refused(request, session, actor, code, "task", error, typed(form))
    return _done(session, incident, "task_created", "task")
