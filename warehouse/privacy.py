"""Redaction for exports: reviewers' names, e-mail addresses and phone numbers in what leaves the warehouse."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Seven or more digits, with the spaces, dots, dashes and brackets phone numbers are written with.
PHONE = re.compile(r"(?<![\w$£€])(?:\+|00)?\d(?:[\s().-]*\d){6,}(?!\w)")


def initials(name: str | None) -> str | None:
    """ "Sofia R." -> "S. R."; what an export shows of the reviewer."""
    if not name:
        return None
    parts = [p for p in re.split(r"[\s_.]+", name) if p and p[0].isalpha()]
    return " ".join(f"{p[0].upper()}." for p in parts[:3]) or None


def redact_text(text: str | None, names: list[str] = ()) -> str | None:
    if not text:
        return text
    text = EMAIL.sub("[email]", text)
    text = PHONE.sub("[phone]", text)
    for name in names:
        # The whole name first, then its parts ("Sofia" alone); parts of one or two letters are left.
        for part in sorted({name.strip(" ."), *(p.strip(" .") for p in name.split())}, key=len, reverse=True):
            if len(part) >= 3:
                text = re.sub(rf"\b{re.escape(part)}\b", "[name]", text, flags=re.IGNORECASE)
    return text


def redact_story(row: dict) -> dict:
    """A story row fit for export: the reviewer reduced to initials, contact details and their name gone."""
    author = row.get("author")
    names = [author] if author else []
    out = dict(row)
    for key in ("body", "title", "headline"):
        if key in out:
            out[key] = redact_text(out[key], names)
    if "author" in out:
        out["author"] = initials(author)
    return out
