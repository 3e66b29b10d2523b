"""The story board driven in headless Chromium (Debian's, through Playwright): filter, search, read,
curate with and without the token, export, and untrusted review text shown as text."""

from __future__ import annotations

import csv
import io
import socket
import threading
import time

import pytest
import requests

from extractors.records import make_review
from flows.board import create_app, highlight
from flows.settings import parse_settings
from nlp.analyser import Analyser, TextInput
from tests.support.browser import FLAGS, chromium_path
from warehouse.db import open_warehouse
from warehouse.load import load_reviews, start_run, sync_sources
from warehouse.stories import reviews_for_analysis, save_analyses, unanalysed_review_ids

TOKEN = "board-t0ken"
REVIEWS = [
    ("Harbour Road", 5, "Nurse Maria stayed after her shift to help my father. She was wonderful, kind and patient."),
    ("Harbour Road", 1, "We waited three hours and the receptionist was rude and dismissive. Horrible, worst clinic ever."),
    ("Harbour Road", 4, "Dr. Patel explained everything clearly and never rushed me."),
    ("Main Street", 2, "Surprise bill for $400 that nobody mentioned. Nobody called back."),
    ("Main Street", 5, "The pharmacist went out of his way to find my medicine. Brilliant, friendly staff!"),
    ("Main Street", 3, "Fine visit, nothing special."),
    ("Main Street", 1, '<script>alert("owned")</script><b>bold</b> The staff were rude & slow.'),
]
CONFIG = {"businesses": [{"name": "Riverside Clinic", "locations": [
    {"name": n, "sources": [{"kind": "schema_org", "url": f"https://clinic.example/{n[0]}"}]}
    for n in ("Harbour Road", "Main Street")]}]}


@pytest.fixture(scope="module")
def board_engine(tmp_path_factory):
    engine = open_warehouse(f"sqlite:///{tmp_path_factory.mktemp('board') / 'board.db'}")
    sources = {s.location: s.source_id for s in sync_sources(engine, parse_settings(CONFIG).businesses)}
    for i, (location, stars, body) in enumerate(REVIEWS):
        load_reviews(engine, start_run(engine), sources[location], [make_review(
            "schema_org", external_id=f"b{i}", body=body, rating=stars, author=f"Reviewer {i}",
            published=f"2026-11-{10 + i:02d}", url=f"https://clinic.example/r/{i}")])
    analyser = Analyser()
    rows = reviews_for_analysis(engine, unanalysed_review_ids(engine, analyser.version))
    analyses = analyser.analyse(TextInput(r["id"], r["body"], r["title"], r["rating"], r["rating_max"]) for r in rows)
    save_analyses(engine, analyses, {r["id"]: r["content_hash"] for r in rows}, analyser.version)
    return engine


def serve(app) -> tuple[str, callable]:
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)

    def stop():
        server.should_exit = True
        thread.join(timeout=5)

    return f"http://127.0.0.1:{port}", stop


@pytest.fixture(scope="module")
def board(board_engine):
    url, stop = serve(create_app(board_engine, token=TOKEN))
    yield url
    stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    dialogs = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def test_filtering_by_type_shows_only_that_type(board, page):
    page.goto(board + "/")
    assert page.locator(".story").count() == len(REVIEWS)
    with page.expect_navigation():
        page.select_option("select[name=type]", "execrable")  # the menu submits the form by itself
    badges = page.locator(".story .badge").all_inner_texts()
    assert badges and set(badges) == {"execrable"}
    assert "type=execrable" in page.url


def test_searching_finds_the_words(board, page):
    page.goto(board + "/")
    page.fill("input[name=q]", "pharmacist")
    page.click("button[type=submit]")
    stories = page.locator(".story")
    assert stories.count() == 1 and "pharmacist" in stories.first.inner_text()
    page.fill("input[name=q]", "no such words anywhere")
    page.click("button[type=submit]")
    assert page.locator("#empty").is_visible()


def test_opening_a_story_shows_behaviours_and_staff_in_place(board, page):
    page.goto(board + "/?q=Patel")
    page.click(".story a.open")
    assert page.locator("h3", has_text="Behaviours").is_visible()
    marks = page.locator("#review-text mark")
    texts = marks.all_inner_texts()
    assert "Patel" in " ".join(texts) and any("explained" in t for t in texts)
    assert page.locator("#review-text mark.b-positive").count() >= 1 and page.locator("#review-text mark.staff").count() == 1
    assert page.locator("#source").get_attribute("href").startswith("https://clinic.example/r/")


