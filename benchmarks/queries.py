"""The warehouse queries behind `stories`, `staff` and `practices` on a million stories, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/queries.py [--stories 1000000] [--repeat 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from board_feed import build  # noqa: E402
from warehouse.db import open_warehouse  # noqa: E402
from warehouse.queries import StoryFilter, practices, staff, stories  # noqa: E402

QUERIES = {
    "stories: best 50": lambda e: stories(e, StoryFilter(), limit=50),
    "stories: one location, exceptional": lambda e: stories(e, StoryFilter(location="Location 3-2",
                                                                            story_type="exceptional")),
    "stories: behaviour + polarity": lambda e: stories(e, StoryFilter(behaviour="no_surprises", polarity="negative")),
    "staff: one location": lambda e: staff(e, location="Location 3-2"),
    "practices: one location": lambda e: practices(e, location="Location 3-2"),
    "practices: whole warehouse": lambda e: practices(e),
}


def run(url: str, label: str, count: int, repeat: int) -> None:
    print(f"{label}:")
    build(url, count)
    engine = open_warehouse(url)
    for name, query in QUERIES.items():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            query(engine)
            times.append((time.perf_counter() - started) * 1000)
        print(f"  {name:38} p50 {statistics.median(times):9.1f} ms   p95 {sorted(times)[int(0.95 * (repeat - 1))]:9.1f} ms")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/q.db", "SQLite", args.stories, args.repeat)
    from tests.support.pg import postgres_server

    with postgres_server() as url:
        run(url, "PostgreSQL", args.stories, args.repeat)


if __name__ == "__main__":
    main()
