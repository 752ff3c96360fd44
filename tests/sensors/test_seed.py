"""The shipped ISPU table: the digest's values, seeded once, never over an operator's edit."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from pontive.core.identity import system_actor
from pontive.sensors.choices import ISPU_POLLUTANTS, Quantity
from pontive.sensors.ispu import Breakpoint
from pontive.sensors.ispu_table import default_table, replace_ispu_breakpoints, stored_bands
from pontive.sensors.models import IspuBreakpoint
from pontive.sensors.seed import seed
from tests.sensors.indices_support import _fresh_process_caches  # noqa: F401 - autouse fixture

# PermenLHK P.14/2020 Lampiran as transcribed in the digest (§3), typed in by hand:
# concentration anchors (µg/m³) at ISPU 0, 50, 100, 200, 300 and the top anchor 500.
DIGEST = {
    Quantity.PM10: (0, 50, 150, 350, 420, 500),
    Quantity.PM25: (0, 15.5, 55.4, 150.4, 250.4, 500),
    Quantity.SO2: (0, 52, 180, 400, 800, 1200),
    Quantity.CO: (0, 4000, 8000, 15000, 30000, 45000),
    Quantity.O3: (0, 120, 235, 400, 800, 1000),
    Quantity.NO2: (0, 80, 200, 1130, 2260, 3000),
    Quantity.HC: (0, 45, 100, 215, 432, 648),
}
LEVELS = (0, 50, 100, 200, 300, 500)


def _count(session: Session, quantity: Quantity | None = None) -> int:
    statement = select(func.count()).select_from(IspuBreakpoint)
    if quantity is not None:
        statement = statement.where(IspuBreakpoint.quantity == quantity)
    return session.scalar(statement) or 0


def test_the_shipped_table_is_the_digests() -> None:
    table = default_table()
    assert set(table) == set(ISPU_POLLUTANTS)
    for quantity, anchors in DIGEST.items():
        expected = [
            Breakpoint(LEVELS[i], LEVELS[i + 1], anchors[i], anchors[i + 1]) for i in range(5)
        ]
        assert table[quantity] == expected, quantity


def test_db_upgrade_seeded_the_table_and_a_second_run_adds_nothing(session: Session) -> None:
    assert _count(session) == 35  # prepare_database ran seed, as ``pontive db upgrade`` does
    assert seed(session=session) == 0
    assert _count(session) == 35


def test_a_missing_pollutant_is_seeded_again(session: Session) -> None:
    session.execute(delete(IspuBreakpoint).where(IspuBreakpoint.quantity == Quantity.HC))
    assert seed(session=session) == 5
    assert stored_bands(session, Quantity.HC) == default_table()[Quantity.HC]


def test_an_operators_table_is_never_overwritten(session: Session) -> None:
    # e.g. the other top anchors some implementations use (SO2 1 000 instead of 1 200).
    edited = [*default_table()[Quantity.SO2][:4], Breakpoint(300, 500, 800, 1000)]
    replace_ispu_breakpoints(
        session=session, actor=system_actor("test"), quantity=Quantity.SO2, bands=edited
    )
    assert seed(session=session) == 0
    assert stored_bands(session, Quantity.SO2) == edited
    assert _count(session, Quantity.SO2) == 5
