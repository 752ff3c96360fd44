"""The personal-data inventory (UU 27/2022 Pasal 31: the controller's record of processing),
generated from the domains' declarations and the table metadata.

``inventory()`` gives one row per personal column; ``render_markdown`` is the table embedded
in docs/privacy.md (a test fails when the page is stale); ``undeclared_columns`` lists the
columns whose name or type looks personal but that nobody declared either way, so a new
personal column cannot slip in unnoticed.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Column, MetaData

from pontive.core.crypto import EncryptedText
from pontive.core.db import Base
from pontive.privacy.declare import (
    BASIS_LABELS,
    CATEGORY_LABELS,
    ERASE_LABELS,
    SUBJECT_LABELS,
    Erase,
    Source,
    column_of,
    declared_not_personal,
    declared_sources,
)
from pontive.settings import Settings

# Names that usually hold personal data, as whole words of a column name.
_PERSONAL_WORDS = re.compile(
    r"(^|_)(name|nama|phone|telepon|hp|email|mail|nik|nip|address|alamat|ip|contact|kontak"
    r"|recipient|reporter|author|owner|holder|person|volunteer|birth|lahir)($|_)"
)


@dataclass(frozen=True, slots=True)
class InventoryRow:
    """One personal column in the inventory."""

    table: str
    column: str
    source: str
    category: str
    encrypted: bool
    subject: str
    purpose: str
    basis: str
    retention: str
    erasure: str
    found_by: str


def looks_personal(column: Column[Any]) -> bool:
    """Whether a column's name or type suggests personal data."""
    return isinstance(column.type, EncryptedText) or bool(_PERSONAL_WORDS.search(column.name))


def _found_by(source: Source) -> str:
    if not source.is_findable:
        return "-"
    ways = [] if source.find is None else ["pencarian"]
    if source.scan_contact:
        ways.append("kontak (dibuka satu per satu)")
    return ", ".join(ways)


def inventory(settings: Settings) -> list[InventoryRow]:
    """Every declared personal column, sorted by table and column."""
    rows = []
    for source in declared_sources():
        rule = source.retention_rule[0]
        if source.retention is not None:
            rule = rule.format(days=getattr(settings, source.retention.setting))
        for item in source.personal:
            column = column_of(item.column)
            erasure = ERASE_LABELS[item.erase][0]
            if item.note is not None:
                erasure = (
                    item.note[0] if item.erase is Erase.REPLACED else f"{erasure}: {item.note[0]}"
                )
            rows.append(
                InventoryRow(
                    table=source.table_name,
                    column=column.name,
                    source=source.name,
                    category=CATEGORY_LABELS[item.category][0],
                    encrypted=isinstance(column.type, EncryptedText),
                    subject=SUBJECT_LABELS[source.subject][0],
                    purpose=source.purpose[0],
                    basis=BASIS_LABELS[source.basis][0],
                    retention=rule,
                    erasure=erasure,
                    found_by=_found_by(source),
                )
            )
    return sorted(rows, key=lambda row: (row.table, row.column))


def undeclared_columns(metadata: MetaData | None = None) -> list[str]:
    """``table.column`` of columns that look personal and are declared neither way."""
    declared = {(row.table, row.column) for row in _declared_personal()}
    excused = set(declared_not_personal())
    missing = []
    for table in (metadata or Base.metadata).sorted_tables:
        for column in table.columns:
            key = (table.name, column.name)
            if looks_personal(column) and key not in declared and key not in excused:
                missing.append(f"{table.name}.{column.name}")
    return sorted(missing)


@dataclass(frozen=True, slots=True)
class _Declared:
    table: str
    column: str


def _declared_personal() -> list[_Declared]:
    return [
        _Declared(source.table_name, column_of(item.column).name)
        for source in declared_sources()
        for item in source.personal
    ]


HEADER = (
    "| tabel.kolom | kategori | tersandi | milik | tujuan | dasar hukum | retensi "
    "| saat dihapus | ditemukan lewat |"
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(rows: list[InventoryRow]) -> str:
    """The inventory as a Markdown table (Bahasa Indonesia, as the record is kept)."""
    lines = [HEADER, "|" + "---|" * 9]
    for row in rows:
        cells = (
            f"`{row.table}.{row.column}`",
            row.category,
            "ya" if row.encrypted else "tidak",
            row.subject,
            row.purpose,
            row.basis,
            row.retention,
            row.erasure,
            row.found_by,
        )
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def render_json(rows: list[InventoryRow]) -> str:
    """The inventory as JSON (one object per personal column)."""
    return json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=2)


DOCS_START = "<!-- inventory:start (pontive privacy inventory) -->"
DOCS_END = "<!-- inventory:end -->"


def embedded_table(page: str) -> str:
    """The inventory table embedded in a docs page, between the markers."""
    start = page.index(DOCS_START) + len(DOCS_START)
    return page[start : page.index(DOCS_END)].strip("\n") + "\n"
