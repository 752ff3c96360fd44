"""The evaluation console over HTTP: opening a year, scoring it through the forms (a refused
score keeps what was typed), the workflow by role (the mayor approves, a PD officer cannot
change anything), the downloads, the frameworks' form, the council's recommendations, and the
public PDF of a published report (404 before)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.core.roles import Role
from pontive.masterplan import evaluation as service
from pontive.masterplan.choices import EvaluationStatus
from pontive.masterplan.console_evaluation_frameworks import framework_values
from tests.conftest import login
from tests.masterplan.test_evaluation import LEVELS, SCORES, YEAR

EVALUATION = "/console/masterplan/evaluasi"
HTML = {"Accept": "text/html"}


def sign_in(client: TestClient, make_user: Any, role: Role, pd: str | None = None) -> None:
    """A new user of ``role`` signed in on ``client`` (signing out whoever was)."""
    client.cookies.clear()
    login(client, make_user(role, pd_kode=pd).username)


def post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    """A console form post with the session's CSRF token."""
    page = client.get("/console/", headers=HTML)
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    return client.post(
        path, data={"csrf_token": token, **data}, headers=HTML, follow_redirects=False
    )


def score_through_forms(client: TestClient) -> None:
    """Open ``YEAR`` and fill every form as the technical team would."""
    assert post(client, EVALUATION, {"year": str(YEAR)}).status_code == 303
    aspects = {f"score_{c}": str(s) for c, s in SCORES.items()}
    aspects |= {f"note_{c}": f"bukti {c}" for c in SCORES}
    assert post(client, f"{EVALUATION}/{YEAR}/aspek", aspects).status_code == 303
    levels = {f"level_{c}": str(level) for c, level in LEVELS.items()}
    assert post(client, f"{EVALUATION}/{YEAR}/spbe", levels).status_code == 303
    narrative = {"summary": "Ringkasan eksekutif evaluasi tahun ini.", "issues": "Data kurang."}
    assert post(client, f"{EVALUATION}/{YEAR}/narasi", narrative).status_code == 303


def test_the_team_scores_a_year_and_the_page_shows_the_indices(
    client: TestClient, make_user: Any, session: Session
) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    score_through_forms(client)
    page = client.get(f"{EVALUATION}/{YEAR}", headers=HTML)
    assert page.status_code == 200
    assert '<output id="city-index">3,10</output>' in page.text
    assert '<output id="spbe-index">3,46</output>' in page.text
    assert '<output id="spbe-predicate">Baik</output>' in page.text
    assert page.text.count('class="ev-level-select"') == 47
    assert "bukti outcome" in page.text
    english = client.get(f"{EVALUATION}/{YEAR}?lang=en", headers=HTML)
    assert '<output id="city-index">3.10</output>' in english.text
    assert "Smart City evaluation" in english.text
    listing = client.get(EVALUATION, headers=HTML)
    assert f'data-year="{YEAR}"' in listing.text


