"""Staff decisions: publish and reject (the author told the reason), answer publicly, link to
the masterplan programme (diwujudkan), merge duplicates (supports move, each person once),
hide comments with a reason; only moderators may; every decision audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.audit import AuditEvent
from pontive.core.errors import InvalidInput, NotAuthenticated, PermissionDenied
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.roles import Role
from pontive.participation import ideas, links, moderation, verification
from pontive.participation.choices import CommentStatus, IdeaStatus
from pontive.participation.models import Idea, Support
from pontive.participation.service import read_contact
from tests.participation.support import (
    AUTHOR,
    MODERATOR,
    messages_to,
    programme,
    published,
    submit,
)


def _index(contact: str) -> str:
    found = read_contact(contact)
    assert found is not None
    return found.index


def test_publishing_makes_the_idea_public_and_tells_the_author(session: Session) -> None:
    idea = submit(session)
    moderation.publish_idea(session, actor=MODERATOR, idea_id=idea.id)
    assert idea.status is IdeaStatus.TERBIT
    assert idea.published_at is not None
    assert ideas.get_public(session, idea.id).id == idea.id
    receipt, told = messages_to(session, AUTHOR)
    assert "menunggu moderasi" in receipt.body
    assert "terbit" in told.body
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == str(idea.id))
    ).all()
    assert "participation.ideas.publish" in actions


def test_a_rejection_needs_a_reason_which_the_author_receives(session: Session) -> None:
    idea = submit(session)
    with pytest.raises(InvalidInput) as refused:
        moderation.reject_idea(session, actor=MODERATOR, idea_id=idea.id, reason="  ")
    assert "rejection_reason" in refused.value.errors
    moderation.reject_idea(session, actor=MODERATOR, idea_id=idea.id, reason="Berisi iklan.")
    assert idea.status is IdeaStatus.DITOLAK
    assert "Berisi iklan." in messages_to(session, AUTHOR)[-1].body
    assert ideas.public_view(idea, "id", kelurahan={}).get("rejection_reason") is None


def test_an_answer_is_public_dated_and_sent_to_the_author(session: Session) -> None:
    idea = published(session)
    moderation.answer_idea(session, actor=MODERATOR, idea_id=idea.id, answer="Akan diuji coba.")
    assert idea.status is IdeaStatus.DIJAWAB
    assert idea.answered_at is not None
    assert idea.answered_by == MODERATOR.label
    assert ideas.public_view(idea, "id", kelurahan={})["answer"] == "Akan diuji coba."
    assert "Akan diuji coba." in messages_to(session, AUTHOR)[-1].body
    told = len(messages_to(session, AUTHOR))
    moderation.answer_idea(session, actor=MODERATOR, idea_id=idea.id, answer="Akan diuji coba.")
    assert len(messages_to(session, AUTHOR)) == told  # the same answer is not sent twice


def test_linking_to_a_programme_realises_the_idea(session: Session) -> None:
    linked = programme(session)
    idea = published(session)
    with pytest.raises(InvalidInput) as refused:
        moderation.link_programme(
            session, actor=MODERATOR, idea_id=idea.id, programme_code="XXX-99"
        )
    assert "programme_code" in refused.value.errors
    moderation.link_programme(session, actor=MODERATOR, idea_id=idea.id, programme_code="LIV-03")
    assert idea.status is IdeaStatus.DIWUJUDKAN
    found = links.programme_link(session, idea.programme_code)
    assert found is not None
    assert found.url == "/smartcity/living#programme-LIV-03"
    view = ideas.public_view(idea, "id", kelurahan={}, programme=found)
    assert view["programme"] == {"code": "LIV-03", "name": linked.name, "url": found.url}
    told = messages_to(session, AUTHOR)[-1].body
    assert "LIV-03" in told
    assert linked.name in told


def test_merging_moves_supports_once_per_person_and_never_the_authors(session: Session) -> None:
    target = published(session, title="Pojok baca digital di taman", contact="asli@contoh.id")
    duplicate = published(session, title="Perpustakaan digital di taman")
    for person in ("a@contoh.id", "b@contoh.id", "asli@contoh.id"):
        verification.add_support(session, idea=duplicate, contact_index=_index(person))
    verification.add_support(session, idea=target, contact_index=_index("a@contoh.id"))
    moderation.merge_idea(session, actor=MODERATOR, idea_id=duplicate.id, target_id=target.id)
    assert duplicate.status is IdeaStatus.DIGABUNG
    assert duplicate.supports_count == 0
    assert target.supports_count == 2  # a (once) and b; not the target's own author
    indexes = set(
        session.scalars(select(Support.contact_index).where(Support.idea_id == target.id))
    )
    assert indexes == {_index("a@contoh.id"), _index("b@contoh.id")}
    assert (
        ideas.public_view(duplicate, "id", kelurahan={})["merged_into"] == f"/gagasan/{target.id}"
    )


def test_an_idea_cannot_merge_into_itself_or_a_waiting_one(session: Session) -> None:
    idea = published(session)
    waiting = submit(session, title="Belum terbit")
    for target in (idea.id, waiting.id, None):
        with pytest.raises(InvalidInput):
            moderation.merge_idea(session, actor=MODERATOR, idea_id=idea.id, target_id=target)
    session.refresh(idea)
    assert idea.status is IdeaStatus.TERBIT


def test_hiding_a_comment_needs_a_reason_and_takes_it_off_the_page(session: Session) -> None:
    idea = published(session)
    comment = verification.add_comment(
        session,
        idea=idea,
        contact_index=_index("warga@contoh.id"),
        draft=verification.CommentDraft("Komentar kasar"),
    )
    with pytest.raises(InvalidInput):
        moderation.hide_comment(session, actor=MODERATOR, comment_id=comment.id, reason="")
    moderation.hide_comment(session, actor=MODERATOR, comment_id=comment.id, reason="Kasar.")
    assert comment.status is CommentStatus.DISEMBUNYIKAN
    assert ideas.public_comments(session, idea) == []
    moderation.show_comment(session, actor=MODERATOR, comment_id=comment.id)
    assert [c.id for c in ideas.public_comments(session, idea)] == [comment.id]


@pytest.mark.parametrize(
    "actor",
    [
        ANONYMOUS,
        Actor(ActorKind.USER, Role.WARGA, id=None, name="warga"),
        Actor(ActorKind.USER, Role.DEWAN, id=None, name="dewan"),
        Actor(ActorKind.USER, Role.PETUGAS_PD, id=None, name="pd", pd_kode="pupr"),
    ],
)
def test_only_moderators_decide(session: Session, actor: Actor) -> None:
    idea = submit(session)
    with pytest.raises((PermissionDenied, NotAuthenticated)):
        moderation.publish_idea(session, actor=actor, idea_id=idea.id)
    assert session.get(Idea, idea.id).status is IdeaStatus.MENUNGGU  # type: ignore[union-attr]
