"""Service behaviours in a review: SpanRuler patterns kept as data, and each mention's own polarity
from the clause around it (negation from the parse, contrast, service phrases VADER misreads)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from nlp.sentiment import label, sentence_score
from nlp.staff import ROLE_NOUNS, TITLES

PATTERNS = Path(__file__).with_name("patterns") / "behaviours.jsonl"
SPANS_KEY = "behaviours"
CODES = (
    "empathy", "listening", "knowledge", "clarity", "empowerment", "prevention", "emotional_connection",
    "access", "resolution", "no_surprises", "friendliness", "attentiveness", "patience", "above_and_beyond",
    "consistency", "staff_wellbeing", "service_general",
)
PRIORS = {"pos": "positive", "neg": "negative", "ctx": None}
FLIP = {"positive": "negative", "negative": "positive", "neutral": "neutral"}
NEGATORS = {"not", "n't", "never", "no", "hardly", "barely", "nobody", "nothing", "without"}
NEGATIVE_SUBJECTS = {"nobody", "nothing", "none", "noone"}
CONTRAST = {"but", "however", "although", "though", "yet", "except", "whereas"}
# Words that show a sentence is about people serving, for patterns that mean little without them
# ("lovely" is about the staff in "she was lovely", not in "the food was lovely").
PEOPLE = {
    "she", "he", "they", "her", "him", "them", "staff", "team", "everyone", "everybody", "people", "employee",
    "employees", "crew", "personnel", "service", "guy", "lady", "man", "woman", "girl", "person", "someone",
    "receptionist", "reception", "nurse", "doctor", "waiter", "waitress", "owner", "manager",
} | ROLE_NOUNS | {t.rstrip(".") for t in TITLES}


@dataclass(frozen=True)
class Mention:
    code: str
    text: str
    start: int
    end: int
    sentence: str
    polarity: str
    negated: bool

    def as_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "start": self.start, "end": self.end,
                "sentence": self.sentence, "polarity": self.polarity, "negated": self.negated}


def load_patterns(path: Path = PATTERNS) -> list[dict]:
    """The pattern file, checked: every line a SpanRuler pattern with a known code and an id."""
    patterns = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        entry = json.loads(line)
        parts = str(entry.get("id", "")).split(":")
        if entry.get("label") not in CODES or len(parts) < 3 or parts[0] != entry["label"] or parts[1] not in PRIORS:
            raise ValueError(f"{path.name} line {number}: needs a known label and an id 'code:pos|neg|ctx:n'")
        patterns.append(entry)
    return patterns


def _anchors(pattern: list[dict]) -> set[str]:
    """The words one token of the pattern must be (its first token with a fixed LOWER or LEMMA)."""
    for token in pattern:
        for attr in ("LOWER", "LEMMA"):
            value = token.get(attr)
            if isinstance(value, str):
                return {f"{attr}:{value}"}
            if isinstance(value, dict) and "IN" in value:
                return {f"{attr}:{v}" for v in value["IN"]}
    return {"*"}  # no fixed word: always tried


class BehaviourMatcher:
    """The behaviour patterns, run only where a document holds a pattern's anchor word.

    spaCy's Matcher tries every pattern at every token, so its cost grows with the pattern count;
    indexing patterns by a word they need keeps the cost near that of the few that can match."""

    def __init__(self, nlp: Language, patterns: list[dict], spans_key: str = SPANS_KEY) -> None:
        self.spans_key = spans_key
        self.matchers: dict[str, Matcher] = {}
        for entry in patterns:
            for anchor in _anchors(entry["pattern"]):
                matcher = self.matchers.setdefault(anchor, Matcher(nlp.vocab))
                matcher.add(entry["id"], [entry["pattern"]])

    def __call__(self, doc: Doc) -> Doc:
        present = {f"LOWER:{t.lower_}" for t in doc} | {f"LEMMA:{t.lemma_}" for t in doc} | {"*"}
        seen: set[tuple[int, int, int]] = set()
        spans = []
        for anchor in present & self.matchers.keys():
            for match_id, start, end in self.matchers[anchor](doc):
                if (match_id, start, end) in seen:
                    continue
                seen.add((match_id, start, end))
                ident = doc.vocab.strings[match_id]
                spans.append(Span(doc, start, end, label=ident.split(":")[0], span_id=ident))
        doc.spans[self.spans_key] = sorted(spans, key=lambda s: (s.start, s.end, s.label_))
        return doc


@Language.factory("storyminer_behaviours", default_config={"spans_key": SPANS_KEY, "patterns_path": None})
def make_behaviour_matcher(nlp: Language, name: str, spans_key: str, patterns_path: str | None) -> BehaviourMatcher:
    return BehaviourMatcher(nlp, load_patterns(Path(patterns_path) if patterns_path else PATTERNS), spans_key)


def add_behaviour_ruler(nlp: Language) -> None:
    """Our behaviour patterns as the last pipeline step, writing to doc.spans["behaviours"]."""
    if "storyminer_behaviours" not in nlp.pipe_names:
        nlp.add_pipe("storyminer_behaviours")


def _about_people(sentence: Span) -> bool:
    return any(t.lower_ in PEOPLE or t.lemma_.lower() in PEOPLE for t in sentence) or \
        any(e.label_ == "PERSON" for e in sentence.ents)


def negated(span: Span) -> bool:
    """A negator governing the mention in the parse, or just before it in its clause, outside the span."""
    inside = range(span.start, span.end)
    root = span.root
    governors = [root]
    if root.dep_ in ("acomp", "attr", "xcomp", "oprd", "dobj", "pobj", "prep", "advmod", "ccomp", "conj", "amod"):
        governors.append(root.head)
    for head in governors:
        for child in head.children:
            if child.i in inside:
                continue
            if child.dep_ == "neg" or (child.lower_ in NEGATIVE_SUBJECTS and child.dep_.startswith("nsubj")):
                return True
    sentence_start = span.sent.start
    for i in range(span.start - 1, max(sentence_start, span.start - 3) - 1, -1):
        token = span.doc[i]
        if token.lower_ in CONTRAST or token.is_punct:
            break
        if token.lower_ in NEGATORS:
            return True
    return False


def clause(span: Span) -> Span:
    """The part of the sentence between contrast words ("friendly, but clueless") that holds the span."""
    sentence = span.sent
    start, end = sentence.start, sentence.end
    for token in sentence:
        if token.lower_ in CONTRAST:
            if token.i < span.start:
                start = max(start, token.i + 1)
            elif token.i >= span.end:
                end = min(end, token.i)
    return span.doc[start:end]


def _prior(span: Span) -> tuple[str | None, bool]:
    parts = span.id_.split(":")
    return PRIORS[parts[1]], parts[-1] == "s"


def _deduplicate(spans: list[Span]) -> list[Span]:
    """One mention per code per stretch of text: a longer match ("never rushed me") beats one inside it."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):  # longest first
        if any(k.label_ == span.label_ and k.start < span.end and span.start < k.end for k in kept):
            continue
        kept.append(span)
    return kept


def _cannot_before(span: Span) -> bool:
    before = [t.lower_ for t in span.doc[max(0, span.start - 2):span.start]]
    return "cannot" in before or before[-2:] in (["ca", "n't"], ["can", "not"])


def mentions(doc: Doc) -> list[Mention]:
    """Every behaviour mention in DOC with its polarity, in text order."""
    found = []
    for span in _deduplicate(list(doc.spans.get(SPANS_KEY, []))):
        prior, needs_people = _prior(span)
        if needs_people and not _about_people(span.sent):
            continue
        if span.label_ == "access" and span.root.lemma_ == "wait" and _cannot_before(span):
            continue  # "can't wait to come back" is not about waiting
        is_negated = negated(span)
        if prior is None:
            polarity = label(sentence_score(clause(span).text))
        else:
            polarity = FLIP[prior] if is_negated else prior
        found.append(Mention(span.label_, span.text, span.start_char, span.end_char, span.sent.text.strip(),
                             polarity, is_negated))
    return sorted(found, key=lambda m: (m.start, m.code))
