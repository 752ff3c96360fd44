"""The data of ``bench/opendata.py``: 2,000 datasets and one datastore table of a million rows.

Built in a freshly migrated database (``pontive db upgrade``) through Pontive's own code where
a client would go through it: the table is made by ``datastore.create_table`` with the
``indexes`` a CKAN client passes to ``datastore_create`` (here one composite index
``[kelurahan, tahun, nilai]`` for the query it will ask), then filled with ``executemany``
in chunks (a client would send ``datastore_upsert`` batches: the same rows, far slower to
send) and analysed as a finished load is. The datasets are direct rows (``Dataset`` with tags,
dimensions and one resource each), spread over the Perangkat Daerah of the reference data.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pontive.core.choices import Classification
from pontive.core.db import Database
from pontive.opendata import datastore
from pontive.opendata.choices import DatasetState, UrlType
from pontive.opendata.models import Dataset, DatasetGroup, DatasetTag, Resource
from pontive.reference.service import list_perangkat_daerah

KELURAHAN = (
    "Benua Melayu Darat", "Benua Melayu Laut", "Darat Sekip", "Mariana", "Tengah",
    "Sungai Bangkong", "Sungai Jawi", "Akcaya", "Bangka Belitung Darat", "Bangka Belitung Laut",
    "Kota Baru", "Parit Tokaya", "Banjar Serasan", "Dalam Bugis", "Kampung Bali", "Saigon",
    "Tambelan Sampit", "Tanjung Hilir", "Parit Mayor", "Tanjung Hulu", "Batu Layang",
    "Siantan Hilir", "Siantan Hulu", "Siantan Tengah", "Sungai Beliung", "Pal Lima",
    "Sungai Jawi Dalam", "Sungai Jawi Luar", "Bansir Darat",
)  # fmt: skip
INDIKATOR = ("curah_hujan", "suhu", "kelembapan", "pm25", "pm10", "genangan", "sampah_ton")
YEARS = tuple(range(2015, 2025))
FIELDS = [
    {"id": "kelurahan", "type": "text", "info": {"label": "Kelurahan"}},
    {"id": "tahun", "type": "int", "info": {"label": "Tahun"}},
    {"id": "bulan", "type": "int", "info": {"label": "Bulan"}},
    {"id": "indikator", "type": "text", "info": {"label": "Indikator"}},
    {"id": "nilai", "type": "numeric", "info": {"label": "Nilai"}},
    {"id": "tanggal", "type": "date", "info": {"label": "Tanggal"}},
]
# What a CKAN client asks of datastore_create for the query it will run (bench docstring).
INDEXES = [["kelurahan", "tahun", "nilai"]]
TAGS = ("air", "udara", "sampah", "banjir", "penduduk", "kesehatan", "pendidikan", "jalan")
GROUPS = ("governance", "branding", "economy", "living", "society", "environment")
TOPICS = (
    "Curah hujan", "Kualitas udara", "Volume sampah", "Titik genangan", "Jumlah penduduk",
    "Fasilitas kesehatan", "Sekolah dasar", "Panjang jalan", "Pasar tradisional", "Taman kota",
)  # fmt: skip
CHUNK = 20_000


@dataclass(frozen=True)
class Built:
    resource_id: str
    table_name: str
    rows: int
    datasets: int
    seconds: float


def _rows(count: int, rng: random.Random) -> Any:
    start = date(2015, 1, 1)
    for _ in range(count):
        year = rng.choice(YEARS)
        month = rng.randint(1, 12)
        day = start.replace(year=year, month=month) + timedelta(days=rng.randint(0, 27))
        yield (
            rng.choice(KELURAHAN),
            year,
            month,
            rng.choice(INDIKATOR),
            round(rng.uniform(0, 1000), 3),
            day.isoformat(),
        )


def _datasets(database: Database, count: int, rng: random.Random) -> str:
    """``count`` public datasets, one resource each; the id of the first resource."""
    with database.begin() as session:
        orgs = [pd.kode for pd in list_perangkat_daerah(session=session)]
        first = ""
        for number in range(count):
            topic = TOPICS[number % len(TOPICS)]
            dataset = Dataset(
                name=f"data-{number:04d}-{topic.lower().replace(' ', '-')}",
                title=f"{topic} {KELURAHAN[number % len(KELURAHAN)]} {YEARS[number % 10]}",
                notes=f"{topic} per kelurahan di Kota Pontianak, seri {number}.",
                owner_org=orgs[number % len(orgs)],
                classification=Classification.PUBLIK,
                state=DatasetState.ACTIVE,
            )
            dataset.tags = [DatasetTag(name=t) for t in rng.sample(TAGS, 2)]
            dataset.groups = [DatasetGroup(dimensi_kode=rng.choice(GROUPS))]
            session.add(dataset)
            session.flush()
            resource = Resource(
                dataset_id=dataset.id,
                name="data.csv",
                format="CSV",
                url_type=UrlType.LINK,
                url=f"https://data.pontianak.go.id/{dataset.name}.csv",
                position=0,
            )
            session.add(resource)
            session.flush()
            first = first or resource.id
    return first


def build(database: Database, *, rows: int, datasets: int) -> Built:
    """Fill the (migrated) database; the table's resource and how long it took."""
    started = time.perf_counter()
    rng = random.Random(6)
    resource_id = _datasets(database, datasets, rng)
    with database.begin() as session:
        resource = session.get(Resource, resource_id)
        assert resource is not None  # noqa: S101 - made just above
        table = datastore.create_table(session, resource, FIELDS, indexes=INDEXES)
        name = table.table_name
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        # Pontive's SQLite connections are in autocommit mode: one transaction for the load,
        # and a page cache big enough for the indexes being filled.
        cursor.execute("PRAGMA cache_size=-262144")
        cursor.execute("BEGIN")
        insert = datastore.insert_sql(name, [f["id"] for f in FIELDS], "sqlite")
        source = _rows(rows, rng)
        while chunk := [row for _, row in zip(range(CHUNK), source, strict=False)]:
            cursor.executemany(insert, chunk)
        cursor.execute("COMMIT")
    finally:
        raw.close()
    with database.begin() as session:
        connection = session.connection()
        datastore.analyse(connection, name)
        table = datastore.get_table(session, session.get(Resource, resource_id))  # type: ignore[arg-type]
        table.row_count = datastore.count_rows(connection, name)
    return Built(resource_id, name, rows, datasets, time.perf_counter() - started)
