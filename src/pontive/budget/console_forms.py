"""The budget console's forms: a line as typed (amounts the Indonesian way, one field per
quarter) to the service's input with every problem by field, a line to the values its edit
form starts with, and the realisation of a quarter."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from pontive.budget import importer, service
from pontive.budget.console_support import current_quarter, typed_amount
from pontive.budget.models import BudgetLine
from pontive.masterplan.models import Activity, Programme
from pontive.web.forms import Errors, text

QUARTERS = service.QUARTERS
TEXT_FIELDS = (
    "code", "name", "pd_kode", "source", "category", "programme_code", "activity_code",
    "source_detail", "kode_program", "kode_kegiatan", "kode_subkegiatan", "note",
)  # fmt: skip


def _amount_error(lang: str) -> str:
    if lang == "en":
        return "Not a rupiah amount: write e.g. 1.250.000 or 1.250.000,50."
    return "Bukan jumlah rupiah: tulis mis. 1.250.000 atau 1.250.000,50."


def line_input(session: Session, form: FormData, lang: str) -> tuple[service.LineInput, Errors]:
    """The line typed in ``form`` and every problem found, by field (nothing is stored)."""
    errors: Errors = {}
    raw_year = text(form, "year")
    year = int(raw_year) if raw_year.isdigit() else 0
    planned: dict[int, Any] = {}
    for quarter in QUARTERS:
        field = f"planned_q{quarter}"
        try:
            value = importer.parse_amount(text(form, field))
        except ValueError:
            errors[field] = [_amount_error(lang)]
            continue
        planned[quarter] = value if value is not None else Decimal(0)
    data = service.LineInput(
        year=year,
        code=text(form, "code").upper(),
        name=text(form, "name"),
        pd_kode=text(form, "pd_kode"),
        source=text(form, "source"),
        category=text(form, "category"),
        programme_code=text(form, "programme_code").upper() or None,
        activity_code=text(form, "activity_code").upper() or None,
        source_detail=text(form, "source_detail"),
        kode_program=text(form, "kode_program"),
        kode_kegiatan=text(form, "kode_kegiatan"),
        kode_subkegiatan=text(form, "kode_subkegiatan"),
        note=text(form, "note"),
        planned=planned,
    )
    for field, messages in importer.check_input(session, data, lang=lang).items():
        errors.setdefault(field, []).extend(messages)
    return data, errors


def line_values(session: Session, line: BudgetLine) -> dict[str, str]:
    """What the edit form of ``line`` starts with."""
    programme = activity = ""
    if line.activity_id is not None:
        activity = (
            session.scalar(select(Activity.code).where(Activity.id == line.activity_id)) or ""
        )
    if line.programme_id is not None:
        programme = (
            session.scalar(select(Programme.code).where(Programme.id == line.programme_id)) or ""
        )
    values = {
        "year": str(line.year),
        "code": line.code,
        "name": line.name,
        "pd_kode": line.pd_kode,
        "source": line.source.value,
        "category": line.category.value,
        "programme_code": programme,
        "activity_code": activity,
        "source_detail": line.source_detail,
        "kode_program": line.kode_program,
        "kode_kegiatan": line.kode_kegiatan,
        "kode_subkegiatan": line.kode_subkegiatan,
        "note": line.note,
    }
    quarters = {q.quarter: q for q in line.quarters}
    for quarter in QUARTERS:
        row = quarters.get(quarter)
        values[f"planned_q{quarter}"] = typed_amount(row.planned if row else 0)
    return values


def new_line_values(year: int) -> dict[str, str]:
    """What the new line form starts with."""
    return {"year": str(year), "source": "apbd"} | {f"planned_q{q}": "" for q in QUARTERS}


def realisation_input(form: FormData, lang: str) -> tuple[int, Decimal | None, Errors]:
    """The quarter and realised amount typed in ``form``, and the problems."""
    errors: Errors = {}
    raw = text(form, "quarter")
    quarter = int(raw) if raw in {"1", "2", "3", "4"} else 0
    if not quarter:
        errors["quarter"] = ["Choose a quarter." if lang == "en" else "Pilih triwulan."]
    value: Decimal | None = None
    try:
        value = importer.parse_amount(text(form, "realised"))
    except ValueError:
        errors["realised"] = [_amount_error(lang)]
    else:
        if value is None:
            errors["realised"] = [
                "Type the realised amount." if lang == "en" else "Isi jumlah realisasi."
            ]
    return quarter, value, errors


def default_quarter(line: BudgetLine) -> int:
    """The quarter a report most likely is for: the last one that ended (or the current one
    in its first days), the fourth for past years, the first for future ones."""
    year, quarter = current_quarter()
    if line.year < year:
        return 4
    if line.year > year:
        return 1
    return max(quarter - 1, 1)


def realisation_values(line: BudgetLine) -> dict[str, str]:
    """What the realisation form starts with: the likely quarter and its stored amount."""
    quarter = default_quarter(line)
    stored = next((q.realised for q in line.quarters if q.quarter == quarter), None)
    return {"quarter": str(quarter), "realised": typed_amount(stored) if stored else ""}
