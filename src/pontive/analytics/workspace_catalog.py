"""What the workspace exports: one declaration per Parquet table.

Each ``ExportTable`` names a platform table, the columns it leaves out on top of the
personal-data rule (``workspace_rule``: sealed columns, blind indexes and credentials never
leave the database, whatever a declaration says), rows it keeps (``where``), values computed on
the way out (``derived``) and its Hive partitions. The Technical Team's questions decided the
list: complaints and their SLA, the sensor history (hourly and daily rollups in full, raw
numeric observations of the last ``RAW_OBSERVATION_DAYS``), alerts, the masterplan's
indicators and their realisation, the budget, open-data metadata and usage, reference lists,
and every public registry's public fields (``workspace_registries``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

import pyarrow as pa  # type: ignore[import-untyped]  # no stubs published
import pyarrow.compute as pc  # type: ignore[import-untyped]
from sqlalchemy import ColumnElement, Table

from pontive.alerts.models import Alert
from pontive.budget.models import BudgetLine, BudgetQuarter
from pontive.complaints.choices import OPEN_STATUSES
from pontive.complaints.models import Complaint, ComplaintUpdate, ServiceCategory
from pontive.core.db import Base
from pontive.core.timeutil import WIB
from pontive.masterplan.models import Indicator, IndicatorTarget, Programme, Realisation
from pontive.opendata.models import Dataset, Resource, UsageCount
from pontive.reference.models import Dimensi, Kecamatan, Kelurahan, PerangkatDaerah
from pontive.sensors.models import (
    Datastream,
    FloodThreshold,
    Location,
    Observation,
    ObservedProperty,
    Rollup,
    Thing,
    thing_locations,
)

Text = tuple[str, str]  # Bahasa Indonesia, English
Row = Mapping[str, Any]
Where = Callable[["ExportContext"], ColumnElement[bool]]
# Raw observations are the one table that grows without bound: the rollups keep the whole
# history; raw rows are exported for this many days back (the demo's 30 days fit).
RAW_OBSERVATION_DAYS = 90


@dataclass(frozen=True, slots=True)
class ExportContext:
    """What an export run knows: its instant (every derived value is as of then)."""

    now: datetime

    @property
    def today_wib(self) -> date:
        """The export's date in Pontianak."""
        return self.now.astimezone(WIB).date()


Columns = Mapping[str, pa.Array]


@dataclass(frozen=True, slots=True)
class Derived:
    """A value computed on the way out; it replaces a read column of the same name.

    ``row`` computes one value from one row (a dict of the read columns): for small tables.
    ``vector`` computes the whole column from the batch's Arrow columns: for large ones.
    """

    name: str
    type: pa.DataType
    description: Text
    row: Callable[[Row, ExportContext], Any] | None = None
    vector: Callable[[Columns, ExportContext], pa.Array] | None = None


@dataclass(frozen=True)
class ExportTable:
    """One exported table (a folder of Parquet files)."""

    name: str
    table: Table
    description: Text
    omit: frozenset[str] = frozenset()
    only: frozenset[str] | None = None  # when given: these columns at most
    hidden: frozenset[str] = frozenset()  # read for ``derived`` only, not written
    where: Where | None = None
    derived: tuple[Derived, ...] = ()
    # Hive partitions: names of derived columns (``year``, ``month``), in folder order.
    partition_by: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ()
    descriptions: Mapping[str, Text] = field(default_factory=dict)  # table-specific words


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _wib_date(value: datetime | None) -> date | None:
    return value.astimezone(WIB).date() if value is not None else None


def _shifted(times: pa.Array, seconds: int) -> pa.Array:
    micros = pc.add(times.cast(pa.int64()), seconds * 1_000_000)
    return micros.cast(pa.timestamp("us"))


def _year_of(column: str) -> Derived:
    def vector(columns: Columns, _context: ExportContext) -> pa.Array:
        return pc.year(_shifted(columns[column], 0)).cast(pa.int32())

    return Derived(
        "year", pa.int32(), ("Tahun (UTC), partisi", "Year (UTC), partition"), vector=vector
    )


def _month_of(column: str) -> Derived:
    def vector(columns: Columns, _context: ExportContext) -> pa.Array:
        return pc.month(_shifted(columns[column], 0)).cast(pa.int32())

    return Derived(
        "month", pa.int32(), ("Bulan (UTC), partisi", "Month (UTC), partition"), vector=vector
    )


