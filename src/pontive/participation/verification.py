"""One support per verified person, and comments from verified people.

A person proves they hold an e-mail address or phone number with a 6-digit code sent there
(kept only as a keyed hash, 15 minutes, 5 tries, at most 3 codes an hour per contact). What
the check unlocks (a support, a comment) is done once it passes; supports and comments keep
only the contact's blind index, so the same person supports an idea once and no contact is
ever stored with them. The author of an idea cannot support it.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pontive.complaints import service as complaints
from pontive.core import audit, crypto
from pontive.core.errors import InvalidInput, NotFound, RateLimited
from pontive.core.registry import get as get_registry
from pontive.core.timeutil import utcnow
from pontive.participation import messages
from pontive.participation.choices import OPEN_IDEA_STATUSES, CommentStatus
from pontive.participation.hooks import recount_supports
from pontive.participation.ideas import PUBLIC_INTAKE
from pontive.participation.models import Comment, Idea, Support, Verification
from pontive.participation.service import (
    CODE_ATTEMPTS,
    CODE_TTL,
    CODES_PER_CONTACT_PER_HOUR,
    COMMENTS_PER_CONTACT_PER_HOUR,
    require_contact,
)
from pontive.registry import store

SUPPORT = "dukung"
COMMENT = "komentar"
PURPOSES = (SUPPORT, COMMENT)
DEFAULT_COMMENTER = "Warga"
KEEP_CODES = timedelta(days=1)  # then even the hashes go (data minimisation)


@dataclass(frozen=True, slots=True)
class CommentDraft:
    """A comment waiting for its writer's check."""

    body: str
    display_name: str = ""


def _code_hash(token: str, code: str) -> str:
    return crypto.sign(f"{token}:{code}", purpose="participation.code")


def _check_open(idea: Idea) -> None:
    if idea.status not in OPEN_IDEA_STATUSES:
        raise messages.Refused("closed")


def _check_can_support(session: Session, idea: Idea, index: str) -> None:
    _check_open(idea)
    if idea.author_index and hmac.compare_digest(idea.author_index, index):
        raise messages.Refused("own_idea")
    exists = session.scalar(
        select(Support.id).where(Support.idea_id == idea.id, Support.contact_index == index)
    )
    if exists is not None:
        raise messages.Refused("supported")


def _check_draft(draft: CommentDraft | None, lang: str) -> CommentDraft:
    body = (draft.body if draft else "").strip()
    name = " ".join((draft.display_name if draft else "").split())
    problems: dict[str, list[str]] = {}
    if not 2 <= len(body) <= 2000:
        problems |= messages.errors("comment", lang, "body")
    if len(name) > 120:
        problems |= messages.errors("name", lang, "display_name")
    if problems:
        raise InvalidInput(*messages.both("invalid"), errors=problems)
    return CommentDraft(body, name or DEFAULT_COMMENTER)


