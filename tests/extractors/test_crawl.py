"""Crawling chains of pages on a local server: paging, encodings, broken pages, bookmarks, 304s."""

from __future__ import annotations

import json

from extractors.crawl import crawl
from extractors.fetch import Fetcher
from tests.support.fault_server import Reply


def review_page(reviews: list[tuple[str, str]], next_path: str | None = None, charset: str = "utf-8",
                declare: str = "header") -> Reply:
    items = [{"@type": "Review", "@id": f"#{rid}", "reviewBody": body, "author": "A"} for rid, body in reviews]
    data = json.dumps({"@context": "https://schema.org", "@type": "Hotel", "name": "H",
                       "aggregateRating": {"@type": "AggregateRating", "reviewCount": 40}, "review": items},
                      ensure_ascii=False)
    meta = f'<meta charset="{charset}">' if declare == "meta" else ""
    link = f'<link rel="next" href="{next_path}">' if next_path else ""
    html = f'<html><head>{meta}{link}<script type="application/ld+json">{data}</script></head><body></body></html>'
    content_type = f"text/html; charset={charset}" if declare == "header" else "text/html"
    return Reply(200, html.encode(charset), {"Content-Type": content_type})


def fetcher() -> Fetcher:
    return Fetcher("storyminer-test", min_delay_s=0, backoff_s=0.01, allowed_hosts=["127.0.0.1"], read_timeout_s=2)


def test_pages_are_followed_until_there_is_no_next_link(fault_server):
    fault_server.routes["/r"] = review_page([("1", "one"), ("2", "two")], "/r/2")
    fault_server.routes["/r/2"] = review_page([("3", "three")])
    result = crawl(fetcher(), "schema_org", fault_server.url + "/r")
    assert [r.external_id for r in result.reviews] == ["/r#1", "/r#2", "/r/2#3"]
    assert result.pages_fetched == 2 and result.claimed == 40 and result.errors == []


def test_non_utf8_pages_declared_in_the_header_or_only_in_meta(fault_server):
    fault_server.routes["/latin"] = review_page([("1", "Très bon café, personnel aimable")], charset="iso-8859-1")
    fault_server.routes["/meta"] = review_page([("1", "Sehr gut, schöne Zimmer und freundlich")], charset="windows-1252",
                                               declare="meta")
    assert crawl(fetcher(), "schema_org", fault_server.url + "/latin").reviews[0].body == "Très bon café, personnel aimable"
    assert crawl(fetcher(), "schema_org", fault_server.url + "/meta").reviews[0].body == "Sehr gut, schöne Zimmer und freundlich"


