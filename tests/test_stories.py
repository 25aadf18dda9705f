"""Story clustering, threads and titles, on the seed articles and Multi-News excerpts."""

from __future__ import annotations

import dataclasses
import datetime
import random

import pytest

from paths import MULTINEWS, SEEDS, SHARED_DATA
from storyline.eval.stories import evaluate, load, prepare, scores
from storyline.eval.story_ceiling import ceiling, decisive_level, reachable_pairs
from storyline.resolve.stories import (
    StoryConfig,
    StoryDoc,
    cluster,
    link_threads,
    main_entities,
    story_title,
)
from storyline.resolve.stories.cluster import day_agreement
from storyline.resolve.stories.vectors import day_vectors, effective_day

# Publication dates as the cleaning stage finds them; 004 is the copy scraped without dateline.
SEED_DATES = {
    "000": "2022-11-08",
    "001": "2022-11-08",
    "002": "2023-06-22",
    "003": "2022-11-07",
    "004": None,
}


def seed_docs() -> list[StoryDoc]:
    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        first = text.split("\n", 1)[0].strip()
        title = first if len(first.split()) <= 15 else None
        docs.append(StoryDoc(path.stem[:3], title, text, SEED_DATES[path.stem[:3]], []))
    return docs


# What the pipeline passes once story-level date inference has run: 001 stays undated but
# names "November 7" and "November 8"; 000 and 003, anchored on their dates, name Nov 7; the
# June report's "Wednesday" is June 21. 004 is 002's copy and is collapsed before clustering.
PIPELINE_DATES = {
    "000": ("2022-11-08", ["2022-10-03", "2022-11-07"]),
    "001": (None, ["XXXX-11-07", "XXXX-11-08"]),
    "002": ("2023-06-22", ["2023-06-21"]),
    "003": ("2022-11-07", ["2022-11-07"]),
}


def pipeline_seed_docs() -> list[StoryDoc]:
    return [
        dataclasses.replace(
            d, published=PIPELINE_DATES[d.article_id][0], dates=PIPELINE_DATES[d.article_id][1]
        )
        for d in seed_docs()
        if d.article_id in PIPELINE_DATES
    ]


def groups(stories) -> set[frozenset[str]]:
    return {frozenset(s.article_ids) for s in stories}


@pytest.fixture(scope="module")
def multinews_docs() -> list[StoryDoc]:
    if not MULTINEWS.exists():
        pytest.skip("Multi-News sample not present")
    docs, _, _, _ = prepare(load(MULTINEWS, limit=30))
    return docs


def test_seeds_form_the_two_stories():
    stories = cluster(seed_docs())
    assert groups(stories) == {frozenset({"000", "001", "003"}), frozenset({"002", "004"})}


def test_seeds_after_dedup_keep_the_june_report_apart():
    docs = [d for d in seed_docs() if d.article_id != "004"]
    assert groups(cluster(docs)) == {frozenset({"000", "001", "003"}), frozenset({"002"})}


def test_undated_seeds_cluster_on_content_alone():
    docs = [dataclasses.replace(d, published=None) for d in seed_docs()]
    assert groups(cluster(docs)) == {frozenset({"000", "001", "003"}), frozenset({"002", "004"})}


def test_seed_stories_link_into_one_thread():
    docs = seed_docs()
    stories = cluster(docs)
    threads = link_threads(stories, docs)
    assert set(threads) == {s.id for s in stories}
    assert len(set(threads.values())) == 1
    assert all(s.thread_id == threads[s.id] for s in stories)


def test_unrelated_story_stays_out_of_the_seed_thread(multinews_docs):
    docs = seed_docs() + multinews_docs[:12]
    stories = cluster(docs)
    threads = link_threads(stories, docs)
    seed_story_ids = {s.id for s in stories if set(s.article_ids) & set(SEED_DATES)}
    seed_threads = {threads[i] for i in seed_story_ids}
    assert len(seed_threads) == 1
    others = [s for s in stories if s.id not in seed_story_ids]
    assert others and all(threads[s.id] not in seed_threads for s in others)


def test_story_ids_titles_and_spans():
    stories = cluster(seed_docs())
    november = next(s for s in stories if "000" in s.article_ids)
    assert (november.start, november.end) == ("2022-11-07", "2022-11-08")
    # 001 is the only titled article of the November story.
    assert november.title == "Direct Dialogue Between Armenia, Azerbaijan 'Key' To Peace, U.S. Says"
    again = cluster(list(reversed(seed_docs())))
    assert [s.id for s in again] == [s.id for s in stories]


