"""What every page shows of the alerts domain: the city's operating mode and active alerts.

``layout_context`` is registered with ``pontive.web.templating.register_layout_context`` and
feeds ``templates/alerts/_banner.html`` (included by the base layout). In normal mode with no
active alert nothing is shown. Cached public pages are cleared by ``alerts.>`` events
(``pages.py``), so the banner appears on the next page anyone opens.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pontive.alerts import mode, places, service
from pontive.alerts.choices import AlertState, MsgType, OperatingMode
from pontive.alerts.models import Alert, EmergencyContact
from pontive.reference import service as reference

log = logging.getLogger(__name__)

BANNER_ALERTS = 3


@dataclass(frozen=True, slots=True)
class ScopeMode:
    """One declared scope: the city (``kecamatan`` None) or a kecamatan, with its mode."""

    mode: OperatingMode
    kecamatan: str | None
    reason: str
    reason_en: str


@dataclass(frozen=True, slots=True)
class CityStatus:
    """What the banner needs: the strictest mode, each declared scope, alerts, contacts."""

    mode: OperatingMode
    scopes: tuple[ScopeMode, ...]
    alerts: tuple[Alert, ...]  # active alerts (not all-clears), newest first
    contacts: tuple[EmergencyContact, ...]

    @property
    def is_emergency(self) -> bool:
        """Whether any part of the city is out of normal mode."""
        return self.mode is not OperatingMode.NORMAL

    @property
    def show(self) -> bool:
        """Whether the banner has anything to say."""
        return self.is_emergency or bool(self.alerts)


def current_alerts(session: Session) -> list[Alert]:
    """Active alerts the public should act on: published, unexpired, not an all-clear."""
    return [
        alert
        for alert in service.active_alerts(session)
        if alert.msg_type is not MsgType.CANCEL and alert.state is AlertState.PUBLISHED
    ]


def city_status(session: Session) -> CityStatus:
    """The city's status as the banner and the situation page show it."""
    modes = mode.current_modes(session)
    names = {k.kode: k.nama_umum for k in reference.list_kecamatan(session=session)}
    scopes = []
    if modes.city.mode is not OperatingMode.NORMAL:
        scopes.append(ScopeMode(modes.city.mode, None, modes.city.reason, modes.city.reason_en))
    for state in modes.kecamatan:
        name = names.get(state.kecamatan_kode or "", state.kecamatan_kode)
        scopes.append(ScopeMode(state.mode, name, state.reason, state.reason_en))
    contacts = tuple(places.list_contacts(session)) if modes.is_emergency else ()
    alerts = tuple(current_alerts(session)[:BANNER_ALERTS])
    return CityStatus(modes.strictest, tuple(scopes), alerts, contacts)


def layout_context(request: Request) -> dict[str, Any]:
    """``city_status`` for every page; a database problem hides the banner, not the page."""
    session: Session | None = getattr(request.state, "db_session", None)
    try:
        if session is not None and session.is_active:
            return {"city_status": city_status(session)}
        with request.app.state.database.session(write=False) as own:
            return {"city_status": city_status(own)}
    except SQLAlchemyError as error:
        log.warning("city status unavailable for the banner: %s", error)
        return {}
