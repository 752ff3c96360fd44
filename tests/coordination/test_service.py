"""Incidents through the service: opening (and its refusals), who sees what, the status
path, the timeline, agencies, suggestions and links."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from pontive.cctv import service as cctv
from pontive.coordination import links, service
from pontive.coordination.choices import EntryKind, IncidentStatus, LinkType
from pontive.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from pontive.core.events import MemoryBus
from pontive.core.identity import ANONYMOUS, Actor
from tests.cctv.support import camera_input
from tests.coordination.support import (
    BPBD,
    DEWAN,
    DISHUB,
    LAT,
    LON,
    OPERATOR,
    PUPR,
    WALIKOTA,
    incident_input,
    open_incident,
)


def test_opening_resolves_the_place_and_records_the_first_line(session: Session) -> None:
    incident = open_incident(session)
    assert incident.code.startswith("INS-")
    assert incident.status is IncidentStatus.DIBUKA
    assert incident.kelurahan_kode
    assert incident.kecamatan_kode
    assert incident.affected_kelurahan[0] == incident.kelurahan_kode
    assert incident.agency_codes == ["bpbd", "pupr"]  # the lead first, then the others
    (first,) = service.entries(session, incident)
    assert first.kind is EntryKind.OPENED
    assert first.actor == OPERATOR.label
    second = open_incident(session, title="Genangan di Jl. Tanjungpura")
    assert int(second.code.rsplit("-", 1)[1]) == int(incident.code.rsplit("-", 1)[1]) + 1


def test_every_problem_is_reported_at_once_by_field(session: Session) -> None:
    with pytest.raises(InvalidInput) as refused:
        service.open_incident(
            session,
            actor=OPERATOR,
            data=incident_input(
                title="ab",
                kind="gempa",
                severity="parah",
                lon=None,
                affected_kelurahan=["99.99"],
                agencies=["bukan-pd"],
            ),
        )
    assert set(refused.value.errors) == {
        "title",
        "kind",
        "severity",
        "location",
        "affected_kelurahan",
        "agencies",
    }
    with pytest.raises(InvalidInput) as outside:
        service.open_incident(session, actor=OPERATOR, data=incident_input(lon=110.5, lat=-1.5))
    assert "location" in outside.value.errors


@pytest.mark.parametrize("who", [PUPR, WALIKOTA, DEWAN, ANONYMOUS])
def test_only_operators_open_incidents(session: Session, who: Actor) -> None:
    with pytest.raises((PermissionDenied, NotAuthenticated)):
        service.open_incident(session, actor=who, data=incident_input())


def test_pd_officers_see_only_incidents_of_their_agency(session: Session) -> None:
    incident = open_incident(session, lead_pd_kode="bpbd", agencies=["pupr"])
    other = open_incident(
        session,
        title="Kebakaran gudang di Siantan",
        kind="kebakaran",
        lead_pd_kode="bpbd",
        agencies=[],
    )
    assert service.get_incident(session, actor=PUPR, code=incident.code) is incident
    with pytest.raises(NotFound):
        service.get_incident(session, actor=DISHUB, code=incident.code)
    codes = [i.code for i in service.list_incidents(session, actor=PUPR)]
    assert incident.code in codes
    assert other.code not in codes
    assert {i.code for i in service.list_incidents(session, actor=BPBD)} >= {
        incident.code,
        other.code,
    }
    assert service.get_incident(session, actor=WALIKOTA, code=other.code) is other


def test_involved_officers_report_but_do_not_decide(session: Session) -> None:
    incident = open_incident(session)
    entry = service.add_entry(
        session,
        actor=PUPR,
        incident=incident,
        kind=EntryKind.UPDATE,
        text="Dua pompa beroperasi di Gang Mawar.",
    )
    assert entry.actor_pd_kode == "pupr"
    with pytest.raises(PermissionDenied):
        service.add_entry(
            session, actor=PUPR, incident=incident, kind=EntryKind.DECISION, text="Tutup jalan."
        )
    with pytest.raises(PermissionDenied):
        service.add_entry(
            session,
            actor=DISHUB,
            incident=incident,
            kind=EntryKind.UPDATE,
            text="Bukan urusan kami.",
        )
    with pytest.raises(InvalidInput):
        service.add_entry(
            session, actor=OPERATOR, incident=incident, kind=EntryKind.UPDATE, text=" "
        )


def test_the_status_moves_one_stage_and_closing_needs_the_form(session: Session) -> None:
    incident = open_incident(session)
    service.set_status(session, actor=OPERATOR, incident=incident, status="ditangani")
    assert incident.handled_at is not None
    assert incident.controlled_at is None
    service.set_status(session, actor=OPERATOR, incident=incident, status="terkendali")
    service.set_status(session, actor=OPERATOR, incident=incident, status="ditangani")  # rising
    assert incident.status is IncidentStatus.DITANGANI
    assert incident.controlled_at is not None
    with pytest.raises(InvalidInput):
        service.set_status(session, actor=OPERATOR, incident=incident, status="selesai")
    fresh = open_incident(session, title="Genangan kedua di Jl. Gajah Mada")
    service.set_status(session, actor=OPERATOR, incident=fresh, status="terkendali")
    assert fresh.handled_at == fresh.controlled_at  # handled on the way, at the same moment
    with pytest.raises(PermissionDenied):
        service.set_status(session, actor=PUPR, incident=incident, status="terkendali")


def test_updates_are_written_into_the_timeline_and_announced(
    session: Session, bus: MemoryBus
) -> None:
    incident = open_incident(session)
    service.update_incident(
        session,
        actor=OPERATOR,
        incident=incident,
        data=incident_input(severity="kritis", agencies=["pupr", "dinsos"]),
    )
    assert incident.severity.value == "kritis"
    assert "dinsos" in incident.agency_codes
    last = service.entries(session, incident)[-1]
    assert last.kind is EntryKind.UPDATE
    assert "severity" in (last.data or {}).get("changed", [])
    before = len(service.entries(session, incident))
    service.update_incident(
        session,
        actor=OPERATOR,
        incident=incident,
        data=incident_input(severity="kritis", agencies=["pupr", "dinsos"]),
    )
    assert len(service.entries(session, incident)) == before  # nothing changed, nothing noted
    added = service.add_agencies(
        session, actor=OPERATOR, incident=incident, codes=["dishub"], role="Pengaturan lalu lintas"
    )
    assert added == ["dishub"]
    assert service.add_agencies(session, actor=OPERATOR, incident=incident, codes=["dishub"]) == []


def test_suggestions_are_near_and_links_are_one_per_item(session: Session) -> None:
    incident = open_incident(session)
    near = cctv.register_camera(
        session=session, actor=OPERATOR, data=camera_input(lon=LON + 0.003, lat=LAT)
    )
    far = cctv.register_camera(
        session=session, actor=OPERATOR, data=camera_input(lon=LON + 0.03, lat=LAT)
    )
    found = links.suggestions(session, actor=OPERATOR, incident=incident, radius_m=1000)
    cameras = [c.item_ref for c in found[LinkType.CAMERA]]
    assert near.code in cameras
    assert far.code not in cameras
    wide = links.suggestions(session, actor=OPERATOR, incident=incident, radius_m=5000)
    assert far.code in [c.item_ref for c in wide[LinkType.CAMERA]]
    link = links.link_item(
        session, actor=OPERATOR, incident=incident, item_type="camera", ref=near.code.lower()
    )
    assert link.item_ref == near.code
    assert link.lon == near.lon
    with pytest.raises(Conflict):
        links.link_item(
            session, actor=OPERATOR, incident=incident, item_type="camera", ref=near.code
        )
    with pytest.raises(InvalidInput) as unknown:
        links.link_item(
            session, actor=OPERATOR, incident=incident, item_type="complaint", ref="PTK-2026-999999"
        )
    assert "ref" in unknown.value.errors
    with pytest.raises(PermissionDenied):
        links.suggestions(session, actor=PUPR, incident=incident)
    links.unlink_item(session, actor=OPERATOR, incident=incident, link_id=link.id)
    assert links.links(session, incident) == []
    kinds = [e.kind for e in service.entries(session, incident)]
    assert kinds.count(EntryKind.LINK) == 2  # linked, then unlinked: both stay on record
