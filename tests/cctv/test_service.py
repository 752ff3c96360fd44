"""The camera registry: enrolment, review, owners' choices, staff changes, secrets at rest."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from pontive.cctv import service
from pontive.cctv.choices import CameraStatus, Sharing
from pontive.core.audit import AuditEvent
from pontive.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from pontive.core.events import MemoryBus
from pontive.core.identity import ANONYMOUS
from pontive.core.roles import Role
from tests.cctv.support import STAFF, actor, camera_input, city_camera, contributed


def test_a_city_camera_is_active_at_once_with_its_kelurahan(session: Session) -> None:
    camera = city_camera(session)
    assert camera.code.startswith("CAM-")
    assert camera.status is CameraStatus.AKTIF
    assert camera.kelurahan_kode is not None
    assert camera.stream_path == camera.code.lower()
    assert city_camera(session).code != camera.code


def test_enrolment_awaits_review_and_gives_the_owner_a_private_link(session: Session) -> None:
    camera, token = contributed(session, status=CameraStatus.DIAJUKAN)
    assert camera.status is CameraStatus.DIAJUKAN
    assert camera.consent_version == service.CONSENT_VERSION
    assert len(token) >= 30
    assert camera.owner_token_hash != token  # only its hash is kept
    assert service.owner_camera(session, token).id == camera.id
    with pytest.raises(NotFound):
        service.owner_camera(session, token + "x")


def test_enrolment_names_every_problem_at_once(session: Session) -> None:
    data = camera_input(
        name="x", owner_type="warga", purpose="apa", lon=None, streams={"rtsp_url": "ftp://x"},
        owner_name="", owner_phone="",
    )  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        service.enrol_camera(session=session, actor=ANONYMOUS, data=data, consent=True)
    assert set(caught.value.errors) >= {
        "name", "purpose", "location", "rtsp_url", "owner_name", "owner_phone",
    }  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        service.register_camera(session=session, actor=STAFF, data=camera_input(streams={}))
    assert set(caught.value.errors) == {"streams"}
    with pytest.raises(InvalidInput) as caught:  # consent is one more problem, named with the rest
        service.enrol_camera(session=session, actor=ANONYMOUS, data=data, consent=False)
    assert {"consent", "name", "location"} <= set(caught.value.errors)
    city_owner = camera_input(owner_type="pemkot", owner_name="A", owner_phone="1")
    with pytest.raises(InvalidInput) as caught:
        service.enrol_camera(session=session, actor=ANONYMOUS, data=city_owner, consent=True)
    assert set(caught.value.errors) == {"owner_type"}


def test_a_place_outside_the_city_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInput) as caught:
        city_camera(session, lon=106.8272, lat=-6.1754)  # Jakarta
    assert "location" in caught.value.errors


def test_review_approves_or_rejects_with_a_reason(session: Session) -> None:
    camera, _ = contributed(session, status=CameraStatus.DIAJUKAN)
    with pytest.raises(InvalidInput, match="reason"):
        service.review_camera(session=session, actor=STAFF, camera=camera, approve=False)
    service.review_camera(
        session=session, actor=STAFF, camera=camera, approve=False, reason="Gambar gelap."
    )
    assert (camera.status, camera.status_reason) == (CameraStatus.DITOLAK, "Gambar gelap.")
    with pytest.raises(Conflict):
        service.review_camera(session=session, actor=STAFF, camera=camera, approve=True)
    other, _ = contributed(session, status=CameraStatus.DIAJUKAN, privacy_mask="perlu")
    with pytest.raises(InvalidInput, match="masked"):
        service.review_camera(session=session, actor=STAFF, camera=other, approve=True)
    with pytest.raises(PermissionDenied):
        service.review_camera(session=session, actor=actor(Role.DEWAN), camera=other, approve=True)


def test_the_owner_pauses_resumes_and_withdraws_at_once(session: Session) -> None:
    camera, token = contributed(session)
    for action, status in (("pause", CameraStatus.DIJEDA), ("resume", CameraStatus.AKTIF)):
        service.owner_action(session=session, actor=ANONYMOUS, token=token, action=action)
        assert camera.status is status
    with pytest.raises(Conflict):
        service.owner_action(session=session, actor=ANONYMOUS, token=token, action="resume")
    service.owner_action(session=session, actor=ANONYMOUS, token=token, action="withdraw")
    assert camera.status is CameraStatus.DITARIK
    assert (camera.rtsp_url, camera.snapshot_url) == (None, None)  # nothing of its access kept
    with pytest.raises(Conflict):
        service.owner_action(session=session, actor=ANONYMOUS, token=token, action="resume")
    with pytest.raises(Conflict):
        service.set_status(session=session, actor=STAFF, camera=camera, status=CameraStatus.AKTIF)


def test_stream_addresses_and_owner_contacts_are_encrypted_at_rest(session: Session) -> None:
    camera, _ = contributed(session, owner_email="siti@contoh.id")
    raw = session.execute(
        text(
            "SELECT rtsp_url, owner_name, owner_phone, owner_email FROM cctv_cameras WHERE id = :id"
        ),
        {"id": camera.id},
    ).one()
    assert all(value and not any(secret in value for secret in (
        "rahasia-123", "Siti", "0812", "siti@")) for value in raw)  # fmt: skip
    assert camera.rtsp_url == "rtsp://admin:rahasia-123@10.20.0.7:554/stream1"


def test_a_correction_keeps_secrets_left_empty_and_erases_those_named(session: Session) -> None:
    camera, _ = contributed(session, owner_email="siti@contoh.id")
    blank = camera_input(
        owner_type="warga", pd_kode=None, streams={"snapshot_url": "http://10.0.0.5/snap.jpg"}
    )
    service.update_camera(session=session, actor=STAFF, camera=camera, data=blank)
    assert camera.rtsp_url == "rtsp://admin:rahasia-123@10.20.0.7:554/stream1"  # kept
    assert camera.snapshot_url == "http://10.0.0.5/snap.jpg"
    assert (camera.owner_name, camera.owner_email) == ("Siti Aminah", "siti@contoh.id")
    erase = replace(blank, clear=frozenset({"rtsp_url", "owner_email"}))
    service.update_camera(session=session, actor=STAFF, camera=camera, data=erase)
    assert (camera.rtsp_url, camera.owner_email) == (None, None)
    assert camera.owner_name == "Siti Aminah"
    with pytest.raises(InvalidInput) as caught:
        service.update_camera(
            session=session, actor=STAFF, camera=camera, data=replace(blank, pd_kode="tidak-ada")
        )
    assert set(caught.value.errors) == {"pd_kode"}


def test_staff_pause_a_contributed_camera_but_only_its_owner_resumes_it(session: Session) -> None:
    camera, token = contributed(session)
    service.set_status(session=session, actor=STAFF, camera=camera, status=CameraStatus.DIJEDA)
    with pytest.raises(Conflict, match="owner"):
        service.set_status(session=session, actor=STAFF, camera=camera, status=CameraStatus.AKTIF)
    service.owner_action(session=session, actor=ANONYMOUS, token=token, action="resume")
    assert camera.status is CameraStatus.AKTIF


def test_reading_secrets_is_for_their_roles_and_audited(session: Session) -> None:
    camera, _ = contributed(session)
    with pytest.raises(PermissionDenied):
        service.read_streams(session, actor=actor(Role.PETUGAS_PD, pd="dishub"), camera=camera)
    streams = service.read_streams(session, actor=actor(Role.OPERATOR), camera=camera)
    assert streams["rtsp_url"] == camera.rtsp_url
    contact = service.read_owner_contact(session, actor=actor(Role.OPERATOR), camera=camera)
    assert contact["phone"] == "0812-3456-7890"
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == camera.code)
    ).all()
    assert {"cctv.streams_read", "cctv.owner_contact_read", "cctv.camera_enrolled",
            "cctv.camera_approved"} <= set(actions)  # fmt: skip
    after = session.scalars(
        select(AuditEvent.after_digest).where(AuditEvent.object_id == camera.code)
    )
    assert all(digest is None or "rahasia" not in digest for digest in after)


def test_changes_are_announced_without_secrets(session: Session, bus: MemoryBus) -> None:
    published = []
    bus.publish = published.append  # type: ignore[method-assign]
    camera, _ = contributed(session)
    types = [event.type for event in published]
    assert types.count("cctv.camera_changed") == 2  # enrolled, approved
    assert all("rahasia" not in event.to_json().decode() for event in published)
    assert all("Siti" not in event.to_json().decode() for event in published)
    assert published[-1].data["code"] == camera.code


def test_the_registry_by_role(session: Session) -> None:
    public = city_camera(session)
    own = city_camera(session, sharing="internal", pd_kode="dishub")
    other = city_camera(session, sharing="internal", pd_kode="bpbd")
    officer = {
        c.code for c in service.list_registry(session, actor=actor(Role.PETUGAS_PD, pd="dishub"))
    }
    assert {public.code, own.code} <= officer
    assert other.code not in officer
    assert other.code in {
        c.code for c in service.list_registry(session, actor=actor(Role.OPERATOR))
    }
    with pytest.raises(PermissionDenied):
        service.list_registry(session, actor=actor(Role.WARGA))
    assert public.code in {c.code for c in service.list_public(session)}
    assert own.code not in {c.code for c in service.list_public(session)}
    service.set_status(session=session, actor=STAFF, camera=public, status=CameraStatus.DIJEDA)
    assert public.code not in {c.code for c in service.list_public(session)}
    assert public.sharing is Sharing.PUBLIK
