"""The masterplan API (``/api/v1/masterplan``): the dimension tree with its progress,
programmes and indicators (``api_plan``, public reads like the transparency pages); pushed
values, bulk imports and the technical team's reviews (``api_realisations``).

Bearer tokens and API keys work as everywhere; the services decide who may do what. Every
write commits. Errors are ``{"detail","errors"}`` like every native API (a refused import adds
``problems``); instants are ISO 8601 UTC.
"""

from __future__ import annotations

from pontive.masterplan import api_plan, api_realisations
from pontive.web.routing import PontiveRouter

router = PontiveRouter(prefix="/api/v1/masterplan", tags=["masterplan"])
router.include_router(api_plan.router)
router.include_router(api_realisations.router)
