"""Analytics pages, one router per part."""

from __future__ import annotations

from pontive.analytics import (
    forecast_pages,
    home_pages,
    hotspot_pages,
    quality_pages,
    triage_pages,
    workspace_pages,
)
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
router.include_router(home_pages.router)
router.include_router(triage_pages.router)
router.include_router(forecast_pages.router)
router.include_router(quality_pages.router)
router.include_router(hotspot_pages.router)
router.include_router(workspace_pages.router)
