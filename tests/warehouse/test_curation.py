"""Curation and its audit trail, redaction for exports, and forgetting a review on request."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from extractors.records import make_review
from flows.cli import main
from warehouse.curation import NotFound, curate, forget, history
from warehouse.load import load_reviews, start_run
from warehouse.models import Alert, BehaviourMention, CurationEvent, Review, StaffMention, Story
from warehouse.privacy import initials, redact_story, redact_text
from warehouse.queries import StoryFilter, stories
from tests.warehouse.test_queries import engine  # noqa: F401 - the hand-checked warehouse


def first_id(engine, body_start: str) -> int:
    return next(r["id"] for r in stories(engine) if r["body"].startswith(body_start))


def test_curation_keeps_every_change_and_the_latest_is_current(engine):
    jen = first_id(engine, "Jen remembered")
    curate(engine, jen, "shortlisted", "Ana")
    curate(engine, jen, "approved_public", "Ben", note="cleared by legal")
    steps = history(engine, jen)
    assert [(s["status"], s["by"], s["note"]) for s in steps] == [
        ("shortlisted", "Ana", None), ("approved_public", "Ben", "cleared by legal")]
    assert [r["id"] for r in stories(engine, StoryFilter(status="approved_public"))] == [jen]
    assert len(stories(engine, StoryFilter(status="new"))) == 7


@pytest.mark.parametrize("status, by, error", [("famous", "Ana", ValueError), ("shortlisted", " ", ValueError)])
def test_curation_refuses_bad_input(engine, status, by, error):
    with pytest.raises(error):
        curate(engine, first_id(engine, "Jen remembered"), status, by)
    with pytest.raises(NotFound):
        curate(engine, 99_999, "shortlisted", "Ana")


def test_a_story_survives_being_read_again_with_its_curation(engine):
    jen = first_id(engine, "Jen remembered")
    curate(engine, jen, "approved_internal", "Ana")
    with engine.begin() as conn:
        conn.execute(text("UPDATE stories SET analyser_version = 'old'"))
    assert stories(engine, StoryFilter(status="approved_internal"))[0]["id"] == jen


@pytest.mark.parametrize("raw, expected", [
    ("Call 07700 900123 or +1 (555) 123-4567.", "Call [phone] or [phone]."),
    ("Write to amy.lee+clinic@example.co.uk please", "Write to [email] please"),
    ("It was $400 on 12/11/2026 at 3pm, room 214.", "It was $400 on 12/11/2026 at 3pm, room 214."),
])
def test_contact_details_are_redacted_and_ordinary_numbers_kept(raw, expected):
    assert redact_text(raw) == expected


def test_the_reviewer_becomes_initials_and_their_name_leaves_the_text():
    row = redact_story({"author": "Sofia Ramos", "body": "Sofia here: nurse Maria was kind.", "headline": "Thanks, Ramos family"})
    assert row == {"author": "S. R.", "body": "[name] here: nurse Maria was kind.", "headline": "Thanks, [name] family"}
    assert initials(None) is None


def test_public_export_has_only_approved_stories_redacted_with_link_and_date(engine, warehouse_url, capsys):
    jen, surprise = first_id(engine, "Jen remembered"), first_id(engine, "Surprise bill")
    curate(engine, jen, "approved_public", "Ana")
    curate(engine, surprise, "approved_internal", "Ana")
    with engine.begin() as conn:
        conn.execute(text("UPDATE reviews SET author = 'Jo Bloggs', url = 'https://luna.example/r#1', "
                          "body = 'Jen remembered! Call Jo Bloggs on 020 7946 0958.' WHERE id = :id"), {"id": jen})
    assert main(["stories", "--public", "--format", "json", "--db", warehouse_url]) == 0
    (exported,) = json.loads(capsys.readouterr().out)
    assert exported["id"] == jen and exported["url"] == "https://luna.example/r#1" and exported["published_at"]
    assert exported["author"] == "J. B." and exported["body"] == "Jen remembered! Call [name] on [phone]."
    assert main(["stories", "--public", "--no-redact", "--format", "json", "--db", warehouse_url]) == 0
    assert json.loads(capsys.readouterr().out)[0]["author"] == "Jo Bloggs"


def test_forgetting_a_review_removes_it_everywhere_and_for_good(engine, warehouse_url):
    jen = first_id(engine, "Jen remembered")
    curate(engine, jen, "shortlisted", "Ana")
    with engine.begin() as conn:
        location_id = conn.scalar(text("SELECT id FROM locations LIMIT 1"))
        conn.execute(Alert.__table__.insert().values(
            location_id=location_id, behaviour="all", window_start=text("CURRENT_TIMESTAMP"),
            window_end=text("CURRENT_TIMESTAMP"), observed=3, expected=1.0, score=2.0,
            review_ids=json.dumps([jen, 12345]), created_at=text("CURRENT_TIMESTAMP"), status="open",
            delivery_attempts=0, delivered_to="[]"))
        source_id, external_id = conn.execute(select(Review.source_id, Review.external_id).where(Review.id == jen)).one()
    forget(engine, jen)
    with engine.connect() as conn:
        for model, column in ((Review, Review.id), (Story, Story.review_id), (StaffMention, StaffMention.review_id),
                              (BehaviourMention, BehaviourMention.review_id), (CurationEvent, CurationEvent.review_id)):
            assert conn.scalar(select(func.count()).select_from(model).where(column == jen)) == 0
        assert json.loads(conn.scalar(select(Alert.review_ids))) == [12345]
    again = load_reviews(engine, start_run(engine), source_id,
                         [make_review("schema_org", external_id=external_id, body="Jen remembered, again.")])
    assert again.new == 0  # the next collection does not bring it back
    assert main(["forget", "--review", str(jen), "--db", warehouse_url]) == 2
