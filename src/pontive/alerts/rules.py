"""The rules engine: rules are data, evaluated as events arrive and by a periodic check.

For each (rule, subject) an ``AlertRuleState`` remembers since when the condition holds, whether
an alert is up and when the last one started or ended. From readings (``rules_kinds``):

- **duration**: a condition opens an alert only after holding ``duration_s`` (reading times);
- **hysteresis**: an alert up stays up while the reading ``holds`` — a threshold fires at
  ``value`` and clears only at ``clear_value``, so a value oscillating around the threshold
  opens one alert, not many;
- **cooldown**: no new alert for a subject within ``cooldown_s`` after its last one ended;
- **escalation**: a higher level while up (Siaga → Awas) issues a CAP Update of the published
  message (or rewrites the draft still awaiting approval);
- **clearing**: a draft is closed as rejected with the reason; a published message gets a CAP
  Cancel — published at once for ``auto_publish`` rules, otherwise a draft to approve.

Firing opens a draft, or publishes at once when the rule is ``auto_publish``. Nothing here
commits: the evaluator (``alerts/evaluator.py``) runs each event in its own transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from pontive.alerts.choices import AlertState, MsgType, RuleKind
from pontive.alerts.models import Alert, AlertRule, AlertRuleState
from pontive.alerts.rules_kinds import (
    BY_EVENT,
    CONCERNS,
    RULES_ACTOR,
    Reading,
    missing_data,
    rule_state,
    spike_reading,
)
from pontive.alerts.rules_text import fill, rule_content
from pontive.alerts.service import (
    AlertContent,
    cancel_changes,
    close_draft,
    open_followup,
    open_message,
    publish_message,
    revise_message,
)
from pontive.core.events import Event
from pontive.core.timeutil import utcnow
from pontive.web.i18n import translate

HANDLED_EVENTS = frozenset(BY_EVENT)


def _enabled(session: Session, kinds: list[RuleKind]) -> list[AlertRule]:
    query = select(AlertRule).where(AlertRule.enabled.is_(True), AlertRule.kind.in_(kinds))
    return list(session.scalars(query.order_by(AlertRule.id)))


# What ``concerns`` reads of the enabled rules: built once, run on the connection, two
# columns instead of whole rules (every batch of observations asks it).
_ENABLED_PARAMS = select(AlertRule.kind, AlertRule.params).where(
    AlertRule.enabled.is_(True), AlertRule.kind.in_(bindparam("kinds", expanding=True))
)


def concerns(session: Session, event: Event) -> bool:
    """Whether any enabled rule could act on ``event`` (read only: most events concern no
    rule — other streams, other categories — and their evaluation never opens a write
    transaction)."""
    kinds = BY_EVENT.get(event.type)
    if not kinds:
        return False
    rows = session.connection().execute(_ENABLED_PARAMS, {"kinds": list(kinds)})
    return any(CONCERNS.get(kind, _always)(params, event) for kind, params in rows)


def _always(_params: Mapping[str, Any], _event: Event) -> bool:
    return True


def evaluate(session: Session, event: Event, *, now: datetime | None = None) -> list[Alert]:
    """Evaluate every enabled rule that ``event`` concerns; the messages opened or changed."""
    kinds = BY_EVENT.get(event.type)
    if not kinds:
        return []
    now = now or utcnow()
    changed: list[Alert] = []
    for rule in _enabled(session, list(kinds)):
        for reading in kinds[rule.kind](session, rule, event, now):
            changed += step(session, rule, reading, now)
    return changed


def check_periodic(session: Session, *, now: datetime | None = None) -> list[Alert]:
    """What no event announces: stations gone silent, and report spikes whose window has
    passed (so that their alert clears)."""
    now = now or utcnow()
    changed: list[Alert] = []
    for rule in _enabled(session, [RuleKind.MISSING_DATA]):
        for reading in missing_data(session, rule, now):
            changed += step(session, rule, reading, now)
    for rule in _enabled(session, [RuleKind.REPORT_SPIKE]):
        firing = session.scalars(
            select(AlertRuleState.subject).where(
                AlertRuleState.rule_id == rule.id, AlertRuleState.is_firing.is_(True)
            )
        ).all()
        for subject in firing:
            reading = spike_reading(session, rule, subject.removeprefix("kel:"), now)
            changed += step(session, rule, reading, now)
    return changed


def _existing_state(session: Session, rule: AlertRule, subject: str) -> AlertRuleState | None:
    # Locked (PostgreSQL): two workers hearing the same event move the state one at a time.
    return session.scalar(
        select(AlertRuleState)
        .where(AlertRuleState.rule_id == rule.id, AlertRuleState.subject == subject)
        .with_for_update()
    )


def step(session: Session, rule: AlertRule, reading: Reading, now: datetime) -> list[Alert]:
    """Move one subject's state by one reading; the messages opened or changed."""
    state = _existing_state(session, rule, reading.subject)
    if state is None:
        if not reading.fires:
            return []  # nothing remembered, nothing to remember: no row per quiet subject
        state = rule_state(session, rule, reading.subject)
    if state.last_seen_at is not None and reading.at <= state.last_seen_at:
        return []  # late or repeated (a redelivered event): the state has moved past it
    state.last_value, state.last_seen_at, state.updated_at = reading.value, reading.at, now
    if not state.is_firing:
        return _maybe_fire(session, rule, state, reading, now)
    if reading.holds:
        return _maybe_escalate(session, rule, state, reading, now)
    return _clear(session, rule, state, reading, now)