def _is_overdue(row: Row, context: ExportContext) -> bool:
    # As complaints.views.is_overdue: open, SLA clock running, past its due date (WIB).
    if row["due_on"] is None or row["status"] not in OPEN_STATUSES or row["paused_at"]:
        return False
    return bool(row["due_on"] < context.today_wib)


def _within_sla(row: Row, _context: ExportContext) -> bool | None:
    resolved = _wib_date(row["resolved_at"])
    if resolved is None or row["due_on"] is None:
        return None
    return bool(resolved <= row["due_on"])


def _public_description(row: Row, _context: ExportContext) -> str | None:
    # The moderated text, and only of reports the public may see.
    return row["public_description"] if row["is_public"] else None


def _unit_symbol(row: Row, _context: ExportContext) -> str:
    unit = row["unit_of_measurement"] or {}
    return str(unit.get("symbol") or unit.get("name") or "")


def _mean(columns: Columns, _context: ExportContext) -> pa.Array:
    counts = columns["count"].cast(pa.float64())
    return pc.divide(columns["total"], pc.if_else(pc.equal(counts, 0.0), None, counts))


def _day_wib(columns: Columns, _context: ExportContext) -> pa.Array:
    # WIB is a fixed UTC+7 (as the sensors' day rollups take it).
    return _shifted(columns["bucket_start"], 7 * 3600).cast(pa.date32())


def _recent_observations(context: ExportContext) -> ColumnElement[bool]:
    return Observation.phenomenon_time >= context.now - timedelta(days=RAW_OBSERVATION_DAYS)


def _rollups(interval: str) -> Where:
    def where(_context: ExportContext) -> ColumnElement[bool]:
        return Rollup.interval == interval

    return where


_MEAN = Derived("mean", pa.float64(), ("Rata-rata nilai", "Mean value"), vector=_mean)
_TIME_PARTS = (_year_of("bucket_start"), _month_of("bucket_start"))

