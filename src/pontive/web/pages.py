"""The shell's pages: public home, the console home, API docs (sign-in and the account:
``account_pages`` and ``account_console``)."""

from __future__ import annotations

from fastapi import Request
from starlette.responses import HTMLResponse, Response

from pontive.core import permissions
from pontive.reference import service as reference
from pontive.web import account_console, account_pages
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.navigation import NavLink, console_links, public_links, register_public
from pontive.web.pagecache import share_with_anonymous
from pontive.web.panels import panels_for
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)
# Sign-in, sign-out and the console's Account page live in modules of their own.
router.include_router(account_pages.router)
router.include_router(account_console.router)

register_public(NavLink("/wilayah", "nav.wilayah", "home.card.wilayah", "map", order=80))
register_public(NavLink("/api/docs", "nav.api", "home.card.api", "code", order=90))


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


@router.get("/console/", response_class=HTMLResponse)
def console_home(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """The staff console: the tools this role may use, and other domains' banners."""
    permissions.require(actor, permissions.CONSOLE_VIEW)
    panels = panels_for("console.home", session, actor, lang=get_lang(request))
    return render(request, "console/home.html", {"links": console_links(actor), "panels": panels})


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """Interactive API documentation (Swagger UI served from our own static files)."""
    return render(request, "api_docs.html")
