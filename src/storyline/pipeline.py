"""Runs the stages: read → clean → dedup → annotate (per article) → resolve (corpus) → store.

The build is incremental: an input whose origin and content hash are already stored is not
cleaned or annotated again, and when nothing is new the corpus steps are skipped, so a rebuild
with the same files changes nothing. Per-article work is written one transaction per batch,
so an interrupted build resumes where it stopped without duplicates.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storyline import dedup
from storyline.model import Annotations, Article, Published, Sentence
from storyline.runners import Runner, SerialRunner
from storyline.store import Store

log = logging.getLogger(__name__)

PIPELINE_VERSION = "1"


@dataclass
class BuildOptions:
    dedup_threshold: float = dedup.DEFAULT_THRESHOLD
    batch_size: int = 16
    summary_words: int = 120


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


def _stage(ann: Annotations, name: str, fn: Callable[[], list | None]) -> list:
    """Run one stage; a failure is recorded on the article instead of stopping the build."""
    try:
        return fn() or []
    except Exception as exc:  # one bad article must not stop the corpus
        log.exception("stage %s failed on %s", name, ann.article_id)
        ann.notes.append(f"{name} failed: {type(exc).__name__}: {exc}")
        return []


def annotate(article: Article) -> Annotations:
    """Everything found in one article. Pure: an Article in, plain Annotations out."""
    from storyline import entities, events, figures, nlp, quotes, timex

    ann = Annotations(article.id)
    text = article.text
    published = article.published.value
    ann.language = nlp.detect_language(text)
    if ann.language and ann.language != "en":
        # The English models would invent entities and quotes in other languages.
        ann.notes.append(f"language {ann.language}: English-only steps skipped")
        ann.timexes = _stage(ann, "timex", lambda: timex.find_timexes(text, published, None))
        return ann
    if len(text) > nlp.MAX_CHARS:
        ann.notes.append(
            f"article of {len(text):,} characters: language steps cover the first "
            f"{nlp.MAX_CHARS:,}"
        )
    doc = nlp.parse(text)
    ann.sentences = [Sentence(s.start_char, s.end_char) for s in doc.sents]
    ann.mentions = _stage(ann, "entities",
                          lambda: entities.find_mentions(article.id, text, doc))
    ann.timexes = _stage(ann, "timex", lambda: timex.find_timexes(text, published, doc))
    ann.quotes = _stage(ann, "quotes",
                        lambda: quotes.find_quotes(article.id, text, doc, ann.mentions))
    ann.events = _stage(
        ann, "events",
        lambda: events.find_events(article.id, text, doc, ann.mentions, ann.timexes, published),
    )
    ann.figures = _stage(ann, "figures",
                         lambda: figures.find_figures(article.id, text, doc, ann.timexes))
    return ann


# -- build ------------------------------------------------------------------------------


def build(
    paths: list[str],
    store: Store,
    runner: Runner | None = None,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> BuildSummary:
    from storyline.clean import CleanError, clean
    from storyline.read import ReadError, read_paths

    runner = runner or SerialRunner()
    options = options or BuildOptions()
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
            article = clean(item)
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

    pending = _needs_annotation(store)
    stale = store.get_meta("pipeline_version") != PIPELINE_VERSION
    if not new_ids and not pending and not stale and store.get_meta("corpus_built") == "1":
        _count(store, summary)
        return summary  # nothing new: the store already holds this corpus

    with store.transaction() as cur:
        store.set_meta(cur, "corpus_built", "0")

    # 2. duplicates, so copies can lend dates before the language steps anchor on them.
    articles = {a.id: a for a in store.cleaned_articles()}
    groups = dedup.find_groups(articles.values(), store.signatures(), options.dedup_threshold)
    dedup.apply_groups(articles, groups)

    # 3. per-article annotation of whatever is new or anchored on an outdated date.
    annotations = store.annotations()
    _annotate_missing(store, articles, annotations, runner, options, progress)

    # 4. corpus steps.
    progress.start("resolve", None)
    resolve_corpus(store, articles, annotations, groups, runner, options, progress)
    summary.corpus_rebuilt = True
    _count(store, summary)
    summary.notes = [(aid, note) for aid, ann in sorted(annotations.items())
                     for note in ann.notes]
    return summary


def _needs_annotation(store: Store) -> bool:
    row = store.conn.execute(
        "SELECT count(*) FROM articles a LEFT JOIN annotations n ON n.article_id = a.id "
        "WHERE n.article_id IS NULL").fetchone()
    return row[0] > 0


def _annotate_missing(store, articles, annotations, runner, options, progress) -> None:
    anchored = store.annotated_on()
    todo = [a for a in articles.values()
            if a.id not in annotations or anchored.get(a.id) != a.published.value]
    if not todo:
        return
    todo.sort(key=lambda a: a.id)
    progress.start("annotate", len(todo))
    batch: list[tuple[Article, Annotations]] = []

    def flush():
        with store.transaction() as cur:
            for article, ann in batch:
                store.put_annotations(cur, ann, article.published.value)
        batch.clear()

    for article, ann in zip(todo, runner.map(annotate, todo)):
        annotations[article.id] = ann
        batch.append((article, ann))
        progress.advance("annotate")
        if len(batch) >= options.batch_size:
            flush()
    if batch:
        flush()


def _count(store: Store, summary: BuildSummary) -> None:
    summary.articles = store.count("articles")
    summary.duplicate_groups = store.count("duplicate_groups")
    summary.stories = store.count("stories")
    summary.threads = store.conn.execute(
        "SELECT count(DISTINCT coalesce(thread_id, id)) FROM stories").fetchone()[0]
    summary.entities = store.count("entities")
    summary.quotes = store.count("quotes")
    summary.timeline = store.count("timeline")
    summary.figures = store.count("figures")


# -- corpus steps -----------------------------------------------------------------------


def resolve_corpus(store, articles, annotations, groups, runner, options, progress):
    from storyline import brief, entities, events, figures, quotes, stories, timex

    canonical = sorted((a for a in articles.values() if a.duplicate_of is None),
                       key=lambda a: a.id)
    contexts = {a.id: a.text for a in canonical}

    # Stories and dates depend on each other: an undated article takes its date from its story
    # (seed 003 says only "on Monday"), and a dated article clusters better. So: cluster, date
    # what the stories can date, redo what was anchored on those dates, and cluster again.
    entity_list = entities.resolve(_mentions(canonical, annotations), contexts)
    for _round in range(3):
        story_docs = _story_docs(canonical, annotations, entity_list, stories)
        story_list = stories.cluster(story_docs)
        if not _infer_dates(story_list, articles, annotations, timex):
            break
        dedup.apply_groups(articles, groups)  # copies of a newly dated article follow it
        _annotate_missing(store, articles, annotations, runner, options, progress)
        entity_list = entities.resolve(_mentions(canonical, annotations), contexts)
    threads = stories.link_threads(story_list, story_docs)
    for story in story_list:
        story.thread_id = threads.get(story.id, story.thread_id)

    # A story lists every copy of its articles; analysis below uses the canonical ones.
    copies: dict[str, list[str]] = defaultdict(list)
    for a in articles.values():
        if a.duplicate_of:
            copies[a.duplicate_of].append(a.id)
    for story in story_list:
        story.article_ids = story.article_ids + sorted(
            c for aid in story.article_ids for c in copies.get(aid, []))

    docs_by_id = {d.article_id: d for d in story_docs}
    for story in story_list:
        members = [docs_by_id[a] for a in story.article_ids if a in docs_by_id]
        dates = sorted(d.published for d in members if d.published)
        story.start, story.end = (dates[0], dates[-1]) if dates else (None, None)
        story.title = stories.story_title(story, members)

    entity_of = {(m.article_id, m.start, m.end): m.entity_id
                 for e in entity_list for m in e.mentions}
    story_of = {a: s.id for s in story_list for a in s.article_ids}

    # Quotes: the speaker's entity comes from the mention the speaker resolved to, and its
    # canonical name replaces surface forms ("Price", "he") so one speaker reads one way.
    # A nationality only describes an unnamed speaker ("An American official, speaking on
    # condition of anonymity"): it is not who spoke, so such a speaker keeps its description.
    speakers = {e.id: e.name for e in entity_list if e.type != "NORP"}
    quote_mentions = []
    for a in canonical:
        for q in annotations[a.id].quotes:
            entity_id = _speaker_entity(q, annotations[a.id].mentions, entity_of)
            q.speaker.entity_id = entity_id if entity_id in speakers else None
            if q.speaker.entity_id:
                q.speaker.name = speakers[q.speaker.entity_id]
            quote_mentions.append(q)
    quote_list = quotes.merge_quotes(quote_mentions)

    event_mentions = [e for a in canonical for e in annotations[a.id].events]
    timeline = events.build_timeline(event_mentions, entity_of, story_of)

    figure_mentions = [f for a in canonical for f in annotations[a.id].figures]
    figure_list = figures.compare_figures(figure_mentions, story_of)

    _summarize(story_list, articles, annotations, options, brief)

    store.replace_corpus(
        articles=articles.values(),
        duplicate_groups=groups,
        entities=entity_list,
        quotes=quote_list,
        stories=story_list,
        timeline=timeline,
        figures=figure_list,
        meta={"corpus_built": "1", "pipeline_version": PIPELINE_VERSION,
              "articles": json.dumps(len(articles))},
    )


def _mentions(canonical, annotations) -> list:
    return [m for a in canonical for m in annotations[a.id].mentions]


def _story_docs(canonical, annotations, entity_list, stories) -> list:
    from storyline.timex import mentioned_days

    names_in = _entity_names_by_article(entity_list)
    docs = []
    for a in canonical:
        days = mentioned_days(annotations[a.id].timexes)
        docs.append(stories.StoryDoc(article_id=a.id, title=a.title, text=a.text,
                                     published=a.published.value,
                                     entities=names_in.get(a.id, []), lemmas=None, dates=days))
    return docs


def _entity_names_by_article(entity_list) -> dict[str, list[str]]:
    names: dict[str, list[str]] = defaultdict(list)
    for e in entity_list:
        for m in e.mentions:
            if e.name not in names[m.article_id]:
                names[m.article_id].append(e.name)
    return names


def _speaker_entity(q, mentions, entity_of) -> str | None:
    target = q.speaker_mention
    if target:
        found = entity_of.get((q.article_id, target[0], target[1]))
        if found:
            return found
    s = q.speaker
    if s.start is None or s.end is None:
        return None
    for m in mentions:
        if m.start < s.end and s.start < m.end:
            return entity_of.get((m.article_id, m.start, m.end))
    return None


def _infer_dates(story_list, articles, annotations, timex) -> bool:
    """Date undated articles from their story (seed 003: "on Monday" of the Nov 7 meeting)."""
    changed = False
    for story in story_list:
        members = [articles[a] for a in story.article_ids if a in articles]
        if all(m.published.value for m in members):
            continue
        rows = []
        for m in members:
            undated = _stage(annotations[m.id], "timex",
                             lambda m=m: timex.find_timexes(m.text, None, None))
            rows.append({"article_id": m.id, "text": m.text, "title": m.title,
                         "published": m.published.value, "timexes": undated})
        try:
            found = timex.infer_publication_dates(rows)
        except Exception:  # inference is best effort; the date stays unknown
            log.exception("date inference failed for story %s", story.id)
            continue
        for article_id, published in found.items():
            article = articles.get(article_id)
            if article and not article.published.value and published and published.value:
                article.published = Published(published.value, published.evidence or "story")
                changed = True
    return changed


def _summarize(story_list, articles, annotations, options, brief) -> None:
    by_thread: dict[str, list] = defaultdict(list)
    for story in sorted(story_list, key=lambda s: (s.start or "", s.id)):
        sentences = []
        outlets = {}
        for aid in story.article_ids:
            article = articles[aid]
            if article.duplicate_of:
                continue  # a copy would only repeat its canonical article's sentences
            outlets[aid] = article.publisher or Path(article.origin).name
            for s in annotations[aid].sentences:
                sentences.append((aid, s.start, s.end, article.text[s.start:s.end]))
        try:
            story.summary = brief.summarize(story.id, sentences, options.summary_words, outlets)
            earlier = [x for st in by_thread[story.thread_id or story.id] for x in st]
            story.what_is_new = brief.what_is_new(sentences, earlier) if earlier else None
        except Exception:  # a story without summary is still a story
            log.exception("summary failed for story %s", story.id)
            story.summary = []
        by_thread[story.thread_id or story.id].append(sentences)

