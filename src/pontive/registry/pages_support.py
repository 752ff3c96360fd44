"""What every registry page shares: the area's navigation, rendering, and reading a page's
filters from the query string."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from starlette.responses import Response

from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.core.registry import Area, Kind, Registry, area_of, of_domain, pick
from pontive.web.deps import get_lang
from pontive.web.i18n import translate
from pontive.web.templating import render

RESERVED = frozenset({"q", "sort", "page", "per_page", "ok", "lang"})


def nav(actor: Actor, area: Area | None, current: str, lang: str) -> list[tuple[str, str, bool]]:
    """The area's registries and links ``actor`` may open: path, label, whether current."""
    if area is None:
        return []
    items = [(area.path, pick(area.title, lang), current == area.path)]
    for registry in of_domain(area.domain):
        if registry.console == area.path and permissions.can(actor, registry.view_action):
            items.append(
                (registry.path, pick(registry.title, lang), current.startswith(registry.path))
            )
    for link in area.links:
        if permissions.can(actor, link.action):
            items.append((link.href, pick(link.label, lang), current.startswith(link.href)))
    return items


def page(
    request: Request,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    *,
    registry: Registry | None = None,
    area: Area | None = None,
    status_code: int = 200,
) -> Response:
    """Render a registry page with its area's navigation; never cached."""
    lang = get_lang(request)
    area = area or (area_of(registry) if registry is not None else None)
    flash = request.query_params.get("ok", "")
    full = {
        "registry": registry,
        "area": area,
        "area_nav": nav(actor, area, request.url.path, lang),
        "pick": lambda text: pick(text, lang),
        "flash": translate(f"reg.ok.{flash}", lang) if flash else None,
        "errors": {},
        "values": {},
    } | context
    response = render(request, template, full, status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def filters_of(registry: Registry, query: Mapping[str, str]) -> dict[str, str]:
    """The filter values in a query string (only the registry's filter names)."""
    names = set()
    for spec in registry.fields:
        if not spec.filter:
            continue
        if spec.kind in (Kind.DATE, Kind.DATETIME):
            names |= {spec.name + "_from", spec.name + "_to"}
        else:
            names.add(spec.name)
    return {k: v.strip() for k, v in query.items() if k in names and v.strip()}


def page_link(path: str, params: Mapping[str, Any], **changes: Any) -> str:
    """``path`` with the current query changed (pages, sorting)."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return f"{path}?{urlencode(merged)}" if merged else path


def int_param(raw: str | None, default: int) -> int:
    """A positive integer from the query string, else ``default``."""
    return int(raw) if raw and raw.isdigit() and int(raw) > 0 else default
