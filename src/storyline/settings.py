"""Every tunable of a build, with its default, in one object.

``Settings()`` is the build the scorers measured. A user changes any value with a TOML file
(``storyline build --config FILE.toml``, or ``Settings.from_toml``) whose tables are the
sections below::

    [dedup]
    threshold = 0.8

    [stories]
    time_window_days = 14

Unknown tables or keys are an error (a misspelt key would otherwise be ignored silently).
The scorers build their stages from the same object, so a tuned value is measured as it runs.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyline.errors import StorylineError


@dataclass
class DedupSettings:
    """Exact and near-duplicate grouping (MinHash over word shingles)."""

    threshold: float = 0.7  # estimated Jaccard of shingles at which two articles are copies


@dataclass
class CleanSettings:
    """Removing site chrome from plain text (a jusText-style line classifier)."""

    min_article_words: int = 5  # fewer words left after cleaning: the input holds no article
    line_short: int = 70  # characters: shorter lines are "short" (chrome unless near text)
    line_long: int = 200  # characters: longer lines with enough stop words are text
    stopwords_low: float = 0.30  # share of stop words: below it a line is not prose
    stopwords_high: float = 0.32  # share of stop words above which a long line is prose
    max_gap_lines: int = 4  # a run of chrome this long ends the article's main block
    min_block_share: float = 0.2  # blocks with less of the text than this are dropped


@dataclass
class StoryConfig:
    """Story clustering (:mod:`storyline.resolve.stories.cluster`). Defaults were chosen on the even and on the odd half of the
    Multi-News validation clusters separately (``storyline.eval.stories``)."""

    threshold: float = 0.14  # join the best story if its (time-damped) similarity reaches this
    entity_weight: float = 0.15  # share of the similarity that comes from entities
    title_weight: float = 0.2  # share that comes from title tokens (when both have titles)
    time_sigma_days: float = 3.0  # Gaussian decay on the article-story gap (days, not weeks)
    time_window_days: float = 10.0  # stories further apart than this are never candidates
    index_terms: int = 20  # a doc's top-weighted terms used to look up candidate stories
    posting_window: int = 50  # only the latest stories per index term are looked at
    max_candidates: int = 30  # stories scored exactly per article
    max_terms: int = 250  # strongest terms kept per block and doc
    min_df: int = 2  # terms seen in one doc only cannot link docs; dropping them sharpens cosines
    idf_power: float = 2.0  # >1 leans on rarer shared terms (names, places, specifics)
    # Then merge stories this similar (None: single pass only). 0.07 before captions and page
    # widgets were cleaned out of scraped text; 0.08 since (Multi-News BCubed F1 0.932).
    merge_threshold: float | None = 0.08
    hub_weight: float = 0.5  # subtract this times the mean neighbourhood similarity (see hubness)
    hub_neighbours: int = 10
    linkage: str = "mean"  # "mean": average cosine to members; "centroid": cosine to their sum
    # "bm25": term frequency saturates and is normalised by the doc's length (k1 1.2, b 0.75),
    # so a 3,000-word feature and a 100-word brief of one event meet; "log": 1 + log(tf).
    tf_mode: str = "bm25"
    # Mentioned days (StoryDoc.dates), when both sides name some: the content similarity is
    # scaled up to (1 + date_boost) when they name the same day of the year and down to
    # (1 - date_penalty) when none is within a few days (see _day_factor).
    date_boost: float = 0.25
    date_penalty: float = 0.25
    date_sigma_days: float = 2.0
    # Let an undated doc's year-resolved mentioned days stand in for its publication date in
    # the time decay. Off: on Multi-News, whose gold stories mix reports written years apart
    # and background dates, it cost 0.015 BCubed F1; the pipeline dates undated articles from
    # their story instead.
    date_stand_in: bool = False
    # An undated doc is kept out of a dated story that began more than this many days after
    # the latest day the doc mentions with its year (a report of February 2018 is not about a
    # December 2025 story, however alike their vocabulary), and a dated doc out of such an
    # undated story. None: no such guard.
    era_reach_days: float | None = 730.0


@dataclass
class ThreadConfig:
    """Threads: looser links between stories over months."""

    threshold: float = 0.22  # cosine of story profiles (entities + topic terms) to link
    window_days: float = 400.0  # stories further apart are never linked
    entity_weight: float = 0.5
    background: float = 50.0  # pseudo-stories added to the IDF denominator (see _profiles)
    profile_terms: int = 40  # each story profile keeps its top terms (bounds the pair search)


@dataclass
class BriefSettings:
    """The cited extractive brief of each story (see :mod:`storyline.resolve.brief`)."""

    summary_words: int = 120  # length of a story's brief
    centroid_weight: float = 1.0  # how central a sentence is to the story
    position_weight: float = 0.45  # leads first: weight of 1/sqrt(1 + position in article)
    confirm_weight: float = 0.15  # per other outlet that reports the same thing
    mmr_lambda: float = 0.7  # relevance against redundancy when choosing the next sentence
    confirm_similarity: float = 0.5  # cosine at which another outlet's sentence confirms one
    redundant_similarity: float = 0.6  # cosine at which a sentence repeats a chosen one
    min_words: int = 10  # shorter sentences are not candidates (datelines, captions)
    max_words: int = 45  # longer ones are run-ons or lists
    overshoot: float = 1.0  # how far past the word budget the last sentence may reach
    max_sentences: int = 2500  # candidate sentences per story (bounds the similarity matrix)


@dataclass
class FigureSettings:
    """Numeric claims."""

    # Bare numbers below this are not claims ("the two sides", "one of the", list positions)
    # unless they count the killed or injured.
    min_bare_value: int = 10


@dataclass
class BuildSettings:
    """The build itself."""

    batch_size: int = 16  # articles written per transaction


@dataclass
class Settings:
    """All tunables, by stage."""

    dedup: DedupSettings = field(default_factory=DedupSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    stories: StoryConfig = field(default_factory=StoryConfig)
    threads: ThreadConfig = field(default_factory=ThreadConfig)
    brief: BriefSettings = field(default_factory=BriefSettings)
    figures: FigureSettings = field(default_factory=FigureSettings)
    build: BuildSettings = field(default_factory=BuildSettings)

    @classmethod
    def from_dict(cls, data: dict[str, Any], origin: str = "settings") -> Settings:
        """Defaults overridden by ``data`` ({section: {key: value}}); unknown names are errors."""
        settings = cls()
        sections = {f.name for f in dataclasses.fields(cls)}
        for name, values in data.items():
            if name not in sections:
                raise StorylineError("E030", origin=origin, section=name,
                                     known=", ".join(sorted(sections)))
            if not isinstance(values, dict):
                raise StorylineError("E031", origin=origin, section=name)
            section = getattr(settings, name)
            keys = {f.name: f for f in dataclasses.fields(section)}
            for key, value in values.items():
                if key not in keys:
                    raise StorylineError("E032", origin=origin, section=name, key=key,
                                         known=", ".join(sorted(keys)))
                setattr(section, key, _coerce(value, getattr(section, key), origin, name, key))
        return settings

    @classmethod
    def from_toml(cls, path: str | Path) -> Settings:
        """Settings from a TOML file (see the module docstring for its shape)."""
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise StorylineError("E033", origin=str(path), reason=exc.strerror or str(exc)) from exc
        except tomllib.TOMLDecodeError as exc:
            raise StorylineError("E033", origin=str(path), reason=str(exc)) from exc
        return cls.from_dict(data, origin=str(path))

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return dataclasses.asdict(self)


def _coerce(value: Any, default: Any, origin: str, section: str, key: str) -> Any:
    """``value`` as the type of the default it replaces (an int where a float is expected)."""
    if default is None or value is None:
        return value
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        value = float(value) if ok else value
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise StorylineError("E034", origin=origin, section=section, key=key,
                             expected=type(default).__name__, given=repr(value))
    return value
