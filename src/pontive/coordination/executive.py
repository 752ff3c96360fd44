"""The executive view for the mayor and the council: today's situation, this week's trends
and the agencies' performance (complaint SLA compliance and task completion), each number
leading to the items behind it. Read-only: nothing here writes, and the roles it is meant
for (wali kota, dewan) have no write permission in coordination at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts.situation import Situation, read_situation
from pontive.complaints import service as complaints
from pontive.coordination import tasks
from pontive.coordination.choices import OPEN_INCIDENT_STATUSES, Severity
from pontive.coordination.models import Incident
from pontive.coordination.service import VIEW_EXECUTIVE
from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference
from pontive.sensors import service as sensors
from pontive.sensors.choices import FloodStatus

WEEK_DAYS = 7
PERFORMANCE_DAYS = 30
MIN_FOR_RATE = 5  # fewer than this and a rate says nothing


@dataclass(frozen=True, slots=True)
class DayTrend:
    """One day of the week's trends (WIB)."""

    day: date
    reports_received: int
    reports_fixed: int
    incidents_opened: int
    incidents_closed: int


@dataclass(frozen=True, slots=True)
class AgencyPerformance:
    """One Perangkat Daerah's record over the last ``PERFORMANCE_DAYS`` days."""

    pd_kode: str
    name: str
    reports_open: int
    reports_resolved: int  # fixed with a due date (the SLA denominator)
    reports_on_time: int
    tasks_due: int
    tasks_on_time: int
    tasks_open: int
    tasks_overdue: int

    @property
    def sla_rate(self) -> float | None:
        """Share of reports fixed by their due date (None: too few to say)."""
        if self.reports_resolved < MIN_FOR_RATE:
            return None
        return self.reports_on_time / self.reports_resolved

    @property
    def task_rate(self) -> float | None:
        """Share of tasks due in the period done by their due time."""
        return self.tasks_on_time / self.tasks_due if self.tasks_due else None


@dataclass(frozen=True, slots=True)
class ExecutiveView:
    """Everything the executive page shows."""

    at: datetime
    situation: Situation
    incidents: list[Incident]  # open, worst first
    reports_by_urgency: dict[str, int]
    stations_siaga: int
    stations_awas: int
    week: list[DayTrend]
    agencies: list[AgencyPerformance]
    city_sla_rate: float | None

    def as_json(self) -> dict[str, Any]:
        """The same figures for the API."""
        return {
            "at": self.at.isoformat(),
            "mode": self.situation.status.mode.value,
            "alerts_active": len(self.situation.alerts),
            "incidents_open": [
                {
                    "code": i.code,
                    "title": i.title,
                    "severity": i.severity.value,
                    "status": i.status.value,
                    "opened_at": i.opened_at.isoformat(),
                }
                for i in self.incidents
            ],
            "reports_by_urgency": self.reports_by_urgency,
            "stations_siaga": self.stations_siaga,
            "stations_awas": self.stations_awas,
            "city_sla_rate": self.city_sla_rate,
            "week": [
                {
                    "day": d.day.isoformat(),
                    "reports_received": d.reports_received,
                    "reports_fixed": d.reports_fixed,
                    "incidents_opened": d.incidents_opened,
                    "incidents_closed": d.incidents_closed,
                }
                for d in self.week
            ],
            "agencies": [
                {
                    "pd_kode": a.pd_kode,
                    "name": a.name,
                    "reports_open": a.reports_open,
                    "sla_rate": a.sla_rate,
                    "tasks_due": a.tasks_due,
                    "task_rate": a.task_rate,
                    "tasks_open": a.tasks_open,
                    "tasks_overdue": a.tasks_overdue,
                }
                for a in self.agencies
            ],
        }


def _incident_days(session: Session, first: date) -> tuple[dict[date, int], dict[date, int]]:
    start = datetime.combine(first, datetime.min.time(), tzinfo=WIB)
    opened: dict[date, int] = {}
    closed: dict[date, int] = {}
    for opened_at, closed_at in session.execute(
        select(Incident.opened_at, Incident.closed_at).where(
            (Incident.opened_at >= start) | (Incident.closed_at >= start)
        )
    ):
        day = opened_at.astimezone(WIB).date()
        opened[day] = opened.get(day, 0) + 1
        if closed_at is not None:
            end = closed_at.astimezone(WIB).date()
            closed[end] = closed.get(end, 0) + 1
    return opened, closed


def read_executive(session: Session, *, actor: Actor, now: datetime | None = None) -> ExecutiveView:
    """Today's situation, the week's trends and the agencies' record."""
    permissions.require(actor, VIEW_EXECUTIVE)
    now = now or utcnow()
    situation = read_situation(session, now)
    incidents = sorted(
        session.scalars(
            select(Incident).where(Incident.status.in_(sorted(OPEN_INCIDENT_STATUSES)))
        ),
        key=lambda i: (-i.severity.rank, i.opened_at),
    )
    daily = complaints.daily_counts(session, days=WEEK_DAYS, now=now)
    opened, closed = _incident_days(session, daily[0][0])
    week = [
        DayTrend(day, received, fixed, opened.get(day, 0), closed.get(day, 0))
        for day, received, fixed in daily
    ]
    stats = complaints.complaint_stats(session, months=1)
    per_pd = {b.key: b for b in stats.by_pd}  # the last month's record
    open_reports = complaints.open_by_pd(session)  # the whole backlog, however old
    since = now - timedelta(days=PERFORMANCE_DAYS)
    task_record = tasks.completion_by_pd(session, since=since, now=now)
    task_open = tasks.count_open_by_pd(session)
    names = {pd.kode: pd.singkatan for pd in reference.list_perangkat_daerah(session=session)}
    agencies = []
    for code in sorted(set(per_pd) | set(open_reports) | set(task_record) | set(task_open)):
        breakdown = per_pd.get(code)
        due, on_time, _late = task_record.get(code, (0, 0, 0))
        open_tasks, overdue = task_open.get(code, (0, 0))
        agencies.append(
            AgencyPerformance(
                pd_kode=code,
                name=names.get(code, code),
                reports_open=open_reports.get(code, 0),
                reports_resolved=breakdown.resolved if breakdown else 0,
                reports_on_time=breakdown.on_time if breakdown else 0,
                tasks_due=due,
                tasks_on_time=on_time,
                tasks_open=open_tasks,
                tasks_overdue=overdue,
            )
        )
    agencies.sort(key=lambda a: (-(a.tasks_overdue + a.reports_open), a.name))
    flood = [
        s.flood
        for s in sensors.station_summaries(session)
        if s.flood is not None and s.flood.status is not None and not s.is_offline
    ]
    return ExecutiveView(
        at=now,
        situation=situation,
        incidents=incidents,
        reports_by_urgency=complaints.open_by_urgency(session),
        stations_siaga=sum(1 for f in flood if f.status is FloodStatus.SIAGA),
        stations_awas=sum(1 for f in flood if f.status is FloodStatus.AWAS),
        week=week,
        agencies=agencies,
        city_sla_rate=stats.sla_rate,
    )


def severity_counts(incidents: list[Incident]) -> dict[Severity, int]:
    """Open incidents per severity, worst first."""
    return {s: sum(1 for i in incidents if i.severity is s) for s in reversed(Severity)}
