"""The assessment API besides the registries' generic routes (which own
``/api/v1/assets/assessments``, ``/{id}``, ``/{id}/history``, ``/import`` and ``/bulk``):
an assessment's checklist answers (read, and save some of them), its score, and its report.

``PUT .../answers`` takes ``{"answers": [{"item_id" or "code", "answer", "note",
"evidence"}]}``; an ``answer`` of ``null`` clears that item; items not sent keep their
answer. The score is recomputed on every save and returned.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from pontive.assets.assessment_choices import Answer
from pontive.assets.assessment_pages import pdf_response
from pontive.assets.assessment_report import build
from pontive.assets.assessment_scoring import as_json
from pontive.assets.assessment_service import (
    AnswerInput,
    checklist,
    get_assessment,
    result_of,
    save_answers,
    template_items,
)
from pontive.core.errors import InvalidInput
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

# Included by ``assets/api.py``, whose router adds the ``/api/v1/assets`` prefix.
router = PontiveRouter(tags=["assets"])
PATH = "/assessments/{assessment_id:int}"


class AnswerIn(BaseModel):
    """One item's answer: the item by id or by its code in the template."""

    item_id: int | None = None
    code: str | None = Field(default=None, max_length=20)
    answer: Answer | None
    note: str = Field(default="", max_length=2000)
    evidence: str = Field(default="", max_length=300)


class AnswersIn(BaseModel):
    """Some answers of one checklist."""

    answers: list[AnswerIn] = Field(max_length=500)


def _answers_json(session: Any, actor: Any, assessment: Any, lang: str) -> dict[str, Any]:
    found = checklist(session, actor, assessment)
    return {
        "assessment_id": assessment.id,
        "status": assessment.status.value,
        "template": {
            "id": found.template.id,
            "code": found.template.code,
            "version": found.template.version,
        },
        "items": [
            {
                "item_id": row.item.id,
                "code": row.item.code,
                "area": row.item.area.value,
                "question": row.item.question,
                "weight": row.item.weight,
                "evidence_expected": row.item.evidence_expected,
                "answer": row.answer.answer.value if row.answer else None,
                "note": row.answer.note if row.answer else "",
                "evidence": row.answer.evidence if row.answer else "",
                "answered_at": row.answer.answered_at.isoformat() if row.answer else None,
            }
            for row in found.rows
        ],
        "score": as_json(found.result, lang),
    }


@router.get(PATH + "/answers", summary="An assessment's checklist with its answers")
def read_answers(
    request: Request, assessment_id: int, session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    """Every item of the checklist, answered or not, and the score."""
    assessment = get_assessment(session, actor, assessment_id)
    return _answers_json(session, actor, assessment, get_lang(request))


@router.put(PATH + "/answers", summary="Save some answers of an assessment's checklist")
def write_answers(
    request: Request,
    assessment_id: int,
    body: AnswersIn,
    session: DbSession,
    actor: CurrentActor,
) -> dict[str, Any]:
    """Save the answers sent (others stay); the checklist and the new score come back."""
    lang = get_lang(request)
    assessment = get_assessment(session, actor, assessment_id)
    items = template_items(session, assessment.template_id)
    by_code = {item.code.lower(): item.id for item in items}
    entries, errors = [], {}
    for position, entry in enumerate(body.answers):
        item_id = entry.item_id
        if item_id is None and entry.code:
            item_id = by_code.get(entry.code.lower())
        if item_id is None:
            errors[f"answers.{position}"] = [
                "Butir tidak dikenal." if lang != "en" else "Unknown item."
            ]
            continue
        entries.append(AnswerInput(item_id, entry.answer, entry.note, entry.evidence))
    if errors:
        raise InvalidInput("Jawaban tidak valid.", "Invalid answers.", errors=errors)
    save_answers(session, actor, assessment, entries, via="api", lang=lang)
    session.commit()
    return _answers_json(session, actor, assessment, lang)


@router.get(PATH + "/score", summary="An assessment's score, overall and per area")
def read_score(
    request: Request, assessment_id: int, session: DbSession, actor: CurrentActor
) -> dict[str, Any]:
    """The score as the answers stand (0-100; ``null`` without applicable answers)."""
    assessment = get_assessment(session, actor, assessment_id)
    return {
        "assessment_id": assessment.id,
        "status": assessment.status.value,
        **as_json(result_of(session, assessment), get_lang(request)),
    }


@router.get(
    PATH + "/report.pdf",
    summary="An assessment's report (PDF)",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def read_report(assessment_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """The report as the console offers it."""
    assessment = get_assessment(session, actor, assessment_id)
    return pdf_response(build(session, actor, assessment), assessment_id)
