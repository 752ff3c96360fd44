"""The rules the assessment registries check on every write (their ``validate`` hooks), and
the two actions built on the store: copying a template as a new version and the values a
"create finding" link pre-fills.

- a template that an assessment uses is not changed item by item: it is copied as a new
  version (past assessments keep the questions they answered);
- an assessment starts on an active template and keeps it once answered; it is completed
  only when every item is answered and evidence is referenced where the item expects it;
- a closed finding (selesai, risiko diterima) has its closing date, an open one has none.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.assessment_choices import (
    OPEN_FINDING,
    Answer,
    AssessmentStatus,
    FindingStatus,
    Severity,
)
from pontive.assets.assessment_models import (
    Assessment,
    AssessmentTemplate,
    AssessmentTemplateItem,
)
from pontive.assets.assessment_service import (
    ITEMS,
    MANAGE,
    SYSTEMS,
    TEMPLATES,
    ChecklistRow,
    answers_of,
    completion_problems,
    template_in_use,
    template_items,
)
from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.core.registry import get
from pontive.registry import store

Errors = dict[str, list[str]]
# Days a finding is given to be remedied, by severity (what the "create finding" link offers).
DAYS_TO_REMEDY = {
    Severity.KRITIS: 14,
    Severity.TINGGI: 30,
    Severity.SEDANG: 60,
    Severity.RENDAH: 90,
}


def _merged(values: Mapping[str, Any], row: Any | None, name: str) -> Any:
    if name in values:
        return values[name]
    return getattr(row, name, None) if row is not None else None


def _say(lang: str, text_id: str, text_en: str) -> list[str]:
    return [text_en if lang == "en" else text_id]


def validate_item(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
    """An item is added or changed only on a template no assessment uses; codes are unique
    within their template."""
    errors: Errors = {}
    template_id = _merged(values, row, "template_id")
    touched = {template_id, getattr(row, "template_id", None)} - {None}
    if any(template_in_use(session, tid) for tid in touched):
        errors["template_id"] = _say(
            lang,
            "Templat ini sudah dipakai penilaian; salin sebagai versi baru untuk mengubah "
            "butirnya.",
            "An assessment uses this template; copy it as a new version to change its items.",
        )
    code = _merged(values, row, "code")
    if template_id is not None and code:
        query = select(AssessmentTemplateItem.id).where(
            AssessmentTemplateItem.template_id == template_id, AssessmentTemplateItem.code == code
        )
        clash = session.scalar(query)
        if clash is not None and (row is None or clash != row.id):
            errors["code"] = _say(
                lang, "Kode sudah dipakai butir lain di templat ini.", "Code used by another item."
            )
    return errors


def validate_assessment(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
    """A new or changed template must be active and the checklist not yet answered; the
    status ``selesai`` needs a complete checklist."""
    errors: Errors = {}
    template_id = _merged(values, row, "template_id")
    if "template_id" in values and (row is None or row.template_id != template_id):
        template = session.get(AssessmentTemplate, template_id) if template_id else None
        if template is not None and not template.active:
            errors["template_id"] = _say(
                lang, "Templat ini sudah tidak aktif.", "This template is no longer active."
            )
        elif row is not None and answers_of(session, row.id):
            errors["template_id"] = _say(
                lang,
                "Daftar periksa sudah dijawab; templat tidak bisa diganti.",
                "The checklist is answered; its template cannot change.",
            )
    status = _merged(values, row, "status")
    was = getattr(row, "status", None)
    if status is AssessmentStatus.SELESAI and was is not AssessmentStatus.SELESAI:
        problems = completion_problems(session, getattr(row, "id", None), template_id, lang)
        if problems:
            errors["status"] = problems
    return errors


def validate_finding(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
    """A closed finding has a closing date; an open one has none."""
    status = _merged(values, row, "status") or FindingStatus.TERBUKA
    closed_on = _merged(values, row, "closed_on")
    if status not in OPEN_FINDING and closed_on is None:
        return {
            "closed_on": _say(
                lang,
                "Isi tanggal selesai untuk temuan yang ditutup.",
                "Give the closing date of a closed finding.",
            )
        }
    if status in OPEN_FINDING and closed_on is not None:
        return {
            "closed_on": _say(
                lang,
                "Kosongkan tanggal selesai selama temuan masih terbuka.",
                "Leave the closing date empty while the finding is open.",
            )
        }
    return {}


def after_assessment_saved(session: Session, actor: Actor, row: Any) -> None:
    """Keep the score and rating in step with the answers (e.g. after completing)."""
    from pontive.assets.assessment_service import refresh

    refresh(session, actor, row, via="system")


def copy_template(
    session: Session,
    actor: Actor,
    template: AssessmentTemplate,
    *,
    code: str,
    version: str,
    name: str = "",
    retire_old: bool = False,
    lang: str = "id",
) -> AssessmentTemplate:
    """A new template with ``template``'s items under a new code and version (each row with
    its history); ``retire_old`` makes the old one inactive."""
    permissions.require(actor, MANAGE)
    templates, items = get(TEMPLATES), get(ITEMS)
    found = store.lookups(session)
    copy: AssessmentTemplate = store.save_row(
        session,
        templates,
        actor,
        {
            "code": code,
            "name": name or template.name,
            "version": version,
            "description": template.description or "",
            "active": "true",
        },
        lang=lang,
        found=found,
    )
    for item in template_items(session, template.id):
        store.save_row(
            session,
            items,
            actor,
            {
                "template_id": str(copy.id),
                "area": item.area.value,
                "code": item.code,
                "question": item.question,
                "guidance": item.guidance or "",
                "weight": str(item.weight),
                "evidence_expected": "true" if item.evidence_expected else "false",
            },
            lang=lang,
            found=found,
        )
    if retire_old and template.active:
        store.save_row(
            session, templates, actor, {"active": "false"}, row=template, partial=True, lang=lang
        )
    return copy


def next_version(version: str) -> str:
    """The version after ``version`` (``2026.1`` -> ``2026.2``; ``v3`` -> ``v4``)."""
    head, digits = version.rstrip("0123456789"), version[len(version.rstrip("0123456789")) :]
    return f"{head}{int(digits) + 1}" if digits else f"{version}.1"


def system_owner(session: Session, system_id: int) -> str | None:
    """The agency owning a catalogued system (its registry's owner field)."""
    registry = get(SYSTEMS)
    system = session.get(registry.model, system_id)
    if system is None or registry.owner_field is None:
        return None
    owner: str | None = getattr(system, registry.owner_field)
    return owner


def finding_prefill(
    assessment: Assessment, row: ChecklistRow, owner_pd: str | None, today: date
) -> dict[str, str]:
    """What the new-finding page is opened with for an unmet item."""
    severity = Severity.TINGGI if row.item.weight >= 4 else Severity.SEDANG
    question = " ".join(row.item.question.split())
    title = f"{row.item.code}: {question}"
    values = {
        "assessment_id": str(assessment.id),
        "item_code": row.item.code,
        "area": row.item.area.value,
        "title": title if len(title) <= 200 else title[:197].rstrip() + "...",
        "severity": severity.value,
        "status": FindingStatus.TERBUKA.value,
        "due_on": (today + timedelta(days=DAYS_TO_REMEDY[severity])).isoformat(),
    }
    if row.answer is not None and row.answer.answer is Answer.TIDAK_MEMENUHI and row.answer.note:
        values["description"] = row.answer.note
    if owner_pd:
        values["owner_pd"] = owner_pd
    return values
