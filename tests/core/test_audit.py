"""The audit trail is append-only and hash-chained; tampering is caught and located."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pontive.core import audit
from pontive.core.audit import GENESIS_HASH, AuditEvent
from pontive.core.identity import system_actor

ACTOR = system_actor("test")


def _append(session: Session, count: int) -> list[AuditEvent]:
    return [
        audit.record(
            session,
            actor=ACTOR,
            action="test.change",
            object_type="thing",
            object_id=n,
            before={"value": n},
            after={"value": n + 1},
        )
        for n in range(count)
    ]


def _disable_protection(session: Session) -> None:
    # What an intruder with database access would do first.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change"))
    else:
        session.execute(text("DROP TRIGGER audit_events_no_update"))
        session.execute(text("DROP TRIGGER audit_events_no_delete"))


def test_each_event_links_to_the_previous_one(session: Session) -> None:
    first, second, third = _append(session, 3)
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    chain = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert chain[0].prev_hash == GENESIS_HASH
    assert audit.verify_chain(session).is_intact


def test_values_are_not_stored_only_their_digests(session: Session) -> None:
    event = audit.record(
        session,
        actor=ACTOR,
        action="user.update",
        object_type="user",
        object_id=1,
        before={"email": "dewi@contoh.id"},
        after={"email": "dewi.baru@contoh.id"},
    )
    assert event.fields == "email"
    assert event.after_digest == audit.digest({"email": "dewi.baru@contoh.id"})
    raw = session.execute(text("SELECT * FROM audit_events WHERE id = :id"), {"id": event.id})
    assert "dewi" not in repr(raw.one())


def test_the_database_refuses_updates_and_deletes(session: Session) -> None:
    (event,) = _append(session, 1)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(
            text("UPDATE audit_events SET actor = 'x' WHERE id = :id"), {"id": event.id}
        )
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": event.id})


def test_an_edited_row_is_caught_at_that_row(session: Session) -> None:
    events = _append(session, 5)
    _disable_protection(session)
    session.execute(
        text("UPDATE audit_events SET actor = 'someone-else' WHERE id = :id"),
        {"id": events[2].id},
    )
    session.expire_all()
    report = audit.verify_chain(session)
    assert not report.is_intact
    assert report.broken_id == events[2].id
    assert report.reason == "row content altered"


def test_a_deleted_row_is_caught_at_the_next_row(session: Session) -> None:
    events = _append(session, 4)
    _disable_protection(session)
    session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": events[1].id})
    session.expire_all()
    report = audit.verify_chain(session)
    assert report.broken_id == events[2].id
    assert report.reason == "previous link missing or altered"


def test_a_rehashed_forgery_still_breaks_the_next_link(session: Session) -> None:
    events = _append(session, 3)
    _disable_protection(session)
    session.execute(
        text("UPDATE audit_events SET hash = :h WHERE id = :id"),
        {"h": "f" * 64, "id": events[0].id},
    )
    session.expire_all()
    report = audit.verify_chain(session)
    assert report.broken_id == events[0].id
