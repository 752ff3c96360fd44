"""The workspace's JSON API: a query's rows, refusals as the platform's error body, the
manifest; Tim Teknis and admins only."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.core.roles import Role
from pontive.settings import Settings
from tests.analytics.test_workspace_support import (
    add_complaint,
    export_to,
    settings_with_export_dir,
)

QUERY = "/api/v1/analytics/workspace/query"
MANIFEST = "/api/v1/analytics/workspace/manifest"


@pytest.fixture
def analytics_dir(tmp_path: Path) -> Path:
    """The test's export folder (the one ``settings_with_export_dir`` names)."""
    return tmp_path / "analytics"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The app's settings with the test's own export folder."""
    return settings_with_export_dir(database_url, tmp_path)


@pytest.fixture
def exported(session: Session, analytics_dir: Path) -> Path:
    """An export of the test's database, with one report in it."""
    add_complaint(session, 1)
    export_to(session, analytics_dir)
    return analytics_dir


def test_a_query_answers_columns_rows_and_time(client: TestClient, bearer, exported: Path) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        QUERY,
        json={"sql": "SELECT tracking_number, due_on, created_at FROM complaints"},
        headers=bearer(Role.TIM_TEKNIS),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [c["name"] for c in body["columns"]] == ["tracking_number", "due_on", "created_at"]
    assert body["columns"][2]["type"] == "TIMESTAMP WITH TIME ZONE"
    assert body["row_count"] == 1
    assert body["truncated"] is False
    assert body["elapsed_ms"] >= 0
    number, _due, created = body["rows"][0]
    assert number == "PTK-T-000001"
    assert created.endswith("+07:00")


def test_a_refused_query_answers_422_with_the_reason(
    client: TestClient, bearer, exported: Path
) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        QUERY,
        json={"sql": "ATTACH 'var/pontive.db' AS p"},
        headers={**bearer(Role.ADMIN), "Accept-Language": "en"},
    )
    assert response.status_code == 422
    body = response.json()
    assert "not ATTACH" in body["errors"]["sql"][0]
    assert "ATTACH" in body["detail"]


def test_the_manifest_lists_tables_and_columns(client: TestClient, bearer, exported: Path) -> None:  # type: ignore[no-untyped-def]
    response = client.get(MANIFEST, headers=bearer(Role.TIM_TEKNIS))
    assert response.status_code == 200
    body = response.json()
    complaints = next(t for t in body["tables"] if t["name"] == "complaints")
    assert complaints["rows"] == 1
    assert complaints["partitioned_by"] == ["year"]
    assert {"name", "type", "arrow_type", "description", "partition"} <= set(
        complaints["columns"][0]
    )
    assert str(exported) not in response.text  # the server's folders are not told


def test_before_the_first_export_the_api_says_so(client: TestClient, bearer) -> None:  # type: ignore[no-untyped-def]
    response = client.get(MANIFEST, headers=bearer(Role.TIM_TEKNIS))
    assert response.status_code == 409
    assert "pontive analytics export" in response.json()["detail"]


@pytest.mark.parametrize(
    ("role", "pd"), [(Role.PETUGAS_PD, "pupr"), (Role.OPERATOR, None), (Role.DEWAN, None)]
)
def test_other_roles_are_refused(
    client: TestClient, bearer, exported: Path, role: Role, pd: str | None
) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(role, pd)
    assert client.post(QUERY, json={"sql": "SELECT 1"}, headers=headers).status_code == 403
    assert client.get(MANIFEST, headers=headers).status_code == 403


def test_anonymous_callers_must_sign_in(client: TestClient, exported: Path) -> None:
    assert client.post(QUERY, json={"sql": "SELECT 1"}).status_code == 401
