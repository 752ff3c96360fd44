"""Background jobs of the assessment part of assets: none of its own.

Findings' follow-up reminders (14, 7 and 0 days before the due date, and once overdue) are
declared as a ``ReminderRule`` on ``assets.assessment-findings`` and raised by the platform's
``registry.reminders`` job (``registry/jobs.py``); scores are recomputed when answers are
saved, not on a schedule.
"""

from __future__ import annotations

from pontive.core.worker import Job

JOBS: tuple[Job, ...] = ()
