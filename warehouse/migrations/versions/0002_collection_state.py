"""collection state: date precision on reviews, page validators for conditional requests

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("published_precision", sa.String(length=10), nullable=True))
    op.create_table(
        "page_validators",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("etag", sa.String(length=300), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_page_validators_source_id_sources"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("source_id", "url", name=op.f("pk_page_validators")),
    )


def downgrade() -> None:
    op.drop_table("page_validators")
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("published_precision")
