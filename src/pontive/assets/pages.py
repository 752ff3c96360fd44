"""Asset pages: the infrastructure map and summary (``infra_pages``), the integration graph
(``software_pages``), and the assessment and Wi-Fi parts' own pages. The registries' lists,
forms, details and histories are the platform's generic pages."""

from __future__ import annotations

from pontive.assets import assessment_pages, infra_pages, software_pages, wifi_pages
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
router.include_router(infra_pages.router)
router.include_router(software_pages.router)
router.include_router(assessment_pages.router)
router.include_router(wifi_pages.router)
