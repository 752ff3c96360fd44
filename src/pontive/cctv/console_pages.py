"""The staff console for CCTV (``/console/cctv``), included by ``cctv/pages.py``:

- the registry (``console_registry.py``): cameras, counts, filters, map; registering one;
- one camera (``console_detail.py``, ``console_camera.py``): image, health, uptime, and the
  forms to correct it, reveal its addresses or owner's contact (audited), review an enrolled
  camera, pause, resume or retire it;
- footage on request (``console_footage.py``): asking an owner, the requests and their answers;
- the video wall (``console_wall.py``) for the command center's screens;
- the viewing log and coverage per kelurahan (``console_reports.py``).

Every post is checked for CSRF; permissions are checked by the CCTV services, and the pages
offer only what the role may do. Nothing here is cached.
"""

from __future__ import annotations

from pontive.cctv import (
    console_camera,
    console_footage,
    console_registry,
    console_reports,
    console_wall,
    service,
)
from pontive.cctv.console_support import CONSOLE
from pontive.web.navigation import NavLink, register_console
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)

for link in (
    NavLink(CONSOLE, "cctv.cc.card", "cctv.cc.card_desc", "camera", service.READ_REGISTRY, 20),
    NavLink(
        f"{CONSOLE}/dinding",
        "cctv.cc.wall_card",
        "cctv.cc.wall_card_desc",
        "camera",
        service.READ_REGISTRY,
        21,
    ),
):
    register_console(link)

# The fixed paths (baru, dinding, rekaman, tayangan, cakupan) before a camera's ``/{code}``.
router.include_router(console_registry.router)
router.include_router(console_wall.router)
router.include_router(console_reports.router)
router.include_router(console_footage.router)
router.include_router(console_camera.router)
