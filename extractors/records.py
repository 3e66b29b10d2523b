"""The Review record every extractor yields, and the cleaning all of them share."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from dateutil import parser as date_parser

WHITESPACE = re.compile(r"\s+")


class InvalidReview(ValueError):
    """A record that cannot become a Review; the message says why."""


@dataclass(frozen=True)
class Review:
    source_kind: str
    external_id: str
    body: str
    author: str | None = None
    rating: float | None = None
    rating_max: float | None = None
    title: str | None = None
    published_at: str | None = None  # ISO 8601, UTC, when the raw string could be read
    published_raw: str | None = None
    url: str | None = None
    language: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def public_dict(self) -> dict:
        """The shape `storyminer extract` prints."""
        data = asdict(self)
        data.pop("extra")
        data.pop("published_raw")
        return data

    @property
    def content_hash(self) -> str:
        """What a reader would call the review's content; a change means the review was edited."""
        return content_hash(self.author, self.title, self.body, self.rating, self.rating_max)


def content_hash(author, title, body, rating, rating_max) -> str:
    payload = json.dumps([author, title, body, rating, rating_max], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def clean_text(value: object) -> str | None:
    """Collapse white space; None for nothing."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value if v is not None)
    text = WHITESPACE.sub(" ", str(value)).strip()
    return text or None


def parse_number(value: object) -> float | None:
    """A rating value as published: 4, "4.5", "4,5"; None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(",", ".")
    match = re.search(r"-?\d+(?:\.\d+)?", text)
    return float(match.group()) if match else None


def parse_date(raw: str | None) -> str | None:
    """ISO 8601 in UTC (naive dates stay at midnight UTC), or None when the string is not a date."""
    if not raw:
        return None
    text = raw.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = date_parser.parse(text, fuzzy=False)
        except (ValueError, OverflowError):
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed.isoformat()


def stable_id(*parts: object) -> str:
    """An id for a review whose source gives none: a hash of what identifies it."""
    payload = json.dumps([clean_text(p) for p in parts], ensure_ascii=False)
    return "h:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def make_review(
    source_kind: str,
    *,
    external_id: object = None,
    body: object = None,
    author: object = None,
    rating: object = None,
    rating_max: object = None,
    rating_min: object = None,
    title: object = None,
    published: object = None,
    url: str | None = None,
    language: str | None = None,
) -> Review:
    """Clean and validate one record; raise InvalidReview with the reason when it is unusable."""
    text = clean_text(body)
    heading = clean_text(title)
    if not text and not heading:
        raise InvalidReview("no review text")
    name = clean_text(author)
    value = parse_number(rating)
    best = parse_number(rating_max)
    worst = parse_number(rating_min)
    if value is not None:
        best = best if best is not None else 5.0
        worst = worst if worst is not None else (0.0 if best == 100 else 1.0)
        if best <= worst or not (worst <= value <= best):
            raise InvalidReview(f"rating {value:g} is outside its scale {worst:g}..{best:g}")
    else:
        best = None
    raw_date = clean_text(published)
    identifier = clean_text(external_id) or stable_id(name, heading, text)
    return Review(
        source_kind=source_kind,
        external_id=identifier[:300],
        body=text or heading or "",
        author=name,
        rating=value,
        rating_max=best,
        title=heading if text else None,
        published_at=parse_date(raw_date),
        published_raw=raw_date,
        url=url,
        language=clean_text(language),
    )
