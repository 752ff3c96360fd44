"""The year's budget lines as CSV (the import's columns, so a file round-trips) and as a
Fiscal Data Package (OpenSpending, spec 0.3): a ZIP holding ``datapackage.json`` and the CSV,
with look-up tables for the agencies, programmes, categories and sources.

The package's ``model`` maps the CSV to fiscal concepts: eight measures (planned and realised
per quarter, in IDR, each with its quarter as ``fiscalPeriod``; planned is the approved
budget, realised the executed one) and the dimensions: the administrative classification
(the Perangkat Daerah), the functional classification (the Smart City dimension, through the
programme), the Pasal 24(2) category (what the money buys: an economic classification), the
regional budget classification of Permendagri 90/2019 (program → kegiatan → sub-kegiatan),
the Smart City programme and activity, the funding source (Pasal 24(1)), the budget line and
the fiscal year.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.budget import service
from pontive.budget.choices import Category, FundingSource
from pontive.budget.importer import COLUMN_NAMES, QUARTERS, plain_amount
from pontive.budget.models import BudgetLine
from pontive.masterplan.models import Activity, Programme
from pontive.reference import service as reference

LINES = "budget-lines"
CURRENCY = "IDR"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
_QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def quarter_period(year: int, quarter: int) -> dict[str, str]:
    """The quarter's first and last day as an FDP ``fiscalPeriod``."""
    month, day = _QUARTER_ENDS[quarter]
    start = date(year, month - 2, 1)
    return {"start": start.isoformat(), "end": date(year, month, day).isoformat()}


def line_codes(session: Session, lines: list[BudgetLine]) -> tuple[dict[int, str], dict[int, str]]:
    """The codes of the programmes and activities of ``lines``, by id (two queries)."""
    programme_ids = {line.programme_id for line in lines if line.programme_id is not None}
    activity_ids = {line.activity_id for line in lines if line.activity_id is not None}
    programmes: dict[int, str] = {}
    activities: dict[int, str] = {}
    if programme_ids:
        query = select(Programme.id, Programme.code).where(Programme.id.in_(programme_ids))
        programmes = {pid: code for pid, code in session.execute(query)}
    if activity_ids:
        query = select(Activity.id, Activity.code).where(Activity.id.in_(activity_ids))
        activities = {aid: code for aid, code in session.execute(query)}
    return programmes, activities


def line_rows(session: Session, *, year: int) -> list[list[str]]:
    """The header and one row per line of ``year`` (amounts as ``1250000.00``)."""
    return _rows(session, service.list_lines(session, year=year))


def _rows(session: Session, lines: list[BudgetLine]) -> list[list[str]]:
    programmes, activities = line_codes(session, lines)
    rows = [list(COLUMN_NAMES)]
    for line in lines:
        quarters = {q.quarter: q for q in line.quarters}
        planned = [plain_amount(quarters[q].planned) if q in quarters else "0.00" for q in QUARTERS]
        realised = [
            plain_amount(quarters[q].realised) if q in quarters else "0.00" for q in QUARTERS
        ]
        rows.append(
            [
                str(line.year),
                line.code,
                line.name,
                line.pd_kode,
                line.source.value,
                line.category.value,
                programmes.get(line.programme_id or 0, ""),
                activities.get(line.activity_id or 0, ""),
                line.kode_program,
                line.kode_kegiatan,
                line.kode_subkegiatan,
                *planned,
                *realised,
                line.source_detail,
                line.note,
            ]
        )
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)  # RFC 4180
    return out.getvalue().encode("utf-8")


def lines_csv(session: Session, *, year: int) -> bytes:
    """The lines of ``year`` as CSV, UTF-8, the import's columns."""
    return _csv(line_rows(session, year=year))


def csv_name(year: int) -> str:
    """The download name of the year's CSV."""
    return f"anggaran-smart-city-{year}.csv"


# --- Fiscal Data Package ---------------------------------------------------------------------


def _field(name: str, kind: str, title: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "title": title, **more}


