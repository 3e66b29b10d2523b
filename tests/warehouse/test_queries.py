"""Queries for marketing and service leads, on a small warehouse whose answers are checked by hand."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from extractors.records import make_review
from flows.settings import parse_settings
from nlp.analyser import Analysis
from warehouse.db import open_warehouse
from warehouse.load import load_reviews, start_run, sync_sources
from warehouse.queries import StoryFilter, practices, staff, stories, wilson
from warehouse.stories import reviews_for_analysis, save_analyses, unanalysed_review_ids

CONFIG = {"businesses": [
    {"name": "Luna Trattoria", "locations": [{"name": "Old Town", "sources": [{"kind": "schema_org", "url": "https://luna.example/r"}]}]},
    {"name": "Riverside Clinic", "locations": [{"name": "Harbour Road", "sources": [{"kind": "schema_org", "url": "https://clinic.example/r"}]}]},
]}

# (location, day, body, story type, score, behaviours [(code, polarity)], staff [(name, polarity)])
STORIES = [
    ("Old Town", "2026-11-01", "Jen remembered our anniversary and brought a cake.", "exceptional", 90,
     [("above_and_beyond", "positive"), ("emotional_connection", "positive")], [("Jen", "positive")]),
    ("Old Town", "2026-11-02", "Jen checked on us often; lovely evening.", "exceptional", 80,
     [("attentiveness", "positive")], [("Jen", "positive")]),
    ("Old Town", "2026-11-03", "Marco explained every dish, 100% worth it.", "exceptional", 70,
     [("clarity", "positive")], [("Marco", "positive")]),
    ("Old Town", "2026-11-04", "Good pasta, friendly staff.", "positive", 40, [("friendliness", "positive")], []),
    ("Old Town", "2026-11-05", "Waited an hour; O'Brien's table got served first.", "negative", 50,
     [("access", "negative")], []),
    ("Harbour Road", "2026-11-06", "Surprise bill for $400 -- DROP TABLE reviews; nobody warned us.", "execrable", 85,
     [("no_surprises", "negative")], []),
    ("Harbour Road", "2026-11-07", "Dr. Lind explained everything clearly.", "exceptional", 75,
     [("clarity", "positive")], [("Lind", "positive")]),
    ("Harbour Road", "2026-11-08", "Fine visit.", "neutral", 10, [], []),
]


@pytest.fixture
def engine(warehouse_url):
    engine = open_warehouse(warehouse_url)
    sources = {s.location: s.source_id for s in sync_sources(engine, parse_settings(CONFIG).businesses)}
    for i, (location, day, body, *_rest) in enumerate(STORIES):
        load_reviews(engine, start_run(engine), sources[location],
                     [make_review("schema_org", external_id=f"s{i}", body=body, published=day, rating=3)])
    rows = {r["body"]: r for r in reviews_for_analysis(engine, unanalysed_review_ids(engine, "v"))}
    analyses = []
    for location, day, body, kind, score, behaviours, people in STORIES:
        row = rows[body]
        analyses.append(Analysis(
            row["id"], "en", 0.5, "negative" if kind in ("negative", "execrable") else "positive", 0.5, "positive",
            kind, float(score), body,
            behaviours=[{"code": c, "text": "x", "sentence": body, "start": 0, "end": 1, "polarity": p,
                         "negated": False} for c, p in behaviours],
            staff=[{"name": n, "role": None, "sentence": body, "polarity": p} for n, p in people]))
    save_analyses(engine, analyses, {r["id"]: r["content_hash"] for r in rows.values()}, "v")
    return engine


def bodies(rows) -> list[str]:
    return [r["body"][:12] for r in rows]


@pytest.mark.parametrize("where, expected", [
    (StoryFilter(), 8),
    (StoryFilter(business="luna trattoria"), 5),
    (StoryFilter(location="Harbour Road"), 3),
    (StoryFilter(source="schema_org"), 8),
    (StoryFilter(source="app_store"), 0),
    (StoryFilter(behaviour="clarity"), 2),
    (StoryFilter(behaviour="access", polarity="negative"), 1),
    (StoryFilter(behaviour="access", polarity="positive"), 0),
    (StoryFilter(polarity="negative"), 2),
    (StoryFilter(story_type="exceptional"), 4),
    (StoryFilter(staff="jen"), 2),
    (StoryFilter(since=date(2026, 11, 4), until=date(2026, 11, 6)), 3),
    (StoryFilter(min_score=75), 4),
    (StoryFilter(text="EXPLAINED"), 2),
    (StoryFilter(text="O'Brien's"), 1),
    (StoryFilter(text="100%"), 1),
    (StoryFilter(text="-- DROP TABLE reviews;"), 1),
    (StoryFilter(text="%"), 1),
    (StoryFilter(text="_"), 0),
    (StoryFilter(text="' OR 1=1 --"), 0),
    (StoryFilter(location="Old Town", story_type="exceptional", min_score=75), 2),
])
def test_every_filter(engine, where, expected):
    assert len(stories(engine, where)) == expected
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT COUNT(*) FROM reviews")) == 8  # nothing was executed as SQL


def test_sorting_by_score_and_by_date(engine):
    assert bodies(stories(engine, limit=2)) == ["Jen remember", "Surprise bil"]
    assert bodies(stories(engine, sort="date", limit=2)) == ["Fine visit.", "Dr. Lind exp"]


def test_staff_per_location(engine):
    people = {(p["location"], p["name"]): p for p in staff(engine)}
    jen = people[("Old Town", "Jen")]
    assert (jen["mentions"], jen["positive"], jen["negative"]) == (2, 2, 0)
    assert jen["praised_for"] == ["above_and_beyond", "attentiveness", "emotional_connection"]
    assert jen["quotes"][0].startswith("Jen remembered")
    assert [p["name"] for p in staff(engine, location="Harbour Road")] == ["Lind"]


def test_lift_and_star_dependency_by_hand(engine):
    result = practices(engine)
    lift = {b["behaviour"]: b for b in result["behaviours"]}
    # clarity: 2 of 4 exceptional stories, 2 of 8 stories: (2/4) / (2/8) = 2.0
    assert (lift["clarity"]["in_exceptional"], lift["clarity"]["in_all"], lift["clarity"]["lift"]) == (2, 2, 2.0)
    assert lift["clarity"]["lift_low"] < 2.0 < lift["clarity"]["lift_high"]
    # friendliness: 0 of 4 exceptional, 1 of 8: lift 0
    assert lift["friendliness"]["lift"] == 0
    assert "no_surprises" not in lift and "access" not in lift  # praised behaviours only
    stars = {s["location"]: s for s in result["star_dependency"]}
    # Old Town: 3 exceptional stories, all three name Jen or Marco, its top people
    assert (stars["Old Town"]["exceptional"], stars["Old Town"]["naming_top3"], stars["Old Town"]["share"]) == (3, 3, 1.0)
    assert stars["Harbour Road"]["share"] == 1.0 and stars["Harbour Road"]["top3"] == ["Lind"]


def test_wilson_interval_is_honest_for_small_counts():
    low, high = wilson(3, 3)
    assert high == 1.0 and 0.3 < low < 0.5
    assert wilson(0, 0) == (0.0, 1.0)


def test_views_answer_the_same(engine):
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT COUNT(*) FROM story_feed WHERE story_type = 'exceptional'")) == 4
        assert conn.scalar(text("SELECT mentions FROM staff_kudos WHERE person = 'Jen'")) == 2
        rows = conn.execute(text("SELECT behaviour, day, mentions FROM behaviour_daily WHERE behaviour = 'clarity' "
                                 "ORDER BY day")).all()
    assert [(b, str(d)[:10], n) for b, d, n in rows] == [("clarity", "2026-11-03", 1), ("clarity", "2026-11-07", 1)]
