"""Analysis speed against bare nlp.pipe of the same model on the same texts, and memory over a long run.

    .venv/bin/python benchmarks/analysis_throughput.py [--reviews 20000] [--memory-reviews 100000] [--n-process 1]

Texts are the demo reviews, varied so the vocabulary keeps growing as it would on real data. "Bare" is
spacy.load(model).pipe(texts); "ours" is Analyser.analyse (behaviour ruler, polarity, staff, sentiment,
story typing). The target: our work on top costs at most a quarter of the model's time, and resident
memory stays flat over 100,000 reviews (memory_zone releases what each chunk adds).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.analyser import Analyser, TextInput  # noqa: E402
from nlp.model import model_name  # noqa: E402


def texts(count: int, seed: int = 3) -> list[str]:
    base = [json.loads(line)["body"] for line in (ROOT / "demo" / "reviews.jsonl").read_text().splitlines()]
    rng = random.Random(seed)
    # A made-up token per text grows the vocabulary the way real names and typos do.
    return [f"{rng.choice(base)} Visit {i} with {rng.choice(['Ana', 'Bo', 'Cy'])}{i % 9973}." for i in range(count)]


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * 4096 / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviews", type=int, default=20_000)
    parser.add_argument("--memory-reviews", type=int, default=100_000)
    parser.add_argument("--n-process", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()
    sample = texts(args.reviews)

    import spacy

    bare = spacy.load(model_name())
    list(bare.pipe(sample[:500]))  # warm up
    started = time.perf_counter()
    for _ in bare.pipe(sample, batch_size=args.batch_size, n_process=args.n_process):
        pass
    bare_s = time.perf_counter() - started

    analyser = Analyser(batch_size=args.batch_size, n_process=args.n_process)
    list(analyser.analyse(TextInput(i, t) for i, t in enumerate(sample[:500])))
    started = time.perf_counter()
    for _ in analyser.analyse(TextInput(i, t) for i, t in enumerate(sample)):
        pass
    ours_s = time.perf_counter() - started

    print(f"model {model_name()}, {args.reviews} reviews, batch {args.batch_size}, n_process {args.n_process}")
    print(f"bare nlp.pipe : {bare_s:7.2f} s  {args.reviews / bare_s:8.0f} reviews/s")
    print(f"Analyser      : {ours_s:7.2f} s  {args.reviews / ours_s:8.0f} reviews/s")
    print(f"ratio ours/bare {ours_s / bare_s:.3f}  (our work on top: {100 * (ours_s - bare_s) / bare_s:.1f}% of the model's time)")

    if args.memory_reviews:
        marks = []
        stream = (TextInput(i, t) for i, t in enumerate(texts(args.memory_reviews, seed=11)))
        for i, _ in enumerate(analyser.analyse(stream), 1):
            if i % 10_000 == 0:
                marks.append((i, rss_mib()))
        print("resident memory (MiB) after N reviews: " + ", ".join(f"{n // 1000}k {m:.0f}" for n, m in marks))
        print(f"growth from 10k to {marks[-1][0] // 1000}k: {marks[-1][1] - marks[0][1]:+.0f} MiB")


if __name__ == "__main__":
    main()
