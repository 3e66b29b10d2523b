"""Loads on a real SQLite file and a real PostgreSQL database: idempotent, edits detected, stats kept."""

from __future__ import annotations

from sqlalchemy import func, inspect, select

from extractors.records import make_review
from flows.settings import parse_settings
from warehouse.db import open_warehouse
from warehouse.load import load_reviews, start_run, sync_sources
from warehouse.models import Base, Bookmark, Review, Source, SourceRun
from warehouse.stories import unanalysed_review_ids

CONFIG = {"businesses": [{"name": "Luna Trattoria", "locations": [
    {"name": "Old Town", "sources": [{"kind": "schema_org", "url": "https://luna.example/reviews"}]}]}]}


def reviews(*bodies: str, day: int = 1):
    return [make_review("schema_org", external_id=f"r{i}", body=b, author=f"A{i}", rating=4,
                        published=f"2026-10-{day + i:02d}") for i, b in enumerate(bodies)]


def setup(url: str):
    engine = open_warehouse(url)
    (source,) = sync_sources(engine, parse_settings(CONFIG).businesses)
    return engine, source.source_id


def count(engine, model) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(model))


def test_migrations_create_every_table(warehouse_url):
    engine = open_warehouse(warehouse_url)
    open_warehouse(warehouse_url)  # a second start upgrades nothing and does not fail
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_second_load_of_the_same_reviews_changes_nothing(warehouse_url):
    engine, source_id = setup(warehouse_url)
    batch = reviews("Great pasta", "Slow service", "Lovely staff")
    first = load_reviews(engine, start_run(engine), source_id, batch, pages_fetched=1)
    with engine.connect() as conn:
        before = conn.execute(select(Review.id, Review.fetched_at, Review.content_hash).order_by(Review.id)).all()
    second = load_reviews(engine, start_run(engine), source_id, batch, pages_fetched=1)
    with engine.connect() as conn:
        after = conn.execute(select(Review.id, Review.fetched_at, Review.content_hash).order_by(Review.id)).all()
    assert (first.new, first.updated) == (3, 0)
    assert (second.new, second.updated, second.seen) == (0, 0, 3)
    assert before == after


def test_syncing_sources_twice_keeps_one_row_each(warehouse_url):
    engine, source_id = setup(warehouse_url)
    (again,) = sync_sources(engine, parse_settings(CONFIG).businesses)
    assert again.source_id == source_id
    assert count(engine, Source) == 1


def test_an_edited_review_is_updated_and_read_again(warehouse_url):
    engine, source_id = setup(warehouse_url)
    load_reviews(engine, start_run(engine), source_id, reviews("Great pasta", "Slow service"))
    from warehouse.stories import save_analyses, reviews_for_analysis
    from nlp.analyser import Analysis

    rows = reviews_for_analysis(engine, unanalysed_review_ids(engine, "v1"))
    save_analyses(engine, [Analysis(r["id"], "en", 0.5, "positive", 0.5, "positive", "positive", 10.0, None)
                           for r in rows], {r["id"]: r["content_hash"] for r in rows}, "v1")
    assert unanalysed_review_ids(engine, "v1") == []

    counts = load_reviews(engine, start_run(engine), source_id, reviews("Great pasta", "Slow service, cold soup"))
    assert (counts.new, counts.updated) == (0, 1)
    with engine.connect() as conn:
        edited = conn.execute(select(Review.id, Review.body).where(Review.external_id == "r1")).one()
    assert edited.body == "Slow service, cold soup"
    assert unanalysed_review_ids(engine, "v1") == [edited.id]
    assert len(unanalysed_review_ids(engine, "v2")) == 2  # a new analyser version reads everything again


def test_the_same_review_on_two_pages_is_stored_once(warehouse_url):
    engine, source_id = setup(warehouse_url)
    batch = reviews("Great pasta", "Slow service")
    counts = load_reviews(engine, start_run(engine), source_id, batch + batch[:1])
    assert (counts.seen, counts.new) == (2, 2)
    assert count(engine, Review) == 2


def test_source_run_and_bookmark_are_recorded_with_the_load(warehouse_url):
    engine, source_id = setup(warehouse_url)
    run_id = start_run(engine)
    load_reviews(engine, run_id, source_id, reviews("a", "b", "c", day=5), pages_fetched=2, claimed=10,
                 skipped=1, errors=["https://luna.example/reviews?page=3: HTTP 503"])
    with engine.connect() as conn:
        stats = conn.execute(select(SourceRun)).one()
        bookmark = conn.execute(select(Bookmark)).one()
    assert (stats.pages_fetched, stats.reviews_seen, stats.reviews_new, stats.reviews_claimed) == (2, 3, 3, 10)
    assert stats.reviews_skipped == 1 and stats.status == "error" and "HTTP 503" in stats.errors
    assert bookmark.newest_external_id == "r2"
    assert bookmark.newest_published_at.isoformat() == "2026-10-07T00:00:00"
    assert bookmark.last_run_id == run_id


def test_many_reviews_load_in_bulk(warehouse_url):
    engine, source_id = setup(warehouse_url)
    batch = [make_review("schema_org", external_id=f"x{i}", body=f"review number {i}") for i in range(1_200)]
    assert load_reviews(engine, start_run(engine), source_id, batch).new == 1_200
    assert load_reviews(engine, start_run(engine), source_id, batch).new == 0
    assert count(engine, Review) == 1_200
