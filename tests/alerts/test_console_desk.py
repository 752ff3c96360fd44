"""The alert desk in the console: who may open it, drafting a manual alert with its area and
expiry typed in WIB, approving (as is, or after an edit), rejecting, publishing an update and
cancelling — each through the forms a browser would post, CSRF token included."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import mode
from pontive.alerts.choices import AlertState, MsgType, Severity
from pontive.alerts.models import Alert, AlertEvent
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.reference import service as reference
from tests.conftest import login

CONSOLE = "/console/peringatan"


def csrf(client: TestClient, path: str = CONSOLE) -> str:
    """The CSRF token of the signed-in session, read from a page's form."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.fixture(autouse=True)
def _fresh_mode_cache() -> Iterator[None]:
    mode.forget_cached_modes()  # the banner reads the mode on every page
    yield
    mode.forget_cached_modes()


@pytest.fixture
def operator(client: TestClient, make_user: Any) -> TestClient:
    login(client, make_user(Role.OPERATOR).username)
    return client


@pytest.fixture
def kelurahan(session: Session) -> list[str]:
    """Two kelurahan of the first kecamatan (codes)."""
    first = reference.list_kecamatan(session=session)[0]
    return [k.kode for k in first.kelurahan[:2]]


def _alert_form(client: TestClient, kodes: list[str], **changes: Any) -> dict[str, Any]:
    expires = (utcnow() + timedelta(hours=3)).astimezone(WIB)
    form: dict[str, Any] = {
        "csrf_token": csrf(client, f"{CONSOLE}/baru"),
        "event_id": "Banjir",
        "event_en": "Flood",
        "headline_id": "Genangan setinggi lutut di Jl. Gajah Mada",
        "headline_en": "Knee-deep flooding on Jl. Gajah Mada",
        "description_id": "Air pasang bersamaan dengan hujan lebat.",
        "description_en": "High tide together with heavy rain.",
        "instruction_id": "Hindari ruas jalan tersebut.",
        "instruction_en": "Avoid the road.",
        "severity": "Moderate",
        "urgency": "Immediate",
        "certainty": "Observed",
        "category": "Met",
        "response_type": "Avoid",
        "cap_status": "Actual",
        "note": "",
        "kelurahan_kodes": kodes,
        "expires_at": expires.strftime("%Y-%m-%dT%H:%M"),
    }
    form.update(changes)
    return form


