"""Budget lines (Perda 9/2022 Pasal 24) and their totals: per programme or activity and year,
by source and category, planned and realised by quarter. The technical team keeps the lines;
each agency reports the realisation of its own lines. Permissions are declared with the
masterplan's (``masterplan/service.py``: ``BUDGET_MANAGE``, ``BUDGET_REPORT``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pontive.budget.choices import Category, FundingSource
from pontive.budget.models import BudgetLine, BudgetQuarter
from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.masterplan.models import Activity, Programme
from pontive.masterplan.service import BUDGET_MANAGE, BUDGET_REPORT
from pontive.reference import service as reference

QUARTERS = (1, 2, 3, 4)
ZERO = Decimal(0)


@dataclass(slots=True)
class LineInput:
    """A budget line as typed (amounts as text or numbers, per quarter)."""

    year: int
    code: str
    name: str
    pd_kode: str
    source: str
    category: str
    programme_code: str | None = None
    activity_code: str | None = None
    source_detail: str = ""
    kode_program: str = ""
    kode_kegiatan: str = ""
    kode_subkegiatan: str = ""
    note: str = ""
    planned: dict[int, Any] = field(default_factory=dict)  # quarter → amount


@dataclass(frozen=True, slots=True)
class Totals:
    """Planned and realised sums, and the realisation rate."""

    planned: Decimal
    realised: Decimal

    @property
    def rate(self) -> float | None:
        """Realised ÷ planned (None when nothing was planned)."""
        return float(self.realised / self.planned) if self.planned else None


# Rupiah typed the Indonesian way: dots group thousands, a comma starts at most two decimals
# ("1.250.000", "1.250.000,50", "1250000,5"); a machine's "1250000.50" is read too. One dot
# followed by three digits ("1.250") groups thousands: rupiah have two decimals at most.
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?")
_COMMA_DECIMALS = re.compile(r"\d+(?:,\d{1,2})?")
_DOT_DECIMALS = re.compile(r"\d+(?:\.\d{1,2})?")
MAX_AMOUNT = Decimal(10) ** 16  # Numeric(18, 2): sixteen digits before the decimals


def amount(raw: Any) -> Decimal:
    """A rupiah amount from text (``Rp 1.250.000``, ``1.250.000,50``) or a number, to the
    sen; ``ValueError`` when it is not one (negative, too large, English grouping, empty)."""
    if isinstance(raw, Decimal | int | float) and not isinstance(raw, bool):
        value = Decimal(str(raw))
    else:
        text = re.sub(r"\s+", "", str(raw if raw is not None else ""))
        text = re.sub(r"^(?:Rp\.?|IDR)", "", text, flags=re.IGNORECASE)
        text = text.removesuffix(",-").removesuffix(".-")
        if _GROUPED.fullmatch(text) or _COMMA_DECIMALS.fullmatch(text):
            text = text.replace(".", "").replace(",", ".")
        elif not _DOT_DECIMALS.fullmatch(text):
            raise ValueError(f"not a rupiah amount: {raw!r}")
        value = Decimal(text)
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
        raise ValueError(f"not a rupiah amount: {raw!r}")
    return value.quantize(Decimal("0.01"))


def _line_state(line: BudgetLine) -> dict[str, Any]:
    return {
        "year": line.year,
        "code": line.code,
        "pd": line.pd_kode,
        "source": line.source.value,
        "category": line.category.value,
        "quarters": {str(q.quarter): [str(q.planned), str(q.realised)] for q in line.quarters},
    }


def list_lines(
    session: Session, *, year: int | None = None, pd_kode: str | None = None
) -> list[BudgetLine]:
    """Budget lines with their quarters, by year and code."""
    query = select(BudgetLine).options(selectinload(BudgetLine.quarters))
    if year is not None:
        query = query.where(BudgetLine.year == year)
    if pd_kode is not None:
        query = query.where(BudgetLine.pd_kode == pd_kode)
    return list(session.scalars(query.order_by(BudgetLine.year, BudgetLine.code)))


def get_line(session: Session, line_id: int) -> BudgetLine:
    """One budget line, or NotFound."""
    line = session.get(BudgetLine, line_id)
    if line is None:
        raise NotFound("Baris anggaran tidak ditemukan.", "Budget line not found.")
    return line


def check_line(session: Session, data: LineInput) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The clean values of ``data`` and every problem, by field (for forms and imports)."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    if not 2000 <= data.year <= 2100:
        errors["year"] = ["Tahun anggaran tidak valid."]
    if not data.code.strip() or len(data.code.strip()) > 60:
        errors["code"] = ["Kode baris 1 sampai 60 huruf."]
    if not 3 <= len(data.name.strip()) <= 300:
        errors["name"] = ["Uraian 3 sampai 300 huruf."]
    if reference.get_perangkat_daerah(session=session, kode=data.pd_kode) is None:
        errors["pd_kode"] = ["Perangkat Daerah tidak dikenal."]
    try:
        clean["source"] = FundingSource(data.source)
    except ValueError:
        errors["source"] = ["Sumber dana: apbd atau lainnya."]
    try:
        clean["category"] = Category(data.category)
    except ValueError:
        errors["category"] = ["Kategori Pasal 24: " + ", ".join(c.value for c in Category) + "."]
    clean["programme_id"] = clean["activity_id"] = None
    programme_code = (data.programme_code or "").strip().upper()
    activity_code = (data.activity_code or "").strip().upper()
    if programme_code:
        programme = session.scalar(select(Programme).where(Programme.code == programme_code))
        if programme is None:
            errors["programme_code"] = [f"Program tidak dikenal: {programme_code}."]
        else:
            clean["programme_id"] = programme.id
    if activity_code:
        activity = session.scalar(select(Activity).where(Activity.code == activity_code))
        if activity is None:
            errors["activity_code"] = [f"Kegiatan tidak dikenal: {activity_code}."]
        elif clean["programme_id"] is not None and activity.programme_id != clean["programme_id"]:
            errors["activity_code"] = [f"Kegiatan {activity_code} bukan bagian program itu."]
        else:
            clean["activity_id"], clean["programme_id"] = activity.id, activity.programme_id
    planned: dict[int, Decimal] = {}
    for quarter, raw in data.planned.items():
        if quarter not in QUARTERS:
            errors.setdefault("planned", []).append(f"Triwulan {quarter} tidak ada (1-4).")
            continue
        try:
            planned[quarter] = amount(raw)
        except ValueError:
            errors.setdefault("planned", []).append(f"Pagu triwulan {quarter} bukan jumlah rupiah.")
    clean["planned"] = planned
    return clean, errors


def save_line(
    session: Session, *, actor: Actor, data: LineInput, line: BudgetLine | None = None
) -> BudgetLine:
    """Create (``line=None``) or change a budget line and its planned amounts."""
    permissions.require(actor, BUDGET_MANAGE)
    clean, errors = check_line(session, data)
    code = data.code.strip().upper()
    clash = session.scalar(
        select(BudgetLine.id).where(BudgetLine.year == data.year, BudgetLine.code == code)
    )
    if clash is not None and (line is None or clash != line.id):
        errors["code"] = ["Kode baris sudah dipakai tahun itu."]
    if errors:
        raise InvalidInput("Baris anggaran tidak valid.", "Invalid budget line.", errors=errors)
    before = _line_state(line) if line is not None else None
    if line is None:
        line = BudgetLine(year=data.year, code=code)
        session.add(line)
    line.year, line.code, line.name = data.year, code, " ".join(data.name.split())
    line.pd_kode, line.source, line.category = data.pd_kode, clean["source"], clean["category"]
    line.programme_id, line.activity_id = clean["programme_id"], clean["activity_id"]
    line.source_detail = data.source_detail.strip()[:200]
    line.kode_program, line.kode_kegiatan = data.kode_program.strip(), data.kode_kegiatan.strip()
    line.kode_subkegiatan, line.note = data.kode_subkegiatan.strip(), data.note.strip()
    line.updated_by, line.updated_at = actor.label, utcnow()
    have = {q.quarter: q for q in line.quarters}
    for quarter in QUARTERS:
        row = have.get(quarter)
        if row is None:
            row = BudgetQuarter(quarter=quarter, planned=ZERO, realised=ZERO)
            line.quarters.append(row)
        if quarter in clean["planned"]:
            row.planned = clean["planned"][quarter]
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="budget.line.saved",
        object_type="budget_line",
        object_id=f"{line.year}:{line.code}",
        before=before,
        after=_line_state(line),
    )
    return line


def report_realisation(
    session: Session, *, actor: Actor, line: BudgetLine, quarter: int, realised: Any
) -> BudgetLine:
    """The owning agency (or the technical team) reports a quarter's realised amount."""
    permissions.require(actor, BUDGET_REPORT, owner_pd=line.pd_kode)
    if quarter not in QUARTERS:
        raise InvalidInput(errors={"quarter": ["Triwulan 1 sampai 4."]})
    try:
        value = amount(realised)
    except ValueError:
        raise InvalidInput(errors={"realised": ["Bukan jumlah rupiah."]}) from None
    row = next((q for q in line.quarters if q.quarter == quarter), None)
    if row is None:
        raise Conflict("Triwulan itu belum dianggarkan.", "That quarter has no budget.")
    before = _line_state(line)
    row.realised = value
    line.updated_by, line.updated_at = actor.label, utcnow()
    audit.record(
        session,
        actor=actor,
        action="budget.line.realised",
        object_type="budget_line",
        object_id=f"{line.year}:{line.code}",
        before=before,
        after=_line_state(line),
    )
    return line


def totals(lines: Iterable[BudgetLine]) -> Totals:
    """Planned and realised over ``lines``."""
    planned = realised = ZERO
    for line in lines:
        for quarter in line.quarters:
            planned += Decimal(quarter.planned)
            realised += Decimal(quarter.realised)
    return Totals(planned, realised)


def totals_by(session: Session, *, year: int, key: str) -> dict[str, Totals]:
    """Totals of ``year`` grouped by ``category``, ``source``, ``pd`` or ``dimension``."""
    lines = list_lines(session, year=year)
    dimension_of: dict[int, str] = {}
    if key == "dimension":
        query = select(Programme.id, Programme.dimensi_kode)
        dimension_of = {programme_id: kode for programme_id, kode in session.execute(query)}
    groups: dict[str, list[BudgetLine]] = defaultdict(list)
    for line in lines:
        if key == "category":
            groups[line.category.value].append(line)
        elif key == "source":
            groups[line.source.value].append(line)
        elif key == "pd":
            groups[line.pd_kode].append(line)
        elif key == "dimension":
            groups[dimension_of.get(line.programme_id or -1, "")].append(line)
        else:
            raise ValueError(f"unknown grouping {key!r}")
    return {name: totals(group) for name, group in groups.items()}
