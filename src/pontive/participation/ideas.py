"""Ideas in public: submitting one (idempotent, consent recorded, moderators told) and reading
the published ones with their numbers, without any personal data.

A submission is written through the registry store under the public-intake system actor, so
its history and audit trail start like any other row's; it waits for moderation
(``menunggu``) and shows nowhere public until a moderator publishes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import system_actor
from pontive.core.registry import get as get_registry
from pontive.participation import messages
from pontive.participation.choices import (
    OPEN_IDEA_STATUSES,
    PUBLIC_IDEA_STATUSES,
    CommentStatus,
    Dimension,
    IdeaStatus,
)
from pontive.participation.models import Comment, Idea
from pontive.participation.service import (
    BASE_URL,
    CONSOLE,
    check_private_token,
    read_contact,
    tell_moderators,
)
from pontive.reference import service as reference
from pontive.registry import store

# Who writes what the public sends (the history shows it as such).
PUBLIC_INTAKE = system_actor("partisipasi-publik")
ANONYMOUS_NAME = "Anonim"
PER_PAGE = 20
SORTS = ("dukungan", "terbaru")
# The registry's field names that the public form names otherwise.
_FORM_NAMES = {"author_contact": "contact", "author_name": "name", "display_name": "name"}


@dataclass(frozen=True, slots=True)
class IdeaSubmission:
    """What a citizen sends with a new idea."""

    title: str
    description: str
    dimensi_kode: str
    contact: str
    consent: bool
    kelurahan_kode: str = ""
    name: str = ""
    show_name: bool = False
    idempotency_key: str = ""


def _check(data: IdeaSubmission, lang: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not 5 <= len(data.title.strip()) <= 200:
        problems |= messages.errors("title", lang)
    if not 20 <= len(data.description.strip()) <= 20000:
        problems |= messages.errors("description", lang)
    if data.dimensi_kode not in Dimension._value2member_map_:
        problems |= messages.errors("dimension", lang, "dimensi_kode")
    if len(data.name.strip()) > 120:
        problems |= messages.errors("name", lang)
    if read_contact(data.contact) is None:
        problems |= messages.errors("contact", lang)
    if not data.consent:
        problems |= messages.errors("consent", lang)
    return problems


def submit_idea(
    session: Session, *, data: IdeaSubmission, lang: str = "id", via: str = "form"
) -> tuple[Idea, bool]:
    """File a new idea for moderation; ``(idea, is_new)`` (a retried submission with the
    same idempotency key returns the first one)."""
    problems = _check(data, lang)
    if problems:
        raise InvalidInput(*messages.both("invalid"), errors=problems)
    key = data.idempotency_key.strip()[:100]
    if key:
        earlier = session.scalar(select(Idea).where(Idea.idempotency_key == key))
        if earlier is not None:
            return earlier, False
    name = " ".join(data.name.split())
    values = {
        "title": " ".join(data.title.split()),
        "description": data.description.strip(),
        "dimensi_kode": data.dimensi_kode,
        "kelurahan_kode": data.kelurahan_kode,
        "status": IdeaStatus.MENUNGGU.value,
        "display_name": name if data.show_name and name else ANONYMOUS_NAME,
        "author_name": name,
        "author_contact": data.contact.strip(),
    }
    try:
        idea: Idea = store.save_row(
            session, get_registry("participation.ideas"), PUBLIC_INTAKE, values, via=via, lang=lang
        )
    except InvalidInput as invalid:
        invalid.errors = {_FORM_NAMES.get(k, k): v for k, v in invalid.errors.items()}
        raise
    idea.idempotency_key = key or None
    tell_moderators(
        session,
        f"Gagasan baru menunggu moderasi: {idea.title[:80]}",
        f"{idea.title}\n\n{idea.description[:300]}\n\n{BASE_URL}{CONSOLE}/gagasan/{idea.id}",
    )
    session.commit()
    return idea, True


def list_public(
    session: Session,
    *,
    dimension: str = "",
    status: str = "",
    sort: str = "terbaru",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> tuple[list[Idea], int]:
    """A page of published ideas (merged ones only when asked for) and how many there are."""
    query = select(Idea)
    if status in {s.value for s in PUBLIC_IDEA_STATUSES}:
        query = query.where(Idea.status == IdeaStatus(status))
    else:
        query = query.where(Idea.status.in_(OPEN_IDEA_STATUSES))
    if dimension in Dimension._value2member_map_:
        query = query.where(Idea.dimensi_kode == Dimension(dimension))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    newest = (Idea.published_at.desc(), Idea.id.desc())
    if sort == "dukungan":
        query = query.order_by(Idea.supports_count.desc(), *newest)
    else:
        query = query.order_by(*newest)
    page = max(1, page)
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page))
    return list(rows), total


def comment_counts(session: Session, ideas: list[Idea]) -> dict[int, int]:
    """Shown comments per idea (one query for a whole list)."""
    if not ideas:
        return {}
    rows = session.execute(
        select(Comment.idea_id, func.count())
        .where(Comment.idea_id.in_([i.id for i in ideas]), Comment.status == CommentStatus.TAMPIL)
        .group_by(Comment.idea_id)
    )
    return {idea_id: count for idea_id, count in rows}


def get_for_reader(session: Session, idea_id: int, token: str | None = None) -> tuple[Idea, bool]:
    """An idea for its page: ``(idea, is_author)``; unpublished ideas only through the
    author's private link."""
    idea = session.get(Idea, idea_id)
    if idea is None:
        raise NotFound("Gagasan tidak ditemukan.", "Idea not found.")
    is_author = bool(token) and check_private_token("idea", idea.id, token)
    if idea.status not in PUBLIC_IDEA_STATUSES and not is_author:
        raise NotFound("Gagasan tidak ditemukan.", "Idea not found.")
    return idea, is_author


