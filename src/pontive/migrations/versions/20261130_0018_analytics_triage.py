"""analytics: triage model versions and suggestions

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.db

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

URGENCY = ("tinggi", "sedang", "rendah")


def upgrade() -> None:
    op.create_table(
        "an_triage_models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("is_live", sa.Boolean(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("params_format", sa.String(length=40), nullable=False),
        sa.Column("params", sa.LargeBinary(), nullable=False),
        sa.Column("params_sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_an_triage_models")),
        sa.UniqueConstraint("version", name=op.f("uq_an_triage_models_version")),
    )
    with op.batch_alter_table("an_triage_models", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_an_triage_models_is_live"), ["is_live"], unique=False)
    op.create_table(
        "an_triage_suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(length=40), nullable=False),
        sa.Column("category_code", sa.String(length=40), nullable=False),
        sa.Column("category_probability", sa.Float(), nullable=False),
        sa.Column("alternatives", sa.JSON(), nullable=False),
        sa.Column("pd_kode", sa.String(length=40), nullable=True),
        sa.Column(
            "urgency",
            sa.Enum(*URGENCY, name="urgency", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("urgency_probability", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "decision",
            sa.Enum("accepted", "corrected", name="decision", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column("final_category_code", sa.String(length=40), nullable=True),
        sa.Column("final_pd_kode", sa.String(length=40), nullable=True),
        sa.Column(
            "final_urgency",
            sa.Enum(*URGENCY, name="urgency", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_an_triage_suggestions_complaint_id_complaints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_an_triage_suggestions")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_an_triage_suggestions_complaint_id")),
    )
    with op.batch_alter_table("an_triage_suggestions", schema=None) as batch_op:
        batch_op.create_index("ix_an_triage_suggestions_decided_at", ["decided_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_an_triage_suggestions_decision"), ["decision"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_an_triage_suggestions_model_version"), ["model_version"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("an_triage_suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_an_triage_suggestions_model_version"))
        batch_op.drop_index(batch_op.f("ix_an_triage_suggestions_decision"))
        batch_op.drop_index("ix_an_triage_suggestions_decided_at")
    op.drop_table("an_triage_suggestions")
    with op.batch_alter_table("an_triage_models", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_an_triage_models_is_live"))
    op.drop_table("an_triage_models")
