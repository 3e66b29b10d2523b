"""Fetch pages like a good citizen: robots.txt, one request at a time per host, delays, bounded retries,
size caps, conditional requests, and no requests into private networks unless allowed."""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from protego import Protego

log = logging.getLogger(__name__)
RETRY_STATUSES = {429, 500, 502, 503, 504}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
HTML_TYPES = ("text/html", "application/xhtml+xml")
JSON_TYPES = ("application/json", "text/json", "text/javascript", "application/javascript")


class FetchError(Exception):
    """A page could not be fetched; the message says which and why."""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    content: bytes
    content_type: str
    encoding: str | None
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None
    location: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class _Robots:
    rules: Protego | None  # None: everything allowed (robots.txt absent, 4xx)
    disallow_all: bool
    fetched_at: float


class Fetcher:
    """One per crawl; safe to share between threads, each host still sees one request at a time."""

    def __init__(
        self,
        user_agent: str,
        min_delay_s: float = 1.0,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 20.0,
        max_body_bytes: int = 5 * 1024 * 1024,
        attempts: int = 3,
        backoff_s: float = 1.0,
        max_retry_after_s: float = 60.0,
        max_crawl_delay_s: float = 30.0,
        max_redirects: int = 5,
        robots_ttl_s: float = 24 * 3600,
        allowed_hosts: Iterable[str] = (),
        session: requests.Session | None = None,
    ) -> None:
        self.user_agent = user_agent
        self.min_delay_s = min_delay_s
        self.timeout = (connect_timeout_s, read_timeout_s)
        self.max_body_bytes = max_body_bytes
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.max_retry_after_s = max_retry_after_s
        self.max_crawl_delay_s = max_crawl_delay_s
        self.max_redirects = max_redirects
        self.robots_ttl_s = robots_ttl_s
        self.allowed_hosts = {h.lower() for h in allowed_hosts}
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self._robots: dict[str, _Robots] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._last_request: dict[str, float] = {}
        self._guard = threading.Lock()

    # -- public ---------------------------------------------------------------------------------

    def get(self, url: str, *, accept: tuple[str, ...] = (), etag: str | None = None,
            last_modified: str | None = None, headers: dict | None = None) -> Fetched:
        """GET URL (a 304 comes back as not_modified), or raise FetchError saying why not."""
        self.check_target(url)
        self._check_robots(url)
        request_headers = dict(headers or {})
        if etag:
            request_headers["If-None-Match"] = etag
        if last_modified:
            request_headers["If-Modified-Since"] = last_modified
        for attempt in range(1, self.attempts + 1):
            try:
                response = self._follow(url, request_headers)
            except (requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                if attempt == self.attempts:
                    raise FetchError(f"{url}: {_describe(exc)} after {attempt} attempts") from None
                self._sleep_before_retry(url, attempt, None)
                continue
            except requests.RequestException as exc:
                raise FetchError(f"{url}: {_describe(exc)}") from None
            if response.status in RETRY_STATUSES:
                if attempt == self.attempts:
                    raise FetchError(f"{url}: HTTP {response.status} after {attempt} attempts")
                self._sleep_before_retry(url, attempt, response.retry_after)
                continue
            if response.status >= 400:
                raise FetchError(f"{url}: HTTP {response.status}")
            if accept and not response.not_modified:
                kind = response.content_type.split(";")[0].strip().lower()
                if kind and kind not in accept:
                    raise FetchError(f"{url}: content type {kind} is not one this source kind reads")
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def check_target(self, url: str) -> None:
        """Refuse non-http(s) URLs, and hosts on loopback, private or link-local addresses unless allowed."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: only http and https URLs can be fetched")
        host = parts.hostname.lower()
        if host in self.allowed_hosts:
            return
        try:
            literal = ipaddress.ip_address(host)
            addresses = [literal]
        except ValueError:
            try:
                infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                           proto=socket.IPPROTO_TCP)
            except socket.gaierror as exc:
                raise FetchError(f"{url}: cannot resolve {host}: {exc.strerror}") from None
            addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
        for address in addresses:
            if str(address) in self.allowed_hosts:
                continue
            if (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
                    or address.is_multicast or address.is_unspecified):
                raise FetchError(f"{url}: {host} is a private or local address ({address}); "
                                 "add it to crawl.allow_hosts to fetch it")

    def allowed(self, url: str) -> bool:
        """What the host's robots.txt (RFC 9309) says about URL for our user agent."""
        robots = self._robots_for(url)
        if robots.disallow_all:
            return False
        return robots.rules is None or robots.rules.can_fetch(url, self.user_agent)

    # -- robots.txt -----------------------------------------------------------------------------

    def _robots_for(self, url: str) -> _Robots:
        parts = urlsplit(url)
        origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        cached = self._robots.get(origin)
        if cached and time.monotonic() - cached.fetched_at < self.robots_ttl_s:
            return cached
        try:
            response = self._follow(origin + "/robots.txt", {})
        except (requests.RequestException, FetchError) as exc:
            log.warning("%s/robots.txt unreachable (%s): fetching nothing from this host", origin, _describe(exc))
            robots = _Robots(None, True, time.monotonic())
        else:
            if response.status >= 500:
                robots = _Robots(None, True, time.monotonic())  # RFC 9309: server error, allow nothing
            elif response.status >= 400:
                robots = _Robots(None, False, time.monotonic())  # RFC 9309: unavailable, allow all
            else:
                text = response.content.decode("utf-8", "replace")
                robots = _Robots(Protego.parse(text), False, time.monotonic())
        self._robots[origin] = robots
        return robots

    def _check_robots(self, url: str) -> None:
        robots = self._robots_for(url)
        if robots.disallow_all:
            raise FetchError(f"{url}: robots.txt could not be read (server error or unreachable), "
                             "so nothing is fetched from this host")
        if robots.rules is None:
            return
        if not robots.rules.can_fetch(url, self.user_agent):
            raise FetchError(f"{url}: disallowed by the site's robots.txt")
        delay = robots.rules.crawl_delay(self.user_agent)
        if delay is not None and delay > self.max_crawl_delay_s:
            raise FetchError(f"{url}: robots.txt asks for a Crawl-delay of {delay:g} s, more than the "
                             f"{self.max_crawl_delay_s:g} s we wait; host skipped")

    def _delay_for(self, url: str) -> float:
        parts = urlsplit(url)
        robots = self._robots.get(urlunsplit((parts.scheme, parts.netloc, "", "", "")))
        crawl_delay = robots.rules.crawl_delay(self.user_agent) if robots and robots.rules else None
        return max(self.min_delay_s, crawl_delay or 0.0)

    # -- HTTP -----------------------------------------------------------------------------------

    def _follow(self, url: str, headers: dict) -> Fetched:
        """One GET, following redirects by hand so every hop is checked and loops are caught."""
        seen = {url}
        current = url
        for _ in range(self.max_redirects + 1):
            response = self._request(current, headers)
            if response.status not in REDIRECT_STATUSES:
                return response
            if not response.location:
                return response
            target = urljoin(current, response.location)
            if target in seen:
                raise FetchError(f"{url}: redirect loop through {target}")
            self.check_target(target)
            seen.add(target)
            current = target
        raise FetchError(f"{url}: more than {self.max_redirects} redirects")

    def _request(self, url: str, headers: dict) -> Fetched:
        host = urlsplit(url).netloc
        with self._guard:
            lock = self._host_locks.setdefault(host, threading.Lock())
        with lock:  # one request at a time per host, and a pause between them
            last = self._last_request.get(host)
            if last is not None:
                pause = self._delay_for(url) - (time.monotonic() - last)
                if pause > 0:
                    time.sleep(pause)
            try:
                return self._read(url, headers)
            finally:
                self._last_request[host] = time.monotonic()

    def _read(self, url: str, headers: dict) -> Fetched:
        with self.session.get(url, headers=headers, timeout=self.timeout, stream=True,
                              allow_redirects=False) as response:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_body_bytes:
                raise FetchError(f"{url}: body of {declared} bytes is over the {self.max_body_bytes} byte cap")
            chunks, size = [], 0
            for chunk in response.iter_content(16 * 1024):  # decompressed, so a gzip bomb stops here
                size += len(chunk)
                if size > self.max_body_bytes:
                    raise FetchError(f"{url}: body over the {self.max_body_bytes} byte cap, refused")
                chunks.append(chunk)
            return Fetched(
                url=response.url,
                status=response.status_code,
                content=b"".join(chunks),
                content_type=response.headers.get("Content-Type", ""),
                encoding=response.encoding,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                retry_after=response.headers.get("Retry-After"),
                location=response.headers.get("Location"),
            )

    def _sleep_before_retry(self, url: str, attempt: int, retry_after: str | None) -> None:
        delay = self.backoff_s * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
        asked = retry_after_seconds(retry_after)
        if asked is not None:
            delay = min(asked, self.max_retry_after_s)
        log.info("%s: retrying in %.1f s (attempt %d of %d)", url, delay, attempt + 1, self.attempts)
        time.sleep(delay)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _describe(exc: BaseException) -> str:
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "connection closed before the whole body arrived"
    if isinstance(exc, requests.ConnectionError):
        return "could not connect"
    return str(exc) or type(exc).__name__
