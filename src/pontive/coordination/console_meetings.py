"""Coordination meetings in the console (``/console/koordinasi/rapat``): the list (upcoming
first, then past), scheduling a meeting (optionally about an incident:
``/rapat/baru?insiden=<code>``), one meeting's page (``console_meeting_page``, its posts in
``console_meeting_actions``) and its minutes as PDF — a draft before sign-off, the stored
signed copy after.

A PD officer sees only the meetings its agency attends (``meetings.list_meetings``);
scheduling needs ``coordination.meeting.manage``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.coordination import console_meeting_actions, meetings
from pontive.coordination.console_meeting_forms import (
    MEETINGS,
    attendee_rows,
    incident_options,
    new_values,
    parse_meeting,
    pd_options,
)
from pontive.coordination.console_meeting_page import meeting_page
from pontive.coordination.console_support import (
    Errors,
    FormBody,
    flash,
    page,
    pd_names,
    redirect_ok,
    refused,
    typed,
    zone_of,
)
from pontive.coordination.models import Meeting
from pontive.coordination.service import MANAGE_MEETINGS
from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

# What ``pages.py`` includes: these pages, then the posts of a meeting's page.
router = PontiveRouter(include_in_schema=False)
pages = PontiveRouter(prefix=MEETINGS, include_in_schema=False)

Short = Annotated[str, Query(max_length=40)]


def split_by_time(rows: list[Meeting]) -> tuple[list[Meeting], list[Meeting]]:
    """Meetings still to come (the soonest first) and those held (the latest first)."""
    now = utcnow()
    upcoming = sorted((m for m in rows if m.starts_at >= now), key=lambda m: m.starts_at)
    past = sorted((m for m in rows if m.starts_at < now), key=lambda m: m.starts_at, reverse=True)
    return upcoming, past


@pages.get("", response_class=HTMLResponse)
def meeting_list(
    request: Request, session: DbSession, actor: CurrentActor, ok: Short = ""
) -> Response:
    """Every meeting the actor may see: upcoming first, then past."""
    upcoming, past = split_by_time(meetings.list_meetings(session, actor=actor))
    context = {
        "upcoming": upcoming,
        "past": past,
        "pds": pd_names(session),
        "can_manage": permissions.can(actor, MANAGE_MEETINGS),
        "flash": flash(ok),
    }
    return page(request, actor, "coordination/meeting_list.html", context)


def new_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, str],
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    """The form scheduling a meeting (again with what was typed and its errors)."""
    permissions.require(actor, MANAGE_MEETINGS)
    context = {
        "values": values,
        "errors": errors or {},
        "rows": attendee_rows(values),
        "pd_options": pd_options(session),
        "incidents": incident_options(session, actor, values.get("incident_code", "")),
    }
    return page(request, actor, "coordination/meeting_new.html", context, status_code=status_code)


@pages.get("/baru", response_class=HTMLResponse)
def new_meeting(
    request: Request, session: DbSession, actor: CurrentActor, insiden: Short = ""
) -> Response:
    """The form to schedule a meeting, about the incident ``insiden`` when given."""
    return new_page(request, session, actor, values=new_values(insiden))


@pages.post("/baru", dependencies=[CsrfChecked])
def create_meeting(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Schedule the meeting; its page next."""
    permissions.require(actor, MANAGE_MEETINGS)
    lang = get_lang(request)
    parsed = parse_meeting(form, zone_of(request), lang)
    try:
        # An unreadable time goes as none: the service refuses it with every other error.
        meeting = meetings.create_meeting(session, actor=actor, data=parsed.data)
    except InvalidInput as error:
        session.rollback()
        errors = refused(error, lang) | parsed.errors
        return new_page(request, session, actor, values=typed(form), errors=errors, status_code=422)
    session.commit()
    return redirect_ok(f"{MEETINGS}/{meeting.code}", "meeting_created")


@pages.get("/{code}", response_class=HTMLResponse)
def show_meeting(
    request: Request, code: str, session: DbSession, actor: CurrentActor, ok: Short = ""
) -> Response:
    """One meeting: facts, agenda, attendees, minutes, decisions and their tasks."""
    meeting = meetings.get_meeting(session, actor=actor, code=code)
    return meeting_page(request, session, actor, meeting, extra={"flash": flash(ok)})


@pages.get("/{code}/notulen.pdf")
def minutes_pdf(request: Request, code: str, session: DbSession, actor: CurrentActor) -> Response:
    """The minutes as PDF: the signed copy as stored once signed off, a draft before."""
    meeting = meetings.get_meeting(session, actor=actor, code=code)
    document = meetings.minutes_document(session, meeting=meeting, media=request.app.state.media)
    return Response(
        document,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="notulen-{meeting.code}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


router.include_router(pages)
router.include_router(console_meeting_actions.router)