def test_story_title_sets_the_time_span():
    docs = seed_docs()
    story = next(s for s in cluster(docs) if "002" in s.article_ids)
    story.start = story.end = None
    assert story_title(story, docs).startswith("Azerbaijan, Armenia To Resume Talks In Washington")
    assert (story.start, story.end) == ("2023-06-22", "2023-06-22")


def test_any_order_or_batch_split_gives_the_same_grouping(multinews_docs):
    docs = multinews_docs + seed_docs()
    reference = cluster(docs)
    rng = random.Random(7)
    for _ in range(3):
        shuffled = docs[:]
        rng.shuffle(shuffled)
        cut = rng.randrange(1, len(docs))
        # A store built in two batches holds the second batch after the first.
        rebuilt = cluster(shuffled[cut:] + shuffled[:cut])
        assert [(s.id, s.article_ids) for s in rebuilt] == [
            (s.id, s.article_ids) for s in reference
        ]


def test_multinews_excerpt_is_mostly_grouped_right():
    if not MULTINEWS.exists():
        pytest.skip("Multi-News sample not present")
    docs, gold, _, _ = prepare(load(MULTINEWS, limit=30))
    label = {a: i for i, s in enumerate(cluster(docs)) for a in s.article_ids}
    result = scores([label[d.article_id] for d in docs], gold)
    assert result["bcubed_f1"] >= 0.85


def test_same_report_months_apart_starts_a_new_story():
    doc = seed_docs()[0]
    later = dataclasses.replace(doc, article_id="later", published="2023-01-20")
    assert groups(cluster([doc, later])) == {frozenset({doc.article_id}), frozenset({"later"})}


def test_identical_articles_share_a_story():
    doc = seed_docs()[3]
    copy = dataclasses.replace(doc, article_id="copy")
    assert groups(cluster([doc, copy])) == {frozenset({doc.article_id, "copy"})}


@pytest.mark.parametrize(
    "texts",
    [
        ["", "   ", "\n"],
        ["Armenia.", "Stocks fell on Monday.", "The match ended in a draw."],
        ["Weather: sunny."],
    ],
)
def test_empty_and_one_line_articles_are_not_forced_together(texts):
    docs = [StoryDoc(f"a{i}", None, t, None, []) for i, t in enumerate(texts)]
    stories = cluster(docs)
    assert sorted(a for s in stories for a in s.article_ids) == sorted(d.article_id for d in docs)
    assert all(len(s.article_ids) == 1 for s in stories)
    assert len(set(link_threads(stories, docs).values())) == len(stories)


def test_single_article_is_a_story_of_one():
    doc = seed_docs()[1]
    (story,) = cluster([doc])
    assert story.article_ids == [doc.article_id] and story.title == doc.title
    assert cluster([]) == []


def test_scores_match_hand_computed_values():
    # Gold {0,1,2},{3}; predicted {0,1},{2,3}.
    result = scores([0, 0, 1, 1], [0, 0, 0, 1])
    assert result["pairwise_precision"] == pytest.approx(1 / 2)
    assert result["pairwise_recall"] == pytest.approx(1 / 3)
    assert result["bcubed_precision"] == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert result["bcubed_recall"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)


def test_scorer_reports_the_contract_keys():
    if not MULTINEWS.exists():
        pytest.skip("Multi-News sample not present")
    result = evaluate(MULTINEWS, limit=15)
    for key in (
        "bcubed_precision",
        "bcubed_recall",
        "bcubed_f1",
        "pairwise_f1",
        "predicted_clusters",
        "gold_clusters",
        "left_out",
        "docs_per_second",
        "pairwise_f1_ceiling",
    ):
        assert key in result
    assert result["gold_clusters"] <= 15 and result["predicted_clusters"] >= 1


def test_ceiling_counts_gold_pairs_the_text_cannot_link():
    # Gold story 0 holds two reports of the Washington talks and an unrelated round-up item
    # that shares no words with them; story 1 is the Cannes report twice over.
    talks = "Armenian and Azerbaijani foreign ministers Mirzoyan and Bayramov met in Washington"
    docs = [
        StoryDoc("a", None, talks + " for peace talks hosted by Blinken."),
        StoryDoc("b", None, talks + " with Blinken to discuss a peace treaty."),
        StoryDoc("c", None, "Google unveiled its yearly pranks with fake gadgets and jokes."),
        StoryDoc("d", None, "A prankster dove under the dress of America Ferrera at Cannes."),
        StoryDoc("e", None, "At Cannes a prankster dove under America Ferrera's dress."),
    ]
    result = ceiling(docs, [0, 0, 0, 1, 1], StoryConfig(min_df=1))
    # Gold pairs: ab, ac, bc, de; only ab and de can be linked.
    assert result["pairwise_recall_ceiling"] == pytest.approx(2 / 4)
    assert result["pairwise_f1_ceiling"] == pytest.approx(2 * 0.5 / 1.5, abs=1e-4)


