"""The public idea pages through the app: list, form (errors, idempotency, rate limit), the
author's private page, supporting and commenting with a code and the remembered browser, and
no personal data in any public page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.participation import moderation
from pontive.participation.models import Idea
from pontive.participation.pages_support import VERIFIED_COOKIE
from pontive.participation.service import IDEAS_PER_HOUR, private_token
from tests.participation.support import AUTHOR, MODERATOR, last_code, published, submit

FAN = "pendukung@contoh.id"


def csrf_of(client: TestClient, path: str) -> str:
    """The CSRF token of the form on ``path``."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    return page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _form(csrf: str, **changes: str) -> dict[str, str]:
    values = {
        "csrf_token": csrf,
        "title": "Bank sampah digital di kelurahan",
        "description": "Warga menabung sampah terpilah dan menukarnya dengan token listrik.",
        "dimensi_kode": "environment",
        "contact": "0812 3456 7890",
        "name": "Nur Aisyah",
        "consent": "ya",
        "idempotency_key": "kunci-form-1",
    }
    values.update(changes)
    return values


def test_the_list_and_the_form_render_in_both_languages(client: TestClient) -> None:
    page = client.get("/gagasan")
    assert page.status_code == 200
    assert "Gagasan dan solusi warga" in page.text
    english = client.get("/gagasan/baru?lang=en")
    assert "Share an idea" in english.text
    assert "Law 27/2022" in english.text


def test_a_form_with_errors_comes_back_with_what_was_typed(
    client: TestClient, session: Session
) -> None:
    csrf = csrf_of(client, "/gagasan/baru")
    answer = client.post("/gagasan/baru", data=_form(csrf, contact="bukan kontak", consent=""))
    assert answer.status_code == 422
    assert "Bank sampah digital di kelurahan" in answer.text
    assert 'id="err-contact"' in answer.text
    assert 'id="err-consent"' in answer.text
    assert session.query(Idea).count() == 0


def test_a_submission_leads_to_the_private_page_once(client: TestClient, session: Session) -> None:
    csrf = csrf_of(client, "/gagasan/baru")
    sent = client.post("/gagasan/baru", data=_form(csrf), follow_redirects=False)
    assert sent.status_code == 303
    idea = session.query(Idea).one()
    token = private_token("idea", idea.id)
    assert sent.headers["location"] == f"/gagasan/{idea.id}?k={token}&baru=1"
    private = client.get(sent.headers["location"])
    assert private.status_code == 200
    assert 'id="thanks"' in private.text
    assert client.get(f"/gagasan/{idea.id}").status_code == 404  # not public yet
    again = client.post("/gagasan/baru", data=_form(csrf), follow_redirects=False)
    assert again.headers["location"] == sent.headers["location"]
    assert session.query(Idea).count() == 1


def test_submissions_are_limited_per_address(client: TestClient) -> None:
    csrf = csrf_of(client, "/gagasan/baru")
    for n in range(IDEAS_PER_HOUR):
        sent = client.post("/gagasan/baru", data=_form(csrf, idempotency_key=f"k{n}"))
        assert sent.status_code == 200
    refused = client.post("/gagasan/baru", data=_form(csrf, idempotency_key="k-last"))
    assert refused.status_code == 429


def test_a_post_without_the_csrf_token_is_refused(client: TestClient) -> None:
    csrf_of(client, "/gagasan/baru")
    assert client.post("/gagasan/baru", data=_form("palsu")).status_code == 403


