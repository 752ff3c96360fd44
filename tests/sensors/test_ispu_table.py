"""Editing the ISPU breakpoints: validation with field errors, permission, audit, cache."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.audit import AuditEvent
from pontive.core.errors import InvalidInput, PermissionDenied
from pontive.core.identity import Actor, ActorKind, system_actor
from pontive.core.roles import Role
from pontive.sensors.choices import Quantity
from pontive.sensors.indices_cache import breakpoint_table
from pontive.sensors.ispu import Breakpoint
from pontive.sensors.ispu_table import (
    breakpoint_errors,
    default_table,
    replace_ispu_breakpoints,
)
from tests.sensors.indices_support import _fresh_process_caches  # noqa: F401 - autouse fixture

ADMIN = system_actor("test")
B = Breakpoint


def test_the_shipped_table_is_valid() -> None:
    for bands in default_table().values():
        assert breakpoint_errors(bands) == {}


def test_gaps_reversed_bands_and_negatives_get_field_errors() -> None:
    assert breakpoint_errors([]) == {"rows": ["Isi minimal satu baris batas."]}
    gap = breakpoint_errors([B(0, 50, 0, 15.5), B(50, 100, 16, 55.4)], lang="en")
    assert list(gap) == ["rows[1]"]
    assert "contiguous" in gap["rows[1]"][0]
    reversed_band = breakpoint_errors([B(0, 50, 0, 15.5), B(100, 50, 15.5, 10)])
    assert set(reversed_band) == {"rows[1].ispu_high", "rows[1].concentration_high"}
    assert set(breakpoint_errors([B(0, 50, -1, 15.5)])) == {"rows[0].concentration_low"}
    assert set(breakpoint_errors([B(0, 50, 0, math.nan)])) == {"rows[0]"}


def test_replacing_a_table_is_checked_audited_and_seen_at_once(session: Session) -> None:
    assert breakpoint_table(session)[Quantity.NO2][-1].concentration_high == 3000
    bands = [*default_table()[Quantity.NO2][:4], B(300, 500, 2260, 3750)]
    replace_ispu_breakpoints(
        session=session, actor=ADMIN, quantity=Quantity.NO2, bands=list(reversed(bands))
    )
    assert breakpoint_table(session)[Quantity.NO2][-1].concentration_high == 3750
    audit = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "sensors.ispu_breakpoints.replace")
    ).one()
    assert audit.object_id == "no2"
    with pytest.raises(InvalidInput) as raised:
        replace_ispu_breakpoints(
            session=session,
            actor=ADMIN,
            quantity=Quantity.NO2,
            bands=[B(0, 50, 0, 80), B(60, 100, 80, 200)],
        )
    assert set(raised.value.errors) == {"rows[1]"}
    with pytest.raises(InvalidInput):
        replace_ispu_breakpoints(
            session=session, actor=ADMIN, quantity=Quantity.WATER_LEVEL, bands=bands
        )


def test_only_the_technical_team_and_admins_edit_the_table(session: Session) -> None:
    operator = Actor(kind=ActorKind.USER, role=Role.OPERATOR, id=3, name="operator")
    with pytest.raises(PermissionDenied):
        replace_ispu_breakpoints(
            session=session,
            actor=operator,
            quantity=Quantity.PM25,
            bands=default_table()[Quantity.PM25],
        )
