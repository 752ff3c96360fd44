"""The console's Account page without a browser: enrolment, recovery codes, turning off,
the password change (rotation, other sessions void) and the administrator's reset."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import totp
from pontive.core.audit import AuditEvent
from pontive.core.db import Database
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.web.account_console import qr_svg
from pontive.web.session import COOKIE_NAME
from tests.conftest import PASSWORD, DemoDatabase, clone_database_url, login, run_cli

MakeUser = Callable[..., User]

STEP = timedelta(seconds=totp.STEP_SECONDS)
NEW_PASSWORD = "jembatan-kapuas-77"


def _csrf(client: TestClient, path: str) -> str:
    return client.get(path).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _enrol_through_the_page(client: TestClient) -> tuple[str, list[str]]:
    page = client.get("/console/akun/2fa")
    assert page.status_code == 200
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page.text)
    assert secret is not None
    assert "otpauth://totp/" in page.text
    # The QR code draws the very link shown beside it.
    uri = re.search(r'id="totp-uri" type="text" class="code small" value="([^"]+)"', page.text)
    assert uri is not None
    assert str(qr_svg(html.unescape(uri.group(1)))) in page.text
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = client.post(
        "/console/akun/2fa",
        data={"code": totp.code_at(secret.group(1), utcnow()), "csrf_token": token},
    )
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([A-Z2-9]{5}-[A-Z2-9]{5})</code></li>", done.text)
    assert len(codes) == totp.RECOVERY_CODE_COUNT
    return secret.group(1), codes


def test_enrolling_shows_secret_uri_and_codes_once(
    client: TestClient,
    session: Session,
    make_user: MakeUser,
) -> None:
    user = make_user(Role.PETUGAS_PD, pd_kode="pupr", username="yanti")
    login(client, "yanti")
    before = client.cookies.get(COOKIE_NAME)
    secret, codes = _enrol_through_the_page(client)
    assert client.cookies.get(COOKIE_NAME) != before  # a new factor: a fresh session
    session.refresh(user)
    assert totp.is_enabled(user)
    account = client.get("/console/akun")
    assert "Kode pemulihan tersisa: 10." in account.text
    assert secret not in account.text
    assert not any(code in account.text for code in codes)
    # Enrolled: the enrolment page leads back to the account.
    assert client.get("/console/akun/2fa", follow_redirects=False).status_code == 303


def test_a_wrong_first_code_keeps_the_same_secret(client: TestClient, make_user: MakeUser) -> None:
    make_user(Role.OPERATOR, username="dodi")
    login(client, "dodi")
    first = client.get("/console/akun/2fa").text
    token = _csrf(client, "/console/akun/2fa")
    wrong = client.post("/console/akun/2fa", data={"code": "000000", "csrf_token": token})
    assert wrong.status_code == 422
    assert "Kode salah" in wrong.text
    pattern = r'data-secret="([A-Z2-7]+)"'
    assert re.findall(pattern, wrong.text) == re.findall(pattern, first)


def test_turning_off_from_the_account_page(
    client: TestClient,
    session: Session,
    make_user: MakeUser,
) -> None:
    user = make_user(Role.OPERATOR, username="wati")
    login(client, "wati")
    secret, _ = _enrol_through_the_page(client)
    token = _csrf(client, "/console/akun")
    refused = client.post(
        "/console/akun/2fa/nonaktif",
        data={"password": "salah-salah-1", "code": "123456", "csrf_token": token},
    )
    assert refused.status_code == 422
    assert "Kata sandi salah." in refused.text
    done = client.post(
        "/console/akun/2fa/nonaktif",
        data={
            "password": PASSWORD,
            "code": totp.code_at(secret, utcnow() + STEP),
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert done.headers["location"] == "/console/akun?done=2fa_off"
    session.refresh(user)
    assert not totp.is_enabled(user)


def test_changing_the_password_rotates_this_session_and_ends_the_others(
    client: TestClient,
    app: FastAPI,
    make_user: MakeUser,
) -> None:
    make_user(Role.DEWAN, username="hasan")
    login(client, "hasan")
    with TestClient(app, base_url="http://testserver") as other:
        login(other, "hasan")
        assert other.get("/api/v1/auth/me").json()["name"] == "hasan"
        before = client.cookies.get(COOKIE_NAME)
        token = _csrf(client, "/console/akun")
        mismatch = client.post(
            "/console/akun/kata-sandi",
            data={"current": PASSWORD, "new": NEW_PASSWORD, "confirm": "lain", "csrf_token": token},
        )
        assert "Konfirmasi kata sandi baru tidak sama." in mismatch.text
        weak = client.post(
            "/console/akun/kata-sandi",
            data={
                "current": PASSWORD,
                "new": "hasan-2026-ok",
                "confirm": "hasan-2026-ok",
                "csrf_token": token,
            },
        )
        assert "tidak boleh memuat nama pengguna" in weak.text
        changed = client.post(
            "/console/akun/kata-sandi",
            data={
                "current": PASSWORD,
                "new": NEW_PASSWORD,
                "confirm": NEW_PASSWORD,
                "csrf_token": token,
            },
            follow_redirects=False,
        )
        assert changed.headers["location"] == "/console/akun?done=password"
        assert client.cookies.get(COOKIE_NAME) != before
        assert _csrf(client, "/console/akun") != token
        assert client.get("/api/v1/auth/me").json()["name"] == "hasan"
        assert other.get("/api/v1/auth/me").json()["kind"] == "anonymous"
    client.cookies.clear()
    login(client, "hasan", NEW_PASSWORD)


def test_an_administrator_resets_a_lost_second_factor(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> None:
    # The command works on a database of its own: a copy of the demo's.
    for url in clone_database_url(tmp_path_factory, demo_database.url, "reset2fa"):
        database = Database(url)
        try:
            with database.session() as session:
                user = session.scalars(select(User).where(User.username == "operator")).one()
                secret = totp.begin_enrolment(session=session, user=user)
                now = utcnow()
                totp.confirm_enrolment(
                    session=session, user=user, code=totp.code_at(secret, now), now=now
                )
            code, _ = run_cli(url, "users", "reset-2fa", "--username", "tidak.ada")
            assert code == 1
            code, output = run_cli(url, "users", "reset-2fa", "--username", "operator")
            assert code == 0, output
            assert "operator" in output
            with database.session() as session:
                user = session.scalars(select(User).where(User.username == "operator")).one()
                assert not totp.is_enabled(user)
                event = session.scalars(
                    select(AuditEvent)
                    .where(AuditEvent.action == "user.2fa.reset")
                    .order_by(AuditEvent.id.desc())
                ).first()
                assert event is not None
                assert (event.actor, event.object_id) == ("system:cli", str(user.id))
        finally:
            database.dispose()


def test_a_bearer_token_does_not_open_the_account_page(
    client: TestClient, bearer: Callable[..., dict[str, str]]
) -> None:
    headers = bearer(Role.ADMIN)
    response = client.get("/console/akun", headers=headers)
    assert response.status_code == 401
