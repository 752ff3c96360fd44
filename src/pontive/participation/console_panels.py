"""The moderation panels on the console pages of an idea, an adoption and a volunteer's report
(``Panel``s of the registries): what the panel's template needs. The panels' forms post to
this domain's own routes (``pages_console.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.participation import links
from pontive.participation.choices import (
    PUBLIC_IDEA_STATUSES,
    AdoptionStatus,
    Condition,
    IdeaStatus,
)
from pontive.participation.models import Adoption, AdoptionReport, Comment, Idea
from pontive.participation.service import MODERATE, MODERATION, private_token


def idea_panel(session: Session, actor: Actor, idea: Idea) -> Mapping[str, Any]:
    """Moderation of an idea: publish, reject, answer, link, merge; its comments."""
    comments = session.scalars(
        select(Comment).where(Comment.idea_id == idea.id).order_by(Comment.created_at)
    ).all()
    targets = session.scalars(
        select(Idea)
        .where(
            Idea.id != idea.id,
            Idea.status.in_(PUBLIC_IDEA_STATUSES - {IdeaStatus.DIGABUNG}),
        )
        .order_by(Idea.title)
    ).all()
    return {
        "idea": idea,
        "can_moderate": permissions.can(actor, MODERATE),
        "actions": f"{MODERATION}/gagasan/{idea.id}",
        "is_public": idea.status in PUBLIC_IDEA_STATUSES,
        "public_url": f"/gagasan/{idea.id}",
        "programme": links.programme_link(session, idea.programme_code),
        "programmes": sorted(links.programme_links(session).values(), key=lambda p: p.code),
        "targets": [(t.id, t.title) for t in targets],
        "comments": comments,
        "statuses": IdeaStatus,
    }


def adoption_panel(session: Session, actor: Actor, adoption: Adoption) -> Mapping[str, Any]:
    """The decision on an adoption, and the volunteer's private link once approved."""
    latest = session.scalars(
        select(AdoptionReport)
        .where(AdoptionReport.adoption_id == adoption.id)
        .order_by(AdoptionReport.reported_on.desc(), AdoptionReport.id.desc())
        .limit(1)
    ).first()
    can_moderate = permissions.can(actor, MODERATE)
    approved = adoption.status is AdoptionStatus.DISETUJUI
    token = private_token("adoption", adoption.id)
    return {
        "adoption": adoption,
        "can_moderate": can_moderate,
        "actions": f"{MODERATION}/adopsi/{adoption.id}",
        "private_url": f"/adopsi-fasilitas/{adoption.id}?k={token}"
        if approved and can_moderate
        else None,
        "latest": latest,
        "statuses": AdoptionStatus,
    }


def report_panel(session: Session, actor: Actor, report: AdoptionReport) -> Mapping[str, Any]:
    """A report's photo, and the complaint form when the facility is damaged."""
    adoption = session.get(Adoption, report.adoption_id)
    damaged = report.condition is Condition.RUSAK and adoption is not None
    return {
        "report": report,
        "photo_url": f"{MODERATION}/foto/{report.id}" if report.photo_key else None,
        "complaint_url": links.complaint_url(adoption.kind) if damaged and adoption else None,
    }