def test_decisive_level_stops_where_pairs_turn_mostly_unrelated():
    import numpy as np

    sims = np.array([0.9, 0.62, 0.61, 0.42, 0.41, 0.40, 0.1])
    same = np.array([True, True, False, True, False, False, True])
    # Bands are 0.05 wide: down to 0.58 each holds the same-story 0.62 pair (with at most the
    # unrelated 0.61 one, half: still decisive); the band from 0.57 holds only 0.61: stop.
    assert decisive_level(sims, same) == pytest.approx(0.58, abs=0.011)
    chain = np.array([[1, 0.5, 0.0], [0.5, 1, 0.5], [0.0, 0.5, 1]])
    assert reachable_pairs(chain, [0, 0, 0], 0.5) == (3, 3)  # a-c linked through b
    assert reachable_pairs(chain, [0, 0, 0], 0.6) == (0, 3)


def test_config_threshold_controls_merging():
    docs = seed_docs()
    strict = cluster(docs, StoryConfig(threshold=0.99, merge_threshold=None))
    assert len(strict) > len(cluster(docs))


def test_main_entities_name_the_parties():
    docs = seed_docs()
    story = next(s for s in cluster(docs) if "000" in s.article_ids)
    assert {"armenia", "azerbaijan"} <= set(main_entities(story, docs))


def test_undated_report_joins_the_story_of_the_days_it_names():
    # On text alone 001 is nearer the June report (both quote the State Department); the
    # November days it names match the November story's.
    stories = cluster(pipeline_seed_docs())
    assert groups(stories) == {frozenset({"000", "001", "003"}), frozenset({"002"})}
    assert len(set(link_threads(stories, pipeline_seed_docs()).values())) == 1


def test_without_mentioned_days_the_undated_report_follows_its_text():
    docs = [dataclasses.replace(d, dates=[]) for d in pipeline_seed_docs()]
    assert frozenset({"000", "001", "003"}) not in groups(cluster(docs))


def test_mentioned_days_grouping_is_order_independent():
    docs = pipeline_seed_docs()
    reference = [(s.id, s.article_ids) for s in cluster(docs)]
    for order in (list(reversed(docs)), docs[2:] + docs[:2]):
        assert [(s.id, s.article_ids) for s in cluster(order)] == reference


def test_a_shared_day_alone_does_not_join_unrelated_articles():
    docs = [
        StoryDoc(
            "a",
            None,
            "Stocks fell on Monday as oil prices rose in Asian trading.",
            None,
            [],
            dates=["2022-11-07"],
        ),
        StoryDoc(
            "b",
            None,
            "The match ended in a draw after a late penalty in Madrid.",
            None,
            [],
            dates=["XXXX-11-07"],
        ),
    ]
    assert groups(cluster(docs)) == {frozenset({"a"}), frozenset({"b"})}


def test_day_agreement_matches_month_and_day_across_unknown_years():
    (nov7, nov7_undated, nov9, dec31, jan1, june) = day_vectors(
        [
            StoryDoc(str(i), None, "", dates=[v])
            for i, v in enumerate(
                ["2022-11-07", "XXXX-11-07", "2022-11-09", "2022-12-31", "2023-01-01", "2023-06-21"]
            )
        ]
    )
    assert day_agreement(nov7, nov7_undated, 2.0) == 1.0
    assert 0.0 < day_agreement(nov7, nov9, 2.0) < 1.0
    assert day_agreement(dec31, jan1, 2.0) > 0.5  # the year wraps
    assert day_agreement(nov7, june, 2.0) == 0.0
    # Months, weeks and durations are not specific days.
    assert day_vectors([StoryDoc("m", None, "", dates=["2022-09", "XXXX-WXX-1", "P3D", ""])]) == [
        {}
    ]


