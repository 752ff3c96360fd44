"""assessments: information-system assessment templates, assessments, findings

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.db

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "assessment_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_templates")),
        sa.UniqueConstraint("code", name=op.f("uq_assessment_templates_code")),
    )
    op.create_table(
        "assessment_template_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column(
            "area",
            sa.Enum(
                "kerahasiaan",
                "integritas",
                "ketersediaan",
                "interoperabilitas",
                "pelindungan_data",
                "tata_kelola",
                name="assessmentarea",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("guidance", sa.Text(), nullable=True),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("evidence_expected", sa.Boolean(), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["assessment_templates.id"],
            name=op.f("fk_assessment_template_items_template_id_assessment_templates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_template_items")),
        sa.UniqueConstraint(
            "template_id", "code", name=op.f("uq_assessment_template_items_template_id_code")
        ),
    )
    with op.batch_alter_table("assessment_template_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_template_items_template_id"), ["template_id"], unique=False
        )

    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("assessor", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draf",
                "berlangsung",
                "selesai",
                name="assessmentstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column(
            "rating",
            sa.Enum(
                "baik", "cukup", "kurang", "buruk", name="rating", native_enum=False, length=20
            ),
            nullable=True,
        ),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["system_id"],
            ["asset_systems.id"],
            name=op.f("fk_assessments_system_id_asset_systems"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["assessment_templates.id"],
            name=op.f("fk_assessments_template_id_assessment_templates"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessments_assessed_on"), ["assessed_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessments_system_id"), ["system_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assessments_template_id"), ["template_id"], unique=False
        )

    op.create_table(
        "assessment_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column(
            "answer",
            sa.Enum(
                "memenuhi",
                "sebagian",
                "tidak_memenuhi",
                "tidak_berlaku",
                name="answer",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("evidence", sa.String(length=300), nullable=False),
        sa.Column("answered_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_answers_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["assessment_template_items.id"],
            name=op.f("fk_assessment_answers_item_id_assessment_template_items"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_answers")),
        sa.UniqueConstraint(
            "assessment_id", "item_id", name=op.f("uq_assessment_answers_assessment_id_item_id")
        ),
    )
    with op.batch_alter_table("assessment_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_answers_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_answers_item_id"), ["item_id"], unique=False
        )

    op.create_table(
        "assessment_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=20), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "area",
            sa.Enum(
                "kerahasiaan",
                "integritas",
                "ketersediaan",
                "interoperabilitas",
                "pelindungan_data",
                "tata_kelola",
                name="assessmentarea",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column(
            "severity",
            sa.Enum(
                "rendah",
                "sedang",
                "tinggi",
                "kritis",
                name="severity",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("owner_pd", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "terbuka",
                "ditangani",
                "selesai",
                "risiko_diterima",
                name="findingstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("remediation", sa.Text(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_findings_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_pd"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_assessment_findings_owner_pd_perangkat_daerah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_findings")),
    )
    with op.batch_alter_table("assessment_findings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_findings_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_findings_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assessment_findings_owner_pd"), ["owner_pd"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_findings_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assessment_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_findings_status"))
        batch_op.drop_index(batch_op.f("ix_assessment_findings_owner_pd"))
        batch_op.drop_index(batch_op.f("ix_assessment_findings_due_on"))
        batch_op.drop_index(batch_op.f("ix_assessment_findings_assessment_id"))

    op.drop_table("assessment_findings")
    with op.batch_alter_table("assessment_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_answers_item_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_answers_assessment_id"))

    op.drop_table("assessment_answers")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_template_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_system_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_assessed_on"))

    op.drop_table("assessments")
    with op.batch_alter_table("assessment_template_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_template_items_template_id"))

    op.drop_table("assessment_template_items")
    op.drop_table("assessment_templates")