def test_truncated_and_garbage_html_give_what_can_be_read_and_no_crash(fault_server):
    whole = review_page([("1", "fine")]).body
    fault_server.routes["/cut"] = Reply(200, whole[: len(whole) // 2], {"Content-Type": "text/html"})
    fault_server.routes["/junk"] = Reply(200, bytes(range(256)) * 40, {"Content-Type": "text/html"})
    assert crawl(fetcher(), "schema_org", fault_server.url + "/cut").reviews == []
    junk = crawl(fetcher(), "schema_org", fault_server.url + "/junk")
    assert junk.reviews == [] and junk.errors == []


def test_the_same_review_on_two_pages_is_kept_once_per_id(fault_server):
    fault_server.routes["/r"] = review_page([("1", "one"), ("2", "two")], "/r?page=2")
    page_two = review_page([("2", "two"), ("3", "three")])
    page_two.body = page_two.body.replace(b'"#2"', b'"/r#2"').replace(b'"#3"', b'"/r#3"')
    fault_server.routes["/r?page=2"] = page_two
    result = crawl(fetcher(), "schema_org", fault_server.url + "/r")
    assert sorted({r.external_id for r in result.reviews}) == ["/r#1", "/r#2", "/r#3"]


def test_paging_stops_at_a_page_of_reviews_already_stored(fault_server):
    fault_server.routes["/r"] = review_page([("9", "new one"), ("1", "one")], "/r/2")
    fault_server.routes["/r/2"] = review_page([("2", "two"), ("3", "three")], "/r/3")
    fault_server.routes["/r/3"] = review_page([("4", "four")])
    first = crawl(fetcher(), "schema_org", fault_server.url + "/r")
    known = {r.external_id: r.content_hash for r in first.reviews if r.external_id != "/r#9"}
    second = crawl(fetcher(), "schema_org", fault_server.url + "/r", known=known)
    assert second.pages_fetched == 2 and second.stopped_at_bookmark
    assert fault_server.hits["/r/3"] == 1


def test_an_edited_review_keeps_paging_going(fault_server):
    fault_server.routes["/r"] = review_page([("1", "one")], "/r/2")
    fault_server.routes["/r/2"] = review_page([("2", "two")])
    first = crawl(fetcher(), "schema_org", fault_server.url + "/r")
    known = {r.external_id: r.content_hash for r in first.reviews}
    fault_server.routes["/r"] = review_page([("1", "one, edited to add: the manager called me back")], "/r/2")
    second = crawl(fetcher(), "schema_org", fault_server.url + "/r", known=known)
    edited = [r for r in second.reviews if known.get(r.external_id) != r.content_hash]
    assert [r.external_id for r in edited] == ["/r#1"]
    assert second.pages_fetched == 2


def test_an_unchanged_first_page_answers_304_and_stops_the_crawl(fault_server):
    def page(headers):
        if headers.get("if-none-match") == '"v7"':
            return Reply(304)
        reply = review_page([("1", "one")], "/r/2")
        reply.headers["ETag"] = '"v7"'
        return reply

    fault_server.routes["/r"] = page
    fault_server.routes["/r/2"] = review_page([("2", "two")])
    first = crawl(fetcher(), "schema_org", fault_server.url + "/r")
    second = crawl(fetcher(), "schema_org", fault_server.url + "/r", validators=first.validators)
    assert second.pages_unchanged == 1 and second.reviews == [] and second.pages_fetched == 1
    assert fault_server.hits["/r/2"] == 1


def test_an_error_part_way_keeps_the_reviews_already_read(fault_server):
    fault_server.routes["/r"] = review_page([("1", "one")], "/r/2")
    fault_server.routes["/r/2"] = Reply(404)
    result = crawl(fetcher(), "schema_org", fault_server.url + "/r")
    assert len(result.reviews) == 1 and "HTTP 404" in result.errors[0]


def test_a_next_link_that_loops_is_reported(fault_server):
    fault_server.routes["/r"] = review_page([("1", "one")], "/r")
    result = crawl(fetcher(), "schema_org", fault_server.url + "/r")
    assert "loops back" in result.errors[0]


def test_google_business_pages_with_a_bearer_token(fault_server):
    base = "/v4/accounts/acc-1/locations/loc-9/reviews"

    def api(headers):
        if headers.get("authorization") != "Bearer sekrit":
            return Reply(401, b'{"error": {"code": 401}}', {"Content-Type": "application/json"})
        body = {"reviews": [{"reviewId": "g1", "comment": "Helpful staff", "starRating": "FIVE"}],
                "totalReviewCount": 2, "nextPageToken": "p2"}
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    fault_server.routes[base] = api
    fault_server.routes[base + "?pageSize=50&pageToken=p2"] = Reply(
        200, json.dumps({"reviews": [{"reviewId": "g2", "comment": "Long wait", "starRating": "TWO"}]}).encode(),
        {"Content-Type": "application/json"})
    start = fault_server.url + base + "?pageSize=50"
    result = crawl(fetcher(), "google_business", start, headers={"Authorization": "Bearer sekrit"})
    assert [r.external_id for r in result.reviews] == ["g1", "g2"] and result.claimed == 2
    refused = crawl(fetcher(), "google_business", start, headers={"Authorization": "Bearer wrong"})
    assert "HTTP 401" in refused.errors[0]
