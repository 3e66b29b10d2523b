"""The story board: a small web app on 127.0.0.1 for browsing, filtering, reading and curating stories.

Read-only unless a curation token is configured; every input is validated by FastAPI; all SQL goes
through warehouse.queries with bound parameters; Jinja2 escapes every review text it shows."""

from __future__ import annotations

import csv
import hmac
import io
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode

from fastapi import FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine, select

from nlp.behaviours import CODES
from warehouse.alerts import list_alerts
from warehouse.curation import NotFound, curate, history
from warehouse.models import (CURATION_STATUSES, STORY_TYPES, BehaviourMention, Business, Location, Review, Source,
                              StaffMention, Story)
from warehouse.privacy import redact_story, redact_text
from warehouse.queries import StoryFilter, staff, stories

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
PAGE = 25


def text_param():
    """A fresh Query per parameter: FastAPI binds a shared one to the first parameter's name."""
    return Query(default=None, max_length=200)


def _choices(engine: Engine) -> dict:
    with engine.connect() as conn:
        return {
            "businesses": list(conn.scalars(select(Business.name).order_by(Business.name))),
            "locations": sorted(set(conn.scalars(select(Location.name)))),
            "behaviours": sorted(CODES),  # a DISTINCT over every mention would scan millions of rows
            "types": list(STORY_TYPES),
        }


def highlight(text: str, behaviours: list[dict], people: list[dict]) -> list[dict]:
    """The review text cut into plain and highlighted parts by offsets; Jinja2 escapes every part."""
    marks = sorted([(b["start"], b["end"], {"kind": "behaviour", "polarity": b["polarity"],
                                            "title": f"{b['code']} ({b['polarity']})"}) for b in behaviours]
                   + [(p["start"], p["end"], {"kind": "staff", "title": p["role"] or "named person"})
                      for p in people if p.get("start") is not None], key=lambda m: (m[0], -m[1]))
    parts, position = [], 0
    for start, end, info in marks:
        if start < position or end > len(text):
            continue  # overlapping marks: the first one wins
        parts.append({"kind": "text", "text": text[position:start]})
        parts.append({**info, "text": text[start:end]})
        position = end
    parts.append({"kind": "text", "text": text[position:]})
    return parts


