"""Negative-story counts per location and day, and the alerts raised on them: stored, updated, delivered."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, and_, select, update
from sqlalchemy.orm import Session

from warehouse.load import utcnow
from warehouse.models import Alert, BehaviourMention, Business, Location, Review, Source, Story

NEGATIVE_TYPES = ("negative", "execrable")
ALL = "all"
MAX_DELIVERY_ATTEMPTS = 10

Series = dict[tuple[int, str], dict[date, list[int]]]  # (location, behaviour) -> day -> review ids


def negative_series(engine: Engine, since: date, until: date, per_behaviour: bool = True) -> Series:
    """Review ids of negative stories per location and publication day (and per behaviour complained of)."""
    start, end = datetime.combine(since, datetime.min.time()), datetime.combine(until + timedelta(days=1),
                                                                                 datetime.min.time())
    series: Series = defaultdict(lambda: defaultdict(list))
    in_range = and_(Review.published_at >= start, Review.published_at < end)
    with engine.connect() as conn:
        for location_id, published, review_id in conn.execute(
            select(Source.location_id, Review.published_at, Review.id)
            .join(Review, Review.source_id == Source.id).join(Story, Story.review_id == Review.id)
            .where(in_range, Story.story_type.in_(NEGATIVE_TYPES))
        ):
            series[(location_id, ALL)][published.date()].append(review_id)
        if per_behaviour:
            for location_id, code, published, review_id in conn.execute(
                select(Source.location_id, BehaviourMention.code, Review.published_at, Review.id).distinct()
                .join(Review, Review.source_id == Source.id)
                .join(BehaviourMention, BehaviourMention.review_id == Review.id)
                .where(in_range, BehaviourMention.polarity == "negative")
            ):
                series[(location_id, code)][published.date()].append(review_id)
    return series


@dataclass(frozen=True)
class Recorded:
    alert_id: int | None
    outcome: str  # "new", "updated" (an ongoing spike) or "cooldown" (suppressed)


def record_spike(engine: Engine, location_id: int, behaviour: str, window_start: date, window_end: date,
                 observed: int, expected: float, score: float, review_ids: list[int], cooldown: timedelta,
                 window_days: int) -> Recorded:
    """Raise a new alert, or update the open one when the spike is ongoing; at most one per cooldown."""
    now = utcnow()
    start, end = (datetime.combine(d, datetime.min.time()) for d in (window_start, window_end))
    with engine.begin() as conn:
        latest = conn.execute(
            select(Alert).where(Alert.location_id == location_id, Alert.behaviour == behaviour)
            .order_by(Alert.created_at.desc(), Alert.id.desc()).limit(1)
        ).first()
        if latest is not None:
            ongoing = latest.status == "open" and (end - latest.window_end).days <= window_days
            if ongoing:
                ids = sorted(set(json.loads(latest.review_ids)) | set(review_ids))
                conn.execute(update(Alert).where(Alert.id == latest.id).values(
                    window_end=max(end, latest.window_end), observed=max(observed, latest.observed),
                    expected=expected, score=max(score, latest.score), review_ids=json.dumps(ids), updated_at=now))
                return Recorded(latest.id, "updated")
            if now - latest.created_at < cooldown:
                return Recorded(latest.id, "cooldown")
        alert_id = conn.execute(Alert.__table__.insert().values(
            location_id=location_id, behaviour=behaviour, window_start=start, window_end=end, observed=observed,
            expected=expected, score=score, review_ids=json.dumps(sorted(review_ids)), created_at=now,
            status="open", delivery_attempts=0, delivered_to="[]",
        ).returning(Alert.id)).scalar_one()
    return Recorded(alert_id, "new")


def alerts_to_deliver(engine: Engine) -> list[int]:
    """Open alerts not yet delivered: new ones, and ones whose delivery failed before."""
    with engine.connect() as conn:
        return list(conn.scalars(
            select(Alert.id).where(Alert.status == "open", Alert.notified_at.is_(None),
                                   Alert.delivery_attempts < MAX_DELIVERY_ATTEMPTS).order_by(Alert.id)
        ))


def delivered_channels(engine: Engine, alert_id: int) -> set[str]:
    with engine.connect() as conn:
        return set(json.loads(conn.scalar(select(Alert.delivered_to).where(Alert.id == alert_id)) or "[]"))


def mark_delivery(engine: Engine, alert_id: int, delivered: set[str], error: str | None) -> None:
    """Record an attempt: the channels told so far, and the error if any channel failed."""
    values: dict = {"delivery_attempts": Alert.delivery_attempts + 1, "delivery_error": error,
                    "delivered_to": json.dumps(sorted(delivered))}
    if error is None:
        values["notified_at"] = utcnow()
    with engine.begin() as conn:
        conn.execute(update(Alert).where(Alert.id == alert_id).values(**values))


def acknowledge(engine: Engine, alert_id: int, by: str | None) -> bool:
    with engine.begin() as conn:
        result = conn.execute(update(Alert).where(Alert.id == alert_id, Alert.status == "open")
                              .values(status="acknowledged", acknowledged_at=utcnow(), acknowledged_by=by))
    return result.rowcount == 1


def alert_details(engine: Engine, alert_id: int, stories: int = 3) -> dict:
    """An alert with its location and its top stories (headline, link), for messages and listings."""
    with Session(engine) as session:
        alert, location, business = session.execute(
            select(Alert, Location.name, Business.name).join(Location, Alert.location_id == Location.id)
            .join(Business, Location.business_id == Business.id).where(Alert.id == alert_id)
        ).one()
        ids = json.loads(alert.review_ids)
        top = session.execute(
            select(Review.id, Review.url, Review.author, Review.rating, Review.rating_max, Review.published_at,
                   Story.headline, Story.story_score, Story.story_type)
            .join(Story, Story.review_id == Review.id).where(Review.id.in_(ids))
            .order_by(Story.story_score.desc(), Review.id).limit(stories)
        ).mappings().all()
    return {**_alert_dict(alert), "location": location, "business": business, "stories": [dict(s) for s in top]}


def _alert_dict(alert: Alert) -> dict:
    return {
        "id": alert.id, "location_id": alert.location_id, "behaviour": alert.behaviour,
        "window_start": alert.window_start.date().isoformat(), "window_end": alert.window_end.date().isoformat(),
        "observed": alert.observed, "expected": alert.expected, "score": alert.score, "status": alert.status,
        "created_at": alert.created_at.isoformat(timespec="seconds"),
        "notified_at": alert.notified_at.isoformat(timespec="seconds") if alert.notified_at else None,
        "delivery_attempts": alert.delivery_attempts, "delivery_error": alert.delivery_error,
        "acknowledged_by": alert.acknowledged_by, "review_ids": json.loads(alert.review_ids),
    }


def list_alerts(engine: Engine, status: str | None = None) -> list[dict]:
    """Alerts newest first, with their business and location names."""
    query = (select(Alert, Location.name, Business.name).join(Location, Alert.location_id == Location.id)
             .join(Business, Location.business_id == Business.id).order_by(Alert.created_at.desc(), Alert.id.desc()))
    if status:
        query = query.where(Alert.status == status)
    with Session(engine) as session:
        return [{**_alert_dict(alert), "business": business, "location": location}
                for alert, location, business in session.execute(query)]
