"""Boilerplate-line classification for already-scraped plain text.

Scraped text has lost its markup, so link density (the best HTML signal) is gone. What is left
is what jusText uses on paragraphs, applied to lines: length, stopword density (article prose is
full of function words, menus and teaser headlines are not), sentence punctuation, known
boilerplate phrase families, date-only lines, and context (a short line between two article
paragraphs is a heading; a headline next to a date is a teaser). Finally the article is taken to
be one contiguous region, so isolated good-looking lines far from it (comments, footers, related
stories with long blurbs) are dropped. We write this ourselves because jusText works on HTML
trees, and nothing maintained classifies plain-text lines.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
from collections import Counter
from dataclasses import dataclass

from storyline.clean.captions import caption_reason
from storyline.settings import CleanSettings

# Line lengths and stop-word shares as in jusText's defaults (short < 70 <= medium < 200 <= long).
_DEFAULTS = CleanSettings()  # the thresholds, defaults in storyline.settings

# Chinese and Japanese are written without spaces between words: each ideograph or kana counts
# as a word, so a paragraph of them is as long in words as it reads, not one "word".
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+", re.UNICODE)
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
_SENTENCE_END = re.compile(r"""[.!?…:;。！？]["'”’»)\]」』]*$""")


def word_count(text: str) -> int:
    """Words in ``text`` (an ideograph or kana is one)."""
    return len(_WORD.findall(text))


def unspaced_script(text: str) -> bool:
    """Whether ``text`` is mostly Chinese or Japanese, which no stop list here covers."""
    sample = text[:5000]
    letters = sum(ch.isalpha() for ch in sample)
    return letters > 0 and len(_UNSPACED_CHAR.findall(sample)) > letters / 3

