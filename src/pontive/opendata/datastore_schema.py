"""What every datastore module shares: table and index names, quoted identifiers, column
types per database, field validation, and the conversion of values in and out.

A datastore table is ``ds_<resource uuid hex>`` with ``_id`` (CKAN's row id) and one column
per field. Column names are user data: they are always quoted, never interpolated bare.
Stored forms: ``numeric`` is NUMERIC on PostgreSQL and REAL on SQLite; ``date`` and
``timestamp`` are DATE / TIMESTAMP on PostgreSQL and ISO 8601 text on SQLite (which sorts
and compares correctly); ``bool`` is BOOLEAN (0/1 on SQLite). Results are always JSON
values: numbers, booleans, ISO text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from pontive.core.errors import InvalidInput
from pontive.opendata.choices import FieldType

ROW_ID = "_id"
MAX_NAME = 63  # PostgreSQL's identifier limit (NAMEDATALEN - 1)
MAX_FIELDS = 500


def table_name(resource_id: str) -> str:
    """The datastore table of a resource: ``ds_`` and its UUID without dashes."""
    return "ds_" + resource_id.replace("-", "").lower()


def staging_name(resource_id: str) -> str:
    """Where a load writes before it is swapped in."""
    return "dsst_" + resource_id.replace("-", "").lower()


def quote(name: str) -> str:
    """A double-quoted SQL identifier (works on SQLite and PostgreSQL)."""
    return '"' + name.replace('"', '""') + '"'


def ident(name: str, dialect: str) -> str:
    """A quoted identifier for a statement with parameters (psycopg reads ``%`` as one)."""
    quoted = quote(name)
    return quoted if dialect == "sqlite" else quoted.replace("%", "%%")


def marker(dialect: str) -> str:
    """The driver's positional parameter marker."""
    return "?" if dialect == "sqlite" else "%s"


def ddl(connection: Connection, sql: str) -> None:
    """Run a statement without parameters (a ``%`` in a quoted name stays literal)."""
    connection.exec_driver_sql(sql, execution_options={"no_parameters": True})


def sql_type(field_type: FieldType, dialect: str) -> str:
    """The column type of ``field_type`` on ``dialect`` (``sqlite`` or ``postgresql``)."""
    if dialect == "sqlite":
        return _SQLITE_TYPES[field_type]
    return _POSTGRES_TYPES[field_type]


_SQLITE_TYPES = {
    FieldType.TEXT: "TEXT",
    FieldType.INT: "BIGINT",
    FieldType.NUMERIC: "REAL",
    FieldType.BOOL: "BOOLEAN",
    FieldType.DATE: "TEXT",
    FieldType.TIMESTAMP: "TEXT",
}
_POSTGRES_TYPES = {
    FieldType.TEXT: "TEXT",
    FieldType.INT: "BIGINT",
    FieldType.NUMERIC: "NUMERIC",
    FieldType.BOOL: "BOOLEAN",
    FieldType.DATE: "DATE",
    FieldType.TIMESTAMP: "TIMESTAMP",
}
# CKAN clients send PostgreSQL type names too ("int4", "float8", "timestamp", ...).
_TYPE_ALIASES = {
    "string": FieldType.TEXT,
    "varchar": FieldType.TEXT,
    "integer": FieldType.INT,
    "int4": FieldType.INT,
    "int8": FieldType.INT,
    "bigint": FieldType.INT,
    "smallint": FieldType.INT,
    "float": FieldType.NUMERIC,
    "float8": FieldType.NUMERIC,
    "double precision": FieldType.NUMERIC,
    "number": FieldType.NUMERIC,
    "boolean": FieldType.BOOL,
    "datetime": FieldType.TIMESTAMP,
}


def field_error(name: str, message_id: str, message_en: str) -> InvalidInput:
    """A CKAN-style field error on ``fields``."""
    return InvalidInput(message_id, message_en, errors={"fields": [f"{name}: {message_en}"]})


def normalise_fields(fields: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Validated fields ``[{"id", "type", "info": {"label", "notes"}}]``; ``InvalidInput``
    names the first bad one."""
    if not fields:
        raise InvalidInput(
            "Kolom wajib diisi.", "Fields are required.", errors={"fields": ["Missing value"]}
        )
    if len(fields) > MAX_FIELDS:
        raise field_error("fields", "Terlalu banyak kolom.", f"More than {MAX_FIELDS} fields.")
    seen: set[str] = set()
    result = []
    for field in fields:
        if not isinstance(field, Mapping) or not isinstance(field.get("id"), str):
            raise field_error("fields", "Kolom tanpa nama.", "Every field needs an id.")
        name = field["id"]
        check_column_name(name)
        if name in seen:
            raise field_error(name, "Nama kolom ganda.", "Duplicate field name.")
        seen.add(name)
        info = field.get("info") or {}
        result.append(
            {
                "id": name,
                "type": parse_type(name, field.get("type")).value,
                "info": {
                    "label": str(info.get("label", "")) if isinstance(info, Mapping) else "",
                    "notes": str(info.get("notes", "")) if isinstance(info, Mapping) else "",
                },
            }
        )
    return result


def check_column_name(name: str) -> None:
    """Refuse names the datastore reserves or the database cannot hold."""
    if not name.strip():
        raise field_error(name, "Nama kolom kosong.", "A field name is empty.")
    if name.startswith("_"):
        raise field_error(
            name, "Nama kolom tidak boleh diawali '_'.", "Field names may not start with '_'."
        )
    if len(name) > MAX_NAME:
        raise field_error(
            name, f"Nama kolom lebih dari {MAX_NAME} karakter.", f"Longer than {MAX_NAME} chars."
        )
    if "\x00" in name or '"' in name:
        raise field_error(name, "Nama kolom memuat karakter terlarang.", "Forbidden character.")


def parse_type(name: str, value: Any) -> FieldType:
    """A field's type from a CKAN type name (default text)."""
    if value is None or value == "":
        return FieldType.TEXT
    text = str(value).strip().lower()
    try:
        return FieldType(text)
    except ValueError:
        pass
    if text in _TYPE_ALIASES:
        return _TYPE_ALIASES[text]
    if text.startswith(("timestamp", "numeric", "decimal")):
        return FieldType.TIMESTAMP if text.startswith("timestamp") else FieldType.NUMERIC
    raise field_error(name, f"Tipe '{value}' tidak dikenal.", f"Unknown type '{value}'.")


# --- values in ---------------------------------------------------------------------------

_INT = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# Indonesian decimal comma, optionally with dot thousands: "12,5", "1.234.567,89".
_NUMBER_COMMA = re.compile(r"[+-]?(\d+|\d{1,3}(\.\d{3})+),\d+")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DMY_TIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "ya", "benar", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "tidak", "salah", "0"})


