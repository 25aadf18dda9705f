"""Captions, credits and widgets in scraped plain text leave the article; its sentences stay."""

from __future__ import annotations

import pytest

from storyline.clean import CleanError, clean, clean_text
from storyline.clean.captions import caption_reason, trailing_credit
from storyline.model import Document

# Lines as scrapers keep them (from Multi-News sources: BBC, AP, Reuters, Politico, NBC, …).
CHROME_LINES = [
    "Image copyright AFP Image caption The man was known to French intelligence services",
    ("Media playback is unsupported on your device Media caption The Thai satellite firm said "
    "the objects were yet to be identified"),
    ("1 of 12. Lieutenant Clayton Hunt pilots a P-8A Poseidon during a mission to assist in "
    "search and rescue operations in this March 24, 2014 handout photo."),
    ("Aurelie Chatelain, in this photograph provided by the Caudry City Hall April 22, 2015, is "
    "seen during a sporting event in Caudry on April 11, 2015."),
    "FILE - In this Feb. 11, 2007, file photo, Stormy Daniels arrives for the Grammy Awards.",
    "Donald Trump before opening the Nasdaq on September 20, 2005. Michael Nagle/Getty Images",
    "More: Dow plunge briefly tops 1500 points as stock rout intensifies",
    "READ: Greg Kelley is released on bond from jail after 3-year legal slog",
    "Hitler’s world may not be so far away | Timothy Snyder Read more",
    "Story Continued Below",
    "Please turn on JavaScript. Media requires JavaScript to play.",
    "Are you there? Send us your images or video.",
    "Follow Ynetnews on Facebook and Twitter",
    "Get The Times of Israel's Daily Edition by email and never miss our top stories Free Sign Up",
    ("Breaking News Emails Get breaking news alerts and special reports. The news and stories "
    "that matter, delivered weekday mornings."),
    "This article is exclusive to STAT+ subscribers",
    "CLOSE The Dow Jones industrial average plunged more than 1,100 points Monday. (Feb. 5) AP",
    "Analysis: Stormy Daniels isn't suing Donald Trump for cash",
]

# Article sentences that share words with those families and must stay.
ARTICLE_LINES = [
    "Close to 300 people were killed in the attack, officials said on Tuesday.",
    "3 of 5 people surveyed said they agreed with the decision to delay the vote.",
    "Shares of Credit Suisse fell. Credit Suisse fell 3 percent in early trading in Zurich.",
    "He said the plan would never miss a deadline, and that the money was already there.",
    "The president said he would read more reports before deciding on the sanctions.",
    "Voters can sign up for the program online until the end of the month, officials said.",
    "The photo agency said it would appeal the ruling, which it called a blow to the press.",
]


@pytest.mark.parametrize("line", CHROME_LINES, ids=lambda s: s[:30])
def test_caption_credit_and_widget_lines_are_chrome(line):
    assert caption_reason(line)


@pytest.mark.parametrize("line", ARTICLE_LINES, ids=lambda s: s[:30])
def test_article_sentences_that_look_alike_are_kept(line):
    assert caption_reason(line) is None
    assert trailing_credit(line) is None


def _article(*middle: str) -> str:
    lead = ("Israel has made public a decades-old handwritten plea for clemency from Nazi war "
            "criminal Adolf Eichmann, dated two days before he was executed.")
    tail = ("President Reuven Rivlin presented the previously unreleased letter at a ceremony "
            "to mark International Holocaust Remembrance Day in Jerusalem on Wednesday.")
    return "\n\n".join([lead, *middle, tail]) + "\n"


def test_captions_anywhere_in_the_text_are_removed_and_the_article_kept():
    kept = ("The letter was signed and dated in Jerusalem on May 29, 1962, two days before "
            "Eichmann was hanged at about midnight on 31 May.")
    text = _article(CHROME_LINES[0], kept,
                    CHROME_LINES[9], CHROME_LINES[7])
    cleaned, _, removed = clean_text(text)
    assert "Image caption" not in cleaned
    assert "Story Continued Below" not in cleaned
    assert "READ:" not in cleaned
    assert kept in cleaned
    assert "Israel has made public" in cleaned and "Remembrance Day" in cleaned
    assert CHROME_LINES[0] in removed


def test_a_credit_glued_to_a_sentence_is_cut_and_offsets_still_point_at_the_source():
    sentence = ("Eichmann claimed he was 'a mere instrument' in Holocaust, appeal reveals. The "
                "Nazi war criminal wrote in a personal petition, now publicly released, that he "
                "was not a responsible leader; the appeal for a pardon from Israel's then "
                "president Yitzhak Ben-Zvi was refused and he was hanged two days later. "
                "Photograph: Brook Lapping/Kessler Prod/BBC")
    text = _article(sentence)
    cleaned, _offsets, _ = clean_text(text)
    assert "Photograph: Brook Lapping" not in cleaned
    kept = "he was hanged two days later."
    at = cleaned.index(kept)
    doc = Document(origin="eichmann.txt", kind="text", body=text)
    article = clean(doc)
    assert article.text == cleaned
    start = article.original_offset(at)
    assert start is not None
    assert text[start:start + len(kept)] == kept


def test_a_caption_first_line_is_never_the_title():
    text = CHROME_LINES[0] + "\n\n" + _article()
    article = clean(Document(origin="c.txt", kind="text", body=text))
    assert article.title is None or "Image caption" not in article.title
    assert "Image copyright" not in article.text


def test_a_document_of_only_captions_and_widgets_is_a_clear_error_without_a_title():
    body = "\n\n".join(CHROME_LINES[:6]) + "\n"
    with pytest.raises(CleanError) as caught:
        clean(Document(origin="gallery.txt", kind="text", body=body))
    assert caught.value.code == "E040"
    assert caught.value.origin == "gallery.txt"
