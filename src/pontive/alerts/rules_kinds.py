"""What each rule kind reads from an event: one ``Reading`` per subject it concerns.

A reading says whether the rule's condition is met (``fires``), whether an alert already
firing should stay up (``holds`` — differs from ``fires`` only where a kind has hysteresis),
and a ``level`` that rises when the danger does (an index category's rank), so that
``alerts/rules.py`` can issue a CAP Update on escalation. Everything here reads events,
summary columns and the rule's own state; nothing scans the observation table.

Forecasts arrive as ordinary observations of a forecast Datastream whose ``phenomenonTime``
lies in the future (a model run posts its horizon through SensorThings or MQTT; analytics'
water-level forecast posts 72 hourly points). When an event brings future points of its
stream, a forecast rule reads that stream's stored points up to its horizon (one bounded
read on the observation index) and fires on the first crossing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.choices import RuleKind, Severity
from pontive.alerts.models import AlertRule, AlertRuleState, IncomingAlert
from pontive.alerts.rules_params import CATEGORY_ORDER
from pontive.complaints import service as complaints
from pontive.core.errors import NotFound
from pontive.core.events import Event
from pontive.core.identity import system_actor
from pontive.sensors import service as sensors
from pontive.sensors.choices import FloodStatus, IspuCategory

RULES_ACTOR = system_actor("alerts.rules")
# Future readings closer than this are treated as now (clock skew between gateways and us).
_SKEW = timedelta(minutes=2)
# At most this many stored forecast points are read per evaluation (hourly points over a
# week); a finer or longer forecast is read up to here, oldest first.
_FORECAST_ROWS = 7 * 24
# Severity of an index alert by category (BPBD flood levels; PermenLHK 14/2020 ISPU bands).
CATEGORY_SEVERITY: dict[str, Severity] = {
    FloodStatus.WASPADA: Severity.MODERATE,
    FloodStatus.SIAGA: Severity.SEVERE,
    FloodStatus.AWAS: Severity.EXTREME,
    IspuCategory.SEDANG: Severity.MINOR,
    IspuCategory.TIDAK_SEHAT: Severity.MODERATE,
    IspuCategory.SANGAT_TIDAK_SEHAT: Severity.SEVERE,
    IspuCategory.BERBAHAYA: Severity.EXTREME,
}
SEVERITY_RANK = {
    Severity.UNKNOWN: 0,
    Severity.MINOR: 1,
    Severity.MODERATE: 2,
    Severity.SEVERE: 3,
    Severity.EXTREME: 4,
}
INDEX_EVENTS = {
    "sensors.flood_status_changed": "flood_status",
    "sensors.ispu_category_changed": "ispu",
}


@dataclass(frozen=True, slots=True)
class Reading:
    """One subject's condition at one instant, with what the alert text needs."""

    subject: str
    at: datetime
    value: float | None
    fires: bool
    holds: bool
    level: int = 0
    kelurahan_kodes: tuple[str, ...] = ()
    values: Mapping[str, Any] = field(default_factory=dict)  # template placeholders
    overrides: Mapping[str, Any] = field(default_factory=dict)  # content fields (severity…)
    incoming_id: int | None = None


def rule_state(session: Session, rule: AlertRule, subject: str) -> AlertRuleState:
    """The rule's memory of ``subject`` (created on first use)."""
    state = session.scalar(
        select(AlertRuleState).where(
            AlertRuleState.rule_id == rule.id, AlertRuleState.subject == subject
        )
    )
    if state is None:
        state = AlertRuleState(rule_id=rule.id, subject=subject, is_firing=False)
        session.add(state)
        session.flush()
    return state


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _beyond(value: float, op: str, limit: float) -> bool:
    return value >= limit if op == ">=" else value <= limit


def _flip(params: Mapping[str, Any]) -> str:
    """The comparison that clears: back at or below (or above) the clear value."""
    return "<=" if params["op"] == ">=" else ">="


def _stream_points(event: Event, datastream_id: int) -> Iterator[tuple[datetime, float]]:
    for item in event.data.get("datastreams", ()):
        number = _number(item.get("result"))
        if item.get("id") == datastream_id and number is not None and item.get("phenomenon_time"):
            yield datetime.fromisoformat(item["phenomenon_time"]), number


