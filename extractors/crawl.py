"""Follow a source's pages from its first URLs, parsing each, until the next link runs out or
the pages hold nothing new (the bookmark)."""

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
    pages_unchanged: int = 0
    claimed: int | None = None
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    stopped_at_bookmark: bool = False
    # url -> (etag, last_modified), for conditional requests on the next run
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


def decode(fetched: Fetched) -> str | bytes:
    """Text when the server names its charset; bytes otherwise, so the parser can sniff <meta>."""
    if "charset=" in fetched.content_type.lower() and fetched.encoding:
        try:
            return fetched.content.decode(fetched.encoding, errors="replace")
        except LookupError:
            pass
    return fetched.content


def crawl(
    fetcher: Fetcher,
    kind: str,
    start_urls: list[str] | str,
    max_pages: int = 50,
    known: dict[str, str] | None = None,
    validators: dict[str, tuple[str | None, str | None]] | None = None,
    headers: dict[str, str] | None = None,
) -> Crawl:
    """Every new or edited review reachable from START_URLS by next links.

    KNOWN maps external ids already stored to their content hash: a page holding only those stops
    the paging (sources list newest first). An error stops this chain of pages only.
    """
    parser = get_extractor(kind)
    known = known or {}
    validators = validators or {}
    result = Crawl()
    for start in [start_urls] if isinstance(start_urls, str) else start_urls:
        _follow_chain(fetcher, parser, start, max_pages, known, validators, headers, result)
    return result


def _follow_chain(fetcher, parser, start: str, max_pages: int, known, validators, headers, result: Crawl) -> None:
    visited: set[str] = set()
    url: str | None = start
    pages = 0
    while url:
        if pages >= max_pages:
            log.warning("%s: stopped after max_pages=%d", start, max_pages)
            return
        if url in visited:
            result.errors.append(f"{url}: next link loops back to a page already read")
            return
        visited.add(url)
        etag, modified = validators.get(url, (None, None))
        try:
            fetched = fetcher.get(url, accept=parser.ACCEPT, etag=etag, last_modified=modified, headers=headers)
        except FetchError as exc:
            result.errors.append(str(exc))
            return
        pages += 1
        result.pages_fetched += 1
        if fetched.not_modified:  # nothing changed on this page since last time, nor after it
            result.pages_unchanged += 1
            result.stopped_at_bookmark = True
            return
        if fetched.etag or fetched.last_modified:
            result.validators[url] = (fetched.etag, fetched.last_modified)
        page = parser.parse(decode(fetched), fetched.url)
        result.skipped.extend(page.skipped)
        result.errors.extend(page.errors)
        if page.claimed is not None and url == start:  # each chain's first page speaks for the chain
            result.claimed = (result.claimed or 0) + page.claimed
        fresh = [r for r in page.reviews if known.get(r.external_id) != r.content_hash]
        result.reviews.extend(page.reviews)
        if page.reviews and not fresh:
            result.stopped_at_bookmark = True
            return
        url = page.next_url
