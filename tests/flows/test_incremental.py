"""Runs over a changing site: edits are updated and read again; a crashed run is made whole by a re-run."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import func, select

import flows.daily_stories as daily
from flows.daily_stories import daily_stories
from tests.extractors.test_crawl import review_page
from warehouse.db import make_engine
from warehouse.models import Review, Run, Story


def write_config(tmp_path, base: str, paths: list[str]) -> str:
    config = {
        "businesses": [{"name": "Harbour Hotel", "locations": [
            {"name": f"Wing {i}", "sources": [{"kind": "schema_org", "url": base + path}]} for i, path in enumerate(paths)
        ]}],
        "crawl": {"min_delay_s": 0, "allow_hosts": ["127.0.0.1"]},
    }
    path = tmp_path / "storyminer.yaml"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def table(url: str, *columns):
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(*columns)).all()
    engine.dispose()
    return rows


def test_an_edited_review_is_updated_and_read_again(prefect_harness, fault_server, tmp_path, sqlite_url):
    fault_server.routes["/a"] = review_page([("1", "The room was lovely."), ("2", "Breakfast was fine.")])
    config = write_config(tmp_path, fault_server.url, ["/a"])
    daily_stories(config_path=config, database=sqlite_url)
    fault_server.routes["/a"] = review_page([("1", "The room was lovely."),
                                             ("2", "Breakfast was cold and the waiter was rude.")])
    summary = daily_stories(config_path=config, database=sqlite_url)
    (source,) = summary["sources"]
    assert (source["new"], source["updated"], summary["reviews_analysed"]) == (0, 1, 1)
    bodies = sorted(body for (body,) in table(sqlite_url, Review.body))
    assert bodies == ["Breakfast was cold and the waiter was rude.", "The room was lovely."]
    review_hashes = dict(table(sqlite_url, Review.id, Review.content_hash))
    story_hashes = dict(table(sqlite_url, Story.review_id, Story.content_hash))
    assert review_hashes == story_hashes  # every story reads its review's current text
    assert len(review_hashes) == 2


def test_a_crash_mid_run_then_a_re_run_loses_nothing_and_duplicates_nothing(
        prefect_harness, fault_server, tmp_path, warehouse_url, monkeypatch):
    fault_server.routes["/a"] = review_page([(str(i), f"Stay number {i} was great.") for i in range(5)], "/a/2")
    fault_server.routes["/a/2"] = review_page([(str(i), f"Stay number {i} was poor.") for i in range(5, 9)])
    fault_server.routes["/b"] = review_page([(str(i), f"Visit {i}, friendly staff.") for i in range(6)])
    config = write_config(tmp_path, fault_server.url, ["/a", "/b"])

    real_load = daily.load_reviews
    calls = {"n": 0}

    def crash_on_second_source(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(daily, "load_reviews", crash_on_second_source)
    with pytest.raises(RuntimeError, match="power cut"):
        daily_stories(config_path=config, database=warehouse_url)
    assert [status for (status,) in table(warehouse_url, Run.status)] == ["failed"]
    stored_after_crash = len(table(warehouse_url, Review.id))
    assert 0 < stored_after_crash < 15

    monkeypatch.setattr(daily, "load_reviews", real_load)
    summary = daily_stories(config_path=config, database=warehouse_url)
    assert summary["status"] == "ok"
    keys = table(warehouse_url, Review.source_id, Review.external_id)
    assert len(keys) == 15 and len(set(keys)) == 15
    assert len(table(warehouse_url, Story.review_id)) == 15
    engine = make_engine(warehouse_url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Run).where(Run.status == "ok")) == 1
    engine.dispose()
