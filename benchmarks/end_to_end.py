"""The whole daily flow on a synthetic local site: time per stage, reviews per second, peak memory,
re-runs with nothing new and with 1% new reviews, and the share of time Prefect itself takes.

    .venv/bin/python benchmarks/end_to_end.py --reviews 10000 [--locations 20] [--backend sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

import yaml  # noqa: E402

import flows.daily_stories as daily  # noqa: E402
from flows.demo_site import DemoSite, serve  # noqa: E402


def synthetic_site(count: int, locations: int, seed: int = 9) -> DemoSite:
    bodies = [json.loads(line) for line in (ROOT / "demo" / "reviews.jsonl").read_text().splitlines()]
    rng = random.Random(seed)
    reviews = []
    for i in range(count):
        base = rng.choice(bodies)
        reviews.append({**base, "business": "chain", "location": f"l{i % locations}", "id": f"s{i}",
                        "days_ago": rng.randrange(365), "author": f"{base['author']} {i}",
                        "body": f"{base['body']} (visit {i})"})
    business = {"slug": "chain", "name": "Chain", "schema_type": "LocalBusiness", "markup": "json-ld",
                "locations": {f"l{j}": f"Location {j}" for j in range(locations)}}
    return DemoSite([business], reviews, 50, __import__("datetime").date.today())


def write_config(folder: str, base: str, locations: int) -> str:
    config = {"businesses": [{"name": "Chain", "locations": [
        {"name": f"Location {j}", "sources": [{"kind": "schema_org", "url": f"{base}/chain/l{j}/reviews",
                                                "max_pages": 1000}]} for j in range(locations)]}],
        "crawl": {"min_delay_s": 0, "allow_hosts": ["127.0.0.1"]}, "nlp": {"batch_size": 256}}
    path = Path(folder) / "storyminer.yaml"
    path.write_text(yaml.safe_dump(config))
    return str(path)


class StageClock:
    """Wall time spent inside each stage's own code (the task bodies), to set against the run's total."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, function):
        @functools.wraps(function)  # Prefect binds parameters by the signature
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
        return timed


def run(config: str, url: str, clock: StageClock) -> tuple[float, dict]:
    clock.seconds.clear()
    started = time.perf_counter()
    summary = daily.daily_stories(config_path=config, database=url)
    return time.perf_counter() - started, summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--locations", type=int, default=20)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    from prefect.testing.utilities import prefect_test_harness

    site = synthetic_site(args.reviews, args.locations)
    server, base = serve(site)
    clock = StageClock()
    # Time each task's own work: collection, loading, analysis (Prefect calls task.fn inside its engine).
    for name in ("collect_host", "load_source", "analyse_batch"):
        task = getattr(daily, name)
        task.fn = clock.wrap(name, task.fn)
    with tempfile.TemporaryDirectory() as folder, prefect_test_harness(server_startup_timeout=120):
        if args.backend == "postgresql":
            from tests.support.pg import postgres_server
            context = postgres_server()
            url = context.__enter__()
        else:
            url = f"sqlite:///{folder}/bench.db"
        config = write_config(folder, base, args.locations)
        first, summary = run(config, url, clock)
        ours = sum(clock.seconds.values())
        stages = dict(clock.seconds)
        print(f"{args.reviews:,} reviews, {args.locations} locations, {args.backend}")
        print(f"first run: {first:.1f} s, {summary['reviews_analysed'] / first:.0f} reviews/s end to end")
        for name, seconds in stages.items():
            print(f"  {name:14} {seconds:7.1f} s")
        print(f"  Prefect and the flow's own glue: {first - ours:.1f} s = {100 * (first - ours) / first:.1f}% of the run")
        again, _ = run(config, url, clock)
        print(f"re-run, nothing new: {again:.1f} s = {100 * again / first:.1f}% of the first run")
        extra = max(1, args.reviews // 100)
        rng = random.Random(1)
        for i in range(extra):
            site.reviews.append({**rng.choice(site.reviews), "id": f"n{i}", "days_ago": 0,
                                 "location": f"l{i % args.locations}", "body": f"New review number {i}, great staff."})
        site._by_location = None
        more, summary = run(config, url, clock)
        print(f"re-run, {extra} new reviews (1%): {more:.1f} s = {100 * more / first:.1f}% of the first run "
              f"({sum(s['new'] for s in summary['sources'])} collected, {summary['reviews_analysed']} analysed)")
        print(f"peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        if args.backend == "postgresql":
            context.__exit__(None, None, None)
    server.shutdown()


if __name__ == "__main__":
    main()
