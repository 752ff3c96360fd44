"""The ISPU breakpoint table as data: the shipped default, validation and replacement.

The shipped table (``data/ispu_breakpoints.csv``) is the Lampiran of PermenLHK P.14/2020 as
transcribed in the ISPU digest (§3). Its top row (ISPU 300-500) differs between sources: the
transcription gives SO2 1 200, NO2 3 000 and HC 648 µg/m³, while other implementations use
1 000, 3 750 and 600. We ship the transcription (the only source that quotes the Lampiran
itself) and make every row editable, because the official PDF could not be checked. A table
for one pollutant must be a run of contiguous bands, increasing in both concentration and
index, starting at concentration ≥ 0.
"""

from __future__ import annotations

import csv
import itertools
import math
from collections.abc import Sequence
from importlib import resources

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from pontive.core import audit, permissions
from pontive.core.errors import InvalidInput
from pontive.core.identity import Actor
from pontive.core.roles import Role
from pontive.sensors.choices import ISPU_POLLUTANTS, Quantity
from pontive.sensors.indices_cache import forget_index_cache
from pontive.sensors.ispu import Breakpoint
from pontive.sensors.models import IspuBreakpoint
from pontive.web.i18n import translate

MANAGE_BREAKPOINTS = permissions.register(
    "sensors.ispu_breakpoints.manage", {Role.TIM_TEKNIS, Role.ADMIN}
)
DEFAULT_TABLE_FILE = "ispu_breakpoints.csv"


def default_table() -> dict[Quantity, list[Breakpoint]]:
    """The shipped table (PermenLHK P.14/2020 Lampiran, as transcribed), per pollutant."""
    table: dict[Quantity, list[Breakpoint]] = {}
    source = resources.files("pontive.sensors").joinpath("data", DEFAULT_TABLE_FILE)
    with source.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            band = Breakpoint(
                ispu_low=float(row["ispu_low"]),
                ispu_high=float(row["ispu_high"]),
                concentration_low=float(row["concentration_low"]),
                concentration_high=float(row["concentration_high"]),
            )
            table.setdefault(Quantity(row["quantity"]), []).append(band)
    return table


def _band_errors(index: int, band: Breakpoint, lang: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    values = (band.ispu_low, band.ispu_high, band.concentration_low, band.concentration_high)
    if not all(math.isfinite(value) for value in values):
        errors[f"rows[{index}]"] = [translate("sensors.ispu.err_number", lang)]
        return errors
    if band.ispu_high <= band.ispu_low:
        errors[f"rows[{index}].ispu_high"] = [translate("sensors.ispu.err_band_ispu", lang)]
    if band.concentration_high <= band.concentration_low:
        message = translate("sensors.ispu.err_band_concentration", lang)
        errors[f"rows[{index}].concentration_high"] = [message]
    return errors


def breakpoint_errors(bands: Sequence[Breakpoint], *, lang: str = "id") -> dict[str, list[str]]:
    """Field errors of one pollutant's proposed bands, in concentration order (empty: valid)."""
    if not bands:
        return {"rows": [translate("sensors.ispu.err_empty", lang)]}
    errors: dict[str, list[str]] = {}
    for index, band in enumerate(bands):
        errors |= _band_errors(index, band, lang)
    if errors:
        return errors
    if bands[0].concentration_low < 0 or bands[0].ispu_low < 0:
        errors["rows[0].concentration_low"] = [translate("sensors.ispu.err_negative", lang)]
    for index, (lower, upper) in enumerate(itertools.pairwise(bands), start=1):
        if (upper.ispu_low, upper.concentration_low) != (lower.ispu_high, lower.concentration_high):
            errors[f"rows[{index}]"] = [translate("sensors.ispu.err_gap", lang)]
    return errors


def _as_dicts(bands: Sequence[Breakpoint]) -> list[dict[str, float]]:
    return [
        {
            "ispu_low": band.ispu_low,
            "ispu_high": band.ispu_high,
            "concentration_low": band.concentration_low,
            "concentration_high": band.concentration_high,
        }
        for band in bands
    ]


def stored_bands(session: Session, quantity: Quantity) -> list[Breakpoint]:
    """The bands stored for ``quantity``, in concentration order."""
    rows = session.scalars(
        select(IspuBreakpoint)
        .where(IspuBreakpoint.quantity == quantity)
        .order_by(IspuBreakpoint.concentration_low)
    )
    return [
        Breakpoint(row.ispu_low, row.ispu_high, row.concentration_low, row.concentration_high)
        for row in rows
    ]


def replace_ispu_breakpoints(
    *,
    session: Session,
    actor: Actor,
    quantity: Quantity,
    bands: Sequence[Breakpoint],
    lang: str = "id",
) -> list[Breakpoint]:
    """Replace one pollutant's bands after checking them (audited); returns the new bands."""
    permissions.require(actor, MANAGE_BREAKPOINTS)
    if quantity not in ISPU_POLLUTANTS:
        raise InvalidInput(
            errors={"quantity": [translate("sensors.ispu.err_quantity", lang)]},
        )
    ordered = sorted(bands, key=lambda band: band.concentration_low)
    errors = breakpoint_errors(ordered, lang=lang)
    if errors:
        raise InvalidInput(
            "Tabel ISPU tidak konsisten.", "Inconsistent ISPU breakpoints.", errors=errors
        )
    before = _as_dicts(stored_bands(session, quantity))
    session.execute(delete(IspuBreakpoint).where(IspuBreakpoint.quantity == quantity))
    session.execute(
        insert(IspuBreakpoint), [{"quantity": quantity, **row} for row in _as_dicts(ordered)]
    )
    audit.record(
        session,
        actor=actor,
        action="sensors.ispu_breakpoints.replace",
        object_type="ispu_breakpoints",
        object_id=quantity.value,
        before={"rows": before},
        after={"rows": _as_dicts(ordered)},
    )
    forget_index_cache()
    return ordered
