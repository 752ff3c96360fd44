"""The capacity figures that feed masterplan indicators: people trained, events held by kind,
certifications and partnerships in force; and the live metrics reading them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from pontive.institutions import service
from pontive.institutions.choices import CapacityKind
from pontive.masterplan import metrics
from pontive.masterplan.service import indicator_from_metric
from tests.institutions.support import (
    TIM,
    certification,
    event,
    participant,
    partnership,
    save,
)

YEAR = 2026
MID = date(YEAR, 7, 1)


@pytest.fixture
def capacity(session: Session) -> None:
    """Three events of 2026 (two held by July, one in August) and one of 2025; people who
    attended, one twice, one absent; certifications and partnerships in and out of force."""
    training = event(session, starts_on="2026-03-02", ends_on="2026-03-04")
    guidance = event(session, "Bimtek", kind="bimtek", starts_on="2026-05-10", ends_on=None)
    later = event(session, "Sosialisasi", kind="sosialisasi", starts_on="2026-08-01")
    old = event(session, "Lama", starts_on="2025-11-01", ends_on="2025-11-02")
    participant(session, training, "Rahmat Hidayat")
    participant(session, guidance, "rahmat  hidayat")  # the same person again
    participant(session, guidance, "Rahmat Hidayat", pd_kode="dlh")  # a namesake elsewhere
    participant(session, training, "Absen", attended="tidak", passed="tidak")
    participant(session, later, "Nanti")
    participant(session, old, "Tahun Lalu")
    certification(session, issued_on="2025-01-01", expires_on="2026-07-01")
    certification(session, issued_on="2025-01-01", expires_on="2026-06-30")  # expired
    certification(session, issued_on="2025-01-01", expires_on=None)
    partnership(session, starts_on="2026-01-01", ends_on="2026-12-31")
    partnership(session, "PKS/2", starts_on="2026-01-01", ends_on="2026-06-30")  # ended
    partnership(session, "PKS/3", starts_on="2026-01-01", ends_on=None, status="draf")
    partnership(session, "PKS/4", starts_on="2026-08-01", ends_on="2027-12-31")  # not yet


@pytest.mark.usefixtures("capacity")
def test_people_are_counted_once_by_name_and_agency(session: Session) -> None:
    # Rahmat (diskominfo), Rahmat (dlh), Nanti (an August event of the year) attended.
    assert service.civil_servants_trained(session, year=YEAR) == 3
    assert service.civil_servants_trained(session, year=YEAR - 1) == 1


@pytest.mark.usefixtures("capacity")
def test_events_held_by_kind_count_only_begun_ones(session: Session) -> None:
    held = service.events_held(session, year=YEAR, today=MID)
    assert held == {
        CapacityKind.PELATIHAN: 1,
        CapacityKind.BIMTEK: 1,
        CapacityKind.MAGANG: 0,
        CapacityKind.SOSIALISASI: 0,
    }
    assert sum(service.events_held(session, year=YEAR, today=date(YEAR, 12, 31)).values()) == 3


@pytest.mark.usefixtures("capacity")
def test_certifications_and_partnerships_in_force(session: Session) -> None:
    assert service.active_certifications(session, today=MID) == 2
    assert service.active_partnerships(session, today=MID) == 1
    assert service.active_partnerships(session, today=date(YEAR, 8, 1)) == 2


@pytest.mark.usefixtures("capacity")
def test_the_capacity_summary_of_a_year(session: Session) -> None:
    summary = service.capacity_summary(session, actor=TIM, year=YEAR, today=MID)
    assert (summary.trained, summary.participants, summary.passed) == (3, 4, 4)
    assert summary.mean_evaluation is not None
    assert float(summary.mean_evaluation) == 4.0
    assert [c.expires_on for c in summary.certifications_expiring] == [MID]
    assert summary.partnerships_expiring == []  # PKS/UJI/1 ends 183 days later
    autumn = service.capacity_summary(session, actor=TIM, year=YEAR, today=date(YEAR, 10, 15))
    assert [p.number for p in autumn.partnerships_expiring] == ["PKS/UJI/1"]


@pytest.mark.usefixtures("capacity")
def test_masterplan_live_metrics_read_the_figures(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "today_local", lambda: MID)
    assert metrics.compute(session, "inst_civil_servants_trained") == 3.0
    assert metrics.compute(session, "inst_capacity_events") == 2.0
    assert metrics.compute(session, "inst_active_certifications") == 2.0
    assert metrics.compute(session, "inst_active_partnerships") == 1.0
    save(session, "partnerships", {"number": "PKS/5", "title": "Baru", "kind": "g2g",
                                   "parties": "Pemkot; Pemkab", "starts_on": "2026-02-01",
                                   "status": "aktif", "pd_kode": "bappeda"}, by=TIM)  # fmt: skip
    assert metrics.compute(session, "inst_active_partnerships") == 2.0


def test_an_indicator_can_be_made_from_each_metric() -> None:
    for key in (
        "inst_civil_servants_trained",
        "inst_capacity_events",
        "inst_active_certifications",
        "inst_active_partnerships",
    ):
        made = indicator_from_metric(key)
        assert made.live_metric == key
        assert made.unit == metrics.METRICS[key].unit