def _line_fields() -> list[dict[str, Any]]:
    fields = [
        _field("year", "integer", "Tahun anggaran", constraints={"required": True}),
        _field("code", "string", "Kode baris", constraints={"required": True}),
        _field("name", "string", "Uraian"),
        _field("pd_kode", "string", "Kode Perangkat Daerah", constraints={"required": True}),
        _field(
            "source",
            "string",
            "Sumber dana (Pasal 24 ayat 1)",
            constraints={"required": True, "enum": [s.value for s in FundingSource]},
        ),
        _field(
            "category",
            "string",
            "Kategori (Pasal 24 ayat 2)",
            constraints={"required": True, "enum": [c.value for c in Category]},
        ),
        _field("programme_code", "string", "Kode program masterplan"),
        _field("activity_code", "string", "Kode kegiatan masterplan"),
        _field("kode_program", "string", "Kode program (Permendagri 90/2019)"),
        _field("kode_kegiatan", "string", "Kode kegiatan (Permendagri 90/2019)"),
        _field("kode_subkegiatan", "string", "Kode sub-kegiatan (Permendagri 90/2019)"),
    ]
    for kind, title in (("planned", "Pagu"), ("realised", "Realisasi")):
        fields += [
            _field(
                f"{kind}_q{q}", "number", f"{title} triwulan {q} (Rp)", constraints={"minimum": 0}
            )
            for q in QUARTERS
        ]
    fields += [
        _field("source_detail", "string", "Rincian sumber dana"),
        _field("note", "string", "Catatan"),
    ]
    return fields


def _foreign_key(field: str, resource: str, target: str) -> dict[str, Any]:
    return {"fields": field, "reference": {"resource": resource, "fields": target}}


def _resources(year: int) -> list[dict[str, Any]]:
    def table(name: str, path: str, title: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": name,
            "path": path,
            "title": title,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        }

    lines_schema = {
        "fields": _line_fields(),
        "primaryKey": ["year", "code"],
        "missingValues": [""],
        "foreignKeys": [
            _foreign_key("pd_kode", "perangkat-daerah", "pd_kode"),
            _foreign_key("programme_code", "programmes", "programme_code"),
            _foreign_key("category", "categories", "category"),
            _foreign_key("source", "sources", "source"),
        ],
    }
    return [
        table(LINES, f"data/{csv_name(year)}", f"Baris anggaran Smart City {year}", lines_schema),
        table(
            "perangkat-daerah",
            "data/perangkat-daerah.csv",
            "Perangkat Daerah",
            {
                "fields": [
                    _field("pd_kode", "string", "Kode"),
                    _field("pd_singkatan", "string", "Singkatan"),
                    _field("pd_nama", "string", "Nama"),
                ],
                "primaryKey": "pd_kode",
            },
        ),
        table(
            "programmes",
            "data/program.csv",
            "Program masterplan Smart City",
            {
                "fields": [
                    _field("programme_code", "string", "Kode program"),
                    _field("programme_name", "string", "Nama program"),
                    _field("dimensi_kode", "string", "Kode dimensi"),
                    _field("dimensi_nama", "string", "Dimensi Smart City"),
                ],
                "primaryKey": "programme_code",
            },
        ),
        table(
            "categories",
            "data/kategori.csv",
            "Kategori pembiayaan (Pasal 24 ayat 2)",
            {
                "fields": [
                    _field("category", "string", "Kode"),
                    _field("category_label_id", "string", "Kategori"),
                    _field("category_label_en", "string", "Category"),
                ],
                "primaryKey": "category",
            },
        ),
        table(
            "sources",
            "data/sumber-dana.csv",
            "Sumber dana (Pasal 24 ayat 1)",
            {
                "fields": [
                    _field("source", "string", "Kode"),
                    _field("source_label_id", "string", "Sumber dana"),
                    _field("source_label_en", "string", "Funding source"),
                ],
                "primaryKey": "source",
            },
        ),
    ]


