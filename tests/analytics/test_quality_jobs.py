"""The worker job and the commands of the quality part, and what the demo leaves."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pontive.analytics import jobs
from pontive.analytics.quality_choices import FlagKind
from pontive.analytics.quality_jobs import check_quality
from pontive.analytics.quality_models import QualityFlag
from pontive.analytics.quality_service import overview
from pontive.core.events import MemoryBus
from pontive.core.timeutil import utcnow
from pontive.core.worker import JobContext
from pontive.sensors.choices import Quantity
from pontive.sensors.indices_quality import flags_of
from pontive.sensors.models import Datastream, Observation, Thing
from tests.analytics.test_quality_run import add_gauges
from tests.conftest import run_cli


def test_the_job_runs_every_five_minutes_and_twice_flags_nothing_twice(
    session: Session, bus: MemoryBus
) -> None:
    [job] = [job for job in jobs.JOBS if job.name == "analytics.quality"]
    assert job.interval_seconds == 300
    start = utcnow().replace(minute=0, second=0, microsecond=0) - timedelta(hours=14)
    add_gauges(session, hours=12, spoil={"kapuas-indah": {40: 400.0}}, start=start)
    check_quality(JobContext(session, bus))  # two hours after the data: open gaps too
    first = session.scalar(select(func.count(QualityFlag.id)))
    kinds = set(session.scalars(select(QualityFlag.kind)))
    assert kinds == {FlagKind.SPIKE, FlagKind.GAP}
    assert first == 4
    check_quality(JobContext(session, bus))
    assert session.scalar(select(func.count(QualityFlag.id))) == first
    assert overview(session).open_flags == first


def test_the_check_command_refuses_a_bad_date(database_url: str) -> None:
    code, output = run_cli(database_url, "analytics", "quality", "check", "--since", "kemarin")
    assert code == 1
    assert "--since" in output
    code, output = run_cli(database_url, "analytics", "evaluate", "quality", "--help")
    assert code == 0
    assert "--quick" in output


def test_the_demo_shows_every_kind_of_flag_on_realistic_faults(demo_session: Session) -> None:
    session = demo_session
    rows = session.execute(
        select(QualityFlag.kind, Thing.properties, Datastream.quantity)
        .join(Thing, Thing.id == QualityFlag.thing_id)
        .join(Datastream, Datastream.id == QualityFlag.datastream_id)
    ).all()
    found = {(kind, (props or {}).get("pontive_demo"), quantity) for kind, props, quantity in rows}
    assert (FlagKind.STUCK, "siantan-hilir", Quantity.WATER_LEVEL) in found
    assert (FlagKind.SPIKE, "udara-pontianak-kota", Quantity.PM25) in found
    assert (FlagKind.SPIKE, "jembatan-kapuas-1", Quantity.WATER_LEVEL) in found
    assert (FlagKind.DRIFT, "batu-layang", Quantity.WATER_LEVEL) in found
    assert (FlagKind.GAP, "kapuas-indah", Quantity.WATER_LEVEL) in found
    # No flag on a stream the demo left clean, but for the devices it made fall silent.
    faulty = {"siantan-hilir", "udara-pontianak-kota", "jembatan-kapuas-1", "batu-layang",
              "kapuas-indah"}  # fmt: skip
    silent = {"tanjung-hulu", "hujan-pal-lima", "udara-pontianak-barat"}
    others = {(kind, key) for kind, key, _ in found if key not in faulty}
    assert others == {(FlagKind.GAP, key) for key in silent}
    marked = session.scalars(
        select(Observation.result_quality).where(Observation.result_quality.is_not(None))
    ).all()
    assert {kind for quality in marked for kind in flags_of(quality)} == {"spike", "stuck", "drift"}
    assert session.scalar(select(func.max(QualityFlag.period_end))) is not None
    assert all(flag_age < timedelta(days=6) for flag_age in _ages(session))


def _ages(session: Session) -> list[timedelta]:
    newest = session.scalar(select(func.max(Thing.last_seen_at)))
    assert newest is not None
    return [newest - start for start in session.scalars(select(QualityFlag.period_start))]
