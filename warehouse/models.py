"""Warehouse tables: the reviews as published, and the stories read from them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

LABELS = ("positive", "neutral", "negative")
STORY_TYPES = ("exceptional", "positive", "mixed", "neutral", "negative", "execrable")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Business(Base):
    __tablename__ = "businesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Location(Base):
    __tablename__ = "locations"
    __table_args__ = (UniqueConstraint("business_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("location_id", "kind", "locator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    # What identifies the source within its kind: a URL, an app id and country, a file path.
    locator: Mapped[str] = mapped_column(String(1000))


class Review(Base):
    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        CheckConstraint("rating IS NULL OR rating_max IS NULL OR rating <= rating_max", name="rating_in_scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: the unique (source_id, external_id) index serves source lookups, and a second
    # one tempted PostgreSQL into scanning a whole source for each batch of ids (quadratic loads).
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(2000))
    author: Mapped[str | None] = mapped_column(String(300))
    rating: Mapped[float | None] = mapped_column(Float)
    rating_max: Mapped[float | None] = mapped_column(Float)
    title: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(20))
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    published_raw: Mapped[str | None] = mapped_column(String(200))
    # exact, day, week, month or year: "3 weeks ago" is known to the week, not the day.
    published_precision: Mapped[str | None] = mapped_column(String(10))
    fetched_at: Mapped[datetime] = mapped_column(DateTime)
    content_hash: Mapped[str] = mapped_column(String(64))


class Story(Base):
    __tablename__ = "stories"
    __table_args__ = (
        CheckConstraint(_in("label", LABELS), name="label_known"),
        CheckConstraint(_in("text_label", LABELS), name="text_label_known"),
        CheckConstraint(_in("story_type", STORY_TYPES), name="story_type_known"),
    )

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True)
    compound: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(10))
    # The text alone, without the star rating, so a 5-star review with an angry text shows.
    text_compound: Mapped[float] = mapped_column(Float)
    text_label: Mapped[str] = mapped_column(String(10))
    story_type: Mapped[str] = mapped_column(String(12), index=True)
    story_score: Mapped[float] = mapped_column(Float, index=True)
    headline: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(20))
    analyser_version: Mapped[str] = mapped_column(String(40))
    # The review content this analysis read; a different hash on the review means re-analyse.
    content_hash: Mapped[str] = mapped_column(String(64))
    analysed_at: Mapped[datetime] = mapped_column(DateTime)


class BehaviourMention(Base):
    __tablename__ = "behaviour_mentions"
    __table_args__ = (CheckConstraint(_in("polarity", LABELS), name="polarity_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    text: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    start_char: Mapped[int] = mapped_column(Integer)
    end_char: Mapped[int] = mapped_column(Integer)
    polarity: Mapped[str] = mapped_column(String(10))
    negated: Mapped[bool] = mapped_column(default=False)


class StaffMention(Base):
    __tablename__ = "staff_mentions"
    __table_args__ = (CheckConstraint(_in("polarity", LABELS), name="polarity_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))  # None: a role without a name ("the pharmacist")
    role: Mapped[str | None] = mapped_column(String(100))
    sentence: Mapped[str] = mapped_column(Text)
    polarity: Mapped[str] = mapped_column(String(10))
    start_char: Mapped[int | None] = mapped_column(Integer)
    end_char: Mapped[int | None] = mapped_column(Integer)


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    reviews_analysed: Mapped[int] = mapped_column(Integer, default=0)


class SourceRun(Base):
    __tablename__ = "source_runs"
    __table_args__ = (UniqueConstraint("run_id", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    reviews_seen: Mapped[int] = mapped_column(Integer, default=0)
    reviews_new: Mapped[int] = mapped_column(Integer, default=0)
    reviews_updated: Mapped[int] = mapped_column(Integer, default=0)
    reviews_skipped: Mapped[int] = mapped_column(Integer, default=0)
    reviews_claimed: Mapped[int | None] = mapped_column(Integer)
    errors: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="ok")


class Bookmark(Base):
    __tablename__ = "bookmarks"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    newest_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    newest_external_id: Mapped[str | None] = mapped_column(String(300))
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class PageValidator(Base):
    """ETag and Last-Modified per page, so an unchanged page is neither downloaded nor parsed again."""

    __tablename__ = "page_validators"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


ALERT_STATUSES = ("open", "acknowledged")


class Alert(Base):
    """A burst of negative stories at one location (for one behaviour, or "all")."""

    __tablename__ = "alerts"
    __table_args__ = (CheckConstraint(_in("status", ALERT_STATUSES), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"), index=True)
    # A behaviour code, or "all" for negative stories of any kind.
    behaviour: Mapped[str] = mapped_column(String(40), default="all")
    window_start: Mapped[datetime] = mapped_column(DateTime)
    window_end: Mapped[datetime] = mapped_column(DateTime)
    observed: Mapped[int] = mapped_column(Integer)
    expected: Mapped[float] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float)
    review_ids: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    notified_at: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="open")
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivery_attempts: Mapped[int] = mapped_column(Integer, default=0)
    delivery_error: Mapped[str | None] = mapped_column(Text)
    # Fingerprints (never the URLs: they hold secrets) of the channels already told, so a retry
    # after a partial failure does not tell the others twice.
    delivered_to: Mapped[str] = mapped_column(Text, default="[]")
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(200))


CURATION_STATUSES = ("new", "shortlisted", "approved_internal", "approved_public", "rejected")


class CurationEvent(Base):
    """Every change of a story's curation status, kept as an audit trail; the latest one is current."""

    __tablename__ = "curation_events"
    __table_args__ = (CheckConstraint(_in("status", CURATION_STATUSES), name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)


class ForgottenReview(Base):
    """A review deleted on request: only a hash of its id stays, so collection never brings it back."""

    __tablename__ = "forgotten_reviews"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    external_id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    forgotten_at: Mapped[datetime] = mapped_column(DateTime)
