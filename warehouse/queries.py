"""Questions marketing and service leads ask: which stories, which people, which practices.
Every filter is a bound parameter; text typed by a user is data, never SQL."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, and_, case, distinct, exists, func, select

from warehouse.curation import current_status
from warehouse.models import BehaviourMention, Business, Location, Review, Source, StaffMention, Story

SORTS = ("score", "date")
EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class StoryFilter:
    business: str | None = None
    location: str | None = None
    source: str | None = None  # a source kind
    behaviour: str | None = None
    polarity: str | None = None  # of the behaviour, when one is given; else of the story
    story_type: str | None = None
    staff: str | None = None
    since: date | None = None
    until: date | None = None
    min_score: float | None = None
    text: str | None = None
    status: str | None = None  # curation status


def _contains(column, text: str):
    """Case-insensitive substring match with %, _ and \\ in TEXT taken literally."""
    return func.lower(column).contains(text.lower(), autoescape=True)


def stories(engine: Engine, where: StoryFilter = StoryFilter(), sort: str = "score", limit: int = 50,
            offset: int = 0, after: tuple | None = None, only_id: int | None = None) -> list[dict]:
    """Stories matching every given filter, best first (or newest first).

    AFTER is the (sort value, id) of the last row of the previous page: keyset paging, which stays as
    fast on page 10,000 as on page 1 (an offset makes the database walk every row before it)."""
    query = (
        select(Story.review_id.label("id"), Business.name.label("business"), Location.name.label("location"),
               Source.kind.label("source"), Review.published_at, Story.story_type, Story.story_score,
               Story.label, Story.headline, Review.author, Review.rating, Review.rating_max, Review.url,
               Review.title, Review.body, current_status().label("status"))
        .join(Review, Review.id == Story.review_id).join(Source, Source.id == Review.source_id)
        .join(Location, Location.id == Source.location_id).join(Business, Business.id == Location.business_id)
    )
    conditions = [] if only_id is None else [Story.review_id == only_id]
    if where.business:
        conditions.append(func.lower(Business.name) == where.business.lower())
    if where.location:
        conditions.append(func.lower(Location.name) == where.location.lower())
    if where.source:
        conditions.append(Source.kind == where.source)
    if where.behaviour:
        mention = and_(BehaviourMention.review_id == Story.review_id, BehaviourMention.code == where.behaviour)
        if where.polarity:
            mention = and_(mention, BehaviourMention.polarity == where.polarity)
        conditions.append(exists().where(mention))
    elif where.polarity:
        conditions.append(Story.label == where.polarity)
    if where.story_type:
        conditions.append(Story.story_type == where.story_type)
    if where.staff:
        conditions.append(exists().where(StaffMention.review_id == Story.review_id,
                                         _contains(StaffMention.name, where.staff)))
    if where.since:
        conditions.append(Review.published_at >= datetime.combine(where.since, datetime.min.time()))
    if where.until:
        conditions.append(Review.published_at < datetime.combine(where.until + timedelta(days=1), datetime.min.time()))
    if where.min_score is not None:
        conditions.append(Story.story_score >= where.min_score)
    if where.status:
        conditions.append(current_status() == where.status)
    if where.text:
        conditions.append(_contains(Review.body, where.text) | _contains(func.coalesce(Review.title, ""), where.text))
    key = Story.story_score if sort == "score" else func.coalesce(Review.published_at, EPOCH)
    if after is not None:
        value, last_id = after
        if sort != "score":
            value = datetime.fromisoformat(str(value)) if value else EPOCH
        conditions.append((key < value) | ((key == value) & (Story.review_id > last_id)))
    if conditions:
        query = query.where(*conditions)
    query = query.order_by(key.desc(), Story.review_id).limit(limit).offset(offset)
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
    for row in rows:
        row["cursor"] = (row["story_score"] if sort == "score" else
                         (row["published_at"].isoformat() if row["published_at"] else ""), row["id"])
        row["published_at"] = row["published_at"].date().isoformat() if row["published_at"] else None
    return rows


def staff(engine: Engine, location: str | None = None, quotes: int = 2) -> list[dict]:
    """People customers name, per location: mentions, praise and criticism, behaviours, best quotes."""
    query = (
        select(Business.name, Location.name, StaffMention.name, StaffMention.role, StaffMention.polarity,
               StaffMention.sentence, StaffMention.review_id, Story.story_score)
        .join(Review, Review.id == StaffMention.review_id).join(Story, Story.review_id == Review.id)
        .join(Source, Source.id == Review.source_id).join(Location, Location.id == Source.location_id)
        .join(Business, Business.id == Location.business_id).where(StaffMention.name.is_not(None))
    )
    if location:
        query = query.where(func.lower(Location.name) == location.lower())
    people: dict[tuple, dict] = {}
    with engine.connect() as conn:
        for business, place, name, role, polarity, sentence, review_id, score in conn.execute(query):
            person = people.setdefault((business, place, name), {
                "business": business, "location": place, "name": name, "roles": set(), "mentions": 0,
                "positive": 0, "negative": 0, "reviews": set(), "quotes": []})
            person["roles"].add(role) if role else None
            person["mentions"] += 1
            person[polarity] = person.get(polarity, 0) + 1
            person["reviews"].add(review_id)
            person["quotes"].append((polarity == "positive", score, sentence))
        praised = defaultdict(lambda: defaultdict(int))
        keys = {rid: key for key, p in people.items() for rid in p["reviews"]}
        if keys:
            for review_id, code in conn.execute(
                select(BehaviourMention.review_id, BehaviourMention.code)
                .where(BehaviourMention.review_id.in_(list(keys)), BehaviourMention.polarity == "positive")
            ):
                praised[keys[review_id]][code] += 1
    result = []
    for key, person in people.items():
        best = sorted(person["quotes"], key=lambda q: (q[0], q[1]), reverse=True)
        result.append({
            "business": person["business"], "location": person["location"], "name": person["name"],
            "role": ", ".join(sorted(person["roles"])) or None, "mentions": person["mentions"],
            "positive": person["positive"], "negative": person["negative"],
            "praised_for": [c for c, _ in sorted(praised[key].items(), key=lambda kv: (-kv[1], kv[0]))][:3],
            "quotes": list(dict.fromkeys(q[2] for q in best))[:quotes],
        })
    return sorted(result, key=lambda p: (-p["positive"], -p["mentions"], p["business"], p["location"], p["name"]))


def wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for a proportion: honest for small counts."""
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def practices(engine: Engine, location: str | None = None) -> dict:
    """For each behaviour praised, how much more often it appears in exceptional stories than in all
    stories (lift, with a 95% interval from the log of the risk ratio); and per location, the share of
    exceptional stories that name one of its three most-named people. Counted in the database."""
    place = (select(Story.review_id, Story.story_type, Location.name.label("location"))
             .join(Review, Review.id == Story.review_id).join(Source, Source.id == Review.source_id)
             .join(Location, Location.id == Source.location_id))
    if location:
        place = place.where(func.lower(Location.name) == location.lower())
    place = place.subquery()
    is_exceptional = case((place.c.story_type == "exceptional", 1), else_=0)
    with engine.connect() as conn:
        everyone, exceptional = conn.execute(select(func.count(), func.coalesce(func.sum(is_exceptional), 0))
                                             .select_from(place)).one()
        per_code = conn.execute(
            select(BehaviourMention.code, func.count(distinct(place.c.review_id)),
                   func.count(distinct(case((place.c.story_type == "exceptional", place.c.review_id)))))
            .join(place, place.c.review_id == BehaviourMention.review_id)
            .where(BehaviourMention.polarity == "positive").group_by(BehaviourMention.code)
        ).all()
        named = conn.execute(
            select(place.c.location, StaffMention.name, func.count(distinct(StaffMention.review_id)))
            .join(place, place.c.review_id == StaffMention.review_id).where(StaffMention.name.is_not(None))
            .group_by(place.c.location, StaffMention.name)
        ).all()
        places = conn.execute(select(place.c.location, func.coalesce(func.sum(is_exceptional), 0))
                              .group_by(place.c.location).order_by(place.c.location)).all()
        top: dict[str, list[str]] = {}
        for name_place in sorted({row[0] for row in named}):
            ranked = sorted(((n, c) for p, n, c in named if p == name_place), key=lambda nc: (-nc[1], nc[0]))
            top[name_place] = [n for n, _ in ranked[:3]]
        naming = {}
        for name_place, names in top.items():
            naming[name_place] = conn.scalar(
                select(func.count(distinct(place.c.review_id)))
                .join(StaffMention, StaffMention.review_id == place.c.review_id)
                .where(place.c.location == name_place, place.c.story_type == "exceptional",
                       StaffMention.name.in_(names)))
    behaviours = []
    for code, in_all, in_exceptional in per_code:
        if not in_all or not exceptional:
            continue
        share_exc, share_all = in_exceptional / exceptional, in_all / everyone
        lift = share_exc / share_all
        if in_exceptional:
            se = math.sqrt(max(0.0, 1 / in_exceptional - 1 / exceptional + 1 / in_all - 1 / everyone))
            low, high = lift * math.exp(-1.96 * se), lift * math.exp(1.96 * se)
        else:
            low, high = 0.0, None
        behaviours.append({"behaviour": code, "in_exceptional": in_exceptional, "exceptional": exceptional,
                           "in_all": in_all, "all": everyone, "lift": round(lift, 2),
                           "lift_low": round(low, 2), "lift_high": round(high, 2) if high else None})
    behaviours.sort(key=lambda b: (-b["lift_low"], -b["lift"], b["behaviour"]))
    stars = []
    for name_place, place_exceptional in places:
        count = naming.get(name_place, 0)
        low, high = wilson(count, place_exceptional)
        stars.append({"location": name_place, "exceptional": place_exceptional, "naming_top3": count,
                      "share": round(count / place_exceptional, 2) if place_exceptional else None,
                      "share_low": round(low, 2), "share_high": round(high, 2), "top3": top.get(name_place, [])})
    return {"behaviours": behaviours, "star_dependency": stars}
