"""The budget API (``/api/v1/budget``): budget lines (Perda 9/2022 Pasal 24) with their
quarters, the realisation of a quarter, totals by category, source, agency or dimension,
imports from spreadsheets, and the year as CSV or as a Fiscal Data Package.

Every staff role reads; the technical team and admins create, change and import lines; a PD
officer reports the realisation of its own agency's lines only (the technical team of any).
Bearer tokens and API keys work as everywhere. Every write commits. Errors are
``{"detail","errors"}``; an import with problems answers 422 with one error per problem under
``"<row>:<column>"`` and stores nothing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import File, Query, Request, Response, UploadFile
from sqlalchemy.orm import Session

from pontive.budget import exports, importer, service
from pontive.budget.models import BudgetLine
from pontive.budget.schemas import (
    ImportRead,
    LinePatch,
    LineRead,
    LineWrite,
    RealisationWrite,
    TotalRead,
    TotalsRead,
    money,
)
from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.masterplan.service import BUDGET_MANAGE, READ
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

BASE = "/api/v1/budget"
MAX_UPLOAD = 10 * 1024 * 1024
Year = Annotated[int, Query(ge=2000, le=2100)]

router = PontiveRouter(prefix=BASE, tags=["budget"])


def read_lines(session: Session, lines: list[BudgetLine]) -> list[LineRead]:
    """The API shapes of ``lines``, their programme and activity codes in two queries."""
    programmes, activities = exports.line_codes(session, lines)
    return [
        LineRead.of(
            line,
            programmes.get(line.programme_id) if line.programme_id else None,
            activities.get(line.activity_id) if line.activity_id else None,
        )
        for line in lines
    ]


def _line(session: Session, actor: Actor, line_id: int) -> BudgetLine:
    permissions.require(actor, READ)
    return service.get_line(session, line_id)


@router.get("/lines", response_model=list[LineRead])
def list_lines(
    session: DbSession,
    actor: CurrentActor,
    year: Year,
    pd: Annotated[str | None, Query(max_length=40)] = None,
) -> list[LineRead]:
    """The lines of ``year`` (optionally one agency's), by code."""
    permissions.require(actor, READ)
    return read_lines(session, service.list_lines(session, year=year, pd_kode=pd or None))


@router.get("/lines/{line_id}", response_model=LineRead)
def read_line(line_id: int, session: DbSession, actor: CurrentActor) -> LineRead:
    """One line with its quarters."""
    return read_lines(session, [_line(session, actor, line_id)])[0]


@router.post("/lines", response_model=LineRead, status_code=201)
def create_line(
    body: LineWrite, response: Response, session: DbSession, actor: CurrentActor
) -> LineRead:
    """Add a line (the technical team); ``(year, code)`` must be new."""
    _refuse_mismatch(session, body.as_input())
    line = service.save_line(session, actor=actor, data=body.as_input())
    session.commit()
    response.headers["Location"] = f"{BASE}/lines/{line.id}"
    return read_lines(session, [line])[0]


@router.patch("/lines/{line_id}", response_model=LineRead)
def update_line(line_id: int, body: LinePatch, session: DbSession, actor: CurrentActor) -> LineRead:
    """Change a line: the fields sent replace, the others are kept."""
    line = _line(session, actor, line_id)
    data = body.over(read_lines(session, [line])[0])
    _refuse_mismatch(session, data)
    service.save_line(session, actor=actor, data=data, line=line)
    session.commit()
    return read_lines(session, [line])[0]


def _refuse_mismatch(session: Session, data: service.LineInput) -> None:
    errors = importer.check_input(session, data)
    if "activity_code" in errors:
        raise InvalidInput(errors={"activity_code": errors["activity_code"]})


@router.post("/lines/{line_id}/realisation", response_model=LineRead)
def report_realisation(
    line_id: int, body: RealisationWrite, session: DbSession, actor: CurrentActor
) -> LineRead:
    """Report a quarter's realised amount (the owning agency's officers or the technical
    team)."""
    line = _line(session, actor, line_id)
    service.report_realisation(
        session, actor=actor, line=line, quarter=body.quarter, realised=body.realised
    )
    session.commit()
    return read_lines(session, [line])[0]


@router.get("/totals", response_model=TotalsRead)
def read_totals(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    year: Year,
    by: Literal["category", "source", "pd", "dimension"] = "category",
) -> TotalsRead:
    """Planned and realised sums of ``year`` by category, source, agency or dimension."""
    permissions.require(actor, READ)
    groups = exports.grouped_totals(session, year=year, by=by, lang=get_lang(request))
    total = service.totals(service.list_lines(session, year=year))
    return TotalsRead(
        year=year,
        by=by,
        groups=[
            TotalRead(
                key=g.key,
                label=g.label,
                planned=money(g.totals.planned),
                realised=money(g.totals.realised),
                rate=g.totals.rate,
            )
            for g in groups
        ],
        total=TotalRead(
            key="total",
            label="Total",
            planned=money(total.planned),
            realised=money(total.realised),
            rate=total.rate,
        ),
    )


@router.post("/import", response_model=ImportRead)
def import_lines(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    file: Annotated[UploadFile, File(description="CSV (UTF-8) or XLSX, the export's columns")],
) -> ImportRead:
    """Create or update lines from a spreadsheet, all or none."""
    permissions.require(actor, BUDGET_MANAGE)
    data = file.file.read(MAX_UPLOAD + 1)
    lang = get_lang(request)
    if len(data) > MAX_UPLOAD:
        raise InvalidInput(errors={"file": ["Berkas lebih dari 10 MB."]})
    report = importer.import_file(
        session, actor=actor, data=data, filename=file.filename or "", lang=lang
    )
    if not report.ok:
        errors: dict[str, list[str]] = {}
        for problem in report.problems:
            errors.setdefault(f"{problem.row}:{problem.column}", []).append(problem.message)
        raise InvalidInput(
            f"Impor ditolak: {len(report.problems)} masalah, tidak ada yang disimpan.",
            f"Import refused: {len(report.problems)} problems, nothing stored.",
            errors=errors,
        )
    session.commit()
    return ImportRead(
        rows=report.rows, created=report.created, updated=report.updated, batch=report.batch
    )


@router.get("/export.csv", response_class=Response)
def export_csv(session: DbSession, actor: CurrentActor, year: Year) -> Response:
    """The lines of ``year`` as CSV, the import's columns."""
    permissions.require(actor, READ)
    return Response(
        exports.lines_csv(session, year=year),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{exports.csv_name(year)}"'},
    )


@router.get("/fiscal-data-package.zip", response_class=Response)
def export_package(
    request: Request, session: DbSession, actor: CurrentActor, year: Year
) -> Response:
    """``year`` as a Fiscal Data Package (ZIP: ``datapackage.json`` and CSV files)."""
    permissions.require(actor, READ)
    homepage = f"{request.app.state.settings.base_url.rstrip('/')}/console/anggaran"
    return Response(
        exports.fiscal_data_package(session, year=year, homepage=homepage),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{exports.package_name(year)}"'},
    )
