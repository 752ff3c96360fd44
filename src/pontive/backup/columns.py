"""Engine-neutral column values: each column has a *kind*, and each kind one JSON form.

The archive stores rows as JSON arrays. A value's JSON form depends only on its column's kind
(recorded in the manifest), never on the engine it came from, so an archive of SQLite loads
into PostgreSQL and back. Values are read and written *as stored*: personal data stays sealed
(``EncryptedText`` is read as plain text), JSON documents keep their text (and the difference
between SQL NULL and JSON ``null``), enums stay their stored strings.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType, TypeDecorator, TypeEngine

from pontive.core.crypto import EncryptedText
from pontive.core.db import UTCDateTime
from pontive.opendata.choices import FieldType
from pontive.sensors.models import InstantColumn


class _JsonAsText(FunctionElement[str]):
    """A JSON column read as its text (PostgreSQL's driver would parse it)."""

    type = Text()
    inherit_cache = True


class _TextAsJson(FunctionElement[str]):
    """Text bound into a JSON column (PostgreSQL needs the cast; SQLite stores text)."""

    type = Text()
    inherit_cache = True


@compiles(_JsonAsText)
@compiles(_TextAsJson)
def _compile_plain(element: FunctionElement[str], compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_JsonAsText, "postgresql")
def _compile_json_as_text(element: _JsonAsText, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS TEXT)"


@compiles(_TextAsJson, "postgresql")
def _compile_text_as_json(element: _TextAsJson, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS JSON)"


class RawJson(TypeDecorator[str]):
    """A JSON column moved as its stored text: SQL NULL is ``None``, JSON null is ``"null"``."""

    impl = Text
    cache_ok = True

    def column_expression(self, column: ColumnElement[Any]) -> ColumnElement[Any]:
        return _JsonAsText(column)

    def bind_expression(self, bindvalue: Any) -> ColumnElement[Any]:
        return _TextAsJson(bindvalue)


def storage_type(column_type: TypeEngine[Any]) -> TypeEngine[Any]:
    """The type that reads and writes a model column's values exactly as stored."""
    if isinstance(column_type, EncryptedText):
        return Text()  # sealed values are copied, never opened
    if isinstance(column_type, JSON):
        return RawJson()
    if isinstance(column_type, Enum):
        return String()  # the stored value, whatever the code's enum holds today
    return column_type


def kind_of(column_type: TypeEngine[Any]) -> str:
    """The kind of a column's values (one of ``KINDS``)."""
    checks: tuple[tuple[type[Any], str], ...] = (
        (RawJson, "json"),
        (UTCDateTime, "datetime"),
        (InstantColumn, "datetime"),
        (DateTime, "datetime"),
        (Date, "date"),
        (Boolean, "bool"),
        (Float, "float"),  # before Numeric: Float is one
        (Numeric, "decimal"),
        (Integer, "int"),
        (LargeBinary, "bytes"),
        (String, "text"),
    )
    for cls, kind in checks:
        if isinstance(column_type, cls):
            return kind
    raise TypeError(f"no backup kind for column type {column_type!r}")


def canonical_type(kind: str) -> TypeEngine[Any]:
    """A type for a column that only the archive knows (an older revision's column)."""
    types: dict[str, TypeEngine[Any]] = {
        "json": RawJson(),
        "datetime": UTCDateTime(),
        "date": Date(),
        "bool": Boolean(),
        "float": Float(),
        "decimal": Numeric(asdecimal=True),
        "int": BigInteger(),
        "bytes": LargeBinary(),
        "text": Text(),
    }
    # Datastore columns are moved as the driver gives them and converted here.
    return types.get(kind, NullType())


# --- model values ------------------------------------------------------------------------

_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _float_out(value: float) -> Any:
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _float_in(value: Any) -> float:
    return _NON_FINITE[value] if isinstance(value, str) else float(value)


def _datetime_in(value: str) -> datetime:
    instant = datetime.fromisoformat(value)
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


def _json_out(value: Any) -> str:
    # SQLite gives a JSON column NUMERIC affinity: a document that is a bare number comes
    # back as one. Its JSON text is what PostgreSQL would have kept.
    return value if isinstance(value, str) else json.dumps(value)


_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "json": _json_out,
    "float": _float_out,
    "decimal": str,
    "date": date.isoformat,
    "datetime": lambda value: value.astimezone(UTC).isoformat(),
    "bytes": lambda value: base64.b64encode(bytes(value)).decode(),
    "bool": bool,
}
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "float": _float_in,
    "decimal": Decimal,
    "date": date.fromisoformat,
    "datetime": _datetime_in,
    "bytes": base64.b64decode,
    "bool": bool,
}

# --- datastore values (dynamic tables; stored forms differ per engine) --------------------


def _ds_numeric_out(value: Any) -> str:
    return str(value) if isinstance(value, Decimal) else repr(float(value))


def _iso_out(value: Any) -> str:
    return value if isinstance(value, str) else str(value.isoformat())


_ENCODERS |= {
    "ds_numeric": _ds_numeric_out,
    "ds_bool": bool,
    "ds_date": _iso_out,
    "ds_timestamp": _iso_out,
}


def datastore_kind(field_type: str) -> str:
    """The kind of a datastore field of CKAN type ``field_type``."""
    return f"ds_{FieldType(field_type).value}"


def encoder(kind: str) -> Callable[[Any], Any] | None:
    """The function turning a stored value of ``kind`` into its JSON form (None: as is)."""
    return _ENCODERS.get(kind)


def decoder(kind: str, dialect: str) -> Callable[[Any], Any] | None:
    """The function turning a JSON form into what ``dialect`` stores (None: as is)."""
    if not kind.startswith("ds_"):
        return _DECODERS.get(kind)
    is_sqlite = dialect == "sqlite"
    if kind == "ds_numeric":
        return (lambda v: float(Decimal(v))) if is_sqlite else Decimal
    if kind == "ds_date":
        return (lambda v: date.fromisoformat(v).isoformat()) if is_sqlite else date.fromisoformat
    if kind == "ds_timestamp":
        if is_sqlite:
            return lambda v: datetime.fromisoformat(v).isoformat(sep="T")
        return datetime.fromisoformat
    if kind == "ds_bool":
        return bool
    return None


KINDS = frozenset(
    {"json", "datetime", "date", "bool", "float", "decimal", "int", "bytes", "text"}
    | {datastore_kind(t.value) for t in FieldType}
)
