"""What parsing one page or feed yields."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from extractors.records import Review


@dataclass
class Page:
    reviews: list[Review] = field(default_factory=list)
    next_url: str | None = None
    claimed: int | None = None  # how many reviews the source says it has, when it says
    skipped: list[str] = field(default_factory=list)  # why records were dropped
    errors: list[str] = field(default_factory=list)  # why the page as a whole could not be read


def load_json(content: str | bytes, url: str, page: Page) -> object | None:
    """The parsed JSON document, or None with the reason recorded as the page's error."""
    try:
        return json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        page.errors.append(f"{url}: not valid JSON ({exc})")
        return None
