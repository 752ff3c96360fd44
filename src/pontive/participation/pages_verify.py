"""Supporting and commenting on an idea, with the person's contact verified by a code.

``POST /gagasan/<id>/dukung`` and ``/komentar``: a browser that proved a contact recently
(the ``pontive_warga`` cookie) acts at once; otherwise a code goes to the e-mail address or
phone given and the code page (``/gagasan/<id>/verifikasi?v=``) takes it, then does what was
asked and remembers the person for two hours.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import Response

from pontive.core.errors import InvalidInput, NotFound
from pontive.participation import ideas, verification
from pontive.participation.messages import Refused
from pontive.participation.models import Idea, Verification
from pontive.participation.pages_ideas import LIST, render_idea
from pontive.participation.pages_support import (
    check_quota,
    no_store,
    redirect,
    remember_verified,
    text,
    verified_index,
)
from pontive.participation.service import CODE_ATTEMPTS
from pontive.web.deps import CsrfChecked, DbSession, get_lang
from pontive.web.forms import FormBody
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)


def _done(lang: str, idea: Idea, what: str) -> Response:
    anchor = "dukung" if what in ("dukungan", "supported", "own_idea") else "komentar"
    return redirect(f"{LIST}/{idea.id}", lang, anchor, ok=what)


def _ask_code(
    request: Request,
    session: DbSession,
    idea: Idea,
    purpose: str,
    typed: dict[str, str],
    draft: verification.CommentDraft | None = None,
) -> Response:
    lang = get_lang(request)
    check_quota(request, "codes")
    try:
        check = verification.request_code(
            session,
            idea=idea,
            contact=typed.get("contact", ""),
            purpose=purpose,
            draft=draft,
            lang=lang,
        )
    except InvalidInput as invalid:
        session.rollback()
        errors = {f"{purpose}_{k}": v for k, v in invalid.errors.items()}
        return render_idea(
            request, session, idea, is_author=False, errors=errors, typed=typed, status_code=422
        )
    except Refused as refused:
        session.rollback()
        return render_idea(
            request, session, idea, is_author=False, flash=refused.key, typed=typed, status_code=409
        )
    return redirect(f"{LIST}/{idea.id}/verifikasi", lang, v=check.token)


@router.post(LIST + "/{idea_id:int}/dukung", dependencies=[CsrfChecked])
def support(request: Request, session: DbSession, idea_id: int, form: FormBody) -> Response:
    """Support an idea: at once for a verified browser, else after a code."""
    idea = ideas.get_public(session, idea_id)
    index = verified_index(request)
    if index is None:
        return _ask_code(
            request, session, idea, verification.SUPPORT, {"contact": text(form, "contact", 200)}
        )
    try:
        verification.add_support(session, idea=idea, contact_index=index)
    except Refused as refused:
        session.rollback()
        return _done(get_lang(request), idea, refused.key)
    return _done(get_lang(request), idea, "dukungan")


@router.post(LIST + "/{idea_id:int}/komentar", dependencies=[CsrfChecked])
def comment(request: Request, session: DbSession, idea_id: int, form: FormBody) -> Response:
    """Comment on an idea: at once for a verified browser, else after a code."""
    lang = get_lang(request)
    idea = ideas.get_public(session, idea_id)
    check_quota(request, "comments")
    typed = {
        "contact": text(form, "contact", 200),
        "body": text(form, "body", 2100),
        "name": text(form, "name", 200),
    }
    draft = verification.CommentDraft(typed["body"], typed["name"])
    index = verified_index(request)
    if index is None:
        return _ask_code(request, session, idea, verification.COMMENT, typed, draft)
    try:
        verification.add_comment(session, idea=idea, contact_index=index, draft=draft, lang=lang)
    except InvalidInput as invalid:
        session.rollback()
        errors = {f"komentar_{k}": v for k, v in invalid.errors.items()}
        return render_idea(
            request, session, idea, is_author=False, errors=errors, typed=typed, status_code=422
        )
    except Refused as refused:
        session.rollback()
        return _done(lang, idea, refused.key)
    return _done(lang, idea, "komentar")


def _render_code_page(
    request: Request,
    idea: Idea,
    check: Verification,
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "idea": idea,
        "check": check,
        "errors": errors or {},
        "attempts_left": max(0, CODE_ATTEMPTS - check.attempts),
        "is_support": check.purpose == verification.SUPPORT,
    }
    response = render(request, "participation/verify_code.html", context, status_code=status_code)
    return no_store(response)


def _pending(session: DbSession, idea_id: int, token: str) -> tuple[Idea, Verification]:
    check = verification.get_pending(session, token)
    idea = ideas.get_public(session, idea_id)
    if check.idea_id != idea.id:
        raise NotFound
    return idea, check


@router.get(LIST + "/{idea_id:int}/verifikasi")
def code_page(
    request: Request, session: DbSession, idea_id: int, v: Annotated[str, Query(max_length=64)]
) -> Response:
    """Where the code sent to the person is typed."""
    idea, check = _pending(session, idea_id, v)
    return _render_code_page(request, idea, check)


@router.post(LIST + "/{idea_id:int}/verifikasi", dependencies=[CsrfChecked])
def confirm(request: Request, session: DbSession, idea_id: int, form: FormBody) -> Response:
    """Check the code; the right one does what was asked and remembers the person."""
    lang = get_lang(request)
    idea, check = _pending(session, idea_id, text(form, "v", 64))
    try:
        verification.confirm_code(
            session, token=check.token, code=text(form, "code", 20), lang=lang
        )
    except InvalidInput as invalid:
        session.rollback()
        session.refresh(check)
        return _render_code_page(request, idea, check, invalid.errors, 422)
    except Refused as refused:
        session.rollback()
        return _done(lang, idea, refused.key)
    outcome = "dukungan" if check.purpose == verification.SUPPORT else "komentar"
    try:
        verification.carry_out(session, check=check, lang=lang)
    except Refused as refused:
        session.rollback()
        outcome = refused.key
    response = _done(lang, idea, outcome)
    remember_verified(request, response, check.contact_index)
    return response
