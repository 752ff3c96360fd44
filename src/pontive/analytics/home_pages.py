"""The analytics area's home (``/console/analitik``): one card per model or tool, each with its
current state in one line, so the Technical Team sees at a glance what is live and how good it
is."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import HTMLResponse, Response

from pontive.analytics import access, console, home_status
from pontive.core import permissions
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.navigation import NavLink, register_console
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)

register_console(
    NavLink(access.HOME_PATH, "an.card", "an.card_desc", "chart", access.VIEW, order=70)
)


@router.get(access.HOME_PATH, response_class=HTMLResponse)
def home(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The parts of analytics the actor may open, with their state."""
    permissions.require(actor, access.VIEW)
    lang = get_lang(request)
    cards = [
        card
        for card in home_status.cards(session, lang, request.app.state.settings.analytics_dir)
        if permissions.can(actor, card.action)
    ]
    return console.page(request, actor, "analytics/home.html", {"cards": cards})
