"""One year's evaluation in the console (``/console/masterplan/evaluasi/<year>``): the indices
as computed now, the Smart City aspects scored against their rubric, the SPBE indicators by
domain and aspect with their maturity levels, the summary and issues, the workflow and the
downloads; and the posts saving the scores and the text.

A refused post shows the page again with the errors at the form that failed and what was
typed there; an accepted one lands back on the page at that form with its confirmation.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core import permissions
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor
from pontive.masterplan import evaluation as service
from pontive.masterplan import evaluation_recommendations as recommendations
from pontive.masterplan.choices import EvaluationStatus
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
from pontive.masterplan.evaluation_data import frameworks_of, index_text, results
from pontive.masterplan.evaluation_scoring import level_names
from pontive.masterplan.models import Evaluation
from pontive.masterplan.service import APPROVE_EVALUATION, EVALUATE, READ
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
Refusal = (InvalidInput, Conflict)
STEPS = (
    EvaluationStatus.DRAFT,
    EvaluationStatus.REVIEWED,
    EvaluationStatus.APPROVED,
    EvaluationStatus.SENT,
)


def stored_values(evaluation: Evaluation) -> dict[str, str]:
    """The forms' fields as stored (what the page shows before anything is typed)."""
    values: dict[str, str] = {
        "summary": evaluation.summary,
        "issues": evaluation.issues,
        "letter_number": evaluation.letter_number or "",
    }
    for code, entry in (evaluation.aspect_scores or {}).items():
        score = entry.get("score")
        values[f"score_{code}"] = "" if score is None else number_text(score)
        values[f"note_{code}"] = entry.get("note", "")
    for code, entry in (evaluation.spbe_levels or {}).items():
        level = entry.get("level")
        values[f"level_{code}"] = "" if level is None else str(level)
        values[f"note_{code}"] = entry.get("note", "")
    return values


def number_text(value: float) -> str:
    """A score as the form's radio values name it (``3`` rather than ``3.0``)."""
    return str(int(value)) if float(value).is_integer() else str(value)


def _spbe_domains(config: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(domain, level_names=level_names(config, domain)) for domain in config["domains"]]


def evaluation_page(
    request: Request,
    session: Session,
    actor: Actor,
    evaluation: Evaluation,
    *,
    ok: str = "",
    failed: str = "",
    values: dict[str, str] | None = None,
    errors: Errors | None = None,
    status_code: int = 200,
) -> Response:
    """The evaluation's page; ``failed`` names the form whose ``errors`` are shown."""
    permissions.require(actor, READ)
    city_fw, spbe_fw = frameworks_of(session, evaluation)
    city, spbe = results(session, evaluation)
    can_evaluate = permissions.can(actor, EVALUATE)
    context = {
        "evaluation": evaluation,
        "city": city,
        "spbe": spbe,
        "city_framework": city_fw,
        "spbe_framework": spbe_fw,
        "aspects": city_fw.config.get("aspects", []),
        "domains": _spbe_domains(spbe_fw.config),
        "bands": sorted(spbe_fw.config.get("bands", []), key=lambda b: -float(b["min"])),
        "steps": STEPS,
        "step_at": STEPS.index(evaluation.status),
        "is_editable": can_evaluate and evaluation.status is EvaluationStatus.DRAFT,
        "can_evaluate": can_evaluate,
        "can_approve": permissions.can(actor, APPROVE_EVALUATION),
        "recommendations": recommendations.list_recommendations(session, year=evaluation.year),
        "pds": pd_names(session),
        "fixed": index_text(get_lang(request)),
        "flash": flash(ok),
        "failed": failed,
        "values": stored_values(evaluation) | (values or {}),
        "errors": errors or {},
    }
    return page(request, actor, "masterplan/eval_page.html", context, status_code=status_code)


def back(year: int, ok: str, anchor: str) -> RedirectResponse:
    """Back to the evaluation's page at ``anchor`` after a post, with its confirmation."""
    return RedirectResponse(f"{EVALUATION}/{year}?{urlencode({'ok': ok})}#{anchor}", 303)


def again(
    request: Request,
    session: Session,
    actor: Actor,
    year: int,
    failed: str,
    error: InvalidInput | Conflict,
    form: FormData,
) -> Response:
    """The page again after a refused post: the form's errors and what was typed."""
    session.rollback()
    evaluation = service.get_evaluation(session, year)
    return evaluation_page(
        request,
        session,
        actor,
        evaluation,
        failed=failed,
        values=typed(form),
        errors=refused(error, get_lang(request)),
        status_code=error.status_code,
    )


@router.get(f"{EVALUATION}/{{year:int}}", response_class=HTMLResponse)
def show_evaluation(
    request: Request, year: int, session: DbSession, actor: CurrentActor, ok: str = ""
) -> Response:
    """One year's evaluation."""
    evaluation = service.get_evaluation(session, year)
    return evaluation_page(request, session, actor, evaluation, ok=ok[:40])


def _entries(form: FormData, codes: list[str], prefix: str) -> dict[str, tuple[Any, str]]:
    """Code → (value typed, note) for every code the form carries a field of."""
    return {
        code: (text(form, f"{prefix}{code}"), text(form, f"note_{code}"))
        for code in codes
        if f"{prefix}{code}" in form or f"note_{code}" in form
    }


@router.post(f"{EVALUATION}/{{year:int}}/aspek", dependencies=[CsrfChecked])
def save_aspects(
    request: Request, year: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save the aspects' scores and notes."""
    evaluation = service.get_evaluation(session, year)
    city_fw, _spbe = frameworks_of(session, evaluation)
    codes = [a["code"] for a in city_fw.config.get("aspects", [])]
    try:
        service.save_aspects(
            session, actor=actor, evaluation=evaluation, entries=_entries(form, codes, "score_")
        )
    except Refusal as error:
        return again(request, session, actor, year, "aspects", error, form)
    session.commit()
    return back(year, "evaluation_saved", "aspek")


@router.post(f"{EVALUATION}/{{year:int}}/spbe", dependencies=[CsrfChecked])
def save_spbe(
    request: Request, year: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save the SPBE indicators' levels and notes."""
    evaluation = service.get_evaluation(session, year)
    _city, spbe_fw = frameworks_of(session, evaluation)
    codes = [
        item["code"]
        for domain in spbe_fw.config.get("domains", [])
        for aspect in domain.get("aspects", [])
        for item in aspect.get("indicators", [])
    ]
    try:
        service.save_spbe(
            session, actor=actor, evaluation=evaluation, entries=_entries(form, codes, "level_")
        )
    except Refusal as error:
        return again(request, session, actor, year, "spbe", error, form)
    session.commit()
    return back(year, "evaluation_saved", "spbe")


@router.post(f"{EVALUATION}/{{year:int}}/narasi", dependencies=[CsrfChecked])
def save_narrative(
    request: Request, year: int, session: DbSession, actor: CurrentActor, form: FormBody
) -> Response:
    """Save the summary, the issues and the covering letter's number."""
    evaluation = service.get_evaluation(session, year)
    try:
        service.save_narrative(
            session,
            actor=actor,
            evaluation=evaluation,
            summary=text(form, "summary"),
            issues=text(form, "issues"),
            letter_number=text(form, "letter_number"),
        )
    except Refusal as error:
        return again(request, session, actor, year, "narrative", error, form)
    session.commit()
    return back(year, "evaluation_saved", "narasi")
