"""The workspace's statement guard: one read-only query over the exported tables, or a clear
refusal saying why (in Bahasa Indonesia and English).

Three layers, each enough on its own for what it covers:

1. sqlglot (DuckDB dialect) parses the text: a syntax error names its line and column; the
   statement must be one ``SELECT`` (``WITH`` … ``SELECT``, ``UNION`` … included); every table
   it reads must be an exported table or a name its own ``WITH`` defines; the only table
   functions are ``range``/``generate_series``/``unnest``; functions that read files, run SQL
   text or read the environment are refused by name.
2. DuckDB's own parser (``extract_statements``) must agree: exactly one statement, of type
   SELECT — so a difference between the two parsers cannot smuggle a second statement in.
3. The connection itself (``workspace_engine``) cannot reach the file system and its
   settings are locked, so even a query both parsers misjudged can read nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from pontive.core.errors import InvalidInput

MAX_SQL_CHARS = 20_000
TABLE_FUNCTIONS = frozenset({"range", "generate_series", "unnest"})
_FORBIDDEN_FUNCTIONS = frozenset(
    {"glob", "query", "query_table", "getenv", "sniff_csv", "load_extension", "current_setting"}
)
_FORBIDDEN_PREFIXES = ("read_", "parquet_", "iceberg_", "delta_", "sqlite_", "postgres_")
_FORBIDDEN_SUFFIXES = ("_scan", "_attach")
_QUERY_ROOTS = (exp.Select, exp.SetOperation)
_WRITES = (
    *(exp.DDL, exp.DML, exp.Command, exp.Copy, exp.Set, exp.Pragma, exp.Use),
    *(exp.Attach, exp.Detach, exp.Install),
)

# sqlglot logs a warning for every statement it falls back to parsing as a command; the
# guard refuses those with a message of its own.
logging.getLogger("sqlglot").setLevel(logging.ERROR)


class QueryRefused(InvalidInput):
    """A query the workspace will not run; the message says why."""

    code = "query_refused"


def refuse(message_id: str, message_en: str) -> QueryRefused:
    """A refusal whose message is also the ``sql`` field's error."""
    return QueryRefused(message_id, message_en, errors={"sql": [message_en]})


def check(sql: str, tables: Iterable[str]) -> str:
    """The query to run (``sql`` trimmed) if it is one read-only SELECT over ``tables``."""
    text = sql.strip().rstrip(";").strip()
    if not text:
        raise refuse("Tulis satu kueri SELECT.", "Write one SELECT query.")
    if len(text) > MAX_SQL_CHARS:
        raise refuse(
            f"Kueri terlalu panjang (paling banyak {MAX_SQL_CHARS:,} karakter).",
            f"The query is too long (at most {MAX_SQL_CHARS:,} characters).",
        )
    statement = _parse(text)
    _check_kind(statement)
    _check_tables(statement, {name.lower() for name in tables})
    _check_functions(statement)
    _check_with_duckdb(text)
    return text


def _parse(text: str) -> exp.Expr:
    try:
        statements = [item for item in sqlglot.parse(text, read="duckdb") if item is not None]
    except ParseError as error:
        detail = error.errors[0] if error.errors else {}
        line, column = detail.get("line", 1), detail.get("col", 1)
        reason = str(detail.get("description") or error).split("\n")[0]
        where = _pointer(text, line, column)
        raise refuse(
            f"Kesalahan sintaks di baris {line}, kolom {column}: {reason}.\n{where}",
            f"Syntax error at line {line}, column {column}: {reason}.\n{where}",
        ) from error
    if len(statements) != 1:
        raise refuse(
            f"Hanya satu perintah per kueri (ada {len(statements)}).",
            f"Only one statement per query ({len(statements)} given).",
        )
    return statements[0]


def _pointer(text: str, line: int, column: int) -> str:
    """The line in error with a caret under the column (as DuckDB shows its own errors)."""
    lines = text.splitlines() or [""]
    shown = lines[min(max(line, 1), len(lines)) - 1]
    return f"{shown}\n{' ' * max(column - 1, 0)}^"


def _check_kind(statement: exp.Expr) -> None:
    if not isinstance(statement, _QUERY_ROOTS):
        word = statement.key.upper()
        raise refuse(
            f"Hanya kueri baca (SELECT atau WITH … SELECT) yang diizinkan, bukan {word}.",
            f"Only read queries (SELECT or WITH … SELECT) are allowed, not {word}.",
        )
    for node in statement.walk():
        if isinstance(node, _WRITES):
            word = node.key.upper()
            raise refuse(
                f"Perintah {word} tidak diizinkan: ruang kerja hanya membaca.",
                f"{word} is not allowed: the workspace only reads.",
            )


def _check_tables(statement: exp.Expr, tables: set[str]) -> None:
    defined = {cte.alias_or_name.lower() for cte in statement.find_all(exp.CTE)}
    for table in statement.find_all(exp.Table):
        source = table.this
        if isinstance(source, exp.Func):
            name = _function_name(source)
            if name in TABLE_FUNCTIONS:
                continue
            raise refuse(
                f"Fungsi tabel {name}() tidak diizinkan: baca tabel ekspor saja.",
                f"The table function {name}() is not allowed: read the exported tables only.",
            )
        name = table.name
        if table.args.get("db") or table.args.get("catalog"):
            raise refuse(
                f"Tabel {table.sql(dialect='duckdb')} tidak ada di ekspor.",
                f"The table {table.sql(dialect='duckdb')} is not in the export.",
            )
        if name.lower() in tables or name.lower() in defined:
            continue
        if "/" in name or "." in name or "\\" in name:
            raise refuse(
                f"Membaca berkas ({name}) tidak diizinkan: baca tabel ekspor saja.",
                f"Reading files ({name}) is not allowed: read the exported tables only.",
            )
        raise refuse(
            f"Tabel {name} tidak ada di ekspor; lihat daftar tabel.",
            f"The table {name} is not in the export; see the list of tables.",
        )


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def _is_forbidden(name: str) -> bool:
    return (
        name in _FORBIDDEN_FUNCTIONS
        or name.startswith(_FORBIDDEN_PREFIXES)
        or name.endswith(_FORBIDDEN_SUFFIXES)
    )


def _check_functions(statement: exp.Expr) -> None:
    for node in statement.find_all(exp.Func):
        name = _function_name(node)
        if _is_forbidden(name):
            raise refuse(
                f"Fungsi {name}() tidak diizinkan di ruang kerja.",
                f"The function {name}() is not allowed in the workspace.",
            )


def _check_with_duckdb(text: str) -> None:
    try:
        statements = duckdb.extract_statements(text)
    except duckdb.ParserException as error:
        message = str(error).removeprefix("Parser Error: ")
        raise refuse(f"Kesalahan sintaks: {message}", f"Syntax error: {message}") from error
    if len(statements) != 1:
        raise refuse("Hanya satu perintah per kueri.", "Only one statement per query.")
    if statements[0].type is not duckdb.StatementType.SELECT:
        raise refuse(
            "Hanya kueri baca (SELECT) yang diizinkan.", "Only read queries (SELECT) are allowed."
        )
