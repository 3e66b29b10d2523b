"""The weekly digest: a self-contained page with stories, alerts, charts and kudos, checked as a picture."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date
from html import escape

import pytest

from flows.cli import main
from flows.digest import GREEN, RED, render, weekly_data
from tests.support.browser import FLAGS, chromium_path
from tests.warehouse.test_alerts import Warehouse

TODAY = date(2026, 11, 23)


@pytest.fixture
def warehouse(sqlite_url) -> Warehouse:
    from flows.alerting import detect
    from flows.settings import AlertsConfig

    warehouse = Warehouse(sqlite_url)
    for days_back, kind in ((1, "negative"), (2, "negative"), (3, "negative")):
        warehouse.add("Harbour Road", TODAY.replace(day=TODAY.day - days_back), 3, story_type=kind,
                      behaviour="access")
    warehouse.add("Main Street", TODAY, 2, story_type="exceptional", behaviour="friendliness")
    with warehouse.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE behaviour_mentions SET polarity = 'positive' WHERE code = 'friendliness'")
    detect(warehouse.engine, AlertsConfig(window_days=1, lookback_days=3), TODAY)
    return warehouse


def test_the_page_holds_stories_alerts_charts_and_nothing_external(warehouse):
    data = weekly_data(warehouse.engine, TODAY)
    html = render(data)
    assert len(data["best"]) == 2 and all(s["story_type"] == "exceptional" for s in data["best"])
    assert len(data["worst"]) == 3 and data["alerts"]  # the three worst of nine, and the burst's alert
    assert {t["behaviour"] for t in data["trends"]} == {"access", "friendliness"}
    assert html.count("<svg") == 2 and escape(data["best"][0]["headline"]) in html
    assert "Harbour Road" in html and "negative stories" in html
    assert "<script" not in html and " src=" not in html and "stylesheet" not in html


def test_review_text_is_escaped(warehouse):
    with warehouse.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE stories SET headline = '<script>alert(1)</script> & friends'")
    html = render(weekly_data(warehouse.engine, TODAY))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in html


def test_the_digest_rendered_in_chromium_shows_charts_and_stories(warehouse, sqlite_url, tmp_path, capsys):
    from PIL import Image

    page = tmp_path / "digest.html"
    assert main(["digest", "--week", "--end", TODAY.isoformat(), "-o", str(page), "--db", sqlite_url]) == 0
    picture = tmp_path / "digest.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium_path(), "--headless", *FLAGS, f"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=1000,1600",
                        f"--screenshot={picture}", page.as_uri()], check=True, capture_output=True, timeout=120)
    image = Image.open(picture).convert("RGB")
    width, height = image.size
    pixels = image.load()

    def share(colour: str, top: int, bottom: int) -> int:
        rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
        return sum(1 for y in range(top, bottom, 2) for x in range(0, width, 2)
                   if all(abs(a - b) < 30 for a, b in zip(pixels[x, y], rgb)))

    assert share(GREEN, 0, height) > 100 and share(RED, 0, height) > 100  # the bars are drawn
    dark_rows = [y for y in range(0, height // 2, 4)
                 if any(sum(pixels[x, y]) < 200 for x in range(0, width, 3))]
    assert len(dark_rows) > 40  # lines of story text in the upper half, not a blank page


def test_the_digest_is_sent_through_the_alert_channels(warehouse, sqlite_url, tmp_path, fault_server, capsys):
    config = tmp_path / "storyminer.yaml"
    config.write_text(f"alerts:\n  notify: ['{fault_server.url.replace('http://', 'json://')}/digest']\n")
    page = tmp_path / "digest.html"
    assert main(["digest", "--end", TODAY.isoformat(), "-o", str(page), "--send", "--config", str(config),
                 "--db", sqlite_url]) == 0
    (path, body), = fault_server.posts
    assert path == "/digest" and b"Stories worth retelling" in body
    assert main(["digest", "-o", str(page), "--send", "--db", sqlite_url]) == 2  # nowhere to send it
