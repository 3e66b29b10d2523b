"""views for people who query with SQL: story_feed, behaviour_daily, staff_kudos

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PLACE = """
    JOIN reviews r ON r.id = {alias}.review_id
    JOIN sources src ON src.id = r.source_id
    JOIN locations l ON l.id = src.location_id
    JOIN businesses b ON b.id = l.business_id"""


def _day(column: str) -> str:
    """The calendar day of a timestamp, in each dialect's words."""
    return f"date({column})" if op.get_bind().dialect.name == "sqlite" else f"CAST({column} AS DATE)"


def upgrade() -> None:
    op.execute(f"""
CREATE VIEW story_feed AS
SELECT s.review_id, b.name AS business, l.name AS location, src.kind AS source_kind, r.url, r.author,
       r.rating, r.rating_max, r.published_at, r.language, s.story_type, s.story_score, s.label,
       s.text_label, s.compound, s.headline, r.title, r.body
FROM stories s{PLACE.format(alias="s")}""")
    op.execute(f"""
CREATE VIEW behaviour_daily AS
SELECT l.id AS location_id, b.name AS business, l.name AS location, m.code AS behaviour,
       {_day("r.published_at")} AS day, m.polarity, COUNT(*) AS mentions
FROM behaviour_mentions m{PLACE.format(alias="m")}
GROUP BY l.id, b.name, l.name, m.code, {_day("r.published_at")}, m.polarity""")
    op.execute(f"""
CREATE VIEW staff_kudos AS
SELECT l.id AS location_id, b.name AS business, l.name AS location, m.name AS person, m.role,
       COUNT(*) AS mentions,
       SUM(CASE WHEN m.polarity = 'positive' THEN 1 ELSE 0 END) AS positive,
       SUM(CASE WHEN m.polarity = 'negative' THEN 1 ELSE 0 END) AS negative
FROM staff_mentions m{PLACE.format(alias="m")}
WHERE m.name IS NOT NULL
GROUP BY l.id, b.name, l.name, m.name, m.role""")


def downgrade() -> None:
    for view in ("staff_kudos", "behaviour_daily", "story_feed"):
        op.execute(f"DROP VIEW IF EXISTS {view}")
