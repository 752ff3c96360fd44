"""The demo's assessments, loaded by ``pontive demo load`` with everything else: completed
ones with findings in several states (one overdue), one in progress, a system due again and
systems never assessed — and the report of each renders."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.assessment_choices import AssessmentStatus, FindingStatus
from pontive.assets.assessment_followup import follow_up
from pontive.assets.assessment_models import Assessment, AssessmentFinding
from pontive.assets.assessment_report import build
from pontive.assets.assessment_service import checklist
from pontive.core.timeutil import WIB
from tests.assets.assessment_support import TEAM
from tests.conftest import DemoDatabase


def test_the_demo_assesses_systems_in_every_state(
    demo_session: Session, demo_database: DemoDatabase
) -> None:
    assert "penilaian sistem informasi" in demo_database.summary["assets"]
    assessments = list(demo_session.scalars(select(Assessment).order_by(Assessment.id)))
    statuses = Counter(a.status for a in assessments)
    assert statuses[AssessmentStatus.SELESAI] >= 2
    assert statuses[AssessmentStatus.BERLANGSUNG] == 1
    running = next(a for a in assessments if a.status is AssessmentStatus.BERLANGSUNG)
    partial = checklist(demo_session, TEAM, running).result.overall
    assert 0 < partial.answered < partial.total
    for done in (a for a in assessments if a.status is AssessmentStatus.SELESAI):
        found = checklist(demo_session, TEAM, done)
        assert found.result.overall.is_complete
        assert not found.missing_evidence
        assert done.score == found.result.overall.score
        assert done.rating is not None

    findings = list(demo_session.scalars(select(AssessmentFinding)))
    assert {f.status for f in findings} == set(FindingStatus)
    today = demo_database.loaded_at.astimezone(WIB).date()
    figures = follow_up(demo_session, TEAM, today)
    assert len(figures.overdue) == 1
    assert figures.never
    assert figures.stale
    twice = Counter(a.system_id for a in assessments).most_common(1)[0]
    assert twice[1] == 2


def test_each_demo_report_renders(demo_session: Session) -> None:
    for assessment in demo_session.scalars(select(Assessment)):
        assert build(demo_session, TEAM, assessment).startswith(b"%PDF")
