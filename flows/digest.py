"""The weekly digest: one self-contained HTML page with the week's best and worst stories, new alerts,
behaviour trends drawn as inline SVG charts, and staff kudos."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from html import escape

from sqlalchemy import Engine, select

from warehouse.alerts import list_alerts
from warehouse.models import BehaviourMention, Review, StaffMention, Story
from warehouse.privacy import redact_story
from warehouse.queries import StoryFilter, stories

GREEN, RED, GREY = "#2e7d32", "#c62828", "#9e9e9e"


def weekly_data(engine: Engine, week_end: date, redact: bool = True) -> dict:
    """Everything the page shows, for the 7 days ending on WEEK_END, with the 4 weeks before as trend."""
    start = week_end - timedelta(days=6)
    best = [s for s in stories(engine, StoryFilter(since=start, until=week_end), limit=50)
            if s["story_type"] in ("exceptional", "positive")][:5]
    worst = [s for s in stories(engine, StoryFilter(since=start, until=week_end, polarity="negative"), limit=20)
             if s["story_type"] in ("negative", "execrable")][:3]
    if redact:
        best, worst = [redact_story(s) for s in best], [redact_story(s) for s in worst]
    alerts = [a for a in list_alerts(engine) if a["window_end"] >= start.isoformat()]
    trend_start = datetime.combine(start - timedelta(days=28), datetime.min.time())
    weeks: dict[str, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: {"positive": 0, "negative": 0}))
    kudos: dict[str, dict] = {}
    with engine.connect() as conn:
        for code, polarity, published in conn.execute(
            select(BehaviourMention.code, BehaviourMention.polarity, Review.published_at)
            .join(Review, Review.id == BehaviourMention.review_id)
            .where(Review.published_at >= trend_start,
                   Review.published_at < datetime.combine(week_end + timedelta(days=1), datetime.min.time()))
        ):
            if polarity in ("positive", "negative"):
                week = 4 - (week_end - published.date()).days // 7  # 4 is this week, 0 four weeks back
                if 0 <= week <= 4:
                    weeks[code][week][polarity] += 1
        for name, polarity, sentence in conn.execute(
            select(StaffMention.name, StaffMention.polarity, StaffMention.sentence)
            .join(Review, Review.id == StaffMention.review_id).join(Story, Story.review_id == Review.id)
            .where(StaffMention.name.is_not(None), Review.published_at >= datetime.combine(start, datetime.min.time()))
            .order_by(Story.story_score.desc())
        ):
            person = kudos.setdefault(name, {"name": name, "positive": 0, "negative": 0, "quote": None})
            person[polarity] = person.get(polarity, 0) + 1
            if polarity == "positive" and person["quote"] is None:
                person["quote"] = sentence
    trends = sorted(({"behaviour": code, "weeks": [by_week[w] for w in range(5)]} for code, by_week in weeks.items()),
                    key=lambda t: -(t["weeks"][4]["positive"] + t["weeks"][4]["negative"]))
    return {"start": start.isoformat(), "end": week_end.isoformat(), "best": best, "worst": worst, "alerts": alerts,
            "trends": trends[:8], "kudos": sorted(kudos.values(), key=lambda p: (-p["positive"], p["name"]))[:8]}


def _chart(trend: dict) -> str:
    """A small bar chart: praise above the line, complaints below, one pair of bars per week."""
    peak = max([1] + [max(w["positive"], w["negative"]) for w in trend["weeks"]])
    width, half, bar = 220, 40, 16
    bars = []
    for i, week in enumerate(trend["weeks"]):
        x = 10 + i * 42
        up = round(half * week["positive"] / peak)
        down = round(half * week["negative"] / peak)
        label = "this week" if i == 4 else f"-{4 - i}w"
        bars.append(f'<rect x="{x}" y="{half - up}" width="{bar}" height="{up}" fill="{GREEN}"/>'
                    f'<rect x="{x}" y="{half}" width="{bar}" height="{down}" fill="{RED}"/>'
                    f'<text x="{x}" y="{2 * half + 14}" font-size="9">{label}</text>')
    return (f'<svg class="chart" width="{width}" height="{2 * half + 18}" role="img" '
            f'aria-label="{escape(trend["behaviour"])}: praise and complaints per week">'
            f'<line x1="0" y1="{half}" x2="{width}" y2="{half}" stroke="{GREY}"/>{"".join(bars)}</svg>')


def _story(story: dict) -> str:
    link = f' <a href="{escape(story["url"])}">source</a>' if story.get("url") else ""
    return (f'<li class="story"><blockquote>{escape(story.get("headline") or "")}</blockquote>'
            f'<p>{escape(story["business"])} · {escape(story["location"])} · {escape(story.get("published_at") or "")}'
            f' · {escape(story["story_type"])} ({story["story_score"]:.0f}) · {escape(story.get("author") or "anonymous")}'
            f'{link}</p></li>')


def render(data: dict) -> str:
    """The digest as one HTML page with no external resources."""
    alerts = "".join(
        f'<li>{escape(a["business"])} · {escape(a["location"])}: {a["observed"]} '
        f'{"negative stories" if a["behaviour"] == "all" else escape(a["behaviour"]) + " complaints"} '
        f'(about {a["expected"]:.1f} expected), {escape(a["window_end"])}</li>' for a in data["alerts"]
    ) or "<li>No alerts this week.</li>"
    charts = "".join(f'<figure><figcaption>{escape(t["behaviour"].replace("_", " "))}</figcaption>{_chart(t)}</figure>'
                     for t in data["trends"]) or "<p>No behaviours mentioned in these weeks.</p>"
    kudos = "".join(
        f'<tr><td>{escape(p["name"])}</td><td>{p["positive"]}</td><td>{p.get("negative", 0)}</td>'
        f'<td>{escape(p["quote"] or "")}</td></tr>' for p in data["kudos"]
    ) or '<tr><td colspan="4">Nobody was named this week.</td></tr>'
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Storyminer digest {data["start"]} to {data["end"]}</title>
<style>
body {{ font-family: sans-serif; margin: 2em auto; max-width: 960px; color: #222; }}
h1 {{ font-size: 1.6em; }} h2 {{ border-bottom: 2px solid #eee; padding-bottom: .2em; }}
blockquote {{ font-size: 1.1em; margin: .3em 0; font-style: italic; }}
.story p {{ color: #555; margin: 0 0 1em; font-size: .9em; }}
figure {{ display: inline-block; margin: .5em 1em .5em 0; }} figcaption {{ font-weight: bold; }}
table {{ border-collapse: collapse; }} td, th {{ border-bottom: 1px solid #eee; padding: .3em .6em; text-align: left; }}
.legend span {{ display: inline-block; width: 1em; height: 1em; vertical-align: middle; }}
</style></head>
<body>
<h1>What customers told you, {data["start"]} to {data["end"]}</h1>
<h2>Stories worth retelling</h2><ol>{"".join(_story(s) for s in data["best"]) or "<li>No stories this week.</li>"}</ol>
<h2>Stories to learn from</h2><ol>{"".join(_story(s) for s in data["worst"]) or "<li>No negative stories this week.</li>"}</ol>
<h2>Alerts</h2><ul>{alerts}</ul>
<h2>Behaviours, week by week</h2>
<p class="legend"><span style="background:{GREEN}"></span> praised <span style="background:{RED}"></span> criticised</p>
{charts}
<h2>Staff kudos</h2><table><tr><th>person</th><th>praised</th><th>criticised</th><th>best quote</th></tr>{kudos}</table>
</body></html>
"""
