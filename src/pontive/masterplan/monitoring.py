"""Monitoring: realisation entries reported by the owning agency (one by one with evidence,
in bulk from CSV/XLSX, or pushed by another system), verified or rejected by the technical
team, corrected without erasing (a correction supersedes the entry it replaces), and the live
metrics recorded once a day.

A bulk import is all or nothing: every row is checked first, and one bad row means a
validation report (row, column, problem) and nothing stored.
"""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor, system_actor
from pontive.core.storage import MediaStore
from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import metrics
from pontive.masterplan.choices import EntrySource, RealisationStatus, SourceKind
from pontive.masterplan.models import Evidence, Indicator, Realisation
from pontive.masterplan.service import REPORT, VERIFY

LIVE_ACTOR = system_actor("live-metrics")
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "text/csv": ".csv",
}
MAX_IMPORT_ROWS = 50_000
IMPORT_COLUMNS = ("indicator", "date", "value", "note")


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """An uploaded evidence file."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem of an import: the row (1 = the header), the column, what is wrong."""

    row: int
    column: str
    message: str


@dataclass(slots=True)
class ImportReport:
    """What a bulk import did: every problem, or how many rows were stored."""

    rows: int = 0
    stored: int = 0
    batch: str | None = None
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the import was stored (no problem at all)."""
        return not self.problems


def _state(entry: Realisation) -> dict[str, Any]:
    return {
        "indicator_id": entry.indicator_id,
        "date": entry.period_date.isoformat(),
        "value": entry.value,
        "status": entry.status.value,
        "replaces": entry.replaces_id,
    }


def _check_evidence(files: Sequence[EvidenceFile]) -> None:
    for item in files:
        if item.content_type not in EVIDENCE_TYPES:
            kinds = "PDF, JPEG, PNG, WebP, XLSX, CSV"
            message = f"{item.filename}: jenis berkas tidak didukung ({kinds})."
            raise InvalidInput(errors={"evidence": [message]})
        if len(item.data) > MAX_EVIDENCE_BYTES:
            raise InvalidInput(errors={"evidence": [f"{item.filename}: lebih dari 20 MB."]})


def report_value(
    session: Session,
    *,
    actor: Actor,
    indicator: Indicator,
    period_date: date,
    value: float,
    note: str = "",
    evidence: Sequence[EvidenceFile] = (),
    media: MediaStore | None = None,
    source: EntrySource = EntrySource.WEB,
    replaces: Realisation | None = None,
    now: datetime | None = None,
) -> Realisation:
    """Report a value of ``indicator`` (its owning agency, or the technical team).

    ``replaces`` corrects an earlier entry: the new one supersedes it once verified; a
    submitted entry being corrected is superseded at once."""
    permissions.require(actor, REPORT, owner_pd=indicator.pd_kode)
    if indicator.source_kind is SourceKind.LIVE and source is not EntrySource.LIVE:
        raise Conflict(
            "Indikator ini dihitung langsung oleh Pontive.",
            "This indicator is computed live by Pontive.",
        )
    if period_date > utcnow().astimezone(WIB).date():
        raise InvalidInput(errors={"period_date": ["Tanggal realisasi tidak boleh di masa depan."]})
    _check_evidence(evidence)
    if replaces is not None and replaces.indicator_id != indicator.id:
        raise InvalidInput(errors={"replaces": ["Koreksi harus untuk indikator yang sama."]})
    entry = Realisation(
        indicator_id=indicator.id,
        period_date=period_date,
        value=value,
        note=note.strip(),
        source=source,
        pd_kode=actor.pd_kode or indicator.pd_kode,
        entered_by=actor.label,
        entered_at=now or utcnow(),
        replaces_id=replaces.id if replaces else None,
    )
    session.add(entry)
    session.flush()
    for item in evidence:
        if media is None:
            raise ValueError("evidence needs a media store")
        key = media.save(
            item.data, folder="masterplan/evidence", suffix=EVIDENCE_TYPES[item.content_type]
        )
        entry.evidence.append(
            Evidence(
                media_key=key,
                filename=item.filename[:200],
                content_type=item.content_type,
                size=len(item.data),
            )
        )
    if replaces is not None and replaces.status is RealisationStatus.SUBMITTED:
        replaces.status = RealisationStatus.SUPERSEDED
    audit.record(
        session,
        actor=actor,
        action="masterplan.realisation.reported",
        object_type="mp_realisation",
        object_id=entry.id,
        after=_state(entry),
    )
    return entry


def review(
    session: Session,
    *,
    actor: Actor,
    entry: Realisation,
    approve: bool,
    note: str = "",
    now: datetime | None = None,
) -> Realisation:
    """The technical team verifies an entry (superseding what it corrects) or rejects it."""
    permissions.require(actor, VERIFY)
    if entry.status is not RealisationStatus.SUBMITTED:
        raise Conflict("Entri ini sudah ditinjau.", "This entry was already reviewed.")
    if not approve and len(note.strip()) < 3:
        raise InvalidInput(errors={"review_note": ["Tulis alasan penolakan."]})
    before = _state(entry)
    entry.status = RealisationStatus.VERIFIED if approve else RealisationStatus.REJECTED
    entry.verified_by, entry.review_note = actor.label, note.strip()
    entry.verified_at = now or utcnow()
    if approve and entry.replaces_id is not None:
        replaced = session.get(Realisation, entry.replaces_id)
        if replaced is not None and replaced.status is RealisationStatus.VERIFIED:
            replaced.status = RealisationStatus.SUPERSEDED
    audit.record(
        session,
        actor=actor,
        action="masterplan.realisation." + ("verified" if approve else "rejected"),
        object_type="mp_realisation",
        object_id=entry.id,
        before=before,
        after=_state(entry),
    )
    return entry


def get_entry(session: Session, entry_id: int) -> Realisation:
    """One realisation entry with its evidence, or NotFound."""
    entry = session.scalar(
        select(Realisation)
        .options(selectinload(Realisation.evidence))
        .where(Realisation.id == entry_id)
    )
    if entry is None:
        raise NotFound("Entri realisasi tidak ditemukan.", "Realisation entry not found.")
    return entry


def entries(
    session: Session,
    *,
    indicator_ids: Iterable[int] | None = None,
    statuses: Iterable[RealisationStatus] | None = None,
    limit: int = 500,
) -> list[Realisation]:
    """Realisation entries, newest period first."""
    query = select(Realisation).options(selectinload(Realisation.evidence))
    if indicator_ids is not None:
        query = query.where(Realisation.indicator_id.in_(list(indicator_ids)))
    if statuses is not None:
        query = query.where(Realisation.status.in_(list(statuses)))
    query = query.order_by(Realisation.period_date.desc(), Realisation.id.desc())
    return list(session.scalars(query.limit(limit)))


def latest_verified(
    session: Session, indicator_ids: Iterable[int], *, year: int | None = None
) -> dict[int, Realisation]:
    """Each indicator's newest verified value (within ``year`` when given)."""
    query = select(Realisation).where(
        Realisation.indicator_id.in_(list(indicator_ids)),
        Realisation.status == RealisationStatus.VERIFIED,
    )
    if year is not None:
        query = query.where(
            Realisation.period_date >= date(year, 1, 1),
            Realisation.period_date <= date(year, 12, 31),
        )
    latest: dict[int, Realisation] = {}
    for entry in session.scalars(query.order_by(Realisation.period_date, Realisation.id)):
        latest[entry.indicator_id] = entry
    return latest