def test_year_resolved_days_can_stand_in_for_a_missing_date():
    doc = StoryDoc(
        "x", None, "text", None, [], dates=["2022-11-07", "2022-11-08", "XXXX-11-09", "2022-10"]
    )
    assert effective_day(doc) is None
    assert effective_day(doc, stand_in=True) == effective_day(
        dataclasses.replace(doc, published="2022-11-07")
    )
    # A copy of the November report that names only January days is months away with the
    # stand-in, and (undated) joins on content without it.
    report = seed_docs()[0]
    later = dataclasses.replace(report, article_id="later", published=None, dates=["2023-01-20"])
    together = {frozenset({report.article_id, "later"})}
    assert groups(cluster([report, later])) == together
    assert groups(cluster([report, later], StoryConfig(date_stand_in=True))) != together


ACCOUNT_DOCS = SHARED_DATA / "account" / "dev" / "docs"


def _cleaned_docs(paths) -> list[StoryDoc]:
    """StoryDocs the way the Multi-News scorer makes them: cleaned text, timex days, no NLP."""
    from storyline.annotate.timex import find_timexes, mentioned_days
    from storyline.clean import clean_text

    docs = []
    for path in paths:
        text = clean_text(path.read_text(encoding="utf-8"))[0]
        days = mentioned_days(find_timexes(text, None))
        docs.append(StoryDoc(path.name, None, text, None, [], dates=days))
    return docs


def test_adding_unrelated_reports_does_not_regroup_the_others():
    """A corpus and the same corpus with reports on other topics added: the first corpus's
    articles keep exactly their grouping (nothing moves between its stories)."""
    if not ACCOUNT_DOCS.exists():
        pytest.skip("account dev set not present")
    paths = sorted(ACCOUNT_DOCS.glob("c0*.txt"))
    base = [p for p in paths if p.name.startswith(("c01", "c02", "c03", "c04"))]
    extra = [p for p in paths if p not in base]
    alone = groups(cluster(_cleaned_docs(base)))
    together = groups(cluster(_cleaned_docs(base + extra)))
    names = {p.name for p in base}
    assert {g & names for g in together if g & names} == alone


def test_an_undated_report_of_another_era_stays_out_of_a_dated_story():
    """Alike vocabulary (markets, shares, sales) does not join a report whose own dates are of
    February 2018 to a story published in December 2025."""
    market = ("The Dow Jones industrial average plunged 1,175 points on February 5, 2018, its "
              "largest point drop in history, as stocks and shares fell across markets and "
              "investors sold. Sales growth and company earnings worried investors on Monday.")
    bakery = ("The bakery chain said sales growth would accelerate as investors and markets "
              "reward companies that expand, with shares of restaurant chains up in December "
              "2025 as earnings improved and stocks rose.")
    docs = [StoryDoc("old", None, market, None, [], dates=["2018-02-05"]),
            StoryDoc("new", None, bakery, "2025-12-19", [], dates=[])]
    guarded = cluster(docs, StoryConfig(threshold=0.0, merge_threshold=0.0, min_df=1))
    assert groups(guarded) == {frozenset({"old"}), frozenset({"new"})}
    unguarded = cluster(docs, StoryConfig(threshold=0.0, merge_threshold=0.0, min_df=1,
                                          era_reach_days=None))
    assert groups(unguarded) == {frozenset({"old", "new"})}


US_LEAD = "The U.S. State Department said on Tuesday that the talks would resume next month."
MR_LEAD = "Mr. Smith met the ministers of both countries in Washington on Monday."


@pytest.mark.parametrize(("text", "title"), [
    (US_LEAD + " Officials declined to say more.", US_LEAD),
    (MR_LEAD + " Then he left.", MR_LEAD),
])
def test_an_untitled_story_is_described_by_its_lead_sentence_not_cut_at_an_abbreviation(
        text, title):
    from storyline.resolve.stories.titles import headline

    assert headline(StoryDoc("a", None, text, None, [])) == title


def test_a_report_recalling_old_crashes_by_day_belongs_to_the_year_it_names_last():
    from storyline.resolve.stories.vectors import StoryDoc, latest_mentioned_day
    doc = StoryDoc(article_id="a", title="Markets", text="", published=None,
                   dates=["1987-10-19", "2008-09-29"], periods=["2018-02", "1987"])
    assert latest_mentioned_day(doc) == datetime.date(2018, 2, 28).toordinal()
    # Years alone give no era: a profile naming only 1981 has none.
    alone = StoryDoc(article_id="b", title="Pilot", text="", published=None, periods=["1981"])
    assert latest_mentioned_day(alone) is None
