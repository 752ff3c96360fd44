"""The rules the registries enforce on every write (console form, bulk edit, API, CSV) and
what follows a write: a consistent state (a rejection has its reason, an answered idea its
answer, a realised idea its programme, a merged idea its target), and the author or volunteer
told once of each change."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from pontive.core.errors import NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import WIB, utcnow
from pontive.masterplan import service as masterplan
from pontive.participation import messages, notices
from pontive.participation.choices import (
    PUBLIC_IDEA_STATUSES,
    AdoptionStatus,
    CommentStatus,
    IdeaStatus,
)
from pontive.participation.models import Adoption, AdoptionReport, Comment, Idea, Support
from pontive.participation.service import contact_index, read_contact

Errors = dict[str, list[str]]


def _merged(
    values: Mapping[str, Any], row: Any, default: Mapping[str, Any]
) -> Callable[[str], Any]:
    """A field's value after the write: sent, else the row's, else the default."""

    def value(name: str) -> Any:
        if name in values:
            return values[name]
        return getattr(row, name) if row is not None else default.get(name)

    return value


def _check_contact(values: Mapping[str, Any], name: str, lang: str, errors: Errors) -> None:
    raw = values.get(name)
    if raw and read_contact(str(raw)) is None:
        errors.update(messages.errors("contact", lang, name))


def _check_programme(session: Session, code: str | None, lang: str, errors: Errors) -> None:
    if not code:
        return
    try:
        masterplan.get_programme(session, code)
    except NotFound:
        errors.update(messages.errors("programme", lang, "programme_code"))


def _check_merge(
    session: Session, target_id: int | None, row: Idea | None, lang: str, errors: Errors
) -> None:
    if target_id is None:
        return
    target = session.get(Idea, target_id)
    if (
        target is None
        or (row is not None and target.id == row.id)
        or target.status not in PUBLIC_IDEA_STATUSES
        or target.status is IdeaStatus.DIGABUNG
    ):
        errors.update(messages.errors("merge_target", lang, "merged_into_id"))


def validate_idea(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
    """An idea's state is consistent with what it carries."""
    value = _merged(values, row, {"status": IdeaStatus.MENUNGGU})
    errors: Errors = {}
    _check_contact(values, "author_contact", lang, errors)
    status = value("status")
    needed = {
        IdeaStatus.DITOLAK: ("rejection_reason", "reason"),
        IdeaStatus.DIJAWAB: ("answer", "answer"),
        IdeaStatus.DIWUJUDKAN: ("programme_code", "programme_needed"),
        IdeaStatus.DIGABUNG: ("merged_into_id", "merge_needed"),
    }
    if status in needed:
        name, key = needed[status]
        if value(name) in (None, ""):
            errors.update(messages.errors(key, lang, name))
    _check_programme(session, value("programme_code"), lang, errors)
    _check_merge(session, value("merged_into_id"), row, lang, errors)
    return errors


def _digest(text: str | None) -> str | None:
    return hashlib.sha256(text.encode()).hexdigest() if text else None


def recount_supports(session: Session, idea: Idea) -> int:
    """Store the idea's number of supports (from the supports themselves)."""
    count = session.scalar(select(func.count()).where(Support.idea_id == idea.id)) or 0
    idea.supports_count = count
    return count


def _move_supports(session: Session, idea: Idea, target: Idea) -> None:
    """A merged idea's supports go to its target, each person once, never its author."""
    already = select(Support.contact_index).where(Support.idea_id == target.id)
    movable = (
        (Support.idea_id == idea.id)
        & Support.contact_index.not_in(already)
        & (Support.contact_index != (target.author_index or ""))
    )
    session.execute(update(Support).where(movable).values(idea_id=target.id))
    session.execute(delete(Support).where(Support.idea_id == idea.id))
    recount_supports(session, idea)
    recount_supports(session, target)


def after_idea_saved(session: Session, actor: Actor, idea: Idea) -> None:
    """Keep the derived columns, move a merged idea's supports, tell the author once."""
    idea.author_index = contact_index(idea.author_contact)
    if idea.status in PUBLIC_IDEA_STATUSES and idea.published_at is None:
        idea.published_at = utcnow()
    digest = _digest(idea.answer)
    answered = digest != idea.answer_digest and digest is not None
    if digest != idea.answer_digest:
        idea.answer_digest = digest
        idea.answered_at = utcnow() if digest else None
        idea.answered_by = actor.label[:200] if digest else None
    status_changed = idea.notified_status != idea.status.value
    target = session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None
    if status_changed and idea.status is IdeaStatus.DIGABUNG and target is not None:
        _move_supports(session, idea, target)
    programme = None
    if status_changed and idea.status is IdeaStatus.DIWUJUDKAN and idea.programme_code:
        programme = masterplan.get_programme(session, idea.programme_code).name
    notices.tell_idea_author(
        session,
        idea,
        status_changed=status_changed,
        answered=answered,
        programme_name=programme,
        target=target,
    )
    idea.notified_status = idea.status.value
    session.flush()


def validate_comment(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
    """A hidden comment says why."""
    value = _merged(values, row, {"status": CommentStatus.TAMPIL})
    if value("status") is CommentStatus.DISEMBUNYIKAN and not value("hidden_reason"):
        return messages.errors("reason", lang, "hidden_reason")
    return {}


def validate_adoption(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
    """An approved adoption has its period; a refusal says why."""
    value = _merged(values, row, {"status": AdoptionStatus.DIAJUKAN})
    errors: Errors = {}
    _check_contact(values, "contact", lang, errors)
    starts, ends = value("starts_on"), value("ends_on")
    if starts and ends and ends < starts:
        errors.update(messages.errors("dates", lang, "ends_on"))
    status = value("status")
    if status is AdoptionStatus.DISETUJUI and not (starts and ends):
        errors.update(messages.errors("dates_needed", lang, "ends_on"))
    if status is AdoptionStatus.DITOLAK and not value("decision_note"):
        errors.update(messages.errors("reason", lang, "decision_note"))
    return errors


def after_adoption_saved(session: Session, actor: Actor, adoption: Adoption) -> None:
    """Tell the volunteer once of each new state."""
    if adoption.notified_status != adoption.status.value:
        notices.tell_volunteer(session, adoption)
        adoption.notified_status = adoption.status.value
        session.flush()


def today() -> date:
    """Today in the city (WIB)."""
    return utcnow().astimezone(WIB).date()


def validate_report(session: Session, values: Mapping[str, Any], row: Any, lang: str) -> Errors:
    """A report is about a day that has come."""
    reported = values.get("reported_on") or (
        row.reported_on if isinstance(row, AdoptionReport) else None
    )
    if reported is not None and reported > today():
        return messages.errors("future", lang, "reported_on")
    return {}


def comment_public_where() -> Any:
    """Comments shown on the public page: not hidden, on a public idea."""
    public_ideas = select(Idea.id).where(Idea.status.in_(PUBLIC_IDEA_STATUSES))
    return (Comment.status == CommentStatus.TAMPIL) & Comment.idea_id.in_(public_ideas)
