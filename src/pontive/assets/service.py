"""Who may do what with ICT assets, for the whole assets package:

- every staff role reads the infrastructure, the sites, the software catalogue and the
  integrations (the council too: Pasal 5 asks it to oversee them);
- the technical team and admins keep all of them;
- an agency's officers (``petugas_pd``) keep what their own agency owns: its sites, its
  infrastructure, its systems and the integrations it is responsible for.

The assessment and Wi-Fi parts register their own actions in their modules and may reuse
``VIEW`` for reading.
"""

from __future__ import annotations

from pontive.core import permissions
from pontive.core.permissions import STAFF
from pontive.core.roles import Role

KEEPERS = frozenset({Role.TIM_TEKNIS, Role.ADMIN})

VIEW = permissions.register("assets.view", STAFF)
INFRA_EDIT = permissions.register(
    "assets.infrastructure.edit", {*KEEPERS, Role.PETUGAS_PD}, pd_scoped=True
)
SOFTWARE_EDIT = permissions.register(
    "assets.software.edit", {*KEEPERS, Role.PETUGAS_PD}, pd_scoped=True
)
