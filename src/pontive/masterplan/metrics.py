"""Live metrics: indicator values computed from Pontive itself, read through each domain's
service. An indicator whose source is ``live`` names one of ``METRICS``; the worker records
its value once a day (``jobs.py``) and the pages show the value of the moment.

Each metric says its unit and which way is good, so an indicator can be created from it
with the right settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from statistics import median

from sqlalchemy.orm import Session

from pontive.cctv import coverage
from pontive.complaints import service as complaints
from pontive.coordination import tasks as coordination_tasks
from pontive.core.errors import DomainError
from pontive.core.identity import system_actor
from pontive.core.timeutil import utcnow
from pontive.institutions import service as institutions
from pontive.masterplan.choices import Direction, SourceKind
from pontive.masterplan.models import Indicator
from pontive.opendata import service as opendata
from pontive.sensors import service as sensors
from pontive.sensors.choices import DeviceHealth


@dataclass(frozen=True, slots=True)
class Metric:
    """A measure Pontive computes by itself."""

    key: str
    name_id: str
    name_en: str
    unit: str
    direction: Direction
    compute: Callable[[Session], float | None]
    source_id: str  # where it comes from, in the indicator's Satu Data "sumber"


def complaint_sla_compliance(session: Session) -> float | None:
    """Share (%) of citizens' reports of the last 12 months fixed by their due date."""
    rate = complaints.complaint_stats(session, months=12).sla_rate
    return None if rate is None else round(rate * 100, 1)


def complaint_resolution_hours(session: Session) -> float | None:
    """Median hours from a report to its fix, over the last 12 months."""
    hours = complaints.complaint_stats(session, months=12).resolution.hours
    return None if hours is None else round(hours, 1)


def sensor_uptime(session: Session) -> float | None:
    """Share (%) of sensor stations reporting on time now (online of those expected)."""
    stations = [
        s for s in sensors.station_summaries(session) if s.health is not DeviceHealth.UNKNOWN
    ]
    if not stations:
        return None
    online = sum(1 for s in stations if s.health is DeviceHealth.ONLINE)
    return round(100 * online / len(stations), 1)


def cctv_coverage(session: Session) -> float | None:
    """Mean share (%) of each kelurahan's area within view of an active camera."""
    shares = [k.coverage for k in coverage.coverage_by_kelurahan(session) if k.coverage is not None]
    return round(100 * sum(shares) / len(shares), 1) if shares else None


def kelurahan_with_cctv(session: Session) -> float | None:
    """Share (%) of kelurahan with at least one active camera."""
    rows = coverage.coverage_by_kelurahan(session)
    return round(100 * sum(1 for k in rows if k.cameras) / len(rows), 1) if rows else None


def open_datasets(session: Session) -> float | None:
    """Datasets published on the open data portal."""
    return float(opendata.count_public_datasets(session))


def task_completion_on_time(session: Session) -> float | None:
    """Share (%) of coordination tasks due in the last 12 months done by their due time."""
    now = utcnow()
    record = coordination_tasks.completion_by_pd(
        session, since=now.replace(year=now.year - 1), now=now
    )
    due = sum(d for d, _on_time, _late in record.values())
    on_time = sum(o for _due, o, _late in record.values())
    return round(100 * on_time / due, 1) if due else None


def stations_median_silence(session: Session) -> float | None:
    """Median minutes since each sensor station last reported (lower is better)."""
    now = utcnow()
    gaps = [
        (now - s.last_seen_at).total_seconds() / 60
        for s in sensors.station_summaries(session)
        if s.last_seen_at is not None
    ]
    return round(median(gaps), 1) if gaps else None


