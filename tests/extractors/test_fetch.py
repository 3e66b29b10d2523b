"""The fetcher against a misbehaving server on 127.0.0.1: retries, caps, robots.txt, redirects, refusals."""

from __future__ import annotations

import gzip
import time

import pytest

from extractors.fetch import HTML_TYPES, FetchError, Fetcher, retry_after_seconds
from tests.support.fault_server import Reply

PAGE = b"<html><body>hello</body></html>"
HTML = {"Content-Type": "text/html; charset=utf-8"}


def fetcher(**overrides) -> Fetcher:
    options = dict(user_agent="storyminer-test", min_delay_s=0, backoff_s=0.01, allowed_hosts=["127.0.0.1"],
                   read_timeout_s=1.0)
    return Fetcher(**{**options, **overrides})


def test_429_with_retry_after_is_retried_after_the_pause_asked_for(fault_server):
    fault_server.routes["/p"] = [Reply(429, headers={"Retry-After": "1"}), Reply(200, PAGE, HTML)]
    started = time.monotonic()
    assert fetcher().get(fault_server.url + "/p").content == PAGE
    assert time.monotonic() - started >= 0.9
    assert fault_server.hits["/p"] == 2


def test_retry_after_is_capped(fault_server):
    fault_server.routes["/p"] = [Reply(503, headers={"Retry-After": "3600"}), Reply(200, PAGE, HTML)]
    started = time.monotonic()
    assert fetcher(max_retry_after_s=0.2).get(fault_server.url + "/p").status == 200
    assert time.monotonic() - started < 5


def test_503_then_success(fault_server):
    fault_server.routes["/p"] = [Reply(503), Reply(503), Reply(200, PAGE, HTML)]
    assert fetcher().get(fault_server.url + "/p").content == PAGE
    assert fault_server.hits["/p"] == 3


def test_at_most_three_attempts(fault_server):
    fault_server.routes["/p"] = Reply(500)
    with pytest.raises(FetchError, match="HTTP 500 after 3 attempts"):
        fetcher().get(fault_server.url + "/p")
    assert fault_server.hits["/p"] == 3


def test_no_retry_on_404(fault_server):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher().get(fault_server.url + "/missing")
    assert fault_server.hits["/missing"] == 1


def test_a_timeout_is_retried_then_reported(fault_server):
    fault_server.routes["/slow"] = Reply(200, PAGE, HTML, delay_s=1.5)
    with pytest.raises(FetchError, match="timed out after 2 attempts"):
        fetcher(read_timeout_s=0.3, attempts=2).get(fault_server.url + "/slow")


def test_a_body_cut_short_is_an_error_not_a_page(fault_server):
    fault_server.routes["/cut"] = Reply(200, PAGE * 100, {**HTML, "Content-Length": str(len(PAGE) * 100)}, truncate_to=50)
    with pytest.raises(FetchError, match="before the whole body arrived"):
        fetcher(attempts=1).get(fault_server.url + "/cut")


def test_a_body_over_the_cap_is_refused(fault_server):
    fault_server.routes["/big"] = Reply(200, b"x" * 20_000, HTML)
    with pytest.raises(FetchError, match="byte cap"):
        fetcher(max_body_bytes=10_000).get(fault_server.url + "/big")


def test_a_body_over_the_cap_without_content_length_is_refused(fault_server):
    fault_server.routes["/big"] = Reply(200, b"x" * 50_000, {**HTML, "Content-Length": ""})
    with pytest.raises(FetchError, match="byte cap"):
        fetcher(max_body_bytes=10_000).get(fault_server.url + "/big")


