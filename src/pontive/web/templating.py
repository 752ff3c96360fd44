"""Jinja2 rendering with the shared layout's helpers (translation, WIB times, CSRF, user)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from starlette.responses import HTMLResponse

from pontive import __version__
from pontive.core.identity import ANONYMOUS, Actor
from pontive.core.roles import Role
from pontive.core.timeutil import format_local, utcnow
from pontive.web.deps import get_lang, get_page_session
from pontive.web.i18n import LANGUAGES, translate
from pontive.web.session import CSRF_FIELD

_TEMPLATE_DIR = str(resources.files("pontive.web").joinpath("templates"))
templates = Jinja2Templates(directory=_TEMPLATE_DIR)
templates.env.globals["version"] = __version__
templates.env.globals["languages"] = LANGUAGES
templates.env.globals["csrf_field"] = CSRF_FIELD


# Domains add to every page's context (e.g. the city's operating mode for the banner).
LayoutContext = Callable[[Request], dict[str, Any]]
_LAYOUT_CONTEXTS: list[LayoutContext] = []


def register_layout_context(provider: LayoutContext) -> None:
    """Add ``provider(request)``'s values to the context of every rendered page."""
    if provider not in _LAYOUT_CONTEXTS:
        _LAYOUT_CONTEXTS.append(provider)


@pass_context
def _local_time(context: Context, value: datetime | None) -> str:
    # PONTIVE_TIMEZONE (WIB, Asia/Pontianak, by default).
    return format_local(value, context["zone"])


templates.env.filters["local_time"] = _local_time


@pass_context
def _whole_number(context: Context, value: int | None) -> str:
    # 1.000.000 in Bahasa Indonesia, 1,000,000 in English.
    if value is None:
        return ""
    grouped = f"{int(value):,}"
    return grouped if context.get("lang") == "en" else grouped.replace(",", ".")


templates.env.filters["whole_number"] = _whole_number
templates.env.filters["from_json"] = json.loads


def zone_label(zone: ZoneInfo) -> str:
    """How the footer names the display zone, e.g. ``WIB (Asia/Pontianak)``."""
    abbreviation = utcnow().astimezone(zone).tzname() or ""
    return (
        f"{abbreviation} ({zone.key})" if abbreviation and abbreviation[0].isalpha() else zone.key
    )


def _role_label(value: str, lang: str) -> str:
    # Audit rows keep the role as plain text; show its label when it is one of ours.
    return Role(value).label(lang) if value in Role._value2member_map_ else value


templates.env.globals["role_label"] = _role_label


class LazyCsrfToken:
    """The session's CSRF token, fetched only when a template prints it.

    Pages without forms then never create a session, so they send no cookie and can be shared
    by the page cache.
    """

    def __init__(self, request: Request) -> None:
        self._request = request

    def __str__(self) -> str:
        return get_page_session(self._request).csrf

    def __html__(self) -> str:
        return str(self)


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

    def t(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    full_context: dict[str, Any] = {
        "lang": lang,
        "t": t,
        "actor": actor,
        "user_name": getattr(request.state, "user_name", None),
        "csrf_token": LazyCsrfToken(request),
        "path": request.url.path,
        "map_tile_url": request.app.state.settings.map_tile_url,
        "zone": request.app.state.settings.zone,
        "zone_label": zone_label(request.app.state.settings.zone),
    }
    for provider in _LAYOUT_CONTEXTS:
        full_context.update(provider(request))
    full_context.update(context or {})
    return templates.TemplateResponse(request, template, full_context, status_code=status_code)
