"""Import reports received through other channels (hotline logs, SP4N-LAPOR! exports) from CSV.

All or nothing: every row is checked first, with the same rules as a report from the web
(``ComplaintCreate`` and ``service.validate_complaint``); when any row is rejected, nothing is
stored and the report lists every rejected row with its line number and reasons. Rows whose
``nomor_eksternal`` was already imported from the same source are skipped, so a file can be
imported again safely. The columns are documented in docs/operations.md (Importing complaints).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.choices import Source
from pontive.complaints.models import Complaint, ServiceCategory
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import TRIAGE, create_complaint, validate_complaint
from pontive.core import permissions
from pontive.core.db import WRITE_OPTION, Database
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.events import SESSION_BUS_KEY, Event, EventBus
from pontive.core.identity import Actor
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow

COLUMNS = (
    "tanggal",
    "kategori",
    "uraian",
    "alamat",
    "lat",
    "lon",
    "nama",
    "telepon",
    "email",
    "anonim",
    "persetujuan",
    "nomor_eksternal",
)
REQUIRED_COLUMNS = ("tanggal", "kategori", "uraian")
ATTRIBUTE_PREFIX = "atribut."  # atribut.<code>: answer to a category question; lists a;b
YES = frozenset({"ya", "y", "yes", "true", "1"})
NO = frozenset({"tidak", "t", "no", "false", "0"})
DATE_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y")
# ComplaintCreate and service field names as the CSV calls them.
FIELD_COLUMNS = {
    "category_code": "kategori",
    "description": "uraian",
    "address": "alamat",
    "lon": "lon",
    "lat": "lat",
    "name": "nama",
    "phone": "telepon",
    "email": "email",
    "external_id": "nomor_eksternal",
    "created_at": "tanggal",
    "contact": "telepon/email",
    "consent": "persetujuan",
    "location": "lat/lon",
}


class ImportSource(StrEnum):
    """Channels a file may come from."""

    HOTLINE = "hotline"
    WHATSAPP = "whatsapp"
    LAPOR = "lapor"
    IMPORT = "import"


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row that cannot be imported, with every reason."""

    line: int
    reasons: list[str]


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row already imported earlier (same source and ``nomor_eksternal``)."""

    line: int
    external_id: str
    tracking_number: str


@dataclass(slots=True)
class ImportReport:
    """What an import checked and did."""

    rows: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def is_valid(self) -> bool:
        """Whether every row passed the checks."""
        return not self.rejected


class _RowError(Exception):
    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def read_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """``(line number, row)`` for every non-blank row; refuses unknown or missing columns."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    unknown = [n for n in header if n not in COLUMNS and not n.startswith(ATTRIBUTE_PREFIX)]
    missing = [n for n in REQUIRED_COLUMNS if n not in header]
    if unknown or missing:
        errors = {}
        if unknown:
            errors["kolom"] = [f"kolom tidak dikenal: {', '.join(unknown)}"]
        if missing:
            errors["kolom_wajib"] = [f"kolom wajib tidak ada: {', '.join(missing)}"]
        raise InvalidInput(
            "Baris judul berkas CSV tidak sesuai format impor.",
            "The CSV header does not match the import format.",
            errors=errors,
        )
    reader.fieldnames = header
    rows, start = [], 2
    for raw in reader:
        row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if None in raw:
            row["__extra__"] = "x"
        if any(row.values()):
            rows.append((start, row))
        start = reader.line_num + 1
    return rows


def parse_moment(value: str) -> datetime:
    """``tanggal``: ISO 8601, or ``dd/mm/yyyy HH:MM`` in WIB; a time without zone is WIB."""
    text = re.sub(r"\s*WIB$", "", value.strip(), flags=re.IGNORECASE)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        for pattern in DATE_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)  # noqa: DTZ007 - zone added below
                break
            except ValueError:
                continue
        else:
            raise ValueError(
                f"tanggal '{value}' tidak dikenali (pakai 2026-07-01 08:30 atau 01/07/2026 08:30)"
            ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=WIB)


