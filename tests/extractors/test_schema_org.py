"""The schema.org extractor on saved pages: JSON-LD, microdata, nesting, pagination, bad records."""

from __future__ import annotations

import pytest

from extractors import schema_org
from tests.conftest import FIXTURES

PAGES = FIXTURES / "pages"


def parse(name: str, url: str):
    return schema_org.parse((PAGES / name).read_bytes(), url)


def test_json_ld_reviews_nested_under_a_product():
    page = parse("product_json_ld.html", "https://shop.example/shop/kettle/reviews")
    first, second = page.reviews
    assert first.external_id == "/shop/kettle/reviews#r-901"
    assert first.title == "Boils fast"
    assert first.body == "Boils in under two minutes and the handle stays cool."
    assert first.author == "Marta"
    assert (first.rating, first.rating_max) == (5.0, 5.0)
    assert first.published_at == "2026-10-02T07:30:00"  # converted to UTC
    assert first.published_raw == "2026-10-02T09:30:00+02:00"
    assert first.language == "en"  # detected from the text; the page said en-GB
    assert second.author == "Dev"
    assert (second.rating, second.rating_max) == (2.0, 10.0)
    assert second.external_id.startswith("h:")  # no id on the page: a stable hash


def test_claimed_count_and_next_page_from_link_element():
    page = parse("product_json_ld.html", "https://shop.example/shop/kettle/reviews")
    assert page.claimed == 57
    assert page.next_url == "https://shop.example/shop/kettle/reviews?page=2"


def test_microdata_reviews_nested_under_a_restaurant():
    page = parse("restaurant_microdata.html", "https://pepper.example/reviews?page=2")
    assert [r.author for r in page.reviews] == ["Kim O.", "Lee"]
    kim, lee = page.reviews
    assert kim.external_id == "/reviews#a1"
    assert kim.title == "Lovely waiter"
    assert kim.body == "Our waiter Sam knew the menu by heart."
    assert kim.published_at == "2026-11-01T00:00:00"
    assert (kim.rating, kim.rating_max) == (4.0, 5.0)
    assert lee.rating == 1.0 and lee.rating_max == 5.0
    assert lee.published_at == "2026-10-03T00:00:00"
    assert page.claimed == 212
    assert page.next_url == "https://pepper.example/reviews?page=3"


def test_a_review_without_text_is_skipped_with_its_reason():
    page = parse("restaurant_microdata.html", "https://pepper.example/reviews?page=2")
    assert len(page.skipped) == 1
    assert "no review text" in page.skipped[0]


def test_json_ld_graph_with_a_broken_block_and_a_rating_off_its_scale():
    page = parse("recipe_graph.html", "https://food.example/soup")
    ids = [r.external_id for r in page.reviews]
    assert ids == ["c-17", "c-19"]
    salted = page.reviews[0]
    assert salted.author == "Ana, Bo"
    assert salted.rating == 4.5
    assert salted.published_at == "2026-03-03T00:00:00"
    assert page.reviews[1].language == "es"
    assert any("outside its scale" in reason for reason in page.skipped)
    assert page.next_url is None


def test_hash_ids_are_stable_across_parses():
    url = "https://shop.example/shop/kettle/reviews"
    assert parse("product_json_ld.html", url).reviews[1].external_id == parse("product_json_ld.html", url).reviews[1].external_id


@pytest.mark.parametrize("content", [b"", b"<html>", b"\x00\xff\xfe garbage", "<p>caf\u00e9</p>"])
def test_pages_without_reviews_give_nothing_and_do_not_crash(content):
    page = schema_org.parse(content, "https://x.example/")
    assert page.reviews == [] and page.next_url is None


def test_the_same_review_twice_on_a_page_counts_once():
    html = (PAGES / "product_json_ld.html").read_text()
    doubled = html.replace("</head>", html[html.index("<script"):html.index("</script>") + 9] + "</head>")
    assert len(schema_org.parse(doubled, "https://shop.example/shop/kettle/reviews").reviews) == 2


def test_rdfa_reviews_nested_under_a_hotel():
    page = parse("hotel_rdfa.html", "https://quay.example/reviews")
    ines, walt = page.reviews
    assert (ines.external_id, ines.author, ines.title, ines.rating) == ("/reviews#q1", "Ines", "Spotless", 5.0)
    assert ines.body.startswith("The concierge, Paolo")
    assert ines.published_at == "2026-08-14T00:00:00"
    assert walt.author == "Walt" and walt.body == "Thin walls, could hear everything."
    assert page.claimed == 88
