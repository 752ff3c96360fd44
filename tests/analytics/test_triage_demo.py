"""The triage part of the demo (analytics/triage_demo.py): a live model trained from the seed
set, suggestions for the reports waiting for triage, and weeks of operator decisions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics import triage_stats
from pontive.analytics.triage_choices import Decision
from pontive.analytics.triage_models import TriageSuggestion
from pontive.complaints.models import Complaint
from tests.conftest import DemoDatabase


def test_demo_has_a_live_model_its_suggestions_and_decisions(
    demo_session: Session, demo_database: DemoDatabase
) -> None:
    overview = triage_stats.overview(demo_session)
    assert overview.version is not None
    assert overview.category_macro_f1 is not None
    assert overview.category_macro_f1 >= 0.80
    assert overview.version in demo_database.summary["analytics"]
    rows = demo_session.scalars(select(TriageSuggestion)).all()
    assert {row.model_version for row in rows} == {overview.version}
    decisions = {row.decision for row in rows}
    assert decisions == {None, Decision.ACCEPTED, Decision.CORRECTED}
    assert overview.decided >= 50
    # Made with a model trained before them, all in the demo's recent weeks.
    assert overview.trained_at is not None
    assert all(row.created_at >= overview.trained_at for row in rows)
    weeks = triage_stats.weekly_acceptance(demo_session)
    assert sum(week.decided for week in weeks) == overview.decided
    corrected = [row for row in rows if row.decision is Decision.CORRECTED]
    for row in corrected:
        complaint = demo_session.get(Complaint, row.complaint_id)
        assert complaint is not None
        assert row.final_category_code == complaint.category.code
