"""Requests of data subjects: a copy of their data, or its erasure (UU 27/2022 Pasal 7, 8, 13).

A subject is named by a complaint's tracking number, an e-mail address or phone number, or a
username. Every declared source is searched; the copy is JSON with Bahasa Indonesia and
English labels; erasure applies each column's declared ``Erase``. Each request is kept in
``privacy_requests`` (the subject only as a keyed digest) and in the audit chain, in the same
transaction as the work. Staff need ``privacy.manage``; a reporter proves possession of a
report through its private link and may act on that report only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import audit, crypto, permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.core.timeutil import WIB, utcnow
from pontive.privacy import engine
from pontive.privacy.choices import Channel, Outcome, RequestKind
from pontive.privacy.declare import (
    BASIS_LABELS,
    SUBJECT_LABELS,
    EraseContext,
    Lookup,
    Source,
    SubjectQuery,
    declared_sources,
)
from pontive.privacy.models import PrivacyRequest

if TYPE_CHECKING:
    from pontive.core.storage import MediaStore

PRIVACY_MANAGE = permissions.register("privacy.manage", {Role.ADMIN})
CONTROLLER = "Pemerintah Kota Pontianak (Pontive, Diskominfo)"
MAX_VALUE = 200


@dataclass(frozen=True, slots=True)
class Found:
    """The rows of one source about the subject."""

    source: Source
    ids: list[int]


@dataclass(frozen=True, slots=True)
class Erasure:
    """What an erasure did."""

    request: PrivacyRequest
    found: list[Found]
    fields_erased: int


def make_query(lookup: str, value: str) -> SubjectQuery:
    """A checked subject query (``InvalidInput`` on an empty or unknown one)."""
    text = value.strip()
    if not text or len(text) > MAX_VALUE:
        raise InvalidInput(
            "Isi nomor laporan, kontak atau nama pengguna.",
            "Enter a tracking number, a contact or a username.",
            errors={"value": ["Isi nomor laporan, kontak atau nama pengguna."]},
        )
    try:
        return SubjectQuery(Lookup(lookup), text)
    except ValueError as error:
        raise InvalidInput(
            "Cara pencarian tidak dikenal.",
            "Unknown lookup.",
            errors={"lookup": ["Cara pencarian tidak dikenal."]},
        ) from error


def find(session: Session, query: SubjectQuery) -> list[Found]:
    """Every declared source's rows about the subject (no permission check: callers do)."""
    found = []
    for source in declared_sources():
        if not source.is_findable:
            continue
        ids = engine.find_ids(session, source, query)
        if ids:
            found.append(Found(source, ids))
    return found


def search(session: Session, *, actor: Actor, query: SubjectQuery) -> list[Found]:
    """What is held about a subject, for the data-protection officer (nothing recorded)."""
    permissions.require(actor, PRIVACY_MANAGE)
    return find(session, query)


def _document(session: Session, query: SubjectQuery, found: list[Found]) -> dict[str, Any]:
    return {
        "title": {"id": "Salinan data pribadi", "en": "Copy of personal data"},
        "controller": CONTROLLER,
        "law": "UU 27/2022 Pasal 7 dan 13",
        "generated_at": utcnow().astimezone(WIB).isoformat(),
        "subject": {"lookup": query.lookup.value, "value": query.value},
        "sources": [
            {
                "source": item.source.name,
                "table": item.source.table_name,
                "label": {"id": item.source.label[0], "en": item.source.label[1]},
                "subject": dict(
                    zip(("id", "en"), SUBJECT_LABELS[item.source.subject], strict=True)
                ),
                "purpose": {"id": item.source.purpose[0], "en": item.source.purpose[1]},
                "basis": dict(zip(("id", "en"), BASIS_LABELS[item.source.basis], strict=True)),
                "retention": {
                    "id": item.source.retention_rule[0],
                    "en": item.source.retention_rule[1],
                },
                "records": engine.export_rows(session, item.source, item.ids),
            }
            for item in found
        ],
    }


