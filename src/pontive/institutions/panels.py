"""The institutions' own sections on registry pages (``Registry.panels``): a council meeting's
coordination meeting and where its recommendations stand (overdue ones named); a
recommendation's meeting, masterplan programme and time left."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from pontive.coordination import meetings as coordination_meetings
from pontive.core.errors import DomainError, NotFound
from pontive.core.identity import Actor
from pontive.institutions import service
from pontive.institutions.choices import RecommendationStatus
from pontive.institutions.models import CouncilMeeting, Recommendation
from pontive.institutions.paths import (
    CONSOLE,
    COORDINATION_MEETING,
    FOLLOWUP_PAGE,
    PROGRAMME,
    RECOMMENDATIONS,
)
from pontive.masterplan import service as masterplan
from pontive.reference import service as reference

MEETINGS = f"{CONSOLE}/rapat-dewan"


def agency_names(session: Session) -> dict[str, str]:
    """Agency code -> abbreviation."""
    return {
        pd.kode: pd.singkatan
        for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }


def coordination_link(session: Session, actor: Actor, code: str | None) -> dict[str, Any] | None:
    """The coordination meeting a council meeting was held as: its page when ``actor`` may
    open it, otherwise only its code."""
    if not code:
        return None
    code = code.strip().upper()
    try:
        meeting = coordination_meetings.get_meeting(session, actor=actor, code=code)
    except DomainError:  # gone, or not the actor's to open
        return {"code": code, "href": None, "title": None, "starts_at": None}
    return {
        "code": meeting.code,
        "href": COORDINATION_MEETING.format(code=meeting.code),
        "title": meeting.title,
        "starts_at": meeting.starts_at,
    }


def meeting_panel(session: Session, actor: Actor, row: CouncilMeeting) -> dict[str, Any]:
    """The coordination meeting the council met as, and where its recommendations stand
    (the recommendations themselves are listed under the meeting by the registry page)."""
    listed = service.recommendations(session, today=service.today_local(), meeting_id=row.id)
    counted = Counter(r.status for r in listed)
    return {
        "coordination": coordination_link(session, actor, row.coordination_code),
        "by_status": [(status, counted.get(status, 0)) for status in RecommendationStatus],
        "overdue": [r for r in listed if r.is_overdue],
        "agencies": agency_names(session),
        "rec_base": RECOMMENDATIONS,
        "followup_href": FOLLOWUP_PAGE,
    }


def recommendation_panel(session: Session, actor: Actor, row: Recommendation) -> dict[str, Any]:
    """Where the recommendation came from, what it became and how much time is left."""
    meeting = session.get(CouncilMeeting, row.meeting_id)
    programme = None
    if row.programme_code:
        try:
            found = masterplan.get_programme(session, row.programme_code)
        except NotFound:
            found = None
        programme = {
            "code": row.programme_code,
            "name": found.name if found else None,
            "href": PROGRAMME.format(code=found.code) if found else None,
        }
    today = service.today_local()
    days_left = (row.due_on - today).days if row.due_on is not None else None
    return {
        "meeting": meeting,
        "meeting_href": f"{MEETINGS}/{row.meeting_id}",
        "programme": programme,
        "days_left": days_left,
        "is_open": row.status.is_open,
        "coordination": coordination_link(
            session, actor, meeting.coordination_code if meeting else None
        ),
    }
