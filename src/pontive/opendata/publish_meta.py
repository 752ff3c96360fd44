"""The datasets Pontive publishes from its own data: who owns each, what it holds and how it
is made (Satu Data Indonesia metadata: konsep, definisi, satuan, metode, level estimasi,
kode referensi). ``seed.py`` creates their catalogue rows; the jobs in ``publish.py`` fill
them. Every table is an aggregate or a public message: no personal data (no names, phone
numbers, e-mail addresses, report texts or photos) ever goes in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pontive.opendata.choices import Frequency


@dataclass(frozen=True, slots=True)
class Table:
    """One generated resource: its file name, title, columns and rows (in column order)."""

    filename: str
    title: str
    description: str
    fields: list[dict[str, Any]]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


KODE_REFERENSI = "Kemendagri kode wilayah (Permendagri 72/2019)"
LICENCE = "cc-by-4.0"


@dataclass(frozen=True, slots=True)
class Publication:
    """A self-published dataset's catalogue metadata and the job that refreshes it."""

    name: str
    title: str
    owner_org: str
    job: str
    schedule: str  # how often the job runs, in words (for the notes)
    source: str  # where the figures come from, in words (for the notes)
    about: str  # what the dataset holds
    frequency: Frequency
    groups: tuple[str, ...]
    tags: tuple[str, ...]
    konsep: str
    definisi: str
    satuan: str
    metode: str
    level_estimasi: str

    @property
    def notes(self) -> str:
        """The description: what it holds, its source and when it is refreshed."""
        return (
            f"{self.about}\n\n"
            f"Sumber: {self.source}. Dibuat otomatis oleh Pontive (tugas `{self.job}`), "
            f"diperbarui {self.schedule}; waktu pembaruan terakhir tercantum pada metadata "
            "dataset. Tidak memuat data pribadi."
        )


