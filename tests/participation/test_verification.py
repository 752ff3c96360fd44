"""One support per verified person: codes (sent, hashed, expiring, limited tries and
numbers), supports keyed by the contact's blind index, authors not supporting their own idea,
comments from verified people."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.errors import InvalidInput, RateLimited
from pontive.core.timeutil import utcnow
from pontive.participation import verification
from pontive.participation.messages import Refused
from pontive.participation.models import Comment, Idea, Support, Verification
from pontive.participation.service import CODE_ATTEMPTS, CODES_PER_CONTACT_PER_HOUR, read_contact
from tests.participation.support import AUTHOR, last_code, messages_to, published, submit

FAN = "pendukung@contoh.id"


def _index(contact: str) -> str:
    found = read_contact(contact)
    assert found is not None
    return found.index


def _address(contact: str) -> str:
    found = read_contact(contact)
    assert found is not None
    return found.address


def _support_with_code(session: Session, idea: Idea, contact: str = FAN) -> Verification:
    check = verification.request_code(session, idea=idea, contact=contact, purpose="dukung")
    code = last_code(session, _address(contact))
    verification.confirm_code(session, token=check.token, code=code)
    verification.carry_out(session, check=check)
    return check


def test_a_code_goes_to_the_contact_and_is_stored_only_hashed(session: Session) -> None:
    idea = published(session)
    check = verification.request_code(
        session, idea=idea, contact=" Pendukung@Contoh.id ", purpose="dukung"
    )
    code = last_code(session, FAN)
    assert len(code) == 6
    assert code.isdigit()
    assert code not in check.code_hash
    assert code not in check.token
    assert check.masked_contact == "p***@contoh.id"
    assert check.expires_at - check.created_at == timedelta(minutes=15)


def test_the_right_code_records_one_support_without_the_contact(session: Session) -> None:
    idea = published(session)
    check = _support_with_code(session, idea)
    session.refresh(idea)
    assert idea.supports_count == 1
    [support] = session.scalars(select(Support)).all()
    assert support.contact_index == check.contact_index
    assert FAN not in support.contact_index
    assert len(support.contact_index) == 64


def test_a_wrong_code_counts_and_the_tries_run_out(session: Session) -> None:
    idea = published(session)
    check = verification.request_code(session, idea=idea, contact=FAN, purpose="dukung")
    right = last_code(session, FAN)
    wrong = "000000" if right != "000000" else "111111"
    for left in range(CODE_ATTEMPTS - 1, -1, -1):
        with pytest.raises(InvalidInput) as refused:
            verification.confirm_code(session, token=check.token, code=wrong)
        said = refused.value.errors["code"][0]
        assert f"Sisa percobaan: {left}." in said if left else "Terlalu banyak" in said
    session.refresh(check)
    assert check.attempts == CODE_ATTEMPTS
    with pytest.raises(InvalidInput):  # even the right code is refused now
        verification.confirm_code(session, token=check.token, code=right)
    assert session.scalar(select(Support.id)) is None


def test_an_expired_code_is_refused(session: Session) -> None:
    idea = published(session)
    check = verification.request_code(session, idea=idea, contact=FAN, purpose="dukung")
    code = last_code(session, FAN)
    later = utcnow() + timedelta(minutes=16)
    with pytest.raises(InvalidInput) as refused:
        verification.confirm_code(session, token=check.token, code=code, now=later)
    assert "kedaluwarsa" in refused.value.errors["code"][0]


def test_a_code_works_once(session: Session) -> None:
    idea = published(session)
    check = verification.request_code(session, idea=idea, contact=FAN, purpose="dukung")
    code = last_code(session, FAN)
    verification.confirm_code(session, token=check.token, code=code)
    with pytest.raises(Refused) as refused:
        verification.confirm_code(session, token=check.token, code=code)
    assert refused.value.key == "code_used"


def test_one_support_per_contact_however_it_is_written(session: Session) -> None:
    idea = published(session)
    _support_with_code(session, idea, "0812-1111-2222")
    with pytest.raises(Refused) as refused:  # no second code is even sent
        verification.request_code(session, idea=idea, contact="+62 812 1111 2222", purpose="dukung")
    assert refused.value.key == "supported"
    with pytest.raises(Refused):
        verification.add_support(session, idea=idea, contact_index=_index("081211112222"))
    session.refresh(idea)
    assert idea.supports_count == 1


def test_the_author_cannot_support_their_own_idea(session: Session) -> None:
    idea = published(session)
    with pytest.raises(Refused) as refused:
        verification.request_code(session, idea=idea, contact=AUTHOR.upper(), purpose="dukung")
    assert refused.value.key == "own_idea"
    assert all("Kode" not in m.subject for m in messages_to(session, AUTHOR))


def test_a_waiting_idea_takes_no_support(session: Session) -> None:
    idea = submit(session)
    with pytest.raises(Refused) as refused:
        verification.request_code(session, idea=idea, contact=FAN, purpose="dukung")
    assert refused.value.key == "closed"


def test_codes_per_contact_are_limited_per_hour(session: Session) -> None:
    ideas_ = [
        published(session, title=f"Gagasan nomor {n}")
        for n in range(CODES_PER_CONTACT_PER_HOUR + 1)
    ]
    for idea in ideas_[:CODES_PER_CONTACT_PER_HOUR]:
        verification.request_code(session, idea=idea, contact=FAN, purpose="dukung")
    with pytest.raises(RateLimited):
        verification.request_code(session, idea=ideas_[-1], contact=FAN, purpose="dukung")
    an_hour_later = utcnow() + timedelta(hours=1, minutes=1)
    verification.request_code(
        session, idea=ideas_[-1], contact=FAN, purpose="dukung", now=an_hour_later
    )


def test_a_verified_comment_is_published_under_the_chosen_name(session: Session) -> None:
    idea = published(session)
    draft = verification.CommentDraft("Setuju, parit di gang kami juga meluap.", "Rudi")
    check = verification.request_code(
        session, idea=idea, contact=FAN, purpose="komentar", draft=draft
    )
    assert session.scalar(select(Comment.id)) is None  # nothing before the code
    verification.confirm_code(session, token=check.token, code=last_code(session, FAN))
    comment = verification.carry_out(session, check=check)
    assert isinstance(comment, Comment)
    assert comment.display_name == "Rudi"
    assert comment.contact_index == check.contact_index


def test_an_empty_comment_is_refused_before_a_code_is_sent(session: Session) -> None:
    idea = published(session)
    with pytest.raises(InvalidInput) as refused:
        verification.request_code(
            session,
            idea=idea,
            contact=FAN,
            purpose="komentar",
            draft=verification.CommentDraft(" "),
        )
    assert "body" in refused.value.errors
    assert messages_to(session, FAN) == []


def test_old_codes_are_forgotten(session: Session) -> None:
    idea = published(session)
    verification.request_code(session, idea=idea, contact=FAN, purpose="dukung")
    assert verification.purge_codes(session, now=utcnow() + timedelta(hours=2)) == 0
    assert verification.purge_codes(session, now=utcnow() + timedelta(days=2)) == 1
    assert session.scalar(select(Verification.id)) is None
