"""Load and validate storyminer.yaml; a bad file fails at start with the field named."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, PrivateAttr, ValidationError, field_validator

DEFAULT_DATABASE = "sqlite:///storyminer.db"
ENV_PATTERN = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
SECRET_KEYS = frozenset({"token", "notify"})


class ConfigError(Exception):
    """The configuration cannot be used; the message names the field and the reason."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Source(_Strict):
    # The locator as written, before ${VAR} expansion: the source's identity in the warehouse,
    # so secrets in URLs are never stored and a moved demo port is still the same source.
    _template: str | None = PrivateAttr(default=None)
    max_pages: int = Field(default=50, ge=1, le=1000)

    @property
    def fetch_url(self) -> str:
        raise NotImplementedError

    @property
    def locator(self) -> str:
        return self._template or self.fetch_url

    def start_urls(self) -> list[str]:
        return [self.fetch_url]


class SchemaOrgSource(_Source):
    """A web page carrying schema.org Review items, followed through rel=next pages."""

    kind: Literal["schema_org"]
    url: HttpUrl

    @property
    def fetch_url(self) -> str:
        return str(self.url)


class AppStoreSource(_Source):
    """Apple's public customer-reviews feed for one app, in one or more storefront countries."""

    kind: Literal["app_store"]
    app_id: str = Field(pattern=r"^\d{3,15}$")
    country: str | None = Field(default=None, pattern=r"^[a-zA-Z]{2}$")
    countries: list[Annotated[str, Field(pattern=r"^[a-zA-Z]{2}$")]] = Field(default_factory=list)
    max_pages: int = Field(default=10, ge=1, le=10)  # the feed serves at most 10 pages of ~50
    feed_base: HttpUrl = HttpUrl("https://itunes.apple.com")

    @property
    def storefronts(self) -> list[str]:
        chosen = [c.lower() for c in ([self.country] if self.country else []) + self.countries]
        return list(dict.fromkeys(chosen)) or ["us"]

    @property
    def fetch_url(self) -> str:
        return self.start_urls()[0]

    @property
    def locator(self) -> str:
        return f"app:{self.app_id}:{','.join(self.storefronts)}"

    def start_urls(self) -> list[str]:
        base = str(self.feed_base).rstrip("/")
        return [f"{base}/{c}/rss/customerreviews/page=1/id={self.app_id}/sortby=mostrecent/json"
                for c in self.storefronts]


class GoogleBusinessSource(_Source):
    """The Google Business Profile reviews API, for a location the user manages."""

    kind: Literal["google_business"]
    account_id: str = Field(pattern=r"^[\w-]+$")
    location_id: str = Field(pattern=r"^[\w-]+$")
    # An OAuth access token: "${ENV_VAR}" or "{{ prefect.blocks.secret.NAME }}"; resolved when used.
    token: str = Field(min_length=1)
    api_base: HttpUrl = HttpUrl("https://mybusiness.googleapis.com/v4")

    @property
    def fetch_url(self) -> str:
        base = str(self.api_base).rstrip("/")
        return f"{base}/accounts/{self.account_id}/locations/{self.location_id}/reviews?pageSize=50"

    @property
    def locator(self) -> str:
        return f"accounts/{self.account_id}/locations/{self.location_id}"


class FileSource(_Source):
    """A CSV or JSON-lines export people already have, with its columns mapped to review fields."""

    kind: Literal["file"]
    path: str = Field(min_length=1)
    format: Literal["csv", "jsonl", "yelp"] | None = None  # default: from the file's extension
    columns: dict[str, str] = Field(default_factory=dict)  # review field -> column in the file
    rating_max: float = Field(default=5, gt=0)

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - FILE_FIELDS
        if unknown:
            raise ValueError(f"unknown review field(s) {sorted(unknown)}; use {sorted(FILE_FIELDS)}")
        return value

    @property
    def fetch_url(self) -> str:
        return self.path


FILE_FIELDS = frozenset({"id", "body", "title", "author", "rating", "rating_max", "published", "url", "language"})
SOURCE_MODELS = (SchemaOrgSource, AppStoreSource, GoogleBusinessSource, FileSource)
SOURCE_KINDS = frozenset(m.model_fields["kind"].annotation.__args__[0] for m in SOURCE_MODELS)
SourceConfig = Annotated[Union[SOURCE_MODELS], Field(discriminator="kind")]


class LocationConfig(_Strict):
    name: str = Field(min_length=1)
    sources: list[SourceConfig] = Field(default_factory=list)


class BusinessConfig(_Strict):
    name: str = Field(min_length=1)
    locations: list[LocationConfig] = Field(min_length=1)


class CrawlConfig(_Strict):
    user_agent: str = "storyminer/0.1 (+https://github.com/storyminer/storyminer)"
    min_delay_s: float = Field(default=1.0, ge=0, le=60)
    connect_timeout_s: float = Field(default=5.0, gt=0, le=120)
    read_timeout_s: float = Field(default=20.0, gt=0, le=600)
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    # Hosts or addresses on loopback or private networks that may be fetched (the demo: 127.0.0.1).
    allow_hosts: list[str] = Field(default_factory=list)


class NlpConfig(_Strict):
    # None means: en_core_web_sm if installed, else its PyPI re-upload.
    model: str | None = None
    batch_size: int = Field(default=64, ge=1, le=10_000)
    n_process: int = Field(default=1, ge=1, le=64)  # worker processes for nlp.pipe on big batches
    reviews_per_task: int = Field(default=500, ge=1, le=100_000)


