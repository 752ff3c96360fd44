"""Incidents opened from what the command center sees: alerts (by the worker, once per
thread), clusters of reports, a sensor station, a camera."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from pontive.alerts.choices import CapStatus, MsgType
from pontive.alerts.choices import Severity as CapSeverity
from pontive.cctv import service as cctv
from pontive.complaints.schemas import ComplaintCreate
from pontive.complaints.service import create_complaint
from pontive.coordination import from_alerts, jobs, links, sources
from pontive.coordination.choices import IncidentKind, LinkType, Severity, SourceType
from pontive.coordination.models import Incident
from pontive.core.errors import InvalidInput, PermissionDenied
from pontive.core.events import MemoryBus
from pontive.core.identity import ANONYMOUS
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.core.worker import JobContext
from tests.alerts.cap_support import make_alert
from tests.cctv.support import camera_input
from tests.coordination.support import LAT, LON, OPERATOR, PUPR


def _live_alert(session: Session, **fields: object):  # type: ignore[no-untyped-def]
    now = utcnow()
    return make_alert(
        session, sent_at=now - timedelta(minutes=2), expires_at=now + timedelta(hours=3), **fields
    )


def test_only_serious_real_alerts_open_incidents(session: Session) -> None:
    minor = _live_alert(session, severity=CapSeverity.MINOR)
    exercise = _live_alert(session, cap_status=CapStatus.EXERCISE, note="latihan")
    severe = _live_alert(session)
    opened = from_alerts.open_for_alerts(session, minimum=CapSeverity.SEVERE)
    assert [i.source_ref for i in opened] == [severe.identifier]
    assert from_alerts.incident_of_alert(session, minor) is None
    assert from_alerts.incident_of_alert(session, exercise) is None
    wider = from_alerts.open_for_alerts(session, minimum=CapSeverity.MINOR)
    assert [i.source_ref for i in wider] == [minor.identifier]


def test_an_update_of_the_alert_finds_the_same_incident(session: Session) -> None:
    first = _live_alert(session)
    (incident,) = from_alerts.open_for_alerts(session, minimum=CapSeverity.SEVERE)
    first.thread_id = first.id
    update = _live_alert(
        session,
        msg_type=MsgType.UPDATE,
        severity=CapSeverity.EXTREME,
        references_id=first.id,
        thread_id=first.id,
    )
    assert from_alerts.incident_of_alert(session, update) is incident
    assert from_alerts.open_for_alerts(session, minimum=CapSeverity.SEVERE) == []


def test_the_job_follows_the_setting(
    session: Session, bus: MemoryBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    alert = _live_alert(session)
    monkeypatch.setenv("PONTIVE_ENV", "dev")
    monkeypatch.setenv("PONTIVE_COORDINATION_AUTO_INCIDENT", "off")
    from pontive.settings import get_settings

    get_settings.cache_clear()
    try:
        jobs.incidents_from_alerts(JobContext(session=session, bus=bus))
        assert from_alerts.incident_of_alert(session, alert) is None
        monkeypatch.setenv("PONTIVE_COORDINATION_AUTO_INCIDENT", "Extreme")
        get_settings.cache_clear()
        jobs.incidents_from_alerts(JobContext(session=session, bus=bus))
        assert from_alerts.incident_of_alert(session, alert) is None  # Severe < Extreme
        monkeypatch.setenv("PONTIVE_COORDINATION_AUTO_INCIDENT", "Severe")
        get_settings.cache_clear()
        jobs.incidents_from_alerts(JobContext(session=session, bus=bus))
        assert from_alerts.incident_of_alert(session, alert) is not None
    finally:
        get_settings.cache_clear()


def test_kinds_follow_the_event_name(session: Session) -> None:
    assert from_alerts.kind_of(_live_alert(session)) is IncidentKind.BANJIR
    haze = _live_alert(
        session,
        event_id="Kabut asap",
        event_en="Haze",
        headline_id="ISPU Tidak Sehat di Pontianak Barat",
    )
    assert from_alerts.kind_of(haze) is IncidentKind.KABUT_ASAP
    other = _live_alert(
        session, event_id="Gangguan listrik", event_en="Power cut", headline_id="Pemadaman bergilir"
    )
    assert from_alerts.kind_of(other) is IncidentKind.LAINNYA


def test_a_cluster_of_reports_becomes_a_draft_then_an_incident(
    session: Session, media: MediaStore
) -> None:
    refs = [
        create_complaint(
            session=session,
            actor=ANONYMOUS,
            media=media,
            data=ComplaintCreate(
                category_code="pohon-tumbang",
                description=f"Pohon tumbang menutup jalan, laporan {n}.",
                lon=LON + n * 0.0004,
                lat=LAT,
                attributes={"menutup_jalan": "ya"},
            ),
        ).complaint.tracking_number
        for n in range(3)
    ]
    draft = sources.prefill(session, actor=OPERATOR, source_type="complaints", refs=", ".join(refs))
    assert draft.data.kind == IncidentKind.POHON_TUMBANG.value
    assert draft.data.severity == Severity.SEDANG.value
    assert "3 laporan" in draft.data.title
    assert draft.data.lon == pytest.approx(LON + 0.0004)
    incident = sources.open_from_source(session, actor=OPERATOR, draft=draft)
    assert incident.source_type is SourceType.COMPLAINTS
    assert sorted(l.item_ref for l in links.links(session, incident)) == sorted(refs)  # noqa: E741
    with pytest.raises(InvalidInput):
        sources.prefill(session, actor=OPERATOR, source_type="complaints", refs="PTK-2026-999999")
    with pytest.raises(PermissionDenied):
        sources.prefill(session, actor=PUPR, source_type="complaints", refs=refs[0])


def test_a_camera_becomes_a_draft(session: Session) -> None:
    camera = cctv.register_camera(session=session, actor=OPERATOR, data=camera_input())
    draft = sources.prefill(session, actor=OPERATOR, source_type="camera", refs=camera.code)
    assert draft.items == [(LinkType.CAMERA.value, camera.code)]
    incident: Incident = sources.open_from_source(session, actor=OPERATOR, draft=draft)
    assert (incident.lon, incident.lat) == (camera.lon, camera.lat)
    with pytest.raises(InvalidInput) as refused:
        sources.prefill(session, actor=OPERATOR, source_type="sensor", refs="999999")
    assert "source_ref" in refused.value.errors
