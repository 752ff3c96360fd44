"""Submitting ideas and reading the published ones: validation, consent, idempotency,
moderation before anything is public, and no personal data in what the public reads."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from pontive.core.audit import AuditEvent
from pontive.core.errors import InvalidInput, NotFound
from pontive.participation import ideas, moderation
from pontive.participation.choices import Dimension, IdeaStatus
from pontive.participation.models import Idea
from pontive.participation.service import private_token, read_contact
from pontive.reference import service as reference
from pontive.registry.models import RegistryChange
from tests.participation.support import AUTHOR, MODERATOR, messages_to, published, submit


def test_the_dimension_choices_are_the_reference_dimensions(session: Session) -> None:
    codes = [d.kode for d in reference.list_dimensi(session=session)]
    assert codes == [d.value for d in Dimension]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "abc"}, "title"),
        ({"description": "terlalu pendek"}, "description"),
        ({"dimensi_kode": "smart-nothing"}, "dimensi_kode"),
        ({"contact": "bukan kontak"}, "contact"),
        ({"contact": "12345"}, "contact"),
        ({"consent": False}, "consent"),
        ({"name": "x" * 121}, "name"),
        ({"kelurahan_kode": "99.99"}, "kelurahan_kode"),
    ],
)
def test_a_submission_with_a_bad_field_is_refused_on_that_field(
    session: Session, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        submit(session, **changes)
    assert field in refused.value.errors
    assert session.scalar(select(Idea.id)) is None


def test_a_new_idea_waits_for_moderation_and_is_not_public(session: Session) -> None:
    idea = submit(session)
    assert idea.status is IdeaStatus.MENUNGGU
    found, total = ideas.list_public(session)
    assert total == 0
    assert found == []
    with pytest.raises(NotFound):
        ideas.get_public(session, idea.id)
    # ... but the author's private link opens it
    opened, is_author = ideas.get_for_reader(session, idea.id, private_token("idea", idea.id))
    assert opened.id == idea.id
    assert is_author
    with pytest.raises(NotFound):
        ideas.get_for_reader(session, idea.id, "not-the-token")


def test_the_author_receives_a_receipt_with_the_private_link(session: Session) -> None:
    idea = submit(session)
    [receipt] = messages_to(session, AUTHOR)
    assert receipt.channel == "email"
    assert f"/gagasan/{idea.id}?k={private_token('idea', idea.id)}" in receipt.body


def test_the_contact_is_sealed_and_indexed(session: Session) -> None:
    idea = submit(session, contact="0812-3456-7890")
    raw = session.execute(
        text("SELECT author_contact, author_name FROM par_ideas WHERE id = :id"), {"id": idea.id}
    ).one()
    assert "0812" not in raw[0]
    assert "Hendra" not in raw[1]
    assert raw[0].startswith("v1:")
    phone = read_contact("+62 812 3456 7890")
    assert phone is not None
    assert idea.author_index == phone.index


def test_a_retried_submission_returns_the_first_idea(session: Session) -> None:
    first = submit(session, idempotency_key="kunci-1")
    again, is_new = ideas.submit_idea(
        session,
        data=ideas.IdeaSubmission(
            title="Judul lain",
            description="Uraian yang lain lagi untuk percobaan ulang.",
            dimensi_kode="living",
            contact=AUTHOR,
            consent=True,
            idempotency_key="kunci-1",
        ),
    )
    assert again.id == first.id
    assert not is_new
    assert session.scalar(select(Idea.id).where(Idea.id != first.id)) is None


def test_the_name_is_shown_only_when_the_author_chooses(session: Session) -> None:
    hidden = submit(session, name="Hendra Wijaya")
    shown = submit(session, name="Hendra Wijaya", show_name=True)
    assert hidden.display_name == "Anonim"
    assert shown.display_name == "Hendra Wijaya"


def test_the_submission_starts_the_history_and_the_audit_trail(session: Session) -> None:
    idea = submit(session)
    change = session.scalar(
        select(RegistryChange).where(
            RegistryChange.registry_name == "participation.ideas",
            RegistryChange.object_id == idea.id,
        )
    )
    assert change is not None
    assert change.action == "created"
    assert change.actor == "system:partisipasi-publik"
    assert json.loads(change.changes)["author_contact"] == ["", "•••"]  # no value recorded
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "participation.ideas")
    ).all()
    assert "participation.ideas.created" in actions


def test_the_public_view_carries_no_personal_data(session: Session) -> None:
    idea = published(session, contact="0812 9999 1234", name="Rahasia Orang")
    moderation.reject_idea(session, actor=MODERATOR, idea_id=submit(session).id, reason="x")
    view = ideas.public_view(idea, "id", kelurahan={})
    text = json.dumps(view)
    for secret in ("0812", "9999", "Rahasia", AUTHOR, idea.author_index or "-", "moderator"):
        assert secret not in text
    assert set(view) >= {"title", "supports", "status", "programme"}


def test_lists_filter_by_dimension_and_sort_by_support(session: Session) -> None:
    quiet = published(session, title="Gagasan yang sepi", dimensi_kode="economy")
    loud = published(session, title="Gagasan yang ramai", dimensi_kode="economy")
    other = published(session, title="Gagasan lingkungan", dimensi_kode="environment")
    loud.supports_count = 5
    session.flush()
    found, total = ideas.list_public(session, dimension="economy", sort="dukungan")
    assert total == 2
    assert [i.id for i in found] == [loud.id, quiet.id]
    newest, _ = ideas.list_public(session)
    assert other.id in [i.id for i in newest]
    _, answered = ideas.list_public(session, status="dijawab")
    assert answered == 0
