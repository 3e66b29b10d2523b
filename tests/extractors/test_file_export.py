"""CSV and JSON-lines exports: column mapping, common names, encodings, the Yelp format, bad rows."""

from __future__ import annotations

import json

from extractors import file_export
from flows.demo_site import DEMO_DIR


def test_csv_with_common_column_names_needs_no_mapping():
    content = "review_id,Stars,Text,Date,Name\n1,5,Lovely staff,2026-10-01,Amy\n2,2,Slow service,2026-10-02,Bo\n"
    page = file_export.parse(content, "export.csv")
    assert [(r.external_id, r.rating, r.body, r.author) for r in page.reviews] == [
        ("1", 5.0, "Lovely staff", "Amy"), ("2", 2.0, "Slow service", "Bo")]


def test_semicolon_csv_in_windows_encoding_with_a_mapping():
    content = "Nr;Bewertung;Kommentar\n7;4;Sehr nett, café gut\n".encode("cp1252")
    page = file_export.parse(content, "cards.csv", columns={"id": "Nr", "rating": "Bewertung", "body": "Kommentar"})
    assert page.reviews[0].body == "Sehr nett, café gut" and page.reviews[0].rating == 4.0


def test_the_demo_comment_cards_skip_blank_and_off_scale_rows_by_line():
    path = DEMO_DIR / "exports" / "luna-comment-cards.csv"
    columns = {"id": "Card number", "published": "Date", "author": "Guest", "rating": "Score (1-5)", "body": "Comments"}
    page = file_export.parse(path.read_bytes(), str(path), columns=columns)
    assert len(page.reviews) == 9
    assert sorted(page.skipped) == ["line 11: rating 9 is outside its scale 1..5", "line 6: no review text"]
    assert any("Café" in r.body for r in page.reviews)


def test_yelp_open_dataset_lines():
    lines = [
        {"review_id": "y1", "user_id": "u1", "business_id": "b1", "stars": 4.0, "useful": 0, "funny": 0, "cool": 0,
         "text": "Friendly bartender, quick drinks.", "date": "2018-07-07 22:09:11"},
        {"review_id": "y2", "user_id": "u2", "business_id": "b1", "stars": 1.0, "text": "Rude host.", "date": "2019-01-02 10:00:00"},
    ]
    content = "\n".join(json.dumps(line) for line in lines) + "\nnot json\n"
    page = file_export.parse(content, "review.json", format="yelp")
    assert [(r.external_id, r.rating, r.published_at) for r in page.reviews] == [
        ("y1", 4.0, "2018-07-07T22:09:11"), ("y2", 1.0, "2019-01-02T10:00:00")]
    assert page.skipped == ["line 3: not valid JSON (Expecting value)"]


def test_a_file_without_a_text_column_says_how_to_map_one():
    page = file_export.parse("a,b\n1,2\n", "x.csv")
    assert page.reviews == [] and "columns: {body: NAME}" in page.errors[0]


def test_rows_without_ids_get_stable_ids():
    content = "text,rating\nGreat,5\nAwful,1\n"
    first, second = file_export.parse(content, "x.csv"), file_export.parse(content, "x.csv")
    assert [r.external_id for r in first.reviews] == [r.external_id for r in second.reviews]
    assert len({r.external_id for r in first.reviews}) == 2
