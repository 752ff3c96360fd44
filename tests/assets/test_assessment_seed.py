"""The default template the platform ships: added once by ``pontive db upgrade``, kept as
the technical team changed it, covering every area with sensible weights."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.assets import seed
from pontive.assets.assessment_choices import AssessmentArea
from pontive.assets.assessment_models import AssessmentTemplate, AssessmentTemplateItem
from pontive.assets.assessment_service import template_items
from tests.assets.assessment_support import default_template


def test_the_default_template_covers_every_area(session: Session) -> None:
    template = default_template(session)
    assert template.active
    assert template.name == "Penilaian Keamanan dan Keandalan Sistem Informasi — Pontive default"
    items = template_items(session, template.id)
    assert 25 <= len(items) <= 35
    per_area = Counter(item.area for item in items)
    assert set(per_area) == set(AssessmentArea)
    assert min(per_area.values()) >= 4
    assert all(1 <= item.weight <= 5 for item in items)
    assert any(item.evidence_expected for item in items)
    assert len({item.code for item in items}) == len(items)
    assert all(item.question.strip() and item.guidance for item in items)


def test_seeding_again_adds_nothing_and_keeps_changes(session: Session) -> None:
    template = default_template(session)
    template.name = "Diubah Tim Teknis"
    first = template_items(session, template.id)[0]
    first.weight = 1
    session.flush()
    items = session.scalar(select(func.count(AssessmentTemplateItem.id)))
    assert seed.seed(session=session) == 0
    assert session.scalar(select(func.count(AssessmentTemplate.id)).where(
        AssessmentTemplate.code == seed.CODE
    )) == 1  # fmt: skip
    assert session.scalar(select(func.count(AssessmentTemplateItem.id))) == items
    assert default_template(session).name == "Diubah Tim Teknis"
    assert template_items(session, template.id)[0].weight == 1


def test_seeding_an_empty_database_adds_the_template(session: Session) -> None:
    template = default_template(session)
    session.delete(template)  # its items go with it (ON DELETE CASCADE)
    session.flush()
    session.expunge_all()
    assert seed.seed(session=session) == 1 + len(seed.ITEMS)
    assert len(template_items(session, default_template(session).id)) == len(seed.ITEMS)