METRICS: dict[str, Metric] = {
    metric.key: metric
    for metric in (
        Metric(
            "complaint_sla_compliance",
            "Kepatuhan SLA pengaduan warga",
            "Citizens' report SLA compliance",
            "%",
            Direction.HIGHER,
            complaint_sla_compliance,
            "Pontive: pengaduan warga (12 bulan terakhir)",
        ),
        Metric(
            "complaint_resolution_hours",
            "Median waktu penyelesaian pengaduan",
            "Median report resolution time",
            "jam",
            Direction.LOWER,
            complaint_resolution_hours,
            "Pontive: pengaduan warga (12 bulan terakhir)",
        ),
        Metric(
            "sensor_uptime",
            "Stasiun sensor yang aktif",
            "Sensor stations reporting",
            "%",
            Direction.HIGHER,
            sensor_uptime,
            "Pontive: SensorThings",
        ),
        Metric(
            "stations_median_silence",
            "Median jeda laporan stasiun sensor",
            "Median time since stations reported",
            "menit",
            Direction.LOWER,
            stations_median_silence,
            "Pontive: SensorThings",
        ),
        Metric(
            "cctv_coverage",
            "Cakupan CCTV rata-rata per kelurahan",
            "Mean CCTV coverage per kelurahan",
            "%",
            Direction.HIGHER,
            cctv_coverage,
            "Pontive: registri CCTV",
        ),
        Metric(
            "kelurahan_with_cctv",
            "Kelurahan dengan CCTV aktif",
            "Kelurahan with an active camera",
            "%",
            Direction.HIGHER,
            kelurahan_with_cctv,
            "Pontive: registri CCTV",
        ),
        Metric(
            "open_datasets",
            "Dataset terbuka yang diterbitkan",
            "Open datasets published",
            "dataset",
            Direction.HIGHER,
            open_datasets,
            "Pontive: portal data terbuka",
        ),
        Metric(
            "task_completion_on_time",
            "Tugas koordinasi selesai tepat waktu",
            "Coordination tasks done on time",
            "%",
            Direction.HIGHER,
            task_completion_on_time,
            "Pontive: koordinasi Pontive Center",
        ),
        Metric(
            "inst_civil_servants_trained",
            "ASN yang mengikuti peningkatan kapasitas tahun ini",
            "Civil servants in capacity building this year",
            "orang",
            Direction.HIGHER,
            institutions.trained_this_year,
            "Pontive: registri peningkatan kapasitas SDM",
        ),
        Metric(
            "inst_capacity_events",
            "Kegiatan peningkatan kapasitas tahun ini",
            "Capacity events held this year",
            "kegiatan",
            Direction.HIGHER,
            institutions.events_this_year,
            "Pontive: registri peningkatan kapasitas SDM",
        ),
        Metric(
            "inst_active_certifications",
            "Sertifikasi SDM yang berlaku",
            "Certifications in force",
            "sertifikat",
            Direction.HIGHER,
            institutions.certifications_now,
            "Pontive: registri sertifikasi SDM",
        ),
        Metric(
            "inst_active_partnerships",
            "Kerja sama Smart City yang berlaku",
            "Smart City partnerships in force",
            "kerja sama",
            Direction.HIGHER,
            institutions.partnerships_now,
            "Pontive: registri kerja sama",
        ),
    )
}


def compute(session: Session, key: str) -> float | None:
    """The metric's value now (``KeyError`` for an unknown key)."""
    return METRICS[key].compute(session)


DATASET_READER = system_actor("masterplan-dataset")


def computed_value(session: Session, indicator: Indicator) -> float | None:
    """The value Pontive computes now for a live or dataset indicator (None for a manual one,
    or when its source has nothing to say: no such resource, column or rows)."""
    if indicator.source_kind is SourceKind.LIVE:
        return compute(session, indicator.live_metric) if indicator.live_metric in METRICS else None
    if indicator.source_kind is SourceKind.DATASET:
        params = indicator.source_params or {}
        try:
            return opendata.column_aggregate(
                session,
                actor=DATASET_READER,
                resource_id=str(params.get("resource_id", "")),
                column=str(params.get("column", "")),
                aggregate=str(params.get("aggregate", "last")),
            )
        except (DomainError, ValueError):
            return None
    return None