def _measures(year: int) -> dict[str, Any]:
    measures: dict[str, Any] = {}
    for kind, phase, title in (
        ("planned", "approved", "Pagu"),
        ("realised", "executed", "Realisasi"),
    ):
        for quarter in QUARTERS:
            name = f"{kind}_q{quarter}"
            measures[name] = {
                "source": name,
                "resource": LINES,
                "title": f"{title} triwulan {quarter} {year}",
                "currency": CURRENCY,
                "factor": 1,
                "direction": "expenditure",
                "phase": phase,
                "fiscalPeriod": quarter_period(year, quarter),
            }
    return measures


def _attr(source: str, resource: str = LINES, **more: str) -> dict[str, str]:
    return {"source": source, "resource": resource, **more}


def _dimensions() -> dict[str, Any]:
    return {
        "fiscal-year": {
            "dimensionType": "datetime",
            "attributes": {"year": _attr("year")},
            "primaryKey": "year",
        },
        "budget-line": {
            "dimensionType": "fact",
            "attributes": {"code": _attr("code"), "title": _attr("name", labelfor="code")},
            "primaryKey": "code",
        },
        "administrative-classification": {
            "dimensionType": "classification",
            "classificationType": "administrative",
            "attributes": {
                "code": _attr("pd_kode"),
                "abbreviation": _attr("pd_singkatan", "perangkat-daerah", labelfor="code"),
                "title": _attr("pd_nama", "perangkat-daerah", labelfor="code"),
            },
            "primaryKey": "code",
        },
        "functional-classification": {
            "dimensionType": "classification",
            "classificationType": "functional",
            "description": "Dimensi Smart City (Perda 9/2022 Pasal 9) melalui program.",
            "attributes": {
                "code": _attr("dimensi_kode", "programmes"),
                "title": _attr("dimensi_nama", "programmes", labelfor="code"),
            },
            "primaryKey": "code",
        },
        "pasal24-category": {
            "dimensionType": "classification",
            "classificationType": "economic",
            "description": "Kategori pembiayaan Perda 9/2022 Pasal 24 ayat 2 huruf a-g.",
            "attributes": {
                "code": _attr("category"),
                "title": _attr("category_label_id", "categories", labelfor="code"),
            },
            "primaryKey": "code",
        },
        "regional-budget-classification": {
            "dimensionType": "activity",
            "description": "Program, kegiatan dan sub-kegiatan (Permendagri 90/2019).",
            "attributes": {
                "program": _attr("kode_program"),
                "kegiatan": _attr("kode_kegiatan", parent="program"),
                "code": _attr("kode_subkegiatan", parent="kegiatan"),
            },
            "primaryKey": ["program", "kegiatan", "code"],
        },
        "programme": {
            "dimensionType": "activity",
            "description": "Program dan kegiatan masterplan Smart City.",
            "attributes": {
                "id": _attr("programme_code"),
                "title": _attr("programme_name", "programmes", labelfor="id"),
                "activity": _attr("activity_code", parent="id"),
            },
            "primaryKey": ["id", "activity"],
        },
        "account": {
            "dimensionType": "entity",
            "description": "Sumber dana (Pasal 24 ayat 1): APBD atau sumber lain yang sah.",
            "attributes": {
                "code": _attr("source"),
                "title": _attr("source_label_id", "sources", labelfor="code"),
                "detail": _attr("source_detail"),
            },
            "primaryKey": "code",
        },
    }


def datapackage(year: int, *, homepage: str = "") -> dict[str, Any]:
    """The ``datapackage.json`` descriptor of ``year``'s package."""
    descriptor: dict[str, Any] = {
        "name": f"pontianak-smart-city-budget-{year}",
        "title": f"Anggaran Smart City Kota Pontianak {year}",
        "description": (
            "Pembiayaan Smart City (Perda Kota Pontianak 9/2022 Pasal 24): pagu dan realisasi "
            "per triwulan menurut sumber dana, kategori, Perangkat Daerah, program dan "
            "klasifikasi Permendagri 90/2019."
        ),
        "profile": "fiscal-data-package",
        "profiles": {"fiscal": "*", "tabular": "*"},
        "version": "0.3.0",
        "countryCode": "ID",
        "regionCode": "ID-KB",
        "cityCode": "6171",
        "granularity": "aggregated",
        "fiscalPeriod": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "licenses": [LICENCE],
        "resources": _resources(year),
        "model": {"measures": _measures(year), "dimensions": _dimensions()},
    }
    if homepage:
        descriptor["homepage"] = homepage
    return descriptor


