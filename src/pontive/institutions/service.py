"""Who may do what with the institutions' registries, and what the domain computes from
them: the capacity figures that feed masterplan indicators, the council as the public sees it
(``/dewan-smart-city``) and the follow-up of its recommendations.

Permissions (every staff role reads; citizens read only the public page and public API):

- the council's records (decrees, members, duties, meetings, recommendations) and the
  technical team are kept by the technical team (its secretariat) and admins;
- partnerships, capacity events, participants, certifications, experts and technology
  transfers also by each agency's officers for what their agency owns (``pd_scoped``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.core.permissions import STAFF
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.institutions.choices import (
    OPEN_RECOMMENDATION,
    Body,
    CapacityKind,
    CouncilElement,
    CouncilPosition,
    DecreeKind,
    PartnershipStatus,
    RecommendationStatus,
    TeamPosition,
)
from pontive.institutions.models import (
    CapacityEvent,
    Certification,
    CouncilMeeting,
    CouncilMember,
    Decree,
    Duty,
    Expert,
    Participant,
    Partnership,
    Recommendation,
    TeamMember,
    TechnologyTransfer,
)

SECRETARIAT = {Role.TIM_TEKNIS, Role.ADMIN}
VIEW = permissions.register("institutions.view", STAFF)
MANAGE_COUNCIL = permissions.register("institutions.council.manage", SECRETARIAT)
MANAGE_PARTNERSHIPS = permissions.register(
    "institutions.partnership.manage", {*SECRETARIAT, Role.PETUGAS_PD}, pd_scoped=True
)
MANAGE_CAPACITY = permissions.register(
    "institutions.capacity.manage", {*SECRETARIAT, Role.PETUGAS_PD}, pd_scoped=True
)

POSITION_RANK = {position: rank for rank, position in enumerate(CouncilPosition)}
TEAM_RANK = {position: rank for rank, position in enumerate(TeamPosition)}
CERTIFICATE_WARNING_DAYS = 60
PARTNERSHIP_WARNING_DAYS = 90


def today_local() -> date:
    """Today's date in the city (WIB)."""
    return utcnow().astimezone(WIB).date()


def _year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# --- capacity figures (masterplan indicators) --------------------------------------------


def civil_servants_trained(session: Session, *, year: int) -> int:
    """How many people attended at least one capacity event starting in ``year`` (any of
    Pasal 12(3) a-d); a person is a name within an agency (the NIP is sealed at rest)."""
    first, last = _year_span(year)
    rows = session.execute(
        select(Participant.name, Participant.pd_kode)
        .join(CapacityEvent, CapacityEvent.id == Participant.event_id)
        .where(CapacityEvent.starts_on.between(first, last), Participant.attended.is_(True))
    )
    return len({(" ".join(name.lower().split()), pd) for name, pd in rows})


def events_held(session: Session, *, year: int, today: date) -> dict[CapacityKind, int]:
    """Capacity events of ``year`` that have begun by ``today``, by kind (every kind listed)."""
    first, last = _year_span(year)
    rows = session.execute(
        select(CapacityEvent.kind, func.count(CapacityEvent.id))
        .where(CapacityEvent.starts_on.between(first, min(last, today)))
        .group_by(CapacityEvent.kind)
    )
    counted = {kind: count for kind, count in rows}
    return {kind: counted.get(kind, 0) for kind in CapacityKind}


def active_certifications(session: Session, *, today: date) -> int:
    """Certifications issued by ``today`` and not expired."""
    query = select(func.count(Certification.id)).where(
        Certification.issued_on <= today,
        or_(Certification.expires_on.is_(None), Certification.expires_on >= today),
    )
    return session.scalar(query) or 0


def active_partnerships(session: Session, *, today: date) -> int:
    """Agreements marked active whose period includes ``today``."""
    query = select(func.count(Partnership.id)).where(
        Partnership.status == PartnershipStatus.AKTIF,
        Partnership.starts_on <= today,
        or_(Partnership.ends_on.is_(None), Partnership.ends_on >= today),
    )
    return session.scalar(query) or 0


def transfers_held(session: Session, *, year: int, today: date) -> int:
    """Technology transfer sessions of ``year`` held by ``today`` (Pasal 13)."""
    first, last = _year_span(year)
    query = select(func.count(TechnologyTransfer.id)).where(
        TechnologyTransfer.held_on.between(first, min(last, today))
    )
    return session.scalar(query) or 0


