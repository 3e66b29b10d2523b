"""where in the text a person is named, so the board can highlight them

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_mentions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_char", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("end_char", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_mentions", schema=None) as batch_op:
        batch_op.drop_column("end_char")
        batch_op.drop_column("start_char")
