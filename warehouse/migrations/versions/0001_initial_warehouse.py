"""initial warehouse

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 15:00:00.576460
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('businesses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_businesses')),
    sa.UniqueConstraint('name', name=op.f('uq_businesses_name'))
    )
    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('flow_run_id', sa.String(length=64), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reviews_analysed', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    op.create_table('locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['business_id'], ['businesses.id'], name=op.f('fk_locations_business_id_businesses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations')),
    sa.UniqueConstraint('business_id', 'name', name=op.f('uq_locations_business_id_name'))
    )
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('behaviour', sa.String(length=40), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('window_end', sa.DateTime(), nullable=False),
    sa.Column('observed', sa.Integer(), nullable=False),
    sa.Column('expected', sa.Float(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('review_ids', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_alerts_location_id_locations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_location_id'), ['location_id'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('locator', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['locations.id'], name=op.f('fk_sources_location_id_locations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('location_id', 'kind', 'locator', name=op.f('uq_sources_location_id_kind_locator'))
    )
    op.create_table('bookmarks',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('newest_published_at', sa.DateTime(), nullable=True),
    sa.Column('newest_external_id', sa.String(length=300), nullable=True),
    sa.Column('last_run_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['last_run_id'], ['runs.id'], name=op.f('fk_bookmarks_last_run_id_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_bookmarks_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', name=op.f('pk_bookmarks'))
    )
    op.create_table('reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('author', sa.String(length=300), nullable=True),
    sa.Column('rating', sa.Float(), nullable=True),
    sa.Column('rating_max', sa.Float(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_raw', sa.String(length=200), nullable=True),
    sa.Column('fetched_at', sa.DateTime(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('rating IS NULL OR rating_max IS NULL OR rating <= rating_max', name=op.f('ck_reviews_rating_in_scale')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_reviews_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
    sa.UniqueConstraint('source_id', 'external_id', name=op.f('uq_reviews_source_id_external_id'))
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_published_at'), ['published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_source_id'), ['source_id'], unique=False)

    op.create_table('source_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('pages_fetched', sa.Integer(), nullable=False),
    sa.Column('reviews_seen', sa.Integer(), nullable=False),
    sa.Column('reviews_new', sa.Integer(), nullable=False),
    sa.Column('reviews_updated', sa.Integer(), nullable=False),
    sa.Column('reviews_skipped', sa.Integer(), nullable=False),
    sa.Column('reviews_claimed', sa.Integer(), nullable=True),
    sa.Column('errors', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_source_runs_run_id_runs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_source_runs_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_runs')),
    sa.UniqueConstraint('run_id', 'source_id', name=op.f('uq_source_runs_run_id_source_id'))
    )
    with op.batch_alter_table('source_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_runs_source_id'), ['source_id'], unique=False)

    op.create_table('behaviour_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('start_char', sa.Integer(), nullable=False),
    sa.Column('end_char', sa.Integer(), nullable=False),
    sa.Column('polarity', sa.String(length=10), nullable=False),
    sa.Column('negated', sa.Boolean(), nullable=False),
    sa.CheckConstraint("polarity IN ('positive', 'neutral', 'negative')", name=op.f('ck_behaviour_mentions_polarity_known')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_behaviour_mentions_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_behaviour_mentions'))
    )
    with op.batch_alter_table('behaviour_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_behaviour_mentions_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_behaviour_mentions_review_id'), ['review_id'], unique=False)

    op.create_table('staff_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=True),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('polarity', sa.String(length=10), nullable=False),
    sa.CheckConstraint("polarity IN ('positive', 'neutral', 'negative')", name=op.f('ck_staff_mentions_polarity_known')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_staff_mentions_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_mentions'))
    )
    with op.batch_alter_table('staff_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_mentions_review_id'), ['review_id'], unique=False)

    op.create_table('stories',
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('compound', sa.Float(), nullable=False),
    sa.Column('label', sa.String(length=10), nullable=False),
    sa.Column('text_compound', sa.Float(), nullable=False),
    sa.Column('text_label', sa.String(length=10), nullable=False),
    sa.Column('story_type', sa.String(length=12), nullable=False),
    sa.Column('story_score', sa.Float(), nullable=False),
    sa.Column('headline', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('analyser_version', sa.String(length=40), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('analysed_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("label IN ('positive', 'neutral', 'negative')", name=op.f('ck_stories_label_known')),
    sa.CheckConstraint("story_type IN ('exceptional', 'positive', 'mixed', 'neutral', 'negative', 'execrable')", name=op.f('ck_stories_story_type_known')),
    sa.CheckConstraint("text_label IN ('positive', 'neutral', 'negative')", name=op.f('ck_stories_text_label_known')),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], name=op.f('fk_stories_review_id_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('review_id', name=op.f('pk_stories'))
    )
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stories_story_score'), ['story_score'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_story_type'), ['story_type'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stories_story_type'))
        batch_op.drop_index(batch_op.f('ix_stories_story_score'))

    op.drop_table('stories')
    with op.batch_alter_table('staff_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_mentions_review_id'))

    op.drop_table('staff_mentions')
    with op.batch_alter_table('behaviour_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_behaviour_mentions_review_id'))
        batch_op.drop_index(batch_op.f('ix_behaviour_mentions_code'))

    op.drop_table('behaviour_mentions')
    with op.batch_alter_table('source_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_runs_source_id'))

    op.drop_table('source_runs')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_source_id'))
        batch_op.drop_index(batch_op.f('ix_reviews_published_at'))

    op.drop_table('reviews')
    op.drop_table('bookmarks')
    op.drop_table('sources')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_location_id'))

    op.drop_table('alerts')
    op.drop_table('locations')
    op.drop_table('runs')
    op.drop_table('businesses')
