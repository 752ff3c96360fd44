"""Reading tabular files a row at a time, and inferring column types from a sample.

CSV: any of ``, ; TAB |`` as delimiter (the header line decides), UTF-8 with or without BOM,
else Windows-1252, else Latin-1. XLSX: the first sheet, through openpyxl's read-only mode.
Cells come out as text (``None`` for empty) so one set of parsers validates both.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO

from pontive.core.errors import InvalidInput
from pontive.opendata.choices import FieldType
from pontive.opendata.datastore_schema import (
    _INT,
    _NUMBER,
    _NUMBER_COMMA,
    ValueRefused,
    parse_date,
    parse_timestamp,
)

SAMPLE_BYTES = 1 << 16
SAMPLE_ROWS = 2000
DELIMITERS = (",", ";", "\t", "|")
XLSX_MAGIC = b"PK\x03\x04"
BOOL_WORDS = frozenset({"true", "false", "ya", "tidak", "yes", "no", "benar", "salah"})
csv.field_size_limit(1 << 24)


class CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read through it (for load progress)."""

    def __init__(self, inner: BinaryIO) -> None:
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


@dataclass
class TableSource:
    """An open file: its header, its rows (text cells), and how far it has been read."""

    header: list[str]
    rows: Iterator[list[str | None]]
    counter: CountingReader | None
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def bytes_read(self) -> int | None:
        return self.counter.count if self.counter is not None else None


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig`` (BOM or not: it accepts both), else cp1252, else latin-1."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
    except UnicodeDecodeError:
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            return "latin-1"
        return "cp1252"
    return "utf-8-sig"


def pick_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line most (comma on a tie)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def open_source(file: BinaryIO, *, encoding: str | None = None) -> TableSource:
    """Open ``file`` (positioned anywhere; it is rewound) as CSV or XLSX."""
    file.seek(0)
    head = file.read(SAMPLE_BYTES)
    file.seek(0)
    if head.startswith(XLSX_MAGIC):
        return _open_xlsx(file)
    encoding = encoding or detect_encoding(head)
    counter = CountingReader(file)
    text = io.TextIOWrapper(io.BufferedReader(counter, 1 << 16), encoding=encoding, newline="")
    first_line = head.decode(encoding, errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    delimiter = pick_delimiter(first_line)
    reader = csv.reader(text, delimiter=delimiter)
    header = next(reader, [])

    def rows() -> Iterator[list[str | None]]:
        for row in reader:
            yield [cell if cell != "" else None for cell in row]

    return TableSource([h.strip() for h in header], rows(), counter, "csv", encoding, delimiter)


def _open_xlsx(file: BinaryIO) -> TableSource:
    import openpyxl  # type: ignore[import-untyped]  # no stubs published

    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    # A zip that is no workbook: openpyxl raises these (found by tests/fuzz/test_files.py).
    except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as error:
        raise InvalidInput(
            "Berkas XLSX tidak dapat dibaca.", "The XLSX file cannot be read."
        ) from error
    values = sheet.iter_rows(values_only=True)
    header = [_cell_text(c) or "" for c in next(values, ())]

    def rows() -> Iterator[list[str | None]]:
        try:
            for row in values:
                yield [_cell_text(c) for c in row]
        finally:
            workbook.close()

    return TableSource([h.strip() for h in header], rows(), None, "xlsx")


def _cell_text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


# --- inference ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Inferred:
    """A column's inferred type, and whether its numbers use a decimal comma."""

    type: FieldType
    decimal_comma: bool = False


def infer_column(values: Sequence[str]) -> Inferred:
    """The narrowest type every non-empty value in ``values`` fits."""
    present = [v.strip() for v in values if v is not None and v.strip()]
    if not present:
        return Inferred(FieldType.TEXT)
    if all(_INT.fullmatch(v) and not _leading_zero(v) for v in present):
        return Inferred(FieldType.INT)
    if all(_NUMBER.fullmatch(v) and not _leading_zero(v.split(".")[0]) for v in present):
        return Inferred(FieldType.NUMERIC)
    if _decimal_comma(present):
        return Inferred(FieldType.NUMERIC, decimal_comma=True)
    if all(v.lower() in BOOL_WORDS for v in present):
        return Inferred(FieldType.BOOL)
    if _all_parse(present, parse_date):
        return Inferred(FieldType.DATE)
    if _all_parse(present, parse_timestamp):
        return Inferred(FieldType.TIMESTAMP)
    return Inferred(FieldType.TEXT)


def _leading_zero(digits: str) -> bool:
    # "007", "0812..." are codes and phone-like identifiers: kept as text.
    unsigned = digits.lstrip("+-")
    return len(unsigned) > 1 and unsigned.startswith("0")


_COMMA_THOUSANDS = re.compile(r"[+-]?\d{1,3},\d{3}")


def _decimal_comma(values: Sequence[str]) -> bool:
    """Indonesian decimal commas, only when unambiguous: every value is an integer or a
    comma number, and not every comma number could be English thousands ("1,234")."""
    commas = [v for v in values if "," in v]
    if not commas:
        return False
    if not all(_INT.fullmatch(v) or _NUMBER_COMMA.fullmatch(v) for v in values):
        return False
    # "1.234,5" proves the Indonesian form; "1,234" alone could be either.
    return any("." in v or not _COMMA_THOUSANDS.fullmatch(v) for v in commas)


def _all_parse(values: Sequence[str], parse: Any) -> bool:
    try:
        for value in values:
            parse(value)
    except ValueRefused:
        return False
    return True
