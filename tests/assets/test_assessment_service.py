"""Answering a checklist, the stored score, completion and freezing, templates used by
assessments, findings' rules and who may do what."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.assessment_choices import (
    Answer,
    AssessmentArea,
    AssessmentStatus,
    FindingStatus,
    Rating,
)
from pontive.assets.assessment_rules import copy_template, next_version
from pontive.assets.assessment_service import (
    ASSESSMENTS,
    FINDINGS,
    ITEMS,
    TEMPLATES,
    AnswerInput,
    answers_of,
    complete,
    save_answers,
    template_items,
)
from pontive.core.errors import Conflict, InvalidInput, PermissionDenied
from pontive.core.registry import get
from pontive.core.roles import Role
from pontive.registry import store
from pontive.registry.models import RegistryChange
from tests.assets.assessment_support import (
    TEAM,
    actor,
    answer_all,
    default_template,
    make_assessment,
    make_finding,
    make_system,
)


def _by_code(session: Session, template_id: int) -> dict[str, int]:
    return {item.code: item.id for item in template_items(session, template_id)}


def test_a_partial_save_scores_the_answered_items_and_starts_the_assessment(
    session: Session,
) -> None:
    assessment = make_assessment(session, make_system(session))
    ids = _by_code(session, assessment.template_id)
    # KR-02 weight 5 met, KR-03 weight 4 partly, KR-04 weight 4 not met, IN-06 not applicable
    result = save_answers(
        session,
        TEAM,
        assessment,
        [
            AnswerInput(ids["KR-02"], Answer.MEMENUHI, "Sudah diganti", "BA-01"),
            AnswerInput(ids["KR-03"], Answer.SEBAGIAN),
            AnswerInput(ids["KR-04"], Answer.TIDAK_MEMENUHI, "Belum ditinjau"),
            AnswerInput(ids["IN-06"], Answer.TIDAK_BERLAKU),
        ],
    )
    expected = round(100 * (5 + 2) / 13, 1)
    assert result.overall.score == expected
    assert result.overall.answered == 4
    assert assessment.score == expected
    assert assessment.rating is Rating.KURANG
    assert assessment.status is AssessmentStatus.BERLANGSUNG
    kr = result.area(AssessmentArea.KERAHASIAAN)
    assert kr is not None
    assert kr.score == expected
    integrity = result.area(AssessmentArea.INTEGRITAS)
    assert integrity is not None
    assert integrity.score is None
    change = session.scalar(
        select(RegistryChange)
        .where(
            RegistryChange.registry_name == ASSESSMENTS, RegistryChange.object_id == assessment.id
        )
        .order_by(RegistryChange.id.desc())
    )
    assert change is not None
    diff = json.loads(change.changes)
    assert diff["status"] == ["draf", "berlangsung"]
    assert diff["score"] == ["", str(expected)]
    stored = answers_of(session, assessment.id)
    assert stored[ids["KR-02"]].evidence == "BA-01"
    assert stored[ids["KR-04"]].note == "Belum ditinjau"


def test_saving_the_same_answers_again_records_nothing_new(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    ids = _by_code(session, assessment.template_id)
    entries = [AnswerInput(ids["KR-01"], Answer.MEMENUHI, "", "x")]
    save_answers(session, TEAM, assessment, entries)
    count = len(store.history(session, get(ASSESSMENTS), TEAM, assessment.id))
    save_answers(session, TEAM, assessment, entries)
    assert len(store.history(session, get(ASSESSMENTS), TEAM, assessment.id)) == count


def test_an_answer_can_be_cleared_and_the_score_follows(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    ids = _by_code(session, assessment.template_id)
    save_answers(
        session,
        TEAM,
        assessment,
        [
            AnswerInput(ids["KR-01"], Answer.MEMENUHI),
            AnswerInput(ids["KR-02"], Answer.TIDAK_MEMENUHI),
        ],
    )
    assert assessment.score == round(100 * 4 / 9, 1)
    save_answers(session, TEAM, assessment, [AnswerInput(ids["KR-02"], None)])
    assert assessment.score == 100.0
    assert ids["KR-02"] not in answers_of(session, assessment.id)


def test_an_item_of_another_template_is_refused(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    other = copy_template(
        session, TEAM, default_template(session), code="UJI-LAIN-1", version="9", lang="id"
    )
    foreign = template_items(session, other.id)[0]
    with pytest.raises(InvalidInput) as refused:
        save_answers(session, TEAM, assessment, [AnswerInput(foreign.id, Answer.MEMENUHI)])
    assert f"item_{foreign.id}" in refused.value.errors


def test_completing_needs_every_item_answered_and_evidence_where_expected(
    session: Session,
) -> None:
    assessment = make_assessment(session, make_system(session))
    ids = _by_code(session, assessment.template_id)
    save_answers(session, TEAM, assessment, [AnswerInput(ids["KR-01"], Answer.MEMENUHI)])
    with pytest.raises(InvalidInput) as unanswered:
        complete(session, TEAM, assessment)
    assert "34 butir belum dijawab" in unanswered.value.errors["status"][0]

    answer_all(session, assessment, evidence="")  # every item met, no evidence given
    with pytest.raises(InvalidInput) as no_evidence:
        complete(session, TEAM, assessment, lang="en")
    assert "Evidence reference missing" in no_evidence.value.errors["status"][0]
    assert "KR-01" in no_evidence.value.errors["status"][0]

    answer_all(session, assessment, {"KR-03": Answer.TIDAK_MEMENUHI, "IN-06": Answer.TIDAK_BERLAKU})
    complete(session, TEAM, assessment)
    assert assessment.status is AssessmentStatus.SELESAI
    assert assessment.score == round(100 * (120 - 3 - 4) / (120 - 3), 1)
    assert assessment.rating is Rating.BAIK


def test_a_completed_assessment_freezes_its_answers(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    answer_all(session, assessment)
    complete(session, TEAM, assessment)
    item = template_items(session, assessment.template_id)[0]
    with pytest.raises(Conflict):
        save_answers(session, TEAM, assessment, [AnswerInput(item.id, Answer.TIDAK_MEMENUHI)])
    with pytest.raises(Conflict):
        complete(session, TEAM, assessment)


def test_the_generic_edit_checks_completion_too(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    with pytest.raises(InvalidInput) as refused:
        store.save_row(
            session, get(ASSESSMENTS), TEAM, {"status": "selesai"}, row=assessment, partial=True
        )
    assert "status" in refused.value.errors


def test_an_answered_assessment_keeps_its_template(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    answer_all(session, assessment)
    other = copy_template(session, TEAM, default_template(session), code="UJI-2", version="2")
    with pytest.raises(InvalidInput) as refused:
        store.save_row(
            session,
            get(ASSESSMENTS),
            TEAM,
            {"template_id": str(other.id)},
            row=assessment,
            partial=True,
        )
    assert "template_id" in refused.value.errors


def test_a_new_assessment_needs_an_active_template(session: Session) -> None:
    retired = copy_template(session, TEAM, default_template(session), code="UJI-3", version="3")
    store.save_row(session, get(TEMPLATES), TEAM, {"active": "false"}, row=retired, partial=True)
    with pytest.raises(InvalidInput) as refused:
        make_assessment(session, make_system(session), template=retired)
    assert "template_id" in refused.value.errors


def test_items_of_a_used_template_do_not_change_but_a_copy_can(session: Session) -> None:
    template = copy_template(session, TEAM, default_template(session), code="UJI-4", version="4")
    make_assessment(session, make_system(session), template=template)
    item = template_items(session, template.id)[0]
    items = get(ITEMS)
    with pytest.raises(InvalidInput) as refused:
        store.save_row(session, items, TEAM, {"weight": "1"}, row=item, partial=True)
    assert "template_id" in refused.value.errors
    with pytest.raises(InvalidInput):
        store.save_row(
            session,
            items,
            TEAM,
            {"template_id": str(template.id), "area": "integritas", "code": "IN-99",
             "question": "Pertanyaan baru?", "weight": "2"},
        )  # fmt: skip

    copy = copy_template(
        session, TEAM, template, code=next_version(template.code), version="5", retire_old=True
    )
    assert copy.code == "UJI-5"
    assert not template.active
    assert copy.active
    copied = template_items(session, copy.id)
    assert [(i.code, i.weight, i.question) for i in copied] == [
        (i.code, i.weight, i.question) for i in template_items(session, template.id)
    ]
    changed = store.save_row(session, items, TEAM, {"weight": "1"}, row=copied[0], partial=True)
    assert changed.weight == 1


def test_copying_refuses_a_code_in_use(session: Session) -> None:
    template = default_template(session)
    with pytest.raises(InvalidInput) as refused:
        copy_template(session, TEAM, template, code=template.code, version="2")
    assert "code" in refused.value.errors


@pytest.mark.parametrize(("version", "after"), [("1", "2"), ("2026.9", "2026.10"), ("v", "v.1")])
def test_next_version(version: str, after: str) -> None:
    assert next_version(version) == after


def test_a_closed_finding_has_its_closing_date_and_an_open_one_none(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    with pytest.raises(InvalidInput) as closed:
        make_finding(session, assessment, status="selesai")
    assert "closed_on" in closed.value.errors
    with pytest.raises(InvalidInput) as still_open:
        make_finding(session, assessment, status="ditangani", closed_on="2026-11-01")
    assert "closed_on" in still_open.value.errors
    finding = make_finding(session, assessment, status="risiko_diterima", closed_on="2026-11-20")
    assert finding.status is FindingStatus.RISIKO_DITERIMA


def test_agency_officers_follow_up_their_own_findings_only(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    ours = make_finding(session, assessment, owner_pd="diskominfo")
    theirs = make_finding(session, assessment, owner_pd="dlh")
    officer = actor(Role.PETUGAS_PD, "diskominfo")
    findings = get(FINDINGS)
    store.save_row(
        session,
        findings,
        officer,
        {"status": "ditangani", "remediation": "Sedang dikerjakan"},
        row=ours,
        partial=True,
    )
    assert ours.status is FindingStatus.DITANGANI
    with pytest.raises(PermissionDenied):
        store.save_row(
            session, findings, officer, {"status": "ditangani"}, row=theirs, partial=True
        )
    with pytest.raises(PermissionDenied):  # nor hand its own to another agency
        store.save_row(session, findings, officer, {"owner_pd": "dlh"}, row=ours, partial=True)


def test_only_the_technical_team_answers_checklists(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    item = template_items(session, assessment.template_id)[0]
    for role, pd in ((Role.PETUGAS_PD, "diskominfo"), (Role.DEWAN, None), (Role.OPERATOR, None)):
        with pytest.raises(PermissionDenied):
            save_answers(
                session, actor(role, pd), assessment, [AnswerInput(item.id, Answer.MEMENUHI)]
            )
    save_answers(session, actor(Role.ADMIN), assessment, [AnswerInput(item.id, Answer.MEMENUHI)])
    assert item.id in answers_of(session, assessment.id)


def test_a_completed_assessment_can_be_reopened_to_correct_it(session: Session) -> None:
    assessment = make_assessment(session, make_system(session))
    answer_all(session, assessment)
    complete(session, TEAM, assessment)
    store.save_row(
        session, get(ASSESSMENTS), TEAM, {"status": "berlangsung"}, row=assessment, partial=True
    )
    item = template_items(session, assessment.template_id)[0]
    result = save_answers(session, TEAM, assessment, [AnswerInput(item.id, Answer.TIDAK_MEMENUHI)])
    assert result.overall.score is not None
    assert result.overall.score < 100
    actions = [c.changes for c in store.history(session, get(ASSESSMENTS), TEAM, assessment.id)]
    assert any('"status": ["selesai", "berlangsung"]' in c for c in actions)
