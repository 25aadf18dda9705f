"""Runs the stages: read → clean → dedup → annotate (per article) → resolve (corpus) → store.

The build is incremental: an input whose origin and content hash are already stored is not
cleaned or annotated again, and when nothing is new the corpus steps are skipped, so a rebuild
with the same files changes nothing. Per-article work is written one transaction per batch,
so an interrupted build resumes where it stopped without duplicates.
"""

from __future__ import annotations

import functools
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storyline.model import Annotations, Article
from storyline.runners import Runner, SerialRunner
from storyline.settings import Settings
from storyline.store import Store

if TYPE_CHECKING:
    from storyline.dedup import DuplicateGroup

# The stage modules are imported by the functions that run them, so that the commands that only
# read a store (and `storyline --help`) start without loading scikit-learn, datasketch or spaCy.

log = logging.getLogger(__name__)

PIPELINE_VERSION = "1"


@dataclass
class BuildSummary:
    inputs: int = 0
    new_articles: int = 0
    unchanged: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (article id, note)
    articles: int = 0
    duplicate_groups: int = 0
    stories: int = 0
    threads: int = 0
    entities: int = 0
    quotes: int = 0
    timeline: int = 0
    figures: int = 0
    corpus_rebuilt: bool = False


class Progress:
    """What the pipeline reports while it works; the CLI draws it with rich."""

    def start(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, stage: str, n: int = 1) -> None:
        pass

    def error(self, origin: str, reason: str) -> None:
        pass


# -- the per-article step ---------------------------------------------------------------


def analyse(article: Article, settings: Settings | None = None) -> Annotations:
    """Everything found in one article. Pure: an Article in, plain Annotations out.

    Detects the language, parses once with spaCy, and hands the parse to the registered
    annotators (:func:`storyline.annotate.annotate`)."""
    from storyline import nlp
    from storyline.annotate import annotate

    text = article.text
    language = nlp.detect_language(text)
    notes = []
    if language and language != "en":
        # The English models would invent entities and quotes in other languages.
        notes.append(f"language {language}: English-only steps skipped")
        ann = annotate(article, None, settings, english=False, notes=notes)
        ann.language = language
        return ann
    if len(text) > nlp.MAX_CHARS:
        notes.append(f"article of {len(text):,} characters: language steps cover the first "
                     f"{nlp.MAX_CHARS:,}")
    ann = annotate(article, nlp.parse(text), settings, notes=notes)
    ann.language = language
    return ann


# -- build ----------------------------------------------------------------------------


