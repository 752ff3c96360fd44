"""The assessment part's own console pages and posts (the registries' generic pages are the
platform's): saving the checklist and completing an assessment (from the checklist panel on
the assessment's page), its PDF report, copying a template as a new version, a system's
assessments with its score trend, and the follow-up dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.assets import assessment_report
from pontive.assets.assessment_choices import Answer
from pontive.assets.assessment_followup import follow_up, system_history
from pontive.assets.assessment_models import Assessment, AssessmentTemplate
from pontive.assets.assessment_panels import FOLLOW_UP_PATH, SYSTEM_PATH
from pontive.assets.assessment_rules import copy_template, next_version
from pontive.assets.assessment_service import (
    ASSESSMENTS,
    FINDINGS,
    MANAGE,
    SYSTEMS,
    TEMPLATES,
    AnswerInput,
    complete,
    get_assessment,
    save_answers,
    template_items,
)
from pontive.assets.choices import AREA_PATH
from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.registry import area_of, get
from pontive.core.timeutil import WIB, utcnow
from pontive.registry import store
from pontive.registry.pages_support import page
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import FormBody, pd_names, refused, text, typed
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
ASSESSMENT_PATH = f"{AREA_PATH}/penilaian"
TEMPLATE_PATH = f"{AREA_PATH}/templat-penilaian"
TREND_MAX = 10  # the latest assessments the trend shows


def _say(lang: str, text_id: str, text_en: str) -> str:
    return text_en if lang == "en" else text_id


def answers_from_form(form: FormData, item_ids: dict[int, str], lang: str) -> list[AnswerInput]:
    """The answers typed in the checklist form (items left blank stay as they are)."""
    entries, errors = [], {}
    for item_id, code in item_ids.items():
        chosen = text(form, f"answer_{item_id}")
        note, evidence = text(form, f"note_{item_id}"), text(form, f"evidence_{item_id}")
        if not chosen:
            if note or evidence:
                errors[f"item_{item_id}"] = [
                    _say(
                        lang, f"{code}: pilih jawabannya dulu.", f"{code}: choose an answer first."
                    )
                ]
            continue
        try:
            entries.append(AnswerInput(item_id, Answer(chosen), note, evidence))
        except ValueError:
            errors[f"item_{item_id}"] = [
                _say(lang, f"{code}: jawaban tidak dikenal.", f"{code}: unknown answer.")
            ]
    if errors:
        raise InvalidInput("Jawaban tidak valid.", "Invalid answers.", errors=errors)
    return entries


@router.post(ASSESSMENT_PATH + "/{assessment_id:int}/jawaban", dependencies=[CsrfChecked])
def save_checklist(
    request: Request, assessment_id: int, form: FormBody, session: DbSession, actor: CurrentActor
) -> Response:
    """Save the answers typed (partially is fine) and go back to the checklist."""
    lang = get_lang(request)
    assessment = get_assessment(session, actor, assessment_id)
    items = {i.id: i.code for i in template_items(session, assessment.template_id)}
    save_answers(session, actor, assessment, answers_from_form(form, items, lang), lang=lang)
    session.commit()
    return RedirectResponse(f"{ASSESSMENT_PATH}/{assessment_id}?ok=saved#daftar-periksa", 303)


@router.post(ASSESSMENT_PATH + "/{assessment_id:int}/selesaikan", dependencies=[CsrfChecked])
def complete_assessment(
    request: Request, assessment_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """Complete the assessment (every item answered); its answers are frozen."""
    assessment = get_assessment(session, actor, assessment_id)
    complete(session, actor, assessment, lang=get_lang(request))
    session.commit()
    return RedirectResponse(f"{ASSESSMENT_PATH}/{assessment_id}?ok=saved#daftar-periksa", 303)


def pdf_response(content: bytes, assessment_id: int) -> Response:
    """A report as a download that is never cached."""
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="laporan-penilaian-{assessment_id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get(ASSESSMENT_PATH + "/{assessment_id:int}/laporan.pdf")
def report(assessment_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """The assessment's report as PDF."""
    assessment = get_assessment(session, actor, assessment_id)
    return pdf_response(assessment_report.build(session, actor, assessment), assessment_id)


def _template(session: Any, actor: Any, template_id: int) -> AssessmentTemplate:
    template: AssessmentTemplate = store.get_row(session, get(TEMPLATES), actor, template_id)
    return template


