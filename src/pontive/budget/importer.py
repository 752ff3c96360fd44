"""Budget lines from spreadsheets (CSV or XLSX), all or nothing, and rupiah amounts as people
type them.

The columns (the export writes the same ones, so a file round-trips; ``COLUMNS`` documents
each): ``year, code, name, pd_kode, source, category, programme_code, activity_code,
kode_program, kode_kegiatan, kode_subkegiatan, planned_q1..planned_q4,
realised_q1..realised_q4`` and, optionally, ``source_detail, note``. Columns are found by
their header, in any order; an unknown or missing column is refused.

Every row is checked first (``budget.service.check_line`` plus the amounts, duplicates within
the file, and that an activity belongs to the programme given); one problem anywhere means a
validation report (row, column, message) and nothing stored. A row whose ``(year, code)``
exists updates that line. An empty amount cell keeps what is stored (zero for a new line);
``0`` sets zero.
"""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.budget import service
from pontive.budget.choices import Category, FundingSource
from pontive.budget.models import BudgetLine
from pontive.core import audit, permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.masterplan.models import Activity, Programme
from pontive.masterplan.monitoring import RowProblem, read_table
from pontive.masterplan.service import BUDGET_MANAGE

QUARTERS = service.QUARTERS


MAX_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the spreadsheet: its header, whether it is required, what it holds."""

    name: str
    required: bool
    doc_id: str
    doc_en: str
    example: str


def _quarter_columns(kind: str, doc_id: str, doc_en: str, example: str) -> list[Column]:
    return [
        Column(f"{kind}_q{q}", True, f"{doc_id} triwulan {q}", f"{doc_en} quarter {q}", example)
        for q in QUARTERS
    ]


COLUMNS: tuple[Column, ...] = (
    Column("year", True, "Tahun anggaran, mis. 2026.", "Budget year, e.g. 2026.", "2026"),
    Column(
        "code",
        True,
        "Kode mata anggaran, unik dalam tahun itu (huruf besar).",
        "The line's code, unique within the year (upper case).",
        "SC-2026-001",
    ),
    Column("name", True, "Uraian mata anggaran (3-300 huruf).", "Description (3-300 letters).",
           "Pengembangan aplikasi layanan publik terpadu"),
    Column("pd_kode", True, "Kode Perangkat Daerah pemilik (mis. diskominfo).",
           "Code of the owning agency (e.g. diskominfo).", "diskominfo"),
    Column("source", True, "Sumber dana Pasal 24(1): apbd atau lainnya.",
           "Funding source, Art. 24(1): apbd or lainnya (other lawful income).", "apbd"),
    Column("category", True,
           "Kategori Pasal 24(2): " + ", ".join(c.value for c in Category) + ".",
           "Category, Art. 24(2): " + ", ".join(c.value for c in Category) + ".", "teknologi"),
    Column("programme_code", True, "Kode program masterplan (boleh kosong).",
           "Masterplan programme code (may be empty).", ""),
    Column("activity_code", True, "Kode kegiatan masterplan (boleh kosong; harus milik program).",
           "Masterplan activity code (may be empty; must belong to the programme).", ""),
    Column("kode_program", True, "Kode program Permendagri 90/2019 (boleh kosong).",
           "Regional budget programme code, Permendagri 90/2019 (may be empty).", "2.16.02"),
    Column("kode_kegiatan", True, "Kode kegiatan Permendagri 90/2019 (boleh kosong).",
           "Regional budget activity code (may be empty).", "2.16.02.1.02"),
    Column("kode_subkegiatan", True, "Kode sub-kegiatan Permendagri 90/2019 (boleh kosong).",
           "Regional budget sub-activity code (may be empty).", "2.16.02.1.02.0001"),
    *_quarter_columns("planned", "Pagu (rupiah)", "Planned amount (rupiah),", "250.000.000"),
    *_quarter_columns("realised", "Realisasi (rupiah)", "Realised amount (rupiah),", ""),
    Column("source_detail", False, "Rincian sumber dana, mis. pemberi hibah (opsional).",
           "Detail of the source, e.g. the grantor (optional).", ""),
    Column("note", False, "Catatan (opsional).", "Note (optional).", ""),
)  # fmt: skip
COLUMN_NAMES = tuple(c.name for c in COLUMNS)
REQUIRED_NAMES = frozenset(c.name for c in COLUMNS if c.required)

# How people type rupiah: "1.250.000", "1.250.000,50", "1250000,5", "Rp 1.250.000,-", and
# how machines write them: "1250000", "1250000.50". One dot and three digits ("1.250") is a
# thousands separator: rupiah have two decimals at most.


def parse_amount(raw: object) -> Decimal | None:
    """A rupiah amount as typed (``service.amount``); ``None`` when the cell is empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    return service.amount(raw)


def plain_amount(value: Decimal) -> str:
    """An amount as the export writes it (``1250000.00``), read back by ``parse_amount``."""
    return f"{Decimal(value):.2f}"


