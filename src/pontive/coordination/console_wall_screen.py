"""What the wall screen (``/console/koordinasi/dinding/<code>``) is drawn with besides its
snapshot: the map key of each layer, the words and colours ``wall.js`` writes the live ticker
with (from the choices and the catalogue, in the page's language), and the event types it
listens to.

The screen itself is static HTML; ``static/coordination/wall.js`` fetches the snapshot
(``data.json``), draws it, and follows the event stream.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from pontive.alerts.choices import OperatingMode
from pontive.alerts.choices import Severity as AlertSeverity
from pontive.cctv.choices import Health
from pontive.complaints.choices import ComplaintStatus
from pontive.coordination.choices import (
    EntryKind,
    IncidentStatus,
    LinkType,
    MeetingStatus,
    Severity,
    TaskPriority,
    TaskStatus,
    WallLayer,
    WallPanel,
)
from pontive.coordination.console_support import pd_names
from pontive.coordination.models import Wall
from pontive.coordination.walls import URGENCY_COLOURS
from pontive.core.choices import LabelledChoice
from pontive.reference import service as reference
from pontive.sensors.choices import DeviceHealth, FloodStatus, IspuCategory
from pontive.web.i18n import catalogue

# Every event the wall reacts to: a ticker line at once, then a fresh snapshot. Sensors are
# named one by one: ``sensors.>`` would also stream every batch of readings.
EVENT_TYPES = (
    *(f"coordination.incident.{verb}" for verb in (
        "opened", "updated", "noted", "status_changed", "linked", "unlinked", "closed",
        "published",
    )),
    *(f"coordination.task.{verb}" for verb in (
        "created", "updated", "started", "completed", "cancelled", "reopened", "overdue",
    )),
    *(f"coordination.meeting.{verb}" for verb in (
        "scheduled", "updated", "minuted", "decided", "signed_off",
    )),
    "complaint.created", "complaint.status_changed", "complaint.overdue",
    *(f"alerts.alert.{verb}" for verb in (
        "published", "expired", "superseded", "drafted", "rejected",
    )),
    "alerts.mode.changed", "alerts.incoming.received",
    "sensors.flood_status_changed", "sensors.ispu_category_changed",
    "sensors.device_health_changed",
    "cctv.camera_changed",
    "coordination.wall.saved",  # this wall's settings changed: the page reloads itself
)  # fmt: skip
STREAM_TYPES = ",".join(
    (
        "coordination.>",
        "complaint.>",
        "alerts.>",
        "cctv.>",
        "sensors.flood_status_changed",
        "sensors.ispu_category_changed",
        "sensors.device_health_changed",
    )
)
GREY = "#5b6b7a"
URGENCIES = tuple(URGENCY_COLOURS)


def _choices(kind: type[LabelledChoice], lang: str) -> dict[str, list[str]]:
    return {member.value: [member.label(lang), member.meta.colour or GREY] for member in kind}


def _keys(kind: type[LabelledChoice], lang: str, skip: tuple[str, ...] = ()) -> list[Any]:
    return [(m.label(lang), m.meta.colour) for m in kind if m.value not in skip]


def vocabulary(session: Session, lang: str) -> dict[str, Any]:
    """Labels and colours by value, for the ticker lines ``wall.js`` writes."""
    words = catalogue(lang)
    return {
        "severity": _choices(Severity, lang),
        "incident_status": _choices(IncidentStatus, lang),
        "entry": _choices(EntryKind, lang),
        "link": _choices(LinkType, lang),
        "task_status": _choices(TaskStatus, lang),
        "task_priority": _choices(TaskPriority, lang),
        "meeting_status": _choices(MeetingStatus, lang),
        "complaint_status": _choices(ComplaintStatus, lang),
        "urgency": {
            key: [words[f"coord.wall.urgency.{key}"], colour]
            for key, colour in URGENCY_COLOURS.items()
        },
        "alert_severity": _choices(AlertSeverity, lang),
        "mode": _choices(OperatingMode, lang),
        "flood": _choices(FloodStatus, lang),
        "ispu": _choices(IspuCategory, lang),
        "device": _choices(DeviceHealth, lang),
        "camera": _choices(Health, lang),
        "kecamatan": {k.kode: k.nama_umum for k in reference.list_kecamatan(session=session)},
        "pd": pd_names(session),
    }


def texts(lang: str) -> dict[str, str]:
    """The catalogue's words ``wall.js`` needs, by key without ``coord.wall.``."""
    words = catalogue(lang)
    prefix = "coord.wall."
    wanted = ("ev.", "conn.", "updated", "incidents.", "ticker.none", "cameras.", "fig.", "failed")
    return {
        key.removeprefix(prefix): text
        for key, text in words.items()
        if key.startswith(prefix) and key.removeprefix(prefix).startswith(wanted)
    }


def legend(wall: Wall, lang: str) -> list[dict[str, Any]]:
    """The map key: each layer the wall shows, with its colours and what they mean."""
    words = catalogue(lang)
    urgency = [(words[f"coord.wall.urgency.{key}"], URGENCY_COLOURS[key]) for key in URGENCIES]
    keys: dict[WallLayer, tuple[list[Any], list[Any], str]] = {
        WallLayer.INCIDENTS: (_keys(Severity, lang), [], "coord.wall.key.critical_pulse"),
        WallLayer.COMPLAINTS: (urgency, [], ""),
        WallLayer.SENSORS: (
            [*_keys(FloodStatus, lang), (words["coord.wall.key.inactive"], GREY)],
            _keys(IspuCategory, lang),
            "",
        ),
        WallLayer.CAMERAS: (_keys(Health, lang), [], ""),
        WallLayer.ALERTS: (
            _keys(AlertSeverity, lang, skip=("Unknown",)),
            [],
            "coord.wall.key.alert_area",
        ),
        WallLayer.MODES: (
            _keys(OperatingMode, lang, skip=("normal",)),
            [],
            "coord.wall.key.mode_outline",
        ),
    }
    shown = [layer for layer in WallLayer if layer.value in wall.layers]
    return [
        {
            "layer": layer.value,
            "label": layer.label(lang),
            "keys": keys[layer][0],
            "more": keys[layer][1],
            "note": words[keys[layer][2]] if keys[layer][2] else "",
        }
        for layer in shown
    ]


def panels(wall: Wall) -> list[WallPanel]:
    """The wall's panels, in its order."""
    known = {panel.value: panel for panel in WallPanel}
    return [known[value] for value in wall.panels if value in known]
