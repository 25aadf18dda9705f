"""Per-article annotation: registered annotators run in order over one parsed article.

An annotator is a function of an :class:`AnnotationContext` (the article, its spaCy ``Doc``,
the settings, and what the annotators before it found) that returns a list of items for one
field of :class:`~storyline.model.Annotations`. It is registered by name with the fields it
needs (:mod:`storyline.annotate.registry`), as spaCy registers components, so ``annotate`` is a
loop and a new stage is one module plus one registration in :mod:`storyline.annotate.stages`.
Annotation never parses: the caller hands in the ``Doc`` (``None`` for an article the English
model must not read).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from typing import Any

from storyline.annotate import stages  # noqa: F401 - importing registers the stages
from storyline.annotate.registry import REGISTRY, AnnotationContext, Annotator, register
from storyline.model import Annotations, Article
from storyline.settings import Settings

log = logging.getLogger(__name__)

# Seconds spent per annotator (and in parsing and language detection) in this process, for the
# build's timings and the benchmark; worker processes keep their own.
SECONDS: defaultdict[str, float] = defaultdict(float)


def annotators() -> list[Annotator]:
    """The registered annotators in run order."""
    return list(REGISTRY.values())


def annotate(article: Article, doc: Any, settings: Settings | None = None,
             english: bool = True, notes: list[str] | None = None) -> Annotations:
    """Run every registered annotator over one article; ``doc`` is its parse (``None`` when
    ``english`` is false). A failing annotator is noted on the article and the rest go on."""
    ann = Annotations(article.id)
    ann.notes.extend(notes or [])
    ctx = AnnotationContext(article, doc, settings or Settings(), ann)
    for annotator in annotators():
        if annotator.english_only and not english:
            continue
        clock = time.perf_counter()
        setattr(ann, annotator.field, _run(annotator, ctx))
        SECONDS[annotator.name] += time.perf_counter() - clock
    return ann


def _run(annotator: Annotator, ctx: AnnotationContext) -> list:
    try:
        return annotator.fn(ctx) or []
    except Exception as exc:  # one bad article must not stop the corpus
        log.exception("stage %s failed on %s", annotator.name, ctx.article.id)
        ctx.found.notes.append(f"{annotator.name} failed: {type(exc).__name__}: {exc}")
        return []


__all__ = [
    "REGISTRY", "SECONDS", "AnnotationContext", "Annotator", "annotate", "annotators", "register",
]
