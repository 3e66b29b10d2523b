"""Idempotent loads: bulk upserts on natural keys, run bookkeeping in the same transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from datetime import datetime, timezone
from typing import Iterable, Sequence

from sqlalchemy import Connection, Engine, Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from extractors.records import Review as ReviewRecord
from warehouse.models import (Bookmark, Business, ForgottenReview, Location, PageValidator, Review, Run, Source,
                              SourceRun)

CHUNK = 500  # rows per statement: well under SQLite's bound-parameter limit


def external_id_hash(external_id: str) -> str:
    """What a forgotten review leaves behind: enough to recognise it, nothing to read."""
    return hashlib.sha256(external_id.encode("utf-8")).hexdigest()


def utcnow() -> datetime:
    """Naive UTC, the form every timestamp in the warehouse takes."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def upsert(conn: Connection, table: Table, rows: list[dict], keys: list[str], update_columns: list[str] | None = None) -> None:
    """INSERT … ON CONFLICT (keys) DO UPDATE (or DO NOTHING), on SQLite and PostgreSQL alike."""
    if not rows:
        return
    dialect = conn.dialect.name
    insert = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}.get(dialect)
    if insert is None:
        raise NotImplementedError(f"upserts are written for SQLite and PostgreSQL, not {dialect}")
    statement = insert(table)
    if update_columns:
        statement = statement.on_conflict_do_update(
            index_elements=keys, set_={c: statement.excluded[c] for c in update_columns})
    else:
        statement = statement.on_conflict_do_nothing(index_elements=keys)
    for part in chunks(rows):
        # executemany: SQLAlchemy batches the rows into multi-row statements it compiles once
        # ("insertmanyvalues"), where .values(rows) would compile a new 500-row statement every time.
        conn.execute(statement, list(part))


@dataclass(frozen=True)
class SourceRef:
    """A source as tasks pass it around: plain values, no session, no secret values."""

    source_id: int
    business: str
    location: str
    kind: str
    locator: str  # the identity, as written in the config
    start_urls: tuple[str, ...]  # what to fetch, with ${VAR}s expanded (a path for files)
    max_pages: int
    options: tuple[tuple[str, object], ...] = ()  # kind-specific settings, e.g. a file's columns

    @property
    def url(self) -> str:
        return self.start_urls[0]

    def option(self, name: str, default: object = None) -> object:
        return dict(self.options).get(name, default)


def sync_sources(engine: Engine, businesses, base_dir: Path | None = None) -> list[SourceRef]:
    """Make sure every configured business, location and source has a row; return the sources."""
    refs: list[SourceRef] = []
    with engine.begin() as conn:
        for business in businesses:
            upsert(conn, Business.__table__, [{"name": business.name}], ["name"])
            business_id = conn.scalar(select(Business.id).where(Business.name == business.name))
            for location in business.locations:
                upsert(conn, Location.__table__, [{"business_id": business_id, "name": location.name}],
                       ["business_id", "name"])
                location_id = conn.scalar(
                    select(Location.id).where(Location.business_id == business_id, Location.name == location.name)
                )
                for source in location.sources:
                    key = {"location_id": location_id, "kind": source.kind, "locator": source.locator}
                    upsert(conn, Source.__table__, [key], list(key))
                    source_id = conn.scalar(select(Source.id).filter_by(**key))
                    refs.append(SourceRef(source_id, business.name, location.name, source.kind, source.locator,
                                          tuple(_start_urls(source, base_dir)), source.max_pages,
                                          tuple(_options(source))))
    return refs


def _start_urls(source, base_dir: Path | None) -> list[str]:
    if source.kind == "file":
        path = Path(source.path).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        return [str(path)]
    return source.start_urls()


def _options(source) -> list[tuple[str, object]]:
    if source.kind == "file":
        return [("format", source.format), ("columns", tuple(sorted(source.columns.items()))),
                ("rating_max", source.rating_max)]
    if source.kind == "google_business":
        return [("token", source.token)]  # the reference as written, resolved only when used
    return []


def start_run(engine: Engine, flow_run_id: str | None = None) -> int:
    with engine.begin() as conn:
        return conn.execute(
            Run.__table__.insert().values(flow_run_id=flow_run_id, started_at=utcnow(), status="running",
                                          reviews_analysed=0).returning(Run.id)
        ).scalar_one()


def finish_run(engine: Engine, run_id: int, status: str, reviews_analysed: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(Run).where(Run.id == run_id).values(finished_at=utcnow(), status=status,
                                                        reviews_analysed=reviews_analysed)
        )


@dataclass(frozen=True)
class LoadCounts:
    seen: int = 0
    new: int = 0
    updated: int = 0
    skipped: int = 0


