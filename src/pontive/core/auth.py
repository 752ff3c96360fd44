"""Identity use-cases: users, passwords, bearer tokens and machine API keys.

Passwords are hashed with argon2id. Tokens and API keys are random secrets shown once; only
their SHA-256 digest is stored, so a database leak does not leak credentials.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pontive.core import audit, permissions, totp
from pontive.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RateLimited,
)
from pontive.core.identity import Actor, ActorKind
from pontive.core.models import ApiKey, ApiToken, User
from pontive.core.passwords import MIN_PASSWORD_LENGTH, check_password_policy
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow

_hasher = PasswordHasher()
# A valid hash to verify against when the user does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash("pontive-dummy-password")
__all__ = ["MIN_PASSWORD_LENGTH", "check_password_policy"]  # re-exported for callers
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
KEY_PREFIX = "pk_"
TOKEN_PREFIX = "pt_"  # noqa: S105 - a public prefix that marks our tokens, not a secret


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _validate_role_pd(role: Role, pd_kode: str | None) -> dict[str, list[str]]:
    if role is Role.PETUGAS_PD and not pd_kode:
        return {"pd_kode": ["Petugas PD wajib terikat pada satu Perangkat Daerah."]}
    if role is not Role.PETUGAS_PD and pd_kode:
        return {"pd_kode": ["Hanya peran petugas_pd yang terikat pada Perangkat Daerah."]}
    return {}


def _user_state(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "role": user.role.value,
        "pd_kode": user.pd_kode,
        "is_active": user.is_active,
        "password_hash": user.password_hash,
    }


def create_user(
    *,
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    email: str | None = None,
    pd_kode: str | None = None,
) -> User:
    """Create a user account; only administrators may."""
    permissions.require(actor, permissions.USERS_MANAGE)
    errors: dict[str, list[str]] = {}
    username = username.strip().lower()
    if not username or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        errors["username"] = ["Nama pengguna hanya huruf, angka, titik, garis bawah, strip."]
    if problems := check_password_policy(password, username=username):
        errors["password"] = problems
    errors |= _validate_role_pd(role, pd_kode)
    if errors:
        raise InvalidInput(errors=errors)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"Nama pengguna '{username}' sudah dipakai.", f"'{username}' is taken.")
    user = User(
        username=username,
        full_name=full_name or username,
        email=email or None,
        password_hash=hash_password(password),
        role=role,
        pd_kode=pd_kode,
        is_active=True,
        created_at=utcnow(),
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.create",
        object_type="user",
        object_id=user.id,
        after=_user_state(user),
    )
    session.commit()
    return user


class SecondFactorRequired(NotAuthenticated):
    """The password was right but this account also needs its one-time code."""

    def __init__(self) -> None:
        super().__init__(
            "Akun ini memakai verifikasi dua langkah: sertakan kode dari aplikasi autentikator.",
            "This account uses two-step verification: include the authenticator code.",
        )


class SecondFactorEnrolmentRequired(PermissionDenied):
    """A staff account must turn on two-step verification before anything else."""

    def __init__(self) -> None:
        super().__init__(
            "Aktifkan verifikasi dua langkah di halaman Akun konsol terlebih dahulu.",
            "Turn on two-step verification on the console's Account page first.",
        )


def check_password(*, session: Session, username: str, password: str) -> User | None:
    """First factor: the active user whose password this is, or ``None``; counts failures
    toward the lock-out. Does not sign in: see ``complete_sign_in``."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        _verify(_DUMMY_HASH, password)
        return None
    _refuse_locked(user)
    if not _verify(user.password_hash, password) or not user.is_active:
        count_failure(session=session, user=user)
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.commit()
    return user


def _refuse_locked(user: User) -> None:
    if user.locked_until_at is not None and user.locked_until_at > utcnow():
        raise RateLimited(
            "Akun dikunci sementara karena terlalu banyak percobaan masuk.",
            "Account temporarily locked after too many failed sign-ins.",
        )


