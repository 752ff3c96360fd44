"""Reminders before a registry's dates fall due (agreements, certificates, warranties,
findings ...), raised once per stage, read and acknowledged in the console.

A ``ReminderRule`` of a registry names a date field and the days before it to remind on.
For each row whose date is near, the stage is the nearest of those days that has been
reached (an agreement first seen 5 days before its end is reminded at the 7-day stage, not
at 30 and 7); once the date has passed, rules with ``overdue`` remind once more (stage -1).
The ``reminders`` table's unique key makes every stage happen once, whatever runs twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import permissions
from pontive.core.choices import Classification
from pontive.core.errors import NotFound
from pontive.core.events import Event, emit
from pontive.core.identity import Actor
from pontive.core.registry import Registry, ReminderRule, all_registries, pick
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.registry.models import Reminder
from pontive.registry.values import label_of

OVERDUE = -1
REMINDERS_VIEW = permissions.register(
    "registry.reminders.view", {Role.OPERATOR, Role.PETUGAS_PD, Role.TIM_TEKNIS, Role.ADMIN}
)


@dataclass(frozen=True, slots=True)
class Due:
    """A row whose date calls for a reminder at ``stage`` (days before, or ``OVERDUE``)."""

    registry: Registry
    rule: ReminderRule
    row: Any
    due_on: date
    stage: int


def stage_for(rule: ReminderRule, due_on: date, today: date) -> int | None:
    """The stage reached on ``today`` for a date ``due_on`` (``None``: nothing to remind)."""
    left = (due_on - today).days
    if left < 0:
        return OVERDUE if rule.overdue else None
    reached = [days for days in rule.days if left <= days]
    return min(reached) if reached else None


def _due_rows(session: Session, today: date) -> Iterator[Due]:
    for registry in all_registries():
        model: Any = registry.model
        for rule in registry.reminders:
            column = getattr(model, rule.date_field)
            horizon = today + timedelta(days=max(rule.days, default=0))
            query = select(model).where(column.is_not(None), column <= horizon)
            if not rule.overdue:
                query = query.where(column >= today)
            if rule.when is not None:
                query = query.where(rule.when())
            for row in session.scalars(query):
                due_on = getattr(row, rule.date_field)
                stage = stage_for(rule, due_on, today)
                if stage is not None:
                    yield Due(registry, rule, row, due_on, stage)


def subject(rule: ReminderRule, label: str, due_on: date, stage: int) -> tuple[str, str]:
    """The reminder's title in both languages."""
    when_id = (
        f"lewat sejak {due_on:%d-%m-%Y}"
        if stage == OVERDUE
        else ("hari ini" if stage == 0 else f"{(stage)} hari lagi ({due_on:%d-%m-%Y})")
    )
    when_en = (
        f"overdue since {due_on:%Y-%m-%d}"
        if stage == OVERDUE
        else ("today" if stage == 0 else f"within {stage} days ({due_on:%Y-%m-%d})")
    )
    return (
        f"{pick(rule.subject, 'id')}: {label} — {when_id}",
        f"{pick(rule.subject, 'en')}: {label} — {when_en}",
    )


def raise_due(session: Session, *, today: date) -> list[Reminder]:
    """Raise every reminder due on ``today`` that was not raised before; returns the new
    ones (flushed, not committed), each with an event for the console."""
    have = {
        (r.kind, r.object_id, r.due_on, r.stage)
        for r in session.execute(
            select(Reminder.kind, Reminder.object_id, Reminder.due_on, Reminder.stage)
        )
    }
    raised = []
    for due in _due_rows(session, today):
        key = (due.rule.kind, due.row.id, due.due_on, due.stage)
        if key in have:
            continue
        have.add(key)
        label = label_of(due.registry, due.row)
        text_id, text_en = subject(due.rule, label, due.due_on, due.stage)
        owner = getattr(due.row, due.registry.owner_field) if due.registry.owner_field else None
        reminder = Reminder(
            kind=due.rule.kind,
            registry_name=due.registry.name,
            object_id=due.row.id,
            object_label=label[:300],
            pd_kode=owner,
            due_on=due.due_on,
            stage=due.stage,
            subject_id=text_id[:300],
            subject_en=text_en[:300],
            raised_at=utcnow(),
        )
        session.add(reminder)
        raised.append(reminder)
    session.flush()
    for reminder in raised:
        emit(
            session,
            Event(
                "registry.reminder",
                {
                    "id": reminder.id,
                    "kind": reminder.kind,
                    "registry": reminder.registry_name,
                    "object_id": reminder.object_id,
                    "due_on": reminder.due_on.isoformat(),
                    "stage": reminder.stage,
                    "subject": reminder.subject_id,
                },
                classification=Classification.TERBATAS,
                pd_kode=reminder.pd_kode,
            ),
        )
    return raised


def _visible(actor: Actor) -> Any:
    query = select(Reminder)
    if actor.role is Role.PETUGAS_PD:
        query = query.where(Reminder.pd_kode == actor.pd_kode)
    return query


def list_open(
    session: Session, actor: Actor, *, registries: list[str] | None = None
) -> list[Reminder]:
    """Reminders not yet acknowledged that ``actor`` may see, the most urgent first (a PD
    officer sees its own agency's only)."""
    permissions.require(actor, REMINDERS_VIEW)
    query = _visible(actor).where(Reminder.acknowledged_at.is_(None))
    if registries is not None:
        query = query.where(Reminder.registry_name.in_(registries))
    return list(session.scalars(query.order_by(Reminder.due_on, Reminder.id)))


def list_recent(session: Session, actor: Actor, *, limit: int = 50) -> list[Reminder]:
    """Acknowledged reminders, newest first."""
    permissions.require(actor, REMINDERS_VIEW)
    query = _visible(actor).where(Reminder.acknowledged_at.is_not(None))
    return list(session.scalars(query.order_by(Reminder.acknowledged_at.desc()).limit(limit)))


def for_object(session: Session, registry: Registry, row_id: int) -> list[Reminder]:
    """Every reminder of one row, newest first."""
    return list(
        session.scalars(
            select(Reminder)
            .where(Reminder.registry_name == registry.name, Reminder.object_id == row_id)
            .order_by(Reminder.id.desc())
        )
    )


def acknowledge(session: Session, actor: Actor, reminder_id: int) -> Reminder:
    """Mark a reminder as read and handled by ``actor``."""
    permissions.require(actor, REMINDERS_VIEW)
    reminder: Reminder | None = session.scalar(_visible(actor).where(Reminder.id == reminder_id))
    if reminder is None:
        raise NotFound
    if reminder.acknowledged_at is None:
        reminder.acknowledged_at = utcnow()
        reminder.acknowledged_by = actor.label[:200]
    return reminder
