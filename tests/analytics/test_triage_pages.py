"""The triage model's console page and the suggestion panel on a report's desk: who sees
what, in Bahasa Indonesia and English, and the forms that accept, correct, retrain and try."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.analytics import access, triage_service
from pontive.analytics.triage_choices import Decision, Urgency
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from tests.analytics.test_triage_support import TRAINER, file_report, store_seed_model
from tests.conftest import login

DESK = "/console/pengaduan"
POST_LAMP = "Lampu di pos ronda RT kami mati, malam gelap dan warga takut ronda."


def csrf(client: TestClient, path: str) -> str:
    """The CSRF token of the signed-in session, read from a page's form."""
    page = client.get(path)
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def sign_in(client: TestClient, make_user, role: Role, pd_kode: str | None = None) -> TestClient:  # type: ignore[no-untyped-def]
    login(client, make_user(role, pd_kode=pd_kode).username)
    return client


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("id", ("Macro-F1 kategori", "F1 per kategori")),
        ("en", ("Category macro-F1", "F1 per category")),
    ],
)
def test_model_page_shows_the_live_model_and_its_held_out_metrics(  # type: ignore[no-untyped-def]
    client: TestClient, session: Session, make_user, lang: str, words: tuple[str, str]
) -> None:
    live = store_seed_model(session)
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(f"{access.TRIAGE_PATH}?lang={lang}")
    assert page.status_code == 200
    assert live.version in page.text
    for word in words:
        assert word in page.text
    assert f"{live.metrics['seed']['category_macro_f1']:.3f}" in page.text
    assert 'id="tri-percat"' in page.text
    assert 'id="tri-weeks"' in page.text
    assert "latih-ulang" not in page.text  # operators do not retrain


def test_model_page_before_any_training(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, make_user, Role.TIM_TEKNIS)
    page = client.get(access.TRIAGE_PATH)
    assert page.status_code == 200
    assert 'id="tri-empty"' in page.text
    assert 'action="/console/analitik/triase/latih-ulang"' in page.text


def test_citizens_may_not_open_the_model_page(client: TestClient, make_user) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, make_user, Role.WARGA)
    assert client.get(access.TRIAGE_PATH).status_code == 403


