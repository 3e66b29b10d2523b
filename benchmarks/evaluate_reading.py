"""How well does Storyminer read? Precision, recall and F1 per behaviour, service-sentence detection,
mention polarity, and review-level sentiment against star ratings, each next to plain VADER.

    .venv/bin/python benchmarks/evaluate_reading.py

Data, all written for this project: benchmarks/eval/sentences.tsv (labelled sentences from many trades)
and the demo's reviews with their star ratings (demo/reviews.jsonl, demo/app_reviews.jsonl).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.analyser import Analyser, TextInput  # noqa: E402
from nlp.behaviours import CODES  # noqa: E402
from nlp.sentiment import analyzer, label  # noqa: E402

SIGN = {"+": "positive", "-": "negative", "0": "neutral"}


def read_sentences(path: Path) -> list[tuple[str, dict[str, str], bool]]:
    """(sentence, {code: polarity}, names staff) rows."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        labels, text = line.split("\t", 1)
        gold: dict[str, str] = {}
        staff = False
        for item in labels.split():
            if item == "-":
                continue
            if item in ("staff", "staff+", "staff-", "staff0"):
                staff = True
                continue
            gold[item[:-1]] = SIGN[item[-1]]
        rows.append((text, gold, staff))
    return rows


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, (2 * precision * recall / (precision + recall) if precision + recall else 0.0)


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    scores = []
    for cls in ("positive", "neutral", "negative"):
        tp = sum(g == p == cls for g, p in zip(gold, predicted))
        fp = sum(p == cls and g != cls for g, p in zip(gold, predicted))
        fn = sum(g == cls and p != cls for g, p in zip(gold, predicted))
        scores.append(f1(tp, fp, fn)[2])
    return sum(scores) / len(scores)


def stars_class(rating: float) -> str:
    return "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"


def main() -> None:
    analyser = Analyser()
    rows = read_sentences(ROOT / "benchmarks" / "eval" / "sentences.tsv")
    results = list(analyser.analyse(TextInput(i, text) for i, (text, _, _) in enumerate(rows)))

    counts = {code: Counter() for code in CODES}
    service = Counter()
    polarity_ours, polarity_vader = Counter(), Counter()
    for (text, gold, staff), result in zip(rows, results):
        predicted: dict[str, set[str]] = {}
        for b in result.behaviours:
            predicted.setdefault(b["code"], set()).add(b["polarity"])
        for code in CODES:
            counts[code]["tp" if code in gold and code in predicted else
                         "fn" if code in gold else "fp" if code in predicted else "tn"] += 1
        is_service, said_service = bool(gold) or staff, bool(predicted) or bool(result.staff)
        service["tp" if is_service and said_service else "fn" if is_service else "fp" if said_service else "tn"] += 1
        vader = label(analyzer().polarity_scores(text)["compound"])
        for code, polarity in gold.items():
            if polarity == "neutral":
                continue
            polarity_vader[vader == polarity] += 1
            if code in predicted:
                polarity_ours[polarity in predicted[code]] += 1

    print(f"{len(rows)} labelled sentences\n")
    print(f"{'code':22} {'P':>5} {'R':>5} {'F1':>5} {'support':>8}")
    for code in CODES:
        c = counts[code]
        p, r, f = f1(c["tp"], c["fp"], c["fn"])
        print(f"{code:22} {p:5.2f} {r:5.2f} {f:5.2f} {c['tp'] + c['fn']:8d}")
    p, r, f = f1(service["tp"], service["fp"], service["fn"])
    print(f"\nservice sentence (any behaviour or staff): P {p:.3f} R {r:.3f} F1 {f:.3f}")
    ours = polarity_ours[True] / sum(polarity_ours.values())
    vader = polarity_vader[True] / sum(polarity_vader.values())
    print(f"mention polarity accuracy: {ours:.3f} on {sum(polarity_ours.values())} found mentions "
          f"(plain sentence VADER: {vader:.3f} on {sum(polarity_vader.values())})")

    reviews = [json.loads(line) for name in ("reviews.jsonl", "app_reviews.jsonl")
               for line in (ROOT / "demo" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    reviews = [r for r in reviews if r.get("rating") is not None]
    read = list(analyser.analyse(TextInput(i, r["body"], r["title"]) for i, r in enumerate(reviews)))
    gold = [stars_class(r["rating"]) for r in reviews]
    ours_text = [a.text_label for a in read]
    plain = [label(analyzer().polarity_scores(f"{r['title']}. {r['body']}")["compound"]) for r in reviews]
    print(f"\nreview text sentiment vs stars, {len(reviews)} reviews, macro-F1: ours {macro_f1(gold, ours_text):.3f}, "
          f"plain whole-text VADER {macro_f1(gold, plain):.3f}")


if __name__ == "__main__":
    main()
