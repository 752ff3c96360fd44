"""The analytics area of the console: its tab bar and the page helper every part uses."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from pontive.analytics import access
from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.web.deps import get_lang
from pontive.web.i18n import translate
from pontive.web.templating import render

# (path, message key, permission): the parts in the order the tab bar shows them.
TABS: tuple[tuple[str, str, str], ...] = (
    (access.HOME_PATH, "an.tab.home", access.VIEW),
    (access.TRIAGE_PATH, "an.tab.triage", access.VIEW),
    (access.FORECAST_PATH, "an.tab.forecast", access.VIEW),
    (access.QUALITY_PATH, "an.tab.quality", access.VIEW),
    (access.HOTSPOT_PATH, "an.tab.hotspots", access.VIEW),
    (access.WORKSPACE_PATH, "an.tab.workspace", access.WORKSPACE),
)


def tabs(actor: Actor, current: str, lang: str) -> list[tuple[str, str, bool]]:
    """The tabs ``actor`` may open: path, label, whether it is the current page's."""
    items = []
    for path, key, action in TABS:
        if not permissions.can(actor, action):
            continue
        is_current = current == path if path == access.HOME_PATH else current.startswith(path)
        items.append((path, translate(key, lang), is_current))
    return items


def page(
    request: Request,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
) -> Response:
    """Render an analytics page (extending ``analytics/_layout.html``); never cached."""
    lang = get_lang(request)
    full = {"an_tabs": tabs(actor, request.url.path, lang)} | context
    response = render(request, template, full, status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"
    return response
