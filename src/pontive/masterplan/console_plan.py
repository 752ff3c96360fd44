"""The masterplan in the console (``/console/masterplan``): the version in force rendered —
background, vision, missions, the strategy of each dimension in its colour, the roadmap as a
timeline by year and phase, quick wins — with the list of versions, the drafts waiting, and
the comparison of two versions; the first masterplan is created here. Its versions
(``console_plan_versions``) and the programme structure (``console_plan_programmes``,
``console_plan_indicators``) are included in this router.

Also registers the console cards of the masterplan and budget consoles and the public card
of ``/smartcity``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import (
    console_plan_indicators,
    console_plan_programmes,
    console_plan_versions,
    versions,
)
from pontive.masterplan.choices import VersionStatus
from pontive.masterplan.console_plan_versions import content_context
from pontive.masterplan.console_support import (
    BUDGET,
    CONSOLE,
    Errors,
    FormBody,
    flash,
    page,
    redirect_ok,
    refused,
    text,
    typed,
)
from pontive.masterplan.service import MANAGE, READ
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.navigation import NavLink, register_console, register_public
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
Short = Annotated[str, Query(max_length=40)]


def overview(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    ok: str = "",
    values: dict[str, str] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    """The masterplan in force, its versions, or the form creating the first masterplan."""
    permissions.require(actor, READ)
    masterplan = versions.current_masterplan(session)
    listed = versions.list_versions(session, masterplan) if masterplan else []
    adopted = next((v for v in listed if v.status is VersionStatus.ADOPTED), None)
    start = utcnow().astimezone(WIB).year
    typed_values = values or {"title": f"Masterplan Smart City {start}-{start + 9}"}
    context = {
        "masterplan": masterplan,
        "listed": listed,
        "adopted": adopted,
        "pending": [v for v in listed if v.status in versions.EDITABLE],
        "can_manage": permissions.can(actor, MANAGE),
        "flash": flash(ok),
        "values": {"start_year": str(start)} | typed_values,
        "errors": errors or {},
        **content_context(session, adopted.content if adopted else {}),
    }
    return page(request, actor, "masterplan/plan_overview.html", context, status_code=status_code)


@router.get(CONSOLE, response_class=HTMLResponse)
def show_masterplan(
    request: Request, session: DbSession, actor: CurrentActor, ok: Short = ""
) -> Response:
    """The masterplan in force and its versions."""
    return overview(request, session, actor, ok=ok)


@router.post(f"{CONSOLE}/rencana", dependencies=[CsrfChecked])
def create_masterplan(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Create the ten-year masterplan and its first (empty) draft; the draft's editor next."""
    permissions.require(actor, MANAGE)
    raw = text(form, "start_year")
    start = int(raw) if raw.isdigit() else 0
    try:
        masterplan = versions.create_masterplan(
            session,
            actor=actor,
            title=text(form, "title"),
            start_year=start,
            end_year=start + versions.PERIOD_YEARS - 1,
        )
        version = versions.draft_version(session, actor=actor, masterplan=masterplan)
    except InvalidInput as error:
        session.rollback()
        errors = refused(error, get_lang(request))
        return overview(request, session, actor, values=typed(form), errors=errors, status_code=422)
    session.commit()
    return redirect_ok(f"{console_plan_versions.VERSIONS}/{version.number}/ubah", "drafted")


# The fixed paths (versi, banding, program, indikator) under /console/masterplan.
router.include_router(console_plan_versions.router)
router.include_router(console_plan_programmes.router)
router.include_router(console_plan_indicators.router)

for link in (
    NavLink(CONSOLE, "mp.plan.card", "mp.plan.card_desc", "chart", READ, 25),
    NavLink(BUDGET, "mp.plan.budget_card", "mp.plan.budget_card_desc", "data", READ, 26),
):
    register_console(link)
register_public(
    NavLink("/smartcity", "mp.plan.nav_public", "mp.plan.nav_public_desc", "chart", order=60)
)
