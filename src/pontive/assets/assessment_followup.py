"""Following assessments up: a system's assessments over time, and the city-wide view of open
findings (by severity and responsible agency, the overdue ones first) and of the information
systems never assessed or last assessed more than a year ago."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.assessment_choices import OPEN_FINDING, AssessmentStatus, Severity
from pontive.assets.assessment_models import Assessment, AssessmentFinding
from pontive.assets.assessment_service import READ, SYSTEMS
from pontive.assets.choices import SoftwareCategory, SystemStatus
from pontive.core import permissions
from pontive.core.errors import NotFound
from pontive.core.identity import Actor
from pontive.core.registry import get
from pontive.registry.values import label_of

STALE_AFTER = timedelta(days=365)
# Catalogue entries that are assessed: information systems and applications in use.
ASSESSED_CATEGORIES = (SoftwareCategory.SISTEM_INFORMASI, SoftwareCategory.APLIKASI)
SEVERITY_ORDER = tuple(reversed(list(Severity)))  # kritis first


@dataclass(slots=True)
class SystemHistory:
    """A catalogued system with its assessments (oldest first) and open findings."""

    system: Any
    label: str
    owner_pd: str | None
    assessments: list[Assessment]
    open_findings: list[AssessmentFinding]

    @property
    def scored(self) -> list[Assessment]:
        """Assessments with a score, oldest first (the trend)."""
        return [a for a in self.assessments if a.score is not None]


def history_of(session: Session, system_id: int) -> list[Assessment]:
    """A system's assessments, oldest first."""
    query = (
        select(Assessment)
        .where(Assessment.system_id == system_id)
        .order_by(Assessment.assessed_on, Assessment.id)
    )
    return list(session.scalars(query))


def system_history(session: Session, actor: Actor, system_id: int) -> SystemHistory:
    """One system's assessments and the findings still open."""
    permissions.require(actor, READ)
    registry = get(SYSTEMS)
    system = session.get(registry.model, system_id)
    if system is None:
        raise NotFound
    assessments = history_of(session, system_id)
    ids = [a.id for a in assessments]
    findings = list(
        session.scalars(
            select(AssessmentFinding)
            .where(
                AssessmentFinding.assessment_id.in_(ids),
                AssessmentFinding.status.in_(OPEN_FINDING),
            )
            .order_by(AssessmentFinding.due_on, AssessmentFinding.id)
        )
    )
    owner = getattr(system, registry.owner_field) if registry.owner_field else None
    return SystemHistory(system, label_of(registry, system), owner, assessments, findings)


@dataclass(frozen=True, slots=True)
class OpenFinding:
    """An open finding with the system it concerns."""

    finding: AssessmentFinding
    system_id: int
    system_label: str
    days_left: int | None

    @property
    def is_overdue(self) -> bool:
        """Whether its due date has passed."""
        return self.days_left is not None and self.days_left < 0


@dataclass(frozen=True, slots=True)
class SystemDue:
    """A system that needs an assessment: never assessed, or its last one is old."""

    system_id: int
    label: str
    owner_pd: str | None
    last_on: date | None
    in_progress: bool


@dataclass(slots=True)
class FollowUp:
    """The follow-up dashboard's figures."""

    today: date
    findings: list[OpenFinding]
    by_severity: list[tuple[Severity, int]]
    by_owner: list[tuple[str, dict[Severity, int], int, int]]
    never: list[SystemDue] = field(default_factory=list)
    stale: list[SystemDue] = field(default_factory=list)

    @property
    def overdue(self) -> list[OpenFinding]:
        """Open findings past their due date."""
        return [f for f in self.findings if f.is_overdue]


def _open_findings(session: Session, today: date, labels: dict[int, str]) -> list[OpenFinding]:
    rows = session.execute(
        select(AssessmentFinding, Assessment.system_id)
        .join(Assessment, Assessment.id == AssessmentFinding.assessment_id)
        .where(AssessmentFinding.status.in_(OPEN_FINDING))
    ).all()
    rank = {severity: position for position, severity in enumerate(SEVERITY_ORDER)}
    found = [
        OpenFinding(
            finding,
            system_id,
            labels.get(system_id, f"#{system_id}"),
            (finding.due_on - today).days if finding.due_on is not None else None,
        )
        for finding, system_id in rows
    ]
    # Overdue first, then by severity, then by due date.
    return sorted(
        found,
        key=lambda f: (
            not f.is_overdue,
            rank[f.finding.severity],
            f.finding.due_on or date.max,
            f.finding.id,
        ),
    )


def _systems_due(session: Session, today: date) -> tuple[list[SystemDue], list[SystemDue]]:
    registry = get(SYSTEMS)
    model: Any = registry.model
    query = select(model)
    if hasattr(model, "category"):
        query = query.where(model.category.in_(ASSESSED_CATEGORIES))
    if hasattr(model, "status"):
        query = query.where(model.status != SystemStatus.DIHENTIKAN)
    systems = list(session.scalars(query.order_by(model.id)))
    last: dict[int, date] = {}
    running: set[int] = set()
    for system_id, assessed_on, status in session.execute(
        select(Assessment.system_id, Assessment.assessed_on, Assessment.status)
    ):
        if status is AssessmentStatus.SELESAI:
            last[system_id] = max(assessed_on, last.get(system_id, assessed_on))
        else:
            running.add(system_id)
    never, stale = [], []
    for system in sorted(systems, key=lambda s: label_of(registry, s).lower()):
        owner = getattr(system, registry.owner_field) if registry.owner_field else None
        due = SystemDue(
            system.id, label_of(registry, system), owner, last.get(system.id), system.id in running
        )
        if due.last_on is None:
            never.append(due)
        elif today - due.last_on > STALE_AFTER:
            stale.append(due)
    return never, stale


def follow_up(session: Session, actor: Actor, today: date) -> FollowUp:
    """Open findings (overdue first) counted by severity and agency; systems due."""
    permissions.require(actor, READ)
    registry = get(SYSTEMS)
    model: Any = registry.model
    labels = {s.id: label_of(registry, s) for s in session.scalars(select(model))}
    findings = _open_findings(session, today, labels)
    counts = {severity: 0 for severity in SEVERITY_ORDER}
    owners: dict[str, dict[Severity, int]] = {}
    overdue: dict[str, int] = {}
    for item in findings:
        severity, owner = item.finding.severity, item.finding.owner_pd
        counts[severity] += 1
        owners.setdefault(owner, {s: 0 for s in SEVERITY_ORDER})[severity] += 1
        overdue[owner] = overdue.get(owner, 0) + (1 if item.is_overdue else 0)
    by_owner = sorted(
        ((owner, split, sum(split.values()), overdue[owner]) for owner, split in owners.items()),
        key=lambda row: (-row[3], -row[2], row[0]),
    )
    never, stale = _systems_due(session, today)
    return FollowUp(today, findings, list(counts.items()), by_owner, never, stale)
