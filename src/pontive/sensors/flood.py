"""Flood status of a water-level station: Normal, Waspada, Siaga, Awas from its thresholds.

A threshold row (``sensor_flood_thresholds``) belongs to the water-level datastream and says
in which datum its three levels are given: a staff-gauge reading in centimetres
(``gauge_cm``) or metres above the local tidal datum (``tide_m``). Pontianak's news quote both
(Kapuas gauge ≈ 270-310 cm at flood; rob tides 1.6-2.0 m above MLLW); they are never mixed.
A reading reaches a level when it is at or above it (``level >= siaga`` → Siaga). The stream's
own unit (``unitOfMeasurement.symbol``: mm, cm or m) is converted to the datum's unit; a
stream in any other unit gets no flood status. No hysteresis: the status is a pure function of
each reading, so recomputing history gives the same answers (debounce belongs to alert rules).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core import audit, permissions
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.sensors.choices import FloodDatum, FloodStatus, Quantity
from pontive.sensors.models import Datastream, FloodThreshold, Thing
from pontive.web.i18n import translate

MANAGE_THRESHOLDS = permissions.register(
    "sensors.flood_thresholds.manage",
    {Role.OPERATOR, Role.TIM_TEKNIS, Role.ADMIN, Role.PETUGAS_PD},
    pd_scoped=True,  # BPBD or PUPR officers set the levels of their own gauges
)

_METRES_PER_UNIT = {"mm": 0.001, "cm": 0.01, "m": 1.0}
_DATUM_UNIT = {FloodDatum.GAUGE_CM: "cm", FloodDatum.TIDE_M: "m"}

# Illustrative starting values for operators without official levels yet, from the
# observed Pontianak extremes in the context digest (gauge 285-308 cm in flood years; tides
# 1.6-1.9 m typical rob, ≈2.0 m annual maximum). NOT official BPBD levels: set those.
SUGGESTED_THRESHOLDS: Mapping[FloodDatum, tuple[float, float, float]] = {
    FloodDatum.GAUGE_CM: (260.0, 280.0, 300.0),
    FloodDatum.TIDE_M: (1.6, 1.8, 2.0),
}


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The three levels of one station, in the unit of their datum."""

    datum: FloodDatum
    waspada: float
    siaga: float
    awas: float


def datum_unit(datum: FloodDatum) -> str:
    """The unit symbol thresholds of ``datum`` are written in (``cm`` or ``m``)."""
    return _DATUM_UNIT[datum]


def length_factor(symbol: str | None, datum: FloodDatum) -> float | None:
    """Factor from the stream's unit to the datum's unit; ``None`` for a non-length unit."""
    metres = _METRES_PER_UNIT.get((symbol or "").strip().lower())
    if metres is None:
        return None
    return metres / _METRES_PER_UNIT[_DATUM_UNIT[datum]]


def flood_status(level: float, thresholds: Thresholds) -> FloodStatus:
    """The status of a level already in the thresholds' unit (at a threshold = that level)."""
    if level >= thresholds.awas:
        return FloodStatus.AWAS
    if level >= thresholds.siaga:
        return FloodStatus.SIAGA
    if level >= thresholds.waspada:
        return FloodStatus.WASPADA
    return FloodStatus.NORMAL


def status_of_reading(
    value: Any, *, unit_symbol: str | None, thresholds: Thresholds
) -> tuple[FloodStatus, float] | None:
    """(status, level in the datum's unit) of a raw reading; ``None`` when not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    factor = length_factor(unit_symbol, thresholds.datum)
    if factor is None:
        return None
    level = value * factor
    return flood_status(level, thresholds), level


def threshold_errors(
    *,
    datum: FloodDatum,
    waspada: float,
    siaga: float,
    awas: float,
    stream_quantity: Quantity | None,
    stream_unit: str | None,
    lang: str = "id",
) -> dict[str, list[str]]:
    """Field errors of a proposed threshold row (empty when it is consistent)."""
    errors: dict[str, list[str]] = {}
    if stream_quantity is not Quantity.WATER_LEVEL:
        errors["datastream_id"] = [translate("sensors.flood.err_not_water_level", lang)]
    if length_factor(stream_unit, datum) is None:
        message = translate("sensors.flood.err_unit", lang, unit=stream_unit or "-")
        errors["datum"] = [message]
    levels = {"waspada": waspada, "siaga": siaga, "awas": awas}
    for name, level in levels.items():
        if not math.isfinite(level):
            errors[name] = [translate("sensors.flood.err_number", lang)]
    if errors.keys() & levels.keys():
        return errors
    if siaga <= waspada:
        errors["siaga"] = [translate("sensors.flood.err_siaga_order", lang)]
    if awas <= siaga:
        errors["awas"] = [translate("sensors.flood.err_awas_order", lang)]
    return errors


def _stream_and_owner(session: Session, datastream_id: int) -> tuple[Datastream, str | None]:
    row = session.execute(
        select(Datastream, Thing.pd_kode)
        .join(Thing, Thing.id == Datastream.thing_id)
        .where(Datastream.id == datastream_id)
    ).first()
    if row is None:
        raise NotFound("Datastream tidak ditemukan.", "Datastream not found.")
    return row[0], row[1]


def _snapshot(row: FloodThreshold) -> dict[str, Any]:
    return {"datum": row.datum.value, "waspada": row.waspada, "siaga": row.siaga, "awas": row.awas}


def _refuse_inconsistent(stream: Datastream, thresholds: Thresholds, lang: str) -> None:
    errors = threshold_errors(
        datum=thresholds.datum,
        waspada=thresholds.waspada,
        siaga=thresholds.siaga,
        awas=thresholds.awas,
        stream_quantity=stream.quantity,
        stream_unit=(stream.unit_of_measurement or {}).get("symbol"),
        lang=lang,
    )
    if errors:
        raise InvalidInput(
            "Ambang status banjir tidak konsisten.", "Inconsistent flood thresholds.", errors=errors
        )


def set_flood_threshold(
    *,
    session: Session,
    actor: Actor,
    datastream_id: int,
    thresholds: Thresholds,
    note: str = "",
    lang: str = "id",
) -> FloodThreshold:
    """Create or replace the thresholds of a water-level datastream (audited)."""
    stream, owner = _stream_and_owner(session, datastream_id)
    permissions.require(actor, MANAGE_THRESHOLDS, owner_pd=owner)
    _refuse_inconsistent(stream, thresholds, lang)
    row = session.get(FloodThreshold, datastream_id)
    before = _snapshot(row) if row is not None else None
    if row is None:
        row = FloodThreshold(datastream_id=datastream_id)
        session.add(row)
    row.datum, row.note = thresholds.datum, note
    row.waspada, row.siaga, row.awas = thresholds.waspada, thresholds.siaga, thresholds.awas
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="sensors.flood_threshold.set",
        object_type="datastream",
        object_id=datastream_id,
        before=before,
        after=_snapshot(row),
    )
    return row


def delete_flood_threshold(*, session: Session, actor: Actor, datastream_id: int) -> None:
    """Remove a stream's thresholds: it gets no flood status until new ones are set."""
    _stream, owner = _stream_and_owner(session, datastream_id)
    permissions.require(actor, MANAGE_THRESHOLDS, owner_pd=owner)
    row = session.get(FloodThreshold, datastream_id)
    if row is None:
        raise NotFound("Ambang belum diatur.", "No thresholds are set.")
    before = _snapshot(row)
    session.delete(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="sensors.flood_threshold.delete",
        object_type="datastream",
        object_id=datastream_id,
        before=before,
    )
