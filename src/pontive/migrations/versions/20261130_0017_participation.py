"""participation: ideas, supports, comments, facility adoptions

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.crypto
import pontive.core.db

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "par_adoptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "taman",
                "drainase",
                "halte",
                "jalur_hijau",
                "lainnya",
                name="facilitykind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("kelurahan_kode", sa.String(length=20), nullable=True),
        sa.Column("plan", sa.Text(), nullable=True),
        sa.Column("volunteer_name", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column("group_name", sa.String(length=200), nullable=True),
        sa.Column("contact", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "diajukan",
                "disetujui",
                "berakhir",
                "ditolak",
                name="adoptionstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("notified_status", sa.String(length=20), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_par_adoptions")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_par_adoptions_idempotency_key")),
    )
    with op.batch_alter_table("par_adoptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_par_adoptions_kelurahan_kode"), ["kelurahan_kode"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_par_adoptions_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_par_adoptions_status"), ["status"], unique=False)
    op.create_table(
        "par_ideas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "dimensi_kode",
            sa.Enum(
                "governance",
                "branding",
                "economy",
                "living",
                "society",
                "environment",
                name="dimension",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("kelurahan_kode", sa.String(length=20), nullable=True),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column("author_name", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column("author_contact", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column("author_index", sa.String(length=64), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "menunggu",
                "terbit",
                "ditolak",
                "dijawab",
                "diwujudkan",
                "digabung",
                name="ideastatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("programme_code", sa.String(length=40), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("supports_count", sa.Integer(), nullable=False),
        sa.Column("published_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("notified_status", sa.String(length=20), nullable=True),
        sa.Column("answer_digest", sa.String(length=64), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["par_ideas.id"],
            name=op.f("fk_par_ideas_merged_into_id_par_ideas"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_par_ideas")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_par_ideas_idempotency_key")),
    )
    with op.batch_alter_table("par_ideas", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_par_ideas_author_index"), ["author_index"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_par_ideas_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_par_ideas_dimensi_kode"), ["dimensi_kode"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_par_ideas_kelurahan_kode"), ["kelurahan_kode"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_par_ideas_programme_code"), ["programme_code"], unique=False
        )
        batch_op.create_index(
            "ix_par_ideas_status_published", ["status", "published_at"], unique=False
        )
    op.create_table(
        "par_adoption_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("adoption_id", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column(
            "condition",
            sa.Enum(
                "baik", "perlu_perhatian", "rusak", name="condition", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("photo_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["adoption_id"],
            ["par_adoptions.id"],
            name=op.f("fk_par_adoption_reports_adoption_id_par_adoptions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_par_adoption_reports")),
    )
    with op.batch_alter_table("par_adoption_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_par_adoption_reports_adoption_id"), ["adoption_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_par_adoption_reports_condition"), ["condition"], unique=False
        )
    op.create_table(
        "par_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("display_name", sa.String(length=120), nullable=False),
        sa.Column(
            "status",
            sa.Enum("tampil", "disembunyikan", name="commentstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("hidden_reason", sa.Text(), nullable=True),
        sa.Column("contact_index", sa.String(length=64), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["par_ideas.id"],
            name=op.f("fk_par_comments_idea_id_par_ideas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_par_comments")),
    )
    with op.batch_alter_table("par_comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_par_comments_contact_index"), ["contact_index"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_par_comments_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index("ix_par_comments_idea_status", ["idea_id", "status"], unique=False)
    op.create_table(
        "par_supports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("contact_index", sa.String(length=64), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["par_ideas.id"],
            name=op.f("fk_par_supports_idea_id_par_ideas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_par_supports")),
        sa.UniqueConstraint(
            "idea_id", "contact_index", name=op.f("uq_par_supports_idea_id_contact_index")
        ),
    )
    with op.batch_alter_table("par_supports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_par_supports_contact_index"), ["contact_index"], unique=False
        )
    op.create_table(
        "par_verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("contact_index", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("masked_contact", sa.String(length=120), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("verified_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["par_ideas.id"],
            name=op.f("fk_par_verifications_idea_id_par_ideas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_par_verifications")),
        sa.UniqueConstraint("token", name=op.f("uq_par_verifications_token")),
    )
    with op.batch_alter_table("par_verifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_par_verifications_contact_created", ["contact_index", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("par_verifications", schema=None) as batch_op:
        batch_op.drop_index("ix_par_verifications_contact_created")
    op.drop_table("par_verifications")
    with op.batch_alter_table("par_supports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_par_supports_contact_index"))
    op.drop_table("par_supports")
    with op.batch_alter_table("par_comments", schema=None) as batch_op:
        batch_op.drop_index("ix_par_comments_idea_status")
        batch_op.drop_index(batch_op.f("ix_par_comments_created_at"))
        batch_op.drop_index(batch_op.f("ix_par_comments_contact_index"))
    op.drop_table("par_comments")
    with op.batch_alter_table("par_adoption_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_par_adoption_reports_condition"))
        batch_op.drop_index(batch_op.f("ix_par_adoption_reports_adoption_id"))
    op.drop_table("par_adoption_reports")
    with op.batch_alter_table("par_ideas", schema=None) as batch_op:
        batch_op.drop_index("ix_par_ideas_status_published")
        batch_op.drop_index(batch_op.f("ix_par_ideas_programme_code"))
        batch_op.drop_index(batch_op.f("ix_par_ideas_kelurahan_kode"))
        batch_op.drop_index(batch_op.f("ix_par_ideas_dimensi_kode"))
        batch_op.drop_index(batch_op.f("ix_par_ideas_created_at"))
        batch_op.drop_index(batch_op.f("ix_par_ideas_author_index"))
    op.drop_table("par_ideas")
    with op.batch_alter_table("par_adoptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_par_adoptions_status"))
        batch_op.drop_index(batch_op.f("ix_par_adoptions_kind"))
        batch_op.drop_index(batch_op.f("ix_par_adoptions_kelurahan_kode"))
    op.drop_table("par_adoptions")