def _flag(row: dict[str, str], column: str, default: bool) -> bool:
    value = row.get(column, "").lower()
    if not value:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise _RowError([f"{column}: isi 'ya' atau 'tidak', bukan '{row[column]}'"])


def _number(row: dict[str, str], column: str) -> float | None:
    value = row.get(column, "")
    if not value:
        return None
    try:
        return float(value.replace(",", ".") if "." not in value else value)
    except ValueError:
        raise _RowError([f"{column}: bukan angka ('{value}')"]) from None


def _category_lookup(session: Session) -> dict[str, str]:
    lookup: dict[str, str] = {}
    query = select(ServiceCategory).where(ServiceCategory.is_active.is_(True))
    for category in session.scalars(query):
        for key in (category.code, category.name_id, category.name_en):
            lookup[key.strip().lower()] = category.code
    return lookup


def _pydantic_reasons(error: ValidationError) -> list[str]:
    reasons = []
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else ""
        column = FIELD_COLUMNS.get(name, name)
        context = item.get("ctx") or {}
        if item["type"] == "string_too_short":
            text = f"terlalu pendek (minimal {context.get('min_length')} karakter)"
        elif item["type"] == "string_too_long":
            text = f"terlalu panjang (maksimal {context.get('max_length')} karakter)"
        elif item["type"] in ("greater_than_equal", "less_than_equal"):
            text = "di luar rentang koordinat"
        elif name == "email":
            text = "alamat e-mail tidak valid"
        else:
            text = str(item["msg"]).removeprefix("Value error, ")
        reasons.append(f"{column}: {text}")
    return reasons


