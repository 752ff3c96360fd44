"""The open data portal's machine interfaces: the CKAN Action API (``ckan.py``), datastore
downloads (``datastore_views.py``) and the DCAT / Project Open Data catalogues
(``dcat_views.py``)."""

from __future__ import annotations

from pontive.opendata import ckan, datastore_views, dcat_views
from pontive.web.routing import PontiveRouter

router = PontiveRouter()
router.include_router(ckan.router)
router.include_router(datastore_views.router)
router.include_router(dcat_views.router)
