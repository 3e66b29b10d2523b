"""One module per source kind; each is a pure parser: parse(content, url) -> Page."""

from __future__ import annotations

from types import ModuleType

from extractors import app_store, file_export, google_business, schema_org
from extractors.page import Page
from extractors.records import InvalidReview, Review

EXTRACTORS: dict[str, ModuleType] = {
    module.KIND: module for module in (schema_org, app_store, google_business, file_export)
}

__all__ = ["EXTRACTORS", "InvalidReview", "Page", "Review", "get_extractor"]


def get_extractor(kind: str) -> ModuleType:
    """The parser module for KIND; a clear error for a kind we do not have."""
    try:
        return EXTRACTORS[kind]
    except KeyError:
        known = ", ".join(sorted(EXTRACTORS))
        raise ValueError(f"unknown source kind {kind!r} (known: {known})") from None
