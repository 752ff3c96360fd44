"""Registry background work for ``pontive worker``.

- ``registry.reminders`` (every 15 minutes): raise the reminders due today in the city's
  time (``reminders.raise_due``) and tell the technical team and the owning agency's
  officers, in the console and by e-mail. Idempotent: a stage is raised once.
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.orm import Session

from pontive.complaints import service as complaints
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.core.worker import Job, JobContext
from pontive.registry import reminders
from pontive.registry.models import Reminder

log = logging.getLogger(__name__)

TOLD_ROLES = (Role.TIM_TEKNIS,)


def today_local() -> date:
    """Today's date in the city (reminders count days in WIB)."""
    return utcnow().astimezone(WIB).date()


def tell(session: Session, reminder: Reminder) -> int:
    """Queue the messages of one reminder; returns how many people are told."""
    body = f"{reminder.subject_id}\n\n{reminder.subject_en}\n\nBuka Pontive: /console/pengingat"
    return complaints.queue_to_staff(
        session,
        subject=reminder.subject_id[:200],
        body=body,
        roles=TOLD_ROLES,
        pd_kode=reminder.pd_kode,
    )


def raise_reminders(context: JobContext, *, today: date | None = None) -> list[Reminder]:
    """Raise and send the reminders due ``today`` (the city's date when not given)."""
    raised = reminders.raise_due(context.session, today=today or today_local())
    for reminder in raised:
        tell(context.session, reminder)
    if raised:
        log.info("reminders raised", extra={"count": len(raised)})
    return raised


def _run(context: JobContext) -> None:
    raise_reminders(context)


JOBS = (Job("registry.reminders", 900.0, _run),)
