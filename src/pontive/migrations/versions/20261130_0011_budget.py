"""budget: Smart City budget lines (Pasal 24) and their quarters

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 06:45:44.679419
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.crypto
import pontive.core.db

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "budget_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column(
            "source",
            sa.Enum("apbd", "lainnya", name="fundingsource", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("source_detail", sa.String(length=200), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "regulasi",
                "infrastruktur",
                "teknologi",
                "tenaga_ahli",
                "operasional",
                "sdm",
                "lainnya",
                name="category",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("kode_program", sa.String(length=40), nullable=False),
        sa.Column("kode_kegiatan", sa.String(length=40), nullable=False),
        sa.Column("kode_subkegiatan", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["mp_activities.id"],
            name=op.f("fk_budget_lines_activity_id_mp_activities"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_budget_lines_pd_kode_perangkat_daerah"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["mp_programmes.id"],
            name=op.f("fk_budget_lines_programme_id_mp_programmes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_lines")),
        sa.UniqueConstraint("year", "code", name=op.f("uq_budget_lines_year_code")),
    )
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_budget_lines_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_budget_lines_pd_kode"), ["pd_kode"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_budget_lines_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index("ix_budget_lines_year_category", ["year", "category"], unique=False)

    op.create_table(
        "budget_quarters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("planned", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("realised", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["budget_lines.id"],
            name=op.f("fk_budget_quarters_line_id_budget_lines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_quarters")),
        sa.UniqueConstraint("line_id", "quarter", name=op.f("uq_budget_quarters_line_id_quarter")),
    )


def downgrade() -> None:
    op.drop_table("budget_quarters")
    with op.batch_alter_table("budget_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_budget_lines_year_category")
        batch_op.drop_index(batch_op.f("ix_budget_lines_programme_id"))
        batch_op.drop_index(batch_op.f("ix_budget_lines_pd_kode"))
        batch_op.drop_index(batch_op.f("ix_budget_lines_activity_id"))

    op.drop_table("budget_lines")
