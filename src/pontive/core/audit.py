"""Append-only, hash-chained audit trail (Perda 9/2022 Pasal 19; DESIGN.md, Security model).

Every state change and every access to personal data or CCTV goes through ``record``. Each row
stores digests of the object before and after the change (never the values, which may be
personal data) and the hash of the previous row, so that editing or deleting any row breaks
the chain at that point. ``verify_chain`` walks the chain and names the first broken link.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import orjson
from sqlalchemy import String, Table, Text, insert, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from pontive.core.db import Base, UTCDateTime
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow

GENESIS_HASH = "0" * 64
# An arbitrary constant naming the PostgreSQL advisory lock that serialises chain appends.
_CHAIN_LOCK_ID = 0x506F6E74  # "Pont"


class AuditEvent(Base):
    """One link of the audit chain."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(120))
    actor_role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(80))
    fields: Mapped[str] = mapped_column(Text, default="")
    before_digest: Mapped[str | None] = mapped_column(String(64))
    after_digest: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


_TABLE = cast(Table, AuditEvent.__table__)
_COLUMNS = tuple(column.name for column in _TABLE.columns if column.name != "id")
_LOCK_CHAIN = text("SELECT pg_advisory_xact_lock(:id)")
# The newest link: a primary-key index scan backwards, one row.
_LAST_HASH = select(_TABLE.c.hash).order_by(_TABLE.c.id.desc()).limit(1)


def digest(state: Mapping[str, Any] | None) -> str | None:
    """A stable SHA-256 of an object's state (keys sorted, values JSON-encoded)."""
    if state is None:
        return None
    encoded = orjson.dumps(state, option=orjson.OPT_SORT_KEYS, default=str)
    return hashlib.sha256(encoded).hexdigest()


def _link_hash(event: AuditEvent) -> str:
    payload = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor,
        "actor_role": event.actor_role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "fields": event.fields,
        "before": event.before_digest,
        "after": event.after_digest,
        "request_id": event.request_id,
        "prev": event.prev_hash,
    }
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _changed_fields(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> str:
    keys = set(before or {}) | set(after or {})
    changed = sorted(k for k in keys if (before or {}).get(k) != (after or {}).get(k))
    return ",".join(changed)


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event inside the caller's transaction (the returned object is a
    detached copy of the stored row)."""
    # Core statements on the transaction's connection: no unit-of-work flush (hot paths such
    # as every report submission append here); the chain and its hash format are unchanged.
    if session.new or session.dirty or session.deleted:
        session.flush()  # as the ORM append did: the caller's pending rows go first
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # Serialise appends so that two transactions never chain onto the same link.
        connection.execute(_LOCK_CHAIN, {"id": _CHAIN_LOCK_ID})
    last = connection.execute(_LAST_HASH).scalar_one_or_none()
    event = AuditEvent(
        occurred_at=utcnow(),
        actor=actor.label,
        actor_role=actor.role.value if actor.role else "-",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        fields=_changed_fields(before, after),
        before_digest=digest(before),
        after_digest=digest(after),
        request_id=actor.request_id,
        prev_hash=last or GENESIS_HASH,
    )
    event.hash = _link_hash(event)
    row = {column: getattr(event, column) for column in _COLUMNS}
    event.id = connection.execute(insert(_TABLE).returning(_TABLE.c.id), row).scalar_one()
    return event


@dataclass(frozen=True)
class ChainReport:
    """Outcome of ``verify_chain``."""

    checked: int
    broken_id: int | None = None
    reason: str = ""

    @property
    def is_intact(self) -> bool:
        """Whether every link checked out."""
        return self.broken_id is None


def verify_chain(session: Session, *, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first row whose link or content was altered."""
    expected_prev = GENESIS_HASH
    checked = 0
    rows = session.execute(
        select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=batch_size)
    ).scalars()
    try:
        for event in rows:
            if event.prev_hash != expected_prev:
                return ChainReport(checked, event.id, "previous link missing or altered")
            if _link_hash(event) != event.hash:
                return ChainReport(checked, event.id, "row content altered")
            expected_prev = event.hash
            checked += 1
    finally:
        rows.close()  # a server-side cursor on PostgreSQL: release it on early return too
    return ChainReport(checked)


def list_events(
    session: Session,
    *,
    actor: Actor,
    before_id: int | None = None,
    limit: int = 50,
    action_prefix: str | None = None,
) -> list[AuditEvent]:
    """Audit events newest first, paged by id (keyset), for people allowed to read them."""
    from pontive.core import permissions  # late: permissions imports identity only

    permissions.require(actor, permissions.AUDIT_VIEW)
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(min(max(limit, 1), 500))
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    return list(session.scalars(query))
