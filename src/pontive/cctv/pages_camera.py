"""One public camera (``/cctv/<code>``): its details, the latest image, a week of uptime.

The image is the health check's latest thumbnail (``/api/v1/cctv/cameras/<code>/snapshot``),
refreshed by ``static/cctv/cctv-camera.js`` through ``/cctv/<code>/status.json``; without a
thumbnail yet the page says so. Live video is offered only when the restreamer publishes this
camera; the snapshots stay as the fallback. A camera that is not public — internal, on
request, awaiting review, paused, withdrawn — is "not found" here, exactly like an unknown
code: the decision is ``access.decide`` for an anonymous visitor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import Request
from starlette.responses import JSONResponse, Response

from pontive.cctv import access, service, service_health
from pontive.cctv.models import Camera
from pontive.cctv.pages_support import PUBLIC_SECONDS, camera_card, place_names
from pontive.core.errors import NotFound
from pontive.core.identity import ANONYMOUS
from pontive.web.deps import CurrentActor, DbSession, get_lang
from pontive.web.i18n import translate
from pontive.web.pagecache import share_with_anonymous
from pontive.web.routing import PontiveRouter
from pontive.web.templating import render

router = PontiveRouter(include_in_schema=False)

UPTIME_DAYS = 7
STATUS_SECONDS = 10  # the page asks every 15 s
BAR_HEIGHT = 84  # the uptime chart's tallest bar, in SVG units


def public_camera(session: DbSession, code: str) -> Camera:
    """The camera with ``code`` if anyone may see it, else ``NotFound`` (as if unknown)."""
    camera = service.get_camera(session, code)
    if not access.decide(ANONYMOUS, camera).allowed:
        raise NotFound("Kamera tidak ditemukan.", "Camera not found.")
    return camera


@dataclass(frozen=True, slots=True)
class UptimeBar:
    """One WIB day of the uptime chart."""

    day: date
    share: float | None  # share of checks online; None: no checks that day

    @property
    def height(self) -> float:
        """The bar's height in SVG units (a sliver for 0 %, so the day still shows)."""
        return max(2.0, round((self.share or 0.0) * BAR_HEIGHT, 1))

    @property
    def label(self) -> str:
        """``23/11``."""
        return self.day.strftime("%d/%m")

    @property
    def level(self) -> str:
        """The bar's colour class."""
        if self.share is None:
            return "none"
        return "good" if self.share >= 0.95 else "fair" if self.share >= 0.7 else "poor"


@router.get("/cctv/{code}")
def camera_page(request: Request, code: str, session: DbSession, actor: CurrentActor) -> Response:
    """One public camera: what it watches, where, its latest image and its health."""
    lang, settings = get_lang(request), request.app.state.settings
    camera = public_camera(session, code)
    card = camera_card(camera, lang=lang, places=place_names(session), zone=settings.zone)
    days = service_health.uptime(session, camera_id=camera.id, days=UPTIME_DAYS)
    bars = [UptimeBar(day, share) for day, share in days]
    measured = [bar.share for bar in bars if bar.share is not None]
    context = {
        "card": card,
        "bars": bars,
        "bar_height": BAR_HEIGHT,
        "week_share": sum(measured) / len(measured) if measured else None,
        # A player is worth trying only when the restreamer carries this camera.
        "has_live": bool(settings.cctv_restreamer_public_url and camera.restreamed),
    }
    response = render(request, "cctv/public_camera.html", context)
    return share_with_anonymous(actor, response, PUBLIC_SECONDS)


@router.get("/cctv/{code}/status.json")
def camera_status(request: Request, code: str, session: DbSession) -> Response:
    """The camera's health and latest image for the open page; ``available: false`` once it
    is no longer public (paused by its owner, say) — the same answer as for an unknown code."""
    lang, zone = get_lang(request), request.app.state.settings.zone
    try:
        camera = public_camera(session, code)
    except NotFound:
        body: dict[str, object] = {"available": False}
    else:
        card = camera_card(camera, lang=lang, places={}, zone=zone)
        body = {
            "available": True,
            "health": card.health.value,
            "health_label": card.health.label(lang),
            "checked": translate("cctv.pub.checked", lang, time=card.checked),
            "snapshot_url": card.snapshot_url,
            "snapshot_at": card.snapshot_at,
        }
    return JSONResponse(body, headers={"Cache-Control": f"public, max-age={STATUS_SECONDS}"})
