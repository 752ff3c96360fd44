"""The export's personal-data rule and its column types (UU 27/2022 PDP).

Personal data leaves the database BY RULE, not by a hand-kept list: a column is never read
for the export when its SQLAlchemy type is the platform's sealed type (``EncryptedText`` or a
subclass), when it is a keyed blind index of sealed data (named ``*_index``: ``reporter_index``,
``email_index``, ``contact_index`` …), when it holds a credential or a digest of one
(``password_hash``, ``token_hash``, ``secret`` …), or when its model marks it with
``info={"personal": True}``. Each table's declaration may leave out more columns (free text a
citizen typed, staff names) — never fewer. ``tests/analytics/test_workspace_rule.py`` runs the
rule over every column of every model.

Types: each exported column has one Arrow type (stored in Parquet) and the SQL type a reader
sees (DuckDB, Spark SQL and Trino spell these alike); times are UTC instants.
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Numeric,
    SmallInteger,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

from pontive.core.crypto import EncryptedText
from pontive.core.db import UTCDateTime

# Keyed digests of sealed values: equal inputs give equal digests, so they identify a person.
_BLIND_INDEX = re.compile(r"(^|_)index$")
# Credentials and their digests: never data to analyse.
_CREDENTIAL = re.compile(r"(^|_)(password|secret|token|key_hash|token_hash|code_hash)($|_)")

TIMESTAMP = pa.timestamp("us", tz="UTC")
PARTITION_TYPE = pa.int32()
_SQL_TYPES: dict[pa.DataType, str] = {
    pa.int64(): "BIGINT",
    pa.int32(): "INTEGER",
    pa.float64(): "DOUBLE",
    pa.string(): "VARCHAR",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    TIMESTAMP: "TIMESTAMP WITH TIME ZONE",
}
_DECIMAL = re.compile(r"^decimal128\((\d+), (\d+)\)$")


def personal_reason(column: Column[Any]) -> str | None:
    """Why ``column`` may never be exported (``None``: the rule lets it through)."""
    if isinstance(column.type, EncryptedText):
        return "sealed personal data (EncryptedText)"
    if column.info.get("personal"):
        return "marked personal in its model"
    if _BLIND_INDEX.search(column.name):
        return "blind index of sealed personal data"
    if _CREDENTIAL.search(column.name):
        return "credential or its digest"
    return None


def is_exportable(column: Column[Any]) -> bool:
    """Whether the rule lets ``column`` into the export."""
    return personal_reason(column) is None


def arrow_type(sql_type: TypeEngine[Any]) -> pa.DataType:
    """The Arrow type a column of ``sql_type`` is written as."""
    if isinstance(sql_type, UTCDateTime | DateTime) or is_instant(sql_type):
        return TIMESTAMP
    if isinstance(sql_type, TypeDecorator):
        return arrow_type(sql_type.impl_instance)
    if isinstance(sql_type, Boolean):
        return pa.bool_()
    if isinstance(sql_type, Date):
        return pa.date32()
    if isinstance(sql_type, Integer | BigInteger | SmallInteger):
        return pa.int64()
    if isinstance(sql_type, Float):
        return pa.float64()
    if isinstance(sql_type, Numeric):
        return pa.decimal128(sql_type.precision or 18, sql_type.scale or 2)
    if isinstance(sql_type, Enum | JSON):
        return pa.string()  # an enum's value; JSON as its text
    return pa.string()


def is_instant(sql_type: TypeEngine[Any]) -> bool:
    """Whether ``sql_type`` is the sensors' compact instant column."""
    # sensors.models.InstantColumn: integer microseconds on SQLite, timestamptz elsewhere.
    return isinstance(sql_type, TypeDecorator) and type(sql_type).__name__ == "InstantColumn"


def sql_type_name(arrow: pa.DataType) -> str:
    """The SQL type readers see for ``arrow``."""
    if pa.types.is_decimal(arrow):
        return f"DECIMAL({arrow.precision},{arrow.scale})"
    return _SQL_TYPES.get(arrow, "VARCHAR")


def parse_arrow_type(name: str) -> pa.DataType:
    """The Arrow type written in a manifest as ``str(type)`` (the types above only)."""
    match = _DECIMAL.match(name)
    if match:
        return pa.decimal128(int(match.group(1)), int(match.group(2)))
    for known in _SQL_TYPES:
        if str(known) == name:
            return known
    raise ValueError(f"unknown column type in manifest: {name!r}")
