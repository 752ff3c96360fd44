"""The demo's institutions, loaded by ``pontive demo load``: a believable council, its
meetings and recommendations in several states, a technical team of real agencies,
partnerships, trainings, certifications and an expert, each with its history."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.institutions import service
from pontive.institutions.choices import CouncilElement, CouncilPosition, RecommendationStatus
from pontive.institutions.models import (
    Certification,
    CouncilMeeting,
    CouncilMember,
    Partnership,
    TeamMember,
)
from pontive.reference import service as reference
from pontive.registry.models import RegistryChange
from tests.conftest import DemoDatabase


def test_the_demo_load_reports_the_institutions(demo_database: DemoDatabase) -> None:
    line = demo_database.summary["institutions"]
    assert "9 anggota Dewan" in line
    assert "5 rekomendasi" in line
    assert "3 kerja sama" in line


def test_the_council_has_every_element_and_one_chair(demo_session: Session) -> None:
    today = service.today_local()
    members = service.current_members(demo_session, today=today)
    assert all(members[element] for element in CouncilElement)
    chairs = [m for group in members.values() for m in group if m.position is CouncilPosition.KETUA]
    assert len(chairs) == 1
    names = demo_session.scalars(select(CouncilMember.name)).all()
    assert all(name.endswith("(demo)") for name in names)


def test_recommendations_are_in_several_states(demo_session: Session) -> None:
    listed = service.recommendations(demo_session, today=service.today_local())
    assert {r.status for r in listed} == set(RecommendationStatus)
    assert any(r.is_overdue for r in listed)
    assert all(r.outcome for r in listed if not r.status.is_open)
    linked = demo_session.scalars(select(CouncilMeeting.coordination_code)).all()
    assert any(linked)  # the later meeting was a coordination meeting


def test_the_technical_team_is_made_of_real_agencies(demo_session: Session) -> None:
    known = {pd.kode for pd in reference.list_perangkat_daerah(session=demo_session)}
    team = set(demo_session.scalars(select(TeamMember.pd_kode)))
    assert len(team) >= 6
    assert team <= known


def test_dates_that_call_for_reminders(demo_session: Session) -> None:
    today = service.today_local()
    soon = today + timedelta(days=30)
    ending = select(func.count(Partnership.id)).where(Partnership.ends_on.between(today, soon))
    assert demo_session.scalar(ending) == 1
    expiries = demo_session.scalars(select(Certification.expires_on)).all()
    assert any(d is not None and d < today for d in expiries)
    assert any(d is not None and today <= d <= soon for d in expiries)


def test_capacity_figures_and_history(demo_session: Session) -> None:
    today = service.today_local()
    year = (today - timedelta(days=10)).year  # the demo's socialisation, ten days ago
    assert sum(service.events_held(demo_session, year=year, today=today).values()) >= 1
    assert service.active_certifications(demo_session, today=today) == 3
    changes = demo_session.scalar(
        select(func.count(RegistryChange.id)).where(
            RegistryChange.registry_name.like("institutions.%")
        )
    )
    assert changes is not None
    assert changes > 40
