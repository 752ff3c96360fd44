"""Signing in with two factors: the code cannot be skipped, wrong codes lock the account, and
every step (enrol, failure, lock-out, turning off, reset) is audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import auth, totp
from pontive.core.audit import AuditEvent
from pontive.core.errors import InvalidInput, NotFound, PermissionDenied, RateLimited
from pontive.core.identity import Actor, ActorKind, system_actor
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from tests.conftest import PASSWORD

MakeUser = Callable[..., User]

STEP = timedelta(seconds=totp.STEP_SECONDS)


def _enrol(session: Session, user: User) -> tuple[str, list[str]]:
    secret = totp.begin_enrolment(session=session, user=user)
    codes = totp.confirm_enrolment(session=session, user=user, code=totp.code_at(secret, utcnow()))
    return secret, codes


def _next_code(secret: str) -> str:
    # The next step's code: inside the drift window and newer than any used so far.
    return totp.code_at(secret, utcnow() + STEP)


def _actions(session: Session, user: User) -> list[str]:
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_id == str(user.id), AuditEvent.object_type == "user")
            .order_by(AuditEvent.id)
        )
    )


def test_a_password_alone_does_not_sign_in_an_enrolled_user(
    session: Session, make_user: MakeUser
) -> None:
    user = make_user(Role.OPERATOR)
    secret, _ = _enrol(session, user)
    with pytest.raises(auth.SecondFactorRequired):
        auth.authenticate(session=session, username=user.username, password=PASSWORD)
    assert (
        auth.authenticate(session=session, username=user.username, password=PASSWORD, code="123456")
        is None
    )
    signed_in = auth.authenticate(
        session=session, username=user.username, password=PASSWORD, code=_next_code(secret)
    )
    assert signed_in == user
    assert _actions(session, user)[-1] == "user.login"


def test_a_wrong_password_never_reveals_whether_a_code_is_needed(
    session: Session, make_user: MakeUser
) -> None:
    user = make_user(Role.OPERATOR)
    _enrol(session, user)
    assert auth.authenticate(session=session, username=user.username, password="salah-123") is None


def test_wrong_codes_count_toward_the_lockout_and_are_audited(
    session: Session, make_user: MakeUser
) -> None:
    user = make_user(Role.TIM_TEKNIS)
    secret, _ = _enrol(session, user)
    for _ in range(auth.MAX_FAILED_LOGINS):
        assert not auth.check_second_factor(session=session, user=user, code="000000")
    with pytest.raises(RateLimited):
        auth.check_second_factor(session=session, user=user, code=_next_code(secret))
    with pytest.raises(RateLimited):
        auth.check_password(session=session, username=user.username, password=PASSWORD)
    actions = _actions(session, user)
    assert actions.count("user.2fa.failed") == auth.MAX_FAILED_LOGINS
    assert actions[-1] == "user.lockout"


def test_password_lockout_is_audited_and_ends(session: Session, make_user: MakeUser) -> None:
    user = make_user(Role.OPERATOR)
    for _ in range(auth.MAX_FAILED_LOGINS):
        auth.check_password(session=session, username=user.username, password="salah-salah-1")
    assert _actions(session, user)[-1] == "user.lockout"
    assert user.locked_until_at is not None
    user.locked_until_at = utcnow() - timedelta(seconds=1)  # the 15 minutes have passed
    assert auth.check_password(session=session, username=user.username, password=PASSWORD)


def test_staff_must_enrol_when_the_setting_says_so(session: Session, make_user: MakeUser) -> None:
    staff = make_user(Role.DEWAN)
    citizen = make_user(Role.WARGA)
    assert auth.needs_enrolment(staff, staff_2fa_required=True)
    assert not auth.needs_enrolment(staff, staff_2fa_required=False)
    assert not auth.needs_enrolment(citizen, staff_2fa_required=True)
    with pytest.raises(auth.SecondFactorEnrolmentRequired):
        auth.authenticate(
            session=session, username=staff.username, password=PASSWORD, staff_2fa_required=True
        )
    assert auth.authenticate(
        session=session, username=citizen.username, password=PASSWORD, staff_2fa_required=True
    )
    _enrol(session, staff)
    assert not auth.needs_enrolment(staff, staff_2fa_required=True)


def test_turning_off_needs_password_and_a_fresh_code(session: Session, make_user: MakeUser) -> None:
    user = make_user(Role.OPERATOR)
    secret, _ = _enrol(session, user)
    with pytest.raises(InvalidInput) as caught:
        auth.disable_second_factor(
            session=session, user=user, password="salah-salah-1", code=_next_code(secret)
        )
    assert "password" in caught.value.errors
    with pytest.raises(InvalidInput) as caught:
        auth.disable_second_factor(session=session, user=user, password=PASSWORD, code="999999")
    assert "code" in caught.value.errors
    assert totp.is_enabled(user)
    auth.disable_second_factor(
        session=session, user=user, password=PASSWORD, code=_next_code(secret)
    )
    assert not totp.is_enabled(user)
    assert "user.2fa.disable" in _actions(session, user)
    assert auth.authenticate(session=session, username=user.username, password=PASSWORD) == user


def test_only_an_administrator_resets_a_second_factor(
    session: Session, make_user: MakeUser
) -> None:
    user = make_user(Role.OPERATOR)
    _enrol(session, user)
    operator = Actor(kind=ActorKind.USER, role=Role.OPERATOR, id=999, name="op")
    with pytest.raises(PermissionDenied):
        auth.reset_second_factor(session=session, actor=operator, username=user.username)
    with pytest.raises(NotFound):
        auth.reset_second_factor(session=session, actor=system_actor("cli"), username="tidakada")
    generation = user.session_generation
    auth.reset_second_factor(session=session, actor=system_actor("cli"), username=user.username)
    assert not totp.is_enabled(user)
    assert user.session_generation == generation + 1
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "user.2fa.reset")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None
    assert event.actor == "system:cli"


def test_a_voided_session_generation_no_longer_finds_the_user(
    session: Session, make_user: MakeUser
) -> None:
    user = make_user(Role.OPERATOR)
    generation = user.session_generation
    assert auth.get_active_user(session=session, user_id=user.id, generation=generation) == user
    auth.end_sessions(session=session, user=user)
    assert auth.get_active_user(session=session, user_id=user.id, generation=generation) is None
    assert auth.get_active_user(session=session, user_id=user.id, generation=generation + 1)
