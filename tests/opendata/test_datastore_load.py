"""Loading files into the datastore (``datastore_load.py``, ``datastore_read.py``): type
inference, the validation report, all or nothing, progress, encodings, XLSX, the job."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy.orm import Session

from pontive.core.db import Database
from pontive.core.events import MemoryBus
from pontive.core.timeutil import utcnow
from pontive.core.worker import JobContext
from pontive.opendata import datastore, datastore_load, jobs
from pontive.opendata.choices import FieldType, LoadState
from pontive.opendata.datastore_read import infer_column
from pontive.opendata.models import DatastoreTable, Resource
from pontive.settings import Settings
from tests.opendata.datastore_support import committed_resource

GOOD = (
    "kelurahan;tahun;nilai;aktif;tanggal;waktu\n"
    "Benua Melayu Darat;2022;10,5;ya;31/01/2022;2022-01-31 08:00\n"
    "Tengah;2023;;tidak;2023-02-01;2023-02-01T09:30:00\n"
)


def search(database: Database, resource_id: str, **params: Any) -> dict[str, Any]:
    with database.session(write=False) as session:
        resource = session.get(Resource, resource_id)
        assert resource is not None
        return datastore.search(session, resource, params)


def table_of(database: Database, resource_id: str) -> DatastoreTable:
    with database.session(write=False) as session:
        table = session.get(DatastoreTable, resource_id)
        assert table is not None
        session.expunge(table)
        return table


@pytest.mark.parametrize(
    ("values", "expected", "comma"),
    [
        (["1", "-20", None, "300"], FieldType.INT, False),
        (["0812", "1"], FieldType.TEXT, False),  # leading zeros: codes, kept as text
        (["1.5", "2", "-3e2"], FieldType.NUMERIC, False),
        (["1,5", "2", "1.234,75"], FieldType.NUMERIC, True),
        (["1,234", "5,678"], FieldType.TEXT, False),  # could be English thousands
        (["1,5", "2.5"], FieldType.TEXT, False),  # mixed decimal marks
        (["ya", "Tidak", "TRUE"], FieldType.BOOL, False),
        (["2024-01-31", "31/12/2023"], FieldType.DATE, False),
        (["2024-01-31 10:00", "2024-02-01T00:00:00+07:00"], FieldType.TIMESTAMP, False),
        (["Pontianak", "1"], FieldType.TEXT, False),
        ([], FieldType.TEXT, False),
    ],
)
def test_type_inference(values: list[str], expected: FieldType, comma: bool) -> None:
    inferred = infer_column(values)
    assert inferred.type is expected
    assert inferred.decimal_comma is comma


def test_a_semicolon_csv_with_bom_loads_with_inferred_types(database: Database) -> None:
    with committed_resource(database, "muat-bom") as rid:
        table = datastore_load.load_upload(database, rid, io.BytesIO(GOOD.encode("utf-8-sig")))
        assert table.state is LoadState.DONE
        assert table.row_count == 2
        assert [f["type"] for f in table.fields] == [
            "text", "int", "numeric", "bool", "date", "timestamp",
        ]  # fmt: skip
        records = search(database, rid)["records"]
        assert records[0]["kelurahan"] == "Benua Melayu Darat"  # the BOM is not in the name
        assert records[0]["nilai"] == 10.5
        assert records[0]["tanggal"] == "2022-01-31"
        assert records[1]["nilai"] is None
        assert records[1]["aktif"] is False


def test_windows_1252_and_given_types(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes("nama,kode\nCaf\xe9 Kapuas,007\n".encode("cp1252"))
    with committed_resource(database, "muat-1252") as rid:
        fields = [{"id": "kode", "type": "int", "info": {"label": "Kode"}}]
        table = datastore_load.load_upload(database, rid, path, fields=fields)
        assert table.state is LoadState.DONE
        assert table.fields[1] == {
            "id": "kode",
            "type": "int",
            "info": {"label": "Kode", "notes": ""},
        }
        assert search(database, rid)["records"][0] == {"_id": 1, "nama": "Café Kapuas", "kode": 7}


def test_xlsx_loads_its_first_sheet(database: Database) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["kecamatan", "jumlah", "tanggal"])
    sheet.append(["Pontianak Kota", 12, __import__("datetime").datetime(2024, 3, 1)])
    sheet.append(["Pontianak Utara", 7.5, None])
    data = io.BytesIO()
    workbook.save(data)
    with committed_resource(database, "muat-xlsx") as rid:
        table = datastore_load.load_upload(database, rid, data)
        assert [f["type"] for f in table.fields] == ["text", "numeric", "date"]
        assert search(database, rid, sort="jumlah")["records"][0]["jumlah"] == 7.5


def test_a_bad_file_leaves_a_report_and_the_old_table_untouched(database: Database) -> None:
    with committed_resource(database, "muat-buruk") as rid:
        datastore_load.load_upload(database, rid, io.BytesIO(GOOD.encode()))
        bad = GOOD + "Mariana;dua ribu;1;ya;2024-01-01;2024-01-01\nSungai Bangkong;2024\n"
        fields = [{"id": "tahun", "type": "int"}]
        table = datastore_load.load_upload(database, rid, io.BytesIO(bad.encode()), fields=fields)
        assert table.state is LoadState.FAILED
        assert table.report["error_count"] == 1
        error = table.report["errors"][0]
        assert (error["row"], error["column"], error["value"]) == (4, "tahun", "dua ribu")
        assert error["message_id"] == "Bukan bilangan bulat."
        assert error["message_en"]
        assert search(database, rid)["total"] == 2  # the old table, as it was
        with database.session(write=False) as session:
            names = session.connection().dialect.get_table_names(session.connection())
        assert not [n for n in names if n.startswith("dsst_")]


def test_a_bad_first_load_leaves_no_table(database: Database) -> None:
    with committed_resource(database, "muat-pertama") as rid:
        bad = "a,b\n1,2\n3\n4,5,6\n"
        table = datastore_load.load_upload(database, rid, io.BytesIO(bad.encode()))
        assert table.state is LoadState.FAILED
        assert [e["row"] for e in table.report["errors"]] == [4]  # a short row is padded
        with database.session(write=False) as session:
            resource = session.get(Resource, rid)
            assert resource is not None
            assert not resource.datastore_active
            names = session.connection().dialect.get_table_names(session.connection())
        assert datastore.table_name(rid) not in names


@pytest.mark.parametrize("header", ["_id,b", "a,a", ",b", "x" * 64 + ",b"])
def test_bad_headers_are_reported_on_row_one(database: Database, header: str) -> None:
    with committed_resource(database, "muat-kepala") as rid:
        table = datastore_load.load_upload(database, rid, io.BytesIO(f"{header}\n1,2\n".encode()))
        assert table.state is LoadState.FAILED
        assert table.report["errors"][0]["row"] == 1


def test_the_report_is_capped_but_counts_every_error(database: Database) -> None:
    rows = "".join(f"baris {i}\n" for i in range(300))
    with committed_resource(database, "muat-banyak") as rid:
        fields = [{"id": "angka", "type": "int"}]
        table = datastore_load.load_upload(
            database, rid, io.BytesIO(("angka\n" + rows).encode()), fields=fields
        )
        assert table.report["error_count"] == 300
        assert len(table.report["errors"]) == 100


def test_fifty_thousand_rows_load_in_batches_with_progress(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "kelurahan,tahun,nilai\n" + "".join(
        f"Kel {i % 29},{2015 + i % 10},{i % 997}.5\n" for i in range(50_000)
    )
    seen: list[tuple[int, int | None]] = []
    original = datastore_load._Loader._write

    def watch(self: Any, batch: Any, source: Any) -> None:
        original(self, batch, source)
        table = table_of(database, self.resource_id)  # as the progress page reads it
        seen.append((table.rows_read, table.bytes_read))

    monkeypatch.setattr(datastore_load._Loader, "_write", watch)
    with committed_resource(database, "muat-besar") as rid:
        table = datastore_load.load_upload(
            database, rid, io.BytesIO(text.encode()), batch_rows=10_000
        )
        assert table.state is LoadState.DONE
        assert table.row_count == 50_000
        assert [rows for rows, _ in seen[:5]] == [10_000, 20_000, 30_000, 40_000, 50_000]
        assert all(b is not None and b > 0 for _, b in seen)
        assert table.bytes_read == table.bytes_total == len(text)
        page = search(
            database,
            rid,
            filters={"kelurahan": "Kel 3", "tahun": 2018},
            sort="nilai desc",
            limit=20,
        )
        assert page["total"] == 173
        assert len(page["records"]) == 20


@contextmanager
def queued_upload(database: Database, settings: Settings, name: str, text: str) -> Iterator[str]:
    """A committed resource whose stored CSV ``text`` is queued for the datastore."""
    folder = settings.media_dir / "opendata"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.csv").write_text(text)
    with committed_resource(database, f"muat-{name}") as rid:
        with database.begin() as session:
            resource = session.get(Resource, rid)
            assert resource is not None
            resource.storage_key = f"opendata/{name}.csv"
            datastore_load.queue_load(session, resource)
        yield rid


def test_the_worker_job_loads_queued_uploads(
    database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "get_settings", lambda: settings)
    with queued_upload(database, settings, "antre", "a,b\n1,x\n2,y\n") as rid:
        with database.session() as session:
            jobs.load_pending(JobContext(session=session, bus=MemoryBus()))
        assert table_of(database, rid).state is LoadState.DONE
        assert search(database, rid)["total"] == 2


def test_a_load_abandoned_by_a_stopped_process_is_loaded_again(
    database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs, "get_settings", lambda: settings)
    with queued_upload(database, settings, "terhenti", "a,b\n1,x\n") as rid:
        assert datastore_load.claim(database, rid, None)  # then its process stopped
        with database.session() as session:
            jobs.load_pending(JobContext(session=session, bus=MemoryBus()))
        assert table_of(database, rid).state is LoadState.LOADING  # it may still be running
        with database.begin() as session:
            table = session.get(DatastoreTable, rid)
            assert table is not None
            table.started_at = utcnow() - jobs.STALE_LOAD - timedelta(minutes=1)
        with database.session() as session:
            jobs.load_pending(JobContext(session=session, bus=MemoryBus()))
        assert table_of(database, rid).state is LoadState.DONE
        assert search(database, rid)["total"] == 1


def test_queue_load_marks_pending(session: Session) -> None:
    from tests.opendata.conftest import make_dataset, make_resource

    resource = make_resource(session, make_dataset(session))
    assert datastore_load.queue_load(session, resource).state is LoadState.PENDING