def trained_this_year(session: Session) -> float | None:
    """Metric: civil servants trained this year."""
    return float(civil_servants_trained(session, year=today_local().year))


def events_this_year(session: Session) -> float | None:
    """Metric: capacity events held so far this year (all four kinds)."""
    today = today_local()
    return float(sum(events_held(session, year=today.year, today=today).values()))


def certifications_now(session: Session) -> float | None:
    """Metric: certifications in force today."""
    return float(active_certifications(session, today=today_local()))


def partnerships_now(session: Session) -> float | None:
    """Metric: partnerships in force today."""
    return float(active_partnerships(session, today=today_local()))


@dataclass(frozen=True, slots=True)
class CapacitySummary:
    """The year's capacity building and what is in force, for the console."""

    year: int
    trained: int
    events: dict[CapacityKind, int]
    participants: int
    passed: int
    mean_evaluation: Decimal | None
    certifications: int
    certifications_expiring: list[Certification]
    partnerships: int
    partnerships_expiring: list[Partnership]
    transfers: int
    experts_active: int


def capacity_summary(session: Session, *, actor: Actor, year: int, today: date) -> CapacitySummary:
    """The figures of ``year`` (counted up to ``today``) and the agreements and certificates
    falling due soon."""
    permissions.require(actor, VIEW)
    first, last = _year_span(year)
    in_year = CapacityEvent.starts_on.between(first, last)
    attended = session.execute(
        select(Participant.passed, func.count(Participant.id))
        .join(CapacityEvent, CapacityEvent.id == Participant.event_id)
        .where(in_year, Participant.attended.is_(True))
        .group_by(Participant.passed)
    )
    by_passed = {bool(passed): count for passed, count in attended}
    mean = session.scalar(select(func.avg(CapacityEvent.evaluation_score)).where(in_year))
    soon = today + timedelta(days=CERTIFICATE_WARNING_DAYS)
    expiring = select(Certification).where(Certification.expires_on.between(today, soon))
    horizon = today + timedelta(days=PARTNERSHIP_WARNING_DAYS)
    ending = select(Partnership).where(
        Partnership.status == PartnershipStatus.AKTIF, Partnership.ends_on.between(today, horizon)
    )
    experts = select(func.count(Expert.id)).where(
        Expert.starts_on <= today, or_(Expert.ends_on.is_(None), Expert.ends_on >= today)
    )
    return CapacitySummary(
        year=year,
        trained=civil_servants_trained(session, year=year),
        events=events_held(session, year=year, today=today),
        participants=sum(by_passed.values()),
        passed=by_passed.get(True, 0),
        mean_evaluation=None if mean is None else Decimal(str(round(float(mean), 1))),
        certifications=active_certifications(session, today=today),
        certifications_expiring=list(session.scalars(expiring.order_by(Certification.expires_on))),
        partnerships=active_partnerships(session, today=today),
        partnerships_expiring=list(session.scalars(ending.order_by(Partnership.ends_on))),
        transfers=transfers_held(session, year=year, today=today),
        experts_active=session.scalar(experts) or 0,
    )


# --- the council in public, and its recommendations' follow-up ------------------------


@dataclass(frozen=True, slots=True)
class PublicMember:
    """A council member as the public sees them: never their contacts."""

    name: str
    position: CouncilPosition
    organisation: str
    term_starts_on: date
    term_ends_on: date | None


@dataclass(frozen=True, slots=True)
class PublicRecommendation:
    """A recommendation with where it stands, for the public and the follow-up board."""

    id: int
    number: str
    text: str
    addressed_to: str | None
    due_on: date | None
    status: RecommendationStatus
    outcome: str
    meeting_id: int
    meeting_title: str
    meeting_on: date
    is_overdue: bool


@dataclass(frozen=True, slots=True)
class CouncilView:
    """The council: its decree, members by element, duties, recommendations."""

    decree: Decree | None
    members: dict[CouncilElement, list[PublicMember]]
    duties: dict[Body, list[Duty]]
    team: list[TeamMember]
    recommendations: list[PublicRecommendation]
    by_status: dict[RecommendationStatus, int] = field(default_factory=dict)


