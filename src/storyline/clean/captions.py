"""Captions, credits and page widgets inside scraped text.

Scrapers keep what sat around the article: photo captions and credits ("Image copyright AFP
Image caption …", "FILE - In this Feb. 11, 2007, file photo …", "… Photograph: Brook
Lapping/BBC"), gallery counters ("1 of 12."), video players ("Media playback is unsupported on
your device"), related-story links ("READ: …", "More: …", "… | Timothy Snyder Read more"), and
sign-up, sharing and reader-call boxes. A line that is one of these is chrome whatever its
length; a credit glued to the end of a sentence is cut from the line (cleaning only removes
text). Each family is a pattern of the wording sites use, not of particular pages.
"""

from __future__ import annotations

import re

# Whole lines: a caption, credit, player, gallery or widget from its first words.
_CAPTION_START = re.compile(
    r"""^(?:
        image\s+(?:copyright|caption|source|credit)\b|
        media\s+(?:caption|playback|requires)\b|
        (?:photo|picture|video|image|graphic)\s*(?:caption|credit)?\s*[:|]|
        photograph\s*:|
        (?:file|handout)\s*(?:photo)?\s*[-–—:]\s|
        (?:gallery|slideshow)\b|view\s+(?:slideshow|gallery|photos)\b|
        \d{1,3}\s+of\s+\d{1,3}\s*[.:)]\s|
        (?-i:CLOSE)\s|
        (?:please\s+)?(?:turn\s+on|enable)\s+javascript\b|
        your\s+browser\s+does\s+not\s+support\b|
        story\s+continued\s+below|
        (?:read|more|related|analysis|opinion|watch|listen|see|also\s+on|recommended)\s*:\s|
        breaking\s+news\s+e-?mails\b|get\s+breaking\s+news\b|
        (?:are\s+you\s+there|were\s+you\s+there|did\s+you\s+witness)\b.{0,80}\b(?:send|share|contact)\b|
        (?:send|share)\s+(?:us\s+)?your\s+(?:images|photos|pictures|videos?|story)\b|
        follow\s+\S+(?:\s+\S+)?\s+on\s+(?:facebook|twitter|instagram|x)\b|
        get\s+(?:the\s+)?.{0,60}\b(?:by\s+e-?mail|newsletter|in\s+your\s+inbox)\b|
        (?:this\s+(?:article|story|content)\s+is\s+)?(?:exclusive|available)\s+(?:to|for)\s+\S+\s+(?:subscribers|members)\b|
        more\s+quote\s+details\b|
        advertisement\b|
        (?:ap|reuters|afp|getty)\s+photo\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# Whole lines from their wording anywhere: a photo described as a photo, a credit in brackets.
_CAPTION_ANYWHERE = re.compile(
    r"""(?:
        \bin\s+this\s+(?:\w+\s+){0,6}?(?:file\s+|handout\s+|undated\s+|courtesy\s+)?
            (?:photo|photograph|picture|image|video\s+grab|frame\s+grab|screen\s*shot)\b|
        \b(?:photo|photograph|picture|image)\s+(?:provided|released|taken|obtained|distributed)\s+by\b|
        \((?:ap|afp|reuters|getty|epa)\s+(?:photo|images?)\b|
        ©\s*[A-Z]|
        \bfree\s+sign\s+up\b|\bnever\s+miss\s+our\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)

# A related-story link: a headline-like line that ends in "Read more" / "Continue reading".
_READ_MORE_END = re.compile(r"(?:\bread\s+(?:more|the\s+full\s+story)|\bcontinue\s+reading)\W*$",
                            re.IGNORECASE)

# A credit glued to the end of a line: "… Photograph: Brook Lapping/BBC", "… Credit Doug
# Mills/The New York Times", "… (AP Photo/Evan Vucci)", "… Photo: Reuters".
_TRAILING_CREDIT = re.compile(
    r"""(?:
        [.!?'"’”)]\s+(?P<word>(?i:photograph|photo|picture|image|credit|illustration)s?)
            \s*(?P<colon>:|\bby\b)?\s*(?P<who>[A-Z][^.!?]{1,80})$|
        \s*\((?:AP|AFP|Reuters|EPA|Getty)\s*(?:Photo|Images?)?\s*/[^)]{1,60}\)\s*$|
        (?P<agency>[.!?'"’”)]\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s*/\s*
            (?:Getty\s+Images|AFP|AP|Reuters|EPA|Bloomberg|NurPhoto|Shutterstock|Alamy|
               SIPA|Zuma|Pool|Xinhua|Anadolu)(?:\s+via\s+Getty\s+Images)?\s*)$
    )""",
    re.VERBOSE,
)
# Without a colon ("… Credit Doug Mills/The New York Times") only a credit-shaped name counts,
# so that a sentence may end "… Credit Suisse fell 3 percent".
_CREDIT_NAME = re.compile(r"/|\b(?:Getty|Images|AP|AFP|Reuters|EPA|Press|Photos?|Studio)\b")
# A caption line that opens with its medium and ends with its credit ("Image The White House's
# spokeswoman … Credit Doug Mills/The New York Times").
_MEDIUM_START = re.compile(r"^(?:Image|Photo|Video|Picture)\s+[A-Z]")


def caption_reason(text: str) -> str | None:
    """Why the whole line is a caption, credit or widget, or None when it may be article text."""
    stripped = text.strip()
    if not stripped:
        return None
    if _CAPTION_START.match(stripped):
        return "caption or widget"
    if _CAPTION_ANYWHERE.search(stripped) and len(stripped) < 500 and \
            len(re.findall(r"[.!?](?:\s|$)", stripped)) <= 2:
        return "photo caption or sign-up box"
    cut = trailing_credit(stripped)
    if cut is not None and (_MEDIUM_START.match(stripped) or len(stripped[:cut]) < 200):
        return "photo caption"  # a sentence that carries a photo credit describes the photo
    if _READ_MORE_END.search(stripped) and len(stripped) < 200:
        return "related-story link"
    return None


def trailing_credit(text: str) -> int | None:
    """Where a photo credit glued to the end of the line starts (its length is kept out of the
    text), or None."""
    found = _TRAILING_CREDIT.search(text.rstrip())
    if not found:
        return None
    if found.group("word") and not found.group("colon") and \
            not _CREDIT_NAME.search(found.group("who")):
        return None
    start = found.start()
    # Keep the sentence's own closing mark: the credit starts after it.
    while start < len(text) and text[start] in ".!?'\"’”)":
        start += 1
    return start
