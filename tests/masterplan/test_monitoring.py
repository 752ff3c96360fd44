"""Monitoring in the masterplan console over HTTP: a PD officer reports values of its own
agency's indicators with evidence (and no other agency's), refused forms keep what was
typed, the technical team verifies and rejects from its queue, a correction replaces a
verified value only once verified, evidence is served to staff only, the mayor reads and
changes nothing, and the dashboards show the weighted progress and each programme's trend."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from pontive.core.roles import Role
from pontive.masterplan import monitoring, service
from pontive.masterplan.choices import RealisationStatus
from pontive.masterplan.console_monitoring_support import this_year
from pontive.masterplan.models import Indicator, Realisation
from tests.conftest import login
from tests.masterplan.support import DINKES, TIM, activity, indicator, programme

MON = "/console/masterplan/pemantauan"
HTML = {"Accept": "text/html"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png_bytes() -> bytes:
    """A small PNG photo."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def sign_in(client: TestClient, make_user: Any, role: Role, pd: str | None = None) -> None:
    """A new user of ``role`` signed in on ``client``."""
    login(client, make_user(role, pd_kode=pd).username)


def csrf(client: TestClient) -> str:
    """The session's CSRF token, read from a console page."""
    page = client.get(MON, headers=HTML)
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def post(client: TestClient, path: str, data: dict[str, str], **kwargs: Any) -> Any:
    """A console form post with the session's CSRF token."""
    return client.post(
        path, data={"csrf_token": csrf(client), **data}, follow_redirects=False, **kwargs
    )


@pytest.fixture
def plan(session: Session) -> dict[str, Indicator]:
    """A Dinkes programme with an activity in three kelurahan, two Dinkes indicators (one
    of the activity) and a Dishub one, each with a target this year and last year."""
    year = this_year()
    owner = programme(session, kelurahan_kodes=_two_kelurahan(session))
    first = activity(session, owner, "LIV-01.01")
    targets = {year - 1: 80.0, year: 100.0}
    found = {
        "mine": indicator(session, "LIV-01.I1", owner=owner, targets=targets),
        "activity": indicator(session, "LIV-01.01.I1", of_activity=first, targets=targets),
        "other": indicator(
            session, "LIV-01.I2", owner=owner, pd_kode="dishub", targets={year: 10.0}
        ),
    }
    session.commit()
    return found


def _two_kelurahan(session: Session) -> list[str]:
    from pontive.reference import service as reference

    kecamatan = reference.list_kecamatan(session=session)
    return [k.kode for k in kecamatan[0].kelurahan[:2]]


def report(
    session: Session, code: str, value: float, day: date, *, verify: bool = False
) -> Realisation:
    """A value reported by Dinkes (verified by the technical team when asked)."""
    entry = monitoring.report_value(
        session,
        actor=DINKES if not code.endswith("I2") else TIM,
        indicator=service.get_indicator(session, code),
        period_date=day,
        value=value,
    )
    if verify:
        monitoring.review(session, actor=TIM, entry=entry, approve=True)
    session.commit()
    return entry


def entries_of(session: Session, code: str) -> list[Realisation]:
    ind = service.get_indicator(session, code)
    return list(
        session.scalars(
            select(Realisation).where(Realisation.indicator_id == ind.id).order_by(Realisation.id)
        )
    )


def codes_in(page: str, table: str = "indicators") -> list[str]:
    """The indicator codes of a list's rows, in order."""
    body = page.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr data-code="([^"]+)"', body)


# --- a PD officer ------------------------------------------------------------------------------


def test_a_pd_officer_sees_and_reports_only_its_own_agencys_indicators(
    client: TestClient, session: Session, make_user: Any, plan: dict[str, Indicator]
) -> None:
    other = report(session, "LIV-01.I2", 7.0, date(this_year(), 1, 10))
    sign_in(client, make_user, Role.PETUGAS_PD, "dinkes")
    page = client.get(MON, headers=HTML)
    assert page.status_code == 200
    assert codes_in(page.text) == ["LIV-01.01.I1", "LIV-01.I1"]
    assert 'id="f-pd"' not in page.text  # an officer's list is its own agency's
    assert client.get(f"{MON}/indikator/LIV-01.I2", headers=HTML).status_code == 404
    answer = post(
        client, f"{MON}/indikator/LIV-01.I2/lapor", {"period_date": "2026-01-05", "value": "3"}
    )
    assert answer.status_code == 404
    assert [e.id for e in entries_of(session, "LIV-01.I2")] == [other.id]
    assert client.get(f"{MON}/verifikasi", headers=HTML).status_code == 403
    # The API, called from the officer's own pages (session cookie and CSRF header), pushes
    # to its own indicator and is refused another agency's.
    token = {"X-CSRF-Token": csrf(client)}
    body = {"date": date(this_year(), 1, 5).isoformat(), "value": 3}
    api = "/api/v1/masterplan/indicators/{}/realisations"
    assert client.post(api.format("LIV-01.I1"), json=body, headers=token).status_code == 201
    assert client.post(api.format("LIV-01.I2"), json=body, headers=token).status_code == 403


