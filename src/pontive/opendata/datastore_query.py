"""``datastore_search``: filters, full text, fields, sort, paging and record formats, as
CKAN's datastore does (specs/ckan.md §3).

The SQL is written here, not by an ORM: a page is two small statements (the page, and the
count when ``include_total``), built once from validated column names (always quoted) and
positional parameters, run through the driver. Full text (``q``) is a case-insensitive
substring match of every word over the text columns (``LIKE`` on SQLite, ``ILIKE`` on
PostgreSQL); ``plain`` is accepted and has no other effect.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from pontive.core.choices import Classification
from pontive.core.errors import InvalidInput, NotFound
from pontive.core.identity import Actor
from pontive.opendata.access import visible
from pontive.opendata.actions import SearchQueryError
from pontive.opendata.choices import DatasetState, FieldType
from pontive.opendata.datastore_schema import (
    ROW_ID,
    ValueRefused,
    from_storage,
    ident,
    marker,
    to_storage,
)
from pontive.opendata.models import Dataset, DatastoreTable, Resource

DEFAULT_LIMIT = 100  # ckan.datastore.search.rows_default
MAX_LIMIT = 32000  # ckan.datastore.search.rows_max
OPERATORS = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">=", "ne": "<>", "eq": "="}
RECORD_FORMATS = ("objects", "lists", "csv", "tsv")
ACTION_PATH = "/api/3/action/datastore_search"


class TableLike(Protocol):
    """What a search needs of a table: its name and its fields (``DatastoreTable``)."""

    @property
    def table_name(self) -> str: ...
    @property
    def fields(self) -> list[dict[str, Any]]: ...
    def field_types(self) -> dict[str, FieldType]: ...


def fetch(session: Session, sql: str, params: Sequence[Any]) -> list[Any]:
    """Every row of ``sql`` (the driver's own parameter markers), through the driver's
    cursor on the session's connection: SQLAlchemy's result objects cost more than a small
    indexed read takes."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, tuple(params))
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _no_table(resource_id: str) -> NotFound:
    return NotFound(
        "Sumber daya ini tidak memiliki tabel datastore.",
        f'Resource "{resource_id}" was not found in the datastore.',
    )


def get_table(session: Session, resource: Resource) -> DatastoreTable:
    """The resource's active datastore table, or ``NotFound``."""
    table = session.get(DatastoreTable, resource.id)
    if table is None or not resource.datastore_active:
        raise _no_table(resource.id)
    return table


@dataclass(frozen=True, slots=True)
class ReadTarget:
    """A resource's table as a reader needs it, and what decides who may read it."""

    resource_id: str
    dataset_id: str
    state: DatasetState  # the dataset's
    classification: Classification
    owner_org: str
    table_name: str
    fields: list[dict[str, Any]]

    def field_types(self) -> dict[str, FieldType]:
        """Column name → type."""
        return {field["id"]: FieldType(field["type"]) for field in self.fields}


_TARGET = (
    "SELECT r.state, r.datastore_active, r.dataset_id,"  # noqa: S608 - fixed names, bound id
    " d.state, d.classification, d.owner_org, t.table_name, t.fields"
    f" FROM {Resource.__tablename__} r JOIN {Dataset.__tablename__} d ON d.id = r.dataset_id"
    f" LEFT JOIN {DatastoreTable.__tablename__} t ON t.resource_id = r.id"
    " WHERE r.id = "
)


def read_target(session: Session, resource_id: str, *, actor: Actor) -> ReadTarget:
    """The table of a resource ``actor`` may see, in one statement and without loading the
    catalogue's objects (a ``datastore_search`` spends its time on the rows); ``NotFound``
    as ``service.get_resource`` and ``get_table`` answer."""
    mark = marker(session.get_bind().dialect.name)
    # Written out, not built: the statement machinery would cost more than the statement.
    found = fetch(session, _TARGET + mark, (resource_id,))
    row = found[0] if found else None
    if row is not None:
        state, active, dataset_id, dataset_state, classification, owner, name, fields = row
        target = ReadTarget(
            resource_id,
            dataset_id,
            DatasetState(dataset_state),
            Classification(classification),
            owner,
            name or "",
            (json.loads(fields) if isinstance(fields, str) else fields) or [],
        )
    if row is None or state == DatasetState.DELETED.value or not visible(actor, target):
        raise NotFound(
            f'Sumber data "{resource_id}" tidak ditemukan.',
            f'Resource "{resource_id}" was not found.',
        )
    if name is None or not active:
        raise _no_table(resource_id)
    return target


def as_bool(value: Any, name: str, default: bool) -> bool:
    """A boolean parameter (GET sends "True"/"false"/"1")."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in {"true", "1", "yes", "on"}:
        return True
    if lowered in {"false", "0", "no", "off"}:
        return False
    raise InvalidInput(errors={name: ["Invalid boolean value"]})


def as_int(value: Any, name: str, default: int, *, maximum: int | None = None) -> int:
    """A natural-number parameter."""
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise InvalidInput(errors={name: ["Invalid integer"]}) from error
    if number < 0:
        raise InvalidInput(errors={name: ["Must be a natural number"]})
    return min(number, maximum) if maximum is not None else number


def as_json(value: Any, name: str) -> Any:
    """A dict/list parameter that a GET may have sent as JSON text."""
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError as error:
            raise InvalidInput(errors={name: ["Could not parse as valid JSON"]}) from error
    return value


class _Where:
    def __init__(self, table: TableLike, dialect: str) -> None:
        self.types = {ROW_ID: FieldType.INT, **table.field_types()}
        self.dialect = dialect
        self.parts: list[str] = []
        self.params: list[Any] = []

    def value(self, column: str, value: Any, name: str) -> str:
        try:
            self.params.append(to_storage(value, self.types[column], self.dialect))
        except (ValueRefused, ValueError) as error:
            raise InvalidInput(errors={name: [f'{column}: "{value}": {error}']}) from error
        return marker(self.dialect)

    def column(self, column: Any, name: str) -> str:
        if not isinstance(column, str) or column not in self.types:
            raise InvalidInput(errors={name: [f'field "{column}" not in table']})
        return ident(column, self.dialect)

    def filters(self, filters: Mapping[str, Any]) -> None:
        for column, wanted in filters.items():
            quoted = self.column(column, "filters")
            if isinstance(wanted, list):
                if not wanted:
                    self.parts.append("1 = 0")
                    continue
                markers = ", ".join(self.value(column, v, "filters") for v in wanted)
                self.parts.append(f"{quoted} IN ({markers})")
            elif isinstance(wanted, Mapping):
                for op, operand in wanted.items():
                    if op not in OPERATORS:
                        raise InvalidInput(errors={"filters": [f'unknown operator "{op}"']})
                    self.parts.append(
                        f"{quoted} {OPERATORS[op]} {self.value(column, operand, 'filters')}"
                    )
            elif wanted is None:
                self.parts.append(f"{quoted} IS NULL")
            else:
                self.parts.append(f"{quoted} = {self.value(column, wanted, 'filters')}")

    def full_text(self, q: Any) -> None:
        like = "LIKE" if self.dialect == "sqlite" else "ILIKE"
        if isinstance(q, Mapping):
            for column, words in q.items():
                quoted = self.column(column, "q")
                if self.types[column] is not FieldType.TEXT:
                    quoted = f"CAST({quoted} AS TEXT)"
                for word in str(words).split():
                    self.params.append(f"%{_escape_like(word)}%")
                    self.parts.append(f"{quoted} {like} {marker(self.dialect)} ESCAPE '\\'")
            return
        text_columns = [c for c, t in self.types.items() if t is FieldType.TEXT]
        for word in str(q).split():
            if not text_columns:
                self.parts.append("1 = 0")
                break
            alternatives = []
            for column in text_columns:
                self.params.append(f"%{_escape_like(word)}%")
                alternatives.append(
                    f"{ident(column, self.dialect)} {like} {marker(self.dialect)} ESCAPE '\\'"
                )
            self.parts.append("(" + " OR ".join(alternatives) + ")")

    def sql(self) -> str:
        return " AND ".join(self.parts) if self.parts else "1 = 1"


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def build_where(
    table: TableLike,
    filters: Any,
    q: Any,
    params: list[Any],
    dialect: str,
) -> str:
    """The WHERE condition of ``filters`` and ``q``; appends its parameters to ``params``."""
    where = _Where(table, dialect)
    filters = as_json(filters, "filters")
    if filters:
        if not isinstance(filters, Mapping):
            raise InvalidInput(errors={"filters": ["Not a JSON object"]})
        where.filters(filters)
    q = as_json(q, "q")
    if q not in (None, "", {}):
        where.full_text(q)
    params.extend(where.params)
    return where.sql()


def _fields(value: Any, table: TableLike) -> list[dict[str, Any]]:
    known = [{"id": ROW_ID, "type": "int"}, *table.fields]
    if value in (None, "", []):
        return known
    value = as_json(value, "fields")
    names = [n.strip() for n in value.split(",")] if isinstance(value, str) else list(value)
    by_name = {f["id"]: f for f in known}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise InvalidInput(errors={"fields": [f'field "{n}" not in table' for n in unknown]})
    return [by_name[n] for n in names]


def _order(value: Any, table: TableLike, dialect: str) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    names = {ROW_ID, *(f["id"] for f in table.fields)}
    parts = []
    for clause in str(value).split(","):
        words = clause.strip()
        direction = "ASC"
        lowered = words.lower()
        if lowered.endswith((" desc", " asc")):
            direction = "DESC" if lowered.endswith(" desc") else "ASC"
            words = words.rsplit(" ", 1)[0].strip()
        if len(words) >= 2 and words[0] == words[-1] == '"':
            words = words[1:-1].replace('""', '"')
        if words not in names:
            raise SearchQueryError(
                f'Tidak dapat mengurutkan menurut kolom "{words}".',
                f'Cannot sort by field "{words}"',
            )
        parts.append(f"{ident(words, dialect)} {direction}")
    return " ORDER BY " + ", ".join(parts)


@dataclass(frozen=True)
class Selection:
    """A validated query over a datastore table: its SQL pieces and result fields."""

    fields: list[dict[str, Any]]
    select: str  # SELECT ... FROM ... WHERE ...
    source: str  # FROM ... WHERE ...
    order: str
    params: list[Any]
    distinct: bool


def select_rows(session: Session, table: TableLike, params: Mapping[str, Any]) -> Selection:
    """The SQL of ``filters``, ``q``, ``fields``, ``sort`` and ``distinct`` (no paging)."""
    dialect = session.get_bind().dialect.name
    distinct = as_bool(params.get("distinct"), "distinct", False)
    fields = _fields(params.get("fields"), table)
    where_params: list[Any] = []
    where = build_where(table, params.get("filters"), params.get("q"), where_params, dialect)
    order = _order(params.get("sort"), table, dialect)
    if not order and not distinct:
        order = f" ORDER BY {ident(ROW_ID, dialect)}"
    columns = ", ".join(ident(f["id"], dialect) for f in fields)
    source = f"FROM {ident(table.table_name, dialect)} WHERE {where}"
    select = f"SELECT {'DISTINCT ' if distinct else ''}{columns} {source}"
    return Selection(fields, select, source, order, where_params, distinct)


def search(session: Session, resource: Resource, params: Mapping[str, Any]) -> dict[str, Any]:
    """``datastore_search`` on ``resource`` (visibility is the caller's check)."""
    return search_table(session, get_table(session, resource), resource.id, params)


def search_table(
    session: Session, table: TableLike, resource_id: str, params: Mapping[str, Any]
) -> dict[str, Any]:
    """``datastore_search`` on the table of resource ``resource_id``."""
    limit = as_int(params.get("limit"), "limit", DEFAULT_LIMIT, maximum=MAX_LIMIT)
    offset = as_int(params.get("offset"), "offset", 0)
    include_total = as_bool(params.get("include_total"), "include_total", True)
    records_format = params.get("records_format") or "objects"
    if records_format not in RECORD_FORMATS:
        raise InvalidInput(errors={"records_format": [f"Value must be one of {RECORD_FORMATS}"]})
    chosen = select_rows(session, table, params)
    mark = marker(session.get_bind().dialect.name)
    rows = fetch(
        session,
        f"{chosen.select}{chosen.order} LIMIT {mark} OFFSET {mark}",
        (*chosen.params, limit, offset),
    )
    result: dict[str, Any] = {
        key: params[key]
        for key in ("filters", "q", "sort", "plain", "language", "distinct")
        if params.get(key) not in (None, "")
    }
    result.update(
        resource_id=resource_id,
        fields=chosen.fields,
        records=_format(list(rows), chosen.fields, records_format),
        limit=limit,
        include_total=include_total,
        records_format=records_format,
        _links=_links(resource_id, params, offset, limit),
    )
    if offset:
        result["offset"] = offset
    if include_total:
        count_sql = (
            f"SELECT count(*) FROM ({chosen.select}) AS t"  # noqa: S608 - quoted names, bound values
            if chosen.distinct
            else f"SELECT count(*) {chosen.source}"
        )
        ((total,),) = fetch(session, count_sql, tuple(chosen.params))
        result["total"] = int(total)
        result["total_was_estimated"] = False
    return result


def convert_row(row: Any, converters: list[Any]) -> list[Any]:
    """A stored row as JSON values."""
    return [
        value if convert is None else convert(value)
        for value, convert in zip(row, converters, strict=True)
    ]


def _format(rows: list[Any], fields: list[dict[str, Any]], records_format: str) -> Any:
    converters = [from_storage(FieldType(f["type"])) for f in fields]
    if any(converters):
        values = [convert_row(row, converters) for row in rows]
    else:
        values = [list(row) for row in rows]
    if records_format == "objects":
        names = [f["id"] for f in fields]
        return [dict(zip(names, row, strict=True)) for row in values]
    if records_format == "lists":
        return values
    out = io.StringIO()
    writer = csv.writer(
        out, delimiter="," if records_format == "csv" else "\t", lineterminator="\n"
    )
    writer.writerows(values)
    return out.getvalue()


def _links(resource_id: str, params: Mapping[str, Any], offset: int, limit: int) -> dict[str, str]:
    kept = {
        key: value if isinstance(value, str) else json.dumps(value)
        for key, value in params.items()
        if key not in {"offset", "resource_id", "id"} and value not in (None, "")
    }
    start = f"{ACTION_PATH}?{urlencode({'resource_id': resource_id, **kept})}"
    return {"start": start, "next": f"{start}&offset={offset + limit}"}
