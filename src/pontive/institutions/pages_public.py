"""The Smart City Council in public (``/dewan-smart-city``, Perda 9/2022 Pasal 4-6): its
members by element and position, the mayor's decree, the duties of the council and of the
technical team with the team's agencies, and the council's recommendations with their status
and outcome.

Only public fields are shown: no member's contacts, no meeting minutes or attendee lists.
Anonymous visitors share cached copies for a few minutes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import HTMLResponse, Response

from pontive.institutions import service
from pontive.institutions.choices import CouncilElement, RecommendationStatus
from pontive.institutions.panels import agency_names
from pontive.institutions.paths import PUBLIC_PAGE
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

PUBLIC_SECONDS = 120
StatusQuery = Annotated[str | None, Query(alias="status", max_length=30)]


def _status(raw: str | None) -> RecommendationStatus | None:
    """The status asked for in the query string (anything else: all)."""
    try:
        return RecommendationStatus(raw) if raw else None
    except ValueError:
        return None


@router.get(PUBLIC_PAGE, response_class=HTMLResponse)
def council_page(
    request: Request, session: DbSession, actor: CurrentActor, status: StatusQuery = None
) -> Response:
    """The council, its duties and its recommendations."""
    view = service.council_view(session, today=service.today_local())
    shown = _status(status)
    listed = [r for r in view.recommendations if shown is None or r.status is shown]
    context = {
        "view": view,
        "elements": list(CouncilElement),
        "statuses": list(RecommendationStatus),
        "shown_status": shown,
        "listed": listed,
        "agencies": agency_names(session),
        "member_count": sum(len(members) for members in view.members.values()),
        "page_path": PUBLIC_PAGE,
    }
    response = render(request, "institutions/public_council.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)
