"""Masterplan pages: the router the platform mounts.

The staff console (``/console/masterplan``): the masterplan and its versions, programmes,
activities and indicators (``console_plan``); monitoring — realisation reports with evidence,
bulk imports, verification, dashboards (``console_monitoring``); the annual evaluation, its
frameworks and report, the council's recommendations (``console_evaluation``). Public: the
programme per dimension with indicator progress and budget realisation, and the published
evaluation reports (``/smartcity``, ``pages_public``).
"""

from __future__ import annotations

from pontive.masterplan import console_evaluation, console_monitoring, console_plan, pages_public
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
router.include_router(console_monitoring.router)
router.include_router(console_evaluation.router)
router.include_router(console_plan.router)
router.include_router(pages_public.router)
