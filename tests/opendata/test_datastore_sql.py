"""``datastore_search_sql`` (``datastore_sql.py``): what it answers, and every escape it
refuses — by its parser, and on SQLite by its authorizer too."""

# ruff: noqa: S608 - the SQL built here is what the guard must refuse or answer

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.core.errors import NotFound
from pontive.core.identity import ANONYMOUS
from pontive.opendata import datastore_sql
from pontive.opendata.actions import SearchQueryError
from pontive.opendata.datastore_schema import table_name
from tests.opendata.datastore_support import PUBLISHER, filled_resource


def test_select_over_a_resource_by_its_id(session: Session) -> None:
    resource = filled_resource(session)
    result = datastore_sql.search_sql(
        session,
        ANONYMOUS,
        f'SELECT tahun, count(*) AS n, sum(nilai) AS total FROM "{resource.id}" '
        "WHERE tahun >= 2023 GROUP BY tahun ORDER BY tahun",
    )
    assert [f["id"] for f in result["fields"]] == ["tahun", "n", "total"]
    assert result["records"] == [
        {"tahun": 2023, "n": 2, "total": 10.25},
        {"tahun": 2024, "n": 1, "total": None},
    ]
    assert "records_truncated" not in result


def test_two_resources_can_be_joined_and_aliases_kept(session: Session) -> None:
    first = filled_resource(session, "pertama")
    second = filled_resource(session, "kedua")
    result = datastore_sql.search_sql(
        session,
        ANONYMOUS,
        f'SELECT a.kelurahan FROM "{first.id}" a JOIN "{second.id}" AS b '
        "ON a._id = b._id WHERE b.tahun = 2024",
    )
    assert result["records"] == [{"kelurahan": "Mariana"}]


def test_records_are_capped(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    resource = filled_resource(session)
    monkeypatch.setattr(datastore_sql, "MAX_RECORDS", 2)
    result = datastore_sql.search_sql(session, ANONYMOUS, f'SELECT * FROM "{resource.id}"')
    assert len(result["records"]) == 2
    assert result["records_truncated"] is True


def _attacks(rid: str, private: str) -> list[str]:
    table = f'"{rid}"'
    return [
        "SELECT * FROM users",
        "SELECT * FROM api_keys",
        "SELECT * FROM complaints",
        "SELECT * FROM sqlite_master",
        "SELECT name FROM sqlite_schema",
        "SELECT * FROM pg_catalog.pg_tables",
        "SELECT * FROM pg_user",
        "SELECT * FROM information_schema.tables",
        f'SELECT * FROM "{table_name(rid)}"',
        f"SELECT * FROM main.{table}",
        f"SELECT * FROM {table} WHERE 1 IN (SELECT 1 FROM users)",
        f"SELECT * FROM {table} UNION SELECT * FROM users",
        "WITH x AS (SELECT * FROM users) SELECT * FROM x",
        f"SELECT * FROM {table}; DELETE FROM {table}",
        f"SELECT * FROM {table}; SELECT * FROM users",
        f"DELETE FROM {table}",
        f"INSERT INTO {table} (tahun) VALUES (1)",
        f"UPDATE {table} SET tahun = 1",
        f"DROP TABLE {table}",
        f"CREATE TABLE x AS SELECT * FROM {table}",
        f"SELECT * INTO y FROM {table}",
        "ATTACH DATABASE '/tmp/x.db' AS x",
        "PRAGMA table_info(users)",
        f"COPY {table} TO '/tmp/x'",
        f"SELECT load_extension('/tmp/x') FROM {table}",
        f"SELECT readfile('/etc/passwd') FROM {table}",
        f"SELECT pg_read_file('/etc/passwd') FROM {table}",
        f"SELECT current_setting('data_directory') FROM {table}",
        f"SELECT pg_sleep(10) FROM {table}",
        f"SELECT sqlite_version() FROM {table}",
        f"SELECT randomblob(1000000000) FROM {table}",
        f"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r, {table}",
        "SELECT 1",
        "",
        "SELEC * FROM x",
        f'SELECT * FROM "{private}"',
    ]


def test_every_escape_is_refused(session: Session) -> None:
    resource = filled_resource(session)
    private = filled_resource(session, "tertutup", classification=Classification.RAHASIA)
    attacks = _attacks(resource.id, private.id)
    answered = []
    for sql in attacks:
        try:
            datastore_sql.search_sql(session, ANONYMOUS, sql)
        except (SearchQueryError, NotFound):
            continue
        answered.append(sql)
    assert answered == []
    # The private table is there for those who may see it: the refusal above was access.
    assert datastore_sql.search_sql(
        session, PUBLISHER, f'SELECT count(*) AS n FROM "{private.id}"'
    )["records"] == [{"n": 4}]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM users",
        "SELECT name FROM sqlite_master",
        "INSERT INTO {t} (tahun) VALUES (1)",
        "DELETE FROM {t}",
        "ATTACH DATABASE ':memory:' AS x",
        "PRAGMA writable_schema = 1",
        "SELECT load_extension('x')",
    ],
)
def test_the_sqlite_authorizer_alone_refuses_what_the_parser_would(
    session: Session, sql: str
) -> None:
    resource = filled_resource(session)
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        pytest.skip("the authorizer is SQLite's")
    raw = connection.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    table = table_name(resource.id)
    with datastore_sql._sqlite_fence(raw, {table}), pytest.raises(sqlite3.DatabaseError):
        raw.execute(sql.format(t=f'"{table}"')).fetchall()
    with datastore_sql._sqlite_fence(raw, {table}):  # while the allowed table is readable
        assert raw.execute(f'SELECT count(*) FROM "{table}"').fetchone() == (4,)
    assert raw.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0  # fence lifted


def test_a_slow_query_is_stopped(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    resource = filled_resource(session)
    monkeypatch.setattr(datastore_sql, "TIME_LIMIT_SECONDS", 0.0)
    table = f'"{resource.id}"'
    joined = ", ".join(f"{table} t{n}" for n in range(7))
    with pytest.raises(SearchQueryError):
        datastore_sql.search_sql(session, ANONYMOUS, f"SELECT count(*) FROM {joined}")
