"""``datastore_search_sql``: one read-only SELECT over datastore tables, and nothing else.

Three fences, each enough on its own for what it guards:

1. the statement is parsed with sqlglot (the database's dialect) and refused unless it is
   exactly one SELECT (unions of SELECTs and read-only CTEs allowed) with no write, DDL,
   ATTACH, PRAGMA, COPY, … node anywhere; every table it names must be a resource id (as
   CKAN has it: ``SELECT * FROM "<resource id>"``) whose dataset the actor may see and which
   has a datastore table — it is rewritten to that ``ds_`` table; every function must be on
   an allowlist (aggregates, text, date and math basics);
2. it runs read-only: on PostgreSQL inside a savepoint with ``SET TRANSACTION READ ONLY`` and
   ``SET LOCAL statement_timeout``; on SQLite under an authorizer that denies reading any
   table but the allowed ones and any action but SELECT/READ/allowed functions;
3. it is time-limited (PostgreSQL ``statement_timeout``; SQLite a progress handler that
   aborts after ``TIME_LIMIT_SECONDS``), and at most ``MAX_RECORDS`` records come back
   (``records_truncated``).
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlglot
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlglot import exp
from sqlglot.errors import ParseError

from pontive.core.errors import NotFound
from pontive.core.identity import Actor
from pontive.opendata.access import require_visible
from pontive.opendata.actions import SearchQueryError
from pontive.opendata.choices import FieldType
from pontive.opendata.datastore_schema import ROW_ID, from_storage, table_name
from pontive.opendata.models import DatastoreTable, Resource

TIME_LIMIT_SECONDS = 5.0
MAX_RECORDS = 32000
MAX_SQL_LENGTH = 20000

ALLOWED_FUNCTION_CLASSES = frozenset(
    {
        "Count", "Sum", "Avg", "Min", "Max", "GroupConcat", "ArrayAgg", "Stddev", "StddevPop",
        "StddevSamp", "Variance", "VariancePop", "CountIf", "Lower", "Upper", "Length",
        "Substring", "Trim", "Coalesce", "Nullif", "Cast", "TryCast", "Case", "If", "Round",
        "Abs", "Ceil", "Floor", "Sqrt", "Pow", "Ln", "Log", "Exp", "Sign", "Greatest",
        "Least", "Concat", "ConcatWs", "StrPosition", "Left", "Right", "Pad", "Initcap",
        "TimeToStr", "TsOrDsToTimestamp", "StrToTime", "StrToDate", "Date", "DateTrunc",
        "TimestampTrunc", "Extract", "CurrentDate", "CurrentTimestamp", "Split", "Replace",
        "Mod", "UnixToTime", "TimeStrToTime", "DateStrToDate", "TsOrDsToDate", "ToChar",
        "Quantile", "PercentileCont", "PercentileDisc", "Median", "RowNumber", "Rank",
        "DenseRank", "Lag", "Lead", "FirstValue", "LastValue", "Ntile", "Window",
    }
)  # fmt: skip
ALLOWED_FUNCTION_NAMES = frozenset(
    {
        "count", "sum", "avg", "min", "max", "total", "group_concat", "string_agg",
        "array_agg", "lower", "upper", "length", "char_length", "substr", "substring", "trim",
        "ltrim", "rtrim", "replace", "coalesce", "ifnull", "nullif", "iif", "instr",
        "printf", "format", "round", "abs", "ceil", "ceiling", "floor", "sqrt", "power",
        "pow", "ln", "log", "exp", "sign", "mod", "greatest", "least", "concat", "concat_ws",
        "date", "time", "datetime", "julianday", "strftime", "date_trunc", "date_part",
        "extract", "to_char", "to_date", "to_timestamp", "unixepoch", "split_part", "left",
        "right", "lpad", "rpad", "initcap", "position", "strpos", "cast", "like",
        "row_number", "rank", "dense_rank", "lag", "lead", "first_value", "last_value",
        "ntile", "median", "stddev", "variance", "percentile_cont", "percentile_disc",
    }
)  # fmt: skip
# Statement kinds that may never appear anywhere in the tree.
FORBIDDEN_NODES: tuple[type[exp.Expression], ...] = tuple(
    getattr(exp, name)
    for name in (
        "Insert", "Update", "Delete", "Merge", "Create", "Drop", "Alter", "Command", "Pragma",
        "Attach", "Detach", "Copy", "Set", "Use", "Transaction", "Commit", "Rollback",
        "Into", "LoadData", "Grant", "Revoke", "Analyze", "TruncateTable", "Lock",
    )
    if hasattr(exp, name)
)  # fmt: skip
_SQLITE_ALLOWED_ACTIONS = frozenset({sqlite3.SQLITE_SELECT})
# SQLAlchemy's dialect name → sqlglot's.
_SQLGLOT_DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres"}


def _refuse(message_id: str, message_en: str) -> SearchQueryError:
    return SearchQueryError(message_id, message_en)


def parse_select(sql: str, dialect: str) -> exp.Query:
    """The one SELECT in ``sql`` (``SearchQueryError`` for anything else)."""
    if not isinstance(sql, str) or not sql.strip():
        raise _refuse("Kueri SQL kosong.", "The SQL query is empty.")
    if len(sql) > MAX_SQL_LENGTH:
        raise _refuse("Kueri SQL terlalu panjang.", "The SQL query is too long.")
    try:
        statements = [
            s for s in sqlglot.parse(sql, read=_SQLGLOT_DIALECTS[dialect]) if s is not None
        ]
    except (ParseError, sqlglot.errors.TokenError) as error:
        raise _refuse("Kueri SQL tidak dapat dibaca.", f"Invalid SQL: {error}") from error
    if len(statements) != 1:
        raise _refuse("Hanya satu pernyataan SELECT.", "Only one SELECT statement is allowed.")
    statement = statements[0]
    if not isinstance(statement, exp.Query):
        raise _refuse("Hanya SELECT yang diizinkan.", "Only SELECT statements are allowed.")
    for node in statement.walk():
        if isinstance(node, FORBIDDEN_NODES):
            raise _refuse("Hanya SELECT yang diizinkan.", "Only read-only SELECT is allowed.")
        if isinstance(node, exp.Func) and not _function_allowed(node):
            name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
            raise _refuse(f"Fungsi {name} tidak diizinkan.", f"Function {name} is not allowed.")
    return statement


def _function_allowed(node: exp.Func) -> bool:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower() in ALLOWED_FUNCTION_NAMES
    return type(node).__name__ in ALLOWED_FUNCTION_CLASSES


def _cte_names(statement: exp.Query) -> set[str]:
    return {cte.alias_or_name for cte in statement.find_all(exp.CTE)}


def resolve_tables(
    session: Session, actor: Actor, statement: exp.Query
) -> dict[str, DatastoreTable]:
    """Rewrite every table of ``statement`` to its datastore table; resource id → table."""
    ctes = _cte_names(statement)
    tables: dict[str, DatastoreTable] = {}
    for node in list(statement.find_all(exp.Table)):
        name = node.name
        if node.args.get("db") or node.args.get("catalog"):
            raise _refuse("Tabel tidak diizinkan.", f'Table "{node.sql()}" is not allowed.')
        if name in ctes and not node.args.get("db"):
            continue
        if not isinstance(node.this, exp.Identifier):
            raise _refuse("Tabel tidak diizinkan.", "Only resource ids may be queried.")
        table = tables.get(name) or _datastore_table(session, actor, name)
        tables[name] = table
        node.set("this", exp.to_identifier(table.table_name, quoted=True))
        if not node.alias:
            node.set("alias", exp.TableAlias(this=exp.to_identifier(name, quoted=True)))
    if not tables:
        raise _refuse("Kueri tidak membaca tabel datastore.", "The query reads no datastore table.")
    return tables


def _datastore_table(session: Session, actor: Actor, name: str) -> DatastoreTable:
    try:
        resource_id = str(uuid.UUID(name))
    except ValueError as error:
        raise _refuse(
            f'Tabel "{name}" tidak diizinkan: sebut id sumber daya.',
            f'Table "{name}" is not allowed: name a resource id.',
        ) from error
    resource = session.get(Resource, resource_id)
    if resource is None or not resource.datastore_active:
        raise NotFound("Sumber daya tidak ditemukan.", f'Resource "{name}" was not found.')
    require_visible(actor, resource.dataset)
    table = session.get(DatastoreTable, resource_id)
    if table is None or table.table_name != table_name(resource_id):
        raise NotFound("Sumber daya tidak ditemukan.", f'Resource "{name}" was not found.')
    return table


def search_sql(session: Session, actor: Actor, sql: str) -> dict[str, Any]:
    """Run ``sql`` under the guard; ``{"sql", "fields", "records", "records_truncated"?}``."""
    dialect = session.get_bind().dialect.name
    statement = parse_select(sql, dialect)
    tables = resolve_tables(session, actor, statement)
    rewritten = statement.sql(dialect=_SQLGLOT_DIALECTS[dialect])
    connection = session.connection()
    allowed = {t.table_name for t in tables.values()}
    runner = _run_sqlite if dialect == "sqlite" else _run_postgres
    names, rows = runner(session, connection, rewritten, allowed)
    types: dict[str, str] = {ROW_ID: "int"}
    for table in tables.values():
        types.update({f["id"]: f["type"] for f in table.fields})
    fields = [{"id": n, "type": types.get(n, "text")} for n in names]
    converters = [from_storage(FieldType(f["type"])) for f in fields]
    records = [
        {
            f["id"]: value if c is None else c(value)
            for f, value, c in zip(fields, row, converters, strict=True)
        }
        for row in rows[:MAX_RECORDS]
    ]
    result: dict[str, Any] = {"sql": sql, "fields": fields, "records": records}
    if len(rows) > MAX_RECORDS:
        result["records_truncated"] = True
    return result


def _run_sqlite(
    session: Session, connection: Connection, sql: str, allowed: set[str]
) -> tuple[list[str], list[Any]]:
    raw = connection.connection.dbapi_connection
    if not isinstance(raw, sqlite3.Connection):
        raise TypeError("not a SQLite connection")
    with _sqlite_fence(raw, allowed):
        try:
            cursor = raw.execute(sql)
            rows = cursor.fetchmany(MAX_RECORDS + 1)
            names = [d[0] for d in cursor.description or ()]
            cursor.close()
        except sqlite3.DatabaseError as error:
            raise _query_failed(error) from error
    return names, rows


@contextmanager
def _sqlite_fence(raw: sqlite3.Connection, allowed: set[str]) -> Iterator[None]:
    deadline = time.monotonic() + TIME_LIMIT_SECONDS

    def authorize(action: int, arg1: str | None, arg2: str | None, *_rest: Any) -> int:
        if action in _SQLITE_ALLOWED_ACTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            return sqlite3.SQLITE_OK if arg1 in allowed else sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_FUNCTION:
            name = (arg2 or "").lower()
            return sqlite3.SQLITE_OK if name in ALLOWED_FUNCTION_NAMES else sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_DENY

    def over_time() -> int:
        return 1 if time.monotonic() > deadline else 0

    raw.set_authorizer(authorize)
    raw.set_progress_handler(over_time, 10000)
    try:
        yield
    finally:
        raw.set_authorizer(None)
        raw.set_progress_handler(None, 0)


def _run_postgres(
    session: Session, connection: Connection, sql: str, allowed: set[str]
) -> tuple[list[str], list[Any]]:
    # A savepoint of our own (not the session's): READ ONLY and SET LOCAL end with it, and
    # its rollback leaves the transaction usable after a refused or cancelled statement.
    options = {"no_parameters": True}
    connection.exec_driver_sql("SAVEPOINT datastore_sql", execution_options=options)
    try:
        connection.exec_driver_sql("SET TRANSACTION READ ONLY", execution_options=options)
        milliseconds = max(1, int(TIME_LIMIT_SECONDS * 1000))
        connection.exec_driver_sql(
            f"SET LOCAL statement_timeout = {milliseconds}", execution_options=options
        )
        result = connection.exec_driver_sql(sql, execution_options=options)
        names = list(result.keys())
        rows = result.fetchmany(MAX_RECORDS + 1)
    except DBAPIError as error:
        raise _query_failed(error) from error
    finally:
        connection.exec_driver_sql("ROLLBACK TO SAVEPOINT datastore_sql", execution_options=options)
        connection.exec_driver_sql("RELEASE SAVEPOINT datastore_sql", execution_options=options)
    return names, list(rows)


def _query_failed(error: Exception) -> SearchQueryError:
    text = str(getattr(error, "orig", error)).splitlines()[0][:300]
    return _refuse(f"Kueri SQL gagal: {text}", f"The SQL query failed: {text}")
