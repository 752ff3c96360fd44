"""Spreadsheet imports in the budget console (``/console/anggaran/impor``, the technical
team): the columns explained, the template (CSV or XLSX) to download, the upload, and the
validation report (row, column, problem) when a file is refused — nothing is stored then.
A stored import leads to the lines of its year."""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.budget import importer
from pontive.budget.console_support import IMPORT, LINES, page
from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.masterplan.service import BUDGET_MANAGE
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import FormBody
from pontive.web.routing import PontiveRouter

MAX_UPLOAD = 10 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

router = PontiveRouter(include_in_schema=False)


def _import_page(
    request: Request,
    actor: Actor,
    *,
    report: importer.ImportReport | None = None,
    filename: str = "",
    errors: dict[str, list[str]] | None = None,
) -> Response:
    context = {
        "columns": importer.COLUMNS,
        "known": importer.known_values(),
        "report": report,
        "filename": filename,
        "errors": errors or {},
        "max_rows": importer.MAX_ROWS,
    }
    refused = bool(errors) or (report is not None and not report.ok)
    return page(request, actor, "budget/import.html", context, status_code=422 if refused else 200)


@router.get(IMPORT, response_class=HTMLResponse)
def import_form(request: Request, actor: CurrentActor) -> Response:
    """The columns, the template and the upload form."""
    permissions.require(actor, BUDGET_MANAGE)
    return _import_page(request, actor)


@router.post(IMPORT, dependencies=[CsrfChecked])
def import_upload(
    request: Request, form: FormBody, session: DbSession, actor: CurrentActor
) -> Response:
    """Import the uploaded file: all its lines, or none and the report."""
    permissions.require(actor, BUDGET_MANAGE)
    lang = get_lang(request)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        message = "Choose a CSV or XLSX file." if lang == "en" else "Pilih berkas CSV atau XLSX."
        return _import_page(request, actor, errors={"file": [message]})
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        message = "The file is over 10 MB." if lang == "en" else "Berkas lebih dari 10 MB."
        return _import_page(request, actor, errors={"file": [message]}, filename=upload.filename)
    try:
        report = importer.import_file(
            session, actor=actor, data=data, filename=upload.filename, lang=lang
        )
    except InvalidInput as error:  # the file itself cannot be read
        return _import_page(request, actor, errors=error.errors, filename=upload.filename)
    if not report.ok:  # nothing was stored
        return _import_page(request, actor, report=report, filename=upload.filename)
    session.commit()
    year = report.years[-1] if report.years else ""
    return RedirectResponse(f"{LINES}?year={year}&pd=&ok=budget_imported", status_code=303)


@router.get(IMPORT + "/templat.csv")
def template_csv(actor: CurrentActor) -> Response:
    """The import template as CSV."""
    permissions.require(actor, BUDGET_MANAGE)
    return Response(
        importer.template_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="templat-anggaran.csv"'},
    )


@router.get(IMPORT + "/templat.xlsx")
def template_xlsx(actor: CurrentActor) -> Response:
    """The import template as XLSX (with a sheet explaining the columns)."""
    permissions.require(actor, BUDGET_MANAGE)
    return Response(
        importer.template_xlsx(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="templat-anggaran.xlsx"'},
    )
