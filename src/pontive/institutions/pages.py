"""Institutions pages: the router the platform mounts.

The registries' own pages (lists, details, forms, CSV, history) come from the registry
framework; here are the domain's: the council in public (``/dewan-smart-city``,
``pages_public``), and in the console the follow-up of the council's recommendations and the
capacity overview (``pages_console``).
"""

from __future__ import annotations

from pontive.institutions import pages_console, pages_public
from pontive.institutions.paths import PUBLIC_PAGE
from pontive.web.navigation import NavLink, register_public
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
router.include_router(pages_public.router)
router.include_router(pages_console.router)

register_public(NavLink(PUBLIC_PAGE, "inst.pub.nav", "inst.pub.nav_desc", "users", order=65))
