"""analytics: forecast

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.db

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "an_forecast_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("datastream_id", sa.Integer(), nullable=False),
        sa.Column("forecast_datastream_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=60), nullable=False),
        sa.Column("fitted_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("record_start", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("record_end", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("mean_level", sa.Float(), nullable=False),
        sa.Column("constituents", sa.JSON(), nullable=False),
        sa.Column("inferred", sa.JSON(), nullable=False),
        sa.Column("rain", sa.JSON(), nullable=False),
        sa.Column("ar_phi", sa.Float(), nullable=False),
        sa.Column("innovation_std", sa.Float(), nullable=False),
        sa.Column("quantiles", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["datastream_id"],
            ["sensor_datastreams.id"],
            name=op.f("fk_an_forecast_models_datastream_id_sensor_datastreams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["forecast_datastream_id"],
            ["sensor_datastreams.id"],
            name=op.f("fk_an_forecast_models_forecast_datastream_id_sensor_datastreams"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_an_forecast_models")),
        sa.UniqueConstraint(
            "datastream_id", "version", name=op.f("uq_an_forecast_models_datastream_id_version")
        ),
    )
    with op.batch_alter_table("an_forecast_models", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_an_forecast_models_datastream_id"), ["datastream_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("an_forecast_models", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_an_forecast_models_datastream_id"))
    op.drop_table("an_forecast_models")
