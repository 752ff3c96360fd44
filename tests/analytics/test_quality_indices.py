"""Flagged readings leave the city indices: a PM2.5 spike that lifted a station's ISPU a
category no longer does once the checks flag it, a water-level spike leaves no Awas behind,
and a dismissed flag counts again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.analytics.quality_choices import FlagKind, FlagStatus
from pontive.analytics.quality_models import QualityFlag
from pontive.analytics.quality_run import run_checks
from pontive.analytics.quality_service import review_flag
from pontive.core.identity import system_actor
from pontive.sensors.choices import FloodDatum, Quantity
from pontive.sensors.flood import Thresholds, set_flood_threshold
from pontive.sensors.indices import ensure_derived_datastreams, on_observations
from pontive.sensors.ispu import category_for
from pontive.sensors.models import Datastream
from tests.sensors.indices_support import (
    _fresh_process_caches,  # noqa: F401 - autouse fixture
    derived_rows,
    make_stream,
    make_thing,
    store,
)

ACTOR = system_actor("test")
T0 = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)


def ingest(session: Session, stream_id: int, values: Sequence[float], step: int) -> list[int]:
    """Readings ``step`` minutes apart from ``T0``, stored and fed to the indices as ingest
    does; their ids."""
    readings = [(T0 + timedelta(minutes=step * i), v) for i, v in enumerate(values)]
    stored = store(session, stream_id, readings)
    on_observations(session=session, stored=stored)
    return [s.id for s in stored]


def latest_category(session: Session, ispu_id: int) -> str:
    """The category of the ISPU stream's newest value."""
    session.expire_all()
    stream = session.get_one(Datastream, ispu_id)
    return category_for(stream.last_result).value


def the_flag(session: Session, kind: FlagKind) -> QualityFlag:
    """The one flag of ``kind``."""
    return session.scalars(select(QualityFlag).where(QualityFlag.kind == kind)).one()


def test_a_spike_that_lifted_the_ispu_category_no_longer_does(session: Session) -> None:
    thing = make_thing(session, "AQMS Pontianak Kota", expected_interval_seconds=900)
    pm25 = make_stream(session, thing, Quantity.PM25, "µg/m³")
    [ispu] = ensure_derived_datastreams(session=session, thing_id=thing.id)
    values = [(12.0, 14.0, 16.0, 13.0, 15.0, 14.0)[i % 6] for i in range(26 * 4)]
    values[-3] = 999.0  # a sensor glitch in the last hour
    ids = ingest(session, pm25.id, values, step=15)
    # Without the check: (23 x 14 + (999 + 3 x 14) / 4) / 24 = 24.3 µg/m³ → Sedang.
    assert latest_category(session, ispu.id) == "sedang"

    run_checks(session, actor=ACTOR, now=T0 + timedelta(hours=26))
    spike = the_flag(session, FlagKind.SPIKE)
    assert spike.observation_id == ids[-3]
    assert latest_category(session, ispu.id) == "baik"
    assert all(
        r.result_number is not None and r.result_number <= 50
        for r in derived_rows(session, ispu.id)
    )

    review_flag(session, actor=ACTOR, flag_id=spike.id, status=FlagStatus.DISMISSED)
    assert latest_category(session, ispu.id) == "sedang"  # dismissed: it counts again
    # The next runs find the same spike and leave the reviewer's word as it is.
    run_checks(session, actor=ACTOR, now=T0 + timedelta(hours=26), since=T0)
    assert the_flag(session, FlagKind.SPIKE).status is FlagStatus.DISMISSED
    assert latest_category(session, ispu.id) == "sedang"


@pytest.fixture
def gauge(session: Session) -> tuple[int, int]:
    """A gauge in cm with 260/280/300 thresholds: (source id, flood-status id)."""
    thing = make_thing(session, "Pos duga Kapuas", expected_interval_seconds=600)
    source = make_stream(session, thing, Quantity.WATER_LEVEL, "cm")
    [status] = ensure_derived_datastreams(session=session, thing_id=thing.id)
    set_flood_threshold(
        session=session,
        actor=ACTOR,
        datastream_id=source.id,
        thresholds=Thresholds(FloodDatum.GAUGE_CM, 260, 280, 300),
    )
    return source.id, status.id


def test_a_water_spike_leaves_no_awas_and_stuck_readings_no_status(
    session: Session, gauge: tuple[int, int]
) -> None:
    source_id, status_id = gauge
    values = [250.0 + (i % 7) * 0.6 for i in range(60)]
    values[40] = 312.0  # a spike: Awas at ingest
    values[10:25] = [251.0] * 15  # stuck for 140 minutes
    ids = ingest(session, source_id, values, step=10)
    assert "awas" in [r.result_json for r in derived_rows(session, status_id)]

    run_checks(session, actor=ACTOR, now=T0 + timedelta(minutes=600))
    rows = derived_rows(session, status_id)
    assert "awas" not in [r.result_json for r in rows]
    counted = {(r.parameters or {})["source_observation"] for r in rows}
    assert ids[40] not in counted
    assert counted.isdisjoint(ids[10:25])  # stuck readings give no status either
    assert len(rows) == 60 - 1 - 15

    review_flag(
        session, actor=ACTOR, flag_id=the_flag(session, FlagKind.SPIKE).id,
        status=FlagStatus.DISMISSED,
    )  # fmt: skip
    assert "awas" in [r.result_json for r in derived_rows(session, status_id)]
