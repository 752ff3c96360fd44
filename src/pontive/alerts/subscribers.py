"""The public alert e-mail list, with double opt-in (UU 27/2022 PDP: consent, minimal data).

``subscribe`` answers the same way whatever the address's state, so the form never tells
anyone whether an address is on the list; what happens is said only to the mailbox: a
confirmation link (new or unconfirmed address), or a note that it is already subscribed.
The e-mail is sealed and found by its blind index. One token per subscriber serves the
confirmation and unsubscribe links; it is *derived* (a keyed digest of the row's id and
creation time under ``PONTIVE_DATA_KEY``) rather than stored, so the distribution worker can
put an unsubscribe link in every alert e-mail while the database keeps only its hash.
Unsubscribing deletes the row: nothing personal is kept about someone who left, nor (the
worker's job ``alerts.subscribers.purge``) about an address never confirmed within
``UNCONFIRMED_DAYS``.

E-mails are not sent here: ``subscribe`` emits ``alerts.subscriber.mail_requested``
(RAHASIA, with the row id only) after commit, and ``distribute.py`` sends the message.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pontive.alerts.models import AlertSubscriber
from pontive.core import audit, crypto
from pontive.core.choices import Classification
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.events import Event, emit
from pontive.core.identity import ANONYMOUS, Actor, system_actor
from pontive.core.timeutil import utcnow
from pontive.core.worker import Job, JobContext
from pontive.reference import service as reference
from pontive.web.i18n import LANGUAGES, translate

MAIL_REQUESTED = "alerts.subscriber.mail_requested"
UNCONFIRMED_DAYS = 7  # an address nobody confirmed is forgotten after a week
CONFIRM_PATH = "/peringatan/langganan/konfirmasi"
UNSUBSCRIBE_PATH = "/peringatan/langganan/berhenti"
# Deliberately simple: one @, no spaces, a dot in the domain; the mailbox proves the rest.
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True, slots=True)
class Recipient:
    """A confirmed subscriber, opened for sending (never logged, never rendered)."""

    id: int
    email: str
    lang: str
    kecamatan_kode: str | None
    token: str


def subscriber_token(subscriber: AlertSubscriber) -> str:
    """The confirm/unsubscribe token of a subscriber (re-derivable, never stored)."""
    created = int(subscriber.created_at.timestamp())
    return crypto.blind_index(f"alerts-subscriber:{subscriber.id}:{created}")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invalid(errors: dict[str, list[str]]) -> InvalidInput:
    key = "alerts.subscribers.invalid"
    return InvalidInput(translate(key, "id"), translate(key, "en"), errors=errors)


def _check(session: Session, email: str, lang: str, kecamatan_kode: str | None, ui: str) -> None:
    errors: dict[str, list[str]] = {}
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        errors["email"] = [translate("alerts.subscribers.email_invalid", ui)]
    if lang not in LANGUAGES:
        errors["lang"] = [translate("alerts.subscribers.lang_invalid", ui)]
    if kecamatan_kode is not None:
        known = {kecamatan.kode for kecamatan in reference.list_kecamatan(session=session)}
        if kecamatan_kode not in known:
            errors["kecamatan_kode"] = [translate("alerts.mode.unknown_kecamatan", ui)]
    if errors:
        raise _invalid(errors)


def _audit_state(row: AlertSubscriber) -> dict[str, object]:
    # Digests only ever see the blind index, never the address.
    return {
        "email_index": row.email_index,
        "lang": row.lang,
        "kecamatan_kode": row.kecamatan_kode,
        "confirmed": row.confirmed_at is not None,
    }


def subscribe(
    session: Session,
    *,
    email: str,
    lang: str = "id",
    kecamatan_kode: str | None = None,
    actor: Actor = ANONYMOUS,
    ui_lang: str = "id",
) -> None:
    """Ask for alert e-mails (all the city, or one kecamatan); the answer never depends on
    whether the address is already on the list."""
    email = email.strip()
    _check(session, email, lang, kecamatan_kode, ui_lang)
    index = crypto.blind_index(email)
    row = session.scalar(select(AlertSubscriber).where(AlertSubscriber.email_index == index))
    kind = "confirm"
    if row is None:
        # The token needs the id: a placeholder hash until the flush below gives one.
        row = AlertSubscriber(email=email, email_index=index, token_hash="", created_at=utcnow())
        session.add(row)
    elif row.confirmed_at is not None:
        kind = "already"  # preferences change only through a confirmed link, not by a form
    if kind == "confirm":
        before = None if row.id is None else _audit_state(row)
        row.lang, row.kecamatan_kode, row.email = lang, kecamatan_kode, email
        session.flush()
        row.token_hash = _token_hash(subscriber_token(row))
        audit.record(
            session,
            actor=actor,
            action="alerts.subscriber.subscribe",
            object_type="alert_subscriber",
            object_id=row.id,
            before=before,
            after=_audit_state(row),
        )
    emit(
        session,
        Event(
            MAIL_REQUESTED,
            {"subscriber_id": row.id, "kind": kind},
            classification=Classification.RAHASIA,
        ),
    )
    session.commit()


def _by_token(session: Session, token: str) -> AlertSubscriber:
    row = session.scalar(
        select(AlertSubscriber).where(AlertSubscriber.token_hash == _token_hash(token.strip()))
    )
    if row is None:
        key = "alerts.subscribers.token_invalid"
        raise NotFound(translate(key, "id"), translate(key, "en"))
    return row


def confirm(session: Session, *, token: str, actor: Actor = ANONYMOUS) -> AlertSubscriber:
    """Confirm a subscription from the link in the confirmation e-mail (idempotent)."""
    row = _by_token(session, token)
    if row.confirmed_at is None:
        before = _audit_state(row)
        row.confirmed_at = utcnow()
        session.flush()
        audit.record(
            session,
            actor=actor,
            action="alerts.subscriber.confirm",
            object_type="alert_subscriber",
            object_id=row.id,
            before=before,
            after=_audit_state(row),
        )
        session.commit()
    return row


def unsubscribe(session: Session, *, token: str, actor: Actor = ANONYMOUS) -> None:
    """Leave the list: the row, sealed address included, is deleted."""
    row = _by_token(session, token)
    audit.record(
        session,
        actor=actor,
        action="alerts.subscriber.unsubscribe",
        object_type="alert_subscriber",
        object_id=row.id,
        before=_audit_state(row),
    )
    session.delete(row)
    session.commit()


def purge_unconfirmed(session: Session, *, now: datetime | None = None) -> int:
    """Delete the addresses never confirmed within ``UNCONFIRMED_DAYS``; how many."""
    cutoff = (now or utcnow()) - timedelta(days=UNCONFIRMED_DAYS)
    stale = session.scalars(
        select(AlertSubscriber).where(
            AlertSubscriber.confirmed_at.is_(None), AlertSubscriber.created_at < cutoff
        )
    ).all()
    actor = system_actor("alerts.subscribers.purge")
    for row in stale:
        audit.record(
            session,
            actor=actor,
            action="alerts.subscriber.purge",
            object_type="alert_subscriber",
            object_id=row.id,
            before=_audit_state(row),
        )
        session.delete(row)
    session.commit()
    return len(stale)


def _purge(context: JobContext) -> None:
    purge_unconfirmed(context.session)


JOBS: tuple[Job, ...] = (Job("alerts.subscribers.purge", 3600.0, _purge),)


def get_recipient(session: Session, subscriber_id: int) -> Recipient | None:
    """One subscriber opened for sending (confirmed or not), or None when gone."""
    row = session.get(AlertSubscriber, subscriber_id)
    if row is None:
        return None
    return Recipient(row.id, row.email, row.lang, row.kecamatan_kode, subscriber_token(row))


def confirmed_recipients(session: Session, kecamatan_kodes: set[str] | None) -> list[Recipient]:
    """Confirmed subscribers for an area: those of these kecamatan and those of the whole
    city (``kecamatan_kodes`` None: an alert for the whole city reaches everyone)."""
    query = select(AlertSubscriber).where(
        AlertSubscriber.confirmed_at.is_not(None), AlertSubscriber.unsubscribed_at.is_(None)
    )
    if kecamatan_kodes is not None:
        query = query.where(
            or_(
                AlertSubscriber.kecamatan_kode.is_(None),
                AlertSubscriber.kecamatan_kode.in_(sorted(kecamatan_kodes)),
            )
        )
    rows = session.scalars(query.order_by(AlertSubscriber.id))
    return [
        Recipient(row.id, row.email, row.lang, row.kecamatan_kode, subscriber_token(row))
        for row in rows
    ]
