"""Public Wi-Fi and stakeholders' technology: permissions and the registries' rules.

Who may do what (the registries' ``view_action``/``edit_action``), the checks a hotspot or a
technology must pass however it is written (form, CSV, API, public form), and what is kept
after each write: a person's edit of a hotspot takes its status over from the reports; a
technology's verification is stamped with who and when.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.assets.wifi_choices import HotspotStatus, Problem, TechnologyStatus
from pontive.assets.wifi_models import StakeholderTechnology, WifiHotspot, WifiReport
from pontive.complaints.choices import ComplaintStatus
from pontive.core import permissions
from pontive.core.identity import Actor, ActorKind, system_actor
from pontive.core.registry import Text, pick
from pontive.core.roles import Role
from pontive.core.timeutil import utcnow
from pontive.reference import service as reference

VIEW = permissions.register("assets.wifi.view", permissions.STAFF)
EDIT = permissions.register(
    "assets.wifi.edit", {Role.TIM_TEKNIS, Role.ADMIN, Role.PETUGAS_PD}, pd_scoped=True
)
TECH_VIEW = permissions.register("assets.technology.view", permissions.STAFF)
TECH_EDIT = permissions.register("assets.technology.moderate", {Role.TIM_TEKNIS, Role.ADMIN})

# The platform's hand in hotspot writes (reports, reconciliation) and the public form's in
# technology submissions: both appear under these names in the history and the audit trail.
WIFI_SYSTEM = system_actor("wifi-publik")
PUBLIC_FORM = system_actor("teknologi-mitra-publik")
# Reports about a hotspot go to this agency unless the hotspot has an owner PD.
DEFAULT_PD = "diskominfo"

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$")
_TIME = re.compile(r"\d{1,2}[.:]\d{2}")
MESSAGES: dict[str, Text] = {
    "code": (
        "Kode hanya huruf, angka, titik, garis bawah atau tanda hubung (2-40 karakter).",
        "Code: letters, digits, dots, underscores or hyphens only (2-40 characters).",
    ),
    "hours": (
        'Tulis jam layanan seperti "06.00-22.00" atau "24 jam".',
        'Write the hours like "06.00-22.00" or "24 jam".',
    ),
    "outside": ("Lokasi berada di luar Kota Pontianak.", "The place is outside Pontianak."),
}


def _is_system(actor: Actor, system: Actor) -> bool:
    return actor.kind is ActorKind.SYSTEM and actor.name == system.name


def hours_ok(text: str) -> bool:
    """Whether ``text`` states opening hours: a time like ``06.00`` or "24 jam"."""
    lowered = text.lower()
    return bool(_TIME.search(text)) or "24 jam" in lowered or "24 hours" in lowered


def _inside_city(session: Session, point: tuple[float, float]) -> bool:
    return reference.resolve_location(session=session, lon=point[0], lat=point[1]).is_inside_city


def validate_hotspot(
    session: Session, values: Mapping[str, Any], row: Any, lang: str
) -> dict[str, list[str]]:
    """A hotspot's own rules: a code fit for a sticker, hours people can read, in the city."""
    errors: dict[str, list[str]] = {}
    code = values.get("code")
    if code is not None and not _CODE.match(code):
        errors["code"] = [pick(MESSAGES["code"], lang)]
    hours = values.get("hours")
    if hours is not None and not hours_ok(hours):
        errors["hours"] = [pick(MESSAGES["hours"], lang)]
    point = values.get("location")
    if point is not None and not _inside_city(session, point):
        errors["lon"] = [pick(MESSAGES["outside"], lang)]
    return errors


def after_hotspot_save(session: Session, actor: Actor, row: Any) -> None:
    """A person's edit takes the status over: reconciliation no longer turns it back."""
    if isinstance(row, WifiHotspot) and not _is_system(actor, WIFI_SYSTEM):
        row.status_by_reports = False


def validate_technology(
    session: Session, values: Mapping[str, Any], row: Any, lang: str
) -> dict[str, list[str]]:
    """A technology placed on the map must be in the city."""
    point = values.get("location")
    if point is not None and not _inside_city(session, point):
        return {"lon": [pick(MESSAGES["outside"], lang)]}
    return {}


def after_technology_save(session: Session, actor: Actor, row: Any) -> None:
    """Stamp who verified a technology and when (once); a step back clears the stamp."""
    if not isinstance(row, StakeholderTechnology):
        return
    status = TechnologyStatus(row.status)
    if status.is_verified and row.verified_at is None:
        row.verified_at = utcnow()
        row.verified_by = actor.label[:200]
    elif status in (TechnologyStatus.DIAJUKAN, TechnologyStatus.DITOLAK):
        row.verified_at = None
        row.verified_by = None


PANEL_REPORTS = 20  # the latest reports a hotspot's page lists


def _choice(choice: type[ComplaintStatus] | type[Problem], value: str) -> Any:
    # A value stored by an older version may no longer be a member: show it as it is.
    return choice(value) if value in choice._value2member_map_ else None


def hotspot_panel(session: Session, actor: Actor, row: Any) -> dict[str, Any]:
    """The hotspot page's section on citizens' reports: the latest, how many are open, and
    whether this person may turn the hotspot back to *aktif*."""
    links = session.scalars(
        select(WifiReport)
        .where(WifiReport.hotspot_id == row.id)
        .order_by(WifiReport.reported_at.desc(), WifiReport.id.desc())
        .limit(PANEL_REPORTS)
    ).all()
    reports = [
        {
            "tracking_number": link.tracking_number,
            "problem": _choice(Problem, link.problem),
            "status": _choice(ComplaintStatus, link.complaint_status),
            "status_value": link.complaint_status,
            "is_open": link.is_open,
            "reported_at": link.reported_at,
        }
        for link in links
    ]
    status = HotspotStatus(row.status)
    may_edit = permissions.can(actor, EDIT, owner_pd=row.owner_pd)
    return {
        "reports": reports,
        "open_reports": row.open_reports,
        "status_by_reports": row.status_by_reports,
        "can_restore": may_edit and status is HotspotStatus.GANGGUAN,
        "restore_url": f"/console/aset/wifi/{row.id}/pulihkan",
    }