TABLES: tuple[ExportTable, ...] = (
    ExportTable(
        "complaints",
        _table(Complaint),
        ("Laporan warga (tanpa data pelapor)", "Citizens' reports (no reporter data)"),
        # Free text a citizen typed may name people: only the moderated public text goes.
        omit=frozenset(
            {"description", "address", "attributes", "rating_comment", "external_id"}
            | {"idempotency_key", "is_anonymous", "consent_at"}
        ),
        derived=(
            Derived(
                "public_description",
                pa.string(),
                ("Uraian yang dimoderasi (laporan publik saja)", "Moderated text (public only)"),
                row=_public_description,
            ),
            Derived(
                "is_overdue",
                pa.bool_(),
                ("Terbuka dan lewat tenggat SLA saat ekspor", "Open and past its SLA due date"),
                row=_is_overdue,
            ),
            Derived(
                "resolved_within_sla",
                pa.bool_(),
                ("Selesai paling lambat tanggal tenggat", "Resolved on or before its due date"),
                row=_within_sla,
            ),
            _year_of("created_at"),
        ),
        partition_by=("year",),
        order_by=("created_at", "id"),
    ),
    ExportTable(
        "complaint_status_history",
        _table(ComplaintUpdate),
        ("Riwayat status laporan (tanpa isi catatan)", "Report timeline (no note text)"),
        omit=frozenset({"message", "actor"}),
        order_by=("id",),
    ),
    ExportTable(
        "complaint_categories",
        _table(ServiceCategory),
        ("Kategori pengaduan dan SLA-nya", "Complaint categories and their SLA"),
        order_by=("id",),
    ),
    ExportTable(
        "kecamatan", _table(Kecamatan), ("Kecamatan", "Districts"), omit=frozenset({"geometry"})
    ),
    ExportTable(
        "kelurahan",
        _table(Kelurahan),
        ("Kelurahan", "Urban villages"),
        omit=frozenset({"geometry", "boundary_loaded_at"}),
    ),
    ExportTable("perangkat_daerah", _table(PerangkatDaerah), ("Perangkat Daerah", "City agencies")),
    ExportTable("dimensi", _table(Dimensi), ("Dimensi smart city", "Smart-city dimensions")),
    ExportTable(
        "sensor_things",
        _table(Thing),
        ("Stasiun dan perangkat sensor", "Sensor stations and devices"),
        omit=frozenset({"properties"}),
    ),
    ExportTable(
        "sensor_locations",
        _table(Location),
        ("Lokasi stasiun", "Station locations"),
        omit=frozenset({"location", "properties", "encoding_type"}),
    ),
    ExportTable(
        "sensor_thing_locations",
        thing_locations,
        ("Stasiun ↔ lokasi", "Station ↔ location"),
    ),
    ExportTable(
        "sensor_observed_properties",
        _table(ObservedProperty),
        ("Besaran yang diamati", "Observed properties"),
        omit=frozenset({"properties"}),
    ),
    ExportTable(
        "sensor_datastreams",
        _table(Datastream),
        ("Aliran data sensor", "Sensor datastreams"),
        omit=frozenset({"observed_area", "properties", "last_result", "last_observation_id"}),
        hidden=frozenset({"unit_of_measurement"}),
        derived=(Derived("unit", pa.string(), ("Satuan", "Unit"), row=_unit_symbol),),
    ),
    ExportTable(
        "sensor_flood_thresholds",
        _table(FloodThreshold),
        ("Ambang status banjir", "Flood status thresholds"),
    ),
    ExportTable(
        "observations_hourly",
        _table(Rollup),
        ("Rekap per jam tiap aliran data", "Hourly rollups of each datastream"),
        omit=frozenset({"interval"}),
        where=_rollups("1h"),
        derived=(_MEAN, *_TIME_PARTS),
        partition_by=("year", "month"),
        order_by=("datastream_id", "bucket_start"),
        descriptions={"bucket_start": ("Awal jam", "Start of the hour")},
    ),
    ExportTable(
        "observations_daily",
        _table(Rollup),
        ("Rekap per hari (WIB) tiap aliran data", "Daily (WIB) rollups of each datastream"),
        omit=frozenset({"interval"}),
        where=_rollups("1d"),
        derived=(
            _MEAN,
            Derived("day", pa.date32(), ("Tanggal (WIB)", "Date (WIB)"), vector=_day_wib),
            _year_of("bucket_start"),
        ),
        partition_by=("year",),
        order_by=("datastream_id", "bucket_start"),
        descriptions={"bucket_start": ("Awal hari, 00.00 WIB", "Start of the day, 00:00 WIB")},
    ),
    ExportTable(
        "observations",
        _table(Observation),
        (
            f"Pengamatan mentah {RAW_OBSERVATION_DAYS} hari terakhir",
            f"Raw observations of the last {RAW_OBSERVATION_DAYS} days",
        ),
        omit=frozenset(
            {"phenomenon_time_end", "result_quality", "valid_time_start", "valid_time_end"}
            | {"parameters", "feature_of_interest_id"}
        ),
        where=_recent_observations,
        derived=(
            _year_of("phenomenon_time"),
            _month_of("phenomenon_time"),
        ),
        partition_by=("year", "month"),
        order_by=("datastream_id", "phenomenon_time", "id"),
    ),
    ExportTable(
        "alerts",
        _table(Alert),
        ("Peringatan (isi publik CAP)", "Alerts (public CAP content)"),
        omit=frozenset(
            {"created_by", "approved_by", "rejected_reason", "note", "trigger", "incoming_id"}
        ),
        order_by=("id",),
    ),
    ExportTable(
        "mp_programmes",
        _table(Programme),
        ("Program rencana induk", "Masterplan programmes"),
        omit=frozenset({"idea_refs"}),
    ),
    ExportTable(
        "mp_indicators",
        _table(Indicator),
        ("Indikator kinerja", "Performance indicators"),
        omit=frozenset({"source_params"}),
    ),
    ExportTable(
        "mp_indicator_targets", _table(IndicatorTarget), ("Target indikator", "Indicator targets")
    ),
    ExportTable(
        "mp_realisations",
        _table(Realisation),
        ("Realisasi indikator", "Indicator realisation"),
        omit=frozenset({"entered_by", "verified_by", "note", "review_note", "import_batch"}),
    ),
    ExportTable(
        "budget_lines",
        _table(BudgetLine),
        ("Baris anggaran", "Budget lines"),
        omit=frozenset({"updated_by", "note"}),
    ),
    ExportTable(
        "budget_quarters",
        _table(BudgetQuarter),
        ("Rencana dan realisasi per triwulan", "Planned and realised per quarter"),
    ),
    ExportTable(
        "opendata_datasets",
        _table(Dataset),
        ("Metadata dataset terbuka", "Open-data dataset metadata"),
        omit=frozenset({"maintainer", "maintainer_email", "created_by", "extras", "source_job"}),
    ),
    ExportTable(
        "opendata_resources",
        _table(Resource),
        ("Sumber daya dataset", "Dataset resources"),
        omit=frozenset({"storage_key", "url", "description"}),
    ),
    ExportTable(
        "opendata_usage",
        _table(UsageCount),
        ("Kunjungan dan unduhan per hari", "Views and downloads per day"),
    ),
)
