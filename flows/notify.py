"""Tell people about an alert: a message with the counts and the top stories, through Apprise URLs,
plus a Prefect event and artifact so automations can react too."""

from __future__ import annotations

import hashlib
import logging

import apprise

from flows.secrets import resolve_secret
from flows.summary import when

log = logging.getLogger(__name__)
EVENT = "storyminer.alert.negative-spike"


def fingerprint(url_reference: str) -> str:
    """A channel's identity for bookkeeping: a hash of the reference as written, never the secret."""
    return hashlib.sha256(url_reference.encode()).hexdigest()[:16]


def message(alert: dict) -> tuple[str, str]:
    """(title, markdown body) for an alert carrying its location and top stories."""
    what = "negative stories" if alert["behaviour"] == "all" else f"complaints about {alert['behaviour']}"
    where = f"{alert['business']} · {alert['location']}"
    title = f"Storyminer: {alert['observed']} {what} at {where}"
    lines = [f"**{alert['observed']} {what}** at **{where}** {when(alert)}, against about "
             f"{alert['expected']:.1f} expected from the weeks before (score {alert['score']:.1f}).", ""]
    for i, story in enumerate(alert["stories"], 1):
        stars = f"{story['rating']:g}/{story['rating_max']:g} stars, " if story.get("rating") is not None else ""
        quote = (story.get("headline") or "").replace("\n", " ")
        link = f" — {story['url']}" if story.get("url") else ""
        lines.append(f"{i}. “{quote}” ({stars}{story.get('author') or 'anonymous'}){link}")
    return title, "\n".join(lines)


def deliver(references: list[str], title: str, body: str, already: set[str],
            body_format: str = apprise.NotifyFormat.MARKDOWN) -> tuple[set[str], list[str]]:
    """Send to every channel not yet told; returns (channels told so far, errors). Never raises."""
    told, errors = set(already), []
    for number, reference in enumerate(references, 1):
        key = fingerprint(reference)
        if key in told:
            continue
        try:
            url = resolve_secret(reference)
        except Exception as exc:  # a missing variable or block fails this channel only
            errors.append(f"channel {number}: {exc}")
            continue
        channel = apprise.Apprise()
        if not channel.add(url):
            errors.append(f"channel {number}: not a URL Apprise can use")
            continue
        try:
            sent = channel.notify(title=title, body=body, body_format=body_format)
        except Exception as exc:  # a channel's own failure must not fail the run
            sent, detail = False, f": {exc}"
        else:
            detail = ""
        if sent:
            told.add(key)
        else:
            errors.append(f"channel {number}: delivery failed{detail}")
    return told, errors


def emit(alert: dict, body: str) -> None:
    """A Prefect event and a markdown artifact for the alert (inside a flow run)."""
    from prefect.artifacts import create_markdown_artifact
    from prefect.events import emit_event

    emit_event(
        event=EVENT,
        resource={"prefect.resource.id": f"storyminer.alert.{alert['id']}",
                  "prefect.resource.name": f"{alert['business']} · {alert['location']}"},
        related=[{"prefect.resource.id": f"storyminer.location.{alert['location_id']}",
                  "prefect.resource.role": "location", "prefect.resource.name": alert["location"]}],
        payload={k: alert[k] for k in ("id", "behaviour", "observed", "expected", "score", "window_start",
                                       "window_end", "business", "location")},
    )
    create_markdown_artifact(key=f"storyminer-alert-{alert['id']}", markdown=body,
                             description=f"Negative-story spike at {alert['location']}")
