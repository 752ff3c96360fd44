"""Information-system assessments (Perda 9/2022 Pasal 19(4)): who may do what, the checklist
of an assessment and its answers, the score recomputed on every save, completion, and a
template copied as a new version.

- the technical team (tim teknis) and admins keep the templates and run assessments;
- an agency's officers follow up the findings their agency owns (``FOLLOW_UP``, PD-scoped);
- every staff role reads assessments, findings and reports.

Templates, items, assessments and findings are written through the registry store (history
and audit kept there); answers are written here, and each save that changes the score, the
rating or the status records that change in the assessment's history too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.assets.assessment_choices import (
    Answer,
    AssessmentArea,
    AssessmentStatus,
    Severity,
    rating_of,
)
from pontive.assets.assessment_models import (
    Assessment,
    AssessmentAnswer,
    AssessmentFinding,
    AssessmentTemplate,
    AssessmentTemplateItem,
)
from pontive.assets.assessment_scoring import Result, Scored, score
from pontive.core import audit, permissions
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.permissions import STAFF
from pontive.core.registry import get
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.registry import store
from pontive.registry.models import RegistryChange
from pontive.registry.values import label_of

READ = permissions.register("assets.assessment.read", STAFF)
MANAGE = permissions.register("assets.assessment.manage", {Role.TIM_TEKNIS, Role.ADMIN})
FOLLOW_UP = permissions.register(
    "assets.assessment.follow_up", {Role.TIM_TEKNIS, Role.ADMIN, Role.PETUGAS_PD}, pd_scoped=True
)

TEMPLATES = "assets.assessment-templates"
ITEMS = "assets.assessment-items"
ASSESSMENTS = "assets.assessments"
FINDINGS = "assets.assessment-findings"
SYSTEMS = "assets.systems"
NOTE_MAX = 2000
EVIDENCE_MAX = 300
AREA_ORDER = {area: position for position, area in enumerate(AssessmentArea)}
FROZEN = (
    "Penilaian sudah selesai; jawabannya dibekukan.",
    "The assessment is completed; its answers are frozen.",
)


@dataclass(frozen=True, slots=True)
class AnswerInput:
    """One item's answer as sent (``answer`` ``None``: clear it)."""

    item_id: int
    answer: Answer | None
    note: str = ""
    evidence: str = ""


@dataclass(slots=True)
class ChecklistRow:
    """An item with its answer (if any)."""

    item: AssessmentTemplateItem
    answer: AssessmentAnswer | None

    @property
    def needs_evidence(self) -> bool:
        """An evidence-expected item answered as (partly) met without an evidence reference."""
        answer = self.answer
        return (
            self.item.evidence_expected
            and answer is not None
            and answer.answer in (Answer.MEMENUHI, Answer.SEBAGIAN)
            and not answer.evidence.strip()
        )


@dataclass(slots=True)
class Checklist:
    """An assessment's items grouped by area, in the areas' order, and the score."""

    assessment: Assessment
    template: AssessmentTemplate
    groups: list[tuple[AssessmentArea, list[ChecklistRow]]]
    result: Result
    findings: dict[str, list[AssessmentFinding]] = field(default_factory=dict)

    @property
    def rows(self) -> list[ChecklistRow]:
        """Every item, in order."""
        return [row for _area, rows in self.groups for row in rows]

    @property
    def unanswered(self) -> list[ChecklistRow]:
        """Items without an answer."""
        return [row for row in self.rows if row.answer is None]

    @property
    def missing_evidence(self) -> list[ChecklistRow]:
        """Items that expect evidence and have none (see ``ChecklistRow.needs_evidence``)."""
        return [row for row in self.rows if row.needs_evidence]