def _lookups(session: Session, lines: list[BudgetLine]) -> dict[str, list[list[str]]]:
    pds = {
        pd.kode: pd for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }
    dimensions = {d.kode: d.nama_id for d in reference.list_dimensi(session=session)}
    programme_ids = {line.programme_id for line in lines if line.programme_id is not None}
    programmes = list(
        session.scalars(
            select(Programme).where(Programme.id.in_(programme_ids)).order_by(Programme.code)
        )
    )
    used_pds = sorted({line.pd_kode for line in lines})
    return {
        "perangkat-daerah": [
            ["pd_kode", "pd_singkatan", "pd_nama"],
            *([k, pds[k].singkatan, pds[k].nama] for k in used_pds if k in pds),
        ],
        "programmes": [
            ["programme_code", "programme_name", "dimensi_kode", "dimensi_nama"],
            *(
                [p.code, p.name, p.dimensi_kode, dimensions.get(p.dimensi_kode, "")]
                for p in programmes
            ),
        ],
        "categories": [
            ["category", "category_label_id", "category_label_en"],
            *([c.value, c.label("id"), c.label("en")] for c in Category),
        ],
        "sources": [
            ["source", "source_label_id", "source_label_en"],
            *([s.value, s.label("id"), s.label("en")] for s in FundingSource),
        ],
    }


def fiscal_data_package(session: Session, *, year: int, homepage: str = "") -> bytes:
    """The ZIP of ``year``'s Fiscal Data Package."""
    descriptor = datapackage(year, homepage=homepage)
    lines = service.list_lines(session, year=year)
    tables = _lookups(session, lines)
    paths = {resource["name"]: resource["path"] for resource in descriptor["resources"]}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        text = json.dumps(descriptor, ensure_ascii=False, indent=2)
        archive.writestr("datapackage.json", text)
        archive.writestr(paths[LINES], _csv(_rows(session, lines)))
        for name, rows in tables.items():
            archive.writestr(paths[name], _csv(rows))
    return out.getvalue()


def package_name(year: int) -> str:
    """The download name of the year's package."""
    return f"anggaran-smart-city-{year}-fdp.zip"


# --- totals with their labels (the dashboards and the API) ---------------------------------

GROUPINGS = ("category", "source", "pd", "dimension")


@dataclass(frozen=True, slots=True)
class Group:
    """A group's key, label, colour and sums."""

    key: str
    label: str
    colour: str
    totals: service.Totals


def grouped_totals(session: Session, *, year: int, by: str, lang: str = "id") -> list[Group]:
    """``year``'s totals by ``by`` (one of ``GROUPINGS``), labelled in ``lang``, in the law's
    order for categories and sources, the reference order for dimensions (lines outside any
    programme last) and by planned amount for agencies."""
    sums = service.totals_by(session, year=year, key=by)
    zero = service.Totals(Decimal(0), Decimal(0))
    if by == "category":
        return [
            Group(c.value, c.label(lang), c.meta.colour, sums.get(c.value, zero)) for c in Category
        ]
    if by == "source":
        return [
            Group(s.value, s.label(lang), s.meta.colour, sums.get(s.value, zero))
            for s in FundingSource
        ]
    if by == "dimension":
        groups = [
            Group(d.kode, d.nama_en if lang == "en" else d.nama_id, d.warna, sums.get(d.kode, zero))
            for d in reference.list_dimensi(session=session)
        ]
        if "" in sums:
            label = "Outside any programme" if lang == "en" else "Di luar program"
            groups.append(Group("", label, "#5b6b7a", sums[""]))
        return groups
    if by == "pd":
        names = {
            pd.kode: pd.singkatan
            for pd in reference.list_perangkat_daerah(session=session, active_only=False)
        }
        ordered = sorted(sums.items(), key=lambda item: (-item[1].planned, item[0]))
        return [Group(k, names.get(k, k), "#1d6fa5", v) for k, v in ordered]
    raise ValueError(f"unknown grouping {by!r}")
