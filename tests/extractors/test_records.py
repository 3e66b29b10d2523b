"""Cleaning shared by every extractor: text, numbers, dates, ratings, ids."""

from __future__ import annotations

from datetime import datetime

import pytest

from extractors.records import InvalidReview, make_review, parse_date, parse_number


NOW = datetime(2026, 11, 23, 15, 30)


@pytest.mark.parametrize("raw, expected, precision", [
    ("2026-05-04", "2026-05-04T00:00:00", "day"),
    ("2026-05-04T10:00:00Z", "2026-05-04T10:00:00", "exact"),
    ("2026-05-04T10:00:00-05:00", "2026-05-04T15:00:00", "exact"),
    ("May 4, 2026", "2026-05-04T00:00:00", "day"),
    ("4 May 2026", "2026-05-04T00:00:00", "day"),
    ("May 4, 2026 3:15 PM", "2026-05-04T15:15:00", "exact"),
    ("3 weeks ago", "2026-11-02T00:00:00", "week"),
    ("a month ago", "2026-10-23T00:00:00", "month"),
    ("2 days ago", "2026-11-21T00:00:00", "day"),
    ("yesterday", "2026-11-22T00:00:00", "day"),
    ("an hour ago", "2026-11-23T14:30:00", "exact"),
    ("Two years ago", "2024-11-23T00:00:00", "year"),
    ("not a date", None, None),
    ("", None, None),
    (None, None, None),
])
def test_dates(raw, expected, precision):
    assert parse_date(raw, NOW) == (expected, precision)


def test_a_relative_date_is_resolved_against_the_fetch_time_and_keeps_its_raw_string():
    review = make_review("k", body="Fine", published="3 weeks ago", now=NOW)
    assert (review.published_at, review.published_precision, review.published_raw) == (
        "2026-11-02T00:00:00", "week", "3 weeks ago")


@pytest.mark.parametrize("body, declared, expected", [
    ("The staff were friendly and the room was clean.", None, "en"),
    ("El personal fue muy amable y la habitación estaba limpia.", "en", "es"),
    ("Top!", "de-DE", "de"),
    ("Top!", None, None),
])
def test_language_is_detected_per_review(body, declared, expected):
    assert make_review("k", body=body, language=declared).language == expected


@pytest.mark.parametrize("raw, expected", [(4, 4.0), ("4.5", 4.5), ("4,5", 4.5), ("4 stars", 4.0), ("five", None), (True, None)])
def test_numbers(raw, expected):
    assert parse_number(raw) == expected


def test_rating_scale_defaults_to_five_and_out_of_scale_is_invalid():
    assert make_review("k", body="ok", rating="3").rating_max == 5.0
    with pytest.raises(InvalidReview, match="outside its scale"):
        make_review("k", body="ok", rating=7)


def test_title_only_review_keeps_title_as_body():
    review = make_review("k", title="Great", body="  ")
    assert review.body == "Great" and review.title is None


def test_content_hash_changes_when_the_text_is_edited():
    a = make_review("k", external_id="1", body="Good food")
    b = make_review("k", external_id="1", body="Good food, slow service")
    assert a.content_hash != b.content_hash
    assert a.content_hash == make_review("k", external_id="1", body="Good   food").content_hash
