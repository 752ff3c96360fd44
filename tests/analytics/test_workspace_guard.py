"""The statement guard: one read-only SELECT over the exported tables, every other thing
refused with a message that says why."""

from __future__ import annotations

import pytest

from pontive.analytics.workspace_guard import MAX_SQL_CHARS, QueryRefused, check

TABLES = ["complaints", "kelurahan", "observations_hourly"]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM complaints",
        "select count(*) from complaints;",
        "WITH k AS (SELECT * FROM kelurahan) "
        "SELECT * FROM k JOIN complaints c ON c.kelurahan_kode = k.kode",
        "SELECT status FROM complaints UNION ALL SELECT kode FROM kelurahan",
        "FROM kelurahan",
        "SELECT * FROM range(10) r",
        "SELECT date_trunc('month', created_at) m, count(*) FROM complaints GROUP BY ALL",
        "SELECT 'read_csv(/etc/passwd)' AS harmless_text",
    ],
)
def test_read_queries_over_the_export_pass(sql: str) -> None:
    assert check(sql, TABLES) == sql.strip().rstrip(";").strip()


REFUSED = [
    ("", "Write one SELECT query"),
    ("   ;  ", "Write one SELECT query"),
    ("SELECT 1; SELECT 2", "Only one statement per query (2 given)"),
    ("SELECT 1; COPY (SELECT 1) TO '/tmp/x.csv'", "Only one statement per query"),
    ("COPY (SELECT * FROM complaints) TO '/tmp/out.csv'", "not COPY"),
    ("ATTACH './var/pontive.db' AS platform", "not ATTACH"),
    ("DETACH platform", "not DETACH"),
    ("INSTALL httpfs", "not INSTALL"),
    ("LOAD httpfs", "not COMMAND"),
    ("PRAGMA database_list", "not PRAGMA"),
    ("SET memory_limit = '100GB'", "not SET"),
    ("RESET threads", "SELECT"),
    ("CREATE TABLE x AS SELECT * FROM complaints", "not CREATE"),
    ("CREATE VIEW complaints AS SELECT 1", "not CREATE"),
    ("DROP VIEW complaints", "not DROP"),
    ("INSERT INTO complaints VALUES (1)", "not INSERT"),
    ("UPDATE complaints SET status = 'x'", "not UPDATE"),
    ("DELETE FROM complaints", "not DELETE"),
    ("CALL pragma_version()", "not COMMAND"),
    ("EXPORT DATABASE '/tmp/dump'", "Syntax error"),
    ("DESCRIBE complaints", "not DESCRIBE"),
    ("SELECT * FROM read_csv('/etc/passwd')", "table function read_csv() is not allowed"),
    ("SELECT * FROM read_parquet('/srv/other/*.parquet')", "read_parquet() is not allowed"),
    ("SELECT * FROM '/etc/passwd'", "Reading files (/etc/passwd) is not allowed"),
    ("SELECT * FROM 'var/pontive.db'", "Reading files (var/pontive.db) is not allowed"),
    ("SELECT * FROM glob('/etc/*')", "glob() is not allowed"),
    ("SELECT * FROM query('SELECT 1')", "query() is not allowed"),
    ("SELECT read_text('/etc/passwd')", "read_text() is not allowed"),
    ("SELECT getenv('HOME')", "getenv() is not allowed"),
    ("SELECT current_setting('allowed_directories')", "current_setting() is not allowed"),
    ("SELECT * FROM users", "The table users is not in the export"),
    ("SELECT * FROM platform.main.complaints", "is not in the export"),
    ("SELECT * FROM information_schema.tables", "is not in the export"),
    ("SELECT * FROM sqlite_scan('x.db', 'users')", "sqlite_scan() is not allowed"),
    ("SELECT * FROM complaints WHERE", "Syntax error at line 1"),
    ("SELEC * FROM complaints", "Syntax error at line 1"),
    ("SELECT 1 " + "x" * MAX_SQL_CHARS, "too long"),
]


@pytest.mark.parametrize(
    ("sql", "reason"), REFUSED, ids=[r[1][:30] + f"-{i}" for i, r in enumerate(REFUSED)]
)
def test_everything_else_is_refused_with_a_clear_message(sql: str, reason: str) -> None:
    with pytest.raises(QueryRefused) as refused:
        check(sql, TABLES)
    assert reason in refused.value.message_en
    assert refused.value.message_id  # and in Bahasa Indonesia
    assert refused.value.errors == {"sql": [refused.value.message_en]}


def test_a_syntax_error_points_at_its_line_and_column() -> None:
    with pytest.raises(QueryRefused) as refused:
        check("SELECT kode\nFROM kelurahan\nWHERE kode = = 1", TABLES)
    message = refused.value.message_en
    assert "line 3" in message
    assert "WHERE kode = = 1\n" in message
    assert message.rstrip().endswith("^")
    assert "baris 3" in refused.value.message_id