COMPLAINTS = Publication(
    name="statistik-pengaduan-warga",
    title="Statistik pengaduan warga per kategori, Perangkat Daerah, kelurahan dan bulan",
    owner_org="diskominfo",
    job="opendata.publish_complaints",
    schedule="setiap jam",
    source="layanan pengaduan warga Pontive (laporan yang diterima Pusat Komando)",
    about=(
        "Jumlah laporan warga menurut status (terbuka, selesai diperbaiki, ditutup tanpa "
        "perbaikan) per kategori layanan, Perangkat Daerah penanggung jawab, kelurahan dan "
        "bulan, serta median waktu tanggapan pertama dan waktu penyelesaian. Laporan duplikat "
        "yang digabung tidak dihitung."
    ),
    frequency=Frequency.HARIAN,
    groups=("governance", "society"),
    tags=("pengaduan", "layanan publik", "statistik"),
    konsep="Pengaduan warga",
    definisi=(
        "Laporan masalah layanan publik yang disampaikan warga melalui kanal pengaduan resmi "
        "Pemerintah Kota Pontianak."
    ),
    satuan="laporan; hari (median waktu)",
    metode=(
        "Penghitungan seluruh laporan menurut status terakhirnya; median dihitung dari selisih "
        "waktu laporan diterima dan ditanggapi atau diselesaikan."
    ),
    level_estimasi="kelurahan",
)
SENSORS_ENVIRONMENT = Publication(
    name="pengukuran-sensor-lingkungan-per-jam",
    title="Pengukuran sensor kualitas udara dan cuaca per jam (30 hari terakhir)",
    owner_org="dlh",
    job="opendata.publish_sensors",
    schedule="setiap jam",
    source="stasiun sensor kualitas udara dan cuaca Kota Pontianak (SensorThings Pontive)",
    about=(
        "Rekap per jam setiap aliran data (datastream) stasiun kualitas udara dan cuaca: "
        "jumlah pengamatan, rerata, minimum dan maksimum, untuk 30 hari terakhir."
    ),
    frequency=Frequency.HARIAN,
    groups=("environment",),
    tags=("kualitas udara", "sensor", "cuaca"),
    konsep="Konsentrasi pencemar udara dan besaran cuaca",
    definisi="Nilai terukur sensor pada stasiun pemantau, dirangkum per jam (UTC+7).",
    satuan="sesuai kolom satuan (µg/m³, °C, %)",
    metode="Rerata, minimum dan maksimum pengamatan mentah dalam tiap jam.",
    level_estimasi="kelurahan",
)
SENSORS_WATER = Publication(
    name="muka-air-dan-curah-hujan-per-jam",
    title="Tinggi muka air sungai dan curah hujan per jam (30 hari terakhir)",
    owner_org="pupr",
    job="opendata.publish_sensors",
    schedule="setiap jam",
    source="pos duga air dan penakar hujan Kota Pontianak (SensorThings Pontive)",
    about=(
        "Rekap per jam tinggi muka air Sungai Kapuas dan Sungai Landak serta curah hujan: "
        "jumlah pengamatan, rerata, minimum dan maksimum, untuk 30 hari terakhir."
    ),
    frequency=Frequency.HARIAN,
    groups=("environment", "living"),
    tags=("banjir", "muka air", "curah hujan", "sensor"),
    konsep="Tinggi muka air dan curah hujan",
    definisi=(
        "Tinggi permukaan air di atas titik nol papan duga dan jumlah hujan yang tertampung "
        "penakar hujan."
    ),
    satuan="sesuai kolom satuan (cm, mm)",
    metode="Rerata, minimum dan maksimum pengamatan mentah dalam tiap jam.",
    level_estimasi="kelurahan",
)
ISPU = Publication(
    name="ispu-harian-per-stasiun",
    title="Indeks Standar Pencemar Udara (ISPU) harian per stasiun",
    owner_org="dlh",
    job="opendata.publish_ispu",
    schedule="setiap jam",
    source="ISPU per jam yang dihitung Pontive dari stasiun kualitas udara (PermenLHK 14/2020)",
    about=(
        "ISPU tertinggi dan rerata ISPU per jam setiap hari (WIB) untuk tiap stasiun kualitas "
        "udara, dengan kategorinya, selama 365 hari terakhir."
    ),
    frequency=Frequency.HARIAN,
    groups=("environment",),
    tags=("ispu", "kualitas udara"),
    konsep="Indeks Standar Pencemar Udara",
    definisi=(
        "Angka tanpa satuan yang menggambarkan kondisi mutu udara ambien "
        "(PermenLHK P.14/MENLHK/SETJEN/KUM.1/7/2020)."
    ),
    satuan="indeks (tanpa satuan)",
    metode=(
        "ISPU per jam dari rerata 24 jam tiap parameter; nilai harian adalah ISPU per jam "
        "tertinggi dan reratanya dalam satu hari WIB."
    ),
    level_estimasi="kelurahan",
)
ALERTS = Publication(
    name="riwayat-peringatan-dini",
    title="Riwayat peringatan dini (pesan CAP) Kota Pontianak",
    owner_org="bpbd",
    job="opendata.publish_alerts",
    schedule="setiap 15 menit",
    source="pesan peringatan dini CAP 1.2 yang diterbitkan Pusat Komando Pontive",
    about=(
        "Pesan peringatan dini yang pernah diterbitkan untuk umum: pengenal CAP, kejadian, "
        "tingkat keparahan, wilayah, waktu kirim dan waktu berakhir. Draf yang tidak "
        "diterbitkan tidak dimuat."
    ),
    frequency=Frequency.TIDAK_TENTU,
    groups=("living", "governance"),
    tags=("peringatan dini", "bencana", "cap"),
    konsep="Peringatan dini bencana",
    definisi="Pesan Common Alerting Protocol (CAP 1.2) yang diterbitkan kepada masyarakat.",
    satuan="pesan",
    metode="Salinan atribut publik setiap pesan CAP yang pernah diterbitkan.",
    level_estimasi="kelurahan",
)
CCTV = Publication(
    name="kamera-cctv-publik",
    title="Kamera CCTV publik dan cakupan CCTV per kelurahan, Kota Pontianak",
    owner_org="diskominfo",
    job="opendata.publish_cctv",
    schedule="setiap jam",
    source="registri kamera CCTV Pusat Komando Pontive (Perda 9/2022 Pasal 17c dan 22d)",
    about=(
        "Lokasi, arah pandang, tujuan dan keadaan terakhir setiap kamera CCTV yang dibagikan "
        "untuk umum, serta per kelurahan: jumlah kamera aktif, yang daring, yang publik, dan "
        "perkiraan cakupan. Kamera internal dan atas permintaan hanya masuk hitungan per "
        "kelurahan; pemilik, kontak dan alamat stream tidak pernah dimuat."
    ),
    frequency=Frequency.HARIAN,
    groups=("living", "governance"),
    tags=("cctv", "kamera", "keamanan"),
    konsep="Kamera CCTV kota",
    definisi=(
        "Kamera pengawas yang terhubung ke sistem CCTV Pusat Komando, milik pemerintah kota, "
        "perangkat daerah, warga, usaha atau kepolisian."
    ),
    satuan="kamera; persen luas kelurahan",
    metode=(
        "Salinan atribut publik registri kamera. Cakupan adalah bagian luas kelurahan yang "
        "berada dalam radius 100 m dari kamera aktif (batas atas dari yang terpantau)."
    ),
    level_estimasi="kelurahan",
)
PUBLICATIONS = (COMPLAINTS, SENSORS_ENVIRONMENT, SENSORS_WATER, ISPU, ALERTS, CCTV)
