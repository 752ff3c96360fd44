"""The alert console's other pages: rules (a form per kind, versions, enable/disable), the
city's operating mode with its contacts and shelters, and partner webhooks (the secret shown
once). Forms are posted as a browser would, CSRF token included."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import mode
from pontive.alerts.choices import OperatingMode, RuleKind
from pontive.alerts.models import (
    AlertRule,
    AlertRuleVersion,
    EmergencyContact,
    FeedSource,
    Shelter,
    WebhookSubscription,
)
from pontive.core.roles import Role
from pontive.reference import service as reference
from tests.alerts.test_console_desk import csrf
from tests.conftest import login

RULES = "/console/peringatan/aturan"
STATUS = "/console/peringatan/status"
HOOKS = "/console/peringatan/webhook"


@pytest.fixture(autouse=True)
def _fresh_mode_cache() -> Iterator[None]:
    mode.forget_cached_modes()
    yield
    mode.forget_cached_modes()


@pytest.fixture
def operator(client: TestClient, make_user: Any) -> TestClient:
    login(client, make_user(Role.OPERATOR).username)
    return client


def _post(client: TestClient, path: str, data: dict[str, Any], page: str) -> Any:
    return client.post(
        path, data={**data, "csrf_token": csrf(client, page)}, follow_redirects=False
    )


@pytest.mark.parametrize(
    ("role", "rules", "status", "hooks"),
    [
        (Role.OPERATOR, 200, 200, 200),
        (Role.ADMIN, 200, 200, 200),
        (Role.TIM_TEKNIS, 200, 403, 403),
        (Role.WALIKOTA, 403, 200, 403),
        (Role.DEWAN, 403, 403, 403),
    ],
)
def test_each_page_is_for_the_roles_its_service_allows(
    client: TestClient, make_user: Any, role: Role, rules: int, status: int, hooks: int
) -> None:
    login(client, make_user(role).username)
    assert client.get(RULES).status_code == rules
    assert client.get(f"{RULES}/baru?jenis=threshold").status_code == rules
    assert client.get(STATUS).status_code == status
    assert client.get(HOOKS).status_code == hooks
    home = client.get("/console/").text
    assert (f'href="{RULES}"' in home) is (rules == 200)
    assert (f'href="{STATUS}"' in home) is (status == 200)
    assert (f'href="{HOOKS}"' in home) is (hooks == 200)


# --- rules -----------------------------------------------------------------------------------


def _rule_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "kind": "threshold",
        "code": "kapuas-siaga-uji",
        "name_id": "Muka air Kapuas di atas 285 cm",
        "name_en": "Kapuas water level above 285 cm",
        "enabled": "1",
        "cooldown_s": "60",
        "expires_after_s": "360",
        "params.datastream_id": "7",
        "params.op": ">=",
        "params.value": "285",
        "params.clear_value": "280,5",
        "params.duration_s": "10",
        "event_id": "Banjir",
        "event_en": "Flood",
        "headline_id": "Muka air {station} mencapai {value} {unit}",
        "headline_en": "Water at {station} reached {value} {unit}",
        "severity": "Severe",
        "urgency": "Expected",
        "certainty": "Observed",
        "cap_category": "Met",
        "response_type": "Prepare",
        "note": "Ambang dari BPBD.",
    }
    form.update(changes)
    return form


def test_a_rule_is_created_edited_and_switched_off_each_a_version(
    operator: TestClient, session: Session
) -> None:
    page = f"{RULES}/baru?jenis=threshold"
    created = _post(operator, f"{RULES}/baru", _rule_form(), page)
    match = re.fullmatch(rf"{RULES}/(\d+)\?ok=rule_created", created.headers["location"])
    assert match, created.headers.get("location", created.text)
    rule_id = int(match.group(1))
    rule = session.get(AlertRule, rule_id)
    assert rule is not None
    assert (rule.kind, rule.enabled, rule.auto_publish, rule.version) == (
        RuleKind.THRESHOLD,
        True,
        False,
        1,
    )
    assert rule.params == {
        "datastream_id": 7,
        "op": ">=",
        "value": 285.0,
        "clear_value": 280.5,
        "duration_s": 600,
    }
    edit = _rule_form(**{"params.value": "290", "auto_publish": "1", "note": "Naik 5 cm."})
    saved = _post(operator, f"{RULES}/{rule_id}", edit, f"{RULES}/{rule_id}")
    assert saved.headers["location"] == f"{RULES}/{rule_id}?ok=rule_saved"
    off = _post(operator, f"{RULES}/{rule_id}/aktif", {"enabled": "0"}, RULES)
    assert off.headers["location"] == f"{RULES}?ok=rule_off"
    session.expire_all()
    rule = session.get(AlertRule, rule_id)
    assert rule is not None
    assert (rule.params["value"], rule.auto_publish, rule.enabled, rule.version) == (
        290.0,
        True,
        False,
        3,
    )
    notes = session.scalars(
        select(AlertRuleVersion.note)
        .where(AlertRuleVersion.rule_id == rule_id)
        .order_by(AlertRuleVersion.version)
    )
    assert list(notes) == ["Ambang dari BPBD.", "Naik 5 cm.", ""]
    shown = operator.get(f"{RULES}/{rule_id}").text
    assert shown.count("<strong>v") == 3  # the version history
    assert 'value="290.0"' in shown


def test_a_refused_rule_keeps_what_was_typed_beside_its_errors(
    operator: TestClient, session: Session
) -> None:
    page = f"{RULES}/baru?jenis=threshold"
    form = _rule_form(**{"params.clear_value": "300", "headline_id": "Air {tinggi}"})
    response = _post(operator, f"{RULES}/baru", form, page)
    assert response.status_code == 422
    assert 'id="params.clear_value-error"' in response.text
    assert 'id="headline_id-error"' in response.text
    assert 'value="kapuas-siaga-uji"' in response.text
    assert 'value="Air {tinggi}"' in response.text
    assert session.scalar(select(AlertRule).where(AlertRule.code == "kapuas-siaga-uji")) is None


def test_a_rate_rule_asks_direction_and_amount_beside_each_other(
    operator: TestClient, session: Session
) -> None:
    page = f"{RULES}/baru?jenis=rate_of_change"
    base = {
        "kind": "rate_of_change",
        "code": "kapuas-naik-cepat",
        "params.datastream_id": "7",
        "params.direction": "rise",
        "params.per_s": "60",
        "params.window_s": "30",
        "params.op": "",
        "params.value": "",
        "params.clear_value": "",
        "params.duration_s": "",
    }
    missing = _post(operator, f"{RULES}/baru", _rule_form(**base), page)
    assert missing.status_code == 422
    assert 'id="params.amount-error"' in missing.text  # the service's "rise or fall"
    done = _post(operator, f"{RULES}/baru", _rule_form(**base, **{"params.amount": "20"}), page)
    assert done.status_code == 303, done.text
    rule = session.scalar(select(AlertRule).where(AlertRule.code == "kapuas-naik-cepat"))
    assert rule is not None
    assert rule.params == {"datastream_id": 7, "per_s": 3600, "window_s": 1800, "rise": 20.0}


# --- operating mode, contacts, shelters -------------------------------------------------------


def test_an_operator_declares_siaga_darurat_for_a_kecamatan_and_ends_it(
    operator: TestClient, session: Session
) -> None:
    kecamatan = reference.list_kecamatan(session=session)[1]
    refused = _post(
        operator,
        f"{STATUS}/nyatakan",
        {"mode": "siaga_darurat", "kecamatan_kode": kecamatan.kode, "reason": " "},
        STATUS,
    )
    assert refused.status_code == 422
    assert 'id="reason-error"' in refused.text
    assert f'<option value="{kecamatan.kode}" selected>' in refused.text
    declared = _post(
        operator,
        f"{STATUS}/nyatakan",
        {
            "mode": "siaga_darurat",
            "kecamatan_kode": kecamatan.kode,
            "reason": "Keputusan Wali Kota No. 1/2026: pasang tinggi.",
            "reason_en": "Mayor's decree 1/2026: high tide.",
        },
        STATUS,
    )
    assert declared.headers["location"] == f"{STATUS}?ok=declared"
    modes = mode.current_modes(session)
    assert modes.own(kecamatan.kode).mode is OperatingMode.SIAGA_DARURAT
    assert modes.city.mode is OperatingMode.NORMAL
    page = operator.get(STATUS).text
    assert "Keputusan Wali Kota No. 1/2026" in page
    assert f'name="kecamatan_kode" value="{kecamatan.kode}"' in page  # its end form
    ended = _post(
        operator,
        f"{STATUS}/akhiri",
        {"kecamatan_kode": kecamatan.kode, "reason": "Air surut."},
        STATUS,
    )
    assert ended.headers["location"] == f"{STATUS}?ok=ended"
    assert mode.current_modes(session).own(kecamatan.kode).mode is OperatingMode.NORMAL
    again = _post(
        operator, f"{STATUS}/akhiri", {"kecamatan_kode": kecamatan.kode, "reason": "x"}, STATUS
    )
    assert again.status_code == 409  # already normal: said on the page


def test_contacts_and_shelters_are_added_changed_and_removed(
    operator: TestClient, session: Session
) -> None:
    bad = _post(
        operator, f"{STATUS}/kontak", {"name_id": "BPBD", "phone": "telepon", "active": "1"}, STATUS
    )
    assert bad.status_code == 422
    assert 'id="phone-error"' in bad.text
    assert 'value="telepon"' in bad.text
    added = _post(
        operator,
        f"{STATUS}/kontak",
        {"name_id": "Posko BPBD Uji", "phone": "(0561) 000111", "position": "3", "active": "1"},
        STATUS,
    )
    assert added.headers["location"] == f"{STATUS}?ok=contact_saved#kontak"
    contact = session.scalar(
        select(EmergencyContact).where(EmergencyContact.name_id == "Posko BPBD Uji")
    )
    assert contact is not None
    assert (contact.phone, contact.position, contact.active) == ("(0561) 000111", 3, True)
    _post(
        operator,
        f"{STATUS}/kontak/{contact.id}",
        {"name_id": "Posko BPBD Uji", "phone": "112"},
        STATUS,
    )
    session.expire_all()
    assert (contact.phone, contact.active) == ("112", False)
    _post(operator, f"{STATUS}/kontak/{contact.id}/hapus", {}, STATUS)
    session.expire_all()
    assert session.get(EmergencyContact, contact.id) is None

    shelter_form = {
        "name": "Masjid Raya Mujahidin (uji)",
        "address": "Jl. Ahmad Yani",
        "lat": "-0,0437",
        "lon": "109.3363",
        "capacity": "500",
        "active": "1",
    }
    bad = _post(operator, f"{STATUS}/pengungsian", {**shelter_form, "lat": "utara"}, STATUS)
    assert bad.status_code == 422
    assert 'id="lat-error"' in bad.text
    added = _post(operator, f"{STATUS}/pengungsian", shelter_form, STATUS)
    assert added.headers["location"] == f"{STATUS}?ok=shelter_saved#pengungsian"
    shelter = session.scalar(select(Shelter).where(Shelter.name == shelter_form["name"]))
    assert shelter is not None
    assert (shelter.lat, shelter.lon, shelter.capacity) == (-0.0437, 109.3363, 500)
    _post(operator, f"{STATUS}/pengungsian/{shelter.id}/hapus", {}, STATUS)
    session.expire_all()
    assert session.get(Shelter, shelter.id) is None


def test_the_mayor_declares_but_does_not_keep_the_places(
    client: TestClient, make_user: Any
) -> None:
    login(client, make_user(Role.WALIKOTA).username)
    page = client.get(STATUS).text
    assert f'action="{STATUS}/nyatakan"' in page
    assert f'action="{STATUS}/kontak"' not in page
    refused = _post(client, f"{STATUS}/kontak", {"name_id": "X", "phone": "112"}, STATUS)
    assert refused.status_code == 403


# --- webhooks --------------------------------------------------------------------------------


def test_a_webhook_secret_is_shown_once_and_can_be_rotated(
    operator: TestClient, session: Session
) -> None:
    bad = _post(
        operator, HOOKS, {"name": "Mitra", "url": "ftp://x", "event_types": "alerts.>"}, HOOKS
    )
    assert bad.status_code == 422
    assert 'id="url-error"' in bad.text
    assert 'value="ftp://x"' in bad.text
    created = _post(
        operator,
        HOOKS,
        {"name": "Radio Volare", "url": "https://radio.example/pontive", "event_types": "alerts.>"},
        HOOKS,
    )
    assert created.status_code == 200
    secret = created.text.split('id="hook-secret" class="ac-secret">', 1)[1].split("<", 1)[0]
    assert secret.startswith("whsec_")
    assert created.headers["cache-control"] == "private, no-store"
    assert secret not in operator.get(HOOKS).text  # once only
    row = session.scalar(
        select(WebhookSubscription).where(WebhookSubscription.name == "Radio Volare")
    )
    assert row is not None
    assert row.secret == secret
    rotated = _post(operator, f"{HOOKS}/{row.id}/rotasi", {}, HOOKS)
    new = rotated.text.split('id="hook-secret" class="ac-secret">', 1)[1].split("<", 1)[0]
    session.expire_all()
    assert new != secret
    assert row.secret == new
    paused = _post(operator, f"{HOOKS}/{row.id}/aktif", {"active": "0"}, HOOKS)
    assert paused.headers["location"] == f"{HOOKS}?ok=hook_saved"
    session.expire_all()
    assert row.active is False
    _post(operator, f"{HOOKS}/{row.id}/hapus", {}, HOOKS)
    session.expire_all()
    assert session.get(WebhookSubscription, row.id) is None


# --- official feeds --------------------------------------------------------------------------

FEEDS = "/console/peringatan/umpan"


def test_an_operator_adds_switches_off_and_removes_an_official_feed(
    operator: TestClient, session: Session
) -> None:
    form = {
        "name": "BMKG nowcast Kalimantan Barat (uji)",
        "url": "https://contoh.bmkg.example/alerts/rss/kalbar.xml",
        "kind": "rss",
        "poll_seconds": "30",
        "enabled": "1",
    }
    refused = _post(operator, FEEDS, form, FEEDS)
    assert refused.status_code == 422
    assert 'id="poll_seconds-error"' in refused.text
    assert 'value="https://contoh.bmkg.example/alerts/rss/kalbar.xml"' in refused.text
    added = _post(operator, FEEDS, {**form, "poll_seconds": "300"}, FEEDS)
    assert added.headers["location"] == f"{FEEDS}?ok=feed_saved"
    source = session.scalar(select(FeedSource).where(FeedSource.name == form["name"]))
    assert source is not None
    assert (source.poll_seconds, source.enabled) == (300, True)
    assert "Belum pernah dibaca" in operator.get(FEEDS).text
    _post(operator, f"{FEEDS}/{source.id}/aktif", {"enabled": "0"}, FEEDS)
    session.expire_all()
    assert source.enabled is False
    _post(operator, f"{FEEDS}/{source.id}/hapus", {}, FEEDS)
    session.expire_all()
    assert session.get(FeedSource, source.id) is None


def test_technical_staff_do_not_manage_feeds(client: TestClient, make_user: Any) -> None:
    login(client, make_user(Role.TIM_TEKNIS).username)
    assert client.get(FEEDS).status_code == 403
    assert f'href="{FEEDS}"' not in client.get(RULES).text  # no tab either