def test_a_refused_score_keeps_what_was_typed(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    post(client, EVALUATION, {"year": str(YEAR)})
    response = post(
        client,
        f"{EVALUATION}/{YEAR}/spbe",
        {"level_I01": "9", "note_I01": "catatan yang diketik", "level_I02": "4"},
    )
    assert response.status_code == 422
    assert 'id="f-level_I01" name="level_I01" class="ev-level-select"' in response.text
    assert 'aria-invalid="true" aria-describedby="f-level_I01-error"' in response.text
    assert "catatan yang diketik" in response.text
    assert '<option value="4" selected>4 · Terpadu dan Terukur</option>' in response.text


def test_the_workflow_by_role(client: TestClient, make_user: Any, session: Session) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    score_through_forms(client)
    assert post(client, f"{EVALUATION}/{YEAR}/telaah", {}).status_code == 303
    refused = post(client, f"{EVALUATION}/{YEAR}/setujui", {})
    assert refused.status_code == 403
    sign_in(client, make_user, Role.PETUGAS_PD, "diskominfo")
    assert post(client, f"{EVALUATION}/{YEAR}/setujui", {}).status_code == 403
    assert post(client, f"{EVALUATION}/{YEAR}/kembalikan", {"note": "tidak"}).status_code == 403
    assert client.get(f"/smartcity/evaluasi/{YEAR}.pdf").status_code == 404
    sign_in(client, make_user, Role.WALIKOTA)
    page = client.get(f"{EVALUATION}/{YEAR}", headers=HTML)
    assert 'id="approve"' in page.text
    assert 'id="save-aspects"' not in page.text
    approved = post(client, f"{EVALUATION}/{YEAR}/setujui", {"letter_number": "000/1/TT/2026"})
    assert approved.status_code == 303
    evaluation = service.get_evaluation(session, YEAR)
    assert evaluation.status is EvaluationStatus.APPROVED
    stored = client.get(f"{EVALUATION}/{YEAR}/laporan.pdf")
    assert stored.headers["content-type"] == "application/pdf"
    assert stored.content.startswith(b"%PDF")
    assert client.get(f"/smartcity/evaluasi/{YEAR}.pdf").status_code == 404  # not public yet
    assert post(client, f"{EVALUATION}/{YEAR}/publikasi", {}).status_code == 303
    public = client.get(f"/smartcity/evaluasi/{YEAR}.pdf")
    assert public.status_code == 200
    assert public.content == stored.content
    sign_in(client, make_user, Role.TIM_TEKNIS)
    assert post(client, f"{EVALUATION}/{YEAR}/kirim", {"letter_number": ""}).status_code == 303
    assert service.get_evaluation(session, YEAR).status is EvaluationStatus.SENT


def test_review_refused_until_everything_is_scored(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    post(client, EVALUATION, {"year": str(YEAR)})
    response = post(client, f"{EVALUATION}/{YEAR}/telaah", {})
    assert response.status_code == 422
    assert "Aspek belum dinilai" in response.text


def test_the_workbook_download(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    score_through_forms(client)
    sign_in(client, make_user, Role.DEWAN)  # every staff role reads
    response = client.get(f"{EVALUATION}/{YEAR}/laporan.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert response.content.startswith(b"PK")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_frameworks_form_saves_weights_and_refuses_bad_ones(
    client: TestClient, make_user: Any, session: Session, lang: str
) -> None:
    sign_in(client, make_user, Role.TIM_TEKNIS)
    page = client.get(f"{EVALUATION}/kerangka?lang={lang}", headers=HTML)
    assert page.status_code == 200
    assert 'name="weight_outcome" value="30"' in page.text
    city = service.current_framework(session, "smart_city").config
    spbe = service.current_framework(session, "spbe").config
    form = framework_values(city, spbe)  # what the page's forms carry
    form["weight_outcome"] = "40"
    assert post(client, f"{EVALUATION}/kerangka/smart_city", form).status_code == 303
    config = service.current_framework(session, "smart_city").config
    assert next(a["weight"] for a in config["aspects"] if a["code"] == "outcome") == 40
    form["weight_impact"] = "banyak"
    refused = post(client, f"{EVALUATION}/kerangka/smart_city", form)
    assert refused.status_code == 422
    assert 'value="banyak"' in refused.text
    sign_in(client, make_user, Role.WALIKOTA)
    assert post(client, f"{EVALUATION}/kerangka/spbe", {}).status_code == 403
    assert 'id="save-spbe-framework"' not in client.get(f"{EVALUATION}/kerangka").text


def test_the_council_recommends_and_the_team_answers(client: TestClient, make_user: Any) -> None:
    sign_in(client, make_user, Role.DEWAN)
    added = post(
        client,
        f"{EVALUATION}/rekomendasi",
        {
            "year": str(YEAR),
            "text": "Perluas layanan aduan daring ke semua kelurahan.",
            "dimensi_kode": "governance",
            "addressed_to": "diskominfo",
        },
    )
    assert added.status_code == 303
    page = client.get(f"{EVALUATION}/rekomendasi?tahun={YEAR}", headers=HTML)
    assert "Perluas layanan aduan daring" in page.text
    assert "Catat tindak lanjut" not in page.text  # the council does not answer
    item_id = page.text.split('id="rek-', 1)[1].split('"', 1)[0]
    sign_in(client, make_user, Role.PETUGAS_PD, "diskominfo")
    denied = post(client, f"{EVALUATION}/rekomendasi", {"year": str(YEAR), "text": "x" * 20})
    assert denied.status_code == 403
    sign_in(client, make_user, Role.TIM_TEKNIS)
    refused = post(client, f"{EVALUATION}/rekomendasi/{item_id}", {"status": "done"})
    assert refused.status_code == 422
    answered = post(
        client,
        f"{EVALUATION}/rekomendasi/{item_id}",
        {"status": "done", "response": "Sudah berjalan di 29 kelurahan."},
    )
    assert answered.status_code == 303
    page = client.get(f"{EVALUATION}/rekomendasi?tahun={YEAR}", headers=HTML)
    assert "Sudah berjalan di 29 kelurahan." in page.text
    assert 'data-status="done"' in page.text
