"""HTTP interfaces of the sensors domain: each sub-router is included here.

``/sta/v1.1`` (OGC SensorThings API 1.1) and the native ``/api/v1`` sensor endpoints live in
their own modules; this module only gathers them for the app factory.
"""

from __future__ import annotations

from pontive.sensors import native_api, sta
from pontive.web.routing import PontiveRouter

router = PontiveRouter()
# Sub-routers (one line each, added by the module that defines them):
router.include_router(native_api.router)
router.include_router(sta.router)
