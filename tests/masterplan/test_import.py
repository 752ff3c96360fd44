"""Bulk import of realisation values in the monitoring console: 5,000 rows with a few bad
ones of different kinds give a precise validation report and store nothing, then the fixed
file stores all 5,000; XLSX files, semicolons and decimal commas; unreadable files and a
wrong header; the downloadable template; who may import."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import openpyxl  # type: ignore[import-untyped]  # no stubs published
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.roles import Role
from pontive.masterplan.choices import EntrySource, RealisationStatus
from pontive.masterplan.console_monitoring_support import this_year, today
from pontive.masterplan.models import Indicator, Realisation
from tests.masterplan.support import indicator, programme
from tests.masterplan.test_monitoring import HTML, MON, csrf, sign_in

IMPORT = f"{MON}/impor"
ROWS = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def indicators(session: Session) -> list[Indicator]:
    """Two Dinkes indicators and one of Dishub."""
    owner = programme(session)
    year = this_year()
    found = [
        indicator(session, "LIV-01.I1", owner=owner, targets={year: 100.0}),
        indicator(session, "LIV-01.I2", owner=owner, targets={year: 50.0}),
        indicator(session, "LIV-01.I3", owner=owner, pd_kode="dishub", targets={year: 5.0}),
    ]
    session.commit()
    return found


def stored(session: Session) -> int:
    """How many realisation entries exist."""
    return session.scalar(select(func.count(Realisation.id))) or 0


def good_rows(count: int = ROWS) -> list[list[str]]:
    """``count`` valid Dinkes rows (header included), dated this year up to today."""
    first = date(this_year(), 1, 1)
    span = (today() - first).days + 1
    rows = [["indicator", "date", "value", "note"]]
    for number in range(count):
        day = first + timedelta(days=number % span)
        code = "LIV-01.I1" if number % 2 else "LIV-01.I2"
        rows.append([code, day.isoformat(), f"{40 + number % 60}.5", f"baris {number + 2}"])
    return rows


def as_csv(rows: list[list[str]], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(
    client: TestClient, data: bytes, name: str = "realisasi.csv", kind: str = "text/csv"
) -> Any:
    """Post ``data`` to the import form."""
    return client.post(
        IMPORT,
        data={"csrf_token": csrf(client)},
        files={"file": (name, data, kind)},
        follow_redirects=False,
    )


def problems_in(page: str) -> list[tuple[int, str, str]]:
    """The validation report's rows: (row, column, message)."""
    body = page.split('id="problems"', 1)[1].split("</tbody>", 1)[0]
    found = []
    for part in body.split("<tr data-row=")[1:]:
        row = int(part.split('"', 2)[1])
        column = part.split('data-column="', 1)[1].split('"', 1)[0]
        message = part.rsplit("<td>", 1)[1].split("</td>", 1)[0]
        found.append((row, column, message.replace("&#39;", "'")))
    return found