def _trigger(rule: AlertRule, reading: Reading) -> dict[str, Any]:
    return {
        "rule": rule.code,
        "kind": rule.kind.value,
        "subject": reading.subject,
        "value": reading.value,
        "at": reading.at.isoformat(),
        "level": reading.level,
    }


def _content(session: Session, rule: AlertRule, reading: Reading) -> AlertContent:
    return rule_content(
        session, rule, reading.values, reading.kelurahan_kodes, **dict(reading.overrides)
    )


def _open(session: Session, rule: AlertRule, reading: Reading, now: datetime) -> Alert:
    alert = open_message(
        session,
        actor=RULES_ACTOR,
        content=_content(session, rule, reading),
        now=now,
        rule=rule,
        subject=reading.subject,
        trigger=_trigger(rule, reading),
    )
    alert.incoming_id = reading.incoming_id
    if rule.auto_publish:
        publish_message(session, actor=RULES_ACTOR, alert=alert, now=now)
    return alert


def _maybe_fire(
    session: Session, rule: AlertRule, state: AlertRuleState, reading: Reading, now: datetime
) -> list[Alert]:
    if not reading.fires:
        state.condition_since = None
        return []
    state.condition_since = state.condition_since or reading.at
    held = (reading.at - state.condition_since).total_seconds()
    if held < int(rule.params.get("duration_s", 0)):
        return []
    ended = state.last_fired_at
    if ended is not None and (reading.at - ended).total_seconds() < rule.cooldown_s:
        return []
    alert = _open(session, rule, reading, now)
    state.is_firing, state.alert_id, state.last_fired_at = True, alert.id, reading.at
    return [alert]


def _as_changes(content: AlertContent) -> dict[str, Any]:
    return {name: getattr(content, name) for name in content.__dataclass_fields__}


def _maybe_escalate(
    session: Session, rule: AlertRule, state: AlertRuleState, reading: Reading, now: datetime
) -> list[Alert]:
    current = session.get(Alert, state.alert_id) if state.alert_id else None
    if current is None or reading.level <= int((current.trigger or {}).get("level", 0)):
        return []
    if current.state not in (AlertState.DRAFT, AlertState.PUBLISHED):
        # The alert ended on its own (expired, refused) and the danger has grown since.
        alert = _open(session, rule, reading, now)
        state.alert_id = alert.id
        return [alert]
    content, trigger = _content(session, rule, reading), _trigger(rule, reading)
    if current.state is AlertState.DRAFT:
        revise_message(
            session, actor=RULES_ACTOR, alert=current, content=content, trigger=trigger, now=now
        )
        return [current]
    update = open_followup(
        session,
        actor=RULES_ACTOR,
        previous=current,
        msg_type=MsgType.UPDATE,
        changes=_as_changes(content),
        trigger=trigger,
        now=now,
    )
    if rule.auto_publish:
        publish_message(session, actor=RULES_ACTOR, alert=update, now=now)
    state.alert_id = update.id
    return [update]


def _clear(
    session: Session, rule: AlertRule, state: AlertRuleState, reading: Reading, now: datetime
) -> list[Alert]:
    state.is_firing, state.condition_since, state.last_fired_at = False, None, reading.at
    values = {**reading.values, "time": reading.at}
    reason_id = fill(translate("alerts.rules.cleared", "id"), values, "id")
    reason_en = fill(translate("alerts.rules.cleared", "en"), values, "en")
    changed: list[Alert] = []
    current = session.get(Alert, state.alert_id) if state.alert_id else None
    # A draft never reached the public: close it (an Update draft, then what it updates).
    while current is not None and current.state is AlertState.DRAFT:
        changed.append(
            close_draft(session, actor=RULES_ACTOR, alert=current, reason=reason_id, now=now)
        )
        current = session.get(Alert, current.references_id) if current.references_id else None
    if current is None or current.state is not AlertState.PUBLISHED:
        return changed
    message = open_followup(
        session,
        actor=RULES_ACTOR,
        previous=current,
        msg_type=MsgType.CANCEL,
        changes=cancel_changes(reason_id, reason_en),
        trigger={**_trigger(rule, reading), "cleared": True},
        now=now,
    )
    if rule.auto_publish:
        publish_message(session, actor=RULES_ACTOR, alert=message, now=now)
    state.alert_id = message.id
    return [*changed, message]
