"""People customers name: the model's PERSON entities, with a role when one stands next to the name."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span

ROLES_FILE = Path(__file__).with_name("patterns") / "roles.jsonl"


def _load_roles() -> tuple[dict[str, str | None], dict[str, str], dict[str, str]]:
    """Titles before a name ("Nurse Maria"), role nouns ("our server Jen", "the pharmacist"), and
    places after a name ("Tom at the front desk"), each with the role it means; kept as data."""
    titles: dict[str, str | None] = {}
    nouns: dict[str, str] = {}
    places: dict[str, str] = {}
    for number, line in enumerate(ROLES_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        entry = json.loads(line)
        if "role" not in entry:
            raise ValueError(f"{ROLES_FILE.name} line {number}: every entry needs a role (null for plain titles)")
        titles.update({t.lower(): entry["role"] for t in entry.get("titles", [])})
        nouns.update({n.lower(): entry["role"] for n in entry.get("nouns", [])})
        places.update({p.lower(): entry["role"] for p in entry.get("places", [])})
    return titles, nouns, places


TITLES, NOUN_ROLES, PLACES = _load_roles()
ROLE_NOUNS = frozenset(n for n in NOUN_ROLES if " " not in n)
POSSESSIVE = re.compile(r"(?:'s|’s|')$")


@dataclass(frozen=True)
class StaffMention:
    name: str | None  # None when the customer names a role, not a person ("the pharmacist")
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
    for width in (3, 2, 1):  # "support agent Dana", "our server Jen"
        words = " ".join(t.lower_ for t in doc[max(0, i - width + 1):i + 1])
        if words in TITLES and TITLES[words]:
            return TITLES[words]
        if words in NOUN_ROLES:
            return NOUN_ROLES[words]
    return None


def _role_after(span: Span) -> str | None:
    """ "Tom at the front desk", "Dana in the chat", "Priya, the receptionist"."""
    following = " ".join(t.lower_ for t in span.doc[span.end:span.end + 4])
    for place, role in PLACES.items():
        if following.startswith(place):
            return role
    rest = [t.lower_ for t in span.doc[span.end:span.end + 4]]
    if rest[:1] == [","] and len(rest) > 2 and rest[1] in ("the", "our", "my"):
        return NOUN_ROLES.get(rest[2])
    return None


def find_staff(doc: Doc) -> list[StaffMention]:
    """Named people in DOC with their role, and roles named without a person ("the pharmacist")."""
    found: list[StaffMention] = []
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        first = ent[0].lower_
        role = TITLES.get(first) if first in TITLES else (_role_before(ent) or _role_after(ent))
        name = normalise_name(ent.text)
        if not name or not any(ch.isalpha() for ch in name):
            continue
        if name.lower() in NOUN_ROLES:  # the model took a role for a name ("Teller")
            role, name = role or NOUN_ROLES[name.lower()], None
        covered.update(range(max(0, ent.start - 3), min(len(doc), ent.end + 4)))
        found.append(StaffMention(name, role, ent.sent.text.strip(), ent.start_char, ent.end_char))
    for token in doc:
        lemma = token.lemma_.lower()
        if lemma not in ROLE_NOUNS or token.i in covered or token.pos_ not in ("NOUN", "PROPN"):
            continue
        role = NOUN_ROLES[lemma]
        if role:
            found.append(StaffMention(None, role, token.sent.text.strip(), token.idx, token.idx + len(token.text)))
            covered.add(token.i)
    return sorted(found, key=lambda m: m.start)
