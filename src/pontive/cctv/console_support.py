"""Plumbing shared by the CCTV console pages: the form body, confirmations after a post,
field errors from a refused service call, the console's tabs, a camera the actor may see,
and the page renderer (never cached: addresses, contacts and links are shown once)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from pontive.cctv import service
from pontive.cctv.choices import Health
from pontive.cctv.models import Camera
from pontive.core.errors import NotFound
from pontive.core.identity import Actor

# Re-exported for the console pages.
from pontive.web.forms import Errors as Errors
from pontive.web.forms import FormBody as FormBody
from pontive.web.forms import console_page
from pontive.web.forms import kelurahan_names as kelurahan_names
from pontive.web.forms import local_input as local_input
from pontive.web.forms import parse_local_time as parse_local_time
from pontive.web.forms import pd_names as pd_names
from pontive.web.forms import redirect_ok as redirect_ok
from pontive.web.forms import refused as refused
from pontive.web.forms import text as text
from pontive.web.forms import typed as typed
from pontive.web.forms import zone_of as zone_of

CONSOLE = "/console/cctv"
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


def flash(ok: str | None) -> str | None:
    """The confirmation asked for, if it is one we show."""
    return ok if ok in FLASH_KEYS else None


def visible_camera(session: Session, actor: Actor, code: str) -> Camera:
    """The camera ``code`` if it is in the registry ``actor`` may read (a PD officer: the
    PD's own and public ones), else ``NotFound`` — the same rule as the registry list."""
    camera = service.get_camera(session, code)
    if camera not in service.list_registry(session, actor=actor, status=camera.status):
        raise NotFound("Kamera tidak ditemukan.", "Camera not found.")
    return camera


def by_health(cameras: Iterable[Camera]) -> list[Camera]:
    """Cameras best health first (online, degraded, not checked, offline), then by code."""
    rank = {health: index for index, health in enumerate(HEALTH_ORDER)}
    return sorted(cameras, key=lambda camera: (rank[camera.health], camera.code))


def page(
    request: Request,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    section: str | None = None,
) -> Response:
    """Render a CCTV console page with its tabs; never cached."""
    return console_page(
        request,
        actor,
        template,
        context,
        sections=TABS,
        flash_prefix="cctv.cc.flash",
        base=CONSOLE,
        status_code=status_code,
        section=section,
    )
