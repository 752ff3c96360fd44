"""The second factor: time-based one-time codes (RFC 6238) and one-time recovery codes.

The secret is sealed at rest (``EncryptedText``). A code is accepted for the current
30-second step and one step either side (clock drift, RFC 6238 §5.2), and never twice: the
last accepted step is stored and moved forward with a compare-and-set update, so two
requests racing with the same code cannot both win. Recovery codes are random, shown once,
stored as SHA-256 digests (they carry 50 random bits, so a fast hash is enough) and removed
with the same compare-and-set when used.

Password checks and lock-out counting stay in ``core/auth.py``, which calls this module.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from sqlalchemy import update
from sqlalchemy.orm import Session

from pontive.core import audit
from pontive.core.errors import Conflict, InvalidInput
from pontive.core.identity import Actor, ActorKind
from pontive.core.models import User
from pontive.core.timeutil import utcnow

ISSUER = "Pontive Kota Pontianak"
STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# Crockford-like alphabet without look-alikes (0/O, 1/I/L) for codes people type.
_RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_RECOVERY_LENGTH = 10


def is_enabled(user: User) -> bool:
    """Whether the user has a confirmed second factor."""
    return user.totp_enabled_at is not None and user.totp_secret is not None


def provisioning_uri(secret: str, username: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads (Key Uri Format)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=username, issuer_name=ISSUER
    )


def _step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code equals ``code`` within the drift window, newest first."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    generator = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = _step(now)
    for step in range(current + DRIFT_STEPS, current - DRIFT_STEPS - 1, -1):
        if hmac.compare_digest(generator.at(step * STEP_SECONDS), code):
            return step
    return None


def code_at(secret: str, now: datetime) -> str:
    """The code an authenticator shows at ``now`` (for the CLI's self-check and tests)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).at(now)


def _recovery_digest(code: str) -> str:
    normal = "".join(char for char in code.upper() if char.isalnum())
    return hashlib.sha256(f"pontive-recovery:{normal}".encode()).hexdigest()


def _new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def begin_enrolment(*, session: Session, user: User, restart: bool = False) -> str:
    """The secret awaiting confirmation, made now unless one is already waiting."""
    if is_enabled(user):
        raise Conflict(
            "Verifikasi dua langkah sudah aktif.", "Two-step verification is already on."
        )
    if user.totp_secret is None or restart:
        user.totp_secret = pyotp.random_base32(length=32)
        user.totp_last_step = None
        session.commit()
    return user.totp_secret


def confirm_enrolment(
    *, session: Session, user: User, code: str, now: datetime | None = None
) -> list[str]:
    """Turn the second factor on with a first correct code; returns the recovery codes,
    shown once."""
    if is_enabled(user) or user.totp_secret is None:
        raise Conflict(
            "Tidak ada pendaftaran verifikasi dua langkah yang menunggu.",
            "No two-step verification enrolment is waiting.",
        )
    now = now or utcnow()
    step = _matching_step(user.totp_secret, code, now)
    if step is None:
        raise InvalidInput(
            errors={"code": ["Kode salah atau kedaluwarsa. / Wrong or expired code."]}
        )
    codes = _new_recovery_codes()
    user.totp_enabled_at = now
    user.totp_last_step = step
    user.recovery_code_hashes = " ".join(_recovery_digest(code) for code in codes)
    audit.record(
        session, actor=_self(user), action="user.2fa.enrol", object_type="user", object_id=user.id
    )
    session.commit()
    return codes


def verify(*, session: Session, user: User, code: str, now: datetime | None = None) -> bool:
    """Whether ``code`` is a fresh one-time code or an unused recovery code; uses it up.

    Does not commit failures or count them: ``auth`` does, with the lock-out."""
    if not is_enabled(user) or user.totp_secret is None:
        return False
    step = _matching_step(user.totp_secret, code, now or utcnow())
    if step is not None:
        return _claim_step(session, user, step)
    return _use_recovery_code(session, user, code)


def _claim_step(session: Session, user: User, step: int) -> bool:
    # Compare-and-set: only one request can move the step forward (replay protection).
    claimed = session.execute(
        update(User)
        .where(User.id == user.id)
        .where((User.totp_last_step.is_(None)) | (User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    session.refresh(user)
    return bool(claimed.rowcount)  # type: ignore[attr-defined]


def _use_recovery_code(session: Session, user: User, code: str) -> bool:
    stored = user.recovery_code_hashes
    digests = stored.split()
    digest = _recovery_digest(code)
    if len("".join(ch for ch in code if ch.isalnum())) != _RECOVERY_LENGTH or digest not in digests:
        return False
    remaining = " ".join(item for item in digests if item != digest)
    used = session.execute(
        update(User)
        .where(User.id == user.id, User.recovery_code_hashes == stored)
        .values(recovery_code_hashes=remaining)
        .execution_options(synchronize_session=False)
    )
    session.refresh(user)
    if not used.rowcount:  # type: ignore[attr-defined]
        return False
    audit.record(
        session,
        actor=_self(user),
        action="user.2fa.recovery_used",
        object_type="user",
        object_id=user.id,
        after={"remaining": len(remaining.split())},
    )
    return True


def remaining_recovery_codes(user: User) -> int:
    """How many recovery codes the user has left."""
    return len(user.recovery_code_hashes.split())


def renew_recovery_codes(*, session: Session, user: User) -> list[str]:
    """Replace every recovery code (the caller has checked a fresh code); shown once."""
    codes = _new_recovery_codes()
    user.recovery_code_hashes = " ".join(_recovery_digest(code) for code in codes)
    audit.record(
        session,
        actor=_self(user),
        action="user.2fa.recovery_renew",
        object_type="user",
        object_id=user.id,
    )
    session.commit()
    return codes


def remove(*, session: Session, user: User, actor: Actor, action: str) -> None:
    """Turn the second factor off and forget its secret and codes (audited as ``action``)."""
    was_enabled = is_enabled(user)
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.recovery_code_hashes = ""
    audit.record(
        session,
        actor=actor,
        action=action,
        object_type="user",
        object_id=user.id,
        before={"totp": was_enabled},
        after={"totp": False},
    )
    session.commit()


def _self(user: User) -> Actor:
    return Actor(
        kind=ActorKind.USER, role=user.role, id=user.id, name=user.username, pd_kode=user.pd_kode
    )
