"""The annual evaluation's service: scoring, the workflow draft → reviewed → approved → sent,
who may do what, the report frozen at approval, publication, frameworks and the council's
recommendations — all audited."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.budget.choices import Category, FundingSource
from pontive.budget.models import BudgetLine, BudgetQuarter
from pontive.core.audit import AuditEvent
from pontive.core.auth import actor_for_user
from pontive.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.masterplan import evaluation as service
from pontive.masterplan import evaluation_recommendations as recommendations
from pontive.masterplan import monitoring
from pontive.masterplan import service as plan
from pontive.masterplan.choices import EvaluationStatus, RecommendationStatus
from pontive.masterplan.evaluation_frameworks import CITY_KIND, SPBE_KIND, spbe_config
from pontive.masterplan.evaluation_scoring import spbe_indicators
from pontive.masterplan.models import Evaluation

YEAR = 2025
SCORES = {"baseline": 3, "output": 4, "outcome": 3, "impact": 2, "quick_win": 5}  # index 3.10
# Every indicator at level 3 but Layanan (D4) at level 4:
# (54.5 * 3 + 45.5 * 4) / 100 = (163.5 + 182) / 100 = 3.455 → 3,46 (Baik).
LEVELS = {i["code"]: (4 if i["domain"] == "D4" else 3) for i in spbe_indicators(spbe_config())}


@dataclass
class People:
    """One actor per role the evaluation involves."""

    team: Actor
    mayor: Actor
    council: Actor
    officer: Actor
    operator: Actor


@pytest.fixture
def people(make_user: Any) -> People:
    def actor(role: Role, pd_kode: str | None = None) -> Actor:
        return actor_for_user(make_user(role, pd_kode=pd_kode))

    return People(
        actor(Role.TIM_TEKNIS),
        actor(Role.WALIKOTA),
        actor(Role.DEWAN),
        actor(Role.PETUGAS_PD, "diskominfo"),
        actor(Role.OPERATOR),
    )


def _indicator(
    session: Session,
    actor: Actor,
    programme: Any,
    code: str,
    unit: str,
    direction: str,
    target: float,
    value: float,
) -> None:
    indicator = plan.save_indicator(
        session,
        actor=actor,
        programme=programme,
        data=plan.IndicatorInput(
            code=code,
            name_id=f"Indikator {code}",
            unit=unit,
            direction=direction,
            pd_kode=programme.pd_kode,
            targets={YEAR: target},
            baseline_value=None,
        ),
    )
    entry = monitoring.report_value(
        session, actor=actor, indicator=indicator, period_date=date(YEAR, 11, 30), value=value
    )
    monitoring.review(session, actor=actor, entry=entry, approve=True)


def build_year(session: Session, team: Actor) -> None:
    """Two programmes with three verified indicators and two budget lines in ``YEAR``:

    - GOV-01 (Smart Governance): 81 of a 90 % target → 90 %; 40 hours against a 48-hour
      lower-is-better target → 100 %; the programme and the dimension at 95 %;
    - ENV-01 (Smart Environment): 50 of a 100 t target → 50 %;
    - budget: teknologi Rp 150.000.000 planned, Rp 90.000.000 realised (60 %);
      infrastruktur Rp 200.000.000 planned, Rp 150.000.000 realised (75 %);
      in all Rp 350.000.000 and Rp 240.000.000 (68,6 %).
    """
    gov = plan.save_programme(
        session,
        actor=team,
        data=plan.ProgrammeInput(
            code="GOV-01",
            name="Layanan publik digital",
            dimensi_kode="governance",
            pd_kode="diskominfo",
            start_year=2024,
            end_year=2028,
        ),
    )
    env = plan.save_programme(
        session,
        actor=team,
        data=plan.ProgrammeInput(
            code="ENV-01",
            name="Pengelolaan sampah terpadu",
            dimensi_kode="environment",
            pd_kode="dlh",
            start_year=2024,
            end_year=2028,
        ),
    )
    _indicator(session, team, gov, "GOV-01.I1", "%", "higher", 90, 81)
    _indicator(session, team, gov, "GOV-01.I2", "jam", "lower", 48, 40)
    _indicator(session, team, env, "ENV-01.I1", "ton", "higher", 100, 50)
    lines = [
        ("L1", "GOV-01", "teknologi", {1: 100_000_000, 2: 50_000_000}, 90_000_000),
        ("L2", "ENV-01", "infrastruktur", {1: 200_000_000}, 150_000_000),
    ]
    programmes = {"GOV-01": gov.id, "ENV-01": env.id}
    for code, programme, category, planned, realised in lines:
        # Rows written directly: budget.service.save_line cannot audit yet (its state has
        # int dict keys, which the audit digest refuses: budget/service.py _line_state).
        line = BudgetLine(
            year=YEAR,
            code=code,
            name=f"Belanja {code}",
            pd_kode="diskominfo",
            programme_id=programmes[programme],
            source=FundingSource.APBD,
            category=Category(category),
        )
        line.quarters = [
            BudgetQuarter(
                quarter=q,
                planned=Decimal(planned.get(q, 0)),
                realised=Decimal(realised if q == 1 else 0),
            )
            for q in (1, 2, 3, 4)
        ]
        session.add(line)
    session.flush()


def scored(session: Session, team: Actor) -> Evaluation:
    """An evaluation of ``YEAR`` with every aspect and indicator scored and a summary."""
    evaluation = service.create_evaluation(session, actor=team, year=YEAR)
    service.save_aspects(
        session,
        actor=team,
        evaluation=evaluation,
        entries={code: (str(score), f"catatan {code}") for code, score in SCORES.items()},
    )
    service.save_spbe(
        session,
        actor=team,
        evaluation=evaluation,
        entries={code: (level, "") for code, level in LEVELS.items()},
    )
    service.save_narrative(
        session,
        actor=team,
        evaluation=evaluation,
        summary="Penyelenggaraan smart city tahun ini berjalan baik pada dimensi tata kelola.",
        issues="Data sampah belum lengkap di dua kecamatan.",
        letter_number="000.1/123/TT-SC/2026",
    )
    return evaluation


def _actions(session: Session, year: int) -> list[str]:
    query = select(AuditEvent.action).where(
        AuditEvent.object_type == "mp_evaluation", AuditEvent.object_id == str(year)
    )
    return list(session.scalars(query.order_by(AuditEvent.id)))


def test_scores_are_stored_with_notes_and_the_indices_follow(
    session: Session, people: People
) -> None:
    evaluation = scored(session, people.team)
    assert evaluation.aspect_scores["outcome"] == {"score": 3.0, "note": "catatan outcome"}
    assert evaluation.spbe_levels["I01"] == {"level": 3, "note": ""}
    city, spbe = service.results(session, evaluation)
    assert city.index == pytest.approx(3.10)
    assert spbe.index == pytest.approx(3.455)
    assert spbe.predicate == "Baik"
    # Emptying a score removes it; the others stay.
    service.save_aspects(
        session, actor=people.team, evaluation=evaluation, entries={"impact": ("", "")}
    )
    assert "impact" not in evaluation.aspect_scores
    assert service.results(session, evaluation)[0].missing == ["impact"]


def test_bad_scores_are_refused_per_field(session: Session, people: People) -> None:
    evaluation = service.create_evaluation(session, actor=people.team, year=YEAR)
    with pytest.raises(InvalidInput) as refused:
        service.save_aspects(
            session,
            actor=people.team,
            evaluation=evaluation,
            entries={"baseline": ("6", ""), "output": ("abc", ""), "nope": ("3", "")},
        )
    assert set(refused.value.errors) == {"score_baseline", "score_output", "form"}
    with pytest.raises(InvalidInput) as refused:
        service.save_spbe(
            session, actor=people.team, evaluation=evaluation, entries={"I01": ("3.5", "")}
        )
    assert "level_I01" in refused.value.errors
    assert evaluation.aspect_scores == {}
    assert evaluation.spbe_levels == {}


def test_the_whole_workflow_freezes_the_report(
    session: Session, people: People, media: MediaStore
) -> None:
    build_year(session, people.team)
    evaluation = scored(session, people.team)
    service.review(session, actor=people.team, evaluation=evaluation)
    assert evaluation.status is EvaluationStatus.REVIEWED
    with pytest.raises(Conflict):  # no changes once reviewed
        service.save_aspects(
            session, actor=people.team, evaluation=evaluation, entries={"impact": ("5", "")}
        )
    with pytest.raises(PermissionDenied):  # the technical team does not approve
        service.approve(session, actor=people.team, evaluation=evaluation, media=media)
    service.approve(session, actor=people.mayor, evaluation=evaluation, media=media)
    assert evaluation.status is EvaluationStatus.APPROVED
    stored = media.read(evaluation.report_key or "")
    assert stored.startswith(b"%PDF")
    assert evaluation.report_sha256 == hashlib.sha256(stored).hexdigest()
    # Frozen: the document served is the stored one, byte for byte.
    assert service.report_document(session, evaluation=evaluation, media=media) == stored
    with pytest.raises(InvalidInput):  # the letter number printed in the report stays
        service.mark_sent(session, actor=people.team, evaluation=evaluation, letter_number="X")
    service.mark_sent(session, actor=people.team, evaluation=evaluation, letter_number="")
    assert evaluation.status is EvaluationStatus.SENT
    assert evaluation.letter_number == "000.1/123/TT-SC/2026"
    assert evaluation.sent_at is not None
    with pytest.raises(PermissionDenied):
        service.publish(session, actor=people.council, evaluation=evaluation)
    service.publish(session, actor=people.team, evaluation=evaluation)
    assert service.public_report(session, year=YEAR, media=media) == stored
    assert _actions(session, YEAR) == [
        "masterplan.evaluation.created",
        "masterplan.evaluation.aspects_scored",
        "masterplan.evaluation.spbe_scored",
        "masterplan.evaluation.narrative_saved",
        "masterplan.evaluation.reviewed",
        "masterplan.evaluation.approved",
        "masterplan.evaluation.sent",
        "masterplan.evaluation.published",
    ]


def test_review_needs_every_score_and_a_summary(session: Session, people: People) -> None:
    evaluation = service.create_evaluation(session, actor=people.team, year=YEAR)
    service.save_aspects(
        session, actor=people.team, evaluation=evaluation, entries={"baseline": ("3", "")}
    )
    with pytest.raises(InvalidInput) as refused:
        service.review(session, actor=people.team, evaluation=evaluation)
    assert set(refused.value.errors) == {"aspects", "spbe", "summary"}
    assert "output" in refused.value.errors["aspects"][0]
    assert evaluation.status is EvaluationStatus.DRAFT


def test_the_mayor_may_send_a_reviewed_evaluation_back(session: Session, people: People) -> None:
    evaluation = scored(session, people.team)
    service.review(session, actor=people.team, evaluation=evaluation)
    with pytest.raises(PermissionDenied):
        service.return_to_draft(
            session, actor=people.council, evaluation=evaluation, note="perlu diperbaiki"
        )
    service.return_to_draft(
        session, actor=people.mayor, evaluation=evaluation, note="Lengkapi data dampak."
    )
    assert evaluation.status is EvaluationStatus.DRAFT
    assert evaluation.reviewed_by is None


def test_who_may_do_what(session: Session, people: People, media: MediaStore) -> None:
    for outsider in (people.officer, people.operator, people.council, people.mayor):
        with pytest.raises(PermissionDenied):
            service.create_evaluation(session, actor=outsider, year=YEAR)
    evaluation = scored(session, people.team)
    for outsider in (people.officer, people.council, people.mayor):
        with pytest.raises(PermissionDenied):
            service.save_spbe(
                session, actor=outsider, evaluation=evaluation, entries={"I01": ("5", "")}
            )
    with pytest.raises(Conflict):  # approval only after review
        service.approve(session, actor=people.mayor, evaluation=evaluation, media=media)
    with pytest.raises(Conflict):
        service.create_evaluation(session, actor=people.team, year=YEAR)


def test_a_draft_report_is_rendered_live_and_not_public(
    session: Session, people: People, media: MediaStore
) -> None:
    evaluation = scored(session, people.team)
    assert service.report_document(session, evaluation=evaluation, media=media).startswith(b"%PDF")
    assert evaluation.report_key is None
    with pytest.raises(NotFound):
        service.public_report(session, year=YEAR, media=media)


def test_council_recommends_and_the_team_responds(session: Session, people: People) -> None:
    item = recommendations.add_recommendation(
        session,
        actor=people.council,
        year=YEAR,
        text="Percepat integrasi data sampah antarkecamatan.",
        dimensi_kode="environment",
        addressed_to="dlh",
    )
    assert item.evaluation_id is None
    evaluation = service.create_evaluation(session, actor=people.team, year=YEAR)
    session.refresh(item)
    assert item.evaluation_id == evaluation.id  # linked when the year's evaluation opens
    for outsider in (people.officer, people.team):
        with pytest.raises(PermissionDenied):
            recommendations.add_recommendation(
                session, actor=outsider, year=YEAR, text="Sebuah rekomendasi lain."
            )
    with pytest.raises(PermissionDenied):
        recommendations.respond(
            session, actor=people.council, recommendation=item, status="done", response="ok ok"
        )
    with pytest.raises(InvalidInput) as refused:
        recommendations.respond(
            session, actor=people.team, recommendation=item, status="done", response=""
        )
    assert "response" in refused.value.errors
    recommendations.respond(
        session,
        actor=people.team,
        recommendation=item,
        status="in_progress",
        response="Integrasi dimulai triwulan I.",
    )
    assert item.status is RecommendationStatus.IN_PROGRESS
    assert recommendations.list_recommendations(session, year=YEAR) == [item]
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "mp_recommendation")
    ).all()
    assert actions[-2:] == ["masterplan.recommendation.added", "masterplan.recommendation.answered"]


def test_bad_recommendations_are_refused(session: Session, people: People) -> None:
    with pytest.raises(InvalidInput) as refused:
        recommendations.add_recommendation(
            session,
            actor=people.council,
            year=YEAR,
            text="pendek",
            dimensi_kode="mars",
            addressed_to="nope",
        )
    assert set(refused.value.errors) == {"text", "dimensi_kode", "addressed_to"}


def test_a_framework_used_by_an_approved_evaluation_gets_a_new_version(
    session: Session, people: People, media: MediaStore
) -> None:
    evaluation = scored(session, people.team)
    service.review(session, actor=people.team, evaluation=evaluation)
    service.approve(session, actor=people.mayor, evaluation=evaluation, media=media)
    draft = service.create_evaluation(session, actor=people.team, year=YEAR + 1)
    before = service.current_framework(session, CITY_KIND)
    config = dict(before.config)
    config["aspects"] = [dict(a) for a in config["aspects"]]
    config["aspects"][3]["weight"] = 20  # impact 30 → 20
    saved = service.save_framework(session, actor=people.team, kind=CITY_KIND, config=config)
    assert saved.id != before.id
    assert saved.version == "v2"
    assert before.config["aspects"][3]["weight"] == 30  # the approved one's is kept
    session.refresh(evaluation)
    session.refresh(draft)
    assert evaluation.framework_id == before.id
    assert draft.framework_id == saved.id
    # Weights 10/20/30/20/10 (sum 90): (30 + 80 + 90 + 40 + 50) / 90 = 290 / 90 = 3.222…
    assert service.results(session, evaluation)[0].index == pytest.approx(3.10)
    service.save_aspects(
        session,
        actor=people.team,
        evaluation=draft,
        entries={code: (str(score), "") for code, score in SCORES.items()},
    )
    assert service.results(session, draft)[0].index == pytest.approx(290 / 90)


def test_a_framework_not_yet_used_is_changed_in_place_and_checked(
    session: Session, people: People
) -> None:
    before = service.current_framework(session, SPBE_KIND)
    config = spbe_config()
    config["bands"][0]["min"] = 4.3
    saved = service.save_framework(session, actor=people.team, kind=SPBE_KIND, config=config)
    assert saved.id == before.id
    assert saved.config["bands"][0]["min"] == 4.3
    config["bands"][1]["min"] = 4.3
    with pytest.raises(InvalidInput) as refused:
        service.save_framework(session, actor=people.team, kind=SPBE_KIND, config=config)
    assert "bands" in refused.value.errors
    with pytest.raises(PermissionDenied):
        service.save_framework(session, actor=people.mayor, kind=SPBE_KIND, config=spbe_config())
