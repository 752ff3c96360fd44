"""Coordination background work for ``pontive worker``.

- ``coordination.tasks_overdue`` (every minute): escalate open tasks past their due time,
  once each (an event for the command center, a line in the incident's timeline).
- ``coordination.incidents_from_alerts`` (every 30 s): open an incident for each published,
  real alert at or above ``PONTIVE_COORDINATION_AUTO_INCIDENT`` that has none.

Both are idempotent: a second run in a row changes nothing.
"""

from __future__ import annotations

import logging

from pontive.alerts.choices import Severity as CapSeverity
from pontive.coordination import from_alerts, tasks
from pontive.core.identity import system_actor
from pontive.core.worker import Job, JobContext
from pontive.settings import get_settings

log = logging.getLogger(__name__)

ESCALATION_ACTOR = system_actor("task-escalation")


def escalate_tasks(context: JobContext) -> None:
    """Escalate overdue tasks."""
    codes = tasks.escalate_overdue(context.session, actor=ESCALATION_ACTOR)
    if codes:
        log.info("tasks escalated", extra={"tasks": codes})


def incidents_from_alerts(context: JobContext) -> None:
    """Open incidents for serious alerts that have none."""
    level = get_settings().coordination_auto_incident
    if level == "off":
        return
    from_alerts.open_for_alerts(context.session, minimum=CapSeverity(level))


JOBS = (
    Job("coordination.tasks_overdue", 60.0, escalate_tasks),
    Job("coordination.incidents_from_alerts", 30.0, incidents_from_alerts),
)
