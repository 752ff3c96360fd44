"""The shell's pages: public home, sign-in and sign-out, the console home, API docs."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from pontive.core import auth, permissions
from pontive.core.errors import RateLimited
from pontive.reference import service as reference
from pontive.web.deps import CsrfChecked, CurrentActor, DbSession, get_lang, get_page_session
from pontive.web.i18n import translate
from pontive.web.navigation import NavLink, console_links, public_links, register_public
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

register_public(NavLink("/wilayah", "nav.wilayah", "home.card.wilayah", "map", order=80))
register_public(NavLink("/api/docs", "nav.api", "home.card.api", "code", order=90))


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would make our sign-in page a phishing tool.
    if not target:
        return "/console/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/console/"
    return target


PUBLIC_PAGE_SECONDS = 30


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """What Pontive is and the public services it offers."""
    response = render(
        request,
        "home.html",
        {"links": public_links(), "dimensions": reference.list_dimensi(session=session)},
    )
    return share_with_anonymous(actor, response, PUBLIC_PAGE_SECONDS)


@router.get("/wilayah", response_class=HTMLResponse)
def wilayah(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The city's kecamatan and kelurahan on a map, with both code schemes."""
    response = render(
        request, "wilayah.html", {"kecamatan": reference.list_kecamatan(session=session)}
    )
    return share_with_anonymous(actor, response, PUBLIC_PAGE_SECONDS)


@router.get("/masuk", response_class=HTMLResponse)
def login_form(request: Request, actor: CurrentActor, next: str | None = None) -> Response:
    """The sign-in form."""
    if actor.is_authenticated:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/masuk", response_class=HTMLResponse, dependencies=[CsrfChecked])
def login(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=500)] = "/console/",
) -> Response:
    """Check the credentials, rotate the session, go where the user was heading."""
    try:
        user = auth.authenticate(session=session, username=username, password=password)
    except RateLimited as error:
        return render(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "error": error.message(get_lang(request)),
                "username": username,
            },
            status_code=429,
        )
    if user is None:
        return render(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "error": translate("login.failed", get_lang(request)),
                "username": username,
            },
            status_code=401,
        )
    get_page_session(request).rotate(user.id)
    destination = _safe_next(next)
    if not user.role.is_staff and destination.startswith("/console"):
        destination = "/"
    return RedirectResponse(destination, status_code=303)


@router.post("/keluar", dependencies=[CsrfChecked])
def logout(request: Request) -> Response:
    """End the session."""
    get_page_session(request).rotate(None)
    return RedirectResponse("/", status_code=303)


@router.get("/console/", response_class=HTMLResponse)
def console_home(request: Request, actor: CurrentActor) -> Response:
    """The staff console: the tools this role may use."""
    permissions.require(actor, permissions.CONSOLE_VIEW)
    return render(request, "console/home.html", {"links": console_links(actor)})


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """Interactive API documentation (Swagger UI served from our own static files)."""
    return render(request, "api_docs.html")
