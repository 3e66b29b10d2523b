"""The spike rule: Poisson tail, minimum count, minimum ratio, quiet baselines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from flows.spikes import SpikeRule, evaluate, poisson_tail, window_for

DAY = date(2026, 11, 23)


@pytest.mark.parametrize("k, mu, expected", [
    (3, 1.0, 0.0803014), (5, 1.0, 0.0036598), (9, 3.0, 0.0038030), (0, 2.0, 1.0), (1, 0.0, 0.0), (2, 3.0, 0.8008517),
])
def test_poisson_tail(k, mu, expected):
    assert poisson_tail(k, mu) == pytest.approx(expected, abs=1e-6)


def test_poisson_tail_does_not_underflow_on_large_means():
    assert 0 < poisson_tail(1100, 1000.0) < 0.01
    assert poisson_tail(900, 1000.0) > 0.99


def steady(per_day: int, days: int = 40) -> dict[date, int]:
    return {DAY - timedelta(days=i): per_day for i in range(1, days)}


DAILY = SpikeRule(window_days=1, alpha=0.01)


def test_a_burst_on_a_quiet_location_fires():
    counts = {**steady(0), DAY: 4}
    spike = evaluate(counts, DAY, SpikeRule())
    assert spike and spike.observed == 4 and spike.ratio > 2 and spike.score > 2


def test_fewer_than_the_minimum_count_never_fires():
    assert evaluate({DAY: 2}, DAY, SpikeRule()) is None


def test_a_busy_location_needs_twice_its_usual_count():
    counts = {**steady(5), DAY: 9}
    assert evaluate(counts, DAY, DAILY) is None  # under 2x
    assert evaluate({**counts, DAY: 16}, DAY, DAILY) is not None


def test_twice_the_usual_but_not_surprising_does_not_fire():
    counts = {**steady(1), DAY: 3}  # 3 against 1 a day: P = 0.08
    assert evaluate(counts, DAY, DAILY) is None
    assert evaluate(counts, DAY, SpikeRule(window_days=1, alpha=0.1)) is not None


@pytest.mark.parametrize("per_day, window", [(0, 7), (1, 5), (5, 1), (0.5, 7)])
def test_the_window_is_sized_to_the_usual_rate(per_day, window):
    counts = {DAY - timedelta(days=i): (per_day if per_day >= 1 else int(i % 2 == 0)) for i in range(1, 40)}
    assert window_for(counts, DAY, SpikeRule()) == window


def test_a_quiet_location_is_judged_over_a_week():
    counts = {**{DAY - timedelta(days=i): int(i % 10 == 0) for i in range(1, 40)},
              **{DAY - timedelta(days=i): 1 for i in range(0, 6, 2)}}  # three bad days in a week, none twice
    spike = evaluate(counts, DAY, SpikeRule())
    assert spike and spike.window_days == 7 and spike.observed == 3


def test_a_wider_window_adds_days_up():
    counts = {DAY: 2, DAY - timedelta(days=1): 2}
    assert evaluate(counts, DAY, SpikeRule(window_days=1)) is None
    assert evaluate(counts, DAY, SpikeRule(window_days=2)).observed == 4
