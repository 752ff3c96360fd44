"""Rule management (alerts/rules_manage.py, rules_params.py, rules_seed.py): validation
per kind with field errors in both languages, versions, audit, permissions, defaults."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.alerts import rules_manage
from pontive.alerts.choices import RuleKind
from pontive.alerts.models import AlertRule
from pontive.alerts.rules_params import validate_params
from pontive.alerts.rules_seed import DEFAULT_RULES, seed_rules
from pontive.core.audit import AuditEvent
from pontive.core.auth import actor_for_user
from pontive.core.errors import Conflict, InvalidInput, PermissionDenied
from pontive.core.roles import Role
from tests.alerts.rules_support import ADMIN, make_rule


@pytest.mark.parametrize(
    ("kind", "params", "fields"),
    [
        (
            RuleKind.THRESHOLD,
            {"op": ">", "value": "x", "clear_value": 1},
            {"datastream_id", "op", "value"},
        ),
        (
            RuleKind.THRESHOLD,
            {"datastream_id": 1, "value": 250, "clear_value": 260},
            {"clear_value"},
        ),
        (
            RuleKind.THRESHOLD,
            {"datastream_id": 1, "op": "<=", "value": 5, "clear_value": 2},
            {"clear_value"},
        ),
        (
            RuleKind.RATE_OF_CHANGE,
            {"datastream_id": 1, "window_s": 600, "rise": 1, "fall": 1},
            {"rise"},
        ),
        (
            RuleKind.INDEX_CATEGORY,
            {"quantity": "flood_status", "at_least": "tidak_sehat"},
            {"at_least"},
        ),
        (RuleKind.INDEX_CATEGORY, {"quantity": "noise"}, {"quantity"}),
        (RuleKind.FORECAST, {"datastream_id": 1, "value": 1, "horizon_s": 10}, {"horizon_s"}),
        (
            RuleKind.MISSING_DATA,
            {"silent_minutes": 0, "thing_ids": ["a"]},
            {"silent_minutes", "thing_ids"},
        ),
        (
            RuleKind.REPORT_SPIKE,
            {"category_code": "", "count": 1, "window_s": 3600},
            {"category_code", "count"},
        ),
        (
            RuleKind.INCOMING,
            {"min_severity": "Unknown", "colour": "red"},
            {"min_severity", "colour"},
        ),
    ],
)
def test_bad_params_are_field_errors_in_both_languages(
    kind: RuleKind, params: dict[str, Any], fields: set[str]
) -> None:
    with pytest.raises(InvalidInput) as error:
        validate_params(kind, params)
    assert set(error.value.errors) == {f"params.{name}" for name in fields}
    message = next(iter(error.value.errors.values()))[0]
    assert " / " in message  # Indonesian / English


def test_params_are_normalised_with_defaults() -> None:
    params = validate_params(RuleKind.THRESHOLD, {"datastream_id": 3, "value": 250})
    assert params == {
        "datastream_id": 3,
        "op": ">=",
        "value": 250.0,
        "clear_value": 250.0,
        "duration_s": 0,
    }


def test_unknown_placeholders_in_templates_are_refused(session: Session) -> None:
    with pytest.raises(InvalidInput) as error:
        make_rule(
            session,
            RuleKind.MISSING_DATA,
            {"silent_minutes": 30},
            headline_id="{stasiun} mati",
            description_en="Broken {brace",
        )
    assert set(error.value.errors) == {"headline_id", "description_en"}


def test_every_save_is_a_version_with_an_audit_record(session: Session) -> None:
    rule = make_rule(session, RuleKind.MISSING_DATA, {"silent_minutes": 30}, code="senyap-uji")
    rules_manage.update_rule(
        session, actor=ADMIN, rule_id=rule.id, changes={"params": {"silent_minutes": 45}}
    )
    rules_manage.update_rule(session, actor=ADMIN, rule_id=rule.id, changes={"cooldown_s": 600})
    rules_manage.update_rule(session, actor=ADMIN, rule_id=rule.id, changes={"cooldown_s": 600})
    rules_manage.set_rule_enabled(session, actor=ADMIN, rule_id=rule.id, enabled=False)
    versions = rules_manage.rule_versions(session, actor=ADMIN, rule_id=rule.id)
    assert [v.version for v in versions] == [1, 2, 3, 4]  # the unchanged save made none
    assert versions[0].snapshot["params"] == {"silent_minutes": 30}
    assert versions[1].snapshot["params"] == {"silent_minutes": 45}
    assert versions[3].snapshot["enabled"] is False
    assert rule.version == 4
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "alert_rule", AuditEvent.object_id == "senyap-uji")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "alerts.rule.create",
        "alerts.rule.update",
        "alerts.rule.update",
        "alerts.rule.disable",
    ]


def test_code_and_kind_are_fixed_and_codes_unique(session: Session) -> None:
    rule = make_rule(session, RuleKind.MISSING_DATA, {"silent_minutes": 30}, code="senyap-a")
    with pytest.raises(InvalidInput) as error:
        rules_manage.update_rule(
            session, actor=ADMIN, rule_id=rule.id, changes={"kind": "threshold", "code": "b-b-b"}
        )
    assert set(error.value.errors) == {"kind", "code"}
    with pytest.raises(Conflict):
        make_rule(session, RuleKind.MISSING_DATA, {"silent_minutes": 30}, code="senyap-a")


MANAGERS = {Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN}


@pytest.mark.parametrize("role", list(Role))
def test_who_may_manage_rules(session: Session, make_user: Any, role: Role) -> None:
    actor = actor_for_user(make_user(role, pd_kode="bpbd" if role is Role.PETUGAS_PD else None))
    data = {
        "code": f"uji-{role.value.replace('_', '-')}",
        "name_id": "Uji",
        "name_en": "Test",
        "kind": "missing_data",
        "params": {"silent_minutes": 30},
        "event_id": "Uji",
        "event_en": "Test",
        "headline_id": "Uji {station}",
        "headline_en": "Test {station}",
    }
    if role in MANAGERS:
        assert rules_manage.create_rule(session, actor=actor, data=data).version == 1
    else:
        with pytest.raises(PermissionDenied):
            rules_manage.create_rule(session, actor=actor, data=data)


def test_default_rules_seed_once(session: Session) -> None:
    created = seed_rules(session)
    count = select(func.count()).select_from(AlertRule)
    total = session.scalar(count)
    assert seed_rules(session) == 0
    assert session.scalar(count) == total
    codes = set(session.scalars(select(AlertRule.code)))
    assert {rule["code"] for rule in DEFAULT_RULES} <= codes
    assert created in (0, len(DEFAULT_RULES))  # 0 when `db upgrade` seeded them already
    seeded = session.scalars(select(AlertRule).where(AlertRule.code.in_(codes))).all()
    assert not any(
        rule.auto_publish for rule in seeded if rule.code in {r["code"] for r in DEFAULT_RULES}
    )