def _row(source_id: int, review: ReviewRecord, fetched_at: datetime) -> dict:
    return {
        "source_id": source_id,
        "external_id": review.external_id,
        "url": review.url,
        "author": review.author,
        "rating": review.rating,
        "rating_max": review.rating_max,
        "title": review.title,
        "body": review.body,
        "language": review.language,
        "published_at": datetime.fromisoformat(review.published_at) if review.published_at else None,
        "published_raw": review.published_raw,
        "published_precision": review.published_precision,
        "fetched_at": fetched_at,
        "content_hash": review.content_hash,
    }


UPDATABLE = ["url", "author", "rating", "rating_max", "title", "body", "language", "published_at",
             "published_raw", "published_precision", "fetched_at", "content_hash"]


def load_reviews(
    engine: Engine,
    run_id: int,
    source_id: int,
    reviews: list[ReviewRecord],
    *,
    pages_fetched: int = 0,
    claimed: int | None = None,
    skipped: int = 0,
    errors: list[str] | None = None,
    validators: dict[str, tuple[str | None, str | None]] | None = None,
) -> LoadCounts:
    """Store new and edited reviews; record the source's run and bookmark in the same transaction."""
    fetched_at = utcnow()
    unique: dict[str, ReviewRecord] = {}
    for review in reviews:
        unique.setdefault(review.external_id, review)  # the same review on two pages counts once
    with engine.begin() as conn:
        forgotten = set(conn.scalars(select(ForgottenReview.external_id_hash)
                                     .where(ForgottenReview.source_id == source_id)))
        if forgotten:  # reviews deleted on request stay deleted
            unique = {k: r for k, r in unique.items() if external_id_hash(k) not in forgotten}
        known: dict[str, str] = {}
        for part in chunks(list(unique)):
            known.update(conn.execute(
                select(Review.external_id, Review.content_hash)
                .where(Review.source_id == source_id, Review.external_id.in_(part))
            ).all())
        new = [r for key, r in unique.items() if key not in known]
        edited = [r for key, r in unique.items() if key in known and known[key] != r.content_hash]
        rows = [_row(source_id, r, fetched_at) for r in new + edited]
        upsert(conn, Review.__table__, rows, ["source_id", "external_id"], UPDATABLE)
        counts = LoadCounts(seen=len(unique), new=len(new), updated=len(edited), skipped=skipped)
        upsert(conn, SourceRun.__table__, [{
            "run_id": run_id, "source_id": source_id, "pages_fetched": pages_fetched,
            "reviews_seen": counts.seen, "reviews_new": counts.new, "reviews_updated": counts.updated,
            "reviews_skipped": skipped, "reviews_claimed": claimed,
            "errors": "\n".join(errors) if errors else None, "status": "error" if errors else "ok",
        }], ["run_id", "source_id"], ["pages_fetched", "reviews_seen", "reviews_new", "reviews_updated",
                                      "reviews_skipped", "reviews_claimed", "errors", "status"])
        _advance_bookmark(conn, run_id, source_id, list(unique.values()))
        upsert(conn, PageValidator.__table__, [
            {"source_id": source_id, "url": url, "etag": etag, "last_modified": modified, "updated_at": fetched_at}
            for url, (etag, modified) in (validators or {}).items()
        ], ["source_id", "url"], ["etag", "last_modified", "updated_at"])
    return counts


def collection_state(engine: Engine, source_id: int) -> tuple[dict[str, str], dict[str, tuple[str | None, str | None]]]:
    """What a crawl needs to stop early: stored reviews' hashes, and the pages' validators."""
    with engine.connect() as conn:
        known = dict(conn.execute(select(Review.external_id, Review.content_hash)
                                  .where(Review.source_id == source_id)).all())
        validators = {url: (etag, modified) for url, etag, modified in conn.execute(
            select(PageValidator.url, PageValidator.etag, PageValidator.last_modified)
            .where(PageValidator.source_id == source_id))}
    return known, validators


def _advance_bookmark(conn: Connection, run_id: int, source_id: int, reviews: list[ReviewRecord]) -> None:
    dated = [r for r in reviews if r.published_at]
    newest = max(dated, key=lambda r: r.published_at) if dated else None
    current = conn.execute(select(Bookmark.newest_published_at).where(Bookmark.source_id == source_id)).scalar()
    newest_at = datetime.fromisoformat(newest.published_at) if newest else None
    if current is not None and (newest_at is None or newest_at <= current):
        conn.execute(update(Bookmark).where(Bookmark.source_id == source_id)
                     .values(last_run_id=run_id, updated_at=utcnow()))
        return
    upsert(conn, Bookmark.__table__, [{
        "source_id": source_id, "newest_published_at": newest_at,
        "newest_external_id": newest.external_id if newest else None,
        "last_run_id": run_id, "updated_at": utcnow(),
    }], ["source_id"], ["newest_published_at", "newest_external_id", "last_run_id", "updated_at"])


def count_reviews(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(Review)) or 0