def get_public(session: Session, idea_id: int) -> Idea:
    """A published idea (``NotFound`` otherwise)."""
    idea, _ = get_for_reader(session, idea_id)
    return idea


def public_comments(session: Session, idea: Idea) -> list[Comment]:
    """The comments shown on an idea's page, oldest first."""
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.idea_id == idea.id, Comment.status == CommentStatus.TAMPIL)
            .order_by(Comment.created_at, Comment.id)
        )
    )


def kelurahan_names(session: Session) -> dict[str, str]:
    """Kelurahan code -> name (cached reference list)."""
    return {
        kel.kode: kel.nama_umum
        for kec in reference.list_kecamatan(session=session)
        for kel in kec.kelurahan
    }


def public_view(
    idea: Idea,
    lang: str,
    *,
    kelurahan: dict[str, str],
    programme: Any = None,
    comments: int = 0,
) -> dict[str, Any]:
    """An idea as the public sees it (pages and the API): no author's name unless they
    chose to show it, never a contact, a reason of refusal or a moderator's name."""
    return {
        "id": idea.id,
        "url": f"/gagasan/{idea.id}",
        "title": idea.title,
        "description": idea.description,
        "dimension": idea.dimensi_kode.value,
        "dimension_label": idea.dimensi_kode.label(lang),
        "kelurahan_kode": idea.kelurahan_kode,
        "kelurahan": kelurahan.get(idea.kelurahan_kode or ""),
        "display_name": idea.display_name,
        "status": idea.status.value,
        "status_label": idea.status.label(lang),
        "answer": idea.answer,
        "answered_at": idea.answered_at.isoformat() if idea.answered_at else None,
        "programme": {"code": programme.code, "name": programme.name, "url": programme.url}
        if programme is not None
        else None,
        "merged_into": f"/gagasan/{idea.merged_into_id}"
        if idea.status is IdeaStatus.DIGABUNG and idea.merged_into_id
        else None,
        "supports": idea.supports_count,
        "comments": comments,
        "published_at": idea.published_at.isoformat() if idea.published_at else None,
    }