def test_supporting_with_a_code_then_as_a_remembered_person(
    client: TestClient, session: Session
) -> None:
    idea = published(session)
    other = published(session, title="Gagasan kedua yang sama bagus")
    csrf = csrf_of(client, f"/gagasan/{idea.id}")
    asked = client.post(
        f"/gagasan/{idea.id}/dukung",
        data={"csrf_token": csrf, "contact": FAN},
        follow_redirects=False,
    )
    assert asked.status_code == 303
    code_page = client.get(asked.headers["location"])
    assert "p***@contoh.id" in code_page.text
    token = asked.headers["location"].split("v=", 1)[1]
    code = last_code(session, FAN)
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post(
        f"/gagasan/{idea.id}/verifikasi", data={"csrf_token": csrf, "v": token, "code": wrong}
    )
    assert refused.status_code == 422
    assert "Sisa percobaan: 4" in refused.text
    done = client.post(
        f"/gagasan/{idea.id}/verifikasi",
        data={"csrf_token": csrf, "v": token, "code": code},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/gagasan/{idea.id}?ok=dukungan#dukung"
    assert VERIFIED_COOKIE in done.cookies
    session.refresh(idea)
    assert idea.supports_count == 1
    page = client.get(f"/gagasan/{idea.id}")
    assert 'id="supported"' in page.text
    # the remembered browser supports another idea without a new code
    direct = client.post(
        f"/gagasan/{other.id}/dukung", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert direct.headers["location"] == f"/gagasan/{other.id}?ok=dukungan#dukung"
    session.refresh(other)
    assert other.supports_count == 1
    twice = client.post(
        f"/gagasan/{other.id}/dukung", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert "ok=supported" in twice.headers["location"]
    session.refresh(other)
    assert other.supports_count == 1


def test_a_forged_cookie_is_not_a_verified_person(client: TestClient, session: Session) -> None:
    idea = published(session)
    csrf = csrf_of(client, f"/gagasan/{idea.id}")
    client.cookies.set(VERIFIED_COOKIE, '{"c": "' + "a" * 64 + '"}')
    answer = client.post(f"/gagasan/{idea.id}/dukung", data={"csrf_token": csrf, "contact": ""})
    assert answer.status_code == 422  # asked for a contact, not counted
    session.refresh(idea)
    assert idea.supports_count == 0


def test_a_verified_comment_shows_on_the_page(client: TestClient, session: Session) -> None:
    idea = published(session)
    csrf = csrf_of(client, f"/gagasan/{idea.id}")
    asked = client.post(
        f"/gagasan/{idea.id}/komentar",
        data={"csrf_token": csrf, "contact": FAN, "body": "Setuju sekali!", "name": "Rudi"},
        follow_redirects=False,
    )
    token = asked.headers["location"].split("v=", 1)[1]
    assert "Setuju sekali!" not in client.get(f"/gagasan/{idea.id}").text
    client.post(
        f"/gagasan/{idea.id}/verifikasi",
        data={"csrf_token": csrf, "v": token, "code": last_code(session, FAN)},
    )
    page = client.get(f"/gagasan/{idea.id}")
    assert "Setuju sekali!" in page.text
    assert "Rudi" in page.text


def test_the_author_sees_the_refusal_reason_privately(client: TestClient, session: Session) -> None:
    idea = submit(session)
    moderation.reject_idea(session, actor=MODERATOR, idea_id=idea.id, reason="Berisi iklan.")
    private = client.get(f"/gagasan/{idea.id}?k={private_token('idea', idea.id)}")
    assert "Berisi iklan." in private.text
    assert client.get(f"/gagasan/{idea.id}").status_code == 404


def test_no_public_page_carries_personal_data(client: TestClient, session: Session) -> None:
    idea = published(session, contact="0812 7777 6666", name="Nama Rahasia")
    pages = [
        client.get("/gagasan").text,
        client.get(f"/gagasan/{idea.id}").text,
        client.get("/api/v1/participation/gagasan").text,
        client.get(f"/api/v1/participation/gagasan/{idea.id}").text,
        client.get("/api/v1/participation/ideas").text,
        client.get(f"/api/v1/participation/ideas/{idea.id}").text,
    ]
    for text in pages:
        assert idea.title in text
        for secret in ("7777", "Nama Rahasia", AUTHOR, idea.author_index or "-"):
            assert secret not in text
