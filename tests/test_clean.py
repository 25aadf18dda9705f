"""Cleaning: chrome goes, article text stays, offsets map back, metadata comes out of the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import SEEDS
from storyline.clean import CleanError, article_id, clean, clean_text
from storyline.clean.meta import find_dateline
from storyline.eval.clean import prf, title_match
from storyline.model import Document
from storyline.read import read_paths

FIXTURES = Path(__file__).parent / "fixtures" / "read"


@pytest.fixture(scope="module")
def seeds():
    docs = list(read_paths([str(SEEDS)]))
    return {Path(d.origin).name[:3]: (d, clean(d)) for d in docs}


def assert_maps_back(article, body):
    assert sum(n for _, _, n in article.offset_map) == len(article.text)
    for clean_start, orig_start, length in article.offset_map:
        assert (
            article.text[clean_start : clean_start + length]
            == body[orig_start : orig_start + length]
        )


def test_every_seed_cleans_and_maps_back_to_its_original(seeds):
    assert len(seeds) == 5
    for doc, article in seeds.values():
        assert_maps_back(article, doc.body)
        assert article.content_hash == doc.content_hash and article.source_path == doc.origin


def test_seed_002_trailer_chrome_is_removed_and_byline_is_the_author(seeds):
    _, article = seeds["002"]
    for chrome in (
        "Leave a review",
        "Politics",
        "Follow us on social networks",
        "News Line",
        "Alex Raufoglu",
    ):
        assert chrome not in article.text.split("\n")
    assert article.removed == [
        "Leave a review",
        "Politics",
        "Follow us on social networks",
        "News Line",
    ]
    assert article.author == "Alex Raufoglu"
    assert article.text.rstrip().endswith('dialogue can’t be replaced in this process."')


def test_seed_002_dateline_gives_place_date_and_publisher(seeds):
    doc, article = seeds["002"]
    assert article.dateline == "Washington D.C./22.06.23/Turan:"
    assert (article.place, article.publisher) == ("Washington D.C.", "Turan")
    assert (article.published.value, article.published.evidence) == ("2023-06-22", "dateline")
    assert article.text.startswith("Washington is working to schedule")
    # The stripped dateline is still reachable: the first character maps past it.
    assert doc.body[article.original_offset(0) - 33 : article.original_offset(0)].startswith(
        "Washington D.C./22.06.23"
    )


def test_seed_004_latest_news_list_is_removed_and_its_dates_are_not_publication(seeds):
    _, article = seeds["004"]
    assert "Latest news" not in article.text and "2026" not in article.text
    assert "Oreshnik" not in article.text
    assert article.text.rstrip().endswith('dialogue can’t be replaced in this process."')
    assert article.dateline is None
    assert article.published.value is None
    assert "09.Jan.2026" in article.removed and "14 Jan 2026" in article.removed


def test_headline_first_line_becomes_title_and_leaves_the_body(seeds):
    _, a000 = seeds["000"]
    assert a000.title.startswith("Azerbaijani and Armenian foreign ministers agreed to expedite")
    assert a000.text.startswith('"The foreign ministers agreed to expedite their negotiations,"')
    _, a003 = seeds["003"]
    assert a003.title is None  # a first line ending in a full stop is the lead, not a headline
    assert a003.text.startswith("Armenia and Azerbaijan held peace talks on Monday")


def test_no_article_text_is_lost_on_clean_seeds(seeds):
    for key in ("000", "001", "003"):
        doc, article = seeds[key]
        body_lines = [ln.strip() for ln in doc.body.split("\n") if ln.strip()]
        kept = [ln for ln in body_lines if ln != article.title]
        assert article.text.split("\n") == [ln for ln in article.text.split("\n")]  # sanity
        assert [ln for ln in article.text.split("\n") if ln.strip()] == kept
        assert article.removed == []


def test_article_id_depends_on_content_and_place():
    a = Document(origin="x/one.txt", kind="text", body="Same text.")
    b = Document(origin="y/one.txt", kind="text", body="Same text.")
    c = Document(origin="x/two.txt", kind="text", body="Same text.")
    d = Document(origin="x/one.txt", kind="text", body="Other text.")
    assert article_id(a) == article_id(b)  # the folder the corpus lives in does not matter
    assert len({article_id(a), article_id(c), article_id(d)}) == 3


def test_clean_text_removes_share_cookie_newsletter_and_related_chrome():
    article = [
        (
            "The city council voted on Tuesday to expand the bus network, adding four new routes that will "
            "connect the northern suburbs with the hospital and the university by the end of the year."
        ),
        (
            "The mayor said the plan would be paid for by a regional transport grant and that fares would not "
            "rise, although opposition members asked how the routes would be staffed."
        ),
        "Drivers' unions welcomed the vote but warned that recruitment was already behind schedule.",
    ]
    chrome_top = ["Home", "News", "Sport", "Share on Facebook", "Tweet"]
    chrome_end = [
        "Sign up for our newsletter",
        "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
        "Related articles",
        "Council approves budget",
        "12 March 2024",
        "© 2024 City News. All rights reserved.",
    ]
    text = "\n".join(chrome_top + article + chrome_end)
    cleaned, offsets, removed = clean_text(text)
    assert cleaned.split("\n") == article
    assert set(removed) == set(chrome_top + chrome_end)
    for c, o, n in offsets:
        assert cleaned[c : c + n] == text[o : o + n]


def test_short_heading_between_paragraphs_is_kept():
    para = (
        "Researchers measured the water quality in forty lakes over three summers and found that the "
        "amount of algae was closely linked to the temperature of the water in spring."
    )
    text = "\n".join([para, "What the results mean", para.replace("forty", "fifty")])
    cleaned, _, removed = clean_text(text)
    assert "What the results mean" in cleaned.split("\n") and removed == []


@pytest.mark.parametrize(
    "line, place, date, publisher",
    [
        ("MOSCOW, Nov 7 (Reuters) - Russia said on Monday", "MOSCOW", None, "Reuters"),
        ("WASHINGTON (AP) — The talks began", "WASHINGTON", None, "AP"),
        ("Baku, 7 November 2022 (APA) - The foreign minister", "Baku", "2022-11-07", "APA"),
        (
            "Washington D.C./22.06.23/Turan:  Washington is working",
            "Washington D.C.",
            "2023-06-22",
            "Turan",
        ),
        ("KYIV, Ukraine — Officials said", "KYIV, Ukraine", None, None),
    ],
)
def test_dateline_forms(line, place, date, publisher):
    found = find_dateline(line)
    assert found is not None
    _, got_place, got_date, got_publisher, length = found
    assert (got_place, got_date, got_publisher) == (place, date, publisher)
    assert line[length:][0].isalpha()


@pytest.mark.parametrize(
    "line",
    [
        "The Secretary (who spoke in Washington) said talks would go on",
        "Armenia and Azerbaijan held peace talks on Monday, mediated by the United States.",
    ],
)
def test_ordinary_first_lines_are_not_datelines(line):
    assert find_dateline(line) is None


def test_html_document_is_extracted_with_title_date_and_without_chrome():
    doc = next(d for d in read_paths([str(FIXTURES / "article.html")]))
    article = clean(doc)
    assert (
        article.title
        == "Azerbaijan, Armenia To Resume Talks In Washington 'Soon', State Department Says"
    )
    assert article.published.value == "2023-06-22"
    assert article.text.startswith("Washington is working to schedule")
    assert "Follow us on social networks" not in article.text and "Economy" not in article.text


def test_page_without_article_raises_clean_error():
    doc = Document(origin="menu.txt", kind="text", body="Home\nNews\nSport\nContact us\nLog in")
    with pytest.raises(CleanError, match="no article text") as caught:
        clean(doc)
    assert caught.value.origin == "menu.txt"


def test_brief_of_two_short_sentences_is_an_article():
    # No line is long enough to anchor the short ones, yet both are prose.
    body = "Talks resumed in Washington on Monday.\nBoth sides said they were hopeful.\n"
    article = clean(Document(origin="brief.txt", kind="text", body=body))
    assert article.text == body.strip()
    one_line = "Armenia and Azerbaijan met. They agreed to talk again."
    assert clean(Document(origin="flash.txt", kind="text", body=one_line)).text == one_line


def test_page_of_notices_that_end_in_full_stops_is_still_no_article():
    body = ("Subscribe to our newsletter.\nAll rights reserved.\nPrivacy policy.\n"
            "Cookies help us deliver our services.\nPhoto: Reuters.")
    with pytest.raises(CleanError, match="no article text"):
        clean(Document(origin="notices.txt", kind="text", body=body))


def test_scorer_word_f1_and_title_normalisation():
    assert prf("the cat sat", "the cat sat") == (1.0, 1.0, 1.0)
    precision, recall, _ = prf("the cat sat on the mat", "the cat")
    assert (round(precision, 3), recall) == (0.333, 1.0)
    assert title_match("Best Movers in NYC 2025 | Supermove", "Best Movers in NYC 2025")
    assert not title_match("Home", "Best Movers in NYC 2025")


def test_hard_wrapped_paragraphs_are_judged_as_paragraphs():
    para = (
        "Researchers measured the water quality in forty lakes over three summers and found\n"
        "that the amount of algae was closely linked to the temperature of the water in the\n"
        "spring, which suggests that warmer years will bring more frequent blooms to the\n"
        "region and that the lakes need closer monitoring in the coming decade."
    )
    text = (
        "Home | News | Contact\n\n"
        + para
        + "\n\n"
        + para.replace("forty", "fifty")
        + "\n\nShare this article\n"
    )
    cleaned, offsets, removed = clean_text(text)
    assert cleaned == para + "\n\n" + para.replace("forty", "fifty")
    assert removed == ["Home | News | Contact", "Share this article"]
    for c, o, n in offsets:
        assert cleaned[c : c + n] == text[o : o + n]


def test_web_archive_crawl_notice_is_chrome_but_news_about_archives_is_not():
    from storyline.clean import clean_text

    notice = ("Starting in 1996, Alexa Internet has been donating their crawl data to the "
              "Internet Archive. Flowing in every day, these data are added to the Wayback "
              "Machine after an embargo period.")
    news = ("The Internet Archive said on Tuesday that a court ruling would force it to remove "
            "half a million books from its lending library, a blow to the nonprofit group.")
    assert clean_text(notice)[0] == ""
    assert news in clean_text(news + "\n\n" + news.replace("Tuesday", "Monday"))[0]


def test_registration_error_page_and_channel_notices_are_chrome():
    from storyline.clean import clean_text

    notices = [
        "By submitting your registration information, you agree to our Terms of Service and "
        + "Privacy Policy .",
        "Already have an account?",
        "We have sent a confirmation email to {* data_emailAddress *}. Please check your email "
        + "and click on the link to activate your account.",
        "Thank you for registering!",
        "Sorry, the page you requested could not be found.",
        "Subscribe NOW to The Tonight Show Starring Jimmy Fallon: http://bit.ly/1nwT1aN",
        'Watch full episodes of "The Late Show" HERE: http://bit.ly/1Puei40',
        "Join us on Facebook Like us and you'll find top breaking news in your Facebook newsfeed.",
        "Sign up for the Curbed NY newsletter Sign up for our daily email newsletter and get top "
        + "stories and breaking news delivered to your inbox.",
        "Crawl of outlinks from wikipedia.org started March, 2016. These files are currently not "
        + "publicly accessible.",
    ]
    for notice in notices:
        assert clean_text(notice)[0] == "", notice


def test_reporting_on_registrations_errors_and_subscribers_stays():
    from storyline.clean import clean_text

    text = (
        "Voters who missed the registration deadline said the state's website showed an error "
        "page for most of Tuesday, and officials could not say how many were turned away.\n\n"
        "Like many of his neighbours, Hackett said he had subscribed to the county's text alerts "
        "but never received one before the storm reached the coast on Wednesday night.\n\n"
        "Follow-up inspections found 404 homes with damaged roofs, the county said in a "
        "statement, and repairs are expected to take until the end of the month."
    )
    assert clean_text(text)[0] == text