def current_members(session: Session, *, today: date) -> dict[CouncilElement, list[PublicMember]]:
    """Members whose term includes ``today``, by element (Pasal 5(1)), chair first."""
    query = select(CouncilMember).where(
        CouncilMember.term_starts_on <= today,
        or_(CouncilMember.term_ends_on.is_(None), CouncilMember.term_ends_on >= today),
    )
    grouped: dict[CouncilElement, list[PublicMember]] = {e: [] for e in CouncilElement}
    for member in session.scalars(query):
        grouped[member.element].append(
            PublicMember(
                member.name,
                member.position,
                member.organisation or "",
                member.term_starts_on,
                member.term_ends_on,
            )
        )
    for members in grouped.values():
        members.sort(key=lambda m: (POSITION_RANK[m.position], m.name))
    return grouped


def duties_by_body(session: Session) -> dict[Body, list[Duty]]:
    """The duties of the council and of the technical team, in their order."""
    grouped: dict[Body, list[Duty]] = {body: [] for body in Body}
    for duty in session.scalars(select(Duty).order_by(Duty.sort_order, Duty.id)):
        grouped[duty.body].append(duty)
    return grouped


def technical_team(session: Session) -> list[TeamMember]:
    """The technical team's agencies (Pasal 6), steering and chair first."""
    members = list(session.scalars(select(TeamMember)))
    return sorted(members, key=lambda m: (TEAM_RANK[m.team_position], m.pd_kode))


def recommendations(
    session: Session, *, today: date, meeting_id: int | None = None
) -> list[PublicRecommendation]:
    """Recommendations with their meeting, the newest meeting first."""
    query = select(Recommendation, CouncilMeeting).join(
        CouncilMeeting, CouncilMeeting.id == Recommendation.meeting_id
    )
    if meeting_id is not None:
        query = query.where(Recommendation.meeting_id == meeting_id)
    rows = session.execute(query.order_by(CouncilMeeting.held_at.desc(), Recommendation.number))
    return [
        PublicRecommendation(
            id=rec.id,
            number=rec.number,
            text=rec.text,
            addressed_to=rec.addressed_to,
            due_on=rec.due_on,
            status=rec.status,
            outcome=rec.outcome or "",
            meeting_id=meeting.id,
            meeting_title=meeting.title,
            meeting_on=meeting.held_at.astimezone(WIB).date(),
            is_overdue=rec.status in OPEN_RECOMMENDATION
            and rec.due_on is not None
            and rec.due_on < today,
        )
        for rec, meeting in rows
    ]


def council_view(session: Session, *, today: date) -> CouncilView:
    """The council as anyone may read it (public fields only)."""
    decree = session.scalar(
        select(Decree)
        .where(Decree.kind == DecreeKind.DEWAN, Decree.signed_on <= today)
        .order_by(Decree.signed_on.desc(), Decree.id.desc())
        .limit(1)
    )
    listed = recommendations(session, today=today)
    counted = Counter(rec.status for rec in listed)
    return CouncilView(
        decree=decree,
        members=current_members(session, today=today),
        duties=duties_by_body(session),
        team=technical_team(session),
        recommendations=listed,
        by_status={status: counted.get(status, 0) for status in RecommendationStatus},
    )


@dataclass(frozen=True, slots=True)
class AgencyFollowUp:
    """One agency's recommendations: open, overdue, closed."""

    pd_kode: str | None
    open: int = 0
    overdue: int = 0
    done: int = 0
    declined: int = 0


def followup(session: Session, *, actor: Actor, today: date) -> list[AgencyFollowUp]:
    """Recommendations per addressed agency, the most overdue first (staff only)."""
    permissions.require(actor, VIEW)
    tally: dict[str | None, Counter[str]] = {}
    for rec in recommendations(session, today=today):
        counts = tally.setdefault(rec.addressed_to, Counter())
        if rec.status is RecommendationStatus.SELESAI:
            counts["done"] += 1
        elif rec.status is RecommendationStatus.DITOLAK:
            counts["declined"] += 1
        else:
            counts["open"] += 1
            counts["overdue"] += int(rec.is_overdue)
    rows = [AgencyFollowUp(pd, **counts) for pd, counts in tally.items()]
    return sorted(rows, key=lambda r: (-r.overdue, -r.open, r.pd_kode or ""))
