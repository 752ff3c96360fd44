"""Plumbing shared by the coordination console pages (``/console/koordinasi``): the
sections, the page renderer with its tabs and confirmations, and the form helpers every
console shares (re-exported from ``web/forms.py``).

Permissions are checked by the coordination services; the pages offer only what the role may
do. Nothing here is cached.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import Response

from pontive.coordination.service import READ, VIEW_EXECUTIVE, VIEW_WALL
from pontive.core.identity import Actor

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

CONSOLE = "/console/koordinasi"
EXECUTIVE = "/console/eksekutif"
# The confirmations shown after a post (``?ok=<key>``), each ``coord.flash.<key>``.
FLASH_KEYS = frozenset(
    {
        "opened", "saved", "status", "noted", "linked", "unlinked", "agencies", "closed",
        "published", "task_created", "task_saved", "task_moved", "meeting_created",
        "meeting_saved", "minutes", "decision", "signed", "wall_saved",
    }
)  # fmt: skip
# The console's sections: (path, catalogue key, permission), shown to whoever may use them.
TABS = (
    (CONSOLE, "coord.tab.incidents", READ),
    (f"{CONSOLE}/tugas", "coord.tab.tasks", READ),
    (f"{CONSOLE}/rapat", "coord.tab.meetings", READ),
    (f"{CONSOLE}/dinding", "coord.tab.walls", VIEW_WALL),
    (EXECUTIVE, "coord.tab.executive", VIEW_EXECUTIVE),
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
    """Render a coordination console page with its tabs; never cached."""
    return console_page(
        request,
        actor,
        template,
        context,
        sections=TABS,
        flash_prefix="coord.flash",
        base=CONSOLE,
        status_code=status_code,
        section=section,
    )
