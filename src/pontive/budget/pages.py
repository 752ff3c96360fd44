"""Budget pages: the console (``/console/anggaran``: lines, quarters, imports, dashboards,
exports), included by the platform."""

from __future__ import annotations

from pontive.budget import console
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
router.include_router(console.router)
