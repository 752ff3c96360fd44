"""API shapes of the core: tokens, the current identity, audit events."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from pontive.core.roles import Role


class TokenCreate(BaseModel):
    """Credentials exchanged for a bearer token."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)
    name: str = Field(default="api", max_length=100, description="A label for this token")
    code: str | None = Field(
        default=None,
        max_length=20,
        description="One-time code (or recovery code) for accounts with two-step verification",
    )


class TokenRead(BaseModel):
    """A new bearer token; the secret is shown only here."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type name, not a secret
    expires_in: int


class ActorRead(BaseModel):
    """Who the caller is."""

    kind: str
    id: int | None
    name: str
    role: Role | None
    pd_kode: str | None
    scopes: list[str]


class AuditEventRead(BaseModel):
    """One audit trail entry (digests only: values may be personal data)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: datetime
    actor: str
    actor_role: str
    action: str
    object_type: str
    object_id: str
    fields: str
    before_digest: str | None
    after_digest: str | None
    request_id: str | None
    hash: str


class AuditPage(BaseModel):
    """A page of audit events, newest first."""

    items: list[AuditEventRead]
    next_before_id: int | None


class ChainReportRead(BaseModel):
    """Result of verifying the audit chain."""

    is_intact: bool
    checked: int
    broken_id: int | None
    reason: str
