"""SensorThings 1.1 system query options (18-088 9.3): parsed, checked, and written back.

``parse_query_options`` reads ``$filter $expand $select $orderby $top $skip $count
$resultFormat`` for one entity type into a ``QueryOptions`` (recursive: each ``$expand``
item carries its own options, allowed there: ``$filter $select $orderby $skip $top $count
$expand``). An unknown ``$option`` is a 501 (req ``request-data/query-status-code``), a bad
value a 400 that names the option and the character. ``query_string`` writes options back
(for ``@iot.nextLink``, with ``$skip`` advanced by the caller through ``with_skip``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from pontive.sensors.sta_entities import StaEntity
from pontive.sensors.sta_filter import (
    check_paths,
    compile_filter,
    compile_orderby,
    parse_filter,
    parse_orderby,
)
from pontive.sensors.sta_filter_ast import Expr, OrderItem
from pontive.sensors.sta_options_scan import Piece, split_item, split_top
from pontive.sensors.sta_query_errors import FilterError, QueryError, QueryNotImplemented

__all__ = [
    "ExpandItem",
    "QueryOptions",
    "compile_filter",
    "compile_orderby",
    "parse_query_options",
    "query_string",
    "with_skip",
]

DATA_ARRAY = "dataArray"
TOP_LEVEL = frozenset(
    {"$filter", "$expand", "$select", "$orderby", "$top", "$skip", "$count", "$resultFormat"}
)
IN_EXPAND = frozenset({"$filter", "$select", "$orderby", "$skip", "$top", "$count", "$expand"})
_MAX_INTEGER = 2**63 - 1
# Characters left unescaped in written options (RFC 3986 sub-delims used by OData).
_SAFE = "$(),;/'=@:*!"


@dataclass(frozen=True, slots=True)
class ExpandItem:
    """One expanded navigation property and the options applied to the related entities."""

    navigation: str
    options: QueryOptions


@dataclass(frozen=True, slots=True)
class QueryOptions:
    """The system query options of a request (or of one ``$expand`` item).

    ``select`` is ``None`` when every property is wanted; it holds property and navigation
    names (``@iot.id`` given as ``id``). ``count`` is ``True`` only for ``$count=true``.
    """

    entity: StaEntity
    filter: Expr | None = None
    filter_text: str | None = None
    expand: tuple[ExpandItem, ...] = ()
    select: tuple[str, ...] | None = None
    orderby: tuple[OrderItem, ...] = ()
    top: int | None = None
    skip: int = 0
    count: bool = False
    result_format: str | None = None

    def expanded(self, navigation: str) -> ExpandItem | None:
        """The ``$expand`` item of ``navigation``, if expanded."""
        return next((item for item in self.expand if item.navigation == navigation), None)


Params = Mapping[str, str] | Iterable[tuple[str, str]]


def parse_query_options(params: Params, *, entity: StaEntity) -> QueryOptions:
    """Parse the query string of a request on ``entity`` (pass ``multi_items()`` pairs so that
    a repeated option is caught). Parameters without ``$`` are not options and are ignored.
    """
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    raw: dict[str, Piece] = {}
    for key, value in pairs:
        if not key.startswith("$"):
            continue
        if key not in TOP_LEVEL:
            raise _unsupported(key)
        if key in raw:
            raise QueryError("opsi diberikan dua kali", "option given twice", option=key)
        raw[key] = Piece(value, 0)
    options = _parse(raw, entity=entity, within=None)
    _check_result_format(options)
    return options


def _unsupported(key: str) -> QueryNotImplemented:
    return QueryNotImplemented(
        f"Opsi kueri {key} tidak didukung.",
        f"The system query option {key} is not supported.",
    )


def _parse(raw: Mapping[str, Piece], *, entity: StaEntity, within: str | None) -> QueryOptions:
    """Options from ``raw`` values; ``within="$expand"`` for the options of an expand item,
    whose errors then point into the ``$expand`` value.
    """

    def name(key: str) -> str:
        return within or key

    filter_piece = raw.get("$filter")
    return QueryOptions(
        entity=entity,
        filter=_filter(filter_piece, entity, name("$filter")) if filter_piece else None,
        filter_text=filter_piece.text if filter_piece else None,
        expand=_expand(raw["$expand"], entity, name("$expand")) if "$expand" in raw else (),
        select=_select(raw["$select"], entity, name("$select")) if "$select" in raw else None,
        orderby=_orderby(raw["$orderby"], entity, name("$orderby")) if "$orderby" in raw else (),
        top=_integer(raw["$top"], name("$top")) if "$top" in raw else None,
        skip=_integer(raw["$skip"], name("$skip")) if "$skip" in raw else 0,
        count=_boolean(raw["$count"], name("$count")) if "$count" in raw else False,
        result_format=_result_format(raw.get("$resultFormat")),
    )


def _filter(piece: Piece, entity: StaEntity, option: str) -> Expr:
    try:
        expr = parse_filter(piece.text, option=option)
        check_paths(expr, entity=entity, option=option)
    except FilterError as error:
        raise _shifted(error, piece.pos, option) from error
    return expr


def _orderby(piece: Piece, entity: StaEntity, option: str) -> tuple[OrderItem, ...]:
    try:
        items = parse_orderby(piece.text, option=option)
        for item in items:
            check_paths(item.expr, entity=entity, option=option, single=True)
    except FilterError as error:
        raise _shifted(error, piece.pos, option) from error
    return items


def _shifted(error: FilterError, offset: int, option: str) -> FilterError:
    """``error`` with its position counted in the enclosing option value."""
    position = None if error.position is None else error.position + offset
    return FilterError(
        error.detail_id, error.detail_en, position=position, token=error.token, option=option
    )


def _integer(piece: Piece, option: str) -> int:
    text = piece.text.strip()
    if not text.isdigit() or not text.isascii() or int(text) > _MAX_INTEGER:
        raise QueryError(
            f"harus bilangan bulat tak negatif, bukan '{piece.text}'",
            f"must be a non-negative integer, not '{piece.text}'",
            option=option, position=piece.pos, token=piece.text,
        )  # fmt: skip
    return int(text)


def _boolean(piece: Piece, option: str) -> bool:
    # 18-088 req request-data/count: any value other than true or false is a 400.
    if piece.text.strip() not in ("true", "false"):
        raise QueryError(
            f"harus true atau false, bukan '{piece.text}'",
            f"must be true or false, not '{piece.text}'",
            option=option, position=piece.pos, token=piece.text,
        )  # fmt: skip
    return piece.text.strip() == "true"


def _result_format(piece: Piece | None) -> str | None:
    if piece is None:
        return None
    if piece.text.strip() != DATA_ARRAY:
        raise QueryError(
            f"format '{piece.text}' tidak dikenal; yang tersedia: {DATA_ARRAY}",
            f"unknown result format '{piece.text}'; available: {DATA_ARRAY}",
            option="$resultFormat", position=0, token=piece.text,
        )  # fmt: skip
    return DATA_ARRAY


def _check_result_format(options: QueryOptions) -> None:
    # 18-088 clause 13 (data array): Observations only, and not together with $expand.
    if options.result_format is None:
        return
    if options.entity.name != "Observation":
        raise QueryError(
            "dataArray hanya untuk Observations", "dataArray is for Observations only",
            option="$resultFormat",
        )  # fmt: skip
    if options.expand:
        raise QueryError(
            "dataArray tidak dapat digabung dengan $expand",
            "dataArray cannot be combined with $expand", option="$resultFormat",
        )  # fmt: skip


def _select(piece: Piece, entity: StaEntity, option: str) -> tuple[str, ...]:
    names: list[str] = []
    for part in split_top(piece, ",", option=option):
        item = part.strip()
        name = "id" if item.text == "@iot.id" else item.text
        if entity.property(name) is None and entity.navigation(name) is None:
            raise QueryError(
                f"'{item.text}' bukan properti {entity.name}",
                f"'{item.text}' is not a property of {entity.name}",
                option=option, position=item.pos, token=item.text,
            )  # fmt: skip
        if name not in names:
            names.append(name)
    return tuple(names)


def _expand(piece: Piece, entity: StaEntity, option: str) -> tuple[ExpandItem, ...]:
    items: list[ExpandItem] = []
    for part in split_top(piece, ",", option=option):
        items = _merge_into(items, _expand_item(part.strip(), entity, option), option)
    return tuple(items)


def _expand_item(piece: Piece, entity: StaEntity, option: str) -> ExpandItem:
    path, inner = split_item(piece, option=option)
    hops, current, offset = [], entity, path.pos
    for name in path.text.split("/"):
        nav = current.navigation(name.strip())
        if nav is None:
            raise QueryError(
                f"'{name}' bukan properti navigasi {current.name}",
                f"'{name}' is not a navigation property of {current.name}",
                option=option, position=offset, token=name,
            )  # fmt: skip
        hops.append(nav)
        current, offset = nav.target_entity, offset + len(name) + 1
    options = QueryOptions(entity=current)
    if inner is not None:
        options = _parse(_nested(inner, option), entity=current, within=option)
    for nav in reversed(hops[1:]):
        options = QueryOptions(entity=nav.source_entity, expand=(ExpandItem(nav.name, options),))
    return ExpandItem(hops[0].name, options)


def _nested(inner: Piece, option: str) -> dict[str, Piece]:
    """``$filter=…;$top=5`` inside an ``$expand`` item, by option name."""
    found: dict[str, Piece] = {}
    for part in split_top(inner, ";", option=option):
        item = part.strip()
        key, equals, value = item.text.partition("=")
        key = key.strip()
        if not equals or not key.startswith("$"):
            raise QueryError(
                "opsi bersarang harus berbentuk $nama=nilai",
                "nested options must read $name=value", option=option, position=item.pos,
            )  # fmt: skip
        if key == "$resultFormat" or (key in TOP_LEVEL and key not in IN_EXPAND):
            raise QueryError(f"{key} tidak boleh di dalam $expand",
                             f"{key} is not allowed inside $expand", option=option,
                             position=item.pos)  # fmt: skip
        if key not in IN_EXPAND:
            raise _unsupported(key)
        if key in found:
            raise QueryError("opsi diberikan dua kali", "option given twice", option=option,
                             position=item.pos)  # fmt: skip
        found[key] = Piece(value, item.pos + len(item.text) - len(value))
    return found


def _merge_into(items: list[ExpandItem], new: ExpandItem, option: str) -> list[ExpandItem]:
    """``Datastreams/Sensor,Datastreams/ObservedProperty`` expand Datastreams once."""
    for index, item in enumerate(items):
        if item.navigation == new.navigation:
            merged = ExpandItem(item.navigation, _merge(item.options, new.options, option))
            return [*items[:index], merged, *items[index + 1 :]]
    return [*items, new]


def _merge(first: QueryOptions, second: QueryOptions, option: str) -> QueryOptions:
    plain = QueryOptions(entity=first.entity)
    values = {}
    for field in dataclasses.fields(QueryOptions):
        if field.name in ("entity", "expand"):
            continue
        mine, theirs = getattr(first, field.name), getattr(second, field.name)
        default = getattr(plain, field.name)
        if mine != default and theirs != default and mine != theirs:
            raise QueryError(
                "navigasi yang sama diperluas dua kali dengan opsi berbeda",
                "the same navigation is expanded twice with different options", option=option,
            )  # fmt: skip
        values[field.name] = mine if mine != default else theirs
    expand: list[ExpandItem] = list(first.expand)
    for item in second.expand:
        expand = _merge_into(expand, item, option)
    return QueryOptions(entity=first.entity, expand=tuple(expand), **values)


def with_skip(options: QueryOptions, skip: int) -> QueryOptions:
    """The same options with ``$skip`` set (for the next page's link)."""
    return dataclasses.replace(options, skip=skip)


def query_string(options: QueryOptions) -> str:
    """The options as a URL query string without ``?`` ("" when none)."""
    return "&".join(f"{key}={quote(value, safe=_SAFE)}" for key, value in _pairs(options))


def _pairs(options: QueryOptions) -> list[tuple[str, str]]:
    pairs = []
    if options.filter_text is not None:
        pairs.append(("$filter", options.filter_text))
    if options.expand:
        pairs.append(("$expand", ",".join(_expand_text(item) for item in options.expand)))
    if options.select is not None:
        pairs.append(("$select", ",".join(options.select)))
    if options.orderby:
        pairs.append(("$orderby", ",".join(item.text for item in options.orderby)))
    if options.top is not None:
        pairs.append(("$top", str(options.top)))
    if options.skip:
        pairs.append(("$skip", str(options.skip)))
    if options.count:
        pairs.append(("$count", "true"))
    if options.result_format is not None:
        pairs.append(("$resultFormat", options.result_format))
    return pairs


def _expand_text(item: ExpandItem) -> str:
    inner = ";".join(f"{key}={value}" for key, value in _pairs(item.options))
    return f"{item.navigation}({inner})" if inner else item.navigation
