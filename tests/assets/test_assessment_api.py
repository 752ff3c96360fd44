"""The assessment API besides the generic registry routes: the checklist's answers (read and
save some, by item id or code), the score and the report."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.assets.assessment_service import answers_of, complete
from pontive.core.roles import Role
from tests.assets.assessment_support import TEAM, answer_all, make_assessment, make_system

API = "/api/v1/assets/assessments"


def test_answers_are_read_and_saved_in_part_by_code_or_id(
    client: TestClient, session: Session, bearer: Any
) -> None:
    assessment = make_assessment(session, make_system(session))
    headers = bearer(Role.TIM_TEKNIS)
    before = client.get(f"{API}/{assessment.id}/answers", headers=headers)
    assert before.status_code == 200
    body = before.json()
    assert len(body["items"]) == 35
    assert body["items"][0]["code"] == "KR-01"
    assert body["items"][0]["answer"] is None
    assert body["score"]["score"] is None
    assert body["score"]["answered"] == 0
    kr02 = next(i for i in body["items"] if i["code"] == "KR-02")

    saved = client.put(
        f"{API}/{assessment.id}/answers",
        json={
            "answers": [
                {"code": "kr-01", "answer": "memenuhi", "evidence": "Daftar akun"},
                {"item_id": kr02["item_id"], "answer": "sebagian", "note": "Sebagian diganti"},
            ]
        },
        headers=headers,
    )
    assert saved.status_code == 200, saved.text
    after = saved.json()
    assert after["status"] == "berlangsung"
    assert after["score"]["score"] == round(100 * (4 + 2.5) / 9, 1)
    assert after["score"]["areas"][0]["area"] == "kerahasiaan"
    given = {i["code"]: i for i in after["items"]}
    assert given["KR-02"]["note"] == "Sebagian diganti"
    assert given["KR-01"]["evidence"] == "Daftar akun"

    cleared = client.put(
        f"{API}/{assessment.id}/answers",
        json={"answers": [{"code": "KR-02", "answer": None}]},
        headers=headers,
    )
    assert cleared.json()["score"]["score"] == 100.0
    assert len(answers_of(session, assessment.id)) == 1

    score = client.get(f"{API}/{assessment.id}/score", headers=headers, params={"lang": "en"})
    assert score.status_code == 200
    assert score.json()["rating"] == "baik"
    assert score.json()["rating_label"] == "Good"
    assert score.json()["complete"] is False


def test_bad_answers_are_refused_with_field_errors(
    client: TestClient, session: Session, bearer: Any
) -> None:
    assessment = make_assessment(session, make_system(session))
    headers = bearer(Role.TIM_TEKNIS)
    unknown = client.put(
        f"{API}/{assessment.id}/answers",
        json={"answers": [{"code": "ZZ-99", "answer": "memenuhi"}]},
        headers=headers,
    )
    assert unknown.status_code == 422
    assert "answers.0" in unknown.json()["errors"]
    wrong = client.put(
        f"{API}/{assessment.id}/answers",
        json={"answers": [{"code": "KR-01", "answer": "mungkin"}]},
        headers=headers,
    )
    assert wrong.status_code == 422
    assert answers_of(session, assessment.id) == {}


def test_a_completed_assessment_refuses_answers(
    client: TestClient, session: Session, bearer: Any
) -> None:
    assessment = make_assessment(session, make_system(session))
    answer_all(session, assessment)
    complete(session, TEAM, assessment)
    refused = client.put(
        f"{API}/{assessment.id}/answers",
        json={"answers": [{"code": "KR-01", "answer": "tidak_memenuhi"}]},
        headers=bearer(Role.TIM_TEKNIS),
    )
    assert refused.status_code == 409


def test_who_may_read_and_write(client: TestClient, session: Session, bearer: Any) -> None:
    assessment = make_assessment(session, make_system(session))
    body = {"answers": [{"code": "KR-01", "answer": "memenuhi"}]}
    assert client.get(f"{API}/{assessment.id}/score").status_code == 401
    officer = bearer(Role.PETUGAS_PD, "diskominfo")
    assert client.get(f"{API}/{assessment.id}/answers", headers=officer).status_code == 200
    assert (
        client.put(f"{API}/{assessment.id}/answers", json=body, headers=officer).status_code == 403
    )
    assert client.get(f"{API}/{assessment.id}/score", headers=bearer(Role.WARGA)).status_code == 403
    assert client.get(f"{API}/999999/score", headers=officer).status_code == 404


def test_the_report_is_served_as_pdf(client: TestClient, session: Session, bearer: Any) -> None:
    assessment = make_assessment(session, make_system(session))
    report = client.get(f"{API}/{assessment.id}/report.pdf", headers=bearer(Role.DEWAN))
    assert report.status_code == 200
    assert report.headers["content-type"] == "application/pdf"
    assert report.content.startswith(b"%PDF")


def test_the_generic_routes_still_answer_beside_ours(
    client: TestClient, session: Session, bearer: Any
) -> None:
    assessment = make_assessment(session, make_system(session))
    headers = bearer(Role.TIM_TEKNIS)
    row = client.get(f"{API}/{assessment.id}", headers=headers)
    assert row.status_code == 200
    assert row.json()["title"] == "Penilaian uji"
    assert client.get(f"{API}/{assessment.id}/history", headers=headers).status_code == 200
    spec = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/answers", "/score", "/report.pdf"):
        assert f"{API}/{{assessment_id}}{path}" in spec, path
