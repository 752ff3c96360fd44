"""The participation demo: ideas in every state with supports and comments, one realised in
a masterplan programme, adoptions with reports; loaded through the services."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.identity import system_actor
from pontive.participation import demo, ideas
from pontive.participation.choices import AdoptionStatus, IdeaStatus
from pontive.participation.models import Adoption, AdoptionReport, Comment, Idea, Support
from tests.conftest import DemoDatabase
from tests.participation.support import programme


def test_the_demo_loads_every_state(session: Session) -> None:
    programme(session)
    summary = demo.load(session, system_actor("demo"))
    assert summary.startswith(f"{len(demo.IDEAS)} ideas")
    statuses = set(session.scalars(select(Idea.status)))
    assert statuses == set(IdeaStatus)
    realised = session.scalar(select(Idea).where(Idea.status == IdeaStatus.DIWUJUDKAN))
    assert realised is not None
    assert realised.programme_code == "LIV-03"
    assert session.scalar(select(func.count()).select_from(Support)) > 0
    assert session.scalar(select(func.count()).select_from(Comment)) > 0
    merged = session.scalar(select(Idea).where(Idea.status == IdeaStatus.DIGABUNG))
    assert merged is not None
    assert merged.supports_count == 0
    found, total = ideas.list_public(session, sort="dukungan")
    assert total >= 6
    assert found[0].supports_count >= found[-1].supports_count
    approved = session.scalars(
        select(Adoption).where(Adoption.status == AdoptionStatus.DISETUJUI)
    ).all()
    assert len(approved) == 3
    assert all(a.kelurahan_kode for a in approved)
    assert session.scalar(select(func.count()).select_from(AdoptionReport)) == 5


def test_the_run_demo_has_participation(demo_database: DemoDatabase, demo_session: Session) -> None:
    assert "ideas" in demo_database.summary["participation"]
    linked = demo_session.scalar(select(Idea).where(Idea.programme_code.is_not(None)))
    assert linked is not None
    assert linked.status is IdeaStatus.DIWUJUDKAN
