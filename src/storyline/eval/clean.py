"""Scorer for cleaning (`storyline eval clean`) on WCXB-format data: ``html/<id>.html.gz`` pages
with ``ground-truth/<id>.json`` (``ground_truth.main_content``, ``title``, ``publish_date``).

What is scored, per page, then averaged over pages (macro average, as WCXB reports it):

* ``html_*``: word-level precision/recall/F1 of ``clean()`` on the page as an HTML Document
  against ``main_content``. Words are lowercased ``\\w+`` tokens compared as multisets (bag of
  words), so order and whitespace do not matter and repeated words count as often as they occur.
* ``text_*``: the same for plain-text cleaning: the page is first rendered to its whole visible
  text (``storyline.read.html.html_to_text``: one block element per line, scripts and <head>
  left out), then cleaned as a text Document. ``passthrough_*`` scores that rendered text as it
  is: the baseline a cleaner must beat. A page the cleaner rejects (CleanError) scores 0.
  Pages whose gold ``main_content`` is empty count for title and date only.
* ``title_accuracy``: share of pages with a gold title whose extracted title equals it after
  normalisation (casefold, whitespace and punctuation removed) or where one contains the other
  and the shorter has at least 60 % of the longer's characters (site-name suffixes such as
  "| Site" are the usual difference).
* ``date_accuracy``: share of pages with a gold ``publish_date`` whose found publication date
  (YYYY-MM-DD) equals the gold date's first ten characters. A page where nothing is found counts
  as wrong.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from pathlib import Path

from storyline.clean import CleanError, clean
from storyline.eval.metrics import f1 as harmonic_f1
from storyline.model import Document
from storyline.read.html import decode_html, html_to_text
from storyline.settings import Settings

_WORDS = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> Counter:
    return Counter(w.lower() for w in _WORDS.findall(text or ""))


def prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-words precision, recall and F1 of ``predicted`` against ``gold``."""
    pred, ref = words(predicted), words(gold)
    overlap = sum((pred & ref).values())
    if not pred and not ref:
        return 1.0, 1.0, 1.0
    precision = overlap / sum(pred.values()) if pred else 0.0
    recall = overlap / sum(ref.values()) if ref else 0.0
    f1 = harmonic_f1(precision, recall)
    return precision, recall, f1


def _norm_title(text: str | None) -> str:
    return "".join(ch for ch in (text or "").casefold() if ch.isalnum())


def title_match(found: str | None, gold: str | None) -> bool:
    a, b = _norm_title(found), _norm_title(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return short in long and len(short) >= 0.6 * len(long)


def _pages(data: Path, limit: int | None) -> list[tuple[Path, dict]]:
    truth_dir = data / "ground-truth"
    pages = []
    for truth_path in sorted(truth_dir.glob("*.json")):
        page_id = truth_path.stem
        html_path = data / "html" / f"{page_id}.html.gz"
        if not html_path.exists():
            continue
        record = json.loads(truth_path.read_text(encoding="utf-8"))
        pages.append((html_path, record))
        if limit is not None and len(pages) >= limit:
            break
    return pages


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def evaluate(data: Path, limit: int | None = None, settings: Settings | None = None) -> dict:
    from rich.console import Console
    from rich.table import Table

    settings = settings or Settings()
    started = time.perf_counter()
    scores: dict[str, list[float]] = {
        k: []
        for k in (
            "html_precision",
            "html_recall",
            "html_f1",
            "text_precision",
            "text_recall",
            "text_f1",
            "passthrough_precision",
            "passthrough_recall",
            "passthrough_f1",
        )
    }
    titles: list[bool] = []
    dates: list[bool] = []
    pages = _pages(Path(data), limit)
    for html_path, record in pages:
        truth = record.get("ground_truth", record)
        gold = truth.get("main_content") or ""
        has_text = bool(gold.strip())  # a page without gold text is scored for metadata only
        url = record.get("url")
        html = decode_html(gzip.decompress(html_path.read_bytes()))

        doc = Document(
            origin=str(html_path), kind="html", body=html, url=url, source_path=str(html_path)
        )
        try:
            article = clean(doc, settings.clean)
            text, title, published = article.text, article.title, article.published.value
        except CleanError:
            text, title, published = "", None, None
        if has_text:
            for name, value in zip(("html_precision", "html_recall", "html_f1"), prf(text, gold)):
                scores[name].append(value)
        if truth.get("title"):
            titles.append(title_match(title, truth["title"]))
        if truth.get("publish_date"):
            dates.append(published == str(truth["publish_date"])[:10])

        if not has_text:
            continue
        visible = html_to_text(html)
        for name, value in zip(
            ("passthrough_precision", "passthrough_recall", "passthrough_f1"), prf(visible, gold)
        ):
            scores[name].append(value)
        try:
            cleaned = (
                clean(Document(origin=str(html_path), kind="text", body=visible),
                      settings.clean).text
                if visible.strip()
                else ""
            )
        except CleanError:
            cleaned = ""
        for name, value in zip(("text_precision", "text_recall", "text_f1"), prf(cleaned, gold)):
            scores[name].append(value)

    metrics = {name: round(_mean(values), 4) for name, values in scores.items()}
    metrics["title_accuracy"] = round(_mean([float(t) for t in titles]), 4)
    metrics["date_accuracy"] = round(_mean([float(d) for d in dates]), 4)
    metrics["documents"] = len(pages)
    metrics["seconds"] = round(time.perf_counter() - started, 1)

    table = Table(title=f"Cleaning on {len(pages)} WCXB pages (word-level, macro average)")
    for column in ("input", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column != "input" else "left")
    for label, key in (
        ("HTML extraction", "html"),
        ("plain-text cleaning", "text"),
        ("plain text unchanged", "passthrough"),
    ):
        table.add_row(
            label, *(f"{metrics[f'{key}_{m}']:.3f}" for m in ("precision", "recall", "f1"))
        )
    Console().print(table)
    Console().print(
        f"title accuracy {metrics['title_accuracy']:.3f} over {len(titles)} pages · "
        f"date accuracy {metrics['date_accuracy']:.3f} over {len(dates)} pages · {metrics['seconds']} s"
    )
    return metrics
