"""The development set the evaluation script reads is well-formed and large enough."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from evaluate_reading import macro_f1, read_sentences  # noqa: E402
from nlp.analyser import Analyser, TextInput  # noqa: E402
from nlp.behaviours import CODES  # noqa: E402


def test_the_sentence_set_covers_every_code_in_both_directions():
    rows = read_sentences(ROOT / "benchmarks" / "eval" / "sentences.tsv")
    assert len(rows) >= 400 and len({text for text, _, _ in rows}) == len(rows)
    seen = {(code, polarity) for _, gold, _ in rows for code, polarity in gold.items()}
    assert {code for code, _ in seen} == set(CODES)
    assert len({code for code, polarity in seen if polarity == "negative"}) >= len(CODES) - 2
    assert sum(1 for _, gold, staff in rows if not gold and not staff) >= 40  # sentences not about service


def test_there_are_enough_rated_reviews():
    rated = [json.loads(line) for name in ("reviews.jsonl", "app_reviews.jsonl")
             for line in (ROOT / "demo" / name).read_text().splitlines() if line.strip()]
    assert sum(r["rating"] is not None for r in rated) >= 150


def test_macro_f1():
    assert macro_f1(["positive", "negative", "neutral"], ["positive", "negative", "neutral"]) == 1.0
    assert macro_f1(["positive", "positive"], ["negative", "negative"]) == 0.0


@pytest.mark.parametrize("n_process", [2])
def test_several_processes_read_the_same_as_one(n_process):
    texts = ["The waiter was rude and we waited an hour.", "Nurse Maria explained everything clearly.",
             "No hidden fees, and the staff were lovely."] * 4
    one = [a.public_dict() for a in Analyser().analyse(TextInput(i, t) for i, t in enumerate(texts))]
    many = [a.public_dict() for a in Analyser(n_process=n_process, batch_size=4)
            .analyse(TextInput(i, t) for i, t in enumerate(texts))]
    assert one == many
