"""The staff console for alerts (``/console/peringatan``), included by ``alerts/pages.py``:

- the desk (``console_desk.py``): drafts to approve, alerts in force, history, manual alerts;
- rules (``console_rules.py``): list, create and edit per kind, enable/disable, versions;
- the operating mode (``console_status.py``): declare and end, history, contacts, shelters;
- webhooks (``console_webhooks.py``): partner subscriptions and their delivery log;
- official feeds (``console_feeds.py``): the sources polled and what they brought.

Every post is checked for CSRF and redirects back with a confirmation (``?ok=<key>``); a
refused form is shown again with its field errors and what was typed. Permissions are
checked by the alerts services; a person without them gets the usual 403 page.
"""

from __future__ import annotations

from pontive.alerts import (
    console_desk,
    console_feeds,
    console_rules,
    console_status,
    console_webhooks,
    mode,
    service,
    webhooks,
)
from pontive.alerts.console_support import CONSOLE
from pontive.web.navigation import NavLink, register_console
from pontive.web.routing import PontiveRouter

router = PontiveRouter(include_in_schema=False)

for link in (
    NavLink(
        CONSOLE, "alerts.cc.card", "alerts.cc.card_desc", "alert", service.ALERTS_VIEW_DRAFTS, 5
    ),
    NavLink(
        f"{CONSOLE}/status",
        "alerts.cc.status_card",
        "alerts.cc.status_card_desc",
        "shield",
        mode.MODE_DECLARE,
        6,
    ),
    NavLink(
        f"{CONSOLE}/aturan",
        "alerts.cc.rules_card",
        "alerts.cc.rules_card_desc",
        "data",
        service.ALERTS_RULES_MANAGE,
        35,
    ),
    NavLink(
        f"{CONSOLE}/webhook",
        "alerts.cc.hooks_card",
        "alerts.cc.hooks_card_desc",
        "code",
        webhooks.WEBHOOKS_MANAGE,
        60,
    ),
):
    register_console(link)

# The fixed paths (aturan, status, webhook, umpan, baru) before the desk's ``/{alert_id:int}``.
router.include_router(console_rules.router)
router.include_router(console_status.router)
router.include_router(console_webhooks.router)
router.include_router(console_feeds.router)
router.include_router(console_desk.router)