def _draft(client: TestClient, kodes: list[str], **changes: Any) -> int:
    response = client.post(
        f"{CONSOLE}/baru", data=_alert_form(client, kodes, **changes), follow_redirects=False
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(rf"{CONSOLE}/(\d+)\?ok=drafted", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def _post(client: TestClient, path: str, **data: Any) -> Any:
    data["csrf_token"] = csrf(client)
    return client.post(path, data=data, follow_redirects=False)


@pytest.mark.parametrize(
    ("role", "desk", "draft"),
    [
        (Role.OPERATOR, 200, 200),
        (Role.ADMIN, 200, 200),
        (Role.TIM_TEKNIS, 200, 403),
        (Role.WALIKOTA, 200, 403),
        (Role.WARGA, 403, 403),
    ],
)
def test_staff_see_the_desk_and_only_operators_draft(
    client: TestClient, make_user: Any, role: Role, desk: int, draft: int
) -> None:
    login(client, make_user(role).username)
    assert client.get(CONSOLE).status_code == desk
    assert client.get(f"{CONSOLE}/baru").status_code == draft
    home = client.get("/console/").text
    assert (f'href="{CONSOLE}"' in home) is (desk == 200)


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get(CONSOLE, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/masuk?next=")


def test_an_operator_drafts_an_alert_with_its_area_and_expiry_in_wib(
    operator: TestClient, session: Session, kelurahan: list[str]
) -> None:
    expires_wib = (utcnow() + timedelta(hours=5)).astimezone(WIB).replace(second=0, microsecond=0)
    alert_id = _draft(operator, kelurahan, expires_at=expires_wib.strftime("%Y-%m-%dT%H:%M"))
    alert = session.get(Alert, alert_id)
    assert alert is not None
    assert alert.state is AlertState.DRAFT
    assert sorted(alert.kelurahan_kodes) == sorted(kelurahan)
    assert alert.expires_at == expires_wib.astimezone(UTC)
    assert (alert.headline_en, alert.response_type) == (
        "Knee-deep flooding on Jl. Gajah Mada",
        "Avoid",
    )
    page = operator.get(f"{CONSOLE}/{alert_id}?ok=drafted").text
    assert "Draf tersimpan" in page
    assert expires_wib.strftime("%d-%m-%Y %H:%M") in page  # shown back in WIB
    desk = operator.get(CONSOLE).text
    assert f"{CONSOLE}/{alert_id}/setujui" in desk  # waiting on the desk with its button


def test_a_refused_draft_keeps_what_was_typed_and_says_what_is_wrong(
    operator: TestClient, session: Session, kelurahan: list[str]
) -> None:
    before = session.scalar(select(Alert.id).order_by(Alert.id.desc()))
    form = _alert_form(operator, kelurahan, headline_id="", expires_at="besok pagi")
    response = operator.post(f"{CONSOLE}/baru", data=form)
    assert response.status_code == 422
    assert 'id="expires_at-error"' in response.text
    assert "Genangan" not in response.text  # the headline was left empty
    assert 'value="Knee-deep flooding on Jl. Gajah Mada"' in response.text
    for kode in kelurahan:
        assert f'value="{kode}" checked' in response.text
    # Past expiry and a missing headline: the lifecycle service's own field errors.
    past = (utcnow() - timedelta(hours=1)).astimezone(WIB).strftime("%Y-%m-%dT%H:%M")
    form = _alert_form(operator, kelurahan, headline_id="", expires_at=past)
    response = operator.post(f"{CONSOLE}/baru", data=form)
    assert response.status_code == 422
    assert 'id="headline_id-error"' in response.text
    assert 'id="expires_at-error"' in response.text
    assert session.scalar(select(Alert.id).order_by(Alert.id.desc())) == before


def test_approving_a_draft_publishes_it(
    operator: TestClient, session: Session, kelurahan: list[str]
) -> None:
    alert_id = _draft(operator, kelurahan)
    response = _post(operator, f"{CONSOLE}/{alert_id}/setujui")
    assert response.headers["location"] == f"{CONSOLE}/{alert_id}?ok=approved"
    session.expire_all()
    alert = session.get(Alert, alert_id)
    assert alert is not None
    assert alert.state is AlertState.PUBLISHED
    assert alert.sent_at is not None
    page = operator.get(response.headers["location"]).text
    assert f'href="/peringatan/{alert.identifier}"' in page
    assert f'action="{CONSOLE}/{alert_id}/batalkan"' in page
    # Approving twice is a conflict shown on the page, not an error page.
    again = _post(operator, f"{CONSOLE}/{alert_id}/setujui")
    assert again.status_code == 409
    assert "bukan lagi draf" in again.text


def test_an_edit_then_approve_publishes_the_changed_text(
    operator: TestClient, session: Session, kelurahan: list[str]
) -> None:
    alert_id = _draft(operator, kelurahan)
    form = _alert_form(
        operator, kelurahan[:1], headline_id="Banjir di Kel. pertama", then="approve"
    )
    response = operator.post(f"{CONSOLE}/{alert_id}/ubah", data=form, follow_redirects=False)
    assert response.headers["location"] == f"{CONSOLE}/{alert_id}?ok=approved"
    session.expire_all()
    alert = session.get(Alert, alert_id)
    assert alert is not None
    assert (alert.state, alert.headline_id) == (AlertState.PUBLISHED, "Banjir di Kel. pertama")
    assert alert.kelurahan_kodes == kelurahan[:1]
    actions = session.scalars(
        select(AlertEvent.action).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)
    )
    assert list(actions) == ["drafted", "edited", "published"]


def test_a_rejection_needs_a_reason(
    operator: TestClient, session: Session, kelurahan: list[str]
) -> None:
    alert_id = _draft(operator, kelurahan)
    refused = _post(operator, f"{CONSOLE}/{alert_id}/tolak", reason="  ")
    assert refused.status_code == 422
    assert 'id="reason-error"' in refused.text
    assert '<details class="ac-details" id="tolak" open>' in refused.text
    done = _post(operator, f"{CONSOLE}/{alert_id}/tolak", reason="Sudah surut, laporan keliru.")
    assert done.headers["location"] == f"{CONSOLE}?ok=rejected"
    session.expire_all()
    alert = session.get(Alert, alert_id)
    assert alert is not None
    assert (alert.state, alert.rejected_reason) == (
        AlertState.REJECTED,
        "Sudah surut, laporan keliru.",
    )


def test_an_update_replaces_the_published_alert_with_new_severity_and_area(
    operator: TestClient, session: Session, kelurahan: list[str]
) -> None:
    alert_id = _draft(operator, kelurahan[:1])
    _post(operator, f"{CONSOLE}/{alert_id}/setujui")
    form = _alert_form(operator, kelurahan, severity="Severe", headline_id="Banjir meluas")
    response = operator.post(f"{CONSOLE}/{alert_id}/perbarui", data=form, follow_redirects=False)
    match = re.fullmatch(rf"{CONSOLE}/(\d+)\?ok=updated", response.headers["location"])
    assert match, response.headers["location"]
    session.expire_all()
    update = session.get(Alert, int(match.group(1)))
    first = session.get(Alert, alert_id)
    assert update is not None
    assert first is not None
    assert (update.msg_type, update.state, update.severity) == (
        MsgType.UPDATE,
        AlertState.PUBLISHED,
        Severity.SEVERE,
    )
    assert update.references_id == alert_id
    assert sorted(update.kelurahan_kodes) == sorted(kelurahan)
    assert first.state is AlertState.SUPERSEDED


def test_cancelling_needs_a_reason_and_publishes_a_cancel(
    operator: TestClient, session: Session, kelurahan: list[str]
) -> None:
    alert_id = _draft(operator, kelurahan)
    _post(operator, f"{CONSOLE}/{alert_id}/setujui")
    refused = _post(operator, f"{CONSOLE}/{alert_id}/batalkan", reason="", reason_en="typed")
    assert refused.status_code == 422
    assert 'id="reason-error"' in refused.text
    assert ">typed</textarea>" in refused.text
    done = _post(
        operator,
        f"{CONSOLE}/{alert_id}/batalkan",
        reason="Air sudah surut.",
        reason_en="The water has receded.",
    )
    match = re.fullmatch(rf"{CONSOLE}/(\d+)\?ok=cancelled", done.headers["location"])
    assert match, done.headers["location"]
    session.expire_all()
    message = session.get(Alert, int(match.group(1)))
    first = session.get(Alert, alert_id)
    assert message is not None
    assert first is not None
    assert (message.msg_type, message.description_en) == (MsgType.CANCEL, "The water has receded.")
    assert first.state is AlertState.CANCELLED


def test_staff_who_may_only_read_cannot_approve(
    client: TestClient, make_user: Any, session: Session, kelurahan: list[str]
) -> None:
    login(client, make_user(Role.OPERATOR).username)
    alert_id = _draft(client, kelurahan)
    client.post("/keluar", data={"csrf_token": csrf(client)})
    client.cookies.clear()
    login(client, make_user(Role.TIM_TEKNIS).username)
    page = client.get(f"{CONSOLE}/{alert_id}").text
    assert "/setujui" not in page
    assert _post(client, f"{CONSOLE}/{alert_id}/setujui").status_code == 403
    session.expire_all()
    alert = session.get(Alert, alert_id)
    assert alert is not None
    assert alert.state is AlertState.DRAFT


def test_a_post_without_the_csrf_token_is_refused(
    operator: TestClient, kelurahan: list[str]
) -> None:
    form = _alert_form(operator, kelurahan)
    del form["csrf_token"]
    assert operator.post(f"{CONSOLE}/baru", data=form).status_code == 403


def test_the_english_desk_speaks_english(operator: TestClient, kelurahan: list[str]) -> None:
    alert_id = _draft(operator, kelurahan)
    page = operator.get(f"{CONSOLE}/{alert_id}?lang=en").text
    assert "Approve and publish" in page
    assert "Knee-deep flooding on Jl. Gajah Mada" in page
