"""The open data portal's pages, mounted by the platform (``domains.py``: ``pages``):

- ``/data``: search with facets (``pages_portal.py``);
- ``/data/<name>``: a dataset (``pages_dataset.py``);
- ``/data/<name>/sumber/<resource id>``: a resource's table, chart and map
  (``pages_resource.py``);
- ``/console/data…``: publishing for Perangkat Daerah officers (``console_pages.py``).

The machine interfaces (CKAN Action API, datastore downloads, DCAT) are in ``api.py``.
"""

from __future__ import annotations

from pontive.opendata import console_pages, pages_dataset, pages_portal, pages_resource
from pontive.web.navigation import NavLink, register_console, register_public
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)
router.include_router(console_pages.router)
router.include_router(pages_portal.router)
# The resource's longer paths before the dataset's ``/data/{name}``.
router.include_router(pages_resource.router)
router.include_router(pages_dataset.router)

register_public(NavLink("/data", "odp.nav", "odp.nav_desc", "data", order=40))
# Every publisher sees the card (``opendata.publish`` is checked per PD, on each dataset).
register_console(
    NavLink("/console/data", "odc.nav", "odc.nav_desc", "data", console_pages.CONSOLE_OPEN, 40)
)
