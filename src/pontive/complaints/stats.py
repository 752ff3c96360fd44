"""Public complaint statistics: volumes, response and resolution times, SLA, satisfaction.

Counts are SQL aggregates (one ``GROUP BY`` per breakdown); medians and the SLA check are
computed in Python over the few columns they need, which keeps them identical on SQLite and
PostgreSQL. Every rate is published with the count it is based on, and rates over fewer than
``MIN_FOR_RATE`` reports are withheld: FixMyStreet's "most responsive" table was once topped by
a body with one report (mysociety/fixmystreet#1957).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from pontive.complaints.choices import OPEN_STATUSES, ComplaintStatus
from pontive.complaints.models import Complaint, ServiceCategory
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference

MIN_FOR_RATE = 5
# Merged duplicates are the same problem counted twice: left out of every figure.
COUNTED = Complaint.status != ComplaintStatus.DUPLIKAT
FIXED = Complaint.resolved_at.is_not(None)
CLOSED_UNFIXED = Complaint.status.in_(
    (ComplaintStatus.DITUTUP, ComplaintStatus.DITOLAK)
) & Complaint.resolved_at.is_(None)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Counts for one category, PD, kelurahan or month."""

    key: str
    name: str
    total: int
    open: int
    fixed: int
    closed: int
    on_time: int = 0
    resolved: int = 0  # reports with a due date that were fixed (the SLA denominator)
    resolution: Duration = field(default_factory=lambda: Duration(None, 0))  # median to fix

    @property
    def sla_rate(self) -> float | None:
        """Share fixed by the due date, or ``None`` when too few reports to say."""
        return self.on_time / self.resolved if self.resolved >= MIN_FOR_RATE else None

    @property
    def counts(self) -> tuple[int, int, int, int, int, int]:
        """Total, open, fixed, closed unfixed, fixed on time, fixed with a due date."""
        return (self.total, self.open, self.fixed, self.closed, self.on_time, self.resolved)


@dataclass(frozen=True, slots=True)
class Duration:
    """A median duration in hours, and how many reports it is computed over."""

    hours: float | None
    count: int


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """Ratings given by reporters after a fix."""

    count: int
    average: float | None
    distribution: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ComplaintStats:
    """Everything the public statistics page and its CSV show."""

    since: datetime | None
    total: int
    open: int
    fixed: int
    closed: int
    first_response: Duration
    resolution: Duration
    on_time: int
    resolved: int
    satisfaction: Satisfaction
    by_category: list[Breakdown]
    by_pd: list[Breakdown]
    by_kelurahan: list[Breakdown]
    by_month: list[Breakdown]

    @property
    def sla_rate(self) -> float | None:
        """City-wide share of fixes made by the due date."""
        return self.on_time / self.resolved if self.resolved >= MIN_FOR_RATE else None


def _hours(start: datetime, end: datetime) -> float | None:
    return (end - start).total_seconds() / 3600 if end >= start else None


def _median(hours: list[float]) -> Duration:
    return Duration(statistics.median(hours) if hours else None, len(hours))


def _counts(session: Session, key: Any, since: datetime | None) -> dict[str, tuple[int, ...]]:
    query = select(
        key,
        func.count(),
        func.sum(case((Complaint.status.in_(OPEN_STATUSES), 1), else_=0)),
        func.sum(case((FIXED, 1), else_=0)),
        func.sum(case((CLOSED_UNFIXED, 1), else_=0)),
    ).where(COUNTED)
    if since is not None:
        query = query.where(Complaint.created_at >= since)
    rows = session.execute(query.group_by(key)).all()
    return {str(row[0]): tuple(int(v or 0) for v in row[1:]) for row in rows if row[0] is not None}


def _on_time(resolved_at: datetime, due_on: date) -> bool:
    # The due date is a WIB calendar day: fixed any time that day is on time.
    return resolved_at.astimezone(WIB).date() <= due_on


def _breakdowns(
    counts: dict[str, tuple[int, ...]],
    names: dict[str, str],
    sla: dict[str, list[bool]],
    fixes: dict[str, list[float]],
) -> list[Breakdown]:
    items = [
        Breakdown(
            key=key,
            name=names.get(key, key),
            total=total,
            open=open_,
            fixed=fixed,
            closed=closed,
            on_time=sum(sla.get(key, [])),
            resolved=len(sla.get(key, [])),
            resolution=_median(fixes.get(key, [])),
        )
        for key, (total, open_, fixed, closed) in counts.items()
    ]
    return sorted(items, key=lambda item: (-item.total, item.name))


