"""Analytics JSON routes under ``/api/v1/analytics``, one router per part."""

from __future__ import annotations

from pontive.analytics import forecast_api, hotspot_api, quality_api, triage_api, workspace_api
from pontive.web.routing import PontiveRouter

router = PontiveRouter()
router.include_router(triage_api.router)
router.include_router(forecast_api.router)
router.include_router(quality_api.router)
router.include_router(hotspot_api.router)
router.include_router(workspace_api.router)
