"""One incident's console page (``/console/koordinasi/<code>``), built here so that every
form on it (status, closing, timeline, photo, agencies, links, tasks, publishing) can show
the same page again with its errors; the incident report as PDF and the timeline's photos.

What the page offers follows the actor: operators manage (status, closing, links, agencies,
decisions, publishing), whoever may assign tasks gets the task form, an officer of an
involved agency adds situation reports and photos; the mayor and the council read. The
services check again on every post. A PD officer of an agency not involved gets 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.coordination import links, meetings, reports, service, tasks
from pontive.coordination.choices import EntryKind, IncidentStatus, LinkType
from pontive.coordination.console_incident_forms import (
    form_options,
    incident_values,
    new_task_values,
)
from pontive.coordination.console_incident_views import (
    author,
    distance_text,
    due_text,
    duration_text,
    flow_steps,
    incident_map,
    status_moves,
)
from pontive.coordination.console_support import (
    CONSOLE,
    Errors,
    flash,
    kelurahan_names,
    page,
    pd_names,
    zone_of,
)
from pontive.coordination.models import Incident
from pontive.core import permissions
from pontive.core.errors import NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=CONSOLE, include_in_schema=False)

# The radii (metres) the suggestions panel offers.
RADII = (500, 1000, 2000)
DEFAULT_RADIUS = 1000


def _abilities(actor: Actor, incident: Incident) -> dict[str, bool]:
    """Which of the page's forms the actor is offered (the services check again)."""
    is_open = incident.status is not IncidentStatus.SELESAI
    manages = service.may_manage(actor)
    return {
        "is_open": is_open,
        "can_manage": manages and is_open,
        "can_report": is_open and (manages or service.may_report(actor, incident)),
        "can_assign": is_open and tasks.may_assign(actor),
        "can_publish": manages and not is_open and incident.published_at is None,
        "can_meet": is_open and permissions.can(actor, service.MANAGE_MEETINGS),
    }


def _shown_forms(abilities: dict[str, bool], has_moves: bool) -> set[str]:
    """The forms on the page: a refused one that is not (the incident moved on meanwhile)
    has its errors shown on top instead."""
    shown = set()
    if abilities["can_manage"]:
        shown |= {"close", "agencies", "link", "unlink", "edit", *(["status"] if has_moves else [])}
    if abilities["can_report"]:
        shown |= {"note", "photo"}
    if abilities["can_assign"]:
        shown.add("task")
    if abilities["can_publish"]:
        shown.add("publish")
    return shown


def _suggested(
    session: Session, actor: Actor, incident: Incident, radius: int, lang: str
) -> dict[LinkType, list[dict[str, Any]]]:
    found = links.suggestions(session, actor=actor, incident=incident, radius_m=float(radius))
    return {
        kind: [{"c": c, "distance": distance_text(c.distance_m, lang)} for c in items]
        for kind, items in found.items()
    }


def _facts(session: Session, incident: Incident, lang: str) -> dict[str, Any]:
    facts = reports.report_facts(session, incident)
    return {
        "to_handled": duration_text(facts["to_handled_s"], lang),
        "to_controlled": duration_text(facts["to_controlled_s"], lang),
        "to_closed": duration_text(facts["to_closed_s"], lang),
        "median_task": duration_text(facts["median_task_s"], lang),
        "tasks": facts["tasks"],
        "tasks_done": facts["tasks_done"],
        "tasks_on_time": facts["tasks_on_time"],
    }


def _timeline(session: Session, incident: Incident, pds: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "entry": entry,
            "author": author(entry, pds),
            "photo_url": f"{CONSOLE}/{incident.code}/foto/{entry.id}" if entry.photo_key else "",
            "moved": (entry.data or {}) if entry.kind is EntryKind.STATUS else {},
        }
        for entry in service.entries(session, incident)
    ]


def _tasks(session: Session, actor: Actor, incident: Incident, lang: str) -> list[dict[str, Any]]:
    now = utcnow()
    rows = tasks.list_tasks(
        session,
        actor=actor,
        filters=tasks.TaskFilter(statuses=frozenset(), incident_id=incident.id),
    )
    return [
        {"task": t, "late": tasks.is_overdue(t, now), "due": due_text(t, now, lang)} for t in rows
    ]