def _record(
    session: Session,
    *,
    actor: Actor,
    kind: RequestKind,
    query: SubjectQuery,
    channel: Channel,
    found: list[Found],
    fields_erased: int = 0,
) -> PrivacyRequest:
    now = utcnow()
    request = PrivacyRequest(
        kind=kind,
        lookup=query.lookup,
        subject_index=crypto.blind_index(query.normalised),
        channel=channel,
        requested_by=actor.label,
        requested_at=now,
        handled_at=now,
        outcome=Outcome.DONE if found else Outcome.NOTHING_FOUND,
        records=sum(len(item.ids) for item in found),
        fields_erased=fields_erased,
        sources=" ".join(item.source.name for item in found),
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"privacy.{kind.value}",
        object_type="privacy_request",
        object_id=str(request.id),
        after={
            "lookup": query.lookup.value,
            "channel": channel.value,
            "records": request.records,
            "fields_erased": fields_erased,
            "sources": request.sources,
        },
    )
    return request


def export(
    session: Session, *, actor: Actor, query: SubjectQuery, channel: Channel
) -> tuple[PrivacyRequest, dict[str, Any]]:
    """A copy of everything held about the subject, recorded as a request."""
    permissions.require(actor, PRIVACY_MANAGE)
    return _export(session, actor=actor, query=query, channel=channel)


def _export(
    session: Session, *, actor: Actor, query: SubjectQuery, channel: Channel
) -> tuple[PrivacyRequest, dict[str, Any]]:
    found = find(session, query)
    document = _document(session, query, found)
    request = _record(
        session, actor=actor, kind=RequestKind.EXPORT, query=query, channel=channel, found=found
    )
    document["request_id"] = request.id
    session.commit()
    return request, document


def erase(
    session: Session,
    *,
    actor: Actor,
    query: SubjectQuery,
    channel: Channel,
    media: MediaStore | None,
) -> Erasure:
    """Erase the subject's personal data in every source, recorded as a request."""
    permissions.require(actor, PRIVACY_MANAGE)
    return _erase(session, actor=actor, query=query, channel=channel, media=media)


def _erase(
    session: Session,
    *,
    actor: Actor,
    query: SubjectQuery,
    channel: Channel,
    media: MediaStore | None,
) -> Erasure:
    found = find(session, query)
    context = EraseContext(session=session, media=media)
    erased = sum(engine.erase_rows(context, item.source, item.ids) for item in found)
    request = _record(
        session,
        actor=actor,
        kind=RequestKind.ERASE,
        query=query,
        channel=channel,
        found=found,
        fields_erased=erased,
    )
    session.commit()
    context.delete_files()
    return Erasure(request, found, erased)


def check_reporter(tracking_number: str, token: str) -> SubjectQuery:
    """The reporter's own report as a subject query; ``NotFound`` unless the private link's
    token belongs to the tracking number (the same answer as for an unknown report)."""
    from pontive.complaints import service as complaints  # another domain, via its service

    tracking = tracking_number.strip().upper()
    if not token or not complaints.check_access_token(tracking, token):
        raise NotFound
    return SubjectQuery(Lookup.TRACKING, tracking)


def export_own_report(
    session: Session, *, actor: Actor, tracking_number: str, token: str
) -> dict[str, Any]:
    """The reporter's copy of what is held through one report (its private link proves it)."""
    query = check_reporter(tracking_number, token)
    return _export(session, actor=actor, query=query, channel=Channel.SELF_SERVICE)[1]


def erase_own_report(
    session: Session, *, actor: Actor, tracking_number: str, token: str, media: MediaStore | None
) -> Erasure:
    """The reporter erases their personal data held through one report."""
    query = check_reporter(tracking_number, token)
    return _erase(session, actor=actor, query=query, channel=Channel.SELF_SERVICE, media=media)


def list_requests(session: Session, *, actor: Actor, limit: int = 50) -> list[PrivacyRequest]:
    """The latest requests, newest first."""
    permissions.require(actor, PRIVACY_MANAGE)
    rows = session.scalars(select(PrivacyRequest).order_by(PrivacyRequest.id.desc()).limit(limit))
    return list(rows)


def to_json(document: dict[str, Any]) -> str:
    """The copy as pretty, UTF-8 JSON text."""
    return json.dumps(document, ensure_ascii=False, indent=2)
