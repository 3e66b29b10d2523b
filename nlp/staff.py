"""People customers name: the model's PERSON entities, with a role when one stands next to the name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

# Titles written before a name ("Nurse Maria", "Dr. Patel"), and the role each one means.
TITLES = {
    "dr": "doctor", "dr.": "doctor", "doctor": "doctor", "nurse": "nurse", "chef": "chef",
    "officer": "officer", "pharmacist": "pharmacist", "manager": "manager", "captain": "captain",
    "mr": None, "mr.": None, "mrs": None, "mrs.": None, "ms": None, "ms.": None, "miss": None,
}
# Role nouns that introduce a name ("our server Jen", "the receptionist, Amy").
ROLE_NOUNS = {
    "server", "waiter", "waitress", "bartender", "host", "hostess", "receptionist", "nurse", "doctor",
    "dentist", "hygienist", "pharmacist", "technician", "manager", "teller", "banker", "advisor",
    "adviser", "cashier", "agent", "assistant", "stylist", "therapist", "physician", "surgeon",
    "midwife", "chef", "cook", "driver", "mechanic", "concierge", "clerk", "representative", "rep",
    "consultant", "owner", "supervisor", "associate", "attendant", "porter", "valet", "sommelier",
}
POSSESSIVE = re.compile(r"(?:'s|’s|')$")


@dataclass(frozen=True)
class StaffMention:
    name: str
    role: str | None
    sentence: str
    start: int
    end: int


def normalise_name(text: str) -> str:
    """One spelling per person: no title, no possessive, single spaces, capitalised words."""
    words = [w for w in text.replace("\n", " ").split() if w.lower().rstrip(",") not in TITLES]
    name = " ".join(words)
    name = POSSESSIVE.sub("", name).strip(" ,.")
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


def _role_before(span: Span) -> str | None:
    doc = span.doc
    i = span.start - 1
    while i >= 0 and doc[i].text in {",", "-", "–"}:
        i -= 1
    if i < 0:
        return None
    word = doc[i].lower_
    if word in TITLES:
        return TITLES[word]
    if word in ROLE_NOUNS:
        return word
    return None


def find_staff(doc: Doc) -> list[StaffMention]:
    """Named people in DOC; a title inside the entity ("Dr. Patel") gives the role too."""
    found: list[StaffMention] = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        first = ent[0].lower_
        role = TITLES.get(first) if first in TITLES else _role_before(ent)
        name = normalise_name(ent.text)
        if not name or not any(ch.isalpha() for ch in name):
            continue
        found.append(StaffMention(name, role, ent.sent.text.strip(), ent.start_char, ent.end_char))
    return found
