"""The executive view (``/console/eksekutif``) over HTTP: today's situation with its links,
the week's charts with their tables, the agencies' table with its drill-downs, both
languages, who may open it, and the chart geometry."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.alerts import mode
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.coordination import tasks
from pontive.coordination.console_executive import percent, rate_class, week_chart
from pontive.coordination.models import Incident
from pontive.core.identity import ANONYMOUS
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow
from tests.conftest import login
from tests.coordination.support import LAT, LON, OPERATOR, make_task, open_incident

PAGE = "/console/eksekutif"


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture
def walikota(client: TestClient, make_user: Callable[..., User]) -> TestClient:
    login(client, make_user(Role.WALIKOTA).username)
    return client


def _fixed_reports(session: Session, media: MediaStore, on_time: int, late: int) -> None:
    """Reports for PUPR (drainage), fixed this month: ``on_time`` by their due day, ``late``
    after it."""
    today = utcnow().astimezone(WIB).date()
    for number in range(on_time + late):
        receipt = create_complaint(
            session=session,
            data=ComplaintCreate(
                category_code="drainase",
                description=f"Parit tersumbat sampah nomor {number}, air meluap ke jalan.",
                lon=LON,
                lat=LAT,
            ),
            actor=ANONYMOUS,
            media=media,
        )
        complaint = receipt.complaint
        complaint.status = ComplaintStatus.SELESAI
        complaint.resolved_at = utcnow() - timedelta(days=1)
        complaint.due_on = (
            today + timedelta(days=3) if number < on_time else today - timedelta(days=4)
        )
    session.flush()


def test_the_mayor_sees_today_the_week_and_the_agencies(
    walikota: TestClient, session: Session, media: MediaStore
) -> None:
    flood = open_incident(session)
    fire = open_incident(
        session,
        title="Kebakaran gudang di Siantan",
        kind="kebakaran",
        severity="kritis",
        lead_pd_kode="satpolpp",
        agencies=[],
    )
    task = make_task(session, flood)
    late = make_task(session, title="Pangkas pohon rawan tumbang", pd_kode="dlh")
    late.due_at = utcnow() - timedelta(hours=2)
    _fixed_reports(session, media, on_time=4, late=2)
    session.flush()

    answer = walikota.get(PAGE)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "private, no-store"
    html = _main(answer.text)
    assert "<h1>Ringkasan Pimpinan</h1>" in html
    assert re.search(
        r"Situasi kota per <time datetime=\"[^\"]+\">\d\d-\d\d-\d{4} \d\d:\d\d WIB", html
    )
    assert 'class="ex-mode ex-mode-normal"' in html
    assert ">Normal</h2>" in html

    # Incidents: the worst first, each leading to its page.
    first, second = (
        html.index(f'href="/console/koordinasi/{code}"') for code in (fire.code, flood.code)
    )
    assert first < second
    assert '<span class="ex-sev-n">1</span> Kritis' in html
    assert '<span class="ex-sev-n">1</span> Tinggi' in html

    # Open reports by urgency, in Bahasa Indonesia, each leading to the queue.
    for label in ("Lewat tenggat", "Jatuh tempo ≤1 hari", "Dalam tenggat", "Belum diverifikasi"):
        assert label in html
    assert 'href="/console/pengaduan?overdue=1&amp;sort=due"' in html
    assert 'href="/console/pengaduan?status=diterima"' in html
    assert 'href="/console/peringatan"' in html

    # The week's charts: drawn here, with their numbers as tables.
    assert html.count('<svg class="ex-svg"') == 2
    assert html.count('role="img"') == 2
    assert "<desc" in html
    assert "cdn" not in answer.text.lower()
    assert html.count("<details") == 2
    today = utcnow().astimezone(WIB).date()
    assert html.count(today.strftime("%d-%m-%Y") + "</th>") == 2
    assert 'class="ex-day ex-today"' in html

    # The agencies: PUPR with an SLA rate over six fixes, DLH with an overdue task.
    pupr = re.search(r'<tr data-pd="pupr">.*?</tr>', html, re.S)
    assert pupr is not None
    assert "67%" in pupr.group(0)
    assert "4 dari 6 laporan" in pupr.group(0)
    assert 'class="ex-rate ex-rate-poor"' in pupr.group(0)
    assert 'href="/console/koordinasi/tugas?pd=pupr"' in pupr.group(0)
    assert 'href="/console/pengaduan?pd=pupr"' in pupr.group(0)
    dlh = re.search(r'<tr data-pd="dlh">.*?</tr>', html, re.S)
    assert dlh is not None
    assert '<span class="ex-late">1</span>' in dlh.group(0)
    assert "0 dari 1 tugas" in dlh.group(0)  # due in the period, not done on time
    # An agency with neither reports nor tasks has no row: there is nothing to rate.
    assert 'data-pd="satpolpp"' not in html
    assert task.pd_kode == "pupr"


def test_too_few_to_rate_shows_a_dash(walikota: TestClient, session: Session) -> None:
    make_task(session, pd_kode="dishub", title="Atur lalu lintas di simpang")
    html = _main(walikota.get(PAGE).text)
    dishub = re.search(r'<tr data-pd="dishub">.*?</tr>', html, re.S)
    assert dishub is not None
    row = dishub.group(0)
    assert row.count('<span class="ex-rate-n" aria-hidden="true">—</span>') == 2
    assert "Belum cukup laporan" in row
    assert "Belum ada yang jatuh tempo" in row


def test_calm_day_and_english(walikota: TestClient, session: Session) -> None:
    session.query(Incident).delete()
    calm = _main(walikota.get(PAGE).text)
    assert "Tidak ada insiden aktif saat ini." in calm
    english = _main(walikota.get(PAGE, params={"lang": "en"}).text)
    assert "<h1>Executive Summary</h1>" in english
    for label in ("Past due", "Due within a day", "Within due date", "Not yet verified"):
        assert label in english
    assert "No active incidents right now." in english
    assert "Mon" in english + "Sun"


def test_an_emergency_mode_leads_the_page(walikota: TestClient, session: Session) -> None:
    mode.declare_mode(
        session,
        actor=OPERATOR,
        mode="siaga_darurat",
        kecamatan_kode="61.71.01",
        reason="Genangan rob meluas",
    )
    html = _main(walikota.get(PAGE).text)
    assert 'class="ex-mode ex-mode-siaga_darurat"' in html
    assert ">Siaga darurat</h2>" in html
    scopes = re.search(r'<ul class="ex-scopes".*?</ul>', html, re.S)
    assert scopes is not None
    assert "Kec. Pontianak Selatan: <strong>Siaga darurat</strong>" in scopes.group(0)
    assert scopes.group(0).count("<li>") == 1  # the other kecamatan stay normal


def test_the_page_is_read_only(walikota: TestClient, session: Session) -> None:
    open_incident(session)
    html = _main(walikota.get(PAGE).text)
    assert "<form" not in html
    assert "<input" not in html
    assert "<textarea" not in html
    assert 'type="submit"' not in html
    assert '<script src="/static/coordination/executive.js' in walikota.get(PAGE).text


@pytest.mark.parametrize(
    ("role", "pd", "status"),
    [
        (Role.WALIKOTA, None, 200),
        (Role.DEWAN, None, 200),
        (Role.OPERATOR, None, 200),
        (Role.TIM_TEKNIS, None, 200),
        (Role.ADMIN, None, 200),
        (Role.PETUGAS_PD, "pupr", 403),
        (Role.WARGA, None, 403),
    ],
)
def test_who_may_open_the_page(
    client: TestClient, make_user: Callable[..., User], role: Role, pd: str | None, status: int
) -> None:
    login(client, make_user(role, pd_kode=pd).username)
    assert client.get(PAGE).status_code == status


def test_anonymous_visitors_are_asked_to_sign_in(client: TestClient) -> None:
    answer = client.get(PAGE, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/masuk?next=/console/eksekutif"


def test_the_tab_marks_the_executive_view(walikota: TestClient) -> None:
    html = walikota.get(PAGE).text
    assert f'<a href="{PAGE}" aria-current="page">Ringkasan pimpinan</a>' in html


# --- the chart's geometry ------------------------------------------------------------------


def test_bars_scale_to_a_round_axis_and_mark_today() -> None:
    days = [date(2026, 3, 2) + timedelta(days=i) for i in range(7)]  # Monday to Sunday
    series = [
        (day, received, fixed)
        for day, received, fixed in zip(
            days, (3, 9, 0, 4, 7, 2, 5), (1, 4, 0, 2, 6, 1, 3), strict=True
        )
    ]
    chart = week_chart("reports", series, "id", today=days[-1])
    assert chart.totals == (30, 17)
    assert [tick.value for tick in chart.ticks] == [0, 5, 10]  # 9 rounds up to 10
    base = chart.base
    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.value == 9
    assert tallest.y + tallest.height == pytest.approx(base, abs=0.2)
    assert tallest.height == pytest.approx((base - 16) * 9 / 10, abs=0.2)
    zero = [bar for bar in chart.bars if bar.value == 0]
    assert len(zero) == 2
    assert all(bar.height == 0 for bar in zero)
    assert [d.weekday for d in chart.days] == ["Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min"]
    assert [d.is_today for d in chart.days] == [False] * 6 + [True]
    firsts = [bar for bar in chart.bars if bar.series == 0]
    assert all(a.x < b.x for a, b in itertools.pairwise(firsts))


def test_an_empty_week_still_draws_an_axis() -> None:
    day = date(2026, 3, 2)
    chart = week_chart("incidents", [(day, 0, 0)], "en", today=day)
    assert [tick.value for tick in chart.ticks] == [0, 1, 2, 3, 4]
    assert chart.days[0].weekday == "Mon"


def test_rates_read_at_a_glance() -> None:
    assert (rate_class(None), rate_class(0.95), rate_class(0.75), rate_class(0.5)) == (
        "none",
        "good",
        "fair",
        "poor",
    )
    assert (percent(None), percent(2 / 3), percent(1.0)) == ("—", "67%", "100%")


def test_tasks_done_on_time_count_for_their_agency(walikota: TestClient, session: Session) -> None:
    done = make_task(session, pd_kode="bpbd", title="Siagakan perahu karet")
    tasks.move_task(session, actor=OPERATOR, task=done, status="selesai", note="Siap di posko.")
    # Due in the period, done before it.
    done.completed_at = utcnow() - timedelta(hours=3)
    done.due_at = utcnow() - timedelta(hours=1)
    session.flush()
    html = _main(walikota.get(PAGE).text)
    bpbd = re.search(r'<tr data-pd="bpbd">.*?</tr>', html, re.S)
    assert bpbd is not None
    assert "100%" in bpbd.group(0)
    assert "1 dari 1 tugas" in bpbd.group(0)
    assert 'class="ex-rate ex-rate-good"' in bpbd.group(0)
