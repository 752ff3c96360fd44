"""Budget imports (``budget/importer.py``): rupiah typed the Indonesian way, all or nothing with
a precise report, updates of existing lines, the template."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.budget import importer, service
from pontive.budget.models import BudgetLine
from pontive.core.errors import InvalidInput, PermissionDenied
from pontive.masterplan.monitoring import RowProblem
from tests.budget.support import DLH, TIM, WALIKOTA, line
from tests.masterplan.support import activity, programme

HEADER = list(importer.COLUMN_NAMES[:-2])  # without the optional source_detail and note


def row(code: str, **cells: str) -> list[str]:
    """A valid 2026 row of ``code`` (DLH, APBD, technology, 1/2/3/4 hundred million)."""
    values = {
        "year": "2026",
        "code": code,
        "name": f"Mata anggaran {code}",
        "pd_kode": "dlh",
        "source": "apbd",
        "category": "teknologi",
        "planned_q1": "100.000.000",
        "planned_q2": "200.000.000",
        "planned_q3": "300.000.000",
        "planned_q4": "400.000.000",
    } | cells
    return [values.get(name, "") for name in HEADER]


def count(session: Session) -> int:
    return session.scalar(select(func.count(BudgetLine.id))) or 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.250.000", "1250000.00"),
        ("Rp 1.250.000.000", "1250000000.00"),
        ("Rp1.250.000,-", "1250000.00"),
        ("1.250.000,50", "1250000.50"),
        ("1250000,5", "1250000.50"),
        ("1.250", "1250.00"),  # one dot and three digits: thousands, never 1,25
        ("1250000.00", "1250000.00"),  # as the export writes it
        ("12.5", "12.50"),
        ("  750 000 ", "750000.00"),
        ("0", "0.00"),
    ],
)
def test_rupiah_are_read_as_indonesians_type_them(typed: str, expected: str) -> None:
    assert importer.parse_amount(typed) == Decimal(expected)


@pytest.mark.parametrize(
    "typed", ["1,250,000", "-5.000", "abc", "1.25.000", "1.2345", "1.250.000,505", "1e6"]
)
def test_what_is_not_a_rupiah_amount_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match="not a rupiah amount"):
        importer.parse_amount(typed)


def test_an_empty_amount_is_none_not_zero() -> None:
    assert importer.parse_amount("") is None
    assert importer.parse_amount("  ") is None
    assert importer.parse_amount(Decimal("7")) == Decimal("7.00")


def test_bad_rows_give_a_precise_report_and_nothing_is_stored(session: Session) -> None:
    before = count(session)
    rows = [
        HEADER,
        row("IMP-001"),
        row("IMP-002", planned_q2="1,250,000", pd_kode="dinas-tak-ada"),
        [""] * len(HEADER),  # blank rows are skipped, numbering keeps counting
        row("IMP-001"),  # the same code twice in 2026
        row("IMP-004", source="pinjaman", category="h", year="dua ribu"),
        row("IMP-005", realised_q1="-3"),
    ]
    report = importer.import_rows(session, actor=TIM, rows=rows)
    assert not report.ok
    assert report.rows == 5
    problems = {(p.row, p.column) for p in report.problems}
    assert problems == {
        (3, "planned_q2"),
        (3, "pd_kode"),
        (5, "code"),
        (6, "year"),
        (6, "source"),
        (6, "category"),
        (7, "realised_q1"),
    }
    duplicate = next(p for p in report.problems if p.row == 5)
    assert "baris 2" in duplicate.message
    assert count(session) == before
    assert report.created == report.updated == 0


def test_a_header_with_unknown_or_missing_columns_is_refused(session: Session) -> None:
    header = [name for name in HEADER if name != "realised_q4"] + ["catatan"]
    report = importer.import_rows(session, actor=TIM, rows=[header, row("X-1")])
    assert report.problems == [
        RowProblem(1, "catatan", "Kolom tidak dikenal."),
        RowProblem(1, "realised_q4", "Kolom wajib tidak ada."),
    ]


def test_good_rows_create_and_update_and_empty_cells_keep_amounts(session: Session) -> None:
    existing = line(session, "IMP-010", realised=(90_000_000,))
    rows = [
        HEADER,
        row("imp-010", name="Nama baru", planned_q4="", realised_q2="150.000.000"),
        row("IMP-011", source="lainnya", category="sdm", realised_q1="50.000.000,50"),
    ]
    report = importer.import_rows(session, actor=TIM, rows=rows)
    assert report.ok, report.problems
    assert (report.created, report.updated, report.years) == (1, 1, [2026])
    session.refresh(existing)
    assert existing.name == "Nama baru"
    amounts = {q.quarter: (q.planned, q.realised) for q in existing.quarters}
    assert amounts[1] == (Decimal("100000000.00"), Decimal("90000000.00"))  # kept
    assert amounts[2][1] == Decimal("150000000.00")
    assert amounts[4][0] == Decimal("400000000.00")  # empty planned_q4 kept it
    new = next(x for x in service.list_lines(session, year=2026) if x.code == "IMP-011")
    assert new.quarters[0].realised == Decimal("50000000.50")
    assert new.source.value == "lainnya"


def test_an_activity_must_belong_to_the_programme_given(session: Session) -> None:
    living = programme(session, "LIV-90")
    other = programme(session, "GOV-90", dimensi_kode="governance")
    activity(session, other, "GOV-90.01")
    activity(session, living, "LIV-90.01")
    rows = [
        HEADER,
        row("IMP-020", programme_code="LIV-90", activity_code="GOV-90.01"),
        row("IMP-021", programme_code="liv-90", activity_code="liv-90.01"),
        row("IMP-022", programme_code="TAK-ADA"),
    ]
    report = importer.import_rows(session, actor=TIM, rows=rows)
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "activity_code"),
        (4, "programme_code"),
    ]
    assert "GOV-90" in report.problems[0].message


def test_only_who_keeps_the_budget_imports(session: Session) -> None:
    for who in (DLH, WALIKOTA):
        with pytest.raises(PermissionDenied):
            importer.import_rows(session, actor=who, rows=[HEADER, row("IMP-030")])


def test_the_template_imports_as_it_is(session: Session) -> None:
    csv_rows = importer.read_file(importer.template_csv(), "templat.csv")
    xlsx_rows = importer.read_file(importer.template_xlsx(), "templat.xlsx")
    assert csv_rows == xlsx_rows
    assert csv_rows[0] == list(importer.COLUMN_NAMES)
    report = importer.import_rows(session, actor=TIM, rows=xlsx_rows)
    assert report.ok, report.problems
    assert report.created == 1


def test_an_unreadable_file_is_refused_with_a_reason() -> None:
    with pytest.raises(InvalidInput) as refused:
        importer.read_file(b"PK\x03\x04 not really a workbook", "anggaran.xlsx")
    assert "file" in refused.value.errors
    with pytest.raises(InvalidInput):
        importer.read_file(b"\xff\xfe\x00bad", "anggaran.csv")


def test_a_workbook_with_number_cells_imports(session: Session) -> None:
    import openpyxl  # type: ignore[import-untyped]  # no stubs published

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(importer.COLUMN_NAMES))
    values = row("xl-001", year="", planned_q1="", planned_q2="", planned_q3="", planned_q4="")
    values += ["", ""]  # source_detail, note
    numbers = {"year": 2026, "planned_q1": 250_000_000, "planned_q2": 1500.5, "realised_q1": 0}
    sheet.append([numbers.get(n, v) for n, v in zip(importer.COLUMN_NAMES, values, strict=True)])
    out = io.BytesIO()
    book.save(out)
    report = importer.import_rows(
        session, actor=TIM, rows=importer.read_file(out.getvalue(), "anggaran.xlsx")
    )
    assert report.ok, report.problems
    saved = next(x for x in service.list_lines(session, year=2026) if x.code == "XL-001")
    assert [q.planned for q in saved.quarters][:2] == [Decimal("250000000.00"), Decimal("1500.50")]
