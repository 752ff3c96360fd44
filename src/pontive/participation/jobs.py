"""Participation background work for ``pontive worker``.

- ``participation.upkeep`` (hourly): forget verification codes older than a day (their keyed
  hashes and contact indexes are not kept longer than needed, UU 27/2022), and end the
  adoptions whose period is over (the volunteer is told once; reminders before the end come
  from the registry's ``ReminderRule``).
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.identity import system_actor
from pontive.core.worker import Job, JobContext
from pontive.participation import moderation, verification
from pontive.participation.choices import AdoptionStatus
from pontive.participation.hooks import today
from pontive.participation.models import Adoption

log = logging.getLogger(__name__)

HOUR_SECONDS = 3600.0
UPKEEP = system_actor("participation.upkeep")


def end_overdue_adoptions(session: Session, *, on: date | None = None) -> int:
    """End approved adoptions whose end date has passed; returns how many."""
    day = on or today()
    overdue = session.scalars(
        select(Adoption.id).where(
            Adoption.status == AdoptionStatus.DISETUJUI, Adoption.ends_on < day
        )
    ).all()
    for adoption_id in overdue:
        moderation.end_adoption(session, actor=UPKEEP, adoption_id=adoption_id)
    return len(overdue)


def upkeep(context: JobContext) -> None:
    """Forget old codes, end finished adoptions."""
    purged = verification.purge_codes(context.session)
    ended = end_overdue_adoptions(context.session)
    if purged or ended:
        log.info("participation upkeep", extra={"codes_purged": purged, "adoptions_ended": ended})


JOBS = (Job("participation.upkeep", HOUR_SECONDS, upkeep),)
