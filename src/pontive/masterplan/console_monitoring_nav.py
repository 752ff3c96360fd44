"""The monitoring section's own navigation and page renderer: the overview, the verification
queue, the bulk import and the three dashboards, each shown to whoever may use it, inside
the masterplan console's tabs (``console_support``)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from pontive.core import permissions
from pontive.core.identity import Actor
from pontive.masterplan.console_support import MONITORING, page
from pontive.masterplan.service import READ, REPORT, VERIFY

QUEUE = f"{MONITORING}/verifikasi"
IMPORT = f"{MONITORING}/impor"
BY_DIMENSION = f"{MONITORING}/dimensi"
BY_AGENCY = f"{MONITORING}/pd"
BY_KELURAHAN = f"{MONITORING}/kelurahan"
INDICATOR = f"{MONITORING}/indikator"
EVIDENCE = f"{MONITORING}/bukti"
ENTRY = f"{MONITORING}/entri"


def may_report_some(actor: Actor) -> bool:
    """Whether ``actor`` may report values of some indicator (its agency's, or any)."""
    return permissions.can(actor, REPORT, owner_pd=actor.pd_kode)


def subnav(actor: Actor, current: str) -> list[tuple[str, str, bool]]:
    """The monitoring pages ``actor`` may open: path, label key, whether it is this one."""
    pages = [
        (MONITORING, "mp.mon.nav.overview", permissions.can(actor, READ)),
        (QUEUE, "mp.mon.nav.queue", permissions.can(actor, VERIFY)),
        (IMPORT, "mp.mon.nav.import", may_report_some(actor)),
        (BY_DIMENSION, "mp.mon.nav.dimensions", permissions.can(actor, READ)),
        (BY_AGENCY, "mp.mon.nav.agencies", permissions.can(actor, READ)),
        (BY_KELURAHAN, "mp.mon.nav.kelurahan", permissions.can(actor, READ)),
    ]
    return [(path, key, path == current) for path, key, allowed in pages if allowed]


def monitor_page(
    request: Request,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    *,
    current: str = "",
    status_code: int = 200,
) -> Response:
    """Render a monitoring page under the console's Pemantauan tab, with the section's own
    navigation (``current``: the entry of it to mark)."""
    full = {"subnav": subnav(actor, current), "monitoring": MONITORING} | context
    return page(request, actor, template, full, status_code=status_code, section=MONITORING)
