"""masterplan: the masterplan and its versions, programmes, activities, indicators, realisation
with evidence, evaluation frameworks, evaluations and the council's recommendations

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 06:45:44.679419
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.crypto
import pontive.core.db

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mp_frameworks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mp_frameworks")),
        sa.UniqueConstraint("kind", "version", name=op.f("uq_mp_frameworks_kind_version")),
    )
    op.create_table(
        "mp_masterplans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mp_masterplans")),
    )
    op.create_table(
        "mp_evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "reviewed",
                "approved",
                "sent",
                name="evaluationstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("framework_id", sa.Integer(), nullable=True),
        sa.Column("spbe_framework_id", sa.Integer(), nullable=True),
        sa.Column("aspect_scores", sa.JSON(), nullable=False),
        sa.Column("spbe_levels", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("issues", sa.Text(), nullable=False),
        sa.Column("letter_number", sa.String(length=120), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.String(length=200), nullable=True),
        sa.Column("approved_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("report_key", sa.String(length=200), nullable=True),
        sa.Column("report_sha256", sa.String(length=64), nullable=True),
        sa.Column("published_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["mp_frameworks.id"],
            name=op.f("fk_mp_evaluations_framework_id_mp_frameworks"),
        ),
        sa.ForeignKeyConstraint(
            ["spbe_framework_id"],
            ["mp_frameworks.id"],
            name=op.f("fk_mp_evaluations_spbe_framework_id_mp_frameworks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mp_evaluations")),
        sa.UniqueConstraint("year", name=op.f("uq_mp_evaluations_year")),
    )
    op.create_table(
        "mp_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("masterplan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "reviewed",
                "adopted",
                "superseded",
                name="versionstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("change_note", sa.Text(), nullable=False),
        sa.Column("regulation_number", sa.String(length=120), nullable=True),
        sa.Column("drafted_by", sa.String(length=200), nullable=False),
        sa.Column("drafted_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("adopted_by", sa.String(length=200), nullable=True),
        sa.Column("adopted_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["masterplan_id"],
            ["mp_masterplans.id"],
            name=op.f("fk_mp_versions_masterplan_id_mp_masterplans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mp_versions")),
        sa.UniqueConstraint(
            "masterplan_id", "number", name=op.f("uq_mp_versions_masterplan_id_number")
        ),
    )
    op.create_table(
        "mp_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("dimensi_kode", sa.String(length=20), nullable=False),
        sa.Column("prioritas_kode", sa.String(length=24), nullable=True),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("kelurahan_kodes", sa.JSON(), nullable=False),
        sa.Column("dataset_names", sa.JSON(), nullable=False),
        sa.Column("idea_refs", sa.JSON(), nullable=False),
        sa.Column("is_quick_win", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dimensi_kode"], ["dimensi.kode"], name=op.f("fk_mp_programmes_dimensi_kode_dimensi")
        ),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_mp_programmes_pd_kode_perangkat_daerah"),
        ),
        sa.ForeignKeyConstraint(
            ["prioritas_kode"],
            ["arah_prioritas.kode"],
            name=op.f("fk_mp_programmes_prioritas_kode_arah_prioritas"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mp_programmes")),
        sa.UniqueConstraint("code", name=op.f("uq_mp_programmes_code")),
    )
    with op.batch_alter_table("mp_programmes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mp_programmes_dimensi_kode"), ["dimensi_kode"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mp_programmes_pd_kode"), ["pd_kode"], unique=False)

    op.create_table(
        "mp_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=True),
        sa.Column("dimensi_kode", sa.String(length=20), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("addressed_to", sa.String(length=20), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "in_progress",
                "done",
                "declined",
                name="recommendationstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["addressed_to"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_mp_recommendations_addressed_to_perangkat_daerah"),
        ),
        sa.ForeignKeyConstraint(
            ["dimensi_kode"],
            ["dimensi.kode"],
            name=op.f("fk_mp_recommendations_dimensi_kode_dimensi"),
        ),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["mp_evaluations.id"],
            name=op.f("fk_mp_recommendations_evaluation_id_mp_evaluations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mp_recommendations")),
    )
    with op.batch_alter_table("mp_recommendations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mp_recommendations_year"), ["year"], unique=False)

    op.create_table(
        "mp_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("kelurahan_kodes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_mp_activities_pd_kode_perangkat_daerah"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["mp_programmes.id"],
            name=op.f("fk_mp_activities_programme_id_mp_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mp_activities")),
        sa.UniqueConstraint("code", name=op.f("uq_mp_activities_code")),
    )
    with op.batch_alter_table("mp_activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mp_activities_pd_kode"), ["pd_kode"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mp_activities_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "mp_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name_id", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column(
            "direction",
            sa.Enum("higher", "lower", "band", name="direction", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("band_low", sa.Float(), nullable=True),
        sa.Column("band_high", sa.Float(), nullable=True),
        sa.Column("band_tolerance", sa.Float(), nullable=True),
        sa.Column("green_at", sa.Float(), nullable=False),
        sa.Column("amber_at", sa.Float(), nullable=False),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("konsep", sa.Text(), nullable=False),
        sa.Column("definisi", sa.Text(), nullable=False),
        sa.Column("metode", sa.Text(), nullable=False),
        sa.Column("sumber", sa.Text(), nullable=False),
        sa.Column("frekuensi", sa.String(length=40), nullable=False),
        sa.Column(
            "source_kind",
            sa.Enum("manual", "dataset", "live", name="sourcekind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("live_metric", sa.String(length=60), nullable=True),
        sa.Column("source_params", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["mp_activities.id"],
            name=op.f("fk_mp_indicators_activity_id_mp_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_mp_indicators_pd_kode_perangkat_daerah"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["mp_programmes.id"],
            name=op.f("fk_mp_indicators_programme_id_mp_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mp_indicators")),
        sa.UniqueConstraint("code", name=op.f("uq_mp_indicators_code")),
    )
    with op.batch_alter_table("mp_indicators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mp_indicators_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_mp_indicators_pd_kode"), ["pd_kode"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_mp_indicators_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "mp_indicator_targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["mp_indicators.id"],
            name=op.f("fk_mp_indicator_targets_indicator_id_mp_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mp_indicator_targets")),
        sa.UniqueConstraint(
            "indicator_id", "year", name=op.f("uq_mp_indicator_targets_indicator_id_year")
        ),
    )
    op.create_table(
        "mp_realisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period_date", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "submitted",
                "verified",
                "rejected",
                "superseded",
                name="realisationstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum(
                "web", "import", "api", "live", name="entrysource", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("pd_kode", sa.String(length=20), nullable=True),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("entered_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("verified_by", sa.String(length=200), nullable=True),
        sa.Column("verified_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("import_batch", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["mp_indicators.id"],
            name=op.f("fk_mp_realisations_indicator_id_mp_indicators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["mp_realisations.id"],
            name=op.f("fk_mp_realisations_replaces_id_mp_realisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mp_realisations")),
    )
    with op.batch_alter_table("mp_realisations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mp_realisations_import_batch"), ["import_batch"], unique=False
        )
        batch_op.create_index(
            "ix_mp_realisations_indicator_date", ["indicator_id", "period_date"], unique=False
        )

    op.create_table(
        "mp_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("realisation_id", sa.Integer(), nullable=False),
        sa.Column("media_key", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["realisation_id"],
            ["mp_realisations.id"],
            name=op.f("fk_mp_evidence_realisation_id_mp_realisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mp_evidence")),
    )
    with op.batch_alter_table("mp_evidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mp_evidence_realisation_id"), ["realisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mp_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mp_evidence_realisation_id"))

    op.drop_table("mp_evidence")
    with op.batch_alter_table("mp_realisations", schema=None) as batch_op:
        batch_op.drop_index("ix_mp_realisations_indicator_date")
        batch_op.drop_index(batch_op.f("ix_mp_realisations_import_batch"))

    op.drop_table("mp_realisations")
    op.drop_table("mp_indicator_targets")
    with op.batch_alter_table("mp_indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mp_indicators_programme_id"))
        batch_op.drop_index(batch_op.f("ix_mp_indicators_pd_kode"))
        batch_op.drop_index(batch_op.f("ix_mp_indicators_activity_id"))

    op.drop_table("mp_indicators")
    with op.batch_alter_table("mp_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mp_activities_programme_id"))
        batch_op.drop_index(batch_op.f("ix_mp_activities_pd_kode"))

    op.drop_table("mp_activities")
    with op.batch_alter_table("mp_recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mp_recommendations_year"))

    op.drop_table("mp_recommendations")
    with op.batch_alter_table("mp_programmes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mp_programmes_pd_kode"))
        batch_op.drop_index(batch_op.f("ix_mp_programmes_dimensi_kode"))

    op.drop_table("mp_programmes")
    op.drop_table("mp_versions")
    op.drop_table("mp_evaluations")
    op.drop_table("mp_masterplans")
    op.drop_table("mp_frameworks")
