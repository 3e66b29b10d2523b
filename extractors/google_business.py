"""The Google Business Profile reviews API (accounts.locations.reviews.list), paged by nextPageToken."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from extractors.fetch import JSON_TYPES
from extractors.page import Page, load_json
from extractors.records import InvalidReview, make_review

KIND = "google_business"
ACCEPT = JSON_TYPES
STARS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}


def with_page_token(url: str, token: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "pageToken"] + [("pageToken", token)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def parse(content: str | bytes, url: str) -> Page:
    """One page of a location's reviews; the total the API reports is the claimed count."""
    page = Page()
    data = load_json(content, url, page)
    if data is None:
        return page
    if not isinstance(data, dict):
        page.errors.append(f"{url}: unexpected response shape")
        return page
    for number, item in enumerate(data.get("reviews") or [], 1):
        reviewer = item.get("reviewer") or {}
        try:
            page.reviews.append(make_review(
                KIND,
                external_id=item.get("reviewId"),
                body=item.get("comment"),
                author=None if reviewer.get("isAnonymous") else reviewer.get("displayName"),
                rating=STARS.get(str(item.get("starRating"))),
                rating_max=5,
                published=item.get("createTime"),
            ))
        except InvalidReview as exc:
            page.skipped.append(f"review {number} ({item.get('reviewId', '?')}): {exc}")
    if isinstance(data.get("totalReviewCount"), int):
        page.claimed = data["totalReviewCount"]
    if data.get("nextPageToken"):
        page.next_url = with_page_token(url, str(data["nextPageToken"]))
    return page
