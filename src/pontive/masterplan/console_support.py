"""Plumbing shared by the masterplan consoles (``/console/masterplan`` and the budget's
``/console/anggaran``): the sections, the page renderer with its tabs and confirmations, and
the form helpers every console shares (re-exported from ``web/forms.py``).

Permissions are checked by the services; the pages offer only what the role may do. Nothing
here is cached.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from pontive.core.identity import Actor
from pontive.masterplan.service import READ

# Re-exported for the console pages.
from pontive.web.forms import Errors as Errors
from pontive.web.forms import FormBody as FormBody
from pontive.web.forms import console_page
from pontive.web.forms import kelurahan_names as kelurahan_names
from pontive.web.forms import local_input as local_input
from pontive.web.forms import parse_local_time as parse_local_time
from pontive.web.forms import pd_names as pd_names
from pontive.web.forms import redirect_ok as redirect_ok
from pontive.web.forms import refused as refused
from pontive.web.forms import text as text
from pontive.web.forms import typed as typed
from pontive.web.forms import zone_of as zone_of

CONSOLE = "/console/masterplan"
PROGRAMME = f"{CONSOLE}/program"
MONITORING = f"{CONSOLE}/pemantauan"
EVALUATION = f"{CONSOLE}/evaluasi"
BUDGET = "/console/anggaran"
# The confirmations shown after a post (``?ok=<key>``), each ``mp.flash.<key>``.
FLASH_KEYS = frozenset(
    {
        "saved", "drafted", "reviewed", "adopted", "programme_saved", "activity_saved",
        "indicator_saved", "reported", "verified", "rejected", "imported", "evaluation_saved",
        "evaluation_moved", "recommendation_saved", "line_saved", "realised", "budget_imported",
    }
)  # fmt: skip
# The consoles' sections: (path, catalogue key, permission), shown to whoever may use them.
TABS = (
    (CONSOLE, "mp.plan.tab.plan", READ),
    (PROGRAMME, "mp.plan.tab.programme", READ),
    (MONITORING, "mp.plan.tab.monitoring", READ),
    (EVALUATION, "mp.plan.tab.evaluation", READ),
    (BUDGET, "mp.plan.tab.budget", READ),
)


def flash(ok: str | None) -> str | None:
    """The confirmation asked for, if it is one we show."""
    return ok if ok in FLASH_KEYS else None


def page(
    request: Request,
    actor: Actor,
    template: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    section: str | None = None,
) -> Response:
    """Render a masterplan (or budget) console page with its tabs; never cached."""
    return console_page(
        request,
        actor,
        template,
        context,
        sections=TABS,
        flash_prefix="mp.flash",
        base=CONSOLE,
        status_code=status_code,
        section=section,
    )