def build(
    paths: list[str],
    store: Store,
    runner: Runner | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> BuildSummary:
    """Read, clean, deduplicate and annotate what is new under ``paths`` into ``store``, then
    redo the corpus steps; returns what was done. Incremental and safe to interrupt."""
    from storyline import dedup
    from storyline.clean import CleanError, clean
    from storyline.read import ReadError, read_paths

    runner = runner or SerialRunner()
    settings = settings or Settings()
    progress = progress or Progress()
    summary = BuildSummary()

    # 1. read and clean what is new; each input is stored in its own small transaction.
    progress.start("read", None)
    new_ids: list[str] = []
    for item in read_paths(paths):
        summary.inputs += 1
        progress.advance("read")
        if isinstance(item, ReadError):
            summary.errors.append((item.origin, item.reason))
            progress.error(item.origin, item.reason)
            continue
        if store.known_input(item.origin, item.content_hash):
            summary.unchanged += 1
            continue
        try:
            article = clean(item, settings.clean)
        except CleanError as exc:
            summary.errors.append((item.origin, str(exc)))
            progress.error(item.origin, str(exc))
            with store.transaction() as cur:
                store.add_input(cur, item.origin, item.source_path, item.content_hash, None,
                                "error", str(exc))
            continue
        with store.transaction() as cur:
            store.add_article(cur, article, dedup.signature(article.text))
            store.add_input(cur, item.origin, item.source_path, item.content_hash,
                            article.id, "ok")
        new_ids.append(article.id)
    summary.new_articles = len(new_ids)

    pending = store.unannotated_count() > 0
    stale = store.get_meta("pipeline_version") != PIPELINE_VERSION
    if not new_ids and not pending and not stale and store.get_meta("corpus_built") == "1":
        _count(store, summary)
        return summary  # nothing new: the store already holds this corpus

    with store.transaction() as cur:
        store.set_meta(cur, "corpus_built", "0")

    # 2. duplicates, so copies can lend dates before the language steps anchor on them.
    articles = {a.id: a for a in store.cleaned_articles()}
    groups = dedup.find_groups(articles.values(), store.signatures(), settings.dedup.threshold)
    dedup.apply_groups(articles, groups)

    # 3. per-article annotation of whatever is new or anchored on an outdated date.
    annotations = store.annotations()
    _annotate_missing(store, articles, annotations, runner, settings, progress)

    # 4. corpus steps.
    progress.start("resolve", None)
    resolve_corpus(store, articles, annotations, groups, runner, settings, progress)
    summary.corpus_rebuilt = True
    _count(store, summary)
    summary.notes = [(aid, note) for aid, ann in sorted(annotations.items())
                     for note in ann.notes]
    return summary


def _annotate_missing(store: Store, articles: dict[str, Article],
                      annotations: dict[str, Annotations], runner: Runner, settings: Settings,
                      progress: Progress) -> None:
    anchored = store.annotated_on()
    todo = [a for a in articles.values()
            if a.id not in annotations or anchored.get(a.id) != a.published.value]
    if not todo:
        return
    todo.sort(key=lambda a: a.id)
    progress.start("annotate", len(todo))
    batch: list[tuple[Article, Annotations]] = []

    def flush() -> None:
        with store.transaction() as cur:
            for article, ann in batch:
                store.put_annotations(cur, ann, article.published.value)
        batch.clear()

    step = functools.partial(analyse, settings=settings)
    for article, ann in zip(todo, runner.map(step, todo)):
        annotations[article.id] = ann
        batch.append((article, ann))
        progress.advance("annotate")
        if len(batch) >= settings.build.batch_size:
            flush()
    if batch:
        flush()


def _count(store: Store, summary: BuildSummary) -> None:
    summary.articles = store.count("articles")
    summary.duplicate_groups = store.count("duplicate_groups")
    summary.stories = store.count("stories")
    summary.threads = store.thread_count()
    summary.entities = store.count("entities")
    summary.quotes = store.count("quotes")
    summary.timeline = store.count("timeline")
    summary.figures = store.count("figures")


# -- corpus steps -----------------------------------------------------------------------


def resolve_corpus(store: Store, articles: dict[str, Article],
                   annotations: dict[str, Annotations], groups: list[DuplicateGroup],
                   runner: Runner, settings: Settings, progress: Progress) -> None:
    """The whole-corpus steps over every stored article; replaces the store's corpus results."""
    from storyline import dedup
    from storyline.resolve import brief, entities, figures, pubdates, quotes, stories, timeline

    canonical = sorted((a for a in articles.values() if a.duplicate_of is None),
                       key=lambda a: a.id)
    contexts = {a.id: a.text for a in canonical}

    def mentions() -> list:
        return [m for a in canonical for m in annotations[a.id].mentions]

    # Stories and dates depend on each other: an undated article takes its date from its story
    # (seed 003 says only "on Monday"), and a dated article clusters better. So: cluster, date
    # what the stories can date, redo what was anchored on those dates, and cluster again.
    entity_list = entities.resolve(mentions(), contexts)
    timex_cache: pubdates.TimexCache = {}
    for _round in range(3):
        story_docs = stories.story_docs(canonical, annotations, entity_list)
        story_list = stories.cluster(story_docs, settings.stories)
        if not pubdates.date_from_stories(story_list, articles, annotations, timex_cache):
            break
        dedup.apply_groups(articles, groups)  # copies of a newly dated article follow it
        _annotate_missing(store, articles, annotations, runner, settings, progress)
        entity_list = entities.resolve(mentions(), contexts)
    threads = stories.link_threads(story_list, story_docs, settings.threads)
    for story in story_list:
        story.thread_id = threads.get(story.id, story.thread_id)

    # A story lists every copy of its articles; analysis below uses the canonical ones. Its
    # title and span were set by cluster() from those same canonical members.
    copies: dict[str, list[str]] = defaultdict(list)
    for a in articles.values():
        if a.duplicate_of:
            copies[a.duplicate_of].append(a.id)
    for story in story_list:
        story.article_ids = story.article_ids + sorted(
            c for aid in story.article_ids for c in copies.get(aid, []))

    entity_of = {(m.article_id, m.start, m.end): m.entity_id
                 for e in entity_list for m in e.mentions}
    story_of = {a: s.id for s in story_list for a in s.article_ids}

    quote_mentions = [q for a in canonical for q in annotations[a.id].quotes]
    quotes.link_speakers(quote_mentions, {a.id: annotations[a.id].mentions for a in canonical},
                         entity_list)
    quote_list = quotes.merge_quotes(quote_mentions)

    event_mentions = [e for a in canonical for e in annotations[a.id].events]
    timeline_entries = timeline.build_timeline(event_mentions, entity_of, story_of)

    figure_mentions = [f for a in canonical for f in annotations[a.id].figures]
    figure_list = figures.compare_figures(figure_mentions, story_of)

    brief.summarize_stories(story_list, articles, annotations, settings.brief)

    store.replace_corpus(
        articles=articles.values(),
        duplicate_groups=groups,
        entities=entity_list,
        quotes=quote_list,
        stories=story_list,
        timeline=timeline_entries,
        figures=figure_list,
        meta={"corpus_built": "1", "pipeline_version": PIPELINE_VERSION,
              "articles": json.dumps(len(articles))},
    )
