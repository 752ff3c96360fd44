"""Reminders: the stage reached on a day, each stage raised once, a PD officer's view, the
worker job telling the technical team — over every registry that declares reminder rules."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.models import Notification
from pontive.core.events import MemoryBus
from pontive.core.registry import ReminderRule, all_registries
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.core.worker import JobContext
from pontive.registry import jobs, reminders, store
from pontive.registry.reminders import OVERDUE, stage_for
from tests.registry.support import actor_for, sample

RULE = ReminderRule("test.expiry", "ends_on", days=(30, 7, 0), overdue=True)
DAY = date(2026, 11, 30)
WITH_RULES = [(r, rule) for r in all_registries() for rule in r.reminders]


def test_the_nearest_stage_reached_is_the_one() -> None:
    assert stage_for(RULE, DAY + timedelta(days=45), DAY) is None
    assert stage_for(RULE, DAY + timedelta(days=30), DAY) == 30
    assert stage_for(RULE, DAY + timedelta(days=12), DAY) == 30
    assert stage_for(RULE, DAY + timedelta(days=5), DAY) == 7
    assert stage_for(RULE, DAY, DAY) == 0
    assert stage_for(RULE, DAY - timedelta(days=1), DAY) == OVERDUE
    quiet = ReminderRule("test.quiet", "ends_on", days=(7,))
    assert stage_for(quiet, DAY - timedelta(days=1), DAY) is None


def test_subjects_in_both_languages() -> None:
    text_id, text_en = reminders.subject(RULE, "PKS-01", DAY, 7)
    assert "7 hari lagi (30-11-2026)" in text_id
    assert "within 7 days (2026-11-30)" in text_en
    late_id, late_en = reminders.subject(RULE, "PKS-01", DAY, OVERDUE)
    assert "lewat sejak" in late_id
    assert "overdue since" in late_en


def test_some_registries_declare_reminders() -> None:
    assert WITH_RULES


@pytest.mark.parametrize(
    ("registry", "rule"), WITH_RULES, ids=[f"{r.name}:{x.kind}" for r, x in WITH_RULES]
)
def test_each_rule_raises_once_per_stage_and_tells_people(
    registry: Any, rule: ReminderRule, session: Session, bus: MemoryBus, make_user: Any
) -> None:
    make_user(Role.TIM_TEKNIS)
    values = sample(session, registry)
    due = utcnow().astimezone(WIB).date() + timedelta(days=max(rule.days, default=0) + 400)
    values[rule.date_field] = due.isoformat()
    row = store.save_row(session, registry, actor_for(registry), values)
    if rule.when is not None and not session.scalar(
        select(registry.model.id).where(registry.model.id == row.id, rule.when())
    ):
        pytest.skip(f"the sample row is outside {rule.kind}'s condition")
    first = min(rule.days)
    today = due - timedelta(days=first)
    raised = [
        r
        for r in reminders.raise_due(session, today=today)
        if r.object_id == row.id and r.kind == rule.kind
    ]
    assert [r.stage for r in raised] == [first]
    again = reminders.raise_due(session, today=today)
    assert [r for r in again if r.object_id == row.id and r.kind == rule.kind] == []
    if rule.overdue:
        late = [
            r
            for r in reminders.raise_due(session, today=due + timedelta(days=1))
            if r.object_id == row.id and r.kind == rule.kind
        ]
        assert [r.stage for r in late] == [OVERDUE]
    told = jobs.tell(session, raised[0])
    assert told >= 1
    session.flush()
    assert (
        session.scalars(
            select(Notification).where(Notification.subject == raised[0].subject_id[:200])
        ).first()
        is not None
    )


def test_the_job_raises_in_the_city_date(session: Session, bus: MemoryBus) -> None:
    context = JobContext(session=session, bus=bus)
    first = jobs.raise_reminders(context, today=date(2000, 1, 1))
    assert jobs.raise_reminders(context, today=date(2000, 1, 1)) == []
    assert isinstance(first, list)
