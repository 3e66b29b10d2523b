"""Every behaviour code, praised and criticised; negation, contrast, and phrases VADER misreads."""

from __future__ import annotations

import pytest

from nlp.analyser import Analyser, TextInput
from nlp.behaviours import CODES, load_patterns


@pytest.fixture(scope="module")
def analyser() -> Analyser:
    return Analyser()


def found(analyser: Analyser, text: str) -> set[tuple[str, str]]:
    (result,) = analyser.analyse([TextInput("t", text)])
    for b in result.behaviours:
        assert text[b["start"]:b["end"]] == b["text"]  # offsets point into the text
    return {(b["code"], b["polarity"]) for b in result.behaviours}


CASES = [
    ("empathy", "The nurse understood how scared I was.", "positive"),
    ("empathy", "The receptionist couldn't care less about my pain.", "negative"),
    ("listening", "Dr. Patel listened to every question I had.", "positive"),
    ("listening", "The manager kept interrupting me.", "negative"),
    ("knowledge", "The mechanic knew exactly what to do.", "positive"),
    ("knowledge", "The agent had no idea how to fix my booking.", "negative"),
    ("clarity", "She explained everything clearly.", "positive"),
    ("clarity", "Nobody told us anything about the delay.", "negative"),
    ("empowerment", "The teller fixed it on the spot.", "positive"),
    ("empowerment", "We had to wait for a supervisor to approve a simple refund.", "negative"),
    ("prevention", "The clinic called the next day to check on me.", "positive"),
    ("prevention", "Nobody warned us the pool would be closed.", "negative"),
    ("emotional_connection", "They treated us like family.", "positive"),
    ("emotional_connection", "I felt like a number.", "negative"),
    ("access", "Got an appointment the same day.", "positive"),
    ("access", "We waited three hours to be seen.", "negative"),
    ("resolution", "My problem was sorted on the first call.", "positive"),
    ("resolution", "Called five times and it is still broken.", "negative"),
    ("no_surprises", "There were no hidden fees at checkout.", "positive"),
    ("no_surprises", "A month later I got a surprise bill for $400.", "negative"),
    ("friendliness", "The host greeted us with a smile.", "positive"),
    ("friendliness", "The waiter was rude and dismissive.", "negative"),
    ("attentiveness", "Our server checked on us often.", "positive"),
    ("attentiveness", "The cashier never looked up from her phone.", "negative"),
    ("patience", "The pharmacist never rushed me.", "positive"),
    ("patience", "She was impatient and sighed at my questions.", "negative"),
    ("above_and_beyond", "The porter went out of his way to find my lost bag.", "positive"),
    ("above_and_beyond", "The clerk did the bare minimum and said it was not his job.", "negative"),
    ("consistency", "Every visit is the same, always excellent.", "positive"),
    ("consistency", "It really depends who you get.", "negative"),
    ("staff_wellbeing", "The staff seem happy here.", "positive"),
    ("staff_wellbeing", "The nurses are clearly overworked.", "negative"),
    ("service_general", "Great service from start to finish.", "positive"),
    ("service_general", "The service was awful.", "negative"),
]


@pytest.mark.parametrize("code, text, polarity", CASES, ids=[f"{c}-{p}" for c, _, p in CASES])
def test_each_behaviour(analyser, code, text, polarity):
    assert (code, polarity) in found(analyser, text)


def test_every_code_has_patterns_and_cases():
    assert {p["label"] for p in load_patterns()} == set(CODES)
    assert {c for c, _, _ in CASES} == set(CODES)


@pytest.mark.parametrize("text, expected", [
    ("She didn't listen to a word I said.", ("listening", "negative")),
    ("The doctor never explained the side effects.", ("clarity", "negative")),
    ("The staff were not rude at all.", ("friendliness", "positive")),
    ("I was never rushed.", ("patience", "positive")),
    ("The nurse was not patient with my mother.", ("patience", "negative")),
])
def test_negation_from_the_parse(analyser, text, expected):
    assert expected in found(analyser, text)


def test_contrast_gives_each_side_its_own_polarity(analyser):
    assert {("friendliness", "positive"), ("knowledge", "negative")} <= found(analyser, "Friendly but clueless staff.")
    mixed = found(analyser, "The wait was long, but the staff were lovely.")
    assert ("access", "negative") in mixed and ("friendliness", "positive") in mixed
    mixed = found(analyser, "The doctor was friendly, however she never explained the results.")
    assert ("friendliness", "positive") in mixed and ("clarity", "negative") in mixed


@pytest.mark.parametrize("text, expected", [
    ("No wait at all!", ("access", "positive")),
    ("No surprises on the bill.", ("no_surprises", "positive")),
    ("The nurse couldn't have been nicer.", ("friendliness", "positive")),
    ("I was not rushed.", ("patience", "positive")),
])
def test_service_phrases_vader_misreads(analyser, text, expected):
    assert expected in found(analyser, text)


@pytest.mark.parametrize("text", [
    "The food was lovely.", "Can't wait to go back!", "Nice view of the harbour.", "The room was clean and quiet.",
])
def test_sentences_not_about_service_give_no_behaviour(analyser, text):
    assert found(analyser, text) == set()
