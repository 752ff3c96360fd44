"""The coordination API (``/api/v1/coordination``): incidents with their timeline, links,
agencies and closing report (``api_incidents``); tasks across agencies and coordination
meetings (``api_tasks``); the situation room's walls and the executive figures
(``api_views``).

Bearer tokens and API keys work as everywhere; the services decide who may do what (a PD
officer sees and works only its own agency's tasks; the mayor and the council read only).
Every write commits. Errors are ``{"detail","errors"}`` like every native API; times are
ISO 8601 UTC.
"""

from __future__ import annotations

from pontive.coordination import api_incidents, api_tasks, api_views
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/coordination", tags=["coordination"])
router.include_router(api_incidents.router)
router.include_router(api_tasks.router)
router.include_router(api_views.router)
