"""foundation: identity, audit, reference

Revision ID: 0001
Revises:
Create Date: 2026-11-29 11:11:34.255064

The audit table is append-only at the database level too: triggers refuse UPDATE and DELETE
(Perda 9/2022 Pasal 19; the hash chain catches whoever drops the triggers first).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import pontive.core.crypto
import pontive.core.db

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("object_type", sa.String(length=60), nullable=False),
        sa.Column("object_id", sa.String(length=80), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("before_digest", sa.String(length=64), nullable=True),
        sa.Column("after_digest", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_events_hash")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_action"), ["action"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_events_occurred_at"), ["occurred_at"], unique=False
        )

    op.create_table(
        "dimensi",
        sa.Column("kode", sa.String(length=20), nullable=False),
        sa.Column("urutan", sa.Integer(), nullable=False),
        sa.Column("huruf", sa.String(length=1), nullable=False),
        sa.Column("nama_id", sa.String(length=60), nullable=False),
        sa.Column("nama_en", sa.String(length=60), nullable=False),
        sa.Column("uraian_id", sa.Text(), nullable=False),
        sa.Column("uraian_en", sa.Text(), nullable=False),
        sa.Column("warna", sa.String(length=7), nullable=False),
        sa.PrimaryKeyConstraint("kode", name=op.f("pk_dimensi")),
    )
    op.create_table(
        "kecamatan",
        sa.Column("kode", sa.String(length=8), nullable=False),
        sa.Column("nama", sa.String(length=100), nullable=False),
        sa.Column("nama_umum", sa.String(length=100), nullable=False),
        sa.Column("kode_bps", sa.String(length=10), nullable=False),
        sa.Column("centroid_lon", sa.Float(), nullable=True),
        sa.Column("centroid_lat", sa.Float(), nullable=True),
        sa.Column("geometry", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("kode", name=op.f("pk_kecamatan")),
    )
    op.create_table(
        "perangkat_daerah",
        sa.Column("kode", sa.String(length=20), nullable=False),
        sa.Column("singkatan", sa.String(length=60), nullable=False),
        sa.Column("nama", sa.String(length=200), nullable=False),
        sa.Column("jenis", sa.String(length=20), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("kode", name=op.f("pk_perangkat_daerah")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "warga",
                "operator",
                "petugas_pd",
                "tim_teknis",
                "dewan",
                "walikota",
                "admin",
                name="role",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("pd_kode", sa.String(length=20), nullable=True),
        sa.Column("scopes", sa.Text(), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_api_keys_pd_kode_perangkat_daerah"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_api_keys_name")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_keys_pd_kode"), ["pd_kode"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_keys_prefix"), ["prefix"], unique=False)

    op.create_table(
        "arah_prioritas",
        sa.Column("kode", sa.String(length=24), nullable=False),
        sa.Column("dimensi_kode", sa.String(length=20), nullable=False),
        sa.Column("huruf", sa.String(length=1), nullable=False),
        sa.Column("nama_id", sa.Text(), nullable=False),
        sa.Column("nama_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dimensi_kode"], ["dimensi.kode"], name=op.f("fk_arah_prioritas_dimensi_kode_dimensi")
        ),
        sa.PrimaryKeyConstraint("kode", name=op.f("pk_arah_prioritas")),
    )
    with op.batch_alter_table("arah_prioritas", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_arah_prioritas_dimensi_kode"), ["dimensi_kode"], unique=False
        )

    op.create_table(
        "kelurahan",
        sa.Column("kode", sa.String(length=13), nullable=False),
        sa.Column("kecamatan_kode", sa.String(length=8), nullable=False),
        sa.Column("nama", sa.String(length=100), nullable=False),
        sa.Column("nama_umum", sa.String(length=100), nullable=False),
        sa.Column("kode_bps", sa.String(length=12), nullable=False),
        sa.Column("centroid_lon", sa.Float(), nullable=True),
        sa.Column("centroid_lat", sa.Float(), nullable=True),
        sa.Column("geometry", sa.Text(), nullable=True),
        sa.Column("boundary_loaded_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["kecamatan_kode"],
            ["kecamatan.kode"],
            name=op.f("fk_kelurahan_kecamatan_kode_kecamatan"),
        ),
        sa.PrimaryKeyConstraint("kode", name=op.f("pk_kelurahan")),
    )
    with op.batch_alter_table("kelurahan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kelurahan_kecamatan_kode"), ["kecamatan_kode"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", pontive.core.crypto.EncryptedText(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "warga",
                "operator",
                "petugas_pd",
                "tim_teknis",
                "dewan",
                "walikota",
                "admin",
                name="role",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("pd_kode", sa.String(length=20), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["pd_kode"],
            ["perangkat_daerah.kode"],
            name=op.f("fk_users_pd_kode_perangkat_daerah"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_pd_kode"), ["pd_kode"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", pontive.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", pontive.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)
    _protect_audit_table()


def downgrade() -> None:
    _unprotect_audit_table()
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_pd_kode"))

    op.drop_table("users")
    with op.batch_alter_table("kelurahan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kelurahan_kecamatan_kode"))

    op.drop_table("kelurahan")
    with op.batch_alter_table("arah_prioritas", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_arah_prioritas_dimensi_kode"))

    op.drop_table("arah_prioritas")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_keys_prefix"))
        batch_op.drop_index(batch_op.f("ix_api_keys_pd_kode"))

    op.drop_table("api_keys")
    op.drop_table("perangkat_daerah")
    op.drop_table("kecamatan")
    op.drop_table("dimensi")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_events_action"))

    op.drop_table("audit_events")


_PG_FUNCTION = """
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql
"""


def _protect_audit_table() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
        )


def _unprotect_audit_table() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_append_only()")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{verb}")
