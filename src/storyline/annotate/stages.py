"""The registered annotators, in run order: one registration per stage.

Each adapter only unpacks the context for its stage's own function, which stays callable on
its own (tests and scorers call ``find_quotes`` and the others directly).
"""

from __future__ import annotations

from storyline.annotate.events import find_events
from storyline.annotate.figures import find_figures
from storyline.annotate.mentions import find_mentions
from storyline.annotate.quotes.find import find_quotes
from storyline.annotate.registry import AnnotationContext, register
from storyline.annotate.timex import find_timexes
from storyline.model import Sentence


@register("sentences", field="sentences")
def sentences(ctx: AnnotationContext) -> list:
    return [Sentence(s.start_char, s.end_char) for s in ctx.doc.sents]


@register("entities", field="mentions")
def mentions(ctx: AnnotationContext) -> list:
    return find_mentions(ctx.article.id, ctx.text, ctx.doc)


# Time expressions need no parse (the parse only sharpens tense), so they run in any language.
@register("timex", field="timexes", english_only=False)
def timexes(ctx: AnnotationContext) -> list:
    return find_timexes(ctx.text, ctx.published, ctx.doc)


@register("quotes", field="quotes", needs=("mentions",))
def quotes(ctx: AnnotationContext) -> list:
    return find_quotes(ctx.article.id, ctx.text, ctx.doc, ctx.found.mentions)


@register("events", field="events", needs=("mentions", "timexes"))
def events(ctx: AnnotationContext) -> list:
    return find_events(ctx.article.id, ctx.text, ctx.doc, ctx.found.mentions,
                       ctx.found.timexes, ctx.published)


@register("figures", field="figures", needs=("timexes",))
def figures(ctx: AnnotationContext) -> list:
    return find_figures(ctx.article.id, ctx.text, ctx.doc, ctx.found.timexes,
                        ctx.settings.figures)
