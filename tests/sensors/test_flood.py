"""Flood status from thresholds in both datums, unit conversion, and the threshold service."""

from __future__ import annotations

import math
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.core.audit import AuditEvent
from pontive.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from pontive.core.identity import ANONYMOUS, Actor, ActorKind, system_actor
from pontive.core.roles import Role
from pontive.sensors.choices import FloodDatum, FloodStatus, Quantity
from pontive.sensors.flood import (
    SUGGESTED_THRESHOLDS,
    Thresholds,
    delete_flood_threshold,
    flood_status,
    length_factor,
    set_flood_threshold,
    status_of_reading,
    threshold_errors,
)
from pontive.sensors.models import FloodThreshold
from tests.sensors.indices_support import (
    _fresh_process_caches,  # noqa: F401 - autouse fixture
    make_stream,
    make_thing,
)

GAUGE = Thresholds(FloodDatum.GAUGE_CM, 260.0, 280.0, 300.0)
TIDE = Thresholds(FloodDatum.TIDE_M, 1.6, 1.8, 2.0)
ADMIN = system_actor("test")
S = FloodStatus


@pytest.mark.parametrize(
    ("level", "status"),
    [
        (0.0, S.NORMAL),
        (259.9, S.NORMAL),
        (260.0, S.WASPADA),
        (279.99, S.WASPADA),
        (280.0, S.SIAGA),
        (299.9, S.SIAGA),
        (300.0, S.AWAS),
        (308.0, S.AWAS),  # Kapuas record, December 2010
    ],
)
def test_gauge_levels_reach_a_status_at_its_threshold(level: float, status: FloodStatus) -> None:
    assert flood_status(level, GAUGE) is status


@pytest.mark.parametrize(
    ("level", "status"),
    [(1.59, S.NORMAL), (1.6, S.WASPADA), (1.8, S.SIAGA), (1.99, S.SIAGA), (2.0, S.AWAS)],
)
def test_tide_levels_reach_a_status_at_its_threshold(level: float, status: FloodStatus) -> None:
    assert flood_status(level, TIDE) is status


@pytest.mark.parametrize(
    ("value", "unit", "thresholds", "expected"),
    [
        (285, "cm", GAUGE, (S.SIAGA, 285.0)),
        (2.85, "m", GAUGE, (S.SIAGA, 285.0)),  # a gauge reporting metres
        (3000, "mm", GAUGE, (S.AWAS, 300.0)),
        (185, "cm", TIDE, (S.SIAGA, 1.85)),  # a tide sensor reporting centimetres
        (1.85, "m", TIDE, (S.SIAGA, 1.85)),
        (1.5, " M ", TIDE, (S.NORMAL, 1.5)),
    ],
)
def test_readings_are_converted_to_the_datum_unit(
    value: float, unit: str, thresholds: Thresholds, expected: tuple[FloodStatus, float]
) -> None:
    status, level = status_of_reading(value, unit_symbol=unit, thresholds=thresholds) or (None, 0)
    assert status is expected[0]
    assert level == pytest.approx(expected[1])


@pytest.mark.parametrize("value", ["285", True, None, math.nan, {"level": 285}])
def test_non_numeric_readings_get_no_status(value: Any) -> None:
    assert status_of_reading(value, unit_symbol="cm", thresholds=GAUGE) is None


def test_a_stream_in_a_non_length_unit_gets_no_status() -> None:
    assert length_factor("ft", FloodDatum.GAUGE_CM) is None
    assert length_factor(None, FloodDatum.TIDE_M) is None
    assert status_of_reading(285, unit_symbol="kPa", thresholds=GAUGE) is None


