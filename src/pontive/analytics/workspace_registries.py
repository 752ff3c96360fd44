"""Public registries in the export: every registry declared ``public`` (Wi-Fi hotspots,
stakeholder technologies, citizens' ideas …) gives one table of its public, non-personal
fields and the rows its ``public_where`` admits, as the public API shows them; each column
is described by its field's label. The personal-data rule applies on top, as everywhere."""

from __future__ import annotations

from typing import cast

from sqlalchemy import ColumnElement, Table, true

from pontive.analytics.workspace_catalog import ExportContext, ExportTable, Text, Where
from pontive.core import registry
from pontive.core.registry import Kind, Registry


def _where(entry: Registry) -> Where:
    admit = entry.public_where

    def where(_context: ExportContext) -> ColumnElement[bool]:
        return admit() if admit is not None else true()

    return where


def table_for(entry: Registry) -> ExportTable:
    """The export declaration of one public registry."""
    columns: dict[str, Text] = {"id": ("Nomor baris", "Row id")}
    for item in entry.fields:
        if item.personal or not item.public:
            continue
        if item.kind is Kind.POINT:
            columns["lon"] = (f"{item.label[0]}: bujur", f"{item.label[1]}: longitude")
            columns["lat"] = (f"{item.label[0]}: lintang", f"{item.label[1]}: latitude")
        else:
            columns[item.name] = item.label
    name = "registry_" + entry.name.replace(".", "_").replace("-", "_")
    return ExportTable(
        name,
        cast(Table, entry.model.__table__),
        entry.title,
        only=frozenset(columns),
        where=_where(entry),
        order_by=("id",),
        descriptions=columns,
    )


def tables() -> list[ExportTable]:
    """One declaration per public registry, by registry name."""
    return [table_for(entry) for entry in registry.all_registries() if entry.public]
