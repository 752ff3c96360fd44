"""Plumbing shared by the alert console pages: the form body, confirmations after a post,
field errors from a refused service call, times typed in WIB, and the console's tabs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from pontive.alerts import feed_sources, mode, service, webhooks
from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.web.deps import get_lang

# Re-exported for the console pages.
from pontive.web.forms import Errors as Errors
from pontive.web.forms import FormBody as FormBody
from pontive.web.forms import local_input as local_input
from pontive.web.forms import parse_local_time as parse_local_time
from pontive.web.forms import refused as refused
from pontive.web.forms import text as text
from pontive.web.forms import zone_of as zone_of
from pontive.web.i18n import translate
from pontive.web.templating import render

CONSOLE = "/console/peringatan"
# The confirmations the console shows after a post (``?ok=<key>``), each a catalogue key.
FLASH_KEYS = frozenset(
    {
        "drafted",
        "saved",
        "approved",
        "rejected",
        "updated",
        "cancelled",
        "rule_created",
        "rule_saved",
        "rule_on",
        "rule_off",
        "declared",
        "ended",
        "contact_saved",
        "contact_deleted",
        "shelter_saved",
        "shelter_deleted",
        "hook_saved",
        "hook_deleted",
        "feed_saved",
        "feed_deleted",
    }
)
# The console's sections: (path, catalogue key, permission), shown to whoever may use them.
TABS = (
    (CONSOLE, "alerts.cc.tab.desk", service.ALERTS_VIEW_DRAFTS),
    (f"{CONSOLE}/aturan", "alerts.cc.tab.rules", service.ALERTS_RULES_MANAGE),
    (f"{CONSOLE}/status", "alerts.cc.tab.status", mode.MODE_DECLARE),
    (f"{CONSOLE}/webhook", "alerts.cc.tab.webhooks", webhooks.WEBHOOKS_MANAGE),
    (f"{CONSOLE}/umpan", "alerts.cc.tab.feeds", feed_sources.ALERTS_FEEDS_MANAGE),
)


def typed(form: FormData) -> dict[str, Any]:
    """What was typed, to show again with the errors (lists for repeated fields)."""
    values: dict[str, Any] = {}
    for key in set(form.keys()) - {"csrf_token"}:
        items = [v for v in form.getlist(key) if isinstance(v, str)]
        is_list = len(items) > 1 or key.endswith(("_kodes", "_ids"))  # checkbox groups
        values[key] = items if is_list else "".join(items)
    return values


def flash(ok: str | None) -> str | None:
    """The confirmation asked for, if it is one we show."""
    return ok if ok in FLASH_KEYS else None


def redirect_ok(path: str, ok: str, anchor: str = "") -> RedirectResponse:
    """Back to ``path`` after a post, with the confirmation to show."""
    suffix = f"#{anchor}" if anchor else ""
    return RedirectResponse(f"{path}?{urlencode({'ok': ok})}{suffix}", status_code=303)


def labels(group: str, names: Iterable[str], lang: str) -> dict[str, str]:
    """The console's words for a set of codes (``alerts.cc.<group>.<code>``), for pages that
    show them by code (timeline actions, rule kinds, parameters)."""
    return {name: translate(f"alerts.cc.{group}.{name}", lang) for name in names}


def tabs(actor: Actor, current: str) -> list[tuple[str, str, bool]]:
    """The console sections ``actor`` may open: path, label key, whether ``current`` is in it
    (the longest matching path: the desk holds every page the others do not)."""
    chosen = max((p for p, _k, _a in TABS if current.startswith(p)), key=len, default="")
    return [(p, key, p == chosen) for p, key, action in TABS if permissions.can(actor, action)]


def page(
    request: Request,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
) -> Response:
    """Render a console page with its tabs; never cached (forms, secrets shown once)."""
    full = {
        "tabs": tabs(actor, request.url.path),
        "flash": None,
        "errors": {},
        "values": {},
    } | context
    if full["flash"]:  # a key of FLASH_KEYS, shown as its sentence
        full["flash"] = translate(f"alerts.cc.flash.{full['flash']}", get_lang(request))
    response = render(request, template, full, status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"
    return response
