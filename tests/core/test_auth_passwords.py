"""Password policy: length, mix, not the username, not a common password (nor a decorated
one), and the password change that ends every other session and token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import auth
from pontive.core.audit import AuditEvent
from pontive.core.errors import InvalidInput, RateLimited
from pontive.core.identity import system_actor
from pontive.core.models import ApiToken, User
from pontive.core.passwords import check_password_policy, common_passwords, is_common_password
from pontive.core.roles import Role
from tests.conftest import PASSWORD

MakeUser = Callable[..., User]

NEW_PASSWORD = "jembatan-kapuas-77"


@pytest.mark.parametrize(
    "password",
    [
        "password123",
        "P@ssw0rd2026!",
        "Passw0rd!!!!",
        "qwertyuiop1",
        "1234567890",
        "12345678901",
        "0987654321",
        "Pontianak2026",
        "pontianak-123456",
        "KataSandi123",
        "admin12345!",
        "Administrator1",
        "Khatulistiwa!!",
        "1qaz2wsx3edc",
        "iloveyou2026",
        "2026202620262026",
    ],
)
def test_common_passwords_are_refused_however_decorated(password: str) -> None:
    assert is_common_password(password)
    assert any("umum" in problem for problem in check_password_policy(password))


@pytest.mark.parametrize(
    "password",
    [PASSWORD, "pontive-demo-2026", "a-long-Passw0rd", "Sungai Kapuas 1945", "x7#Qm9!pLz2w"],
)
def test_ordinary_strong_passwords_pass(password: str) -> None:
    assert check_password_policy(password, username="rina") == []


def test_the_list_is_generated_not_empty_and_folded() -> None:
    common = common_passwords()
    assert {"password", "qwerty", "123456", "pontianak", "admin123", "katasandi"} <= common
    assert all(word == word.lower() and word.isalnum() for word in common)


@pytest.mark.parametrize("password", ["budi.santoso-2026", "XXbudi.santosoXX99", "BUDI.SANTOSO!1"])
def test_passwords_containing_the_username_are_refused(password: str) -> None:
    problems = check_password_policy(password, username="budi.santoso")
    assert problems == ["Kata sandi tidak boleh memuat nama pengguna."]


def test_short_and_single_kind_passwords_are_refused() -> None:
    assert len(check_password_policy("ab1")) >= 1
    assert "Kata sandi harus memuat huruf dan angka atau simbol." in check_password_policy(
        "hanyahurufsajaya"
    )


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=0, max_size=40))
def test_the_policy_answers_every_input(password: str) -> None:
    problems = check_password_policy(password, username="rina")
    assert isinstance(problems, list)
    if len(password) < 10:
        assert problems


def test_creating_an_account_applies_the_username_rule(session: Session) -> None:
    with pytest.raises(InvalidInput) as caught:
        auth.create_user(
            session=session,
            actor=system_actor("test"),
            username="sutarmidji",
            password="sutarmidji-2026",
            role=Role.OPERATOR,
        )
    assert "password" in caught.value.errors


def test_changing_the_password_ends_sessions_and_tokens(
    session: Session, make_user: MakeUser
) -> None:
    user = make_user(Role.OPERATOR)
    secret = auth.issue_token(session=session, user=user, name="cli", ttl=timedelta(hours=1))
    generation = user.session_generation
    auth.change_password(session=session, user=user, current=PASSWORD, new=NEW_PASSWORD)
    assert user.session_generation == generation + 1
    assert auth.get_active_user(session=session, user_id=user.id, generation=generation) is None
    assert auth.resolve_token(session=session, secret=secret) is None
    assert session.scalars(select(ApiToken.revoked_at).where(ApiToken.user_id == user.id)).one()
    assert auth.check_password(session=session, username=user.username, password=NEW_PASSWORD)
    assert auth.check_password(session=session, username=user.username, password=PASSWORD) is None
    assert user.password_changed_at is not None
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.password.change")
    ).first()
    assert event is not None
    assert PASSWORD not in str(event.__dict__)


@pytest.mark.parametrize(
    ("current", "new", "field"),
    [
        ("salah-sekali-1", NEW_PASSWORD, "current"),
        (PASSWORD, "password2026", "new"),
        (PASSWORD, PASSWORD, "new"),
    ],
)
def test_a_refused_change_leaves_the_password(
    session: Session,
    make_user: MakeUser,
    current: str,
    new: str,
    field: str,
) -> None:
    user = make_user(Role.OPERATOR)
    generation = user.session_generation
    with pytest.raises(InvalidInput) as caught:
        auth.change_password(session=session, user=user, current=current, new=new)
    assert field in caught.value.errors
    assert user.session_generation == generation
    assert auth.check_password(session=session, username=user.username, password=PASSWORD)


def test_guessing_the_current_password_counts_toward_the_lockout(
    session: Session,
    make_user: MakeUser,
) -> None:
    user = make_user(Role.OPERATOR)
    for _ in range(auth.MAX_FAILED_LOGINS):
        with pytest.raises(InvalidInput):
            auth.change_password(
                session=session, user=user, current="tebak-tebak-1", new=NEW_PASSWORD
            )
    with pytest.raises(RateLimited):
        auth.change_password(session=session, user=user, current=PASSWORD, new=NEW_PASSWORD)
