"""The budget console over HTTP (``budget/console*.py``): the dashboards' figures, the lines
and their filters, the forms (refused ones keep what was typed), the realisation a PD officer
reports for its own lines only, the mayor who only reads, imports with their report, and
both languages."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.budget import console_charts, importer, service
from pontive.budget.console_support import compact, percent, rupiah, typed_amount
from pontive.budget.exports import Group
from pontive.core.roles import Role
from tests.budget.support import line
from tests.conftest import login

BUDGET = "/console/anggaran"
LINES = f"{BUDGET}/baris"
HTML = {"Accept": "text/html"}


def sign_in(client: TestClient, make_user: Any, role: Role, pd: str | None = None) -> None:
    login(client, make_user(role, pd_kode=pd).username)


def post(client: TestClient, path: str, data: dict[str, str], **kwargs: Any) -> Any:
    """A console form post with the session's CSRF token (from the layout's sign-out form)."""
    page = client.get(BUDGET, headers=HTML)
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False, **kwargs)


def text_of(html: str, element_id: str) -> str:
    """The text inside the element with ``element_id`` (tags removed)."""
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert match, element_id
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_rupiah_are_shown_the_indonesian_way() -> None:
    assert rupiah(Decimal("1250000000")) == "Rp 1.250.000.000"
    assert rupiah(Decimal("1250000.5")) == "Rp 1.250.000,50"
    assert rupiah(0) == "Rp 0"
    assert rupiah(Decimal("1250000.5"), "en") == "Rp 1,250,000.50"
    assert typed_amount(Decimal("987654.32")) == "987.654,32"
    assert importer.parse_amount(typed_amount(Decimal("987654.32"))) == Decimal("987654.32")
    assert compact(Decimal("12040000000")) == "Rp 12,04 M"
    assert compact(Decimal("12040000000"), "en") == "Rp 12.04 bn"
    assert compact(Decimal("850000000")) == "Rp 850 jt"
    assert compact(Decimal("950000")) == "Rp 950.000"
    assert percent(0.5424) == "54,2%"
    assert percent(0.5, "en") == "50%"
    assert percent(None) == "—"


def test_the_bars_and_the_curve_are_scaled_as_worked_out() -> None:
    zero = service.Totals(Decimal(0), Decimal(0))
    rows = console_charts.bars(
        [
            Group("a", "A", "#111111", service.Totals(Decimal(400), Decimal(100))),
            Group("b", "B", "#222222", service.Totals(Decimal(200), Decimal(200))),
            Group("c", "C", "#333333", zero),
        ]
    )
    assert [(r.planned_width, r.realised_width, r.rate) for r in rows] == [
        (100.0, 25.0, 0.25),
        (50.0, 50.0, 1.0),
        (0.0, 0.0, None),
    ]
    sums = [
        console_charts.QuarterSums(1, Decimal(100), Decimal(50), Decimal(100), Decimal(50)),
        console_charts.QuarterSums(2, Decimal(300), Decimal(0), Decimal(400), Decimal(50)),
        console_charts.QuarterSums(3, Decimal(0), Decimal(0), Decimal(400), Decimal(50)),
        console_charts.QuarterSums(4, Decimal(100), Decimal(0), Decimal(500), Decimal(50)),
    ]
    curve = console_charts.curve(sums, shown=2)
    # the top of the scale is 500 (5 x 100); the drawing spans x 92..610 and y 14..226
    assert curve.grid[-1] == (14.0, Decimal(500))
    assert curve.planned_points.split() == [
        "92.0,226.0", "221.5,183.6", "351.0,56.4", "480.5,56.4", "610.0,14.0",
    ]  # fmt: skip
    assert curve.realised_points.split() == ["92.0,226.0", "221.5,204.8", "351.0,204.8"]
    assert [q for _x, _y, q in curve.dots] == [1, 2]
    assert console_charts.shown_quarters(sums, ended=0) == 1  # Q1 has a reported amount


def _lines(session: Session) -> None:
    line(session, "C-001", realised=(100_000_000, 150_000_000))  # DLH, 1 M planned
    line(session, "C-002", planned=(0, 0, 0, 500_000_000), pd_kode="pupr", source="lainnya",
         category="infrastruktur")  # fmt: skip


def test_the_dashboard_shows_the_years_figures(
    client: TestClient, session: Session, make_user: Any
) -> None:
    _lines(session)
    sign_in(client, make_user, Role.WALIKOTA)
    page = client.get(f"{BUDGET}?year=2026", headers=HTML)
    assert page.status_code == 200
    html = page.text
    assert text_of(html, "total-planned") == "Rp 1,5 M"
    assert text_of(html, "total-realised") == "Rp 250 jt"
    assert text_of(html, "total-rate") == "16,7%"
    assert "Pagu Rp 1.500.000.000; realisasi Rp 250.000.000." in html
    assert text_of(html, "line-count") == "2"
    # one bar row per category, per source, per agency; the curve and the quarter table
    assert html.count('class="bud-bar-row"') == 7 + 2 + 7 + 2  # 6 dimensions + outside
    assert 'id="curve"' in html
    assert re.search(r'data-quarter="2">\s*<th scope="row">Triwulan 2</th>', html)
    assert "bud-line-realised" in html
    assert 'id="new-link"' not in html  # the mayor reads only
    assert 'id="import-link"' not in html
    empty = client.get(f"{BUDGET}?year=2031", headers=HTML).text
    assert 'id="empty"' in empty
    english = client.get(f"{BUDGET}?year=2026&lang=en", headers=HTML).text
    assert "Smart City budget 2026" in english
    assert "By funding source (Article 24(1))" in english
    assert "Planned Rp 1,500,000,000; realised Rp 250,000,000." in english


def test_the_lines_list_filters_and_totals(
    client: TestClient, session: Session, make_user: Any
) -> None:
    _lines(session)
    sign_in(client, make_user, Role.PETUGAS_PD, "pupr")
    own = client.get(f"{LINES}?year=2026", headers=HTML).text  # a PD officer starts on its own
    assert re.findall(r'<tr data-code="([^"]+)"', own) == ["C-002"]
    every = client.get(f"{LINES}?year=2026&pd=", headers=HTML).text
    assert re.findall(r'<tr data-code="([^"]+)"', every) == ["C-001", "C-002"]
    assert text_of(every, "sum-planned") == "Rp 1.500.000.000"
    lainnya = client.get(f"{LINES}?year=2026&pd=&source=lainnya", headers=HTML).text
    assert re.findall(r'<tr data-code="([^"]+)"', lainnya) == ["C-002"]
    assert text_of(lainnya, "sum-realised") == "Rp 0"
    sdm = client.get(f"{LINES}?year=2026&pd=&category=sdm", headers=HTML).text
    assert "Tidak ada mata anggaran yang cocok dengan saringan ini." in sdm
    assert 'id="lines-total"' not in sdm


def test_a_new_line_typed_the_indonesian_way_is_saved_and_a_refused_one_kept(
    client: TestClient, session: Session, make_user: Any
) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    form = {
        "year": "2026",
        "code": "c-100",
        "name": "Aplikasi perizinan terpadu",
        "pd_kode": "dpmptsp",
        "source": "apbd",
        "category": "teknologi",
        "planned_q1": "Rp 250.000.000",
        "planned_q2": "1,250,000",  # English grouping: refused
        "planned_q3": "",
        "planned_q4": "75.000.000,50",
    }
    refused = post(client, f"{LINES}/baru", form)
    assert refused.status_code == 422
    assert 'id="f-planned_q2-error"' in refused.text
    assert 'value="Aplikasi perizinan terpadu"' in refused.text  # nothing lost
    assert 'value="Rp 250.000.000"' in refused.text
    saved = post(client, f"{LINES}/baru", form | {"planned_q2": "1.250.000"})
    assert saved.status_code == 303
    created = next(x for x in service.list_lines(session, year=2026) if x.code == "C-100")
    assert saved.headers["location"] == f"{LINES}/{created.id}?ok=line_saved"
    assert [q.planned for q in created.quarters] == [
        Decimal("250000000.00"), Decimal("1250000.00"), Decimal(0), Decimal("75000000.50"),
    ]  # fmt: skip
    page = client.get(saved.headers["location"], headers=HTML).text
    assert "Mata anggaran disimpan." in page
    assert 'value="75.000.000,50"' in page  # the edit form shows it as typed
    clash = post(client, f"{LINES}/baru", form | {"planned_q2": "1"})
    assert clash.status_code == 422
    assert 'id="f-code-error"' in clash.text


def test_the_technical_team_edits_a_line(
    client: TestClient, session: Session, make_user: Any
) -> None:
    target = line(session, "C-200")
    sign_in(client, make_user, Role.TIM_TEKNIS)
    values = {
        "year": "2026", "code": "C-200", "name": "Nama diperbaiki", "pd_kode": "dlh",
        "source": "lainnya", "source_detail": "Hibah CSR", "category": "operasional",
        "planned_q1": "1.000", "planned_q2": "2.000", "planned_q3": "3.000", "planned_q4": "4.000",
    }  # fmt: skip
    answer = post(client, f"{LINES}/{target.id}", values)
    assert answer.status_code == 303
    session.refresh(target)
    assert (target.name, target.source.value, target.category.value) == (
        "Nama diperbaiki",
        "lainnya",
        "operasional",
    )
    assert service.totals([target]).planned == Decimal(10_000)
    bad = post(client, f"{LINES}/{target.id}", values | {"pd_kode": "tak-ada", "name": "X"})
    assert bad.status_code == 422
    assert 'id="f-pd_kode-error"' in bad.text
    assert " open>" in bad.text  # the edit form stays open with its problems


def test_a_pd_officer_reports_its_own_lines_realisation_not_anothers(
    client: TestClient, session: Session, make_user: Any
) -> None:
    own = line(session, "C-300")
    other = line(session, "C-301", pd_kode="pupr")
    sign_in(client, make_user, Role.PETUGAS_PD, "dlh")
    page = client.get(f"{LINES}/{own.id}", headers=HTML).text
    assert 'id="realisation-form"' in page
    assert 'id="line-form"' not in page  # the technical team keeps the line itself
    answer = post(client, f"{LINES}/{own.id}/realisasi", {"quarter": "2", "realised": "95.500.000"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{LINES}/{own.id}?ok=realised#realisasi"
    session.refresh(own)
    assert own.quarters[1].realised == Decimal("95500000.00")
    bad = post(client, f"{LINES}/{own.id}/realisasi", {"quarter": "2", "realised": "banyak"})
    assert bad.status_code == 422
    assert 'id="r-realised-error"' in bad.text
    assert 'value="banyak"' in bad.text
    foreign = client.get(f"{LINES}/{other.id}", headers=HTML).text
    assert 'id="realisation-form"' not in foreign
    assert 'id="not-yours"' in foreign
    refused = post(client, f"{LINES}/{other.id}/realisasi", {"quarter": "1", "realised": "1"})
    assert refused.status_code == 403
    session.refresh(other)
    assert other.quarters[0].realised == 0


def test_the_mayor_reads_every_page_but_changes_nothing(
    client: TestClient, session: Session, make_user: Any
) -> None:
    target = line(session, "C-400")
    sign_in(client, make_user, Role.WALIKOTA)
    page = client.get(f"{LINES}/{target.id}", headers=HTML)
    assert page.status_code == 200
    assert '<form method="post" action="/console/anggaran' not in page.text
    assert client.get(f"{LINES}/baru", headers=HTML).status_code == 403
    assert client.get(f"{BUDGET}/impor", headers=HTML).status_code == 403
    real = post(client, f"{LINES}/{target.id}/realisasi", {"quarter": "1", "realised": "1"})
    assert real.status_code == 403
    edit = post(client, f"{LINES}/{target.id}", {"name": "Diubah wali kota"})
    assert edit.status_code == 403


def test_an_import_page_reports_a_bad_row_and_stores_the_fixed_file(
    client: TestClient, session: Session, make_user: Any
) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    assert client.get(f"{BUDGET}/impor", headers=HTML).status_code == 200
    header = ";".join(importer.COLUMN_NAMES)  # Excel in Indonesian locales writes semicolons
    rows = [
        "2026;C-500;Server pusat data;diskominfo;apbd;infrastruktur;;;;;;1.000.000.000;;;;;;;;;",
        "2026;C-501;Pelatihan;bkpsdm;apbd;pelatihan;;;;;;50.000.000;;;;;;;;;",
    ]
    data = "\n".join([header, *rows]).encode()
    refused = post(client, f"{BUDGET}/impor", {}, files={"file": ("anggaran.csv", data)})
    assert refused.status_code == 422
    assert re.findall(r'data-row="(\d+)" data-column="([^"]+)"', refused.text) == [
        ("3", "category")
    ]
    assert not service.list_lines(session, year=2026)
    fixed = data.replace(b";pelatihan;", b";sdm;")
    stored = post(client, f"{BUDGET}/impor", {}, files={"file": ("anggaran.csv", fixed)})
    assert stored.status_code == 303
    assert stored.headers["location"] == f"{LINES}?year=2026&pd=&ok=budget_imported"
    assert [x.code for x in service.list_lines(session, year=2026)] == ["C-500", "C-501"]
    unreadable = post(client, f"{BUDGET}/impor", {}, files={"file": ("a.xlsx", b"nope")})
    assert unreadable.status_code == 422
    assert 'id="f-file-error"' in unreadable.text
    template = client.get(f"{BUDGET}/impor/templat.xlsx")
    assert template.status_code == 200
    assert importer.read_file(template.content, "t.xlsx")[0] == list(importer.COLUMN_NAMES)
