"""Secrets are resolved when used, from the environment or a Prefect Secret block, and never stored."""

from __future__ import annotations

import json

import pytest
import yaml
from sqlalchemy import select

from flows.daily_stories import daily_stories
from flows.secrets import resolve_secret
from flows.settings import ConfigError
from tests.support.fault_server import Reply
from warehouse.db import make_engine
from warehouse.models import Review, Source


def test_an_environment_reference(monkeypatch):
    monkeypatch.setenv("GBP_TOKEN", "abc")
    assert resolve_secret("${GBP_TOKEN}") == "abc"
    monkeypatch.delenv("GBP_TOKEN")
    with pytest.raises(ConfigError, match="GBP_TOKEN is not set"):
        resolve_secret("${GBP_TOKEN}")


def test_a_prefect_secret_block(prefect_harness):
    from prefect.blocks.system import Secret

    Secret(value="from-the-block").save("storyminer-test-token", overwrite=True)
    assert resolve_secret("{{ prefect.blocks.secret.storyminer-test-token }}") == "from-the-block"
    with pytest.raises(ConfigError, match="cannot be loaded"):
        resolve_secret("{{ prefect.blocks.secret.no-such-block }}")


def test_google_business_through_the_flow_keeps_the_token_out_of_the_warehouse(
        prefect_harness, fault_server, tmp_path, sqlite_url, monkeypatch):
    monkeypatch.setenv("GBP_TOKEN", "tok-123")
    path = "/v4/accounts/a1/locations/l1/reviews"

    def api(headers):
        if headers.get("authorization") != "Bearer tok-123":
            return Reply(401)
        body = {"reviews": [{"reviewId": "x1", "comment": "The pharmacist explained everything.", "starRating": "FIVE"}],
                "totalReviewCount": 1}
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})

    fault_server.routes[path] = api
    config = {"businesses": [{"name": "Riverside Clinic", "locations": [{"name": "Pharmacy", "sources": [
        {"kind": "google_business", "account_id": "a1", "location_id": "l1", "token": "${GBP_TOKEN}",
         "api_base": fault_server.url + "/v4"}]}]}],
        "crawl": {"min_delay_s": 0, "allow_hosts": ["127.0.0.1"]}}
    config_path = tmp_path / "storyminer.yaml"
    config_path.write_text(yaml.safe_dump(config))
    summary = daily_stories(config_path=str(config_path), database=sqlite_url)
    assert summary["status"] == "ok" and summary["sources"][0]["new"] == 1
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        locators = conn.scalars(select(Source.locator)).all()
        bodies = conn.scalars(select(Review.body)).all()
    assert locators == ["accounts/a1/locations/l1"] and bodies == ["The pharmacist explained everything."]
    assert "tok-123" not in open(sqlite_url.removeprefix("sqlite:///"), "rb").read().decode("latin-1")
