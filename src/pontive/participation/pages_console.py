"""The moderation panels' actions (``/console/partisipasi/moderasi/...``): each posts one
decision, which the service checks (moderators only) and records, then returns to the row's
console page with a confirmation (``?ok=``) or the field that was wrong (``?err=``).
Also the photos of volunteers' reports, for staff.
"""

from __future__ import annotations

from datetime import date

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from pontive.core import permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.participation import adoption as care
from pontive.participation import moderation
from pontive.participation.models import Comment
from pontive.participation.pages_adoption import photo_response
from pontive.participation.pages_support import text
from pontive.participation.service import CONSOLE, MODERATION, VIEW
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.forms import FormBody
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)

IDEAS = f"{CONSOLE}/gagasan"
ADOPTIONS = f"{CONSOLE}/adopsi"
IDEA_DECISIONS = frozenset({"terbitkan", "tolak", "jawab", "tautkan", "gabungkan"})
COMMENT_DECISIONS = frozenset({"sembunyikan", "tampilkan"})
ADOPTION_DECISIONS = frozenset({"setujui", "tolak", "akhiri"})


def _back(path: str, *, ok: str = "", err: str = "") -> RedirectResponse:
    query = f"?ok={ok}" if ok else f"?err={err}"
    return RedirectResponse(f"{path}{query}#moderasi", status_code=303)


def _date(raw: str, field: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError as error:
        raise InvalidInput(errors={field: ["-"]}) from error


def _target(form: FormData) -> int | None:
    raw = text(form, "target", 12)
    return int(raw) if raw.isdigit() else None


def _decide_idea(
    session: Session, actor: Actor, idea_id: int, decision: str, form: FormData, lang: str
) -> None:
    if decision == "terbitkan":
        moderation.publish_idea(session, actor=actor, idea_id=idea_id, lang=lang)
    elif decision == "tolak":
        moderation.reject_idea(
            session, actor=actor, idea_id=idea_id, reason=text(form, "reason"), lang=lang
        )
    elif decision == "jawab":
        moderation.answer_idea(
            session, actor=actor, idea_id=idea_id, answer=text(form, "answer"), lang=lang
        )
    elif decision == "tautkan":
        moderation.link_programme(
            session,
            actor=actor,
            idea_id=idea_id,
            programme_code=text(form, "programme_code", 40),
            answer=text(form, "answer"),
            lang=lang,
        )
    else:
        moderation.merge_idea(
            session, actor=actor, idea_id=idea_id, target_id=_target(form), lang=lang
        )


@router.post(MODERATION + "/gagasan/{idea_id:int}/{decision}", dependencies=[CsrfChecked])
def decide_idea(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    idea_id: int,
    decision: str,
    form: FormBody,
) -> Response:
    """Publish, reject, answer, link to a programme or merge an idea."""
    if decision not in IDEA_DECISIONS:
        raise NotFound
    path = f"{IDEAS}/{idea_id}"
    try:
        _decide_idea(session, actor, idea_id, decision, form, get_lang(request))
    except InvalidInput as invalid:
        session.rollback()
        return _back(path, err=next(iter(invalid.errors), "form"))
    return _back(path, ok=decision)


@router.post(MODERATION + "/komentar/{comment_id:int}/{decision}", dependencies=[CsrfChecked])
def decide_comment(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    comment_id: int,
    decision: str,
    form: FormBody,
) -> Response:
    """Hide a comment (with the reason) or show it again; back to its idea."""
    comment = session.get(Comment, comment_id)
    if comment is None or decision not in COMMENT_DECISIONS:
        raise NotFound
    path, lang = f"{IDEAS}/{comment.idea_id}", get_lang(request)
    try:
        if decision == "sembunyikan":
            moderation.hide_comment(
                session, actor=actor, comment_id=comment_id, reason=text(form, "reason"), lang=lang
            )
        else:
            moderation.show_comment(session, actor=actor, comment_id=comment_id, lang=lang)
    except InvalidInput as invalid:
        session.rollback()
        return _back(path, err=next(iter(invalid.errors), "form"))
    return _back(path, ok=decision)


def _decide_adoption(
    session: Session, actor: Actor, adoption_id: int, decision: str, form: FormData, lang: str
) -> None:
    if decision == "setujui":
        moderation.approve_adoption(
            session,
            actor=actor,
            adoption_id=adoption_id,
            starts_on=_date(text(form, "starts_on", 10), "starts_on"),
            ends_on=_date(text(form, "ends_on", 10), "ends_on"),
            lang=lang,
        )
    elif decision == "tolak":
        moderation.reject_adoption(
            session, actor=actor, adoption_id=adoption_id, note=text(form, "note"), lang=lang
        )
    else:
        moderation.end_adoption(session, actor=actor, adoption_id=adoption_id, lang=lang)


@router.post(MODERATION + "/adopsi/{adoption_id:int}/{decision}", dependencies=[CsrfChecked])
def decide_adoption(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    adoption_id: int,
    decision: str,
    form: FormBody,
) -> Response:
    """Approve (for a period), refuse or end an adoption."""
    if decision not in ADOPTION_DECISIONS:
        raise NotFound
    path = f"{ADOPTIONS}/{adoption_id}"
    try:
        _decide_adoption(session, actor, adoption_id, decision, form, get_lang(request))
    except InvalidInput as invalid:
        session.rollback()
        return _back(path, err=next(iter(invalid.errors), "form"))
    return _back(path, ok=decision)


@router.get(MODERATION + "/foto/{report_id:int}")
def report_photo(
    request: Request, session: DbSession, actor: CurrentActor, report_id: int
) -> Response:
    """A volunteer's photo, for staff."""
    permissions.require(actor, VIEW)
    found = care.get_report_photo(session, report_id)
    return photo_response(request, found.photo_key or "")
