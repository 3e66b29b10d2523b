"""Alerts on a real warehouse (SQLite and PostgreSQL): raising, cooldown, ongoing spikes, history, behaviours."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

import pytest

from extractors.records import make_review
from flows.alerting import backtest, detect
from flows.settings import AlertsConfig, parse_settings
from nlp.analyser import Analysis
from warehouse.alerts import acknowledge, list_alerts
from warehouse.db import open_warehouse
from warehouse.load import load_reviews, start_run, sync_sources
from warehouse.models import BehaviourMention
from warehouse.stories import reviews_for_analysis, save_analyses, unanalysed_review_ids

TODAY = date(2026, 11, 23)
CONFIG = {"businesses": [{"name": "Riverside Clinic", "locations": [
    {"name": "Harbour Road", "sources": [{"kind": "schema_org", "url": "https://clinic.example/harbour"}]},
    {"name": "Main Street", "sources": [{"kind": "schema_org", "url": "https://clinic.example/main"}]}]}]}
numbers = count()


def daily(**settings) -> AlertsConfig:
    """Day-by-day windows, so the counts in these tests are the day's own."""
    return AlertsConfig(window_days=1, **settings)


class Warehouse:
    def __init__(self, url: str) -> None:
        self.engine = open_warehouse(url)
        self.sources = {s.location: s.source_id for s in sync_sources(self.engine, parse_settings(CONFIG).businesses)}

    def add(self, location: str, day: date, n: int, story_type: str = "negative", behaviour: str | None = None):
        """N stories of STORY_TYPE published on DAY at LOCATION (read as the analyser would have)."""
        reviews = [make_review("schema_org", external_id=f"r{next(numbers)}", body=f"review {i}", rating=1,
                               published=day.isoformat()) for i in range(n)]
        load_reviews(self.engine, start_run(self.engine), self.sources[location], reviews)
        rows = reviews_for_analysis(self.engine, unanalysed_review_ids(self.engine, "v"))
        behaviours = [{"code": behaviour, "text": "x", "sentence": "x", "start": 0, "end": 1,
                       "polarity": "negative", "negated": False}] if behaviour else []
        analyses = [Analysis(r["id"], "en", -0.8, "negative", -0.8, "negative", story_type, 50.0, "Awful.",
                             behaviours=list(behaviours)) for r in rows]
        save_analyses(self.engine, analyses, {r["id"]: r["content_hash"] for r in rows}, "v")

    def steady(self, location: str, days: int, every: int = 7, end: date = TODAY):
        for i in range(1, days, every):
            self.add(location, end - timedelta(days=i), 1)


@pytest.fixture
def warehouse(warehouse_url) -> Warehouse:
    return Warehouse(warehouse_url)


def test_a_burst_raises_one_alert_with_its_reviews(warehouse):
    warehouse.steady("Harbour Road", 60)
    warehouse.add("Harbour Road", TODAY, 4)
    warehouse.add("Main Street", TODAY, 1)
    results = detect(warehouse.engine, daily(), TODAY)
    assert [(outcome, found.behaviour) for found, _, outcome in results] == [("new", "all")]
    (alert,) = list_alerts(warehouse.engine)
    assert (alert["location"], alert["observed"], alert["status"]) == ("Harbour Road", 4, "open")
    assert len(alert["review_ids"]) == 4 and alert["expected"] < 2


def test_running_again_the_same_day_raises_nothing_new(warehouse):
    warehouse.add("Harbour Road", TODAY, 4)
    detect(warehouse.engine, daily(), TODAY)
    again = detect(warehouse.engine, daily(), TODAY)
    assert [outcome for _, _, outcome in again] == ["updated"]
    assert len(list_alerts(warehouse.engine)) == 1


def test_an_ongoing_spike_updates_its_alert(warehouse):
    warehouse.add("Harbour Road", TODAY - timedelta(days=1), 4)
    detect(warehouse.engine, daily(), TODAY - timedelta(days=1))
    warehouse.add("Harbour Road", TODAY, 5)
    results = detect(warehouse.engine, daily(), TODAY)
    assert "updated" in [outcome for _, _, outcome in results]
    (alert,) = list_alerts(warehouse.engine)
    assert alert["window_end"] == TODAY.isoformat() and alert["observed"] == 5 and len(alert["review_ids"]) == 9


def test_cooldown_after_acknowledging(warehouse):
    warehouse.add("Harbour Road", TODAY - timedelta(days=1), 4)
    (first,) = [a for _, a, _ in detect(warehouse.engine, daily(), TODAY - timedelta(days=1))]
    assert acknowledge(warehouse.engine, first, "service lead")
    warehouse.add("Harbour Road", TODAY, 6)
    within = detect(warehouse.engine, daily(cooldown_hours=48, lookback_days=0), TODAY)
    assert [outcome for _, _, outcome in within] == ["cooldown"]
    after = detect(warehouse.engine, daily(cooldown_hours=0, lookback_days=0), TODAY)
    assert [outcome for _, _, outcome in after] == ["new"]
    statuses = sorted(a["status"] for a in list_alerts(warehouse.engine))
    assert statuses == ["acknowledged", "open"]


def test_importing_history_raises_nothing_for_old_days(warehouse):
    old_burst = TODAY - timedelta(days=200)
    warehouse.steady("Harbour Road", 400, every=5)
    warehouse.add("Harbour Road", old_burst, 8)
    assert detect(warehouse.engine, daily(), TODAY) == []
    assert list_alerts(warehouse.engine) == []
    replay = backtest(warehouse.engine, daily(), TODAY, 365)
    assert [found.spike.day for found in replay] == [old_burst]


def test_reviews_arriving_late_count_only_within_the_lookback(warehouse):
    warehouse.add("Harbour Road", TODAY - timedelta(days=2), 4)
    assert [o for _, _, o in detect(warehouse.engine, daily(lookback_days=2), TODAY)] == ["new"]
    warehouse.add("Main Street", TODAY - timedelta(days=5), 4)
    assert all(f.location_id != warehouse.sources["Main Street"] for f, _, _ in
               detect(warehouse.engine, daily(lookback_days=2), TODAY))


def test_a_behaviour_spike_is_raised_per_behaviour(warehouse):
    warehouse.steady("Main Street", 40)
    warehouse.add("Main Street", TODAY, 3, story_type="mixed", behaviour="no_surprises")
    results = detect(warehouse.engine, daily(), TODAY)
    assert [(found.behaviour, outcome) for found, _, outcome in results] == [("no_surprises", "new")]
    assert detect(warehouse.engine, daily(per_behaviour=False), TODAY - timedelta(days=3)) == []
