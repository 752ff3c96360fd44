"""Sign-in through the pages and the token API: the second step, its expiry, the
per-address throttle (controlled clock), and session rotation at every step."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.core import auth, totp
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.throttle import FailureThrottle
from pontive.core.timeutil import utcnow
from pontive.settings import Environment
from pontive.web.session import COOKIE_NAME, PageSession
from tests.conftest import PASSWORD

MakeUser = Callable[..., User]

STEP = timedelta(seconds=totp.STEP_SECONDS)


def _csrf(client: TestClient, path: str = "/masuk") -> str:
    return client.get(path).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _enrol(session: Session, user: User) -> tuple[str, list[str]]:
    secret = totp.begin_enrolment(session=session, user=user)
    codes = totp.confirm_enrolment(session=session, user=user, code=totp.code_at(secret, utcnow()))
    return secret, codes


def _password_step(client: TestClient, username: str, password: str = PASSWORD) -> object:
    return client.post(
        "/masuk",
        data={
            "username": username,
            "password": password,
            "csrf_token": _csrf(client),
            "next": "/console/audit",
        },
        follow_redirects=False,
    )


def _code_step(client: TestClient, code: str) -> object:
    token = _csrf(client, "/masuk/verifikasi")
    return client.post(
        "/masuk/verifikasi",
        data={"code": code, "csrf_token": token, "next": "/console/audit"},
        follow_redirects=False,
    )


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def test_the_second_step_signs_in_only_with_the_code(
    client: TestClient,
    session: Session,
    make_user: MakeUser,
) -> None:
    user = make_user(Role.ADMIN, username="ratna")
    secret, _ = _enrol(session, user)
    response = _password_step(client, "ratna")
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert response.headers["location"] == "/masuk/verifikasi?next=/console/audit"  # type: ignore[attr-defined]
    # Not signed in yet: the console still sends the visitor to sign in.
    assert client.get("/console/", follow_redirects=False).headers["location"].startswith("/masuk")
    assert client.get("/api/v1/auth/me").json()["kind"] == "anonymous"
    pending_cookie = client.cookies.get(COOKIE_NAME)
    wrong = _code_step(client, "000000")
    assert wrong.status_code == 401  # type: ignore[attr-defined]
    assert "Kode salah" in wrong.text  # type: ignore[attr-defined]
    right = _code_step(client, totp.code_at(secret, utcnow() + STEP))
    assert right.status_code == 303  # type: ignore[attr-defined]
    assert right.headers["location"] == "/console/audit"  # type: ignore[attr-defined]
    assert client.cookies.get(COOKIE_NAME) != pending_cookie  # rotated on completion
    assert client.get("/api/v1/auth/me").json()["name"] == "ratna"


def test_a_recovery_code_completes_the_second_step_once(
    client: TestClient,
    session: Session,
    make_user: MakeUser,
) -> None:
    user = make_user(Role.OPERATOR, username="fajar")
    _, codes = _enrol(session, user)
    _password_step(client, "fajar")
    assert _code_step(client, codes[3]).status_code == 303  # type: ignore[attr-defined]
    client.cookies.clear()
    _password_step(client, "fajar")
    assert _code_step(client, codes[3]).status_code == 401  # type: ignore[attr-defined]


def test_the_pending_step_expires(
    client: TestClient,
    app: FastAPI,
    session: Session,
    make_user: MakeUser,
) -> None:
    user = make_user(Role.OPERATOR, username="lina")
    secret, _ = _enrol(session, user)
    expired = PageSession(
        csrf="csrf-lama-123", pending_uid=user.id, pending_until=int(time.time()) - 1
    )
    client.cookies.set(COOKIE_NAME, app.state.session_codec.dumps(expired))
    assert client.get("/masuk/verifikasi", follow_redirects=False).headers["location"] == "/masuk"
    response = client.post(
        "/masuk/verifikasi",
        data={"code": totp.code_at(secret, utcnow() + STEP), "csrf_token": "csrf-lama-123"},
        follow_redirects=False,
    )
    assert response.status_code == 401
    assert "Waktu untuk memasukkan kode habis" in response.text
    assert client.get("/api/v1/auth/me").json()["kind"] == "anonymous"


def test_many_failures_from_one_address_are_throttled_with_retry_after(
    client: TestClient,
    app: FastAPI,
    make_user: MakeUser,
) -> None:
    clock = Clock()
    app.state.login_throttle = FailureThrottle(limit=3, window=600, clock=clock)
    make_user(Role.OPERATOR, username="budi")
    for username in ("andi", "sari", "tono"):  # many usernames, one address
        assert _password_step(client, username, "tebakan-123").status_code == 401  # type: ignore[attr-defined]
    clock.now += 60
    refused = _password_step(client, "budi")  # even the right password, meanwhile
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert refused.headers["retry-after"] == "540"  # type: ignore[attr-defined]
    assert "Coba lagi dalam 9 menit" in refused.text  # type: ignore[attr-defined]
    english = client.post(
        "/masuk?lang=en",
        data={"username": "budi", "password": PASSWORD, "csrf_token": _csrf(client)},
    )
    assert "Try again in 9 minutes" in english.text
    token = client.post("/api/v1/auth/token", json={"username": "budi", "password": PASSWORD})
    assert token.status_code == 429
    assert token.headers["retry-after"] == "540"
    clock.now += 541
    assert _password_step(client, "budi").status_code == 303  # type: ignore[attr-defined]


def test_the_token_api_needs_the_code_of_an_enrolled_user(
    client: TestClient,
    session: Session,
    make_user: MakeUser,
) -> None:
    user = make_user(Role.TIM_TEKNIS, username="gita")
    secret, _ = _enrol(session, user)
    without = client.post("/api/v1/auth/token", json={"username": "gita", "password": PASSWORD})
    assert without.status_code == 401
    assert "verifikasi dua langkah" in without.json()["detail"]
    wrong = client.post(
        "/api/v1/auth/token", json={"username": "gita", "password": PASSWORD, "code": "000000"}
    )
    assert wrong.status_code == 401
    code = totp.code_at(secret, utcnow() + STEP)
    body = {"username": "gita", "password": PASSWORD, "code": code}
    issued = client.post("/api/v1/auth/token", json=body)
    assert issued.status_code == 200
    me = client.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {issued.json()['access_token']}"}
    )
    assert me.json()["name"] == "gita"
    assert client.post("/api/v1/auth/token", json=body).status_code == 401  # no replay


def test_sign_out_voids_the_old_cookie(client: TestClient, make_user: MakeUser) -> None:
    make_user(Role.OPERATOR, username="rina")
    before = client.cookies.get(COOKIE_NAME)
    assert _password_step(client, "rina").status_code == 303  # type: ignore[attr-defined]
    signed_in = client.cookies.get(COOKIE_NAME)
    assert signed_in != before
    csrf = _csrf(client, "/console/")
    assert (
        client.post("/keluar", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    )
    assert client.cookies.get(COOKIE_NAME) != signed_in
    assert _csrf(client) != csrf
    # Someone who kept a copy of the signed-in cookie cannot use it any more.
    client.cookies.clear()
    client.cookies.set(COOKIE_NAME, signed_in or "")
    assert client.get("/console/", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/auth/me").json()["kind"] == "anonymous"


def test_staff_without_a_second_factor_enrol_first_when_required(
    client: TestClient,
    app: FastAPI,
    make_user: MakeUser,
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"staff_2fa_required": True})
    make_user(Role.OPERATOR, username="eko")
    response = _password_step(client, "eko")
    assert response.headers["location"] == "/console/akun/2fa"  # type: ignore[attr-defined]
    for path in ("/console/", "/console/referensi", "/"):
        moved = client.get(path, follow_redirects=False)
        assert (moved.status_code, moved.headers["location"]) == (303, "/console/akun/2fa"), path
    assert client.get("/api/v1/auth/me").status_code == 403
    assert client.get("/console/akun/2fa").status_code == 200
    assert client.get("/console/akun").status_code == 200
    token = client.post("/api/v1/auth/token", json={"username": "eko", "password": PASSWORD})
    assert token.status_code == 403
    # Citizens are not asked.
    make_user(Role.WARGA, username="warga.eko")
    client.cookies.clear()
    assert _password_step(client, "warga.eko").headers["location"] == "/"  # type: ignore[attr-defined]


def test_the_requirement_follows_the_environment(app: FastAPI) -> None:
    settings = app.state.settings
    assert settings.requires_staff_2fa is False  # test environment
    production = settings.model_copy(update={"env": Environment.PRODUCTION})
    assert production.requires_staff_2fa is True
    assert production.model_copy(update={"staff_2fa_required": False}).requires_staff_2fa is False


def test_bearer_callers_are_never_sent_to_enrol(
    client: TestClient,
    app: FastAPI,
    session: Session,
    make_user: MakeUser,
) -> None:
    # Tokens issued before the requirement was switched on work until they expire (they
    # cannot be issued again without enrolling: see the test above).
    app.state.settings = app.state.settings.model_copy(update={"staff_2fa_required": True})
    user = make_user(Role.ADMIN)
    secret = auth.issue_token(session=session, user=user, name="t", ttl=timedelta(hours=1))
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["name"] == user.username


def test_sensorthings_basic_credentials_cannot_skip_the_code(
    client: TestClient,
    session: Session,
    make_user: MakeUser,
) -> None:
    user = make_user(Role.OPERATOR)
    _enrol(session, user)
    basic = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    response = client.post(
        "/sta/v1.1/Things", json={"name": "x"}, headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 401
