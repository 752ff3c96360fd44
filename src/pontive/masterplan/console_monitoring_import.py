"""Bulk import of realisation values (``…/pemantauan/impor``): a CSV (UTF-8, comma or
semicolon) or XLSX file with the columns ``indicator,date,value,note``, as the downloadable
template shows. Every row is checked first; any problem means the validation report (row,
column, problem) and nothing stored, else every row is stored, awaiting verification.

A PD officer imports its own agency's indicators (another agency's rows are problems); the
technical team imports any. The same rows can be pushed through the API
(``POST /api/v1/masterplan/realisations/import``).
"""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.masterplan import monitoring, service
from pontive.masterplan.api_realisations import MAX_IMPORT_BYTES, read_table_or_refuse
from pontive.masterplan.choices import SourceKind
from pontive.masterplan.console_monitoring_nav import IMPORT, monitor_page
from pontive.masterplan.console_monitoring_support import is_own_agency_only, today
from pontive.masterplan.console_support import Errors, FormBody, flash, refused
from pontive.masterplan.service import REPORT
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
TEMPLATE = f"{IMPORT}/templat.csv"
SHOWN_PROBLEMS = 500  # the report lists this many; the count says how many there are


def _require_reporter(actor: Actor) -> None:
    """Anonymous visitors sign in first; roles that report nothing are refused."""
    permissions.require(actor, REPORT, owner_pd=actor.pd_kode)


def import_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    report: monitoring.ImportReport | None = None,
    errors: Errors | None = None,
    filename: str = "",
    flash_key: str | None = None,
    stored: int | None = None,
    status_code: int = 200,
) -> Response:
    """The import form, with the report of a refused file when there is one."""
    context = {
        "report": report,
        "problems": report.problems[:SHOWN_PROBLEMS] if report else [],
        "errors": errors or {},
        "filename": filename,
        "flash": flash_key,
        "stored": stored,
        "template_url": TEMPLATE,
        "own_pd": actor.pd_kode if is_own_agency_only(actor) else None,
    }
    template = "masterplan/monitor_import.html"
    return monitor_page(request, actor, template, context, current=IMPORT, status_code=status_code)


@router.get(IMPORT, response_class=HTMLResponse)
def show_import(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    ok: Annotated[str, Query(max_length=20)] = "",
    rows: Annotated[int | None, Query(alias="baris", ge=0)] = None,
) -> Response:
    """The import form and the template."""
    _require_reporter(actor)
    shown = flash(ok)
    return import_page(
        request, session, actor, flash_key=shown, stored=rows if shown == "imported" else None
    )


@router.post(IMPORT, dependencies=[CsrfChecked])
def import_file(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Check the file's rows and store all of them, or show every problem and store none."""
    _require_reporter(actor)
    lang = get_lang(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        error = InvalidInput(errors={"file": ["Pilih berkas CSV atau XLSX."]})
        return import_page(request, session, actor, errors=refused(error, lang), status_code=422)
    upload.file.seek(0)
    data = upload.file.read(MAX_IMPORT_BYTES + 1)
    try:
        rows = read_table_or_refuse(data, upload.filename)
    except InvalidInput as error:
        return import_page(
            request, session, actor, errors=refused(error, lang),
            filename=upload.filename, status_code=422,
        )  # fmt: skip
    report = monitoring.import_rows(session, actor=actor, rows=rows)
    if not report.ok:  # nothing was added
        return import_page(
            request, session, actor, report=report, filename=upload.filename, status_code=422
        )
    session.commit()
    return RedirectResponse(f"{IMPORT}?ok=imported&baris={report.stored}", status_code=303)


@router.get(TEMPLATE)
def import_template(session: DbSession, actor: CurrentActor) -> Response:
    """The CSV template: the header and one example row per indicator the actor reports."""
    _require_reporter(actor)
    scope = actor.pd_kode if is_own_agency_only(actor) else None
    indicators = [
        i
        for i in service.list_indicators(session, pd_kode=scope)
        if i.source_kind is not SourceKind.LIVE
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(monitoring.IMPORT_COLUMNS)
    day = today().isoformat()
    for indicator in indicators:
        writer.writerow([indicator.code, day, "", ""])
    return Response(
        buffer.getvalue().encode("utf-8-sig"),  # Excel reads UTF-8 with its BOM
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="templat-realisasi.csv"',
            "Cache-Control": "private, no-store",
        },
    )
