"""The Google Business Profile reviews API shapes, and paging by nextPageToken."""

from __future__ import annotations

import json

from extractors import google_business

URL = "https://mybusiness.googleapis.com/v4/accounts/1/locations/2/reviews?pageSize=50"


def review(i: int, **overrides) -> dict:
    base = {"reviewId": f"r{i}", "reviewer": {"displayName": f"Person {i}", "isAnonymous": False},
            "starRating": "FOUR", "comment": f"Comment {i} about the service",
            "createTime": "2026-11-01T10:00:00.123Z", "updateTime": "2026-11-02T10:00:00Z",
            "name": f"accounts/1/locations/2/reviews/r{i}"}
    return {**base, **overrides}


def test_reviews_total_and_next_page_token():
    body = {"reviews": [review(1), review(2, reviewer={"isAnonymous": True}, starRating="ONE")],
            "averageRating": 3.5, "totalReviewCount": 120, "nextPageToken": "tok/en+1"}
    page = google_business.parse(json.dumps(body), URL)
    one, two = page.reviews
    assert (one.external_id, one.author, one.rating, one.body) == ("r1", "Person 1", 4.0, "Comment 1 about the service")
    assert one.published_at == "2026-11-01T10:00:00.123000"
    assert two.author is None and two.rating == 1.0
    assert page.claimed == 120
    assert page.next_url == URL + "&pageToken=tok%2Fen%2B1"
    again = google_business.parse(json.dumps({"reviews": [], "nextPageToken": "b"}), page.next_url)
    assert again.next_url.count("pageToken") == 1


def test_a_rating_without_a_comment_is_skipped_with_its_reason():
    page = google_business.parse(json.dumps({"reviews": [review(1, comment=None)]}), URL)
    assert page.reviews == [] and "no review text" in page.skipped[0]


def test_no_next_page_on_the_last_page():
    assert google_business.parse(json.dumps({"reviews": [review(1)]}), URL).next_url is None
