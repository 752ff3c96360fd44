"""The export's personal-data rule, over every column of every model: sealed columns, blind
indexes and credentials never reach the export, whatever a table's declaration says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, Text
from sqlalchemy.orm import Session

from pontive import domains
from pontive.analytics import workspace_export
from pontive.analytics.workspace_catalog import ExportTable
from pontive.analytics.workspace_rule import is_exportable, personal_reason
from pontive.core.crypto import EncryptedText
from pontive.core.db import Base
from tests.analytics.test_workspace_support import (
    INTERNAL_NOTE,
    PRIVATE_TEXT,
    REPORTER_EMAIL,
    REPORTER_NAME,
    REPORTER_PHONE,
    add_complaint,
    export_to,
)

domains.load_models()
ALL_COLUMNS: list[Column[Any]] = [
    column for table in Base.metadata.sorted_tables for column in table.columns
]
SEALED = [column for column in ALL_COLUMNS if isinstance(column.type, EncryptedText)]
BLIND_INDEXES = [column for column in ALL_COLUMNS if column.name.endswith("_index")]


def _id(column: Column[Any]) -> str:
    return f"{column.table.name}.{column.name}"


def test_the_models_have_sealed_columns_and_blind_indexes_to_check() -> None:
    # Guards the generated cases below against silently testing nothing.
    assert len(SEALED) >= 20
    assert {"complaints.reporter_index", "alert_subscribers.email_index"} <= {
        _id(c) for c in BLIND_INDEXES
    }


@pytest.mark.parametrize("column", SEALED, ids=_id)
def test_every_sealed_column_of_every_model_is_refused(column: Column[Any]) -> None:
    assert not is_exportable(column)
    assert personal_reason(column) == "sealed personal data (EncryptedText)"


@pytest.mark.parametrize("column", BLIND_INDEXES, ids=_id)
def test_every_blind_index_of_every_model_is_refused(column: Column[Any]) -> None:
    assert not is_exportable(column)


@pytest.mark.parametrize("name", ["password_hash", "token_hash", "key_hash", "secret", "token"])
def test_credentials_are_refused_by_name(name: str) -> None:
    assert not is_exportable(Column(name, String(64)))


def test_plain_columns_pass_the_rule() -> None:
    for name in ("status", "created_at", "kelurahan_kode", "public_description", "index_value"):
        assert is_exportable(Column(name, String(20))), name


def test_a_column_marked_personal_in_its_model_is_refused() -> None:
    assert not is_exportable(Column("nik", String(16), info={"personal": True}))


@pytest.mark.parametrize("spec", workspace_export.all_tables(), ids=lambda spec: spec.name)
def test_no_exported_table_reads_a_personal_column(spec: ExportTable) -> None:
    read = workspace_export.read_columns(spec)
    assert read, f"{spec.name} exports no column"
    assert [c.name for c in read if personal_reason(c)] == []


def test_the_rule_holds_for_a_table_no_declaration_has_seen(
    session: Session, tmp_path: Path
) -> None:
    """A new model with sealed data, exported with no list of columns to leave out."""
    metadata = MetaData()
    table = Table(
        "citizens_new",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("ward", String(20)),
        Column("full_name", EncryptedText),
        Column("phone_index", String(64)),
        Column("notes", Text),
    )
    spec = ExportTable("citizens_new", table, ("Baru", "New"))
    assert [c.name for c in workspace_export.read_columns(spec)] == ["id", "ward", "notes"]


def test_the_export_files_hold_no_reporter_data_nor_private_text(
    session: Session, tmp_path: Path
) -> None:
    add_complaint(session, 1)
    add_complaint(session, 2, is_public=False)
    manifest = export_to(session, tmp_path)
    complaints = manifest.table("complaints")
    assert complaints is not None
    names = {column.name for column in complaints.columns}
    assert not {"reporter_name", "reporter_phone", "reporter_email", "reporter_index"} & names
    assert not {"description", "address", "rating_comment", "is_anonymous", "consent_at"} & names
    history = manifest.table("complaint_status_history")
    assert history is not None
    assert "message" not in {c.name for c in history.columns}
    secrets = [REPORTER_NAME, REPORTER_PHONE, REPORTER_EMAIL, PRIVATE_TEXT, INTERNAL_NOTE]
    for path in manifest.snapshot.rglob("*.parquet"):
        dumped = repr(pq.read_table(path).to_pylist())
        assert not [s for s in secrets if s in dumped], path
    rows = pq.read_table(manifest.snapshot / "complaints").to_pylist()
    private = [row for row in rows if row["tracking_number"] == "PTK-T-000002"]
    assert private[0]["public_description"] is None  # moderated text of public reports only