@dataclass(slots=True)
class ImportReport:
    """What an import did: every problem (row 1 = the header), or what it stored."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    batch: str | None = None
    years: list[int] = field(default_factory=list)  # the years of the lines stored
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the lines were stored (no problem at all)."""
        return not self.problems


@dataclass(slots=True)
class _Row:
    number: int
    data: service.LineInput
    realised: dict[int, Decimal]


def _say(lang: str, text_id: str, text_en: str) -> str:
    return text_en if lang == "en" else text_id


def read_file(data: bytes, filename: str, *, lang: str = "id") -> list[list[str]]:
    """The rows of an uploaded CSV (UTF-8, comma or semicolon) or XLSX file; ``InvalidInput``
    when it cannot be read."""
    if not data:
        raise InvalidInput(errors={"file": [_say(lang, "Berkas kosong.", "The file is empty.")]})
    try:
        if filename.lower().endswith(".xlsx"):
            return read_table(data, filename)
        return _read_csv(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, KeyError, ValueError, OSError):
        message = _say(
            lang,
            "Berkas tidak terbaca: unggah CSV (UTF-8) atau XLSX.",
            "The file cannot be read: upload a CSV (UTF-8) or XLSX file.",
        )
        raise InvalidInput(errors={"file": [message]}) from None


def _read_csv(text: str) -> list[list[str]]:
    # The delimiter is the header's (comma, or semicolon as Excel writes in Indonesian
    # locales): csv.Sniffer (``monitoring.read_table``) guesses wrong when cells hold quotes
    # and semicolons.
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _header(rows: list[list[str]], report: ImportReport, lang: str) -> dict[str, int] | None:
    names = [cell.strip().lower() for cell in rows[0]] if rows else []
    positions: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            continue
        if name not in COLUMN_NAMES:
            message = _say(lang, "Kolom tidak dikenal.", "Unknown column.")
            report.problems.append(RowProblem(1, name, message))
        elif name in positions:
            message = _say(lang, "Kolom tertulis dua kali.", "Column given twice.")
            report.problems.append(RowProblem(1, name, message))
        positions.setdefault(name, index)
    for name in COLUMN_NAMES:
        if name in REQUIRED_NAMES and name not in positions:
            message = _say(lang, "Kolom wajib tidak ada.", "Required column missing.")
            report.problems.append(RowProblem(1, name, message))
    return None if report.problems else positions


def _year(raw: str) -> int | None:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return None
    return int(value) if value.is_finite() and value == value.to_integral_value() else None


def _amounts(
    cells: dict[str, str], kind: str, number: int, report: ImportReport, lang: str
) -> dict[int, Decimal]:
    found: dict[int, Decimal] = {}
    for quarter in QUARTERS:
        column = f"{kind}_q{quarter}"
        try:
            value = parse_amount(cells.get(column, ""))
        except ValueError:
            message = _say(
                lang,
                f"Bukan jumlah rupiah: {cells[column]!r} (tulis mis. 1.250.000 atau 1250000,50).",
                f"Not a rupiah amount: {cells[column]!r} (write e.g. 1.250.000 or 1250000,50).",
            )
            report.problems.append(RowProblem(number, column, message))
            continue
        if value is not None:
            found[quarter] = value
    return found


def _check_row(
    session: Session,
    number: int,
    cells: dict[str, str],
    seen: dict[tuple[int, str], int],
    report: ImportReport,
    lang: str,
) -> _Row | None:
    before = len(report.problems)
    year = _year(cells.get("year", ""))
    if year is None:
        message = _say(lang, "Tahun bukan angka.", "The year is not a number.")
        report.problems.append(RowProblem(number, "year", message))
    code = cells.get("code", "").strip().upper()
    if year is not None and code:
        first = seen.setdefault((year, code), number)
        if first != number:
            message = _say(
                lang,
                f"Kode {code} tahun {year} sudah ada di baris {first}.",
                f"Code {code} of {year} already given in row {first}.",
            )
            report.problems.append(RowProblem(number, "code", message))
    planned = _amounts(cells, "planned", number, report, lang)
    realised = _amounts(cells, "realised", number, report, lang)
    data = service.LineInput(
        year=year or 0,
        code=code,
        name=cells.get("name", ""),
        pd_kode=cells.get("pd_kode", "").strip().lower(),
        source=cells.get("source", "").strip().lower(),
        category=cells.get("category", "").strip().lower(),
        programme_code=cells.get("programme_code", "").strip().upper() or None,
        activity_code=cells.get("activity_code", "").strip().upper() or None,
        source_detail=cells.get("source_detail", ""),
        kode_program=cells.get("kode_program", ""),
        kode_kegiatan=cells.get("kode_kegiatan", ""),
        kode_subkegiatan=cells.get("kode_subkegiatan", ""),
        note=cells.get("note", ""),
        planned=dict(planned),
    )
    for column, messages in check_input(session, data, lang=lang).items():
        if column == "year" and year is None:
            continue  # said already
        report.problems.extend(RowProblem(number, column, m) for m in messages)
    return _Row(number, data, realised) if len(report.problems) == before else None