def _month_key(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime("%Y-%m")


@dataclass
class _Scan:
    """What one pass over the timing columns collects; ``sla`` and ``fixes`` (hours from
    report to fix) per breakdown ("pd", "category", "kelurahan", "month"), then key."""

    responses: list[float] = field(default_factory=list)
    resolutions: list[float] = field(default_factory=list)
    ratings: Counter[int] = field(default_factory=Counter)
    months: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0] * 4))
    sla: dict[str, dict[str, list[bool]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    fixes: dict[str, dict[str, list[float]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )


def _scan(session: Session, category_key: Any, since: datetime | None) -> _Scan:
    columns = select(
        Complaint.created_at,
        Complaint.first_response_at,
        Complaint.resolved_at,
        Complaint.due_on,
        Complaint.status,
        Complaint.pd_kode,
        Complaint.kelurahan_kode,
        Complaint.rating,
        category_key,
    ).where(COUNTED)
    if since is not None:
        columns = columns.where(Complaint.created_at >= since)
    scan = _Scan()
    for (
        created,
        responded,
        resolved,
        due,
        status,
        pd_kode,
        kelurahan,
        rating,
        code,
    ) in session.execute(columns):
        month = _month_key(created)
        tally = scan.months[month]
        tally[0] += 1
        tally[1] += status in OPEN_STATUSES
        tally[2] += resolved is not None
        tally[3] += resolved is None and status in (
            ComplaintStatus.DITUTUP,
            ComplaintStatus.DITOLAK,
        )
        if responded is not None and (hours := _hours(created, responded)) is not None:
            scan.responses.append(hours)
        if resolved is not None:
            groups = {"pd": pd_kode, "category": code, "kelurahan": kelurahan, "month": month}
            if (hours := _hours(created, resolved)) is not None:
                scan.resolutions.append(hours)
                for breakdown, key in groups.items():
                    scan.fixes[breakdown][key].append(hours)
            if due is not None:
                met = _on_time(resolved, due)
                for breakdown, key in groups.items():
                    scan.sla[breakdown][key].append(met)
        if rating is not None:
            scan.ratings[int(rating)] += 1
    return scan


def complaint_stats(
    session: Session, *, lang: str = "id", months: int | None = 12
) -> ComplaintStats:
    """Statistics over reports created in the last ``months`` months (all time if ``None``)."""
    since = utcnow() - timedelta(days=31 * months) if months else None
    category_key = (
        select(ServiceCategory.code)
        .where(ServiceCategory.id == Complaint.category_id)
        .scalar_subquery()
    )
    per_category = _counts(session, category_key, since)
    per_pd = _counts(session, Complaint.pd_kode, since)
    per_kelurahan = _counts(session, Complaint.kelurahan_kode, since)

    scan = _scan(session, category_key, since)
    category_names = {
        c.code: c.name(lang)
        for c in session.scalars(select(ServiceCategory).order_by(ServiceCategory.code))
    }
    pd_names = {
        pd.kode: pd.singkatan or pd.nama
        for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }
    kelurahan_names = {
        kel.kode: f"{kel.nama_umum} ({kec.nama_umum})"
        for kec in reference.list_kecamatan(session=session)
        for kel in kec.kelurahan
    }
    month_counts = {key: tuple(values) for key, values in scan.months.items()}
    ratings = scan.ratings
    rated = sum(ratings.values())
    all_sla = [met for values in scan.sla["pd"].values() for met in values]
    return ComplaintStats(
        since=since,
        total=sum(v[0] for v in per_pd.values()),
        open=sum(v[1] for v in per_pd.values()),
        fixed=sum(v[2] for v in per_pd.values()),
        closed=sum(v[3] for v in per_pd.values()),
        first_response=_median(scan.responses),
        resolution=_median(scan.resolutions),
        on_time=sum(all_sla),
        resolved=len(all_sla),
        satisfaction=Satisfaction(
            count=rated,
            average=sum(k * v for k, v in ratings.items()) / rated if rated else None,
            distribution={score: ratings.get(score, 0) for score in range(1, 6)},
        ),
        by_category=_breakdowns(
            per_category, category_names, scan.sla["category"], scan.fixes["category"]
        ),
        by_pd=_breakdowns(per_pd, pd_names, scan.sla["pd"], scan.fixes["pd"]),
        by_kelurahan=_breakdowns(
            per_kelurahan, kelurahan_names, scan.sla["kelurahan"], scan.fixes["kelurahan"]
        ),
        by_month=sorted(
            _breakdowns(month_counts, {}, scan.sla["month"], scan.fixes["month"]),
            key=lambda item: item.key,
        ),
    )


CSV_HEADER = (
    "rincian",
    "kode",
    "nama",
    "laporan",
    "terbuka",
    "selesai_diperbaiki",
    "ditutup_tanpa_perbaikan",
    "selesai_tepat_waktu",
    "selesai_dengan_tenggat",
    "persen_tepat_waktu",
)


def stats_csv(stats: ComplaintStats) -> str:
    """The breakdowns as one CSV table (UTF-8, one row per category, PD, kelurahan, month)."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    sections = (
        ("kategori", stats.by_category),
        ("perangkat_daerah", stats.by_pd),
        ("kelurahan", stats.by_kelurahan),
        ("bulan", stats.by_month),
    )
    for section, items in sections:
        for item in items:
            rate = item.on_time / item.resolved * 100 if item.resolved else None
            writer.writerow(
                (
                    section,
                    item.key,
                    _csv_safe(item.name),
                    *item.counts,
                    f"{rate:.1f}" if rate is not None else "",
                )
            )
    return output.getvalue()


def _csv_safe(text: str) -> str:
    # A cell starting with = + - @ is a formula to a spreadsheet (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
