"""The command-line contract: JSON shapes, exit codes, messages on stderr."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import main
from tests.conftest import FIXTURES

EXTRACT_KEYS = {"source_kind", "external_id", "author", "rating", "rating_max", "title", "body", "published_at",
                "url", "language"}
ANALYSE_KEYS = {"id", "language", "sentiment", "story_type", "story_score", "behaviours", "staff"}


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_extract_from_a_saved_page_prints_one_json_line_per_review(capsys):
    assert main(["extract", "--kind", "schema_org", "--file", str(FIXTURES / "pages" / "product_json_ld.html")]) == 0
    reviews = lines(capsys.readouterr().out)
    assert len(reviews) == 2
    assert all(set(r) == EXTRACT_KEYS for r in reviews)
    assert reviews[0]["author"] == "Marta" and reviews[0]["source_kind"] == "schema_org"


def test_extract_from_a_url_on_the_demo_site(capsys, demo_url):
    assert main(["extract", "--kind", "schema_org", "--url", f"{demo_url}/luna-trattoria/old-town/reviews",
                 "--allow-host", "127.0.0.1"]) == 0
    captured = capsys.readouterr()
    assert len(lines(captured.out)) == 10
    assert "next page:" in captured.err


@pytest.mark.parametrize("args, message", [
    (["extract", "--kind", "yelp", "--file", "x.html"], "unknown source kind"),
    (["extract", "--kind", "schema_org", "--file", "/no/such/page.html"], "no such file"),
    (["extract", "--kind", "schema_org", "--url", "http://127.0.0.1:9/"], "private or local address"),
    (["extract", "--kind", "schema_org", "--url", "http://127.0.0.1:9/", "--allow-host", "127.0.0.1"], "127.0.0.1:9"),
    (["extract", "--kind", "schema_org", "--url", "ftp://example.org/"], "only http and https"),
])
def test_extract_bad_input_exits_2_with_the_reason(capsys, args, message):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_analyse_prints_the_documented_shape_in_input_order(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "text": "Our server Jen was wonderful and the food was great.", "rating": 5, "rating_max": 5},
        {"id": 7, "text": "We waited three hours and the receptionist was rude.", "title": "Awful"},
        {"id": "c", "text": ""},
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["analyse", str(source), "-o", str(out)]) == 0
    results = lines(out.read_text())
    assert [r["id"] for r in results] == ["a", 7, "c"]
    assert all(ANALYSE_KEYS <= set(r) for r in results)
    assert results[0]["sentiment"]["label"] == "positive" and results[1]["sentiment"]["label"] == "negative"
    assert results[0]["staff"] == [{"name": "Jen", "role": "server"}]
    assert results[1]["story_type"] in {"negative", "execrable"}
    assert set(results[0]["sentiment"]) >= {"compound", "label"}


def test_analyse_reads_stdin_and_reports_bad_lines_without_losing_good_ones(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO('{"id": 1, "text": "Lovely staff."}\nnot json\n{"id": 3}\n'
                                                  '{"id": 4, "text": "Rude.", "rating": "five"}\n{"id": 5, "text": "Fine."}\n'))
    assert main(["analyse", "-"]) == 2
    captured = capsys.readouterr()
    assert [r["id"] for r in lines(captured.out)] == [1, 5]
    for number in (2, 3, 4):
        assert f"line {number}" in captured.err


def test_run_with_a_bad_config_exits_2_naming_the_field(tmp_path, capsys):
    config = tmp_path / "storyminer.yaml"
    config.write_text("crawl:\n  min_delay_s: fast\n")
    assert main(["run", "--config", str(config)]) == 2
    assert "crawl.min_delay_s" in capsys.readouterr().err


def test_run_with_an_unusable_database_exits_2(tmp_path, capsys):
    config = tmp_path / "storyminer.yaml"
    config.write_text("businesses: []\n")
    assert main(["run", "--config", str(config), "--db", "postgresql://nobody@127.0.0.1:9/none"]) == 2
    assert "cannot open the warehouse" in capsys.readouterr().err


def storyminer(*args: str, cwd) -> subprocess.CompletedProcess:
    """The installed console script, as a user runs it, talking to the session's Prefect server."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value()}
    script = Path(sys.executable).with_name("storyminer")
    return subprocess.run([str(script), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_demo_prints_the_summary_and_a_second_run_reads_nothing_new(prefect_harness, tmp_path):
    first = storyminer("demo", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    for part in ("Reviews per source (new / updated / seen):", "Stories by type:", "Top stories:", "1. [", "3. [",
                 f"Database: {tmp_path / 'demo-output' / 'storyminer.db'}"):
        assert part in first.stdout
    second = storyminer("demo", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "Reviews analysed this run: 0" in second.stdout
    assert ": 0 / 0 / 10 from 1 page(s)" in second.stdout  # stopped at the bookmark, on page 1


def test_extract_handles_every_kind(tmp_path, capsys):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({"feed": {"entry": [{"id": {"label": "55"}, "im:rating": {"label": "2"},
                                                    "content": {"label": "App keeps logging me out."},
                                                    "author": {"name": {"label": "zed"}}}]}}))
    api = tmp_path / "reviews.json"
    api.write_text(json.dumps({"reviews": [{"reviewId": "g", "comment": "Kind nurse.", "starRating": "FIVE"}]}))
    export = tmp_path / "export.csv"
    export.write_text("id,text,rating\n9,Quick checkout,4\n")
    for kind, path, expected in (("app_store", feed, "55"), ("google_business", api, "g"), ("file", export, "9")):
        assert main(["extract", "--kind", kind, "--file", str(path)]) == 0
        (review,) = lines(capsys.readouterr().out)
        assert review["source_kind"] == kind and review["external_id"] == expected and set(review) == EXTRACT_KEYS


def test_alerts_list_acknowledge_and_backtest(sqlite_url, capsys, tmp_path):
    from datetime import date, timedelta

    from flows.alerting import detect
    from flows.settings import AlertsConfig
    from tests.warehouse.test_alerts import Warehouse

    warehouse = Warehouse(sqlite_url)
    today = date.today()
    warehouse.add("Harbour Road", today - timedelta(days=40), 5)  # an old burst: only the backtest sees it
    warehouse.add("Harbour Road", today, 4)
    detect(warehouse.engine, AlertsConfig(window_days=1), today)

    assert main(["alerts", "--db", sqlite_url, "--format", "json"]) == 0
    (alert,) = json.loads(capsys.readouterr().out)
    assert (alert["location"], alert["observed"], alert["status"]) == ("Harbour Road", 4, "open")

    assert main(["alerts", "ack", str(alert["id"]), "--by", "Maria", "--db", sqlite_url]) == 0
    assert main(["alerts", "--status", "open", "--format", "csv", "--db", sqlite_url]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("id,status")  # header only: none open
    assert main(["alerts", "ack", "999", "--db", sqlite_url]) == 2
    assert "no open alert with id 999" in capsys.readouterr().err

    config = tmp_path / "storyminer.yaml"
    config.write_text("alerts:\n  window_days: 1\n")
    assert main(["alerts", "backtest", "--days", "60", "--db", sqlite_url, "--format", "csv", "--config", str(config)]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert rows[0] == "day,business,location,behaviour,observed,expected,score"
    assert [r.split(",")[0] for r in rows[1:]] == [(today - timedelta(days=40)).isoformat(), today.isoformat()]

    assert main(["alerts", "--db", sqlite_url]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["id", "status", "business"] and "acknowledged" in table[2]