def count_failure(*, session: Session, user: User, reason: str = "password") -> None:
    """One more failed sign-in (password or code); the fifth locks the account (audited)."""
    user.failed_logins += 1
    if reason != "password":
        audit.record(
            session,
            actor=actor_for_user(user),
            action="user.2fa.failed",
            object_type="user",
            object_id=user.id,
        )
    if user.failed_logins >= MAX_FAILED_LOGINS:
        user.locked_until_at = utcnow() + LOCKOUT
        user.failed_logins = 0
        audit.record(
            session,
            actor=actor_for_user(user),
            action="user.lockout",
            object_type="user",
            object_id=user.id,
            after={"locked_minutes": int(LOCKOUT.total_seconds() // 60), "after": reason},
        )
    session.commit()


def check_second_factor(
    *, session: Session, user: User, code: str, now: datetime | None = None
) -> bool:
    """Second factor: a fresh authenticator code or an unused recovery code; a wrong one
    counts toward the lock-out and is audited."""
    _refuse_locked(user)
    if totp.verify(session=session, user=user, code=code, now=now):
        return True
    count_failure(session=session, user=user, reason="totp")
    return False


def complete_sign_in(*, session: Session, user: User) -> None:
    """Both factors passed: reset the counters, note the time, audit the sign-in."""
    user.failed_logins = 0
    user.locked_until_at = None
    user.last_login_at = utcnow()
    audit.record(
        session,
        actor=actor_for_user(user),
        action="user.login",
        object_type="user",
        object_id=user.id,
    )
    session.commit()


def needs_enrolment(user: User, *, staff_2fa_required: bool) -> bool:
    """Whether this user must turn two-step verification on before using the console."""
    return staff_2fa_required and user.role.is_staff and not totp.is_enabled(user)


def authenticate(
    *,
    session: Session,
    username: str,
    password: str,
    code: str | None = None,
    staff_2fa_required: bool = False,
) -> User | None:
    """Both factors in one call (API clients): the signed-in user, or ``None`` when the
    password or code is wrong. A user with a second factor and no ``code`` gets
    ``SecondFactorRequired``, so a caller that knows nothing of codes cannot bypass it."""
    user = check_password(session=session, username=username, password=password)
    if user is None:
        return None
    if needs_enrolment(user, staff_2fa_required=staff_2fa_required):
        raise SecondFactorEnrolmentRequired()
    if totp.is_enabled(user):
        if not code:
            raise SecondFactorRequired()
        if not check_second_factor(session=session, user=user, code=code):
            return None
    complete_sign_in(session=session, user=user)
    return user


def change_password(*, session: Session, user: User, current: str, new: str) -> None:
    """Change the user's own password: the current one is required; every other session and
    every bearer token of the user stop working."""
    _refuse_locked(user)
    if not _verify(user.password_hash, current):
        count_failure(session=session, user=user)
        raise InvalidInput(errors={"current": ["Kata sandi saat ini salah."]})
    if problems := check_password_policy(new, username=user.username):
        raise InvalidInput(errors={"new": problems})
    if _verify(user.password_hash, new):
        raise InvalidInput(errors={"new": ["Kata sandi baru harus berbeda dari yang lama."]})
    now = utcnow()
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    user.session_generation += 1
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    audit.record(
        session,
        actor=actor_for_user(user),
        action="user.password.change",
        object_type="user",
        object_id=user.id,
    )
    session.commit()


def end_sessions(*, session: Session, user: User) -> None:
    """Void every page session of the user (the caller rotates or re-issues its own)."""
    user.session_generation += 1
    session.commit()


def disable_second_factor(*, session: Session, user: User, password: str, code: str) -> None:
    """Turn the user's own second factor off: password and a current code required."""
    _refuse_locked(user)
    if not _verify(user.password_hash, password):
        count_failure(session=session, user=user)
        raise InvalidInput(errors={"password": ["Kata sandi salah."]})
    if not check_second_factor(session=session, user=user, code=code):
        raise InvalidInput(errors={"code": ["Kode salah atau sudah dipakai."]})
    totp.remove(session=session, user=user, actor=actor_for_user(user), action="user.2fa.disable")


def reset_second_factor(*, session: Session, actor: Actor, username: str) -> User:
    """An administrator turns a user's second factor off (lost phone and codes)."""
    permissions.require(actor, permissions.USERS_MANAGE)
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(f"Pengguna '{username}' tidak ada.", f"No user '{username}'.")
    user.session_generation += 1
    totp.remove(session=session, user=user, actor=actor, action="user.2fa.reset")
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def actor_for_user(user: User) -> Actor:
    """The actor a signed-in user acts as."""
    return Actor(
        kind=ActorKind.USER, role=user.role, id=user.id, name=user.username, pd_kode=user.pd_kode
    )


def get_active_user(
    *, session: Session, user_id: int, generation: int | None = None
) -> User | None:
    """The user with this id if the account is active (and, given a session's
    ``generation``, if that session has not been voided since)."""
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    if generation is not None and generation != user.session_generation:
        return None
    return user


def issue_token(*, session: Session, user: User, name: str, ttl: timedelta) -> str:
    """Create a bearer token for ``user``; returns the secret, shown once."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=_digest(secret),
        created_at=utcnow(),
        expires_at=utcnow() + ttl,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor=actor_for_user(user),
        action="token.create",
        object_type="api_token",
        object_id=token.id,
        after={"name": name, "user_id": user.id},
    )
    session.commit()
    return secret


def resolve_token(*, session: Session, secret: str) -> Actor | None:
    """The actor behind a bearer token, or ``None`` when unknown, expired or revoked."""
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(secret)))
    if token is None or token.revoked_at is not None or token.expires_at <= utcnow():
        return None
    user = token.user
    return actor_for_user(user) if user.is_active else None


def create_api_key(
    *,
    session: Session,
    actor: Actor,
    name: str,
    role: Role,
    pd_kode: str | None = None,
    scopes: list[str] | None = None,
    permission: str = permissions.APIKEYS_MANAGE,
) -> tuple[ApiKey, str]:
    """Create an API key for a machine client; returns the row and the secret (shown once).

    ``permission`` is the action the actor needs: a domain that issues narrowly scoped keys
    (sensor gateway keys, ``sta:thing:<id>``) passes its own and fixes role and scopes itself.
    """
    permissions.require(actor, permission)
    errors = _validate_role_pd(role, pd_kode)
    if not name.strip():
        errors["name"] = ["Nama kunci wajib diisi."]
    if errors:
        raise InvalidInput(errors=errors)
    if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise Conflict(f"Kunci API '{name}' sudah ada.", f"API key '{name}' already exists.")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        name=name.strip(),
        prefix=secret[:10],
        key_hash=_digest(secret),
        role=role,
        pd_kode=pd_kode,
        scopes=" ".join(sorted(set(scopes or []))),
        created_at=utcnow(),
    )
    session.add(key)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="apikey.create",
        object_type="api_key",
        object_id=key.id,
        after={"name": key.name, "role": role.value, "pd_kode": pd_kode, "scopes": key.scopes},
    )
    session.commit()
    return key, secret


def revoke_api_key(
    *, session: Session, actor: Actor, name: str, permission: str = permissions.APIKEYS_MANAGE
) -> ApiKey:
    """Revoke the API key called ``name`` at once (``permission``: as for ``create_api_key``)."""
    permissions.require(actor, permission)
    key = session.scalar(select(ApiKey).where(ApiKey.name == name))
    if key is None:
        raise NotFound(f"Kunci API '{name}' tidak ditemukan.", f"No API key named '{name}'.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record(
            session,
            actor=actor,
            action="apikey.revoke",
            object_type="api_key",
            object_id=key.id,
            before={"revoked": False},
            after={"revoked": True},
        )
        session.commit()
    return key


def list_api_keys(*, session: Session, actor: Actor) -> list[ApiKey]:
    """Every API key, newest first (secrets are never stored, so never shown)."""
    permissions.require(actor, permissions.APIKEYS_MANAGE)
    return list(session.scalars(select(ApiKey).order_by(ApiKey.created_at.desc())))


def resolve_api_key(*, session: Session, secret: str) -> Actor | None:
    """The actor behind an API key, or ``None`` when unknown or revoked."""
    key = session.scalar(select(ApiKey).where(ApiKey.key_hash == _digest(secret)))
    if key is None or key.revoked_at is not None:
        return None
    return Actor(
        kind=ActorKind.API_KEY,
        role=key.role,
        id=key.id,
        name=key.name,
        pd_kode=key.pd_kode,
        scopes=frozenset(key.scope_list),
    )


def list_users(*, session: Session, actor: Actor) -> list[User]:
    """Every user account, by username."""
    permissions.require(actor, permissions.USERS_VIEW)
    return list(session.scalars(select(User).order_by(User.username)))
