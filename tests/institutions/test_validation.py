"""The institutions registries refuse what cannot be true, with field errors in the reader's
language, and store nothing when they do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.errors import InvalidInput
from pontive.institutions.models import CouncilMember, Recommendation
from pontive.institutions.service import today_local
from tests.institutions.support import (
    certification,
    coordination_meeting,
    day,
    event,
    expert,
    meeting,
    member,
    participant,
    partnership,
    recommendation,
    save,
)
from tests.masterplan.support import programme


def errors_of(error: pytest.ExceptionInfo[InvalidInput]) -> dict[str, list[str]]:
    return error.value.errors or {}


def test_a_term_must_end_after_it_starts(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        member(session, term_starts_on=day(0), term_ends_on=day(0))
    assert errors_of(refused) == {"term_ends_on": ["Tanggal akhir harus sesudah tanggal mulai."]}
    with pytest.raises(InvalidInput) as refused:
        member(session, term_starts_on=day(0), term_ends_on=day(-1), lang="en")
    assert errors_of(refused)["term_ends_on"] == ["The end date must come after the start date."]
    assert session.scalar(select(func.count(CouncilMember.id))) == 0


def test_the_council_has_one_chair_at_a_time(session: Session) -> None:
    first = member(session, "Ketua Lama", position="ketua", term_ends_on=day(10))
    with pytest.raises(InvalidInput) as refused:
        member(session, "Ketua Baru", position="ketua", term_starts_on=day(5))
    assert errors_of(refused) == {
        "position": ["Dewan sudah punya ketua pada masa jabatan ini: Ketua Lama."]
    }
    # The next chair's term begins after the first one's ends: accepted.
    member(session, "Ketua Baru", position="ketua", term_starts_on=day(11), term_ends_on=day(700))
    # Changing the first chair's own row is not a clash with itself.
    save(session, "council-members", {"organisation": "Setda"}, row=first)


def test_a_coordination_meeting_code_must_name_a_meeting(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        meeting(session, coordination_code="RPT-1999-0001")
    assert errors_of(refused) == {
        "coordination_code": ["Rapat koordinasi RPT-1999-0001 tidak ditemukan."]
    }
    held = coordination_meeting(session)
    linked = meeting(session, coordination_code=held.code.lower())
    assert linked.coordination_code == held.code.lower()


def test_a_recommendation_names_an_existing_programme(session: Session) -> None:
    held = meeting(session)
    with pytest.raises(InvalidInput) as refused:
        recommendation(session, held, programme_code="XYZ-99", lang="en")
    assert errors_of(refused) == {"programme_code": ["Masterplan programme XYZ-99 not found."]}
    programme(session, "LIV-01")
    made = recommendation(session, held, programme_code="LIV-01")
    assert made.programme_code == "LIV-01"


def test_a_closed_recommendation_needs_its_outcome(session: Session) -> None:
    held = meeting(session)
    for status in ("selesai", "ditolak"):
        with pytest.raises(InvalidInput) as refused:
            recommendation(session, held, status=status, outcome="  ")
        assert errors_of(refused) == {
            "outcome": ["Tuliskan hasil tindak lanjut sebelum menutup rekomendasi."]
        }
    made = recommendation(session, held)
    with pytest.raises(InvalidInput):  # a partial change is checked against the stored row
        save(session, "recommendations", {"status": "selesai"}, row=made)
    done = save(
        session,
        "recommendations",
        {"status": "selesai", "outcome": "Standar ditetapkan."},
        row=made,
    )
    assert done.outcome == "Standar ditetapkan."


def test_a_recommendation_is_not_due_before_its_meeting(session: Session) -> None:
    held = meeting(session)  # held 30 days before TODAY
    with pytest.raises(InvalidInput) as refused:
        recommendation(session, held, due_on=day(-31))
    assert list(errors_of(refused)) == ["due_on"]
    assert session.scalar(select(func.count(Recommendation.id))) == 0


def test_a_recommendation_number_is_unique(session: Session) -> None:
    held = meeting(session)
    recommendation(session, held, number="REK-1")
    with pytest.raises(InvalidInput) as refused:
        recommendation(session, held, number="REK-1")
    assert errors_of(refused) == {"number": ["Sudah dipakai oleh baris lain."]}


def test_periods_end_after_they_start(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        partnership(session, starts_on=day(0), ends_on=day(-1))
    assert list(errors_of(refused)) == ["ends_on"]
    with pytest.raises(InvalidInput) as refused:
        event(session, starts_on=day(0), ends_on=day(-2))
    assert list(errors_of(refused)) == ["ends_on"]
    with pytest.raises(InvalidInput) as refused:
        expert(session, starts_on=day(0), ends_on=day(-2))
    assert list(errors_of(refused)) == ["ends_on"]
    # A one-day event ends the day it starts.
    assert event(session, starts_on=day(0), ends_on=day(0)).ends_on is not None


def test_only_those_who_attended_can_pass(session: Session) -> None:
    held = event(session)
    with pytest.raises(InvalidInput) as refused:
        participant(session, held, "Tidak Hadir", attended="tidak", passed="ya")
    assert errors_of(refused) == {
        "passed": ["Peserta yang tidak hadir tidak bisa dinyatakan lulus."]
    }
    absent = participant(session, held, "Tidak Hadir", attended="tidak", passed="tidak")
    assert absent.attended is False


def test_a_nip_has_eighteen_digits(session: Session) -> None:
    held = event(session)
    with pytest.raises(InvalidInput) as refused:
        participant(session, held, "Salah NIP", nip="19900115 2015", lang="en")
    assert errors_of(refused) == {"nip": ["A civil servant number (NIP) has 18 digits."]}
    spaced = participant(session, held, "NIP Berspasi", nip="19900115 201503 1 001")
    assert spaced.nip == "19900115 201503 1 001"


def test_a_score_stays_in_its_range(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        event(session, evaluation_score="6")
    assert errors_of(refused) == {"evaluation_score": ["Paling besar 5."]}


def test_certifications_are_issued_by_today_and_expire_after(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        certification(session, issued_on=day(0), expires_on=day(-1))
    assert list(errors_of(refused)) == ["expires_on"]
    tomorrow = (today_local() + timedelta(days=1)).isoformat()
    with pytest.raises(InvalidInput) as refused:
        certification(session, issued_on=tomorrow, expires_on=None)
    assert errors_of(refused) == {"issued_on": ["Tanggal terbit tidak boleh di masa depan."]}


def test_a_technology_transfer_happens_within_the_contract(session: Session) -> None:
    hired = expert(session)  # TODAY - 100 to TODAY + 100
    values = {
        "expert_id": str(hired.id),
        "topic": "Tata kelola API",
        "recipient_pd": "bappeda",
        "participant_count": "10",
    }
    with pytest.raises(InvalidInput) as refused:
        save(session, "technology-transfers", values | {"held_on": day(101)})
    assert list(errors_of(refused)) == ["held_on"]
    made = save(session, "technology-transfers", values | {"held_on": day(100)})
    assert made.recipient_pd == "bappeda"
