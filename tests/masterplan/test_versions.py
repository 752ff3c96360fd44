"""The masterplan's versions: drafted (a copy of the one in force), edited, reviewed, adopted
by the mayor's regulation superseding the previous one; refusals out of turn or by the wrong
role; content validation; the section-by-section comparison; every change audited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.audit import AuditEvent
from pontive.core.errors import Conflict, InvalidInput, PermissionDenied
from pontive.masterplan import versions
from pontive.masterplan.choices import VersionStatus
from pontive.masterplan.models import Masterplan
from pontive.masterplan.versions import ChangeKind, Piece
from tests.masterplan.support import DINKES, TIM, WALIKOTA


def content(**overrides: Any) -> dict[str, Any]:
    """A valid masterplan text."""
    values: dict[str, Any] = {
        "background": "Pontianak kota sungai di khatulistiwa.",
        "vision": "Pontianak kota cerdas yang nyaman dan berdaya saing.",
        "missions": ["Layanan publik digital", "Kota tangguh bencana"],
        "strategies": {"governance": "Satu data dan layanan terpadu.", "living": "Kota sehat."},
        "roadmap": [
            {"year": 2024, "phase": "Fondasi", "items": ["Pusat data", "Satu Data"]},
            {"year": 2023, "phase": "Fondasi", "items": ["Tim teknis"]},
        ],
        "quick_wins": [{"title": "Aplikasi pengaduan", "year": 2023, "pd_kode": "diskominfo"}],
    }
    values.update(overrides)
    return values


@pytest.fixture
def plan(session: Session) -> Masterplan:
    return versions.create_masterplan(
        session, actor=TIM, title="Masterplan Smart City 2023-2032", start_year=2023, end_year=2032
    )


def _adopted(session: Session, plan: Masterplan, number: str = "Perwa Nomor 45 Tahun 2023") -> Any:
    version = versions.draft_version(session, actor=TIM, masterplan=plan, content=content())
    versions.review(session, actor=TIM, version=version)
    return versions.adopt(session, actor=WALIKOTA, version=version, regulation_number=number)


def test_a_masterplan_covers_ten_years(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        versions.create_masterplan(
            session, actor=TIM, title="Masterplan pendek", start_year=2023, end_year=2027
        )
    assert "end_year" in refused.value.errors
    with pytest.raises(PermissionDenied):
        versions.create_masterplan(
            session, actor=DINKES, title="Masterplan 2023-2032", start_year=2023, end_year=2032
        )


def test_content_is_normalised(session: Session, plan: Masterplan) -> None:
    version = versions.draft_version(
        session,
        actor=TIM,
        masterplan=plan,
        content=content(
            missions="  Layanan publik   digital \n\n Kota tangguh  ",
            background="Paragraf satu.\r\n\r\nParagraf dua.",  # as a browser posts it
        ),
    )
    assert version.content["background"] == "Paragraf satu.\n\nParagraf dua."
    assert version.number == 1
    assert version.status is VersionStatus.DRAFT
    assert version.content["missions"] == ["Layanan publik digital", "Kota tangguh"]
    # Roadmap rows sorted by year, strategies in the law's order of dimensions.
    assert [r["year"] for r in version.content["roadmap"]] == [2023, 2024]
    assert list(version.content["strategies"]) == ["governance", "living"]


def test_roadmap_rows_of_one_year_and_phase_merge(session: Session, plan: Masterplan) -> None:
    rows = [
        {"year": "2024", "phase": "Fondasi", "items": "Pusat data\nSatu Data"},
        {"year": 2024, "phase": " Fondasi ", "items": ["Satu Data", "Fiber optik"]},
        {"year": "", "phase": "", "items": ""},  # an empty row of the form
    ]
    version = versions.draft_version(
        session, actor=TIM, masterplan=plan, content=content(roadmap=rows)
    )
    assert version.content["roadmap"] == [
        {"year": 2024, "phase": "Fondasi", "items": ["Pusat data", "Satu Data", "Fiber optik"]}
    ]


def test_a_changed_text_is_marked_word_by_word_and_line_by_line() -> None:
    old, new = versions.word_diff("Pusat data\nSatu Data", "Pusat data\nSatu Data\nFiber optik")
    assert old == [Piece("Pusat data \n Satu Data", False)]
    assert new == [Piece("Pusat data \n Satu Data", False), Piece("\n Fiber optik", True)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"vision": ""}, "vision"),
        ({"strategies": {"tourism": "Wisata sungai."}}, "strategies"),
        ({"roadmap": [{"year": 2035, "phase": "Lanjut", "items": ["x"]}]}, "roadmap"),
        ({"roadmap": [{"year": 2022, "phase": "Awal", "items": ["x"]}]}, "roadmap"),
        ({"roadmap": [{"year": 2025, "phase": "", "items": ["x"]}]}, "roadmap"),
        ({"quick_wins": [{"title": "Wifi taman", "year": 2040}]}, "quick_wins"),
        ({"quick_wins": [{"title": "Wifi taman", "pd_kode": "tidakada"}]}, "quick_wins"),
    ],
)
def test_invalid_content_is_refused_by_section(
    session: Session, plan: Masterplan, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        versions.draft_version(session, actor=TIM, masterplan=plan, content=content(**overrides))
    assert list(refused.value.errors) == [field]


def test_draft_review_adopt_and_supersede(session: Session, plan: Masterplan) -> None:
    first = _adopted(session, plan)
    assert first.status is VersionStatus.ADOPTED
    assert first.regulation_number == "Perwa Nomor 45 Tahun 2023"
    assert first.adopted_by == WALIKOTA.label
    assert versions.adopted_version(session, plan) is first

    # A new draft starts as a copy of the version in force.
    second = versions.draft_version(session, actor=TIM, masterplan=plan, change_note="Revisi")
    assert second.number == 2
    assert second.content == first.content
    changed = dict(second.content, vision="Pontianak kota cerdas, hijau dan tangguh iklim.")
    versions.update_draft(session, actor=TIM, version=second, content=changed)
    versions.review(session, actor=TIM, version=second)
    versions.adopt(session, actor=WALIKOTA, version=second, regulation_number="Perwa 12/2026")

    assert second.status is VersionStatus.ADOPTED
    assert first.status is VersionStatus.SUPERSEDED
    assert versions.adopted_version(session, plan) is second
    assert [v.number for v in versions.list_versions(session, plan)] == [2, 1]
    actions = session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type.in_(("mp_version", "mp_masterplan")))
        .order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "masterplan.created",
        "masterplan.version.drafted",
        "masterplan.version.reviewed",
        "masterplan.version.adopted",
        "masterplan.version.drafted",
        "masterplan.version.updated",
        "masterplan.version.reviewed",
        "masterplan.version.superseded",
        "masterplan.version.adopted",
    ]


def test_the_workflow_refuses_steps_out_of_turn(session: Session, plan: Masterplan) -> None:
    draft = versions.draft_version(session, actor=TIM, masterplan=plan, content=content())
    with pytest.raises(Conflict):  # not reviewed yet
        versions.adopt(session, actor=WALIKOTA, version=draft, regulation_number="Perwa 1/2023")
    with pytest.raises(PermissionDenied):  # the mayor adopts, does not review
        versions.review(session, actor=WALIKOTA, version=draft)
    with pytest.raises(PermissionDenied):  # an agency officer only reads
        versions.update_draft(session, actor=DINKES, version=draft, content=content())
    versions.review(session, actor=TIM, version=draft)
    with pytest.raises(Conflict):
        versions.review(session, actor=TIM, version=draft)
    with pytest.raises(PermissionDenied):
        versions.adopt(session, actor=DINKES, version=draft, regulation_number="Perwa 1/2023")
    with pytest.raises(InvalidInput) as refused:
        versions.adopt(session, actor=WALIKOTA, version=draft, regulation_number="  ")
    assert "regulation_number" in refused.value.errors
    assert draft.status is VersionStatus.REVIEWED

    # Editing a reviewed version sends it back to draft; an adopted one cannot be edited.
    versions.update_draft(
        session, actor=TIM, version=draft, content=content(vision="Visi baru kota")
    )
    assert draft.status is VersionStatus.DRAFT
    assert draft.reviewed_by is None
    versions.review(session, actor=TIM, version=draft)
    versions.adopt(session, actor=WALIKOTA, version=draft, regulation_number="Perwa 45/2023")
    with pytest.raises(Conflict):
        versions.update_draft(session, actor=TIM, version=draft, content=content())


def test_compare_reports_each_section(session: Session, plan: Masterplan) -> None:
    old = _adopted(session, plan)
    new_content = content(
        vision="Pontianak kota cerdas yang hijau dan berdaya saing.",
        missions=["Layanan publik digital", "Kota tangguh iklim", "Ekonomi kreatif"],
        strategies={"governance": "Satu data dan layanan terpadu.", "economy": "UMKM digital."},
        roadmap=[
            {"year": 2023, "phase": "Fondasi", "items": ["Tim teknis", "Dewan Smart City"]},
            {"year": 2026, "phase": "Akselerasi", "items": ["Kota 15 menit"]},
        ],
        quick_wins=[{"title": "Aplikasi pengaduan", "year": 2024, "pd_kode": "diskominfo"}],
    )
    new = versions.draft_version(session, actor=TIM, masterplan=plan, content=new_content)
    diff = {s.section: s for s in versions.compare(session, actor=DINKES, a=old, b=new)}

    assert list(diff) == list(versions.SECTIONS)
    assert not diff["background"].is_changed
    vision = diff["vision"].changes[0]
    assert vision.kind is ChangeKind.CHANGED
    old_pieces, new_pieces = vision.pieces()
    assert Piece("nyaman", True) in old_pieces
    assert Piece("hijau", True) in new_pieces
    assert Piece("Pontianak kota cerdas yang", False) in new_pieces

    missions = [(c.kind, c.old, c.new) for c in diff["missions"].changes]
    assert missions == [
        (ChangeKind.SAME, "Layanan publik digital", "Layanan publik digital"),
        (ChangeKind.CHANGED, "Kota tangguh bencana", "Kota tangguh iklim"),
        (ChangeKind.ADDED, None, "Ekonomi kreatif"),
    ]
    strategies = {c.key: c.kind for c in diff["strategies"].changes}
    # In the law's order: governance, economy, living.
    assert list(strategies) == ["governance", "economy", "living"]
    assert strategies == {
        "governance": ChangeKind.SAME,
        "economy": ChangeKind.ADDED,
        "living": ChangeKind.REMOVED,
    }
    roadmap = {c.key: c.kind for c in diff["roadmap"].changes}
    assert roadmap == {
        "2023 · Fondasi": ChangeKind.CHANGED,
        "2024 · Fondasi": ChangeKind.REMOVED,
        "2026 · Akselerasi": ChangeKind.ADDED,
    }
    assert len(diff["quick_wins"].changes) == 1
    win = diff["quick_wins"].changes[0]
    assert (win.kind, win.old, win.new) == (
        ChangeKind.CHANGED,
        "Aplikasi pengaduan (2023, diskominfo)",
        "Aplikasi pengaduan (2024, diskominfo)",
    )
    assert diff["roadmap"].count(ChangeKind.ADDED) == 1
