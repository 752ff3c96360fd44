"""Coordination pages: the router the platform mounts.

The staff console (``/console/koordinasi``): incidents with their timeline, links, agencies,
tasks and closing report (``console_incidents``); tasks across agencies (``console_tasks``);
coordination meetings with minutes, decisions and sign-off (``console_meetings``); the
situation room's walls (``console_walls``). The executive view for the mayor and the council
(``/console/eksekutif``, ``console_executive``). Public: the published incident reports
(``/insiden``, ``pages_public``).
"""

from __future__ import annotations

from pontive.coordination import (
    console_executive,
    console_incidents,
    console_meetings,
    console_tasks,
    console_walls,
    pages_public,
    panels,
    service,
)
from pontive.coordination.console_support import CONSOLE, EXECUTIVE
from pontive.web.navigation import NavLink, register_console, register_public
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
# The fixed paths (baru, tugas, rapat, dinding) come before an incident's ``/{code}``.
router.include_router(console_walls.router)
router.include_router(console_tasks.router)
router.include_router(console_meetings.router)
router.include_router(console_incidents.router)
router.include_router(console_executive.router)
router.include_router(pages_public.router)

for link in (
    NavLink(CONSOLE, "coord.card", "coord.card_desc", "incident", service.READ, 10),
    NavLink(f"{CONSOLE}/dinding", "coord.wall_card", "coord.wall_card_desc", "wall",
            service.VIEW_WALL, 11),
    NavLink(EXECUTIVE, "coord.exec_card", "coord.exec_card_desc", "chart",
            service.VIEW_EXECUTIVE, 5),
):  # fmt: skip
    register_console(link)
panels.register()  # incidents and tasks on the complaints, CCTV and alerts staff pages
register_public(NavLink("/insiden", "coord.pub.nav", "coord.pub.nav_desc", "incident", order=55))
