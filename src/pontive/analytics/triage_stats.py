"""What the triage model has done: its one-line status for the analytics home, the share of
suggestions operators accepted week by week, the latest corrections, the stored versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from pontive.analytics.triage_choices import Decision, Urgency
from pontive.analytics.triage_models import TriageModelVersion, TriageSuggestion
from pontive.complaints.models import Complaint
from pontive.core.timeutil import WIB, utcnow

WEEKS = 12
CORRECTIONS = 10
VERSIONS = 10


@dataclass(frozen=True, slots=True)
class TriageOverview:
    """The triage part in one line: live model, its metric, how operators use it."""

    version: str | None
    trained_at: datetime | None
    category_macro_f1: float | None
    top2_accuracy: float | None
    suggestions: int
    decided: int
    accepted: int
    pending: int  # suggestions no operator has decided on yet

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted as suggested, of all decided (``None`` before any decision)."""
        return self.accepted / self.decided if self.decided else None


def overview(session: Session) -> TriageOverview:
    """The live model and the suggestions' fate, for the analytics home page."""
    live = session.execute(
        select(
            TriageModelVersion.version, TriageModelVersion.created_at, TriageModelVersion.metrics
        ).where(TriageModelVersion.is_live.is_(True))
    ).first()
    counts = dict(
        session.execute(
            select(TriageSuggestion.decision, func.count()).group_by(TriageSuggestion.decision)
        ).all()
    )
    seed = (live.metrics or {}).get("seed", {}) if live else {}
    decided = sum(n for decision, n in counts.items() if decision is not None)
    return TriageOverview(
        version=live.version if live else None,
        trained_at=live.created_at if live else None,
        category_macro_f1=seed.get("category_macro_f1"),
        top2_accuracy=seed.get("top2_accuracy"),
        suggestions=sum(counts.values()),
        decided=decided,
        accepted=counts.get(Decision.ACCEPTED, 0),
        pending=counts.get(None, 0),
    )


@dataclass(frozen=True, slots=True)
class Week:
    """Decisions made in one week (Monday to Sunday, WIB)."""

    starts_on: date
    decided: int
    accepted: int

    @property
    def percent(self) -> int | None:
        """Accepted as suggested, in percent of decided."""
        return round(100 * self.accepted / self.decided) if self.decided else None


def weekly_acceptance(session: Session, *, weeks: int = WEEKS) -> list[Week]:
    """The last ``weeks`` weeks, oldest first, including weeks without decisions."""
    today = utcnow().astimezone(WIB).date()
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=WIB)
    rows = session.execute(
        select(TriageSuggestion.decided_at, TriageSuggestion.decision).where(
            TriageSuggestion.decided_at >= since
        )
    ).all()
    buckets = {first + timedelta(weeks=i): [0, 0] for i in range(weeks)}
    for decided_at, decision in rows:
        if decided_at is None:
            continue
        day = decided_at.astimezone(WIB).date()
        bucket = buckets[day - timedelta(days=day.weekday())]
        bucket[0] += 1
        bucket[1] += decision is Decision.ACCEPTED
    return [Week(start, decided, accepted) for start, (decided, accepted) in buckets.items()]


@dataclass(frozen=True, slots=True)
class Correction:
    """A suggestion an operator corrected."""

    tracking_number: str
    suggested_category: str
    final_category: str
    suggested_urgency: Urgency
    final_urgency: Urgency
    model_version: str
    decided_by: str
    decided_at: datetime


def recent_corrections(session: Session, *, limit: int = CORRECTIONS) -> list[Correction]:
    """The latest corrected suggestions, newest first."""
    rows = session.execute(
        select(Complaint.tracking_number, TriageSuggestion)
        .join(TriageSuggestion, TriageSuggestion.complaint_id == Complaint.id)
        .where(TriageSuggestion.decision == Decision.CORRECTED)
        .order_by(TriageSuggestion.decided_at.desc(), TriageSuggestion.id.desc())
        .limit(limit)
    ).all()
    return [
        Correction(
            tracking_number=tracking,
            suggested_category=s.category_code,
            final_category=s.final_category_code or s.category_code,
            suggested_urgency=s.urgency,
            final_urgency=s.final_urgency or s.urgency,
            model_version=s.model_version,
            decided_by=s.decided_by or "",
            decided_at=s.decided_at or s.created_at,
        )
        for tracking, s in rows
    ]


def list_versions(session: Session, *, limit: int = VERSIONS) -> list[TriageModelVersion]:
    """The stored model versions, newest first (their parameters not loaded)."""
    query = (
        select(TriageModelVersion)
        .options(defer(TriageModelVersion.params))
        .order_by(TriageModelVersion.created_at.desc(), TriageModelVersion.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
