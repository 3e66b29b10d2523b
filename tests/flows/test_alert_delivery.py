"""Alerts delivered for real: to a JSON webhook and an SMTP server on 127.0.0.1, with retries."""

from __future__ import annotations

import json

import yaml

from flows.daily_stories import daily_stories
from tests.support.fault_server import Reply
from flows.demo_site import DEMO_DIR
from warehouse.alerts import list_alerts
from warehouse.db import make_engine


def demo_config(tmp_path, notify: list[str]) -> str:
    config = yaml.safe_load(open(DEMO_DIR / "storyminer.yaml"))
    config["businesses"][1]["locations"][0]["sources"][1]["path"] = str(DEMO_DIR / "exports" / "luna-comment-cards.csv")
    config["alerts"] = {"notify": notify}
    path = tmp_path / "storyminer.yaml"
    path.write_text(yaml.safe_dump(config))
    return str(path)


def mailto(smtp_server) -> str:
    return f"mailto://127.0.0.1:{smtp_server.port}?from=alerts@storyminer.test&to=lead@clinic.test&mode=insecure"


def test_the_demo_burst_is_one_alert_delivered_to_a_webhook_and_by_email(
        prefect_harness, demo_url, monkeypatch, fault_server, smtp_server, tmp_path, sqlite_url):
    monkeypatch.setenv("STORYMINER_DEMO_URL", demo_url)
    monkeypatch.setenv("HOOK_URL", fault_server.url.replace("http://", "json://") + "/hook")
    summary = daily_stories(config_path=demo_config(tmp_path, ["${HOOK_URL}", mailto(smtp_server)]), database=sqlite_url)

    (alert,) = [a for a in summary["alerts"] if a["behaviour"] == "all"]  # exactly one location alert
    assert (alert["location"], alert["outcome"]) == ("Harbour Road", "new")
    assert {a["location"] for a in summary["alerts"]} == {"Harbour Road"}  # behaviour alerts only there too
    raised = len(summary["alerts"])
    assert summary["deliveries"] == {"delivered": raised, "failed": 0}
    assert len(fault_server.posts) == raised and len(smtp_server.messages) == raised
    posted = [json.loads(body) for path, body in fault_server.posts if path == "/hook"]
    (location_post,) = [p for p in posted if "negative stories" in p["title"]]
    assert "Harbour Road" in location_post["title"]
    assert location_post["message"].count("“") == 3 and "http://127.0.0.1" in location_post["message"]  # 3 stories
    assert all(m["to"] == ["lead@clinic.test"] and "Harbour Road" in m["data"] for m in smtp_server.messages)

    again = daily_stories(config_path=demo_config(tmp_path, ["${HOOK_URL}", mailto(smtp_server)]), database=sqlite_url)
    assert {a["outcome"] for a in again["alerts"]} == {"updated"}
    assert len(fault_server.posts) == raised and len(smtp_server.messages) == raised  # nobody is told twice
    assert len(list_alerts(make_engine(sqlite_url))) == raised


def test_a_failing_channel_is_recorded_and_retried_next_run_without_failing_it(
        prefect_harness, demo_url, monkeypatch, fault_server, smtp_server, tmp_path, sqlite_url):
    monkeypatch.setenv("STORYMINER_DEMO_URL", demo_url)
    broken = fault_server.url.replace("http://", "json://") + "/down"
    fault_server.routes["/down"] = Reply(500)
    config = demo_config(tmp_path, [mailto(smtp_server), broken])
    summary = daily_stories(config_path=config, database=sqlite_url)
    raised = len(summary["alerts"])
    assert summary["status"] == "ok" and summary["deliveries"] == {"delivered": 0, "failed": raised}
    alerts = list_alerts(make_engine(sqlite_url))
    assert all(a["notified_at"] is None and a["delivery_attempts"] == 1 and "channel 2" in a["delivery_error"]
               for a in alerts)
    assert len(smtp_server.messages) == raised

    fault_server.routes.pop("/down")  # the webhook is back
    summary = daily_stories(config_path=config, database=sqlite_url)
    assert summary["deliveries"] == {"delivered": raised, "failed": 0}
    alerts = list_alerts(make_engine(sqlite_url))
    assert all(a["notified_at"] is not None and a["delivery_error"] is None for a in alerts)
    assert len(smtp_server.messages) == raised  # the mail went out once per alert, on the first run
    assert [p for p, _ in fault_server.posts].count("/down") == 2 * raised


def test_a_new_alert_is_also_a_prefect_event_and_artifact(prefect_harness, demo_url, monkeypatch, tmp_path, sqlite_url):
    import time
    from datetime import timedelta

    from prefect.client.orchestration import get_client
    from prefect.events.filters import EventFilter, EventNameFilter, EventOccurredFilter, EventResourceFilter
    from prefect.types._datetime import now

    monkeypatch.setenv("STORYMINER_DEMO_URL", demo_url)
    started = now("UTC")
    summary = daily_stories(config_path=demo_config(tmp_path, []), database=sqlite_url)
    (alert,) = [a for a in summary["alerts"] if a["behaviour"] == "all"]
    wanted = EventFilter(event=EventNameFilter(name=["storyminer.alert.negative-spike"]),
                         resource=EventResourceFilter(id=[f"storyminer.alert.{alert['id']}"]),
                         occurred=EventOccurredFilter(since=started, until=started + timedelta(hours=1)))
    with get_client(sync_client=True) as client:
        deadline = time.monotonic() + 30
        while not (events := client.read_events(filter=wanted, limit=50).events) and time.monotonic() < deadline:
            time.sleep(0.5)  # events reach the server asynchronously
        # Prefect 3.8.8's own read_artifacts sends nulls its server rejects; ask the API directly.
        artifacts = client.request("POST", "/artifacts/filter", json={
            "artifacts": {"key": {"any_": [f"storyminer-alert-{alert['id']}"]}}, "limit": 1, "offset": 0,
            "sort": "CREATED_DESC"}).json()
    assert events and events[-1].payload["location"] == "Harbour Road"
    assert events[-1].payload["observed"] == alert["observed"] >= 3
    assert artifacts and "Harbour Road" in artifacts[0]["data"]
