"""The alert stage: judge recent days for spikes of negative stories, and replay history (backtest)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine

from flows.settings import AlertsConfig
from flows.spikes import Spike, SpikeRule, evaluate
from warehouse.alerts import negative_series, record_spike


def rule_from(config: AlertsConfig) -> SpikeRule:
    return SpikeRule(window_days=config.window_days, window_expected=config.window_expected,
                     max_window_days=config.max_window_days, baseline_days=config.baseline_days,
                     min_count=config.min_count, min_ratio=config.min_ratio, alpha=config.alpha)


@dataclass(frozen=True)
class Found:
    location_id: int
    behaviour: str
    spike: Spike
    review_ids: tuple[int, ...]


def find_spikes(engine: Engine, config: AlertsConfig, days: list[date]) -> list[Found]:
    """Every spike whose window ends on one of DAYS, oldest day first."""
    rule = rule_from(config)
    since = min(days) - timedelta(days=(rule.window_days or rule.max_window_days) + rule.baseline_days + 1)
    series = negative_series(engine, since, max(days), config.per_behaviour)
    found = []
    for day in sorted(days):
        for (location_id, behaviour), by_day in sorted(series.items()):
            spike = evaluate({d: len(ids) for d, ids in by_day.items()}, day, rule)
            if spike:
                window = [day - timedelta(days=i) for i in range(spike.window_days)]
                ids = tuple(sorted(i for d in window for i in by_day.get(d, [])))
                found.append(Found(location_id, behaviour, spike, ids))
    return found


def detect(engine: Engine, config: AlertsConfig, today: date) -> list[tuple[Found, int, str]]:
    """Judge the windows ending in the last lookback_days; store what fires. Older days are never
    judged, so importing years of history raises nothing for the past."""
    days = [today - timedelta(days=i) for i in range(config.lookback_days + 1)]
    results = []
    for found in find_spikes(engine, config, days):
        spike = found.spike
        recorded = record_spike(
            engine, found.location_id, found.behaviour, spike.day - timedelta(days=spike.window_days - 1),
            spike.day, spike.observed, spike.expected, spike.score, list(found.review_ids),
            timedelta(hours=config.cooldown_hours), spike.window_days)
        results.append((found, recorded.alert_id, recorded.outcome))
    return results


def backtest(engine: Engine, config: AlertsConfig, today: date, days: int) -> list[Found]:
    """What would have fired on each of the last DAYS days, cooldown included; nothing is written."""
    cooldown_days = max(1, round(config.cooldown_hours / 24)) if config.cooldown_hours else 0
    fired: dict[tuple[int, str], date] = {}
    would = []
    for found in find_spikes(engine, config, [today - timedelta(days=i) for i in range(days)]):
        key = (found.location_id, found.behaviour)
        last = fired.get(key)
        if last is not None and (found.spike.day - last).days < max(cooldown_days, found.spike.window_days + 1):
            fired[key] = found.spike.day  # an ongoing spike: the same alert, updated
            continue
        fired[key] = found.spike.day
        would.append(found)
    return would
