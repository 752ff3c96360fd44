"""assets: ICT infrastructure and the software catalogue

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "asset_sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "pusat_data",
                "command_center",
                "kantor_pd",
                "pop",
                "menara",
                name="sitekind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("kelurahan_kode", sa.String(length=13), nullable=True),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["kelurahan_kode"],
            ["kelurahan.kode"],
            name=op.f("fk_asset_sites_kelurahan_kode_kelurahan"),
        ),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_asset_sites_pd_kode_perangkat_daerah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_sites")),
        sa.UniqueConstraint("code", name=op.f("uq_asset_sites_code")),
    )
    with op.batch_alter_table("asset_sites", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_asset_sites_kelurahan_kode"), ["kelurahan_kode"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_asset_sites_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_asset_sites_pd_kode"), ["pd_kode"], unique=False)
    op.create_table(
        "asset_infrastructure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "server",
                "perangkat_jaringan",
                "pusat_data",
                "serat_optik",
                "command_center",
                "langganan_bandwidth",
                "lainnya",
                name="infrakind",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "direncanakan",
                "aktif",
                "pemeliharaan",
                "rusak",
                "dihapus",
                name="infrastatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("rack", sa.String(length=80), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("kelurahan_kode", sa.String(length=13), nullable=True),
        sa.Column("route", sa.Text(), nullable=True),
        sa.Column("manufacturer", sa.String(length=120), nullable=True),
        sa.Column("model_name", sa.String(length=120), nullable=True),
        sa.Column("serial_number", sa.String(length=120), nullable=True),
        sa.Column("acquired_on", sa.Date(), nullable=True),
        sa.Column("value_rp", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("warranty_until", sa.Date(), nullable=True),
        sa.Column("end_of_life_on", sa.Date(), nullable=True),
        sa.Column("provider", sa.String(length=120), nullable=True),
        sa.Column("bandwidth_mbps", sa.Integer(), nullable=True),
        sa.Column("contract_end_on", sa.Date(), nullable=True),
        sa.Column("monitor_host", sa.String(length=253), nullable=True),
        sa.Column("monitor_port", sa.Integer(), nullable=True),
        sa.Column("last_check_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_check_ok", sa.Boolean(), nullable=True),
        sa.Column("last_latency_ms", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["kelurahan_kode"],
            ["kelurahan.kode"],
            name=op.f("fk_asset_infrastructure_kelurahan_kode_kelurahan"),
        ),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_asset_infrastructure_pd_kode_perangkat_daerah"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["asset_sites.id"],
            name=op.f("fk_asset_infrastructure_site_id_asset_sites"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_infrastructure")),
        sa.UniqueConstraint("code", name=op.f("uq_asset_infrastructure_code")),
    )
    with op.batch_alter_table("asset_infrastructure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_asset_infrastructure_contract_end_on"), ["contract_end_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_asset_infrastructure_end_of_life_on"), ["end_of_life_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_asset_infrastructure_kelurahan_kode"), ["kelurahan_kode"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_asset_infrastructure_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_asset_infrastructure_pd_kode"), ["pd_kode"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_asset_infrastructure_site_id"), ["site_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_asset_infrastructure_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_asset_infrastructure_warranty_until"), ["warranty_until"], unique=False
        )
    op.create_table(
        "asset_systems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "sistem_informasi",
                "sistem_operasi",
                "aplikasi",
                "utilitas",
                "basis_data",
                name="softwarecategory",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("users", sa.String(length=200), nullable=True),
        sa.Column("user_groups", sa.Text(), nullable=True),
        sa.Column("spbe_domains", sa.Text(), nullable=True),
        sa.Column(
            "service_type",
            sa.Enum(
                "administrasi_pemerintahan",
                "layanan_publik",
                name="servicetype",
                native_enum=False,
                length=30,
            ),
            nullable=True,
        ),
        sa.Column(
            "hosting",
            sa.Enum(
                "pusat_data_kota",
                "pdn",
                "cloud_pihak_ketiga",
                "server_pd",
                "saas",
                name="hosting",
                native_enum=False,
                length=30,
            ),
            nullable=True,
        ),
        sa.Column("hosting_asset_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=300), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pengembangan",
                "produksi",
                "dihentikan",
                name="systemstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.String(length=60), nullable=True),
        sa.Column("vendor", sa.String(length=160), nullable=True),
        sa.Column("data_held", sa.Text(), nullable=True),
        sa.Column(
            "classification",
            sa.Enum(
                "publik", "terbatas", "rahasia", name="classification", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("personal_data", sa.Boolean(), nullable=False),
        sa.Column("apis_offered", sa.Text(), nullable=True),
        sa.Column("standards", sa.Text(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["hosting_asset_id"],
            ["asset_infrastructure.id"],
            name=op.f("fk_asset_systems_hosting_asset_id_asset_infrastructure"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_asset_systems_pd_kode_perangkat_daerah"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_systems")),
        sa.UniqueConstraint("code", name=op.f("uq_asset_systems_code")),
    )
    with op.batch_alter_table("asset_systems", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_asset_systems_category"), ["category"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_asset_systems_hosting_asset_id"), ["hosting_asset_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_asset_systems_pd_kode"), ["pd_kode"], unique=False)
        batch_op.create_index(batch_op.f("ix_asset_systems_status"), ["status"], unique=False)
    op.create_table(
        "asset_integrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "api",
                "splp",
                "file",
                "db_link",
                "message_bus",
                name="integrationmethod",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "standard",
            sa.Enum(
                "rest_json",
                "soap",
                "openapi",
                "open311",
                "sensorthings",
                "ckan_api",
                "cap",
                "splp",
                "ogc_wms_wfs",
                "mqtt",
                "onvif",
                "file_exchange",
                name="standard",
                native_enum=False,
                length=30,
            ),
            nullable=True,
        ),
        sa.Column("data_exchanged", sa.Text(), nullable=True),
        sa.Column(
            "direction",
            sa.Enum("satu_arah", "dua_arah", name="direction", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "direncanakan",
                "aktif",
                "nonaktif",
                name="integrationstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("pd_kode", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_asset_integrations_pd_kode_perangkat_daerah"),
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["asset_systems.id"],
            name=op.f("fk_asset_integrations_source_id_asset_systems"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["asset_systems.id"],
            name=op.f("fk_asset_integrations_target_id_asset_systems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset_integrations")),
        sa.UniqueConstraint("code", name=op.f("uq_asset_integrations_code")),
    )
    with op.batch_alter_table("asset_integrations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_asset_integrations_pd_kode"), ["pd_kode"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_asset_integrations_source_id"), ["source_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_asset_integrations_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_asset_integrations_target_id"), ["target_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("asset_integrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_integrations_target_id"))
        batch_op.drop_index(batch_op.f("ix_asset_integrations_status"))
        batch_op.drop_index(batch_op.f("ix_asset_integrations_source_id"))
        batch_op.drop_index(batch_op.f("ix_asset_integrations_pd_kode"))
    op.drop_table("asset_integrations")
    with op.batch_alter_table("asset_systems", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_systems_status"))
        batch_op.drop_index(batch_op.f("ix_asset_systems_pd_kode"))
        batch_op.drop_index(batch_op.f("ix_asset_systems_hosting_asset_id"))
        batch_op.drop_index(batch_op.f("ix_asset_systems_category"))
    op.drop_table("asset_systems")
    with op.batch_alter_table("asset_infrastructure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_infrastructure_warranty_until"))
        batch_op.drop_index(batch_op.f("ix_asset_infrastructure_status"))
        batch_op.drop_index(batch_op.f("ix_asset_infrastructure_site_id"))
        batch_op.drop_index(batch_op.f("ix_asset_infrastructure_pd_kode"))
        batch_op.drop_index(batch_op.f("ix_asset_infrastructure_kind"))
        batch_op.drop_index(batch_op.f("ix_asset_infrastructure_kelurahan_kode"))
        batch_op.drop_index(batch_op.f("ix_asset_infrastructure_end_of_life_on"))
        batch_op.drop_index(batch_op.f("ix_asset_infrastructure_contract_end_on"))
    op.drop_table("asset_infrastructure")
    with op.batch_alter_table("asset_sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_asset_sites_pd_kode"))
        batch_op.drop_index(batch_op.f("ix_asset_sites_kind"))
        batch_op.drop_index(batch_op.f("ix_asset_sites_kelurahan_kode"))
    op.drop_table("asset_sites")
