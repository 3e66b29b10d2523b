"""VADER scored per sentence (it saturates on long texts), with the label thresholds in one place."""

from __future__ import annotations

from functools import lru_cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05


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


def sentence_score(text: str) -> float:
    return analyzer().polarity_scores(text)["compound"]


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
