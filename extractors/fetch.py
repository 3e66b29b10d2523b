"""Fetch pages politely: robots.txt, a user agent, a delay per host, timeouts, bounded retries."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from urllib import robotparser
from urllib.parse import urlsplit, urlunsplit

import requests

log = logging.getLogger(__name__)
RETRY_STATUSES = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A page could not be fetched; the message says which and why."""


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    content: bytes
    content_type: str
    encoding: str | None
    retry_after: str | None = None


class Fetcher:
    """One per crawl: a requests session, robots.txt rules and the last request time per host."""

    def __init__(
        self,
        user_agent: str,
        min_delay_s: float = 1.0,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 20.0,
        max_body_bytes: int = 5 * 1024 * 1024,
        attempts: int = 3,
        backoff_s: float = 1.0,
        session: requests.Session | None = None,
    ) -> None:
        self.user_agent = user_agent
        self.min_delay_s = min_delay_s
        self.timeout = (connect_timeout_s, read_timeout_s)
        self.max_body_bytes = max_body_bytes
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent
        self._robots: dict[str, robotparser.RobotFileParser] = {}
        self._last_request: dict[str, float] = {}

    def get(self, url: str) -> Fetched:
        """GET URL, or raise FetchError saying why not."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(f"{url}: only http and https URLs can be fetched")
        if not self.allowed(url):
            raise FetchError(f"{url}: disallowed by the site's robots.txt")
        for attempt in range(1, self.attempts + 1):
            try:
                response = self._request(url)
            except (requests.Timeout, requests.ConnectionError) as exc:
                if attempt == self.attempts:
                    raise FetchError(f"{url}: {type(exc).__name__} after {attempt} attempts") from None
                self._sleep_before_retry(attempt, None)
                continue
            except requests.RequestException as exc:
                raise FetchError(f"{url}: {exc}") from None
            if response.status in RETRY_STATUSES and attempt < self.attempts:
                self._sleep_before_retry(attempt, response)
                continue
            if response.status >= 400:
                raise FetchError(f"{url}: HTTP {response.status}")
            return response
        raise FetchError(f"{url}: gave up")  # pragma: no cover - the loop always returns or raises

    def allowed(self, url: str) -> bool:
        """What the host's robots.txt says about URL for our user agent."""
        parts = urlsplit(url)
        origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        rules = self._robots.get(origin)
        if rules is None:
            rules = robotparser.RobotFileParser()
            try:
                response = self._request(origin + "/robots.txt")
            except requests.RequestException:
                rules.disallow_all = True  # an unreachable robots.txt allows nothing
            else:
                if response.status >= 500:
                    rules.disallow_all = True
                elif response.status >= 400:
                    rules.allow_all = True
                else:
                    rules.parse(response.content.decode("utf-8", "replace").splitlines())
            self._robots[origin] = rules
        return rules.can_fetch(self.user_agent, url)

    def _request(self, url: str) -> Fetched:
        self._wait_for_host(urlsplit(url).netloc)
        with self.session.get(url, timeout=self.timeout, stream=True) as response:
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > self.max_body_bytes:
                    raise FetchError(f"{url}: body larger than {self.max_body_bytes} bytes, refused")
                chunks.append(chunk)
            return Fetched(
                url=response.url,
                status=response.status_code,
                content=b"".join(chunks),
                content_type=response.headers.get("Content-Type", ""),
                encoding=response.encoding,
                retry_after=response.headers.get("Retry-After"),
            )

    def _wait_for_host(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            pause = self.min_delay_s - (time.monotonic() - last)
            if pause > 0:
                time.sleep(pause)
        self._last_request[host] = time.monotonic()

    def _sleep_before_retry(self, attempt: int, response: Fetched | None) -> None:
        delay = self.backoff_s * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
        retry_after = response.retry_after if response is not None else None
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, min(float(retry_after), 60.0))
        log.info("retrying in %.1fs (attempt %d)", delay, attempt + 1)
        time.sleep(delay)
