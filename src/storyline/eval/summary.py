"""Score cited summaries on the Multi-News layout (CSV: documents, num_documents, summary).

Per cluster: clean each document, split it into sentences, summarise at the gold summary's
length, then ROUGE-1/2/L F-measure (rouge-score, Porter stemming) against the gold summary,
and citation support: the share of summary sentences whose citations contain the sentence.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rouge_score import rouge_scorer

from storyline.clean import clean_text
from storyline.eval.multinews import read_clusters
from storyline.resolve.brief import summarize
from storyline.settings import Settings

# Blank lines separate paragraphs in scraped text; a sentence never crosses one.
_PARAGRAPH = re.compile(r"\n\s*\n")
# A sentence ends at . ! or ? (optionally closed by quotes/brackets) followed by space and a
# capital, digit or opening quote. Abbreviations below do not end sentences.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(\b(Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|St|Jr|Sr|Inc|Co|Corp|Ltd|No|vs|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.N|U\.K|a\.m|p\.m|e\.g|i\.e)"
    r"|\b[A-Z])\.$"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed, by a fast regex splitter (no parse)."""
    spans = []
    for para in _paragraphs(text):
        p_start, p_end = para
        cursor = p_start
        for m in _BOUNDARY.finditer(text, p_start, p_end):
            candidate = text[cursor : m.start()].rstrip()
            if _ABBREV.search(candidate):
                continue
            spans.append((cursor, m.start()))
            cursor = m.end()
        spans.append((cursor, p_end))
    out = []
    for start, end in spans:
        segment = text[start:end]
        lead = len(segment) - len(segment.lstrip())
        trail = len(segment.rstrip())
        if trail > lead:
            out.append((start + lead, start + trail))
    return out


def _paragraphs(text: str):
    cursor = 0
    for m in _PARAGRAPH.finditer(text):
        yield cursor, m.start()
        cursor = m.end()
    yield cursor, len(text)


def evaluate(data: Path, limit: int | None = None, settings: Settings | None = None) -> dict:
    """ROUGE-1/2/L F and citation support of :func:`storyline.resolve.brief.summarize` on Multi-News."""
    settings = settings or Settings()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    supported = sentences_total = clusters = 0
    started = time.perf_counter()
    for documents, gold in read_clusters(Path(data), limit):
        texts: dict[str, str] = {}
        rows: list[tuple[str, int, int, str]] = []
        for k, document in enumerate(documents):
            text = clean_text(document, settings.clean)[0]
            article_id = f"doc{k}"
            texts[article_id] = text
            rows.extend((article_id, s, e, text[s:e]) for s, e in split_sentences(text))
        target = len(gold.split()) or 120
        summary = summarize(f"cluster{clusters}", rows, n_words=target,
                            settings=settings.brief)
        for sentence in summary:
            sentences_total += 1
            if any(
                sentence.text in texts.get(c.article_id, "")[c.start : c.end]
                for c in sentence.citations
            ):
                supported += 1
        scores = scorer.score(gold, " ".join(s.text for s in summary))
        for key in totals:
            totals[key] += scores[key].fmeasure
        clusters += 1
    n = max(clusters, 1)
    result = {key: round(value / n, 4) for key, value in totals.items()}
    result["citation_support"] = round(supported / sentences_total, 4) if sentences_total else 0.0
    result["clusters"] = clusters
    table = Table(title=f"Multi-News summaries ({clusters} clusters, cleaner: storyline.clean)")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in result.items():
        table.add_row(key, str(value))
    table.add_row("seconds", f"{time.perf_counter() - started:.1f}")
    Console().print(table)
    return result
