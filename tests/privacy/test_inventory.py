"""The inventory is generated from the declarations, covers every personal-looking column,
is the one docs/privacy.md shows, and agrees with the analytics export's rule."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table

from pontive.analytics.workspace_catalog import TABLES
from pontive.analytics.workspace_export import read_columns
from pontive.core.crypto import EncryptedText
from pontive.privacy.declare import Erase, column_of, declared_sources
from pontive.privacy.inventory import (
    embedded_table,
    inventory,
    render_json,
    render_markdown,
    undeclared_columns,
)
from pontive.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs" / "privacy.md"


def test_every_personal_looking_column_is_declared_one_way_or_the_other() -> None:
    assert undeclared_columns() == [], (
        "declare these in <domain>/privacy.py as personal or not personal (docs/privacy.md)"
    )


def test_a_new_personal_column_would_be_caught() -> None:
    metadata = MetaData()
    Table(
        "new_things",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("owner_phone", String(30)),
        Column("nama", String(100)),
        Column("notes", EncryptedText),
        Column("colour", String(10)),
        Column("hipster", String(10)),  # "ip" inside a word is not an IP address
    )
    assert undeclared_columns(metadata) == [
        "new_things.nama",
        "new_things.notes",
        "new_things.owner_phone",
    ]


def test_the_docs_show_the_generated_inventory() -> None:
    expected = render_markdown(inventory(Settings.model_construct()))
    shown = embedded_table(DOCS.read_text(encoding="utf-8"))
    assert shown == expected, (
        "docs/privacy.md is stale: replace the table between the inventory markers with "
        "`pontive privacy inventory` (default settings)"
    )


def test_every_sealed_column_is_in_the_inventory_as_sealed() -> None:
    rows = inventory(Settings.model_construct())
    sealed = {(row.table, row.column) for row in rows if row.encrypted}
    for source in declared_sources():
        for column in source.model.__table__.columns:
            if isinstance(column.type, EncryptedText) and column.name in {
                column_of(item.column).name for item in source.personal
            }:
                assert (source.table_name, column.name) in sealed
    assert ("complaints", "reporter_email") in sealed
    assert render_json(rows).startswith("[")


def test_declared_personal_data_never_reaches_the_analytics_export() -> None:
    personal = {
        (source.table_name, column_of(item.column).name)
        for source in declared_sources()
        for item in source.personal
        if item.erase is not Erase.KEEP
    }
    leaks = [
        f"{spec.table.name}.{column.name}"
        for spec in TABLES
        for column in read_columns(spec)
        if (spec.table.name, column.name) in personal and column.name not in spec.hidden
    ]
    assert leaks == []


def test_every_source_that_holds_erasable_data_can_be_reached() -> None:
    # A source whose data may be erased but that no request can find would make erasure on
    # request a promise the platform cannot keep.
    unreachable = [
        source.name
        for source in declared_sources()
        if any(item.erase is not Erase.KEEP for item in source.personal) and not source.is_findable
    ]
    assert unreachable == []
