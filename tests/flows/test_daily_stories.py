"""The whole daily flow under a real Prefect test server, against the demo site on 127.0.0.1."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import yaml
from sqlalchemy import func, select

from flows.daily_stories import daily_stories
from flows.demo_site import DEMO_DIR, DemoSite
from warehouse.db import make_engine
from warehouse.models import Review, Run, SourceRun, StaffMention, Story

DEMO_CONFIG = str(DEMO_DIR / "storyminer.yaml")


@pytest.fixture
def demo_env(monkeypatch, demo_url):
    monkeypatch.setenv("STORYMINER_DEMO_URL", demo_url)


def counts(url: str) -> dict:
    engine = make_engine(url)
    with engine.connect() as conn:
        result = {model.__tablename__: conn.scalar(select(func.count()).select_from(model))
                  for model in (Review, Story, StaffMention, Run)}
    engine.dispose()
    return result


def test_daily_flow_collects_loads_and_reads_the_demo_site(prefect_harness, demo_env, sqlite_url):
    summary = daily_stories(config_path=DEMO_CONFIG, database=sqlite_url)
    site = DemoSite.load()
    by_kind = Counter()
    for s in summary["sources"]:
        by_kind[s["kind"]] += s["new"]
    assert summary["status"] == "ok"
    assert by_kind["schema_org"] == len(site.reviews)
    assert by_kind["app_store"] == len(site.app_reviews)
    assert by_kind["file"] == 9  # of 11 comment cards: one is blank, one scored 9 out of 5
    expected = sum(by_kind.values())
    assert summary["reviews_analysed"] == expected
    assert {s["business"] for s in summary["sources"]} == {"Riverside Clinic", "Luna Trattoria", "Northgate Bank"}
    assert sum(summary["stories_by_type"].values()) == expected
    assert len(summary["top_stories"]) == 3 and all(t["quote"] for t in summary["top_stories"])
    found = counts(sqlite_url)
    assert found["reviews"] == found["stories"] == expected
    assert found["staff_mentions"] > 10


def test_second_run_over_unchanged_sources_adds_and_analyses_nothing(prefect_harness, demo_env, warehouse_url):
    daily_stories(config_path=DEMO_CONFIG, database=warehouse_url)
    before = counts(warehouse_url)
    summary = daily_stories(config_path=DEMO_CONFIG, database=warehouse_url)
    after = counts(warehouse_url)
    assert summary["reviews_analysed"] == 0
    assert all(s["new"] == 0 and s["updated"] == 0 and s["seen"] > 0 for s in summary["sources"])
    assert after["reviews"] == before["reviews"] and after["stories"] == before["stories"]
    assert after["runs"] == before["runs"] + 1


def test_one_unreachable_source_does_not_stop_the_others(prefect_harness, demo_env, tmp_path, sqlite_url):
    config = yaml.safe_load(open(DEMO_CONFIG))
    config["businesses"][0]["locations"][0]["sources"][0]["url"] = "http://127.0.0.1:9/nothing-listens-here"
    config["businesses"][1]["locations"][0]["sources"][1]["path"] = str(DEMO_DIR / "exports" / "luna-comment-cards.csv")
    path = tmp_path / "storyminer.yaml"
    path.write_text(yaml.safe_dump(config))
    summary = daily_stories(config_path=str(path), database=sqlite_url)
    assert summary["status"] == "partial"
    broken = [s for s in summary["sources"] if s["errors"]]
    assert len(broken) == 1 and broken[0]["location"] == "Main Street"
    assert sum(s["new"] for s in summary["sources"]) > 100
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(SourceRun).where(SourceRun.status == "error")) == 1


def test_prefect_yaml_schedules_the_daily_flow_daily():
    spec = yaml.safe_load(open(DEMO_DIR.parent / "prefect.yaml"))
    (deployment,) = [d for d in spec["deployments"] if d["name"] == "daily-stories"]
    module, function = deployment["entrypoint"].split(":")
    assert module == "flows/daily_stories.py" and function == daily_stories.fn.__name__
    (schedule,) = deployment["schedules"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert day == month == weekday == "*" and minute.isdigit() and hour.isdigit()


def test_demo_reviews_are_plentiful_varied_and_cover_ninety_days():
    site = DemoSite.load()
    assert len(site.reviews) >= 150
    assert {r["business"] for r in site.reviews} == {"riverside-clinic", "luna-trattoria", "northgate-bank"}
    assert max(r["days_ago"] for r in site.reviews) >= 85
    assert len({r["id"] for r in site.reviews}) == len(site.reviews)
    last_week = Counter(r["location"] for r in site.reviews
                        if r["days_ago"] < 7 and r["rating"] is not None and r["rating"] <= 2)
    burst = last_week.pop("harbour-road")
    assert burst >= 5 and max(last_week.values()) <= 1  # one location's burst, the others' usual trickle
    assert json.dumps(site.reviews)  # the data file is plain JSON


def test_the_summary_warns_when_far_fewer_reviews_are_stored_than_claimed():
    from flows.summary import as_text, shortfall

    source = {"business": "B", "location": "L", "kind": "schema_org", "new": 3, "updated": 0, "seen": 3, "pages": 1,
              "skipped": 0, "errors": [], "claimed": 120, "stored": 3}
    assert shortfall(source) and not shortfall({**source, "stored": 100}) and not shortfall({**source, "claimed": None})
    summary = {"run_id": 1, "status": "ok", "sources": [source], "reviews_analysed": 3, "reviews_total": 3,
               "stories_by_type": {}, "top_stories": [], "database": "x.db"}
    assert "warning: the source says it has 120 reviews; the warehouse holds 3" in as_text(summary)
