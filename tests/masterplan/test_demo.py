"""The demo masterplan: version 1 adopted by Perwa 45/2023 and version 2 drafted; programmes in
all six dimensions under their Pasal 11 priorities with progress this year; live indicators
recorded; realisation verified, awaiting verification, rejected and corrected."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import monitoring, progress, service, versions
from pontive.masterplan.choices import RealisationStatus, SourceKind, VersionStatus
from pontive.masterplan.models import Realisation
from tests.conftest import DemoDatabase


def test_the_demo_masterplan_has_two_versions(
    demo_database: DemoDatabase, demo_session: Session
) -> None:
    summary = demo_database.summary["masterplan"]
    found = re.fullmatch(
        r"1 rencana induk \(2 versi\), (\d+) program, (\d+) indikator, (\d+) realisasi", summary
    )
    assert found, summary
    programmes, indicators, realised = (int(n) for n in found.groups())
    assert programmes == len(service.list_programmes(demo_session))
    assert indicators == len(service.list_indicators(demo_session))
    assert realised == len(demo_session.scalars(select(Realisation)).all())

    masterplan = versions.current_masterplan(demo_session)
    assert masterplan is not None
    assert masterplan.title == "Masterplan Pontianak Smart City 2023\u20132032"
    adopted, drafted = sorted(
        versions.list_versions(demo_session, masterplan), key=lambda v: v.number
    )
    assert adopted.status is VersionStatus.ADOPTED
    assert adopted.regulation_number is not None
    assert "Nomor 45 Tahun 2023" in adopted.regulation_number
    assert adopted.adopted_by is not None
    assert "walikota" in adopted.adopted_by
    assert drafted.status is VersionStatus.DRAFT
    assert set(adopted.content["strategies"]) == {
        "governance", "branding", "economy", "living", "society", "environment"
    }  # fmt: skip
    changed = {
        s.section
        for s in versions.compare_content(adopted.content, drafted.content)
        if s.is_changed
    }
    assert changed == {"vision", "missions", "strategies", "roadmap", "quick_wins"}


def test_every_dimension_has_programmes_with_progress_this_year(demo_session: Session) -> None:
    year = utcnow().astimezone(WIB).year
    tree = progress.tree(demo_session, year)
    assert [d.key for d in tree] == [
        "governance", "branding", "economy", "living", "society", "environment"
    ]  # fmt: skip
    for dimension in tree:
        assert 2 <= len(dimension.children) <= 3, dimension.key
        assert dimension.progress is not None, dimension.key
        assert all(p.children for p in dimension.children), dimension.key
    programmes = service.list_programmes(demo_session)
    assert any(p.is_quick_win for p in programmes)
    assert all(p.prioritas_kode for p in programmes)
    activity_owner = {a.code: a.pd_kode for p in programmes for a in p.activities}
    assert activity_owner["LIV-01.01"] == "dinkes"
    assert activity_owner["ENV-01.02"] == "bpbd"


def test_live_indicators_and_every_state_of_realisation(
    demo_session: Session, demo_database: DemoDatabase
) -> None:
    indicators = service.list_indicators(demo_session)
    live = {i.live_metric for i in indicators if i.source_kind is SourceKind.LIVE}
    assert {
        "complaint_sla_compliance", "complaint_resolution_hours", "sensor_uptime",
        "open_datasets", "cctv_coverage",
    } <= live  # fmt: skip
    recorded = monitoring.latest_verified(demo_session, [i.id for i in indicators])
    # Recorded for the WIB day the demo was loaded (a run may cross midnight since).
    loaded_on = {demo_database.loaded_at.astimezone(WIB).date(), utcnow().astimezone(WIB).date()}
    assert all(
        recorded[i.id].period_date in loaded_on
        for i in indicators
        if i.source_kind is SourceKind.LIVE and i.id in recorded
    )
    assert sum(1 for i in indicators if i.source_kind is SourceKind.LIVE and i.id in recorded) >= 4
    for indicator in indicators:
        assert all((indicator.definisi, indicator.metode, indicator.sumber)), indicator.code
        assert indicator.baseline_value is not None, indicator.code
        assert indicator.targets, indicator.code

    entries = monitoring.entries(demo_session, limit=5000)
    states = {entry.status for entry in entries}
    assert states == set(RealisationStatus)
    waiting = [e for e in entries if e.status is RealisationStatus.SUBMITTED]
    assert len(waiting) == 3
    rejected = [e for e in entries if e.status is RealisationStatus.REJECTED]
    assert len(rejected) == 1
    assert rejected[0].review_note
    corrected = [
        e for e in entries if e.replaces_id is not None and e.status is RealisationStatus.VERIFIED
    ]
    assert len(corrected) == 1
    superseded = demo_session.get(Realisation, corrected[0].replaces_id)
    assert superseded is not None
    assert superseded.status is RealisationStatus.SUPERSEDED
    assert superseded.value != corrected[0].value
