"""Plumbing shared by the CCTV console pages: the form body, confirmations after a post,
field errors from a refused service call, the console's tabs, a camera the actor may see,
and the page renderer (never cached: addresses, contacts and links are shown once)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from pontive.cctv import service
from pontive.cctv.choices import Health
from pontive.cctv.models import Camera
from pontive.core import permissions
from pontive.core.errors import DomainError, NotFound
from pontive.core.identity import Actor
from pontive.reference import service as reference
from pontive.web.deps import get_lang
from pontive.web.forms import FormBody as FormBody  # re-exported for the console pages
from pontive.web.forms import text as text
from pontive.web.i18n import translate
from pontive.web.templating import render

CONSOLE = "/console/cctv"
Errors = dict[str, list[str]]
# The confirmations shown after a post (``?ok=<key>``), each ``cctv.cc.flash.<key>``.
FLASH_KEYS = frozenset(
    {"registered", "saved", "approved", "rejected", "status", "cancelled", "unchanged"}
)
# The console's sections: (path, catalogue key, permission), shown to whoever may use them.
TABS = (
    (CONSOLE, "cctv.cc.tab.registry", service.READ_REGISTRY),
    (f"{CONSOLE}/dinding", "cctv.cc.tab.wall", service.READ_REGISTRY),
    (f"{CONSOLE}/rekaman", "cctv.cc.tab.footage", service.REQUEST_FOOTAGE),
    (f"{CONSOLE}/tayangan", "cctv.cc.tab.views", service.READ_VIEWS),
    (f"{CONSOLE}/cakupan", "cctv.cc.tab.coverage", service.READ_REGISTRY),
)
# Best first: the order the wall and the registry's counts put health states in.
HEALTH_ORDER = (Health.ONLINE, Health.DEGRADED, Health.UNKNOWN, Health.OFFLINE)


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


def flash(ok: str | None) -> str | None:
    """The confirmation asked for, if it is one we show."""
    return ok if ok in FLASH_KEYS else None


def redirect_ok(path: str, ok: str) -> RedirectResponse:
    """Back to ``path`` after a post, with the confirmation to show."""
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


def visible_camera(session: Session, actor: Actor, code: str) -> Camera:
    """The camera ``code`` if it is in the registry ``actor`` may read (a PD officer: the
    PD's own and public ones), else ``NotFound`` — the same rule as the registry list."""
    camera = service.get_camera(session, code)
    if camera not in service.list_registry(session, actor=actor, status=camera.status):
        raise NotFound("Kamera tidak ditemukan.", "Camera not found.")
    return camera


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


def by_health(cameras: Iterable[Camera]) -> list[Camera]:
    """Cameras best health first (online, degraded, not checked, offline), then by code."""
    rank = {health: index for index, health in enumerate(HEALTH_ORDER)}
    return sorted(cameras, key=lambda camera: (rank[camera.health], camera.code))


def tabs(actor: Actor, current: str) -> list[tuple[str, str, bool]]:
    """The console sections ``actor`` may open: path, label key, whether ``current`` is in
    it (the longest matching path: the registry holds every camera page)."""
    chosen = max((p for p, _k, _a in TABS if current.startswith(p)), key=len, default="")
    return [(p, key, p == chosen) for p, key, action in TABS if permissions.can(actor, action)]


def page(
    request: Request,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    section: str | None = None,
) -> Response:
    """Render a console page with its tabs (``section``: the tab to mark, when the path
    does not say); never cached."""
    full = {
        "tabs": tabs(actor, section or request.url.path),
        "flash": None,
        "errors": {},
        "values": {},
        "console": CONSOLE,
    } | context
    if full["flash"]:  # a key of FLASH_KEYS, shown as its sentence
        full["flash"] = translate(f"cctv.cc.flash.{full['flash']}", get_lang(request))
    response = render(request, template, full, status_code=status_code)
    response.headers["Cache-Control"] = "private, no-store"
    return response
