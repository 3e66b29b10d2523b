"""Rows per second into the warehouse through the real load path (bulk upserts, one transaction per
source batch), on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/loading.py [--reviews 100000] [--batch 5000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.records import make_review  # noqa: E402
from flows.settings import parse_settings  # noqa: E402
from warehouse.db import open_warehouse  # noqa: E402
from warehouse.load import load_reviews, start_run, sync_sources  # noqa: E402

CONFIG = {"businesses": [{"name": "Chain", "locations": [
    {"name": "Everywhere", "sources": [{"kind": "schema_org", "url": "https://chain.example/reviews"}]}]}]}


def measure(url: str, count: int, batch: int) -> tuple[float, float]:
    engine = open_warehouse(url)
    (source,) = sync_sources(engine, parse_settings(CONFIG).businesses)
    records = [make_review("schema_org", external_id=f"r{i}", body=f"Review {i}: the staff were friendly.",
                           author=f"Reviewer {i}", rating=4, published="2026-11-01") for i in range(count)]
    run_id = start_run(engine)
    started = time.perf_counter()
    for first in range(0, count, batch):
        load_reviews(engine, run_id, source.source_id, records[first:first + batch])
    new_rate = count / (time.perf_counter() - started)
    started = time.perf_counter()
    for first in range(0, count, batch):  # the same again: nothing new, every row checked
        load_reviews(engine, run_id, source.source_id, records[first:first + batch])
    seen_rate = count / (time.perf_counter() - started)
    engine.dispose()
    return new_rate, seen_rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        new, seen = measure(f"sqlite:///{folder}/load.db", args.reviews, args.batch)
        print(f"SQLite     : {new:8.0f} new reviews/s, {seen:8.0f} unchanged reviews/s")
    from tests.support.pg import postgres_server

    with postgres_server() as url:
        new, seen = measure(url, args.reviews, args.batch)
        print(f"PostgreSQL : {new:8.0f} new reviews/s, {seen:8.0f} unchanged reviews/s")


if __name__ == "__main__":
    main()
