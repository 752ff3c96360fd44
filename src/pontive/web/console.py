"""Core console pages: the audit trail, user accounts and API keys, reference data."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import HTMLResponse, Response

from pontive.core import audit, auth, permissions
from pontive.reference import service as reference
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.navigation import NavLink, register_console
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(prefix="/console", include_in_schema=False)

register_console(
    NavLink(
        "/console/audit",
        "console.audit",
        "console.audit.desc",
        "shield",
        permissions.AUDIT_VIEW,
        order=900,
    )
)
register_console(
    NavLink(
        "/console/pengguna",
        "console.users",
        "console.users.desc",
        "users",
        permissions.USERS_VIEW,
        order=910,
    )
)
register_console(
    NavLink(
        "/console/referensi",
        "console.reference",
        "console.reference.desc",
        "map",
        permissions.CONSOLE_VIEW,
        order=800,
    )
)

PAGE_SIZE = 50


@router.get("/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    before_id: Annotated[int | None, Query(ge=1)] = None,
    action: Annotated[str | None, Query(max_length=80)] = None,
    verify: bool = False,
) -> Response:
    """The audit trail, newest first, with an on-demand chain check."""
    events = audit.list_events(
        session, actor=actor, before_id=before_id, limit=PAGE_SIZE, action_prefix=action or None
    )
    report = audit.verify_chain(session) if verify else None
    next_before = events[-1].id if len(events) == PAGE_SIZE else None
    return render(
        request,
        "console/audit.html",
        {"events": events, "report": report, "action": action or "", "next_before": next_before},
    )


@router.get("/pengguna", response_class=HTMLResponse)
def users_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """User accounts and, for administrators, machine API keys."""
    users = auth.list_users(session=session, actor=actor)
    keys = (
        auth.list_api_keys(session=session, actor=actor)
        if permissions.can(actor, permissions.APIKEYS_MANAGE)
        else None
    )
    pds = {
        pd.kode: pd for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }
    return render(request, "console/users.html", {"users": users, "keys": keys, "pds": pds})


@router.get("/referensi", response_class=HTMLResponse)
def reference_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Kecamatan, kelurahan, Perangkat Daerah and the six dimensions."""
    permissions.require(actor, permissions.CONSOLE_VIEW)
    return render(
        request,
        "console/reference.html",
        {
            "kecamatan": reference.list_kecamatan(session=session),
            "pds": reference.list_perangkat_daerah(session=session),
            "dimensions": reference.list_dimensi(session=session),
        },
    )
