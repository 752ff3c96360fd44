"""Demo open data for ``pontive demo load``: datasets a handful of Perangkat Daerah would
publish first (population, health facilities, waste, street lights, local revenue, a
restricted social-aid summary), each with link resources and Satu Data metadata, made
through the catalogue service as a publisher would; then every publishing job runs once over
the other domains' demo data, so the self-published datasets have tables and files.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.identity import Actor
from pontive.core.storage import MediaStore
from pontive.opendata import publish, service
from pontive.opendata.choices import Frequency
from pontive.settings import get_settings

KODE_REFERENSI = "Kemendagri kode wilayah (Permendagri 72/2019)"


@dataclass(frozen=True, slots=True)
class DemoDataset:
    """A demo dataset and its links: (name, url, format, description)."""

    data: service.DatasetInput
    links: tuple[tuple[str, str, str, str], ...]


DEMO = (
    DemoDataset(
        service.DatasetInput(
            name="jumlah-penduduk-per-kelurahan",
            title="Jumlah penduduk menurut kelurahan dan jenis kelamin",
            owner_org="disdukcapil",
            notes=(
                "Jumlah penduduk Kota Pontianak per kelurahan dan jenis kelamin hasil "
                "konsolidasi data kependudukan semester II."
            ),
            frequency=Frequency.SEMESTERAN,
            temporal_start=date(2025, 7, 1),
            temporal_end=date(2025, 12, 31),
            konsep="Penduduk",
            definisi=(
                "Warga negara Indonesia dan orang asing yang bertempat tinggal di Kota "
                "Pontianak dan tercatat dalam data kependudukan."
            ),
            satuan="jiwa",
            metode="Agregasi data SIAK per kelurahan pada akhir semester.",
            level_estimasi="kelurahan",
            kode_referensi=KODE_REFERENSI,
            maintainer="Bidang Pemanfaatan Data dan Inovasi Pelayanan",
            tags=("penduduk", "kependudukan"),
            groups=("society",),
        ),
        (
            (
                "Tabel penduduk per kelurahan (CSV)",
                "https://pontianakkota.bps.go.id/id/statistics-table/2/penduduk-kelurahan.csv",
                "CSV",
                "Salinan tabel di portal BPS Kota Pontianak.",
            ),
        ),
    ),
    DemoDataset(
        service.DatasetInput(
            name="fasilitas-kesehatan-puskesmas",
            title="Lokasi dan layanan puskesmas Kota Pontianak",
            owner_org="dinkes",
            notes="Daftar 23 puskesmas dengan alamat, koordinat dan jam layanan.",
            frequency=Frequency.TAHUNAN,
            temporal_start=date(2025, 1, 1),
            temporal_end=date(2025, 12, 31),
            konsep="Fasilitas pelayanan kesehatan tingkat pertama",
            definisi="Pusat kesehatan masyarakat milik Pemerintah Kota Pontianak.",
            satuan="unit",
            metode="Pendataan langsung oleh Dinas Kesehatan.",
            level_estimasi="kelurahan",
            kode_referensi=KODE_REFERENSI,
            tags=("kesehatan", "puskesmas", "peta"),
            groups=("living", "society"),
        ),
        (
            (
                "Titik puskesmas (GeoJSON)",
                "https://dinkes.pontianak.go.id/data/puskesmas.geojson",
                "GeoJSON",
                "Koordinat WGS 84.",
            ),
            (
                "Profil kesehatan 2024 (PDF)",
                "https://dinkes.pontianak.go.id/dokumen/profil-kesehatan-2024.pdf",
                "PDF",
                "",
            ),
        ),
    ),
    DemoDataset(
        service.DatasetInput(
            name="timbulan-sampah-per-tps",
            title="Volume sampah terangkut per TPS per bulan",
            owner_org="dlh",
            notes=(
                "Volume sampah yang diangkut dari tiap Tempat Penampungan Sementara ke TPA "
                "Batu Layang."
            ),
            frequency=Frequency.BULANAN,
            temporal_start=date(2025, 1, 1),
            temporal_end=date(2025, 10, 31),
            spatial_codes=("61.71.01", "61.71.03", "61.71.05"),
            konsep="Sampah terangkut",
            definisi="Sampah rumah tangga yang diangkut dari TPS ke TPA.",
            satuan="m³",
            metode="Rekap ritase truk dikali kapasitas bak.",
            level_estimasi="kecamatan",
            kode_referensi=KODE_REFERENSI,
            tags=("sampah", "lingkungan"),
            groups=("environment",),
        ),
        (
            (
                "Rekap bulanan (XLSX)",
                "https://dlh.pontianak.go.id/data/sampah-tps-2025.xlsx",
                "XLSX",
                "",
            ),
        ),
    ),
    DemoDataset(
        service.DatasetInput(
            name="penerangan-jalan-umum",
            title="Titik lampu penerangan jalan umum (PJU)",
            owner_org="perkim",
            notes="Lokasi dan daya lampu PJU yang dikelola Pemerintah Kota Pontianak.",
            frequency=Frequency.TRIWULANAN,
            temporal_start=date(2025, 7, 1),
            temporal_end=date(2025, 9, 30),
            konsep="Penerangan jalan umum",
            definisi="Lampu penerangan di jalan kota yang dibiayai APBD.",
            satuan="titik lampu; watt",
            metode="Inventarisasi lapangan dan laporan pemeliharaan.",
            level_estimasi="kelurahan",
            kode_referensi=KODE_REFERENSI,
            tags=("pju", "infrastruktur", "peta"),
            groups=("living",),
        ),
        (
            (
                "Titik PJU (GeoJSON)",
                "https://perkim.pontianak.go.id/data/pju.geojson",
                "GeoJSON",
                "",
            ),
        ),
    ),
    DemoDataset(
        service.DatasetInput(
            name="realisasi-pendapatan-asli-daerah",
            title="Realisasi Pendapatan Asli Daerah menurut jenis pajak",
            owner_org="bapenda",
            notes="Target dan realisasi PAD Kota Pontianak per jenis pajak dan retribusi.",
            frequency=Frequency.TAHUNAN,
            temporal_start=date(2024, 1, 1),
            temporal_end=date(2024, 12, 31),
            konsep="Pendapatan Asli Daerah",
            definisi="Pendapatan daerah dari pajak daerah, retribusi daerah dan lain-lain PAD.",
            satuan="rupiah",
            metode="Rekap buku kas umum penerimaan.",
            level_estimasi="kota",
            kode_referensi=KODE_REFERENSI,
            tags=("keuangan", "pajak", "pad"),
            groups=("economy", "governance"),
        ),
        (
            (
                "Realisasi PAD 2024 (CSV)",
                "https://bapenda.pontianak.go.id/data/realisasi-pad-2024.csv",
                "CSV",
                "",
            ),
        ),
    ),
    DemoDataset(
        service.DatasetInput(
            name="rekap-penerima-bantuan-sosial",
            title="Rekap penerima bantuan sosial per kelurahan",
            owner_org="dinsos",
            notes="Jumlah keluarga penerima bantuan per program; dibatasi untuk pegawai.",
            classification=Classification.TERBATAS,
            frequency=Frequency.BULANAN,
            konsep="Keluarga penerima manfaat",
            definisi="Keluarga yang menerima bantuan sosial dari pemerintah.",
            satuan="keluarga",
            metode="Rekap DTKS per kelurahan.",
            level_estimasi="kelurahan",
            kode_referensi=KODE_REFERENSI,
            tags=("bantuan sosial",),
            groups=("society",),
        ),
        (
            (
                "Rekap per kelurahan (XLSX)",
                "https://dinsos.pontianak.go.id/data/rekap-kpm.xlsx",
                "XLSX",
                "",
            ),
        ),
    ),
)


def demo_media() -> MediaStore:
    """The configured media store; a temporary one where no environment is configured (the
    test suite's shared demo database), since the demo's files are then never served."""
    try:
        return MediaStore(get_settings().media_dir)
    except ValidationError:
        return MediaStore(Path(tempfile.gettempdir()) / "pontive-demo-media")


def load(session: Session, actor: Actor) -> str:
    """Load the demo; a one-line summary for ``pontive demo load``."""
    media = demo_media()
    borrowed_bus = SESSION_BUS_KEY not in session.info
    if borrowed_bus:  # demo history is not live news: nobody listens to this bus
        session.info[SESSION_BUS_KEY] = MemoryBus()
    try:
        links = 0
        for item in DEMO:
            dataset = service.create_dataset(session, actor=actor, data=item.data)
            for name, url, file_format, description in item.links:
                service.add_resource(
                    session,
                    actor=actor,
                    dataset_id_or_name=dataset.id,
                    data=service.ResourceInput(
                        name=name, url=url, format=file_format, description=description
                    ),
                    upload=None,
                    media=media,
                )
                links += 1
        published = publish.publish_all(session, media)
    finally:
        if borrowed_bus:
            session.info.pop(SESSION_BUS_KEY, None)
    return (
        f"{len(DEMO)} dataset Perangkat Daerah ({links} tautan), "
        f"{published} dataset diterbitkan otomatis dari data Pontive"
    )
