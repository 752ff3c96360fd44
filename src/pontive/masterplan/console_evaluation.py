"""The annual evaluation in the console (``/console/masterplan/evaluasi``): the evaluations by
year with their status and indices, opening a year's evaluation, the report's downloads
(PDF and XLSX), and the public PDF of a published report (``/smartcity/evaluasi/<year>.pdf``).

One evaluation's page and its posts are in ``console_evaluation_page`` and
``console_evaluation_flow``; the frameworks in ``console_evaluation_frameworks``; the
council's recommendations in ``console_evaluation_recommendations``. Every staff role reads;
the services check who may change what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import (
    console_evaluation_flow,
    console_evaluation_frameworks,
    console_evaluation_page,
    console_evaluation_recommendations,
    evaluation_xlsx,
)
from pontive.masterplan import evaluation as service
from pontive.masterplan.console_support import (
    EVALUATION,
    Errors,
    FormBody,
    flash,
    page,
    redirect_ok,
    refused,
    text,
    typed,
)
from pontive.masterplan.evaluation_data import index_text, results
from pontive.masterplan.evaluation_scoring import CityResult, SpbeResult
from pontive.masterplan.models import Evaluation
from pontive.masterplan.service import EVALUATE, READ, RECOMMEND
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
Short = Annotated[str, Query(max_length=40)]
PUBLIC_REPORT = "/smartcity/evaluasi/{year:int}.pdf"


@dataclass(frozen=True, slots=True)
class Row:
    """A year's evaluation with its indices as the stored scores give them."""

    evaluation: Evaluation
    city: CityResult
    spbe: SpbeResult


def _rows(session: Session) -> list[Row]:
    return [Row(e, *results(session, e)) for e in service.list_evaluations(session)]


def evaluation_list(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    ok: str = "",
    values: dict[str, str] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    """Every year's evaluation, the newest first, and the form opening another year."""
    permissions.require(actor, READ)
    rows = _rows(session)
    have = {row.evaluation.year for row in rows}
    last_year = utcnow().astimezone(WIB).year - 1
    suggested = next(y for y in range(last_year, 1999, -1) if y not in have)
    context = {
        "rows": rows,
        "can_evaluate": permissions.can(actor, EVALUATE),
        "can_recommend": permissions.can(actor, RECOMMEND),
        "fixed": index_text(get_lang(request)),
        "flash": flash(ok),
        "values": values or {"year": str(suggested)},
        "errors": errors or {},
    }
    return page(request, actor, "masterplan/eval_list.html", context, status_code=status_code)


@router.get(EVALUATION, response_class=HTMLResponse)
def list_evaluations(
    request: Request, session: DbSession, actor: CurrentActor, ok: Short = ""
) -> Response:
    """The evaluations by year."""
    return evaluation_list(request, session, actor, ok=ok)


@router.post(EVALUATION, dependencies=[CsrfChecked])
def create_evaluation(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Open the evaluation of a year; its page next."""
    permissions.require(actor, EVALUATE)
    raw = text(form, "year")
    try:
        evaluation = service.create_evaluation(
            session, actor=actor, year=int(raw) if raw.isdigit() else 0
        )
    except (InvalidInput, Conflict) as error:
        session.rollback()
        errors = refused(error, get_lang(request))
        return evaluation_list(
            request, session, actor, values=typed(form), errors=errors, status_code=422
        )
    session.commit()
    return redirect_ok(f"{EVALUATION}/{evaluation.year}", "evaluation_saved")


def _download(document: bytes, media_type: str, filename: str, *, public: bool) -> Response:
    cache = "public, max-age=3600" if public else "private, no-store"
    return Response(
        document,
        media_type=media_type,
        headers={
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": cache,
        },
    )


@router.get(f"{EVALUATION}/{{year:int}}/laporan.pdf")
def report_pdf(request: Request, year: int, session: DbSession, actor: CurrentActor) -> Response:
    """The report: the copy stored at approval, or a draft rendered now."""
    permissions.require(actor, READ)
    evaluation = service.get_evaluation(session, year)
    document = service.report_document(
        session, evaluation=evaluation, media=request.app.state.media
    )
    name = f"laporan-evaluasi-smart-city-{year}.pdf"
    return _download(document, "application/pdf", name, public=False)


@router.get(f"{EVALUATION}/{{year:int}}/laporan.xlsx")
def report_xlsx(year: int, session: DbSession, actor: CurrentActor) -> Response:
    """The report's figures as a workbook."""
    permissions.require(actor, READ)
    evaluation = service.get_evaluation(session, year)
    document = evaluation_xlsx.render_workbook(session, evaluation)
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(document, media_type, f"evaluasi-smart-city-{year}.xlsx", public=False)


@router.get(PUBLIC_REPORT)
def public_report_pdf(request: Request, year: int, session: DbSession) -> Response:
    """A published evaluation report (404 for any other year)."""
    document = service.public_report(session, year=year, media=request.app.state.media)
    name = f"laporan-evaluasi-smart-city-{year}.pdf"
    return _download(document, "application/pdf", name, public=True)


# The fixed paths first (kerangka, rekomendasi), then one year's page and its posts.
router.include_router(console_evaluation_frameworks.router)
router.include_router(console_evaluation_recommendations.router)
router.include_router(console_evaluation_page.router)
router.include_router(console_evaluation_flow.router)
