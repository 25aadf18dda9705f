"""Story clustering cost at 1k / 5k / 10k articles: it should grow about linearly.

Load: the Multi-News validation documents, repeated with edits (sentences dropped and
reordered, words deleted), each gold cluster given a publication date spread over two years
and each copy a date within a few days of it, as a dated news stream would be.

    python bench/bench_stories.py [--data PATH] [--sizes 1000,5000,10000]
"""

from __future__ import annotations

import argparse
import random
import re
import time
from datetime import date, timedelta
from pathlib import Path

from storyline.eval.stories import load, prepare
from storyline.resolve.stories import StoryDoc, cluster
from storyline.resolve.stories import vectors as story_vectors

# The shared data sits beside the repository (../shared/data), as in CI.
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "multinews" / "validation.csv"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def edited(text: str, rng: random.Random) -> str:
    sentences = _SENTENCE.split(text)
    kept = [s for s in sentences if rng.random() > 0.2] or sentences[:1]
    if len(kept) > 3 and rng.random() < 0.5:
        i = rng.randrange(len(kept) - 1)
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
    words = " ".join(kept).split(" ")
    return " ".join(w for w in words if rng.random() > 0.05)


def corpus(base: list[StoryDoc], gold: list[int], size: int, seed: int = 0) -> list[StoryDoc]:
    rng = random.Random(seed)
    start = date(2021, 1, 1)
    day_of = {g: start + timedelta(days=rng.randrange(730)) for g in sorted(set(gold))}
    out = []
    for n in range(size):
        i = n % len(base)
        doc, copy = base[i], n // len(base)
        text = doc.text if copy == 0 else edited(doc.text, rng)
        published = day_of[gold[i]] + timedelta(days=rng.randrange(-2, 3) + 30 * copy)
        out.append(
            StoryDoc(
                f"{doc.article_id}-{copy}",
                doc.title,
                text,
                published.isoformat(),
                [],
                dates=doc.dates,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sizes", default="1000,5000,10000")
    args = parser.parse_args()
    base, gold, _, _ = prepare(load(args.data))
    print(f"{'articles':>9} {'seconds':>8} {'docs/s':>8} {'ms/doc':>7} {'stories':>8}")
    per_doc = []
    for size in (int(s) for s in args.sizes.split(",")):
        docs = corpus(base, gold, size)
        clear = getattr(story_vectors._STEM, "cache_clear", None)
        if clear:  # every size pays for stemming its vocabulary
            clear()
        t0 = time.perf_counter()
        result = cluster(docs)
        elapsed = time.perf_counter() - t0
        per_doc.append(elapsed / size)
        print(
            f"{size:>9} {elapsed:>8.2f} {size / elapsed:>8.0f} {1000 * elapsed / size:>7.2f} {len(result):>8}"
        )
    if len(per_doc) > 1:
        print(
            f"cost per article, largest vs smallest run: x{per_doc[-1] / per_doc[0]:.2f} (1.0 = linear)"
        )


if __name__ == "__main__":
    main()