def _station_facts(session: Session, datastream_id: int) -> tuple[tuple[str, ...], dict[str, Any]]:
    station = sensors.station_of_stream(session, datastream_id)
    if station is None:
        return (), {}
    kodes = (station.kelurahan_kode,) if station.kelurahan_kode else ()
    return kodes, {"station": station.name, "unit": station.unit}


def threshold(session: Session, rule: AlertRule, event: Event, now: datetime) -> list[Reading]:
    """A stream's value against ``value`` (fires) and ``clear_value`` (stops holding)."""
    params = rule.params
    readings = []
    for at, value in _stream_points(event, params["datastream_id"]):
        if at > now + _SKEW:
            continue  # a forecast point: forecast rules look at those
        kodes, values = _station_facts(session, params["datastream_id"])
        fires = _beyond(value, params["op"], params["value"])
        clear = params.get("clear_value", params["value"])
        # Without hysteresis (clear == value) an alert holds while the condition does.
        holds = fires if clear == params["value"] else not _beyond(value, _flip(params), clear)
        readings.append(
            Reading(
                subject=f"ds:{params['datastream_id']}",
                at=at,
                value=value,
                fires=fires,
                holds=holds,
                kelurahan_kodes=kodes,
                values={**values, "value": value, "time": at},
            )
        )
    return readings


def rate_of_change(session: Session, rule: AlertRule, event: Event, now: datetime) -> list[Reading]:
    """The change over the last ``window_s`` (kept in the rule state's window) per ``per_s``."""
    params = rule.params
    readings = []
    for at, value in _stream_points(event, params["datastream_id"]):
        if at > now + _SKEW:
            continue
        state = rule_state(session, rule, f"ds:{params['datastream_id']}")
        start = at - timedelta(seconds=params["window_s"])
        points = [(datetime.fromisoformat(t), v) for t, v in state.window or ()]
        points = sorted([(t, v) for t, v in points if start <= t < at] + [(at, value)])
        state.window = [[t.isoformat(), v] for t, v in points]
        (first_at, first), (last_at, last) = points[0], points[-1]
        span = (last_at - first_at).total_seconds()
        rate = (last - first) / span * params["per_s"] if span > 0 else 0.0
        fires = rate >= params["rise"] if "rise" in params else -rate >= params["fall"]
        kodes, values = _station_facts(session, params["datastream_id"])
        readings.append(
            Reading(
                subject=f"ds:{params['datastream_id']}",
                at=at,
                value=rate,
                fires=fires,
                holds=fires,
                kelurahan_kodes=kodes,
                values={**values, "value": rate, "time": at},
            )
        )
    return readings


def _forecast_points(
    session: Session, event: Event, datastream_id: int, now: datetime, horizon: datetime
) -> list[tuple[datetime, float]]:
    """The forecast points in (now, horizon], oldest first: the stored ones (one indexed read
    of at most ``_FORECAST_ROWS`` rows) and those the event carries, one per instant."""
    carried = [(at, value) for at, value in _stream_points(event, datastream_id) if at > now]
    if not carried:
        return []  # the event brought no forecast for this stream
    tick = timedelta(microseconds=1)  # the window is [start, end): shift it to (now, horizon]
    stored = sensors.reading_window(
        session=session,
        datastream_id=datastream_id,
        start=now + tick,
        end=horizon + tick,
        limit=_FORECAST_ROWS,
    )
    points = {row.phenomenon_time: _number(row.result) for row in stored}
    points |= {at: value for at, value in carried if at <= horizon}
    return sorted((at, value) for at, value in points.items() if value is not None)


