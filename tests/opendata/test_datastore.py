"""The datastore's tables and search (``datastore.py``, ``datastore_query.py``) and the
CKAN datastore actions (``datastore_actions.py``), on the test's rolled-back session."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.core.errors import InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from pontive.core.identity import ANONYMOUS, Actor, ActorKind
from pontive.core.roles import Role
from pontive.core.storage import MediaStore
from pontive.opendata import datastore, datastore_actions, datastore_query, service
from pontive.opendata.actions import SearchQueryError
from pontive.opendata.choices import DatasetState
from pontive.opendata.datastore_schema import table_name
from pontive.opendata.models import Resource
from pontive.settings import Settings
from tests.opendata.conftest import make_dataset, make_resource
from tests.opendata.datastore_support import FIELDS, PUBLISHER, RECORDS, call, filled_resource

_ = datastore_actions  # registers the actions


def names(result: dict[str, object]) -> list[str]:
    return [r["kelurahan"] for r in result["records"]]  # type: ignore[index, union-attr]


def test_create_makes_a_typed_table_and_records_its_fields(session: Session) -> None:
    resource = filled_resource(session)
    table = datastore.get_table(session, resource)
    assert table.table_name == table_name(resource.id)
    assert resource.datastore_active
    assert table.row_count == 4
    assert [f["id"] for f in table.fields] == [f["id"] for f in FIELDS]
    assert table.fields[0]["info"] == {"label": "Kelurahan", "notes": ""}
    columns = {c["name"] for c in inspect(session.connection()).get_columns(table.table_name)}
    assert columns == {"_id", *(f["id"] for f in FIELDS)}


@pytest.mark.parametrize(
    "bad",
    [
        [{"id": "_rahasia", "type": "text"}],
        [{"id": "x" * 64, "type": "text"}],
        [{"id": "a", "type": "text"}, {"id": "a", "type": "int"}],
        [{"id": "a", "type": "geometri"}],
    ],
)
def test_bad_field_names_and_types_are_field_errors(
    session: Session, bad: list[dict[str, str]]
) -> None:
    resource = make_resource(session, make_dataset(session))
    with pytest.raises(InvalidInput) as caught:
        datastore.create_table(session, resource, bad)
    assert "fields" in caught.value.errors


def test_quoted_names_with_spaces_percent_and_quotes_like_characters_work(session: Session) -> None:
    resource = make_resource(session, make_dataset(session))
    fields = [{"id": "Persentase (%)", "type": "numeric"}, {"id": "select", "type": "text"}]
    datastore.create_table(session, resource, fields)
    datastore.upsert(
        session, resource, [{"Persentase (%)": 12.5, "select": "a:b"}], method="insert"
    )
    result = datastore.search(
        session, resource, {"filters": {"select": "a:b"}, "sort": "Persentase (%) desc"}
    )
    assert result["records"] == [{"_id": 1, "Persentase (%)": 12.5, "select": "a:b"}]


def test_values_come_back_as_json_types(session: Session) -> None:
    resource = filled_resource(session)
    first, _second, third, fourth = datastore.search(session, resource, {})["records"]
    assert first == {
        "_id": 1, "kelurahan": "Benua Melayu Darat", "tahun": 2022, "nilai": 10.5,
        "aktif": True, "tanggal": "2022-01-31", "waktu": "2022-01-31T08:00:00",
    }  # fmt: skip
    assert third["tanggal"] == "2023-03-15"  # dd/mm/yyyy accepted
    assert fourth["waktu"] == "2024-05-05T03:00:00"  # an instant with a zone is kept as UTC
    assert fourth["nilai"] is None
    assert fourth["aktif"] is None


def test_a_bad_record_is_a_validation_error_and_writes_nothing(session: Session) -> None:
    resource = filled_resource(session)
    with pytest.raises(InvalidInput) as caught:
        datastore.upsert(session, resource, [{"tahun": "dua ribu"}], method="insert")
    assert "records" in caught.value.errors
    with pytest.raises(InvalidInput):
        datastore.upsert(session, resource, [{"tidak_ada": 1}], method="insert")
    assert datastore.search(session, resource, {})["total"] == 4


def test_upsert_update_and_insert_by_primary_key(session: Session) -> None:
    resource = make_resource(session, make_dataset(session))
    datastore.create_table(session, resource, FIELDS[:3], primary_key=["kelurahan"])
    datastore.upsert(session, resource, [{"kelurahan": "Tengah", "tahun": 2020}], method="upsert")
    datastore.upsert(session, resource, [{"kelurahan": "Tengah", "tahun": 2021}], method="upsert")
    datastore.upsert(session, resource, [{"kelurahan": "Tengah", "nilai": 2}], method="update")
    result = datastore.search(session, resource, {})
    assert result["total"] == 1
    assert result["records"][0]["tahun"] == 2021
    assert result["records"][0]["nilai"] == 2
    with pytest.raises(NotFound):
        datastore.upsert(session, resource, [{"kelurahan": "Mariana", "nilai": 1}], method="update")
    with pytest.raises(InvalidInput):
        datastore.upsert(session, resource, [{"kelurahan": "Tengah"}], method="replace")


def test_one_upsert_of_many_records_keeps_their_order_shapes_and_ids(session: Session) -> None:
    resource = make_resource(session, make_dataset(session))
    datastore.create_table(session, resource, FIELDS[:3], primary_key=["kelurahan"])
    datastore.upsert(
        session, resource, [{"kelurahan": f"K{n:04d}", "tahun": 2000} for n in range(3000)]
    )
    tengah_id = datastore.search(session, resource, {"filters": {"kelurahan": "K0007"}})
    records = [
        {"kelurahan": "K0001", "tahun": 2021},
        {"kelurahan": "K0001", "tahun": 2022},  # the same key twice: the last one stays
        {"kelurahan": "K0002", "nilai": 5},  # another shape: only nilai changes
        {"kelurahan": "Baru"},  # a key only: inserted, nothing else to set
        {"kelurahan": "K0003"},  # a key only, existing: left as it is
        {"_id": tengah_id["records"][0]["_id"], "tahun": 1999},  # by _id
        {"kelurahan": "Baru", "tahun": 2030},
    ]
    assert datastore.upsert(session, resource, records) == len(records)
    rows = {
        r["kelurahan"]: (r["tahun"], r["nilai"])
        for r in datastore.search(session, resource, {"limit": 5000})["records"]
    }
    assert len(rows) == 3001
    assert rows["K0001"] == (2022, None)
    assert rows["K0002"] == (2000, 5)
    assert rows["K0003"] == (2000, None)
    assert rows["K0007"] == (1999, None)
    assert rows["Baru"] == (2030, None)
    with pytest.raises(InvalidInput):  # no key: refused before anything is written
        datastore.upsert(
            session, resource, [{"kelurahan": "Lain"}, {"_id": 1, "nilai": 1}, {"tahun": 2024}]
        )
    assert "Lain" not in {
        r["kelurahan"] for r in datastore.search(session, resource, {"limit": 5000})["records"]
    }


def test_delete_rows_by_filter_and_drop(session: Session) -> None:
    resource = filled_resource(session)
    assert datastore.delete_rows(session, resource, {"tahun": 2023}) == 2
    assert datastore.info(session, resource)["meta"]["count"] == 2
    datastore.drop(session, resource)
    assert not resource.datastore_active
    with pytest.raises(NotFound):
        datastore.search(session, resource, {})


def test_replace_rows_swaps_fields_and_contents(session: Session) -> None:
    resource = filled_resource(session)
    fields = [{"id": "kategori", "type": "text"}, {"id": "jumlah", "type": "int"}]
    table = datastore.replace_rows(session, resource, fields, [("banjir", 3), ("jalan", "5")])
    assert table.row_count == 2
    assert [f["id"] for f in table.fields] == ["kategori", "jumlah"]
    result = datastore.search(session, resource, {"sort": "jumlah desc"})
    assert [r["jumlah"] for r in result["records"]] == [5, 3]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"filters": {"tahun": 2023}}, ["Darat Sekip", "Tengah"]),
        ({"filters": '{"tahun": "2023"}'}, ["Darat Sekip", "Tengah"]),
        ({"filters": {"tahun": [2022, 2024]}}, ["Benua Melayu Darat", "Mariana"]),
        ({"filters": {"nilai": {"gte": 7.25}}}, ["Benua Melayu Darat", "Tengah"]),
        ({"filters": {"tahun": {"lt": 2023}}}, ["Benua Melayu Darat"]),
        ({"filters": {"tahun": {"ne": 2023, "lte": 2024}}}, ["Benua Melayu Darat", "Mariana"]),
        ({"filters": {"aktif": True}}, ["Benua Melayu Darat", "Tengah"]),
        ({"q": "darat"}, ["Benua Melayu Darat", "Darat Sekip"]),
        ({"q": "darat sekip"}, ["Darat Sekip"]),
        ({"q": {"kelurahan": "ten"}}, ["Tengah"]),
        ({"q": '{"tahun": "2024"}', "plain": "false"}, ["Mariana"]),
        (
            {"sort": "tahun desc, kelurahan"},
            ["Mariana", "Darat Sekip", "Tengah", "Benua Melayu Darat"],
        ),
        # NULLs sort as each database does (first on SQLite, last on PostgreSQL): filtered out
        (
            {"sort": "nilai desc", "filters": {"tahun": [2022, 2023]}},
            ["Benua Melayu Darat", "Tengah", "Darat Sekip"],
        ),
        ({"limit": 2, "offset": 1}, ["Darat Sekip", "Tengah"]),
    ],
)
def test_search_parameters(
    session: Session, params: dict[str, object], expected: list[str]
) -> None:
    resource = filled_resource(session)
    result = datastore.search(session, resource, params)
    assert names(result) == expected


def test_search_echoes_params_and_counts(session: Session) -> None:
    resource = filled_resource(session)
    result = datastore.search(session, resource, {"filters": {"tahun": 2023}, "limit": "1"})
    assert (result["total"], result["limit"], len(result["records"])) == (2, 1, 1)
    assert result["fields"][0] == {"id": "_id", "type": "int"}
    assert result["filters"] == {"tahun": 2023}
    assert result["resource_id"] == resource.id
    assert "offset=1" in result["_links"]["next"]
    without = datastore.search(session, resource, {"include_total": "false"})
    assert "total" not in without
    assert datastore.search(session, resource, {"limit": 99999})["limit"] == 32000


def test_fields_distinct_and_record_formats(session: Session) -> None:
    resource = filled_resource(session)
    chosen = datastore.search(
        session, resource, {"fields": "tahun", "distinct": True, "sort": "tahun"}
    )
    assert chosen["records"] == [{"tahun": 2022}, {"tahun": 2023}, {"tahun": 2024}]
    assert chosen["total"] == 3
    lists = datastore.search(
        session, resource, {"fields": ["kelurahan", "tahun"], "records_format": "lists", "limit": 1}
    )
    assert lists["records"] == [["Benua Melayu Darat", 2022]]
    text = datastore.search(
        session, resource, {"fields": "kelurahan,aktif", "records_format": "csv"}
    )["records"]
    assert list(csv.reader(io.StringIO(text)))[1] == ["Darat Sekip", "False"]
    tsv = datastore.search(
        session, resource, {"fields": "kelurahan,tahun", "records_format": "tsv", "limit": 1}
    )
    assert tsv["records"] == "Benua Melayu Darat\t2022\n"


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"filters": {"tidak_ada": 1}}, InvalidInput),
        ({"filters": {"tahun": "dua"}}, InvalidInput),
        ({"filters": {"tahun": {"like": 1}}}, InvalidInput),
        ({"filters": "{bukan json"}, InvalidInput),
        ({"fields": "tahun,tidak_ada"}, InvalidInput),
        ({"sort": "tidak_ada desc"}, SearchQueryError),
        ({"sort": "tahun; DROP TABLE users"}, SearchQueryError),
        ({"limit": "-1"}, InvalidInput),
        ({"records_format": "xml"}, InvalidInput),
        ({"q": {"tidak_ada": "x"}}, InvalidInput),
    ],
)
def test_bad_search_parameters_are_refused(
    session: Session, params: dict[str, object], error: type[Exception]
) -> None:
    resource = filled_resource(session)
    with pytest.raises(error):
        datastore.search(session, resource, params)


def test_actions_create_search_info_and_delete(
    session: Session, settings: Settings, media: MediaStore
) -> None:
    resource = make_resource(session, make_dataset(session))
    created = call(
        "datastore_create", session, settings, media,
        {"resource_id": resource.id, "fields": FIELDS, "records": RECORDS[:2],
         "primary_key": "kelurahan", "indexes": [["tahun", "nilai"]]},
        PUBLISHER,
    )  # fmt: skip
    assert created["primary_key"] == ["kelurahan"]
    found = call(
        "datastore_search",
        session,
        settings,
        media,
        {"id": resource.id, "filters": {"tahun": 2023}},
    )
    assert names(found) == ["Darat Sekip"]
    call("datastore_upsert", session, settings, media,
         {"resource_id": resource.id,
          "records": [{"kelurahan": "Darat Sekip", "tahun": 2030}]}, PUBLISHER)  # fmt: skip
    shown = call("datastore_info", session, settings, media, {"id": resource.id})
    assert shown["meta"]["count"] == 2
    assert {f["id"]: f["schema"]["is_index"] for f in shown["fields"]}["tahun"] is True
    call(
        "datastore_delete",
        session,
        settings,
        media,
        {"resource_id": resource.id, "filters": {"tahun": 2030}},
        PUBLISHER,
    )
    assert call("datastore_search", session, settings, media, {"id": resource.id})["total"] == 1
    call("datastore_delete", session, settings, media, {"resource_id": resource.id}, PUBLISHER)
    with pytest.raises(NotFound):
        call("datastore_search", session, settings, media, {"id": resource.id})


def test_writes_need_the_publish_permission(
    session: Session, settings: Settings, media: MediaStore
) -> None:
    resource = filled_resource(session)
    with pytest.raises((PermissionDenied, NotAuthenticated)):
        call(
            "datastore_upsert",
            session,
            settings,
            media,
            {"resource_id": resource.id, "records": []},
        )


def test_private_resources_are_not_found_for_anonymous_readers(
    session: Session, settings: Settings, media: MediaStore
) -> None:
    resource = filled_resource(session, "rahasia", classification=Classification.RAHASIA)
    with pytest.raises(NotFound):
        call("datastore_search", session, settings, media, {"resource_id": resource.id})
    assert (
        call("datastore_search", session, settings, media, {"resource_id": resource.id}, PUBLISHER)[
            "total"
        ]
        == 4
    )


READERS = [
    ANONYMOUS,
    PUBLISHER,
    Actor(kind=ActorKind.USER, role=Role.DEWAN, id=931, name="dewan"),
    Actor(kind=ActorKind.USER, role=Role.PETUGAS_PD, id=932, name="pupr", pd_kode="pupr"),
]


@pytest.mark.parametrize("reader", READERS, ids=lambda a: a.name or "anonim")
def test_the_search_finds_a_table_exactly_when_the_catalogue_would(
    session: Session, reader: Actor
) -> None:
    # datastore_search reads the resource, its dataset and its table in one statement
    # (read_target); the catalogue's objects must give the very same answer.
    cases = {
        "publik": filled_resource(session, "publik"),
        "terbatas": filled_resource(session, "terbatas", classification=Classification.TERBATAS),
        "draf": filled_resource(session, "draf", state=DatasetState.DRAFT),
        "terhapus": filled_resource(session, "terhapus", state=DatasetState.DELETED),
        "tanpa-tabel": make_resource(session, make_dataset(session, "tanpa-tabel")),
    }
    gone = filled_resource(session, "sumber-terhapus")
    gone.state = DatasetState.DELETED
    idle = filled_resource(session, "tabel-nonaktif")
    idle.datastore_active = False
    cases |= {"sumber-terhapus": gone, "tabel-nonaktif": idle}
    session.flush()

    def by_objects(resource_id: str) -> str:
        try:
            resource = service.get_resource(session, resource_id, actor=reader)
            datastore_query.get_table(session, resource)
        except NotFound as error:
            return error.message_en
        return "found"

    def in_one_statement(resource_id: str) -> str:
        try:
            target = datastore_query.read_target(session, resource_id, actor=reader)
        except NotFound as error:
            return error.message_en
        resource = session.get(Resource, resource_id)
        assert resource is not None
        assert target.fields == datastore_query.get_table(session, resource).fields
        assert target.dataset_id == resource.dataset_id
        return "found"

    outcomes = {name: by_objects(r.id) for name, r in cases.items()}
    assert outcomes == {name: in_one_statement(r.id) for name, r in cases.items()}
    assert outcomes["publik"] == "found"
    assert "not found in the datastore" in outcomes["tanpa-tabel"]
    assert in_one_statement("tidak-ada") == by_objects("tidak-ada")
