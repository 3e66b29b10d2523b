"""Story board response times on a warehouse of a million stories, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/board_feed.py [--stories 1000000] [--repeat 30] [--backend sqlite|postgresql|both]

Builds a synthetic warehouse (demo review texts, 50 locations, two years of dates, one behaviour
mention per story), serves the board on 127.0.0.1 with uvicorn, and times real HTTP requests for the
feed: first page, filters, free-text search, and a page 40 deep reached by keyset paging.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from flows.board import create_app  # noqa: E402
from flows.settings import parse_settings  # noqa: E402
from nlp.behaviours import CODES  # noqa: E402
from tests.flows.test_board import serve  # noqa: E402
from warehouse.db import open_warehouse  # noqa: E402
from warehouse.load import sync_sources  # noqa: E402
from warehouse.models import STORY_TYPES, BehaviourMention, Review, StaffMention, Story  # noqa: E402

CHUNK = 20_000


def build(url: str, count: int, seed: int = 5) -> None:
    engine = open_warehouse(url)
    config = {"businesses": [{"name": f"Business {b}", "locations": [
        {"name": f"Location {b}-{l}", "sources": [{"kind": "schema_org", "url": f"https://b{b}.example/{l}"}]}
        for l in range(5)]} for b in range(10)]}
    sources = [s.source_id for s in sync_sources(engine, parse_settings(config).businesses)]
    texts = [json.loads(line)["body"] for line in (ROOT / "demo" / "reviews.jsonl").read_text().splitlines()]
    rng = random.Random(seed)
    now = datetime(2026, 11, 23)
    started = time.perf_counter()
    with engine.begin() as conn:
        for first in range(1, count + 1, CHUNK):
            ids = range(first, min(count, first + CHUNK - 1) + 1)
            reviews, stories, mentions, people = [], [], [], []
            for i in ids:
                published = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
                reviews.append({"id": i, "source_id": rng.choice(sources), "external_id": f"x{i}", "url": None,
                                "author": f"Reviewer {i % 9973}", "rating": rng.randint(1, 5), "rating_max": 5,
                                "title": None, "body": rng.choice(texts), "language": "en",
                                "published_at": published, "published_raw": None, "published_precision": "exact",
                                "fetched_at": now, "content_hash": f"{i:064d}"})
                kind = rng.choices(STORY_TYPES, weights=[3, 50, 8, 10, 25, 4])[0]
                stories.append({"review_id": i, "compound": rng.uniform(-1, 1), "label": "positive",
                                "text_compound": 0.0, "text_label": "neutral", "story_type": kind,
                                "story_score": round(rng.uniform(0, 100), 2), "headline": reviews[-1]["body"][:120],
                                "language": "en", "analyser_version": "bench", "content_hash": f"{i:064d}",
                                "analysed_at": now})
                mentions.append({"review_id": i, "code": rng.choice(CODES), "text": "x", "sentence": "x",
                                 "start_char": 0, "end_char": 1,
                                 "polarity": rng.choice(["positive", "negative"]), "negated": False})
                if rng.random() < 0.3:  # three stories in ten name one of a few hundred people
                    people.append({"review_id": i, "name": f"Person {rng.randrange(300)}", "role": "server",
                                   "sentence": "x", "polarity": rng.choice(["positive", "positive", "negative"]),
                                   "start_char": 0, "end_char": 1})
            conn.execute(insert(Review), reviews)
            conn.execute(insert(Story), stories)
            conn.execute(insert(BehaviourMention), mentions)
            if people:
                conn.execute(insert(StaffMention), people)
    print(f"  built {count:,} stories in {time.perf_counter() - started:.0f} s")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    engine.dispose()


QUERIES = {
    "first page": "/",
    "type=exceptional": "/?type=exceptional",
    "location": "/?location=Location+3-2",
    "behaviour no_surprises negative": "/?behaviour=no_surprises&polarity=negative",
    "min_score 90 + sort date": "/?min_score=90&sort=date",
    "search 'forty minutes'": "/?q=forty+minutes",
}


def time_requests(base: str, repeat: int) -> dict[str, tuple[float, float]]:
    results = {}
    session = requests.Session()
    for name, path in QUERIES.items():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = session.get(base + path, timeout=120)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        results[name] = (statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))])
    # 40 pages deep through the "Next page" links (keyset paging)
    times, path = [], "/"
    for _ in range(40):
        started = time.perf_counter()
        page = session.get(base + path, timeout=120).text
        times.append((time.perf_counter() - started) * 1000)
        path = "/?" + page.split('href="/?', 2)[-1].split('"', 1)[0].replace("&amp;", "&") if 'id="next"' in page else "/"
    results["pages 1-40 via keyset"] = (statistics.median(times), sorted(times)[int(0.95 * (len(times) - 1))])
    return results


def run(url: str, label: str, count: int, repeat: int) -> None:
    print(f"{label}:")
    build(url, count)
    engine = open_warehouse(url)
    base, stop = serve(create_app(engine))
    try:
        for name, (p50, p95) in time_requests(base, repeat).items():
            print(f"  {name:34} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms")
    finally:
        stop()
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{folder}/board.db", "SQLite", args.stories, args.repeat)
    if args.backend in ("postgresql", "both"):
        from tests.support.pg import postgres_server

        with postgres_server() as url:
            run(url, "PostgreSQL", args.stories, args.repeat)


if __name__ == "__main__":
    main()
