"""Which reviews need reading, and storing what was read (stories and their mentions)."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import Engine, delete, or_, select

from warehouse.load import chunks, upsert, utcnow
from warehouse.models import BehaviourMention, Review, StaffMention, Story


def unanalysed_review_ids(engine: Engine, analyser_version: str) -> list[int]:
    """Reviews with no story, a story from another analyser version, or a story of older content."""
    with engine.connect() as conn:
        return list(conn.scalars(
            select(Review.id)
            .outerjoin(Story, Story.review_id == Review.id)
            .where(or_(Story.review_id.is_(None),
                       Story.analyser_version != analyser_version,
                       Story.content_hash != Review.content_hash))
            .order_by(Review.id)
        ))


def reviews_for_analysis(engine: Engine, review_ids: list[int]) -> list[dict]:
    """The fields the analyser reads, in id order."""
    rows: list[dict] = []
    with engine.connect() as conn:
        for part in chunks(review_ids):
            rows.extend(conn.execute(
                select(Review.id, Review.body, Review.title, Review.rating, Review.rating_max, Review.content_hash)
                .where(Review.id.in_(part))
            ).mappings().all())
    return sorted((dict(r) for r in rows), key=lambda r: r["id"])


def save_analyses(engine: Engine, analyses: Iterable, content_hashes: dict[int, str], analyser_version: str) -> int:
    """Upsert each review's story and replace its mentions, all in one transaction."""
    now = utcnow()
    stories, behaviours, staff = [], [], []
    for a in analyses:
        stories.append({
            "review_id": a.id, "compound": a.compound, "label": a.label, "text_compound": a.text_compound,
            "text_label": a.text_label, "story_type": a.story_type, "story_score": a.story_score,
            "headline": a.headline, "language": a.language, "analyser_version": analyser_version,
            "content_hash": content_hashes[a.id], "analysed_at": now,
        })
        behaviours += [{"review_id": a.id, "code": b["code"], "text": b["text"], "sentence": b["sentence"],
                        "start_char": b["start"], "end_char": b["end"], "polarity": b["polarity"],
                        "negated": b["negated"]} for b in a.behaviours]
        staff += [{"review_id": a.id, "name": s["name"], "role": s["role"], "sentence": s["sentence"],
                   "polarity": s["polarity"], "start_char": s.get("start"), "end_char": s.get("end")}
                  for s in a.staff]
    ids = [s["review_id"] for s in stories]
    with engine.begin() as conn:
        # Stories first: the upsert locks each story row, so a concurrent run reading the same reviews
        # waits here, then replaces these mentions instead of adding its own beside them.
        upsert(conn, Story.__table__, stories, ["review_id"], [k for k in stories[0] if k != "review_id"] if stories else None)
        for part in chunks(ids):
            conn.execute(delete(BehaviourMention).where(BehaviourMention.review_id.in_(part)))
            conn.execute(delete(StaffMention).where(StaffMention.review_id.in_(part)))
        for part in chunks(behaviours):
            conn.execute(BehaviourMention.__table__.insert(), list(part))
        for part in chunks(staff):
            conn.execute(StaffMention.__table__.insert(), list(part))
    return len(stories)
