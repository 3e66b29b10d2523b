"""Story type, story score and headline: which stories are worth retelling, and the line to quote."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nlp.sentiment import review_label

# A specific moment: times, durations, sums of money, days, dates.
NUMBER = r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|ninety)"
SPECIFIC = re.compile(
    rf"\b{NUMBER}\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|months?|am|pm|times?)\b"
    r"|[$£€]\s?\d+|\b\d+\s?(?:dollars|euros|pounds)\b"
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|tonight|last night)\b",
    re.IGNORECASE,
)
STRONG = 0.6


@dataclass
class Reading:
    """What the analyser found in one review, before it is typed and scored."""

    text: str
    compound: float
    text_compound: float
    sentence_scores: list[float]
    staff: list[dict] = field(default_factory=list)
    behaviours: list[dict] = field(default_factory=list)

    @property
    def concrete(self) -> bool:
        """A named person, a behaviour or a specific moment: something a listener can picture."""
        return bool(self.staff or self.behaviours or SPECIFIC.search(self.text))


def story_type(r: Reading) -> str:
    """exceptional / positive / mixed / neutral / negative / execrable."""
    high = max(r.sentence_scores, default=0.0)
    low = min(r.sentence_scores, default=0.0)
    if r.compound >= STRONG and r.text_compound >= 0.5 and r.concrete and high >= 0.7:
        return "exceptional"
    # VADER under-reads complaints (waits, bills, being ignored carry few negative words), so the
    # bar for the text is lower on this side than for praise.
    if r.compound <= -STRONG and r.text_compound <= -0.3 and r.concrete and low <= -0.5:
        return "execrable"
    if high >= 0.4 and low <= -0.4 and abs(r.compound) < 0.5:
        return "mixed"
    return review_label(r.compound)


def story_score(r: Reading) -> float:
    """0–100: strong feeling, concrete behaviour, a named person, a specific moment, a real story's length."""
    feeling = 40 * min(1.0, abs(r.text_compound) * 0.5 + abs(r.compound) * 0.5)
    behaviours = 25 * min(len({b["code"] for b in r.behaviours}), 3) / 3
    person = 15 if any(s.get("name") for s in r.staff) else 0
    moment = 10 if SPECIFIC.search(r.text) else 0
    words = len(r.text.split())
    length = 10 * min(1.0, words / 60) if words <= 400 else 5
    return round(feeling + behaviours + person + moment + length, 2)


def headline(sentences: list[str], scores: list[float], staff: list[dict]) -> str | None:
    """The sentence most worth quoting: strong, about a person when possible, not too long or short."""
    best, best_value = None, -1.0
    named = [s["name"] for s in staff if s.get("name")]
    for sentence, score in zip(sentences, scores):
        words = len(sentence.split())
        if words < 4:
            continue
        value = abs(score) + (0.3 if any(n in sentence for n in named) else 0.0)
        value -= 0.2 if words > 45 else 0.0
        if value > best_value:
            best, best_value = sentence, value
    if best is None and sentences:
        best = max(sentences, key=len)
    return best[:300] if best else None
