"""Realisation in the masterplan API: another system pushes a value, imports many at once
(a CSV/XLSX file or JSON rows, all or nothing), and the technical team reviews entries.

Bearer tokens and API keys work as everywhere; the services decide who may: the owning
agency's officers (or keys bound to that agency) and the technical team report, the
technical team verifies. A refused import answers 422 with every problem by row and column,
and stores nothing.
"""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from pontive.core import permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.masterplan import monitoring, service
from pontive.masterplan.choices import EntrySource
from pontive.masterplan.console_monitoring_support import may_follow
from pontive.masterplan.models import Indicator, Realisation
from pontive.masterplan.schemas import (
    ImportProblem,
    ImportRefused,
    ImportResult,
    ImportRows,
    RealisationPush,
    RealisationRead,
    ReviewWrite,
)
from pontive.masterplan.service import REPORT
from pontive.web.deps import CurrentActor, DbSession, Lang
from pontive.web.openapi import document_schema
from pontive.web.routing import PontiveRouter

router = PontiveRouter()
BASE = "/api/v1/masterplan"
MAX_IMPORT_BYTES = 20 * 1024 * 1024
TABLE_SUFFIXES = (".csv", ".xlsx")

document_schema(ImportRows)
# FastAPI cannot declare a JSON body and a multipart alternative on one route by itself.
_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ImportRows"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "CSV (UTF-8, comma or semicolon) or XLSX with the "
                            "columns indicator,date,value,note.",
                        }
                    },
                }
            },
        },
    }
}


def _entry(session: DbSession, actor: Actor, entry_id: int) -> tuple[Realisation, str]:
    """An entry the caller follows, with its indicator's code (NotFound otherwise)."""
    entry = monitoring.get_entry(session, entry_id)
    indicator = session.get(Indicator, entry.indicator_id)
    if indicator is None or not may_follow(actor, indicator):
        raise NotFound("Entri realisasi tidak ditemukan.", "Realisation entry not found.")
    return entry, indicator.code


@router.post("/indicators/{code}/realisations", response_model=RealisationRead, status_code=201)
def push_realisation(
    code: str, body: RealisationPush, response: Response, session: DbSession, actor: CurrentActor
) -> RealisationRead:
    """Push a value of an indicator (it awaits the technical team's verification)."""
    indicator = service.get_indicator(session, code.upper())
    entry = monitoring.report_value(
        session,
        actor=actor,
        indicator=indicator,
        period_date=body.date,
        value=body.value,
        note=body.note,
        source=EntrySource.API,
    )
    session.commit()
    response.headers["Location"] = f"{BASE}/realisations/{entry.id}"
    return RealisationRead.of(entry, indicator.code)


@router.get("/realisations/{entry_id}", response_model=RealisationRead)
def read_realisation(entry_id: int, session: DbSession, actor: CurrentActor) -> RealisationRead:
    """One entry with its evidence (staff who follow its indicator)."""
    entry, code = _entry(session, actor, entry_id)
    return RealisationRead.of(entry, code)


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """The rows of an import, and whether they came as JSON (whose rows count from 1)."""

    rows: list[list[str]]
    is_json: bool


async def read_import_request(request: Request) -> ImportRequest:
    """The rows from a multipart ``file`` (CSV or XLSX) or from a JSON body."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        try:
            body = ImportRows.model_validate_json(await request.body())
        except ValidationError as error:
            raise RequestValidationError(error.errors(include_url=False)) from None
        return ImportRequest(
            [list(monitoring.IMPORT_COLUMNS), *(r.cells() for r in body.rows)], True
        )
    form = await request.form(max_files=1)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput(errors={"file": ["Kirim berkas CSV atau XLSX sebagai 'file'."]})
        data = await upload.read(MAX_IMPORT_BYTES + 1)
        name = upload.filename
    finally:
        await form.close()
    return ImportRequest(read_table_or_refuse(data, name), False)


def read_table_or_refuse(data: bytes, filename: str) -> list[list[str]]:
    """The rows of an uploaded table, or InvalidInput saying why it cannot be read."""
    if len(data) > MAX_IMPORT_BYTES:
        raise InvalidInput(errors={"file": ["Berkas lebih dari 20 MB."]})
    if not filename.lower().endswith(TABLE_SUFFIXES):
        raise InvalidInput(errors={"file": ["Berkas harus CSV atau XLSX."]})
    try:
        return monitoring.read_table(data, filename)
    # A damaged or mislabelled file: openpyxl raises these for what is not a workbook.
    except (UnicodeDecodeError, csv.Error, zipfile.BadZipFile, KeyError, ValueError) as error:
        message = "Berkas tidak dapat dibaca (CSV UTF-8 atau XLSX)."
        raise InvalidInput(errors={"file": [message]}) from error


def refused_import(report: monitoring.ImportReport, *, is_json: bool, lang: str) -> JSONResponse:
    """The 422 answer of a refused import: the platform's shape plus every problem."""
    offset = 1 if is_json else 0
    problems = [ImportProblem.of(p, offset=offset) for p in report.problems]
    detail = (
        f"{len(problems)} problems; nothing was imported."
        if lang == "en"
        else f"{len(problems)} masalah; tidak ada baris yang diimpor."
    )
    errors = {"rows": [f"{p.row} · {p.column}: {p.message}" for p in problems]}
    body = ImportRefused(detail=detail, errors=errors, problems=problems)
    return JSONResponse(body.model_dump(), status_code=422)


@router.post(
    "/realisations/import",
    response_model=ImportResult,
    status_code=201,
    openapi_extra=_IMPORT_BODY,
    responses={422: {"model": ImportRefused, "description": "Refused: nothing stored."}},
)
def import_realisations(
    body: Annotated[ImportRequest, Depends(read_import_request)],
    session: DbSession,
    actor: CurrentActor,
    lang: Lang,
) -> Any:
    """Import many values at once (columns ``indicator,date,value,note``): every row is
    checked first, then all are stored (awaiting verification) or, on any problem, none."""
    permissions.require(actor, REPORT, owner_pd=actor.pd_kode)  # who reports nothing: 401/403
    service_source = EntrySource.API if body.is_json else EntrySource.IMPORT
    report = monitoring.import_rows(session, actor=actor, rows=body.rows, source=service_source)
    if not report.ok:  # nothing was added: no rollback needed
        return refused_import(report, is_json=body.is_json, lang=lang)
    session.commit()
    return ImportResult.of(report)


@router.post("/realisations/{entry_id}/review", response_model=RealisationRead)
def review_realisation(
    entry_id: int, body: ReviewWrite, session: DbSession, actor: CurrentActor
) -> RealisationRead:
    """Verify (``approve``) or reject (with the reason in ``note``) a submitted entry; a
    verified correction supersedes the entry it replaces."""
    entry, code = _entry(session, actor, entry_id)
    monitoring.review(session, actor=actor, entry=entry, approve=body.approve, note=body.note)
    session.commit()
    return RealisationRead.of(entry, code)