def test_curating_needs_the_token(board, page):
    page.goto(board + "/?q=pharmacist")
    page.click(".story a.open")
    page.select_option("#curate select[name=status]", "approved_public")
    page.fill("#curate input[name=by]", "Ana")
    page.fill("#curate input[name=token]", "guess")
    page.click("#curate button")
    assert "Wrong or missing curation token" in page.inner_text("#message")
    assert page.locator("#history tr").count() == 1  # header only: nothing changed
    page.select_option("#curate select[name=status]", "approved_public")
    page.fill("#curate input[name=by]", "Ana")
    page.fill("#curate input[name=note]", "lovely quote")
    page.fill("#curate input[name=token]", TOKEN)
    page.click("#curate button")
    assert "Saved: approved_public" in page.inner_text("#message")
    assert "lovely quote" in page.inner_text("#history")


def test_a_board_without_a_token_is_read_only(board_engine, browser):
    url, stop = serve(create_app(board_engine, token=None))
    try:
        response = requests.post(f"{url}/stories/1/curate", data={"status": "rejected", "by": "x", "token": "any"},
                                 timeout=10)
        assert response.status_code == 403 and "read-only" in response.text
        assert requests.post(f"{url}/stories/1/curate", data={"status": "famous", "by": "x"}, timeout=10).status_code == 422
    finally:
        stop()


def test_exporting_the_current_filter_as_csv(board, page):
    page.goto(board + "/?location=Main+Street")
    with page.expect_download() as download:
        page.click("#export")
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert len(rows) == 4 and {r["location"] for r in rows} == {"Main Street"}
    assert all(r["author"].endswith(".") for r in rows)  # reviewers as initials


def test_review_html_and_script_are_shown_as_text(board, page):
    page.goto(board + "/?q=owned")
    page.click(".story a.open")
    text = page.inner_text("#review-text")
    assert '<script>alert("owned")</script><b>bold</b>' in text
    assert page.locator("#review-text b").count() == 0 and page.dialogs == []


def test_invalid_input_is_refused(board):
    for query in ("min_score=500", "since=yesterday", "sort=random", "type=legendary", "q=" + "x" * 500):
        assert requests.get(f"{board}/?{query}", timeout=10).status_code == 422, query
    assert requests.get(f"{board}/stories/999999", timeout=10).status_code == 404


def colour_count(png: bytes, colour: tuple[int, int, int]) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    return sum(1 for y in range(0, height, 2) for x in range(0, width, 2)
               if all(abs(a - b) < 30 for a, b in zip(pixels[x, y], colour)))


def test_screenshots_of_feed_and_charts_show_what_they_should(board, page):
    page.goto(board + "/")
    feed = page.screenshot(full_page=True)
    assert colour_count(feed, (0x2e, 0x7d, 0x32)) > 20 and colour_count(feed, (0xc6, 0x28, 0x28)) > 20  # badges
    page.goto(board + "/charts?weeks=104")
    charts = page.screenshot(full_page=True)
    assert page.locator("figure.sentiment").count() == 2  # one chart per location
    assert colour_count(charts, (0x15, 0x65, 0xc0)) > 10  # sentiment lines
    assert colour_count(charts, (0x2e, 0x7d, 0x32)) > 50 and colour_count(charts, (0xc6, 0x28, 0x28)) > 50  # mix bars
    assert "Patel" in page.inner_text("#kudos")


def test_highlight_cuts_text_by_offsets_and_skips_overlaps():
    text = "Dr. Patel was kind and quick."
    parts = highlight(text, [{"start": 14, "end": 18, "polarity": "positive", "code": "friendliness"},
                             {"start": 15, "end": 20, "polarity": "positive", "code": "x"}],
                      [{"start": 4, "end": 9, "role": "doctor"}])
    assert "".join(p["text"] for p in parts) == text
    assert [p["text"] for p in parts if p["kind"] != "text"] == ["Patel", "kind"]


def test_alerts_sit_on_their_locations_timeline(board_engine):
    from datetime import date

    from flows.alerting import detect
    from flows.board import chart_data
    from flows.settings import AlertsConfig

    detect(board_engine, AlertsConfig(window_days=28, min_count=1, min_ratio=1, alpha=0.99, lookback_days=30),
           date(2026, 11, 20))
    charts = {c["name"]: c for c in chart_data(board_engine, 12, today=date(2026, 11, 23))["sentiment"]}
    assert any(chart["alerts"] for chart in charts.values())
    assert all(mark["x"] <= chart["width"] for chart in charts.values() for mark in chart["alerts"])
