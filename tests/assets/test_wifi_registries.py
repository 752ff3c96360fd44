"""The Wi-Fi and technology registries as declared: what the public sees (public fields of
existing hotspots and verified technologies; never a contact or a staff note), what each
accepts, and who may change them."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import HotspotStatus, TechnologyStatus
from pontive.assets.wifi_registries import HOTSPOTS, TECHNOLOGIES
from pontive.core.errors import InvalidInput, PermissionDenied
from pontive.core.identity import ANONYMOUS
from pontive.core.roles import Role
from pontive.registry import store
from tests.assets.test_wifi_support import TEAM, actor, make_hotspot, make_technology

SECRETS = ("Rudi Rahasia", "0812-9999-0001", "Catatan internal uji")
TECH_SECRETS = ("Narahubung Rahasia", "0812-9999-0002", "rahasia@contoh.id", "Catatan moderasi")


def test_contacts_and_notes_are_never_public_fields() -> None:
    public = {f.name for f in store.visible_fields(HOTSPOTS, public=True)}
    assert {"code", "name", "provider_name", "hours", "ssid", "status", "open_reports"} <= public
    assert not public & {"contact", "notes"}
    assert HOTSPOTS.field("contact").personal
    tech_public = {f.name for f in store.visible_fields(TECHNOLOGIES, public=True)}
    hidden = {"contact_name", "contact_phone", "contact_email", "notes", "verified_by", "is_public"}
    assert not tech_public & hidden
    assert all(TECHNOLOGIES.field(n).personal for n in ("contact_name", "contact_phone"))


def test_the_public_api_shows_existing_hotspots_without_their_contact(
    session: Session, client: TestClient
) -> None:
    shown = make_hotspot(session)
    broken = make_hotspot(session, status="gangguan")
    off = make_hotspot(session, status="nonaktif")
    planned = make_hotspot(session, status="direncanakan")
    session.flush()
    answer = client.get(HOTSPOTS.api_path, params={"per_page": 500})
    assert answer.status_code == 200, answer.text
    codes = {row["code"] for row in answer.json()["results"]}
    assert {shown.code, broken.code, off.code} <= codes
    assert planned.code not in codes  # not there yet: not on the public map
    for secret in SECRETS:
        assert secret not in answer.text
    one = client.get(f"{HOTSPOTS.api_path}/{shown.id}")
    assert one.status_code == 200
    assert "contact" not in one.json()
    assert "notes" not in one.json()
    assert client.get(f"{HOTSPOTS.api_path}/{planned.id}").status_code == 404


def test_the_geojson_carries_public_fields_only(session: Session, client: TestClient) -> None:
    hotspot = make_hotspot(session, status="gangguan")
    make_hotspot(session, status="direncanakan")
    answer = client.get("/api/v1/assets/wifi.geojson")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/geo+json")
    collection = answer.json()
    mine = [f for f in collection["features"] if f["properties"]["code"] == hotspot.code]
    assert len(mine) == 1
    feature = mine[0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [hotspot.lon, hotspot.lat]}
    assert feature["properties"]["status"] == "gangguan"
    assert feature["properties"]["status_label"] == "Gangguan"
    assert feature["properties"]["report_url"] == f"/wifi/{hotspot.code}/lapor"
    assert all(f["properties"]["code"].startswith("WIFI-") for f in collection["features"])
    assert "direncanakan" not in {f["properties"]["status"] for f in collection["features"]}
    text = json.dumps(collection)
    for secret in SECRETS:
        assert secret not in text


def test_the_geojson_filters_and_speaks_english(session: Session, client: TestClient) -> None:
    city = make_hotspot(session)
    partner = make_hotspot(session, provider_kind="komunitas", provider_name="RT/RW Net Uji")
    answer = client.get("/api/v1/assets/wifi.geojson?penyedia=komunitas&lang=en").json()
    codes = {f["properties"]["code"] for f in answer["features"]}
    assert partner.code in codes
    assert city.code not in codes
    mine = next(f for f in answer["features"] if f["properties"]["code"] == partner.code)
    assert mine["properties"]["provider_kind_label"] == "Community"
    assert mine["properties"]["status_label"] == "Working"
    elsewhere = client.get("/api/v1/assets/wifi.geojson?kecamatan=61.71.04").json()
    assert city.code not in {f["properties"]["code"] for f in elsewhere["features"]}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"code": "WIFI 001"}, "code"),
        ({"hours": "pagi sampai malam"}, "hours"),
        ({"lon": "109.10", "lat": "-0.30"}, "lon"),  # far outside Pontianak
        ({"ssid": "x" * 33}, "ssid"),
        ({"status": "rusak"}, "status"),
    ],
)
def test_a_hotspot_must_be_readable_and_in_the_city(
    session: Session, values: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        make_hotspot(session, **values)
    assert field in refused.value.errors


def test_twenty_four_hours_is_accepted_as_hours(session: Session) -> None:
    assert make_hotspot(session, hours="24 jam").hours == "24 jam"


def test_a_pd_officer_edits_only_its_own_agencys_hotspots(session: Session) -> None:
    ours = make_hotspot(session, owner_pd="diskominfo")
    partner = make_hotspot(session, owner_pd="", provider_kind="swasta", provider_name="Kafe")
    officer = actor(Role.PETUGAS_PD, "diskominfo")
    store.save_row(session, HOTSPOTS, officer, {"hours": "24 jam"}, row=ours, partial=True)
    assert ours.hours == "24 jam"
    with pytest.raises(PermissionDenied):
        store.save_row(session, HOTSPOTS, officer, {"hours": "24 jam"}, row=partner, partial=True)
    other = actor(Role.PETUGAS_PD, "dlh")
    with pytest.raises(PermissionDenied):
        store.save_row(session, HOTSPOTS, other, {"hours": "24 jam"}, row=ours, partial=True)


def test_a_persons_edit_takes_the_status_over_from_the_reports(session: Session) -> None:
    hotspot = make_hotspot(session)
    hotspot.status_by_reports = True
    store.save_row(session, HOTSPOTS, TEAM, {"status": "gangguan"}, row=hotspot, partial=True)
    assert hotspot.status is HotspotStatus.GANGGUAN
    assert hotspot.status_by_reports is False


def test_only_verified_public_technologies_are_public(session: Session, client: TestClient) -> None:
    waiting = make_technology(session, is_public="true")  # public flag, but not verified
    verified_private = make_technology(session, status="diverifikasi")
    shown = make_technology(session, status="aktif", is_public="true")
    ended = make_technology(session, status="berakhir", is_public="true")
    rows = store.all_rows(session, TECHNOLOGIES, ANONYMOUS, public=True)
    assert rows == [shown]
    answer = client.get(TECHNOLOGIES.api_path)
    assert answer.status_code == 200
    names = {row["name"] for row in answer.json()["results"]}
    assert names == {shown.name}
    assert not {waiting.name, verified_private.name, ended.name} & names
    for secret in TECH_SECRETS:
        assert secret not in answer.text


def test_verifying_a_technology_stamps_who_and_when_once(session: Session) -> None:
    technology = make_technology(session)
    verify = {"status": "diverifikasi"}
    store.save_row(session, TECHNOLOGIES, TEAM, verify, row=technology, partial=True)
    assert technology.verified_by == TEAM.label
    stamped = technology.verified_at
    assert stamped is not None
    store.save_row(session, TECHNOLOGIES, TEAM, {"status": "aktif"}, row=technology, partial=True)
    assert technology.verified_at == stamped  # activating keeps the verification
    reject = {"status": "ditolak"}
    store.save_row(session, TECHNOLOGIES, TEAM, reject, row=technology, partial=True)
    assert technology.status is TechnologyStatus.DITOLAK
    assert technology.verified_at is None
    assert technology.verified_by is None


def test_pd_officers_and_the_council_may_not_moderate_technologies(session: Session) -> None:
    technology = make_technology(session)
    for role in (Role.PETUGAS_PD, Role.DEWAN, Role.OPERATOR):
        with pytest.raises(PermissionDenied):
            store.save_row(
                session,
                TECHNOLOGIES,
                actor(role, "diskominfo"),
                {"status": "aktif"},
                row=technology,
                partial=True,
            )
    assert store.can_edit(actor(Role.DEWAN), TECHNOLOGIES) is False
    assert store.list_rows(session, TECHNOLOGIES, actor(Role.DEWAN)).total >= 1  # may view
