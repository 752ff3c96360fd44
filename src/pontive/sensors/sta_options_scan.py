"""Scanning of ``$expand`` and ``$select`` values: split at top-level separators.

``$expand=Datastreams($filter=name eq 'a,b;c';$top=2)/Sensor,Locations`` holds commas,
semicolons and parentheses inside quoted strings and function calls; a separator counts
only outside quotes (``''`` escapes a quote) and outside parentheses. Positions are kept so
that errors say where in the option value the problem is.
"""

from __future__ import annotations

from dataclasses import dataclass

from pontive.sensors.sta_query_errors import QueryError


@dataclass(frozen=True, slots=True)
class Piece:
    """A slice of an option value and its offset in that value."""

    text: str
    pos: int

    def strip(self) -> Piece:
        """Without surrounding whitespace (the offset follows the first kept character)."""
        lead = len(self.text) - len(self.text.lstrip())
        return Piece(self.text.strip(), self.pos + lead)


def split_top(piece: Piece, separator: str, *, option: str) -> list[Piece]:
    """``piece`` split at ``separator`` outside quotes and parentheses."""
    parts, depth, start, index, text = [], 0, 0, 0, piece.text
    while index < len(text):
        char = text[index]
        if char == "'":
            index = _after_string(text, index, piece.pos, option)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise _unbalanced(piece.pos + index, option)
        elif char == separator and depth == 0:
            parts.append(Piece(text[start:index], piece.pos + start))
            start = index + 1
        index += 1
    if depth:
        raise _unbalanced(piece.pos + len(text), option)
    parts.append(Piece(text[start:], piece.pos + start))
    return parts


def split_item(piece: Piece, *, option: str) -> tuple[Piece, Piece | None]:
    """``Nav/Nav(options)`` → (path, options inside the parentheses or ``None``)."""
    text = piece.text
    opening = _first_outside_quotes(text, "(")
    if opening < 0:
        return piece, None
    if not text.endswith(")"):
        raise QueryError(
            "teks setelah tanda kurung tutup", "text after the closing parenthesis",
            option=option, position=piece.pos + len(text) - 1,
        )  # fmt: skip
    inner = Piece(text[opening + 1 : -1], piece.pos + opening + 1)
    return Piece(text[:opening], piece.pos), inner


def _first_outside_quotes(text: str, wanted: str) -> int:
    index = 0
    while index < len(text):
        if text[index] == "'":
            index = _after_string(text, index, 0, "")
            continue
        if text[index] == wanted:
            return index
        index += 1
    return -1


def _after_string(text: str, index: int, base: int, option: str) -> int:
    """The index just after the quoted string that starts at ``index``."""
    cursor = index + 1
    while cursor < len(text):
        if text[cursor] == "'":
            if cursor + 1 < len(text) and text[cursor + 1] == "'":
                cursor += 2
                continue
            return cursor + 1
        cursor += 1
    raise QueryError(
        "string tidak ditutup dengan tanda petik", "unterminated string literal",
        option=option or "$expand", position=base + index,
    )  # fmt: skip


def _unbalanced(position: int, option: str) -> QueryError:
    return QueryError(
        "tanda kurung tidak seimbang", "unbalanced parentheses", option=option, position=position
    )