def forecast(session: Session, rule: AlertRule, event: Event, now: datetime) -> list[Reading]:
    """The first forecast point within ``horizon_s`` from now beyond ``value``.

    A model run posts its whole horizon in one batch, and the event names only its latest
    point (72 hours ahead, say): the stream's stored points up to the horizon are read, so a
    crossing in six hours is seen. No crossing within the horizon: the rule stops holding.
    """
    params = rule.params
    stream_id = params["datastream_id"]
    if not any(at > now + _SKEW for at, _value in _stream_points(event, stream_id)):
        return []  # observations, not a forecast
    horizon = now + timedelta(seconds=params["horizon_s"])
    points = _forecast_points(session, event, stream_id, now + _SKEW, horizon)
    crossing = next(
        ((at, v) for at, v in points if _beyond(v, params["op"], params["value"])), None
    )
    kodes, values = _station_facts(session, stream_id)
    at, value = crossing if crossing else (horizon, None)
    return [
        Reading(
            subject=f"fc:{stream_id}",
            at=now,  # the state moves with our clock: forecasts are re-issued, not ordered
            value=value,
            fires=crossing is not None,
            holds=crossing is not None,
            kelurahan_kodes=kodes,
            values={
                **values,
                "value": value,
                "time": at,
                "minutes": round((at - now).total_seconds() / 60),
            },
        )
    ]


def index_category(
    session: Session, rule: AlertRule, event: Event, _now: datetime
) -> list[Reading]:
    """A flood status or ISPU category at or above ``at_least``; the rank is the level."""
    params = rule.params
    if INDEX_EVENTS.get(event.type) != params["quantity"]:
        return []
    thing = event.data.get("thing") or {}
    if params.get("thing_ids") is not None and thing.get("id") not in params["thing_ids"]:
        return []
    order = CATEGORY_ORDER[params["quantity"]]
    new = event.data.get("new")
    if new not in order:
        return []
    rank = order.index(new)
    fires = rank >= order.index(params["at_least"])
    station = sensors.station_of_thing(session, int(thing.get("id", 0)))
    category = FloodStatus(new) if params["quantity"] == "flood_status" else IspuCategory(new)
    severity = CATEGORY_SEVERITY.get(new)
    return [
        Reading(
            subject=f"thing:{thing.get('id')}:{params['quantity']}",
            at=datetime.fromisoformat(event.data["time"]),
            value=_number(event.data.get("value")),
            fires=fires,
            holds=fires,
            level=rank,
            kelurahan_kodes=(station.kelurahan_kode,) if station and station.kelurahan_kode else (),
            values={
                "station": station.name if station else thing.get("name", ""),
                "category": category,
                "value": _number(event.data.get("value")),
                "time": datetime.fromisoformat(event.data["time"]),
            },
            overrides={"severity": severity} if severity else {},
        )
    ]


def missing_data(session: Session, rule: AlertRule, now: datetime) -> list[Reading]:
    """Every watched station: silent for ``silent_minutes`` or more (periodic check)."""
    minutes = rule.params["silent_minutes"]
    cutoff = now - timedelta(minutes=minutes)
    readings = []
    for thing_id, seen_at in sensors.last_seen(session, rule.params.get("thing_ids")):
        if seen_at is None:
            continue  # never reported: not installed yet, nothing has gone quiet
        silent = seen_at <= cutoff
        station = sensors.station_of_thing(session, thing_id)
        readings.append(
            Reading(
                subject=f"thing:{thing_id}",
                at=now,
                value=(now - seen_at).total_seconds() / 60,
                fires=silent,
                holds=silent,
                kelurahan_kodes=(station.kelurahan_kode,)
                if station and station.kelurahan_kode
                else (),
                values={
                    "station": station.name if station else str(thing_id),
                    "minutes": minutes,
                    "last_seen": seen_at,
                    "time": now,
                },
            )
        )
    return readings


def _category_id(session: Session, code: str) -> int | None:
    try:
        return complaints.get_category(session, code, active_only=False).id
    except NotFound:
        return None


