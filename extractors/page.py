"""What parsing one page or feed yields."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.records import Review


@dataclass
class Page:
    reviews: list[Review] = field(default_factory=list)
    next_url: str | None = None
    claimed: int | None = None  # how many reviews the source says it has, when it says
    skipped: list[str] = field(default_factory=list)  # why records were dropped
    errors: list[str] = field(default_factory=list)  # why the page as a whole could not be read
