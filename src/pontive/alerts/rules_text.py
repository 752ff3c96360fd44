"""What a firing rule knows about its trigger, and the alert text filled from it.

Station facts (name, unit, kelurahan) are read here in one query each. The sensors service
offers no read of them yet, so these small read-only functions stand in for one; they touch
only summary columns (``sensor_things``, ``sensor_datastreams``, ``sensor_locations``) and
never the observation table.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from pontive.alerts.choices import ResponseType
from pontive.alerts.models import AlertRule
from pontive.alerts.rules_params import TEMPLATE_FIELDS
from pontive.alerts.service import AlertContent, kelurahan_names
from pontive.core.choices import LabelledChoice
from pontive.core.timeutil import format_local
from pontive.sensors.models import Datastream, Location, Thing, thing_locations

_THINGS = cast(Table, Thing.__table__)
_STREAMS = cast(Table, Datastream.__table__)
_LOCATIONS = cast(Table, Location.__table__)


@dataclass(frozen=True, slots=True)
class Station:
    """A Thing as an alert names it: its name, unit of the stream, and its kelurahan."""

    thing_id: int
    name: str
    unit: str
    kelurahan_kode: str | None


def _kelurahan_of(session: Session, thing_id: int) -> str | None:
    query = (
        select(_LOCATIONS.c.kelurahan_kode)
        .join(thing_locations, thing_locations.c.location_id == _LOCATIONS.c.id)
        .where(thing_locations.c.thing_id == thing_id, _LOCATIONS.c.kelurahan_kode.is_not(None))
        .order_by(_LOCATIONS.c.id)
        .limit(1)
    )
    return session.scalar(query)


def station_of_stream(session: Session, datastream_id: int) -> Station | None:
    """The station a Datastream belongs to, with that stream's unit symbol."""
    row = session.execute(
        select(_THINGS.c.id, _THINGS.c.name, _STREAMS.c.unit_of_measurement)
        .join(_STREAMS, _STREAMS.c.thing_id == _THINGS.c.id)
        .where(_STREAMS.c.id == datastream_id)
    ).first()
    if row is None:
        return None
    unit = (row.unit_of_measurement or {}).get("symbol") or ""
    return Station(row.id, row.name, str(unit), _kelurahan_of(session, row.id))


def station_of_thing(session: Session, thing_id: int) -> Station | None:
    """A station by its Thing id (no unit: index categories have none)."""
    name = session.scalar(select(_THINGS.c.name).where(_THINGS.c.id == thing_id))
    if name is None:
        return None
    return Station(thing_id, name, "", _kelurahan_of(session, thing_id))


def last_seen(
    session: Session, thing_ids: Sequence[int] | None
) -> list[tuple[int, datetime | None]]:
    """``(thing id, last_seen_at)`` of the given Things (``None``: every Thing)."""
    query = select(_THINGS.c.id, _THINGS.c.last_seen_at).order_by(_THINGS.c.id)
    if thing_ids is not None:
        query = query.where(_THINGS.c.id.in_(thing_ids))
    return [(row.id, row.last_seen_at) for row in session.execute(query)]


def format_number(value: float | None, lang: str) -> str:
    """A reading as people write it: ``2,35`` in Indonesian, ``2.35`` in English."""
    if value is None or math.isnan(value):
        return "-"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "id" else text


class _Values(dict[str, str]):
    """A placeholder not known for this trigger stays visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _render(value: Any, lang: str) -> str:
    if isinstance(value, LabelledChoice):
        return value.label(lang)
    if isinstance(value, datetime):
        return format_local(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return format_number(value, lang)
    return str(value)


def fill(template: str, values: Mapping[str, Any], lang: str) -> str:
    """``template`` with its ``{placeholders}`` filled in ``lang``."""
    rendered = _Values({name: _render(value, lang) for name, value in values.items()})
    try:
        return string.Formatter().vformat(template, (), rendered)
    except (ValueError, IndexError, KeyError, AttributeError):
        return template  # a template saved before validation existed: show it as written


def rule_content(
    session: Session,
    rule: AlertRule,
    values: Mapping[str, Any],
    kelurahan_kodes: Sequence[str],
    **overrides: Any,
) -> AlertContent:
    """The alert a firing of ``rule`` drafts, its text filled from the trigger's ``values``
    (``overrides``: content fields the trigger decides, e.g. a severity per level)."""
    names = kelurahan_names(session)
    values = {"kelurahan": ", ".join(names.get(k, k) for k in kelurahan_kodes), **values}
    texts = {name: fill(getattr(rule, name), values, name[-2:]) for name in TEMPLATE_FIELDS}
    fields: dict[str, Any] = {
        "category": rule.cap_category,
        "urgency": rule.urgency,
        "severity": rule.severity,
        "certainty": rule.certainty,
        "response_type": _response_type(rule.response_type),
        "kelurahan_kodes": tuple(kelurahan_kodes),
        **texts,
        **overrides,
    }
    return AlertContent(**fields)


def _response_type(value: str | None) -> ResponseType | None:
    try:
        return ResponseType(value) if value else None
    except ValueError:  # a value stored before validation: the message goes without one
        return None
