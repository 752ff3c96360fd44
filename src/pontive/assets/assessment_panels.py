"""The assessment part's own sections on the registries' row pages (``Panel``s): the checklist
form on an assessment's page, the "copy as new version" form on a template's page and the
origin of a finding on its page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.assets.assessment_choices import Answer, AssessmentStatus
from pontive.assets.assessment_models import (
    Assessment,
    AssessmentAnswer,
    AssessmentFinding,
    AssessmentTemplate,
    AssessmentTemplateItem,
)
from pontive.assets.assessment_rules import finding_prefill, next_version, system_owner
from pontive.assets.assessment_service import (
    ASSESSMENTS,
    FINDINGS,
    FOLLOW_UP,
    MANAGE,
    SYSTEMS,
    TEMPLATES,
    checklist,
    checklist_problems,
    template_in_use,
    template_items,
)
from pontive.assets.choices import AREA_PATH
from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.core.registry import get
from pontive.core.timeutil import WIB, utcnow
from pontive.registry.values import label_of

FOLLOW_UP_PATH = f"{AREA_PATH}/penilaian-tindak-lanjut"
SYSTEM_PATH = f"{AREA_PATH}/penilaian-sistem"


def system_label(session: Session, system_id: int) -> str:
    """How the catalogue names a system."""
    registry = get(SYSTEMS)
    system = session.get(registry.model, system_id)
    return label_of(registry, system) if system is not None else f"#{system_id}"


def checklist_panel(session: Session, actor: Actor, row: Assessment) -> Mapping[str, Any]:
    """The checklist of an assessment: its answers by area, the scores, the forms."""
    found = checklist(session, actor, row)
    is_open = row.status is not AssessmentStatus.SELESAI
    can_answer = is_open and permissions.can(actor, MANAGE)
    findings = get(FINDINGS)
    owner = system_owner(session, row.system_id)
    may_file = permissions.can(actor, FOLLOW_UP, owner_pd=owner)
    today = utcnow().astimezone(WIB).date()
    new_finding = {
        r.item.id: f"{findings.path}/baru?{urlencode(finding_prefill(row, r, owner, today))}"
        for r in found.rows
        if may_file and r.answer is not None and r.answer.answer is Answer.TIDAK_MEMENUHI
    }
    answered = [r.answer for r in found.rows if r.answer is not None]
    last = max(answered, key=lambda a: a.answered_at) if answered else None
    base = f"{get(ASSESSMENTS).path}/{row.id}"
    return {
        "checklist": found,
        "answers": list(Answer),
        "can_answer": can_answer,
        "problems": checklist_problems(found.rows, "id") if is_open else [],
        "problems_en": checklist_problems(found.rows, "en") if is_open else [],
        "new_finding": new_finding,
        "findings_path": findings.path,
        "save_action": f"{base}/jawaban",
        "complete_action": f"{base}/selesaikan",
        "report_href": f"{base}/laporan.pdf",
        "system_href": f"{SYSTEM_PATH}/{row.system_id}",
        "system_label": system_label(session, row.system_id),
        "last_answer": last,
    }


def template_panel(session: Session, actor: Actor, row: AssessmentTemplate) -> Mapping[str, Any]:
    """A template's use, its items' total weight and the copy form."""
    items = template_items(session, row.id)
    counts: dict[str, int] = {}
    for item in items:
        counts[item.area.value] = counts.get(item.area.value, 0) + 1
    return {
        "used_by": template_in_use(session, row.id),
        "items": len(items),
        "weight": sum(item.weight for item in items),
        "areas": [(item.area, counts[item.area.value]) for item in _first_of_area(items)],
        "can_copy": permissions.can(actor, MANAGE),
        "copy_action": f"{get(TEMPLATES).path}/{row.id}/salin",
        "suggested_code": next_version(row.code),
        "suggested_version": next_version(row.version),
        "assessments_href": f"{get(ASSESSMENTS).path}?template_id={row.id}",
    }


def _first_of_area(items: list[AssessmentTemplateItem]) -> list[AssessmentTemplateItem]:
    seen: set[str] = set()
    firsts = []
    for item in items:
        if item.area.value not in seen:
            seen.add(item.area.value)
            firsts.append(item)
    return firsts


def finding_panel(session: Session, actor: Actor, row: AssessmentFinding) -> Mapping[str, Any]:
    """Where a finding comes from: the system, the assessment and the item's answer."""
    assessment = session.get(Assessment, row.assessment_id)
    answer = None
    item = None
    if assessment is not None and row.item_code:
        item = session.scalar(
            select(AssessmentTemplateItem).where(
                AssessmentTemplateItem.template_id == assessment.template_id,
                AssessmentTemplateItem.code == row.item_code,
            )
        )
        if item is not None:
            answer = session.scalar(
                select(AssessmentAnswer).where(
                    AssessmentAnswer.assessment_id == assessment.id,
                    AssessmentAnswer.item_id == item.id,
                )
            )
    today = utcnow().astimezone(WIB).date()
    siblings = 0
    if assessment is not None:
        siblings = (
            session.scalar(
                select(func.count(AssessmentFinding.id)).where(
                    AssessmentFinding.assessment_id == assessment.id
                )
            )
            or 0
        )
    return {
        "assessment": assessment,
        "assessment_href": f"{get(ASSESSMENTS).path}/{assessment.id}" if assessment else None,
        "system_href": f"{SYSTEM_PATH}/{assessment.system_id}" if assessment else None,
        "system_label": system_label(session, assessment.system_id) if assessment else "",
        "item": item,
        "answer": answer,
        "is_overdue": row.status.is_open and row.due_on is not None and row.due_on < today,
        "days_left": (row.due_on - today).days if row.due_on is not None else None,
        "siblings": siblings,
        "follow_up_href": FOLLOW_UP_PATH,
    }