def _text(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


# --- reading ---------------------------------------------------------------------------


def get_assessment(session: Session, actor: Actor, assessment_id: int) -> Assessment:
    """One assessment (``NotFound`` when there is none)."""
    permissions.require(actor, READ)
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise NotFound
    return assessment


def template_items(session: Session, template_id: int) -> list[AssessmentTemplateItem]:
    """A template's items by area (in the areas' order), then by code."""
    items = session.scalars(
        select(AssessmentTemplateItem).where(AssessmentTemplateItem.template_id == template_id)
    ).all()
    return sorted(items, key=lambda i: (AREA_ORDER[i.area], i.code, i.id))


def answers_of(session: Session, assessment_id: int) -> dict[int, AssessmentAnswer]:
    """An assessment's answers by item id."""
    rows = session.scalars(
        select(AssessmentAnswer).where(AssessmentAnswer.assessment_id == assessment_id)
    )
    return {row.item_id: row for row in rows}


def result_of(session: Session, assessment: Assessment) -> Result:
    """The assessment's score as its answers stand."""
    answers = answers_of(session, assessment.id)
    return score(
        Scored(item.area, item.weight, answers[item.id].answer if item.id in answers else None)
        for item in template_items(session, assessment.template_id)
    )


def findings_of(session: Session, assessment_id: int) -> list[AssessmentFinding]:
    """An assessment's findings, the most severe first."""
    rows = session.scalars(
        select(AssessmentFinding).where(AssessmentFinding.assessment_id == assessment_id)
    ).all()
    order = {value: position for position, value in enumerate(reversed(list(Severity)))}
    return sorted(rows, key=lambda f: (order[f.severity], f.due_on or date.max, f.id))


def checklist(session: Session, actor: Actor, assessment: Assessment) -> Checklist:
    """The assessment's checklist with its answers, score and findings by item code."""
    permissions.require(actor, READ)
    template = session.get(AssessmentTemplate, assessment.template_id)
    if template is None:
        raise NotFound
    answers = answers_of(session, assessment.id)
    groups: dict[AssessmentArea, list[ChecklistRow]] = {}
    for item in template_items(session, template.id):
        groups.setdefault(item.area, []).append(ChecklistRow(item, answers.get(item.id)))
    rows = [row for part in groups.values() for row in part]
    result = score(
        Scored(r.item.area, r.item.weight, r.answer.answer if r.answer else None) for r in rows
    )
    findings: dict[str, list[AssessmentFinding]] = {}
    for finding in findings_of(session, assessment.id):
        if finding.item_code:
            findings.setdefault(finding.item_code, []).append(finding)
    return Checklist(assessment, template, list(groups.items()), result, findings)


# --- answering -------------------------------------------------------------------------


def _check_entries(
    entries: Sequence[AnswerInput], items: dict[int, AssessmentTemplateItem], lang: str
) -> None:
    errors: dict[str, list[str]] = {}
    for entry in entries:
        key = f"item_{entry.item_id}"
        if entry.item_id not in items:
            errors[key] = [
                _text(("Butir tidak ada di templat ini.", "Not an item of this template."), lang)
            ]
        elif len(entry.note) > NOTE_MAX:
            errors[key] = [
                _text(
                    (
                        f"Catatan paling panjang {NOTE_MAX} karakter.",
                        f"Note: at most {NOTE_MAX} characters.",
                    ),
                    lang,
                )
            ]
        elif len(entry.evidence) > EVIDENCE_MAX:
            errors[key] = [
                _text(
                    (
                        f"Rujukan bukti paling panjang {EVIDENCE_MAX} karakter.",
                        f"Evidence reference: at most {EVIDENCE_MAX} characters.",
                    ),
                    lang,
                )
            ]
    if errors:
        raise InvalidInput("Jawaban tidak valid.", "Invalid answers.", errors=errors)


def save_answers(
    session: Session,
    actor: Actor,
    assessment: Assessment,
    entries: Sequence[AnswerInput],
    *,
    via: str = "form",
    lang: str = "id",
) -> Result:
    """Save some answers (the rest stay as they are), recompute the score; an assessment in
    draft moves to in progress. Refused once the assessment is completed."""
    permissions.require(actor, MANAGE)
    if assessment.status is AssessmentStatus.SELESAI:
        raise Conflict(*FROZEN)
    items = {item.id: item for item in template_items(session, assessment.template_id)}
    _check_entries(entries, items, lang)
    existing = answers_of(session, assessment.id)
    now, changed = utcnow(), 0
    for entry in entries:
        current = existing.get(entry.item_id)
        note, evidence = entry.note.strip(), " ".join(entry.evidence.split())
        if entry.answer is None:
            if current is not None:
                session.delete(current)
                changed += 1
            continue
        if current is None:
            current = AssessmentAnswer(assessment_id=assessment.id, item_id=entry.item_id)
            session.add(current)
        elif (current.answer, current.note, current.evidence) == (entry.answer, note, evidence):
            continue
        current.answer, current.note, current.evidence = entry.answer, note, evidence
        current.answered_at, current.answered_by = now, actor.label[:200]
        changed += 1
    session.flush()
    if changed:
        audit.record(
            session,
            actor=actor,
            action="assets.assessment.answered",
            object_type=ASSESSMENTS,
            object_id=assessment.id,
            after={"answers_changed": changed},
        )
    return refresh(session, actor, assessment, via=via, start=bool(changed))


def refresh(
    session: Session,
    actor: Actor,
    assessment: Assessment,
    *,
    via: str = "system",
    start: bool = False,
) -> Result:
    """Recompute the score and rating (and, with ``start``, move a draft to in progress);
    a change is recorded in the assessment's history."""
    registry = get(ASSESSMENTS)
    before = store.state(registry, assessment)
    result = result_of(session, assessment)
    if start and assessment.status is AssessmentStatus.DRAF:
        assessment.status = AssessmentStatus.BERLANGSUNG
    assessment.score = result.overall.score
    assessment.rating = rating_of(result.overall.score)
    session.flush()
    after = store.state(registry, assessment)
    changes = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
    if changes:
        assessment.updated_at = utcnow()
        session.add(
            RegistryChange(
                registry_name=registry.name,
                object_id=assessment.id,
                object_label=label_of(registry, assessment)[:300],
                action="updated",
                via=via,
                actor=actor.label[:200],
                changes=json.dumps(changes, ensure_ascii=False),
                occurred_at=utcnow(),
            )
        )
        session.flush()
    return result


def complete(
    session: Session, actor: Actor, assessment: Assessment, *, lang: str = "id"
) -> Assessment:
    """Mark the assessment completed (every item answered, evidence given where expected);
    its answers are frozen from then on."""
    permissions.require(actor, MANAGE)
    if assessment.status is AssessmentStatus.SELESAI:
        raise Conflict(*FROZEN)
    row: Assessment = store.save_row(
        session,
        get(ASSESSMENTS),
        actor,
        {"status": AssessmentStatus.SELESAI.value},
        row=assessment,
        partial=True,
        lang=lang,
    )
    return row


def completion_problems(
    session: Session, assessment_id: int | None, template_id: int | None, lang: str
) -> list[str]:
    """Why an assessment cannot be completed yet (nothing: it can)."""
    if template_id is None:
        return []
    items = template_items(session, template_id)
    if not items:
        return [_text(("Templat belum punya butir.", "The template has no items."), lang)]
    answers = answers_of(session, assessment_id) if assessment_id is not None else {}
    return checklist_problems([ChecklistRow(item, answers.get(item.id)) for item in items], lang)


def checklist_problems(rows: Sequence[ChecklistRow], lang: str) -> list[str]:
    """What keeps a checklist from completion: unanswered items, missing evidence."""
    if not rows:
        return [_text(("Templat belum punya butir.", "The template has no items."), lang)]
    problems = []
    unanswered = [r.item.code for r in rows if r.answer is None]
    if unanswered:
        problems.append(
            _text(
                (
                    f"{len(unanswered)} butir belum dijawab: {', '.join(unanswered[:8])}.",
                    f"{len(unanswered)} items not answered: {', '.join(unanswered[:8])}.",
                ),
                lang,
            )
        )
    evidence = [r.item.code for r in rows if r.needs_evidence]
    if evidence:
        problems.append(
            _text(
                (
                    f"Rujukan bukti belum diisi pada butir {', '.join(evidence[:8])}.",
                    f"Evidence reference missing for {', '.join(evidence[:8])}.",
                ),
                lang,
            )
        )
    return problems


def template_in_use(session: Session, template_id: int) -> int:
    """How many assessments use the template."""
    query = select(func.count(Assessment.id)).where(Assessment.template_id == template_id)
    return session.scalar(query) or 0