def request_code(
    session: Session,
    *,
    idea: Idea,
    contact: str,
    purpose: str,
    draft: CommentDraft | None = None,
    lang: str = "id",
    now: datetime | None = None,
) -> Verification:
    """Send a code to ``contact`` for supporting (``dukung``) or commenting on (``komentar``)
    ``idea``; returns the pending check (its ``token`` goes in the code form)."""
    if purpose not in PURPOSES:
        raise NotFound
    now = now or utcnow()
    found = require_contact(contact, lang)
    index = found.index
    payload = "{}"
    if purpose == SUPPORT:
        _check_can_support(session, idea, index)
    else:
        _check_open(idea)
        checked = _check_draft(draft, lang)
        payload = json.dumps({"body": checked.body, "name": checked.display_name})
    recent = session.scalar(
        select(func.count()).where(
            Verification.contact_index == index, Verification.created_at >= now - timedelta(hours=1)
        )
    )
    if (recent or 0) >= CODES_PER_CONTACT_PER_HOUR:
        raise RateLimited(*messages.both("codes_per_hour"))
    code = f"{secrets.randbelow(1_000_000):06d}"
    token = secrets.token_urlsafe(24)
    check = Verification(
        token=token,
        contact_index=index,
        channel=found.channel,
        masked_contact=found.masked,
        code_hash=_code_hash(token, code),
        purpose=purpose,
        idea_id=idea.id,
        payload=payload,
        attempts=0,
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    session.add(check)
    action = ("mendukung", "support") if purpose == SUPPORT else ("mengomentari", "comment on")
    complaints.queue_message(
        session,
        channel=found.channel,
        recipient=found.address,
        subject=f"Kode verifikasi Pontive: {code}",
        body=messages.bilingual(
            f'Kode Anda {code} untuk {action[0]} gagasan "{idea.title[:80]}". Berlaku 15 '
            "menit. Abaikan pesan ini jika Anda tidak memintanya.",
            f"Your code {code} to {action[1]} the idea. Valid for 15 minutes. Ignore this "
            "message if you did not ask for it.",
        ),
    )
    session.commit()
    return check


def get_pending(session: Session, token: str) -> Verification:
    """A pending check by its token."""
    check = session.scalar(select(Verification).where(Verification.token == token[:64]))
    if check is None:
        raise NotFound("Permintaan kode tidak ditemukan.", "No such code request.")
    return check


def confirm_code(
    session: Session, *, token: str, code: str, lang: str = "id", now: datetime | None = None
) -> Verification:
    """Check a code; the right one marks the check verified (wrong ones count)."""
    now = now or utcnow()
    check = get_pending(session, token)
    if check.verified_at is not None:
        raise messages.Refused("code_used")
    if check.expires_at <= now:
        raise InvalidInput(
            *messages.both("code_expired"), errors=messages.errors("code_expired", lang, "code")
        )
    if check.attempts >= CODE_ATTEMPTS:
        raise InvalidInput(
            *messages.both("code_spent"), errors=messages.errors("code_spent", lang, "code")
        )
    typed = "".join(code.split())
    if not hmac.compare_digest(_code_hash(check.token, typed), check.code_hash):
        check.attempts += 1
        session.commit()
        left = CODE_ATTEMPTS - check.attempts
        key = "code_wrong" if left > 0 else "code_spent"
        raise InvalidInput(
            *messages.both(key, n=left), errors=messages.errors(key, lang, "code", n=left)
        )
    check.verified_at = now
    session.commit()
    return check


def carry_out(session: Session, *, check: Verification, lang: str = "id") -> Support | Comment:
    """Do what a verified check was asked for (once)."""
    idea = session.get(Idea, check.idea_id) if check.idea_id else None
    if idea is None:
        raise NotFound("Gagasan tidak ditemukan.", "Idea not found.")
    if check.purpose == SUPPORT:
        return add_support(session, idea=idea, contact_index=check.contact_index)
    draft = json.loads(check.payload or "{}")
    return add_comment(
        session,
        idea=idea,
        contact_index=check.contact_index,
        draft=CommentDraft(str(draft.get("body", "")), str(draft.get("name", ""))),
        lang=lang,
    )


def add_support(session: Session, *, idea: Idea, contact_index: str) -> Support:
    """Record one verified person's support (``Conflict`` for a second one or the author)."""
    _check_can_support(session, idea, contact_index)
    support = Support(idea_id=idea.id, contact_index=contact_index, created_at=utcnow())
    session.add(support)
    try:
        session.flush()
    except IntegrityError as error:  # the same person, twice at once
        session.rollback()
        raise messages.Refused("supported") from error
    count = recount_supports(session, idea)
    audit.record(
        session,
        actor=PUBLIC_INTAKE,
        action="participation.idea.supported",
        object_type="participation.ideas",
        object_id=idea.id,
        after={"supports": count},
    )
    session.commit()
    return support


def add_comment(
    session: Session, *, idea: Idea, contact_index: str, draft: CommentDraft, lang: str = "id"
) -> Comment:
    """Publish a verified person's comment (post-moderation: moderators may hide it)."""
    _check_open(idea)
    checked = _check_draft(draft, lang)
    since = utcnow() - timedelta(hours=1)
    recent = session.scalar(
        select(func.count()).where(
            Comment.contact_index == contact_index, Comment.created_at >= since
        )
    )
    if (recent or 0) >= COMMENTS_PER_CONTACT_PER_HOUR:
        raise RateLimited(*messages.both("comments_per_hour"))
    values = {
        "idea_id": str(idea.id),
        "body": checked.body,
        "display_name": checked.display_name,
        "status": CommentStatus.TAMPIL.value,
    }
    comment: Comment = store.save_row(
        session, get_registry("participation.comments"), PUBLIC_INTAKE, values, lang=lang
    )
    comment.contact_index = contact_index
    session.commit()
    return comment


def has_supported(session: Session, idea: Idea, contact_index: str | None) -> bool:
    """Whether this (verified) person already supports the idea."""
    if not contact_index:
        return False
    found = session.scalar(
        select(Support.id).where(Support.idea_id == idea.id, Support.contact_index == contact_index)
    )
    return found is not None


def purge_codes(session: Session, *, now: datetime | None = None) -> int:
    """Forget code requests older than a day; returns how many went."""
    cutoff = (now or utcnow()) - KEEP_CODES
    result = session.execute(delete(Verification).where(Verification.created_at < cutoff))
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