def _copy_page(
    request: Request,
    actor: Any,
    template: AssessmentTemplate,
    values: dict[str, str],
    errors: dict[str, list[str]] | None = None,
) -> Response:
    registry = get(TEMPLATES)
    context = {
        "template": template,
        "values": values,
        "errors": errors or {},
        "action": f"{TEMPLATE_PATH}/{template.id}/salin",
        "back": f"{TEMPLATE_PATH}/{template.id}",
    }
    return page(
        request,
        actor,
        "assets/assessment_copy.html",
        context,
        registry=registry,
        status_code=422 if errors else 200,
    )


@router.get(TEMPLATE_PATH + "/{template_id:int}/salin", response_class=HTMLResponse)
def copy_form(
    request: Request, template_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """The form copying a template as a new version."""
    permissions.require(actor, MANAGE)
    template = _template(session, actor, template_id)
    values = {
        "code": next_version(template.code),
        "version": next_version(template.version),
        "name": template.name,
    }
    return _copy_page(request, actor, template, values)


@router.post(TEMPLATE_PATH + "/{template_id:int}/salin", dependencies=[CsrfChecked])
def copy(
    request: Request, template_id: int, form: FormBody, session: DbSession, actor: CurrentActor
) -> Response:
    """Copy the template with its items; the new one opens."""
    lang = get_lang(request)
    template = _template(session, actor, template_id)
    try:
        new = copy_template(
            session,
            actor,
            template,
            code=text(form, "code"),
            version=text(form, "version"),
            name=text(form, "name"),
            retire_old=text(form, "retire_old") == "true",
            lang=lang,
        )
    except InvalidInput as error:
        session.rollback()
        template = _template(session, actor, template_id)
        return _copy_page(request, actor, template, typed(form), refused(error, lang))
    session.commit()
    return RedirectResponse(f"{TEMPLATE_PATH}/{new.id}?ok=created", 303)


@dataclass(frozen=True, slots=True)
class Bar:
    """One column of the score trend (an inline SVG of 200 by 70 units)."""

    x: float
    y: float
    width: float
    height: float
    score: float
    label: str


def trend_bars(assessments: list[Assessment]) -> list[Bar]:
    """The scored assessments, oldest first, as columns 0-100 high."""
    scored = [a for a in assessments if a.score is not None][-TREND_MAX:]
    if not scored:
        return []
    slot = 180 / len(scored)
    width = min(24.0, slot * 0.6)
    bars = []
    for position, assessment in enumerate(scored):
        score = float(assessment.score or 0)
        height = score / 100 * 50
        x = 15 + position * slot + (slot - width) / 2
        bars.append(Bar(x, 58 - height, width, height, score, f"{assessment.assessed_on:%m-%Y}"))
    return bars


@router.get(SYSTEM_PATH + "/{system_id:int}", response_class=HTMLResponse)
def system_page(
    request: Request, system_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """A system's assessments, its score trend and the findings still open."""
    found = system_history(session, actor, system_id)
    assessments = get(ASSESSMENTS)
    today = utcnow().astimezone(WIB).date()
    new_href = None
    if store.can_edit(actor, assessments):
        new_href = (
            f"{assessments.path}/baru?system_id={system_id}&assessed_on={today.isoformat()}"
            f"&status=draf"
        )
    context = {
        "history": found,
        "bars": trend_bars(found.assessments),
        "system_href": f"{get(SYSTEMS).path}/{system_id}",
        "assessment_path": assessments.path,
        "findings_path": get(FINDINGS).path,
        "new_href": new_href,
        "pds": pd_names(session),
        "today": today,
        "follow_up_href": FOLLOW_UP_PATH,
    }
    return page(request, actor, "assets/assessment_system.html", context, area=area_of(assessments))


@router.get(FOLLOW_UP_PATH, response_class=HTMLResponse)
def follow_up_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Open findings by severity and agency (overdue first) and systems due an assessment."""
    today = utcnow().astimezone(WIB).date()
    figures = follow_up(session, actor, today)
    assessments = get(ASSESSMENTS)
    context = {
        "figures": figures,
        "pds": pd_names(session),
        "findings_path": get(FINDINGS).path,
        "assessment_path": assessments.path,
        "system_path": SYSTEM_PATH,
        "can_assess": store.can_edit(actor, assessments),
    }
    return page(
        request, actor, "assets/assessment_followup.html", context, area=area_of(assessments)
    )