def test_reporting_a_value_with_evidence_awaits_verification(
    client: TestClient, session: Session, make_user: Any, plan: dict[str, Indicator]
) -> None:
    sign_in(client, make_user, Role.PETUGAS_PD, "dinkes")
    day = date(this_year(), 1, 20).isoformat()
    files = [
        ("evidence", ("laporan semester.pdf", PDF, "application/pdf")),
        ("evidence", ("foto.png", png_bytes(), "application/octet-stream")),  # typed by content
    ]
    answer = post(
        client,
        f"{MON}/indikator/LIV-01.I1/lapor",
        {"period_date": day, "value": "82,5", "note": "Data SIMPUS semester I"},
        files=files,
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"{MON}/indikator/LIV-01.I1?ok=reported"
    (entry,) = entries_of(session, "LIV-01.I1")
    assert (entry.value, entry.status, entry.note) == (
        82.5,
        RealisationStatus.SUBMITTED,
        "Data SIMPUS semester I",
    )
    assert [(e.filename, e.content_type) for e in entry.evidence] == [
        ("laporan semester.pdf", "application/pdf"),
        ("foto.png", "image/png"),
    ]
    page = client.get(answer.headers["location"], headers=HTML).text
    assert 'id="flash">Realisasi dilaporkan' in page
    assert f'data-entry="{entry.id}" data-status="submitted"' in page
    pdf = client.get(f"{MON}/bukti/{entry.evidence[0].id}")
    assert pdf.status_code == 200
    assert pdf.content == PDF
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["cache-control"] == "private, no-store"
    assert "inline" in pdf.headers["content-disposition"]
    # Not public: an anonymous visitor is sent to sign in, a citizen is refused.
    client.cookies.clear()
    anonymous = client.get(f"{MON}/bukti/{entry.evidence[0].id}", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/masuk")
    sign_in(client, make_user, Role.WARGA)
    assert client.get(f"{MON}/bukti/{entry.evidence[0].id}").status_code == 403
    sign_in(client, make_user, Role.PETUGAS_PD, "dishub")  # another agency: not found
    assert client.get(f"{MON}/bukti/{entry.evidence[0].id}").status_code == 404


def test_a_refused_report_keeps_what_was_typed_and_stores_nothing(
    client: TestClient, session: Session, make_user: Any, plan: dict[str, Indicator]
) -> None:
    sign_in(client, make_user, Role.PETUGAS_PD, "dinkes")
    path = f"{MON}/indikator/LIV-01.I1/lapor"
    answer = post(client, path, {"period_date": "", "value": "delapan", "note": "Catatan saya"})
    assert answer.status_code == 422
    assert 'id="f-value-error"' in answer.text
    assert 'id="f-period_date-error"' in answer.text
    assert "Catatan saya</textarea>" in answer.text
    assert 'value="delapan"' in answer.text
    future = post(client, path, {"period_date": f"{this_year() + 1}-01-01", "value": "5"})
    assert future.status_code == 422
    assert "masa depan" in future.text
    program = ("evidence", ("setup.exe", b"MZ\x90\x00binary", "application/x-msdownload"))
    bad_file = post(
        client, path, {"period_date": date(this_year(), 1, 2).isoformat(), "value": "5"},
        files=[program],
    )  # fmt: skip
    assert bad_file.status_code == 422
    assert "setup.exe: jenis berkas tidak didukung" in bad_file.text
    assert entries_of(session, "LIV-01.I1") == []
    english = post(client, path + "?lang=en", {"period_date": "x", "value": "y"})
    assert "Enter a number, e.g. 82.5." in english.text


# --- the technical team ------------------------------------------------------------------------


def test_the_technical_team_verifies_and_rejects_from_its_queue(
    client: TestClient, session: Session, make_user: Any, plan: dict[str, Indicator]
) -> None:
    first = report(session, "LIV-01.I1", 90.0, date(this_year(), 2, 1))
    second = report(session, "LIV-01.01.I1", 40.0, date(this_year(), 2, 2))
    sign_in(client, make_user, Role.TIM_TEKNIS)
    queue = client.get(f"{MON}/verifikasi", headers=HTML).text
    assert re.findall(r'<li class="mp-card" data-entry="(\d+)"', queue) == [
        str(first.id),
        str(second.id),
    ]
    assert 'id="queue-count">2 entri' in queue
    refused = post(client, f"{MON}/entri/{second.id}/tinjau", {"decision": "reject", "note": ""})
    assert refused.status_code == 422
    assert "Tulis alasan penolakan." in refused.text
    rejected = post(
        client,
        f"{MON}/entri/{second.id}/tinjau",
        {"decision": "reject", "note": "Bukti tidak sesuai periode.", "next": f"{MON}/verifikasi"},
    )
    assert rejected.headers["location"] == f"{MON}/verifikasi?ok=rejected"
    verified = post(
        client,
        f"{MON}/entri/{first.id}/tinjau",
        {"decision": "verify", "next": f"{MON}/indikator/LIV-01.I1"},
    )
    assert verified.headers["location"] == f"{MON}/indikator/LIV-01.I1?ok=verified"
    session.expire_all()
    assert (first.status, second.status) == (RealisationStatus.VERIFIED, RealisationStatus.REJECTED)
    assert second.review_note == "Bukti tidak sesuai periode."
    again = post(client, f"{MON}/entri/{first.id}/tinjau", {"decision": "verify"})
    assert again.status_code == 409
    overview = client.get(MON, headers=HTML).text
    row = overview.split('<tr data-code="LIV-01.I1">', 1)[1].split("</tr>", 1)[0]
    assert "90\u00a0%" in row.replace("&nbsp;", "\u00a0")
    assert 'data-rag="amber"' in row  # 90 of 100: amber from 80 %, green from 100 %
    # An outside address is never followed after the verdict.
    third = report(session, "LIV-01.I1", 95.0, date(this_year(), 3, 1))
    away = post(
        client, f"{MON}/entri/{third.id}/tinjau", {"decision": "verify", "next": "https://x.test/"}
    )
    assert away.headers["location"] == f"{MON}/verifikasi?ok=verified"


def test_a_correction_replaces_a_verified_value_only_once_verified(
    client: TestClient, session: Session, make_user: Any, plan: dict[str, Indicator]
) -> None:
    old = report(session, "LIV-01.I1", 60.0, date(this_year(), 1, 31), verify=True)
    sign_in(client, make_user, Role.PETUGAS_PD, "dinkes")
    answer = post(
        client,
        f"{MON}/indikator/LIV-01.I1/koreksi/{old.id}",
        {"period_date": old.period_date.isoformat(), "value": "66", "note": "Salah ketik"},
        files=[("evidence", ("rekap.csv", b"bulan,nilai\n1,66\n", "application/vnd.ms-excel"))],
    )
    assert answer.status_code == 303, answer.text
    old_entry, fix = entries_of(session, "LIV-01.I1")
    assert (fix.replaces_id, fix.status, fix.evidence[0].content_type) == (
        old.id,
        RealisationStatus.SUBMITTED,
        "text/csv",
    )
    assert old_entry.status is RealisationStatus.VERIFIED  # still counts until verified
    page = client.get(f"{MON}/indikator/LIV-01.I1", headers=HTML).text
    assert 'id="latest-value">60' in page
    assert "Koreksi atas 60" in page.replace("&nbsp;", " ")
    # A correction of what is not verified is refused.
    refused = post(client, f"{MON}/indikator/LIV-01.I1/koreksi/{fix.id}", {"value": "1"})
    assert refused.status_code == 409
    monitoring.review(session, actor=TIM, entry=fix, approve=True)
    session.commit()
    session.expire_all()
    assert old_entry.status is RealisationStatus.SUPERSEDED
    page = client.get(f"{MON}/indikator/LIV-01.I1", headers=HTML).text
    assert 'id="latest-value">66' in page
    assert f'data-entry="{old.id}" data-status="superseded"' in page


# --- read-only roles, dashboards ----------------------------------------------------------------


def test_the_mayor_reads_everything_and_changes_nothing(
    client: TestClient, session: Session, make_user: Any, plan: dict[str, Indicator]
) -> None:
    entry = report(session, "LIV-01.I1", 70.0, date(this_year(), 1, 3))
    sign_in(client, make_user, Role.WALIKOTA)
    for path in (
        MON,
        f"{MON}/indikator/LIV-01.I2",
        f"{MON}/dimensi",
        f"{MON}/pd",
        f"{MON}/kelurahan",
    ):
        page = client.get(path, headers=HTML)
        assert page.status_code == 200, path
        assert 'method="post" action="/console/masterplan' not in page.text, path
    assert codes_in(client.get(MON, headers=HTML).text) == [
        "LIV-01.01.I1",
        "LIV-01.I1",
        "LIV-01.I2",
    ]
    assert client.get(f"{MON}/verifikasi", headers=HTML).status_code == 403
    assert client.get(f"{MON}/impor", headers=HTML).status_code == 403
    day = date(this_year(), 1, 4).isoformat()
    assert (
        post(
            client, f"{MON}/indikator/LIV-01.I1/lapor", {"period_date": day, "value": "1"}
        ).status_code
        == 403
    )
    assert post(client, f"{MON}/entri/{entry.id}/tinjau", {"decision": "verify"}).status_code == 403
    assert client.get(f"{MON}/bukti/999999").status_code == 404


def test_dashboards_show_weighted_progress_and_yearly_trends(
    client: TestClient, session: Session, make_user: Any, plan: dict[str, Indicator]
) -> None:
    year = this_year()
    report(session, "LIV-01.I1", 60.0, date(year - 1, 6, 30), verify=True)  # 60 / 80 = 0.75
    report(session, "LIV-01.I1", 90.0, date(year, 1, 15), verify=True)  # 90 / 100
    report(session, "LIV-01.01.I1", 70.0, date(year, 1, 15), verify=True)  # 70 / 100
    report(session, "LIV-01.I2", 20.0, date(year, 1, 15))  # not verified: not counted
    sign_in(client, make_user, Role.TIM_TEKNIS)
    page = client.get(f"{MON}/dimensi", headers=HTML).text
    row = page.split('data-programme="LIV-01"', 1)[1].split("</tr>", 1)[0]
    # Programme = (1 * 0.9 + activity 1 * 0.7) / 2 = 0.8
    assert page.split('data-programme="LIV-01"', 1)[1].startswith(' data-progress="0.8000"')
    assert "80%" in row
    assert row.count('class="mp-spark-dot') >= 2  # last year's and this year's progress
    assert f"<title>{year - 1}: 75%</title>" in row
    assert f"<title>{year}: 80%</title>" in row
    last_year = client.get(f"{MON}/dimensi?tahun={year - 1}", headers=HTML).text
    assert last_year.split('data-programme="LIV-01"', 1)[1].startswith(' data-progress="0.7500"')
    agencies = client.get(f"{MON}/pd", headers=HTML).text
    dinkes = agencies.split('data-pd="dinkes"', 1)[1].split("</section>", 1)[0]
    assert "80%" in dinkes  # (0.9 + 0.7) / 2
    kelurahan = client.get(f"{MON}/kelurahan", headers=HTML).text
    first, _second = _two_kelurahan(session)
    assert "LIV-01" in kelurahan.split(f'data-kelurahan="{first}"', 1)[1].split("</li>\n", 1)[0]


def test_the_lists_queries_do_not_grow_with_indicators_and_entries(
    client: TestClient, session: Session, make_user: Any, plan: dict[str, Indicator]
) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)

    def selects(path: str) -> int:
        seen: list[str] = []

        def listen(*args: Any) -> None:
            if args[2].lstrip().upper().startswith("SELECT"):
                seen.append(args[2])

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", listen)
        try:
            assert client.get(path, headers=HTML).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(seen)

    report(session, "LIV-01.I1", 1.0, date(this_year(), 1, 1), verify=True)
    report(session, "LIV-01.I1", 2.0, date(this_year(), 1, 1))  # awaits verification
    paths = (MON, f"{MON}/verifikasi", f"{MON}/indikator/LIV-01.I1", f"{MON}/pd")
    for path in paths:
        selects(path)  # warm the reference-list caches
    few = {path: selects(path) for path in paths}
    owner = service.get_programme(session, "LIV-01")
    for number in range(2, 8):
        indicator(session, f"LIV-01.X{number}", owner=owner, targets={this_year(): 5.0})
        report(session, f"LIV-01.X{number}", 4.0, date(this_year(), 1, 2))
        report(session, "LIV-01.I1", float(number), date(this_year(), 1, number), verify=True)
    assert {path: selects(path) for path in paths} == few


def test_every_monitoring_page_speaks_english_too(
    client: TestClient, session: Session, make_user: Any, plan: dict[str, Indicator]
) -> None:
    report(session, "LIV-01.I1", 50.0, date(this_year(), 1, 2))
    sign_in(client, make_user, Role.TIM_TEKNIS)
    expected = {
        MON: "Monitoring realisation",
        f"{MON}/indikator/LIV-01.I1": "Report a value",
        f"{MON}/verifikasi": "Verification queue",
        f"{MON}/impor": "Import values from a file",
        f"{MON}/dimensi": "Progress by dimension",
        f"{MON}/pd": "Progress by agency",
        f"{MON}/kelurahan": "Progress by kelurahan",
    }
    for path, heading in expected.items():
        page = client.get(f"{path}?lang=en", headers=HTML).text
        assert heading in page, path
        assert "mp.mon." not in page, path  # no key without its message
