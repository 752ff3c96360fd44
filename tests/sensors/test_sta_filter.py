"""Parsing of ``$filter`` and ``$orderby``: every operator, precedence, literal, function, error.

Precedence is OData v4.0 URL Conventions §5.1.1.8; operators and functions are 18-088
Tables 22 and 23. These tests need no database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from shapely.geometry import Point, Polygon

from pontive.sensors.sta_entities import entity_by_name
from pontive.sensors.sta_filter import FilterError, check_paths, parse_filter, parse_orderby
from pontive.sensors.sta_filter_ast import (
    Arith,
    Call,
    Compare,
    Literal,
    LiteralKind,
    Logical,
    Negate,
    Not,
    Path,
)
from pontive.sensors.sta_filter_functions import FUNCTIONS


def shape(node: object) -> object:
    """The tree without positions: nested tuples of operators, names and values."""
    if isinstance(node, Compare | Arith | Logical):
        return (node.op, shape(node.left), shape(node.right))
    if isinstance(node, Not):
        return ("not", shape(node.operand))
    if isinstance(node, Negate):
        return ("-", shape(node.operand))
    if isinstance(node, Call):
        return (node.name, *(shape(arg) for arg in node.args))
    if isinstance(node, Path):
        return "/".join(str(part) for part in node.segments)
    assert isinstance(node, Literal)
    return node.value


@pytest.mark.parametrize("op", ["eq", "ne", "gt", "ge", "lt", "le"])
def test_every_comparison_operator(op: str) -> None:
    assert shape(parse_filter(f"result {op} 5")) == (op, "result", 5)


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "mod"])
def test_every_arithmetic_operator(op: str) -> None:
    assert shape(parse_filter(f"result {op} 2 gt 10")) == ("gt", (op, "result", 2), 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a eq 1 or b eq 2 and c eq 3",
         ("or", ("eq", "a", 1), ("and", ("eq", "b", 2), ("eq", "c", 3)))),
        ("(a eq 1 or b eq 2) and c eq 3",
         ("and", ("or", ("eq", "a", 1), ("eq", "b", 2)), ("eq", "c", 3))),
        ("a add b mul c eq d", ("eq", ("add", "a", ("mul", "b", "c")), "d")),
        ("a sub b sub c eq 0", ("eq", ("sub", ("sub", "a", "b"), "c"), 0)),
        ("a div b mod c eq 0", ("eq", ("mod", ("div", "a", "b"), "c"), 0)),
        ("(a add b) mul c eq d", ("eq", ("mul", ("add", "a", "b"), "c"), "d")),
        ("a gt b eq true", ("eq", ("gt", "a", "b"), True)),
        ("a eq b ne c", ("ne", ("eq", "a", "b"), "c")),
        ("not a eq b", ("eq", ("not", "a"), "b")),
        ("not (a eq b)", ("not", ("eq", "a", "b"))),
        ("not a and b", ("and", ("not", "a"), "b")),
        ("-a add 1 eq 0", ("eq", ("add", ("-", "a"), 1), 0)),
        ("a or b or c", ("or", ("or", "a", "b"), "c")),
        ("((a))", "a"),
    ],
)  # fmt: skip
def test_precedence_follows_odata(text: str, expected: object) -> None:
    assert shape(parse_filter(text)) == expected


WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("'Pos Kapuas'", LiteralKind.STRING, "Pos Kapuas"),
        ("'Jl. Gajah Mada ''Tengah'''", LiteralKind.STRING, "Jl. Gajah Mada 'Tengah'"),
        ("''", LiteralKind.STRING, ""),
        ("'a,b;c(d)'", LiteralKind.STRING, "a,b;c(d)"),
        ("42", LiteralKind.INT, 42),
        ("-42", LiteralKind.INT, -42),
        ("3.25", LiteralKind.DECIMAL, 3.25),
        ("-0.5", LiteralKind.DECIMAL, -0.5),
        ("1.5e3", LiteralKind.DECIMAL, 1500.0),
        ("2E-2", LiteralKind.DECIMAL, 0.02),
        ("true", LiteralKind.BOOL, True),
        ("false", LiteralKind.BOOL, False),
        ("null", LiteralKind.NULL, None),
        ("2026-11-01T00:00:00Z", LiteralKind.DATETIME, datetime(2026, 11, 1, tzinfo=UTC)),
        ("2026-11-01T07:00:00+07:00", LiteralKind.DATETIME, datetime(2026, 11, 1, 7, tzinfo=WIB)),
        ("2026-11-01T07:00:00+0700", LiteralKind.DATETIME, datetime(2026, 11, 1, 7, tzinfo=WIB)),
        ("2026-11-01T07:00Z", LiteralKind.DATETIME, datetime(2026, 11, 1, 7, tzinfo=UTC)),
        ("2026-11-01T07:00:00.123456789Z", LiteralKind.DATETIME,
         datetime(2026, 11, 1, 7, 0, 0, 123456, tzinfo=UTC)),
        ("2026-11-01T00:00:00Z/2026-11-02T00:00:00Z", LiteralKind.INTERVAL,
         (datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC))),
        ("2026-11-01", LiteralKind.DATE, date(2026, 11, 1)),
        ("07:30", LiteralKind.TIMEOFDAY, time(7, 30)),
        ("07:30:15.5", LiteralKind.TIMEOFDAY, time(7, 30, 15, 500000)),
        ("duration'PT1H'", LiteralKind.DURATION, timedelta(hours=1)),
        ("duration'P1DT2H30M'", LiteralKind.DURATION, timedelta(days=1, hours=2, minutes=30)),
        ("duration'PT0.5S'", LiteralKind.DURATION, timedelta(seconds=0.5)),
        ("duration'-PT15M'", LiteralKind.DURATION, timedelta(minutes=-15)),
        ("-duration'PT15M'", LiteralKind.DURATION, timedelta(minutes=-15)),
        ("geography'POINT(109.3 -0.03)'", LiteralKind.GEOMETRY, Point(109.3, -0.03)),
        ("geometry'POINT (109.3 -0.03)'", LiteralKind.GEOMETRY, Point(109.3, -0.03)),
        ("geography'SRID=4326;POINT(109.3 -0.03)'", LiteralKind.GEOMETRY, Point(109.3, -0.03)),
        ("geography'POLYGON((0 0, 1 0, 1 1, 0 0))'", LiteralKind.GEOMETRY,
         Polygon([(0, 0), (1, 0), (1, 1)])),
    ],
)  # fmt: skip
def test_every_literal(text: str, kind: LiteralKind, value: object) -> None:
    node = parse_filter(f"x eq {text}")
    assert isinstance(node, Compare)
    assert isinstance(node.right, Literal)
    assert node.right.kind is kind
    assert node.right.value == value


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("Datastream/id", ("Datastream", "id")),
        ("Datastream/@iot.id", ("Datastream", "@iot.id")),
        ("Datastream/Thing/properties/kecamatan",
         ("Datastream", "Thing", "properties", "kecamatan")),
        ("properties/levels[1]", ("properties", "levels", 1)),
        ("properties/grid[0][2]/value", ("properties", "grid", 0, 2, "value")),
        ("properties/and", ("properties", "and")),
        ("properties/not/eq", ("properties", "not", "eq")),
        ("unitOfMeasurement/symbol", ("unitOfMeasurement", "symbol")),
    ],
)  # fmt: skip
def test_property_paths(text: str, segments: tuple[object, ...]) -> None:
    node = parse_filter(f"{text} eq 1")
    assert isinstance(node, Compare)
    assert node.left == Path(segments, 0)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_parses_as_a_call(name: str) -> None:
    arity = max(FUNCTIONS[name][1])
    args = ", ".join(["name"] * arity)
    node = parse_filter(f"{name}({args}) eq 1")
    assert isinstance(node, Compare)
    assert isinstance(node.left, Call)
    assert node.left.name == name
    assert len(node.left.args) == arity


def test_the_function_table_covers_18_088_table_23() -> None:
    table_23 = {
        "substringof", "endswith", "startswith", "length", "indexof", "substring", "tolower",
        "toupper", "trim", "concat", "year", "month", "day", "hour", "minute", "second",
        "fractionalseconds", "date", "time", "totaloffsetminutes", "now", "mindatetime",
        "maxdatetime", "round", "floor", "ceiling", "geo.distance", "geo.length",
        "geo.intersects", "st_equals", "st_disjoint", "st_touches", "st_within", "st_overlaps",
        "st_crosses", "st_intersects", "st_contains", "st_relate",
    }  # fmt: skip
    assert table_23 <= set(FUNCTIONS)


def test_orderby_lists_keep_their_text_and_direction() -> None:
    items = parse_orderby(
        "phenomenonTime desc, geo.distance(location, geography'POINT(1 2)'),id asc"
    )
    assert [(shape(item.expr), item.descending) for item in items] == [
        ("phenomenonTime", True), (("geo.distance", "location", Point(1, 2)), False), ("id", False),
    ]  # fmt: skip
    assert [item.text for item in items] == [
        "phenomenonTime desc", "geo.distance(location, geography'POINT(1 2)')", "id asc",
    ]  # fmt: skip


def test_orderby_directions_are_case_insensitive_as_odata_keywords() -> None:
    # frost-sta-client sends ``DESC``; RFC 5234 2.3: ABNF literal strings ignore case.
    items = parse_orderby("phenomenonTime DESC,name Asc")
    assert [item.descending for item in items] == [True, False]


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("name eq 'Kapuas", 8, "unterminated string"),
        ("name eq", 7, "ends too early"),
        ("(name eq 'a'", 12, "ends too early"),
        ("name eq 'a' and", 15, "ends too early"),
        ("name # 'a'", 5, "unexpected character '#'"),
        ("name eq 'a' 'b'", 12, "unexpected ''b''"),
        ("result gt 5 5", 12, "unexpected '5'"),
        ("concat(name,) eq 'a'", 12, "unexpected ')'"),
        ("phenomenonTime gt 2026-11-01T00:00:00", 18, "needs a time zone"),
        ("phenomenonTime gt 2026-13-01T00:00:00Z", 18, "invalid date-time"),
        ("phenomenonTime gt 2026-02-30", 18, "invalid value"),
        ("phenomenonTime gt 2026-11-02T00:00:00Z/2026-11-01T00:00:00Z", 18, "ends before"),
        ("phenomenonTime gt now() sub duration'P1Y'", 28, "invalid duration"),
        ("phenomenonTime gt now() sub duration'PT'", 28, "invalid duration"),
        ("st_within(location, geography'POINT(1)')", 20, "invalid WKT"),
        ("   ", 0, "empty expression"),
    ],
)  # fmt: skip
def test_syntax_errors_say_where(text: str, position: int, message: str) -> None:
    with pytest.raises(FilterError) as caught:
        parse_filter(text)
    error = caught.value
    assert error.position == position
    assert message in error.message_en
    assert f"(character {position + 1})" in error.message_en
    assert error.message_id.startswith("$filter: ")
    assert error.status_code == 400


def test_orderby_errors_name_their_option() -> None:
    with pytest.raises(FilterError) as caught:
        parse_orderby("name sideways")
    assert caught.value.option == "$orderby"
    assert caught.value.message_en.startswith("$orderby: unexpected 'sideways'")


@pytest.mark.parametrize(
    ("entity", "text", "token", "message"),
    [
        ("Thing", "nama eq 'x'", "nama", "unknown property of Thing"),
        ("Observation", "Datastream/Thing/nam eq 'x'", "nam", "unknown property of Thing"),
        ("Observation", "Datastream eq 1", "Datastream", "is a navigation property"),
        ("Thing", "name/first eq 'x'", "name", "has no members"),
        ("Thing", "name[0] eq 'x'", "name", "has no members"),
        ("Thing", "Datastreams[0]/name eq 'x'", "[0]", "index outside a JSON property"),
        ("Thing", "MultiDatastreams/id eq 1", "MultiDatastreams", "unknown property"),
    ],
)  # fmt: skip
def test_unknown_paths_are_named(entity: str, text: str, token: str, message: str) -> None:
    with pytest.raises(FilterError) as caught:
        check_paths(parse_filter(text), entity=entity_by_name(entity))
    assert caught.value.token == token
    assert message in caught.value.message_en


def test_orderby_paths_must_give_one_value() -> None:
    expr = parse_orderby("Datastreams/name")[0].expr
    with pytest.raises(FilterError, match="gives many values"):
        check_paths(expr, entity=entity_by_name("Thing"), option="$orderby", single=True)
    check_paths(parse_orderby("Datastream/Thing/name")[0].expr,
                entity=entity_by_name("Observation"), single=True)  # fmt: skip
