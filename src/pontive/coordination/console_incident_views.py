"""How the incident and task pages word and draw things: durations, due times relative to
now, the timeline's authors, the status moves offered, and what the maps draw (JSON read by
``static/coordination/incident.js``; no addresses, no names of citizens)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pontive.coordination.choices import (
    INCIDENT_FLOW,
    OPEN_INCIDENT_STATUSES,
    OPEN_TASK_STATUSES,
    IncidentStatus,
    LinkType,
)
from pontive.coordination.console_support import CONSOLE
from pontive.coordination.links import Candidate
from pontive.coordination.models import Incident, IncidentEntry, IncidentLink, Task
from pontive.web.i18n import translate

MINUTE, HOUR, DAY = 60, 3600, 86_400


def duration_text(seconds: float | None, lang: str) -> str:
    """``2 jam 15 menit`` / ``2 h 15 min``; an em dash when not reached."""
    if seconds is None:
        return "—"
    total = max(int(seconds // MINUTE), 0)
    days, rest = divmod(total, DAY // MINUTE)
    hours, minutes = divmod(rest, HOUR // MINUTE)
    parts = []
    if days:
        parts.append(translate("coord.inc.unit.days", lang, n=days))
    if hours:
        parts.append(translate("coord.inc.unit.hours", lang, n=hours))
    if minutes or not parts:
        parts.append(translate("coord.inc.unit.minutes", lang, n=minutes))
    return " ".join(parts[:2])


def _span(seconds: float, lang: str) -> str:
    """The largest whole unit of a span: ``3 jam``, ``2 hari``, ``15 menit``."""
    if seconds >= DAY:
        return translate("coord.inc.unit.days", lang, n=int(seconds // DAY))
    if seconds >= HOUR:
        return translate("coord.inc.unit.hours", lang, n=int(seconds // HOUR))
    return translate("coord.inc.unit.minutes", lang, n=max(int(seconds // MINUTE), 1))


def relative_due(due_at: datetime | None, now: datetime, lang: str) -> str:
    """``dalam 3 jam`` or ``terlambat 2 jam`` (``in 3 h``, ``2 h overdue``)."""
    if due_at is None:
        return translate("coord.task.no_due", lang)
    seconds = (due_at - now).total_seconds()
    if seconds < 0:
        return translate("coord.task.late_by", lang, span=_span(-seconds, lang))
    return translate("coord.task.due_in", lang, span=_span(seconds, lang))


def due_text(task: Task, now: datetime, lang: str) -> str:
    """An open task's due time relative to now; nothing once it is done or cancelled."""
    return relative_due(task.due_at, now, lang) if task.status in OPEN_TASK_STATUSES else ""


def author(entry: IncidentEntry, pds: dict[str, str]) -> str:
    """Who wrote a timeline line: the user's name and agency, or the system's job."""
    kind, _, rest = entry.actor.partition(":")
    name = rest.split(":", 1)[-1] if kind == "user" else rest or entry.actor
    if kind == "system":
        return "Pontive"
    agency = pds.get(entry.actor_pd_kode or "", "")
    return f"{name} ({agency})" if agency else name


def status_moves(incident: Incident) -> list[tuple[IncidentStatus, bool]]:
    """The statuses one step back or forward that ``set_status`` allows, each with whether
    it is forward (closing has its own form, so ``selesai`` is never among them)."""
    if incident.status not in OPEN_INCIDENT_STATUSES:
        return []
    index = INCIDENT_FLOW.index(incident.status)
    moves = []
    if index > 0:
        moves.append((INCIDENT_FLOW[index - 1], False))
    forward = INCIDENT_FLOW[index + 1]
    if forward is not IncidentStatus.SELESAI:
        moves.append((forward, True))
    return moves


def flow_steps(incident: Incident) -> list[tuple[IncidentStatus, str]]:
    """Each stage with ``done``, ``now`` or ``next`` for the stepper."""
    here = INCIDENT_FLOW.index(incident.status)
    steps = []
    for index, status in enumerate(INCIDENT_FLOW):
        state = "done" if index < here else "now" if index == here else "next"
        if status is IncidentStatus.SELESAI and index == here:
            state = "done"
        steps.append((status, state))
    return steps


def list_map_items(incidents: Iterable[Incident], lang: str) -> list[dict[str, Any]]:
    """Open incidents as the list's map draws them, coloured by severity."""
    return [
        {
            "code": incident.code,
            "title": incident.title,
            "lat": incident.lat,
            "lon": incident.lon,
            "severity": incident.severity.value,
            "label": f"{incident.severity.label(lang)} · {incident.status.label(lang)}",
            "url": f"{CONSOLE}/{incident.code}",
        }
        for incident in incidents
        if incident.status in OPEN_INCIDENT_STATUSES
    ]


def incident_map(
    incident: Incident,
    linked: Iterable[IncidentLink],
    suggested: dict[LinkType, list[Candidate]],
    radius_m: int,
    lang: str,
) -> dict[str, Any]:
    """The incident page's mini map: the incident, what is linked, what is suggested."""
    return {
        "here": {
            "lat": incident.lat,
            "lon": incident.lon,
            "title": f"{incident.code} · {incident.title}",
            "severity": incident.severity.value,
        },
        "radius": radius_m if suggested else None,
        "linked": [
            {
                "lat": link.lat,
                "lon": link.lon,
                "label": link.label,
                "kind": link.item_type.label(lang),
            }
            for link in linked
            if link.lat is not None and link.lon is not None
        ],
        "suggested": [
            {
                "lat": c.lat,
                "lon": c.lon,
                "label": c.label,
                "kind": c.item_type.label(lang),
                "colour": c.colour,
            }
            for items in suggested.values()
            for c in items
            if c.lat is not None and c.lon is not None
        ],
    }


def distance_text(metres: float | None, lang: str) -> str:
    """``350 m`` or ``1,2 km`` (``1.2 km``); the area wording when related by area."""
    if metres is None:
        return translate("coord.inc.by_area", lang)
    if metres < 1000:
        return f"{round(metres / 10) * 10:.0f} m"
    text = f"{metres / 1000:.1f} km"
    return text.replace(".", ",") if lang == "id" else text
