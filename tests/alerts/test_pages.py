"""Public alert pages: the list, one alert with its chain, the banner on every page in an
emergency, the situation page and its live parts, and the e-mail list's forms."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import feeds, mode, service
from pontive.alerts.choices import OperatingMode, Severity
from pontive.alerts.models import Alert, AlertSubscriber
from pontive.alerts.service import AlertContent
from pontive.core.identity import Actor, ActorKind
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.reference.models import Kelurahan
from pontive.web.session import CSRF_FIELD
from tests.alerts.cap_support import load_city_boundaries
from tests.alerts.feeds_support import DATA

KAPUAS = AlertContent(
    event_id="Banjir pasang",
    event_en="Tidal flood",
    headline_id="Banjir pasang Kapuas: status Siaga di Tanjung Hulu",
    headline_en="Kapuas tidal flood: Siaga at Tanjung Hulu",
    severity=Severity.SEVERE,
    description_id="Muka air Kapuas 262 cm di pos Tanjung Hulu dan masih naik.",
    description_en="The Kapuas stands at 262 cm at the Tanjung Hulu gauge and is rising.",
    instruction_id="Amankan barang berharga ke tempat tinggi.",
    instruction_en="Move valuables to higher ground.",
)


def _actor(user: User) -> Actor:
    return Actor(kind=ActorKind.USER, role=user.role, id=user.id, name=user.username)


@pytest.fixture
def operator(make_user) -> Actor:  # type: ignore[no-untyped-def]
    return _actor(make_user(Role.OPERATOR, username="pusdalops"))


@pytest.fixture
def walikota(make_user) -> Actor:  # type: ignore[no-untyped-def]
    return _actor(make_user(Role.WALIKOTA, username="walikota.uji"))


def _kelurahan(session: Session) -> list[str]:
    return list(session.scalars(select(Kelurahan.kode).order_by(Kelurahan.kode).limit(2)))


def _published(session: Session, actor: Actor, content: AlertContent = KAPUAS) -> Alert:
    content = dataclasses.replace(content, kelurahan_kodes=tuple(_kelurahan(session)))
    draft = service.draft_alert(session, actor=actor, content=content)
    return service.approve(session, actor=actor, alert_id=draft.id)


def test_no_alert_is_a_calm_page(client: TestClient) -> None:
    page = client.get("/peringatan")
    assert page.status_code == 200
    assert "Tidak ada peringatan yang berlaku saat ini." in page.text
    assert "city-banner" not in client.get("/").text


def test_a_published_alert_is_listed_with_its_page_and_banner(
    client: TestClient, session: Session, operator: Actor
) -> None:
    alert = _published(session, operator)
    listing = client.get("/peringatan").text
    assert KAPUAS.headline_id in listing
    assert f'href="/peringatan/{alert.identifier}"' in listing
    page = client.get(f"/peringatan/{alert.identifier}")
    assert page.status_code == 200
    assert "Amankan barang berharga ke tempat tinggi." in page.text
    assert f'href="/alerts/{alert.identifier}.xml"' in page.text
    english = client.get(f"/peringatan/{alert.identifier}", headers={"Accept-Language": "en"})
    assert "Move valuables to higher ground." in english.text
    home = client.get("/").text
    assert 'class="city-banner' in home
    assert KAPUAS.headline_id in home


def test_drafts_are_not_public(client: TestClient, session: Session, operator: Actor) -> None:
    draft = service.draft_alert(session, actor=operator, content=KAPUAS)
    assert client.get(f"/peringatan/{draft.identifier}").status_code == 404
    assert KAPUAS.headline_id not in client.get("/peringatan").text


def test_an_update_points_readers_of_the_first_message_to_the_latest(
    client: TestClient, session: Session, operator: Actor
) -> None:
    first = _published(session, operator)
    newer = service.issue_update(
        session,
        actor=operator,
        alert_id=first.id,
        changes={"headline_id": "Status Awas di Tanjung Hulu", "severity": Severity.EXTREME},
    )
    old_page = client.get(f"/peringatan/{first.identifier}").text
    assert "Peringatan ini sudah diperbarui." in old_page
    assert f'href="/peringatan/{newer.identifier}"' in old_page


def test_an_emergency_puts_the_mode_and_numbers_on_every_page(
    client: TestClient, session: Session, walikota: Actor
) -> None:
    mode.declare_mode(
        session,
        actor=walikota,
        mode=OperatingMode.TANGGAP_DARURAT,
        reason="Banjir pasang merendam 12 kelurahan (SK Wali Kota 360/2026)",
    )
    for path in ("/", "/peringatan", "/laporan", "/sensor"):
        text = client.get(path).text
        assert "city-banner mode-tanggap_darurat" in text, path
        assert "Tanggap darurat bencana" in text, path
    assert 'href="tel:112"' in client.get("/").text  # the seeded national numbers
    mode.end_mode(session, actor=walikota, reason="Air surut")
    assert "city-banner" not in client.get("/peringatan").text


def test_the_situation_page_and_its_live_parts(
    client: TestClient, session: Session, operator: Actor
) -> None:
    alert = _published(session, operator)
    page = client.get("/situasi")
    assert page.status_code == 200
    rows = re.findall(r'<th scope="row">([^<]+)</th>', page.text)
    assert len(rows) == 6  # the six kecamatan of Pontianak
    assert 'data-events="alerts.&gt;,sensors.flood_status_changed' in page.text
    fragment = client.get("/situasi?bagian=isi").text
    assert "<html" not in fragment
    assert KAPUAS.headline_id in fragment
    data = client.get("/situasi/data.json").json()
    assert data["alert_kelurahan"] == sorted(alert.kelurahan_kodes)
    assert data["alerts"] == [{"identifier": alert.identifier, "severity": "Severe"}]


def test_subscribing_keeps_the_typed_address_on_errors_and_never_shows_it(
    client: TestClient, session: Session
) -> None:
    form = client.get("/peringatan").text
    token = re.search(rf'name="{CSRF_FIELD}" value="([^"]+)"', form)
    assert token is not None
    csrf = {CSRF_FIELD: token.group(1)}
    bad = client.post("/peringatan/langganan", data={**csrf, "email": "bukan-surel"})
    assert bad.status_code == 422
    assert 'value="bukan-surel"' in bad.text
    good = client.post(
        "/peringatan/langganan",
        data={**csrf, "email": "warga@contoh.id", "kecamatan": ""},
        follow_redirects=False,
    )
    assert good.status_code == 303
    stored = session.scalars(select(AlertSubscriber)).one()
    assert stored.confirmed_at is None
    assert "warga@contoh.id" not in client.get("/peringatan?terdaftar=ya").text


def test_an_e_mail_link_asks_before_it_changes_anything(client: TestClient) -> None:
    page = client.get("/peringatan/langganan/berhenti?token=abc")
    assert page.status_code == 200
    assert 'method="post" action="/peringatan/langganan/berhenti"' in page.text
    assert page.headers["cache-control"] == "private, no-store"


def test_official_alerts_touching_the_city_are_on_the_situation_page(
    client: TestClient, session: Session
) -> None:
    load_city_boundaries(session)
    sample = (DATA / "CKB20261129003_alert.xml").read_text(encoding="utf-8")
    in_force = (utcnow() + timedelta(hours=2)).astimezone(WIB).replace(microsecond=0)
    xml = sample.replace("2026-11-29T17:30:00+07:00", in_force.isoformat())
    stored = feeds.store_incoming(session, None, xml.encode())
    assert stored is not None
    assert stored.touches_city
    page = client.get("/situasi").text
    assert "Hujan Lebat disertai Petir dan Angin Kencang di Kalimantan Barat" in page
    touched = client.get("/situasi/data.json").json()["official_kelurahan"]
    assert touched
    assert all(kode.startswith("61.71.") for kode in touched)
