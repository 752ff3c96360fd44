"""The alert e-mail list with double opt-in (alerts/subscribers.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.alerts import subscribers
from pontive.alerts.models import AlertSubscriber
from pontive.core import crypto
from pontive.core.audit import AuditEvent
from pontive.core.choices import Classification
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.events import Event, MemoryBus
from pontive.core.timeutil import utcnow
from tests.bus_support import outcome_and_events

EMAIL = "siti.aminah@example.com"
SELATAN = "61.71.01"
BARAT = "61.71.03"


def published(bus: MemoryBus, action: Callable[[], Any]) -> list[Event]:
    return outcome_and_events(bus, subscribers.MAIL_REQUESTED, action)[1]


def token_of(session: Session, email: str) -> str:
    row = session.scalars(
        select(AlertSubscriber).where(AlertSubscriber.email_index == crypto.blind_index(email))
    ).one()
    return subscribers.subscriber_token(row)


def test_subscribing_stores_the_address_sealed_and_asks_for_confirmation(
    session: Session, bus: MemoryBus
) -> None:
    events = published(
        bus, lambda: subscribers.subscribe(session, email=f" {EMAIL} ", kecamatan_kode=SELATAN)
    )
    row = session.scalars(select(AlertSubscriber)).one()
    assert row.confirmed_at is None
    stored = session.connection().exec_driver_sql("SELECT email FROM alert_subscribers")
    assert EMAIL not in stored.scalar_one()
    assert row.email == EMAIL
    assert [(e.data, e.classification) for e in events] == [
        ({"subscriber_id": row.id, "kind": "confirm"}, Classification.RAHASIA)
    ]
    assert subscribers.confirmed_recipients(session, None) == []  # not before confirming


def test_confirming_with_the_token_puts_the_address_on_the_list(session: Session) -> None:
    subscribers.subscribe(session, email=EMAIL, lang="en")
    token = token_of(session, EMAIL)
    row = subscribers.confirm(session, token=token)
    first = row.confirmed_at
    assert first is not None
    assert subscribers.confirm(session, token=token).confirmed_at == first  # idempotent
    (recipient,) = subscribers.confirmed_recipients(session, None)
    assert (recipient.email, recipient.lang, recipient.token) == (EMAIL, "en", token)
    with pytest.raises(NotFound):
        subscribers.confirm(session, token="0" * 64)


def test_subscribing_again_reveals_nothing_and_changes_nothing_once_confirmed(
    session: Session, bus: MemoryBus
) -> None:
    subscribers.subscribe(session, email=EMAIL, kecamatan_kode=SELATAN)
    subscribers.confirm(session, token=token_of(session, EMAIL))
    events = published(
        bus, lambda: subscribers.subscribe(session, email=EMAIL.upper(), kecamatan_kode=BARAT)
    )
    assert [e.data["kind"] for e in events] == ["already"]  # said to the mailbox only
    row = session.scalars(select(AlertSubscriber)).one()
    assert row.kecamatan_kode == SELATAN


def test_unsubscribing_deletes_the_address(session: Session) -> None:
    subscribers.subscribe(session, email=EMAIL)
    token = token_of(session, EMAIL)
    subscribers.confirm(session, token=token)
    subscribers.unsubscribe(session, token=token)
    assert session.scalar(select(AlertSubscriber.id)) is None
    with pytest.raises(NotFound):
        subscribers.unsubscribe(session, token=token)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"email": "bukan-surel"}, "email"),
        ({"email": "a b@example.com"}, "email"),
        ({"email": EMAIL, "lang": "fr"}, "lang"),
        ({"email": EMAIL, "kecamatan_kode": "00.00"}, "kecamatan_kode"),
    ],
)
def test_bad_subscriptions_are_refused(
    session: Session, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        subscribers.subscribe(session, **values)
    assert list(caught.value.errors) == [field]


def test_recipients_of_an_area_are_its_kecamatan_and_the_whole_city(session: Session) -> None:
    for email, kode in (("a@x.id", SELATAN), ("b@x.id", BARAT), ("c@x.id", None)):
        subscribers.subscribe(session, email=email, kecamatan_kode=kode)
        subscribers.confirm(session, token=token_of(session, email))
    subscribers.subscribe(session, email="d@x.id", kecamatan_kode=SELATAN)  # unconfirmed
    assert [r.email for r in subscribers.confirmed_recipients(session, {SELATAN})] == [
        "a@x.id",
        "c@x.id",
    ]
    assert len(subscribers.confirmed_recipients(session, None)) == 3


def test_addresses_nobody_confirmed_are_forgotten_after_a_week(session: Session) -> None:
    subscribers.subscribe(session, email="lupa@contoh.id")
    subscribers.subscribe(session, email="setia@contoh.id")
    subscribers.confirm(session, token=token_of(session, "setia@contoh.id"))
    later = utcnow() + timedelta(days=subscribers.UNCONFIRMED_DAYS - 1)
    assert subscribers.purge_unconfirmed(session, now=later) == 0
    week_later = utcnow() + timedelta(days=subscribers.UNCONFIRMED_DAYS, minutes=1)
    assert subscribers.purge_unconfirmed(session, now=week_later) == 1
    left = session.scalars(select(AlertSubscriber.email_index)).all()
    assert left == [crypto.blind_index("setia@contoh.id")]
    purged = select(AuditEvent.action).where(AuditEvent.action == "alerts.subscriber.purge")
    assert len(session.scalars(purged).all()) == 1
