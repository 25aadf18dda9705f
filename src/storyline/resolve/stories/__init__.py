"""Stories: articles grouped into the stories they report, titled, and linked into threads."""

from storyline.resolve.stories.cluster import cluster
from storyline.resolve.stories.threads import link_threads
from storyline.resolve.stories.titles import main_entities, story_span, story_title
from storyline.resolve.stories.vectors import StoryDoc, story_docs
from storyline.settings import StoryConfig, ThreadConfig

__all__ = ["StoryConfig", "StoryDoc", "ThreadConfig", "cluster", "link_threads",
           "main_entities", "story_docs", "story_span", "story_title"]
