"""Is a day's count of negative stories a spike? A Poisson tail test against a trailing baseline,
with a minimum count and a minimum ratio so small numbers do not wake anyone."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class SpikeRule:
    # The days counted together as "observed". None: chosen per location from its usual rate, so the
    # window expects about `window_expected` negative stories (a quiet location is judged over a
    # week, a busy one day by day); a 3x burst is then both rare enough and big enough to prove.
    window_days: int | None = None
    window_expected: float = 5.0
    max_window_days: int = 7
    baseline_days: int = 28  # the days before the window that set "expected"
    min_count: int = 3
    min_ratio: float = 2.0
    alpha: float = 0.05  # the Poisson upper-tail probability below which a count is surprising


@dataclass(frozen=True)
class Spike:
    day: date  # the window's last day
    observed: int
    expected: float
    p_value: float
    window_days: int = 1

    @property
    def ratio(self) -> float:
        return self.observed / self.expected if self.expected else math.inf

    @property
    def score(self) -> float:
        """-log10 of the tail probability: 2 is 1-in-100, 4 is 1-in-10,000."""
        return round(-math.log10(max(self.p_value, 1e-300)), 2)


def poisson_tail(k: int, mu: float) -> float:
    """P(X >= k) for X ~ Poisson(mu), with terms in log space so large means do not underflow."""
    if k <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    log_mu = math.log(mu)
    term = lambda i: math.exp(-mu + i * log_mu - math.lgamma(i + 1))  # noqa: E731
    if k > mu:  # the upper terms shrink from the first one: sum them directly
        total, i = 0.0, k
        while True:
            value = term(i)
            total += value
            if value <= total * 1e-16 or i > k + 100_000:
                return min(1.0, total)
            i += 1
    return max(0.0, 1.0 - sum(term(i) for i in range(k)))


def window_count(counts: dict[date, int], end: date, days: int) -> int:
    return sum(counts.get(end - timedelta(days=i), 0) for i in range(days))


def window_for(counts: dict[date, int], day: date, rule: SpikeRule) -> int:
    """The window length for the series on DAY: fixed, or sized to the location's usual rate."""
    if rule.window_days:
        return rule.window_days
    rate = window_count(counts, day - timedelta(days=1), rule.baseline_days) / rule.baseline_days
    if rate <= 0:
        return rule.max_window_days
    return max(1, min(rule.max_window_days, math.ceil(rule.window_expected / rate)))


def evaluate(counts: dict[date, int], day: date, rule: SpikeRule) -> Spike | None:
    """The spike in the window ending on DAY, or None. The baseline is the mean count per window over
    the baseline days before it; a baseline with no negatives counts as half a story per baseline,
    so one quiet month does not make a single complaint look infinitely surprising."""
    window = window_for(counts, day, rule)
    observed = window_count(counts, day, window)
    if observed < rule.min_count:
        return None
    baseline_end = day - timedelta(days=window)
    baseline_total = window_count(counts, baseline_end, rule.baseline_days)
    expected = max(baseline_total, 0.5) * window / rule.baseline_days
    if observed < rule.min_ratio * expected:
        return None
    p_value = poisson_tail(observed, expected)
    if p_value > rule.alpha:
        return None
    return Spike(day, observed, round(expected, 3), p_value, window)
