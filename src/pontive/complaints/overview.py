"""Reports at a glance, for the situation room's wall and the executive view (offered to
other domains through ``complaints.service``): open reports as map points, how urgent the
open ones are by their SLA, and the daily counts of a recent week.

Public columns only: no description, no reporter, nothing decrypted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.complaints.choices import OPEN_STATUSES, ComplaintStatus
from pontive.complaints.models import Complaint, ServiceCategory
from pontive.core.timeutil import WIB, utcnow

# The urgency of an open report, from its SLA due date (WIB working days).
URGENCY_ORDER = ("lewat_tenggat", "jatuh_tempo", "dalam_tenggat", "belum_diverifikasi")


@dataclass(frozen=True, slots=True)
class ReportPoint:
    """An open report as a dot on a map."""

    tracking_number: str
    lon: float
    lat: float
    status: ComplaintStatus
    category_code: str
    category_name: str
    pd_kode: str
    urgency: str
    is_public: bool
    created_at: datetime


def urgency_of(status: ComplaintStatus, due_on: date | None, today: date) -> str:
    """``lewat_tenggat`` (past due), ``jatuh_tempo`` (due today or tomorrow),
    ``dalam_tenggat`` (within its SLA) or ``belum_diverifikasi`` (not checked yet)."""
    if status is ComplaintStatus.DITERIMA or due_on is None:
        return "belum_diverifikasi"
    if due_on < today:
        return "lewat_tenggat"
    if due_on <= today + timedelta(days=1):
        return "jatuh_tempo"
    return "dalam_tenggat"


def open_points(
    session: Session, *, days: int | None = None, limit: int = 20_000, lang: str = "id"
) -> list[ReportPoint]:
    """Open reports with a location (created in the last ``days`` days), newest first."""
    today = utcnow().astimezone(WIB).date()
    name = ServiceCategory.name_en if lang == "en" else ServiceCategory.name_id
    query = (
        select(
            Complaint.tracking_number,
            Complaint.lon,
            Complaint.lat,
            Complaint.status,
            ServiceCategory.code,
            name,
            Complaint.pd_kode,
            Complaint.due_on,
            Complaint.is_public,
            Complaint.created_at,
        )
        .join(ServiceCategory, ServiceCategory.id == Complaint.category_id)
        .where(
            Complaint.status.in_(sorted(OPEN_STATUSES)),
            Complaint.lon.is_not(None),
            Complaint.lat.is_not(None),
        )
        .order_by(Complaint.created_at.desc())
        .limit(limit)
    )
    if days is not None:
        query = query.where(Complaint.created_at >= utcnow() - timedelta(days=days))
    return [
        ReportPoint(
            tracking,
            lon or 0.0,  # never None: filtered above
            lat or 0.0,
            status,
            code,
            category,
            pd_kode,
            urgency_of(status, due_on, today),
            is_public,
            created_at,
        )
        for tracking, lon, lat, status, code, category, pd_kode, due_on, is_public, created_at in (
            session.execute(query)
        )
    ]


def open_by_urgency(session: Session, *, pd_kode: str | None = None) -> dict[str, int]:
    """How many open reports are in each urgency (``URGENCY_ORDER``)."""
    today = utcnow().astimezone(WIB).date()
    query = select(Complaint.status, Complaint.due_on, func.count()).where(
        Complaint.status.in_(sorted(OPEN_STATUSES))
    )
    if pd_kode is not None:
        query = query.where(Complaint.pd_kode == pd_kode)
    counts = dict.fromkeys(URGENCY_ORDER, 0)
    for status, due_on, count in session.execute(
        query.group_by(Complaint.status, Complaint.due_on)
    ):
        counts[urgency_of(status, due_on, today)] += count
    return counts


def open_by_pd(session: Session) -> dict[str, int]:
    """How many reports each Perangkat Daerah holds open, whenever they came in."""
    query = select(Complaint.pd_kode, func.count()).where(
        Complaint.status.in_(sorted(OPEN_STATUSES))
    )
    return {pd_kode: count for pd_kode, count in session.execute(query.group_by(Complaint.pd_kode))}


def daily_counts(
    session: Session, *, days: int = 7, now: datetime | None = None
) -> list[tuple[date, int, int]]:
    """For each of the last ``days`` days (WIB): reports received and reports fixed."""
    now = now or utcnow()
    today = now.astimezone(WIB).date()
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, datetime.min.time(), tzinfo=WIB)
    received: dict[date, int] = {}
    fixed: dict[date, int] = {}
    for (created_at,) in session.execute(
        select(Complaint.created_at).where(Complaint.created_at >= start)
    ):
        day = created_at.astimezone(WIB).date()
        received[day] = received.get(day, 0) + 1
    for (resolved_at,) in session.execute(
        select(Complaint.resolved_at).where(Complaint.resolved_at >= start)
    ):
        if resolved_at is None:
            continue
        day = resolved_at.astimezone(WIB).date()
        fixed[day] = fixed.get(day, 0) + 1
    return [
        (
            first + timedelta(days=i),
            received.get(first + timedelta(days=i), 0),
            fixed.get(first + timedelta(days=i), 0),
        )
        for i in range(days)
    ]
