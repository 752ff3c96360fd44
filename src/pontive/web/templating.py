"""Jinja2 rendering with the shared layout's helpers (translation, WIB times, CSRF, user)."""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from pontive import __version__
from pontive.core.identity import ANONYMOUS, Actor
from pontive.core.timeutil import format_local
from pontive.web.deps import get_lang, get_page_session
from pontive.web.i18n import LANGUAGES, translate
from pontive.web.session import CSRF_FIELD

_TEMPLATE_DIR = str(resources.files("pontive.web").joinpath("templates"))
templates = Jinja2Templates(directory=_TEMPLATE_DIR)
templates.env.globals["version"] = __version__
templates.env.globals["languages"] = LANGUAGES
templates.env.globals["csrf_field"] = CSRF_FIELD


def _wib(value: datetime | None) -> str:
    return format_local(value)


templates.env.filters["wib"] = _wib


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render ``template`` in the request's language with the layout's context."""
    lang = get_lang(request)
    actor: Actor = getattr(request.state, "actor", None) or ANONYMOUS
    page_session = get_page_session(request)

    def t(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    full_context: dict[str, Any] = {
        "lang": lang,
        "t": t,
        "actor": actor,
        "user_name": getattr(request.state, "user_name", None),
        "csrf_token": page_session.csrf,
        "path": request.url.path,
        "map_tile_url": request.app.state.settings.map_tile_url,
    }
    full_context.update(context or {})
    return templates.TemplateResponse(request, template, full_context, status_code=status_code)
