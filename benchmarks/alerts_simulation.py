"""How noisy and how sharp is the spike rule? Simulated daily negative-story counts per location.

    .venv/bin/python benchmarks/alerts_simulation.py [--months 200] [--seed 7]

For several steady rates (negative stories per location per day) it reports false alerts per location
per month on steady data (consecutive firing days count as one alert, as the warehouse merges an
ongoing spike), and the share of injected spikes of 3x the usual daily count caught on that day's run.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.spikes import SpikeRule, evaluate, window_for  # noqa: E402

START = date(2026, 1, 1)


def poisson(rng: random.Random, mu: float) -> int:
    """Knuth's method: fine for the small means simulated here."""
    limit, k, p = math.exp(-mu), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def false_alerts(rng: random.Random, rate: float, months: int, rule: SpikeRule) -> float:
    days = 30 * months + rule.baseline_days
    counts = {START + timedelta(days=i): poisson(rng, rate) for i in range(days)}
    alerts, firing = 0, False
    for i in range(rule.baseline_days, days):
        day = START + timedelta(days=i)
        fired = evaluate(counts, day, rule) is not None
        alerts += fired and not firing
        firing = fired
    return alerts / months


def spike_caught(rng: random.Random, rate: float, trials: int, rule: SpikeRule) -> tuple[float, int]:
    """A window holding 3x its usual count (the extra all landing on the last day): caught that day?"""
    caught, windows = 0, []
    history = rule.baseline_days + rule.max_window_days
    for _ in range(trials):
        counts = {START + timedelta(days=i): poisson(rng, rate) for i in range(history)}
        day = START + timedelta(days=history)
        window = window_for(counts, day, rule)
        usual = rate * window
        before = sum(counts.get(day - timedelta(days=i), 0) for i in range(1, window))
        counts[day] = max(0, math.ceil(3 * usual) - before)
        windows.append(window)
        caught += evaluate(counts, day, rule) is not None
    return caught / trials, sorted(windows)[len(windows) // 2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rule = SpikeRule()
    print(f"rule: window {rule.window_days or f'auto (~{rule.window_expected:g} expected, at most {rule.max_window_days} d)'}, baseline {rule.baseline_days} d, min count {rule.min_count}, "
          f"min ratio {rule.min_ratio}, alpha {rule.alpha}; {args.months} simulated months per rate")
    print(f"{'rate/day':>9} {'false alerts/month':>19} {'window (days, median)':>22} {'3x caught':>10}")
    for rate in (0.1, 0.3, 0.5, 1.0, 2.0, 5.0):
        noise = false_alerts(rng, rate, args.months, rule)
        share, window = spike_caught(rng, rate, 1000, rule)
        print(f"{rate:>9.1f} {noise:>19.3f} {window:>22d} {share:>10.1%}")


if __name__ == "__main__":
    main()
