"""wifi: public Wi-Fi hotspots and stakeholders' technology

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.crypto
import pontive.core.db

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stakeholder_technologies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column(
            "stakeholder_kind",
            sa.Enum(
                "badan_usaha",
                "bumn_bumd",
                "perguruan_tinggi",
                "komunitas",
                "lembaga_masyarakat",
                "perorangan",
                name="stakeholderkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "technology_kind",
            sa.Enum(
                "sensor",
                "aplikasi",
                "jaringan",
                "perangkat_iot",
                "lainnya",
                name="technologykind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("kelurahan_kode", sa.String(length=13), nullable=True),
        sa.Column("coverage", sa.String(length=200), nullable=True),
        sa.Column("website", sa.String(length=200), nullable=True),
        sa.Column("contact_name", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column("contact_phone", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column("contact_email", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "diajukan",
                "diverifikasi",
                "aktif",
                "berakhir",
                "ditolak",
                name="technologystatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("is_public", sa.Boolean(), nullable=False),
        sa.Column("verified_by", sa.String(length=200), nullable=True),
        sa.Column("verified_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["kelurahan_kode"],
            ["kelurahan.kode"],
            name=op.f("fk_stakeholder_technologies_kelurahan_kode_kelurahan"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder_technologies")),
    )

    with op.batch_alter_table("stakeholder_technologies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stakeholder_technologies_kelurahan_kode"),
            ["kelurahan_kode"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_stakeholder_technologies_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stakeholder_technologies_technology_kind"),
            ["technology_kind"],
            unique=False,
        )

    op.create_table(
        "wifi_hotspots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "provider_kind",
            sa.Enum(
                "pemerintah_kota",
                "operator_seluler",
                "swasta",
                "komunitas",
                "perguruan_tinggi",
                name="providerkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("provider_name", sa.String(length=200), nullable=False),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("kelurahan_kode", sa.String(length=13), nullable=True),
        sa.Column("address", sa.String(length=250), nullable=True),
        sa.Column("hours", sa.String(length=80), nullable=True),
        sa.Column("ssid", sa.String(length=32), nullable=True),
        sa.Column("bandwidth_mbps", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "aktif",
                "gangguan",
                "nonaktif",
                "direncanakan",
                name="hotspotstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("owner_pd", sa.String(length=20), nullable=True),
        sa.Column("contact", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column("last_report_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("open_reports", sa.Integer(), nullable=False),
        sa.Column("status_by_reports", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["kelurahan_kode"],
            ["kelurahan.kode"],
            name=op.f("fk_wifi_hotspots_kelurahan_kode_kelurahan"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_pd"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_wifi_hotspots_owner_pd_perangkat_daerah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wifi_hotspots")),
        sa.UniqueConstraint("code", name=op.f("uq_wifi_hotspots_code")),
    )

    with op.batch_alter_table("wifi_hotspots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wifi_hotspots_kelurahan_kode"), ["kelurahan_kode"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_wifi_hotspots_owner_pd"), ["owner_pd"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_wifi_hotspots_provider_kind"), ["provider_kind"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_wifi_hotspots_status"), ["status"], unique=False)

    op.create_table(
        "wifi_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hotspot_id", sa.Integer(), nullable=False),
        sa.Column("tracking_number", sa.String(length=30), nullable=False),
        sa.Column("problem", sa.String(length=40), nullable=False),
        sa.Column("reporter_key", sa.String(length=40), nullable=False),
        sa.Column("complaint_status", sa.String(length=30), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("reported_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("checked_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hotspot_id"],
            ["wifi_hotspots.id"],
            name=op.f("fk_wifi_reports_hotspot_id_wifi_hotspots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wifi_reports")),
        sa.UniqueConstraint("tracking_number", name=op.f("uq_wifi_reports_tracking_number")),
    )

    with op.batch_alter_table("wifi_reports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_wifi_reports_complaint_status"), ["complaint_status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_wifi_reports_hotspot_id"), ["hotspot_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_wifi_reports_is_open"), ["is_open"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_wifi_reports_reported_at"), ["reported_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("wifi_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wifi_reports_reported_at"))
        batch_op.drop_index(batch_op.f("ix_wifi_reports_is_open"))
        batch_op.drop_index(batch_op.f("ix_wifi_reports_hotspot_id"))
        batch_op.drop_index(batch_op.f("ix_wifi_reports_complaint_status"))
    op.drop_table("wifi_reports")
    with op.batch_alter_table("wifi_hotspots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wifi_hotspots_status"))
        batch_op.drop_index(batch_op.f("ix_wifi_hotspots_provider_kind"))
        batch_op.drop_index(batch_op.f("ix_wifi_hotspots_owner_pd"))
        batch_op.drop_index(batch_op.f("ix_wifi_hotspots_kelurahan_kode"))
    op.drop_table("wifi_hotspots")
    with op.batch_alter_table("stakeholder_technologies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_technologies_technology_kind"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_technologies_status"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_technologies_kelurahan_kode"))
    op.drop_table("stakeholder_technologies")
