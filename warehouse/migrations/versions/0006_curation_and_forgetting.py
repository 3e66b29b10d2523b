"""curation audit trail, and tombstones for reviews forgotten on request

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "curation_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('new', 'shortlisted', 'approved_internal', 'approved_public', 'rejected')",
                           name=op.f("ck_curation_events_status_known")),
        sa.ForeignKeyConstraint(["review_id"], ["reviews.id"], name=op.f("fk_curation_events_review_id_reviews"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_curation_events")),
    )
    with op.batch_alter_table("curation_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_curation_events_review_id"), ["review_id"], unique=False)
    op.create_table(
        "forgotten_reviews",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id_hash", sa.String(length=64), nullable=False),
        sa.Column("forgotten_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_forgotten_reviews_source_id_sources"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("source_id", "external_id_hash", name=op.f("pk_forgotten_reviews")),
    )


def downgrade() -> None:
    op.drop_table("forgotten_reviews")
    with op.batch_alter_table("curation_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_curation_events_review_id"))
    op.drop_table("curation_events")
