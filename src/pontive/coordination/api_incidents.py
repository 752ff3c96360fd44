"""Incidents in the coordination API: opening, reading, correcting, the timeline, status,
links and nearby suggestions, agencies, closing, publishing and the report PDF.

Routes parse, call one service function (which checks who may do it), commit and answer;
PD officers see only the incidents their agency is involved in (others answer 404).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.coordination import links, reports, service, tasks
from pontive.coordination.choices import (
    OPEN_INCIDENT_STATUSES,
    EntryKind,
    IncidentKind,
    IncidentStatus,
    LinkType,
    Severity,
)
from pontive.coordination.models import Incident
from pontive.coordination.schemas import (
    AgenciesAdd,
    CandidateRead,
    IncidentClose,
    IncidentDetail,
    IncidentEntryCreate,
    IncidentEntryRead,
    IncidentLinkCreate,
    IncidentLinkRead,
    IncidentPatch,
    IncidentRead,
    IncidentSeverity,
    IncidentStatusChange,
    IncidentWrite,
    ResponseTimesRead,
    SuggestionsRead,
    TaskRead,
)
from pontive.core.identity import Actor
from pontive.web.deps import CurrentActor, DbSession
from pontive.web.routing import PontiveRouter

router = PontiveRouter()
BASE = "/api/v1/coordination"
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The document as PDF."}
}


def detail(session: Session, actor: Actor, incident: Incident) -> IncidentDetail:
    """The incident with its agencies, links, timeline, tasks and response times."""
    own_tasks = tasks.list_tasks(
        session,
        actor=actor,
        filters=tasks.TaskFilter(statuses=frozenset(), incident_id=incident.id),
    )
    return IncidentDetail(
        **IncidentRead.of(incident).model_dump(),
        links=[IncidentLinkRead.model_validate(link) for link in links.links(session, incident)],
        entries=[IncidentEntryRead.of(entry) for entry in service.entries(session, incident)],
        tasks=[TaskRead.of(task, incident.code) for task in own_tasks],
        response_times=ResponseTimesRead(**reports.report_facts(session, incident)),
    )


def _incident(session: Session, actor: Actor, code: str) -> Incident:
    return service.get_incident(session, actor=actor, code=code.strip().upper())


@router.get("/incidents", response_model=list[IncidentRead])
def read_incidents(
    session: DbSession,
    actor: CurrentActor,
    status: Annotated[list[IncidentStatus] | None, Query()] = None,
    severity: IncidentSeverity | None = None,
    kind: IncidentKind | None = None,
    pd: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[IncidentRead]:
    """Incidents the caller may see, worst and newest first (open ones unless ``status``)."""
    filters = service.IncidentFilter(
        statuses=frozenset(status) if status else OPEN_INCIDENT_STATUSES,
        severity=Severity(severity) if severity else None,
        kind=kind,
        pd_kode=pd or None,
    )
    rows = service.list_incidents(session, actor=actor, filters=filters, limit=limit)
    return [IncidentRead.of(incident) for incident in rows]


@router.post("/incidents", response_model=IncidentDetail, status_code=201)
def create_incident(
    body: IncidentWrite, response: Response, session: DbSession, actor: CurrentActor
) -> IncidentDetail:
    """Open an incident (operators); its code is in the ``Location`` header."""
    incident = service.open_incident(session, actor=actor, data=body.as_input())
    session.commit()
    response.headers["Location"] = f"{BASE}/incidents/{incident.code}"
    return detail(session, actor, incident)


@router.get("/incidents/{code}", response_model=IncidentDetail)
def read_incident(code: str, session: DbSession, actor: CurrentActor) -> IncidentDetail:
    """One incident with its agencies, links, timeline, tasks and response times."""
    return detail(session, actor, _incident(session, actor, code))


@router.patch("/incidents/{code}", response_model=IncidentDetail)
def update_incident(
    code: str, body: IncidentPatch, session: DbSession, actor: CurrentActor
) -> IncidentDetail:
    """Correct an open incident's facts (the fields sent; agencies are only ever added)."""
    incident = _incident(session, actor, code)
    service.update_incident(session, actor=actor, incident=incident, data=body.over(incident))
    session.commit()
    return detail(session, actor, incident)


@router.post("/incidents/{code}/status", response_model=IncidentDetail)
def change_status(
    code: str, body: IncidentStatusChange, session: DbSession, actor: CurrentActor
) -> IncidentDetail:
    """Move the incident one stage forward or back, with a note for the timeline."""
    incident = _incident(session, actor, code)
    service.set_status(session, actor=actor, incident=incident, status=body.status, note=body.note)
    session.commit()
    return detail(session, actor, incident)