def test_only_the_technical_team_retrains(client: TestClient, session: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    before = store_seed_model(session)
    operator = sign_in(client, make_user, Role.OPERATOR)
    token = csrf(operator, access.TRIAGE_PATH)
    refused = operator.post(f"{access.TRIAGE_PATH}/latih-ulang", data={"csrf_token": token})
    assert refused.status_code == 403
    team = sign_in(client, make_user, Role.TIM_TEKNIS)
    token = csrf(team, access.TRIAGE_PATH)
    done = team.post(
        f"{access.TRIAGE_PATH}/latih-ulang", data={"csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303
    live = triage_service.live_version(session)
    assert live is not None
    assert live.version != before.version
    assert live.created_by.startswith("user:")  # the Technical Team member who retrained
    page = team.get(done.headers["location"])
    assert 'id="tri-ok"' in page.text
    assert live.version in page.text


def test_trying_the_model_shows_its_suggestion_and_refuses_an_empty_text(  # type: ignore[no-untyped-def]
    client: TestClient, session: Session, make_user
) -> None:
    store_seed_model(session)
    sign_in(client, make_user, Role.OPERATOR)
    token = csrf(client, access.TRIAGE_PATH)
    text = "Sampah di TPS sudah seminggu tidak diangkut, baunya sampai ke rumah"
    tried = client.post(f"{access.TRIAGE_PATH}/coba", data={"csrf_token": token, "text": text})
    assert tried.status_code == 200
    assert 'id="tri-try-result"' in tried.text
    assert "Sampah menumpuk atau tidak diangkut" in tried.text
    assert '<mark class="tri-mark">Sampah</mark>' in tried.text
    empty = client.post(f"{access.TRIAGE_PATH}/coba", data={"csrf_token": token, "text": "  "})
    assert empty.status_code == 422
    assert 'aria-invalid="true"' in empty.text
    assert "Tulis teks laporan" in empty.text


@pytest.mark.parametrize(("lang", "title"), [("id", "Saran triase"), ("en", "Triage suggestion")])
def test_operator_sees_the_suggestion_with_its_reasons_on_the_desk(  # type: ignore[no-untyped-def]
    client: TestClient, session: Session, media: MediaStore, make_user, lang: str, title: str
) -> None:
    live = store_seed_model(session)
    report = file_report(session, media)
    sign_in(client, make_user, Role.OPERATOR)
    page = client.get(f"{DESK}/{report.tracking_number}?lang={lang}")
    assert page.status_code == 200
    assert title in page.text
    assert 'data-category="lampu-jalan"' in page.text
    assert live.version in page.text
    assert '<mark class="tri-mark">Lampu</mark>' in page.text  # a reason, marked in the text
    assert f'action="{DESK}/{report.tracking_number}/triase"' in page.text
    made = triage_service.find_suggestion(session, report.id)  # made on opening, and kept
    assert made is not None
    assert made.model_version == live.version


def test_agency_officers_do_not_see_triage(  # type: ignore[no-untyped-def]
    client: TestClient, session: Session, media: MediaStore, make_user
) -> None:
    store_seed_model(session)
    report = file_report(session, media)  # a street light: Dishub's
    sign_in(client, make_user, Role.PETUGAS_PD, pd_kode="dishub")
    page = client.get(f"{DESK}/{report.tracking_number}")
    assert page.status_code == 200
    assert "Saran triase" not in page.text
    assert triage_service.find_suggestion(session, report.id) is None
    token = csrf(client, f"{DESK}/{report.tracking_number}")
    refused = client.post(
        f"{DESK}/{report.tracking_number}/triase", data={"csrf_token": token, "decision": "accept"}
    )
    assert refused.status_code == 403


def test_accepting_and_correcting_through_the_desk(  # type: ignore[no-untyped-def]
    client: TestClient, session: Session, media: MediaStore, make_user
) -> None:
    store_seed_model(session)
    report = file_report(session, media, POST_LAMP)
    path = f"{DESK}/{report.tracking_number}"
    sign_in(client, make_user, Role.OPERATOR)
    token = csrf(client, path)
    accepted = client.post(
        f"{path}/triase", data={"csrf_token": token, "decision": "accept"}, follow_redirects=False
    )
    assert accepted.status_code == 303
    assert accepted.headers["location"] == f"{path}?triase=ok#saran-triase"
    row = triage_service.find_suggestion(session, report.id)
    assert row is not None
    assert row.decision is Decision.ACCEPTED
    corrected = client.post(
        f"{path}/triase",
        data={
            "csrf_token": token,
            "decision": "correct",
            "category_code": "fasilitas-umum",
            "urgency": "rendah",
        },
    )
    assert corrected.status_code == 200
    assert "Keputusan triase tersimpan" in corrected.text
    assert "Dikoreksi" in corrected.text
    session.refresh(row)
    assert (row.decision, row.final_category_code, row.final_urgency) == (
        Decision.CORRECTED, "fasilitas-umum", Urgency.RENDAH,
    )  # fmt: skip
    # The status form offers the corrected category's agency for dispatching.
    assert '<option value="perkim" selected>' in corrected.text


def test_a_bad_correction_is_shown_with_its_field_error(  # type: ignore[no-untyped-def]
    client: TestClient, session: Session, media: MediaStore, make_user
) -> None:
    store_seed_model(session)
    report = file_report(session, media)
    path = f"{DESK}/{report.tracking_number}"
    sign_in(client, make_user, Role.OPERATOR)
    token = csrf(client, path)
    page = client.post(
        f"{path}/triase",
        data={
            "csrf_token": token,
            "decision": "correct",
            "category_code": "bukan-kategori",
            "urgency": "sedang",
        },
    )
    assert page.status_code == 422
    assert 'id="category_code-error"' in page.text
    assert '<details class="tri-correct" open>' in page.text
    assert '<option value="sedang" selected>' in page.text
    row = triage_service.find_suggestion(session, report.id)
    assert row is not None
    assert row.decision is None


def test_the_operators_queue_shows_each_reports_triage_urgency(  # type: ignore[no-untyped-def]
    client: TestClient, session: Session, media: MediaStore, make_user
) -> None:
    store_seed_model(session)
    report = file_report(session, media)
    suggestion = triage_service.ensure_suggestion(session, report)
    assert suggestion is not None
    badge = f'class="tri-urgency tri-urg-{suggestion.urgency.value}"'
    sign_in(client, make_user, Role.OPERATOR)
    assert badge in client.get(DESK).text
    triage_service.decide(
        session=session, actor=TRAINER, tracking_number=report.tracking_number,
        accept=False, category_code="lampu-jalan", urgency="tinggi",
    )  # fmt: skip
    assert 'class="tri-urgency tri-urg-tinggi"' in client.get(DESK).text  # the operator's
    sign_in(client, make_user, Role.PETUGAS_PD, pd_kode="dishub")
    assert "tri-urgency" not in client.get(DESK).text
