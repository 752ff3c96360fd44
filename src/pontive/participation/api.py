"""The participation API (``/api/v1/participation``) besides the registries' generic ones
(``/ideas``, ``/comments``, ``/adoptions``, ``/adoption-reports``): published ideas for
anyone, submitting an idea, and supporting or commenting with a code sent to the person's
e-mail or phone. Anonymous callers and citizens share the pages' per-address quotas.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from sqlalchemy.orm import Session

from pontive.core.errors import NotFound
from pontive.core.identity import Actor, ActorKind
from pontive.core.roles import Role
from pontive.participation import adoption as care
from pontive.participation import ideas, links, verification
from pontive.participation.models import Idea
from pontive.participation.pages_support import check_quota
from pontive.participation.schemas import (
    AdoptionPublic,
    CodeConfirm,
    CodeRequest,
    CodeSent,
    CommentPublic,
    Confirmed,
    IdeaCreate,
    IdeaDetail,
    IdeaPage,
    IdeaPublic,
    IdeaReceipt,
)
from pontive.participation.service import private_token
from pontive.web.deps import CurrentActor, DbSession, Lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/participation", tags=["participation"])


def _limit(request: Request, actor: Actor, name: str) -> None:
    # Staff and API keys (revocable) are not limited; anonymous people and citizens are.
    if actor.kind is ActorKind.ANONYMOUS or (
        actor.kind is ActorKind.USER and actor.role in (None, Role.WARGA)
    ):
        check_quota(request, name)


def _public(session: Session, idea: Idea, lang: str, comments: int) -> IdeaPublic:
    view = ideas.public_view(
        idea,
        lang,
        kelurahan=ideas.kelurahan_names(session),
        programme=links.programme_link(session, idea.programme_code),
        comments=comments,
    )
    return IdeaPublic.model_validate(view)


@router.get("/gagasan", response_model=IdeaPage)
def list_ideas(
    session: DbSession,
    lang: Lang,
    dimensi: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    urut: Annotated[str, Query(pattern="^(dukungan|terbaru)$")] = "terbaru",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> IdeaPage:
    """Published ideas (``status`` one of terbit, dijawab, diwujudkan, digabung)."""
    found, total = ideas.list_public(
        session, dimension=dimensi, status=status, sort=urut, page=page
    )
    counts = ideas.comment_counts(session, found)
    names = ideas.kelurahan_names(session)
    programmes = links.programme_links(session)
    results = [
        IdeaPublic.model_validate(
            ideas.public_view(
                idea,
                lang,
                kelurahan=names,
                programme=programmes.get(idea.programme_code or "")
                or links.programme_link(session, idea.programme_code),
                comments=counts.get(idea.id, 0),
            )
        )
        for idea in found
    ]
    return IdeaPage(count=total, page=page, per_page=ideas.PER_PAGE, results=results)


@router.get("/gagasan/{idea_id}", response_model=IdeaDetail)
def read_idea(idea_id: int, session: DbSession, lang: Lang) -> IdeaDetail:
    """One published idea with its shown comments."""
    idea = ideas.get_public(session, idea_id)
    comments = ideas.public_comments(session, idea)
    public = _public(session, idea, lang, len(comments))
    shown = [
        CommentPublic(display_name=c.display_name, body=c.body, created_at=c.created_at.isoformat())
        for c in comments
    ]
    return IdeaDetail(**public.model_dump(), comment_list=shown)


@router.post("/gagasan", response_model=IdeaReceipt, status_code=201)
def create_idea(
    body: IdeaCreate, request: Request, session: DbSession, actor: CurrentActor, lang: Lang
) -> IdeaReceipt:
    """Submit an idea for moderation; a retried call with the same ``idempotency_key``
    returns the same idea."""
    _limit(request, actor, "ideas")
    data = ideas.IdeaSubmission(**body.model_dump())
    idea, is_new = ideas.submit_idea(session, data=data, lang=lang, via="api")
    return IdeaReceipt(
        id=idea.id,
        status=idea.status.value,
        private_url=f"/gagasan/{idea.id}?k={private_token('idea', idea.id)}",
        is_new=is_new,
    )


@router.post("/gagasan/{idea_id}/kode", response_model=CodeSent, status_code=202)
def request_code(
    idea_id: int,
    body: CodeRequest,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    lang: Lang,
) -> CodeSent:
    """Send a 6-digit code to the e-mail address or phone (valid 15 minutes)."""
    _limit(request, actor, "codes")
    idea = ideas.get_public(session, idea_id)
    draft = verification.CommentDraft(body.body, body.name) if body.purpose == "komentar" else None
    check = verification.request_code(
        session, idea=idea, contact=body.contact, purpose=body.purpose, draft=draft, lang=lang
    )
    return CodeSent(
        verification=check.token,
        masked_contact=check.masked_contact,
        expires_at=check.expires_at.isoformat(),
    )


@router.post("/gagasan/{idea_id}/konfirmasi", response_model=Confirmed)
def confirm_code(idea_id: int, body: CodeConfirm, session: DbSession, lang: Lang) -> Confirmed:
    """Confirm the code: records the support (or publishes the comment) it was asked for."""
    idea = ideas.get_public(session, idea_id)
    check = verification.get_pending(session, body.verification)
    if check.idea_id != idea.id:
        raise NotFound
    verification.confirm_code(session, token=check.token, code=body.code, lang=lang)
    verification.carry_out(session, check=check, lang=lang)
    outcome = "dukungan" if check.purpose == verification.SUPPORT else "komentar"
    return Confirmed(outcome=outcome, idea_id=idea.id, supports=idea.supports_count)


@router.get("/adopsi", response_model=list[AdoptionPublic])
def list_adoptions(session: DbSession, lang: Lang) -> list[AdoptionPublic]:
    """Facilities adopted by volunteers, under way (no volunteer's name or contact)."""
    adoptions = care.list_approved(session)
    latest = care.latest_conditions(session, adoptions)
    names = ideas.kelurahan_names(session)
    return [
        AdoptionPublic.model_validate(care.public_view(a, lang, names, latest.get(a.id)))
        for a in adoptions
    ]
