"""CCTV pages: the router the platform mounts, public and owners' pages.

Public, phone first, readable without JavaScript: the camera map and list (``/cctv``), one
camera (``/cctv/<code>``), coverage per kelurahan (``/cctv/cakupan``) — Perda 9/2022
Pasal 17c — and the enrolment of citizens' and businesses' cameras (``/cctv/daftar``,
Pasal 22d) with the owners' private pages (``/cctv/pemilik/<token>``,
``/cctv/rekaman/<token>``). Stream addresses and owners' contacts never reach these pages.
The staff console (``/console/cctv``, ``console_pages``) is included here.
"""

from __future__ import annotations

from pontive.cctv import console_pages, pages_camera, pages_enrol, pages_owner, pages_public
from pontive.web.navigation import NavLink, register_public
from pontive.web.pagecache import clear_on_events
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
# The fixed paths (``/cctv/daftar``, ``/cctv/cakupan`` …) come before ``/cctv/{code}``.
router.include_router(pages_public.router)
router.include_router(pages_enrol.router)
router.include_router(pages_owner.router)
router.include_router(pages_camera.router)
router.include_router(console_pages.router)

register_public(NavLink("/cctv", "cctv.pub.nav", "cctv.pub.nav_desc", "camera", order=45))
# A camera approved, paused or withdrawn leaves or joins the public map at once, not after
# the shared copy's half minute.
clear_on_events("cctv.camera_changed")
