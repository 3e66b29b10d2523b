"""What a run did, read back from the warehouse: as a dict, as text for people, as markdown for Prefect."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from warehouse.db import describe
from warehouse.models import STORY_TYPES, Business, Location, Review, Run, Source, SourceRun, Story


def run_summary(engine: Engine, run_id: int, database_url: str) -> dict:
    """Reviews per source this run, stories by type, the three best stories, and where the data is."""
    with engine.connect() as conn:
        sources = conn.execute(
            select(Business.name, Location.name, Source.kind, Source.locator, SourceRun.pages_fetched,
                   SourceRun.reviews_seen, SourceRun.reviews_new, SourceRun.reviews_updated,
                   SourceRun.reviews_skipped, SourceRun.reviews_claimed, SourceRun.errors,
                   select(func.count()).where(Review.source_id == Source.id).scalar_subquery())
            .join(Source, SourceRun.source_id == Source.id)
            .join(Location, Source.location_id == Location.id)
            .join(Business, Location.business_id == Business.id)
            .where(SourceRun.run_id == run_id)
            .order_by(Business.name, Location.name, Source.id)
        ).all()
        by_type = dict(conn.execute(select(Story.story_type, func.count()).group_by(Story.story_type)).all())
        top = conn.execute(
            select(Story.story_score, Story.story_type, Story.headline, Review.author, Review.url,
                   Business.name, Location.name)
            .join(Review, Story.review_id == Review.id)
            .join(Source, Review.source_id == Source.id)
            .join(Location, Source.location_id == Location.id)
            .join(Business, Location.business_id == Business.id)
            .order_by(Story.story_score.desc(), Review.id)
            .limit(3)
        ).all()
        run = conn.execute(select(Run.status, Run.reviews_analysed).where(Run.id == run_id)).one()
        total = conn.scalar(select(func.count()).select_from(Review)) or 0
    return {
        "run_id": run_id,
        "status": run.status,
        "reviews_analysed": run.reviews_analysed,
        "reviews_total": total,
        "sources": [
            {"business": s[0], "location": s[1], "kind": s[2], "locator": s[3], "pages": s[4],
             "seen": s[5], "new": s[6], "updated": s[7], "skipped": s[8], "claimed": s[9],
             "errors": s[10].splitlines() if s[10] else [], "stored": s[11]}
            for s in sources
        ],
        "stories_by_type": {t: by_type.get(t, 0) for t in STORY_TYPES},
        "top_stories": [
            {"score": t[0], "type": t[1], "quote": t[2], "author": t[3], "url": t[4], "business": t[5],
             "location": t[6]}
            for t in top
        ],
        "database": describe(database_url),
    }


def when(alert: dict) -> str:
    """ "on 2026-11-23", or "from 2026-11-17 to 2026-11-23" for a window of several days."""
    if alert["window_start"] == alert["window_end"]:
        return f"on {alert['window_end']}"
    return f"from {alert['window_start']} to {alert['window_end']}"


def shortfall(source: dict, ratio: float = 0.5) -> bool:
    """Far fewer reviews stored than the source claims: paging or parsing is probably missing some."""
    return bool(source["claimed"]) and source["stored"] < ratio * source["claimed"]


def as_text(summary: dict) -> str:
    lines = [f"Storyminer run {summary['run_id']}: {summary['status']}", "", "Reviews per source (new / updated / seen):"]
    for s in summary["sources"]:
        line = f"  {s['business']} · {s['location']} · {s['kind']}: {s['new']} / {s['updated']} / {s['seen']}"
        line += f" from {s['pages']} page(s)"
        if s["skipped"]:
            line += f", {s['skipped']} skipped"
        lines.append(line)
        lines.extend(f"    error: {e}" for e in s["errors"])
        if shortfall(s):
            lines.append(f"    warning: the source says it has {s['claimed']} reviews; the warehouse holds {s['stored']}")
    lines += ["", f"Reviews analysed this run: {summary['reviews_analysed']} (warehouse holds {summary['reviews_total']})",
              "Stories by type: " + ", ".join(f"{k} {v}" for k, v in summary["stories_by_type"].items()),
              "", "Top stories:"]
    for i, t in enumerate(summary["top_stories"], 1):
        lines.append(f"  {i}. [{t['type']}, score {t['score']:.0f}] {t['business']} · {t['location']}"
                     f" — “{t['quote']}” ({t['author'] or 'anonymous'})")
    if not summary["top_stories"]:
        lines.append("  (none yet)")
    alerts = summary.get("alerts") or []
    lines += ["", "Alerts:" if alerts else "Alerts: none"]
    for a in alerts:
        what = "negative stories" if a["behaviour"] == "all" else f"{a['behaviour']} complaints"
        lines.append(f"  #{a['id']} {a['business']} · {a['location']}: {a['observed']} {what} {when(a)}"
                     f" (about {a['expected']:.1f} expected){' — ongoing, updated' if a['outcome'] == 'updated' else ''}")
    deliveries = summary.get("deliveries") or {}
    if deliveries.get("delivered") or deliveries.get("failed"):
        lines.append(f"  notifications: {deliveries['delivered']} delivered, {deliveries['failed']} failed "
                     "(failed ones are retried on the next run)")
    lines += ["", f"Database: {summary['database']}"]
    return "\n".join(lines)


def as_markdown(summary: dict) -> str:
    rows = ["| business | location | kind | new | updated | seen | pages | errors |", "|---|---|---|---|---|---|---|---|"]
    for s in summary["sources"]:
        rows.append(f"| {s['business']} | {s['location']} | {s['kind']} | {s['new']} | {s['updated']} | {s['seen']}"
                    f" | {s['pages']} | {len(s['errors'])} |")
    types = " · ".join(f"{k}: {v}" for k, v in summary["stories_by_type"].items())
    quotes = "\n".join(f"{i}. **{t['type']}** ({t['score']:.0f}) {t['business']} · {t['location']}: "
                       f"> {t['quote']}" for i, t in enumerate(summary["top_stories"], 1))
    return (f"# Storyminer run {summary['run_id']} ({summary['status']})\n\n" + "\n".join(rows)
            + f"\n\n**Analysed this run:** {summary['reviews_analysed']} of {summary['reviews_total']} reviews\n\n"
            + f"**Stories by type:** {types}\n\n## Top stories\n\n{quotes or '(none yet)'}\n\n"
            + "".join(f"**Alert #{a['id']}:** {a['observed']} negative stories at {a['business']} · {a['location']}"
                      f" {when(a)}\n\n" for a in summary.get("alerts") or [])
            + f"Database: `{summary['database']}`\n")