def create_app(engine: Engine, token: str | None = None, redact: bool = True) -> FastAPI:
    app = FastAPI(title="Storyminer board", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def drop_empty_parameters(request: Request, call_next):
        """A filter form sends every field, empty or not; an empty field means "any"."""
        pairs = [(k, v) for k, v in request.query_params.multi_items() if v != ""]
        request.scope["query_string"] = urlencode(pairs).encode()
        return await call_next(request)

    def filters(business, location, source, behaviour, polarity, type_, staff_name, since, until, min_score, q):
        return StoryFilter(business=business or None, location=location or None, source=source or None,
                           behaviour=behaviour or None, polarity=polarity or None, story_type=type_ or None,
                           staff=staff_name or None, since=since, until=until, min_score=min_score, text=q or None)

    def shown(rows: list[dict]) -> list[dict]:
        return [redact_story(r) for r in rows] if redact else rows

    @app.get("/", response_class=HTMLResponse)
    def feed(request: Request, q: str | None = text_param(), business: str | None = text_param(), location: str | None = text_param(),
             source: str | None = text_param(), behaviour: str | None = text_param(),
             polarity: Literal["positive", "neutral", "negative", ""] | None = None,
             type: Literal["exceptional", "positive", "mixed", "neutral", "negative", "execrable", ""] | None = None,
             staff: str | None = text_param(), since: date | None = None, until: date | None = None,
             min_score: float | None = Query(default=None, ge=0, le=100), sort: Literal["score", "date"] = "score",
             after_value: str | None = Query(default=None, max_length=40), after_id: int | None = None):
        where = filters(business, location, source, behaviour, polarity, type, staff, since, until, min_score, q)
        after = None
        if after_id is not None and after_value is not None:
            try:
                after = (float(after_value) if sort == "score" else after_value, after_id)
            except ValueError:
                raise HTTPException(422, "after_value must be a number when sorting by score") from None
        rows = stories(engine, where, sort=sort, limit=PAGE, after=after)
        params = {k: v for k, v in request.query_params.items() if v and k not in ("after_value", "after_id")}
        next_query = None
        if len(rows) == PAGE:
            value, last = rows[-1]["cursor"]
            next_query = urlencode({**params, "after_value": value, "after_id": last})
        return TEMPLATES.TemplateResponse(request, "feed.html", {
            "rows": shown(rows), "choices": _choices(engine), "query": urlencode(params), "next_query": next_query,
            "f": {"q": q, "business": business, "location": location, "behaviour": behaviour, "polarity": polarity,
                  "type": type, "staff": staff, "since": since, "until": until, "min_score": min_score, "sort": sort}})

    @app.get("/export.csv")
    def export(q: str | None = text_param(), business: str | None = text_param(), location: str | None = text_param(),
               source: str | None = text_param(), behaviour: str | None = text_param(),
               polarity: Literal["positive", "neutral", "negative", ""] | None = None,
               type: Literal["exceptional", "positive", "mixed", "neutral", "negative", "execrable", ""] | None = None,
               staff: str | None = text_param(), since: date | None = None, until: date | None = None,
               min_score: float | None = Query(default=None, ge=0, le=100), sort: Literal["score", "date"] = "score"):
        where = filters(business, location, source, behaviour, polarity, type, staff, since, until, min_score, q)
        rows = shown(stories(engine, where, sort=sort, limit=10_000))
        columns = ["id", "story_score", "story_type", "status", "business", "location", "source", "published_at",
                   "author", "rating", "headline", "url"]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="stories.csv"'})

    def story_context(review_id: int) -> dict:
        rows = stories(engine, StoryFilter(), limit=1, only_id=review_id)
        if not rows:
            raise HTTPException(404, f"no story {review_id}")
        row = rows[0]
        with engine.connect() as conn:
            details = conn.execute(select(Story.label, Story.compound, Story.text_label)
                                   .where(Story.review_id == review_id)).one()
            behaviours = [dict(m) for m in conn.execute(
                select(BehaviourMention.code, BehaviourMention.text, BehaviourMention.polarity,
                       BehaviourMention.negated, BehaviourMention.start_char.label("start"),
                       BehaviourMention.end_char.label("end"))
                .where(BehaviourMention.review_id == review_id).order_by(BehaviourMention.start_char)).mappings()]
            people = [dict(m) for m in conn.execute(
                select(StaffMention.name, StaffMention.role, StaffMention.polarity,
                       StaffMention.start_char.label("start"), StaffMention.end_char.label("end"))
                .where(StaffMention.review_id == review_id)).mappings()]
        parts = highlight(row["body"], behaviours, people)  # offsets point into the text as stored
        if redact:
            names = [row["author"]] if row["author"] else []
            parts = [{**part, "text": redact_text(part["text"], names)} for part in parts]
        return {"s": {**shown([row])[0], **details._mapping}, "parts": parts, "behaviours": behaviours,
                "staff": people, "history": history(engine, review_id), "statuses": CURATION_STATUSES}

    @app.get("/stories/{review_id}", response_class=HTMLResponse)
    def story(request: Request, review_id: int):
        return TEMPLATES.TemplateResponse(request, "story.html", story_context(review_id))

    @app.post("/stories/{review_id}/curate", response_class=HTMLResponse)
    def curate_story(request: Request, review_id: int,
                     status: Literal["new", "shortlisted", "approved_internal", "approved_public", "rejected"] = Form(),
                     by: str = Form(min_length=1, max_length=200), note: str | None = Form(default=None, max_length=1000),
                     token_given: str | None = Form(default=None, alias="token", max_length=500)):
        context = story_context(review_id)
        if token is None:
            return TEMPLATES.TemplateResponse(request, "story.html", {
                **context, "error": True, "message": "This board is read-only: no curation token is configured."},
                status_code=403)
        if not token_given or not hmac.compare_digest(token_given.encode(), token.encode()):
            return TEMPLATES.TemplateResponse(request, "story.html", {
                **context, "error": True, "message": "Wrong or missing curation token; nothing was changed."},
                status_code=403)
        try:
            curate(engine, review_id, status, by, note or None)
        except (NotFound, ValueError) as exc:
            raise HTTPException(422, str(exc)) from None
        return TEMPLATES.TemplateResponse(request, "story.html", {
            **story_context(review_id), "message": f"Saved: {status}, by {by}."})

    @app.get("/charts", response_class=HTMLResponse)
    def charts(request: Request, weeks: int = Query(default=12, ge=2, le=104)):
        return TEMPLATES.TemplateResponse(request, "charts.html", chart_data(engine, weeks))

    return app


def chart_data(engine: Engine, weeks: int, today: date | None = None) -> dict:
    """Weekly sentiment per location with its alerts, the behaviour mix, and staff kudos."""
    today = today or date.today()
    start = today - timedelta(days=7 * weeks - 1)  # so today falls in the last week shown
    series: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    with engine.connect() as conn:
        for business, location, published, compound in conn.execute(
            select(Business.name, Location.name, Review.published_at, Story.compound)
            .join(Review, Review.id == Story.review_id).join(Source, Source.id == Review.source_id)
            .join(Location, Location.id == Source.location_id).join(Business, Business.id == Location.business_id)
            .where(Review.published_at >= datetime.combine(start, datetime.min.time()))
        ):
            series[f"{business} · {location}"][(published.date() - start).days // 7].append(compound)
        mix = defaultdict(lambda: {"positive": 0, "negative": 0})
        for code, polarity in conn.execute(select(BehaviourMention.code, BehaviourMention.polarity)):
            if polarity in ("positive", "negative"):
                mix[code][polarity] += 1
    width, height, left = 420, 160, 30
    step = (width - left - 10) / max(1, weeks - 1)
    alerts = defaultdict(list)
    for a in list_alerts(engine):
        alerts[f"{a['business']} · {a['location']}"].append(a)
    sentiment = []
    for name in sorted(series):
        points, marks = [], []
        for week in range(weeks):
            values = series[name].get(week)
            if values:
                y = height / 2 - (sum(values) / len(values)) * (height / 2 - 12)
                points.append(f"{left + week * step:.1f},{y:.1f}")
        for a in alerts.get(name, []):
            week = (date.fromisoformat(a["window_end"]) - start).days // 7
            if 0 <= week < weeks:
                marks.append({"x": round(left + week * step, 1), "y": height - 18,
                              "title": f"alert: {a['observed']} {a['behaviour']} on {a['window_end']}"})
        dots = [dict(zip(("x", "y"), point.split(","))) for point in points]
        sentiment.append({"name": name, "points": " ".join(points), "dots": dots, "alerts": marks, "width": width,
                          "height": height, "zero": height / 2})
    peak = max([1] + [m["positive"] + m["negative"] for m in mix.values()])
    mix_rows = [{"code": code, **counts, "pos_width": round(480 * counts["positive"] / peak),
                 "neg_width": round(480 * counts["negative"] / peak)}
                for code, counts in sorted(mix.items(), key=lambda kv: -(kv[1]["positive"] + kv[1]["negative"]))]
    return {"sentiment": sentiment, "mix": mix_rows, "kudos": staff(engine)[:15]}
