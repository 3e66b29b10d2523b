"""VADER scored per sentence (it saturates on long texts), with the label thresholds in one place."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05
# A whole review averages its sentences, so mixed reviews sit near zero: a wider neutral band.
REVIEW_BAND = 0.15
BEHAVIOUR_WEIGHT = 0.3  # how much the balance of praised and criticised behaviours moves a review's text score
PHRASES = Path(__file__).with_name("patterns") / "service_phrases.jsonl"
PHRASE_WEIGHT = 0.45  # what one service phrase adds to a sentence's score, in VADER's units


def review_label(compound: float) -> str:
    """A review's label: positive above +REVIEW_BAND, negative below -REVIEW_BAND."""
    if compound >= REVIEW_BAND:
        return "positive"
    if compound <= -REVIEW_BAND:
        return "negative"
    return "neutral"


def review_text_score(sentence_scores: list[float], polarities: list[str]) -> float:
    """The text's score: opinionated sentences, moved by the balance of behaviour mentions
    (VADER misses much of what service complaints say: waits, bills, being ignored)."""
    vader = combine(sentence_scores)
    positive, negative = polarities.count("positive"), polarities.count("negative")
    if not positive + negative:
        return vader
    balance = (positive - negative) / (positive + negative)
    return (1 - BEHAVIOUR_WEIGHT) * vader + BEHAVIOUR_WEIGHT * balance


def label(compound: float) -> str:
    """VADER's own convention: at least +0.05 positive, at most -0.05 negative."""
    if compound >= POSITIVE_AT:
        return "positive"
    if compound <= NEGATIVE_AT:
        return "negative"
    return "neutral"


@lru_cache(maxsize=1)
def analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def service_phrases() -> tuple[re.Pattern[str], dict[str, float]]:
    """Service phrases VADER misreads ("no wait", "not rushed", "laughed at us"), longest first."""
    weights: dict[str, float] = {}
    for number, line in enumerate(PHRASES.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        entry = json.loads(line)
        polarity = entry.get("polarity")
        if polarity not in ("positive", "negative", "neutral"):
            raise ValueError(f"{PHRASES.name} line {number}: polarity must be positive, negative or neutral")
        weights[entry["phrase"].lower()] = {"positive": 1.0, "negative": -1.0, "neutral": 0.0}[polarity]
    alternatives = "|".join(re.escape(p) for p in sorted(weights, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE), weights


@lru_cache(maxsize=4096)  # a sentence is scored for the review, then again for its mentions
def sentence_score(text: str) -> float:
    """VADER's compound, with the service phrases it misreads taken out and scored by the lexicon."""
    pattern, weights = service_phrases()
    normalised = text.replace("\u2019", "'")
    found = [weights[m.group().lower()] for m in pattern.finditer(normalised)]
    if not found:
        return analyzer().polarity_scores(text)["compound"]
    rest = pattern.sub(" ", normalised)
    score = analyzer().polarity_scores(rest)["compound"] + PHRASE_WEIGHT * sum(found)
    return max(-1.0, min(1.0, score))


def combine(sentence_scores: list[float]) -> float:
    """A review's text score: the mean of its opinionated sentences (neutral ones only dilute)."""
    opinions = [s for s in sentence_scores if label(s) != "neutral"]
    if not opinions:
        return 0.0
    return sum(opinions) / len(opinions)


def rating_score(rating: float | None, rating_max: float | None) -> float | None:
    """A star rating mapped onto VADER's -1..1 scale (1 of 5 is -1, 3 of 5 is 0)."""
    if rating is None or not rating_max:
        return None
    low = 0.0 if rating_max == 100 else 1.0
    if rating_max <= low:
        return None
    return max(-1.0, min(1.0, 2 * (rating - low) / (rating_max - low) - 1))


def fuse(text: float, stars: float | None) -> float:
    """The review's sentiment: the stars weigh more than the words when both are there."""
    if stars is None:
        return text
    return 0.6 * stars + 0.4 * text