@router.post("/incidents/{code}/entries", response_model=IncidentEntryRead, status_code=201)
def create_entry(
    code: str, body: IncidentEntryCreate, session: DbSession, actor: CurrentActor
) -> IncidentEntryRead:
    """A situation report (operators and involved agencies) or a decision (operators)."""
    incident = _incident(session, actor, code)
    entry = service.add_entry(
        session, actor=actor, incident=incident, kind=EntryKind(body.kind), text=body.text
    )
    session.commit()
    return IncidentEntryRead.of(entry)


@router.get("/incidents/{code}/suggestions", response_model=SuggestionsRead)
def read_suggestions(
    code: str,
    session: DbSession,
    actor: CurrentActor,
    radius_m: Annotated[float, Query(ge=50, le=links.MAX_RADIUS_M)] = links.SUGGEST_RADIUS_M,
) -> SuggestionsRead:
    """Reports, cameras, stations and alerts near the incident and not linked yet."""
    incident = _incident(session, actor, code)
    found = links.suggestions(session, actor=actor, incident=incident, radius_m=radius_m)
    by_kind = {kind.value: [CandidateRead.of(c) for c in found[kind]] for kind in LinkType}
    return SuggestionsRead(radius_m=radius_m, **by_kind)


@router.post("/incidents/{code}/links", response_model=IncidentLinkRead, status_code=201)
def create_link(
    code: str, body: IncidentLinkCreate, session: DbSession, actor: CurrentActor
) -> IncidentLinkRead:
    """Link a report, camera, station or alert to the incident."""
    incident = _incident(session, actor, code)
    link = links.link_item(
        session, actor=actor, incident=incident, item_type=body.item_type, ref=body.ref
    )
    session.commit()
    return IncidentLinkRead.model_validate(link)


@router.delete("/incidents/{code}/links/{link_id}", status_code=204, response_class=Response)
def delete_link(code: str, link_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """Remove a link made by mistake (the timeline keeps both lines)."""
    incident = _incident(session, actor, code)
    links.unlink_item(session, actor=actor, incident=incident, link_id=link_id)
    session.commit()
    return Response(status_code=204)


@router.post("/incidents/{code}/agencies", response_model=IncidentDetail)
def add_agencies(
    code: str, body: AgenciesAdd, session: DbSession, actor: CurrentActor
) -> IncidentDetail:
    """Involve more Perangkat Daerah (with the role they play here)."""
    incident = _incident(session, actor, code)
    service.add_agencies(
        session, actor=actor, incident=incident, codes=body.agencies, role=body.role
    )
    session.commit()
    return detail(session, actor, incident)


@router.post("/incidents/{code}/close", response_model=IncidentDetail)
def close_incident(
    code: str, body: IncidentClose, request: Request, session: DbSession, actor: CurrentActor
) -> IncidentDetail:
    """Close with the summary and lessons; the incident report is generated and stored."""
    incident = _incident(session, actor, code)
    reports.close_incident(
        session,
        actor=actor,
        incident=incident,
        summary=body.summary,
        lessons=body.lessons,
        media=request.app.state.media,
    )
    session.commit()
    return detail(session, actor, incident)


@router.post("/incidents/{code}/publish", response_model=IncidentRead)
def publish_incident(
    code: str, request: Request, session: DbSession, actor: CurrentActor
) -> IncidentRead:
    """Publish the public version of a closed incident's report (``/insiden/<code>``)."""
    incident = _incident(session, actor, code)
    reports.publish_report(session, actor=actor, incident=incident, media=request.app.state.media)
    session.commit()
    return IncidentRead.of(incident)


@router.get("/incidents/{code}/report.pdf", response_class=Response, responses=PDF)
def read_report(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The incident report: the stored one once closed, an interim one while open."""
    incident = _incident(session, actor, code)
    document = reports.report_document(
        session, incident=incident, media=request.app.state.media, public=False
    )
    return Response(
        document,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="laporan-{incident.code}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


def incident_codes(session: Session, incident_ids: set[int]) -> dict[int, str]:
    """The codes of these incidents, in one query (task lists name their incident)."""
    if not incident_ids:
        return {}
    rows = session.execute(
        select(Incident.id, Incident.code).where(Incident.id.in_(sorted(incident_ids)))
    )
    return {incident_id: code for incident_id, code in rows}
