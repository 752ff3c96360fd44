"""The video wall (``/console/cctv/dinding``): a grid of 2x2, 3x3 or 4x4 tiles for the
command center's screens.

Only cameras the viewer may watch now are offered (``access.decide``, which records
nothing); by default every active one, online first. In the browser each tile opens its own
view (``POST /api/v1/cctv/cameras/<code>/views?via=wall``: decided again and recorded),
refreshes its image inside that view every ``REFRESH_SECONDS`` and closes the view when the
page goes away — so the viewing log says who watched which camera on the wall, and how long.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from starlette.responses import HTMLResponse, Response

from pontive.cctv import access, service
from pontive.cctv.choices import CameraStatus, Health
from pontive.cctv.console_support import (
    CONSOLE,
    HEALTH_ORDER,
    by_health,
    kelurahan_names,
    page,
    zone_of,
)
from pontive.cctv.models import Camera
from pontive.core.identity import Actor
from pontive.core.timeutil import utcnow
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=CONSOLE, include_in_schema=False)

GRIDS = (2, 3, 4)
REFRESH_SECONDS = 10


def watchable(cameras: list[Camera], actor: Actor) -> list[Camera]:
    """The active cameras ``actor`` may watch live, best health first."""
    return by_health(
        camera
        for camera in cameras
        if camera.status is CameraStatus.AKTIF and access.decide(actor, camera).allowed
    )


def grid_for(count: int, asked: int | None) -> int:
    """The grid asked for, or the smallest that holds ``count`` tiles (4x4 at most)."""
    if asked in GRIDS:
        return asked
    return next((size for size in GRIDS if size * size >= count), GRIDS[-1])


@router.get("/dinding", response_class=HTMLResponse)
def wall(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    grid: Annotated[int | None, Query(ge=1, le=9)] = None,
    cam: Annotated[list[str] | None, Query(max_length=20)] = None,
) -> Response:
    """The wall of the cameras chosen (or every one the viewer may watch)."""
    lang = get_lang(request)
    zone = zone_of(request)
    now = utcnow().astimezone(zone)
    offered = watchable(service.list_registry(session, actor=actor), actor)
    by_code = {camera.code: camera for camera in offered}
    asked = [code.strip().upper() for code in cam or []]
    chosen = [by_code[code] for code in dict.fromkeys(asked) if code in by_code] or offered
    size = grid_for(len(chosen), grid)
    tiles = chosen[: size * size]
    context = {
        "offered": offered,
        "chosen": {camera.code for camera in chosen},
        "is_default": not asked,
        "tiles": tiles,
        "empty_slots": size * size - len(tiles),
        "left_out": len(chosen) - len(tiles),
        "grid": size,
        "grids": GRIDS,
        "refresh_seconds": REFRESH_SECONDS,
        "kelurahan": kelurahan_names(session),
        "health_labels": {health.value: health.label(lang) for health in Health},
        "legend": HEALTH_ORDER,
        "zone_key": zone.key,
        "zone_abbr": now.tzname() or "",
        "now_text": now.strftime("%H:%M:%S"),
    }
    return page(request, actor, "cctv/console_wall.html", context)