def test_inconsistent_thresholds_get_field_errors() -> None:
    errors = threshold_errors(
        datum=FloodDatum.GAUGE_CM,
        waspada=280,
        siaga=280,
        awas=270,
        stream_quantity=Quantity.PM25,
        stream_unit="ug/m3",
    )
    assert set(errors) == {"datastream_id", "datum", "siaga", "awas"}
    assert "Siaga" in errors["siaga"][0]
    english = threshold_errors(
        datum=FloodDatum.TIDE_M,
        waspada=math.inf,
        siaga=1.8,
        awas=2.0,
        stream_quantity=Quantity.WATER_LEVEL,
        stream_unit="m",
        lang="en",
    )
    assert english == {"waspada": ["Enter a number."]}
    for datum, (waspada, siaga, awas) in SUGGESTED_THRESHOLDS.items():
        unit = "cm" if datum is FloodDatum.GAUGE_CM else "m"
        assert not threshold_errors(
            datum=datum,
            waspada=waspada,
            siaga=siaga,
            awas=awas,
            stream_quantity=Quantity.WATER_LEVEL,
            stream_unit=unit,
        )


def _gauge(session: Session, pd_kode: str | None = None, unit: str = "cm") -> int:
    thing = make_thing(session, "Pos duga Kapuas Seng Hie", pd_kode=pd_kode)
    return make_stream(session, thing, Quantity.WATER_LEVEL, unit).id


def test_setting_thresholds_stores_them_and_audits_the_change(session: Session) -> None:
    stream_id = _gauge(session)
    set_flood_threshold(session=session, actor=ADMIN, datastream_id=stream_id, thresholds=GAUGE)
    tide_m = Thresholds(FloodDatum.TIDE_M, 1.6, 1.8, 2.1)
    row = set_flood_threshold(
        session=session, actor=ADMIN, datastream_id=stream_id, thresholds=tide_m, note="BPBD 2026"
    )
    assert (row.datum, row.waspada, row.siaga, row.awas, row.note) == (
        FloodDatum.TIDE_M, 1.6, 1.8, 2.1, "BPBD 2026"
    )  # fmt: skip
    audits = session.scalars(
        select(AuditEvent).where(
            AuditEvent.action == "sensors.flood_threshold.set",
            AuditEvent.object_id == str(stream_id),
        )
    ).all()
    assert len(audits) == 2
    delete_flood_threshold(session=session, actor=ADMIN, datastream_id=stream_id)
    assert session.get(FloodThreshold, stream_id) is None
    with pytest.raises(NotFound):
        delete_flood_threshold(session=session, actor=ADMIN, datastream_id=stream_id)


def test_inconsistent_thresholds_are_refused(session: Session) -> None:
    stream_id = _gauge(session, unit="kPa")
    bad = Thresholds(FloodDatum.GAUGE_CM, 300, 280, 290)
    with pytest.raises(InvalidInput) as raised:
        set_flood_threshold(session=session, actor=ADMIN, datastream_id=stream_id, thresholds=bad)
    assert set(raised.value.errors) == {"datum", "siaga"}
    assert session.get(FloodThreshold, stream_id) is None
    with pytest.raises(NotFound):
        set_flood_threshold(session=session, actor=ADMIN, datastream_id=0, thresholds=GAUGE)


def test_only_staff_and_the_owning_agency_may_set_thresholds(session: Session) -> None:
    stream_id = _gauge(session, pd_kode="bpbd")

    def officer(pd: str) -> Actor:
        return Actor(kind=ActorKind.USER, role=Role.PETUGAS_PD, id=9, name="petugas", pd_kode=pd)

    with pytest.raises(NotAuthenticated):
        set_flood_threshold(
            session=session, actor=ANONYMOUS, datastream_id=stream_id, thresholds=GAUGE
        )
    warga = Actor(kind=ActorKind.USER, role=Role.WARGA, id=8, name="warga")
    with pytest.raises(PermissionDenied):
        set_flood_threshold(session=session, actor=warga, datastream_id=stream_id, thresholds=GAUGE)
    with pytest.raises(PermissionDenied):
        set_flood_threshold(
            session=session, actor=officer("pupr"), datastream_id=stream_id, thresholds=GAUGE
        )
    row = set_flood_threshold(
        session=session, actor=officer("bpbd"), datastream_id=stream_id, thresholds=GAUGE
    )
    assert row.awas == 300.0
