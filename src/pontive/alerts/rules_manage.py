"""Managing alert rules: create, change, enable and disable — each save a new version.

Every save writes the rule's full state as an ``AlertRuleVersion`` snapshot (who, when, why)
and an audit record, so what a rule said when an alert fired can always be read back
(``Alert.rule_version``). Permission ``alerts.rules.manage``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.choices import CapCategory, Certainty, ResponseType, RuleKind, Severity, Urgency
from pontive.alerts.models import AlertRule, AlertRuleVersion
from pontive.alerts.rules_params import TEMPLATE_FIELDS, template_errors, validate_params
from pontive.alerts.service import ALERTS_RULES_MANAGE
from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.web.i18n import translate

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{2,59}$")
# Fields a caller may set, and how each is read.
_CHOICES: dict[str, Any] = {
    "kind": RuleKind,
    "cap_category": CapCategory,
    "urgency": Urgency,
    "severity": Severity,
    "certainty": Certainty,
}
_TEXTS = {"name_id": 200, "name_en": 200, "event_id": 200, "event_en": 200}
_TEXTS |= {"headline_id": 300, "headline_en": 300}
_LONG_TEXTS = ("description_id", "description_en", "instruction_id", "instruction_en")
_RANGES = {"cooldown_s": (0, 7 * 86400), "expires_after_s": (300, 7 * 86400)}
_FLAGS = ("enabled", "auto_publish")
EDITABLE = frozenset(
    {*_CHOICES, *_TEXTS, *_LONG_TEXTS, *_RANGES, *_FLAGS, "params", "response_type"}
) - {"kind"}
SNAPSHOT_FIELDS = ("code", "kind", *sorted(EDITABLE))
DEFAULTS: dict[str, Any] = {
    "enabled": True,
    "auto_publish": False,
    "cooldown_s": 3600,
    "expires_after_s": 6 * 3600,
    "cap_category": CapCategory.MET,
    "urgency": Urgency.EXPECTED,
    "severity": Severity.MODERATE,
    "certainty": Certainty.OBSERVED,
    "response_type": None,
    **dict.fromkeys(_LONG_TEXTS, ""),
}


def _message(key: str, **values: object) -> str:
    return f"{translate(key, 'id', **values)} / {translate(key, 'en', **values)}"


def _invalid(errors: dict[str, list[str]]) -> InvalidInput:
    return InvalidInput(
        translate("alerts.rules.err.invalid", "id"),
        translate("alerts.rules.err.invalid", "en"),
        errors=errors,
    )


def snapshot(rule: AlertRule) -> dict[str, Any]:
    """The rule as stored, JSON-ready (for versions and the audit digest)."""
    values = {name: getattr(rule, name) for name in SNAPSHOT_FIELDS}
    return {k: v.value if hasattr(v, "value") else v for k, v in values.items()}


def _check_field(name: str, value: Any, errors: dict[str, list[str]]) -> Any:
    if name in _CHOICES:
        try:
            return _CHOICES[name](value)
        except ValueError:
            errors[name] = [_message("alerts.rules.err.choice", choices=", ".join(_CHOICES[name]))]
    elif name == "response_type":
        if value in (None, "") or value in set(ResponseType):
            return value or None
        errors[name] = [_message("alerts.rules.err.choice", choices=", ".join(ResponseType))]
    elif name in _TEXTS or name in _LONG_TEXTS:
        text = value.strip() if isinstance(value, str) else ""
        if name in _TEXTS and not text:
            errors[name] = [_message("alerts.rules.err.required")]
        elif name in _TEXTS and len(text) > _TEXTS[name]:
            errors[name] = [_message("alerts.life.err.too_long", limit=_TEXTS[name])]
        return text
    elif name in _RANGES:
        low, high = _RANGES[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[name] = [_message("alerts.rules.err.range", minimum=low, maximum=high)]
        return value
    elif name in _FLAGS:
        if not isinstance(value, bool):
            errors[name] = [_message("alerts.rules.err.choice", choices="true, false")]
        return value
    return value


def _apply(rule: AlertRule, data: Mapping[str, Any], *, creating: bool) -> None:
    errors: dict[str, list[str]] = {}
    allowed = EDITABLE | ({"code", "kind"} if creating else set())
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in allowed:
            key = (
                "alerts.rules.err.fixed" if name in ("code", "kind") else "alerts.rules.err.unknown"
            )
            errors[name] = [_message(key)]
        elif name == "code":
            if not isinstance(value, str) or not CODE_PATTERN.match(value):
                errors[name] = [_message("alerts.rules.err.code")]
            values[name] = value
        elif name != "params":
            values[name] = _check_field(name, value, errors)
    kind = values.get("kind", rule.kind)
    if "params" in data or creating:
        try:
            values["params"] = validate_params(RuleKind(kind), data.get("params") or {})
        except InvalidInput as error:
            errors.update(error.errors)
        except ValueError:
            pass  # the kind itself is wrong: reported above
    templates = {n: values.get(n, getattr(rule, n, None) or "") for n in TEMPLATE_FIELDS}
    errors.update(template_errors(templates))
    if errors:
        raise _invalid(errors)
    for name, value in values.items():
        setattr(rule, name, value)


def _save_version(session: Session, rule: AlertRule, actor: Actor, note: str) -> None:
    session.add(
        AlertRuleVersion(
            rule_id=rule.id,
            version=rule.version,
            snapshot=snapshot(rule),
            changed_by=actor.label,
            changed_at=rule.updated_at,
            note=note,
        )
    )


def create_rule(
    session: Session, *, actor: Actor, data: Mapping[str, Any], note: str = ""
) -> AlertRule:
    """A new rule (version 1); ``data`` holds the ``AlertRule`` fields."""
    permissions.require(actor, ALERTS_RULES_MANAGE)
    missing = [n for n in ("code", "kind", *_TEXTS) if n not in data]
    if missing:
        raise _invalid({name: [_message("alerts.rules.err.required")] for name in missing})
    now = utcnow()
    rule = AlertRule(
        version=1,
        created_at=now,
        updated_at=now,
        updated_by=actor.label,
        **DEFAULTS,
    )
    _apply(rule, data, creating=True)
    if session.scalar(select(AlertRule.id).where(AlertRule.code == rule.code)) is not None:
        raise Conflict(
            translate("alerts.rules.err.code_taken", "id", code=rule.code),
            translate("alerts.rules.err.code_taken", "en", code=rule.code),
        )
    session.add(rule)
    session.flush()
    _save_version(session, rule, actor, note)
    _audit(session, actor, rule, "create", None)
    session.commit()
    return rule


def _audit(
    session: Session, actor: Actor, rule: AlertRule, verb: str, before: dict[str, Any] | None
) -> None:
    audit.record(
        session,
        actor=actor,
        action=f"alerts.rule.{verb}",
        object_type="alert_rule",
        object_id=rule.code,
        before=before,
        after=snapshot(rule),
    )


def get_rule(session: Session, rule_id: int) -> AlertRule:
    """The rule with this id, or ``NotFound``."""
    rule = session.get(AlertRule, rule_id)
    if rule is None:
        raise NotFound(
            translate("alerts.rules.err.not_found", "id"),
            translate("alerts.rules.err.not_found", "en"),
        )
    return rule


def update_rule(
    session: Session,
    *,
    actor: Actor,
    rule_id: int,
    changes: Mapping[str, Any],
    note: str = "",
    now: datetime | None = None,
) -> AlertRule:
    """Change a rule; the next version is saved (its firing state is kept)."""
    permissions.require(actor, ALERTS_RULES_MANAGE)
    rule = get_rule(session, rule_id)
    before = snapshot(rule)
    _apply(rule, changes, creating=False)
    if snapshot(rule) == before:
        return rule  # nothing changed: no new version
    rule.version += 1
    rule.updated_at, rule.updated_by = now or utcnow(), actor.label
    _save_version(session, rule, actor, note)
    verb = "update"
    if set(changes) == {"enabled"}:
        verb = "enable" if rule.enabled else "disable"
    _audit(session, actor, rule, verb, before)
    session.commit()
    return rule


def set_rule_enabled(
    session: Session, *, actor: Actor, rule_id: int, enabled: bool, note: str = ""
) -> AlertRule:
    """Switch a rule on or off (a new version, audited as enable/disable)."""
    return update_rule(
        session, actor=actor, rule_id=rule_id, changes={"enabled": enabled}, note=note
    )


def list_rules(session: Session, *, actor: Actor) -> list[AlertRule]:
    """Every rule by code (staff who manage rules)."""
    permissions.require(actor, ALERTS_RULES_MANAGE)
    return list(session.scalars(select(AlertRule).order_by(AlertRule.code)))


def rule_versions(session: Session, *, actor: Actor, rule_id: int) -> list[AlertRuleVersion]:
    """A rule's saved versions, oldest first."""
    permissions.require(actor, ALERTS_RULES_MANAGE)
    query = select(AlertRuleVersion).where(AlertRuleVersion.rule_id == rule_id)
    return list(session.scalars(query.order_by(AlertRuleVersion.version)))