class AlertsConfig(_Strict):
    # Apprise URLs; each may be "${ENV_VAR}" or "{{ prefect.blocks.secret.NAME }}", resolved when sending.
    notify: list[str] = Field(default_factory=list)
    # null: sized per location so a window expects about window_expected negative stories
    window_days: int | None = Field(default=None, ge=1, le=28)
    window_expected: float = Field(default=5.0, gt=0)
    max_window_days: int = Field(default=7, ge=1, le=28)
    baseline_days: int = Field(default=28, ge=7, le=365)
    min_count: int = Field(default=3, ge=1)
    min_ratio: float = Field(default=2.0, ge=1.0)
    alpha: float = Field(default=0.05, gt=0, lt=1)
    cooldown_hours: float = Field(default=24, ge=0)
    # Only windows ending this many days back (or fewer) are judged, so an import of old reviews
    # never raises alerts for the past; reviews arriving later than this are stored, not alerted on.
    lookback_days: int = Field(default=2, ge=0, le=30)
    per_behaviour: bool = True


class PrivacyConfig(_Strict):
    # Exports show reviewers as initials and drop e-mail addresses and phone numbers from texts.
    redact: bool = True


class BoardConfig(_Strict):
    # Curation from the board needs this token: "${BOARD_TOKEN}" or "{{ prefect.blocks.secret.NAME }}".
    # Without one the board is read-only.
    token: str | None = None


class ScaleConfig(_Strict):
    # Run the analysis stage on Dask: the address of an existing scheduler, or a number of local
    # workers to start for the run. Neither: analysis runs in this process.
    dask_address: str | None = None
    dask_workers: int | None = Field(default=None, ge=1, le=256)


class Settings(_Strict):
    database: str = DEFAULT_DATABASE
    businesses: list[BusinessConfig] = Field(default_factory=list)
    crawl: CrawlConfig = Field(default_factory=CrawlConfig)
    nlp: NlpConfig = Field(default_factory=NlpConfig)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig)
    privacy: PrivacyConfig = Field(default_factory=PrivacyConfig)
    board: BoardConfig = Field(default_factory=BoardConfig)
    scale: ScaleConfig = Field(default_factory=ScaleConfig)
    # Where the file was read from: relative paths in it (file exports) are resolved against this.
    _base_dir: Path | None = PrivateAttr(default=None)

    @property
    def base_dir(self) -> Path:
        return self._base_dir or Path.cwd()

    @field_validator("database")
    @classmethod
    def _database_is_a_url(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("must be a database URL such as sqlite:///storyminer.db")
        return value


def expand_env(text: str, where: str = "") -> str:
    """Replace ${VAR} in TEXT with the environment's value; a missing variable is a ConfigError."""
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(f"{where + ': ' if where else ''}environment variable {name} is not set")
        return os.environ[name]

    return ENV_PATTERN.sub(substitute, text)


def _expand_env(value: object, where: str) -> object:
    """expand_env over every string in a parsed YAML document."""
    if isinstance(value, str):
        return expand_env(value, where or "config")
    if isinstance(value, list):
        return [_expand_env(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {k: (_check_secret(v, f"{where}.{k}") if k in SECRET_KEYS else
                    _expand_env(v, f"{where}.{k}" if where else str(k))) for k, v in value.items()}
    return value


def _check_secret(value: object, where: str) -> object:
    """Secrets stay as written (resolved only when used), but a missing variable fails now."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check_secret(item, f"{where}[{i}]")
    elif isinstance(value, str):
        for name in ENV_PATTERN.findall(value):
            if name not in os.environ:
                raise ConfigError(f"{where}: environment variable {name} is not set")
    return value


def _field_path(loc: tuple[object, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in SOURCE_KINDS:  # the discriminator tag pydantic inserts into the location
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "config"


def parse_settings(data: object, origin: str = "config") -> Settings:
    """Validate an already-parsed YAML document."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: the top level must be a mapping of settings")
    expanded = _expand_env(data, "")
    try:
        settings = Settings.model_validate(expanded)
    except ValidationError as exc:
        problems = [f"{_field_path(err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise ConfigError(f"{origin}: " + "; ".join(problems)) from None
    _remember_templates(settings, data)
    return settings


def _remember_templates(settings: Settings, raw: dict) -> None:
    for b, business in enumerate(settings.businesses):
        for li, location in enumerate(business.locations):
            for s, source in enumerate(location.sources):
                written = raw["businesses"][b]["locations"][li]["sources"][s]
                template = (written.get("url") or written.get("path")) if isinstance(written, dict) else None
                if isinstance(template, str) and ENV_PATTERN.search(template):
                    source._template = template


def load_settings(path: str | Path | None = None) -> Settings:
    """Read settings from PATH, $STORYMINER_CONFIG, or ./storyminer.yaml (defaults if absent)."""
    explicit = path or os.environ.get("STORYMINER_CONFIG")
    config_path = Path(explicit) if explicit else Path("storyminer.yaml")
    if not config_path.exists():
        if explicit:
            raise ConfigError(f"{config_path}: no such configuration file")
        return Settings()
    try:
        data = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(f"{config_path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config_path}: cannot read: {exc}") from None
    settings = parse_settings(data, str(config_path))
    settings._base_dir = config_path.resolve().parent
    return settings


def database_url(settings: Settings, override: str | None = None) -> str:
    """The warehouse URL: --db beats $STORYMINER_DATABASE_URL beats the config file."""
    return override or os.environ.get("STORYMINER_DATABASE_URL") or settings.database
