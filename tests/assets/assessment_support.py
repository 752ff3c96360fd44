"""Rows the assessment tests share: a catalogued system, an assessment on the default
template, actors of each role, and a checklist answered the same way throughout."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.assessment_choices import Answer
from pontive.assets.assessment_models import Assessment, AssessmentTemplate
from pontive.assets.assessment_scoring import Result
from pontive.assets.assessment_service import (
    ASSESSMENTS,
    FINDINGS,
    SYSTEMS,
    AnswerInput,
    save_answers,
    template_items,
)
from pontive.assets.seed import CODE
from pontive.core.identity import Actor, ActorKind
from pontive.core.registry import get
from pontive.core.roles import Role
from pontive.registry import store
from tests.registry.support import sample

TEAM = Actor(ActorKind.USER, Role.TIM_TEKNIS, id=None, name="penilai")


def actor(role: Role, pd_kode: str | None = None) -> Actor:
    """An actor of ``role`` (of agency ``pd_kode`` for a PD officer)."""
    return Actor(ActorKind.USER, role, id=None, name=f"uji-{role.value}", pd_kode=pd_kode)


def default_template(session: Session) -> AssessmentTemplate:
    """The template the platform ships (seeded by ``pontive db upgrade``)."""
    template = session.scalar(select(AssessmentTemplate).where(AssessmentTemplate.code == CODE))
    assert template is not None
    return template


def make_system(session: Session, *, pd_kode: str = "diskominfo", name: str = "") -> Any:
    """A catalogued information system owned by ``pd_kode``."""
    registry = get(SYSTEMS)
    values = sample(session, registry) | {"pd_kode": pd_kode}
    if name:
        values["name"] = name
    return store.save_row(session, registry, actor(Role.ADMIN), values)


def make_assessment(
    session: Session,
    system: Any,
    *,
    template: AssessmentTemplate | None = None,
    assessed_on: str = "2026-11-02",
    title: str = "Penilaian uji",
) -> Assessment:
    """An assessment in draft of ``system`` on ``template`` (the default one)."""
    chosen = template or default_template(session)
    row: Assessment = store.save_row(
        session,
        get(ASSESSMENTS),
        TEAM,
        {
            "title": title,
            "system_id": str(system.id),
            "template_id": str(chosen.id),
            "assessed_on": assessed_on,
            "assessor": "Tim Teknis",
            "status": "draf",
        },
    )
    return row


def answer_all(
    session: Session,
    assessment: Assessment,
    answers: dict[str, Answer] | None = None,
    *,
    default: Answer = Answer.MEMENUHI,
    evidence: str = "Berita acara uji",
) -> Result:
    """Answer every item (``answers`` by code, ``default`` for the rest), with evidence."""
    entries = [
        AnswerInput(item.id, (answers or {}).get(item.code, default), "", evidence)
        for item in template_items(session, assessment.template_id)
    ]
    return save_answers(session, TEAM, assessment, entries)


def make_finding(session: Session, assessment: Assessment, **values: str) -> Any:
    """A finding of ``assessment`` (open, due on 2026-12-31 unless told)."""
    raw = {
        "assessment_id": str(assessment.id),
        "title": "Temuan uji",
        "area": "kerahasiaan",
        "severity": "tinggi",
        "owner_pd": "diskominfo",
        "due_on": "2026-12-31",
        "status": "terbuka",
    } | values
    return store.save_row(session, get(FINDINGS), TEAM, raw)
