"""institutions: council, technical team, partnerships, capacity building, certifications, experts

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.crypto
import pontive.core.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inst_decrees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "dewan", "tim_teknis", "lainnya", name="decreekind", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_decrees")),
        sa.UniqueConstraint("number", name=op.f("uq_inst_decrees_number")),
    )
    op.create_table(
        "inst_duties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "body",
            sa.Enum("dewan", "tim_teknis", name="body", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("pasal", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_duties")),
    )
    with op.batch_alter_table("inst_duties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inst_duties_body"), ["body"], unique=False)
    op.create_table(
        "inst_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("agenda", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("coordination_code", sa.String(length=20), nullable=True),
        sa.Column("attendees", sa.Text(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_meetings")),
    )
    with op.batch_alter_table("inst_meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inst_meetings_held_at"), ["held_at"], unique=False)
    op.create_table(
        "inst_council_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "element",
            sa.Enum(
                "pemerintah",
                "akademisi",
                "masyarakat",
                "dunia_usaha",
                name="councilelement",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "position",
            sa.Enum(
                "ketua",
                "wakil_ketua",
                "sekretaris",
                "anggota",
                name="councilposition",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("decree_id", sa.Integer(), nullable=True),
        sa.Column("term_starts_on", sa.Date(), nullable=False),
        sa.Column("term_ends_on", sa.Date(), nullable=True),
        sa.Column("email", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column("phone", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["decree_id"],
            ["inst_decrees.id"],
            name=op.f("fk_inst_council_members_decree_id_inst_decrees"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_council_members")),
    )
    with op.batch_alter_table("inst_council_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inst_council_members_decree_id"), ["decree_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inst_council_members_element"), ["element"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inst_council_members_term_ends_on"), ["term_ends_on"], unique=False
        )
    op.create_table(
        "inst_capacity_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "pelatihan",
                "bimtek",
                "magang",
                "sosialisasi",
                name="capacitykind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("materials", sa.Text(), nullable=True),
        sa.Column("evaluation_score", sa.Numeric(precision=3, scale=1), nullable=True),
        sa.Column("evaluation_notes", sa.Text(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_inst_capacity_events_pd_kode_perangkat_daerah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_capacity_events")),
    )
    with op.batch_alter_table("inst_capacity_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inst_capacity_events_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inst_capacity_events_pd_kode"), ["pd_kode"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inst_capacity_events_starts_on"), ["starts_on"], unique=False
        )
    op.create_table(
        "inst_certifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("holder_name", sa.String(length=200), nullable=False),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("certificate", sa.String(length=200), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "nasional", "internasional", name="certificationlevel", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("number", sa.String(length=100), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_inst_certifications_pd_kode_perangkat_daerah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_certifications")),
    )
    with op.batch_alter_table("inst_certifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inst_certifications_expires_on"), ["expires_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inst_certifications_pd_kode"), ["pd_kode"], unique=False
        )
    op.create_table(
        "inst_experts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("expertise", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=True),
        sa.Column("contract_number", sa.String(length=100), nullable=False),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_inst_experts_pd_kode_perangkat_daerah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_experts")),
        sa.UniqueConstraint("contract_number", name=op.f("uq_inst_experts_contract_number")),
    )
    with op.batch_alter_table("inst_experts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inst_experts_ends_on"), ["ends_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_inst_experts_pd_kode"), ["pd_kode"], unique=False)
    op.create_table(
        "inst_partnerships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "g2b",
                "g2c",
                "g2g",
                "perguruan_tinggi",
                "badan_usaha",
                name="partnershipkind",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("parties", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draf",
                "aktif",
                "berakhir",
                "dihentikan",
                name="partnershipstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_inst_partnerships_pd_kode_perangkat_daerah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_partnerships")),
        sa.UniqueConstraint("number", name=op.f("uq_inst_partnerships_number")),
    )
    with op.batch_alter_table("inst_partnerships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inst_partnerships_ends_on"), ["ends_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_inst_partnerships_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_inst_partnerships_pd_kode"), ["pd_kode"], unique=False)
        batch_op.create_index(batch_op.f("ix_inst_partnerships_status"), ["status"], unique=False)
    op.create_table(
        "inst_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("addressed_to", sa.String(length=20), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "diajukan",
                "ditindaklanjuti",
                "selesai",
                "ditolak",
                name="recommendationstatus",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("programme_code", sa.String(length=40), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["addressed_to"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_inst_recommendations_addressed_to_perangkat_daerah"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["inst_meetings.id"],
            name=op.f("fk_inst_recommendations_meeting_id_inst_meetings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_recommendations")),
        sa.UniqueConstraint("number", name=op.f("uq_inst_recommendations_number")),
    )
    with op.batch_alter_table("inst_recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inst_recommendations_addressed_to"), ["addressed_to"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inst_recommendations_due_on"), ["due_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inst_recommendations_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inst_recommendations_status"), ["status"], unique=False
        )
    op.create_table(
        "inst_team_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("person_name", sa.String(length=200), nullable=True),
        sa.Column(
            "team_position",
            sa.Enum(
                "pengarah",
                "ketua",
                "sekretaris",
                "koordinator",
                "anggota",
                name="teamposition",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("duties", sa.Text(), nullable=True),
        sa.Column("decree_id", sa.Integer(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["decree_id"],
            ["inst_decrees.id"],
            name=op.f("fk_inst_team_members_decree_id_inst_decrees"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_inst_team_members_pd_kode_perangkat_daerah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_team_members")),
    )
    with op.batch_alter_table("inst_team_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inst_team_members_decree_id"), ["decree_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inst_team_members_pd_kode"), ["pd_kode"], unique=False)
    op.create_table(
        "inst_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("nip", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=True),
        sa.Column("attended", sa.Boolean(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["inst_capacity_events.id"],
            name=op.f("fk_inst_participants_event_id_inst_capacity_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_inst_participants_pd_kode_perangkat_daerah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_participants")),
    )
    with op.batch_alter_table("inst_participants", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inst_participants_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inst_participants_pd_kode"), ["pd_kode"], unique=False)
    op.create_table(
        "inst_transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("recipient_pd", sa.String(length=20), nullable=False),
        sa.Column("participant_count", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["expert_id"],
            ["inst_experts.id"],
            name=op.f("fk_inst_transfers_expert_id_inst_experts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_pd"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_inst_transfers_recipient_pd_perangkat_daerah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inst_transfers")),
    )
    with op.batch_alter_table("inst_transfers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inst_transfers_expert_id"), ["expert_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inst_transfers_held_on"), ["held_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inst_transfers_recipient_pd"), ["recipient_pd"], unique=False
        )


def downgrade() -> None:
    # Dropping a table drops its indexes; children before the tables they point to.
    op.drop_table("inst_transfers")
    op.drop_table("inst_participants")
    op.drop_table("inst_team_members")
    op.drop_table("inst_recommendations")
    op.drop_table("inst_partnerships")
    op.drop_table("inst_experts")
    op.drop_table("inst_certifications")
    op.drop_table("inst_capacity_events")
    op.drop_table("inst_council_members")
    op.drop_table("inst_meetings")
    op.drop_table("inst_duties")
    op.drop_table("inst_decrees")
