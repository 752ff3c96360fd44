"""The parsed form of ``$filter`` and ``$orderby`` expressions, and the parser that builds it.

The grammar (``data/sta_filter.lark``) is LALR(1); this module turns lark's tree into small
frozen dataclasses that carry the character position of each node, so that the compiler
can say *where* an expression is wrong ("unknown property 'nama' at character 1").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from lark import Lark, Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedToken, VisitError
from shapely import wkt
from shapely.errors import ShapelyError

from pontive.sensors.sta_query_errors import FilterError


class LiteralKind(StrEnum):
    """The type of a literal."""

    STRING = "string"
    INT = "int"
    DECIMAL = "decimal"
    BOOL = "bool"
    NULL = "null"
    DATETIME = "datetime"
    INTERVAL = "interval"
    DATE = "date"
    TIMEOFDAY = "timeofday"
    DURATION = "duration"
    GEOMETRY = "geometry"


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant: ``'text'``, ``5``, ``2026-11-01T00:00:00Z``, ``geography'POINT(1 2)'``…"""

    kind: LiteralKind
    value: Any
    pos: int


@dataclass(frozen=True, slots=True)
class Path:
    """A property path: names, and integer indexes into JSON arrays (``a/b[1]/c``)."""

    segments: tuple[str | int, ...]
    pos: int


@dataclass(frozen=True, slots=True)
class Compare:
    """``left op right`` with op in eq ne gt ge lt le; ``pos`` is the operator's."""

    op: str
    left: Expr
    right: Expr
    pos: int


@dataclass(frozen=True, slots=True)
class Arith:
    """``left op right`` with op in add sub mul div mod."""

    op: str
    left: Expr
    right: Expr
    pos: int


@dataclass(frozen=True, slots=True)
class Logical:
    """``left and right`` / ``left or right``."""

    op: str
    left: Expr
    right: Expr
    pos: int


@dataclass(frozen=True, slots=True)
class Not:
    """``not operand``."""

    operand: Expr
    pos: int


@dataclass(frozen=True, slots=True)
class Negate:
    """``-operand``."""

    operand: Expr
    pos: int


@dataclass(frozen=True, slots=True)
class Call:
    """A function call ``name(args…)``."""

    name: str
    args: tuple[Expr, ...]
    pos: int


Expr = Literal | Path | Compare | Arith | Logical | Not | Negate | Call


@dataclass(frozen=True, slots=True)
class OrderItem:
    """One ``$orderby`` key: the expression, its direction and its text as written."""

    expr: Expr
    descending: bool
    text: str


_DURATION = re.compile(
    r"(?P<sign>-)?P(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?"
)
_FRACTION = re.compile(r"(\.\d{6})\d+")
_SRID = re.compile(r"^\s*SRID=\d+;", re.IGNORECASE)


def parse_instant(text: str, pos: int) -> datetime:
    """An ISO 8601 date-time with its zone (``Z`` or an offset); naive ones are refused."""
    try:
        value = datetime.fromisoformat(_FRACTION.sub(r"\1", text))
    except ValueError as error:
        raise FilterError(
            f"tanggal-waktu tidak valid '{text}'", f"invalid date-time '{text}'",
            position=pos, token=text,
        ) from error  # fmt: skip
    if value.tzinfo is None:
        raise FilterError(
            f"tanggal-waktu '{text}' harus memakai zona waktu (Z atau +07:00)",
            f"date-time '{text}' needs a time zone (Z or +07:00)",
            position=pos, token=text,
        )  # fmt: skip
    return value


def parse_duration(text: str, pos: int) -> timedelta:
    """An OData Edm.Duration (``P1DT2H30M``, ``-PT15M``): days, hours, minutes, seconds."""
    match = _DURATION.fullmatch(text)
    parts = match.groupdict() if match else {}
    if (
        not match
        or not any(parts[k] for k in ("days", "hours", "minutes", "seconds"))
        or (text.endswith("T"))
    ):
        raise FilterError(
            f"durasi tidak valid '{text}' (contoh: duration'PT1H')",
            f"invalid duration '{text}' (e.g. duration'PT1H'; years and months are not allowed)",
            position=pos, token=text,
        )  # fmt: skip
    value = timedelta(
        days=int(parts["days"] or 0),
        hours=int(parts["hours"] or 0),
        minutes=int(parts["minutes"] or 0),
        seconds=float(parts["seconds"] or 0),
    )
    return -value if parts["sign"] else value


