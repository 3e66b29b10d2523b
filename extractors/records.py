"""The Review record every extractor yields, and the cleaning all of them share."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta

from nlp.language import detect as detect_language

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
    published_precision: str | None = None  # exact, day, week, month or year
    url: str | None = None
    language: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def public_dict(self) -> dict:
        """The shape `storyminer extract` prints."""
        data = asdict(self)
        data.pop("extra")
        data.pop("published_raw")
        data.pop("published_precision")
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


RELATIVE = re.compile(
    r"^(?:(?P<count>\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?P<unit>minute|hour|day|week|month|year)s?\s+ago|(?P<word>today|yesterday|last week|last month|last year))$",
    re.IGNORECASE,
)
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
WORDS = {"today": (0, "day"), "yesterday": (1, "day"), "last week": (1, "week"), "last month": (1, "month"),
         "last year": (1, "year")}


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _relative(text: str, now: datetime) -> tuple[str, str] | None:
    """ "3 weeks ago" against NOW, with the precision the words allow."""
    match = RELATIVE.match(text.strip())
    if not match:
        return None
    if match.group("word"):
        count, unit = WORDS[match.group("word").lower()]
    else:
        raw = match.group("count").lower()
        count, unit = (int(raw) if raw.isdigit() else COUNTS[raw]), match.group("unit").lower()
    when = now - relativedelta(**{f"{unit}s": count})
    if unit in ("minute", "hour"):
        return when.replace(microsecond=0).isoformat(), "exact"
    return when.replace(hour=0, minute=0, second=0, microsecond=0).isoformat(), unit


def parse_date(raw: str | None, now: datetime | None = None) -> tuple[str | None, str | None]:
    """(ISO 8601 in UTC, precision) for a published date; (None, None) when it is not a date.

    Precision is "exact" with a time of day, "day" for a calendar date, and "week", "month" or
    "year" for relative dates ("3 weeks ago"), which are resolved against NOW (the fetch time).
    """
    if not raw or not raw.strip():
        return None, None
    text = raw.strip()
    relative = _relative(text, now or utcnow())
    if relative:
        return relative
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        has_time = "T" in text or " " in text.strip()
    except ValueError:
        try:
            parsed = date_parser.parse(text, fuzzy=False)
        except (ValueError, OverflowError):
            return None, None
        has_time = bool(re.search(r"\d:\d", text))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed.isoformat(), "exact" if has_time else "day"


def review_language(text: str, declared: str | None) -> str | None:
    """The text's own language when it tells; else what the source declared (its primary subtag)."""
    detected = detect_language(text)
    if detected != "und":
        return detected
    return declared.split("-")[0].split("_")[0].lower() if declared else None


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
    now: datetime | None = None,
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
    published_at, precision = parse_date(raw_date, now)
    identifier = clean_text(external_id) or stable_id(name, heading, text)
    return Review(
        source_kind=source_kind,
        external_id=identifier[:300],
        body=text or heading or "",
        author=name,
        rating=value,
        rating_max=best,
        title=heading if text else None,
        published_at=published_at,
        published_raw=raw_date,
        published_precision=precision,
        url=url,
        language=review_language(f"{heading or ''} {text or ''}", clean_text(language)),
    )
