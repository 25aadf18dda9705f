"""Runs the stages: read → clean → dedup → annotate (per article) → resolve (corpus) → store.

The build is incremental: an input whose origin and content hash are already stored is not
cleaned or annotated again, and when nothing is new the corpus steps are skipped, so a rebuild
with the same files changes nothing. Per-article work is written one transaction per batch,
so an interrupted build resumes where it stopped without duplicates.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import logging
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from storyline.model import Annotations, Article, Document, stable_id
from storyline.runners import Runner, SerialRunner
from storyline.settings import Settings
from storyline.store import Store

if TYPE_CHECKING:
    from storyline.dedup import DuplicateGroup

# The stage modules are imported by the functions that run them, so that the commands that only
# read a store (and `storyline --help`) start without loading scikit-learn, datasketch or spaCy.

log = logging.getLogger(__name__)

PIPELINE_VERSION = "6"  # language steps over the first 50,000 characters; read notes


class Timings(dict):
    """Seconds per step of one build (``with timings("entities"): …`` adds to "entities")."""

    @contextlib.contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        clock = time.perf_counter()
        try:
            yield
        finally:
            self[step] = self.get(step, 0.0) + time.perf_counter() - clock


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
    timings: Timings = field(default_factory=Timings)


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
    """Everything found in one article. Pure: an Article in, plain Annotations out."""
    return analyse_many([article], settings)[0]


def analyse_many(articles: list[Article], settings: Settings | None = None) -> list[Annotations]:
    """Everything found in each article, in order. Pure, like :func:`analyse`.

    Detects each language, parses the English ones together with ``nlp.pipe`` (batched parsing
    is several times cheaper per article than one call each), and hands each parse to the
    registered annotators (:func:`storyline.annotate.annotate`)."""
    from storyline import nlp
    from storyline.annotate import SECONDS, annotate

    clock = time.perf_counter()
    languages = [nlp.detect_language(a.text) for a in articles]
    SECONDS["language"] += time.perf_counter() - clock
    # Every annotator reads the same bounded prefix (spans stay offsets into the full text).
    bounded = [_bounded(a) for a in articles]
    english = [a.text for a, lang in zip(bounded, languages) if lang in (None, "en")]
    docs = nlp.parse_many(english, batch_size=max(1, len(english)))
    out = []
    for article, language in zip(bounded, languages):
        notes = list(article.notes)
        if language not in (None, "en"):
            # The English models would invent entities and quotes in other languages.
            notes.append(f"language {language}: English-only steps skipped")
            ann = annotate(article, None, settings, english=False, notes=notes)
        else:
            clock = time.perf_counter()
            doc = next(docs)
            SECONDS["parse"] += time.perf_counter() - clock
            ann = annotate(article, doc, settings, notes=notes)
        ann.language = language
        out.append(ann)
    return out


def _bounded(article: Article) -> Article:
    """``article`` with its text cut where the language steps stop reading it (and a note
    saying so); the article itself when it is short enough."""
    from storyline import nlp

    cut = nlp.text_limit(article.text)
    if cut == len(article.text):
        return article
    note = (f"article of {len(article.text):,} characters: language steps cover the first "
            f"{cut:,}")
    return dataclasses.replace(article, text=article.text[:cut], notes=[*article.notes, note])


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
    runner = runner or SerialRunner()
    settings = settings or Settings()
    progress = progress or Progress()
    summary = BuildSummary()
    timed = summary.timings

    # 1. read and clean what is new; each input is stored in its own small transaction.
    progress.start("read", None)
    new_ids: list[str] = []
    with timed("read and clean"):
        _read_new(paths, store, settings, runner, progress, summary, new_ids)
    summary.new_articles = len(new_ids)

    pending = store.unannotated_count() > 0
    stale = store.get_meta("pipeline_version") != PIPELINE_VERSION
    if not new_ids and not pending and not stale and store.get_meta("corpus_built") == "1":
        _count(store, summary)
        return summary  # nothing new: the store already holds this corpus

    with store.transaction() as cur:
        store.set_meta(cur, "corpus_built", "0")

    # 2. duplicates, so copies can lend dates before the language steps anchor on them.
    from storyline import dedup  # here, not above: a build with nothing new never needs it

    with timed("duplicates"):
        articles = {a.id: a for a in store.cleaned_articles()}
        groups = dedup.find_groups(articles.values(), store.signatures(),
                                   settings.dedup.threshold)
        dedup.apply_groups(articles, groups)
        # The later steps read what the language steps read (the store keeps the full text).
        articles = {aid: _bounded(a) for aid, a in articles.items()}

    # 3. per-article annotation of whatever is new or anchored on an outdated date.
    with timed("annotate"):
        # Annotations made by another version of the pipeline are made again: what a stage
        # finds (and the fields it records) changes with the version.
        # (A store with no version yet is this version's own interrupted first build.)
        outdated = store.get_meta("pipeline_version") not in (None, PIPELINE_VERSION)
        annotations = store.annotations() if not outdated else {}
        _annotate_missing(store, articles, annotations, runner, settings, progress)

    # 4. corpus steps.
    progress.start("resolve", None)
    resolve_corpus(store, articles, annotations, groups, runner, settings, progress, timed)
    summary.corpus_rebuilt = True
    _count(store, summary)
    summary.notes = [(aid, note) for aid, ann in sorted(annotations.items())
                     for note in ann.notes]
    return summary


def clean_many(items: list[Document], settings: Settings) -> list[tuple[Article, Any] | str]:
    """Each document cleaned, with the MinHash signature of its text, or the reason it could
    not be cleaned. Pure, so a runner can ship it to its workers like :func:`analyse_many`."""
    from storyline import dedup
    from storyline.clean import CleanError, clean

    out: list[tuple[Article, Any] | str] = []
    for item in items:
        try:
            article = clean(item, settings.clean)
        except CleanError as exc:
            out.append(str(exc))
            continue
        out.append((article, dedup.signature(article.text)))
    return out


# Documents read ahead before they are cleaned on the runner, in chunks of the batch size.
READ_WINDOW = 256


def _read_new(paths: list[str], store: Store, settings: Settings, runner: Runner,
              progress: Progress, summary: BuildSummary, new_ids: list[str]) -> None:
    """Read ``paths``; clean and store each input not stored yet (one transaction each)."""
    from storyline.read import ReadError, read_paths

    window: list[Document] = []
    seen: set[tuple[str, str]] = set()
    # An input that could not be cleaned fails the same way until it, the pipeline or the
    # cleaning settings change: report it again from the store rather than clean it again.
    cleaning = stable_id("clean", json.dumps(dataclasses.asdict(settings.clean), sort_keys=True))
    same_cleaning = store.get_meta("clean_settings") == cleaning
    same_pipeline = store.get_meta("pipeline_version") == PIPELINE_VERSION and same_cleaning
    if not same_cleaning:
        with store.transaction() as cur:
            store.set_meta(cur, "clean_settings", cleaning)

    def flush() -> None:
        size = _chunk_size(len(window), runner, settings)
        chunks = [window[i:i + size] for i in range(0, len(window), size)]
        step = functools.partial(clean_many, settings=settings)
        for chunk, found in zip(chunks, runner.map(step, chunks)):
            for item, result in zip(chunk, found):
                with store.transaction() as cur:
                    if isinstance(result, str):
                        summary.errors.append((item.origin, result))
                        progress.error(item.origin, result)
                        store.add_input(cur, item.origin, item.source_path, item.content_hash,
                                        None, "error", result)
                        continue
                    article, signature = result
                    held_by = store.origin_of(article.id)
                    if held_by is not None and held_by != article.origin:
                        # The same bytes under the same file name in another folder: a copy
                        # with an origin of its own, kept beside the first (dedup groups them).
                        article = dataclasses.replace(
                            article, id=stable_id("a", article.content_hash, article.origin))
                    store.add_article(cur, article, signature)
                    store.add_input(cur, item.origin, item.source_path, item.content_hash,
                                    article.id, "ok")
                new_ids.append(article.id)
        window.clear()
        seen.clear()

    for item in read_paths(paths):
        summary.inputs += 1
        progress.advance("read")
        if isinstance(item, ReadError):
            summary.errors.append((item.origin, item.reason))
            progress.error(item.origin, item.reason)
            continue
        key = (item.origin, item.content_hash)
        known = store.input_status(item.origin, item.content_hash)
        if known is not None and known[0] == "error" and same_pipeline:
            reason = known[1] or "could not be cleaned"
            summary.errors.append((item.origin, reason))
            progress.error(item.origin, reason)
            continue
        if key in seen or (known is not None and known[0] == "ok"):
            summary.unchanged += 1
            continue
        seen.add(key)
        window.append(item)
        if len(window) >= READ_WINDOW:
            flush()
    if window:
        flush()


def _spread(items: list, weights: Sequence[float], runner: Runner) -> list[list]:
    """``items`` in about four tasks per worker of near-equal total weight (the heaviest
    first, each to the lightest task so far), so no worker is left with the big ones at the
    end; one task for a single worker."""
    if runner.workers <= 1 or len(items) <= 1:
        return [items] if items else []
    n = min(len(items), 4 * runner.workers)
    tasks: list[list] = [[] for _ in range(n)]
    load = [0.0] * n
    for i in sorted(range(len(items)), key=lambda i: (-weights[i], i)):
        lightest = min(range(n), key=lambda k: (load[k], k))
        tasks[lightest].append(items[i])
        load[lightest] += weights[i]
    return tasks


def _chunk_size(n: int, runner: Runner, settings: Settings) -> int:
    """Items per runner task: the batch size, smaller when a few tasks would leave workers
    idle at the end (four tasks per worker at least)."""
    return max(1, min(settings.build.batch_size, -(-n // (4 * runner.workers))))


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
    # Articles travel to the runner in chunks: one ``nlp.pipe`` batch, one worker task and one
    # transaction each, so parsing on the workers overlaps writing here.
    size = _chunk_size(len(todo), runner, settings)
    chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
    step = functools.partial(analyse_many, settings=settings)
    for chunk, found in zip(chunks, runner.map(step, chunks)):
        with store.transaction() as cur:
            for article, ann in zip(chunk, found):
                store.put_annotations(cur, ann, article.published.value)
                annotations[article.id] = ann
        progress.advance("annotate", len(chunk))


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
                   runner: Runner, settings: Settings, progress: Progress,
                   timed: Timings | None = None) -> None:
    """The whole-corpus steps over every stored article; replaces the store's corpus results.
    ``timed`` collects the seconds of each step."""
    from storyline import dedup
    from storyline.resolve import brief, entities, figures, pubdates, quotes, stories, timeline

    timed = timed if timed is not None else Timings()
    clock = time.perf_counter()
    canonical = sorted((a for a in articles.values() if a.duplicate_of is None),
                       key=lambda a: a.id)
    contexts = {a.id: a.text for a in canonical}

    def mentions() -> list:
        return [m for a in canonical for m in annotations[a.id].mentions]

    # Stories and dates depend on each other: an undated article takes its date from its story
    # (seed 003 says only "on Monday"), and a dated article clusters better. So: cluster, date
    # what the stories can date, redo what was anchored on those dates, and cluster again.
    with timed("entities"):
        entity_list = entities.resolve(mentions(), contexts)
    timex_cache: pubdates.TimexCache = {}
    for _round in range(3):
        with timed("stories"):
            story_docs = stories.story_docs(canonical, annotations, entity_list)
            story_list = stories.cluster(story_docs, settings.stories)
        with timed("dates from stories"):
            dated = pubdates.date_from_stories(story_list, articles, annotations, timex_cache)
        if not dated:
            break
        dedup.apply_groups(articles, groups)  # copies of a newly dated article follow it
        with timed("annotate (re-dated)"):
            _annotate_missing(store, articles, annotations, runner, settings, progress)
        with timed("entities"):
            entity_list = entities.resolve(mentions(), contexts)
    with timed("threads"):
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

    # The briefs go to the runner first, so that its workers write them while this process
    # does quotes, timeline and figures, which neither read nor change what a brief uses.
    # Threads are summarised apart from each other, so they spread over the workers.
    with timed("brief"):
        jobs = brief.thread_jobs(story_list, articles, annotations)
        weights = [sum(len(sentences) ** 2 for _, sentences, _ in job) for job in jobs]
        step = functools.partial(brief.brief_threads, settings=settings.brief)
        briefs = runner.map(step, _spread(jobs, weights, runner))

    with timed("quotes"):
        quote_mentions = [q for a in canonical for q in annotations[a.id].quotes]
        quotes.link_speakers(quote_mentions,
                             {a.id: annotations[a.id].mentions for a in canonical}, entity_list)
        quote_list = quotes.merge_quotes(quote_mentions)

    with timed("timeline"):
        event_mentions = [e for a in canonical for e in annotations[a.id].events]
        story_dates: dict[str, str] = {}
        for a in canonical:
            sid, day = story_of.get(a.id), a.published.value
            if sid and day and day > story_dates.get(sid, ""):
                story_dates[sid] = day
        timeline_entries = timeline.build_timeline(event_mentions, entity_of, story_of,
                                                   story_dates)

    with timed("figures"):
        figure_mentions = [f for a in canonical for f in annotations[a.id].figures]
        figure_list = figures.compare_figures(figure_mentions, story_of)

    with timed("brief"):
        for found in briefs:
            brief.apply_briefs(story_list, found)

    with timed("write corpus"):
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
    timed["corpus steps"] = time.perf_counter() - clock - timed.get("annotate (re-dated)", 0.0)
