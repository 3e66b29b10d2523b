"""Read reviews in batches: sentiment per sentence, named staff, story type, score and headline."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from nlp import language, sentiment
from nlp.behaviours import add_behaviour_ruler, mentions
from nlp.model import load_model
from nlp.staff import find_staff
from nlp.story import Reading, headline, story_score, story_type

LOGIC_VERSION = "3"
_MODEL_LOCKS: dict[int, threading.Lock] = {}
PATTERNS = Path(__file__).with_name("patterns")
MAX_CHARS = 100_000  # longer texts are read up to here; offsets stay valid for the prefix
CHUNK = 1_000  # texts per memory zone, so vocabulary growth is released on long runs


def analyser_version() -> str:
    """Changes whenever the logic or a pattern file changes, so stored reviews are read again."""
    digest = hashlib.sha256(LOGIC_VERSION.encode())
    for path in sorted(PATTERNS.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{LOGIC_VERSION}-{digest.hexdigest()[:10]}"


@dataclass(frozen=True)
class TextInput:
    id: object
    text: str
    title: str | None = None
    rating: float | None = None
    rating_max: float | None = None


@dataclass
class Analysis:
    id: object
    language: str
    compound: float
    label: str
    text_compound: float
    text_label: str
    story_type: str
    story_score: float
    headline: str | None
    behaviours: list[dict] = field(default_factory=list)
    staff: list[dict] = field(default_factory=list)

    def public_dict(self) -> dict:
        """The line `storyminer analyse` prints."""
        return {
            "id": self.id,
            "language": self.language,
            "sentiment": {"compound": round(self.compound, 4), "label": self.label,
                          "text_compound": round(self.text_compound, 4), "text_label": self.text_label},
            "story_type": self.story_type,
            "story_score": round(self.story_score, 2),
            "headline": self.headline,
            "behaviours": [{k: b[k] for k in ("code", "text", "start", "end", "polarity", "negated")}
                           for b in self.behaviours],
            "staff": [{"name": s["name"], "role": s["role"]} for s in self.staff],
        }


def staff_polarity(sentence: str, behaviours: list[dict]) -> str:
    """What the sentence naming a person says: its behaviours' verdict, else its sentiment."""
    verdicts = [b["polarity"] for b in behaviours if b["sentence"] == sentence and b["polarity"] != "neutral"]
    if verdicts:
        positive, negative = verdicts.count("positive"), verdicts.count("negative")
        if positive != negative:
            return "positive" if positive > negative else "negative"
    return sentiment.label(sentiment.sentence_score(sentence))


class Analyser:
    """Wraps one spaCy model; analyse() streams plain results, never spaCy objects."""

    def __init__(self, model: str | None = None, batch_size: int = 64, n_process: int = 1) -> None:
        self.nlp = load_model(model)
        add_behaviour_ruler(self.nlp)
        self.batch_size = batch_size
        self.n_process = n_process
        self.version = analyser_version()

    def analyse(self, inputs: Iterable[TextInput]) -> Iterator[Analysis]:
        items = iter(inputs)
        while chunk := list(islice(items, CHUNK)):
            english = [(i, item) for i, item in enumerate(chunk) if self._is_english(item)]
            results: dict[int, Analysis] = {}
            # One chunk at a time per model: leaving a memory zone frees strings that another
            # thread's documents would still be using (two flow runs in one process share the model).
            with _MODEL_LOCKS.setdefault(id(self.nlp), threading.Lock()), self.nlp.memory_zone():
                texts = ((item.text[:MAX_CHARS], i) for i, item in english)
                for doc, i in self.nlp.pipe(texts, as_tuples=True, batch_size=self.batch_size,
                                            n_process=self.n_process):
                    results[i] = self._read(chunk[i], doc)
            for i, item in enumerate(chunk):
                yield results.get(i) or self._unread(item)

    def _is_english(self, item: TextInput) -> bool:
        return language.detect(item.text) in ("en", "und") and bool(item.text.strip())

    def _unread(self, item: TextInput) -> Analysis:
        """Empty or non-English text: marked with its language, sentiment from the stars alone."""
        lang = language.detect(item.text)
        stars = sentiment.rating_score(item.rating, item.rating_max)
        compound = stars if stars is not None else 0.0
        kind = sentiment.review_label(compound)
        return Analysis(item.id, lang, compound, kind, 0.0, "neutral", kind, 0.0, None)

    def _read(self, item: TextInput, doc) -> Analysis:
        sentences = [s for s in doc.sents if s.text.strip()]
        scores = [sentiment.sentence_score(s.text) for s in sentences]
        title_score = [sentiment.sentence_score(item.title)] if item.title else []
        behaviours = [m.as_dict() for m in mentions(doc)]
        text_compound = sentiment.review_text_score(scores + title_score, [b["polarity"] for b in behaviours])
        stars = sentiment.rating_score(item.rating, item.rating_max)
        compound = sentiment.fuse(text_compound, stars)
        staff = [{**asdict(m), "polarity": staff_polarity(m.sentence, behaviours)} for m in find_staff(doc)]
        reading = Reading(
            text=item.text, compound=compound, text_compound=text_compound, sentence_scores=scores,
            staff=staff, behaviours=behaviours,
        )
        return Analysis(
            id=item.id,
            language="en",
            compound=compound,
            label=sentiment.review_label(compound),
            text_compound=text_compound,
            text_label=sentiment.review_label(text_compound),
            story_type=story_type(reading),
            story_score=story_score(reading),
            headline=headline([s.text.strip() for s in sentences], scores, staff),
            behaviours=behaviours,
            staff=staff,
        )
