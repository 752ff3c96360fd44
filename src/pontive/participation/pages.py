"""Participation pages: the router the platform mounts.

Public, phone first, working without JavaScript: ideas and solutions (``/gagasan``, Perda
9/2022 Pasal 22c) with support and comments from verified people, and facility care by
volunteers (``/adopsi-fasilitas``, Pasal 22b). The moderation actions behind the panels of
the console's registry pages (``/console/partisipasi``) are included here too.
"""

from __future__ import annotations

from pontive.participation import pages_adoption, pages_console, pages_ideas, pages_verify
from pontive.web.navigation import NavLink, register_public
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
router.include_router(pages_ideas.router)
router.include_router(pages_verify.router)
router.include_router(pages_adoption.router)
router.include_router(pages_console.router)

register_public(NavLink("/gagasan", "par.nav.ideas", "par.nav.ideas_desc", "users", order=60))
register_public(NavLink("/adopsi-fasilitas", "par.nav.care", "par.nav.care_desc", "map", order=62))
