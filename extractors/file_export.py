"""Review exports people already have: CSV or JSON lines (the Yelp open dataset among them)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterator

from extractors.page import Page
from extractors.records import InvalidReview, make_review

KIND = "file"
ACCEPT: tuple[str, ...] = ()
# Column names seen in common exports, per review field; the first one present is used.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "review_id", "reviewid", "review id"),
    "body": ("body", "text", "review", "review_text", "comment", "comments", "content", "feedback"),
    "title": ("title", "headline", "summary", "subject"),
    "author": ("author", "reviewer", "name", "user", "user_name", "username", "customer"),
    "rating": ("rating", "stars", "score", "star_rating"),
    "rating_max": ("rating_max", "best_rating", "scale"),
    "published": ("published", "date", "created_at", "review_date", "submitted", "time"),
    "url": ("url", "link", "review_url"),
    "language": ("language", "lang", "locale"),
}
YELP = {"id": "review_id", "body": "text", "rating": "stars", "published": "date", "author": "user_id"}


def detect_format(path: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    return "csv"


def _text(content: str | bytes) -> str:
    if isinstance(content, str):
        return content
    for encoding in ("utf-8-sig", "cp1252"):  # spreadsheet exports are often Windows-encoded
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _records(text: str, format: str, page: Page) -> Iterator[tuple[int, dict]]:
    if format == "csv":
        sample = text[:4096]
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            dialect = csv.excel
        for number, row in enumerate(csv.DictReader(io.StringIO(text), dialect=dialect), 2):
            yield number, {(k or "").strip(): v for k, v in row.items()}
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            page.skipped.append(f"line {number}: not valid JSON ({exc.msg})")
            continue
        if isinstance(record, dict):
            yield number, record
        else:
            page.skipped.append(f"line {number}: not a JSON object")


def _mapping(header: list[str], columns: dict[str, str] | None) -> dict[str, str]:
    lowered = {name.lower().strip(): name for name in header}
    mapping = {}
    for field, aliases in ALIASES.items():
        if columns and field in columns:
            mapping[field] = columns[field]
            continue
        found = next((lowered[a] for a in aliases if a in lowered), None)
        if found:
            mapping[field] = found
    return mapping


def parse(content: str | bytes, url: str, *, format: str | None = None, columns: dict[str, str] | None = None,
          rating_max: float = 5) -> Page:
    """Every usable row; rows without text or with a bad rating are skipped with their line number."""
    page = Page()
    fmt = format or detect_format(url)
    if fmt == "yelp":
        fmt, columns = "jsonl", {**YELP, **(columns or {})}
    mapping: dict[str, str] | None = None
    for number, record in _records(_text(content), fmt, page):
        if mapping is None:
            mapping = _mapping(list(record), columns)
            if "body" not in mapping and "title" not in mapping:
                page.errors.append(f"{url}: no column holds the review text; map one with columns: {{body: NAME}}")
                return page
        value = {field: record.get(column) for field, column in mapping.items()}
        try:
            page.reviews.append(make_review(
                KIND, external_id=value.get("id"), body=value.get("body"), title=value.get("title"),
                author=value.get("author"), rating=value.get("rating") or None,
                rating_max=value.get("rating_max") or (rating_max if value.get("rating") else None),
                published=value.get("published"), url=value.get("url"), language=value.get("language"),
            ))
        except InvalidReview as exc:
            page.skipped.append(f"line {number}: {exc}")
    return page
