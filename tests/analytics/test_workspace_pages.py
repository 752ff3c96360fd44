"""The workspace page: Tim Teknis runs, charts, downloads and saves queries in Bahasa Indonesia
or English; PD officers and operators are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics.access import WORKSPACE_PATH
from pontive.analytics.workspace_models import SavedQuery
from pontive.core.roles import Role
from pontive.settings import Settings
from tests.analytics.test_workspace_support import (
    add_complaint,
    export_to,
    settings_with_export_dir,
)
from tests.conftest import login

SQL = "SELECT kecamatan_kode, count(*) AS n FROM kelurahan GROUP BY 1 ORDER BY 1"


@pytest.fixture
def analytics_dir(tmp_path: Path) -> Path:
    """The test's export folder (the one ``settings_with_export_dir`` names)."""
    return tmp_path / "analytics"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The app's settings with the test's own export folder."""
    return settings_with_export_dir(database_url, tmp_path)


def _csrf(client: TestClient, path: str = WORKSPACE_PATH) -> str:
    page = client.get(path)
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


@pytest.fixture
def teknis(client: TestClient, make_user, session: Session, analytics_dir: Path) -> TestClient:  # type: ignore[no-untyped-def]
    """A signed-in Tim Teknis member, with an export of the test's database."""
    add_complaint(session, 1)
    export_to(session, analytics_dir)
    login(client, make_user(Role.TIM_TEKNIS).username)
    return client


def test_the_page_lists_the_tables_in_both_languages(teknis: TestClient) -> None:
    page = teknis.get(WORKSPACE_PATH)
    assert page.status_code == 200
    assert "Ruang kerja analisis" in page.text
    assert 'data-insert="complaints"' in page.text
    assert "Kode Kemendagri kelurahan" in page.text  # a column's description
    english = teknis.get(f"{WORKSPACE_PATH}?lang=en")
    assert "Analysis workspace" in english.text
    assert "Kemendagri code of the kelurahan" in english.text


def test_running_a_query_shows_rows_count_time_and_the_chart(teknis: TestClient) -> None:
    response = teknis.post(
        f"{WORKSPACE_PATH}/jalankan",
        data={
            "csrf_token": _csrf(teknis),
            "sql": SQL,
            "action": "run",
            "chart_kind": "bar",
            "chart_x": "kecamatan_kode",
            "chart_y": "n",
        },
    )
    assert response.status_code == 200
    assert 'id="ws-summary">6 baris dalam' in response.text
    assert '<svg viewBox="0 0 760' in response.text
    assert 'role="img"' in response.text
    assert "<td>61.71.01</td>" in response.text


def test_a_refused_query_is_shown_with_the_typed_sql_kept(teknis: TestClient) -> None:
    response = teknis.post(
        f"{WORKSPACE_PATH}/jalankan",
        data={
            "csrf_token": _csrf(teknis),
            "sql": "SELECT * FROM read_csv('/etc/passwd')",
            "action": "run",
        },
    )
    assert response.status_code == 422
    assert "Fungsi tabel read_csv() tidak diizinkan" in response.text
    assert "SELECT * FROM read_csv(&#39;/etc/passwd&#39;)</textarea>" in response.text


def test_the_csv_download_holds_the_whole_result(teknis: TestClient) -> None:
    response = teknis.post(
        f"{WORKSPACE_PATH}/jalankan",
        data={"csrf_token": _csrf(teknis), "sql": "SELECT kode FROM kelurahan", "action": "csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert len(response.text.splitlines()) == 30  # header and 29 kelurahan


def test_saving_opening_running_and_deleting_a_query(teknis: TestClient, session: Session) -> None:
    saved = teknis.post(
        f"{WORKSPACE_PATH}/simpan",
        data={
            "csrf_token": _csrf(teknis),
            "sql": SQL,
            "name": "Kelurahan per kecamatan",
            "shared": "1",
            "chart_kind": "bar",
            "chart_x": "kecamatan_kode",
            "chart_y": "n",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    query = session.scalars(
        select(SavedQuery).where(SavedQuery.name == "Kelurahan per kecamatan")
    ).one()
    opened = teknis.get(saved.headers["location"])
    assert "Kueri disimpan." in opened.text
    assert SQL in opened.text
    ran = teknis.post(
        f"{WORKSPACE_PATH}/kueri/{query.id}/jalankan", data={"csrf_token": _csrf(teknis)}
    )
    assert ran.status_code == 200
    assert "<svg" in ran.text
    assert "Kelurahan per kecamatan" in ran.text
    gone = teknis.post(
        f"{WORKSPACE_PATH}/kueri/{query.id}/hapus",
        data={"csrf_token": _csrf(teknis)},
        follow_redirects=False,
    )
    assert gone.status_code == 303
    assert session.get(SavedQuery, query.id) is None


def test_saving_without_a_name_keeps_what_was_typed(teknis: TestClient) -> None:
    response = teknis.post(
        f"{WORKSPACE_PATH}/simpan",
        data={"csrf_token": _csrf(teknis), "sql": SQL, "name": "", "description": "catatan saya"},
    )
    assert response.status_code == 422
    assert "Beri nama kueri." in response.text
    assert 'value="catatan saya"' in response.text


@pytest.mark.parametrize(("role", "pd"), [(Role.PETUGAS_PD, "pupr"), (Role.OPERATOR, None)])
def test_pd_officers_and_operators_are_refused(
    client: TestClient,
    make_user,
    role: Role,
    pd: str | None,  # type: ignore[no-untyped-def]
) -> None:
    login(client, make_user(role, pd_kode=pd).username)
    assert client.get(WORKSPACE_PATH).status_code == 403
    token = _csrf(client, "/console")
    response = client.post(f"{WORKSPACE_PATH}/jalankan", data={"csrf_token": token, "sql": SQL})
    assert response.status_code == 403


def test_without_an_export_the_page_says_how_to_make_one(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    login(client, make_user(Role.ADMIN).username)
    page = client.get(WORKSPACE_PATH)
    assert page.status_code == 200
    assert "pontive analytics export" in page.text
