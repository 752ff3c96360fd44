"""A small catalogue for the tests of the catalogue formats: two public datasets (one with a
link, an upload and a generated resource, every optional field filled) and one dataset of each
kind that must never be listed publicly."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.opendata.choices import DatasetState, Frequency, UrlType
from pontive.opendata.models import Dataset
from tests.opendata.conftest import make_dataset, make_resource

HIDDEN = {
    "data-terbatas": {"classification": Classification.TERBATAS},
    "data-rahasia": {"classification": Classification.RAHASIA},
    "data-draf": {"state": DatasetState.DRAFT},
    "data-dihapus": {"state": DatasetState.DELETED},
}


def make_catalogue(session: Session) -> dict[str, Dataset]:
    """Two public datasets (one with every kind of resource) and one of each hidden kind."""
    rich = make_dataset(
        session,
        "muka-air-sungai-kapuas",
        owner_org="pupr",
        title="Muka air Sungai Kapuas per jam",
        tags=("banjir", "sungai"),
        groups=("environment", "living"),
        frequency=Frequency.HARIAN,
        temporal_start=date(2025, 1, 1),
        temporal_end=date(2025, 12, 31),
        spatial_codes=["61.71.02.1004", "61.71.02"],
        konsep="Tinggi muka air",
        definisi="Tinggi permukaan air sungai di atas nol papan duga.",
        satuan="cm",
        metode="Sensor ultrasonik, rerata per jam",
        level_estimasi="kelurahan",
        kode_referensi="Kemendagri kode wilayah",
        maintainer="Bidang Sumber Daya Air",
        maintainer_email="sda@pupr.pontianak.go.id",
    )
    make_resource(session, rich, "Tautan BWS", url="https://bws.example.go.id/kapuas")
    make_resource(
        session,
        rich,
        "Rekap 2025",
        url_type=UrlType.UPLOAD,
        url="rekap-2025.xlsx",
        format="XLSX",
        size=20480,
        hash="sha256:" + "ab" * 32,
    )
    make_resource(
        session, rich, "Per jam", url_type=UrlType.GENERATED, url="per-jam.csv", format="CSV"
    )
    plain = make_dataset(session, "jumlah-penduduk-per-kelurahan", notes="")
    made = {"rich": rich, "plain": plain}
    for name, fields in HIDDEN.items():
        hidden = make_dataset(session, name, title=f"Rahasia {name}", **fields)
        make_resource(session, hidden, f"{name}.csv", url=f"https://contoh.go.id/{name}.csv")
        made[name] = hidden
    return made
