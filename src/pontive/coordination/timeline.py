"""Writing to an incident's record: a timeline line, its audit event and its bus event.

Every change to an incident, a task or a meeting goes through ``note`` (timeline line) and
``changed`` (audit + event) so the incident report can be rebuilt from the timeline alone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.coordination.choices import EntryKind
from pontive.coordination.models import Incident, IncidentEntry
from pontive.core import audit
from pontive.core.choices import Classification
from pontive.core.events import Event, emit
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow


def note(
    session: Session,
    incident: Incident,
    *,
    actor: Actor,
    kind: EntryKind,
    text: str = "",
    ref: str | None = None,
    data: dict[str, Any] | None = None,
    photo_key: str | None = None,
    at: datetime | None = None,
) -> IncidentEntry:
    """Add one line to ``incident``'s timeline."""
    entry = IncidentEntry(
        incident_id=incident.id,
        kind=kind,
        text=text,
        actor=actor.label,
        actor_pd_kode=actor.pd_kode,
        at=at or utcnow(),
        photo_key=photo_key,
        ref=ref,
        data=data,
    )
    session.add(entry)
    incident.updated_at = entry.at
    return entry


def incident_state(incident: Incident) -> dict[str, Any]:
    """What the audit trail records of an incident."""
    return {
        "code": incident.code,
        "title": incident.title,
        "kind": incident.kind.value,
        "severity": incident.severity.value,
        "status": incident.status.value,
        "lon": incident.lon,
        "lat": incident.lat,
        "kelurahan_kode": incident.kelurahan_kode,
        "affected_kelurahan": list(incident.affected_kelurahan or ()),
        "lead_pd_kode": incident.lead_pd_kode,
        "agencies": incident.agency_codes,
    }


def incident_event(event_type: str, incident: Incident, **extra: Any) -> Event:
    """A staff-only bus event about an incident (no personal data in it)."""
    data = {
        "code": incident.code,
        "title": incident.title,
        "kind": incident.kind.value,
        "severity": incident.severity.value,
        "status": incident.status.value,
        "lon": incident.lon,
        "lat": incident.lat,
        "kelurahan_kode": incident.kelurahan_kode,
        **extra,
    }
    return Event(event_type, data, classification=Classification.TERBATAS)


def changed(
    session: Session,
    *,
    actor: Actor,
    incident: Incident,
    action: str,
    before: dict[str, Any] | None,
    **extra: Any,
) -> None:
    """Audit ``action`` on ``incident`` and announce it (``coordination.incident.<verb>``)."""
    audit.record(
        session,
        actor=actor,
        action=f"coordination.incident.{action}",
        object_type="coord_incident",
        object_id=incident.code,
        before=before,
        after=incident_state(incident),
    )
    emit(session, incident_event(f"coordination.incident.{action}", incident, **extra))


def next_code(session: Session, model: type[Any], prefix: str, *, at: datetime) -> str:
    """The next free ``PREFIX-YYYY-NNNN`` code of the year (WIB) of ``at``."""
    year = at.astimezone(WIB).year
    stem = f"{prefix}-{year}-"
    column = model.code
    # The longest, then greatest: "-10000" comes after "-9999".
    highest = session.scalar(
        select(column)
        .where(column.like(f"{stem}%"))
        .order_by(func.length(column).desc(), column.desc())
        .limit(1)
    )
    number = int(highest.rsplit("-", 1)[1]) + 1 if highest else 1
    return f"{stem}{number:04d}"
