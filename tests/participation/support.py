"""Helpers of the participation tests: ideas filed and published through the services, the
messages queued to a person, the code a person received."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.complaints.models import Notification
from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role
from pontive.masterplan import service as masterplan
from pontive.masterplan.models import Programme
from pontive.participation import ideas, moderation
from pontive.participation.models import Idea

MODERATOR = Actor(ActorKind.USER, Role.OPERATOR, id=None, name="moderator")
AUTHOR = "penulis@contoh.id"
_CODE = re.compile(r"Kode verifikasi Pontive: (\d{6})")


def submit(session: Session, **changes: Any) -> Idea:
    """A new idea (awaiting moderation) filed as the public form would."""
    values: dict[str, Any] = {
        "title": "Sensor air di parit utama",
        "description": "Pasang sensor ketinggian air di parit utama agar warga tahu lebih awal.",
        "dimensi_kode": "living",
        "contact": AUTHOR,
        "consent": True,
        "name": "Hendra",
    }
    values.update(changes)
    idea, _ = ideas.submit_idea(session, data=ideas.IdeaSubmission(**values))
    return idea


def published(session: Session, **changes: Any) -> Idea:
    """A new idea, published by a moderator."""
    idea = submit(session, **changes)
    return moderation.publish_idea(session, actor=MODERATOR, idea_id=idea.id)


def messages_to(session: Session, recipient: str) -> list[Notification]:
    """Messages queued to ``recipient``, oldest first (recipients are sealed: no look-up)."""
    queued = session.scalars(select(Notification).order_by(Notification.id))
    return [message for message in queued if message.recipient == recipient]


def last_code(session: Session, recipient: str) -> str:
    """The newest verification code sent to ``recipient``."""
    for message in reversed(messages_to(session, recipient)):
        found = _CODE.search(message.subject)
        if found:
            return found.group(1)
    raise AssertionError(f"no code was sent to {recipient}")


def programme(session: Session, code: str = "LIV-03") -> Programme:
    """A masterplan programme (Smart Living, PUPR) to link ideas to."""
    tim = Actor(ActorKind.USER, Role.TIM_TEKNIS, id=None, name="timteknis")
    data = masterplan.ProgrammeInput(
        code=code,
        name="Drainase dan pengendalian banjir pasang",
        dimensi_kode="living",
        pd_kode="pupr",
        start_year=2023,
        end_year=2032,
    )
    return masterplan.save_programme(session, actor=tim, data=data)
