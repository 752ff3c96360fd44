"""Personal data of alerts (UU 27/2022): the e-mail list.

A subscriber's row is deleted on erasure (as on unsubscribing); the alerts domain already
deletes addresses nobody confirmed after 7 days (``alerts/subscribers.py``).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement

from pontive.alerts.models import (
    AlertRule,
    AlertSubscriber,
    EmergencyContact,
    FeedSource,
    IncomingAlert,
    Shelter,
    WebhookSubscription,
)
from pontive.privacy.declare import (
    Basis,
    Category,
    Context,
    Erase,
    NotPersonal,
    Personal,
    Source,
    Subject,
    SubjectQuery,
    declare,
    names_of_things,
    not_personal,
)
from pontive.privacy.engine import contact_indexes


def _subscribers(query: SubjectQuery) -> ColumnElement[bool] | None:
    indexes = contact_indexes(query)
    return AlertSubscriber.email_index.in_(indexes) if indexes else None


declare(
    Source(
        name="alerts.subscribers",
        model=AlertSubscriber,
        label=("Pelanggan peringatan dini", "Early-warning subscribers"),
        subject=Subject.PELANGGAN,
        purpose=("Mengirim peringatan dini lewat e-mail", "Sending early warnings by e-mail"),
        basis=Basis.PERSETUJUAN,
        personal=(
            Personal(
                AlertSubscriber.email, Category.KONTAK, ("E-mail", "E-mail"), Erase.DELETE_ROW
            ),
            Personal(
                AlertSubscriber.email_index,
                Category.PENGENAL,
                ("Indeks e-mail", "E-mail index"),
                Erase.DELETE_ROW,
            ),
        ),
        retention_rule=(
            "Sampai berhenti berlangganan; yang tidak dikonfirmasi dihapus setelah 7 hari",
            "Until unsubscribing; unconfirmed addresses are deleted after 7 days",
        ),
        find=_subscribers,
        context=(
            Context(AlertSubscriber.kecamatan_kode, ("Kecamatan", "District")),
            Context(AlertSubscriber.confirmed_at, ("Dikonfirmasi", "Confirmed")),
            Context(AlertSubscriber.created_at, ("Mendaftar", "Subscribed")),
        ),
    )
)

names_of_things(
    FeedSource.name,
    AlertRule.name_id,
    AlertRule.name_en,
    EmergencyContact.name_id,
    EmergencyContact.name_en,
    Shelter.name,
    WebhookSubscription.name,
)
not_personal(
    NotPersonal(EmergencyContact.phone, "a public emergency line of an office"),
    NotPersonal(Shelter.address, "the address of a public shelter"),
    NotPersonal(IncomingAlert.sender_name, "the issuing agency (BMKG …)"),
    NotPersonal(WebhookSubscription.secret, "a partner system's signing secret: sealed, no person"),
)
