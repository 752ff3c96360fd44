"""What the console reports about the network: who watched which camera (``/tayangan``:
the technical team and administrators, ``cctv.read_views``) and camera coverage per
kelurahan (``/cakupan``: aggregates, every staff role).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Query, Request
from starlette.responses import HTMLResponse, Response

from pontive.cctv import access, coverage, service
from pontive.cctv.console_support import CONSOLE, page, zone_of
from pontive.cctv.models import CameraView
from pontive.core import permissions
from pontive.core.timeutil import to_local
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix=CONSOLE, include_in_schema=False)

VIEWS_SHOWN = 200
# The reasons ``access.decide`` gives, each ``cctv.cc.reason.<code>`` (``status_<x>`` as one).
REASONS = frozenset(
    {"public", "staff", "review", "not_shared", "on_request", "other_pd", "role", "sign_in",
     "unknown_camera"}
)  # fmt: skip
VIAS = frozenset(via.value for via in access.Via)


def duration(view: CameraView) -> timedelta | None:
    """How long a view lasted (``None`` while it is open)."""
    return view.ended_at - view.started_at if view.ended_at else None


def duration_text(span: timedelta | None, lang: str) -> str:
    """A duration as ``1 j 05 m`` or ``3 m 20 d`` (``""`` for a view still open)."""
    if span is None:
        return ""
    seconds = max(0, int(span.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return translate("cctv.cc.duration.hours", lang, h=hours, m=f"{minutes:02d}")
    if minutes:
        return translate("cctv.cc.duration.minutes", lang, m=minutes, s=f"{seconds:02d}")
    return translate("cctv.cc.duration.seconds", lang, s=seconds)


def moment_text(value: datetime, zone: ZoneInfo) -> str:
    """An instant to the second in the city's time, e.g. ``30-11-2026 18:05:09 WIB``: an
    audit log is read to the second."""
    local = to_local(value, zone)
    return f"{local:%d-%m-%Y %H:%M:%S} {local.tzname()}"


def reason_key(reason: str) -> str:
    """The catalogue key that explains a decision's reason code."""
    if reason.startswith("status_"):
        return "cctv.cc.reason.status"
    return f"cctv.cc.reason.{reason}" if reason in REASONS else "cctv.cc.reason.other"


@router.get("/tayangan", response_class=HTMLResponse)
def views_log(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    camera: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The latest views and refusals, newest first, optionally of one camera."""
    lang, zone = get_lang(request), zone_of(request)
    views = access.list_views(session, actor=actor, camera_code=camera or None, limit=VIEWS_SHOWN)
    cameras = service.list_registry(session, actor=actor)
    rows: list[dict[str, Any]] = [
        {
            "view": view,
            "duration": duration_text(duration(view), lang),
            "started": moment_text(view.started_at, zone),
            "reason_key": reason_key(view.reason),
            "via_key": f"cctv.cc.via.{view.via}" if view.via in VIAS else "",
        }
        for view in views
    ]
    context = {
        "rows": rows,
        "camera_filter": camera.strip().upper(),
        "cameras": cameras,
        "names": {c.code: c.name for c in cameras},
        "limit": VIEWS_SHOWN,
    }
    return page(request, actor, "cctv/console_views.html", context)


@router.get("/cakupan", response_class=HTMLResponse)
def coverage_table(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Active cameras, online share and estimated coverage of every kelurahan."""
    permissions.require(actor, service.READ_REGISTRY)
    rows = coverage.coverage_by_kelurahan(session)
    covered = [row.coverage for row in rows if row.coverage is not None]
    totals = {
        "cameras": sum(row.cameras for row in rows),
        "online": sum(row.online for row in rows),
        "public": sum(row.public for row in rows),
        "with_cameras": sum(1 for row in rows if row.cameras),
        "kelurahan": len(rows),
        "mean_coverage": sum(covered) / len(covered) if covered else None,
    }
    by_kecamatan: dict[str, list[coverage.KelurahanCoverage]] = {}
    for row in rows:
        by_kecamatan.setdefault(row.kecamatan, []).append(row)
    context = {
        "groups": by_kecamatan,
        "totals": totals,
        "radius": int(coverage.VIEW_RADIUS_M),
    }
    return page(request, actor, "cctv/console_coverage.html", context)
