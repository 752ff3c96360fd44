"""The public Smart City pages (``/smartcity``): the six dimensions with progress, counts and
budget; a dimension's priorities, programmes, indicators with their trends and budget; only
verified values and no person's name; published evaluation reports; shared caching."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.budget import service as budget
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.masterplan import monitoring, service
from pontive.masterplan.console_monitoring_support import this_year
from pontive.masterplan.models import Evaluation, Realisation
from pontive.masterplan.pages_public_views import rupiah
from pontive.web.forms import kelurahan_names
from tests.masterplan.support import DINKES, TIM, activity, indicator, programme
from tests.masterplan.test_monitoring import PDF, sign_in

HTML = {"Accept": "text/html"}


@pytest.fixture
def living(session: Session, media: MediaStore) -> dict[str, Any]:
    """A Smart Living programme of Dinkes in two kelurahan with an activity, three
    indicators (one with values verified last year and this year, one only submitted, one
    rejected) and a budget line of Rp 250.000.000 a quarter, Rp 412.500.000 of it spent."""
    year = this_year()
    kelurahan = list(kelurahan_names(session))[:2]
    owner = programme(
        session, kelurahan_kodes=kelurahan, prioritas_kode="living.b", is_quick_win=True,
        description="Rekam medis elektronik di seluruh puskesmas.",
    )  # fmt: skip
    step = activity(session, owner, "LIV-01.01", name="Integrasi SIMPUS")
    targets = {year - 1: 50.0, year: 80.0}
    indicator(session, "LIV-01.I1", owner=owner, targets=targets, name_id="Puskesmas terhubung")
    indicator(session, "LIV-01.01.I1", of_activity=step, targets={year: 10.0}, unit="jam")
    indicator(session, "LIV-01.I3", owner=owner, targets={year: 5.0})
    for value, day, verdict in (
        (40.0, date(year - 1, 12, 31), True),
        (72.0, date(year, 1, 31), True),
    ):
        entry = _entry(session, media, "LIV-01.I1", value, day)
        monitoring.review(session, actor=TIM, entry=entry, approve=verdict)
    _entry(session, media, "LIV-01.01.I1", 123.0, date(year, 1, 10))  # awaits verification
    refused = _entry(session, media, "LIV-01.I3", 456.0, date(year, 1, 10), evidence=True)
    monitoring.review(session, actor=TIM, entry=refused, approve=False, note="Salah periode.")
    line = budget.save_line(
        session,
        actor=TIM,
        data=budget.LineInput(
            year=year, code="LIV-01-A", name="Pengembangan rekam medis elektronik",
            pd_kode="dinkes", source="apbd", category="teknologi", programme_code="LIV-01",
            planned={q: "250.000.000" for q in (1, 2, 3, 4)},
        ),
    )  # fmt: skip
    budget.report_realisation(session, actor=TIM, line=line, quarter=1, realised="250000000")
    budget.report_realisation(session, actor=TIM, line=line, quarter=2, realised="162.500.000")
    session.commit()
    return {"kelurahan": kelurahan, "year": year}


def _entry(
    session: Session,
    media: MediaStore,
    code: str,
    value: float,
    day: date,
    *,
    evidence: bool = False,
) -> Realisation:
    files = [monitoring.EvidenceFile("bukti.pdf", "application/pdf", PDF)] if evidence else []
    return monitoring.report_value(
        session,
        actor=DINKES,
        indicator=service.get_indicator(session, code),
        period_date=day,
        value=value,
        note="Catatan internal Dinkes",
        evidence=files,
        media=media,
    )


def test_rupiah_is_written_the_indonesian_way() -> None:
    assert rupiah(Decimal("1250000.40"), "id") == "Rp 1.250.000"
    assert rupiah(Decimal("1250000.50"), "en") == "Rp 1,250,001"
    assert rupiah(None, "id") == "—"


def test_the_overview_shows_each_dimension_with_progress_counts_and_budget(
    client: TestClient, living: dict[str, Any]
) -> None:
    page = client.get("/smartcity", headers=HTML)
    assert page.status_code == 200
    cards = re.findall(r'data-dimension="([a-z]+)"', page.text)
    assert cards == ["governance", "branding", "economy", "living", "society", "environment"]
    card = page.text.split('data-dimension="living"', 1)[1].split("</li>", 1)[0]
    # Programme: only LIV-01.I1 is measured (72 of 80 = 0.9); the dimension is its mean.
    assert '<span class="mp-pct">90%</span>' in card
    assert 'data-rag="amber"' in card
    assert "1 program · 3 indikator" in card
    assert "Rp 1.000.000.000" in card
    assert "Rp 412.500.000" in card
    assert '<span class="mp-pct">41%</span>' in card  # 412.5 of 1,000 million spent
    governance = page.text.split('data-dimension="governance"', 1)[1].split("</li>", 1)[0]
    assert "0 program · 0 indikator" in governance
    assert 'data-rag="none"' in governance
    assert 'id="programme-count">1<' in page.text
    assert 'href="/smartcity/living"' in page.text
    assert "Belum ada laporan evaluasi" in page.text


def test_a_dimension_page_shows_programmes_indicators_trends_and_budget(
    client: TestClient, session: Session, living: dict[str, Any]
) -> None:
    year = living["year"]
    page = client.get("/smartcity/living", headers=HTML).text
    names = kelurahan_names(session)
    assert "Pasal 11 ayat (4) huruf b" in page  # the priorities with their article
    programme = page.split('data-programme="LIV-01"', 1)[1].split('<li class="pub-programme"', 1)[0]
    assert "Rekam medis elektronik di seluruh puskesmas." in programme
    assert ">Dinkes</abbr>" in programme
    assert "2023\u20132032" in programme
    assert ", ".join(names[k] for k in living["kelurahan"]) in programme
    assert "Quick win" in programme
    first = programme.split('data-indicator="LIV-01.I1"', 1)[1].split("</li>", 1)[0]
    assert "Puskesmas terhubung" in first
    assert "80&nbsp;%" in first
    assert "72&nbsp;%" in first
    assert 'data-rag="amber"' in first
    # The trend: last year's 40 against 50 and this year's 72 against 80.
    assert f"<title>Realisasi {year - 1}: 40</title>" in first
    assert f"<title>Realisasi {year}: 72</title>" in first
    assert f"<title>Target {year}: 80</title>" in first
    assert 'id="dimension-budget"' in page
    budget_block = page.split('id="dimension-budget"', 1)[1].split("</dl>", 1)[0]
    assert "Rp 1.000.000.000" in budget_block
    assert "Rp 412.500.000" in budget_block
    english = client.get("/smartcity/living?lang=en", headers=HTML).text
    assert "Smart Living" in english
    assert "Verified value" in english
    assert client.get("/smartcity/antah-berantah", headers=HTML).status_code == 404


def test_only_verified_values_are_public_and_no_one_is_named(
    client: TestClient, living: dict[str, Any]
) -> None:
    page = client.get("/smartcity/living", headers=HTML).text
    pending = page.split('data-indicator="LIV-01.01.I1"', 1)[1].split("</li>", 1)[0]
    assert "123" not in pending  # awaits verification
    assert "data-value>—" in pending
    assert "Integrasi SIMPUS" in pending  # the activity it measures
    refused = page.split('data-indicator="LIV-01.I3"', 1)[1].split("</li>", 1)[0]
    assert "456" not in refused
    for private in (DINKES.name, TIM.name, "Catatan internal", "Salah periode", "/bukti/"):
        assert private not in page
    # A past year shows what was verified then.
    last_year = client.get(f"/smartcity/living?tahun={living['year'] - 1}", headers=HTML).text
    first = last_year.split('data-indicator="LIV-01.I1"', 1)[1].split("</li>", 1)[0]
    assert "40&nbsp;%" in first
    assert 'data-rag="amber"' in first


def test_published_evaluation_reports_are_listed(
    client: TestClient, session: Session, living: dict[str, Any]
) -> None:
    year = living["year"] - 1
    # The evaluation workflow has its own tests; here only its published state matters.
    session.add(Evaluation(year=year, created_by="test", published_at=utcnow()))
    session.add(Evaluation(year=year - 1, created_by="test"))  # not published
    session.commit()
    for path in ("/smartcity", "/smartcity/living"):
        page = client.get(path, headers=HTML).text
        assert f'href="/smartcity/evaluasi/{year}.pdf"' in page, path
        assert f"/smartcity/evaluasi/{year - 1}.pdf" not in page, path


def test_anonymous_visitors_share_copies_and_staff_do_not(
    client: TestClient, make_user: Any, living: dict[str, Any]
) -> None:
    shared = client.get("/smartcity/living")
    assert shared.headers["cache-control"] == "public, max-age=0, s-maxage=120"
    assert "set-cookie" not in shared.headers  # no form: no session to create
    sign_in(client, make_user, Role.WALIKOTA)
    assert client.get("/smartcity").headers["cache-control"] == "private, no-store"
