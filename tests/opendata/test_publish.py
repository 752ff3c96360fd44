"""The jobs that publish Pontive's own data, run over a copy of the demo database: every
self-published dataset is filled, its tables add up, reruns replace rather than add, and no
personal data reaches a table or a file."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from pontive.alerts import service as alerts_service
from pontive.alerts.models import Alert
from pontive.complaints.models import Complaint
from pontive.core.choices import Classification
from pontive.core.db import Database
from pontive.core.events import SESSION_BUS_KEY, MemoryBus
from pontive.core.models import User
from pontive.core.storage import MediaStore
from pontive.core.timeutil import utcnow
from pontive.opendata import catalogue_read, demo, publish, seed, service
from pontive.opendata.choices import DatasetState, UrlType
from pontive.opendata.models import Dataset, DatastoreTable
from pontive.opendata.publish_meta import PUBLICATIONS
from tests.conftest import DemoDatabase, clone_database_url

PERSONAL_COLUMNS = {
    "nama_pelapor",
    "reporter_name",
    "telepon",
    "phone",
    "email",
    "surel",
    "alamat",
    "address",
    "deskripsi",
    "description",
    "uraian",
    "lat",
    "lon",
}


@dataclass
class Published:
    """A writable copy of the demo database after one more run of every job."""

    database: Database
    media: MediaStore


@pytest.fixture(scope="module")
def published(
    tmp_path_factory: pytest.TempPathFactory, demo_database: DemoDatabase
) -> Iterator[Published]:
    for url in clone_database_url(tmp_path_factory, demo_database.url, "publish"):
        database = Database(url)
        media = MediaStore(tmp_path_factory.mktemp("publish-media"))
        with database.session() as session:
            session.info[SESSION_BUS_KEY] = MemoryBus()
            publish.publish_all(session, media)
        yield Published(database, media)
        database.dispose()


@pytest.fixture
def db(published: Published) -> Iterator[Session]:
    with published.database.session() as session:
        session.info[SESSION_BUS_KEY] = MemoryBus()
        yield session


def _datasets(session: Session) -> dict[str, Dataset]:
    query = select(Dataset).where(Dataset.source_job.is_not(None))
    rows = session.scalars(query.options(selectinload(Dataset.resources)))
    return {dataset.name: dataset for dataset in rows}


def _csv(media: MediaStore, key: str | None) -> list[dict[str, str]]:
    assert key is not None
    return list(csv.DictReader(io.StringIO(media.read(key).decode())))


def test_every_self_published_dataset_is_filled_with_its_metadata(
    db: Session, published: Published
) -> None:
    datasets = _datasets(db)
    assert set(datasets) == {p.name for p in PUBLICATIONS}
    for publication in PUBLICATIONS:
        dataset = datasets[publication.name]
        assert dataset.owner_org == publication.owner_org
        assert dataset.source_job == publication.job
        assert dataset.refreshed_at is not None
        assert dataset.classification is Classification.PUBLIK
        assert dataset.license_id == "cc-by-4.0"
        assert publication.job in dataset.notes
        assert "Sumber:" in dataset.notes
        for column in ("konsep", "definisi", "satuan", "metode"):
            assert getattr(dataset, column), (publication.name, column)
        assert dataset.level_estimasi in ("kota", "kelurahan")
        assert dataset.kode_referensi.startswith("Kemendagri kode wilayah")
        assert [g.dimensi_kode for g in dataset.groups] == sorted(publication.groups)
        assert dataset.resources, publication.name
        for resource in dataset.resources:
            assert resource.url_type is UrlType.GENERATED
            assert resource.datastore_active
            body = published.media.read(resource.storage_key or "")
            assert resource.hash == f"sha256:{hashlib.sha256(body).hexdigest()}"
            assert resource.size == len(body)
            table = db.get(DatastoreTable, resource.id)
            assert table is not None
            rows = _csv(published.media, resource.storage_key)
            assert table.row_count == len(rows)
            header = published.media.read(resource.storage_key or "").decode().split("\n", 1)[0]
            assert header.split(",") == [f["id"] for f in table.fields]


def test_complaint_tables_add_up_to_the_city_summary(db: Session, published: Published) -> None:
    dataset = _datasets(db)["statistik-pengaduan-warga"]
    tables = {r.url: _csv(published.media, r.storage_key) for r in dataset.resources}
    assert set(tables) == {
        "pengaduan-per-kategori.csv",
        "pengaduan-per-perangkat-daerah.csv",
        "pengaduan-per-kelurahan.csv",
        "pengaduan-per-bulan.csv",
        "pengaduan-ringkasan.csv",
    }
    (summary,) = tables["pengaduan-ringkasan.csv"]
    total = int(summary["laporan"])
    assert total > 0
    for name in ("per-kategori", "per-perangkat-daerah", "per-bulan"):
        rows = tables[f"pengaduan-{name}.csv"]
        assert sum(int(row["laporan"]) for row in rows) == total, name
        for row in rows:
            parts = ("terbuka", "selesai_diperbaiki", "ditutup_tanpa_perbaikan")
            assert sum(int(row[p]) for p in parts) <= int(row["laporan"])
    assert float(summary["median_hari_penyelesaian"]) > 0
    kelurahan = tables["pengaduan-per-kelurahan.csv"]
    assert all(row["kode"].startswith("61.71.") for row in kelurahan)
    for name in ("per-kategori", "per-perangkat-daerah", "per-kelurahan", "per-bulan"):
        rows = tables[f"pengaduan-{name}.csv"]
        # Every breakdown says how fast its fixes came, over how many, and how many on time.
        fixed = sum(int(row["laporan_diperbaiki"]) for row in rows)
        if name == "per-kelurahan":  # a report pinned outside every kelurahan has none
            assert fixed <= int(summary["laporan_diperbaiki"])
        else:
            assert fixed == int(summary["laporan_diperbaiki"]), name
        for row in rows:
            assert int(row["selesai_tepat_waktu"]) <= int(row["selesai_dengan_tenggat"])
            assert (row["median_hari_penyelesaian"] == "") == (row["laporan_diperbaiki"] == "0")


def test_sensor_and_ispu_tables_hold_hourly_and_daily_figures(
    db: Session, published: Published
) -> None:
    datasets = _datasets(db)
    water = _csv(
        published.media, datasets["muka-air-dan-curah-hujan-per-jam"].resources[0].storage_key
    )
    air = _csv(
        published.media, datasets["pengukuran-sensor-lingkungan-per-jam"].resources[0].storage_key
    )
    assert {row["besaran"] for row in water} <= {"water_level", "rainfall"}
    assert "water_level" in {row["besaran"] for row in water}
    assert "pm25" in {row["besaran"] for row in air}
    for row in water[:200] + air[:200]:
        assert float(row["minimum"]) <= float(row["rerata"]) <= float(row["maksimum"])
        assert row["jam_mulai"].endswith(":00:00")
    ispu = _csv(published.media, datasets["ispu-harian-per-stasiun"].resources[0].storage_key)
    assert ispu
    categories = {"Baik", "Sedang", "Tidak Sehat", "Sangat Tidak Sehat", "Berbahaya"}
    for row in ispu:
        assert row["kategori"] in categories
        assert int(row["ispu_tertinggi"]) >= float(row["ispu_rerata"]) - 0.5
        assert 1 <= int(row["jam_terhitung"]) <= 24


def test_alert_history_lists_sent_messages_and_never_drafts(
    db: Session, published: Published
) -> None:
    dataset = _datasets(db)["riwayat-peringatan-dini"]
    rows = _csv(published.media, dataset.resources[0].storage_key)
    identifiers = {row["identifier"] for row in rows}
    alerts = db.scalars(select(Alert)).all()
    sent = {a.identifier for a in alerts if a.state in alerts_service.PUBLIC_STATES}
    drafts = {a.identifier for a in alerts if a.state not in alerts_service.PUBLIC_STATES}
    assert identifiers == sent
    assert drafts  # the demo has one awaiting approval
    assert not drafts & identifiers


def test_no_personal_data_reaches_any_table_or_file(db: Session, published: Published) -> None:
    personal: set[str] = set()
    for complaint in db.scalars(select(Complaint)):
        personal |= {
            value
            for value in (
                complaint.reporter_name,
                complaint.reporter_phone,
                complaint.reporter_email,
                complaint.description,
                complaint.public_description,
            )
            if value and len(value) >= 6
        }
    for user in db.scalars(select(User)):
        personal |= {v for v in (user.full_name, user.email) if v}
    assert personal
    for dataset in _datasets(db).values():
        for resource in dataset.resources:
            table = db.get(DatastoreTable, resource.id)
            assert table is not None
            columns = {field["id"] for field in table.fields}
            assert not columns & PERSONAL_COLUMNS, (resource.url, columns & PERSONAL_COLUMNS)
            text = published.media.read(resource.storage_key or "").decode()
            leaked = [value for value in personal if value in text]
            assert leaked == [], (resource.url, leaked[:3])


def test_a_rerun_replaces_tables_and_files_instead_of_adding(
    db: Session, published: Published
) -> None:
    before = {
        name: [(r.id, db.get(DatastoreTable, r.id).row_count, r.storage_key) for r in d.resources]  # type: ignore[union-attr]
        for name, d in _datasets(db).items()
    }
    hashes = {r.id: r.hash for d in _datasets(db).values() for r in d.resources}
    history = {name: len(service.list_activity(db, d)) for name, d in _datasets(db).items()}
    publish.publish_all(db, published.media)
    db.expire_all()
    after = _datasets(db)
    for name, dataset in after.items():
        # The history gains an entry only when a run's data differed from the last.
        changed = [r.id for r in dataset.resources if r.hash != hashes[r.id]]
        activity = service.list_activity(db, dataset)
        assert len(activity) == history[name] + (1 if changed else 0)
        if changed:
            assert activity[0].data == {
                "changed": ["resources"],
                "resources": {"refreshed": changed},
            }
    first = service.list_activity(db, after[next(iter(after))])[-2]
    assert first.data["changed"] == ["state", "resources"]  # the first run published it
    for name, resources in before.items():
        now = after[name].resources
        assert [r.id for r in now] == [rid for rid, _, _ in resources]
        for (rid, rows, old_key), resource in zip(resources, now, strict=True):
            table = db.get(DatastoreTable, rid)
            assert table is not None
            assert table.row_count == rows or name.endswith("per-jam")  # new hours may arrive
            assert resource.storage_key != old_key
            assert old_key is not None
            assert not published.media.path(old_key).exists()
            assert Path(published.media.path(resource.storage_key or "")).exists()


def test_the_demo_publishes_pd_datasets_with_links_and_satu_data(
    demo_database: DemoDatabase, db: Session
) -> None:
    assert demo_database.summary["opendata"].startswith(f"{len(demo.DEMO)} dataset")
    for item in demo.DEMO:
        dataset = db.scalar(select(Dataset).where(Dataset.name == item.data.name))
        assert dataset is not None
        assert dataset.source_job is None
        assert dataset.konsep
        assert dataset.kode_referensi
        assert [r.url for r in dataset.resources] == [link[1] for link in item.links]
        assert all(r.url_type is UrlType.LINK for r in dataset.resources)
    owners = {item.data.owner_org for item in demo.DEMO}
    assert len(owners) >= 5
    public = catalogue_read.count_public(db)
    restricted = [i for i in demo.DEMO if i.data.classification is not Classification.PUBLIK]
    assert restricted  # the demo shows a terbatas dataset too
    assert public == len(demo.DEMO) - len(restricted) + len(PUBLICATIONS)


# --- on the run's seeded database (rolled back after each test) ------------------------------


def test_seeded_datasets_wait_as_drafts_until_their_job_fills_them(
    session: Session, media: MediaStore
) -> None:
    seeded = _datasets(session)
    assert {name: d.state for name, d in seeded.items()} == {
        p.name: DatasetState.DRAFT for p in PUBLICATIONS
    }
    assert seed.seed(session=session) == 0  # already there: nothing added
    (alerts,) = publish.publish_alerts(session, media, utcnow())
    assert alerts.state is DatasetState.ACTIVE
    assert alerts.refreshed_at is not None
    (resource,) = alerts.resources
    assert media.read(resource.storage_key or "").decode().startswith("identifier,jenis_pesan,")
    assert session.get(DatastoreTable, resource.id).row_count == 0  # type: ignore[union-attr]


def test_a_withdrawn_dataset_is_not_published_again(session: Session, media: MediaStore) -> None:
    dataset = _datasets(session)["riwayat-peringatan-dini"]
    dataset.state = DatasetState.DELETED
    session.flush()
    publish.publish_alerts(session, media, utcnow())
    assert dataset.state is DatasetState.DELETED
    assert dataset.resources == []


def test_every_publication_has_a_registered_job() -> None:
    names = {job.name for job in publish.JOBS}
    assert {p.job for p in PUBLICATIONS} == names
    assert all(job.interval_seconds >= 900 for job in publish.JOBS)
