"""The second factor: enrolment, codes within their window and never twice, recovery codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from pontive.core import totp
from pontive.core.audit import AuditEvent
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import system_actor
from pontive.core.models import User
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow

MakeUser = Callable[..., User]

STEP = timedelta(seconds=totp.STEP_SECONDS)


def _enrolled(session: Session, user: User, now: datetime) -> tuple[str, list[str]]:
    secret = totp.begin_enrolment(session=session, user=user)
    codes = totp.confirm_enrolment(
        session=session, user=user, code=totp.code_at(secret, now), now=now
    )
    return secret, codes


def _actions(session: Session, user: User) -> list[str]:
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "user", AuditEvent.object_id == str(user.id))
            .order_by(AuditEvent.id)
        )
    )


def test_enrolment_waits_for_a_first_right_code(session: Session, make_user: MakeUser) -> None:
    user = make_user(Role.OPERATOR)
    secret = totp.begin_enrolment(session=session, user=user)
    assert totp.begin_enrolment(session=session, user=user) == secret  # a reload keeps it
    assert not totp.is_enabled(user)
    now = utcnow()
    with pytest.raises(InvalidInput):
        totp.confirm_enrolment(session=session, user=user, code="000000", now=now)
    with pytest.raises(InvalidInput):  # a code of long ago is no proof of the app
        totp.confirm_enrolment(
            session=session, user=user, code=totp.code_at(secret, now - 10 * STEP), now=now
        )
    codes = totp.confirm_enrolment(
        session=session, user=user, code=totp.code_at(secret, now), now=now
    )
    assert totp.is_enabled(user)
    assert len(codes) == totp.RECOVERY_CODE_COUNT == len(set(codes))
    assert "user.2fa.enrol" in _actions(session, user)
    with pytest.raises(Conflict):
        totp.begin_enrolment(session=session, user=user)


def test_the_secret_is_sealed_and_codes_are_hashed_at_rest(
    session: Session, make_user: MakeUser
) -> None:
    user = make_user(Role.ADMIN)
    secret, codes = _enrolled(session, user, utcnow())
    raw_secret, raw_codes = session.execute(
        text("SELECT totp_secret, recovery_code_hashes FROM users WHERE id = :id"),
        {"id": user.id},
    ).one()
    assert raw_secret.startswith("v1:")
    assert secret not in raw_secret
    assert all(code not in raw_codes and code.replace("-", "") not in raw_codes for code in codes)
    assert len(raw_codes.split()) == len(codes)


def test_the_uri_names_the_issuer_account_and_secret(session: Session, make_user: MakeUser) -> None:
    user = make_user(Role.DEWAN, username="dewi")
    secret = totp.begin_enrolment(session=session, user=user)
    parts = urlsplit(totp.provisioning_uri(secret, user.username))
    query = parse_qs(parts.query)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert "dewi" in parts.path
    assert query["secret"] == [secret]
    assert query["issuer"] == [totp.ISSUER]


def test_codes_count_within_one_step_of_drift_only(session: Session, make_user: MakeUser) -> None:
    user = make_user(Role.OPERATOR)
    start = utcnow()
    secret, _ = _enrolled(session, user, start)
    later = start + 10 * STEP
    assert not totp.verify(
        session=session, user=user, code=totp.code_at(secret, later - 2 * STEP), now=later
    )
    assert not totp.verify(
        session=session, user=user, code=totp.code_at(secret, later + 2 * STEP), now=later
    )
    assert totp.verify(
        session=session, user=user, code=totp.code_at(secret, later - STEP), now=later
    )


def test_a_code_is_never_accepted_twice(session: Session, make_user: MakeUser) -> None:
    user = make_user(Role.OPERATOR)
    start = utcnow()
    secret, _ = _enrolled(session, user, start)
    # The enrolment's own code is used up, within its window.
    assert not totp.verify(session=session, user=user, code=totp.code_at(secret, start), now=start)
    later = start + 5 * STEP
    code = totp.code_at(secret, later)
    assert totp.verify(session=session, user=user, code=code, now=later)
    assert not totp.verify(session=session, user=user, code=code, now=later)
    # Nor an older code still inside the drift window once a newer one was used.
    assert not totp.verify(
        session=session, user=user, code=totp.code_at(secret, later - STEP), now=later
    )


def test_a_stale_copy_of_the_user_cannot_replay_a_code(
    session: Session, make_user: MakeUser
) -> None:
    user = make_user(Role.OPERATOR)
    start = utcnow()
    secret, _ = _enrolled(session, user, start)
    later = start + 3 * STEP
    code = totp.code_at(secret, later)
    assert totp.verify(session=session, user=user, code=code, now=later)
    # A request that loaded the row before the first one stored its step still loses: the
    # step moves forward in the database (compare-and-set), not from what was read.
    set_committed_value(user, "totp_last_step", 0)
    assert not totp.verify(session=session, user=user, code=code, now=later)


def test_recovery_codes_work_once_each(session: Session, make_user: MakeUser) -> None:
    user = make_user(Role.WALIKOTA)
    _, codes = _enrolled(session, user, utcnow())
    first = codes[0]
    assert totp.verify(session=session, user=user, code=first.lower().replace("-", " "))
    assert not totp.verify(session=session, user=user, code=first)
    assert totp.remaining_recovery_codes(user) == totp.RECOVERY_CODE_COUNT - 1
    assert not totp.verify(session=session, user=user, code="ABCDE-FGHJK")
    assert "user.2fa.recovery_used" in _actions(session, user)


def test_renewed_recovery_codes_replace_the_old_ones(session: Session, make_user: MakeUser) -> None:
    user = make_user(Role.ADMIN)
    _, old = _enrolled(session, user, utcnow())
    new = totp.renew_recovery_codes(session=session, user=user)
    assert not set(old) & set(new)
    assert not totp.verify(session=session, user=user, code=old[1])
    assert totp.verify(session=session, user=user, code=new[1])


def test_removing_forgets_secret_and_codes(session: Session, make_user: MakeUser) -> None:
    user = make_user(Role.OPERATOR)
    _, codes = _enrolled(session, user, utcnow())
    totp.remove(session=session, user=user, actor=system_actor("test"), action="user.2fa.reset")
    assert not totp.is_enabled(user)
    assert user.totp_secret is None
    assert not totp.verify(session=session, user=user, code=codes[0])
