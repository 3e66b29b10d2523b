"""Apple's public customer-reviews feed (JSON): up to 10 pages of about 50 reviews per storefront."""

from __future__ import annotations

import logging
import re

from extractors.fetch import JSON_TYPES
from extractors.page import Page, load_json
from extractors.records import InvalidReview, make_review

KIND = "app_store"
ACCEPT = JSON_TYPES
LAST_PAGE = 10  # the feed serves no more than this
PAGE_IN_URL = re.compile(r"/page=(\d+)/")
log = logging.getLogger(__name__)


def _label(node: object, key: str) -> str | None:
    value = node.get(key) if isinstance(node, dict) else None
    if isinstance(value, list):  # "content" comes as text and html; prefer the text
        value = next((v for v in value if (v.get("attributes") or {}).get("type") == "text"), value[0] if value else None)
    if isinstance(value, dict):
        value = value.get("label")
    return None if value is None else str(value)


def parse(content: str | bytes, url: str) -> Page:
    """The reviews on one feed page, and the next page's URL while there are entries."""
    page = Page()
    data = load_json(content, url, page)
    if data is None:
        return page
    feed = data.get("feed") if isinstance(data, dict) else None
    if not isinstance(feed, dict):
        page.errors.append(f"{url}: no feed in the response")
        return page
    entries = feed.get("entry") or []
    if isinstance(entries, dict):  # a single entry is not wrapped in a list
        entries = [entries]
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or "im:rating" not in entry:
            continue  # the app's own entry, not a review
        try:
            page.reviews.append(make_review(
                KIND,
                external_id=_label(entry, "id"),
                body=_label(entry, "content"),
                title=_label(entry, "title"),
                author=_label(entry.get("author"), "name"),
                rating=_label(entry, "im:rating"),
                rating_max=5,
                published=_label(entry, "updated"),
                url=_label(entry.get("author"), "uri"),
            ))
        except InvalidReview as exc:
            page.skipped.append(f"entry {number} on {url}: {exc}")
    match = PAGE_IN_URL.search(url)
    if match and page.reviews and int(match.group(1)) < LAST_PAGE:
        # The feed's own "next" link points at the XML flavour; stay on JSON.
        page.next_url = PAGE_IN_URL.sub(f"/page={int(match.group(1)) + 1}/", url, count=1)
    return page
