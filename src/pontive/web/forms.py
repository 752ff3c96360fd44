"""Small helpers of the HTML forms every console shares.

``FormBody`` is the posted form as a route parameter: parsed once (the CSRF check that runs
before the route has read it already, and Starlette keeps it); ``text`` is one field, trimmed;
``typed`` is what was typed, to show again with field errors (``refused``); times are typed
and shown in the city's zone (``zone_of``, ``parse_local_time``, ``local_input``); names of
kelurahan and agencies come from the cached reference lists.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from pontive.core import permissions
from pontive.core.errors import DomainError
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.web.deps import get_lang
from pontive.web.i18n import translate
from pontive.web.templating import render

Errors = dict[str, list[str]]
# A console's sections: (path, catalogue key of its label, permission needed).
Sections = Sequence[tuple[str, str, str]]


async def _form(request: Request) -> AsyncIterator[FormData]:
    form = await request.form()  # parsed once: the CSRF check read it already
    try:
        yield form
    finally:
        await form.close()  # uploaded files' temporary copies


FormBody = Annotated[FormData, Depends(_form)]


def text(form: FormData, name: str) -> str:
    """A text field, trimmed ("" when absent)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def typed(form: FormData) -> dict[str, str]:
    """What was typed, to show again with the errors (never the CSRF token)."""
    return {
        key: value.strip()
        for key, value in form.items()
        if isinstance(value, str) and key != "csrf_token"
    }


def refused(error: DomainError, lang: str) -> Errors:
    """A service's refusal as field errors; its message goes under ``form``."""
    return {"form": [error.message(lang)], **error.errors}


def redirect_ok(path: str, ok: str) -> RedirectResponse:
    """Back to ``path`` after a post, with the confirmation to show (``?ok=<key>``)."""
    return RedirectResponse(f"{path}?{urlencode({'ok': ok})}", status_code=303)


def zone_of(request: Request) -> ZoneInfo:
    """The city's time zone (settings), in which times are typed and shown."""
    zone: ZoneInfo = request.app.state.settings.zone
    return zone


def parse_local_time(raw: str, zone: ZoneInfo) -> datetime:
    """A ``datetime-local`` value (``2026-11-29T18:30``) read as the city's time (WIB)."""
    value = datetime.fromisoformat(raw)
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value


def local_input(value: datetime | None, zone: ZoneInfo) -> str:
    """An instant as a ``datetime-local`` value in the city's time."""
    return value.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if value else ""


def kelurahan_names(session: Session) -> dict[str, str]:
    """Kelurahan code → everyday name (cached reference list)."""
    return {
        kelurahan.kode: kelurahan.nama_umum
        for kecamatan in reference.list_kecamatan(session=session)
        for kelurahan in kecamatan.kelurahan
    }


def pd_names(session: Session) -> dict[str, str]:
    """Perangkat Daerah code → abbreviation (cached reference list)."""
    return {
        pd.kode: pd.singkatan
        for pd in reference.list_perangkat_daerah(session=session, active_only=False)
    }


def section_tabs(actor: Actor, current: str, sections: Sections) -> list[tuple[str, str, bool]]:
    """The sections ``actor`` may open: path, label key, whether ``current`` is in it (the
    longest matching path, so a list's section holds its items' pages)."""
    chosen = max((p for p, _k, _a in sections if current.startswith(p)), key=len, default="")
    return [(p, k, p == chosen) for p, k, action in sections if permissions.can(actor, action)]


def console_page(
    request: Request,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    *,
    sections: Sections,
    flash_prefix: str,
    base: str,
    status_code: int = 200,
    section: str | None = None,
) -> Response:
    """Render a console page with its section tabs (``section``: the tab to mark when the
    path does not say); a ``flash`` key is shown as ``<flash_prefix>.<key>``. Never cached."""
    full = {
        "tabs": section_tabs(actor, section or request.url.path, sections),
        "flash": None,
        "errors": {},
        "values": {},
        "console": base,
    } | context
    if full["flash"]:
        full["flash"] = translate(f"{flash_prefix}.{full['flash']}", get_lang(request))
    response = render(request, template, full, status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"
    return response