def spike_reading(session: Session, rule: AlertRule, kelurahan_kode: str, at: datetime) -> Reading:
    """How many reports of the rule's category one kelurahan had in the window up to ``at``
    (one query on the complaints index through the complaints service)."""
    params = rule.params
    window = timedelta(seconds=params["window_s"])
    filters = complaints.ComplaintFilter(
        category_codes=frozenset({params["category_code"]}),
        kelurahan_kode=kelurahan_kode,
        created_from=at - window,
        created_to=at,
    )
    counts = complaints.count_queue_by_status(session, actor=RULES_ACTOR, filters=filters)
    count = sum(counts.values())
    fires = count >= params["count"]
    return Reading(
        subject=f"kel:{kelurahan_kode}",
        at=at,
        value=float(count),
        fires=fires,
        holds=fires,
        kelurahan_kodes=(kelurahan_kode,),
        values={"count": count, "minutes": params["window_s"] // 60, "time": at},
    )


def _reports_in_scope(params: Mapping[str, Any], event: Event) -> bool:
    """A new report a rule with ``params`` could count: in a kelurahan it watches and, when
    the event names its category (``category_code``), of the rule's category."""
    data = event.data
    kode = data.get("kelurahan_kode")
    if not kode:
        return False
    if params.get("kelurahan_kodes") is not None and kode not in params["kelurahan_kodes"]:
        return False
    code = data.get("category_code")
    return code is None or code == params["category_code"]


def report_spike(session: Session, rule: AlertRule, event: Event, _now: datetime) -> list[Reading]:
    """A new report of the rule's category: recount its kelurahan's window."""
    if not _reports_in_scope(rule.params, event):
        return []
    if "category_code" not in event.data and event.data.get("category_id") != _category_id(
        session, rule.params["category_code"]
    ):
        return []
    return [spike_reading(session, rule, event.data["kelurahan_kode"], event.occurred_at)]


def incoming(session: Session, rule: AlertRule, event: Event, now: datetime) -> list[Reading]:
    """An official alert received from a feed, touching the city, severe enough."""
    data = event.data
    severity = Severity(data["severity"]) if data.get("severity") in set(Severity) else None
    if not data.get("touches_city") or severity is None:
        return []
    if SEVERITY_RANK[severity] < SEVERITY_RANK[Severity(rule.params["min_severity"])]:
        return []
    wanted = rule.params.get("events")
    name = str(data.get("event", ""))
    if wanted is not None and not any(w.lower() in name.lower() for w in wanted):
        return []
    expires = datetime.fromisoformat(data["expires_at"]) if data.get("expires_at") else None
    overrides: dict[str, Any] = {"severity": severity}
    if expires is not None and expires > now:
        overrides["expires_at"] = expires
    stored = session.get(IncomingAlert, int(data["id"]))
    values = {
        "event": name,
        "headline": stored.headline if stored else name,
        "sender": (stored.sender_name if stored else "") or data.get("sender", ""),
        "time": now,
    }
    return [
        Reading(
            subject=f"in:{data['id']}",
            at=now,
            value=None,
            fires=True,
            holds=True,
            values=values,
            overrides=overrides,
            incoming_id=int(data["id"]),
        )
    ]


EventKind = Callable[[Session, AlertRule, Event, datetime], list[Reading]]
# Which kinds each event type can move, and how each reads it.
BY_EVENT: dict[str, dict[RuleKind, EventKind]] = {
    "sensors.observations": {
        RuleKind.THRESHOLD: threshold,
        RuleKind.RATE_OF_CHANGE: rate_of_change,
        RuleKind.FORECAST: forecast,
    },
    "sensors.flood_status_changed": {RuleKind.INDEX_CATEGORY: index_category},
    "sensors.ispu_category_changed": {RuleKind.INDEX_CATEGORY: index_category},
    "complaint.created": {RuleKind.REPORT_SPIKE: report_spike},
    "alerts.incoming.received": {RuleKind.INCOMING: incoming},
}


def _watches_stream(params: Mapping[str, Any], event: Event) -> bool:
    streams = {entry.get("id") for entry in event.data.get("datastreams", ())}
    return params.get("datastream_id") in streams


# Whether an event could move a rule, told from the event and the rule's parameters alone
# (no query): the evaluator opens no write transaction for an event no enabled rule wants.
# Kinds not listed here always look.
CONCERNS: dict[RuleKind, Callable[[Mapping[str, Any], Event], bool]] = {
    RuleKind.THRESHOLD: _watches_stream,
    RuleKind.RATE_OF_CHANGE: _watches_stream,
    RuleKind.FORECAST: _watches_stream,
    RuleKind.REPORT_SPIKE: _reports_in_scope,
}