def incident_page(
    request: Request,
    session: Session,
    actor: Actor,
    incident: Incident,
    *,
    radius: int = DEFAULT_RADIUS,
    flash_key: str | None = None,
    failed: str = "",
    errors: Errors | None = None,
    sent: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The incident's page: facts, status, timeline, links, tasks, meetings and report;
    after a refused form (``failed``), that form again with its ``errors`` and ``sent``."""
    lang = get_lang(request)
    abilities = _abilities(actor, incident)
    pds = pd_names(session)
    suggested = (
        _suggested(session, actor, incident, radius, lang) if abilities["can_manage"] else {}
    )
    linked = links.links(session, incident)
    raw_suggested = {kind: [row["c"] for row in rows] for kind, rows in suggested.items()}
    moves = status_moves(incident)
    shown = _shown_forms(abilities, bool(moves))
    forms: dict[str, dict[str, Any]] = {
        "edit": incident_values(incident),
        "task": new_task_values(incident, utcnow(), zone_of(request)),
    }
    if failed and sent is not None:
        forms[failed] = sent
    context = (
        form_options(session, lang)
        | abilities
        | {
            "incident": incident,
            "steps": flow_steps(incident),
            "moves": [
                (target, forward, translate(f"coord.inc.status.to_{target.value}", lang))
                for target, forward in moves
            ],
            "timeline": _timeline(session, incident, pds),
            "linked": linked,
            "suggested": suggested,
            "suggested_count": sum(len(rows) for rows in suggested.values()),
            "radius": radius,
            "link_types": LinkType.options(lang),
            "status_labels": {status.value: status.label(lang) for status in IncidentStatus},
            "radii": RADII,
            "map": incident_map(incident, linked, raw_suggested, radius, lang),
            "incident_tasks": _tasks(session, actor, incident, lang),
            "meetings": meetings.list_meetings(session, actor=actor, incident_id=incident.id),
            "facts": _facts(session, incident, lang),
            "kelurahan": kelurahan_names(session),
            "pds": pds,
            "forms": forms,
            "failed": failed if failed in shown else "",
            "form_errors": {failed: errors or {}} if failed else {},
            "stray_errors": (errors or {}) if failed and failed not in shown else {},
            "flash": flash_key,
        }
    )
    return page(
        request,
        actor,
        "coordination/incident_page.html",
        context,
        status_code=status_code,
        section=CONSOLE,
    )


def again(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    failed: str,
    errors: Errors,
    sent: dict[str, Any],
    status_code: int = 422,
) -> Response:
    """The incident's page once more after a refused form, with what was typed in it."""
    session.rollback()
    incident = service.get_incident(session, actor=actor, code=code)
    return incident_page(
        request,
        session,
        actor,
        incident,
        failed=failed,
        errors=errors,
        sent=sent,
        status_code=status_code,
    )


Radius = Annotated[int, Query(ge=50, le=10_000)]


@router.get("/{code}", response_class=HTMLResponse)
def show_incident(
    request: Request,
    code: str,
    session: DbSession,
    actor: CurrentActor,
    radius: Radius = DEFAULT_RADIUS,
    ok: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """One incident with everything the actor may see and do."""
    incident = service.get_incident(session, actor=actor, code=code.upper())
    radius = radius if radius in RADII else DEFAULT_RADIUS
    return incident_page(request, session, actor, incident, radius=radius, flash_key=flash(ok))


@router.get("/{code}/laporan.pdf")
def report_pdf(request: Request, code: str, session: DbSession, actor: CurrentActor) -> Response:
    """The incident report (interim while the incident is open), for staff who may see it."""
    incident = service.get_incident(session, actor=actor, code=code.upper())
    document = reports.report_document(
        session, incident=incident, media=request.app.state.media, public=False
    )
    name = f"laporan-{incident.code.lower()}.pdf"
    return Response(
        document,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/{code}/foto/{entry_id}")
def entry_photo(
    request: Request, code: str, entry_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """A timeline photo, for staff who may see the incident."""
    incident = service.get_incident(session, actor=actor, code=code.upper())
    entry = next(
        (e for e in service.entries(session, incident) if e.id == entry_id and e.photo_key), None
    )
    if entry is None or entry.photo_key is None:
        raise NotFound("Foto tidak ditemukan.", "Photo not found.")
    return Response(
        request.app.state.media.read(entry.photo_key),
        media_type="image/jpeg",
        headers={"Cache-Control": "private, max-age=300", "X-Content-Type-Options": "nosniff"},
    )