# Phrase families that mark site chrome when they make up (the start of) a short line.
_CHROME_START = re.compile(
    r"""^(?:
        share(?:\s+(?:this|on|via|the|article|story|post))?|tweet|e-?mail|print|whatsapp|facebook|twitter|
        linkedin|pinterest|reddit|telegram|copy\s+link|
        follow\s+us|follow\s+on|join\s+us|connect\s+with\s+us|find\s+us|like\s+us|
        subscribe|sign\s+up|sign\s+in|sign\s+out|log\s*in|log\s*out|register|create\s+(?:an\s+)?account|
        newsletter|get\s+(?:our|the)\s+newsletter|
        (?:accept|reject|manage)\s+(?:all\s+)?cookies?|cookie|we\s+use\s+cookies|this\s+(?:web)?site\s+uses\s+cookies|
        privacy\s+(?:policy|notice|settings)|terms\s+(?:of|and)|cookie\s+policy|
        all\s+rights\s+reserved|copyright|\(c\)|©|
        read\s+(?:more|next|also|full)|continue\s+reading|see\s+(?:more|also|all)|view\s+(?:more|all|comments)|load\s+more|show\s+more|
        related|more\s+(?:from|on|in|stories|news|articles)|latest(?:\s+(?:news|stories|posts|articles))?|
        most\s+(?:read|popular|viewed|shared)|popular|trending|top\s+stories|editor'?s\s+picks?|recommended|
        you\s+(?:may|might)\s+(?:also\s+)?(?:like|enjoy)|also\s+read|don'?t\s+miss|
        advertisement|advertising|sponsored|promoted|ad\b|ads\b|
        skip\s+to|jump\s+to|back\s+to\s+top|go\s+to|menu|navigation|search|home\b|
        leave\s+a\s+(?:reply|review|comment)|post\s+a\s+comment|add\s+a\s+comment|comments?\b|\d+\s+comments?|reply\b|
        tags?\s*:|topics?\s*:|categories|filed\s+under|posted\s+in|
        loading|previous|next\b|older|newer|page\s+\d|
        click\s+here|download\s+(?:the\s+)?app|listen\s+to|watch\s*:|
        image\s*(?:credit|source)?\s*:|photo\s*:|credit\s*:|getty\s+images|
        about\s+us|contact(?:\s+us)?|careers|faq|help\b|support\s+us|donate|
        news\s*line|news\s+feed|breaking(?:\s+news)?|
        re\s*:|\(score:|by\s.{1,40}\swrites:|posted\s+by|report\s+(?:this|abuse)|(?:up|down)vote
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Teaser and credit prefixes ("Also read: <headline>", "Photo: …") mark chrome up to paragraph length.
_CHROME_PREFIX = re.compile(
    r"^(?:also\s+read|read\s+(?:more|also|next)|related(?:\s+\w+)?|see\s+also|more\s+on\s+this|"
    r"you\s+(?:may|might)\s+also\s+like|recommended(?:\s+\w+)?|photo(?:\s+credit)?|image(?:\s+credit)?|"
    r"credits?|source|advertisement)\s*:",
    re.IGNORECASE,
)

# A cookie or consent notice is chrome whatever its length.
_CONSENT = re.compile(
    r"\bcookies?\b.*\b(?:consent|accept|agree|privacy|experience|continu)", re.IGNORECASE
)

# A web archive's capture notice (scraped from the Wayback Machine instead of the article) is
# chrome whatever its length: it names the archive and talks crawl jargon in the same line.
_ARCHIVE_NOTICE = re.compile(
    r"(?=.*\b(?:internet\s+archive|wayback\s+machine|archive-it|alexa\s+internet)\b|.*\bWARC\b)"
    r"(?=.*\b(?:crawl(?:s|ed|er|ing)?|seed\s*list|web\s+captures?|embargo)\b)"
    # The archive's collection notice names no archive but has its own stock sentence.
    r"|.*\b(?:these\s+files|this\s+data)\s+(?:is|are)\s+currently\s+not\s+publicly\s+accessible\b",
    re.IGNORECASE,
)

# Account, error-page and channel notices are chrome whatever their length: a registration form's
# small print, a "page not found" page scraped in place of the article, a video channel's list of
# "Follow us HERE: <link>" lines, or a social/newsletter prompt.
_SITE_NOTICE = re.compile(
    r"""(?:
        \bby\s+(?:submitting|registering|signing\s+up|creating\s+an\s+account)\b.{0,120}\b(?:terms|privacy)\b|
        ^thank\s+you\s+for\s+(?:registering|signing\s+up|subscribing)\b|
        \bconfirmation\s+e-?mail\b.{0,120}\b(?:activate|confirm|click)\b|
        ^already\s+(?:have\s+an\s+account|a\s+(?:member|subscriber))\b|
        \b(?:page|article|story|content)\s+you\s+(?:requested|are\s+looking\s+for|were\s+looking\s+for)\s+
            (?:could\s+not|cannot|can'?t|was\s+not|wasn'?t|is\s+no\s+longer|does\s+not|doesn'?t)\b|
        ^(?:error\s+)?404\s*[-:|–]?\s*(?:page\s+)?(?:not\s+found|error)\b|^page\s+not\s+found\b|
        \breach\s+a\s+page\s+from\s+a\s+bookmark\b|
        ^(?:subscribe|follow|like|watch|get\s+(?:more|the|new)|for\s+more|join|sign\s+up|click|download)\b
            .{0,200}(?:https?://|www\.|\bbit\.ly/|\bHERE\s*:)|
        ^(?:sign\s+up|join\s+us|like\s+us|follow\s+us|subscribe)\b.{0,200}
            \b(?:newsletter|inbox|news\s?feed|e-?mail|facebook|twitter)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A line made only of dates, times, numbers and separators ("09.Jan.2026", "14 Jan 2026",
# "September 4, 2025 5:50 am", "Updated: 12:30 GMT").
_DATE_TOKEN = re.compile(
    rf"^(?:{_MONTH}|\d{{1,4}}(?:st|nd|rd|th)?|am|pm|[ap]\.m\.|gmt|utc|[a-z]{{2,4}}t|updated|published|posted|on|at|"
    r"mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"ago|hours?|minutes?|mins?|days?|weeks?|yesterday|today|read|min)$",
    re.IGNORECASE,
)


@dataclass
class Line:
    start: int  # offsets of the stripped line in the original text
    end: int
    text: str
    cls: str = ""  # good | neargood | short | bad
    reason: str = ""


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with the offsets of their stripped text. In hard-wrapped text (fixed
    width lines, paragraphs separated by blank lines) a unit is a whole paragraph instead, so
    that a wrapped sentence is judged as the sentence it is, not as a row of fragments."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    if is_hard_wrapped(text, lines):
        return _paragraphs(text, lines)
    return lines


def is_hard_wrapped(text: str, lines: list[Line]) -> bool:
    """Many lines run on into the next one mid-sentence (the next line goes on in lower case)."""
    if len(lines) < 4:
        return False
    run_on = 0
    for line, nxt in itertools.pairwise(lines):
        adjacent = "\n\n" not in text[line.end : nxt.start].replace("\r", "").replace(" ", "")
        if (
            adjacent
            and 40 <= len(line.text) <= 100
            and nxt.text[0].islower()
            and not _SENTENCE_END.search(line.text)
        ):
            run_on += 1
    return run_on >= 0.25 * len(lines)


def _paragraphs(text: str, lines: list[Line]) -> list[Line]:
    """Merge lines not separated by a blank line into one unit spanning them."""
    merged = [lines[0]]
    for line in lines[1:]:
        last = merged[-1]
        if "\n\n" in text[last.end : line.start].replace("\r", "").replace(" ", "").replace(
            "\t", ""
        ):
            merged.append(line)
        else:
            merged[-1] = Line(last.start, line.end, " ".join(text[last.start : line.end].split()))
    return merged


@functools.lru_cache(maxsize=1)
def _stoplists() -> dict[str, frozenset[str]]:
    """jusText's stoplists (installed with trafilatura): language name → stopwords."""
    import justext

    folder = os.path.join(os.path.dirname(justext.__file__), "stoplists")
    lists = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as fh:
                lists[name[:-4]] = frozenset(w.strip().lower() for w in fh if w.strip())
    return lists


@functools.lru_cache(maxsize=1)
def _stop_index() -> tuple[list[frozenset[str]], dict[str, tuple[int, ...]]]:
    """Word → the stoplists that hold it, so choosing a list costs one pass over the text."""
    lists = list(_stoplists().values())
    index: dict[str, list[int]] = {}
    for k, stoplist in enumerate(lists):
        for word in stoplist:
            index.setdefault(word, []).append(k)
    return lists, {w: tuple(ks) for w, ks in index.items()}


def stopwords_for(text: str) -> frozenset[str]:
    """The stoplist that covers most of the text's words: cheap language identification that
    works for every language jusText ships a list for."""
    lists, index = _stop_index()
    hits = [0] * len(lists)
    for word, count in Counter(_WORD.findall(text[:20000].lower())).items():
        for k in index.get(word, ()):
            hits[k] += count
    if not any(hits):
        return _LANGUAGE_FREE if unspaced_script(text) else frozenset()
    return lists[max(range(len(lists)), key=lambda k: (hits[k], -k))]


def is_date_line(text: str) -> bool:
    if len(text) > 60 or not any(ch.isdigit() for ch in text):
        return False
    tokens = re.findall(r"[^\W_]+|[ap]\.m\.", text, re.IGNORECASE)
    if not tokens or len(tokens) > 8:
        return False
    return all(_DATE_TOKEN.match(t) for t in tokens)


def is_chrome_phrase(text: str, settings: CleanSettings = _DEFAULTS) -> bool:
    """A known boilerplate phrase family at the start of a short line, or a consent notice."""
    if _CONSENT.search(text) and len(text) < 600:
        return True
    if _ARCHIVE_NOTICE.match(text) and len(text) < 1500:
        return True
    if _SITE_NOTICE.search(text) and len(text) < 400:
        return True
    if len(text) < settings.line_long and _CHROME_PREFIX.match(text):
        return True
    return len(text) < settings.line_short and bool(_CHROME_START.match(text.lstrip("#>*•·-–—|[( ")))


# jusText's language-independent mode for scripts no stop list covers: every line counts as
# dense in function words, so line length and context alone decide (the marker is not a word).
_LANGUAGE_FREE = frozenset({"\x00language-free"})


def stop_density(text: str, stoplist: frozenset[str]) -> float:
    if stoplist is _LANGUAGE_FREE:
        return 1.0
    words = _WORD.findall(text.lower())
    if not words:
        return 0.0
    return sum(1 for w in words if w in stoplist) / len(words)


def initial_class(line: Line, stoplist: frozenset[str],
                  settings: CleanSettings = _DEFAULTS) -> str:
    """jusText's context-free classification, plus chrome phrases and date-only lines."""
    text = line.text
    if is_chrome_phrase(text, settings):
        line.reason = "chrome phrase"
        return "bad"
    caption = caption_reason(text)
    if caption:
        line.reason = caption
        return "bad"
    if is_date_line(text):
        line.reason = "date only"
        return "bad"
    words = _WORD.findall(text)
    if not words or not any(ch.isalpha() for ch in text):
        line.reason = "no words"
        return "bad"
    density = stop_density(text, stoplist)
    size = len(text)
    if stoplist is _LANGUAGE_FREE:
        size += 2 * len(_UNSPACED_CHAR.findall(text))  # an ideograph says what ~3 letters do
    if size < settings.line_short:
        # A short but complete sentence ("He says he's the slacker of nine siblings.") is prose
        # when prose is next to it; a short fragment is whatever surrounds it.
        if len(words) >= 9 and density >= settings.stopwords_low and re.search(r"[.!?][\"'”’»)]*$", text):
            return "neargood"
        return "short"
    if density >= settings.stopwords_high and (size >= settings.line_long or _SENTENCE_END.search(text)):
        return "good"
    if density >= settings.stopwords_low:
        return "neargood"
    # Reporting full of names (ministers, places) has few function words but is still prose.
    if density >= 0.15 and _SENTENCE_END.search(text) and len(words) >= 12:
        return "neargood"
    line.reason = "few stopwords"
    return "bad"


def _neighbours(classes: list[str], ignore_neargood: bool) -> tuple[list[str], list[str]]:
    """For each line, the class of the nearest decisive line before and after it ("bad" at the
    edges of the text). Short lines (and near-good ones when ignored) are not decisive."""

    def decisive(c: str) -> bool:
        return c in ("good", "bad") or (c == "neargood" and not ignore_neargood)

    n = len(classes)
    before, after = ["bad"] * n, ["bad"] * n
    last = "bad"
    for i in range(n):
        before[i] = last
        if decisive(classes[i]):
            last = classes[i]
    last = "bad"
    for i in range(n - 1, -1, -1):
        after[i] = last
        if decisive(classes[i]):
            last = classes[i]
    return before, after


def classify(lines: list[Line], stoplist: frozenset[str],
             settings: CleanSettings = _DEFAULTS) -> list[str]:
    """Final good/bad class per line (jusText's context-sensitive pass, then teaser lists and
    the one-contiguous-article rule)."""
    classes = [initial_class(line, stoplist, settings) for line in lines]

    # A headline-like line next to a date-only line is an item of a teaser list.
    for i, line in enumerate(lines):
        if classes[i] in ("short", "neargood") and not _SENTENCE_END.search(line.text):
            near = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
            if any(is_date_line(n.text) for n in near):
                classes[i] = "bad"
                line.reason = "teaser next to a date"

    # Short lines take their class from their context.
    resolved = list(classes)
    prev_strict, next_strict = _neighbours(classes, True)
    prev_loose, next_loose = _neighbours(classes, False)
    for i, c in enumerate(classes):
        if c != "short":
            continue
        prev, nxt = prev_strict[i], next_strict[i]
        if prev == "good" and nxt == "good":
            resolved[i] = "good"
        elif prev == "bad" and nxt == "bad":
            resolved[i] = "bad"
        elif (prev == "bad" and prev_loose[i] == "neargood") or (
            nxt == "bad" and next_loose[i] == "neargood"
        ):
            resolved[i] = "good"
        else:
            resolved[i] = "bad"
    # Near-good lines are kept when a good line is close by.
    final = list(resolved)
    before, after = _neighbours(resolved, True)
    for i, c in enumerate(resolved):
        if c == "neargood":
            final[i] = "bad" if (before[i], after[i]) == ("bad", "bad") else "good"
    return main_blocks(lines, final, settings.max_gap_lines, settings.min_block_share)


def short_text(lines: list[Line], stoplist: frozenset[str],
               settings: CleanSettings = _DEFAULTS) -> list[bool]:
    """Which lines to keep when the classifier kept none: a text of a few short sentences (a
    brief, a wire flash) has no long line to anchor its short ones, yet it is prose. The lines
    that end like sentences and are not chrome, captions or dates are kept when together they
    read as prose (function words at jusText's lower threshold); otherwise none."""
    keep = [initial_class(line, stoplist, settings) != "bad"
            and bool(_SENTENCE_END.search(line.text)) for line in lines]
    kept = " ".join(line.text for line, k in zip(lines, keep) if k)
    if not kept or stop_density(kept, stoplist) < settings.stopwords_low:
        return [False] * len(lines)
    return keep


# An article is one stretch of text. Good-looking lines separated from it by at least
# ``max_gap_lines`` chrome lines (a footer, a comment thread, a related-stories rail) belong to
# something else, unless their stretch is itself substantial compared with the main one.


def main_blocks(
    lines: list[Line],
    classes: list[str],
    max_gap: int = _DEFAULTS.max_gap_lines,
    min_share: float = _DEFAULTS.min_block_share,
) -> list[str]:
    """Keep the stretch of good lines with the most words, and any other stretch at least
    ``min_share`` as large; stretches are split where ``max_gap`` or more non-good lines
    run together."""
    good = [i for i, c in enumerate(classes) if c == "good"]
    if not good:
        return classes
    blocks: list[list[int]] = [[good[0]]]
    for i in good[1:]:
        if i - blocks[-1][-1] - 1 >= max_gap:
            blocks.append([i])
        else:
            blocks[-1].append(i)
    sizes = [sum(len(_WORD.findall(lines[i].text)) for i in block) for block in blocks]
    best = max(sizes)
    out = list(classes)
    for block, size in zip(blocks, sizes):
        if size < min_share * best:
            for i in block:
                out[i] = "bad"
                lines[i].reason = "outside the article's stretch"
    return out
