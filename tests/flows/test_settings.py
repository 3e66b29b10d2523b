"""Configuration: a bad file fails at start with the field named; ${VAR}s expand; --db wins."""

from __future__ import annotations

import pytest

from flows.settings import ConfigError, database_url, load_settings, parse_settings

GOOD = """
database: sqlite:///x.db
businesses:
  - name: Riverside Clinic
    locations:
      - name: Main Street
        sources:
          - kind: schema_org
            url: ${SITE}/reviews
"""


def write(tmp_path, text: str):
    path = tmp_path / "storyminer.yaml"
    path.write_text(text)
    return path


def test_a_good_file_loads_and_keeps_the_unexpanded_locator(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE", "https://clinic.example")
    settings = load_settings(write(tmp_path, GOOD))
    source = settings.businesses[0].locations[0].sources[0]
    assert source.fetch_url == "https://clinic.example/reviews"
    assert source.locator == "${SITE}/reviews"  # what the warehouse keeps: no secret, no port
    assert settings.crawl.min_delay_s == 1.0


@pytest.mark.parametrize("text, field", [
    ("businesses:\n  - name: X\n    locations:\n      - name: A\n        sources:\n          - kind: schema_org\n            url: not-a-url\n",
     "businesses[0].locations[0].sources[0].url"),
    ("businesses:\n  - name: X\n    locations:\n      - name: A\n        sources:\n          - kind: yelp\n",
     "businesses[0].locations[0].sources[0]"),
    ("crawl:\n  min_delay: 2\n", "crawl.min_delay"),
    ("crawl:\n  min_delay_s: -1\n", "crawl.min_delay_s"),
    ("database: storyminer.db\n", "database"),
    ("businesses:\n  - locations: []\n", "businesses[0].name"),
])
def test_a_wrong_field_is_named(tmp_path, text, field):
    with pytest.raises(ConfigError) as error:
        load_settings(write(tmp_path, text))
    assert f"{field}:" in str(error.value)


def test_broken_yaml_names_the_line(tmp_path):
    with pytest.raises(ConfigError, match=r"line 2"):
        load_settings(write(tmp_path, "database: x\n  - : [\n"))


def test_a_missing_environment_variable_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv("SITE", raising=False)
    with pytest.raises(ConfigError, match="SITE is not set"):
        load_settings(write(tmp_path, GOOD))


def test_a_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_settings(tmp_path / "nope.yaml")


def test_top_level_must_be_a_mapping():
    with pytest.raises(ConfigError, match="mapping"):
        parse_settings(["a", "b"])


def test_database_url_precedence(monkeypatch):
    settings = parse_settings({"database": "sqlite:///from-config.db"})
    monkeypatch.delenv("STORYMINER_DATABASE_URL", raising=False)
    assert database_url(settings) == "sqlite:///from-config.db"
    monkeypatch.setenv("STORYMINER_DATABASE_URL", "sqlite:///from-env.db")
    assert database_url(settings) == "sqlite:///from-env.db"
    assert database_url(settings, "sqlite:///from-flag.db") == "sqlite:///from-flag.db"