def check_input(
    session: Session, data: service.LineInput, *, lang: str = "id"
) -> dict[str, list[str]]:
    """Every problem of a line as typed (``service.check_line`` and the activity belonging to
    the programme given), by field."""
    _clean, errors = service.check_line(session, data)
    if data.activity_code and data.programme_code and "activity_code" not in errors:
        owner = session.scalar(
            select(Programme.code)
            .join(Activity, Activity.programme_id == Programme.id)
            .where(Activity.code == data.activity_code)
        )
        if owner is not None and owner != data.programme_code:
            errors["activity_code"] = [
                _say(
                    lang,
                    f"Kegiatan {data.activity_code} milik program {owner}, bukan "
                    f"{data.programme_code}.",
                    f"Activity {data.activity_code} belongs to programme {owner}, not "
                    f"{data.programme_code}.",
                )
            ]
    return errors


def check_rows(
    session: Session, rows: list[list[str]], *, lang: str = "id"
) -> tuple[list[_Row], ImportReport]:
    """The rows that pass and the report of every problem (nothing is stored)."""
    report = ImportReport(rows=0)
    positions = _header(rows, report, lang)
    if positions is None:
        return [], report
    body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
    report.rows = len(body)
    if report.rows > MAX_ROWS:
        message = _say(lang, f"Paling banyak {MAX_ROWS} baris.", f"At most {MAX_ROWS} rows.")
        report.problems.append(RowProblem(1, "rows", message))
        return [], report
    parsed: list[_Row] = []
    seen: dict[tuple[int, str], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i] if i < len(row) else "") for name, i in positions.items()}
        checked = _check_row(session, number, cells, seen, report, lang)
        if checked is not None:
            parsed.append(checked)
    return parsed, report


def import_rows(
    session: Session, *, actor: Actor, rows: list[list[str]], lang: str = "id"
) -> ImportReport:
    """Check every row, then create or update all the lines, or none (see the module)."""
    permissions.require(actor, BUDGET_MANAGE)
    parsed, report = check_rows(session, rows, lang=lang)
    if report.problems:
        return report
    existing = _existing(session, {row.data.year for row in parsed})
    number = 0
    try:
        with session.begin_nested():  # all or nothing, even if a service refuses mid-way
            for row in parsed:
                number = row.number
                line = existing.get((row.data.year, row.data.code))
                saved = service.save_line(session, actor=actor, data=row.data, line=line)
                _realise(session, actor, saved, row.realised)
                report.created += line is None
                report.updated += line is not None
    except InvalidInput as error:  # changed since the check (another import, say)
        report.created = report.updated = 0
        for column, messages in error.errors.items():
            report.problems.extend(RowProblem(number, column, m) for m in messages)
        return report
    report.batch = uuid.uuid4().hex[:12]
    report.years = sorted({row.data.year for row in parsed})
    audit.record(
        session,
        actor=actor,
        action="budget.lines.imported",
        object_type="budget_import",
        object_id=report.batch,
        after={"rows": report.rows, "created": report.created, "updated": report.updated},
    )
    return report


def import_file(
    session: Session, *, actor: Actor, data: bytes, filename: str, lang: str = "id"
) -> ImportReport:
    """``import_rows`` over an uploaded CSV or XLSX file."""
    permissions.require(actor, BUDGET_MANAGE)
    return import_rows(session, actor=actor, rows=read_file(data, filename, lang=lang), lang=lang)


def _existing(session: Session, years: Iterable[int]) -> dict[tuple[int, str], BudgetLine]:
    found: dict[tuple[int, str], BudgetLine] = {}
    for year in sorted(set(years)):
        found.update(
            {(line.year, line.code): line for line in service.list_lines(session, year=year)}
        )
    return found


def _realise(
    session: Session, actor: Actor, line: BudgetLine, realised: dict[int, Decimal]
) -> None:
    stored = {quarter.quarter: quarter.realised for quarter in line.quarters}
    for quarter, value in sorted(realised.items()):
        if Decimal(stored.get(quarter, 0)) != value:
            service.report_realisation(
                session, actor=actor, line=line, quarter=quarter, realised=value
            )


# --- the template ------------------------------------------------------------------------


def template_rows() -> list[list[str]]:
    """The header and one example row."""
    return [list(COLUMN_NAMES), [column.example for column in COLUMNS]]


def template_csv() -> bytes:
    """The import template as CSV (UTF-8)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(template_rows())
    return out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    """The import template as XLSX, every cell text (so codes keep their leading zeros)."""
    import openpyxl  # type: ignore[import-untyped]  # no stubs published

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "anggaran"
    for row in template_rows():
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.number_format = "@"
    docs = book.create_sheet("kolom")
    docs.append(["kolom", "wajib", "keterangan", "description"])
    for column in COLUMNS:
        docs.append(
            [column.name, "ya" if column.required else "tidak", column.doc_id, column.doc_en]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def known_values() -> dict[str, list[str]]:
    """The codes the ``source`` and ``category`` columns accept."""
    return {
        "source": [s.value for s in FundingSource],
        "category": [c.value for c in Category],
    }
