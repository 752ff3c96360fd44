"""Identity tables: users, their API tokens, and API keys for machines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, Text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.core.crypto import EncryptedText
from pontive.core.db import Base, UTCDateTime
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow

# Enums are stored as their values in a plain string column (portable, migration-friendly).
RoleColumn = SAEnum(
    Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]
)


class User(Base):
    """A person who signs in: citizen or staff."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # Personal data (UU 27/2022): sealed at rest.
    email: Mapped[str | None] = mapped_column(EncryptedText)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(RoleColumn)
    pd_kode: Mapped[str | None] = mapped_column(
        ForeignKey("perangkat_daerah.kode", ondelete="RESTRICT"), index=True
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on password change and sign-out: page sessions of an older generation are void.
    session_generation: Mapped[int] = mapped_column(default=0)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Second factor (core/totp.py): the RFC 6238 secret, sealed at rest; set but not yet
    # enabled while an enrolment awaits its first code.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last accepted time step: a code is never accepted twice (RFC 6238 §5.2).
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # SHA-256 digests of the unused one-time recovery codes, space-separated.
    recovery_code_hashes: Mapped[str] = mapped_column(Text, default="")

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")


class ApiToken(Base):
    """A bearer token a user created for API use; only its digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")


class ApiKey(Base):
    """A key for a machine client (gateway, harvester, other SPBE system) bound to a role."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(RoleColumn)
    pd_kode: Mapped[str | None] = mapped_column(
        ForeignKey("perangkat_daerah.kode", ondelete="RESTRICT"), index=True
    )
    scopes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def scope_list(self) -> list[str]:
        """Scopes as a list (stored space-separated)."""
        return self.scopes.split()


class JobRun(Base):
    """The last run of each background job, shared by every worker process.

    A worker claims a job by moving ``started_at`` forward inside a locked transaction, so
    several workers never run the same periodic job twice in one interval.
    """

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    succeeded: Mapped[bool | None] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)
