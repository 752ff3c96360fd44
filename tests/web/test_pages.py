"""Pages without a browser: sign-in rules, CSRF, session rotation, console access by role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from pontive.core.roles import Role
from pontive.web.deps import CurrentActor
from pontive.web.session import COOKIE_NAME
from tests.conftest import PASSWORD, login


def _csrf(client: TestClient, path: str = "/masuk") -> str:
    return client.get(path).text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_sign_in_without_the_csrf_token_is_refused(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.OPERATOR, username="rina")
    response = client.post(
        "/masuk", data={"username": "rina", "password": PASSWORD}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in response.text


def test_sign_in_rotates_the_session(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.OPERATOR, username="rina")
    token = _csrf(client)
    before = client.cookies.get(COOKIE_NAME)
    response = client.post(
        "/masuk",
        data={"username": "rina", "password": PASSWORD, "csrf_token": token, "next": "/console/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/console/"
    after = client.cookies.get(COOKIE_NAME)
    assert after
    assert after != before
    assert "HttpOnly" in response.headers["set-cookie"]
    assert "SameSite=lax" in response.headers["set-cookie"]
    # The pre-login CSRF token no longer works.
    stale = client.post("/keluar", data={"csrf_token": token}, headers={"Accept": "text/html"})
    assert stale.status_code == 403


def test_wrong_password_keeps_the_username_and_says_so(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.OPERATOR, username="rina")
    response = client.post(
        "/masuk", data={"username": "rina", "password": "salah", "csrf_token": _csrf(client)}
    )
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.text
    assert 'value="rina"' in response.text


@pytest.mark.parametrize("target", ["https://jahat.example/", "//jahat.example", "javascript:x"])
def test_sign_in_never_redirects_off_site(client: TestClient, make_user, target: str) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.OPERATOR, username="rina")
    response = client.post(
        "/masuk",
        data={
            "username": "rina",
            "password": PASSWORD,
            "csrf_token": _csrf(client),
            "next": target,
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/console/"


CONSOLE_ACCESS = {
    # role: (console home, audit, users, reference)
    Role.ADMIN: (200, 200, 200, 200),
    Role.TIM_TEKNIS: (200, 200, 200, 200),
    Role.OPERATOR: (200, 403, 403, 200),
    Role.PETUGAS_PD: (200, 403, 403, 200),
    Role.DEWAN: (200, 403, 403, 200),
    Role.WALIKOTA: (200, 403, 403, 200),
    Role.WARGA: (403, 403, 403, 403),
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_console_pages_by_role(client: TestClient, make_user, role: Role) -> None:  # type: ignore[no-untyped-def]
    user = make_user(role, pd_kode="pupr" if role is Role.PETUGAS_PD else None)
    login(client, user.username)
    paths = ("/console/", "/console/audit", "/console/pengguna", "/console/referensi")
    statuses = tuple(client.get(p, headers={"Accept": "text/html"}).status_code for p in paths)
    assert statuses == CONSOLE_ACCESS[role]


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    response = client.get("/console/audit", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/masuk?next=/console/audit"


def test_logout_closes_the_console(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.OPERATOR, username="rina")
    login(client, "rina")
    token = _csrf(client, "/console/")
    assert (
        client.post("/keluar", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_cookie_sessions_need_the_csrf_header_for_api_writes(
    client: TestClient,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    @client.app.post("/api/v1/test-write")  # type: ignore[attr-defined, untyped-decorator]
    def write(actor: CurrentActor) -> dict[str, str]:
        return {"by": actor.name}

    make_user(Role.OPERATOR, username="rina")
    login(client, "rina")
    assert client.post("/api/v1/test-write").status_code == 403
    token = _csrf(client, "/console/")
    allowed = client.post("/api/v1/test-write", headers={"X-CSRF-Token": token})
    assert allowed.json() == {"by": "rina"}
    # Reads need no token.
    assert client.get("/api/v1/auth/me").json()["name"] == "rina"


def test_language_choice_is_remembered(client: TestClient) -> None:
    first = client.get("/?lang=en")
    assert '<html lang="en">' in first.text
    assert client.get("/").text.startswith('<!doctype html>\n<html lang="en">')


def test_browser_language_is_honoured(client: TestClient) -> None:
    english = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in english.text
    indonesian = client.get("/", headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.8"})
    assert '<html lang="id">' in indonesian.text


def test_sign_in_redirect_keeps_the_query(client: TestClient) -> None:
    response = client.get("/console/audit?verify=true", follow_redirects=False)
    assert response.headers["location"] == "/masuk?next=/console/audit%3Fverify%3Dtrue"


def test_a_refused_page_says_the_page_is_refused(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.WARGA, username="dewi")
    login(client, "dewi")
    response = client.get("/console/", headers={"Accept": "text/html"})
    assert response.status_code == 403
    assert "Anda tidak berwenang membuka halaman ini." in response.text
