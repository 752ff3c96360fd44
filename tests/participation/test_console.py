"""The moderation panels on the console's registry pages and their actions: moderators
publish, reject, answer, link, merge, hide comments, approve adoptions; others are refused."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pontive.core.roles import Role
from pontive.participation import verification
from pontive.participation.choices import AdoptionStatus, CommentStatus, IdeaStatus
from pontive.participation.service import read_contact
from tests.conftest import login
from tests.participation.support import programme, published, submit
from tests.participation.test_pages import csrf_of
from tests.participation.test_pages_adoption import _approved

IDEAS = "/console/partisipasi/gagasan"
ACTIONS = "/console/partisipasi/moderasi"


def _moderator(client: TestClient, make_user, role: Role = Role.OPERATOR) -> None:  # type: ignore[no-untyped-def]
    user = make_user(role)
    login(client, user.username)


def test_a_moderator_publishes_from_the_ideas_page(
    client: TestClient, session: Session, make_user
) -> None:  # type: ignore[no-untyped-def]
    idea = submit(session)
    _moderator(client, make_user)
    page = client.get(f"{IDEAS}/{idea.id}")
    assert page.status_code == 200, page.text
    assert 'id="moderasi"' in page.text
    assert 'id="publish-button"' in page.text
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = client.post(
        f"{ACTIONS}/gagasan/{idea.id}/terbitkan", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"{IDEAS}/{idea.id}?ok=terbitkan#moderasi"
    session.refresh(idea)
    assert idea.status is IdeaStatus.TERBIT
    after = client.get(done.headers["location"])
    assert 'id="panel-flash"' in after.text


def test_a_rejection_without_a_reason_comes_back_with_the_error(
    client: TestClient, session: Session, make_user
) -> None:  # type: ignore[no-untyped-def]
    idea = submit(session)
    _moderator(client, make_user)
    csrf = csrf_of(client, "/gagasan/baru")
    done = client.post(
        f"{ACTIONS}/gagasan/{idea.id}/tolak",
        data={"csrf_token": csrf, "reason": " "},
        follow_redirects=False,
    )
    assert done.headers["location"] == f"{IDEAS}/{idea.id}?err=rejection_reason#moderasi"
    session.refresh(idea)
    assert idea.status is IdeaStatus.MENUNGGU


def test_linking_and_answering_from_the_panel(
    client: TestClient, session: Session, make_user
) -> None:  # type: ignore[no-untyped-def]
    programme(session)
    idea = published(session)
    _moderator(client, make_user, Role.TIM_TEKNIS)
    csrf = csrf_of(client, "/gagasan/baru")
    client.post(
        f"{ACTIONS}/gagasan/{idea.id}/tautkan",
        data={"csrf_token": csrf, "programme_code": "LIV-03", "answer": "Masuk program drainase."},
    )
    session.refresh(idea)
    assert idea.status is IdeaStatus.DIWUJUDKAN
    assert idea.programme_code == "LIV-03"
    assert idea.answer == "Masuk program drainase."
    public = client.get(f"/gagasan/{idea.id}")
    assert 'href="/smartcity/living#programme-LIV-03"' in public.text
    assert "Masuk program drainase." in public.text


def test_hiding_a_comment_from_the_panel(client: TestClient, session: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    idea = published(session)
    writer = read_contact("warga@contoh.id")
    assert writer is not None
    comment = verification.add_comment(
        session,
        idea=idea,
        contact_index=writer.index,
        draft=verification.CommentDraft("Komentar tidak pantas"),
    )
    _moderator(client, make_user)
    csrf = csrf_of(client, "/gagasan/baru")
    done = client.post(
        f"{ACTIONS}/komentar/{comment.id}/sembunyikan",
        data={"csrf_token": csrf, "reason": "Tidak pantas."},
        follow_redirects=False,
    )
    assert done.headers["location"] == f"{IDEAS}/{idea.id}?ok=sembunyikan#moderasi"
    session.refresh(comment)
    assert comment.status is CommentStatus.DISEMBUNYIKAN
    assert "Komentar tidak pantas" not in client.get(f"/gagasan/{idea.id}").text


def test_approving_an_adoption_shows_the_private_link(
    client: TestClient, session: Session, make_user
) -> None:  # type: ignore[no-untyped-def]
    adoption = _approved(client, session)
    moderation_page = f"/console/partisipasi/adopsi/{adoption.id}"
    _moderator(client, make_user)
    page = client.get(moderation_page)
    assert page.status_code == 200, page.text
    assert 'id="private-link"' in page.text
    csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post(f"{ACTIONS}/adopsi/{adoption.id}/akhiri", data={"csrf_token": csrf})
    session.refresh(adoption)
    assert adoption.status is AdoptionStatus.BERAKHIR


def test_citizens_and_the_council_cannot_moderate(
    client: TestClient, session: Session, make_user
) -> None:  # type: ignore[no-untyped-def]
    idea = submit(session)
    for role in (Role.WARGA, Role.DEWAN):
        client.cookies.clear()
        _moderator(client, make_user, role)
        csrf = csrf_of(client, "/gagasan/baru")
        refused = client.post(
            f"{ACTIONS}/gagasan/{idea.id}/terbitkan",
            data={"csrf_token": csrf},
            follow_redirects=False,
        )
        assert refused.status_code == 403
    session.refresh(idea)
    assert idea.status is IdeaStatus.MENUNGGU


def test_unknown_decisions_are_not_found(client: TestClient, session: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    idea = submit(session)
    _moderator(client, make_user)
    csrf = csrf_of(client, "/gagasan/baru")
    answer = client.post(f"{ACTIONS}/gagasan/{idea.id}/hapus-semua", data={"csrf_token": csrf})
    assert answer.status_code == 404
