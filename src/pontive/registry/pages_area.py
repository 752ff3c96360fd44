"""Area homes (``/console/kelembagaan``, ``/console/aset`` ...) and the reminders page.

An area's home lists its registries with their row counts, its other pages, the reminders
still open and the latest changes. ``/console/pengingat`` holds every open reminder the
reader may see (a PD officer: its own agency's), with a button to mark one handled.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.core.registry import Area, all_registries, areas, of_domain
from pontive.registry import reminders, store
from pontive.registry.pages_support import page
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession
from pontive.web.navigation import NavLink, register_console
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
REMINDERS = "/console/pengingat"

register_console(
    NavLink(
        REMINDERS,
        "reg.reminders.title",
        "reg.reminders.desc",
        "bell",
        reminders.REMINDERS_VIEW,
        order=850,
    )
)


def _counts(session: Session, area: Area, actor: Actor) -> list[tuple[Any, int]]:
    found = []
    for registry in of_domain(area.domain):
        if registry.console != area.path or not permissions.can(actor, registry.view_action):
            continue
        model: Any = registry.model
        found.append((registry, session.scalar(select(func.count(model.id))) or 0))
    return found


def _mount(area: Area) -> None:
    register_console(
        NavLink(
            area.path,
            f"reg.area.{area.domain}",
            f"reg.area.{area.domain}.desc",
            area.icon,
            area.action,
            order=area.order,
        )
    )

    @router.get(area.path, response_class=HTMLResponse, name=f"area.{area.path}")
    def area_home(request: Request, session: DbSession, actor: CurrentActor) -> Response:
        permissions.require(actor, area.action)
        counts = _counts(session, area, actor)
        registries = [r for r, _ in counts]
        open_reminders = (
            reminders.list_open(session, actor, registries=[r.name for r in registries])
            if permissions.can(actor, reminders.REMINDERS_VIEW)
            else []
        )
        context = {
            "counts": counts,
            "links": [link for link in area.links if permissions.can(actor, link.action)],
            "changes": store.recent_changes(session, registries, actor, limit=12),
            "open_reminders": open_reminders,
            "paths": {r.name: r.path for r in registries},
        }
        return page(request, actor, "registry/area.html", context, area=area)


for _area in areas():
    _mount(_area)


@router.get(REMINDERS, response_class=HTMLResponse)
def reminders_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Open reminders, then the ones handled lately."""
    context = {
        "open_reminders": reminders.list_open(session, actor),
        "handled": reminders.list_recent(session, actor, limit=30),
        "paths": {r.name: r.path for r in all_registries()},
    }
    return page(request, actor, "registry/reminders.html", context)


@router.post(REMINDERS + "/{reminder_id:int}/selesai", dependencies=[CsrfChecked])
def acknowledge(reminder_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """Mark a reminder handled."""
    reminders.acknowledge(session, actor, reminder_id)
    session.commit()
    return RedirectResponse(f"{REMINDERS}?ok=acknowledged", status_code=303)
