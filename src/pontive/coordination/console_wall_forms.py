"""The wall settings form of ``/console/koordinasi/dinding``: what was typed read into a
``WallInput`` (numbers checked here, everything else by ``walls.save_wall``), refusals as
field errors in the page's language, and the values each wall's form shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.datastructures import FormData

from pontive.coordination.choices import WallLayer, WallPanel
from pontive.coordination.console_support import Errors, text
from pontive.coordination.models import Wall
from pontive.coordination.walls import WallInput
from pontive.core.errors import DomainError
from pontive.web.i18n import translate

# The fields a refusal names, each with its own message (``coord.wall.err.<field>``).
KNOWN_FIELDS = ("code", "name", "layers", "panels", "center", "zoom", "complaint_days")
NEW = "baru"  # the new wall's form, in ``failed`` and its field ids


@dataclass(slots=True)
class Parsed:
    """The form read: the input for the service, or the errors found before calling it."""

    data: WallInput
    errors: Errors = field(default_factory=dict)


def _number(raw: str) -> float | None:
    # A comma is the decimal mark in Bahasa Indonesia (-0,0391).
    return float(raw.replace(",", ".")) if raw else None


def _panels_in_order(form: FormData) -> tuple[list[str], bool]:
    """The ticked panels sorted by their typed order (ties keep the usual order)."""
    ticked = [str(value) for value in form.getlist("panels")]
    usual = [panel.value for panel in WallPanel]
    keys: dict[str, tuple[int, int]] = {}
    is_valid = True
    for value in ticked:
        raw = text(form, f"order_{value}")
        place = usual.index(value) if value in usual else len(usual)
        try:
            order = int(raw) if raw else place + 1
        except ValueError:
            order = 99
        if not 1 <= order <= 9:
            is_valid = False
        keys[value] = (order, place)
    return sorted(dict.fromkeys(ticked), key=lambda value: keys[value]), is_valid


def parse_wall(form: FormData, lang: str) -> Parsed:
    """Read the posted settings; numbers that are not numbers are refused here."""
    errors: Errors = {}

    def refuse(name: str) -> None:
        errors[name] = [translate(f"coord.wall.err.{name}", lang)]

    try:
        lat, lon = _number(text(form, "center_lat")), _number(text(form, "center_lon"))
    except ValueError:
        lat = lon = None
        refuse("center")
    try:
        zoom = int(text(form, "zoom")) if text(form, "zoom") else None
    except ValueError:
        zoom = None
        refuse("zoom")
    try:
        days = int(text(form, "complaint_days") or "7")
    except ValueError:
        days = 7
        refuse("complaint_days")
    panels, is_ordered = _panels_in_order(form)
    if not is_ordered:
        errors["panels"] = [translate("coord.wall.err.order", lang)]
    data = WallInput(
        code=text(form, "code"),
        name=text(form, "name"),
        layers=[str(value) for value in form.getlist("layers")],
        panels=panels,
        center_lon=lon,
        center_lat=lat,
        zoom=zoom,
        complaint_days=days,
    )
    return Parsed(data, errors)


def refusal(error: DomainError, lang: str, *, is_conflict: bool = False) -> Errors:
    """A service's refusal as field errors in ``lang`` (a taken code: under ``code``)."""
    if is_conflict:
        return {"code": [translate("coord.wall.err.code_taken", lang)]}
    errors: Errors = {"form": [translate("coord.wall.fix_errors", lang)]}
    for name, messages in error.errors.items():
        known = name if name in KNOWN_FIELDS else None
        errors[name] = [translate(f"coord.wall.err.{known}", lang)] if known else messages
    return errors


def values_of(wall: Wall) -> dict[str, object]:
    """What a wall's settings form shows."""
    order = {panel: index + 1 for index, panel in enumerate(wall.panels)}
    return {
        "code": wall.code,
        "name": wall.name,
        "layers": list(wall.layers),
        "panels": list(wall.panels),
        "order": order,
        "center_lat": "" if wall.center_lat is None else f"{wall.center_lat:.6f}",
        "center_lon": "" if wall.center_lon is None else f"{wall.center_lon:.6f}",
        "zoom": "" if wall.zoom is None else str(wall.zoom),
        "complaint_days": str(wall.complaint_days),
    }


def values_typed(form: FormData) -> dict[str, object]:
    """What was typed, shown again beside the errors."""
    panels = [str(value) for value in form.getlist("panels")]
    return {
        "code": text(form, "code"),
        "name": text(form, "name"),
        "layers": [str(value) for value in form.getlist("layers")],
        "panels": panels,
        "order": {panel.value: text(form, f"order_{panel.value}") for panel in WallPanel},
        "center_lat": text(form, "center_lat"),
        "center_lon": text(form, "center_lon"),
        "zoom": text(form, "zoom"),
        "complaint_days": text(form, "complaint_days"),
    }


def new_values() -> dict[str, object]:
    """The new wall's form, before anything is typed: every layer and panel."""
    return {
        "code": "",
        "name": "",
        "layers": [layer.value for layer in WallLayer],
        "panels": [panel.value for panel in WallPanel],
        "order": {panel.value: index + 1 for index, panel in enumerate(WallPanel)},
        "center_lat": "",
        "center_lon": "",
        "zoom": "",
        "complaint_days": "7",
    }
