"""The triage JSON API (``/api/v1/analytics/triage``): staff only, never in public output."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.analytics import triage_service
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from tests.analytics.test_triage_support import GAJAH_MADA, file_report, store_seed_model

API = "/api/v1/analytics/triage"
KTP = {
    "text": "Antre urus KTP di kantor kecamatan dari pagi, petugas belum datang",
    "has_photo": False,
}


def test_live_model_metrics_for_staff(client: TestClient, session: Session, bearer) -> None:  # type: ignore[no-untyped-def]
    assert client.get(f"{API}/model", headers=bearer(Role.OPERATOR)).status_code == 404
    live = store_seed_model(session)
    body = client.get(f"{API}/model", headers=bearer(Role.PETUGAS_PD, "pupr")).json()
    assert body["version"] == live.version
    assert body["counts"]["seed"] > 600
    assert body["metrics"]["seed"]["category_macro_f1"] >= 0.80
    assert set(body["metrics"]["seed"]) >= {"top2_accuracy", "per_category", "confusions"}
    assert client.get(f"{API}/model", headers=bearer(Role.WARGA)).status_code == 403
    assert client.get(f"{API}/model").status_code == 401


def test_suggestion_for_a_text_with_its_place_and_reasons(
    client: TestClient, session: Session, bearer
) -> None:  # type: ignore[no-untyped-def]
    live = store_seed_model(session)
    lon, lat = GAJAH_MADA
    response = client.post(
        f"{API}/suggest", json=KTP | {"lon": lon, "lat": lat}, headers=bearer(Role.OPERATOR)
    )
    assert response.status_code == 200
    body = response.json()
    assert body["model_version"] == live.version
    assert body["category"]["code"] == "pelayanan-administrasi"
    assert body["category"]["name"] == "Pelayanan administrasi"
    assert len(body["alternatives"]) == 2
    assert body["kelurahan_kode"].startswith("61.71.01.")
    assert body["pd_kode"] == "kec-selatan"  # the kecamatan office of that place
    assert body["urgency"]["code"] in {"tinggi", "sedang", "rendah"}
    assert "ktp" in [r["term"] for r in body["reasons"]]
    # The Technical Team may try the model too.
    team = client.post(f"{API}/suggest", json=KTP, headers=bearer(Role.TIM_TEKNIS))
    assert team.status_code == 200
    assert team.json()["pd_kode"] == "disdukcapil"  # no place: the category's own PD


@pytest.mark.parametrize(
    ("role", "pd_kode"), [(Role.WARGA, None), (Role.PETUGAS_PD, "pupr"), (Role.DEWAN, None)]
)
def test_others_may_not_ask_for_suggestions(  # type: ignore[no-untyped-def]
    client: TestClient, session: Session, bearer, role: Role, pd_kode: str | None
) -> None:
    store_seed_model(session)
    response = client.post(f"{API}/suggest", json=KTP, headers=bearer(role, pd_kode))
    assert response.status_code == 403


def test_a_bad_request_answers_the_platforms_field_errors(
    client: TestClient, session: Session, bearer
) -> None:  # type: ignore[no-untyped-def]
    store_seed_model(session)
    response = client.post(
        f"{API}/suggest", json={"text": "", "lat": 95}, headers=bearer(Role.OPERATOR)
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert {"text", "lat"} <= {key.split(".")[-1] for key in body["errors"]}


def test_a_reports_stored_suggestion_is_for_the_command_center_only(  # type: ignore[no-untyped-def]
    client: TestClient, session: Session, media: MediaStore, bearer
) -> None:
    live = store_seed_model(session)
    report = file_report(session, media)
    path = f"{API}/complaints/{report.tracking_number}"
    assert client.get(path, headers=bearer(Role.OPERATOR)).status_code == 404  # none yet
    triage_service.ensure_suggestion(session, report)
    body = client.get(path, headers=bearer(Role.OPERATOR)).json()
    assert body["tracking_number"] == report.tracking_number
    assert body["model_version"] == live.version
    assert body["category"]["code"] == "lampu-jalan"
    assert body["decision"] is None
    assert client.get(path, headers=bearer(Role.PETUGAS_PD, "dishub")).status_code == 403
    # The public view of the report says nothing of the model.
    public = client.get(f"/api/v1/complaints/{report.tracking_number}").text
    assert live.version not in public
    assert "model_version" not in public
