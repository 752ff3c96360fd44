"""The incidents of the coordination console (``/console/koordinasi``): the list with its
filters, counts by severity and map of open incidents, and the form that opens an incident —
by hand, or prefilled from its source (``/baru?sumber=complaints&ref=PTK-…``: a cluster of
citizens' reports, a sensor station, a camera or an alert), whose items are linked as it
opens.

One incident's page and its forms are in ``console_incident_page.py`` and
``console_incident_actions.py``, included here after the fixed paths. A PD officer sees only
the incidents its agency is involved in (``service.list_incidents``).
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, Response

from pontive.coordination import service, sources, tasks
from pontive.coordination.choices import (
    OPEN_INCIDENT_STATUSES,
    IncidentKind,
    IncidentStatus,
    Severity,
    SourceType,
)
from pontive.coordination.console_incident_actions import router as actions_router
from pontive.coordination.console_incident_forms import (
    NEW_VALUES,
    form_options,
    form_values,
    input_values,
    parse_incident,
)
from pontive.coordination.console_incident_page import router as page_router
from pontive.coordination.console_incident_views import list_map_items
from pontive.coordination.console_support import (
    CONSOLE,
    Errors,
    FormBody,
    flash,
    kelurahan_names,
    page,
    pd_names,
    redirect_ok,
    refused,
    text,
)
from pontive.coordination.models import Incident
from pontive.coordination.sources import Draft
from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

# The list and the form opening an incident; ``router`` adds one incident's page and forms.
pages = PontiveRouter(prefix=CONSOLE, include_in_schema=False)

Filter = Annotated[str, Query(max_length=20)]
References = Annotated[str, Query(max_length=2000)]
# The list's status choice: open (the default), closed, or everything.
STATUS_FILTERS: dict[str, frozenset[IncidentStatus]] = {
    "open": OPEN_INCIDENT_STATUSES,
    "closed": frozenset({IncidentStatus.SELESAI}),
    "all": frozenset(),
}
# The sources an incident can be prefilled from (``?sumber=``).
PREFILL_SOURCES = frozenset(s.value for s in SourceType if s is not SourceType.MANUAL)


def _choice(kind: type[Any], raw: str) -> Any:
    try:
        return kind(raw) if raw else None
    except ValueError:
        return None  # an unknown filter value filters nothing, as an empty one


def _open_tasks_by_incident(session: Session, actor: Actor) -> Counter[int]:
    """How many open tasks each incident has (those ``actor`` may see), in one query."""
    rows = tasks.list_tasks(session, actor=actor, filters=tasks.TaskFilter())
    return Counter(task.incident_id for task in rows if task.incident_id is not None)


@pages.get("", response_class=HTMLResponse)
def incident_list(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    status: Filter = "open",
    severity: Filter = "",
    kind: Filter = "",
    ok: Filter = "",
) -> Response:
    """Incidents with their counts by severity and a map of the open ones."""
    lang = get_lang(request)
    status = status if status in STATUS_FILTERS else "open"
    chosen_severity: Severity | None = _choice(Severity, severity)
    chosen_kind: IncidentKind | None = _choice(IncidentKind, kind)
    rows = service.list_incidents(
        session,
        actor=actor,
        filters=service.IncidentFilter(STATUS_FILTERS[status], chosen_severity, chosen_kind),
    )
    open_rows = (
        rows
        if status == "open" and chosen_severity is None and chosen_kind is None
        else service.list_incidents(session, actor=actor)
    )
    by_severity = Counter(incident.severity for incident in open_rows)
    mapped = [
        i
        for i in open_rows
        if (chosen_severity is None or i.severity is chosen_severity)
        and (chosen_kind is None or i.kind is chosen_kind)
    ]
    context = {
        "incidents": rows,
        "severity_levels": list(reversed(Severity)),
        "by_severity": by_severity,
        "open_total": len(open_rows),
        "filters": {"status": status, "severity": severity, "kind": kind},
        "is_filtered": status != "open" or bool(chosen_severity or chosen_kind),
        "kinds": IncidentKind.options(lang),
        "severities": Severity.options(lang),
        "items": list_map_items(mapped, lang),
        "open_tasks": _open_tasks_by_incident(session, actor),
        "kelurahan": kelurahan_names(session),
        "pds": pd_names(session),
        "can_manage": service.may_manage(actor),
        "flash": flash(ok),
    }
    return page(request, actor, "coordination/incident_list.html", context)


# --- opening an incident -----------------------------------------------------------------


def _source_of(
    session: Session, actor: Actor, sumber: str, ref: str
) -> tuple[Draft | None, Errors]:
    """The draft a source suggests (``None`` without a source), or why it cannot be read."""
    if not sumber:
        return None, {}
    if sumber not in PREFILL_SOURCES:
        return None, {"source_ref": ["Sumber insiden tidak dikenal."]}
    try:
        return sources.prefill(session, actor=actor, source_type=sumber, refs=ref), {}
    except InvalidInput as error:
        return None, dict(error.errors) or {"source_ref": [error.message_id]}


def _source_context(draft: Draft | None, sumber: str, ref: str, lang: str) -> dict[str, Any]:
    if not sumber:
        return {"source": None}
    label = SourceType(sumber).label(lang) if sumber in PREFILL_SOURCES else sumber
    items = [] if draft is None else [(kind, code) for kind, code in draft.items]
    return {"source": {"type": sumber, "ref": ref, "label": label, "items": items}}


def new_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    values: dict[str, Any],
    errors: Errors | None = None,
    source: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    """The form opening an incident (again with what was typed and its errors)."""
    permissions.require(actor, service.MANAGE_INCIDENTS)
    context = form_options(session, get_lang(request)) | {
        "values": values,
        "errors": errors or {},
        "source": source,
    }
    return page(
        request,
        actor,
        "coordination/incident_new.html",
        context,
        status_code=status_code,
        section=CONSOLE,
    )


@pages.get("/baru", response_class=HTMLResponse)
def new_incident(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    sumber: Filter = "",
    ref: References = "",
) -> Response:
    """The form, empty or prefilled from reports, a station, a camera or an alert."""
    permissions.require(actor, service.MANAGE_INCIDENTS)
    lang = get_lang(request)
    draft, errors = _source_of(session, actor, sumber, ref)
    values = input_values(draft.data) if draft is not None else dict(NEW_VALUES)
    source = _source_context(draft, sumber, ref, lang)["source"]
    status_code = 422 if errors else 200
    return new_page(
        request,
        session,
        actor,
        values=values,
        errors=errors,
        source=source,
        status_code=status_code,
    )


def _refused_form(
    request: Request,
    session: Session,
    actor: Actor,
    form: FormData,
    errors: Errors,
    source: dict[str, Any] | None,
) -> Response:
    session.rollback()
    return new_page(
        request,
        session,
        actor,
        values=form_values(form),
        errors=errors,
        source=source,
        status_code=422,
    )


@pages.post("/baru", dependencies=[CsrfChecked])
def open_incident(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Open the incident as the operator confirmed it; a source's items are linked to it."""
    permissions.require(actor, service.MANAGE_INCIDENTS)
    lang = get_lang(request)
    sumber, ref = text(form, "sumber"), text(form, "ref")
    draft, source_errors = _source_of(session, actor, sumber, ref)
    source = _source_context(draft, sumber, ref, lang)["source"]
    if source_errors:
        return _refused_form(request, session, actor, form, source_errors, source)
    data = parse_incident(form, lang)
    try:
        incident: Incident
        if draft is not None:
            data.source_type, data.source_ref = draft.data.source_type, draft.data.source_ref
            draft.data = data
            incident = sources.open_from_source(session, actor=actor, draft=draft)
        else:
            incident = service.open_incident(session, actor=actor, data=data)
    except InvalidInput as error:
        return _refused_form(request, session, actor, form, refused(error, lang), source)
    session.commit()
    return redirect_ok(f"{CONSOLE}/{incident.code}", "opened")


router = PontiveRouter(include_in_schema=False)
# One incident's page and forms (``/{code}…``) after the fixed paths (``/baru``).
router.include_router(pages)
router.include_router(page_router)
router.include_router(actions_router)
