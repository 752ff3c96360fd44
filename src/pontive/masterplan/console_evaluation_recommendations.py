"""The Smart City council's recommendations in the console
(``/console/masterplan/evaluasi/rekomendasi``), by year: the council (or an admin) adds one,
optionally about a dimension and addressed to an agency; the technical team records the
follow-up (status and response). Every staff role reads them; each goes into the evaluation
report of its year.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import evaluation_recommendations as recommendations
from pontive.masterplan.choices import RecommendationStatus
from pontive.masterplan.console_support import (
    EVALUATION,
    Errors,
    FormBody,
    flash,
    page,
    pd_names,
    refused,
    text,
    typed,
)
from pontive.masterplan.service import EVALUATE, READ, RECOMMEND
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
RECOMMENDATIONS = f"{EVALUATION}/rekomendasi"
Year = Annotated[int | None, Query(alias="tahun", ge=2000, le=2100)]


def recommendations_page(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    year: int | None = None,
    ok: str = "",
    failed: str = "",
    values: dict[str, str] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    """The recommendations (of ``year``), the form adding one and the response forms."""
    permissions.require(actor, READ)
    rows = recommendations.list_recommendations(session, year=year)
    this_year = utcnow().astimezone(WIB).year
    context = {
        "rows": rows,
        "year": year,
        "years": sorted({r.year for r in recommendations.list_recommendations(session)}),
        "dimensions": {d.kode: d.nama_id for d in reference.list_dimensi(session=session)},
        "pds": pd_names(session),
        "status_options": RecommendationStatus.options(get_lang(request)),
        "can_recommend": permissions.can(actor, RECOMMEND),
        "can_respond": permissions.can(actor, EVALUATE),
        "flash": flash(ok),
        "failed": failed,
        "values": {"year": str(year or this_year - 1)} | (values or {}),
        "errors": errors or {},
    }
    return page(
        request,
        actor,
        "masterplan/eval_recommendations.html",
        context,
        status_code=status_code,
        section=EVALUATION,
    )


@router.get(RECOMMENDATIONS, response_class=HTMLResponse)
def list_recommendations(
    request: Request, session: DbSession, actor: CurrentActor, year: Year = None, ok: str = ""
) -> Response:
    """The council's recommendations, of one year when ``?tahun=`` says."""
    return recommendations_page(request, session, actor, year=year, ok=ok[:40])


def _back(year: int, anchor: str) -> RedirectResponse:
    return RedirectResponse(
        f"{RECOMMENDATIONS}?tahun={year}&ok=recommendation_saved#{anchor}", status_code=303
    )


@router.post(RECOMMENDATIONS, dependencies=[CsrfChecked])
def add_recommendation(
    request: Request, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """The council records a recommendation."""
    permissions.require(actor, RECOMMEND)
    raw = text(form, "year")
    try:
        item = recommendations.add_recommendation(
            session,
            actor=actor,
            year=int(raw) if raw.isdigit() else 0,
            text=text(form, "text"),
            dimensi_kode=text(form, "dimensi_kode") or None,
            addressed_to=text(form, "addressed_to") or None,
        )
    except InvalidInput as error:
        session.rollback()
        return recommendations_page(
            request,
            session,
            actor,
            failed="add",
            values=typed(form),
            errors=refused(error, get_lang(request)),
            status_code=422,
        )
    session.commit()
    return _back(item.year, f"rek-{item.id}")


@router.post(f"{RECOMMENDATIONS}/{{item_id:int}}", dependencies=[CsrfChecked])
def respond(
    request: Request, item_id: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """The technical team records the follow-up of a recommendation."""
    permissions.require(actor, EVALUATE)
    item = recommendations.get_recommendation(session, item_id)
    try:
        recommendations.respond(
            session,
            actor=actor,
            recommendation=item,
            status=text(form, "status"),
            response=text(form, "response"),
        )
    except InvalidInput as error:
        session.rollback()
        return recommendations_page(
            request,
            session,
            actor,
            year=item.year,
            failed=f"rek-{item_id}",
            values=typed(form),
            errors=refused(error, get_lang(request)),
            status_code=422,
        )
    session.commit()
    return _back(item.year, f"rek-{item.id}")
