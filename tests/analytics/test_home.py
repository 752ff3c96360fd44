"""The analytics area's home page: who may open it and what each role sees on it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from pontive.core.roles import Role
from tests.conftest import login


@pytest.mark.parametrize("lang", ["id", "en"])
def test_technical_team_sees_every_part(client: TestClient, make_user, lang: str) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.TIM_TEKNIS)
    login(client, user.username)
    page = client.get(f"/console/analitik?lang={lang}")
    assert page.status_code == 200
    for path in ("triase", "prakiraan", "kualitas-data", "titik-rawan", "ruang-kerja"):
        assert f'href="/console/analitik/{path}"' in page.text
    title = "Analitik dan kecerdasan buatan" if lang == "id" else "Analytics and artificial"
    assert title in page.text


def test_agency_officer_has_no_workspace(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.PETUGAS_PD, pd_kode="pupr")
    login(client, user.username)
    page = client.get("/console/analitik")
    assert page.status_code == 200
    assert 'href="/console/analitik/prakiraan"' in page.text
    assert "ruang-kerja" not in page.text


def test_console_home_links_to_analytics(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.OPERATOR)
    login(client, user.username)
    assert 'href="/console/analitik"' in client.get("/console").text


def test_citizens_are_refused(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.WARGA)
    login(client, user.username)
    assert client.get("/console/analitik").status_code == 403
