"""The backbone reading on the real model: per-sentence sentiment with stars, staff, story types, language."""

from __future__ import annotations

import pytest

from nlp import sentiment
from nlp.analyser import Analyser, TextInput, analyser_version
from nlp.staff import normalise_name


@pytest.fixture(scope="session")
def analyser() -> Analyser:
    return Analyser()


def read(analyser: Analyser, text: str, **kwargs):
    (result,) = analyser.analyse([TextInput("t", text, **kwargs)])
    return result


@pytest.mark.parametrize("compound, expected", [(0.05, "positive"), (0.049, "neutral"), (-0.049, "neutral"), (-0.05, "negative")])
def test_label_thresholds(compound, expected):
    assert sentiment.label(compound) == expected


@pytest.mark.parametrize("text, expected", [
    ("The nurse was kind and the doctor explained everything. I felt safe.", "positive"),
    ("We waited two hours. The receptionist was rude and nobody apologised.", "negative"),
    ("I picked up my prescription on Tuesday.", "neutral"),
])
def test_text_sentiment_label(analyser, text, expected):
    assert read(analyser, text).text_label == expected


def test_neutral_sentences_do_not_dilute_a_long_review(analyser):
    filler = " ".join(f"I arrived at the clinic at {h} o'clock." for h in range(1, 9))
    result = read(analyser, filler + " The doctor was wonderful and so kind.")
    assert result.text_compound > 0.5


def test_star_rating_is_fused_but_the_text_label_is_kept(analyser):
    result = read(analyser, "Terrible, rude staff and a filthy waiting room.", rating=5, rating_max=5)
    assert result.text_label == "negative"
    assert result.compound > result.text_compound


@pytest.mark.parametrize("text, name, role", [
    ("Nurse Maria held my hand the whole time.", "Maria", "nurse"),
    ("Dr. Patel explained the results clearly.", "Patel", "doctor"),
    ("Our server Jen was brilliant all evening.", "Jen", "server"),
])
def test_named_staff_with_their_role(analyser, text, name, role):
    staff = read(analyser, text).staff
    assert [(s["name"], s["role"]) for s in staff] == [(name, role)]


def test_staff_names_are_normalised():
    assert normalise_name("Dr. Patel's") == "Patel"
    assert normalise_name("nurse  maria") == "Maria"


def test_strong_concrete_praise_is_exceptional_and_outranks_plain_praise(analyser):
    story = read(analyser, "Nurse Maria stayed two hours after her shift to help my father. She was wonderful, "
                           "kind and patient, the best care we have ever had.", rating=5, rating_max=5)
    plain = read(analyser, "Good.", rating=4, rating_max=5)
    assert story.story_type == "exceptional"
    assert story.story_score > plain.story_score
    assert story.headline == "She was wonderful, kind and patient, the best care we have ever had."


def test_strong_concrete_complaint_is_execrable(analyser):
    result = read(analyser, "We waited four hours with a screaming child. The receptionist was rude, dismissive and "
                            "laughed at us. Horrible, the worst clinic ever.", rating=1, rating_max=5)
    assert result.story_type == "execrable"


def test_non_english_text_is_marked_and_not_read_as_english(analyser):
    result = read(analyser, "El servicio fue muy lento y la comida estaba fría.", rating=2, rating_max=5)
    assert result.language == "es"
    assert result.staff == [] and result.behaviours == [] and result.text_compound == 0.0
    assert result.label == "negative"  # the stars still speak


def test_empty_and_huge_inputs(analyser):
    empty = read(analyser, "")
    assert (empty.language, empty.label, empty.story_type) == ("und", "neutral", "neutral")
    huge = read(analyser, "The staff were lovely and helpful. " * 8_000)
    assert huge.label == "positive"


def test_results_come_back_in_input_order(analyser):
    inputs = [TextInput(i, text) for i, text in enumerate(["Great!", "", "Terrible service.", "Muy bueno, el personal es amable."] * 3)]
    assert [r.id for r in analyser.analyse(inputs)] == list(range(12))


def test_version_changes_with_patterns(tmp_path, monkeypatch):
    import nlp.analyser as module

    before = analyser_version()
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    (patterns / "x.jsonl").write_text('{"label": "x", "pattern": "x"}\n')
    monkeypatch.setattr(module, "PATTERNS", patterns)
    assert analyser_version() != before


@pytest.mark.parametrize("text, expected", [
    ("Tom at the front desk sorted it out.", [("Tom", "receptionist")]),
    ("The pharmacist explained my new tablets.", [(None, "pharmacist")]),
    ("Support agent Dana unlocked my card.", [("Dana", "agent")]),
    ("The waiters were rude.", [(None, "server")]),
    ("Nurse Maria and Dr. Patel were kind.", [("Maria", "nurse"), ("Patel", "doctor")]),
])
def test_staff_roles_from_data(analyser, text, expected):
    assert [(s["name"], s["role"]) for s in read(analyser, text).staff] == expected