def _geometry(text: str, pos: int) -> Any:
    body = text[text.index("'") + 1 : -1]
    try:
        return wkt.loads(_SRID.sub("", body))
    except (ShapelyError, ValueError) as error:
        raise FilterError(
            f"geometri WKT tidak valid: {body!r}", f"invalid WKT geometry: {body!r}",
            position=pos, token=text,
        ) from error  # fmt: skip


def _literal(token: Token) -> Literal:
    text, pos, kind = str(token), token.start_pos or 0, token.type
    if kind == "STRING":
        if "\x00" in text:  # PostgreSQL text cannot hold NUL
            raise FilterError("string berisi karakter NUL", "NUL character in a string",
                              position=pos, token=text)  # fmt: skip
        return Literal(LiteralKind.STRING, text[1:-1].replace("''", "'"), pos)
    if kind == "INT":
        return Literal(LiteralKind.INT, int(text), pos)
    if kind == "DECIMAL":
        return Literal(LiteralKind.DECIMAL, float(text), pos)
    if kind in ("TRUE", "FALSE"):
        return Literal(LiteralKind.BOOL, kind == "TRUE", pos)
    if kind == "NULL":
        return Literal(LiteralKind.NULL, None, pos)
    return _temporal_or_spatial(kind, text, pos)


def _temporal_or_spatial(kind: str, text: str, pos: int) -> Literal:
    if kind == "DATETIME":
        return Literal(LiteralKind.DATETIME, parse_instant(text, pos), pos)
    if kind == "INTERVAL":
        first, second = text.split("/")
        start, end = parse_instant(first, pos), parse_instant(second, pos + len(first) + 1)
        if end < start:
            raise FilterError(
                "akhir interval sebelum awalnya", "the interval ends before it starts",
                position=pos, token=text,
            )  # fmt: skip
        return Literal(LiteralKind.INTERVAL, (start, end), pos)
    if kind == "DATE":
        return Literal(LiteralKind.DATE, _checked(date.fromisoformat, text, pos), pos)
    if kind == "TIMEOFDAY":
        value = _checked(time.fromisoformat, _FRACTION.sub(r"\1", text), pos)
        return Literal(LiteralKind.TIMEOFDAY, value, pos)
    if kind == "DURATION":
        return Literal(LiteralKind.DURATION, parse_duration(text[9:-1], pos), pos)
    return Literal(LiteralKind.GEOMETRY, _geometry(text, pos), pos)


def _checked(parse: Any, text: str, pos: int) -> Any:
    try:
        return parse(text)
    except ValueError as error:
        raise FilterError(
            f"nilai tidak valid '{text}'", f"invalid value '{text}'", position=pos, token=text
        ) from error


def _pos(token: Token) -> int:
    return token.start_pos or 0


