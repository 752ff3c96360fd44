"""Factories for the rules-engine and lifecycle tests: rules, stations, events, bus capture."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pontive.alerts.choices import RuleKind
from pontive.alerts.models import Alert, AlertRule
from pontive.alerts.rules_manage import create_rule
from pontive.alerts.service import AlertContent
from pontive.core.events import Event
from pontive.core.identity import system_actor
from pontive.sensors.models import Datastream, Thing
from tests.sensors.conftest import datastream, sta_thing

ADMIN = system_actor("test")
NOW = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # 09:00 WIB

TEMPLATES = {
    "event_id": "Banjir",
    "event_en": "Flood",
    "headline_id": "Air tinggi di {station}: {value} {unit}",
    "headline_en": "High water at {station}: {value} {unit}",
    "description_id": "Tercatat {value} {unit} pada {time} di Kelurahan {kelurahan}.",
    "description_en": "Recorded {value} {unit} at {time} in Kelurahan {kelurahan}.",
}


def quiet_default_rules(session: Session) -> None:
    """Switch off the rules ``db upgrade`` seeded, so a test hears only its own rules."""
    session.execute(update(AlertRule).values(enabled=False))
    session.flush()


def make_rule(session: Session, kind: RuleKind, params: dict[str, Any], **fields: Any) -> AlertRule:
    """A rule with test templates (code unique per call)."""
    data: dict[str, Any] = {
        "code": fields.pop("code", f"uji-{kind.value.replace('_', '-')}-{len(params)}"),
        "name_id": "Aturan uji",
        "name_en": "Test rule",
        "kind": kind.value,
        "params": params,
        **TEMPLATES,
        **fields,
    }
    return create_rule(session, actor=ADMIN, data=data)


def gauge(session: Session, name: str = "Pos duga air Kapuas") -> tuple[Thing, Datastream]:
    """A water-level station (in a real kelurahan) with its stream in cm."""
    thing = sta_thing(session, name=name)
    return thing, datastream(session, thing=thing)


def observations_event(datastream_id: int, value: Any, at: datetime) -> Event:
    """What ingest announces for a batch whose latest reading is ``value`` at ``at``."""
    stamp = at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    item = {"id": datastream_id, "count": 1, "observation_id": 1, "phenomenon_time": stamp}
    data = {"source": "test", "count": 1, "datastreams": [{**item, "result": value}]}
    return Event("sensors.observations", data, occurred_at=at)


def index_event(
    kind: str, thing: Thing, old: str | None, new: str, value: float, at: datetime
) -> Event:
    """``sensors.flood_status_changed`` or ``sensors.ispu_category_changed``."""
    data = {
        "thing": {"id": thing.id, "name": thing.name},
        "stream": {"id": 999, "name": "derived"},
        "old": old,
        "new": new,
        "value": value,
        "time": at.isoformat(),
    }
    return Event(f"sensors.{kind}_changed", data, occurred_at=at)


def messages(session: Session, rule: AlertRule) -> list[Alert]:
    """Every message a rule opened, in order."""
    query = select(Alert).where(Alert.rule_id == rule.id).order_by(Alert.id)
    return list(session.scalars(query))


def content(**fields: Any) -> AlertContent:
    """A manual alert's content."""
    values: dict[str, Any] = {
        "event_id": "Angin kencang",
        "event_en": "Strong wind",
        "headline_id": "Angin kencang di Pontianak Utara",
        "headline_en": "Strong wind in Pontianak Utara",
        "description_id": "BMKG memperkirakan angin kencang hingga 45 km/jam.",
        "description_en": "BMKG expects winds up to 45 km/h.",
    }
    values.update(fields)
    return AlertContent(**values)
