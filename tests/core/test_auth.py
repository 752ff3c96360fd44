"""Users, passwords, lock-out, bearer tokens and API keys."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import auth
from pontive.core.audit import AuditEvent
from pontive.core.errors import Conflict, InvalidInput, PermissionDenied, RateLimited
from pontive.core.identity import Actor, ActorKind, system_actor
from pontive.core.models import ApiKey, ApiToken
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from tests.conftest import PASSWORD

ADMIN = system_actor("test")


def test_creating_a_user_is_audited_without_the_password(session: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.OPERATOR, username="rina")
    event = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "user.create").order_by(AuditEvent.id.desc())
    ).first()
    assert event is not None
    assert event.object_id == str(user.id)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_only_administrators_create_users(session: Session) -> None:
    operator = Actor(kind=ActorKind.USER, role=Role.OPERATOR, id=1, name="op")
    with pytest.raises(PermissionDenied):
        auth.create_user(
            session=session, actor=operator, username="x", password=PASSWORD, role=Role.WARGA
        )


@pytest.mark.parametrize(
    ("username", "password", "role", "pd", "field"),
    [
        ("budi", "pendek1", Role.OPERATOR, None, "password"),
        ("budi", "hanyahurufsaja", Role.OPERATOR, None, "password"),
        ("bu di!", PASSWORD, Role.OPERATOR, None, "username"),
        ("budi", PASSWORD, Role.PETUGAS_PD, None, "pd_kode"),
        ("budi", PASSWORD, Role.OPERATOR, "pupr", "pd_kode"),
    ],
)
def test_invalid_accounts_get_field_errors(
    session: Session, username: str, password: str, role: Role, pd: str | None, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        auth.create_user(
            session=session,
            actor=ADMIN,
            username=username,
            password=password,
            role=role,
            pd_kode=pd,
        )
    assert field in caught.value.errors


def test_usernames_are_unique_case_insensitively(session: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.WARGA, username="sari")
    with pytest.raises(Conflict):
        auth.create_user(
            session=session, actor=ADMIN, username="SARI", password=PASSWORD, role=Role.WARGA
        )


def test_authenticate_accepts_the_right_password_only(session: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.DEWAN, username="nurul")
    assert auth.authenticate(session=session, username="Nurul", password=PASSWORD) == user
    assert auth.authenticate(session=session, username="nurul", password="salah") is None
    assert auth.authenticate(session=session, username="tidakada", password=PASSWORD) is None
    assert user.last_login_at is not None


def test_five_failures_lock_the_account(session: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user(Role.OPERATOR, username="target")
    for _ in range(auth.MAX_FAILED_LOGINS):
        assert auth.authenticate(session=session, username="target", password="salah") is None
    with pytest.raises(RateLimited):
        auth.authenticate(session=session, username="target", password=PASSWORD)


def test_bearer_tokens_resolve_until_they_expire_or_are_revoked(
    session: Session,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    user = make_user(Role.TIM_TEKNIS, username="agus")
    secret = auth.issue_token(session=session, user=user, name="cli", ttl=timedelta(hours=1))
    actor = auth.resolve_token(session=session, secret=secret)
    assert actor is not None
    assert (actor.role, actor.id) == (Role.TIM_TEKNIS, user.id)
    token = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert secret not in token.token_hash
    token.expires_at = utcnow() - timedelta(seconds=1)
    assert auth.resolve_token(session=session, secret=secret) is None
    token.expires_at = utcnow() + timedelta(hours=1)
    token.revoked_at = utcnow()
    assert auth.resolve_token(session=session, secret=secret) is None
    assert auth.resolve_token(session=session, secret="pt_tebakan") is None


def test_a_deactivated_user_loses_token_access(session: Session, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user(Role.OPERATOR)
    secret = auth.issue_token(session=session, user=user, name="x", ttl=timedelta(hours=1))
    user.is_active = False
    assert auth.resolve_token(session=session, secret=secret) is None


def test_api_keys_are_bound_to_role_pd_and_scopes(session: Session) -> None:
    key, secret = auth.create_api_key(
        session=session,
        actor=ADMIN,
        name="gateway-pupr",
        role=Role.PETUGAS_PD,
        pd_kode="pupr",
        scopes=["sensors:write", "sensors:write", "reports:read"],
    )
    assert secret.startswith("pk_")
    assert key.scopes == "reports:read sensors:write"
    actor = auth.resolve_api_key(session=session, secret=secret)
    assert actor is not None
    assert actor.kind is ActorKind.API_KEY
    assert (actor.role, actor.pd_kode) == (Role.PETUGAS_PD, "pupr")
    assert actor.scopes == {"sensors:write", "reports:read"}
    stored = session.get(ApiKey, key.id)
    assert stored is not None
    assert secret not in (stored.key_hash, stored.prefix)


def test_revoked_api_keys_stop_working_at_once(session: Session) -> None:
    _, secret = auth.create_api_key(
        session=session, actor=ADMIN, name="harvester", role=Role.OPERATOR
    )
    auth.revoke_api_key(session=session, actor=ADMIN, name="harvester")
    assert auth.resolve_api_key(session=session, secret=secret) is None
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "api_key")
    ).all()
    assert actions[-2:] == ["apikey.create", "apikey.revoke"]


def test_duplicate_api_key_names_conflict(session: Session) -> None:
    auth.create_api_key(session=session, actor=ADMIN, name="dup", role=Role.OPERATOR)
    with pytest.raises(Conflict):
        auth.create_api_key(session=session, actor=ADMIN, name="dup", role=Role.OPERATOR)
