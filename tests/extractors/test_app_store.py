"""Apple's customer-reviews feed: entries, the app's own entry, paging, broken feeds."""

from __future__ import annotations

import json

from extractors import app_store
from flows.demo_site import DemoSite

URL = "https://itunes.apple.com/us/rss/customerreviews/page=1/id=1460000001/sortby=mostrecent/json"


def entry(i: int, **overrides) -> dict:
    base = {"author": {"name": {"label": f"user{i}"}, "uri": {"label": f"https://x/{i}"}},
            "updated": {"label": "2026-11-20T09:15:00-07:00"}, "im:rating": {"label": "4"},
            "id": {"label": str(1000 + i)}, "title": {"label": f"Title {i}"},
            "content": [{"label": f"Body {i} text here", "attributes": {"type": "text"}},
                        {"label": f"<p>Body {i}</p>", "attributes": {"type": "html"}}]}
    return {**base, **overrides}


def test_entries_become_reviews_and_the_apps_own_entry_is_ignored():
    app = {"im:name": {"label": "Northgate Mobile"}, "id": {"label": "1460000001"}}
    page = app_store.parse(json.dumps({"feed": {"entry": [app, entry(1), entry(2)]}}), URL)
    first = page.reviews[0]
    assert [r.external_id for r in page.reviews] == ["1001", "1002"]
    assert (first.author, first.title, first.body) == ("user1", "Title 1", "Body 1 text here")
    assert (first.rating, first.rating_max) == (4.0, 5.0)
    assert first.published_at == "2026-11-20T16:15:00" and first.published_precision == "exact"


def test_paging_goes_on_while_pages_have_entries_and_stops_at_ten():
    page = app_store.parse(json.dumps({"feed": {"entry": entry(1)}}), URL)  # one entry, not a list
    assert len(page.reviews) == 1
    assert page.next_url == URL.replace("page=1", "page=2")
    last = URL.replace("page=1", "page=10")
    assert app_store.parse(json.dumps({"feed": {"entry": [entry(1)]}}), last).next_url is None
    assert app_store.parse(json.dumps({"feed": {}}), URL).next_url is None


def test_a_broken_feed_is_an_error_and_a_bad_entry_is_skipped():
    assert "not valid JSON" in app_store.parse(b'{"feed": {"entry": [', URL).errors[0]
    page = app_store.parse(json.dumps({"feed": {"entry": [entry(1, **{"im:rating": {"label": "7"}}), entry(2)]}}), URL)
    assert len(page.reviews) == 1 and "outside its scale" in page.skipped[0]


def test_the_demo_feed_parses(demo_url):
    import requests

    site = DemoSite.load()
    url = f"{demo_url}/gb/rss/customerreviews/page=1/id=1460000001/sortby=mostrecent/json"
    page = app_store.parse(requests.get(url, timeout=5).content, url)
    gb = [r for r in site.app_reviews if r["country"] == "gb"]
    assert len(page.reviews) == min(len(gb), site.feed_per_page)
