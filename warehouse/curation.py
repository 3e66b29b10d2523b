"""Curation (who shortlisted or approved which story, when, why) and forgetting a review on request."""

from __future__ import annotations

import json

from sqlalchemy import Engine, delete, func, select, update

from warehouse.load import external_id_hash, upsert, utcnow
from warehouse.models import CURATION_STATUSES, Alert, CurationEvent, ForgottenReview, Review


class NotFound(Exception):
    """No review with that id."""


def _review_exists(conn, review_id: int) -> bool:
    return conn.scalar(select(func.count()).select_from(Review).where(Review.id == review_id)) == 1


def curate(engine: Engine, review_id: int, status: str, by: str, note: str | None = None) -> None:
    """Record a status change; the history is never rewritten."""
    if status not in CURATION_STATUSES:
        raise ValueError(f"status must be one of {', '.join(CURATION_STATUSES)}")
    if not by.strip():
        raise ValueError("say who is curating (--by)")
    with engine.begin() as conn:
        if not _review_exists(conn, review_id):
            raise NotFound(f"no review with id {review_id}")
        conn.execute(CurationEvent.__table__.insert().values(review_id=review_id, status=status, by=by.strip(),
                                                             note=note, at=utcnow()))


def history(engine: Engine, review_id: int) -> list[dict]:
    with engine.connect() as conn:
        return [{"status": e.status, "by": e.by, "at": e.at.isoformat(timespec="seconds"), "note": e.note}
                for e in conn.execute(select(CurationEvent).where(CurationEvent.review_id == review_id)
                                      .order_by(CurationEvent.at, CurationEvent.id))]


def current_status():
    """A correlated subquery: each story's latest curation status ("new" when never curated)."""
    latest = (select(CurationEvent.status).where(CurationEvent.review_id == Review.id)
              .order_by(CurationEvent.at.desc(), CurationEvent.id.desc()).limit(1).scalar_subquery())
    return func.coalesce(latest, "new")


def forget(engine: Engine, review_id: int) -> None:
    """Delete a review and all it carries (story, mentions, curation, alert references); keep only a
    hash of its id so the next collection does not bring it back."""
    with engine.begin() as conn:
        row = conn.execute(select(Review.source_id, Review.external_id).where(Review.id == review_id)).first()
        if row is None:
            raise NotFound(f"no review with id {review_id}")
        upsert(conn, ForgottenReview.__table__, [{"source_id": row.source_id,
                                                   "external_id_hash": external_id_hash(row.external_id),
                                                   "forgotten_at": utcnow()}], ["source_id", "external_id_hash"])
        for alert_id, ids in conn.execute(select(Alert.id, Alert.review_ids)).all():
            kept = [i for i in json.loads(ids) if i != review_id]
            if len(kept) != len(json.loads(ids)):
                conn.execute(update(Alert).where(Alert.id == alert_id).values(review_ids=json.dumps(kept)))
        conn.execute(delete(Review).where(Review.id == review_id))  # stories and mentions cascade
