"""schema.org Review items from a web page, in JSON-LD or microdata, wherever they are nested."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from extractors.fetch import HTML_TYPES
from extractors.page import Page
from extractors.records import InvalidReview, make_review, parse_number

KIND = "schema_org"
ACCEPT = HTML_TYPES
REVIEW_TYPES = {"Review", "UserReview", "CriticReview", "EmployerReview"}
log = logging.getLogger(__name__)


def parse(content: str | bytes, url: str) -> Page:
    """Every Review on the page, the page's claimed review count, and the next page's URL."""
    soup = BeautifulSoup(content, "html.parser")
    page_language = _page_language(soup)
    items = list(_json_ld_items(soup)) + list(_microdata_items(soup))
    page = Page(next_url=_next_url(soup, url))
    seen: set[str] = set()
    for node in _walk(items):
        types = _types(node)
        if "AggregateRating" in types:
            count = parse_number(node.get("reviewCount") or node.get("ratingCount"))
            if count is not None:
                page.claimed = max(page.claimed or 0, int(count))
        if types & REVIEW_TYPES:
            try:
                review = _review(node, url, page_language)
            except InvalidReview as exc:
                page.skipped.append(f"review {len(page.reviews) + len(page.skipped) + 1} on {url}: {exc}")
                continue
            if review.external_id not in seen:
                seen.add(review.external_id)
                page.reviews.append(review)
    for reason in page.skipped:
        log.warning("skipped %s", reason)
    return page


def _review(node: dict, url: str, page_language: str | None):
    rating = node.get("reviewRating")
    if isinstance(rating, list):
        rating = rating[0] if rating else None
    if isinstance(rating, dict):
        value, best, worst = rating.get("ratingValue"), rating.get("bestRating"), rating.get("worstRating")
    else:
        value, best, worst = rating, None, None
    link = _text(node.get("url"))
    node_id = _text(node.get("@id"))
    if node_id and node_id.startswith("_:"):  # a blank node: only meaningful inside this document
        node_id = None
    # @id and url are IRIs, relative to the page; an identifier is the site's own string.
    identifier = (urljoin(url, node_id) if node_id else None) or _text(node.get("identifier")) or (
        urljoin(url, link) if link else None)
    return make_review(
        KIND,
        external_id=site_relative(identifier, url),
        body=_text(node.get("reviewBody")) or _text(node.get("text")) or _text(node.get("description")),
        author=_name(node.get("author")),
        rating=_text(value),
        rating_max=_text(best),
        rating_min=_text(worst),
        title=_text(node.get("name")) or _text(node.get("headline")),
        published=_text(node.get("datePublished")) or _text(node.get("dateCreated")),
        url=urljoin(url, link) if link else url,
        language=_text(node.get("inLanguage")) or page_language,
    )


def site_relative(identifier: str | None, page_url: str) -> str | None:
    """An id that is a URL on the page's own site keeps only its path: a site is the same source
    whether it is reached by http or https, or on a moved port."""
    if not identifier:
        return None
    parts = urlsplit(identifier)
    if parts.scheme in ("http", "https") and parts.netloc == urlsplit(page_url).netloc:
        return urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    return identifier


def _types(node: dict) -> set[str]:
    raw = node.get("@type") or []
    values = raw if isinstance(raw, list) else [raw]
    return {_local(str(v)) for v in values}


def _walk(value: object) -> Iterator[dict]:
    """Every mapping inside VALUE, depth first, so nested reviews are found wherever they sit."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            yield current
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend(reversed(current))


def _text(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("@id")
    if isinstance(value, list):
        value = next((v for v in value if v not in (None, "")), None)
        return _text(value)
    if value is None:
        return None
    return str(value)


def _name(value: object) -> str | None:
    if isinstance(value, list):
        names = [_name(v) for v in value]
        return ", ".join(n for n in names if n) or None
    if isinstance(value, dict):
        return _text(value.get("name")) or _text(value.get("alternateName"))
    return _text(value)


def _page_language(soup: BeautifulSoup) -> str | None:
    html = soup.find("html")
    lang = html.get("lang") if isinstance(html, Tag) else None
    return str(lang).strip() or None if lang else None


def _next_url(soup: BeautifulSoup, url: str) -> str | None:
    for tag in soup.find_all(["link", "a"], href=True):
        rel = tag.get("rel") or []
        rels = rel if isinstance(rel, list) else str(rel).split()
        if "next" in (r.lower() for r in rels):
            return urljoin(url, str(tag["href"]))
    return None


def _json_ld_items(soup: BeautifulSoup) -> Iterator[object]:
    for script in soup.find_all("script", type="application/ld+json"):
        raw = script.string or script.get_text()
        try:
            yield json.loads(raw)
        except (json.JSONDecodeError, TypeError) as exc:
            log.warning("skipped a JSON-LD block that is not valid JSON: %s", exc)


@dataclass(frozen=True)
class _Syntax:
    """Microdata and RDFa Lite differ only in attribute names; one reader serves both."""

    scope: str
    prop: str
    type: str
    ids: tuple[str, ...]


MICRODATA = _Syntax(scope="itemscope", prop="itemprop", type="itemtype", ids=("itemid",))
RDFA = _Syntax(scope="typeof", prop="property", type="typeof", ids=("resource", "about"))


def _microdata_items(soup: BeautifulSoup) -> Iterator[dict]:
    """Top-level microdata and RDFa items as JSON-LD-like mappings, so one walker reads all three."""
    for syntax in (MICRODATA, RDFA):
        for element in soup.find_all(attrs={syntax.scope: True}):
            if element.get(syntax.prop) is None:
                yield _item(element, syntax)


def _local(name: str) -> str:
    """schema:reviewBody and https://schema.org/reviewBody both mean reviewBody."""
    return name.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def _item(item: Tag, syntax: _Syntax) -> dict:
    node: dict[str, object] = {"@type": [_local(t) for t in str(item.get(syntax.type) or "").split()]}
    for attribute in syntax.ids:
        if item.get(attribute):
            node["@id"] = str(item[attribute])
            break
    for element in item.find_all(attrs={syntax.prop: True}):
        if _owner(element, syntax.scope) is not item:
            continue
        value = _item(element, syntax) if element.has_attr(syntax.scope) else _value(element)
        for name in (_local(n) for n in str(element[syntax.prop]).split()):
            existing = node.get(name)
            if existing is None:
                node[name] = value
            elif isinstance(existing, list):
                existing.append(value)
            else:
                node[name] = [existing, value]
    return node


def _owner(element: Tag, scope: str) -> Tag | None:
    """The item a property belongs to: its nearest ancestor that opens an item."""
    for parent in element.parents:
        if isinstance(parent, Tag) and parent.has_attr(scope):
            return parent
    return None


def _value(element: Tag) -> str:
    if element.has_attr("content"):
        return str(element["content"])
    name = element.name
    if name in ("a", "link", "area") and element.has_attr("href"):
        return str(element["href"])
    if name in ("img", "audio", "video", "source") and element.has_attr("src"):
        return str(element["src"])
    if name == "time" and element.has_attr("datetime"):
        return str(element["datetime"])
    if name in ("data", "meter") and element.has_attr("value"):
        return str(element["value"])
    return element.get_text(" ", strip=True)