def test_5000_rows_with_a_few_bad_ones_store_nothing_until_all_are_right(
    client: TestClient, session: Session, make_user: Any, indicators: list[Indicator]
) -> None:
    sign_in(client, make_user, Role.PETUGAS_PD, "dinkes")
    rows = good_rows()
    tomorrow = (today() + timedelta(days=1)).isoformat()
    # File row numbers count the header as row 1: rows[n] is file row n + 1.
    rows[1202][0] = "LIV-99.I9"  # row 1203: an indicator that does not exist
    rows[2499][1] = "31-06-2026"  # row 2500: not an ISO date
    rows[3776][2] = "tujuh"  # row 3777: not a number
    rows[4099][0] = "LIV-01.I3"  # row 4100: another agency's indicator
    rows[4998][1] = tomorrow  # row 4999: in the future
    refused = upload(client, as_csv(rows))
    assert refused.status_code == 422
    assert problems_in(refused.text) == [
        (1203, "indicator", "Indikator tidak dikenal: 'LIV-99.I9'."),
        (2500, "date", "Tanggal bukan YYYY-MM-DD: '31-06-2026'."),
        (3777, "value", "Nilai bukan angka: 'tujuh'."),
        (4100, "indicator", "Bukan indikator Perangkat Daerah Anda."),
        (4999, "date", "Tanggal di masa depan."),
    ]
    assert "Berkas ditolak: 5 masalah" in refused.text
    assert "(5000 baris data)" in refused.text
    assert stored(session) == 0  # no partial import

    fixed = good_rows()
    answer = upload(client, as_csv(fixed))
    assert answer.status_code == 303, answer.text[:2000]
    assert answer.headers["location"] == f"{IMPORT}?ok=imported&baris={ROWS}"
    assert "5000 baris disimpan" in client.get(answer.headers["location"], headers=HTML).text
    assert stored(session) == ROWS
    batches = func.count(func.distinct(Realisation.import_batch))
    query = select(Realisation.status, Realisation.source, batches)
    kinds = session.execute(query.group_by(Realisation.status, Realisation.source)).all()
    assert [tuple(k) for k in kinds] == [(RealisationStatus.SUBMITTED, EntrySource.IMPORT, 1)]
    last = session.scalars(select(Realisation).order_by(Realisation.id.desc()).limit(1)).one()
    assert (last.value, last.note, last.pd_kode) == (
        float(fixed[-1][2]),
        fixed[-1][3],
        "dinkes",
    )


def test_xlsx_files_semicolons_and_decimal_commas_are_read(
    client: TestClient, session: Session, make_user: Any, indicators: list[Indicator]
) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["indicator", "date", "value", "note"])
    sheet.append(["LIV-01.I1", date(this_year(), 1, 5), 81.25, "Dari SIMPUS"])
    sheet.append(["liv-01.i3", date(this_year(), 1, 6), 4, None])  # any agency's for the team
    out = io.BytesIO()
    book.save(out)
    assert upload(client, out.getvalue(), "realisasi.xlsx", XLSX).status_code == 303
    semicolons = as_csv([["indicator", "date", "value"], ["LIV-01.I2", "2026-01-07", "12,5"]], ";")
    assert upload(client, semicolons).status_code == 303
    values = session.scalars(select(Realisation.value).order_by(Realisation.id)).all()
    assert values == [81.25, 4.0, 12.5]


def test_unreadable_files_and_a_wrong_header_are_refused(
    client: TestClient, session: Session, make_user: Any, indicators: list[Indicator]
) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    broken = upload(client, b"PK\x03\x04 not really a workbook", "realisasi.xlsx", XLSX)
    assert broken.status_code == 422
    assert 'id="f-file-error"' in broken.text
    assert upload(client, b"\xff\xfe\x00bin", "realisasi.csv").status_code == 422
    assert upload(client, b"a,b\n", "realisasi.txt", "text/plain").status_code == 422
    header = upload(
        client, as_csv([["kode", "tanggal", "nilai"], ["LIV-01.I1", "2026-01-01", "1"]])
    )
    assert header.status_code == 422
    assert problems_in(header.text) == [
        (1, "header", "Baris judul harus: indicator,date,value,note.")
    ]
    assert stored(session) == 0


def test_the_template_lists_the_officers_own_indicators(
    client: TestClient, make_user: Any, indicators: list[Indicator]
) -> None:
    sign_in(client, make_user, Role.PETUGAS_PD, "dinkes")
    page = client.get(IMPORT, headers=HTML)
    assert page.status_code == 200
    assert f'href="{IMPORT}/templat.csv"' in page.text
    template = client.get(f"{IMPORT}/templat.csv")
    assert template.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in template.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(template.content.decode("utf-8-sig"))))
    assert rows[0] == ["indicator", "date", "value", "note"]
    assert [row[0] for row in rows[1:]] == ["LIV-01.I1", "LIV-01.I2"]  # not Dishub's


def test_only_those_who_report_may_import(
    client: TestClient, make_user: Any, indicators: list[Indicator]
) -> None:
    sign_in(client, make_user, Role.DEWAN)
    assert client.get(IMPORT, headers=HTML).status_code == 403
    assert client.get(f"{IMPORT}/templat.csv").status_code == 403
    assert upload(client, as_csv(good_rows(2))).status_code == 403
