"""Scaling out: the analysis stage on a local Dask cluster reads exactly what one process reads, and
runs over different sources at once share one PostgreSQL warehouse without duplicates or losses."""

from __future__ import annotations

import threading

import yaml
from sqlalchemy import select

from flows.daily_stories import daily_stories
from flows.demo_site import DEMO_DIR
from warehouse.db import make_engine
from warehouse.models import BehaviourMention, Review, Source, Story


def demo_config(tmp_path, name: str, **extra) -> str:
    config = yaml.safe_load(open(DEMO_DIR / "storyminer.yaml"))
    config["businesses"][1]["locations"][0]["sources"][1]["path"] = str(DEMO_DIR / "exports" / "luna-comment-cards.csv")
    config.update(extra)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(config))
    return str(path)


def content(url: str) -> tuple[set, set]:
    engine = make_engine(url)
    with engine.connect() as conn:
        stories = set(conn.execute(
            select(Source.locator, Review.external_id, Story.story_type, Story.story_score, Story.label, Story.headline)
            .join(Review, Review.id == Story.review_id).join(Source, Source.id == Review.source_id)).all())
        mentions = set(conn.execute(
            select(Review.external_id, BehaviourMention.code, BehaviourMention.start_char, BehaviourMention.polarity)
            .join(Review, Review.id == BehaviourMention.review_id)).all())
    engine.dispose()
    return stories, mentions


def test_analysis_on_a_local_dask_cluster_matches_one_process(prefect_harness, demo_url, monkeypatch, tmp_path):
    monkeypatch.setenv("STORYMINER_DEMO_URL", demo_url)
    single, spread = f"sqlite:///{tmp_path / 'single.db'}", f"sqlite:///{tmp_path / 'dask.db'}"
    daily_stories(config_path=demo_config(tmp_path, "one.yaml"), database=single)
    summary = daily_stories(config_path=demo_config(tmp_path, "dask.yaml", scale={"dask_workers": 2},
                                                    nlp={"reviews_per_task": 50}), database=spread)
    assert summary["reviews_analysed"] == 193
    assert content(single) == content(spread)


def test_concurrent_runs_over_different_sources_share_postgresql(prefect_harness, demo_url, monkeypatch, tmp_path,
                                                                 pg_url):
    monkeypatch.setenv("STORYMINER_DEMO_URL", demo_url)
    config = yaml.safe_load(open(demo_config(tmp_path, "all.yaml")))
    halves = []
    for i, keep in enumerate((("Riverside Clinic",), ("Luna Trattoria", "Northgate Bank"))):
        part = {**config, "businesses": [b for b in config["businesses"] if b["name"] in keep]}
        path = tmp_path / f"half{i}.yaml"
        path.write_text(yaml.safe_dump(part))
        halves.append(str(path))
    daily_stories(config_path=halves[0], database=pg_url)  # the schema first: migrations are not concurrent
    errors: list[BaseException] = []

    def run(path: str) -> None:
        try:
            daily_stories(config_path=path, database=pg_url)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(path,)) for path in halves * 2]  # each half twice, all at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert errors == []
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        keys = conn.execute(select(Review.source_id, Review.external_id)).all()
        stories = conn.execute(select(Story.review_id)).all()
        mentions = conn.execute(select(BehaviourMention.review_id, BehaviourMention.code,
                                       BehaviourMention.start_char)).all()
    engine.dispose()
    assert len(keys) == len(set(keys)) == 193  # every review, once
    assert len(stories) == 193
    assert len(mentions) == len(set(mentions)) > 100  # read once, even when two runs read at the same time


def test_hosts_are_collected_in_parallel_while_each_host_stays_polite(prefect_harness, fault_server, tmp_path,
                                                                      sqlite_url):
    from tests.extractors.test_crawl import review_page

    for i in range(3):
        reply = review_page([(str(i), f"Review {i} about friendly staff.")])
        reply.delay_s = 1.0
        fault_server.routes[f"/r{i}"] = reply
    port = fault_server.url.rsplit(":", 1)[1]
    # Two names for the same server are two hosts to the crawler: 127.0.0.1 gets two sources, localhost one.
    sources = [("Wing A", f"http://127.0.0.1:{port}/r0"), ("Wing B", f"http://127.0.0.1:{port}/r1"),
               ("Wing C", f"http://localhost:{port}/r2")]
    config = {"businesses": [{"name": "Hotel", "locations": [
        {"name": name, "sources": [{"kind": "schema_org", "url": url}]} for name, url in sources]}],
        "crawl": {"min_delay_s": 0, "allow_hosts": ["127.0.0.1"]}}
    path = tmp_path / "storyminer.yaml"
    path.write_text(yaml.safe_dump(config))
    summary = daily_stories(config_path=str(path), database=sqlite_url)
    assert sum(s["new"] for s in summary["sources"]) == 3
    pages = {p: (host.split(":")[0], start, end) for host, p, start, end in fault_server.timeline if p.startswith("/r")}
    (_, a0, a1), (_, b0, b1), (other, c0, c1) = pages["/r0"], pages["/r1"], pages["/r2"]
    assert other == "localhost"
    assert a1 <= b0 or b1 <= a0  # one host, one request at a time
    assert c0 < max(a1, b1) and min(a0, b0) < c1  # the other host was read at the same time
