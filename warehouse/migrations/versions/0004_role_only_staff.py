"""staff mentions may name a role without a person ("the pharmacist")

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_mentions", schema=None) as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(length=200), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM staff_mentions WHERE name IS NULL")
    with op.batch_alter_table("staff_mentions", schema=None) as batch_op:
        batch_op.alter_column("name", existing_type=sa.String(length=200), nullable=False)
