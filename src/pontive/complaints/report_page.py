"""Following a report at ``/lapor/<tracking>``: its public page, the reporter's actions through
the private link (``?k=``: reply, reopen, rate) and report photos."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from fastapi import Form, Request
from starlette.responses import RedirectResponse, Response

from pontive.complaints import service, workflow
from pontive.complaints.choices import ComplaintStatus
from pontive.complaints.models import Complaint
from pontive.complaints.page_support import PUBLIC_SECONDS, localised, no_store
from pontive.complaints.public_views import complaint_view
from pontive.core.errors import Conflict, InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

PHOTO_SECONDS = 600
NOTICES = ("reply", "reopen", "rate")
Token = Annotated[str, Form(max_length=100)]
Message = Annotated[str, Form(max_length=4000)]


def _open_report(session: DbSession, tracking: str, token: str | None) -> tuple[Complaint, bool]:
    if token and service.check_access_token(tracking.strip().upper(), token):
        return service.get_for_reporter(session, tracking, token), True
    return service.get_public(session, tracking), False


def _render_report(
    request: Request,
    session: DbSession,
    complaint: Complaint,
    token: str | None,
    *,
    notice: str | None = None,
    errors: dict[str, list[str]] | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    lang = get_lang(request)
    view = complaint_view(session, complaint, lang, token)
    context = {
        "r": view,
        "token": token,
        "notice": notice,
        "notice_text": translate(f"pub.view.done.{notice}", lang) if notice else None,
        "errors": errors or {},
        "typed": typed or {},
        "reopen_days": workflow.REOPEN_DAYS,
        "can_reopen": token is not None
        and complaint.status is ComplaintStatus.SELESAI
        and complaint.resolved_at is not None
        and utcnow() - complaint.resolved_at <= timedelta(days=workflow.REOPEN_DAYS),
        "can_rate": token is not None
        and complaint.resolved_at is not None
        and complaint.status in (ComplaintStatus.SELESAI, ComplaintStatus.DITUTUP)
        and complaint.rating is None,
        "can_reply": token is not None and complaint.status.is_open,
    }
    return render(request, "complaints/public_report_view.html", context, status_code=status_code)


@router.get("/lapor/{tracking}")
def report_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    tracking: str,
    k: str | None = None,
    baru: str | None = None,
    ok: str | None = None,
) -> Response:
    """A report's public page; with its private link, the reporter's actions too."""
    complaint, is_reporter = _open_report(session, tracking, k)
    if not is_reporter:
        return share_with_anonymous(
            actor, _render_report(request, session, complaint, None), PUBLIC_SECONDS
        )
    notice = "new" if baru else (ok if ok in NOTICES else None)
    response = _render_report(request, session, complaint, k, notice=notice)
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is the reporter's key
    return no_store(response)


def _reporter_action(
    request: Request,
    session: DbSession,
    tracking: str,
    token: str,
    done: str,
    typed: dict[str, str],
    action: Callable[[], Complaint],
) -> Response:
    try:
        complaint = action()
    except (InvalidInput, Conflict) as error:
        session.rollback()
        complaint = service.get_for_reporter(session, tracking, token)
        lang = get_lang(request)
        errors = localised(error.errors, lang) or {"_": [error.message(lang)]}
        return no_store(
            _render_report(
                request,
                session,
                complaint,
                token,
                errors=errors,
                typed=typed,
                status_code=error.status_code,
            )
        )
    return RedirectResponse(
        f"/lapor/{complaint.tracking_number}?k={token}&ok={done}#{done}", status_code=303
    )


def _message_action(
    request: Request,
    session: DbSession,
    actor: Actor,
    tracking: str,
    token: str,
    message: str,
    done: str,
    act: Callable[..., Complaint],
) -> Response:
    # A reply and a reopening take the same words and differ only in the workflow step.
    return _reporter_action(
        request,
        session,
        tracking,
        token,
        done,
        {done: message},
        lambda: act(
            session=session, actor=actor, tracking_number=tracking, token=token, message=message
        ),
    )


@router.post("/lapor/{tracking}/tanggapan", dependencies=[CsrfChecked])
def reply(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    tracking: str,
    k: Token,
    message: Message = "",
) -> Response:
    """The reporter adds information."""
    return _message_action(
        request, session, actor, tracking, k, message, "reply", workflow.reporter_reply
    )


@router.post("/lapor/{tracking}/buka-kembali", dependencies=[CsrfChecked])
def reopen(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    tracking: str,
    k: Token,
    message: Message = "",
) -> Response:
    """The reporter says it is not fixed (within 14 days of *selesai*)."""
    return _message_action(request, session, actor, tracking, k, message, "reopen", workflow.reopen)


@router.post("/lapor/{tracking}/nilai", dependencies=[CsrfChecked])
def rate(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    tracking: str,
    k: Token,
    rating: Annotated[str, Form(max_length=2)] = "",
    comment: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """The reporter rates the fix 1-5."""
    score = int(rating) if rating.isdigit() else 0
    return _reporter_action(
        request,
        session,
        tracking,
        k,
        "rate",
        {"comment": comment, "rating": rating},
        lambda: workflow.rate(
            session=session,
            actor=actor,
            tracking_number=tracking,
            token=k,
            rating=score,
            comment=comment,
        ),
    )


@router.get("/media/complaints/{photo_id}")
def photo(request: Request, session: DbSession, photo_id: int, k: str | None = None) -> Response:
    """A report photo: public after moderation, or for the reporter's private link."""
    found = service.get_photo(session, photo_id=photo_id, token=k)
    etag = f'"{found.storage_key.rsplit("/", 1)[-1]}"'
    # Private: moderation may withdraw a photo, and images must not fill the page cache.
    headers = {"Cache-Control": f"private, max-age={PHOTO_SECONDS}", "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    try:
        data = request.app.state.media.read(found.storage_key)
    except FileNotFoundError as error:
        raise NotFound from error
    return Response(data, media_type=found.content_type, headers=headers)
