"""Ideas and solutions in public (Perda 9/2022 Pasal 22c), phone first, without JavaScript:
the list of published ideas (``/gagasan``, by dimension and state, most supported or newest),
the submission form (``/gagasan/baru``) and an idea's page (``/gagasan/<id>``) with its
answer, the programme that realised it, its supports and comments. The author follows an
unpublished idea through the private link they received (``?k=``).
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import Query, Request
from starlette.responses import Response

from pontive.core.errors import InvalidInput
from pontive.participation import ideas, links, verification
from pontive.participation.choices import OPEN_IDEA_STATUSES, PUBLIC_IDEA_STATUSES, IdeaStatus
from pontive.participation.models import Idea
from pontive.participation.pages_support import (
    check_quota,
    no_store,
    redirect,
    text,
    verified_index,
)
from pontive.participation.service import IDEAS_PER_HOUR, private_token
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, DbSession, get_lang
from pontive.web.forms import FormBody
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

LIST = "/gagasan"
FLASHES = frozenset({"dukungan", "komentar", "supported", "own_idea", "closed", "code_used"})


def _dimensions(session: DbSession) -> list[Any]:
    return list(reference.list_dimensi(session=session))


@router.get(LIST)
def idea_list(
    request: Request,
    session: DbSession,
    dimensi: Annotated[str, Query(max_length=20)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    urut: Annotated[str, Query(max_length=20)] = "terbaru",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """Published ideas, filtered and sorted."""
    lang = get_lang(request)
    sort = urut if urut in ideas.SORTS else "terbaru"
    found, total = ideas.list_public(
        session, dimension=dimensi, status=status, sort=sort, page=page
    )
    counts = ideas.comment_counts(session, found)
    names = ideas.kelurahan_names(session)
    programmes = links.programme_links(session)
    items = [
        ideas.public_view(
            idea,
            lang,
            kelurahan=names,
            programme=programmes.get(idea.programme_code or ""),
            comments=counts.get(idea.id, 0),
        )
        for idea in found
    ]
    context = {
        "items": items,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // ideas.PER_PAGE)),
        "chosen": {"dimensi": dimensi, "status": status, "urut": sort},
        "dimensions": _dimensions(session),
        "statuses": [s for s in IdeaStatus if s in PUBLIC_IDEA_STATUSES],
    }
    return render(request, "participation/ideas_list.html", context)


def _blank() -> dict[str, Any]:
    return {"idempotency_key": secrets.token_urlsafe(18), "dimensi_kode": ""}


def _render_form(
    request: Request,
    session: DbSession,
    values: dict[str, Any],
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "values": values,
        "errors": errors or {},
        "dimensions": _dimensions(session),
        "kecamatan": reference.list_kecamatan(session=session),
        "limit": IDEAS_PER_HOUR,
    }
    response = render(request, "participation/idea_form.html", context, status_code=status_code)
    return no_store(response)


@router.get(f"{LIST}/baru")
def idea_form(
    request: Request,
    session: DbSession,
    dimensi: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The form for a new idea (a dimension may be chosen already)."""
    values = _blank() | {"dimensi_kode": dimensi}
    return _render_form(request, session, values)


@router.post(f"{LIST}/baru", dependencies=[CsrfChecked])
def submit_idea(request: Request, session: DbSession, form: FormBody) -> Response:
    """Receive an idea; field errors show the form again with everything typed kept."""
    lang = get_lang(request)
    check_quota(request, "ideas")
    values: dict[str, Any] = {
        name: text(form, name)
        for name in ("title", "description", "dimensi_kode", "kelurahan_kode", "name", "contact")
    }
    values |= {
        "show_name": text(form, "show_name") == "ya",
        "consent": text(form, "consent") == "ya",
        "idempotency_key": text(form, "idempotency_key", 100) or secrets.token_urlsafe(18),
    }
    data = ideas.IdeaSubmission(
        title=values["title"],
        description=values["description"],
        dimensi_kode=values["dimensi_kode"],
        kelurahan_kode=values["kelurahan_kode"],
        name=values["name"],
        show_name=values["show_name"],
        contact=values["contact"],
        consent=values["consent"],
        idempotency_key=values["idempotency_key"],
    )
    try:
        idea, _ = ideas.submit_idea(session, data=data, lang=lang)
    except InvalidInput as invalid:
        session.rollback()
        return _render_form(request, session, values, invalid.errors, 422)
    return redirect(f"{LIST}/{idea.id}", lang, k=private_token("idea", idea.id), baru="1")


def render_idea(
    request: Request,
    session: DbSession,
    idea: Idea,
    *,
    is_author: bool,
    errors: dict[str, list[str]] | None = None,
    typed: dict[str, str] | None = None,
    flash: str = "",
    status_code: int = 200,
) -> Response:
    """An idea's page (also shown again with the errors of a support or comment form)."""
    lang = get_lang(request)
    programme = links.programme_link(session, idea.programme_code)
    comments = ideas.public_comments(session, idea)
    view = ideas.public_view(
        idea,
        lang,
        kelurahan=ideas.kelurahan_names(session),
        programme=programme,
        comments=len(comments),
    )
    index = verified_index(request)
    target = session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None
    context = {
        "idea": view,
        "is_public": idea.status in PUBLIC_IDEA_STATUSES,
        "is_open": idea.status in OPEN_IDEA_STATUSES,
        "is_author": is_author,
        "is_new": request.query_params.get("baru") == "1" and is_author,
        "rejection_reason": idea.rejection_reason if is_author else None,
        "comments": comments,
        "verified": index is not None,
        "has_supported": verification.has_supported(session, idea, index),
        "own_idea": bool(index) and index == idea.author_index,
        "merged_target": target,
        "errors": errors or {},
        "typed": typed or {},
        "flash": flash or _flash(request),
        "answered_at": idea.answered_at,
        "published_at": idea.published_at or idea.created_at,
    }
    response = render(request, "participation/idea_page.html", context, status_code=status_code)
    return no_store(response)


def _flash(request: Request) -> str:
    asked = request.query_params.get("ok", "")
    return asked if asked in FLASHES else ""


@router.get(LIST + "/{idea_id:int}")
def idea_page(request: Request, session: DbSession, idea_id: int, k: str | None = None) -> Response:
    """One idea; unpublished ones only through the author's private link."""
    idea, is_author = ideas.get_for_reader(session, idea_id, k)
    return render_idea(request, session, idea, is_author=is_author)
