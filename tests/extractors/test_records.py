"""Cleaning shared by every extractor: text, numbers, dates, ratings, ids."""

from __future__ import annotations

import pytest

from extractors.records import InvalidReview, make_review, parse_date, parse_number


@pytest.mark.parametrize("raw, expected", [
    ("2026-05-04", "2026-05-04T00:00:00"),
    ("2026-05-04T10:00:00Z", "2026-05-04T10:00:00"),
    ("2026-05-04T10:00:00-05:00", "2026-05-04T15:00:00"),
    ("May 4, 2026", "2026-05-04T00:00:00"),
    ("4 May 2026", "2026-05-04T00:00:00"),
    ("not a date", None),
    ("", None),
    (None, None),
])
def test_dates(raw, expected):
    assert parse_date(raw) == expected


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
