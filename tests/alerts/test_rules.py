"""The rules engine (alerts/rules.py, rules_kinds.py): duration, hysteresis, cooldown,
escalation to a CAP Update, clearing to a CAP Cancel, and each rule kind."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import rules, service
from pontive.alerts.choices import AlertState, MsgType, RuleKind, Severity
from pontive.alerts.models import Alert, AlertRuleState, IncomingAlert
from pontive.core.auth import actor_for_user
from pontive.core.choices import Classification
from pontive.core.events import Event, MemoryBus
from pontive.core.roles import Role
from pontive.reference import service as reference
from pontive.sensors.models import Thing
from tests.alerts.rules_support import (
    NOW,
    gauge,
    index_event,
    make_rule,
    messages,
    observations_event,
    quiet_default_rules,
)
from tests.bus_support import collect_events
from tests.sensors.conftest import KAPUAS

THRESHOLD = {"op": ">=", "value": 250, "clear_value": 230}


@pytest.fixture(autouse=True)
def _only_this_tests_rules(session: Session) -> None:
    quiet_default_rules(session)


def _at(minutes: float) -> Any:
    return NOW + timedelta(minutes=minutes)


def _feed(session: Session, stream_id: int, values: list[tuple[float, float]]) -> list[Alert]:
    """Evaluate readings ``(minute, value)`` of one stream in order; every message touched."""
    touched: list[Alert] = []
    for minute, value in values:
        event = observations_event(stream_id, value, _at(minute))
        touched += rules.evaluate(session, event, now=_at(minute))
    return touched


def test_a_value_oscillating_around_the_threshold_opens_one_alert(session: Session) -> None:
    _thing, stream = gauge(session)
    rule = make_rule(session, RuleKind.THRESHOLD, {"datastream_id": stream.id, **THRESHOLD})
    _feed(session, stream.id, [(0, 240), (5, 251), (10, 249), (15, 252), (20, 235), (25, 260)])
    opened = messages(session, rule)
    assert len(opened) == 1
    assert opened[0].state is AlertState.DRAFT
    state = session.scalar(select(AlertRuleState).where(AlertRuleState.rule_id == rule.id))
    assert state is not None
    assert state.is_firing
    assert state.last_value == 260


def test_clearing_at_the_clear_value_closes_the_draft_with_the_reason(session: Session) -> None:
    _thing, stream = gauge(session)
    rule = make_rule(session, RuleKind.THRESHOLD, {"datastream_id": stream.id, **THRESHOLD})
    _feed(session, stream.id, [(0, 255), (10, 231)])
    assert messages(session, rule)[0].state is AlertState.DRAFT
    _feed(session, stream.id, [(20, 230)])
    (draft,) = messages(session, rule)
    assert draft.state is AlertState.REJECTED
    assert draft.rejected_reason is not None
    assert "08-12-2026 09:20 WIB" in draft.rejected_reason


def test_the_condition_must_hold_for_the_duration(session: Session) -> None:
    _thing, stream = gauge(session)
    params = {"datastream_id": stream.id, **THRESHOLD, "duration_s": 600}
    rule = make_rule(session, RuleKind.THRESHOLD, params)
    _feed(session, stream.id, [(0, 251), (5, 253), (8, 240), (12, 251), (20, 252)])
    assert messages(session, rule) == []  # the dip at minute 8 restarted the clock
    _feed(session, stream.id, [(22, 255)])
    assert len(messages(session, rule)) == 1


def test_no_new_alert_within_the_cooldown_after_one_ended(session: Session) -> None:
    _thing, stream = gauge(session)
    params = {"datastream_id": stream.id, "op": ">=", "value": 250}  # no hysteresis
    rule = make_rule(session, RuleKind.THRESHOLD, params, auto_publish=True, cooldown_s=3600)
    _feed(session, stream.id, [(0, 251), (10, 249), (20, 251), (40, 249), (65, 251)])
    first, cancel = messages(session, rule)[:2]
    assert (first.msg_type, cancel.msg_type) == (MsgType.ALERT, MsgType.CANCEL)
    assert len(messages(session, rule)) == 2  # minute 20 fell in the cooldown
    _feed(session, stream.id, [(71, 252)])  # an hour after the end at minute 10
    newest = messages(session, rule)[-1]
    assert newest.msg_type is MsgType.ALERT
    assert newest.state is AlertState.PUBLISHED
    assert len(messages(session, rule)) == 3


def test_late_readings_do_not_move_the_state(session: Session) -> None:
    _thing, stream = gauge(session)
    params = {"datastream_id": stream.id, **THRESHOLD}
    rule = make_rule(session, RuleKind.THRESHOLD, params, cooldown_s=0)
    _feed(session, stream.id, [(10, 255), (20, 225), (15, 260)])
    (only,) = messages(session, rule)
    assert only.state is AlertState.REJECTED  # the late 260 opened nothing


def test_the_text_names_station_value_unit_kelurahan_and_time(session: Session) -> None:
    _thing, stream = gauge(session, name="Pos Kapuas Jembatan I")
    rule = make_rule(session, RuleKind.THRESHOLD, {"datastream_id": stream.id, **THRESHOLD})
    (alert,) = _feed(session, stream.id, [(0, 262.5)])
    place = reference.resolve_location(session=session, lon=KAPUAS[0], lat=KAPUAS[1])
    assert place.kelurahan_kode is not None
    assert alert.kelurahan_kodes == [place.kelurahan_kode]
    assert alert.headline_id == "Air tinggi di Pos Kapuas Jembatan I: 262,5 cm"
    assert alert.headline_en == "High water at Pos Kapuas Jembatan I: 262.5 cm"
    assert alert.description_id == (
        f"Tercatat 262,5 cm pada 08-12-2026 09:00 WIB di Kelurahan {place.kelurahan_nama}."
    )
    assert alert.rule_id == rule.id
    assert alert.rule_version == 1
    assert alert.trigger is not None
    assert alert.trigger["value"] == 262.5


FLOOD = {"quantity": "flood_status", "at_least": "siaga"}


def _flood(session: Session, thing: Thing, steps: list[tuple[float, str]]) -> list[Alert]:
    touched: list[Alert] = []
    old = None
    for minute, new in steps:
        event = index_event("flood_status", thing, old, new, 280.0, _at(minute))
        touched += rules.evaluate(session, event, now=_at(minute))
        old = new
    return touched


def test_escalation_issues_an_update_and_clearing_a_cancel(
    session: Session, bus: MemoryBus
) -> None:
    thing, _stream = gauge(session)
    rule = make_rule(session, RuleKind.INDEX_CATEGORY, FLOOD, auto_publish=True)
    _flood(session, thing, [(0, "waspada"), (10, "siaga")])
    (first,) = messages(session, rule)
    assert first.state is AlertState.PUBLISHED
    assert first.severity is Severity.SEVERE
    session.commit()  # what came before is published now, not in the capture below
    events = collect_events(
        bus, session, "alerts.alert.*", lambda: _flood(session, thing, [(20, "awas")])
    )
    update_event = next(e for e in events if e.type == "alerts.alert.published")
    assert update_event.data["msg_type"] == "Update"
    assert update_event.data["references"] == [first.identifier]
    assert update_event.data["severity"] == "Extreme"
    assert [e.type for e in events if e.type == "alerts.alert.superseded"]
    assert first.state is AlertState.SUPERSEDED
    _flood(session, thing, [(30, "awas"), (40, "normal")])
    first_, update, cancel = messages(session, rule)
    assert cancel.msg_type is MsgType.CANCEL
    assert cancel.references_id == update.id
    assert cancel.state is AlertState.PUBLISHED
    assert update.state is AlertState.CANCELLED
    assert {a.thread_id for a in (first_, update, cancel)} == {first.id}


def test_without_auto_publish_follow_ups_wait_for_approval(
    session: Session, make_user: Any
) -> None:
    operator = actor_for_user(make_user(Role.OPERATOR))
    thing, _stream = gauge(session)
    rule = make_rule(session, RuleKind.INDEX_CATEGORY, FLOOD)
    _flood(session, thing, [(0, "siaga")])
    (first,) = messages(session, rule)
    service.approve(session, actor=operator, alert_id=first.id, now=_at(1))
    _flood(session, thing, [(10, "awas")])
    update = messages(session, rule)[1]
    assert (update.msg_type, update.state) == (MsgType.UPDATE, AlertState.DRAFT)
    assert first.state is AlertState.PUBLISHED  # until the update is approved
    _flood(session, thing, [(20, "normal")])
    _first, update, cancel = messages(session, rule)
    assert update.state is AlertState.REJECTED
    assert (cancel.msg_type, cancel.state) == (MsgType.CANCEL, AlertState.DRAFT)
    assert cancel.references_id == first.id
    service.approve(session, actor=operator, alert_id=cancel.id, now=_at(21))
    assert first.state is AlertState.CANCELLED


def test_an_escalation_before_approval_rewrites_the_draft(session: Session) -> None:
    thing, _stream = gauge(session)
    rule = make_rule(session, RuleKind.INDEX_CATEGORY, FLOOD)
    _flood(session, thing, [(0, "siaga"), (10, "awas")])
    (draft,) = messages(session, rule)
    assert draft.severity is Severity.EXTREME
    assert draft.state is AlertState.DRAFT


def test_ispu_rules_ignore_flood_events_and_other_stations(session: Session) -> None:
    thing, _stream = gauge(session)
    other = Thing(name="Stasiun lain", description="")
    session.add(other)
    session.flush()
    ispu = make_rule(
        session,
        RuleKind.INDEX_CATEGORY,
        {"quantity": "ispu", "at_least": "tidak_sehat", "thing_ids": [thing.id]},
    )
    _flood(session, thing, [(0, "awas")])
    rules.evaluate(session, index_event("ispu_category", other, None, "berbahaya", 320, NOW))
    assert messages(session, ispu) == []
    event = index_event("ispu_category", thing, "sedang", "tidak_sehat", 160, _at(5))
    (alert,) = rules.evaluate(session, event, now=_at(5))
    assert alert.severity is Severity.MODERATE


def test_rate_of_change_over_the_window(session: Session) -> None:
    _thing, stream = gauge(session)
    params = {"datastream_id": stream.id, "per_s": 3600, "rise": 30, "window_s": 3600}
    rule = make_rule(session, RuleKind.RATE_OF_CHANGE, params)
    _feed(session, stream.id, [(0, 200), (30, 210), (60, 225)])  # 25 cm an hour
    assert messages(session, rule) == []
    _feed(session, stream.id, [(90, 250)])  # 40 cm over the last hour
    (alert,) = messages(session, rule)
    assert alert.trigger is not None
    assert alert.trigger["value"] == pytest.approx(40.0)


def test_forecast_crossing_within_the_horizon(session: Session) -> None:
    _thing, stream = gauge(session)
    params = {"datastream_id": stream.id, "op": ">=", "value": 250, "horizon_s": 6 * 3600}
    rule = make_rule(session, RuleKind.FORECAST, params)
    threshold = make_rule(
        session, RuleKind.THRESHOLD, {"datastream_id": stream.id, **THRESHOLD}, code="uji-ambang"
    )
    far = observations_event(stream.id, 270, NOW + timedelta(hours=9))
    assert rules.evaluate(session, far, now=NOW) == []
    near = observations_event(stream.id, 270, NOW + timedelta(hours=3))
    (alert,) = rules.evaluate(session, near, now=NOW)
    assert alert.rule_id == rule.id
    assert "12:00 WIB" in alert.description_id  # the forecast time, not now
    assert messages(session, threshold) == []  # forecasts are not observations


def test_silent_stations_open_a_staff_only_draft(session: Session, bus: MemoryBus) -> None:
    thing, _stream = gauge(session, name="Pos Landak")
    quiet = Thing(name="Belum terpasang", description="")
    session.add(quiet)
    thing.last_seen_at = NOW - timedelta(minutes=50)
    session.flush()
    make_rule(
        session,
        RuleKind.MISSING_DATA,
        {"silent_minutes": 60, "thing_ids": [thing.id, quiet.id]},
        headline_id="{station} senyap sejak {last_seen}",
        headline_en="{station} silent since {last_seen}",
    )
    assert rules.check_periodic(session, now=NOW) == []
    events = collect_events(
        bus, session, "alerts.alert.*", lambda: rules.check_periodic(session, now=_at(15))
    )
    assert [(e.type, e.classification) for e in events] == [
        ("alerts.alert.drafted", Classification.TERBATAS)
    ]
    assert events[0].data["headline_id"] == "Pos Landak senyap sejak 08-12-2026 08:10 WIB"
    thing.last_seen_at = _at(20)
    session.flush()
    (closed,) = rules.check_periodic(session, now=_at(21))
    assert closed.state is AlertState.REJECTED


def test_incoming_official_alerts_by_severity_and_place(session: Session) -> None:
    rule = make_rule(
        session,
        RuleKind.INCOMING,
        {"min_severity": "Severe"},
        headline_id="Peringatan resmi: {event}",
        headline_en="Official warning: {event}",
    )

    def received(identity: int, severity: str, touches_city: bool) -> list[Alert]:
        row = IncomingAlert(
            identifier=f"bmkg-{identity}",
            sender="bmkg@bmkg.go.id",
            sent_at=NOW,
            msg_type="Alert",
            event="Hujan Lebat disertai Petir",
            severity=severity,
            urgency="Immediate",
            certainty="Likely",
            touches_city=touches_city,
            raw="<alert/>",
        )
        session.add(row)
        session.flush()
        data = {
            "id": row.id,
            "identifier": f"bmkg-{identity}",
            "sender": "bmkg@bmkg.go.id",
            "event": "Hujan Lebat disertai Petir",
            "severity": severity,
            "urgency": "Immediate",
            "certainty": "Likely",
            "touches_city": touches_city,
            "expires_at": (NOW + timedelta(hours=3)).isoformat(),
        }
        event = Event("alerts.incoming.received", data)
        return rules.evaluate(session, event, now=NOW)

    assert received(1, "Moderate", True) == []
    assert received(2, "Extreme", False) == []
    (alert,) = received(3, "Severe", True)
    assert alert.headline_id == "Peringatan resmi: Hujan Lebat disertai Petir"
    assert alert.expires_at == NOW + timedelta(hours=3)
    assert alert.rule_id == rule.id
    assert alert.incoming_id is not None


def test_a_disabled_rule_does_not_fire(session: Session) -> None:
    _thing, stream = gauge(session)
    rule = make_rule(
        session, RuleKind.THRESHOLD, {"datastream_id": stream.id, **THRESHOLD}, enabled=False
    )
    _feed(session, stream.id, [(0, 300)])
    assert messages(session, rule) == []
