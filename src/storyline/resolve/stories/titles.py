"""Story titles and spans: what each story is called and the days it covers.

A story's title is the headline of its most central titled article; its span runs from its
first to its last member's publication date.
"""

from __future__ import annotations

import re
from collections import defaultdict

from storyline.model import Story
from storyline.resolve.stories.vectors import (
    StoryDoc,
    central_member,
    doc_vectors,
    heuristic_entities,
)
from storyline.settings import StoryConfig
from storyline.timeml import day_number


def members_of(story: Story, docs: list[StoryDoc]) -> list[StoryDoc]:
    by_id = {d.article_id: d for d in docs}
    return [by_id[a] for a in story.article_ids if a in by_id]


# A lead sentence longer than this many words is cut (at a word) to make a title.
_LEAD_WORDS = 30
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s|$)")
_ABBREVIATION = re.compile(
    r"^(?:[A-Z]\.)+[A-Z]?\.?$|^(?:Mr|Mrs|Ms|Dr|Prof|St|Sen|Rep|Gov|Gen|Col|Lt|Jr|Sr|Inc|Corp|Co|"
    r"Ltd|No|vs|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.$")
_LEAD_MIN_WORDS = 4


def headline(doc: StoryDoc) -> str:
    """An article's title, or for an untitled one a short description: its lead sentence,
    cut at a word past ``_LEAD_WORDS`` words."""
    if doc.title and doc.title.strip():
        return " ".join(doc.title.split())
    text = doc.text.strip()
    lead = text
    for end in _SENTENCE_END.finditer(text):
        before = text[: end.end()]
        last = before.split()[-1] if before.split() else ""
        # "The U.S. State Department …", "Mr. Smith …": an abbreviation ends no sentence, and a
        # lead of a word or two ("Short.") is a fragment, not a description.
        if _ABBREVIATION.match(last) or len(before.split()) < _LEAD_MIN_WORDS:
            continue
        lead = before
        break
    words = lead.split()
    if len(words) > _LEAD_WORDS:
        return " ".join(words[:_LEAD_WORDS]) + "…"
    return " ".join(words)


def story_span(members: list[StoryDoc]) -> tuple[str | None, str | None]:
    """The first and last publication day of a story's members (None, None when undated)."""
    dates = sorted(d.published[:10] for d in members if d.published
                   and day_number(d.published) is not None)
    return (dates[0], dates[-1]) if dates else (None, None)


def story_title(story: Story, docs: list[StoryDoc]) -> str:
    """The headline of the story's most central article (closest to the sum of its members'
    vectors; a titled article is preferred), else its opening words. Also sets
    ``story.start``/``story.end`` from the members' publication dates (:func:`story_span`)."""
    members = members_of(story, docs)
    start, end = story_span(members)
    if start:
        story.start, story.end = start, end
    if not members:
        return story.title or ""
    titled = [d for d in members if d.title and d.title.strip()] or members
    if len(titled) == 1:  # most stories: no vectors needed to find the central one
        return headline(titled[0])
    vectors = doc_vectors(titled, StoryConfig(min_df=1))
    return headline(titled[central_member(vectors)])


def main_entities(story: Story, docs: list[StoryDoc], n: int = 5) -> list[str]:
    """The entities named by the most of the story's articles (ties by name)."""
    counts: dict[str, int] = defaultdict(int)
    for d in members_of(story, docs):
        for e in set(d.entities or heuristic_entities(d.text)):
            counts[e] += 1
    return sorted(counts, key=lambda e: (-counts[e], e))[:n]
