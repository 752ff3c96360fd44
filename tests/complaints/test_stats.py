"""Public complaint statistics: counts, medians, SLA compliance, satisfaction, fairness, CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from pontive.complaints import stats, workflow
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Complaint
from pontive.complaints.service import access_token
from pontive.core.identity import ANONYMOUS
from pontive.core.timeutil import WIB, utcnow
from tests.complaints.conftest import STAFF


def _timed(session: Session, complaint: Complaint, **values: Any) -> Complaint:
    for name, value in values.items():
        setattr(complaint, name, value)
    session.commit()
    return complaint


def test_counts_per_category_pd_kelurahan_and_month(session: Session, report, report_in) -> None:  # type: ignore[no-untyped-def]
    report()
    report_in(ComplaintStatus.SELESAI)
    report("sampah", attributes={"jenis": "tps"})
    result = stats.complaint_stats(session)
    assert (result.total, result.open, result.fixed, result.closed) == (3, 2, 1, 0)
    by_category = {row.key: row for row in result.by_category}
    assert (by_category["drainase"].total, by_category["drainase"].fixed) == (2, 1)
    assert by_category["sampah"].total == 1
    assert by_category["drainase"].name == "Parit atau saluran air tersumbat"
    assert {row.key: row.total for row in result.by_pd} == {"pupr": 2, "dlh": 1}
    assert sum(row.total for row in result.by_kelurahan) == 3
    assert "(" in result.by_kelurahan[0].name  # "Kelurahan (Kecamatan)"
    this_month = utcnow().astimezone(WIB).strftime("%Y-%m")
    assert [(row.key, row.total) for row in result.by_month] == [(this_month, 3)]
    assert result.by_category[0].key == "drainase"  # biggest first


def test_closed_without_a_fix_is_not_counted_as_fixed(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    receipt = report()
    workflow.transition(
        session=session,
        actor=STAFF,
        tracking_number=receipt.complaint.tracking_number,
        to=ComplaintStatus.DITOLAK,
        message="Bukan laporan.",
    )
    result = stats.complaint_stats(session)
    assert (result.total, result.open, result.fixed, result.closed) == (1, 0, 0, 1)


def test_merged_duplicates_are_not_counted(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    original = report().complaint
    copy = report().complaint
    workflow.transition(
        session=session,
        actor=STAFF,
        tracking_number=copy.tracking_number,
        to=ComplaintStatus.DUPLIKAT,
        duplicate_of=original.tracking_number,
    )
    assert stats.complaint_stats(session).total == 1


def test_medians_of_time_to_first_response_and_to_fix(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    start = utcnow() - timedelta(days=10)
    for hours_to_answer, hours_to_fix in ((2, 30), (4, 50), (30, None)):
        complaint = report().complaint
        _timed(
            session,
            complaint,
            created_at=start,
            first_response_at=start + timedelta(hours=hours_to_answer),
            resolved_at=start + timedelta(hours=hours_to_fix) if hours_to_fix else None,
        )
    result = stats.complaint_stats(session)
    assert result.first_response == stats.Duration(4.0, 3)
    assert result.resolution == stats.Duration(40.0, 2)
    # Each breakdown has its own median, over its own fixes.
    for rows in (result.by_pd, result.by_category, result.by_kelurahan, result.by_month):
        (row,) = rows
        assert row.resolution == stats.Duration(40.0, 2)


def test_sla_counts_fixes_on_or_before_the_due_day_in_wib(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    due = date(2026, 3, 10)
    # 23:30 WIB on the due day is 16:30 UTC: on time. 00:30 WIB the next day: late.
    on_time = datetime(2026, 3, 10, 23, 30, tzinfo=WIB)
    late = datetime(2026, 3, 11, 0, 30, tzinfo=WIB)
    created = utcnow() - timedelta(days=20)
    for resolved in (on_time, on_time, on_time, on_time, late, late):
        _timed(
            session,
            report().complaint,
            created_at=created,
            resolved_at=resolved,
            due_on=due,
            status=ComplaintStatus.SELESAI,
        )
    result = stats.complaint_stats(session)
    assert (result.on_time, result.resolved) == (4, 6)
    assert result.sla_rate == 4 / 6
    pupr = next(row for row in result.by_pd if row.key == "pupr")
    assert (pupr.on_time, pupr.resolved) == (4, 6)


def test_rates_over_too_few_reports_are_withheld(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    # FixMyStreet #1957: one fast fix must not top a league table.
    complaint = report().complaint
    _timed(
        session,
        complaint,
        resolved_at=utcnow(),
        due_on=utcnow().astimezone(WIB).date() + timedelta(days=5),
        status=ComplaintStatus.SELESAI,
    )
    result = stats.complaint_stats(session)
    assert (result.on_time, result.resolved) == (1, 1)
    assert result.sla_rate is None
    assert all(row.sla_rate is None for row in result.by_pd)


def test_satisfaction_average_and_distribution(session: Session, report_in) -> None:  # type: ignore[no-untyped-def]
    for score in (5, 4, 4, 1):
        complaint = report_in(ComplaintStatus.SELESAI)
        workflow.rate(
            session=session,
            actor=ANONYMOUS,
            tracking_number=complaint.tracking_number,
            token=access_token(complaint.tracking_number),
            rating=score,
        )
    satisfaction = stats.complaint_stats(session).satisfaction
    assert satisfaction.count == 4
    assert satisfaction.average == 3.5
    assert satisfaction.distribution == {1: 1, 2: 0, 3: 0, 4: 2, 5: 1}


def test_the_period_leaves_out_older_reports(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    old = report().complaint
    _timed(session, old, created_at=utcnow() - timedelta(days=200))
    report()
    assert stats.complaint_stats(session, months=3).total == 1
    assert stats.complaint_stats(session, months=12).total == 2
    assert stats.complaint_stats(session, months=None).total == 2


def test_an_empty_period_has_no_medians_or_rates(session: Session) -> None:
    result = stats.complaint_stats(session)
    assert result.total == 0
    assert result.first_response == stats.Duration(None, 0)
    assert result.satisfaction.average is None
    assert result.sla_rate is None


def test_the_number_of_queries_does_not_grow_with_reports(session: Session, report) -> None:  # type: ignore[no-untyped-def]
    def count_queries() -> int:
        seen: list[str] = []

        def listen(*args: Any) -> None:
            if args[2].lstrip().upper().startswith("SELECT"):
                seen.append(args[2])

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", listen)
        try:
            stats.complaint_stats(session)
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(seen)

    report()
    count_queries()  # warm the reference-list cache
    few = count_queries()
    for _ in range(5):
        report()
    assert count_queries() == few


def test_csv_has_one_row_per_breakdown_and_defuses_formulas() -> None:
    row = stats.Breakdown(
        key="x", name="=HYPERLINK(1)", total=7, open=2, fixed=5, closed=0, on_time=4, resolved=5
    )
    result = stats.ComplaintStats(
        since=None,
        total=7,
        open=2,
        fixed=5,
        closed=0,
        first_response=stats.Duration(None, 0),
        resolution=stats.Duration(None, 0),
        on_time=4,
        resolved=5,
        satisfaction=stats.Satisfaction(0, None, {}),
        by_category=[row],
        by_pd=[],
        by_kelurahan=[],
        by_month=[row],
    )
    rows = list(csv.reader(io.StringIO(stats.stats_csv(result))))
    assert rows[0] == list(stats.CSV_HEADER)
    assert rows[1] == ["kategori", "x", "'=HYPERLINK(1)", "7", "2", "5", "0", "4", "5", "80.0"]
    assert rows[2][0] == "bulan"
    assert len(rows) == 3


def test_the_statistics_page_draws_svg_charts_and_offers_csv(client: TestClient, report_in) -> None:  # type: ignore[no-untyped-def]
    report_in(ComplaintStatus.SELESAI)
    page = client.get("/statistik")
    assert page.status_code == 200
    assert page.text.count('<svg class="chart-svg') == 4
    assert "<script" not in page.text.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'href="/statistik.csv?bulan=12"' in page.text
    assert "(1/1)" in page.text  # counts shown next to every rate
    assert page.headers["cache-control"].startswith("public")
    download = client.get("/statistik.csv?bulan=semua")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    assert "kategori,drainase,Parit atau saluran air tersumbat,1,0,1" in download.text