class ValueRefused(ValueError):
    """A value that does not fit its column's type (the messages say why, in id and en)."""

    def __init__(self, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_id = message_id
        self.message_en = message_en


def parse_int(text: str) -> int:
    if not _INT.fullmatch(text):
        raise ValueRefused("Bukan bilangan bulat.", "Not a whole number.")
    value = int(text)
    if not -(2**63) <= value < 2**63:
        raise ValueRefused("Bilangan terlalu besar.", "Number out of range.")
    return value


def parse_numeric(text: str, *, decimal_comma: bool = False) -> float | Decimal:
    if decimal_comma and _NUMBER_COMMA.fullmatch(text):
        return Decimal(text.replace(".", "").replace(",", "."))
    if not _NUMBER.fullmatch(text):
        raise ValueRefused("Bukan angka.", "Not a number.")
    return Decimal(text)


def parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ValueRefused("Bukan nilai ya/tidak.", "Not a yes/no value.")


def parse_date(text: str) -> date:
    match = _DMY.fullmatch(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueRefused(
        "Bukan tanggal (TTTT-BB-HH atau HH/BB/TTTT).", "Not a date (YYYY-MM-DD or DD/MM/YYYY)."
    )


def parse_timestamp(text: str) -> datetime:
    """ISO 8601 or dd/mm/yyyy hh:mm[:ss]; an instant with a zone is stored as UTC."""
    match = _DMY_TIME.fullmatch(text)
    try:
        if match:
            day, month, year, hour, minute = (int(part) for part in match.groups()[:5])
            return datetime(year, month, day, hour, minute, int(match.group(6) or 0))  # noqa: DTZ001 - a wall-clock value as written, as CKAN's timestamp column keeps it
        if len(text) >= 10 and text[4] == "-":
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if value.tzinfo is not None:
                value = value.astimezone(UTC).replace(tzinfo=None)
            return value
        value = datetime.combine(parse_date(text), datetime.min.time())
    except (ValueError, ValueRefused):
        pass
    else:
        return value
    raise ValueRefused("Bukan tanggal dan jam.", "Not a date and time.")


TEXT_PARSERS: dict[FieldType, Callable[[str], Any]] = {
    FieldType.TEXT: str,
    FieldType.INT: parse_int,
    FieldType.NUMERIC: parse_numeric,
    FieldType.BOOL: parse_bool,
    FieldType.DATE: parse_date,
    FieldType.TIMESTAMP: parse_timestamp,
}


def to_storage(value: Any, field_type: FieldType, dialect: str) -> Any:
    """A JSON value (or text from a file) as the database stores it; ``ValueRefused``."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, str):
        value = TEXT_PARSERS[field_type](value if field_type is FieldType.TEXT else value.strip())
    elif field_type is FieldType.TEXT:
        value = value if isinstance(value, str) else str(value)
    elif field_type is FieldType.INT:
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise ValueRefused("Bukan bilangan bulat.", "Not a whole number.")
        value = int(value)
    elif field_type is FieldType.NUMERIC:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise ValueRefused("Bukan angka.", "Not a number.")
    elif field_type is FieldType.BOOL:
        if not isinstance(value, bool):
            raise ValueRefused("Bukan nilai ya/tidak.", "Not a yes/no value.")
    elif field_type is FieldType.DATE and isinstance(value, datetime):
        value = value.date()
    elif field_type is FieldType.TIMESTAMP and isinstance(value, date | datetime):
        if not isinstance(value, datetime):
            value = datetime.combine(value, datetime.min.time())
        elif value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
    elif not isinstance(value, date):
        raise ValueRefused("Nilai tidak sesuai tipe kolom.", "Value does not fit the column.")
    return _dialect_form(value, field_type, dialect)


def _dialect_form(value: Any, field_type: FieldType, dialect: str) -> Any:
    if dialect == "sqlite":
        if field_type is FieldType.NUMERIC:
            return float(value)
        if field_type is FieldType.DATE:
            return value.isoformat()
        if field_type is FieldType.TIMESTAMP:
            return value.isoformat(sep="T")
    return value


def from_storage(field_type: FieldType) -> Callable[[Any], Any] | None:
    """The conversion of a stored value to its JSON form (None: already JSON)."""
    return _OUT.get(field_type)


def _numeric_out(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _iso_out(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _bool_out(value: Any) -> Any:
    return None if value is None else bool(value)


_OUT: dict[FieldType, Callable[[Any], Any]] = {
    FieldType.NUMERIC: _numeric_out,
    FieldType.DATE: _iso_out,
    FieldType.TIMESTAMP: _iso_out,
    FieldType.BOOL: _bool_out,
}
