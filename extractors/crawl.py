"""Follow a source's pages from its first URL, parsing each, until there is no next page."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from extractors import get_extractor
from extractors.fetch import Fetched, FetchError, Fetcher
from extractors.records import Review

log = logging.getLogger(__name__)


@dataclass
class Crawl:
    reviews: list[Review] = field(default_factory=list)
    pages_fetched: int = 0
    claimed: int | None = None
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def decode(fetched: Fetched) -> str | bytes:
    """Text when the server names its charset; bytes otherwise, so the parser can sniff <meta>."""
    if "charset=" in fetched.content_type.lower() and fetched.encoding:
        try:
            return fetched.content.decode(fetched.encoding, errors="replace")
        except LookupError:
            pass
    return fetched.content


def crawl(fetcher: Fetcher, kind: str, start_url: str, max_pages: int = 50) -> Crawl:
    """Every review reachable from START_URL by next links; an error stops this source only."""
    parser = get_extractor(kind)
    result = Crawl()
    visited: set[str] = set()
    url: str | None = start_url
    while url and result.pages_fetched < max_pages:
        if url in visited:
            result.errors.append(f"{url}: next link loops back to a page already read")
            break
        visited.add(url)
        try:
            fetched = fetcher.get(url)
        except FetchError as exc:
            result.errors.append(str(exc))
            break
        result.pages_fetched += 1
        page = parser.parse(decode(fetched), fetched.url)
        result.reviews.extend(page.reviews)
        result.skipped.extend(page.skipped)
        if page.claimed is not None:
            result.claimed = max(result.claimed or 0, page.claimed)
        url = page.next_url
    if url and result.pages_fetched >= max_pages and not result.errors:
        log.warning("%s: stopped after max_pages=%d", start_url, max_pages)
    return result
