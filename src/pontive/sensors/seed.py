"""Rows the sensors domain ships: the ISPU breakpoint table (PermenLHK P.14/2020 Lampiran).

Run by ``pontive db upgrade``. A pollutant's bands are written only while the table holds
none for it, so a table an operator edited (``ispu_table.replace_ispu_breakpoints``) is never
overwritten; running it again adds nothing. See ``ispu_table`` for the anchors chosen.
"""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pontive.sensors.indices_cache import forget_index_cache
from pontive.sensors.ispu_table import default_table
from pontive.sensors.models import IspuBreakpoint


def seed(*, session: Session) -> int:
    """Add the shipped ISPU bands of every pollutant that has none; returns rows added."""
    present = set(session.scalars(select(IspuBreakpoint.quantity).distinct()))
    rows = [
        {
            "quantity": quantity,
            "ispu_low": band.ispu_low,
            "ispu_high": band.ispu_high,
            "concentration_low": band.concentration_low,
            "concentration_high": band.concentration_high,
        }
        for quantity, bands in default_table().items()
        if quantity not in present
        for band in bands
    ]
    if rows:
        session.execute(insert(IspuBreakpoint), rows)
    session.commit()
    forget_index_cache()
    return len(rows)
