"""analytics: quality flags and watermarks

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.db

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "an_quality_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("datastream_id", sa.Integer(), nullable=False),
        sa.Column("thing_id", sa.Integer(), nullable=False),
        sa.Column("observation_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "spike",
                "stuck",
                "range",
                "drift",
                "gap",
                name="flagkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("period_start", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("period_end", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("is_ongoing", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open", "confirmed", "dismissed", name="flagstatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("reviewed_by", sa.String(length=120), nullable=True),
        sa.Column("reviewed_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["datastream_id"],
            ["sensor_datastreams.id"],
            name=op.f("fk_an_quality_flags_datastream_id_sensor_datastreams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["thing_id"],
            ["sensor_things.id"],
            name=op.f("fk_an_quality_flags_thing_id_sensor_things"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_an_quality_flags")),
        sa.UniqueConstraint(
            "datastream_id",
            "kind",
            "period_start",
            name=op.f("uq_an_quality_flags_datastream_id_kind_period_start"),
        ),
    )
    with op.batch_alter_table("an_quality_flags", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_an_quality_flags_datastream_id"), ["datastream_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_an_quality_flags_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_an_quality_flags_thing_id"), ["thing_id"], unique=False
        )
        batch_op.create_index(
            "ix_an_quality_flags_status_start", ["status", "period_start"], unique=False
        )
    op.create_table(
        "an_quality_watermarks",
        sa.Column("datastream_id", sa.Integer(), nullable=False),
        sa.Column("last_observation_id", sa.BigInteger(), nullable=False),
        sa.Column("drift_checked_until", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("checked_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["datastream_id"],
            ["sensor_datastreams.id"],
            name=op.f("fk_an_quality_watermarks_datastream_id_sensor_datastreams"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("datastream_id", name=op.f("pk_an_quality_watermarks")),
    )


def downgrade() -> None:
    op.drop_table("an_quality_watermarks")
    with op.batch_alter_table("an_quality_flags", schema=None) as batch_op:
        batch_op.drop_index("ix_an_quality_flags_status_start")
        batch_op.drop_index(batch_op.f("ix_an_quality_flags_thing_id"))
        batch_op.drop_index(batch_op.f("ix_an_quality_flags_kind"))
        batch_op.drop_index(batch_op.f("ix_an_quality_flags_datastream_id"))
    op.drop_table("an_quality_flags")
