"""The annotator registry: each per-article stage registered by name with what it needs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from storyline.model import Annotations, Article
from storyline.settings import Settings


@dataclass
class AnnotationContext:
    """What an annotator may read: the article, its parse, settings, and earlier results."""

    article: Article
    doc: Any  # spacy.tokens.Doc, or None when the English steps are skipped
    settings: Settings
    found: Annotations

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def published(self) -> str | None:
        return self.article.published.value


@dataclass(frozen=True)
class Annotator:
    name: str  # names the stage in notes ("quotes failed: …") and in the registry
    field: str  # the Annotations field it fills
    fn: Callable[[AnnotationContext], list]
    needs: tuple[str, ...] = ()  # Annotations fields it reads; their annotators run first
    english_only: bool = True  # skipped (field left empty) for articles in other languages


REGISTRY: dict[str, Annotator] = {}
_FIELDS = frozenset(f for f in Annotations.__dataclass_fields__ if f not in ("article_id",))


def register(name: str, field: str, needs: tuple[str, ...] = (),
             english_only: bool = True) -> Callable[[Callable], Callable]:
    """Register ``fn`` as the annotator ``name`` filling ``field``. Annotators run in the
    order they are registered; one that needs a field no earlier annotator fills is refused."""

    def add(fn: Callable[[AnnotationContext], list]) -> Callable[[AnnotationContext], list]:
        if field not in _FIELDS:
            raise ValueError(f"annotator {name!r}: Annotations has no field {field!r}")
        filled = {a.field for a in REGISTRY.values()}
        missing = [n for n in needs if n not in filled]
        if missing:
            raise ValueError(f"annotator {name!r} needs {missing}, which no earlier annotator fills")
        REGISTRY[name] = Annotator(name, field, fn, tuple(needs), english_only)
        return fn

    return add
