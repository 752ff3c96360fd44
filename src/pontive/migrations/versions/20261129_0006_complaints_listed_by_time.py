"""complaints listed by time: an index on (created_at, id) for newest- and oldest-first lists

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 20:38:09.002638
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index("ix_complaints_created_at_id", ["created_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_created_at_id")
