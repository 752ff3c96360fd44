"""Published incident reports, for everyone (``/insiden``): the list, one report's page and
its PDF.

Perda 9/2022 Pasal 17e: after an incident is closed, its report may be published. What a
citizen reads here names agencies, never people: no staff names (the timeline shows the
author's agency, else the command center), no camera names or addresses, no reporters'
details (linked citizens' reports by tracking number only), no photos. Nothing unpublished
appears, and an unpublished report's address answers 404 like an unknown one.
Anonymous visitors share cached copies; a publication clears them at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from pontive.complaints import service as complaints
from pontive.coordination import links, reports, service
from pontive.coordination.choices import (
    EntryKind,
    IncidentKind,
    IncidentStatus,
    LinkType,
    Severity,
)
from pontive.coordination.console_support import kelurahan_names, pd_names
from pontive.coordination.models import Incident, IncidentEntry
from pontive.core.errors import NotFound
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.pagecache import clear_on_events, share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

PUBLIC = "/insiden"
# A report changes only when it is published (which clears the shared copies at once).
PUBLIC_SECONDS = 300
COMMAND_CENTER = "Pontive Center"
# The sign-off line of a meeting names who signed (``meetings.sign_off``); in public, the
# fact stays and the name goes.
SIGNED_BY = re.compile(r"\s+oleh\s+.+$", re.DOTALL)

clear_on_events("coordination.incident.published")


@dataclass(frozen=True, slots=True)
class ReportCard:
    """A published incident as the list shows it."""

    code: str
    title: str
    kind: IncidentKind
    severity: Severity
    kelurahan: list[str]
    opened_at: datetime
    closed_at: datetime | None
    duration: str


@dataclass(frozen=True, slots=True)
class PublicEntry:
    """One line of the public timeline: when, what kind, what, and which agency wrote it."""

    at: datetime
    kind: EntryKind
    text: str
    agency: str


def duration_text(seconds: float | None, lang: str) -> str:
    """``2 jam 15 menit`` (``2 h 15 min``), ``3 hari 4 jam``, or a dash when unknown."""
    if seconds is None or seconds < 0:
        return "—"
    days, rest = divmod(round(seconds / 60), 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return translate("coord.pub.dur.days", lang, days=days, hours=hours)
    if hours:
        return translate("coord.pub.dur.hours", lang, hours=hours, minutes=minutes)
    return translate("coord.pub.dur.minutes", lang, minutes=minutes)


def _span(incident: Incident) -> float | None:
    if incident.closed_at is None:
        return None
    return (incident.closed_at - incident.opened_at).total_seconds()


def report_card(incident: Incident, places: dict[str, str], lang: str) -> ReportCard:
    """What the list shows of a published incident."""
    affected = incident.affected_kelurahan or (
        [incident.kelurahan_kode] if incident.kelurahan_kode else []
    )
    return ReportCard(
        code=incident.code,
        title=incident.title,
        kind=incident.kind,
        severity=incident.severity,
        kelurahan=[places.get(kode, kode) for kode in affected],
        opened_at=incident.opened_at,
        closed_at=incident.closed_at,
        duration=duration_text(_span(incident), lang),
    )


def _entry_text(entry: IncidentEntry, lang: str) -> str:
    if entry.kind is EntryKind.STATUS and entry.data:
        steps = (str(entry.data.get("from")), str(entry.data.get("to")))
        moved = " → ".join(
            IncidentStatus(value).label(lang)
            for value in steps
            if value in IncidentStatus._value2member_map_
        )
        return f"{moved}. {entry.text}".strip(". ") if entry.text else moved
    if entry.kind is EntryKind.MEETING:
        return SIGNED_BY.sub(".", entry.text)
    if entry.kind is EntryKind.CLOSED:
        return translate("coord.pub.closed_entry", lang)  # the summary is shown above
    if entry.kind is EntryKind.PHOTO:
        return " ".join(filter(None, (entry.text, translate("coord.pub.photo_kept", lang))))
    return entry.text


def public_timeline(session: Session, incident: Incident, lang: str) -> list[PublicEntry]:
    """The timeline without names: each line by agency; links are listed apart, by number."""
    agencies = pd_names(session)
    return [
        PublicEntry(
            at=entry.at,
            kind=entry.kind,
            text=_entry_text(entry, lang),
            agency=agencies.get(entry.actor_pd_kode or "", COMMAND_CENTER),
        )
        for entry in service.entries(session, incident)
        if entry.kind is not EntryKind.LINK  # linked items are listed apart, without names
    ]


def _is_public_report(session: Session, tracking: str) -> bool:
    try:
        complaints.get_public(session, tracking)
    except NotFound:
        return False  # hidden since (spam, personal data): its number, without a link
    return True


def linked_items(
    session: Session, incident: Incident
) -> tuple[list[tuple[str, bool]], dict[LinkType, int]]:
    """Linked citizens' reports by tracking number (and whether their page is public), and
    how many items of each kind were linked."""
    items = links.links(session, incident)
    counts: dict[LinkType, int] = {}
    for item in items:
        counts[item.item_type] = counts.get(item.item_type, 0) + 1
    tracking = [
        (item.item_ref, _is_public_report(session, item.item_ref))
        for item in items
        if item.item_type is LinkType.COMPLAINT
    ]
    return tracking, counts


@router.get(PUBLIC)
def report_list(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Every published incident report, the latest closed first."""
    lang = get_lang(request)
    places = kelurahan_names(session)
    cards = [report_card(i, places, lang) for i in reports.published_incidents(session)]
    response = render(request, "coordination/public_list.html", {"cards": cards})
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)


@router.get(PUBLIC + "/{code}")
def report_page(request: Request, code: str, session: DbSession, actor: CurrentActor) -> Response:
    """One published report: facts, response times, summary, lessons, timeline."""
    lang = get_lang(request)
    incident = reports.published_incident(session, code)
    places, agencies = kelurahan_names(session), pd_names(session)
    facts = reports.report_facts(session, incident)
    tracking, counts = linked_items(session, incident)
    context = {
        "incident": incident,
        "card": report_card(incident, places, lang),
        "lead": agencies.get(incident.lead_pd_kode or "", COMMAND_CENTER),
        "agencies": [agencies.get(code, code) for code in incident.agency_codes],
        "facts": facts,
        "times": {
            key: duration_text(facts[f"{key}_s"], lang)
            for key in ("to_handled", "to_controlled", "to_closed", "median_task")
        },
        "timeline": public_timeline(session, incident, lang),
        "tracking": tracking,
        "counts": counts,
        "pdf_url": f"{PUBLIC}/{incident.code}/laporan.pdf",
    }
    response = render(request, "coordination/public_report.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)


@router.get(PUBLIC + "/{code}/laporan.pdf")
def report_pdf(request: Request, code: str, session: DbSession, actor: CurrentActor) -> Response:
    """The public report as PDF, as stored when it was published."""
    incident = reports.published_incident(session, code)
    document = reports.report_document(
        session, incident=incident, media=request.app.state.media, public=True
    )
    response = Response(
        document,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="laporan-insiden-{incident.code}.pdf"'},
    )
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)
