"""What coordination shows on other domains' staff pages (``web/panels.py``): the incidents a
report, a camera or an alert is linked to, with "open an incident from it" for those who may;
and, beside a PD's complaint queue, that agency's open tasks."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.models import Alert
from pontive.cctv.models import Camera
from pontive.complaints.models import Complaint
from pontive.coordination import console_tasks, from_alerts, service
from pontive.coordination.choices import LinkType, SourceType
from pontive.coordination.console_support import CONSOLE
from pontive.coordination.models import Incident, IncidentLink
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.web.panels import Panel, register_panel

TEMPLATE = "coordination/_related_panel.html"


def _linked(session: Session, actor: Actor, item_type: LinkType, ref: str) -> list[Incident]:
    query = (
        select(Incident)
        .join(IncidentLink, IncidentLink.incident_id == Incident.id)
        .where(IncidentLink.item_type == item_type, IncidentLink.item_ref == ref)
        .order_by(Incident.opened_at.desc())
    )
    return [i for i in session.scalars(query) if service.may_see(actor, i)]


def _panel(
    actor: Actor, incidents: list[Incident], source: SourceType, ref: str, *, can_open: bool
) -> Panel | None:
    may_open = can_open and service.may_manage(actor)
    if not incidents and not may_open:
        return None
    query = urlencode({"sumber": source.value, "ref": ref})
    context: dict[str, Any] = {
        "incidents": incidents,
        "open_url": f"{CONSOLE}/baru?{query}" if may_open else None,
        "console": CONSOLE,
    }
    return Panel(TEMPLATE, context)


def report_panel(session: Session, actor: Actor, subject: Any, lang: str) -> Panel | None:
    """On a report's desk page."""
    if not isinstance(subject, Complaint):
        return None
    ref = subject.tracking_number
    incidents = _linked(session, actor, LinkType.COMPLAINT, ref)
    return _panel(actor, incidents, SourceType.COMPLAINTS, ref, can_open=subject.lon is not None)


def camera_panel(session: Session, actor: Actor, subject: Any, lang: str) -> Panel | None:
    """On a camera's console page."""
    if not isinstance(subject, Camera):
        return None
    incidents = _linked(session, actor, LinkType.CAMERA, subject.code)
    return _panel(actor, incidents, SourceType.CAMERA, subject.code, can_open=True)


def alert_panel(session: Session, actor: Actor, subject: Any, lang: str) -> Panel | None:
    """On an alert's console page: its thread's incident, or opening one."""
    if not isinstance(subject, Alert):
        return None
    incident = from_alerts.incident_of_alert(session, subject)
    incidents = [incident] if incident is not None and service.may_see(actor, incident) else []
    return _panel(actor, incidents, SourceType.ALERT, subject.identifier, can_open=incident is None)


def queue_panel(session: Session, actor: Actor, _subject: Any, lang: str) -> Panel | None:
    """Beside a PD officer's complaint queue: the agency's open tasks, overdue first."""
    if actor.role is not Role.PETUGAS_PD:
        return None
    context = console_tasks.pd_tasks_panel(session, actor, lang=lang)
    return Panel("coordination/_queue_tasks_panel.html", context) if context["show"] else None


def register() -> None:
    """Add the panels to their pages (called when the coordination pages are imported)."""
    register_panel("complaints.queue", queue_panel)
    register_panel("complaints.report", report_panel)
    register_panel("cctv.camera", camera_panel)
    register_panel("alerts.alert", alert_panel)