def test_a_gzip_bomb_is_refused_without_inflating_it(fault_server):
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)  # 200 MiB that packs to ~200 KiB
    fault_server.routes["/bomb"] = Reply(200, bomb, {**HTML, "Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="byte cap"):
        fetcher(max_body_bytes=1024 * 1024).get(fault_server.url + "/bomb")


def test_a_redirect_loop_is_caught(fault_server):
    fault_server.routes["/a"] = Reply(302, headers={"Location": "/b"})
    fault_server.routes["/b"] = Reply(302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher().get(fault_server.url + "/a")


def test_redirects_are_followed(fault_server):
    fault_server.routes["/old"] = Reply(301, headers={"Location": "/new"})
    fault_server.routes["/new"] = Reply(200, PAGE, HTML)
    result = fetcher().get(fault_server.url + "/old")
    assert result.url == fault_server.url + "/new" and result.content == PAGE


@pytest.mark.parametrize("target", ["http://10.1.2.3/admin", "http://169.254.169.254/latest/meta-data",
                                    "http://192.168.0.1/", "http://[::1]:8080/"])
def test_a_redirect_into_a_private_address_is_refused_before_connecting(fault_server, target):
    fault_server.routes["/go"] = Reply(302, headers={"Location": target})
    with pytest.raises(FetchError, match="private or local address"):
        fetcher().get(fault_server.url + "/go")


def test_loopback_is_refused_unless_allowed(fault_server):
    fault_server.routes["/p"] = Reply(200, PAGE, HTML)
    with pytest.raises(FetchError, match="private or local address"):
        fetcher(allowed_hosts=[]).get(fault_server.url + "/p")
    assert fault_server.hits["/p"] == 0


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "javascript:alert(1)"])
def test_only_http_and_https(url):
    with pytest.raises(FetchError, match="only http and https"):
        fetcher().get(url)


def test_robots_disallow_is_honoured(fault_server):
    fault_server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private\n")
    fault_server.routes["/private/p"] = Reply(200, PAGE, HTML)
    with pytest.raises(FetchError, match="disallowed by the site's robots.txt"):
        fetcher().get(fault_server.url + "/private/p")
    assert fault_server.hits["/private/p"] == 0


def test_robots_500_allows_nothing(fault_server):
    fault_server.routes["/robots.txt"] = Reply(500)
    fault_server.routes["/p"] = Reply(200, PAGE, HTML)
    with pytest.raises(FetchError, match="robots.txt could not be read"):
        fetcher(attempts=1).get(fault_server.url + "/p")
    assert fault_server.hits["/p"] == 0


def test_robots_404_allows_everything(fault_server):
    fault_server.routes["/p"] = Reply(200, PAGE, HTML)
    assert fetcher().get(fault_server.url + "/p").status == 200


def test_robots_is_cached(fault_server):
    fault_server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nAllow: /\n")
    fault_server.routes["/p"] = Reply(200, PAGE, HTML)
    client = fetcher()
    for _ in range(3):
        client.get(fault_server.url + "/p")
    assert fault_server.hits["/robots.txt"] == 1


def test_crawl_delay_is_honoured(fault_server):
    fault_server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nCrawl-delay: 0.4\n")
    fault_server.routes["/p"] = Reply(200, PAGE, HTML)
    client = fetcher()
    started = time.monotonic()
    client.get(fault_server.url + "/p")
    client.get(fault_server.url + "/p")
    assert time.monotonic() - started >= 0.4


def test_a_crawl_delay_over_30_seconds_skips_the_host(fault_server):
    fault_server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nCrawl-delay: 120\n")
    with pytest.raises(FetchError, match="Crawl-delay of 120 s"):
        fetcher().get(fault_server.url + "/p")


def test_min_delay_spaces_requests_to_one_host(fault_server):
    fault_server.routes["/p"] = Reply(200, PAGE, HTML)
    client = fetcher(min_delay_s=0.3)
    started = time.monotonic()
    for _ in range(3):
        client.get(fault_server.url + "/p")
    assert time.monotonic() - started >= 0.6


def test_conditional_request_gets_304_for_an_unchanged_page(fault_server):
    def page(headers):
        if headers.get("if-none-match") == '"v1"':
            return Reply(304)
        return Reply(200, PAGE, {**HTML, "ETag": '"v1"', "Last-Modified": "Mon, 02 Nov 2026 10:00:00 GMT"})

    fault_server.routes["/p"] = page
    first = fetcher().get(fault_server.url + "/p")
    assert first.etag == '"v1"' and first.last_modified and not first.not_modified
    again = fetcher().get(fault_server.url + "/p", etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.content == b""


def test_an_unexpected_content_type_is_refused(fault_server):
    fault_server.routes["/img"] = Reply(200, b"\x89PNG", {"Content-Type": "image/png"})
    with pytest.raises(FetchError, match="content type image/png"):
        fetcher().get(fault_server.url + "/img", accept=HTML_TYPES)


def test_a_user_agent_is_sent(fault_server):
    fault_server.routes["/p"] = Reply(200, PAGE, HTML)
    fetcher().get(fault_server.url + "/p")
    assert all(headers["user-agent"] == "storyminer-test" for _, headers in fault_server.requests)


@pytest.mark.parametrize("value, low, high", [("5", 5, 5), ("", None, None), ("soon", None, None)])
def test_retry_after_values(value, low, high):
    seconds = retry_after_seconds(value)
    assert seconds == low if low is None else low <= seconds <= high


def test_retry_after_as_an_http_date():
    from email.utils import format_datetime
    from datetime import datetime, timedelta, timezone

    when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after_seconds(when) <= 31