def _attributes(row: dict[str, str]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for key, value in row.items():
        if key.startswith(ATTRIBUTE_PREFIX) and value:
            parts = [part.strip() for part in value.split(";") if part.strip()]
            answers[key.removeprefix(ATTRIBUTE_PREFIX)] = parts if len(parts) > 1 else value
    return answers


def parse_row(row: dict[str, str], categories: dict[str, str], source: Source) -> ComplaintCreate:
    """One CSV row as a new report, or ``_RowError`` with every reason found."""
    reasons: list[str] = []
    if "__extra__" in row:
        reasons.append("baris punya lebih banyak kolom daripada judul")
    category = categories.get(row.get("kategori", "").lower())
    if category is None:
        reasons.append(f"kategori: '{row.get('kategori', '')}' tidak dikenal")
    created_at = None
    if not row.get("tanggal"):
        reasons.append("tanggal: wajib diisi")
    else:
        try:
            created_at = parse_moment(row["tanggal"])
            if created_at > utcnow():
                reasons.append("tanggal: berada di masa depan")
        except ValueError as error:
            reasons.append(str(error))
    values: dict[str, Any] = {}
    for column in ("lat", "lon"):
        try:
            values[column] = _number(row, column)
        except _RowError as error:
            reasons += error.reasons
    if (values.get("lat") is None) != (values.get("lon") is None):
        reasons.append("lat/lon: isi keduanya atau kosongkan keduanya")
    gave_contact = any(row.get(c) for c in ("nama", "telepon", "email"))
    try:
        is_anonymous = _flag(row, "anonim", not gave_contact)
        consent = _flag(row, "persetujuan", False)
    except _RowError as error:
        reasons += error.reasons
        is_anonymous, consent = True, False
    try:
        data = ComplaintCreate(
            category_code=category or "-",
            description=row.get("uraian", ""),
            address=row.get("alamat", ""),
            lon=values.get("lon"),
            lat=values.get("lat"),
            is_anonymous=is_anonymous,
            name=row.get("nama") or None,
            phone=row.get("telepon") or None,
            email=row.get("email") or None,
            consent=consent,
            attributes=_attributes(row),
            source=source,
            external_id=row.get("nomor_eksternal") or None,
            created_at=created_at,
        )
    except ValidationError as error:
        raise _RowError(reasons + _pydantic_reasons(error)) from error
    if reasons:
        raise _RowError(reasons)
    return data


def _check(session: Session, data: ComplaintCreate) -> list[str]:
    try:
        validate_complaint(session=session, data=data)
    except InvalidInput as invalid:
        return [
            f"{_column(name)}: {'; '.join(messages)}" for name, messages in invalid.errors.items()
        ]
    except NotFound as missing:
        return [f"kategori: {missing.message_id}"]
    return []


def _column(name: str) -> str:
    match = re.fullmatch(r"attribute\[(.+)\]", name)
    return f"{ATTRIBUTE_PREFIX}{match.group(1)}" if match else FIELD_COLUMNS.get(name, name)


def _already_imported(session: Session, source: Source, external_ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(external_ids), 500):
        chunk = external_ids[start : start + 500]
        query = select(Complaint.external_id, Complaint.tracking_number).where(
            Complaint.source == source, Complaint.external_id.in_(chunk)
        )
        found.update({eid: number for eid, number in session.execute(query) if eid})
    return found


def import_csv(
    *,
    session: Session,
    actor: Actor,
    text: str,
    source: ImportSource,
    media: MediaStore,
    dry_run: bool = False,
) -> ImportReport:
    """Check every row of a CSV text, then import all of them, or none when any is rejected."""
    permissions.require(actor, TRIAGE)
    channel = Source(source.value)
    rows = read_rows(text)
    categories = _category_lookup(session)
    report = ImportReport(rows=len(rows), dry_run=dry_run)
    parsed: list[tuple[int, ComplaintCreate]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        try:
            data = parse_row(row, categories, channel)
        except _RowError as error:
            report.rejected.append(RejectedRow(line, error.reasons))
            continue
        reasons = _check(session, data)
        if data.external_id and data.external_id in seen:
            reasons.append(f"nomor_eksternal: sama dengan baris {seen[data.external_id]}")
        if reasons:
            report.rejected.append(RejectedRow(line, reasons))
            continue
        if data.external_id:
            seen[data.external_id] = line
        parsed.append((line, data))
    existing = _already_imported(session, channel, list(seen))
    fresh = []
    for line, data in parsed:
        if data.external_id in existing:
            report.skipped.append(SkippedRow(line, data.external_id, existing[data.external_id]))
        else:
            fresh.append(data)
    if report.rejected or dry_run:
        return report
    for data in fresh:
        receipt = create_complaint(session=session, data=data, actor=actor, media=media)
        report.imported.append(receipt.complaint.tracking_number)
    return report


class _HeldEvents:
    """Collects events published during an import, to publish once it has committed."""

    url = "held://"

    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish(self, event: Event) -> None:
        self.events.append(event)


def import_atomically(
    *,
    database: Database,
    bus: EventBus,
    actor: Actor,
    text: str,
    source: ImportSource,
    media: MediaStore,
    dry_run: bool = False,
) -> ImportReport:
    """``import_csv`` in ONE database transaction: every row is stored, or none is.

    Each report's own commit becomes a savepoint inside the outer transaction, so a failure
    on row 900 (a crash, a full disk, a constraint) leaves nothing of rows 1-899. The reports'
    events are held and published only after the outer commit.
    """
    held = _HeldEvents()
    with database.engine.connect() as raw:
        connection = raw.execution_options(**{WRITE_OPTION: True})
        outer = connection.begin()
        try:
            with Session(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            ) as session:
                session.info[SESSION_BUS_KEY] = held
                report = import_csv(
                    session=session,
                    actor=actor,
                    text=text,
                    source=source,
                    media=media,
                    dry_run=dry_run,
                )
            if report.is_valid and not report.dry_run:
                outer.commit()
            else:
                outer.rollback()
        except BaseException:
            outer.rollback()
            raise
    if report.imported:
        for event in held.events:
            bus.publish(event)
    return report
