"""The tables Pontive publishes about itself, read from the other domains.

Only aggregates and public messages: complaint counts and medians (never a report, a name, a
phone number, an e-mail address or a description), sensor rollups, ISPU values and the public
attributes of sent CAP messages. Times are shown in WIB as the city reads them.

Every read goes through the owning domain's service.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from pontive.alerts import service as alerts
from pontive.cctv import coverage as cctv
from pontive.complaints import service as complaints
from pontive.core.timeutil import WIB
from pontive.opendata.publish_meta import Table
from pontive.sensors import service as sensors
from pontive.sensors.choices import Quantity
from pontive.sensors.page_views import Station, StationKind, StreamView

Period = tuple[date | None, date | None]
SENSOR_DAYS = 30
ISPU_DAYS = 365
ALERT_LIMIT = 500  # the alerts service's largest page
WATER_KINDS = (StationKind.WATER, StationKind.RAIN)


def _field(name: str, kind: str, label: str, notes: str = "") -> dict[str, Any]:
    return {"id": name, "type": kind, "info": {"label": label, "notes": notes}}


def _wib(moment: datetime | None) -> datetime | None:
    """A naive WIB time (the datastore keeps timestamps without a zone)."""
    return moment.astimezone(WIB).replace(tzinfo=None) if moment is not None else None


# --- complaints ----------------------------------------------------------------------------

COUNT_FIELDS = [
    _field("laporan", "int", "Jumlah laporan"),
    _field("terbuka", "int", "Masih terbuka"),
    _field("selesai_diperbaiki", "int", "Selesai diperbaiki"),
    _field("ditutup_tanpa_perbaikan", "int", "Ditutup atau ditolak tanpa perbaikan"),
]
SLA_FIELDS = [
    _field("selesai_tepat_waktu", "int", "Diperbaiki sebelum tenggat"),
    _field("selesai_dengan_tenggat", "int", "Diperbaiki dan punya tenggat"),
]


FIX_FIELDS = [
    _field("median_hari_penyelesaian", "numeric", "Median hari sampai diperbaiki"),
    _field("laporan_diperbaiki", "int", "Laporan dasar median penyelesaian"),
]


def _breakdown_rows(items: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            item.key,
            item.name,
            *item.counts,
            _days(item.resolution.hours),
            item.resolution.count,
        )
        for item in items
    ]


def _days(hours: float | None) -> float | None:
    return round(hours / 24, 2) if hours is not None else None


def complaint_tables(session: Session) -> tuple[list[Table], Period]:
    """Five tables: per category, PD, kelurahan, month, and the city-wide summary."""

    figures = complaints.complaint_stats(session, lang="id", months=None)
    key = _field("kode", "text", "Kode")
    name = _field("nama", "text", "Nama")
    by = [
        ("per-kategori", "Per kategori layanan", figures.by_category, "Kode kategori"),
        ("per-perangkat-daerah", "Per Perangkat Daerah", figures.by_pd, "Kode PD"),
        ("per-kelurahan", "Per kelurahan", figures.by_kelurahan, "Kode Kemendagri"),
        ("per-bulan", "Per bulan (WIB)", figures.by_month, "Bulan (TTTT-BB)"),
    ]
    tables = []
    for slug, title, items, key_label in by:
        fields = [{**key, "info": {"label": key_label, "notes": ""}}, name, *COUNT_FIELDS]
        tables.append(
            Table(
                filename=f"pengaduan-{slug}.csv",
                title=f"Pengaduan warga {title.lower()}",
                description=(
                    f"Jumlah laporan menurut status, ketepatan waktu dan median hari sampai"
                    f" diperbaiki, {title.lower()}."
                ),
                fields=fields + SLA_FIELDS + FIX_FIELDS,
                rows=_breakdown_rows(items),
            )
        )
    tables.append(
        Table(
            filename="pengaduan-ringkasan.csv",
            title="Ringkasan pengaduan warga se-kota",
            description="Jumlah laporan dan median waktu tanggapan dan penyelesaian.",
            fields=[
                *COUNT_FIELDS,
                *SLA_FIELDS,
                _field("median_hari_tanggapan", "numeric", "Median hari sampai tanggapan pertama"),
                *FIX_FIELDS,
                _field("rerata_kepuasan", "numeric", "Rerata penilaian pelapor (1-5)"),
                _field("jumlah_penilaian", "int", "Jumlah penilaian"),
            ],
            rows=[
                (
                    figures.total,
                    figures.open,
                    figures.fixed,
                    figures.closed,
                    figures.on_time,
                    figures.resolved,
                    _days(figures.first_response.hours),
                    _days(figures.resolution.hours),
                    figures.resolution.count,
                    round(figures.satisfaction.average, 2)
                    if figures.satisfaction.average is not None
                    else None,
                    figures.satisfaction.count,
                )
            ],
        )
    )
    months = sorted(item.key for item in figures.by_month)
    period: Period = (None, None)
    if months:
        first, last = months[0], months[-1]
        end = date.fromisoformat(f"{last}-01") + timedelta(days=31)
        period = (date.fromisoformat(f"{first}-01"), end.replace(day=1) - timedelta(days=1))
    return tables, period


# --- sensors -------------------------------------------------------------------------------

SENSOR_FIELDS = [
    _field("stasiun", "text", "Stasiun"),
    _field("kelurahan", "text", "Kelurahan"),
    _field("kecamatan", "text", "Kecamatan"),
    _field("kode_kelurahan", "text", "Kode kelurahan (Kemendagri)"),
    _field("datastream_id", "int", "Id Datastream (SensorThings)"),
    _field("besaran", "text", "Besaran yang diukur"),
    _field("satuan", "text", "Satuan"),
    _field("jam_mulai", "timestamp", "Awal jam (WIB)"),
    _field("jumlah_pengamatan", "int", "Jumlah pengamatan"),
    _field("rerata", "numeric", "Rerata"),
    _field("minimum", "numeric", "Minimum"),
    _field("maksimum", "numeric", "Maksimum"),
]


def _stream_rows(
    session: Session,
    station: Station,
    stream: StreamView,
    kelurahan: str | None,
    start: datetime,
    end: datetime,
) -> list[tuple[Any, ...]]:
    buckets = sensors.read_buckets(
        session=session, datastream_id=stream.id, interval=sensors.HOUR, start=start, end=end
    )
    quantity = stream.quantity.value if stream.quantity else ""
    rows = []
    for seconds, count, total, minimum, maximum in buckets:
        begins = datetime.fromtimestamp(seconds, tz=WIB).replace(tzinfo=None)
        rows.append(
            (
                station.name,
                station.kelurahan,
                station.kecamatan,
                kelurahan,
                stream.id,
                quantity,
                stream.unit,
                begins,
                count,
                round(total / count, 3) if count else None,
                minimum,
                maximum,
            )
        )
    return rows


def sensor_tables(session: Session, *, now: datetime) -> tuple[Table, Table, Period]:
    """Hourly rollups of the last ``SENSOR_DAYS`` days: (air and weather, water and rain)."""

    end = sensors.HOUR.floor(now) + sensors.HOUR.step
    start = end - timedelta(days=SENSOR_DAYS)
    environment: list[tuple[Any, ...]] = []
    water: list[tuple[Any, ...]] = []
    for station in sensors.station_summaries(session):
        facts = sensors.station_of_thing(session, station.id)
        kelurahan = facts.kelurahan_kode if facts else None
        target = water if station.kind in WATER_KINDS else environment
        for stream in station.streams:
            if stream.is_numeric_source:
                target.extend(_stream_rows(session, station, stream, kelurahan, start, end))
    description = f"Rekap per jam {SENSOR_DAYS} hari terakhir, per datastream."
    tables = (
        Table(
            "sensor-lingkungan-per-jam.csv",
            "Udara dan cuaca per jam",
            description,
            SENSOR_FIELDS,
            environment,
        ),
        Table(
            "muka-air-hujan-per-jam.csv",
            "Muka air dan hujan per jam",
            description,
            SENSOR_FIELDS,
            water,
        ),
    )
    period: Period = (start.astimezone(WIB).date(), now.astimezone(WIB).date())
    return tables[0], tables[1], period


# --- ISPU ----------------------------------------------------------------------------------

ISPU_FIELDS = [
    _field("tanggal", "date", "Tanggal (WIB)"),
    _field("stasiun", "text", "Stasiun"),
    _field("kelurahan", "text", "Kelurahan"),
    _field("kode_kelurahan", "text", "Kode kelurahan (Kemendagri)"),
    _field("ispu_tertinggi", "int", "ISPU per jam tertinggi"),
    _field("kategori", "text", "Kategori ISPU tertinggi"),
    _field("ispu_rerata", "numeric", "Rerata ISPU per jam"),
    _field("jam_terhitung", "int", "Jumlah jam ber-ISPU"),
]


def ispu_table(session: Session, *, now: datetime) -> tuple[Table, Period]:
    """ISPU per WIB day and air station over the last ``ISPU_DAYS`` days."""

    start = now - timedelta(days=ISPU_DAYS)
    rows: list[tuple[Any, ...]] = []
    for station in sensors.station_summaries(session):
        stream = next((s for s in station.streams if s.quantity is Quantity.ISPU), None)
        if stream is None:
            continue
        facts = sensors.station_of_thing(session, station.id)
        days: dict[date, list[float]] = defaultdict(list)
        readings = sensors.reading_window(
            session=session, datastream_id=stream.id, start=start, end=now, limit=ISPU_DAYS * 24
        )
        for reading in readings:
            if isinstance(reading.result, int | float):
                days[reading.phenomenon_time.astimezone(WIB).date()].append(float(reading.result))
        for day, values in sorted(days.items()):
            highest = sensors.round_half_up(max(values))
            rows.append(
                (
                    day,
                    station.name,
                    station.kelurahan,
                    facts.kelurahan_kode if facts else None,
                    highest,
                    sensors.category_for(highest).label("id"),
                    round(statistics.fmean(values), 1),
                    len(values),
                )
            )
    rows.sort(key=lambda row: (row[0], row[1]))
    table = Table(
        "ispu-harian.csv",
        "ISPU harian per stasiun",
        "ISPU per jam tertinggi dan rerata per hari WIB untuk tiap stasiun.",
        ISPU_FIELDS,
        rows,
    )
    period: Period = (rows[0][0], rows[-1][0]) if rows else (None, None)
    return table, period


# --- alerts --------------------------------------------------------------------------------

ALERT_FIELDS = [
    _field("identifier", "text", "Pengenal pesan CAP"),
    _field("jenis_pesan", "text", "Jenis pesan (Alert/Update/Cancel)"),
    _field("status_cap", "text", "Status CAP (Actual/Exercise/…)"),
    _field("kejadian", "text", "Kejadian"),
    _field("event", "text", "Event (English)"),
    _field("kategori", "text", "Kategori CAP"),
    _field("tingkat_keparahan", "text", "Severity"),
    _field("urgensi", "text", "Urgency"),
    _field("kepastian", "text", "Certainty"),
    _field("judul", "text", "Judul"),
    _field("wilayah", "text", "Wilayah"),
    _field("kode_kelurahan", "text", "Kode kelurahan (Kemendagri), dipisah koma"),
    _field("dikirim", "timestamp", "Dikirim (WIB)"),
    _field("berakhir", "timestamp", "Berakhir (WIB)"),
    _field("keadaan", "text", "Keadaan pesan sekarang"),
]


def alert_table(session: Session) -> tuple[Table, Period]:
    """Every sent CAP message (newest ``ALERT_LIMIT``), oldest first."""

    sent = alerts.list_alerts(session, states=alerts.PUBLIC_STATES, limit=ALERT_LIMIT)
    sent = sorted((a for a in sent if a.sent_at is not None), key=lambda a: (a.sent_at, a.id))
    rows = [
        (
            alert.identifier,
            alert.msg_type.value,
            alert.cap_status.value,
            alert.event_id,
            alert.event_en,
            alert.category.value,
            alert.severity.value,
            alert.urgency.value,
            alert.certainty.value,
            alert.headline_id,
            alert.area_desc_id,
            ",".join(alert.kelurahan_kodes or []),
            _wib(alert.sent_at),
            _wib(alert.expires_at),
            alert.state.value,
        )
        for alert in sent
    ]
    table = Table(
        "peringatan-dini.csv",
        "Riwayat pesan peringatan dini",
        "Atribut publik setiap pesan CAP yang pernah diterbitkan.",
        ALERT_FIELDS,
        rows,
    )
    days = [_wib(a.sent_at) for a in sent]
    period: Period = (
        (days[0].date(), days[-1].date()) if days and days[0] and days[-1] else (None, None)
    )
    return table, period


# --- CCTV ----------------------------------------------------------------------------------

CAMERA_FIELDS = [
    _field("kode", "text", "Kode kamera"),
    _field("nama", "text", "Nama kamera"),
    _field("bujur", "numeric", "Bujur (WGS84)"),
    _field("lintang", "numeric", "Lintang (WGS84)"),
    _field("arah_derajat", "int", "Arah pandang (derajat dari utara)"),
    _field("kode_kelurahan", "text", "Kode kelurahan (Kemendagri)"),
    _field("tujuan", "text", "Tujuan pemantauan"),
    _field("jenis_pemilik", "text", "Jenis pemilik"),
    _field("kesehatan", "text", "Keadaan pada pemeriksaan terakhir"),
]
COVERAGE_FIELDS = [
    _field("kode_kelurahan", "text", "Kode kelurahan (Kemendagri)"),
    _field("kelurahan", "text", "Kelurahan"),
    _field("kecamatan", "text", "Kecamatan"),
    _field("kamera_aktif", "int", "Kamera aktif"),
    _field("kamera_daring", "int", "Kamera daring pada pemeriksaan terakhir"),
    _field("kamera_publik", "int", "Kamera publik"),
    _field("cakupan_persen", "numeric", "Perkiraan cakupan (% luas dalam 100 m dari kamera)"),
]


def cctv_tables(session: Session) -> list[Table]:
    """Public cameras (public attributes only) and the cameras per kelurahan (aggregates)."""
    cameras = [
        (
            row["kode"], row["nama"], row["bujur"], row["lintang"], row["arah_derajat"],
            row["kelurahan_kode"], row["tujuan"], row["pemilik_jenis"], row["status_kesehatan"],
        )
        for row in cctv.public_locations(session)
    ]  # fmt: skip
    per_kelurahan = [
        (
            row.kode, row.nama, row.kecamatan, row.cameras, row.online, row.public,
            None if row.coverage is None else round(row.coverage * 100, 2),
        )
        for row in cctv.coverage_by_kelurahan(session)
    ]  # fmt: skip
    return [
        Table(
            "kamera-cctv-publik.csv",
            "Kamera CCTV publik",
            "Kamera yang dibagikan untuk umum: lokasi, arah, tujuan dan keadaan terakhir.",
            CAMERA_FIELDS,
            cameras,
        ),
        Table(
            "cakupan-cctv-per-kelurahan.csv",
            "Cakupan CCTV per kelurahan",
            "Jumlah kamera aktif, daring dan publik, dan perkiraan cakupan per kelurahan.",
            COVERAGE_FIELDS,
            per_kelurahan,
        ),
    ]