class _ToAst(Transformer[Token, Any]):
    """lark tree → dataclasses; ``text`` is the source, for the $orderby item texts."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def filter(self, children: list[Any]) -> Expr:
        return children[0]  # type: ignore[no-any-return]

    def orderby(self, children: list[OrderItem]) -> tuple[OrderItem, ...]:
        return tuple(children)

    @v_args(meta=True)
    def order_item(self, meta: Any, children: list[Any]) -> OrderItem:
        descending = len(children) > 1 and children[1].type == "DESC"
        return OrderItem(children[0], descending, self.text[meta.start_pos : meta.end_pos])

    @v_args(inline=True)
    def logical(self, left: Expr, op: Token, right: Expr) -> Logical:
        return Logical(str(op), left, right, _pos(op))

    @v_args(inline=True)
    def compare(self, left: Expr, op: Token, right: Expr) -> Compare:
        return Compare(str(op), left, right, _pos(op))

    @v_args(inline=True)
    def arith(self, left: Expr, op: Token, right: Expr) -> Arith:
        return Arith(str(op), left, right, _pos(op))

    @v_args(inline=True)
    def not_(self, op: Token, operand: Expr) -> Not:
        return Not(operand, _pos(op))

    @v_args(inline=True)
    def negate(self, op: Token, operand: Expr) -> Expr:
        if isinstance(operand, Literal) and operand.kind in (LiteralKind.INT, LiteralKind.DECIMAL):
            return Literal(operand.kind, -operand.value, _pos(op))
        if isinstance(operand, Literal) and operand.kind is LiteralKind.DURATION:
            return Literal(operand.kind, -operand.value, _pos(op))
        return Negate(operand, _pos(op))

    def call(self, children: list[Any]) -> Call:
        name, *args = children
        return Call(str(name), tuple(arg for arg in args if arg is not None), _pos(name))

    def path(self, children: list[Any]) -> Path:
        head, *rest = children
        segments: list[str | int] = [str(head)]
        for child in rest:
            segments.extend(child if isinstance(child, tuple) else (child,))
        return Path(tuple(segments), _pos(head))

    def member(self, children: list[Any]) -> tuple[str | int, ...]:
        name, *indexes = children
        return (str(name), *indexes)

    def keyword(self, children: list[Token]) -> str:
        return str(children[0])

    @v_args(inline=True)
    def index(self, token: Token) -> int:
        return int(token)

    @v_args(inline=True)
    def literal(self, token: Token) -> Literal:
        return _literal(token)


@cache
def _parser() -> Lark:
    grammar = resources.files("pontive.sensors").joinpath("data/sta_filter.lark").read_text()
    return Lark(
        grammar, parser="lalr", start=["filter", "orderby"], propagate_positions=True,
        maybe_placeholders=True,
    )  # fmt: skip


def parse_expression(text: str, *, start: str, option: str) -> Any:
    """Parse ``text`` from rule ``start`` ("filter" or "orderby"); ``FilterError`` says where."""
    if not text.strip():
        raise FilterError("ekspresi kosong", "empty expression", position=0, option=option)
    try:
        tree: Tree[Token] = _parser().parse(text, start=start)
        return _ToAst(text).transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, FilterError):
            raise error.orig_exc.for_option(option) from error.orig_exc
        raise
    except UnexpectedCharacters as error:
        raise _unexpected_character(text, error.pos_in_stream or 0, option) from error
    except UnexpectedToken as error:
        raise _unexpected_token(text, error, option, start) from error
    except UnexpectedEOF as error:
        raise _end_of_input(text, option) from error
    except RecursionError as error:
        raise too_deep(option) from error


def too_deep(option: str) -> FilterError:
    """The error for an expression nested beyond what the server evaluates."""
    return FilterError("ekspresi terlalu dalam bersarang", "the expression is nested too deeply",
                       option=option)  # fmt: skip


def _unexpected_character(text: str, pos: int, option: str) -> FilterError:
    char = text[pos]
    if char == "'":
        return FilterError(
            "string tidak ditutup dengan tanda petik", "unterminated string literal",
            position=pos, token=char, option=option,
        )  # fmt: skip
    return FilterError(
        f"karakter tak terduga {char!r}", f"unexpected character {char!r}",
        position=pos, token=char, option=option,
    )  # fmt: skip


def _unexpected_token(text: str, error: UnexpectedToken, option: str, start: str) -> FilterError:
    token = error.token
    if token.type == "$END":
        return _end_of_input(text, option)
    names = set(error.expected) - ({"ASC", "DESC"} if start == "filter" else set())
    expected = _describe(names)
    return FilterError(
        f"token tak terduga '{token}'; yang diharapkan: {expected}",
        f"unexpected '{token}'; expected {expected}",
        position=_pos(token), token=str(token), option=option,
    )  # fmt: skip


def _end_of_input(text: str, option: str) -> FilterError:
    return FilterError(
        "ekspresi berakhir terlalu cepat", "the expression ends too early",
        position=len(text), option=option,
    )  # fmt: skip


_EXPECTED_WORDS = {
    "NAME": "a name", "RPAR": "')'", "LPAR": "'('", "COMMA": "','", "SLASH": "'/'",
    "STRING": "a string", "INT": "a number", "EQ": "eq", "NE": "ne", "GT": "gt", "GE": "ge",
    "LT": "lt", "LE": "le", "AND": "and", "OR": "or", "ADD": "add", "SUB": "sub", "MUL": "mul",
    "DIV": "div", "MOD": "mod", "ASC": "asc", "DESC": "desc",
}  # fmt: skip


def _describe(expected: set[str]) -> str:
    words = sorted({_EXPECTED_WORDS[name] for name in expected if name in _EXPECTED_WORDS})
    if not words:
        return "an operand"
    return ", ".join(words[:8]) + (" …" if len(words) > 8 else "")
