"""The posts of one meeting's console page: correct the meeting, write the minutes, record a
decision, turn a decision's action item into a task, and sign the minutes off.

Every post is checked for CSRF; the services check the permission and that the minutes are
not signed off yet (a post after sign-off is refused with 409 and the page says why). A
refused form shows the page again with its errors and what was typed; an accepted one is
committed and lands back on the page at the section it changed, with its confirmation.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from pontive.coordination import meetings
from pontive.coordination.console_meeting_forms import (
    MEETINGS,
    absent_ids,
    parse_meeting,
    parse_task,
)
from pontive.coordination.console_meeting_page import again
from pontive.coordination.console_support import FormBody, refused, text, typed, zone_of
from pontive.coordination.service import ASSIGN_TASKS, MANAGE_MEETINGS
from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=MEETINGS, include_in_schema=False)
Refusal = (InvalidInput, Conflict)


def back(code: str, ok: str, anchor: str) -> RedirectResponse:
    """Back to the meeting's page at ``anchor`` after a post, with its confirmation."""
    return RedirectResponse(f"{MEETINGS}/{code}?{urlencode({'ok': ok})}#{anchor}", 303)


@router.post("/{code}/ubah", dependencies=[CsrfChecked])
def edit_meeting(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Correct the title, time, place, chair, agenda, incident or attendees."""
    permissions.require(actor, MANAGE_MEETINGS)
    meeting = meetings.get_meeting(session, actor=actor, code=code)
    lang = get_lang(request)
    parsed = parse_meeting(form, zone_of(request), lang)
    try:
        # A time that could not be read goes as none, which the service refuses with the
        # other fields' errors; the reading's own message then stands for it.
        meetings.update_meeting(session, actor=actor, meeting=meeting, data=parsed.data)
    except Refusal as error:
        errors = refused(error, lang) | parsed.errors
        return again(request, session, actor, code, "edit", errors, typed(form), error.status_code)
    session.commit()
    return back(meeting.code, "meeting_saved", "rapat")


@router.post("/{code}/notulen", dependencies=[CsrfChecked])
def write_minutes(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save the minutes and who was absent; the meeting counts as held."""
    permissions.require(actor, MANAGE_MEETINGS)
    meeting = meetings.get_meeting(session, actor=actor, code=code)
    absent = absent_ids(form)
    try:
        meetings.record_minutes(
            session, actor=actor, meeting=meeting, minutes=text(form, "minutes"), absent=absent
        )
    except Refusal as error:
        errors = refused(error, get_lang(request))
        return again(
            request, session, actor, code, "minutes", errors, typed(form), error.status_code,
            absent=absent,
        )  # fmt: skip
    session.commit()
    return back(meeting.code, "minutes", "notulen")


@router.post("/{code}/keputusan", dependencies=[CsrfChecked])
def record_decision(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Record a decision (also written into the incident's timeline)."""
    permissions.require(actor, MANAGE_MEETINGS)
    meeting = meetings.get_meeting(session, actor=actor, code=code)
    try:
        meetings.add_decision(session, actor=actor, meeting=meeting, text=text(form, "decision"))
    except Refusal as error:
        errors = refused(error, get_lang(request))
        return again(
            request, session, actor, code, "decision", errors, typed(form), error.status_code
        )
    session.commit()
    return back(meeting.code, "decision", "keputusan")


@router.post("/{code}/keputusan/{decision_id}/tugas", dependencies=[CsrfChecked])
def assign_action_item(
    request: Request,
    code: str,
    decision_id: int,
    session: DbSession,
    actor: CurrentActor,
    form: FormBody,
) -> Response:
    """Turn a decision's action item into a task for an agency (also after sign-off: the
    signed minutes do not change, the follow-up goes on)."""
    permissions.require(actor, ASSIGN_TASKS)
    meeting = meetings.get_meeting(session, actor=actor, code=code)
    lang = get_lang(request)
    failed = f"task-{decision_id}"
    parsed = parse_task(form, zone_of(request), lang)
    if parsed.errors:
        return again(request, session, actor, code, failed, parsed.errors, typed(form))
    try:
        meetings.decision_to_task(
            session, actor=actor, meeting=meeting, decision_id=decision_id, data=parsed.data
        )
    except Refusal as error:
        errors = refused(error, lang)
        return again(request, session, actor, code, failed, errors, typed(form), error.status_code)
    session.commit()
    return back(meeting.code, "task_created", f"keputusan-{decision_id}")


@router.post("/{code}/sahkan", dependencies=[CsrfChecked])
def sign_minutes(
    request: Request, code: str, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Sign the minutes off: the PDF is generated once, stored with its SHA-256, and the
    meeting no longer changes."""
    permissions.require(actor, MANAGE_MEETINGS)
    meeting = meetings.get_meeting(session, actor=actor, code=code)
    try:
        meetings.sign_off(
            session, actor=actor, meeting=meeting, signed_by=text(form, "signed_by"),
            media=request.app.state.media,
        )  # fmt: skip
    except Refusal as error:
        errors = refused(error, get_lang(request))
        return again(request, session, actor, code, "sign", errors, typed(form), error.status_code)
    session.commit()
    return back(meeting.code, "signed", "pengesahan")
