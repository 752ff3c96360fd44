"""Privacy pages: the data-protection console (search, copy, erase) and the reporter's own
"my data" page behind the report's private link; the admins' audit-chain banner.

Searches and requests are POSTed, so contacts never travel in a URL (logs, history).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse, Response

from pontive.core import permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.privacy import alarm, service
from pontive.privacy.choices import Channel
from pontive.privacy.declare import SUBJECT_LABELS, Lookup, SubjectQuery
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.navigation import NavLink, register_console
from pontive.web.panels import Panel, register_panel
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)
CONSOLE = "/console/privasi"

register_console(
    NavLink(
        CONSOLE,
        "privacy.console.title",
        "privacy.console.desc",
        "shield",
        service.PRIVACY_MANAGE,
        order=905,
    )
)

LookupForm = Annotated[str, Form(max_length=20)]
ValueForm = Annotated[str, Form(max_length=service.MAX_VALUE)]
Token = Annotated[str, Form(max_length=100)]


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _download(document: dict[str, Any], name: str) -> Response:
    response = Response(
        service.to_json(document),
        media_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
    return _no_store(response)


def _found_view(found: list[service.Found], lang: str) -> list[dict[str, Any]]:
    index = 1 if lang == "en" else 0
    return [
        {
            "name": item.source.name,
            "label": item.source.label[index],
            "subject": SUBJECT_LABELS[item.source.subject][index],
            "rows": len(item.ids),
        }
        for item in found
    ]


def _console(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    status_code: int = 200,
    **context: Any,
) -> Response:
    values: dict[str, Any] = {
        "lookups": list(Lookup),
        "lookup": Lookup.CONTACT.value,
        "value": "",
        "found": None,
        "errors": {},
        "done": None,
        "requests": service.list_requests(session, actor=actor, limit=20),
    }
    values.update(context)
    response = render(request, "privacy/console.html", values, status_code=status_code)
    return _no_store(response)


@router.get(CONSOLE, response_class=HTMLResponse)
def console_page(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Search a data subject; the latest requests."""
    permissions.require(actor, service.PRIVACY_MANAGE)
    return _console(request, session, actor)


def _checked_query(
    request: Request, session: Session, actor: Actor, lookup: str, value: str
) -> SubjectQuery | Response:
    try:
        return service.make_query(lookup, value)
    except InvalidInput as error:
        errors = {"value": [error.message(get_lang(request))]}
        return _console(
            request, session, actor, lookup=lookup, value=value, errors=errors, status_code=422
        )


@router.post(f"{CONSOLE}/cari", dependencies=[CsrfChecked])
def console_search(
    request: Request, session: DbSession, actor: CurrentActor, lookup: LookupForm, value: ValueForm
) -> Response:
    """What is held about the subject, source by source (no values shown)."""
    permissions.require(actor, service.PRIVACY_MANAGE)
    query = _checked_query(request, session, actor, lookup, value)
    if isinstance(query, Response):
        return query
    found = service.search(session, actor=actor, query=query)
    view = _found_view(found, get_lang(request))
    return _console(request, session, actor, lookup=lookup, value=value, found=view)


@router.post(f"{CONSOLE}/ekspor", dependencies=[CsrfChecked])
def console_export(
    request: Request, session: DbSession, actor: CurrentActor, lookup: LookupForm, value: ValueForm
) -> Response:
    """Download the subject's copy as JSON (the request is recorded)."""
    permissions.require(actor, service.PRIVACY_MANAGE)
    query = _checked_query(request, session, actor, lookup, value)
    if isinstance(query, Response):
        return query
    request_row, document = service.export(
        session, actor=actor, query=query, channel=Channel.CONSOLE
    )
    return _download(document, f"data-pribadi-{request_row.id}.json")


@router.post(f"{CONSOLE}/hapus", dependencies=[CsrfChecked])
def console_erase(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    lookup: LookupForm,
    value: ValueForm,
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Erase the subject's personal data once the officer ticked the confirmation."""
    permissions.require(actor, service.PRIVACY_MANAGE)
    query = _checked_query(request, session, actor, lookup, value)
    if isinstance(query, Response):
        return query
    if confirm != "ya":
        errors = {"confirm": [translate("privacy.confirm.needed", get_lang(request))]}
        found = _found_view(service.search(session, actor=actor, query=query), get_lang(request))
        return _console(
            request,
            session,
            actor,
            lookup=lookup,
            value=value,
            found=found,
            errors=errors,
            status_code=422,
        )
    erasure = service.erase(
        session, actor=actor, query=query, channel=Channel.CONSOLE, media=request.app.state.media
    )
    return _console(request, session, actor, done=erasure.request)


# --- the reporter's own data, through the report's private link ----------------------------


def _reporter_page(
    request: Request, tracking: str, token: str, *, erased: bool = False, status_code: int = 200
) -> Response:
    context = {"tracking": tracking.strip().upper(), "token": token, "erased": erased}
    response = render(request, "privacy/reporter.html", context, status_code=status_code)
    return _no_store(response)


@router.get("/lapor/{tracking}/data-saya", response_class=HTMLResponse)
def reporter_page(tracking: str, request: Request, k: str = "") -> Response:
    """What the reporter may do with their personal data (the link proves the report)."""
    service.check_reporter(tracking, k)
    return _reporter_page(request, tracking, k)


@router.post("/lapor/{tracking}/data-saya/unduh", dependencies=[CsrfChecked])
def reporter_download(tracking: str, session: DbSession, actor: CurrentActor, k: Token) -> Response:
    """The reporter's copy as JSON."""
    document = service.export_own_report(session, actor=actor, tracking_number=tracking, token=k)
    return _download(document, f"data-saya-{tracking.strip().upper()}.json")


@router.post("/lapor/{tracking}/data-saya/hapus", dependencies=[CsrfChecked])
def reporter_erase(
    request: Request,
    tracking: str,
    session: DbSession,
    actor: CurrentActor,
    k: Token,
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The reporter erases their personal data after confirming."""
    service.check_reporter(tracking, k)
    if confirm != "ya":
        return _reporter_page(request, tracking, k, status_code=422)
    service.erase_own_report(
        session, actor=actor, tracking_number=tracking, token=k, media=request.app.state.media
    )
    return _reporter_page(request, tracking, k, erased=True)


# --- the admins' banner on the console home -----------------------------------------------


def audit_banner(session: Session, actor: Actor, _subject: object, _lang: str) -> Panel | None:
    """A banner while the last audit-chain check found it broken (for who reads the trail)."""
    if not permissions.can(actor, permissions.AUDIT_VIEW):
        return None
    check = alarm.latest_check(session)
    if check is None or check.is_intact:
        return None
    return Panel("privacy/_audit_banner.html", {"check": check})


register_panel("console.home", audit_banner)
