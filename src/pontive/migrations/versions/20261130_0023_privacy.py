"""privacy (personal-data requests and retention)

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.db

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _choice(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade() -> None:
    # Reports that left both a phone and an e-mail are found by the e-mail too (existing
    # rows keep only the index of the contact they were indexed by).
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reporter_email_index", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_complaints_reporter_email_index"), ["reporter_email_index"], unique=False
        )
    op.create_table(
        "privacy_audit_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("checked_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("is_intact", sa.Boolean(), nullable=False),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("broken_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("alarmed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_audit_checks")),
    )
    op.create_index(
        op.f("ix_privacy_audit_checks_checked_at"),
        "privacy_audit_checks",
        ["checked_at"],
        unique=False,
    )
    op.create_table(
        "privacy_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _choice("requestkind", "export", "erase"), nullable=False),
        sa.Column("lookup", _choice("lookup", "tracking", "contact", "user"), nullable=False),
        sa.Column("subject_index", sa.String(length=64), nullable=False),
        sa.Column("channel", _choice("channel", "cli", "console", "self_service"), nullable=False),
        sa.Column("requested_by", sa.String(length=160), nullable=False),
        sa.Column("requested_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("handled_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", _choice("outcome", "done", "nothing_found"), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("fields_erased", sa.Integer(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_requests")),
    )
    op.create_index(
        "ix_privacy_requests_subject",
        "privacy_requests",
        ["subject_index", "requested_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_privacy_requests_subject", table_name="privacy_requests")
    op.drop_table("privacy_requests")
    op.drop_index(op.f("ix_privacy_audit_checks_checked_at"), table_name="privacy_audit_checks")
    op.drop_table("privacy_audit_checks")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaints_reporter_email_index"))
        batch_op.drop_column("reporter_email_index")