# --- bulk import -----------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """The rows of a CSV (UTF-8, comma or semicolon) or XLSX file, as text."""
    if filename.lower().endswith(".xlsx"):
        import openpyxl  # type: ignore[import-untyped]  # no stubs published

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:  # not a workbook
            raise InvalidInput(errors={"file": ["Berkas XLSX tidak dapat dibaca."]}) from error
        sheet = book.worksheets[0]
        return [
            ["" if c is None else _cell(c) for c in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            errors={"file": ["Berkas CSV harus UTF-8 (atau unggah XLSX)."]}
        ) from None
    # The header line says the delimiter (Excel in Indonesian saves CSV with semicolons); a
    # sniffer would be misled by quotes and semicolons inside notes.
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        raise InvalidInput(errors={"file": [f"Berkas CSV rusak: {error}."]}) from error


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def import_rows(
    session: Session,
    *,
    actor: Actor,
    rows: list[list[str]],
    source: EntrySource = EntrySource.IMPORT,
) -> ImportReport:
    """Check every row (``indicator,date,value,note``), then store all of them or none."""
    permissions.require(actor, REPORT, owner_pd=actor.pd_kode)  # before reading any row
    report = ImportReport(rows=max(len(rows) - 1, 0))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if header[:3] != list(IMPORT_COLUMNS[:3]) or header[3:4] not in ([], ["note"]):
        report.problems.append(
            RowProblem(1, "header", "Baris judul harus: indicator,date,value,note.")
        )
        return report
    if report.rows > MAX_IMPORT_ROWS:
        report.problems.append(RowProblem(1, "rows", f"Paling banyak {MAX_IMPORT_ROWS} baris."))
        return report
    indicators = {i.code: i for i in session.scalars(select(Indicator))}
    today = utcnow().astimezone(WIB).date()
    parsed: list[tuple[Indicator, date, float, str]] = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [*row, "", "", "", ""][:4]
        code, raw_date, raw_value, note = (c.strip() for c in cells)
        if not any(cells):
            continue
        indicator = indicators.get(code.upper())
        if indicator is None:
            report.problems.append(
                RowProblem(number, "indicator", f"Indikator tidak dikenal: {code!r}.")
            )
        elif indicator.source_kind is SourceKind.LIVE:
            report.problems.append(RowProblem(number, "indicator", "Indikator dihitung langsung."))
        elif not permissions.can(actor, REPORT, owner_pd=indicator.pd_kode):
            report.problems.append(
                RowProblem(number, "indicator", "Bukan indikator Perangkat Daerah Anda.")
            )
        when: date | None
        try:
            when = date.fromisoformat(raw_date)
        except ValueError:
            report.problems.append(
                RowProblem(number, "date", f"Tanggal bukan YYYY-MM-DD: {raw_date!r}.")
            )
            when = None
        else:
            if when > today:
                report.problems.append(RowProblem(number, "date", "Tanggal di masa depan."))
        try:
            value = float(raw_value.replace(",", ".")) if raw_value else None
        except ValueError:
            value = None
        if value is None or value != value or value in (float("inf"), float("-inf")):
            report.problems.append(
                RowProblem(number, "value", f"Nilai bukan angka: {raw_value!r}.")
            )
        if indicator is not None and when is not None and value is not None:
            parsed.append((indicator, when, value, note[:2000]))
    if report.problems:
        return report
    report.batch = uuid.uuid4().hex[:12]
    now = utcnow()
    session.add_all(
        Realisation(
            indicator_id=indicator.id,
            period_date=when,
            value=value,
            note=note,
            source=source,
            pd_kode=actor.pd_kode or indicator.pd_kode,
            entered_by=actor.label,
            entered_at=now,
            import_batch=report.batch,
        )
        for indicator, when, value, note in parsed
    )
    session.flush()
    report.stored = len(parsed)
    audit.record(
        session,
        actor=actor,
        action="masterplan.realisation.imported",
        object_type="mp_import",
        object_id=report.batch,
        after={"rows": report.stored},
    )
    return report


# --- live metrics ----------------------------------------------------------------------------


def record_live(session: Session, *, day: date | None = None) -> int:
    """Record today's value of every live or dataset indicator (verified: Pontive computed
    it); once a day per indicator. Returns how many were recorded."""
    day = day or utcnow().astimezone(WIB).date()
    live = session.scalars(
        select(Indicator).where(
            Indicator.active.is_(True),
            Indicator.source_kind.in_([SourceKind.LIVE, SourceKind.DATASET]),
        )
    ).all()
    recorded = 0
    for indicator in live:
        exists = session.scalar(
            select(Realisation.id).where(
                Realisation.indicator_id == indicator.id,
                Realisation.period_date == day,
                Realisation.source == EntrySource.LIVE,
            )
        )
        if exists is not None:
            continue
        value = metrics.computed_value(session, indicator)
        if value is None:
            continue
        if indicator.source_kind is SourceKind.LIVE and indicator.live_metric in metrics.METRICS:
            note = metrics.METRICS[indicator.live_metric].source_id
        else:
            note = f"Dataset: {(indicator.source_params or {}).get('resource_id', '')}"
        session.add(
            Realisation(
                indicator_id=indicator.id,
                period_date=day,
                value=value,
                source=EntrySource.LIVE,
                status=RealisationStatus.VERIFIED,
                entered_by=LIVE_ACTOR.label,
                verified_by=LIVE_ACTOR.label,
                verified_at=utcnow(),
                note=note,
            )
        )
        recorded += 1
    return recorded
