"""Staff decisions on what citizens contribute: publish or reject an idea, answer it
publicly, link it to the programme that realised it, merge duplicates; hide or show a
comment; approve, refuse or end an adoption.

Each decision is a partial write through the registry store (permission, validation, change
history and audit come with it; the author or volunteer is told by the registries'
``after_save``) plus an audit event naming the decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from pontive.core import audit
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.registry import Registry
from pontive.core.registry import get as get_registry
from pontive.participation import messages
from pontive.participation.choices import AdoptionStatus, CommentStatus, IdeaStatus
from pontive.participation.hooks import today
from pontive.participation.models import Adoption, Comment, Idea
from pontive.registry import store

DEFAULT_ADOPTION_DAYS = 365
Row = TypeVar("Row", Idea, Comment, Adoption)
_REGISTRY: dict[type[Any], str] = {
    Idea: "participation.ideas",
    Comment: "participation.comments",
    Adoption: "participation.adoptions",
}


def _decide(
    session: Session,
    model: type[Row],
    actor: Actor,
    row_id: int,
    decision: str,
    values: Mapping[str, Any],
    lang: str,
) -> Row:
    registry_name = _REGISTRY[model]
    registry: Registry = get_registry(registry_name)
    row = session.get(model, row_id)
    if row is None:
        raise NotFound
    store.save_row(session, registry, actor, values, row=row, partial=True, lang=lang)
    audit.record(
        session,
        actor=actor,
        action=f"{registry_name}.{decision}",
        object_type=registry_name,
        object_id=row_id,
        after={k: str(v) for k, v in values.items()},
    )
    session.commit()
    return row


def _need(text: str, key: str, field: str, lang: str) -> str:
    if not text.strip():
        raise InvalidInput(*messages.both(key), errors=messages.errors(key, lang, field))
    return text.strip()


def publish_idea(session: Session, *, actor: Actor, idea_id: int, lang: str = "id") -> Idea:
    """Publish an idea waiting for moderation (or a rejected one, on second thoughts)."""
    values = {"status": IdeaStatus.TERBIT.value}
    return _decide(session, Idea, actor, idea_id, "publish", values, lang)


def reject_idea(
    session: Session, *, actor: Actor, idea_id: int, reason: str, lang: str = "id"
) -> Idea:
    """Refuse an idea; the author is told the reason."""
    values = {
        "status": IdeaStatus.DITOLAK.value,
        "rejection_reason": _need(reason, "reason", "rejection_reason", lang),
    }
    return _decide(session, Idea, actor, idea_id, "reject", values, lang)


def answer_idea(
    session: Session, *, actor: Actor, idea_id: int, answer: str, lang: str = "id"
) -> Idea:
    """Answer an idea publicly (a realised or merged idea keeps its state)."""
    idea = session.get(Idea, idea_id)
    if idea is None:
        raise NotFound
    values: dict[str, Any] = {"answer": _need(answer, "answer", "answer", lang)}
    if idea.status in (IdeaStatus.MENUNGGU, IdeaStatus.TERBIT):
        values["status"] = IdeaStatus.DIJAWAB.value
    return _decide(session, Idea, actor, idea_id, "answer", values, lang)


def link_programme(
    session: Session,
    *,
    actor: Actor,
    idea_id: int,
    programme_code: str,
    answer: str = "",
    lang: str = "id",
) -> Idea:
    """Link an idea to the masterplan programme that realised it (state ``diwujudkan``)."""
    values: dict[str, Any] = {
        "status": IdeaStatus.DIWUJUDKAN.value,
        "programme_code": _need(programme_code, "programme_needed", "programme_code", lang),
    }
    if answer.strip():
        values["answer"] = answer.strip()
    return _decide(session, Idea, actor, idea_id, "link", values, lang)


def merge_idea(
    session: Session, *, actor: Actor, idea_id: int, target_id: int | None, lang: str = "id"
) -> Idea:
    """Merge a duplicate into another published idea; its supports move there."""
    if target_id is None:
        raise InvalidInput(
            *messages.both("merge_target"),
            errors=messages.errors("merge_target", lang, "merged_into_id"),
        )
    values = {"status": IdeaStatus.DIGABUNG.value, "merged_into_id": str(target_id)}
    return _decide(session, Idea, actor, idea_id, "merge", values, lang)


def hide_comment(
    session: Session, *, actor: Actor, comment_id: int, reason: str, lang: str = "id"
) -> Comment:
    """Hide a comment from the idea's page, saying why (kept for the record)."""
    values = {
        "status": CommentStatus.DISEMBUNYIKAN.value,
        "hidden_reason": _need(reason, "reason", "hidden_reason", lang),
    }
    return _decide(session, Comment, actor, comment_id, "hide", values, lang)


def show_comment(session: Session, *, actor: Actor, comment_id: int, lang: str = "id") -> Comment:
    """Show a hidden comment again."""
    values = {"status": CommentStatus.TAMPIL.value, "hidden_reason": ""}
    return _decide(session, Comment, actor, comment_id, "show", values, lang)


def approve_adoption(
    session: Session,
    *,
    actor: Actor,
    adoption_id: int,
    starts_on: date | None = None,
    ends_on: date | None = None,
    lang: str = "id",
) -> Adoption:
    """Approve an adoption for a period (a year from today unless given); the volunteer
    receives the private link for their reports."""
    starts = starts_on or today()
    ends = ends_on or starts + timedelta(days=DEFAULT_ADOPTION_DAYS)
    values = {
        "status": AdoptionStatus.DISETUJUI.value,
        "starts_on": starts.isoformat(),
        "ends_on": ends.isoformat(),
    }
    return _decide(session, Adoption, actor, adoption_id, "approve", values, lang)


def reject_adoption(
    session: Session, *, actor: Actor, adoption_id: int, note: str, lang: str = "id"
) -> Adoption:
    """Refuse an application, saying why."""
    values = {
        "status": AdoptionStatus.DITOLAK.value,
        "decision_note": _need(note, "reason", "decision_note", lang),
    }
    return _decide(session, Adoption, actor, adoption_id, "reject", values, lang)


def end_adoption(session: Session, *, actor: Actor, adoption_id: int, lang: str = "id") -> Adoption:
    """End an adoption now (the volunteer stopped, or the period is over)."""
    adoption = session.get(Adoption, adoption_id)
    if adoption is None:
        raise NotFound
    values: dict[str, Any] = {"status": AdoptionStatus.BERAKHIR.value}
    if adoption.ends_on is None or adoption.ends_on > today():
        values["ends_on"] = today().isoformat()
    return _decide(session, Adoption, actor, adoption_id, "end", values, lang)
